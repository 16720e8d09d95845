"""DuckDB temp relations the Python models' DuckDB halves share (projection, export)."""

from __future__ import annotations

import duckdb

#: rows per Arrow batch when a DuckDB half streams a query's result
FETCH_ROWS = 65_536


def temp_view(con: duckdb.DuckDBPyConnection, relation: duckdb.DuckDBPyRelation, name: str) -> str:
    """Make ``relation`` the temporary view ``name`` (gone with the connection); its name."""
    con.execute(f"create or replace temp view {name} as {relation.sql_query()}")
    return name


def session_id_table(con: duckdb.DuckDBPyConnection, name: str, session_ids) -> str:
    """(Re)create the temp table ``name`` holding ``session_ids`` (one column, session_id)."""
    con.execute(f"create or replace temp table {name} (session_id varchar)")
    if session_ids:
        con.executemany(f"insert into {name} values (?)", [[s] for s in session_ids])
    return name
