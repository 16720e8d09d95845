"""project_claude_code: one small case per projection rule, plus invariants on real files.

The cases copy the SHAPES of real Claude Code lines (see
../shared/formats/claude_code_transcripts.md); ids and texts are made up.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import duckdb
import pyarrow as pa
import pytest
from claude_rows import (
    Transcript,
    nested_assistant,
    nested_user,
    table,
    text,
    thinking,
    tool_use,
    ts,
)

from agent_threads.projection.claude_code import project_claude_code
from agent_threads.projection.schema import MESSAGE_KINDS, MESSAGES_SCHEMA, ROLES

REAL_CLAUDE = Path(__file__).resolve().parents[3] / "shared" / "fixtures" / "real" / "claude"


def project(*transcripts: Transcript, **owners: pa.Table) -> list[dict]:
    out = project_claude_code(table(*transcripts), **owners)
    check_invariants(out)
    return out.to_pylist()


def check_invariants(out: pa.Table) -> None:
    assert out.schema.equals(MESSAGES_SCHEMA)
    out.validate(full=True)
    for name in MESSAGES_SCHEMA.names:
        if not MESSAGES_SCHEMA.field(name).nullable:
            assert out.column(name).null_count == 0, name
    ids = out.column("message_id").to_pylist()
    assert len(ids) == len(set(ids))
    assert set(out.column("role").to_pylist()) <= set(ROLES)
    assert set(out.column("message_kind").to_pylist()) <= set(MESSAGE_KINDS)
    assert set(out.column("source").to_pylist()) <= {"claude_code"}
    rows = out.to_pylist()
    by_thread: dict[str, list[int]] = {}
    for r in rows:
        by_thread.setdefault(r["thread_id"], []).append(r["thread_seq"])
    for seqs in by_thread.values():
        assert sorted(seqs) == list(range(len(seqs)))


def by_source(rows: list[dict], thread_id: str | None = None) -> dict[str, dict]:
    """Messages keyed by source_message_id (message.id for responses, uuid otherwise)."""
    return {
        r["source_message_id"]: r for r in rows if thread_id is None or r["thread_id"] == thread_id
    }


def md5(s: str) -> str:
    return hashlib.md5(s.encode()).hexdigest()


# -- rule 1: scope and identity ---------------------------------------------------------


def test_scope_is_thread_and_identity_is_passed_through():
    main = Transcript("s-1")
    main.prompt("u1", None, "hello", 0)
    main.block("a1", "u1", "msg_1", text("hi"), 1, stop_reason="end_turn")
    sub = Transcript("s-1", agent_id="a1f2e3d4c5b6a7980")
    sub.prompt("su1", None, "look around", 2, is_sidechain=True)
    sub.block("sa1", "su1", "msg_2", text("done"), 3)
    # 1.0.x inline sidechain: in the main file, staging names it after its root line
    inline = Transcript("s-1", agent_id="sidechain-iu1", source_file="/p/s-1.jsonl")
    inline.prompt("iu1", None, "task prompt", 4)
    inline.block("ia1", "iu1", "msg_3", text("task answer"), 5)

    rows = project(main, sub, inline)

    assert {r["thread_id"] for r in rows} == {
        "s-1",
        "s-1/a1f2e3d4c5b6a7980",
        "s-1/sidechain-iu1",
    }
    for r in rows:
        assert r["session_id"] == "s-1"
        assert r["conversation_id"] is None
        assert r["parent_thread_id"] is None
        assert r["source"] == "claude_code"
        expected_agent = None if r["thread_id"] == "s-1" else r["thread_id"].split("/", 1)[1]
        assert r["agent_id"] == expected_agent
    # the subagent file's first line is its task prompt
    assert by_source(rows)["su1"]["message_kind"] == "prompt"


def test_empty_input_gives_empty_schema_table():
    out = project_claude_code(table(Transcript()))
    assert out.num_rows == 0
    assert out.schema.equals(MESSAGES_SCHEMA)


# -- rule 2: one API response = one message ---------------------------------------------


def test_lines_of_one_response_merge_into_one_message():
    t = Transcript()
    t.prompt("u1", None, "read the file", 0)
    # 2.1.x shape: placeholder usage on early lines, stop_reason null until the last
    t.block("a1", "u1", "msg_A", thinking("plan it"), 1, usage=(1, 2, 100, 20))
    t.block("a2", "a1", "msg_A", text("Let me look."), 2, usage=(1, 5, 100, 20))
    t.block(
        "a3", "a2", "msg_A", tool_use("toolu_1", "Read", file_path="x"), 3, usage=(1, 5, 100, 20)
    )
    t.block(
        "a4",
        "a3",
        "msg_A",
        tool_use("toolu_2", "Grep", pattern="y"),
        4,
        usage=(1, 87, 100, 20),
        stop_reason="tool_use",
    )
    t.tool_result("r1", "a3", "toolu_1", "file text", 5)
    t.tool_result("r2", "a4", "toolu_2", "match", 6)
    t.block("a5", "r2", "msg_B", text("Found it."), 7, request_id="req_2")

    rows = project(t)
    msgs = by_source(rows)
    resp = msgs["msg_A"]
    assert [r["message_kind"] for r in rows] == [
        "prompt",
        "response",
        "tool_result",
        "tool_result",
        "response",
    ]
    assert resp["role"] == "assistant"
    assert [b["type"] for b in json.loads(resp["content"])] == [
        "thinking",
        "text",
        "tool_use",
        "tool_use",
    ]
    assert resp["text"] == "Let me look."  # thinking and tool_use are not text
    assert resp["tool_name"] == "Read"
    assert resp["tool_call_id"] == "toolu_1"
    assert resp["output_tokens"] == 87  # the line with the largest output_tokens
    assert resp["stop_reason"] == "tool_use"
    assert resp["model"] == "claude-opus-4-5"
    assert resp["request_id"] == "req_1"
    assert resp["created_at"] == t.rows[1]["created_at"]
    assert resp["source_line"] == 2
    assert resp["parent_message_id"] == msgs["u1"]["message_id"]
    assert resp["message_id"] == md5("sess-1:a1")
    # the next response chains from the tool result of the last block
    assert msgs["msg_B"]["parent_message_id"] == msgs["r2"]["message_id"]


def test_synthetic_api_error_is_kept_without_usage():
    t = Transcript()
    t.prompt("u1", None, "hi", 0)
    t.block(
        "e1",
        "u1",
        "err-0001",
        text("API Error: 529 overloaded"),
        1,
        request_id=None,
        model="<synthetic>",
        usage=(0, 0, 0, 0),
        is_api_error_message=True,
        stop_reason="stop_sequence",
    )
    [_, err] = project(t)
    assert err["message_kind"] == "response"
    assert err["model"] == "<synthetic>"
    assert err["is_error"] is True
    assert err["is_replayed"] is False
    for col in ("input_tokens", "output_tokens", "cache_read_input_tokens"):
        assert err[col] is None


# -- rule 3: tokens, counted once -------------------------------------------------------


def test_token_columns_follow_otel_meaning():
    t = Transcript()
    t.prompt("u1", None, "hi", 0)
    t.block("a1", "u1", "msg_1", text("hello"), 1, usage=(6, 50, 1000, 300), cache_split=(0, 300))
    [_, resp] = project(t)
    assert resp["input_tokens"] == 6 + 1000 + 300
    assert resp["cache_read_input_tokens"] == 1000
    assert resp["cache_creation_input_tokens"] == 300
    assert resp["cache_creation_5m_input_tokens"] == 0
    assert resp["cache_creation_1h_input_tokens"] == 300
    assert resp["output_tokens"] == 50
    assert resp["reasoning_output_tokens"] is None


def test_thinking_tokens_are_the_reasoning_part_of_output_where_logged():
    # 2.1.2xx usage splits the thinking tokens out (output_tokens_details.thinking_tokens)
    t = Transcript()
    t.prompt("u1", None, "hi", 0)
    t.block(
        "a1", "u1", "msg_1", text("hello"), 1, usage=(6, 90, 0, 0), usage_thinking_output_tokens=30
    )
    [_, resp] = project(t)
    assert (resp["output_tokens"], resp["reasoning_output_tokens"]) == (90, 30)


def test_system_api_error_line_is_an_error():
    # a failed API call the client retries (system/api_error, 2.1.x)
    t = Transcript()
    t.prompt("u1", None, "hi", 0)
    t.add(
        line_type="system",
        line_subtype="api_error",
        line_uuid="e1",
        parent_line_uuid="u1",
        created_at=ts(1),
    )
    t.add(
        line_type="system",
        line_subtype="turn_duration",
        line_uuid="d1",
        parent_line_uuid="e1",
        created_at=ts(2),
    )
    [_, err, other] = project(t)
    assert (err["message_kind"], err["is_error"]) == ("system", True)
    assert (other["message_kind"], other["is_error"]) == ("system", None)


def _main_with_answer() -> Transcript:
    main = Transcript("s-1")
    main.prompt("u1", None, "question", 0)
    main.block("a1", "u1", "msg_1", text("answer"), 1, usage=(5, 40, 900, 100))
    return main


def test_btw_replay_counts_usage_once():
    main = _main_with_answer()
    # /btw: the side-question file replays the main lines (same uuids), then its own turn;
    # the replayed response keeps its message.id under a NEW requestId
    btw = Transcript("s-1", agent_id="aside_question-0123456789abcdef")
    btw.prompt("u1", None, "question", 0, is_sidechain=True)
    btw.block("a1", "u1", "msg_1", text("answer"), 1, request_id="req_9", usage=(5, 40, 900, 100))
    btw.prompt("bu1", "a1", "quick side question?", 10, is_sidechain=True)
    btw.block("ba1", "bu1", "msg_2", text("side answer"), 11, usage=(2, 7, 950, 0))

    rows = project(main, btw)
    side = by_source(rows, btw.thread_id)
    assert by_source(rows, "s-1")["msg_1"]["output_tokens"] == 40
    assert by_source(rows, "s-1")["msg_1"]["is_replayed"] is False
    assert side["msg_1"]["is_replayed"] is True
    assert side["msg_1"]["output_tokens"] is None
    assert side["msg_1"]["input_tokens"] is None
    assert side["u1"]["is_replayed"] is True  # same uuid as the main thread's line
    assert side["bu1"]["is_replayed"] is False
    assert side["msg_2"]["output_tokens"] == 7
    assert side["msg_2"]["is_replayed"] is False
    assert sum(r["output_tokens"] or 0 for r in rows) == 47


def test_compaction_call_replay_counts_usage_once():
    main = _main_with_answer()
    comp = Transcript("s-1", agent_id="acompact-0123456789abcdef")
    comp.prompt("u1", None, "question", 0, is_sidechain=True)
    comp.block("a1", "u1", "msg_1", text("answer"), 1, usage=(5, 40, 900, 100))
    comp.prompt("cu1", "a1", "Your task is to create a detailed summary", 20, is_sidechain=True)
    comp.block("ca1", "cu1", "msg_c", text("<summary>...</summary>"), 21, usage=(3, 600, 0, 0))

    rows = project(main, comp)
    totals = sum(r["output_tokens"] or 0 for r in rows)
    assert totals == 40 + 600
    assert by_source(rows, comp.thread_id)["msg_1"]["is_replayed"] is True


def test_usage_owner_without_main_copy_is_earliest_thread():
    one = Transcript("s-1", agent_id="a-one")
    one.prompt("x1", None, "p", 5, is_sidechain=True)
    one.block("x2", "x1", "msg_1", text("a"), 6)
    two = Transcript("s-1", agent_id="a-two")
    two.prompt("y1", None, "p", 1, is_sidechain=True)
    two.block("y2", "y1", "msg_1", text("a"), 2)
    rows = project(one, two)
    owner = [r for r in rows if r["message_kind"] == "response" and r["output_tokens"]]
    assert [r["thread_id"] for r in owner] == ["s-1/a-two"]


def test_response_owned_by_another_session_has_no_tokens():
    t = _main_with_answer()
    owners = pa.table(
        {
            "source_message_id": ["msg_1"],
            "request_id": ["req_1"],
            "owner_session_id": ["s-0"],
        }
    )
    [_, resp] = project(t, response_owners=owners)
    assert resp["is_replayed"] is True
    assert resp["output_tokens"] is None
    # owned by this session: counted
    own = owners.set_column(2, "owner_session_id", pa.array(["s-1"]))
    [_, resp] = project(t, response_owners=own)
    assert resp["is_replayed"] is False
    assert resp["output_tokens"] == 40


# -- rule 4: uuid copies ----------------------------------------------------------------


def test_uuid_repeated_in_one_thread_appears_once():
    t = _main_with_answer()
    # a second /compact re-appends earlier rows with the same uuids
    t.prompt("u1", None, "question", 0)
    t.block("a1", "u1", "msg_1", text("answer"), 1, usage=(5, 40, 900, 100))
    rows = project(t)
    assert len(rows) == 2
    assert [r["source_line"] for r in rows] == [1, 2]
    assert rows[1]["output_tokens"] == 40


def test_replayed_lines_foreign_session_and_uuid_owner():
    t = Transcript("s-2")
    # history copied at the head of a resumed file: the ancestor's sessionId
    t.prompt("old1", None, "earlier question", 0, has_foreign_session_id=True)
    t.block("old2", "old1", "msg_old", text("earlier answer"), 1, has_foreign_session_id=True)
    t.prompt("c1", "old2", "copied by /clear", 2)
    t.prompt("n1", "c1", "new question", 100)
    uuid_owners = pa.table({"line_uuid": ["c1", "n1"], "owner_session_id": ["s-0", "s-2"]})
    rows = project(t, uuid_owners=uuid_owners)
    msgs = by_source(rows)
    assert msgs["old1"]["is_replayed"] is True
    assert msgs["msg_old"]["is_replayed"] is True
    # no other copy of that response is in the data: its usage stays counted here
    assert msgs["msg_old"]["output_tokens"] == 10
    assert msgs["c1"]["is_replayed"] is True
    assert msgs["n1"]["is_replayed"] is False


def test_uuid_in_main_and_subagent_thread_is_owned_by_main():
    main = _main_with_answer()
    sub = Transcript("s-1", agent_id="a-sub")
    sub.prompt("u1", None, "question", -5, is_sidechain=True)  # even if earlier
    rows = project(main, sub)
    assert by_source(rows, "s-1")["u1"]["is_replayed"] is False
    assert by_source(rows, "s-1/a-sub")["u1"]["is_replayed"] is True


# -- rule 5: agent_progress -------------------------------------------------------------


def _main_with_progress(agent: str) -> Transcript:
    t = Transcript("s-1")
    t.prompt("u1", None, "delegate", 0)
    t.block("a1", "u1", "msg_1", tool_use("toolu_T", "Task", prompt="go"), 1)
    t.progress(
        "p0", "a1", 2, subtype="agent_progress", agent_id=agent, nested=nested_user("su1", "go", 2)
    )
    t.progress(
        "p1",
        "a1",
        3,
        subtype="agent_progress",
        agent_id=agent,
        nested=nested_assistant("sa1", "msg_s", "req_s", text("working"), 3, (1, 2, 50, 5)),
    )
    t.progress(
        "p2",
        "a1",
        4,
        subtype="agent_progress",
        agent_id=agent,
        nested=nested_assistant(
            "sa2", "msg_s", "req_s", tool_use("toolu_s", "Bash", command="ls"), 4, (1, 30, 50, 5)
        ),
    )
    t.progress("p3", "a1", 4.5, subtype="bash_progress")
    t.tool_result("r1", "a1", "toolu_T", "subagent report", 6)
    return t


def test_agent_progress_rebuilds_a_missing_subagent_thread():
    t = _main_with_progress("a-missing")
    rows = project(t)
    main = [r for r in rows if r["thread_id"] == "s-1"]
    assert [r["message_kind"] for r in main] == ["prompt", "response", "tool_result"]
    sub = [r for r in rows if r["thread_id"] == "s-1/a-missing"]
    assert [r["agent_id"] for r in sub] == ["a-missing", "a-missing"]
    assert [r["message_kind"] for r in sub] == ["prompt", "response"]
    assert [r["thread_seq"] for r in sub] == [0, 1]
    resp = sub[1]
    assert [b["type"] for b in json.loads(resp["content"])] == ["text", "tool_use"]
    assert resp["output_tokens"] == 30
    assert resp["input_tokens"] == 1 + 50 + 5
    assert resp["model"] == "claude-haiku-4-5"
    assert resp["parent_message_id"] == sub[0]["message_id"]
    assert resp["created_at"] == t.rows[3]["created_at"]
    assert resp["message_id"] == md5("s-1/a-missing:sa1")
    assert sum(r["output_tokens"] or 0 for r in rows) == 10 + 30


def test_agent_progress_is_ignored_when_the_subagent_file_is_present():
    t = _main_with_progress("a-here")
    sub = Transcript("s-1", agent_id="a-here")
    sub.prompt("su1", None, "go", 2, is_sidechain=True)
    sub.block("sa1", "su1", "msg_s", text("working"), 3, request_id="req_s", usage=(1, 2, 50, 5))
    sub.block(
        "sa2",
        "sa1",
        "msg_s",
        tool_use("toolu_s", "Bash", command="ls"),
        4,
        request_id="req_s",
        usage=(1, 30, 50, 5),
    )
    rows = project(t, sub)
    assert {r["thread_id"] for r in rows} == {"s-1", "s-1/a-here"}
    assert len([r for r in rows if r["thread_id"] == "s-1/a-here"]) == 2
    assert sum(r["output_tokens"] or 0 for r in rows) == 10 + 30
    # the tool result's parentUuid is the Task call, across the progress siblings
    result = by_source(rows, "s-1")["r1"]
    assert result["parent_message_id"] == by_source(rows, "s-1")["msg_1"]["message_id"]


def test_parent_through_a_progress_line():
    t = Transcript()
    t.prompt("u1", None, "run", 0)
    t.block("a1", "u1", "msg_1", tool_use("toolu_1", "Bash", command="make"), 1)
    t.progress("p1", "a1", 2, subtype="hook_progress")
    t.tool_result("r1", "p1", "toolu_1", "ok", 3)
    rows = project(t)
    assert [r["message_kind"] for r in rows] == ["prompt", "response", "tool_result"]
    assert rows[2]["parent_message_id"] == rows[1]["message_id"]


# -- rule 6: user, system, attachment and metadata lines --------------------------------


def test_message_kinds_of_user_system_attachment_and_metadata_lines():
    t = Transcript()
    t.metadata("file-history-snapshot")
    t.metadata("queue-operation", line_subtype="dequeue", created_at=None)
    t.prompt(
        "m1", None, "<local-command-caveat>Caveat: ...</local-command-caveat>", 0, is_meta=True
    )
    t.prompt("u1", "m1", [text("typed as blocks"), text("second part")], 1)
    t.block("a1", "u1", "msg_1", tool_use("toolu_1", "Bash", command="false"), 2)
    t.tool_result("r1", "a1", "toolu_1", [text("exit 1"), text("stderr: boom")], 3, is_error=True)
    t.attachment("h1", "r1", "hook_success", 4)
    t.system("s1", "h1", "Conversation compacted", 5, subtype="compact_boundary")
    t.rows[-1].update(parent_line_uuid=None, logical_parent_line_uuid="h1")
    t.prompt(
        "c1",
        "s1",
        "This session is being continued from a previous conversation...",
        6,
        is_compact_summary=True,
    )
    t.system("s2", "c1", "turn took 3s", 7, subtype="turn_duration")
    t.metadata("summary", title_text="A title")
    t.metadata("last-prompt")
    t.metadata("permission-mode")
    t.metadata("subagent-meta")
    t.prompt("u2", "s2", "plain string prompt", 8)

    rows = project(t)
    got = [(r["source_message_id"], r["role"], r["message_kind"], r["is_meta"]) for r in rows]
    assert got == [
        ("m1", "user", "meta", True),
        ("u1", "user", "prompt", False),
        ("msg_1", "assistant", "response", False),
        ("r1", "tool", "tool_result", False),
        ("h1", "system", "meta", True),
        ("s1", "system", "compaction", False),
        ("c1", "user", "compaction", True),
        ("s2", "system", "system", False),
        ("u2", "user", "prompt", False),
    ]
    msgs = by_source(rows)
    assert msgs["u1"]["text"] == "typed as blocks\nsecond part"
    assert msgs["u2"]["text"] == "plain string prompt"
    assert json.loads(msgs["u2"]["content"]) == [{"type": "text", "text": "plain string prompt"}]
    result = msgs["r1"]
    assert result["tool_call_id"] == "toolu_1"
    assert result["tool_name"] == "Bash"
    assert result["is_error"] is True
    assert result["text"] == "exit 1\nstderr: boom"
    assert msgs["s2"]["text"] == "turn took 3s"
    # the boundary's parent is its logical parent
    assert msgs["s1"]["parent_message_id"] == msgs["h1"]["message_id"]


def test_tool_result_without_is_error_and_string_content():
    t = Transcript()
    t.block("a1", None, "msg_1", tool_use("toolu_1", "Read", file_path="f"), 0)
    t.tool_result("r1", "a1", "toolu_1", "line one", 1, is_error=None)
    [_, res] = project(t)
    assert res["is_error"] is False  # absent is_error: the Messages API's default, false
    assert res["text"] == "line one"
    assert res["tool_name"] == "Read"


# -- rule 7: main path ------------------------------------------------------------------


def test_rewound_branch_is_off_the_main_path():
    t = Transcript()
    t.prompt("u1", None, "first", 0)
    t.block("a1", "u1", "msg_1", text("ok"), 1)
    t.prompt("u2", "a1", "take the left road", 10)  # later rewound away from
    t.block("a2", "u2", "msg_2", tool_use("toolu_1", "Bash", command="left"), 11)
    t.tool_result("r2", "a2", "toolu_1", "left done", 12)
    t.block("a3", "r2", "msg_3", text("went left"), 13, request_id="req_3")
    t.prompt("u3", "a1", "take the right road", 100)  # /rewind to after a1, new prompt
    t.block("a4", "u3", "msg_4", text("went right"), 101, request_id="req_4")
    rows = project(t)
    off = {r["source_message_id"] for r in rows if not r["is_on_main_path"]}
    assert off == {"u2", "msg_2", "r2", "msg_3"}


def test_rewind_before_a_compaction_crosses_the_boundary():
    t = Transcript()
    t.prompt("u1", None, "first", 0)
    t.block("a1", "u1", "msg_1", text("ok"), 1)
    t.prompt("u2", "a1", "abandoned", 10)
    t.block("a2", "u2", "msg_2", text("abandoned answer"), 11)
    t.prompt("u3", "a1", "kept", 20)
    t.block("a3", "u3", "msg_3", text("kept answer"), 21)
    t.system("b1", None, "Conversation compacted", 30, subtype="compact_boundary")
    t.rows[-1]["logical_parent_line_uuid"] = "a3"
    t.prompt("c1", "b1", "This session is being continued...", 30, is_compact_summary=True)
    t.prompt("u4", "c1", "after compaction", 40)
    t.block("a4", "u4", "msg_4", text("after"), 41)
    rows = project(t)
    off = {r["source_message_id"] for r in rows if not r["is_on_main_path"]}
    assert off == {"u2", "msg_2"}


def test_recording_artifacts_are_not_rewinds():
    t = Transcript()
    t.prompt("u1", None, "do two things", 0)
    # parallel tool_use blocks and their results as siblings
    t.block("a1", "u1", "msg_1", tool_use("toolu_1", "Read", file_path="a"), 1)
    t.block("a2", "a1", "msg_1", tool_use("toolu_2", "Read", file_path="b"), 1)
    t.tool_result("r1", "a1", "toolu_1", "A", 2)
    t.tool_result("r2", "a2", "toolu_2", "B", 2)
    t.attachment("h1", "r2", "hook_success", 2)
    t.progress("p1", "r2", 2)
    t.block("a3", "r2", "msg_2", text("done"), 3, request_id="req_2")
    # a compaction replay: a new uuid, same parent and timestamp as the original prompt
    t.prompt("u2", "a3", "next", 10)
    t.prompt("u2-replay", "a3", "next", 10)
    t.block("a4", "u2-replay", "msg_3", text("sure"), 11, request_id="req_3")
    # local commands (/clear, ! bash mode) and interruption markers are not rewinds
    t.prompt("k1", "a4", "<command-name>/clear</command-name>", 20)
    t.prompt("k2", "a4", "<bash-input>ls</bash-input>", 30)
    t.prompt("k3", "a4", [text("[Request interrupted by user]")], 40)
    t.prompt("k4", "a4", "and now this", 50)
    rows = project(t)
    assert all(r["is_on_main_path"] for r in rows)


def test_malformed_parent_cycle_terminates():
    t = Transcript()
    t.prompt("u1", None, "hi", 0)
    t.progress("p1", "p2", 1)
    t.progress("p2", "p1", 2)
    t.tool_result("r1", "p1", "toolu_x", "?", 3)
    t.prompt("u2", "u3", "loop a", 4)
    t.prompt("u3", "u2", "loop b", 5)
    rows = project(t)
    assert [r["parent_message_id"] for r in rows[:2]] == [None, None]
    assert len(rows) == 4


# -- rule 8: order and ids --------------------------------------------------------------


def test_thread_seq_follows_file_order_and_ids_are_stable():
    t = Transcript()
    t.prompt("u1", None, "first", 50)  # timestamps out of order: file order wins
    t.block("a1", "u1", "msg_1", text("ok"), 10)
    t.system(None, "a1", "no uuid on this line", 60)
    rows = project(t)
    assert [r["thread_seq"] for r in rows] == [0, 1, 2]
    assert [r["source_line"] for r in rows] == [1, 2, 3]
    assert rows[0]["message_id"] == md5("sess-1:u1")
    assert rows[2]["message_id"] == md5("sess-1:/p/sess-1.jsonl:3")
    again = project(t)
    assert [r["message_id"] for r in again] == [r["message_id"] for r in rows]


def test_rebuilt_thread_orders_by_nested_timestamps():
    t = Transcript("s-1")
    t.prompt("u1", None, "delegate", 0)
    t.block("a1", "u1", "msg_1", tool_use("toolu_T", "Task", prompt="go"), 1)
    later = nested_assistant("sa1", "msg_s2", "req_2", text("second"), 9)
    earlier = nested_assistant("sb1", "msg_s1", "req_1", text("first"), 5)
    t.progress("p1", "a1", 10, subtype="agent_progress", agent_id="a-x", nested=later)
    t.progress("p2", "a1", 11, subtype="agent_progress", agent_id="a-x", nested=earlier)
    sub = [r for r in project(t) if r["agent_id"] == "a-x"]
    assert [r["text"] for r in sub] == ["first", "second"]
    assert [r["source_line"] for r in sub] == [4, 3]


# -- real transcripts -------------------------------------------------------------------


def _stage_real_files(root: Path) -> pa.Table:
    """A minimal stand-in for staging: main-file conversation lines of the real fixtures.

    Only what the invariants need: each top-level ``<session>.jsonl`` is one session;
    sidechain lines go to one thread per file (the real staging splits them finer).
    """
    files = sorted(str(p) for p in root.rglob("*.jsonl") if "subagents" not in p.parts)
    files = [f for f in files if not Path(f).name.startswith("agent-")]
    con = duckdb.connect()
    try:
        return con.sql(
            """
            with raw as (
                select filename, json(json) as j, row_number() over (
                    partition by filename order by file_row
                ) as source_line
                from (
                    select filename, json, row_number() over () as file_row
                    from read_json_objects($files, filename = true, format = 'newline_delimited')
                )
            ),
            s as (
                select
                    *,
                    regexp_extract(filename, '([^/]+)\\.jsonl$', 1) as session_id,
                    coalesce(j->>'isSidechain' = 'true', false) as is_sidechain
                from raw
            )
            select
                session_id,
                case when is_sidechain then 'sidechain' end as agent_id,
                session_id || case when is_sidechain then '/sidechain' else '' end as thread_id,
                j->>'uuid' as line_uuid,
                j->>'parentUuid' as parent_line_uuid,
                j->>'logicalParentUuid' as logical_parent_line_uuid,
                j->>'$.message.id' as source_message_id,
                j->>'requestId' as request_id,
                j->>'type' as line_type,
                coalesce(j->>'subtype', j->>'$.data.type') as line_subtype,
                j->>'$.message.model' as model,
                j->>'$.message.stop_reason' as stop_reason,
                (j->'$.message.content')::varchar as message_content,
                (j->'content')::varchar as line_content,
                (j->'$.data.message')::varchar as progress_message,
                j->>'$.data.agentId' as progress_agent_id,
                (j->>'$.message.usage.input_tokens')::bigint as usage_input_tokens,
                (j->>'$.message.usage.output_tokens')::bigint as usage_output_tokens,
                (j->>'$.message.usage.cache_read_input_tokens')::bigint
                    as usage_cache_read_input_tokens,
                (j->>'$.message.usage.cache_creation_input_tokens')::bigint
                    as usage_cache_creation_input_tokens,
                coalesce(j->>'isMeta' = 'true', false) as is_meta,
                coalesce(j->>'isCompactSummary' = 'true', false) as is_compact_summary,
                coalesce(j->>'sessionId' <> session_id, false) as has_foreign_session_id,
                try_cast(j->>'timestamp' as timestamptz) as created_at,
                filename as source_file,
                source_line
            from s
            where json_valid(j::varchar)
            """,
            params={"files": files},
        ).to_arrow_table()
    finally:
        con.close()


@pytest.mark.real_fixtures
def test_real_transcripts_project_cleanly_and_count_usage_like_ccusage():
    if not REAL_CLAUDE.is_dir():
        pytest.skip("../shared/fixtures/real is not available")
    lines = _stage_real_files(REAL_CLAUDE)
    out = project_claude_code(lines)
    check_invariants(out)
    assert out.num_rows > 100
    con = duckdb.connect()
    try:
        con.register("o", out)
        con.register("l", lines)
        got = con.sql(
            """
            select session_id, sum(output_tokens), sum(cache_read_input_tokens),
                sum(input_tokens)
            from o group by all having sum(output_tokens) is not null order by 1
            """
        ).fetchall()
        # independent expectation: ccusage's rule over the raw assistant lines
        expected = con.sql(
            """
            with r as (
                select session_id, source_message_id, request_id,
                    arg_max(
                        [usage_output_tokens, usage_cache_read_input_tokens,
                         usage_input_tokens + usage_cache_read_input_tokens
                         + usage_cache_creation_input_tokens],
                        usage_output_tokens
                    ) as u
                from l
                where line_type = 'assistant' and model <> '<synthetic>'
                group by all
            )
            select session_id, sum(u[1]), sum(u[2]), sum(u[3]) from r group by all order by 1
            """
        ).fetchall()
        main_path = con.sql("select avg(is_on_main_path::int) from o").fetchall()[0][0]
    finally:
        con.close()
    assert got == expected
    assert main_path > 0.98


def test_turn_id_is_the_prompt_id_of_the_turn():
    main = Transcript("s-turn")
    main.prompt("u1", None, "first", 0, prompt_id="p-1")
    main.block("a1", "u1", "msg_t1", text("one"), 1)
    main.prompt("u2", "a1", "second", 2, prompt_id="p-2")
    main.block("a2", "u2", "msg_t2", text("two"), 3)
    rows = project(main)
    assert [(r["message_kind"], r["turn_id"]) for r in rows] == [
        ("prompt", "p-1"),
        ("response", "p-1"),
        ("prompt", "p-2"),
        ("response", "p-2"),
    ]
