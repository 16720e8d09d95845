"""Export: the published sessions as a Parquet dataset, with a manifest and privacy settings.

- :mod:`~agent_threads.export.files`: the dataset's layout, partition files and manifest;
- :mod:`~agent_threads.export.privacy`: what the files carry (text, tool I/O, secrets,
  excluded projects);
- :mod:`~agent_threads.export.duckdb`: the DuckDB half, an :class:`ExportEngine`. There
  is no Spark half yet: on open-source Spark the dataset is the tables (docs/spark.md).
"""

from __future__ import annotations

from typing import Any, Protocol

from agent_threads.spark_frames import is_spark_session


class ExportEngine(Protocol):
    """One engine's export model: write what changed, return the export log rows."""

    def export_dataset(
        self,
        session: Any,
        /,
        messages: Any,
        previous: str | None,
        dataset_dir: str,
        layout: str,
        buckets: int,
        as_of: str,
        sessions: Any = None,
        privacy: Any = None,
    ) -> Any: ...


def engine(session: Any) -> ExportEngine:
    """The half that runs on ``session``: DuckDB (a SparkSession is refused, by name)."""
    if is_spark_session(session):
        raise NotImplementedError(
            "the Parquet export runs on DuckDB only; on Spark the dataset is the tables"
        )
    from agent_threads.export import duckdb

    return duckdb
