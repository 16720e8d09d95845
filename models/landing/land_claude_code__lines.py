"""Raw landing cache for claude_code files: every complete raw line ever seen (thin wrapper)."""

import uuid
from datetime import UTC, datetime

from agent_threads import landing, paths, spark

SOURCE = "claude_code"


def model(dbt, session):
    # Python models take their materialization from dbt.config() (a folder-level
    # +materialized is not applied to them), so it is stated here.
    dbt.config(materialized="incremental", incremental_strategy="append", full_refresh=False)
    meta = dbt.config.get("meta") or {}
    roots = paths.resolve_roots(SOURCE, meta.get("roots"))
    load_id, loaded_at = uuid.uuid4().hex, datetime.now(UTC)
    if spark.is_spark_session(session):
        previous = str(dbt.this) if dbt.is_incremental else None
        return spark.land_new_lines(session, SOURCE, roots, previous, load_id, loaded_at)
    state = None
    if dbt.is_incremental:
        state = session.sql(landing.state_query(str(dbt.this))).to_arrow_table()
    return landing.landing_reader(SOURCE, roots, state, load_id=load_id, loaded_at=loaded_at)
