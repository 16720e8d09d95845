"""Property tests (hypothesis) on the pure functions: the landing reader and both projections.

Random files and sessions are built from the real line shapes (split API responses,
interleaved subagents, agent_progress copies, replayed history, compactions, forks,
repeated token counts). The invariants:

- landing: every complete line is landed once, numbered and trimmed the same way, whatever
  the batch size, the read-chunk size and the points where the file was appended to
  (a half-written line included); an unterminated tail is never landed;
- projection: message_id unique; thread_id and session_id never null; every conversation
  line accounted for; each API response's usage counted exactly once per session; the
  result does not depend on input order or on how sessions are batched (rebuilding from
  the landing cache gives the same dataset).
"""

from __future__ import annotations

import itertools
import random
import shutil
import tempfile
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pyarrow as pa
import pytest
from claude_rows import Transcript, nested_assistant, text, tool_use
from claude_rows import table as claude_table
from codex_rows import Rollout, tid, usage
from codex_rows import table as codex_table
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from agent_threads.batching import map_sessions
from agent_threads.landing import files as landing
from agent_threads.projection.claude_code import project_claude_code
from agent_threads.projection.codex import project_codex
from agent_threads.projection.schema import MESSAGES_SCHEMA

NOW = datetime(2026, 11, 1, tzinfo=UTC)
SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# ---------------------------------------------------------------------------------------------
# landing

LINE_SHAPES = st.one_of(
    st.builds(lambda n: b'{"type":"user","n":%d}' % n, st.integers(0, 10**6)),
    st.just(b""),  # empty line
    st.just(b"  \t "),  # whitespace line
    st.builds(lambda n: b'{"n":%d}\r' % n, st.integers(0, 99)),  # CRLF
    st.builds(lambda n: b'\xef\xbb\xbf{"bom":%d}' % n, st.integers(0, 99)),  # BOM
    st.just(b'{"caf\xe9":\xff}'),  # not UTF-8
    st.just(b'{"truncated":'),  # truncated JSON
    st.builds(lambda k: b'{"long":"' + b"x" * k + b'"}', st.integers(100, 5000)),
    st.binary(max_size=40).map(lambda b: b.replace(b"\n", b"")),
)


@st.composite
def files_and_appends(draw):
    """Files as complete lines plus an optional unterminated tail, and append points."""
    files = []
    for _ in range(draw(st.integers(1, 3))):
        lines = draw(st.lists(LINE_SHAPES, max_size=12))
        tail = draw(st.one_of(st.just(b""), st.just(b'{"half":'), st.just(b"\xef\xbb\xbf{")))
        data = b"".join(line + b"\n" for line in lines) + tail
        cuts = sorted(draw(st.lists(st.integers(0, max(len(data), 1)), max_size=3)))
        files.append((data, cuts))
    return files


def expected_lines(data: bytes) -> list[tuple[int, int, int, str, bool, bool]]:
    """What the contract says lands of a file: every newline-terminated line."""
    out, offset = [], 0
    complete = data[: data.rfind(b"\n") + 1]
    for number, line in enumerate(complete.split(b"\n")[:-1], start=1):
        try:
            text_, valid = line.decode("utf-8"), True
        except UnicodeDecodeError:
            text_, valid = line.decode("utf-8", errors="backslashreplace"), False
        text_ = text_.rstrip("\r\n").lstrip("\ufeff")
        out.append((number, offset, offset + len(line) + 1, text_, not text_.strip(), valid))
        offset += len(line) + 1
    return out


def landed_rows(table: pa.Table) -> dict[str, list[tuple]]:
    """The landed lines of each file (not its state rows: ``source_line`` 0)."""
    by_file = defaultdict(list)
    for r in table.to_pylist():
        if r["source_line"] == 0:
            continue
        by_file[r["source_file"]].append(
            (
                r["source_line"],
                r["byte_offset"],
                r["next_offset"],
                r["raw_line"],
                r["is_blank"],
                r["is_valid_utf8"],
            )
        )
    return {f: sorted(rows) for f, rows in by_file.items()}


LOADS = itertools.count()


def land_once(root: Path, state: pa.Table | None, batch_bytes: int) -> pa.Table:
    """One landing run; each run lands later than the one before, as real runs do."""
    files, _ = landing.discover_files("claude_code", [root])
    load = next(LOADS)
    batches = list(
        landing.land_new_lines(
            files,
            landing.state_from_table(state),
            f"load-{load}",
            NOW + timedelta(seconds=load),
            batch_bytes=batch_bytes,
        )
    )
    return pa.Table.from_batches(batches, schema=landing.LANDED_SCHEMA)


def state_of(landed: pa.Table) -> pa.Table:
    import duckdb

    con = duckdb.connect()
    con.register("landed", landed)
    return con.sql(landing.state_query("landed")).to_arrow_table()


