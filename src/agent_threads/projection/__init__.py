"""Message projection: whole sessions of staged lines in, projected messages out.

The rules are pure functions over Arrow tables (no dbt, no shared DuckDB connection):
:mod:`~agent_threads.projection.claude_code` and :mod:`~agent_threads.projection.codex`,
with the schema in :mod:`~agent_threads.projection.schema`. Two halves choose the
sessions and run them: :mod:`~agent_threads.projection.duckdb` and
:mod:`~agent_threads.projection.spark` (Spark ``mapInArrow`` by ``session_id``), each a
:class:`ProjectionEngine`.
"""

from __future__ import annotations

from typing import Any, Protocol

from agent_threads.spark_frames import is_spark_session


class ProjectionEngine(Protocol):
    """One engine's projection model: every session whose revision changed, projected."""

    def project_changed_sessions(
        self,
        session: Any,
        /,
        revisions: Any,
        claude_lines: Any,
        codex_lines: Any,
        copy_owners: Any,
        fork_baselines: Any,
        previous: str | None,
        sql_projected: list[Any] | None = None,
    ) -> Any: ...


def engine(session: Any) -> ProjectionEngine:
    """The half that runs on ``session``: Spark for a SparkSession, else DuckDB."""
    if is_spark_session(session):
        from agent_threads.projection import spark

        return spark
    from agent_threads.projection import duckdb

    return duckdb
