"""Message projection: whole sessions of staged lines in, projected messages out.

Pure functions over Arrow tables (no dbt, no shared DuckDB connection), so another
engine's grouped map (Spark ``mapInArrow`` by ``session_id``) can run the same code.
"""
