"""Gemini CLI as a source: discovery, the chat replay (upserts, $set, $rewindTo), identity,
tokens and landing.

The expected messages come from a replay written here in Python, record by record, the
way Gemini CLI loads a chat: the SQL projection (set-based) and this loop must agree.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from support.dbt_project import REPO, DbtHome

from agent_threads.landing import files as landing
from agent_threads.log_formats import gemini_cli as gemini_format

GEMINI_SAMPLES = REPO / "sample_logs" / "gemini"


def chat_files() -> list[Path]:
    return sorted(GEMINI_SAMPLES.glob("tmp/*/chats/**/*.json*"))


def replay(path: Path) -> tuple[str, list[dict]]:
    """(the file's sessionId, its messages as the CLI would load them, in order)."""
    if path.suffix == ".json":
        document = json.loads(path.read_text())
        return document["sessionId"], document["messages"]
    session_id, order, latest = "", [], {}
    for line in path.read_text().splitlines():
        record = json.loads(line)
        if "$set" in record:
            if "messages" in record["$set"]:
                order = [m["id"] for m in record["$set"]["messages"]]
                latest = {m["id"]: m for m in record["$set"]["messages"]}
        elif "$rewindTo" in record:
            if record["$rewindTo"] in order:
                cut = order.index(record["$rewindTo"])
                for gone in order[cut:]:
                    latest.pop(gone)
                order = order[:cut]
        elif "id" in record and "type" in record:
            if record["id"] not in latest:
                order.append(record["id"])
            latest[record["id"]] = record
        elif "sessionId" in record and not session_id:
            session_id = record["sessionId"]
    return session_id, [latest[i] for i in order]


def test_discovery_reads_chats_and_subagents_not_other_files(tmp_path: Path) -> None:
    chats = tmp_path / ".gemini" / "tmp" / "proj" / "chats"
    (chats / "root-id").mkdir(parents=True)
    for name in ("session-2026-01-01T10-00-aaaa.jsonl", "session-2025-12-01T10-00-bbbb.json"):
        (chats / name).write_text("{}\n")
    (chats / "root-id" / "agent-id.jsonl").write_text("{}\n")
    (chats.parent / "logs.json").write_text("[]")
    (chats.parent / ".project_root").write_text("/w")
    (tmp_path / ".gemini" / "projects.json").write_text("{}")
    (chats.parent / "tool-outputs" / "session-x").mkdir(parents=True)
    (chats.parent / "tool-outputs" / "session-x" / "out.json").write_text("{}")
    found, _ = landing.discover_files("gemini_cli", [tmp_path / ".gemini"])
    names = sorted(Path(f.path).relative_to(chats).as_posix() for f in found)
    assert names == [
        "root-id/agent-id.jsonl",
        "session-2025-12-01T10-00-bbbb.json",
        "session-2026-01-01T10-00-aaaa.jsonl",
    ]
    # a .json document is one whole-file record
    assert {Path(f.path).suffix: f.is_sidecar for f in found} == {".json": True, ".jsonl": False}


def test_the_projection_replays_each_chat_as_the_cli_loads_it(sample_build: DbtHome) -> None:
    assert len(chat_files()) == 4
    for path in chat_files():
        session_id, expected = replay(path)
        conversation = session_id or path.stem
        rows = sample_build.query(
            "select source_message_id, role, text, input_tokens, cache_read_input_tokens,"
            " output_tokens, reasoning_output_tokens from messages"
            f" where conversation_id = '{conversation}' and message_kind not in"
            " ('tool_call', 'tool_result') order by thread_seq"
        )
        assert [r[0] for r in rows] == [m["id"] for m in expected], path.name
        for row, message in zip(rows, expected, strict=True):
            content = message["content"]
            text = content if isinstance(content, str) else "".join(p["text"] for p in content)
            assert row[2] == (text if text or message["type"] != "gemini" else row[2])
            usage = message.get("tokens")
            if usage:
                assert row[3:] == (
                    usage["input"],
                    usage["cached"],
                    usage["output"] + usage["thoughts"],
                    usage["thoughts"],
                )
        calls = sum(len(m.get("toolCalls") or []) for m in expected)
        paired = sample_build.scalar(
            "select count(*) from tool_calls join messages using (message_id)"
            f" where messages.conversation_id = '{conversation}' and tool_output is not null"
        )
        assert paired == calls, path.name


def test_a_subagent_file_is_a_thread_of_its_root_session(sample_build: DbtHome) -> None:
    subagents = [p for p in chat_files() if p.parent.name != "chats"]
    assert len(subagents) == 1
    agent_file = subagents[0]
    root, agent = agent_file.parent.name, agent_file.stem
    rows = sample_build.query(
        "select thread_id, session_id, conversation_id, agent_id, parent_thread_id, thread_kind"
        " from threads where source = 'gemini_cli' and session_id = "
        f"'{root}' order by thread_kind"
    )
    # the root's tool call names the agent: it is the parent
    assert rows == [
        (root, root, root, None, None, "main"),
        (agent, root, agent, None, root, "subagent"),
    ]


def test_gemini_prices_come_from_the_seed(sample_build: DbtHome) -> None:
    unpriced = sample_build.scalar(
        "select count(*) from messages where source = 'gemini_cli'"
        " and message_kind = 'response' and input_tokens is not null and cost_usd is null"
    )
    assert unpriced == 0


def _chat(root: Path, name: str, records: list[dict]) -> Path:
    chats = root / "tmp" / "proj" / "chats"
    chats.mkdir(parents=True, exist_ok=True)
    path = chats / name
    with path.open("a") as out:
        for record in records:
            out.write(json.dumps(record) + "\n")
    return path


def test_landing_keeps_upserts_rewinds_and_a_deleted_chat(tmp_path: Path) -> None:
    root = tmp_path / "gemini_home"
    name = "session-2026-05-01T10-00-sess0001.jsonl"
    t = "2026-05-01T10:00:0{}.000Z"
    path = _chat(
        root,
        name,
        [
            gemini_format.metadata("sess-0001", "h", t.format(0)),
            gemini_format.user_message("u1", t.format(1), "first"),
            gemini_format.gemini_message("g1", t.format(2), "", "gemini-2.5-pro"),
        ],
    )
    home = DbtHome(tmp_path / "home", claude_roots=[], codex_roots=[], gemini_roots=[root])
    home.build()
    count = "select count(*) from messages where session_id = 'sess-0001'"
    assert home.scalar(count) == 2

    # the answer is re-appended with its tokens: still one answer, now with tokens
    usage = gemini_format.tokens(100, 10, 40, 5)
    _chat(
        root,
        name,
        [gemini_format.gemini_message("g1", t.format(2), "done", "gemini-2.5-pro", usage)],
    )
    home.build()
    assert home.query(
        "select text, output_tokens from messages where source_message_id = 'g1'"
    ) == [("done", 15)]

    # a rewind to the first prompt leaves nothing; a new prompt after it stays
    _chat(
        root,
        name,
        [gemini_format.rewind("u1"), gemini_format.user_message("u2", t.format(5), "again")],
    )
    home.build()
    assert home.query("select source_message_id from messages where session_id = 'sess-0001'") == [
        ("u2",)
    ]

    # Gemini's 30-day cleanup deletes the file: what was landed stays (another chat is
    # left, or the build would stop: no root would hold a log)
    _chat(
        root,
        "session-2026-05-02T10-00-sess0002.jsonl",
        [gemini_format.metadata("sess-0002", "h", t.format(0))],
    )
    path.unlink()
    home.build()
    assert home.scalar(count) == 1


def test_a_rewritten_document_is_landed_again_and_read_whole(tmp_path: Path) -> None:
    root = tmp_path / "gemini_home"
    chats = root / "tmp" / "proj" / "chats"
    chats.mkdir(parents=True)
    path = chats / "session-2026-03-01T09-00-docu0001.json"
    first = [gemini_format.user_message("u1", "2026-03-01T09:00:01.000Z", "hello", parts=False)]
    path.write_text(
        gemini_format.document("docu-0001", "h", "2026-03-01T09:00:00.000Z", "x", first)
    )
    home = DbtHome(tmp_path / "home", claude_roots=[], codex_roots=[], gemini_roots=[root])
    home.build()
    assert home.scalar("select count(*) from messages where session_id = 'docu-0001'") == 1
    more = [
        *first,
        gemini_format.gemini_message("g1", "2026-03-01T09:00:02.000Z", "hi", "gemini-2.5-flash"),
    ]
    path.write_text(gemini_format.document("docu-0001", "h", "2026-03-01T09:00:00.000Z", "y", more))
    home.build()
    assert home.query(
        "select role, text from messages where session_id = 'docu-0001' order by thread_seq"
    ) == [("user", "hello"), ("assistant", "hi")]
    assert home.scalar("select count(*) from rejected_lines") == 0


def test_other_roots_alone_bring_no_gemini_sample(tmp_path: Path) -> None:
    copilot_only = tmp_path / "copilot"
    shutil.copytree(REPO / "sample_logs" / "copilot", copilot_only)
    home = DbtHome(tmp_path / "home", copilot_roots=[copilot_only])
    home.build()
    assert home.query("select distinct source from sessions") == [("copilot_cli",)]
