"""Arrow functions run on Spark DataFrames: the plumbing every layer's Spark half shares.

Each layer's Spark half (:mod:`agent_threads.landing.spark`,
:mod:`agent_threads.projection.spark`, :mod:`agent_threads.settle.spark`) hands its work
to the pure functions the DuckDB half uses, through ``mapInArrow``. The output schemas
are declared once, in Arrow, and converted to Spark here. pyspark is imported lazily:
the DuckDB halves never need it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any

import pyarrow as pa

from agent_threads.batching import DEFAULT_TARGET_ROWS, map_sessions

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


def shuffle_partitions(spark: SparkSession, partitions: int | None) -> int:
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
    ordered = lines.repartition(shuffle_partitions(spark, partitions), key).sortWithinPartitions(
        key, *order_by
    )

    def run(batches: Iterable[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        yield from map_sessions(batches, function, schema, key=key, target_rows=target_rows)

    return map_batches(spark, ordered, run, schema)
