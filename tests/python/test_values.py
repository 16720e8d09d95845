"""Values that read right (issue #14), on real dbt builds.

- Titles: Codex thread names from the Codex home's session_index.jsonl (last entry wins),
  else the first typed prompt cut to one line of at most 80 characters.
- Codex ``threads.agent_type``: the role name, never the ``source.subagent`` JSON.
- ``tool_calls.is_error`` of Codex command calls: from the exit code (an
  ``exec_command_end`` event, else the output text's header).

On the bundled sample, on the real fixtures, and on a small Codex home written here in
the shapes the formats doc gives (an index with renames and bad lines, a spawned
sub-agent without a role, a review sub-agent, an ``exec_command_end`` event).
"""

from __future__ import annotations

import json
import re

import pytest
from support.dbt_project import DbtHome

# sample sessions (see sample_logs/)
CLAUDE_CUSTOM_TITLE = "7a969578-c9e5-4afc-b8f3-a5e7c36be950"
CLAUDE_SUMMARY = "7392be67-47b0-488f-a626-d681d94a664a"
CODEX_RENAMED = "019f5fb2-0546-78b1-8561-a3cd4f8d21e9"  # in sample_logs/codex/session_index.jsonl
CODEX_UNNAMED = "019e8d93-bf53-77b9-ae04-cb30bab8118b"

# the small Codex home
ROOT = "019e1111-0000-7000-8000-000000000001"
SPAWNED = "019e1111-0000-7000-8000-000000000002"
REVIEW = "019e1111-0000-7000-8000-000000000003"
TIME = "2026-05-01T10:00:{:02d}.000Z"
LONG_PROMPT = (
    "Make the nightly export resumable: when it stops halfway, the next run must pick up at "
    "the last finished table\nand never write a table twice."
)


def warnings(output: str) -> list[str]:
    """The lines of a `dbt build` output that warn: dbt's, a warn-severity test's, the project's."""
    summary = re.search(r"Done\. PASS=\d+ WARN=(\d+) ERROR=\d+", output)
    assert summary is not None, output[-3000:]
    lines = re.findall(r".*(?:WARN|Warning|warning).*", output.replace(summary.group(0), ""))
    return lines + ([summary.group(0)] if summary.group(1) != "0" else [])


def test_the_sample_build_prints_no_warning(sample_build: DbtHome) -> None:
    assert warnings(sample_build.build_output) == []


def test_sample_titles(sample_build: DbtHome) -> None:
    titles = {
        session: (source, title, title_source)
        for session, source, title, title_source in sample_build.query(
            "select session_id, source, title, title_source from sessions"
        )
    }
    assert titles[CLAUDE_CUSTOM_TITLE][1:] == ("orders rate limit", "custom_title")
    assert titles[CLAUDE_SUMMARY][2] == "summary"
    # Codex: the name the session index gives the root thread
    assert titles[CODEX_RENAMED][1:] == ("checkout refactor: tests + review", "thread_name")
    # no title of its own: the first typed prompt, one line, at most 80 characters
    prompt = (
        "Bump the AWS provider to 6.x in every module and make sure `terraform plan` is clean. "
        "Use a helper agent for the plan runs."
    )  # sample_logs/codex/history.jsonl holds it too
    assert titles[CODEX_UNNAMED][1:] == (prompt[:80], "first_prompt")
    sources = {}
    for source, title, title_source in titles.values():
        sources.setdefault(source, set()).add(title_source)
        assert title is not None and "\n" not in title and len(title) <= 80
    assert sources == {
        "claude_code": {"custom_title", "summary", "first_prompt"},
        "codex": {"thread_name", "first_prompt"},
        "copilot_cli": {"first_prompt"},
        "gemini_cli": {"first_prompt"},
    }
    # a main thread carries its session's title
    assert sample_build.scalar(
        f"select title from threads where thread_id = '{CODEX_RENAMED}'"
    ) == ("checkout refactor: tests + review")


def test_sample_codex_command_results_have_an_outcome(sample_build: DbtHome) -> None:
    outcomes = dict(
        sample_build.query(
            "select tool_name || ':' || coalesce(is_error::varchar, 'null'), count(*) "
            "from tool_calls where tool_name in ('exec_command', 'shell', 'apply_patch') "
            "and thread_id in (select thread_id from threads where source = 'codex') group by 1"
        )
    )
    # exec_command states its exit code in the output's header (all were null before);
    # the old shell tool and apply_patch (run through it) in the JSON metadata
    # The Desktop rollout (issue #18): its exec_command_end says exit code 3 (an error);
    # its apply_patch is a freeform call whose output states no exit code (null)
    assert outcomes == {
        "exec_command:false": 12,
        "exec_command:true": 1,
        "apply_patch:false": 4,
        "apply_patch:null": 1,
        "shell:false": 8,
        "shell:true": 1,
    }


