"""The one log-format library: the line builders both generators use.

Both generators' output is pinned elsewhere (the committed samples byte for byte, the
benchmark corpus by seed); these tests pin the era rules the builders encode, and that
neither generator keeps a writer of its own for a shape the library builds.
"""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest

from agent_threads.log_formats import claude_code, codex

REPO = Path(__file__).resolve().parents[2]
GENERATORS = [REPO / "scripts" / "generate_sample_logs.py", REPO / "bench" / "generate_corpus.py"]

ENVELOPE = dict(session_id="s", version="2.1.114", cwd="/w", branch="main", sidechain=False)


def test_envelope_key_order_follows_the_era() -> None:
    body = {"type": "user", "uuid": "u"}
    new = claude_code.envelope("v2114", None, body, prompt_id="p", slug="x", **ENVELOPE)
    assert list(new) == [
        "parentUuid", "isSidechain", "promptId", "type", "uuid",
        "userType", "entrypoint", "cwd", "sessionId", "version", "gitBranch",
    ]  # fmt: skip
    old = claude_code.envelope("v21", "p0", body, agent_id="a1", slug="x", **ENVELOPE)
    assert list(old) == [
        "parentUuid", "isSidechain", "userType", "cwd", "sessionId", "version", "gitBranch",
        "agentId", "slug", "type", "uuid",
    ]  # fmt: skip
    assert "promptId" not in old and "entrypoint" not in old


@pytest.mark.parametrize(("style", "first", "has_stop_details"), [
    ("v1", "id", False), ("v21", "model", False), ("v2114", "model", True),
])  # fmt: skip
def test_assistant_message_shape_by_era(style: str, first: str, has_stop_details: bool) -> None:
    message = claude_code.assistant_message(style, "m", "msg_1", [], "end_turn", {})
    assert next(iter(message)) == first
    assert ("stop_details" in message) is has_stop_details
    assert list(message)[-1] == "usage"


def test_codex_lines() -> None:
    line = codex.rollout_line("t", "response_item", codex.message_item("assistant", ["hi"], "x"))
    assert json.dumps(line) == (
        '{"timestamp": "t", "type": "response_item", "payload": {"type": "message", '
        '"role": "assistant", "content": [{"type": "output_text", "text": "hi"}], "phase": "x"}}'
    )
    assert list(codex.rollout_line("t", "event_msg", {}, ordinal=0)) == [
        "timestamp",
        "ordinal",
        "type",
        "payload",
    ]


@pytest.mark.parametrize("generator", GENERATORS, ids=lambda p: p.name)
def test_generators_build_lines_with_the_library(generator: Path) -> None:
    """No dict literal in a generator starts a line envelope or an assistant message."""
    tree = ast.parse(generator.read_text())
    for node in ast.walk(tree):
        if isinstance(node, ast.Dict) and node.keys:
            first = node.keys[0]
            if isinstance(first, ast.Constant):
                assert first.value != "parentUuid", f"{generator.name}:{node.lineno}"
                if first.value == "type" and len(node.keys) > 1:
                    second = node.keys[1]
                    assert not (isinstance(second, ast.Constant) and second.value == "agentId"), (
                        f"agent_progress data at {generator.name}:{node.lineno}"
                    )
    source = generator.read_text()
    assert "log_formats import claude_code" in source and "log_formats import codex" in source
