"""The landing's Spark half: discover on the driver, read the files on the executors."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyarrow as pa

from agent_threads.landing import file_life, root_check
from agent_threads.landing import files as landing
from agent_threads.log import logger
from agent_threads.spark_frames import map_batches, shuffle_partitions, spark_schemas

LOG = logger("landing")

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession


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
    """The landing state query (:mod:`agent_threads.landing.file_life`) run by Spark SQL."""
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

    report = landing.LoadReport(roots_missing=[])
    files, empty_roots = landing.discover_files(source, roots, report)
    for root in empty_roots:
        LOG.warning(
            f"agent_threads landing: {source} root {root} is missing or holds no transcript"
        )
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
    spread = listed.repartition(shuffle_partitions(spark, partitions), group)
    landed = map_batches(spark, spread.sortWithinPartitions("position"), run, landing.LANDED_SCHEMA)
    deleted = landing.deleted_rows(gone, load_id, loaded_at) if not may_move else None
    if deleted is None:
        return landed
    spark_schema, _ = spark_schemas(spark, landing.LANDED_SCHEMA)
    return landed.unionByName(
        spark.createDataFrame(pa.Table.from_batches([deleted]).to_pylist(), spark_schema)
    )


def land(
    spark: SparkSession,
    source: str,
    given_roots: Any,
    previous: str | None,
    load_id: str,
    loaded_at: datetime,
) -> DataFrame:
    """The new lines of ``source``'s roots (the roots rule, without the samples' memory)."""
    roots = root_check.landing_roots(source, given_roots)
    return land_new_lines(spark, source, roots, previous, load_id, loaded_at)
