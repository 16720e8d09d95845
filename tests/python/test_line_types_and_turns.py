"""The format-drift report (line_types) and the turns mart, on real dbt builds.

Sample logs: the marts' contents on known sample sessions. Real fixtures: no line type
the projection does not know (the list the drift warning would name).
"""

from __future__ import annotations

import pytest
from support.dbt_project import DbtHome

# Sample sessions (see sample_logs/)
CLAUDE_RESUMED = "7a969578-c9e5-4afc-b8f3-a5e7c36be950"  # 2.1.39, no promptId
CLAUDE_PROMPT_IDS = "8c365f69-4b68-4e6a-a56e-94f4755d9f40"  # 2.1.114, promptId
CLAUDE_SIDECHAINS = "7392be67-47b0-488f-a626-d681d94a664a"  # 1.0.x, two Task calls
CODEX_ABORTED = "019efa2e-5914-731b-8b80-6156bd6c86a4"  # 0.130, a turn_aborted
CODEX_SPAWNER = "019f5fb2-0546-78b1-8561-a3cd4f8d21e9"  # 0.144, two spawn_agent calls
CODEX_LEGACY = "ba49c297-172e-47d8-bbbc-19a08133499f"  # pre-0.32, a failing shell call
CODEX_DESKTOP = "01a0c9c6-2a55-7a36-96b6-f5500409f149"  # 0.142.5 Desktop, no task events
CLAUDE_GATEWAY = "31064c7a-eaa9-467c-a8d3-b6b41d6455a5"  # 2.1.232 Agent SDK, via a gateway


def unknown_types(home: DbtHome) -> set[tuple]:
    return set(
        home.query(
            "select distinct source, line_type, line_subtype, item_type from line_types "
            "where not is_known_to_projection"
        )
    )


def test_line_types_on_the_sample(sample_build: DbtHome) -> None:
    home = sample_build
    # every line type of the sample is known, each with its stated handling (the drift
    # warning naming an unknown one is checked on the bad-input build, test_reliability)
    assert unknown_types(home) == set()

    rows = {
        (source, version, line_type, subtype, item): (handling, known, count)
        for source, version, line_type, subtype, item, handling, known, count in home.query(
            "select source, client_version, line_type, line_subtype, item_type, "
            "projection_handling, is_known_to_projection, line_count from line_types"
        )
    }
    # the most specific seed entry wins over a wildcard
    assert rows[("claude_code", "2.1.39", "progress", "agent_progress", None)] == (
        "subagent_rebuild",
        True,
        4,
    )
    assert rows[("claude_code", "2.1.39", "system", "compact_boundary", None)][:2] == (
        "message",
        True,
    )
    # content block types of Claude Code lines; Codex item_completed item types
    assert rows[("claude_code", "2.1.114", "assistant", None, "tool_use")][1] is True
    # string prompts hold no blocks (null item type); tool results are blocks
    assert {k[4] for k in rows if k[0] == "claude_code" and k[2] == "user"} == {None, "tool_result"}
    assert {k[4] for k in rows if k[:4] == ("codex", "0.147.0", "event_msg", "item_completed")} == {
        "UserMessage",
        "AgentMessage",
        "Reasoning",
        "CommandExecution",
        "FileChange",
    }
    # pre-0.32 Codex files are one `legacy` version; lines without a version take their file's
    assert rows[("codex", "legacy", "legacy_state", None, None)] == (
        "ignored: a pre-0.32 state record; not conversation",
        True,
        3,
    )
    # line types real logs carry that the projection skips say why (the seed's reason)
    assert rows[("claude_code", "2.1.114", "permission-mode", None, None)][:2] == (
        "ignored: the session's permission mode setting; not conversation",
        True,
    )
    assert rows[("claude_code", "2.0.55", "queue-operation", "enqueue", None)][1] is True
    assert rows[("codex", "0.144.4", "event_msg", "sub_agent_activity", None)][1] is True
    assert ("claude_code", "2.1.39", "ai-title", None, None) in rows
    # the shapes of issue #18, each used or ignored for a stated reason
    handling = {k: v[0] for k, v in rows.items()}
    assert handling[("claude_code", "2.1.232", "pr-link", None, None)] == "session_pr_url"
    assert handling[("claude_code", "2.1.232", "system", "api_error", None)] == "api_errors"
    assert handling[("claude_code", "2.1.232", "system", "microcompact_boundary", None)] == (
        "message"
    )
    assert handling[("claude_code", "2.1.232", "atis-latch", None, None)] == (
        "ignored: meaning unknown"
    )
    assert handling[("claude_code", "2.1.232", "queue-operation", "popAll", None)].startswith(
        "ignored: "
    )
    assert handling[("codex", "0.147.0", "token_usage_record", None, None)] == (
        "ignored: meaning unknown"
    )
    assert handling[("codex", "0.142.5", "event_msg", "user_message", None)].startswith("prompts")
    for subtype in ("patch_apply_end", "web_search_end", "thread_settings_applied"):
        assert handling[("codex", "0.142.5", "event_msg", subtype, None)].startswith("ignored: ")
    assert handling[("codex", "0.142.5", "event_msg", "exec_command_end", None)] == "tool_outcome"
    for item in ("CommandExecution", "FileChange"):
        assert handling[("codex", "0.147.0", "event_msg", "item_completed", item)].startswith(
            "ignored: "
        )
    # only a subagent's sidecar (.meta.json, no version in the file) has none
    assert [k[2] for k in rows if k[1] == "unknown"] == ["subagent-meta"]
    # every staged Codex line is counted once (one row per line and type)
    assert home.scalar(
        "select sum(line_count) from line_types where source = 'codex'"
    ) == home.scalar("select count(*) from staging.stg_codex__lines")
    assert home.scalar("select count(*) from line_types where first_seen_at > last_seen_at") == 0


