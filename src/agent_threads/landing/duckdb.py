"""The landing's DuckDB half: what the cache holds, then the new lines as an Arrow stream."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import duckdb
import pyarrow as pa

from agent_threads.landing import root_check
from agent_threads.landing.file_life import state_query
from agent_threads.landing.files import landing_reader


def state_of(con: duckdb.DuckDBPyConnection, relation: str) -> pa.Table:
    """Run the state query on the landing table ``relation`` (it may predate file life)."""
    columns = con.sql(f"select * from {relation} limit 0").columns
    return con.sql(state_query(relation, columns)).to_arrow_table()


def land(
    con: duckdb.DuckDBPyConnection,
    source: str,
    given_roots: Any,
    previous: str | None,
    load_id: str,
    loaded_at: datetime,
) -> pa.RecordBatchReader:
    """The new lines of ``source``'s roots, read against the cache ``previous`` (None: empty).

    The roots follow the roots rule (:func:`agent_threads.landing.root_check.landing_roots`),
    which needs to know whether the cache holds the bundled samples or the user's roots.
    """
    state, sample_rows, user_roots = None, 0, []
    if previous is not None:
        state = state_of(con, previous)
        sample_rows = con.sql(root_check.sample_rows_query(previous)).fetchall()[0][0]
        user_roots = [row[0] for row in con.sql(root_check.user_roots_query(previous)).fetchall()]
    roots = root_check.landing_roots(source, given_roots, sample_rows, user_roots)
    return landing_reader(source, roots, state, load_id=load_id, loaded_at=loaded_at)
