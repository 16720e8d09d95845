"""project_codex: one small case per rule, on rows shaped like real rollout lines."""

from __future__ import annotations

import hashlib
import json
from datetime import timedelta

import pyarrow as pa
import pytest
from codex_rows import Rollout, table, tid, usage

from agent_threads.projection.codex import BASELINES_SCHEMA, project_codex
from agent_threads.projection.schema import MESSAGE_KINDS, MESSAGES_SCHEMA, ROLES

PARENT = tid(1_000, 1)
CHILD = tid(5_000, 2)
TURN_1 = tid(2_000, 11)
TURN_2 = tid(3_000, 12)
TURN_3 = tid(6_000, 13)


def rows(out: pa.Table, thread_id: str | None = None) -> list[dict]:
    got = out.to_pylist()
    return [r for r in got if thread_id is None or r["thread_id"] == thread_id]


def kinds(out: pa.Table, thread_id: str | None = None) -> list[tuple[str, str]]:
    return [(r["role"], r["message_kind"]) for r in rows(out, thread_id)]


def totals(out: pa.Table, thread_id: str | None = None) -> dict[str, int]:
    cols = (
        "input_tokens",
        "cache_read_input_tokens",
        "cache_creation_input_tokens",
        "output_tokens",
        "reasoning_output_tokens",
    )
    return {c: sum(r[c] or 0 for r in rows(out, thread_id)) for c in cols}


def parent_turns(r: Rollout) -> None:
    """The real fork sample's parent: two turns "one" and "two" (0.130 legacy mode)."""
    r.task_started(TURN_1)
    r.message("developer", "<permissions instructions>\nsandbox", turn_id=None)
    r.message("user", "# AGENTS.md instructions for /w\n\n<INSTRUCTIONS>x</INSTRUCTIONS>")
    r.turn_context("gpt-5.5", TURN_1)
    r.message("user", "Reply with exactly the word: one")
    r.user_message_event("Reply with exactly the word: one")
    r.token_count(None)
    r.reasoning()
    r.agent_message_event("one")
    r.message("assistant", "one", phase="final_answer")
    r.token_count(usage(30259, 6528, 20, 13))
    r.task_complete(TURN_1, "one")
    r.task_started(TURN_2)
    r.turn_context("gpt-5.5", TURN_2)
    r.message("user", "Reply with exactly the word: two")
    r.user_message_event("Reply with exactly the word: two")
    r.token_count(usage(30259, 6528, 20, 13))
    r.agent_message_event("two")
    r.message("assistant", "two", phase="final_answer")
    r.token_count(usage(60536, 36608, 25, 13))
    r.task_complete(TURN_2, "two")


def fork_family() -> tuple[Rollout, Rollout]:
    parent = Rollout(source_file="/codex/parent.jsonl").thread(PARENT)
    parent.meta()
    parent_turns(parent)
    child = Rollout(source_file="/codex/child.jsonl").thread(CHILD, forked_from_id=PARENT)
    child.at(parent.clock + timedelta(seconds=4, milliseconds=300))
    child.meta(forked_from_id=PARENT)
    child.tick(1).meta(thread_id=PARENT, copied=True)
    copy = Rollout(clock=child.clock).thread(CHILD)
    parent_turns(copy)
    for row in copy.rows:  # re-stamped at the fork time, like real copies
        child.add(row["line_type"], row["payload_type"], **_payload(row))
        child.clock -= timedelta(milliseconds=5)
    child.at(child.clock + timedelta(seconds=7))
    child.task_started(TURN_3)
    child.turn_context("gpt-5.5", TURN_3)
    child.message("user", "Reply with exactly the word: three")
    child.user_message_event("Reply with exactly the word: three")
    child.token_count(usage(60536, 36608, 25, 13))
    child.agent_message_event("three")
    child.message("assistant", "three", phase="final_answer")
    child.token_count(usage(90831, 43136, 30, 13))
    child.task_complete(TURN_3, "three")
    return parent, child


