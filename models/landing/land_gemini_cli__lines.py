"""Raw landing cache for Gemini CLI files: every complete raw line ever seen.

The body is agent_threads.landing.land, shared by every source's landing model.
"""

from agent_threads import landing


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
    return landing.land(dbt, session, "gemini_cli")