@SETTINGS
@given(
    files=files_and_appends(),
    batch_bytes=st.sampled_from([1, 7, 64, 1 << 20]),
    chunk_bytes=st.sampled_from([5, 16, 333, 1 << 20]),
)
def test_landing_gives_the_same_lines_whatever_batches_chunks_and_append_points(
    files, batch_bytes: int, chunk_bytes: int
) -> None:
    root = Path(tempfile.mkdtemp(prefix="landing-prop-"))
    saved = landing.BATCH_BYTES
    landing.BATCH_BYTES = chunk_bytes  # the read-chunk size (a long line spans chunks)
    try:
        paths = [root / "p" / f"{i}.jsonl" for i in range(len(files))]
        for path in paths:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(b"")
        # write each file in pieces, landing after each piece (a run during an append)
        landed = pa.Table.from_batches([], schema=landing.LANDED_SCHEMA)
        steps = max(len(cuts) for _, cuts in files) + 1
        for step in range(steps):
            for path, (data, cuts) in zip(paths, files, strict=True):
                upto = cuts[step] if step < len(cuts) else len(data)
                path.write_bytes(data[:upto])
            new = land_once(root, state_of(landed) if landed.num_rows else None, batch_bytes)
            landed = pa.concat_tables([landed, new])
        again = land_once(root, state_of(landed), batch_bytes)
        assert again.num_rows == 0  # nothing new: nothing lands twice
        got = landed_rows(landed)
        for path, (data, _) in zip(paths, files, strict=True):
            assert got.get(str(path.resolve()), []) == expected_lines(data)
    finally:
        landing.BATCH_BYTES = saved
        shutil.rmtree(root, ignore_errors=True)


# ---------------------------------------------------------------------------------------------
# Claude Code sessions

USAGE = st.tuples(
    st.integers(0, 50), st.integers(1, 400), st.integers(0, 5000), st.integers(0, 500)
)


@st.composite
def claude_sessions(draw):
    """Up to three sessions: a main thread of turns (prompt, a response split over 1-4
    lines with repeated or partial usage, tool calls and results), subagent files, their
    agent_progress copies in the main file, compactions, and a resumed session whose head
    replays another session's history."""
    rng = random.Random(draw(st.integers(0, 2**32)))
    transcripts: list[Transcript] = []
    responses: dict[str, dict[str, tuple]] = defaultdict(dict)  # session -> msg -> usage
    replayed_responses: list[tuple[str, str]] = []
    uuid_owner_rows, response_owner_rows = [], []
    counter = iter(range(10**6))
    n_sessions = draw(st.integers(1, 3))
    history: list[tuple[str, str, str, tuple]] = []  # (session, uuid, msg, usage) of session 0

    def response(t: Transcript, parent: str, at: float, **kw) -> str:
        msg = f"msg_{next(counter)}"
        parts = draw(st.integers(1, 4))
        final = draw(USAGE)
        last = parent
        for k in range(parts):
            # earlier lines of a response may carry partial output counts
            out = final[1] if k == parts - 1 or rng.random() < 0.5 else rng.randint(1, final[1])
            block = (
                tool_use(f"call_{msg}_{k}", "Bash", command="ls")
                if rng.random() < 0.3
                else text(f"part {k}")
            )
            u = f"u{next(counter)}"
            t.block(
                u,
                last,
                msg,
                block,
                at + k * 0.1,
                request_id=f"req_{msg}",
                usage=(final[0], out, final[2], final[3]),
                **kw,
            )
            last = u
        responses[t.session_id][msg] = final
        return last

    for s in range(n_sessions):
        session = f"sess-{s}"
        main = Transcript(session)
        transcripts.append(main)
        last = None
        at = 10.0 * s
        if s == 1 and history:  # a resumed file: its head replays session 0's history
            for _, uuid, msg, use in history[:3]:
                main.block(
                    uuid,
                    last,
                    msg,
                    text("copied"),
                    at,
                    request_id=f"req_{msg}",
                    usage=use,
                    has_foreign_session_id=True,
                    line_session_id="sess-0",
                )
                uuid_owner_rows.append((uuid, "sess-0"))
                response_owner_rows.append((msg, f"req_{msg}", "sess-0"))
                replayed_responses.append((session, msg))
                last = uuid
        for turn in range(draw(st.integers(1, 4))):
            at += 1
            p = f"u{next(counter)}"
            main.prompt(p, last, f"turn {turn}", at)
            last = response(main, p, at + 0.5)
            if s == 0:
                msg = next(reversed(responses[session]))
                history.append((session, last, msg, responses[session][msg]))
            if rng.random() < 0.4:  # a subagent, interleaved in time with the main thread
                agent = f"a{next(counter)}"
                sub = Transcript(session, agent_id=agent)
                transcripts.append(sub)
                sp = f"u{next(counter)}"
                sub.prompt(sp, None, "subtask", at + 0.2)
                sub_last = response(sub, sp, at + 0.3)
                del sub_last
                if rng.random() < 0.5:  # the main file copies the subagent's response
                    msg = next(reversed(responses[session]))
                    nested = nested_assistant(
                        f"u{next(counter)}",
                        msg,
                        f"req_{msg}",
                        text("copy"),
                        at + 0.4,
                        usage=responses[session][msg],
                    )
                    main.progress(
                        f"u{next(counter)}",
                        last,
                        at + 0.45,
                        subtype="agent_progress",
                        agent_id=agent,
                        nested=nested,
                    )
            if rng.random() < 0.2:  # a compaction
                b = f"u{next(counter)}"
                main.system(b, None, "Conversation compacted", at + 0.8, subtype="compact_boundary")
                c = f"u{next(counter)}"
                main.prompt(
                    c, b, "This session is being continued...", at + 0.8, is_compact_summary=True
                )
                last = c
    uuid_owners = pa.table(
        {
            "line_uuid": [u for u, _ in uuid_owner_rows],
            "owner_session_id": [o for _, o in uuid_owner_rows],
        },
        schema=pa.schema([("line_uuid", pa.string()), ("owner_session_id", pa.string())]),
    )
    response_owners = pa.table(
        {
            "source_message_id": [m for m, _, _ in response_owner_rows],
            "request_id": [r for _, r, _ in response_owner_rows],
            "owner_session_id": [o for _, _, o in response_owner_rows],
        },
        schema=pa.schema(
            [
                ("source_message_id", pa.string()),
                ("request_id", pa.string()),
                ("owner_session_id", pa.string()),
            ]
        ),
    )
    return transcripts, responses, uuid_owners, response_owners