def _payload(row: dict) -> dict:
    keep = {
        "role",
        "content",
        "turn_id",
        "model",
        "reasoning_summary",
        "event_message",
        "total_input_tokens",
        "total_cached_input_tokens",
        "total_cache_write_input_tokens",
        "total_output_tokens",
        "total_reasoning_output_tokens",
        "last_agent_message",
    }
    return {k: v for k, v in row.items() if k in keep}


# rule 1: scope, identity, schema -------------------------------------------------------
def test_identity_columns_are_kept_and_schema_is_exact():
    r = Rollout().thread(CHILD, session_id=PARENT, parent_thread_id=PARENT)
    r.meta()
    r.message("user", "hello")
    out = project_codex(r.table())
    assert out.schema.equals(MESSAGES_SCHEMA)
    [m] = rows(out)
    assert m["session_id"] == PARENT
    assert m["conversation_id"] == CHILD
    assert m["thread_id"] == CHILD
    assert m["parent_thread_id"] == PARENT
    assert m["agent_id"] is None
    assert m["source"] == "codex"


def test_empty_input_gives_empty_messages():
    out = project_codex(table([]))
    assert out.num_rows == 0
    assert out.schema.equals(MESSAGES_SCHEMA)


def test_lines_of_a_duplicate_file_are_ignored():
    r = Rollout()
    r.meta()
    r.message("user", "hello")
    dup = Rollout(source_file="/codex/archived_sessions/copy.jsonl", duplicate=True)
    dup.meta()
    dup.message("user", "hello")
    out = project_codex(table(r.rows, dup.rows))
    assert [m["source_file"] for m in rows(out)] == [r.source_file]


# rule 2: one stream per history mode ---------------------------------------------------
def test_legacy_mode_takes_response_items_never_their_event_copies():
    r = Rollout()
    r.meta()
    r.message("user", "Reply with exactly the word: one")
    r.user_message_event("Reply with exactly the word: one")
    r.agent_reasoning_event("**Thinking**")
    r.reasoning("**Thinking**")
    r.agent_message_event("one")
    r.message("assistant", "one")
    out = project_codex(r.table())
    assert kinds(out) == [
        ("user", "prompt"),
        ("assistant", "reasoning"),
        ("assistant", "response"),
    ]
    assert {m["text"] for m in rows(out)} == {
        "Reply with exactly the word: one",
        "**Thinking**",
        "one",
    }


def test_pre_032_legacy_file_has_messages_without_timestamps():
    r = Rollout(legacy=True).thread("981d779b-eff6-469e-bb55-b423fe135b79")
    r.meta(cli_version=None)
    r.add("legacy_state")
    r.message("user", "<environment_context>\n  <cwd>/w</cwd>\n</environment_context>")
    r.message("user", "write a viewer")
    r.function_call("shell", {"command": ["bash", "-lc", "ls"]}, "call_1")
    r.function_call_output("call_1", "a.txt\n")
    r.message("assistant", "done")
    out = project_codex(r.table())
    assert kinds(out) == [
        ("user", "meta"),
        ("user", "prompt"),
        ("assistant", "tool_call"),
        ("tool", "tool_result"),
        ("assistant", "response"),
    ]
    assert all(m["created_at"] is None for m in rows(out))


