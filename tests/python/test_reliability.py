"""Hard to break: bad input, faults and hostile logs lose nothing and corrupt nothing.

End-to-end through real dbt builds (each costs seconds, so each test groups several cases
into one home). The README's "Reliability" table (RELIABILITY.md) lists every case here
with its outcome. Pure-function properties live in test_properties.py.
"""

from __future__ import annotations

import json
import os
import random
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pyarrow.dataset as ds
import pytest
from support.dbt_project import DBT, REPO, DbtHome
from test_foundation import reconciliation
from test_published_dataset import COMPARED_TABLES, rows, sample_copy

pytestmark = pytest.mark.dbt

HOSTILE_IDS = ("../../etc", "a/b", "", "x" * 10_240)
ID_RE = re.compile(r"[A-Za-z0-9._:-]{1,200}")
T = "2026-05-01T10:00:{:02d}.000Z"

GOOD_SESSION = "11111111-1111-4111-8111-111111111111"
BIG_SESSION = "22222222-2222-4222-8222-222222222222"
COPIED_SESSION = "33333333-3333-4333-8333-333333333333"
HOSTILE_MAIN = "44444444-4444-4444-8444-444444444444"
RENAMED_SESSION = "88888888-8888-4888-8888-888888888888"
CODEX_GOOD = "019e0000-0000-7000-8000-000000000001"


# ---------------------------------------------------------------------------------------------
# line builders (real shapes, made-up ids)


def jl(obj: dict) -> bytes:
    return json.dumps(obj, separators=(",", ":")).encode() + b"\n"


def cc_user(session: str, uuid: str, parent: str | None, text: str, second: int, **kw) -> dict:
    return {
        "parentUuid": parent,
        "isSidechain": False,
        "userType": "external",
        "cwd": "/home/dev/x",
        "sessionId": session,
        "version": "2.1.3",
        "type": "user",
        "message": {"role": "user", "content": text},
        "uuid": uuid,
        "timestamp": T.format(second),
        **kw,
    }


def cc_assistant(
    session: str,
    uuid: str,
    parent: str,
    msg_id: str,
    block: dict,
    second: int,
    usage: dict | None = None,
    **kw,
) -> dict:
    return {
        "parentUuid": parent,
        "isSidechain": False,
        "userType": "external",
        "cwd": "/home/dev/x",
        "sessionId": session,
        "version": "2.1.3",
        "type": "assistant",
        "requestId": f"req_{msg_id}",
        "message": {
            "id": msg_id,
            "type": "message",
            "role": "assistant",
            "model": "claude-opus-4-5",
            "content": [block],
            "stop_reason": None,
            "usage": usage
            or {
                "input_tokens": 3,
                "output_tokens": 10,
                "cache_read_input_tokens": 100,
                "cache_creation_input_tokens": 20,
            },
        },
        "uuid": uuid,
        "timestamp": T.format(second),
        **kw,
    }


def cc_session(session: str, n: int = 1) -> bytes:
    """A small good session: a prompt and a response split over two lines."""
    u = [f"{session[:8]}-0000-4000-8000-{i:012d}" for i in range(3)]
    return (
        jl(cc_user(session, u[0], None, f"please do task {n}", 1))
        + jl(cc_assistant(session, u[1], u[0], f"msg_{n}", {"type": "text", "text": "ok"}, 2))
        + jl(cc_assistant(session, u[2], u[1], f"msg_{n}", {"type": "text", "text": "done"}, 3))
    )


def cx(kind: str, payload: dict, second: int) -> bytes:
    return jl({"timestamp": T.format(second), "type": kind, "payload": payload})