def test_sample_agent_types_are_role_names(sample_build: DbtHome) -> None:
    assert sorted(
        sample_build.query(
            "select agent_type, count(*) from threads where source = 'codex' "
            "and thread_kind = 'subagent' group by 1"
        )
    ) == [("explorer", 1), ("worker", 3)]


@pytest.mark.real_fixtures
def test_real_codex_values(real_build: DbtHome) -> None:
    # exec_command: 108 calls; 20 outputs say "Process exited with code 0", 87 were removed
    # from the capture ("Function output removed": no outcome known), 1 is unanswered
    outcomes = dict(
        real_build.query(
            "select coalesce(is_error::varchar, 'null'), count(*) from tool_calls "
            "where tool_name = 'exec_command' group by 1"
        )
    )
    assert outcomes == {"false": 20, "null": 88}
    assert (
        real_build.scalar(
            "select count(*) from tool_calls where tool_name = 'exec_command' "
            "and is_error is null and tool_output like '%Process exited with code%'"
        )
        == 0
    )
    # the three spawned sub-agents of the 0.144.4 capture name no role: null, never the
    # {"thread_spawn": ...} document their source holds
    agent_types = real_build.query(
        "select agent_type, count(*) from threads where source = 'codex' "
        "and thread_kind = 'subagent' group by 1"
    )
    assert agent_types == [(None, 3)]


def rollout_line(kind: str, payload: dict, second: int) -> str:
    return json.dumps({"timestamp": TIME.format(second), "type": kind, "payload": payload}) + "\n"


def exec_output(code_line: str) -> str:
    return (
        f"Chunk ID: 5d166a\nWall time: 0.3783 seconds\n{code_line}\n"
        "Original token count: 1\nOutput:\nok\n"
    )


def rollout(thread_id: str, source: object, prompt: str, calls: dict[str, str], **meta) -> str:
    header = {
        "id": thread_id,
        "timestamp": TIME.format(0),
        "cwd": "/work/demo",
        "originator": "codex_cli_rs",
        "cli_version": "0.130.0",
        "source": source,
        "model_provider": "openai",
        **meta,
    }
    lines = [
        rollout_line("session_meta", header, 0),
        rollout_line("turn_context", {"cwd": "/work/demo", "model": "gpt-5.5"}, 1),
        rollout_line(
            "response_item",
            {
                "type": "message",
                "role": "user",
                "content": [{"type": "input_text", "text": "<environment_context>x"}],
            },
            2,
        ),
        rollout_line(
            "response_item",
            {
                "type": "message",
                "role": "user",
                "content": [{"type": "input_text", "text": prompt}],
            },
            3,
        ),
    ]
    for second, (call_id, output) in enumerate(calls.items(), start=4):
        arguments = json.dumps({"cmd": "make test"})
        lines.append(
            rollout_line(
                "response_item",
                {
                    "type": "function_call",
                    "name": "exec_command",
                    "arguments": arguments,
                    "call_id": call_id,
                },
                second,
            )
        )
        lines.append(
            rollout_line(
                "response_item",
                {"type": "function_call_output", "call_id": call_id, "output": output},
                second,
            )
        )
    total = {"input_tokens": 900, "cached_input_tokens": 0, "output_tokens": 50}
    lines.append(
        rollout_line("event_msg", {"type": "token_count", "info": {"total_token_usage": total}}, 20)
    )
    return "".join(lines)


