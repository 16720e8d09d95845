"""The life of a file (issue #15): each way a file changes in real life, as a named test.

Real fixture files (../shared/fixtures/real, skipped when absent) are copied, changed the
way files change, and built after each step with real `dbt build` runs; the result is
compared with a from-scratch build on the final files (plus, where a file was deleted,
its last version). The pure rules live in agent_threads.landing.file_life (docs/file_life.md).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import time
from pathlib import Path

import duckdb
import pyarrow as pa
import pytest
from support import unreadable
from support.dbt_project import DbtHome, replaced_environ
from support.real_fixtures import REAL_CLAUDE, REAL_CODEX
from test_published_dataset import COMPARED_TABLES, rows
from test_reliability import assert_same_as, dataset_rows, sigkill, start_build

from agent_threads import build_gate
from agent_threads.landing import file_life
from agent_threads.landing import files as landing
from agent_threads.landing.duckdb import state_of

pytestmark = pytest.mark.dbt

CLAUDE_125K = (
    REAL_CLAUDE
    / "d-kimuson__claude-code-viewer"
    / "sample-project"
    / "5c0375b4-57a5-4f26-b12d-d022ee4e51b7.jsonl"
)
CLAUDE_SESSION = CLAUDE_125K.stem
CODEX_279 = (
    REAL_CODEX
    / "AcidicSoil__codex-session-view"
    / ".sample_session"
    / "rollout-2025-11-17T15-30-28-019a93b9-f380-7600-98ff-940e6b99603c.jsonl"
)
CODEX_DAY = Path("2025") / "11" / "17"


def need(*fixtures: Path) -> None:
    for fixture in fixtures:
        if not fixture.is_file():
            pytest.skip(f"real fixture not found: {fixture}")


class Lab:
    """A Claude Code root and a Codex home in tmp, a deployment on them, and the gate."""

    def __init__(self, base: Path, **kwargs) -> None:
        self.base = base
        self.claude = base / "in" / "claude" / "projects"
        self.codex = base / "in" / "codex"
        self.claude.mkdir(parents=True)
        (self.codex / "sessions").mkdir(parents=True)
        self.home = DbtHome(
            base / "home", claude_roots=[self.claude], codex_roots=[self.codex], **kwargs
        )

    def project(self, name: str = "-home-dev-demo") -> Path:
        folder = self.claude / name
        folder.mkdir(parents=True, exist_ok=True)
        return folder

    def codex_day(self, kind: str = "sessions") -> Path:
        day = self.codex / kind / CODEX_DAY
        day.mkdir(parents=True, exist_ok=True)
        return day

    def build(self, *args: str) -> str:
        output = self.home.build(*args).output
        with self.env():
            build_gate.record_build(self.home.db_path, build_gate.project_fingerprint())
        return output

    def env(self):
        return replaced_environ(self.home.env())

    def gate(self) -> list[str]:
        """What a plain `make build` would say: the reasons to build (empty: nothing to do)."""
        with self.env():
            return build_gate.pending_work(self.home.db_path, build_gate.project_fingerprint())

    def clean(self, name: str = "clean", claude=None, codex=None) -> DbtHome:
        """A from-scratch build on the files now on disk (or on the roots given)."""
        clean = DbtHome(
            self.base / name,
            claude_roots=claude or [self.claude],
            codex_roots=codex or [self.codex],
            extra_env=self.home.extra_env,
        )
        clean.build()
        return clean

    def scalar(self, sql: str):
        return self.home.scalar(sql)


def lines_of(path: Path) -> list[bytes]:
    return path.read_bytes().splitlines(keepends=True)


@pytest.mark.slow
def test_a_codex_rollout_that_grows_then_is_archived_keeps_its_new_lines(tmp_path: Path) -> None:
    need(CODEX_279)
    lab = Lab(tmp_path)
    lines = lines_of(CODEX_279)
    assert len(lines) == 279
    live = lab.codex_day() / CODEX_279.name
    live.write_bytes(b"".join(lines[:240]))
    lab.build()
    before = lab.scalar("select count(*) from messages")

    with live.open("ab") as handle:  # the session goes on
        handle.write(b"".join(lines[240:]))
    archived = lab.codex_day("archived_sessions") / CODEX_279.name
    shutil.move(live, archived)  # what Codex's archive does
    lab.build()

    clean = lab.clean()
    assert clean.scalar("select count(*) from messages") > before
    assert_same_as(lab.home, clean)
    assert lab.scalar("select count(distinct source_file) from messages") == 1
    assert "/archived_sessions/" in lab.scalar("select any_value(source_file) from messages")
    lab.build("--full-refresh")
    assert_same_as(lab.home, clean)


def test_a_truncated_transcript_is_republished_and_never_wedges(tmp_path: Path) -> None:
    need(CLAUDE_125K)
    lab = Lab(tmp_path)
    transcript = lab.project() / CLAUDE_125K.name
    shutil.copyfile(CLAUDE_125K, transcript)
    assert transcript.stat().st_size > 120_000
    lab.build()

    transcript.write_bytes(b"".join(lines_of(CLAUDE_125K)[:-3]))  # the last 3 lines dropped
    lab.build()  # the landing cache's tests pass: no duplicate lines
    clean = lab.clean()
    assert_same_as(lab.home, clean)
    assert lab.gate() == []
    lab.build()  # and again: never wedged
    lab.build("--full-refresh")
    assert_same_as(lab.home, clean)
    events = lab.home.query(
        "select file_event, count(*) from landing.land_claude_code__lines group by 1 order by 1"
    )
    assert dict(events) == {"new": 53, "truncated": 50}  # the old version stays as history


@pytest.mark.slow
def test_a_rewrite_that_keeps_the_size_is_seen(tmp_path: Path) -> None:
    need(CLAUDE_125K)
    lab = Lab(tmp_path)
    transcript = lab.project() / CLAUDE_125K.name
    shutil.copyfile(CLAUDE_125K, transcript)
    lab.build()
    assert lab.gate() == []

    data = transcript.read_bytes()
    early = data.index(b"CLAUDE.md")  # in the first prompt, line 1
    edited = data[:early] + b"CLAUDE.me" + data[early + len(b"CLAUDE.md") :]
    assert len(edited) == len(data)
    transcript.write_bytes(edited)
    assert any("new bytes" in reason for reason in lab.gate())
    lab.build()
    assert_same_as(lab.home, lab.clean())
    assert lab.scalar("select count(*) from messages where text like '%CLAUDE.me%'") == 1


@pytest.mark.slow
def test_a_shorter_republished_session_leaves_no_rows_behind(tmp_path: Path) -> None:
    need(CLAUDE_125K)
    lab = Lab(tmp_path)
    transcript = lab.project() / CLAUDE_125K.name
    shutil.copyfile(CLAUDE_125K, transcript)
    lab.build()
    assert lab.scalar("select count(*) from tool_calls") > 0
    assert lab.scalar("select count(*) from turns") > 0

    transcript.write_bytes(b"".join(lines_of(CLAUDE_125K)[:2]))  # before any tool call
    lab.build()
    clean = lab.clean()
    assert clean.scalar("select count(*) from tool_calls") == 0
    assert_same_as(lab.home, clean)
    orphans = lab.scalar(
        "select count(*) from tool_calls where message_id not in (select message_id from messages)"
    )
    assert orphans == 0
    assert lab.gate() == []

    transcript.write_bytes(b"")  # nothing left of the session at all
    lab.build()
    for table in ("messages", "tool_calls", "turns", "threads", "sessions"):
        assert lab.scalar(f"select count(*) from {table}") == 0, table
    assert not list((lab.home.dataset_dir / "v6").rglob("*.parquet"))
    assert lab.gate() == []


@pytest.mark.slow
def test_a_killed_build_is_followed_by_one_that_catches_up(tmp_path: Path) -> None:
    need(CLAUDE_125K)
    lab = Lab(tmp_path)
    transcript = lab.project() / CLAUDE_125K.name
    lines = lines_of(CLAUDE_125K)
    transcript.write_bytes(b"".join(lines[:40]))
    lab.build()

    with transcript.open("ab") as handle:
        handle.write(b"".join(lines[40:]))
    proc = start_build(lab.home)
    wait_for_model_done(lab.home, "landing.land_codex__lines", proc)
    sigkill(proc)  # killed right after landing
    landed = lab.scalar("select max(source_line) from landing.land_claude_code__lines")
    assert landed == len(lines)  # the landing committed, the rest did not run
    reasons = lab.gate()
    assert any("landed after the last successful build" in reason for reason in reasons)
    lab.build()
    assert lab.gate() == []
    assert_same_as(lab.home, lab.clean())


def wait_for_model_done(home: DbtHome, model: str, proc: subprocess.Popen) -> None:
    log = home.base / "logs" / "dbt.log"
    start = log.stat().st_size if log.exists() else 0
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        if log.exists():
            with open(log, errors="replace") as handle:
                handle.seek(start)
                text = handle.read()
            if f"OK created python incremental model {model}" in text:
                return
        assert proc.poll() is None, "the build ended before it could be killed"
        time.sleep(0.05)
    raise AssertionError(f"{model} never finished")


@pytest.mark.slow
def test_an_empty_file_or_a_garbage_tail_is_read_once(tmp_path: Path) -> None:
    need(CLAUDE_125K)
    lab = Lab(tmp_path)
    folder = lab.project()
    shutil.copyfile(CLAUDE_125K, folder / CLAUDE_125K.name)
    (folder / "00000000-0000-4000-8000-000000000000.jsonl").write_bytes(b"")
    garbage = folder / "00000000-0000-4000-8000-000000000001.jsonl"
    garbage.write_bytes(b"".join(lines_of(CLAUDE_125K)[:3]) + b'{"type":"user","mess\x00\xff')
    lab.build()
    assert lab.gate() == []  # not "new bytes" on every run
    again = lab.build()
    assert "claude_code: 3 files seen, 0 read" in again

    (folder / "00000000-0000-4000-8000-000000000000.jsonl").write_bytes(
        lines_of(CLAUDE_125K)[0]
    )  # the empty file gets its first line: read again, landed
    assert any("new bytes" in reason for reason in lab.gate())
    lab.build()
    assert lab.gate() == []
    assert_same_as(lab.home, lab.clean())


@pytest.mark.slow
def test_unreadable_paths_are_warned_once_and_the_rest_builds(tmp_path: Path) -> None:
    need(CLAUDE_125K, CODEX_279)
    lab = Lab(tmp_path)
    readable = lab.project("-home-dev-ok")
    shutil.copyfile(CLAUDE_125K, readable / CLAUDE_125K.name)
    closed_folder = lab.project("-home-dev-closed")
    other = sorted(CLAUDE_125K.parent.glob("*.jsonl"))
    shutil.copyfile(other[0], closed_folder / other[0].name)
    closed_file = readable / other[2].name
    shutil.copyfile(other[2], closed_file)
    shutil.copyfile(CODEX_279, lab.codex_day() / CODEX_279.name)
    closed = [closed_folder, closed_file, lab.codex]
    unreadable.make_unreadable(closed)
    lab.home.extra_env = unreadable.shim_env({}, closed)
    try:
        output = lab.build()
        for path in (closed_folder, closed_file):
            assert output.count(f"cannot read {path}") == 1, path  # said once
        assert "(0 rewritten, 0 moved, 0 deleted, 2 unreadable)" in output  # folder + file
        warnings = [line for line in output.splitlines() if "warning" in line]
        assert any(str(lab.codex) in line for line in warnings)  # the Codex root, named
        published = lab.home.query("select distinct session_id from messages")
        assert published == [(CLAUDE_SESSION,)]  # the readable data builds
        with unreadable_in_process(closed):
            assert lab.gate() == []  # still unreadable: nothing new to do
    finally:
        unreadable.make_readable(closed)
    lab.home.extra_env = {}
    assert lab.gate() != []  # readable again: the gate retries them
    lab.build()
    assert lab.gate() == []
    assert_same_as(lab.home, lab.clean())


@contextlib.contextmanager
def unreadable_in_process(paths: list[Path]):
    import builtins

    saved = (os.scandir, os.stat, builtins.open)
    unreadable.install([str(p) for p in paths])
    try:
        yield
    finally:
        os.scandir, os.stat, builtins.open = saved


def test_a_transcript_moved_to_another_project_is_one_file(tmp_path: Path) -> None:
    need(CLAUDE_125K)
    lab = Lab(tmp_path)
    old = lab.project("-home-dev-old") / CLAUDE_125K.name
    shutil.copyfile(CLAUDE_125K, old)
    lab.build()
    new = lab.project("-home-dev-new") / CLAUDE_125K.name
    shutil.move(old, new)
    lab.build()
    assert lab.home.query("select distinct source_file from messages") == [(str(new),)]
    assert lab.scalar("select staged_lines from sessions") == lab.clean().scalar(
        "select staged_lines from sessions"
    )
    assert_same_as(lab.home, lab.clean("clean2"))
    assert lab.gate() == []


@pytest.mark.slow
def test_a_deleted_file_keeps_its_last_version_published(tmp_path: Path) -> None:
    need(CLAUDE_125K, CODEX_279)
    lab = Lab(tmp_path)
    transcript = lab.project() / CLAUDE_125K.name
    shutil.copyfile(CLAUDE_125K, transcript)
    rollout = lab.codex_day() / CODEX_279.name
    shutil.copyfile(CODEX_279, rollout)
    kept = sorted(CLAUDE_125K.parent.glob("*.jsonl"))[0]  # a log stays: the roots hold one
    shutil.copyfile(kept, lab.project("-home-dev-kept") / kept.name)
    lab.build()
    before = {table: rows(lab.home, table) for table in COMPARED_TABLES}
    parquet = dataset_rows(lab.home)
    transcript.unlink()
    rollout.unlink()
    assert any("gone from disk" in reason for reason in lab.gate())
    lab.build()
    assert lab.gate() == []
    lab.build("--full-refresh")
    assert {table: rows(lab.home, table) for table in COMPARED_TABLES} == before
    assert dataset_rows(lab.home) == parquet


# ---------------------------------------------------------------------------------------------
# the one rule, in SQL and in Python: the macro and the landing's state agree


@pytest.mark.slow
def test_the_macro_and_the_landing_agree_on_the_current_version(tmp_path: Path) -> None:
    need(CLAUDE_125K)
    lab = Lab(tmp_path)
    transcript = lab.project() / CLAUDE_125K.name
    lines = lines_of(CLAUDE_125K)
    transcript.write_bytes(b"".join(lines[:30]))
    lab.build()
    transcript.write_bytes(b"".join(lines[:20]))  # truncated: a new version
    lab.build()
    with transcript.open("ab") as handle:
        handle.write(b"".join(lines[20:25]))  # appended to it
    lab.build()
    moved = lab.project("-home-dev-moved") / CLAUDE_125K.name
    shutil.move(transcript, moved)
    lab.build()
    with duckdb.connect(str(lab.home.db_path), read_only=True) as con:
        state = file_life.state_from_table(state_of(con, "landing.land_claude_code__lines"))
        staged = con.sql(
            "select source_file, file_fingerprint, max(source_line), bool_and(is_file_on_disk) "
            "from staging.base_claude_code__lines group by all"
        ).fetchall()
    assert len(staged) == 1
    path, version, last_line, on_disk = staged[0]
    known = state[path]
    assert (path, version, last_line, on_disk) == (str(moved), known.fingerprint, 25, True)
    assert known.landed_lines == 25 and not known.is_gone
    assert state[str(transcript)].last_event == file_life.MOVED_AWAY


def test_landing_state_reads_a_cache_landed_before_file_life() -> None:
    """A landing table without the file-life columns (an existing database) still reads."""
    con = duckdb.connect()
    old = pa.table(
        {
            "source_root": ["/r"],
            "source_file": ["/r/a.jsonl"],
            "file_fingerprint": ["8:0123456789abcdef"],
            "source_line": [1],
            "byte_offset": [0],
            "next_offset": [8],
            "loaded_at": pa.array([0], pa.timestamp("us", tz="UTC")),
        }
    )
    con.register("old_cache", old)
    state = file_life.state_from_table(state_of(con, "old_cache"))
    known = state["/r/a.jsonl"]
    assert (known.landed_bytes, known.landed_lines, known.file_id) == (8, 1, "/r/a.jsonl")
    assert known.stamp is None and known.landed_hash is None  # read once, then stamped
    assert file_life.needs_read(file_life.Stamp(8, 1, 1), known)


@pytest.mark.slow
def test_a_cache_landed_before_file_life_migrates_itself(tmp_path: Path) -> None:
    """An existing database: its landing cache gains the columns and keeps every row."""
    need(CLAUDE_125K)
    lab = Lab(tmp_path)
    transcript = lab.project() / CLAUDE_125K.name
    lines = lines_of(CLAUDE_125K)
    transcript.write_bytes(b"".join(lines[:30]))
    lab.build()
    with duckdb.connect(str(lab.home.db_path)) as con:  # what the previous release left
        for table in ("landing.land_claude_code__lines", "landing.land_codex__lines"):
            con.execute(f"delete from {table} where source_line = 0")
            for column in file_life.LIFE_COLUMNS:
                con.execute(f"alter table {table} drop column {column}")
            con.execute(
                f"update {table} set file_fingerprint = split_part(file_fingerprint, '@', 1)"
            )
    landed = lab.scalar("select count(*) from landing.land_claude_code__lines")
    with transcript.open("ab") as handle:
        handle.write(b"".join(lines[30:]))
    lab.build("--full-refresh")
    landed_lines = "select count(*) from landing.land_claude_code__lines"
    assert lab.scalar(f"{landed_lines} where file_id is null") == (
        landed
    )  # kept, the new columns null
    assert lab.scalar("select max(source_line) from landing.land_claude_code__lines") == len(lines)
    assert lab.scalar(f"{landed_lines} where source_line > 30") == (
        len(lines) - 30
    )  # the old lines are not landed again: an append
    assert_same_as(lab.home, lab.clean())
    lab.build()
    assert lab.gate() == []


@pytest.mark.slow
def test_full_refresh_unwedges_a_cache_an_older_release_wedged(tmp_path: Path) -> None:
    """From any state: the landing cache an older release left after case 2 (the lines of a
    truncated file landed again under the same head fingerprint, duplicates that failed the
    uniqueness test on every run) is rebuilt into what a clean build holds."""
    need(CLAUDE_125K)
    lab = Lab(tmp_path)
    transcript = lab.project() / CLAUDE_125K.name
    shutil.copyfile(CLAUDE_125K, transcript)
    lab.build()
    with duckdb.connect(str(lab.home.db_path)) as con:
        for table in ("landing.land_claude_code__lines", "landing.land_codex__lines"):
            con.execute(f"delete from {table} where source_line = 0")
            for column in file_life.LIFE_COLUMNS:
                con.execute(f"alter table {table} drop column {column}")
            con.execute(
                f"update {table} set file_fingerprint = split_part(file_fingerprint, '@', 1),"
                " loaded_at = loaded_at - interval 3 hour"  # landed hours ago
            )
        for run in (1, 2):  # two wedged runs: the truncated file landed again each time
            con.execute(
                "insert into landing.land_claude_code__lines select * replace ("
                f"loaded_at + interval {run} hour as loaded_at, 'wedged-{run}' as load_id)"
                " from landing.land_claude_code__lines where load_id not like 'wedged%'"
                " and source_line <= 50"
            )
    transcript.write_bytes(b"".join(lines_of(CLAUDE_125K)[:-3]))
    lab.build("--full-refresh")
    assert_same_as(lab.home, lab.clean())
    lab.build()
    assert lab.gate() == []


# ---------------------------------------------------------------------------------------------
# the events, without dbt: the landing reader over files changed in place


class Landed:
    """Landing runs over one root, each later than the one before (as real runs are)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.table = pa.Table.from_batches([], schema=landing.LANDED_SCHEMA)
        self.runs = 0

    def run(self) -> list[tuple[str, str, int]]:
        """One run: (file name, event, lines) per file it landed anything for."""
        from datetime import UTC, datetime, timedelta

        self.runs += 1
        state = None
        if self.table.num_rows:
            con = duckdb.connect()
            con.register("landed", self.table)
            state = state_of(con, "landed")
        new = landing.landing_reader(
            "claude_code",
            [self.root],
            state,
            f"load-{self.runs}",
            datetime(2026, 1, 1, tzinfo=UTC) + timedelta(minutes=self.runs),
        ).read_all()
        self.table = pa.concat_tables([self.table, new])
        seen: dict[tuple[str, str], int] = {}
        for row in new.to_pylist():
            key = (Path(row["source_file"]).parent.name, row["file_event"])
            seen[key] = seen.get(key, 0) + (row["source_line"] > 0)
        return sorted((folder, event, n) for (folder, event), n in seen.items())

    def file_ids(self) -> dict[str, str]:
        con = duckdb.connect()
        con.register("landed", self.table)
        state = file_life.state_from_table(state_of(con, "landed"))
        return {Path(p).parent.name: k.file_id for p, k in state.items() if not k.is_gone}


