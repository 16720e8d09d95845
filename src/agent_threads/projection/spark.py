"""The projection's Spark half: the same pure projections, run by ``mapInArrow``.

Rows are repartitioned by ``session_id`` and sorted within partitions, and
:func:`agent_threads.batching.map_sessions` cuts each partition's stream into whole
sessions (streaming: a partition never has to fit in memory, only its largest session).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import pyarrow as pa

from agent_threads.projection.claude_code import project_claude_code
from agent_threads.projection.codex import project_codex
from agent_threads.projection.schema import PROJECTED_SCHEMA, with_revision
from agent_threads.spark_frames import map_whole_sessions

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession


def _with_input_revision(function: Callable[[pa.Table], pa.Table]):
    """Call ``function`` without the input's ``session_revision``; attach it to the output."""

    def call(table: pa.Table) -> pa.Table:
        pairs = table.select(["session_id", "session_revision"]).group_by("session_id")
        revisions = pairs.aggregate([("session_revision", "max")])
        revision_of = dict(
            zip(
                revisions.column("session_id").to_pylist(),
                revisions.column("session_revision_max").to_pylist(),
                strict=True,
            )
        )
        return with_revision(function(table.drop_columns(["session_revision"])), revision_of)

    return call


def project_changed_sessions(
    spark: SparkSession,
    revisions: DataFrame,
    claude_lines: DataFrame,
    codex_lines: DataFrame,
    copy_owners: DataFrame,
    fork_baselines: DataFrame,
    previous: str | None,
    sql_projected: list[DataFrame] | None = None,
    partitions: int | None = None,
) -> DataFrame:
    """The projection model on Spark (the DuckDB half: :mod:`agent_threads.projection.duckdb`).

    Projects every session whose revision differs from the one in ``previous`` (the
    model's own table; None on a first or full run). The side tables are small (one row
    per copied uuid or response, per forked thread): they travel with the function.
    """
    todo = revisions.select("session_id", "session_revision")
    if previous is not None:
        done = spark.table(previous).select("session_id", "session_revision").distinct()
        todo = todo.join(done, ["session_id", "session_revision"], "left_anti")
    uuid_owners = (
        copy_owners.where("copy_kind = 'uuid'")
        .selectExpr("copy_key as line_uuid", "owner_session_id")
        .toArrow()
    )
    response_owners = (
        copy_owners.where("copy_kind = 'response'")
        .selectExpr("copy_key as source_message_id", "request_id", "owner_session_id")
        .toArrow()
    )
    baselines = fork_baselines.toArrow()

    def claude(table: pa.Table) -> pa.Table:
        return project_claude_code(table, uuid_owners, response_owners)

    def codex(table: pa.Table) -> pa.Table:
        return project_codex(table, baselines)

    claude_messages = map_whole_sessions(
        spark,
        claude_lines.join(todo, "session_id"),
        _with_input_revision(claude),
        PROJECTED_SCHEMA,
        partitions=partitions,
    )
    codex_messages = map_whole_sessions(
        spark,
        codex_lines.where("not is_from_duplicate_file").join(todo, "session_id"),
        _with_input_revision(codex),
        PROJECTED_SCHEMA,
        partitions=partitions,
    )
    projected = claude_messages.unionByName(codex_messages)
    for relation in sql_projected or []:
        # sources projected in SQL: their rows of the changed sessions, passed through
        passed = relation.join(todo, "session_id").select(
            *(f"`{name}`" for name in PROJECTED_SCHEMA.names)
        )
        projected = projected.unionByName(passed)
    return projected
