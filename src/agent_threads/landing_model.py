"""The body of both landing models (`models/landing/land_<source>__lines.py`).

A landing model appends every new complete raw line of its source's files to the landing
cache. Its file states only its dbt config (dbt reads `dbt.config(...)` from the model's
own source) and its source; the rest is here, once for every source.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from agent_threads import landing, root_check, spark


def land(dbt: Any, session: Any, source: str) -> Any:
    """The new lines of ``source``'s roots: a DuckDB record batch reader, or a Spark frame."""
    meta = dbt.config.get("meta") or {}
    load_id, loaded_at = uuid.uuid4().hex, datetime.now(UTC)
    if spark.is_spark_session(session):
        roots = root_check.landing_roots(source, meta.get("given_roots"))
        previous = str(dbt.this) if dbt.is_incremental else None
        return spark.land_new_lines(session, source, roots, previous, load_id, loaded_at)
    state, sample_rows, user_roots = None, 0, []
    if dbt.is_incremental:
        this = str(dbt.this)
        state = landing.state_of(session, this)
        sample_rows = session.sql(root_check.sample_rows_query(this)).fetchall()[0][0]
        user_roots = [row[0] for row in session.sql(root_check.user_roots_query(this)).fetchall()]
    roots = root_check.landing_roots(source, meta.get("given_roots"), sample_rows, user_roots)
    return landing.landing_reader(source, roots, state, load_id=load_id, loaded_at=loaded_at)
