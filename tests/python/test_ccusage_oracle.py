"""The ccusage oracle (tests/support/ccusage_oracle.py): per-session totals keyed like ours.

Runs ccusage@20.0.24 (installed with npm into the tool cache on first use) over the real
Claude Code fixtures in ../shared/fixtures/real, and cross-checks it with a tiny stdlib
re-implementation of ccusage's dedup rule. Skips when npm/ccusage or the fixtures are missing.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT / "tests") not in sys.path:  # conftest does the same; keep this file standalone
    sys.path.insert(0, str(ROOT / "tests"))

from support.ccusage_oracle import (  # noqa: E402
    CcusageUnavailable,
    SessionTotals,
    TranscriptFile,
    ccusage_entry_key,
    ccusage_session_totals,
    ensure_ccusage,
    fold_sessions,
    run_ccusage_session_json,
)

REAL = ROOT / ".." / "shared" / "fixtures" / "real"
CLAUDE_ROOTS = [
    REAL / "claude" / "d-kimuson__claude-code-viewer",
    REAL / "claude" / "handgemacht-ai__claude-code-log" / "real_projects",
]
TOKEN_FIELDS = (
    "input_tokens",
    "output_tokens",
    "cache_read_input_tokens",
    "cache_creation_input_tokens",
)
Tokens = tuple[int, int, int, int]


@pytest.fixture(scope="module")
def ccusage_cli() -> Path:
    try:
        return ensure_ccusage()
    except CcusageUnavailable as exc:
        pytest.skip(f"ccusage unavailable: {exc}")


@pytest.fixture(scope="module")
def real_roots() -> list[Path]:
    missing = [root for root in CLAUDE_ROOTS if not root.is_dir()]
    if missing:
        pytest.skip(f"real fixtures missing: {', '.join(map(str, missing))}")
    return [root.resolve() for root in CLAUDE_ROOTS]


@pytest.fixture(scope="module")
def oracle(ccusage_cli: Path, real_roots: list[Path]) -> dict[str, SessionTotals]:
    return ccusage_session_totals(real_roots)


# --------------------------------------------------------------- independent reference


def _jsonl_files(root: Path) -> Iterator[Path]:
    yield from sorted(root.rglob("*.jsonl"))


def _records(path: Path) -> Iterator[dict]:
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            try:
                record = json.loads(line)
            except ValueError:
                continue
            if isinstance(record, dict):
                yield record


def our_session_id(path: Path) -> str | None:
    """Our dataset's session_id: the file stem, or the sessionId inside an agent-* file."""
    if not path.name.startswith("agent-"):
        return path.name.removesuffix(".jsonl")
    for record in _records(path):
        if isinstance(record.get("sessionId"), str) and record["sessionId"]:
            return record["sessionId"]
    return None


def main_session_ids(root: Path) -> set[str]:
    """Top-level ``<project>/<uuid>.jsonl`` transcripts (not ``agent-*``)."""
    return {
        path.name.removesuffix(".jsonl")
        for path in root.glob("*/*.jsonl")
        if not path.name.startswith("agent-")
    }


def reference_totals(roots: list[Path]) -> dict[str, Tokens]:
    """ccusage's rule in brief: assistant lines with message.usage, model != <synthetic>,
    one per (our session, message.id, requestId) keeping the largest total, summed."""
    best: dict[tuple, Tokens] = {}
    for root in roots:
        for path in _jsonl_files(root):
            session_id = our_session_id(path)
            for line_no, record in enumerate(_records(path)):
                message = record.get("message")
                if record.get("type") != "assistant" or not isinstance(message, dict):
                    continue
                usage = message.get("usage")
                if not isinstance(usage, dict) or message.get("model") == "<synthetic>":
                    continue
                i, o, r, c = (int(usage.get(field) or 0) for field in TOKEN_FIELDS)
                tokens: Tokens = (i, o, r, c)
                if message.get("id"):
                    key: tuple = (session_id, message["id"], record.get("requestId"))
                else:  # no id: nothing to dedup against
                    key = (session_id, str(path), line_no)
                if key not in best or sum(tokens) > sum(best[key]):
                    best[key] = tokens
    totals: dict[str, Tokens] = {}
    for (session_id, *_), tokens in best.items():
        i, o, r, c = totals.get(session_id, (0, 0, 0, 0))
        totals[session_id] = (i + tokens[0], o + tokens[1], r + tokens[2], c + tokens[3])
    return totals


def _tokens(totals: SessionTotals) -> Tokens:
    return (
        totals["input_tokens"],
        totals["output_tokens"],
        totals["cache_read_input_tokens"],
        totals["cache_creation_input_tokens"],
    )


# --------------------------------------------------------------- pure unit tests


