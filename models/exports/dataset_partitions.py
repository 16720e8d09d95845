"""The Parquet export of messages v6, run by `dbt build` itself (thin wrapper).

Its table logs, per published session, which revision was written where and under which
privacy settings; the next run writes exactly the sessions whose published revision
differs (or that a killed run did not finish), and every session when the settings
changed. What the files carry (text, tool I/O, secrets, excluded projects) is decided by
`agent_threads.export.privacy` from the `export_*` vars.
"""

from agent_threads import export, paths
from agent_threads.export import privacy
from agent_threads.settle.duckdb import run_as_of


def model(dbt, session):
    dbt.config(
        materialized="incremental",
        unique_key="session_id",
        incremental_strategy="delete+insert",
        # export_settings_id and is_exported came with the privacy settings: a log
        # written before gets them added (and, its settings unknown, a full rewrite)
        on_schema_change="append_new_columns",
    )
    meta = dbt.config.get("meta") or {}
    return export.engine(session).export_dataset(
        session,
        messages=dbt.ref("messages", v=6),
        previous=str(dbt.this) if dbt.is_incremental else None,
        dataset_dir=str(paths.dataset_dir()),
        layout=meta.get("dataset_layout") or "session",
        buckets=int(meta.get("dataset_buckets") or 64),
        as_of=run_as_of(dbt.ref("int_sessions_settled")),
        sessions=dbt.ref("sessions"),
        privacy=privacy.settings_from_config(meta),
    )