def test_turns_on_the_sample(sample_build: DbtHome) -> None:
    home = sample_build

    def turns(thread_id: str) -> list[tuple]:
        return home.query(
            "select turn_seq, turn_id is not null, left(prompt_text, 20), tool_calls, "
            "tool_errors, subagents_spawned, is_interrupted from turns "
            f"where thread_id = '{thread_id}' order by turn_seq"
        )

    # prompts start turns where there is no promptId; /model and its output are no turn
    assert [t[2] for t in turns(CLAUDE_RESUMED)] == [
        "Add rate limiting to",
        "Also return a Retry-",
        "Actually switch to a",
        "try again",
        "Write a short CHANGE",
    ]
    assert turns(CLAUDE_RESUMED)[0][3:6] == (4, 0, 1)  # one Task call
    # promptId (2.1.1xx) is the turn id
    assert [t[:2] for t in turns(CLAUDE_PROMPT_IDS)] == [(0, True), (1, True)]
    assert turns(CLAUDE_SIDECHAINS) == [(0, False, "The checkout total i", 6, 0, 2, False)]
    # Codex: the aborted turn is interrupted; the <turn_aborted> note is no turn of its own
    assert [(t[0], t[1], t[6]) for t in turns(CODEX_ABORTED)] == [
        (0, True, False),
        (1, True, True),
        (2, True, False),
    ]
    assert turns(CODEX_SPAWNER)[0][5] == 2
    assert [t[3:5] for t in turns(CODEX_LEGACY)] == [(3, 1), (2, 0)]
    # no task events: one turn per prompt; the injected context (no known marker) is none
    assert turns(CODEX_DESKTOP) == [
        (0, False, "Why does `terraform ", 2, 1, 0, False),
        (1, False, "Fix it.", 1, 0, 0, False),
    ]
    # a failed API call the client retried is counted on its turn and thread
    assert home.query(
        f"select turn_seq, api_errors from turns where thread_id = '{CLAUDE_GATEWAY}'"
    ) == [(0, 1)]
    assert home.scalar(f"select api_errors from threads where thread_id = '{CLAUDE_GATEWAY}'") == 1
    assert home.scalar("select sum(api_errors) from turns where source = 'claude_code'") == 1
    # a Copilot CLI session.error (a rate limit) is a failed call of its turn too
    assert home.scalar("select sum(api_errors) from turns where source = 'copilot_cli'") == 1

    # every token and tool call of the sample's published threads lands in one turn
    for source, output_tokens, input_tokens, tool_calls in home.query(
        "select source, sum(output_tokens), sum(input_tokens), sum(tool_calls) "
        "from turns group by source"
    ):
        # (a Copilot CLI compaction call is a thread with no prompt: in no turn)
        in_threads_with_turns = (
            f"from messages join threads using (thread_id) where messages.source = '{source}'"
            " and not (messages.source = 'copilot_cli' and threads.thread_kind = 'compaction')"
        )
        assert output_tokens == home.scalar(
            f"select sum(messages.output_tokens) {in_threads_with_turns}"
        )
        assert input_tokens == home.scalar(
            f"select sum(messages.input_tokens) {in_threads_with_turns}"
        )
        assert tool_calls == home.scalar(
            "select count(*) from tool_calls join messages using (message_id) "
            f"where messages.source = '{source}'"
        )
    assert home.query("select source, count(*) from turns group by source order by source") == [
        ("claude_code", 21),  # + the gateway session's one turn (issue #18)
        ("codex", 20),  # + the Desktop rollout's two prompts (issue #18)
        ("copilot_cli", 5),  # 3 typed prompts (a nudge is none), 2 subagent tasks
        ("gemini_cli", 5),  # 4 surviving typed prompts (a rewound one is gone), 1 subagent
    ]
    assert (
        home.scalar(
            "select count(*) from turns where ended_at < started_at or duration_seconds < 0"
        )
        == 0
    )
    assert home.scalar("select max(length(prompt_text)) from turns") <= 500


