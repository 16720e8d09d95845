"""Settle: which sessions are finished enough to publish.

A session is ``settled`` when its last activity is at least ``settle_after_minutes``
before ``as_of``, else ``active``. A session with no timestamps at all counts the time
its lines landed as its last activity. Timestamps in the future are kept (and counted
in ``has_future_activity`` so the build can warn), never an error.

The rule is :func:`settle_sessions` (Arrow in, Arrow out); the halves that run it are
:mod:`~agent_threads.settle.duckdb` and :mod:`~agent_threads.settle.spark`, each a
:class:`SettleEngine`.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

import pyarrow as pa
import pyarrow.compute as pc

from agent_threads.errors import SettingError
from agent_threads.spark_frames import is_spark_session

SETTLED_SCHEMA = pa.schema(
    [
        pa.field("session_id", pa.string(), nullable=False),
        pa.field("settle_status", pa.string(), nullable=False),
        pa.field("last_activity_at", pa.timestamp("us", tz="UTC"), nullable=False),
        pa.field("settles_at", pa.timestamp("us", tz="UTC"), nullable=False),
        pa.field("has_future_activity", pa.bool_(), nullable=False),
        pa.field("as_of", pa.timestamp("us", tz="UTC"), nullable=False),
    ]
)


def parse_as_of(text: str | None) -> datetime:
    """The var ``as_of`` as a UTC-aware time: empty is now; a time without a zone is UTC."""
    as_of = datetime.fromisoformat(text) if text else datetime.now(UTC)
    return as_of if as_of.tzinfo is not None else as_of.replace(tzinfo=UTC)


def settle_sessions(activity: pa.Table, as_of: datetime, settle_after_minutes: float) -> pa.Table:
    """``activity(session_id, last_event_at, last_loaded_at)`` -> one row per session.

    ``last_event_at`` is the newest timestamp any line of the session carries (null when
    none does); ``last_loaded_at`` the newest landing time of its lines.
    """
    if as_of.tzinfo is None:
        raise SettingError("as_of", "as_of must be timezone-aware (UTC)")
    ts = pa.timestamp("us", tz="UTC")
    last_event = activity.column("last_event_at").cast(ts)
    last_loaded = activity.column("last_loaded_at").cast(ts)
    last_activity = pc.coalesce(last_event, last_loaded)
    settles_at = pc.add(last_activity, pa.scalar(timedelta(minutes=settle_after_minutes)))
    as_of_scalar = pa.scalar(as_of, ts)
    is_settled = pc.less_equal(settles_at, as_of_scalar)
    status = pc.if_else(is_settled, "settled", "active")
    n = activity.num_rows
    return pa.table(
        {
            "session_id": activity.column("session_id").cast(pa.string()),
            "settle_status": status,
            "last_activity_at": last_activity,
            "settles_at": settles_at,
            "has_future_activity": pc.fill_null(pc.greater(last_event, as_of_scalar), False),
            "as_of": pa.array([as_of] * n, ts),
        }
    ).cast(SETTLED_SCHEMA)


class SettleEngine(Protocol):
    """One engine's settle model: :func:`settle_sessions` over every session's activity."""

    def settle(
        self, session: Any, /, revisions: Any, as_of: datetime, settle_after_minutes: float
    ) -> Any: ...


def engine(session: Any) -> SettleEngine:
    """The half that runs on ``session``: Spark for a SparkSession, else DuckDB."""
    if is_spark_session(session):
        from agent_threads.settle import spark

        return spark
    from agent_threads.settle import duckdb

    return duckdb