def cx_rollout(thread_id: str, session_id: str | None = None, **meta) -> bytes:
    payload = {"id": thread_id, "timestamp": T.format(0), "cwd": "/x", "cli_version": "0.130.0"}
    if session_id is not None:
        payload["session_id"] = session_id
    payload.update(meta)
    total = {"input_tokens": 50, "cached_input_tokens": 10, "output_tokens": 5}
    return (
        cx("session_meta", payload, 0)
        + cx("turn_context", {"cwd": "/x", "model": "gpt-5"}, 1)
        + cx(
            "response_item",
            {"type": "message", "role": "user", "content": [{"type": "input_text", "text": "hi"}]},
            2,
        )
        + cx(
            "response_item",
            {
                "type": "message",
                "role": "assistant",
                "content": [{"type": "output_text", "text": "hello"}],
            },
            3,
        )
        + cx("event_msg", {"type": "token_count", "info": {"total_token_usage": total}}, 4)
    )


def write(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def dataset_names(home: DbtHome) -> list[str]:
    """Every file and folder name under the home (dataset, database folder, target...)."""
    return [p.name for p in home.base.rglob("*")]


def assert_no_hostile_names(home: DbtHome) -> None:
    root = home.dataset_dir / "v6"
    for part in root.iterdir():
        key, _, value = part.name.partition("=")
        assert key == "session_id" and ID_RE.fullmatch(value), part
        assert sorted(p.name for p in part.iterdir()) == ["part-0.parquet"], part
    assert not (home.dataset_dir / "etc").exists()
    assert not (home.base / "etc").exists()
    assert not any(name == "etc" or "x" * 200 in name for name in dataset_names(home))


# ---------------------------------------------------------------------------------------------
# bad input: one home, one corpus of every bad shape, then the append / delete faults


def bad_corpus(base: Path) -> dict:
    """Write the bad-input corpus; return named paths the test needs."""
    machine_a = base / "machine-a" / "projects" / "-home-dev-x"
    machine_b = base / "machine-b" / "projects" / "-home-dev-x"
    codex = base / "codex" / "sessions" / "2026" / "05" / "01"
    paths: dict = {}

    # one good session whose file holds every kind of bad line between good ones
    s = GOOD_SESSION
    good = cc_session(s)
    lines = good.split(b"\n")
    body = (
        b"\xef\xbb\xbf"  # a UTF-8 BOM at the head of the file
        + lines[0]
        + b"\r\n"  # CRLF
        + b"\n"  # an empty line
        + b"   \t \n"  # a whitespace line
        + lines[1]
        + b"\n"
        + b"\xef\xbb\xbf"  # a BOM in the middle of the file
        + lines[2]
        + b"\r\n"
        + b'{"parentUuid":null,"type":"user","message":{"role":"us\n'  # truncated JSON
        + b'{"type":"user","message":{"content":"caf\xe9 \xff\xfe"}}\n'  # not UTF-8
        + b"[1,2,3]\n"  # JSON, not an object
        + jl({"type": "some-future-line-type", "sessionId": s, "uuid": "u-future", "x": [1]})
        + jl({**cc_user(s, "u-null-msg", None, "x", 4), "message": None})  # null message
        + jl(
            cc_assistant(
                s,
                "u-strnum",
                "u-null-msg",
                "msg_strnum",
                {"type": "text", "text": "string tokens"},
                5,
                usage={"input_tokens": "7", "output_tokens": "11"},  # strings for numbers
            )
        )
        + jl(
            cc_assistant(
                s,
                "u-redacted",
                "u-strnum",
                "msg_redacted",
                {"type": "text", "text": "redacted tokens"},
                6,
                usage={"input_tokens": "[REDACTED]", "output_tokens": "[REDACTED]"},
            )
        )
        + jl({"type": "user", "sessionId": s, "uuid": 12345, "timestamp": 17})  # wrong types
    )
    for hostile in HOSTILE_IDS:  # a hostile sessionId inside a good session's file
        body += jl(cc_user(hostile, f"u-hostile-{len(hostile)}", None, "hostile", 7))
    # a half-written last line: held back, not rejected
    half = jl(cc_user(s, "u-late", "u-redacted", "the late line", 8))
    body += half[:40]
    paths["good"] = write(machine_a / f"{s}.jsonl", body)
    paths["half_rest"] = half[40:]

    # a binary file, an empty file, a directory named like a transcript
    write(
        machine_a / "55555555-5555-4555-8555-555555555555.jsonl", random.Random(7).randbytes(4096)
    )
    write(machine_a / "66666666-6666-4666-8666-666666666666.jsonl", b"")
    (machine_a / "77777777-7777-4777-8777-777777777777.jsonl").mkdir(parents=True)
    (machine_a / "77777777-7777-4777-8777-777777777777.jsonl" / "x.jsonl").write_bytes(b"{}\n")

    # hostile ids: in a file not named after a session, in agentId, in the session folder
    write(
        machine_a / "notes.jsonl",
        b"".join(jl(cc_user(h, f"u-n{len(h)}", None, "n", 1)) for h in HOSTILE_IDS),
    )
    write(machine_a / f"{HOSTILE_MAIN}.jsonl", cc_session(HOSTILE_MAIN, 4))
    write(
        machine_a / HOSTILE_MAIN / "subagents" / "agent-a1.jsonl",
        b"".join(
            jl({**cc_user(HOSTILE_MAIN, f"u-a{len(h)}", None, "sub", 2), "agentId": h})
            for h in HOSTILE_IDS
        ),
    )
    write(machine_a / "a b" / "subagents" / "agent-a2.jsonl", jl(cc_user_no_session()))
    # a main file not named after a session: its session is its lines' sessionId
    write(machine_a / "renamed-by-hand.jsonl", cc_session(RENAMED_SESSION, 5))

    # the same file twice (a symlinked folder, a second root) and a copy from another machine
    write(machine_a / f"{COPIED_SESSION}.jsonl", cc_session(COPIED_SESSION, 3))
    write(machine_b / f"{COPIED_SESSION}.jsonl", cc_session(COPIED_SESSION, 3))
    os.symlink(machine_a, base / "alias-of-a")

    # Codex: hostile ids in session_meta, and a copy in archived_sessions
    write(codex / f"rollout-2026-05-01T10-00-00-{CODEX_GOOD}.jsonl", cx_rollout(CODEX_GOOD))
    write(
        base / "codex" / "archived_sessions" / f"rollout-2026-05-01T10-00-00-{CODEX_GOOD}.jsonl",
        cx_rollout(CODEX_GOOD),
    )
    for n, hostile in enumerate(HOSTILE_IDS):
        thread = f"019e0000-0000-7000-8000-00000000010{n}"
        write(codex / f"rollout-thread-{n}.jsonl", cx_rollout(hostile))  # hostile thread id
        write(codex / f"rollout-session-{n}.jsonl", cx_rollout(thread, session_id=hostile))
        write(
            codex / f"rollout-parent-{n}.jsonl",
            cx_rollout(f"019e0000-0000-7000-8000-00000000020{n}", parent_thread_id=hostile),
        )
    (codex / "rollout-dir.jsonl").mkdir()
    write(codex / "rollout-empty.jsonl", b"")
    paths["claude_roots"] = [base / "machine-a" / "projects", base / "alias-of-a", machine_b.parent]
    paths["codex_root"] = base / "codex"
    return paths


def cc_user_no_session() -> dict:
    line = cc_user("unused", "u-nosession", None, "a subagent line with no sessionId", 1)
    del line["sessionId"]
    return line


@pytest.fixture(scope="module")
def bad_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[DbtHome, dict]:
    """One build of the bad-input corpus, shared by the read-only checks below."""
    base = tmp_path_factory.mktemp("bad_input")
    corpus = bad_corpus(base / "in")
    home = DbtHome(
        base / "home", claude_roots=corpus["claude_roots"], codex_roots=[corpus["codex_root"]]
    )
    corpus["first_build"] = home.build().output
    return home, corpus


def reasons_of(home: DbtHome, file_like: str) -> dict[int, str]:
    return dict(
        home.query(
            "select source_line, reject_reason from rejected_lines "
            f"where source_file like '{file_like}' order by 1"
        )
    )


def test_bad_lines_are_rejected_with_a_reason_and_good_lines_load(bad_build) -> None:
    home, _ = bad_build
    assert reconciliation(home) == []  # complete non-blank lines = staged + rejected, per file
    assert reasons_of(home, f"%/{GOOD_SESSION}.jsonl") == {
        6: "not valid JSON",  # truncated JSON
        7: "not valid UTF-8",
        8: "not a JSON object",
        **{line: SESSION_ID_REASON for line in range(14, 18)},  # the four hostile sessionIds
    }
    # BOM (head and mid-file), CRLF, blank and whitespace lines: the good lines all load
    staged = home.query(
        f"select source_line, line_type from staging.stg_claude_code__lines "
        f"where session_id = '{GOOD_SESSION}' order by 1"
    )
    assert [n for n, _ in staged] == [1, 4, 5, 9, 10, 11, 12, 13]
    assert ("some-future-line-type" in {t for _, t in staged}) is True  # unknown type: kept
    # the drift warning names it in the build output, and does not fail the build
    first_build = bad_build[1]["first_build"]
    assert "Line types unknown to the projection: claude_code " in first_build
    assert ": some-future-line-type (1 lines)" in first_build
    assert "WARN 1 agent_threads_no_unknown_line_types" in first_build
    assert (
        home.scalar(
            f"select text from messages where session_id = '{GOOD_SESSION}' and thread_seq = 1"
        )
        == "ok\ndone"
    )  # the split response, its two lines (the second after a BOM) merged
    # the binary file: every complete line rejected, none silently dropped
    binary = home.query(
        "select count(*), count(distinct reject_reason) from rejected_lines "
        "where source_file like '%/55555555-5555-4555-8555-555555555555.jsonl'"
    )
    assert (
        binary[0][0] == random.Random(7).randbytes(4096)[:-1].rsplit(b"\n", 1)[0].count(b"\n") + 1
    )
    # the empty file lands nothing; the folder named like a transcript is not read as one
    assert reasons_of(home, "%/66666666-6666-4666-8666-666666666666.jsonl") == {}
    assert (
        home.scalar(
            "select count(*) from landing.land_claude_code__lines "
            "where source_file like '%/6666%' and source_line > 0"
        )
        == 0
    )
    # nothing of the rejects leaks: the raw text is cut to a bound
    assert home.scalar("select max(length(raw_text)) from rejected_lines") == 2000


SESSION_ID_REASON = "invalid sessionId (ids are 1-200 of A-Z a-z 0-9 . _ : -)"


def test_wrongly_typed_fields_load_as_values_or_nulls(bad_build) -> None:
    home, _ = bad_build
    got = home.query(
        "select text, input_tokens, output_tokens from messages "
        f"where session_id = '{GOOD_SESSION}' and message_kind = 'response' order by thread_seq"
    )
    assert got == [
        ("ok\ndone", 123, 10),
        ("string tokens", 7, 11),  # "7", "11": strings that hold numbers are read as numbers
        ("redacted tokens", None, None),  # "[REDACTED]": no number, the message still loads
    ]
    # a null `message` and wrongly typed uuid / timestamp: the line loads, fields are null
    assert (
        home.scalar(
            f"select count(*) from messages where session_id = '{GOOD_SESSION}' and text is null"
        )
        == 2
    )


def test_hostile_ids_are_rejected_with_a_reason_and_name_nothing(bad_build) -> None:
    home, _ = bad_build
    assert set(reasons_of(home, "%/notes.jsonl").values()) == {SESSION_ID_REASON}
    assert set(reasons_of(home, "%/subagents/agent-a1.jsonl").values()) == {
        "invalid agentId (ids are 1-200 of A-Z a-z 0-9 . _ : -)"
    }
    assert set(reasons_of(home, "%/a b/subagents/agent-a2.jsonl").values()) == {
        "invalid session id (ids are 1-200 of A-Z a-z 0-9 . _ : -)"
    }
    for n in range(len(HOSTILE_IDS)):
        assert reasons_of(home, f"%/rollout-thread-{n}.jsonl") == {
            1: "invalid session_meta id (ids are 1-200 of A-Z a-z 0-9 . _ : -)",
            **{
                line: "no thread: the line comes before any session_meta of its file"
                for line in range(2, 6)
            },
        }
        assert reasons_of(home, f"%/rollout-session-{n}.jsonl") == {
            1: "invalid session_id (ids are 1-200 of A-Z a-z 0-9 . _ : -)"
        }
        assert reasons_of(home, f"%/rollout-parent-{n}.jsonl") == {
            1: "invalid parent_thread_id (ids are 1-200 of A-Z a-z 0-9 . _ : -)"
        }
    # no id anywhere fails the rule, and no file or folder is named after a hostile id
    for table in ("messages", "threads", "sessions"):
        bad = home.scalar(
            f"select count(*) from {table} where not regexp_full_match(session_id, "
            f"'{ID_RE.pattern}') or not regexp_full_match(thread_id, '[A-Za-z0-9._:/-]{{1,401}}')"
            if table != "sessions"
            else f"select count(*) from {table} where not regexp_full_match(session_id, "
            f"'{ID_RE.pattern}')"
        )
        assert bad == 0, table
    assert_no_hostile_names(home)


def test_the_same_file_twice_and_copies_from_two_machines_load_once(bad_build) -> None:
    home, corpus = bad_build
    # the symlinked root finds only files already found: read once
    assert "claude_code: 11 files seen, 11 read" in corpus["first_build"]
    assert (
        home.scalar(
            "select count(*) from landing.land_claude_code__lines"
            " where source_file like '%alias-of-a%'"
        )
        == 0
    )
    # the session copied on two machines: one set of messages, usage once
    copied = home.query(
        "select count(*), count(distinct message_id), sum(input_tokens), sum(output_tokens) "
        f"from messages where session_id = '{COPIED_SESSION}'"
    )
    assert copied == [(2, 2, 123, 10)]
    # the Codex thread in sessions/ and archived_sessions/: loaded once (the active copy)
    codex = home.query(
        "select count(*), sum(input_tokens), any_value(source_file) from messages "
        f"where session_id = '{CODEX_GOOD}'"
    )
    assert codex[0][:2] == (2, 50) and "/sessions/" in codex[0][2]
    assert home.scalar("select count(*) - count(distinct message_id) from messages") == 0


def test_a_main_file_not_named_after_a_session_takes_its_lines_session(bad_build) -> None:
    home, _ = bad_build
    assert reasons_of(home, "%/renamed-by-hand.jsonl") == {}
    assert home.scalar(f"select count(*) from messages where session_id = '{RENAMED_SESSION}'") == 2


@pytest.mark.slow
def test_half_written_line_then_deleted_file_then_full_refresh(bad_build) -> None:
    """Mutates the shared home: runs last in this module."""
    home, corpus = bad_build
    good: Path = corpus["good"]
    assert (
        home.scalar(f"select count(*) from messages where session_id = '{GOOD_SESSION}'") == 6
    )  # the half-written last line is held back, not rejected
    assert home.scalar("select count(*) from rejected_lines where raw_text like '%u-late%'") == 0
    with open(good, "ab") as handle:  # the writer finishes its line
        handle.write(corpus["half_rest"])
    home.build()
    late = home.query(
        "select count(*), any_value(text) from messages where source_message_id = 'u-late'"
    )
    assert late == [(1, "the late line")]  # landed whole, once
    assert home.scalar("select count(*) from rejected_lines where raw_text like '%u-late%'") == 0
    assert reconciliation(home) == []
    before = {t: rows(home, t) for t in COMPARED_TABLES}
    parts = sorted(p.name for p in (home.dataset_dir / "v6").iterdir())

    good.unlink()  # Claude Code's 30-day cleanup
    home.build()
    assert {t: rows(home, t) for t in COMPARED_TABLES} == before
    home.build("--full-refresh")
    assert {t: rows(home, t) for t in COMPARED_TABLES} == before
    assert sorted(p.name for p in (home.dataset_dir / "v6").iterdir()) == parts
    assert_no_hostile_names(home)


# ---------------------------------------------------------------------------------------------
# faults of the machine: a killed run, a second build, a full disk


def dbt_command(home: DbtHome, *args: str) -> list[str]:
    return [
        str(DBT),
        *args,
        "--project-dir",
        str(REPO),
        "--target-path",
        str(home.base / "target"),
        "--log-path",
        str(home.base / "logs"),
        "--vars",
        json.dumps({"as_of": home.as_of, **home.extra_vars}),
    ]


def start_build(home: DbtHome) -> subprocess.Popen:
    return subprocess.Popen(
        dbt_command(home, "build"),
        cwd=REPO,
        env=home.env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )


def wait_for_log(home: DbtHome, text: str, proc: subprocess.Popen, timeout: float = 120) -> None:
    log = home.base / "logs" / "dbt.log"
    start = log.stat().st_size if log.exists() else 0
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if log.exists():
            with open(log, errors="replace") as handle:
                handle.seek(start)
                if text in handle.read():
                    return
        assert proc.poll() is None, f"the build ended before {text!r}"
        time.sleep(0.02)
    raise AssertionError(f"{text!r} never appeared in {log}")


def sigkill(proc: subprocess.Popen) -> None:
    os.killpg(proc.pid, signal.SIGKILL)
    proc.communicate(timeout=60)
    assert proc.returncode == -signal.SIGKILL


def dataset_rows(home: DbtHome) -> list[tuple]:
    """Every row of the visible Parquet dataset (``*.parquet`` only), sorted."""
    files = sorted(str(p) for p in (home.dataset_dir / "v6").rglob("*.parquet"))
    table = ds.dataset(files, format="parquet", partitioning="hive").to_table()
    table = table.drop_columns([c for c in ("source_file",) if c in table.column_names])
    return sorted(map(tuple, (r.values() for r in table.to_pylist())), key=repr)


def assert_visible_dataset_is_whole(home: DbtHome) -> None:
    """Every file a ``*.parquet`` glob sees is a complete Parquet file."""
    import pyarrow.parquet as pq

    for path in (home.dataset_dir / "v6").rglob("*.parquet"):
        pq.read_table(path)


def assert_same_as(home: DbtHome, clean: DbtHome) -> None:
    for table in COMPARED_TABLES:
        assert rows(home, table) == rows(clean, table), table
    assert dataset_rows(home) == dataset_rows(clean)
    assert not list(home.dataset_dir.rglob("*.tmp-writing"))
    manifest = json.loads((home.dataset_dir / "manifest.json").read_text())
    assert manifest["rows"] == home.scalar("select count(*) from messages")


def append_line(path: Path, uuid: str) -> None:
    last = json.loads(path.read_text().splitlines()[-1])
    line = {
        "parentUuid": last.get("uuid"),
        "isSidechain": False,
        "type": "user",
        "sessionId": last["sessionId"],
        "message": {"role": "user", "content": "and one more thing"},
        "uuid": uuid,
        "timestamp": "2026-09-30T12:00:00.000Z",
    }
    with open(path, "a") as handle:
        handle.write(json.dumps(line) + "\n")


@pytest.mark.slow
def test_sigkill_mid_run_and_mid_export_then_rerun_equals_a_clean_build(tmp_path: Path) -> None:
    claude, codex = sample_copy(tmp_path / "in")
    home = DbtHome(tmp_path / "home", claude_roots=claude, codex_roots=codex)

    # 1. killed in the middle of the projection (the landing cache is already committed)
    proc = start_build(home)
    wait_for_log(home, "START python incremental model intermediate.int_messages_projected", proc)
    time.sleep(0.2)
    sigkill(proc)
    with duckdb.connect(str(home.db_path)) as con:  # the database opens (WAL replayed)
        con.sql("select count(*) from landing.land_claude_code__lines").fetchall()
    home.build()

    # 2. killed while a partition file is being written: the writer is held on a FIFO at
    #    the temporary path, so the kill lands mid-write, deterministically
    main_file = next(claude[0].rglob("7a969578-c9e5-4afc-b8f3-a5e7c36be950.jsonl"))
    append_line(main_file, "9e1c2f4a-5b6d-4e7f-8a9b-0c1d2e3f4a5b")
    partition = home.dataset_dir / "v6" / "session_id=7a969578-c9e5-4afc-b8f3-a5e7c36be950"
    old_rows = dataset_rows(home)
    fifo = partition / "part-0.parquet.tmp-writing"
    os.mkfifo(fifo)
    proc = start_build(home)
    wait_for_log(home, "START python incremental model main.dataset_partitions", proc)
    time.sleep(1.0)  # the export is now blocked opening the FIFO for writing
    sigkill(proc)
    assert_visible_dataset_is_whole(home)
    assert dataset_rows(home) == old_rows  # the old partition is still whole and in place
    fifo.unlink()
    fifo.write_bytes(b"PAR1 half a file")  # what a real kill leaves behind
    home.build()

    clean = DbtHome(tmp_path / "clean", claude_roots=claude, codex_roots=codex)
    clean.build()
    assert_same_as(home, clean)
    assert home.scalar("select count(*) - count(distinct message_id) from messages") == 0


@pytest.mark.slow
def test_a_second_build_on_the_same_database_stops_quickly_with_the_lock_holder(
    tmp_path: Path,
) -> None:
    sys.path.insert(0, str(REPO))
    from bench.generate_corpus import generate

    corpus = tmp_path / "corpus"
    generate(corpus, 8 << 20, seed=7, claude_share=0.7)
    home = DbtHome(
        tmp_path / "home",
        claude_roots=[corpus / "claude" / "projects"],
        codex_roots=[corpus / "codex"],
    )
    first = start_build(home)
    wait_for_log(home, "START python incremental model landing.land_codex__lines", first)
    # the first build holds the database; it is paused there (SIGSTOP), so the second one
    # meets it however slowly either starts up on a loaded machine
    os.killpg(first.pid, signal.SIGSTOP)
    try:
        started = time.monotonic()
        second = home.build(check=False)
        took = time.monotonic() - started
        first_still_running = first.poll() is None
    finally:
        os.killpg(first.pid, signal.SIGCONT)
    out, _ = first.communicate(timeout=600)
    assert first.returncode == 0, out[-4000:]
    assert first_still_running, "the first build ended before the second one started up"
    assert second.returncode != 0
    assert took < 30  # dbt's own start-up, then the lock: no waiting for the first build
    assert f'Could not set lock on file "{home.db_path}"' in second.output
    assert re.search(r"Conflicting lock is held in .* \(PID \d+\)", second.output)
    # the first build was not disturbed: whole, and a rerun finds nothing to land
    rerun = home.build()
    assert "0 bytes read, 0 lines landed" in rerun.output
    assert home.scalar("select count(*) - count(distinct message_id) from messages") == 0
    manifest = json.loads((home.dataset_dir / "manifest.json").read_text())
    assert manifest["rows"] == home.scalar("select count(*) from messages") > 1_000


def mount_tmpfs(path: Path, size: str) -> bool:
    path.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path)],
        capture_output=True,
        check=False,
    )
    return done.returncode == 0


