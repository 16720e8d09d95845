"""The Spark branch of the Python models: the same pure functions, run by Spark.

A Python model whose ``session`` is a SparkSession (dbt-databricks; or any caller with
Spark DataFrames) calls these functions instead of :mod:`agent_threads.pipeline`. Each
one hands the work to the functions the DuckDB branch uses, through ``mapInArrow``:

- projection: rows are repartitioned by ``session_id`` and sorted within partitions, and
  :func:`agent_threads.batching.map_sessions` cuts each partition's stream of record
  batches into whole sessions for the projection (streaming: a partition never has to
  fit in memory, only its largest session);
- settle: one row per session, any batching;
- landing: the files are discovered on the driver and read by the executors, each file
  by one task, with :func:`agent_threads.landing.land_new_lines`.

The output schemas are declared once, in Arrow (``PROJECTED_SCHEMA``, ``SETTLED_SCHEMA``,
``LANDED_SCHEMA``), and converted to Spark here. pyspark is imported lazily: the DuckDB
branch never needs it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyarrow as pa

from agent_threads.batching import DEFAULT_TARGET_ROWS, map_sessions
from agent_threads.contract import DEFAULT_SETTLE_AFTER_MINUTES
from agent_threads.settle import parse_as_of

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession
    from pyspark.sql.types import StructType

LINE_ORDER = ("source_file", "source_line")


def is_spark_session(session: Any) -> bool:
    """Is ``session`` a SparkSession (classic or Spark Connect)? Imports nothing."""
    return any(
        cls.__module__.startswith("pyspark.") and cls.__name__ == "SparkSession"
        for cls in type(session).__mro__
    )


def spark_schemas(spark: SparkSession, schema: pa.Schema) -> tuple[StructType, pa.Schema]:
    """The Spark schema of an Arrow schema, and the Arrow schema Spark expects back.

    Spark wants mapInArrow results typed exactly as it would type them itself: timestamps
    in the session time zone, strings large or not as its Arrow setting says.
    """
    from pyspark.sql.pandas.types import from_arrow_schema, to_arrow_schema

    spark_schema = from_arrow_schema(schema, prefer_timestamp_ntz=False)
    large = spark.conf.get("spark.sql.execution.arrow.useLargeVarTypes", "false") == "true"
    returned = to_arrow_schema(
        spark_schema,
        timezone=spark.conf.get("spark.sql.session.timeZone"),
        prefers_large_types=large,
    )
    return spark_schema, returned


def _partitions(spark: SparkSession, partitions: int | None) -> int:
    return partitions or int(str(spark.conf.get("spark.sql.shuffle.partitions")))


def map_batches(
    spark: SparkSession,
    frame: DataFrame,
    function: Callable[[Iterable[pa.RecordBatch]], Iterable[pa.RecordBatch]],
    schema: pa.Schema,
) -> DataFrame:
    """``frame.mapInArrow`` with the output declared once, as the Arrow ``schema``."""
    spark_schema, returned = spark_schemas(spark, schema)

    def run(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        for batch in function(batches):
            yield batch.cast(returned)

    return frame.mapInArrow(run, spark_schema)


def map_whole_sessions(
    spark: SparkSession,
    lines: DataFrame,
    function: Callable[[pa.Table], pa.Table],
    schema: pa.Schema,
    order_by: tuple[str, ...] = LINE_ORDER,
    key: str = "session_id",
    partitions: int | None = None,
    target_rows: int = DEFAULT_TARGET_ROWS,
) -> DataFrame:
    """Hand whole sessions of ``lines`` to ``function`` (Arrow table in, ``schema`` out).

    The Spark twin of the DuckDB branch's ordered stream: ``repartition(key)`` puts every
    row of a session in one partition, ``sortWithinPartitions`` orders them as the DuckDB
    query does, and ``map_sessions`` streams each partition through ``function`` in
    tables of whole sessions.
    """
    ordered = lines.repartition(_partitions(spark, partitions), key).sortWithinPartitions(
        key, *order_by
    )

    def run(batches: Iterable[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        yield from map_sessions(batches, function, schema, key=key, target_rows=target_rows)

    return map_batches(spark, ordered, run, schema)


def _with_input_revision(function: Callable[[pa.Table], pa.Table]):
    """Call ``function`` without the input's ``session_revision``; attach it to the output."""
    from agent_threads.pipeline import _with_revision

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
        return _with_revision(function(table.drop_columns(["session_revision"])), revision_of)

    return call