@pytest.mark.real_fixtures
def test_unknown_line_types_of_the_real_fixtures(real_build: DbtHome) -> None:
    # file-history-snapshot, last-prompt, permission-mode, queue-operation, context_compacted:
    # all known (each with its handling), so a real build warns of none
    assert unknown_types(real_build) == set()
    # no content block or item type of the real fixtures is unknown
    assert (
        real_build.scalar(
            "select count(*) from line_types where item_type is not null "
            "and not is_known_to_projection"
        )
        == 0
    )


def test_sessions_entrypoint_and_pr_url_on_the_sample(sample_build: DbtHome) -> None:
    home = sample_build
    values = {
        session: (entrypoint, pr_url)
        for session, entrypoint, pr_url in home.query(
            "select session_id, entrypoint, pr_url from sessions"
        )
    }
    # Agent SDK session that opened a pull request (2.1.232); a CLI one (2.1.114); older
    # versions write no entrypoint; Codex has none; Copilot CLI its producer
    assert values[CLAUDE_GATEWAY] == ("sdk-ts", "https://github.com/example-dev/api-server/pull/42")
    assert values[CLAUDE_PROMPT_IDS] == ("cli", None)
    assert values[CLAUDE_SIDECHAINS] == (None, None)
    assert values[CODEX_DESKTOP] == (None, None)
    claude_entrypoints = home.scalar(
        "select count(entrypoint) from sessions where source = 'claude_code'"
    )
    assert claude_entrypoints == 2
    assert home.query(
        "select distinct entrypoint, pr_url from sessions where source = 'copilot_cli'"
    ) == [("copilot-agent", None)]
    # thinking tokens split out by the usage are the reasoning part of the output
    assert home.query(
        "select sum(reasoning_output_tokens), sum(output_tokens) from messages "
        f"where session_id = '{CLAUDE_GATEWAY}'"
    ) == [(136, 408)]
