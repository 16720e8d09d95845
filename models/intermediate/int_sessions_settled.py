"""Settle status of every session (thin wrapper over agent_threads.settle)."""

from agent_threads import settle
from agent_threads.contract import DEFAULT_SETTLE_AFTER_MINUTES


def model(dbt, session):
    meta = dbt.config.get("meta") or {}
    as_of = settle.parse_as_of(meta.get("as_of"))
    return settle.engine(session).settle(
        session,
        revisions=dbt.ref("int_session_revisions"),
        as_of=as_of,
        settle_after_minutes=float(
            meta.get("settle_after_minutes") or DEFAULT_SETTLE_AFTER_MINUTES
        ),
    )
