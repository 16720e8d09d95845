"""``python -m agent_threads.spark``: the Python models' Spark halves on open-source Spark.

dbt-spark runs no Python model. This entry point writes the tables of the projection and
settle models with their Spark halves (:mod:`agent_threads.projection.spark`,
:mod:`agent_threads.settle.spark`), after which dbt builds the models that read them.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING

from agent_threads.contract import DEFAULT_SETTLE_AFTER_MINUTES
from agent_threads.projection.spark import project_changed_sessions
from agent_threads.settle import parse_as_of
from agent_threads.settle.spark import settle

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession


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
        sql_projected=[table("int_copilot_cli__messages"), table("int_gemini_cli__messages")],
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