@pytest.mark.parametrize(
    ("parts", "expected"),
    [
        (("proj", "abc.jsonl"), ("proj", "abc")),
        (("proj", "agent-1234.jsonl"), ("proj", "agent-1234")),
        (("proj", "sess", "subagents", "agent-a1.jsonl"), ("proj", "sess")),
        (("proj", "sess", "chat.jsonl"), ("proj", "sess")),
        (("a", "b", "sess", "subagents", "agent-a1.jsonl"), (f"a{os.sep}b", "sess")),
    ],
)
def test_entry_key_mirrors_ccusage_path_rule(parts: tuple[str, ...], expected: tuple[str, str]):
    assert ccusage_entry_key(parts) == expected


def test_fold_maps_agent_rows_to_parent_and_zero_fills_main_sessions(tmp_path: Path):
    files = [
        TranscriptFile(tmp_path / "p" / "s1.jsonl", ("p", "s1"), "s1", is_main=True),
        TranscriptFile(tmp_path / "p" / "agent-x.jsonl", ("p", "agent-x"), "s1", is_main=False),
        TranscriptFile(tmp_path / "p" / "s2.jsonl", ("p", "s2"), "s2", is_main=True),
    ]
    row = {"inputTokens": 1, "outputTokens": 2, "cacheReadTokens": 3, "cacheCreationTokens": 4}
    folded = fold_sessions(
        [
            {**row, "projectPath": "p", "sessionId": "s1", "totalCost": 0.5},
            {**row, "projectPath": "p", "sessionId": "agent-x", "totalCost": 0.25},
        ],
        files,
    )
    assert set(folded) == {"s1", "s2"}
    assert _tokens(folded["s1"]) == (2, 4, 6, 8)
    assert folded["s1"]["total_cost_usd"] == pytest.approx(0.75)
    assert folded["s1"]["ccusage_entries"] == ["p/agent-x", "p/s1"]
    assert _tokens(folded["s2"]) == (0, 0, 0, 0)
    assert folded["s2"]["total_cost_usd"] is None


# --------------------------------------------------------------- ccusage on real fixtures


@pytest.mark.real_fixtures
def test_every_main_session_is_a_key(oracle: dict[str, SessionTotals], real_roots: list[Path]):
    expected = set().union(*(main_session_ids(root) for root in real_roots))
    assert expected, "no main transcripts found in the fixtures"
    assert expected <= set(oracle), sorted(expected - set(oracle))


@pytest.mark.real_fixtures
def test_agent_files_fold_into_parent(
    oracle: dict[str, SessionTotals], real_roots: list[Path], ccusage_cli: Path
):
    raw = run_ccusage_session_json(real_roots)["sessions"]
    rows = {(row["projectPath"], row["sessionId"]): row for row in raw}
    # No ccusage row survives under an agent-* name: each one went into its parent.
    assert not {sid for sid in oracle if sid.startswith("agent-")}
    agent_files = [
        path
        for root in real_roots
        for path in _jsonl_files(root)
        if path.name.startswith("agent-") and path.parent.name != "subagents"
    ]
    assert agent_files, "fixtures should hold 2.0.x project-level agent-*.jsonl files"
    for path in agent_files:
        key = (path.parent.name, path.name.removesuffix(".jsonl"))
        parent = our_session_id(path)
        assert parent is not None and parent in oracle
        if key in rows:
            assert f"{key[0]}/{key[1]}" in oracle[parent]["ccusage_entries"]

    session = oracle["cb2e607c-c758-415a-8b45-c49e4631906a"]
    project = "-Users-dain-workspace-coderabbit-review-helper"
    folded_keys = [
        (project, name)
        for name in (
            "cb2e607c-c758-415a-8b45-c49e4631906a",
            "agent-ea02459f",
            "agent-645808c9",
            "agent-2b93909d",
        )
    ]
    assert sorted(session["ccusage_entries"]) == sorted(f"{p}/{n}" for p, n in folded_keys)
    expected = tuple(
        sum(rows[key][field] for key in folded_keys)
        for field in ("inputTokens", "outputTokens", "cacheReadTokens", "cacheCreationTokens")
    )
    assert _tokens(session) == expected
    main_only = rows[folded_keys[0]]
    assert session["input_tokens"] > main_only["inputTokens"]


@pytest.mark.real_fixtures
def test_totals_are_non_negative_ints(oracle: dict[str, SessionTotals]):
    for session_id, totals in oracle.items():
        for field, value in zip(TOKEN_FIELDS, _tokens(totals), strict=True):
            assert type(value) is int and value >= 0, (session_id, field, value)
        cost = totals["total_cost_usd"]
        assert cost is None or cost >= 0