def assert_identity_and_keys(out: pa.Table) -> None:
    assert out.schema == MESSAGES_SCHEMA
    ids = out.column("message_id").to_pylist()
    assert len(ids) == len(set(ids)), "message_id unique"
    for column in ("message_id", "session_id", "thread_id", "source_file"):
        assert out.column(column).null_count == 0, column
    for thread, seqs in _by(out, "thread_id", "thread_seq").items():
        assert sorted(seqs) == list(range(len(seqs))), thread


def _by(table: pa.Table, key: str, value: str) -> dict:
    out = defaultdict(list)
    for k, v in zip(table.column(key).to_pylist(), table.column(value).to_pylist(), strict=True):
        out[k].append(v)
    return out


def token_sums(out: pa.Table) -> dict[str, tuple[int, int]]:
    sums: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for r in out.select(["session_id", "input_tokens", "output_tokens"]).to_pylist():
        sums[r["session_id"]][0] += r["input_tokens"] or 0
        sums[r["session_id"]][1] += r["output_tokens"] or 0
    return {s: tuple(v) for s, v in sums.items()}


def project_claude(transcripts, uuid_owners, response_owners, shuffle_seed=None) -> pa.Table:
    table = claude_table(*transcripts)
    if shuffle_seed is not None:
        order = list(range(table.num_rows))
        random.Random(shuffle_seed).shuffle(order)
        table = table.take(order)
    return project_claude_code(table, uuid_owners, response_owners)


@pytest.mark.slow
@SETTINGS
@given(sessions=claude_sessions(), seed=st.integers(0, 1000), target=st.integers(1, 40))
def test_claude_projection_keeps_its_invariants(sessions, seed: int, target: int) -> None:
    transcripts, responses, uuid_owners, response_owners = sessions
    out = project_claude(transcripts, uuid_owners, response_owners)
    assert_identity_and_keys(out)

    # every conversation line of the input is the first line of a message, or a later
    # line of the same API response
    rows = [r for t in transcripts for r in t.rows]
    sources = set(
        zip(
            out.column("source_file").to_pylist(),
            out.column("source_line").to_pylist(),
            strict=True,
        )
    )
    response_ids = set(out.column("source_message_id").to_pylist())
    for r in rows:
        if r["line_type"] in ("user", "system"):
            assert (r["source_file"], r["source_line"]) in sources, r
        elif r["line_type"] == "assistant":
            assert r["source_message_id"] in response_ids, r

    # each API response's usage once per session (the largest copy), replays owned elsewhere
    owned = set(response_owners.column("source_message_id").to_pylist())
    expected = {}
    for session, msgs in responses.items():
        own = [u for m, u in msgs.items() if not (session != "sess-0" and m in owned)]
        expected[session] = (sum(u[0] + u[2] + u[3] for u in own), sum(u[1] for u in own))
    got = token_sums(out)
    assert {s: got.get(s, (0, 0)) for s in expected} == expected

    # order of the input rows and the batching of whole sessions change nothing
    assert_same_rows(project_claude(transcripts, uuid_owners, response_owners, seed), out)
    table = claude_table(*transcripts).sort_by([("session_id", "ascending")])
    batched = map_sessions(
        table.to_batches(max_chunksize=7),
        lambda t: project_claude_code(t, uuid_owners, response_owners),
        MESSAGES_SCHEMA,
        target_rows=target,
    ).read_all()
    assert_same_rows(batched, out)


