#!/usr/bin/env python3
"""The projection on local Spark against DuckDB, on the same staged corpus.

Takes a DuckDB database built by ``dbt build`` (e.g. over ``bench/generate_corpus.py``
output), then times, best of ``--repeat``:

* DuckDB: the projection model's DuckDB half
  (``agent_threads.projection.duckdb.project_changed_sessions``: one ordered DuckDB
  stream cut into whole sessions), all rows consumed;
* Spark: the model's Spark half
  (``agent_threads.projection.spark.project_changed_sessions``: repartition by session,
  sort within partitions, mapInArrow), on a local SparkSession reading the same staged
  tables from Parquet, its output written to Parquet.

It checks that both give the same rows (count and a digest of every message id and its
revision) and prints one Markdown table row.

Usage::

    python bench/spark_projection.py --db /tmp/bench/copy-of-agent_threads.duckdb [--cores 2]
"""

from __future__ import annotations

import argparse
import hashlib
import os
import sys
import tempfile
import time
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

INPUTS = (
    "int_session_revisions",
    "stg_claude_code__lines",
    "stg_codex__lines",
    "int_claude_code__copy_owners",
    "int_codex__fork_baselines",
)


def message_ids(table: pa.Table | pa.RecordBatch) -> list[tuple[str, str]]:
    columns = [table.column(name).to_pylist() for name in ("message_id", "session_revision")]
    return list(zip(*columns, strict=True))


def digest(ids: list[tuple[str, str]]) -> str:
    return hashlib.sha1("\n".join(f"{m}:{r}" for m, r in sorted(ids)).encode()).hexdigest()[:12]


def duckdb_projection(db: Path) -> tuple[float, int, str]:
    from agent_threads.projection import duckdb as pipeline

    con = duckdb.connect(str(db))  # the projection creates temporary views and tables
    start = time.perf_counter()
    reader = pipeline.project_changed_sessions(
        con,
        revisions=con.table("int_session_revisions"),
        claude_lines=con.table("stg_claude_code__lines"),
        codex_lines=con.table("stg_codex__lines"),
        copy_owners=con.table("int_claude_code__copy_owners"),
        fork_baselines=con.table("int_codex__fork_baselines"),
        previous=None,
    )
    ids: list[tuple[str, str]] = []
    rows = 0
    for batch in reader:
        rows += batch.num_rows
        ids.extend(message_ids(batch))
    seconds = time.perf_counter() - start
    con.close()
    return seconds, rows, digest(ids)


def export_inputs(db: Path, folder: Path) -> None:
    con = duckdb.connect(str(db), read_only=True)
    for name in INPUTS:
        table = con.sql(f"select * from main.{name}").to_arrow_table()
        columns = [
            c.cast(c.type.storage_type) if isinstance(c.type, pa.ExtensionType) else c
            for c in table.columns
        ]
        pq.write_table(pa.Table.from_arrays(columns, names=table.column_names), folder / name)
    con.close()


def spark_session(cores: int, partitions: int):
    from pyspark.sql import SparkSession

    os.environ["PYSPARK_PYTHON"] = sys.executable
    return (
        SparkSession.builder.master(f"local[{cores}]")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.shuffle.partitions", str(partitions))
        .config("spark.ui.enabled", "false")
        .config("spark.driver.memory", "4g")
        .getOrCreate()
    )


def spark_projection(spark, folder: Path, out: Path) -> tuple[float, int, str]:
    from agent_threads.projection import spark as on_spark

    def table(name: str):
        return spark.read.parquet(str(folder / name))

    start = time.perf_counter()
    projected = on_spark.project_changed_sessions(
        spark,
        revisions=table("int_session_revisions"),
        claude_lines=table("stg_claude_code__lines"),
        codex_lines=table("stg_codex__lines"),
        copy_owners=table("int_claude_code__copy_owners"),
        fork_baselines=table("int_codex__fork_baselines"),
        previous=None,
    )
    projected.write.mode("overwrite").parquet(str(out))
    seconds = time.perf_counter() - start
    written = pq.read_table(out, columns=["message_id", "session_revision"])
    return seconds, written.num_rows, digest(message_ids(written))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", type=Path, required=True, help="opened read-write: use a copy")
    parser.add_argument("--cores", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--partitions", type=int, default=8)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    duck = min(duckdb_projection(args.db) for _ in range(args.repeat))
    with tempfile.TemporaryDirectory() as work:
        folder = Path(work)
        export_inputs(args.db, folder)
        start = time.perf_counter()
        spark = spark_session(args.cores, args.partitions)
        spark.range(1).collect()
        jvm = time.perf_counter() - start
        runs = [spark_projection(spark, folder, folder / f"out{i}") for i in range(args.repeat)]
        first, best = runs[0], min(runs)
        spark.stop()
    staged = (
        duckdb.connect(str(args.db), read_only=True)
        .sql(
            "select (select count(*) from stg_claude_code__lines)"
            " + (select count(*) from stg_codex__lines),"
            " (select count(*) from int_session_revisions)"
        )
        .fetchall()[0]
    )
    same = (duck[1], duck[2]) == (best[1], best[2])
    print(
        "| staged lines | sessions | messages | DuckDB s | Spark first s | Spark best s"
        " | Spark/DuckDB | JVM start s | same rows |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    print(
        f"| {staged[0]} | {staged[1]} | {duck[1]} | {duck[0]:.2f} | {first[0]:.2f} | {best[0]:.2f}"
        f" | {best[0] / duck[0]:.1f}x | {jvm:.1f} | {'yes' if same else 'NO'} |"
    )
    if not same:
        raise SystemExit(f"the engines differ: DuckDB {duck[1:]} vs Spark {best[1:]}")


if __name__ == "__main__":
    main()