@pytest.mark.real_fixtures
def test_ccusage_agrees_with_reference_dedup(
    oracle: dict[str, SessionTotals], real_roots: list[Path]
):
    reference = reference_totals(real_roots)
    header = (
        f"{'session_id':38} {'input':>7} {'output':>7} {'cache_read':>11} {'cache_create':>12}  ref"
    )
    print("\nccusage@20.0.24 per session (folded to our session_id):\n" + header)
    disagreements = {}
    for session_id in sorted(set(oracle) | set(reference)):
        ours = _tokens(oracle[session_id]) if session_id in oracle else None
        ref = reference.get(session_id, (0, 0, 0, 0))
        verdict = "=" if ours == ref else f"!= {ref}"
        if ours != ref:
            disagreements[session_id] = (ours, ref)
        shown = ours or (0, 0, 0, 0)
        print(
            f"{session_id:38} {shown[0]:>7} {shown[1]:>7} {shown[2]:>11} {shown[3]:>12}  {verdict}"
        )
    assert not disagreements, disagreements


# --------------------------------------------------------------- ccusage's edge rules


def _assistant(message_id: str, request_id: str | None, ts: str, output: int, **extra) -> dict:
    record = {
        "type": "assistant",
        "sessionId": "11111111-1111-4111-8111-111111111111",
        "timestamp": ts,
        "version": "2.0.30",
        "isSidechain": False,
        "message": {
            "id": message_id,
            "type": "message",
            "role": "assistant",
            "model": "claude-sonnet-4-5-20250929",
            "content": [],
            "usage": {
                "input_tokens": 1,
                "output_tokens": output,
                "cache_read_input_tokens": 0,
                "cache_creation_input_tokens": 0,
            },
        },
    }
    if request_id is not None:
        record["requestId"] = request_id
    for key, value in extra.items():
        if key == "model":
            record["message"]["model"] = value
        else:
            record[key] = value
    return record


def _write(path: Path, records: list[dict], *, compact: bool = True) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    separators = (",", ":") if compact else (", ", ": ")
    path.write_text("".join(json.dumps(r, separators=separators) + "\n" for r in records))


def test_ccusage_edge_rules_on_synthetic_transcripts(ccusage_cli: Path, tmp_path: Path):
    """Pins the ccusage behaviours that can make it differ from a naive reference."""
    session = "11111111-1111-4111-8111-111111111111"
    t0, t1, t2 = "2025-10-01T00:00:00.000Z", "2025-10-01T00:00:01.000Z", "2025-10-01T00:00:02.000Z"
    projects = tmp_path / "projects"
    _write(
        projects / "p" / f"{session}.jsonl",
        [
            _assistant("msg_1", "req_1", t0, 10),
            _assistant("msg_1", "req_1", t0, 50),  # streaming copy: the larger total is kept
            _assistant("msg_2", "req_2", t1, 1000, model="<synthetic>"),  # counted by ccusage
            {
                "type": "progress",
                "sessionId": session,
                "timestamp": t1,
                "data": {
                    "type": "agent_progress",
                    "message": {
                        "type": "assistant",
                        "requestId": "req_p",
                        "message": {
                            "id": "msg_p",
                            "model": "claude-haiku-4-5-20251001",
                            "usage": {"input_tokens": 7, "output_tokens": 7},
                        },
                    },
                },
            },  # ignored by ccusage
            _assistant("msg_3", None, t2, 2),  # no requestId: still counted
        ],
    )
    _write(
        projects / "p" / "agent-abc.jsonl",
        [
            _assistant("msg_1", "req_1", t0, 90, isSidechain=True),  # same key: main copy wins
            _assistant("msg_1", "req_9", t0, 80, isSidechain=True),  # sidechain replay: dropped
            _assistant("msg_4", "req_4", t2, 3, isSidechain=True),
        ],
    )
    _write(
        projects / "q" / "22222222-2222-4222-8222-222222222222.jsonl",
        [_assistant("msg_5", "req_5", t0, 4)],
        compact=False,
    )  # `"usage": {` is not seen

    folded = ccusage_session_totals(projects)
    assert set(folded) == {session, "22222222-2222-4222-8222-222222222222"}
    assert folded[session]["ccusage_entries"] == [f"p/{session}", "p/agent-abc"]
    # input: 1 each for msg_1, <synthetic> msg_2, msg_3, msg_4
    # output: 50 (main copy of msg_1, not the larger sidechain 90) + 1000 (<synthetic>) + 2 + 3
    assert _tokens(folded[session]) == (4, 1055, 0, 0)
    assert _tokens(folded["22222222-2222-4222-8222-222222222222"]) == (0, 0, 0, 0)
    assert folded["22222222-2222-4222-8222-222222222222"]["ccusage_entries"] == []
