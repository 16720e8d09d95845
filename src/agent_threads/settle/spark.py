"""Settle's Spark half: :func:`agent_threads.settle.settle_sessions` per batch."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import TYPE_CHECKING

import pyarrow as pa

from agent_threads.settle import SETTLED_SCHEMA, settle_sessions
from agent_threads.spark_frames import map_batches

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession


def settle(
    spark: SparkSession,
    revisions: DataFrame,
    as_of: datetime,
    settle_after_minutes: float,
) -> DataFrame:
    """The settle model on Spark: :func:`agent_threads.settle.settle_sessions` per batch."""

    def run(batches: Iterable[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        for batch in batches:
            yield from settle_sessions(
                pa.Table.from_batches([batch]), as_of, settle_after_minutes
            ).to_batches()

    activity = revisions.select("session_id", "last_event_at", "last_loaded_at")
    return map_batches(spark, activity, run, SETTLED_SCHEMA)