def project_changed_sessions(
    spark: SparkSession,
    revisions: DataFrame,
    claude_lines: DataFrame,
    codex_lines: DataFrame,
    copy_owners: DataFrame,
    fork_baselines: DataFrame,
    previous: str | None,
    partitions: int | None = None,
) -> DataFrame:
    """The projection model on Spark: :func:`agent_threads.pipeline.project_changed_sessions`.

    Projects every session whose revision differs from the one in ``previous`` (the
    model's own table; None on a first or full run). The side tables are small (one row
    per copied uuid or response, per forked thread): they travel with the function.
    """
    from agent_threads.pipeline import PROJECTED_SCHEMA
    from agent_threads.projection.claude_code import project_claude_code
    from agent_threads.projection.codex import project_codex

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
    return claude_messages.unionByName(codex_messages)


def settle(
    spark: SparkSession,
    revisions: DataFrame,
    as_of: datetime,
    settle_after_minutes: float,
) -> DataFrame:
    """The settle model on Spark: :func:`agent_threads.settle.settle_sessions` per batch."""
    from agent_threads.settle import SETTLED_SCHEMA, settle_sessions

    def run(batches: Iterable[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        for batch in batches:
            yield from settle_sessions(
                pa.Table.from_batches([batch]), as_of, settle_after_minutes
            ).to_batches()

    activity = revisions.select("session_id", "last_event_at", "last_loaded_at")
    return map_batches(spark, activity, run, SETTLED_SCHEMA)


_FILE_COLUMNS = pa.schema(
    [
        ("root", pa.string()),
        ("path", pa.string()),
        ("size", pa.int64()),
        ("is_sidecar", pa.bool_()),
        ("mtime_ns", pa.int64()),
        ("ctime_ns", pa.int64()),
        ("may_move", pa.bool_()),  # offered to the move rule: one task reads them all
        ("position", pa.int64()),  # the order the DuckDB branch reads the files in
    ]
)


def landed_state(spark: SparkSession, relation: str) -> pa.Table:
    """:func:`agent_threads.file_life.state_query` run by Spark SQL: per path, what is landed."""
    from agent_threads import file_life

    columns = spark.table(relation).columns
    return spark.sql(file_life.state_query(relation, columns)).toArrow()


def land_new_lines(
    spark: SparkSession,
    source: str,
    roots: list[Path],
    previous: str | None,
    load_id: str,
    loaded_at: datetime,
    partitions: int | None = None,
) -> DataFrame:
    """The landing model on Spark: discover on the driver, read the files on the executors.

    The roots must be visible under the same paths to the driver and every executor (a
    shared mount: Databricks volumes, DBFS, NFS). Each task lands whole files with
    :func:`agent_threads.landing.land_new_lines`, so the rules (the file-life events,
    offsets, held-back tails, versions, sidecars) are the DuckDB branch's own. The driver
    finds the paths gone from disk. When a new file's head matches one of them
    (:func:`agent_threads.landing.move_candidates`), all such files go to one task, which
    claims each gone path at most once and records every gone path (moved away or
    deleted); otherwise the driver records them as deleted.
    """
    from pyspark.sql import functions as F

    from agent_threads import file_life, landing

    report = landing.LoadReport(roots_missing=[])
    files, empty_roots = landing.discover_files(source, roots, report)
    for root in empty_roots:
        print(f"agent_threads landing: {source} root {root} is missing or holds no transcript")
    state = file_life.state_from_table(landed_state(spark, previous) if previous else None)
    gone = file_life.gone_paths(state, (file.path for file in files))
    # the files that may be a gone path moved go to one task, with every gone path, in
    # the DuckDB branch's order: that task claims each gone path once and records them all
    may_move = landing.move_candidates(files, state, gone) if gone else set()
    rows = [
        (
            file.root,
            file.path,
            file.size,
            file.is_sidecar,
            file.mtime_ns,
            file.ctime_ns,
            file.path in may_move,
            position,
        )
        for position, file in enumerate(files)
        if file_life.must_read(file.path, file.stamp, state.get(file.path))
    ]
    known = {file.path: state[file.path] for file in files if file.path in state}
    file_schema, _ = spark_schemas(spark, _FILE_COLUMNS)
    listed = spark.createDataFrame(rows, file_schema)

    def run(batches: Iterable[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        listing = [row for batch in batches for row in batch.to_pylist()]
        found = [
            landing.DiscoveredFile(
                row["root"],
                row["path"],
                row["size"],
                row["is_sidecar"],
                row["mtime_ns"],
                row["ctime_ns"],
            )
            for row in listing
        ]
        mine = {f.path: known[f.path] for f in found if f.path in known}
        offered = any(row["may_move"] for row in listing)
        yield from landing.land_new_lines(
            found, mine, load_id, loaded_at, gone=gone if offered else {}, record_gone=offered
        )

    group = F.when(F.col("may_move"), F.lit("")).otherwise(F.col("path"))
    spread = listed.repartition(_partitions(spark, partitions), group)
    landed = map_batches(spark, spread.sortWithinPartitions("position"), run, landing.LANDED_SCHEMA)
    deleted = landing.deleted_rows(gone, load_id, loaded_at) if not may_move else None
    if deleted is None:
        return landed
    spark_schema, _ = spark_schemas(spark, landing.LANDED_SCHEMA)
    return landed.unionByName(
        spark.createDataFrame(pa.Table.from_batches([deleted]).to_pylist(), spark_schema)
    )


def run_python_models(
    spark: SparkSession,
    schema: str = "agent_threads",
    as_of: datetime | None = None,
    settle_after_minutes: float = DEFAULT_SETTLE_AFTER_MINUTES,
    partitions: int | None = None,
) -> None:
    """Open-source Spark: write the projection and settle models' tables with their Spark branches.

    dbt-spark runs no Python models; this does their work on the tables the SQL models
    built in ``schema`` (whole tables: every session is projected), after which
    ``dbt build --target spark --vars '{spark_python_tables: true}'`` builds the models
    that read them. Run it with spark-submit on a cluster, or locally with
    ``python -m agent_threads.spark``.
    """

    def table(name: str) -> DataFrame:
        return spark.table(f"{schema}.{name}")

    as_of = as_of or datetime.now(UTC)
    projected = project_changed_sessions(
        spark,
        revisions=table("int_session_revisions"),
        claude_lines=table("stg_claude_code__lines"),
        codex_lines=table("stg_codex__lines"),
        copy_owners=table("int_claude_code__copy_owners"),
        fork_baselines=table("int_codex__fork_baselines"),
        previous=None,
        partitions=partitions,
    )
    projected.write.mode("overwrite").saveAsTable(f"{schema}.int_messages_projected")
    settled = settle(spark, table("int_session_revisions"), as_of, settle_after_minutes)
    settled.write.mode("overwrite").saveAsTable(f"{schema}.int_sessions_settled")


def main(argv: list[str] | None = None) -> None:
    """``python -m agent_threads.spark``: :func:`run_python_models` on a SparkSession.

    Under spark-submit the session is the cluster's; run locally, it is built like the
    profile's ``spark`` target (AGENT_THREADS_SPARK_DIR, AGENT_THREADS_SPARK_MASTER).
    """
    import argparse
    import os
    import sys

    from pyspark import SparkConf
    from pyspark.sql import SparkSession

    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("--schema", default="agent_threads")
    parser.add_argument(
        "--as-of",
        type=parse_as_of,
        default=None,
        help="ISO-8601, UTC when no zone is given; default: now",
    )
    parser.add_argument("--settle-after-minutes", type=float, default=DEFAULT_SETTLE_AFTER_MINUTES)
    args = parser.parse_args(argv)
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)  # workers import agent_threads
    spark_dir = os.path.abspath(os.environ.get("AGENT_THREADS_SPARK_DIR", "data/spark"))
    builder = SparkSession.builder
    if not SparkConf().contains("spark.master"):  # not under spark-submit: a local session
        builder = builder.master(os.environ.get("AGENT_THREADS_SPARK_MASTER", "local[*]"))
    spark = (
        builder.enableHiveSupport()
        .config("spark.sql.warehouse.dir", f"{spark_dir}/warehouse")
        .config("spark.driver.extraJavaOptions", f"-Dderby.system.home={spark_dir}")
        .config("spark.sql.session.timeZone", "UTC")
        .getOrCreate()
    )
    run_python_models(spark, args.schema, args.as_of, args.settle_after_minutes)


if __name__ == "__main__":
    main()