def test_paginated_mode_takes_turn_items_and_skips_their_response_item_copies():
    thread = tid(10_000, 7)
    turn = tid(10_100, 8)
    r = Rollout().thread(thread)
    r.meta(history_mode="paginated", cli_version="0.147.0")
    r.task_started(turn)
    r.message("developer", "<skills_instructions>\n## Skills", item_id="msg_dev", turn_id=turn)
    r.message("user", "# AGENTS.md instructions for /w\n\n<INSTRUCTIONS>", item_id="msg_agents")
    r.add("world_state")
    r.turn_context("gpt-5.6", turn)
    r.message("user", "Create hello.txt", item_id="msg_u_response", turn_id=turn)
    r.item_completed(
        {
            "type": "UserMessage",
            "id": "u_item",
            "content": [{"type": "text", "text": "Create hello.txt", "text_elements": []}],
        },
        turn,
    )
    r.item_completed(
        {
            "type": "AgentMessage",
            "id": "msg_a1",
            "content": [{"type": "Text", "text": "I'll create it."}],
            "phase": "commentary",
        },
        turn,
    )
    r.message("assistant", "I'll create it.", item_id="msg_a1", turn_id=turn)
    r.custom_tool_call("exec", "const r = await tools.exec_command({cmd:'x'})", "call_1")
    r.custom_tool_call_output("call_1", "Script failed\n", "Script error: rejected")
    r.token_count(usage(22724, 11008, 177, 0, 0))
    r.item_completed(
        {"type": "Reasoning", "id": "rs_1", "summary_text": ["Retrying"], "raw_content": []}, turn
    )
    r.reasoning("Retrying", item_id="rs_1", turn_id=turn)
    r.item_completed({"type": "Plan", "id": "plan_1", "text": "- a"}, turn)
    out = project_codex(r.table())
    assert kinds(out) == [
        ("developer", "meta"),
        ("user", "meta"),
        ("user", "prompt"),
        ("assistant", "response"),
        ("assistant", "tool_call"),
        ("tool", "tool_result"),
        ("assistant", "reasoning"),
    ]
    got = rows(out)
    assert got[2]["source_message_id"] == "u_item"
    assert got[2]["text"] == "Create hello.txt"
    assert got[3]["source_message_id"] == "msg_a1"
    assert got[6]["text"] == "Retrying"
    assert all(m["turn_id"] == turn for m in got)


def test_paginated_fork_copy_without_turn_items_keeps_response_items():
    thread = tid(20_000, 1)
    r = Rollout().thread(thread, forked_from_id=PARENT)
    r.meta(history_mode="paginated", cli_version="0.147.0")
    r.meta(thread_id=PARENT, copied=True)
    r.message("user", "parent question", turn_id=TURN_1)
    r.message("assistant", "parent answer", item_id="msg_p", turn_id=TURN_1)
    out = project_codex(r.table())
    assert kinds(out) == [("user", "prompt"), ("assistant", "response")]
    assert all(m["is_replayed"] for m in rows(out))


# rule 3: roles and kinds -----------------------------------------------------------------
@pytest.mark.parametrize(
    "text",
    [
        "<environment_context>\n  <cwd>/w</cwd>\n</environment_context>",
        "# AGENTS.md instructions for /w\n\n<INSTRUCTIONS>x</INSTRUCTIONS>",
        "<user_instructions>\nbe nice\n</user_instructions>",
        "<turn_aborted>\nThe user interrupted.\n</turn_aborted>",
        "<subagent_notification>{}</subagent_notification>",
        "<skills_instructions>## Skills</skills_instructions>",
        "<codex_internal_context source=x>y</codex_internal_context>",
        "  \n<ENVIRONMENT_CONTEXT>x</ENVIRONMENT_CONTEXT>",
    ],
)
def test_injected_user_context_is_meta(text):
    # a rollout with no user events at all (pre-0.32): the text markers decide
    r = Rollout()
    r.meta()
    r.message("user", text)
    [m] = rows(project_codex(r.table()))
    assert (m["role"], m["message_kind"], m["is_meta"]) == ("user", "meta", True)


# The rollout says which user messages a person sent (issue #18): with user events, any
# other user-role response_item is injected context, whatever its text says.
def test_user_events_tell_prompts_from_injected_context_without_markers():
    r = Rollout()
    r.meta()
    r.message("user", "Instructions from AGENTS.md in /w:\n\nRun the tests.")  # no marker
    r.message("user", "Workspace: /w\nShell: zsh")
    r.message("user", "Why is CI red?")
    r.user_message_event("Why is CI red?")
    r.message("assistant", "A formatting check.")
    r.message("user", "<environment_context>x</environment_context>\nFix it.")
    r.user_message_event("Fix it.")  # the next line, and its text is in the message
    out = rows(project_codex(r.table()))
    assert [(m["text"].splitlines()[0], m["message_kind"], m["is_meta"]) for m in out] == [
        ("Instructions from AGENTS.md in /w:", "meta", True),
        ("Workspace: /w", "meta", True),
        ("Why is CI red?", "prompt", False),
        ("A formatting check.", "response", False),
        ("<environment_context>x</environment_context>", "prompt", False),
    ]


