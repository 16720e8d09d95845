"""Settle status of every session (thin wrapper over agent_threads.settle)."""

from datetime import UTC, datetime

from agent_threads import pipeline, spark


def model(dbt, session):
    meta = dbt.config.get("meta") or {}
    as_of_text = meta.get("as_of") or ""
    as_of = datetime.fromisoformat(as_of_text) if as_of_text else datetime.now(UTC)
    if as_of.tzinfo is None:
        as_of = as_of.replace(tzinfo=UTC)
    branch = spark if spark.is_spark_session(session) else pipeline
    return branch.settle(
        session,
        revisions=dbt.ref("int_session_revisions"),
        as_of=as_of,
        settle_after_minutes=float(meta.get("settle_after_minutes") or 60),
    )
