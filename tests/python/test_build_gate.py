"""The build gate: a plain `make build` with nothing to do skips dbt, and only then.

Real `make build` runs (the README's command) on a copy of one sample project: the first
builds, a repeat says "nothing to do" without starting dbt, and each kind of change makes
the next one build again.
"""

from __future__ import annotations

import json
import shutil
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pytest
from support.dbt_project import REPO, DbtHome
from support.make_project import MakeHome

from agent_threads import build, build_gate

SAMPLE_PROJECT = REPO / "sample_logs" / "claude" / "projects" / "-home-dev-webshop"
NOTHING_TO_DO = "agent_threads build: nothing to do"
DBT_STARTED = "Running with dbt="


class GateHome(MakeHome):
    """A copy of one sample project as the user's only Claude Code root."""

    def __init__(self, base: Path) -> None:
        self.claude_root = base / "claude"
        shutil.copytree(SAMPLE_PROJECT, self.claude_root / SAMPLE_PROJECT.name)
        super().__init__(base, CLAUDE_ROOTS=str(self.claude_root))

    def make_build(self, *make_args: str) -> str:
        return self.make("build", *make_args).output

    def messages(self) -> int:
        return self.scalar("select count(*) from messages")


@pytest.fixture
def make_home(tmp_path: Path) -> GateHome:
    return GateHome(tmp_path)


@pytest.mark.slow
def test_make_build_skips_dbt_only_when_nothing_changed(make_home: GateHome) -> None:
    first = make_home.make_build()
    assert DBT_STARTED in first and "no database yet" in first
    published = make_home.messages()
    assert published > 0

    repeat = make_home.make_build()
    assert NOTHING_TO_DO in repeat and DBT_STARTED not in repeat

    # new bytes in a log: builds, and the new line is published
    transcript = sorted(make_home.claude_root.rglob("e421f76f-*.jsonl"))[0]
    last = json.loads(transcript.read_text().splitlines()[-1])
    new_line = {
        **last,
        "type": "user",
        "uuid": "11111111-2222-4333-8444-555555555555",
        "parentUuid": last.get("uuid"),
        "message": {"role": "user", "content": "one more question"},
    }
    new_line.pop("requestId", None)
    with transcript.open("a") as handle:
        handle.write(json.dumps(new_line) + "\n")
    grown = make_home.make_build()
    assert "files with new bytes" in grown and DBT_STARTED in grown
    assert make_home.messages() == published + 1
    assert NOTHING_TO_DO in make_home.make_build()

    # the export deleted: builds (and writes it again)
    shutil.rmtree(make_home.dataset_dir)
    rebuilt = make_home.make_build()
    assert "no dataset manifest" in rebuilt and DBT_STARTED in rebuilt
    assert (make_home.dataset_dir / "manifest.json").exists()

    # another environment (a root added): builds
    make_home.env["CODEX_ROOTS"] = str(REPO / "sample_logs" / "codex")
    assert "environment changed" in make_home.make_build()
    assert NOTHING_TO_DO in make_home.make_build()

    # any DBT_ARGS: always the whole graph
    forced = make_home.make_build("DBT_ARGS=--select stg_model_prices")
    assert DBT_STARTED in forced and NOTHING_TO_DO not in forced


def test_a_session_due_to_settle_is_work(tmp_path: Path, monkeypatch) -> None:
    # built as of a time when the sample's latest session was still active
    home = DbtHome(tmp_path, as_of="2026-09-02T08:00:00+00:00")
    home.build()
    active = home.query(
        "select count(*), max(settles_at) from intermediate.int_sessions_settled"
        " where settle_status = 'active'"
    )[0]
    assert active[0] > 0
    for key, value in home.env().items():
        monkeypatch.setenv(key, value)
    monkeypatch.delenv("CLAUDE_ROOTS", raising=False)
    monkeypatch.delenv("CODEX_ROOTS", raising=False)
    fingerprint = build_gate.project_fingerprint()
    build_gate.record_build(home.db_path, fingerprint)
    before = active[1].astimezone(UTC).replace(microsecond=0)
    assert build_gate.pending_work(home.db_path, fingerprint, now=before.replace(year=2000)) == []
    reasons = build_gate.pending_work(home.db_path, fingerprint, now=datetime.now(UTC))
    assert any("reached their settle time" in reason for reason in reasons), reasons
    assert "changed" in build_gate.pending_work(home.db_path, "another project")[0]


def _append_user_line(transcript: Path, uuid: str, text: str) -> None:
    last = json.loads(transcript.read_text().splitlines()[-1])
    line = {
        **last,
        "type": "user",
        "uuid": uuid,
        "parentUuid": last.get("uuid"),
        "message": {"role": "user", "content": text},
    }
    line.pop("requestId", None)
    with transcript.open("a") as handle:
        handle.write(json.dumps(line) + "\n")


@pytest.mark.slow
def test_a_plain_build_tests_the_rows_it_wrote(make_home: GateHome) -> None:
    """A plain build's data tests read the sessions it wrote; any other run reads all."""
    make_home.make_build()
    assert make_home.scalar(f"select count(*) from {build_gate.KEPT_SESSION_STATES}") > 0
    untouched = "7392be67-47b0-488f-a626-d681d94a664a"
    # a duplicate message in a session no later build writes
    with duckdb.connect(str(make_home.db_path)) as con:
        con.execute(
            "insert into main.messages select * from main.messages"
            f" where session_id = '{untouched}' limit 1"
        )
    transcript = sorted(make_home.claude_root.rglob("e421f76f-*.jsonl"))[0]
    _append_user_line(transcript, "11111111-2222-4333-8444-666666666666", "and one more")

    plain = make_home.make("build")
    assert plain.returncode == 0, plain.output[-3000:]
    assert "PASS unique_messages_v6_message_id" in plain.output
    assert (
        make_home.scalar(
            f"select count(*) from {build_gate.KEPT_SESSION_STATES}"
            f" where session_id = '{transcript.stem}'"
        )
        == 1
    )

    every_row = make_home.make("build", "DBT_ARGS=--select messages", check=False)
    assert every_row.returncode != 0
    assert "FAIL 1 unique_messages_v6_message_id" in every_row.output


@pytest.mark.parametrize(
    ("new_bytes", "largest", "limit"),
    [
        (None, 0, None),  # unknown: the macro's default (3GB)
        (2 * 2**20, 2**20, "512MB"),  # one new session
        (60 * 2**20, 2**20, "512MB"),
        (30 * 2**20, 2 * 2**20, "1GB"),  # a 2 MB line may need 120 MB
        (500 * 2**20, 10 * 2**20, "1GB"),
        (2**31, 2**20, None),  # past the last tier
        (20 * 2**20, 20 * 2**20, None),  # a 20 MB file: its line may need 1.2 GB
    ],
)
def test_a_plain_build_s_memory_limit_follows_what_it_lands(new_bytes, largest, limit) -> None:
    expected = {} if limit is None else {build.RUN_MEMORY_LIMIT_ENV: limit}
    assert build.run_memory_limit(new_bytes, largest) == expected