def test_a_user_event_elsewhere_with_other_text_makes_no_prompt():
    r = Rollout()
    r.meta()
    r.user_message_event("hello")
    r.message("user", "Workspace: /w")  # after the event, other text: injected
    r.message("user", "hello")
    out = rows(project_codex(r.table()))
    assert [(m["text"], m["message_kind"]) for m in out] == [
        ("Workspace: /w", "meta"),
        ("hello", "prompt"),
    ]


def test_0_30_to_0_47_user_events_of_another_kind_are_injected_context():
    r = Rollout()
    r.meta()
    r.message("user", "be nice")
    r.add(
        "event_msg",
        "user_message",
        event_message=json.dumps("be nice"),
        event_kind="user_instructions",
    )
    r.message("user", "hi")
    r.add("event_msg", "user_message", event_message=json.dumps("hi"), event_kind="plain")
    assert [m["message_kind"] for m in rows(project_codex(r.table()))] == ["meta", "prompt"]


def test_paginated_user_message_items_are_prompts_whatever_their_text():
    r = Rollout()
    r.meta(history_mode="paginated")
    r.message("user", "Workspace: /w", turn_id=TURN_1)
    r.message("user", "<environment_context>looks injected</environment_context>", turn_id=TURN_1)
    r.item_completed(
        {
            "type": "UserMessage",
            "id": "u1",
            "content": [
                {
                    "type": "text",
                    "text": "<environment_context>looks injected</environment_context>",
                }
            ],
        },
        turn_id=TURN_1,
    )
    out = rows(project_codex(r.table()))
    assert [(m["text"], m["message_kind"]) for m in out] == [
        ("Workspace: /w", "meta"),
        ("<environment_context>looks injected</environment_context>", "prompt"),
    ]


def test_roles_kinds_text_and_content():
    r = Rollout()
    r.meta()
    r.turn_context("gpt-5.1-codex")
    r.message("developer", "<permissions instructions>")
    r.message("system", "system prompt")
    r.message("user", "fix the bug")
    r.reasoning("**Planning**", "**Reading**")
    r.function_call("shell", {"command": ["bash", "-lc", "ls"]}, "call_a")
    r.function_call_output(
        "call_a",
        json.dumps({"output": "a.txt\n", "metadata": {"exit_code": 2, "duration_seconds": 0.1}}),
    )
    r.custom_tool_call("apply_patch", "*** Begin Patch\n*** End Patch", "call_b")
    r.custom_tool_call_output("call_b", "Done!", "ok")
    r.add("response_item", "ghost_snapshot")
    r.turn_context("gpt-5.2-codex")
    r.add("event_msg", "task_complete")
    r.add("event_msg", "context_compacted")
    r.compacted(
        "summary of the work",
        [
            {"type": "message", "role": "user", "content": [{"type": "input_text", "text": "x"}]},
            {"type": "compaction", "encrypted_content": "gAAA"},
        ],
    )
    r.message("assistant", "fixed")
    out = project_codex(r.table())
    got = rows(out)
    assert kinds(out) == [
        ("developer", "meta"),
        ("system", "meta"),
        ("user", "prompt"),
        ("assistant", "reasoning"),
        ("assistant", "tool_call"),
        ("tool", "tool_result"),
        ("assistant", "tool_call"),
        ("tool", "tool_result"),
        ("system", "compaction"),
        ("assistant", "response"),
    ]
    assert [m["is_meta"] for m in got] == [True, True] + [False] * 6 + [True, False]
    assert got[3]["text"] == "**Planning**\n**Reading**"
    call = got[4]
    assert (call["tool_name"], call["tool_call_id"]) == ("shell", "call_a")
    assert json.loads(call["content"]) == {"command": ["bash", "-lc", "ls"]}
    result = got[5]
    assert (result["tool_call_id"], result["text"], result["is_error"]) == (
        "call_a",
        "a.txt\n",
        True,
    )
    assert result["tool_name"] == "shell"  # a result names the tool of its call
    assert got[6]["tool_name"] == "apply_patch"
    assert got[7]["tool_name"] == "apply_patch"
    assert got[6]["text"] == "*** Begin Patch\n*** End Patch"
    assert json.loads(got[6]["content"]) == "*** Begin Patch\n*** End Patch"
    assert got[7]["text"] == "Done!\nok"
    compaction = got[8]
    assert compaction["text"] == "summary of the work"
    assert json.loads(compaction["content"]) == {
        "replacement_history_items": 2,
        "encrypted_compaction_items": 1,
    }
    assert [m["model"] for m in got] == ["gpt-5.1-codex"] * 8 + ["gpt-5.2-codex"] * 2
    assert {m["role"] for m in got} <= set(ROLES)
    assert {m["message_kind"] for m in got} <= set(MESSAGE_KINDS)


