"""The Parquet export of messages v6, run by `dbt build` itself (thin wrapper).

Its table logs, per published session, which revision was written where; the next run
writes exactly the sessions whose published revision differs (or that a killed run did
not finish).
"""

from agent_threads import paths, pipeline


def model(dbt, session):
    dbt.config(
        materialized="incremental",
        unique_key="session_id",
        incremental_strategy="delete+insert",
        on_schema_change="fail",
    )
    meta = dbt.config.get("meta") or {}
    return pipeline.export_dataset(
        session,
        messages=dbt.ref("messages", v=6),
        previous=str(dbt.this) if dbt.is_incremental else None,
        dataset_dir=str(paths.dataset_dir()),
        layout=meta.get("dataset_layout") or "session",
        buckets=int(meta.get("dataset_buckets") or 64),
        as_of=pipeline.run_as_of(dbt.ref("int_sessions_settled")),
    )
