"""Landing: every new complete raw line of the agents' log files, into the landing cache.

- :mod:`~agent_threads.landing.files`: find the files and read their new lines (Arrow;
  the rules both engines run);
- :mod:`~agent_threads.landing.file_life`: a file's life (appends, rewrites, moves);
- :mod:`~agent_threads.landing.root_check`: which roots a build reads (the roots rule);
- :mod:`~agent_threads.landing.duckdb`, :mod:`~agent_threads.landing.spark`: the two
  halves, each a :class:`LandingEngine`.

:func:`land` is the body of every landing model (`models/landing/land_<source>__lines.py`).
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any, Protocol

from agent_threads.spark_frames import is_spark_session


class LandingEngine(Protocol):
    """One engine's landing: the new lines of a source's roots, as the engine's relation."""

    def land(
        self,
        session: Any,
        source: str,
        given_roots: Any,
        previous: str | None,
        load_id: str,
        loaded_at: datetime,
        /,
    ) -> Any: ...


def engine(session: Any) -> LandingEngine:
    """The half that runs on ``session``: Spark for a SparkSession, else DuckDB."""
    if is_spark_session(session):
        from agent_threads.landing import spark

        return spark
    from agent_threads.landing import duckdb

    return duckdb


def land(dbt: Any, session: Any, source: str) -> Any:
    """A landing model's body: the new lines of ``source``'s roots, on the model's engine."""
    meta = dbt.config.get("meta") or {}
    previous = str(dbt.this) if dbt.is_incremental else None
    return engine(session).land(
        session, source, meta.get("given_roots"), previous, uuid.uuid4().hex, datetime.now(UTC)
    )