def exec_output(code_line: str, stdout: str = "") -> str:
    """A unified exec tool output (exec_command / write_stdin, 0.11x-0.14x)."""
    return (
        f"Chunk ID: 1a4eac\nWall time: 0.4043 seconds\n{code_line}\n"
        f"Original token count: 0\nOutput:\n{stdout}"
    )


def test_command_results_take_is_error_from_the_exit_code():
    r = Rollout()
    r.meta()
    r.turn_context("gpt-5.5")
    r.message("user", "run the tests")
    outputs = {
        # unified exec output header (real 0.130 / 0.144 shape)
        "exec_ok": exec_output("Process exited with code 0", "ok\n"),
        "exec_fail": exec_output("Process exited with code 2", "Exit code: 0\n"),
        "exec_running": exec_output("Process running with session ID 41803"),
        # shell_command's header
        "shell_command_fail": "Exit code: 1\nWall time: 0.1 seconds\nOutput:\nboom\n",
        # an output whose header states nothing: an exec_command_end event says (below)
        "ended_fail": "Function output removed",
        "ended_ok": exec_output("Process exited with code 3"),  # the event wins: 0
        "unknown": "Function output removed",
        # the exit code only inside the command's own output is no exit code
        "no_header": "Output:\nProcess exited with code 1\n",
    }
    for call_id, output in outputs.items():
        r.function_call("exec_command", {"cmd": "make test"}, call_id)
        r.function_call_output(call_id, output)
    r.add("event_msg", "exec_command_end", call_id="ended_fail", exit_code=127)
    r.add("event_msg", "exec_command_end", call_id="ended_ok", exit_code=0)
    got = {
        m["tool_call_id"]: m["is_error"]
        for m in rows(project_codex(r.table()))
        if m["message_kind"] == "tool_result"
    }
    assert got == {
        "exec_ok": False,
        "exec_fail": True,
        "exec_running": None,
        "shell_command_fail": True,
        "ended_fail": True,
        "ended_ok": False,
        "unknown": None,
        "no_header": None,
    }


# rule 4: replay ----------------------------------------------------------------------------
def test_fork_copy_is_replayed_and_own_turn_is_not():
    _, child = fork_family()
    out = project_codex(child.table())
    got = rows(out)
    replayed = [m["text"] for m in got if m["is_replayed"]]
    own = [m["text"] for m in got if not m["is_replayed"]]
    assert "Reply with exactly the word: one" in replayed
    assert "two" in replayed
    assert own == ["Reply with exactly the word: three", "three"]
    # the copy is stamped at the fork time: timestamps alone cannot separate it
    copied_times = {m["created_at"] for m in got if m["is_replayed"]}
    assert len(copied_times) == 1


def test_copy_without_turn_ids_ends_with_the_burst_second():
    child = Rollout().thread(CHILD, forked_from_id=PARENT)
    child.meta(forked_from_id=PARENT)
    child.meta(thread_id=PARENT, copied=True)
    child.message("user", "old question")
    child.message("assistant", "old answer")
    child.token_count(usage(100, 0, 10, 0))
    child.tick(3_000)
    child.message("user", "new question")
    child.message("assistant", "new answer")
    child.token_count(usage(250, 0, 30, 0))
    out = project_codex(child.table())
    assert [(m["text"], m["is_replayed"]) for m in rows(out)] == [
        ("old question", True),
        ("old answer", True),
        ("new question", False),
        ("new answer", False),
    ]
    assert totals(out)["input_tokens"] == 150
    assert totals(out)["output_tokens"] == 20