@pytest.mark.slow
def test_disk_full_during_the_export_then_rerun_completes(
    tmp_path: Path, sample_build: DbtHome
) -> None:
    home = DbtHome(tmp_path)
    if os.geteuid() != 0 or not mount_tmpfs(home.dataset_dir, "120k"):
        pytest.skip("cannot mount a tmpfs here; test_export_enospc_* covers the same point")
    try:
        failed = home.build(check=False)
        assert failed.returncode != 0
        assert "The Parquet export ran out of disk space" in failed.output
        assert "run `dbt build` again" in failed.output
        assert not list(home.dataset_dir.rglob("*.tmp-writing"))
        assert_visible_dataset_is_whole(home)
        subprocess.run(
            ["mount", "-o", "remount,size=64m", str(home.dataset_dir)], check=True
        )  # space returns
        home.build()
        assert_same_as(home, sample_build)
    finally:
        subprocess.run(["umount", "-l", str(home.dataset_dir)], check=False)


@pytest.mark.slow
def test_a_single_50mb_line_loads_whole(tmp_path: Path) -> None:
    blob = "y" * (50 * 1024 * 1024)
    claude = tmp_path / "claude" / "projects" / "-home-dev-x"
    write(claude / f"{BIG_SESSION}.jsonl", jl(cc_user(BIG_SESSION, "u-big", None, blob, 1)))
    codex = tmp_path / "codex"
    output = {"type": "function_call_output", "call_id": "c1", "output": blob}
    write(
        codex / f"rollout-2026-05-01T10-00-00-{CODEX_GOOD}.jsonl",
        cx_rollout(CODEX_GOOD) + cx("response_item", output, 5),
    )
    home = DbtHome(tmp_path / "home", claude_roots=[claude.parent], codex_roots=[codex])
    home.build()
    assert home.query(
        "select session_id, length(text) from messages where length(text) > 1000 order by 1"
    ) == [(CODEX_GOOD, len(blob)), (BIG_SESSION, len(blob))]


