"""Settle: the pure rule, and what a real build publishes for active and settled sessions."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pyarrow as pa
import pytest
from support.dbt_project import DbtHome

from agent_threads.settle import settle_sessions

AS_OF = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)
TS = pa.timestamp("us", tz="UTC")


def activity(*rows: tuple[str, datetime | None, datetime]) -> pa.Table:
    ids, events, loads = zip(*rows, strict=True)
    return pa.table(
        {
            "session_id": list(ids),
            "last_event_at": pa.array(events, TS),
            "last_loaded_at": pa.array(loads, TS),
        }
    )


def test_settled_once_last_activity_is_old_enough() -> None:
    table = activity(
        ("old", AS_OF - timedelta(minutes=61), AS_OF),
        ("exactly", AS_OF - timedelta(minutes=60), AS_OF),
        ("recent", AS_OF - timedelta(minutes=59), AS_OF),
    )
    got = settle_sessions(table, AS_OF, 60).to_pylist()
    assert [r["settle_status"] for r in got] == ["settled", "settled", "active"]


def test_no_timestamps_count_the_landing_time_and_future_is_kept() -> None:
    table = activity(
        ("untimed-old", None, AS_OF - timedelta(hours=2)),
        ("untimed-new", None, AS_OF - timedelta(minutes=5)),
        ("future", AS_OF + timedelta(days=1), AS_OF),
    )
    got = {r["session_id"]: r for r in settle_sessions(table, AS_OF, 60).to_pylist()}
    assert got["untimed-old"]["settle_status"] == "settled"
    assert got["untimed-new"]["settle_status"] == "active"
    assert got["future"]["settle_status"] == "active"
    assert got["future"]["has_future_activity"] is True
    assert got["untimed-old"]["last_activity_at"] == AS_OF - timedelta(hours=2)


def test_as_of_must_be_aware() -> None:
    with pytest.raises(ValueError):
        settle_sessions(activity(("s", None, AS_OF)), datetime(2026, 11, 1), 60)


@pytest.mark.slow
def test_active_sessions_are_listed_but_not_published(tmp_path) -> None:
    """With as_of just after the latest priced sample session ends, it is active."""
    home = DbtHome(tmp_path)
    home.build()
    session, last = home.query(
        "select session_id, last_activity_at from sessions where cost_usd > 0"
        " order by last_activity_at desc limit 1"
    )[0]
    totals_sql = (
        "select t.input_tokens, t.output_tokens, t.cost_usd, s.settle_status"
        " from {table} as t inner join sessions as s on t.session_id = s.session_id"
        f" where t.session_id = '{session}' order by all"
    )
    settled_totals = {t: home.query(totals_sql.format(table=t)) for t in ("sessions", "threads")}
    home.as_of = (last + timedelta(minutes=10)).isoformat()
    home.build("--full-refresh")
    statuses = dict(home.query("select session_id, settle_status from sessions"))
    assert statuses[session] == "active"
    # an active session keeps showing its tokens and cost so far, marked by settle_status
    for table, rows in settled_totals.items():
        assert all(cost > 0 for _, _, cost, _ in rows), table
        active_rows = [(*row[:3], "active") for row in rows]
        assert home.query(totals_sql.format(table=table)) == active_rows, table
    # it, and any later session (the samples' latest logs no usage) within the settle window
    later = home.scalar(
        f"select count(*) from sessions where last_activity_at > '{last.isoformat()}'"
    )
    assert sum(1 for s in statuses.values() if s == "active") == 1 + later
    assert home.scalar(f"select count(*) from messages where session_id = '{session}'") == 0
    assert home.scalar(f"select count(*) from tool_calls where session_id = '{session}'") == 0
    assert home.scalar(f"select count(*) from threads where session_id = '{session}'") > 0
    assert not (home.dataset_dir / "v6" / f"session_id={session}").exists()
    # once it settles, the next run publishes it although no new line landed
    home.as_of = (last + timedelta(minutes=61)).isoformat()
    home.build()
    assert home.scalar(f"select count(*) from messages where session_id = '{session}'") > 0
    assert (home.dataset_dir / "v6" / f"session_id={session}").exists()