# rule 5: tokens ------------------------------------------------------------------------------
def test_token_deltas_skip_nulls_and_repeats_and_map_to_otel():
    r = Rollout()
    r.meta(cli_version="0.147.0")
    r.message("user", "go")
    r.token_count(None)
    r.message("assistant", "a")
    r.token_count(usage(100, 40, 10, 4, 5))
    r.token_count(usage(100, 40, 10, 4, 5))  # rate-limit repeat
    r.token_count(usage(None, None, None, None))  # "[REDACTED]" usage is null in staging
    r.function_call("shell", {"command": ["ls"]}, "c1")
    r.token_count(usage(250, 140, 30, 14, 25))
    out = project_codex(r.table())
    got = rows(out)
    carrying = [(m["text"] or m["tool_name"], m["input_tokens"]) for m in got if m["input_tokens"]]
    assert carrying == [("a", 100), ("shell", 150)]
    assert totals(out) == {
        "input_tokens": 250,
        "cache_read_input_tokens": 140,
        "cache_creation_input_tokens": 25,
        "output_tokens": 30,
        "reasoning_output_tokens": 14,
    }
    assert all(m["message_kind"] != "token_usage" for m in got)


def test_cache_write_is_null_before_0147():
    r = Rollout()
    r.meta()
    r.message("assistant", "a")
    r.token_count(usage(100, 40, 10, 4))
    [m] = rows(project_codex(r.table()))
    assert m["cache_creation_input_tokens"] is None
    assert m["input_tokens"] == 100


def test_delta_without_a_carrier_becomes_a_token_usage_message():
    r = Rollout()
    r.meta()
    r.message("user", "go")
    r.token_count(usage(10, 0, 1, 0))  # no assistant-side message yet
    r.message("assistant", "a")
    r.token_count(usage(30, 0, 3, 0))
    r.token_count(usage(60, 0, 6, 0))  # "a" already has one
    out = project_codex(r.table())
    assert [(m["message_kind"], m["input_tokens"]) for m in rows(out)] == [
        ("prompt", None),
        ("token_usage", 10),
        ("response", 20),
        ("token_usage", 30),
    ]
    usage_row = rows(out)[1]
    assert (usage_row["role"], usage_row["is_meta"], usage_row["text"]) == ("system", True, None)


def test_thread_with_only_token_counts_keeps_its_tokens():
    r = Rollout()
    r.meta()
    r.token_count(usage(10, 0, 1, 0))
    r.token_count(usage(25, 5, 2, 0))
    out = project_codex(r.table())
    assert [m["message_kind"] for m in rows(out)] == ["token_usage", "token_usage"]
    assert totals(out)["input_tokens"] == 25


def test_fork_family_counts_every_token_once():
    """Real fork sample shape: parent final total 60561, child 90861 after one turn."""
    parent, child = fork_family()
    out = project_codex(table(parent.rows, child.rows))
    parent_total = totals(out, PARENT)
    child_total = totals(out, CHILD)
    assert parent_total["input_tokens"] + parent_total["output_tokens"] == 60561
    assert child_total["input_tokens"] + child_total["output_tokens"] == 30300
    assert child_total == {
        "input_tokens": 30295,
        "cache_read_input_tokens": 6528,
        "cache_creation_input_tokens": 0,
        "output_tokens": 5,
        "reasoning_output_tokens": 0,
    }
    family = totals(out)
    assert family["input_tokens"] + family["output_tokens"] == 90861
    [carrier] = [m for m in rows(out, CHILD) if m["input_tokens"]]
    assert (carrier["text"], carrier["is_replayed"]) == ("three", False)
    assert not any(m["input_tokens"] for m in rows(out, CHILD) if m["is_replayed"])