# ---------------------------------------------------------------------------------------------
# the export's write point, in process (the same point the tmpfs test reaches)


def export_rows(sessions: dict[str, int]):
    import pyarrow as pa

    ids = [s for s, n in sessions.items() for _ in range(n)]
    table = pa.table(
        {
            "session_id": ids,
            "thread_id": ids,
            "thread_seq": list(range(len(ids))),
            "session_revision": ["r1"] * len(ids),
        }
    )
    return table.to_batches(max_chunksize=3)


def test_export_enospc_is_a_clear_error_and_the_rerun_completes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import errno

    import pyarrow.parquet as pq

    from agent_threads.export import files as export

    sessions = {"s-a": 2, "s-b": 3, "s-c": 1}
    plan = export.ExportPlan("session", 64, tmp_path / "v6", sorted(sessions))
    real_write = pq.write_table
    calls = []

    def full_disk(table, where, **kwargs):
        calls.append(where)
        if len(calls) == 2:  # the second partition: half written, then no space left
            Path(where).write_bytes(b"PAR1 half")
            raise OSError(errno.ENOSPC, "No space left on device", str(where))
        return real_write(table, where, **kwargs)

    monkeypatch.setattr(export.pq, "write_table", full_disk)
    with pytest.raises(export.DatasetExportError, match="ran out of disk space") as raised:
        list(export.export_partitions(plan, export_rows(sessions), dict.fromkeys(sessions, "r1")))
    assert "run `dbt build` again" in str(raised.value)
    assert not list(tmp_path.rglob("*.tmp-writing"))  # the half-written file is removed
    assert [p.parent.name for p in tmp_path.rglob("*.parquet")] == ["session_id=s-a"]

    monkeypatch.setattr(export.pq, "write_table", real_write)  # space returns
    log = list(export.export_partitions(plan, export_rows(sessions), dict.fromkeys(sessions, "r1")))
    assert sum(b.num_rows for b in log) == 3
    assert sorted(p.parent.name for p in tmp_path.rglob("*.parquet")) == [
        "session_id=s-a",
        "session_id=s-b",
        "session_id=s-c",
    ]

    # the manifest and the partition folder fail the same clear way
    def no_space(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(Path, "mkdir", no_space)
    with pytest.raises(export.DatasetExportError, match="ran out of disk space"):
        export.write_manifest(tmp_path / "elsewhere", {"rows": 6})
    with pytest.raises(export.DatasetExportError, match="ran out of disk space"):
        list(export.export_partitions(plan, export_rows({"s-d": 1}), {"s-d": "r1"}))


@pytest.mark.parametrize("hostile", HOSTILE_IDS)
def test_export_never_names_a_partition_after_an_invalid_id(tmp_path: Path, hostile: str) -> None:
    from agent_threads.export import files as export

    plan = export.ExportPlan("session", 64, tmp_path / "v6", [hostile])
    with pytest.raises(export.DatasetExportError, match="not a valid id"):
        list(export.export_partitions(plan, export_rows({hostile: 1}), {hostile: "r1"}))
    assert not list(tmp_path.rglob("*"))