def assert_same_rows(a: pa.Table, b: pa.Table) -> None:
    key = ["message_id"]
    assert (
        a.sort_by([(k, "ascending") for k in key]).to_pylist()
        == b.sort_by([(k, "ascending") for k in key]).to_pylist()
    )


# ---------------------------------------------------------------------------------------------
# Codex sessions


@st.composite
def codex_sessions(draw):
    """A root thread of turns with token_count events (often repeated unchanged), and
    maybe a fork file (copied session_meta, copied history and totals, then its own turns)
    and a sub-agent thread. Returns the rollouts and, per thread, the tokens it owns."""
    ms = 1_780_000_000_000
    root = tid(ms, 1)
    r = Rollout(source_file="/codex/rollout-root.jsonl").thread(root)
    r.meta()
    total = [0, 0, 0, 0]
    own: dict[str, list[int]] = {}
    turns = draw(st.integers(1, 4))
    snapshot = None
    for turn in range(turns):
        turn_id = tid(ms + 10 + turn, 100 + turn)
        r.task_started(turn_id)
        r.turn_context("gpt-5", turn_id=turn_id)
        r.message("user", f"question {turn}")
        r.reasoning("thinking")
        r.message("assistant", f"answer {turn}")
        step = draw(
            st.tuples(
                st.integers(1, 900), st.integers(0, 100), st.integers(1, 80), st.integers(0, 20)
            )
        )
        total = [
            total[0] + step[0],
            total[1] + min(step[1], step[0]),
            total[2] + step[2] + step[3],
            total[3] + step[3],
        ]
        for _ in range(draw(st.integers(1, 3))):  # repeats with unchanged totals
            r.token_count(usage(total[0], total[1], total[2], total[3]))
        r.task_complete(turn_id)
        if turn == 0:
            snapshot = list(total)
    own[root] = list(total)
    rollouts = [r]
    if draw(st.booleans()):  # a fork of the root after its first turn
        child = tid(ms + 1000, 2)
        f = Rollout(source_file="/codex/rollout-fork.jsonl").thread(child, forked_from_id=root)
        f.meta(forked_from_id=root)
        f.meta(thread_id=root, copied=True)
        f.message("user", "question 0")
        f.token_count(usage(*snapshot))  # the parent's cumulative totals, copied
        own_turn = tid(ms + 2000, 200)
        f.task_started(own_turn)
        f.turn_context("gpt-5", turn_id=own_turn)
        f.message("user", "fork question")
        f.message("assistant", "fork answer")
        extra = draw(st.integers(1, 500))
        f.token_count(usage(snapshot[0] + extra, snapshot[1], snapshot[2] + 7, snapshot[3]))
        f.task_complete(own_turn)
        own[child] = [extra, 0, 7, 0]
        rollouts.append(f)
    return rollouts, own


@SETTINGS
@given(sessions=codex_sessions(), target=st.integers(1, 40))
def test_codex_projection_keeps_its_invariants(sessions, target: int) -> None:
    rollouts, own = sessions
    lines = codex_table(*[r.rows for r in rollouts])
    out = project_codex(lines)
    assert_identity_and_keys(out)
    # every user / assistant message line is a message
    sources = set(
        zip(
            out.column("source_file").to_pylist(),
            out.column("source_line").to_pylist(),
            strict=True,
        )
    )
    for r in (row for ro in rollouts for row in ro.rows):
        if r["line_type"] == "response_item" and r["payload_type"] == "message":
            assert (r["source_file"], r["source_line"]) in sources, r
    # fork-aware deltas: each thread counts exactly the tokens it spent, once
    per_thread: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for r in out.select(
        ["thread_id", "input_tokens", "cache_read_input_tokens", "output_tokens"]
    ).to_pylist():
        per_thread[r["thread_id"]][0] += r["input_tokens"] or 0
        per_thread[r["thread_id"]][1] += r["cache_read_input_tokens"] or 0
        per_thread[r["thread_id"]][2] += r["output_tokens"] or 0
    assert {t: per_thread[t] for t in own} == {t: [v[0], v[1], v[2]] for t, v in own.items()}
    # batching whole sessions changes nothing
    batched = map_sessions(
        lines.sort_by([("session_id", "ascending")]).to_batches(max_chunksize=5),
        project_codex,
        MESSAGES_SCHEMA,
        target_rows=target,
    ).read_all()
    assert_same_rows(batched, out)