def test_fork_without_copied_token_count_starts_from_its_baseline():
    child = Rollout().thread(CHILD, forked_from_id=PARENT)
    child.meta(history_mode="paginated", forked_from_id=PARENT)
    child.task_started(TURN_3)
    child.message("assistant", "three")
    child.token_count(usage(90831, 43136, 30, 13, 0))
    baselines = pa.Table.from_pylist(
        [
            {
                "conversation_id": CHILD,
                "baseline_input_tokens": 60536,
                "baseline_cached_input_tokens": 36608,
                "baseline_cache_write_input_tokens": None,
                "baseline_output_tokens": 25,
                "baseline_reasoning_output_tokens": 13,
            }
        ],
        schema=BASELINES_SCHEMA,
    )
    with_baseline = totals(project_codex(child.table(), baselines))
    assert with_baseline["input_tokens"] + with_baseline["output_tokens"] == 30300
    assert with_baseline["cache_read_input_tokens"] == 6528
    without = totals(project_codex(child.table(), None))
    assert without["input_tokens"] == 90831


def test_copied_token_counts_win_over_the_baseline():
    _, child = fork_family()
    wrong = pa.Table.from_pylist(
        [{"conversation_id": CHILD, "baseline_input_tokens": 10**9}], schema=BASELINES_SCHEMA
    )
    assert totals(project_codex(child.table(), wrong))["input_tokens"] == 30295


# rule 6: rollback ------------------------------------------------------------------------------
def test_rollback_takes_the_last_turns_off_the_main_path_but_keeps_their_tokens():
    r = Rollout().thread(tid(40_000))
    r.meta()
    turns = [tid(40_100 + i, i) for i in range(4)]
    total = 0
    for i, turn in enumerate(turns[:3]):
        r.task_started(turn)
        r.message("user", f"q{i}", turn_id=turn)
        r.message("assistant", f"a{i}")
        total += 100
        r.token_count(usage(total, 0, 10 * (i + 1), 0))
        r.task_complete(turn)
    r.add("event_msg", "turn_aborted", turn_id=turns[2])
    r.rolled_back(1)
    r.rolled_back(1)  # a second rollback takes the turn before the first one
    r.task_started(turns[3])
    r.message("user", "q3", turn_id=turns[3])
    out = project_codex(r.table())
    assert [(m["text"], m["is_on_main_path"]) for m in rows(out)] == [
        ("q0", True),
        ("a0", True),
        ("q1", False),
        ("a1", False),
        ("q2", False),
        ("a2", False),
        ("q3", True),
    ]
    assert totals(out)["input_tokens"] == 300


def test_rollback_without_turn_ids_counts_user_prompts():
    r = Rollout()
    r.meta()
    r.message("user", "<environment_context>x</environment_context>")
    r.message("user", "q0")
    r.message("assistant", "a0")
    r.message("user", "q1")
    r.message("assistant", "a1")
    r.rolled_back(1)
    r.message("user", "q2")
    out = project_codex(r.table())
    assert [m["is_on_main_path"] for m in rows(out)] == [True, True, True, False, False, True]


# rule 7: ids and order ------------------------------------------------------------------------
def test_ids_sequence_and_parents():
    r = Rollout().thread(tid(50_000))
    r.meta()
    turn = tid(50_100, 5)
    r.task_started(turn)
    r.message("user", "q")
    r.reasoning("think")
    r.message("assistant", "a")
    r.task_complete(turn)
    r.message("user", "late, after the turn")
    out = project_codex(r.table())
    got = rows(out)
    assert [m["thread_seq"] for m in got] == [0, 1, 2, 3]
    expected = [hashlib.md5(f"{r.thread_id}:{m['source_line']}".encode()).hexdigest() for m in got]
    assert [m["message_id"] for m in got] == expected
    assert [m["parent_message_id"] for m in got] == [None, *expected[:-1]]
    assert [m["turn_id"] for m in got] == [turn, turn, turn, None]
    assert [m["source_line"] for m in got] == [3, 4, 5, 7]
    assert all(m["created_at"] is not None for m in got)
    again = project_codex(r.table())
    assert again.column("message_id").to_pylist() == expected


def test_message_ids_are_unique_across_threads():
    parent, child = fork_family()
    out = project_codex(table(parent.rows, child.rows))
    ids = out.column("message_id").to_pylist()
    assert len(ids) == len(set(ids))
