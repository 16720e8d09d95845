"""bench/generate_corpus.py: deterministic, size-controlled, well-formed synthetic corpora."""

from __future__ import annotations

import hashlib
import json
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from bench.generate_corpus import generate, parse_size  # noqa: E402

SMALL = 2 << 20  # 2 MB: determinism and size control
LARGER = 32 << 20  # 32 MB: enough sessions for every structural feature (about 1 s)


def tree_hash(root: Path) -> str:
    h = hashlib.sha256()
    for p in sorted(root.rglob("*")):
        if p.is_file():
            h.update(p.relative_to(root).as_posix().encode() + b"\0")
            h.update(hashlib.sha256(p.read_bytes()).digest())
    return h.hexdigest()


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    base = tmp_path_factory.mktemp("bench_small")
    out = {}
    for name, seed in (("a", 1), ("b", 1), ("c", 2)):
        summary = generate(base / name, SMALL, seed=seed, claude_share=0.7, workers=1)
        out[name] = (base / name, summary)
    return out


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("bench_larger")
    generate(root, LARGER, seed=1, claude_share=0.5)
    return root


def test_parse_size() -> None:
    assert parse_size("5MB") == 5 << 20
    assert parse_size("1GB") == 1 << 30
    assert parse_size("1.5gb") == int(1.5 * (1 << 30))
    assert parse_size("123") == 123


def test_same_seed_same_bytes(small: dict[str, Any]) -> None:
    (a, sa), (b, sb) = small["a"], small["b"]
    assert tree_hash(a) == tree_hash(b)
    for src in ("claude", "codex"):
        assert sa[src]["bytes"] == sb[src]["bytes"]


def test_two_workers_same_bytes(small: dict[str, Any], tmp_path: Path) -> None:
    generate(tmp_path, SMALL, seed=1, claude_share=0.7, workers=2)
    assert tree_hash(tmp_path) == tree_hash(small["a"][0])


def test_different_seed_differs(small: dict[str, Any]) -> None:
    assert tree_hash(small["a"][0]) != tree_hash(small["c"][0])


def test_size_within_tolerance(small: dict[str, Any]) -> None:
    root, summary = small["a"]
    on_disk = sum(p.stat().st_size for p in root.rglob("*") if p.is_file())
    assert on_disk == summary["total"]["bytes"]
    assert abs(on_disk - SMALL) / SMALL < 0.03
    assert abs(summary["claude"]["bytes"] - 0.7 * SMALL) / (0.7 * SMALL) < 0.04
    assert summary["claude"]["sessions"] >= 2
    assert summary["codex"]["sessions"] >= 1


def test_every_line_is_json(small: dict[str, Any]) -> None:
    root, summary = small["a"]
    lines = 0
    for p in root.rglob("*.jsonl"):
        data = p.read_bytes()
        assert data.endswith(b"\n")
        for line in data.split(b"\n")[:-1]:
            json.loads(line)
            lines += 1
    for p in root.rglob("*.meta.json"):
        assert set(json.loads(p.read_bytes())) >= {"agentType", "description"}
    assert lines == summary["total"]["lines"]


def test_timestamps_in_2026_and_settled(corpus: Path) -> None:
    for p in corpus.rglob("*.jsonl"):
        for d in read_jsonl(p):
            ts = d.get("timestamp")
            if ts is not None:
                assert "2026-01-01" <= ts < "2026-11-01", (p, ts)


def _claude_files(root: Path) -> tuple[dict[str, Path], list[Path]]:
    mains, agents = {}, []
    for p in (root / "claude" / "projects").rglob("*.jsonl"):
        if p.name.startswith("agent-"):
            agents.append(p)
        else:
            mains[p.stem] = p
    return mains, agents