def test_each_event_is_recognized_once(tmp_path: Path) -> None:
    two = b'{"a":1}\n{"b":2}\n'
    lab = Landed(tmp_path)
    first = tmp_path / "a" / "s.jsonl"
    first.parent.mkdir()
    first.write_bytes(two)
    assert lab.run() == [("a", "new", 2)]
    assert lab.run() == []  # unchanged: not opened
    first.write_bytes(two + b'{"c":3}\n')
    assert lab.run() == [("a", "appended", 1)]
    first.write_bytes(b'{"A":1}\n{"b":2}\n{"c":3}\n')  # the same size, one byte changed
    assert lab.run() == [("a", "rewritten", 3)]
    first.write_bytes(b'{"A":1}\n')
    assert lab.run() == [("a", "truncated", 1)]
    first.write_bytes(b'{"A":1}\n{"half')  # a garbage tail: read once
    assert lab.run() == [("a", "unchanged", 0)]
    assert lab.run() == []
    (tmp_path / "b").mkdir()
    shutil.copyfile(first, tmp_path / "b" / "s.jsonl")  # a copy beside its original
    assert lab.run() == [("b", "new", 1)]
    (tmp_path / "c").mkdir()
    shutil.move(first, tmp_path / "c" / "s.jsonl")  # moved: the same file
    assert lab.run() == [("a", "moved_away", 0), ("c", "moved", 1)]
    ids = lab.file_ids()
    assert ids["c"] == str(first) and ids["b"] != ids["c"]
    (tmp_path / "c" / "s.jsonl").unlink()
    assert lab.run() == [("c", "deleted", 0)]
    assert lab.run() == []
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "s.jsonl").write_bytes(b'{"A":1}\n{"more":1}\n')  # back, elsewhere
    assert lab.run() == [("c", "moved_away", 0), ("d", "moved", 2)]
    (tmp_path / "e").mkdir()
    (tmp_path / "e" / "s.jsonl").write_bytes(b'{"A":1}\n')  # claims nothing twice
    assert lab.run() == [("e", "new", 1)]
    assert len(set(lab.file_ids().values())) == 3  # b, d, e: three files
    (tmp_path / "f").mkdir()
    (tmp_path / "f" / "empty.jsonl").write_bytes(b"")
    assert lab.run() == [("f", "new", 0)]
    assert lab.run() == []  # a 0-byte file is read once
