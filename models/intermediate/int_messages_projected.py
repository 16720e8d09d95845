"""Projected messages of every session, active ones included (thin wrapper).

Incremental by session: a run re-projects exactly the sessions whose landed lines
changed (their revision), replacing each one's rows whole.
"""

from agent_threads import projection


def model(dbt, session):
    dbt.config(
        materialized="incremental",
        unique_key="session_id",
        incremental_strategy="delete+insert",
        on_schema_change="fail",
    )
    # on Spark (dbt-databricks) the same projection runs through mapInArrow
    return projection.engine(session).project_changed_sessions(
        session,
        revisions=dbt.ref("int_session_revisions"),
        claude_lines=dbt.ref("stg_claude_code__lines"),
        codex_lines=dbt.ref("stg_codex__lines"),
        copy_owners=dbt.ref("int_claude_code__copy_owners"),
        fork_baselines=dbt.ref("int_codex__fork_baselines"),
        previous=str(dbt.this) if dbt.is_incremental else None,
        # sources projected in SQL: rows of the messages schema already
        sql_projected=[dbt.ref("int_copilot_cli__messages"), dbt.ref("int_gemini_cli__messages")],
    )