def test_claude_structure(corpus: Path) -> None:
    mains, agents = _claude_files(corpus)
    assert len(mains) > 10 and agents
    layouts = defaultdict(int)
    for p in agents:
        lines = read_jsonl(p)
        agent_id = p.stem.removeprefix("agent-")
        if p.parent.name == "subagents":
            parent_sid = p.parent.parent.name
            layouts["subagents"] += 1
            assert parent_sid in mains
        else:
            parent_sid = lines[0]["sessionId"]
            layouts["project-level"] += 1
            assert parent_sid in mains and mains[parent_sid].parent == p.parent
        assert lines[0]["parentUuid"] is None
        for d in lines:
            assert d["sessionId"] == parent_sid
            assert d["isSidechain"] is True
            assert d["agentId"] == agent_id
        if agent_id.startswith("acompact-"):
            layouts["compaction"] += 1
    assert layouts["subagents"] and layouts["project-level"] and layouts["compaction"]

    features: dict[str, int] = defaultdict(int)
    for sid, p in mains.items():
        lines = read_jsonl(p)
        uuids = [d["uuid"] for d in lines if "uuid" in d]
        assert len(uuids) == len(set(uuids)), p
        responses: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for d in lines:
            if d.get("type") == "assistant" and d["message"]["model"] != "<synthetic>":
                responses[d["message"]["id"]].append(d)
                assert len(d["message"]["content"]) == 1
            if d.get("sessionId") not in (None, sid):
                features["resumed_copy"] += 1
            if d.get("isSidechain") and "agentId" not in d:
                features["inline_sidechain"] += 1
            if d.get("type") == "progress" and d["data"]["type"] == "agent_progress":
                features["agent_progress"] += 1
            if d.get("subtype") == "compact_boundary":
                assert d["parentUuid"] is None and d["logicalParentUuid"]
                features["compact_boundary"] += 1
            if d.get("isCompactSummary"):
                features["compact_summary"] += 1
        for group in responses.values():
            assert 1 <= len(group) <= 6
            assert len({g["requestId"] for g in group}) == 1
            if len(group) > 1:
                features["split_response"] += 1
    for name in (
        "resumed_copy",
        "inline_sidechain",
        "agent_progress",
        "compact_boundary",
        "compact_summary",
        "split_response",
    ):
        assert features[name], name


def test_claude_nested_subagents_are_flat(corpus: Path) -> None:
    nested = 0
    for meta in (corpus / "claude" / "projects").rglob("*.meta.json"):
        m = json.loads(meta.read_bytes())
        if "toolUseId" not in m:
            continue
        # the spawning tool_use lives in the main file or in a sibling agent file
        sib = meta.parent.parent.with_suffix(".jsonl")
        candidates = [sib, *meta.parent.glob("agent-*.jsonl")]
        hits = [c for c in candidates if m["toolUseId"] in c.read_text(encoding="utf-8")]
        assert hits, meta
        nested += any(c.parent == meta.parent for c in hits)
    assert nested


def _codex_threads(root: Path) -> dict[str, tuple[Path, list[dict[str, Any]]]]:
    out = {}
    for p in (root / "codex" / "sessions").rglob("rollout-*.jsonl"):
        lines = read_jsonl(p)
        assert lines[0]["type"] == "session_meta"
        tid = lines[0]["payload"]["id"]
        assert p.name.endswith(f"-{tid}.jsonl")
        assert p.parent.as_posix().endswith(lines[0]["timestamp"][:10].replace("-", "/"))
        out[tid] = (p, lines)
    return out


def test_codex_structure(corpus: Path) -> None:
    threads = _codex_threads(corpus)
    seen = defaultdict(int)
    for tid, (_p, lines) in threads.items():
        meta = lines[0]["payload"]
        # cumulative totals never go down (copied history continues the parent's totals)
        prev = 0
        for d in lines:
            p = d["payload"]
            if d["type"] == "event_msg" and p["type"] == "token_count" and p["info"]:
                total = p["info"]["total_token_usage"]["total_tokens"]
                assert total >= prev, tid
                prev = total
        if "ordinal" in lines[0]:
            seen["paginated"] += 1
            assert [d["ordinal"] for d in lines] == list(range(len(lines)))
        spawn = meta["source"].get("subagent", {}) if isinstance(meta["source"], dict) else {}
        if "thread_spawn" in spawn:
            seen["child"] += 1
            root = meta.get("session_id")
            parent = spawn["thread_spawn"]["parent_thread_id"]
            assert parent in threads
            if root is not None:
                assert root in threads and threads[root][1][0]["payload"]["session_id"] == root
                assert threads[parent][1][0]["payload"]["session_id"] == root
            if spawn["thread_spawn"]["depth"] == 2:
                seen["grandchild"] += 1
        if meta.get("forked_from_id"):
            src = meta["forked_from_id"]
            assert lines[1]["type"] == "session_meta"
            assert lines[1]["payload"]["id"] == src
            assert lines[1]["payload"] == threads[src][1][0]["payload"]
            if "thread_spawn" in spawn:
                seen["forked_child"] += 1
            else:
                seen["fork"] += 1
                parent_lines = threads[src][1]
                copied = lines[1 : 1 + len(parent_lines)]
                strip = [{k: v for k, v in d.items() if k != "timestamp"} for d in parent_lines]
                assert [{k: v for k, v in d.items() if k != "timestamp"} for d in copied] == strip
        if any(d["type"] == "compacted" for d in lines):
            seen["compacted"] += 1
    for name in ("paginated", "child", "forked_child", "fork", "compacted"):
        assert seen[name], name
