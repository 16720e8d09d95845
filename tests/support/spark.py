"""A local SparkSession for the Spark tests, and dbt run in-process on the `spark` target.

One JVM for the whole test session: the session has Hive support and its own warehouse
and Derby metastore, and dbt-spark (method session) picks it up (getOrCreate) when dbt
runs in-process, so the tables the dbt build writes are read back from the same session.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import pyarrow as pa

from .dbt_project import REPO

JAVA = shutil.which("java")
NO_JAVA = "Java is not installed (no `java` on PATH): the Spark tests need a JDK (17) for PySpark"


def local_spark(base: Path):
    """A local SparkSession (2 cores, UTC) with Hive support; its warehouse under ``base``."""
    from pyspark.sql import SparkSession

    # Python workers must import agent_threads: the interpreter running the tests has it.
    os.environ["PYSPARK_PYTHON"] = sys.executable
    os.environ["PYSPARK_DRIVER_PYTHON"] = sys.executable
    base.mkdir(parents=True, exist_ok=True)
    spark = (
        SparkSession.builder.master("local[2]")
        .appName("agent-threads-tests")
        .enableHiveSupport()
        .config("spark.sql.warehouse.dir", str(base / "warehouse"))
        .config("spark.driver.extraJavaOptions", f"-Dderby.system.home={base}")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.sql.cteRecursionLevelLimit", "100000")
        .config("spark.ui.enabled", "false")
        .config("spark.log.level", "ERROR")
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    return spark


def storage_types(table: pa.Table) -> pa.Table:
    """DuckDB's JSON columns arrive as an Arrow extension type; Spark takes plain strings."""
    columns = [
        column.cast(column.type.storage_type)
        if isinstance(column.type, pa.ExtensionType)
        else column
        for column in table.columns
    ]
    return pa.Table.from_arrays(columns, names=table.column_names)


@contextlib.contextmanager
def environment(values: dict[str, str]) -> Iterator[None]:
    saved = {key: os.environ.get(key) for key in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def dbt_in_process(args: list[str], env: dict[str, str]):
    """Run dbt in this process (so dbt-spark's session method uses the test's session)."""
    from dbt.cli.main import dbtRunner

    with environment({"DBT_PROFILES_DIR": str(REPO), "DBT_PROJECT_DIR": str(REPO), **env}):
        return dbtRunner().invoke([*args, "--project-dir", str(REPO)])
