"""GitHub Copilot CLI as a source: discovery, identity, tokens, turns and landing.

Expected values are read from the raw event logs here (a small oracle over the JSON),
never copied from the dataset, so a wrong projection cannot agree with itself.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from support.dbt_project import REPO, DbtHome

from agent_threads.landing import files as landing
from agent_threads.log_formats import copilot_cli as copilot_format

COPILOT_SAMPLES = REPO / "sample_logs" / "copilot"


def sample_logs() -> list[Path]:
    return sorted(COPILOT_SAMPLES.glob("session-state/*/events.jsonl"))


def events(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def expected_session(path: Path) -> dict:
    """What the raw file says: ids, subagents, tokens, typed prompts."""
    lines = events(path)
    start = next(e for e in lines if e["type"] == "session.start")
    agents = set()
    for e in lines:
        agent = e.get("agentId") or e["data"].get("parentToolCallId")
        if agent and e["type"] not in ("subagent.started", "subagent.completed"):
            agents.add(agent)
    output = sum(
        e["data"].get("outputTokens", 0) for e in lines if e["type"] == "assistant.message"
    )
    usage = [
        metric["usage"]
        for e in lines
        if e["type"] == "session.shutdown"
        for metric in e["data"]["modelMetrics"].values()
    ]
    compactions = [e["data"] for e in lines if e["type"] == "session.compaction_complete"]

    def compaction(key_new: str, key_old: str) -> int:
        return sum(
            c["compactionTokensUsed"].get(key_new, c["compactionTokensUsed"].get(key_old, 0))
            for c in compactions
        )

    return {
        "session_id": start["data"]["sessionId"],
        "agents": agents,
        "compactions": len(compactions),
        "prompts": sum(1 for e in lines if e["type"] == "user.message" and e["data"]["content"]),
        "output_tokens": output + compaction("outputTokens", "output"),
        "input_tokens": sum(u["inputTokens"] for u in usage) + compaction("inputTokens", "input"),
        "cache_read_input_tokens": sum(u["cacheReadTokens"] for u in usage)
        + compaction("cacheReadTokens", "cachedInput"),
        "tool_requests": sum(
            len(e["data"].get("toolRequests") or [])
            for e in lines
            if e["type"] == "assistant.message"
        ),
    }


def test_the_samples_hold_both_subagent_link_styles() -> None:
    styles = set()
    for path in sample_logs():
        for e in events(path):
            if "agentId" in e:
                styles.add("agentId")
            if "parentToolCallId" in e["data"]:
                styles.add("parentToolCallId")
    assert styles == {"agentId", "parentToolCallId"}


def test_discovery_reads_session_folders_and_flat_files_not_sidecars(tmp_path: Path) -> None:
    home = tmp_path / ".copilot"
    folder = home / "session-state" / "s1"
    folder.mkdir(parents=True)
    (folder / "events.jsonl").write_text("{}\n")
    (folder / "workspace.yaml").write_text("cwd: /x\n")
    (folder / "checkpoints").mkdir()
    (folder / "checkpoints" / "001-x.md").write_text("# x\n")
    (home / "session-state" / "s2.jsonl").write_text("{}\n")
    (home / "otel").mkdir()
    (home / "otel" / "spans.jsonl").write_text("{}\n")
    found, empty = landing.discover_files("copilot_cli", [home])
    assert sorted(Path(f.path).relative_to(home).as_posix() for f in found) == [
        "session-state/s1/events.jsonl",
        "session-state/s2.jsonl",
    ]
    assert empty == []


def test_identity_tokens_and_turns_follow_the_raw_events(sample_build: DbtHome) -> None:
    for path in sample_logs():
        want = expected_session(path)
        session = want["session_id"]
        threads = sample_build.query(
            f"select agent_id, thread_kind, thread_id, conversation_id, parent_thread_id "
            f"from threads where session_id = '{session}'"
        )
        assert {r[1] for r in threads if r[0] is None} == {"main"}
        subagents = {r[0] for r in threads if r[1] == "subagent"}
        assert subagents == want["agents"], path
        assert sum(1 for r in threads if r[1] == "compaction") == want["compactions"]
        for agent_id, _, thread_id, conversation_id, parent in threads:
            # the v6 rule: thread_id = conversation_id ?? session_id + agent_id
            assert conversation_id is None and parent is None
            assert thread_id == (session if agent_id is None else f"{session}/{agent_id}")
        totals = sample_build.query(
            "select input_tokens, cache_read_input_tokens, output_tokens, source "
            f"from sessions where session_id = '{session}'"
        )
        assert totals == [
            (
                want["input_tokens"],
                want["cache_read_input_tokens"],
                want["output_tokens"],
                "copilot_cli",
            )
        ]
        turns = sample_build.scalar(f"select count(*) from turns where session_id = '{session}'")
        # a typed prompt starts a turn (a nudge does not); each subagent's task is its turn
        assert turns == want["prompts"] + len(want["agents"])
        calls = sample_build.scalar(
            f"select count(*) from tool_calls where session_id = '{session}'"
            " and tool_output is not null"
        )
        assert calls == want["tool_requests"]


def test_subagents_are_linked_to_the_task_call_that_spawned_them(sample_build: DbtHome) -> None:
    rows = sample_build.query(
        """
        select threads.agent_type, tool_calls.tool_name
        from threads
        inner join tool_calls on threads.spawned_by_message_id = tool_calls.message_id
        where threads.source = 'copilot_cli' and threads.thread_kind = 'subagent'
        """
    )
    assert sorted(rows) == [("explore", "task"), ("explore", "task")]


def test_a_nudge_is_meta_not_a_prompt(sample_build: DbtHome) -> None:
    rows = sample_build.query(
        "select message_kind, is_meta from messages where source = 'copilot_cli' "
        "and role = 'user' order by message_kind"
    )
    assert ("meta", True) in rows
    assert all(is_meta == (kind == "meta") for kind, is_meta in rows)


def _session_file(root: Path, session_id: str, lines: list[dict]) -> Path:
    folder = root / "session-state" / session_id
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "events.jsonl"
    with path.open("a") as out:
        for line in lines:
            out.write(json.dumps(line) + "\n")
    return path


def _start(session_id: str) -> dict:
    return copilot_format.event(
        "session.start",
        {"sessionId": session_id, "copilotVersion": "1.0.10", "context": {"cwd": "/w"}},
        f"{session_id}-e0",
        "2026-05-01T10:00:00.000Z",
        None,
    )


def _prompt(session_id: str, n: int, text: str) -> dict:
    return copilot_format.event(
        "user.message",
        {"content": text, "transformedContent": text},
        f"{session_id}-e{n}",
        f"2026-05-01T10:00:{n:02d}.000Z",
        f"{session_id}-e{n - 1}",
    )


def test_landing_keeps_a_resumed_session_whole_and_every_line_after_the_file_is_gone(
    tmp_path: Path,
) -> None:
    root = tmp_path / "copilot_home"
    session = "sess-resume-1"
    path = _session_file(root, session, [_start(session), _prompt(session, 1, "first")])
    (root / "session-state" / "broken").mkdir()
    (root / "session-state" / "broken" / "events.jsonl").write_text(
        '{"type": "user.message", "da\n'
    )
    home = DbtHome(tmp_path / "home", claude_roots=[], codex_roots=[], copilot_roots=[root])
    home.build()
    count = f"select count(*) from messages where session_id = '{session}'"
    assert home.scalar(count) == 1
    rejected = home.query("select source, reject_reason from rejected_lines")
    assert rejected == [("copilot_cli", "not valid JSON")]

    # a resume appends to the same file: same session, one more turn
    _session_file(root, session, [_prompt(session, 2, "second")])
    home.build()
    assert home.scalar(count) == 2
    assert home.scalar(f"select count(*) from turns where session_id = '{session}'") == 2

    # the CLI's cleanup deletes the folder: what was landed stays
    shutil.rmtree(path.parent)
    home.build()
    assert home.scalar(count) == 2


def test_claude_roots_alone_bring_no_copilot_sample(tmp_path: Path) -> None:
    claude_only = tmp_path / "claude"
    shutil.copytree(REPO / "sample_logs" / "claude" / "projects", claude_only)
    home = DbtHome(tmp_path / "home", claude_roots=[claude_only])
    home.build()
    assert home.scalar("select count(*) from sessions where source != 'claude_code'") == 0
