"""Settle's DuckDB half."""

from __future__ import annotations

from datetime import datetime

import duckdb
import pyarrow as pa

from agent_threads.settle import settle_sessions


def run_as_of(settled: duckdb.DuckDBPyRelation) -> str:
    """The ``as_of`` the run's settle decision used (ISO-8601), or '' with no sessions."""
    rows = settled.aggregate("max(as_of)").fetchall()
    return rows[0][0].isoformat() if rows and rows[0][0] is not None else ""


def settle(
    con: duckdb.DuckDBPyConnection,
    revisions: duckdb.DuckDBPyRelation,
    as_of: datetime,
    settle_after_minutes: float,
) -> pa.Table:
    """Settle status of every session (see :func:`agent_threads.settle.settle_sessions`)."""
    activity = revisions.select("session_id, last_event_at, last_loaded_at").to_arrow_table()
    return settle_sessions(activity, as_of, settle_after_minutes)