@pytest.fixture(scope="module")
def codex_home_build(tmp_path_factory: pytest.TempPathFactory) -> DbtHome:
    base = tmp_path_factory.mktemp("codex_values")
    home = base / "codex"
    day = home / "sessions" / "2026" / "05" / "01"
    day.mkdir(parents=True)
    root = rollout(
        ROOT,
        "cli",
        "Make the nightly export resumable.",
        {
            "call_fail": exec_output("Process exited with code 1"),
            "call_ended": "Function output removed",
            "call_running": exec_output("Process running with session ID 41803"),
        },
    )
    root += rollout_line(
        "event_msg",
        {"type": "exec_command_end", "call_id": "call_ended", "exit_code": 0, "stdout": "ok\n"},
        21,
    )
    (day / f"rollout-2026-05-01T10-00-00-{ROOT}.jsonl").write_text(root)
    spawn = {"subagent": {"thread_spawn": {"parent_thread_id": ROOT, "depth": 1}}}
    (day / f"rollout-2026-05-01T10-00-01-{SPAWNED}.jsonl").write_text(
        rollout(SPAWNED, spawn, "look at the tests", {}, session_id=ROOT, parent_thread_id=ROOT)
    )
    (day / f"rollout-2026-05-01T10-00-02-{REVIEW}.jsonl").write_text(
        rollout(REVIEW, {"subagent": "review"}, f"  {LONG_PROMPT}", {})
    )
    index = [
        {"id": ROOT, "thread_name": "nightly export", "updated_at": "2026-05-01T10:01:00Z"},
        "not json {",
        {"id": "../../etc", "thread_name": "hostile", "updated_at": "2026-05-01T10:02:00Z"},
        {"id": REVIEW, "thread_name": "   ", "updated_at": "2026-05-01T10:02:00Z"},
        {"id": ROOT, "thread_name": "resumable export", "updated_at": "2026-05-01T10:03:00Z"},
        {"id": "019e9999-0000-7000-8000-000000000009", "thread_name": "elsewhere"},
    ]
    (home / "session_index.jsonl").write_text(
        "".join((e if isinstance(e, str) else json.dumps(e)) + "\n" for e in index)
    )
    dbt_home = DbtHome(base / "home", claude_roots=[], codex_roots=[home])
    output = dbt_home.build().output
    assert warnings(output) == []  # bad index lines and the end event warn of nothing
    return dbt_home


def test_codex_thread_names_come_from_the_session_index(codex_home_build: DbtHome) -> None:
    home = codex_home_build
    titles = {
        s: (t, src)
        for s, t, src in home.query("select session_id, title, title_source from sessions")
    }
    assert titles[ROOT] == ("resumable export", "thread_name")  # the last entry wins
    # the index's lines are never rollout lines: not staged as such, never rejected; a
    # line that is no entry (not JSON, a hostile id, a blank name) names nothing
    assert home.scalar("select count(*) from staging.stg_codex__session_index") == 3
    assert (
        home.scalar(
            "select count(*) from staging.base_codex__lines"
            " where source_file like '%/session_index.jsonl'"
        )
        == 0
    )
    assert home.scalar("select count(*) from rejected_lines") == 0
    assert (
        home.scalar(
            "select count(*) from landing.land_codex__lines"
            " where source_file like '%/session_index.jsonl'"
        )
        == 6
    )


def test_first_prompt_title_is_one_line_of_at_most_80_characters(
    codex_home_build: DbtHome,
) -> None:
    # no name (a blank one names nothing): the first typed prompt, not the injected context
    # before it, trimmed, cut to its first line and to 80 characters
    first_line = LONG_PROMPT.split("\n")[0]
    assert len(first_line) > 80
    assert codex_home_build.query(
        f"select title, title_source from sessions where session_id = '{REVIEW}'"
    ) == [(first_line[:80].rstrip(), "first_prompt")]


def test_codex_agent_type_is_the_role_name(codex_home_build: DbtHome) -> None:
    agent_types = dict(
        codex_home_build.query("select thread_id, agent_type from threads where source = 'codex'")
    )
    assert agent_types == {ROOT: None, SPAWNED: None, REVIEW: "review"}


def test_codex_command_is_error_from_the_exit_code(codex_home_build: DbtHome) -> None:
    home = codex_home_build
    outcomes = dict(
        home.query("select tool_call_id, is_error from tool_calls where thread_id = '" + ROOT + "'")
    )
    assert outcomes == {"call_fail": True, "call_ended": False, "call_running": None}
    # the end event is a known line type, with its handling
    assert home.query(
        "select projection_handling from line_types where line_subtype = 'exec_command_end'"
    ) == [("tool_outcome",)]


@pytest.mark.real_fixtures
def test_a_first_prompt_title_leaves_out_the_ides_injected_context(real_build: DbtHome) -> None:
    """A VS Code session's first prompt starts with `<ide_selection>` (the editor's
    selection, injected): its title is what the person typed after it."""
    titles = real_build.query(
        "select session_id, title from sessions where title_source = 'first_prompt'"
    )
    assert titles and not [t for t in titles if t[1].lstrip().startswith("<ide_")], titles
    typed = real_build.query(
        "select session_id, text from messages where thread_id = session_id"
        " and message_kind = 'prompt' and text like '<ide_selection>%' order by thread_seq"
    )
    assert typed  # the real fixtures hold such a prompt
    session, text = typed[0]
    after = text[text.index("</ide_selection>") + len("</ide_selection>") :].strip()
    title = dict(titles).get(session)
    if title is not None:  # the session has no title of its own
        assert title == after.split("\n")[0][:80].rstrip()
