"""Raw landing cache for claude_code files: every complete raw line ever seen (thin wrapper)."""

import uuid
from datetime import UTC, datetime

from agent_threads import landing, root_check, spark

SOURCE = "claude_code"


def model(dbt, session):
    # Python models take their materialization from dbt.config() (a folder-level
    # +materialized is not applied to them), so it is stated here.
    # on_schema_change: a cache landed before the file-life columns gains them (never
    # emptied: full_refresh is false)
    dbt.config(
        materialized="incremental",
        incremental_strategy="append",
        full_refresh=False,
        on_schema_change="append_new_columns",
    )
    meta = dbt.config.get("meta") or {}
    load_id, loaded_at = uuid.uuid4().hex, datetime.now(UTC)
    if spark.is_spark_session(session):
        roots = root_check.landing_roots(SOURCE, meta.get("given_roots"))
        previous = str(dbt.this) if dbt.is_incremental else None
        return spark.land_new_lines(session, SOURCE, roots, previous, load_id, loaded_at)
    state, sample_rows, user_roots = None, 0, []
    if dbt.is_incremental:
        this = str(dbt.this)
        state = landing.state_of(session, this)
        sample_rows = session.sql(root_check.sample_rows_query(this)).fetchall()[0][0]
        user_roots = [row[0] for row in session.sql(root_check.user_roots_query(this)).fetchall()]
    roots = root_check.landing_roots(SOURCE, meta.get("given_roots"), sample_rows, user_roots)
    return landing.landing_reader(SOURCE, roots, state, load_id=load_id, loaded_at=loaded_at)
