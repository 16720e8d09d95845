"""bench/real_shaped.py: copies of the real fixtures with every id rewritten, nothing deduped."""

from __future__ import annotations

import hashlib
import json
import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from support.dbt_project import DbtHome  # noqa: E402

from bench.real_shaped import (  # noqa: E402
    REAL_FIXTURES,
    build,
    load_fixtures,
    new_session,
)

pytestmark = pytest.mark.skipif(
    not REAL_FIXTURES.is_dir(), reason=f"real fixtures not found at {REAL_FIXTURES}"
)

ID_SHAPES = (
    rb"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}|[a-z]+_\w+"
)


def tree(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module")
def corpora(tmp_path_factory: pytest.TempPathFactory) -> dict[int, Path]:
    base = tmp_path_factory.mktemp("real_shaped")
    return {n: _built(base / f"copies_{n}", n) for n in (1, 2)}


def _built(out: Path, copies: int) -> Path:
    summary = build(out, 0, seed=1, copies=copies)
    assert summary["copies"] == copies
    assert summary["bytes"] == copies * summary["copy_bytes"]
    return out


def test_same_seed_same_bytes_and_sizes(tmp_path: Path, corpora: dict[int, Path]) -> None:
    assert tree(_built(tmp_path / "again", 2)) == tree(corpora[2])
    other = tmp_path / "seed2"
    build(other, 0, seed=2, copies=1)
    assert set(tree(other)).isdisjoint(tree(corpora[1]))  # every file name holds a new id


def test_size_target_stops_at_or_under(tmp_path: Path) -> None:
    one = load_fixtures().copy_bytes
    target = int(2.5 * one)
    summary = build(tmp_path / "sized", target, seed=1)
    assert summary["copies"] == 2 and summary["partial_units"] >= 1
    assert 2 * one < summary["bytes"] <= target
    on_disk = sum(p.stat().st_size for p in (tmp_path / "sized").rglob("*") if p.is_file())
    assert on_disk == summary["bytes"]


def test_no_fixture_id_survives_and_copies_share_none(corpora: dict[int, Path]) -> None:
    fixtures = load_fixtures()
    original = {p for s in fixtures.sources for p in s.parts[1::2]}
    assert len(original) > 4000
    # the 2-copy corpus is the 1-copy corpus (copy 0, same seed) plus copy 1
    first = tree(corpora[1])
    assert {k: v for k, v in tree(corpora[2]).items() if k in first} == first
    ids: dict[bool, set[bytes]] = {False: set(), True: set()}
    for path in corpora[2].rglob("*"):
        if path.is_file():
            # the pattern finds every uuid and prefixed id, and the fixtures' agent ids
            found = set(fixtures.pattern.findall(path.read_bytes()))
            assert not found & original, path
            second = path.relative_to(corpora[2]).as_posix() not in first
            ids[second].update(found)
    agent_ids = {i for i in original if not re.fullmatch(ID_SHAPES, i)}
    assert 5 < len(agent_ids) < 20
    assert len(ids[False]) == len(ids[True]) == len(original) - len(agent_ids)
    assert ids[False].isdisjoint(ids[True])


def test_links_stay_consistent_inside_a_copy(corpora: dict[int, Path]) -> None:
    projects = corpora[1] / "claude" / "projects"
    for agent in projects.rglob("subagents/agent-*.jsonl"):
        session = agent.parent.parent.name
        agent_id = agent.stem.removeprefix("agent-")
        lines = [json.loads(line) for line in agent.read_text().splitlines()]
        assert {d.get("sessionId") for d in lines} - {None} == {session}
        assert {d.get("agentId") for d in lines} - {None} == {agent_id}
        assert (agent.parent.parent.parent / f"{session}.jsonl").exists()
        main = (agent.parent.parent.parent / f"{session}.jsonl").read_text()
        assert agent_id in main  # the spawning tool result names the agent
    for meta in projects.rglob("*.meta.json"):
        assert meta.with_name(meta.name.replace(".meta.json", ".jsonl")).exists()
    rollouts = list((corpora[1] / "codex" / "sessions").rglob("rollout-*.jsonl"))
    threads = {}
    for path in rollouts:
        first = json.loads(path.read_bytes().split(b"\n", 1)[0])
        thread_id = (first.get("payload") or first)["id"]
        assert path.name.endswith(f"-{thread_id}.jsonl")
        threads[thread_id] = first
    spawned = [
        t["payload"]["parent_thread_id"]
        for t in threads.values()
        if "payload" in t
        if t["payload"].get("parent_thread_id")
    ]
    assert spawned and all(parent in threads for parent in spawned)


def test_new_session_is_fresh(tmp_path: Path, corpora: dict[int, Path]) -> None:
    corpus = tmp_path / "corpus"
    build(corpus, 0, seed=1, copies=1)
    before = set(tree(corpus))
    files = new_session(corpus, seed=1)
    assert len(files) == 13  # the main file, 6 subagents and their 6 sidecars
    assert not {f.relative_to(corpus).as_posix() for f in files} & before
    sessions = {f.stem for f in files if f.parent.name != "subagents"}
    assert len(sessions) == 1 and not any(s in p for s in sessions for p in before)


def totals(home: DbtHome) -> dict[str, object]:
    return {
        "messages": home.scalar("select count(*) from messages"),
        "distinct_message_ids": home.scalar("select count(distinct message_id) from messages"),
        "sessions": home.scalar("select count(*) from sessions"),
        "threads": home.scalar("select count(*) from threads"),
        "tool_calls": home.scalar("select count(*) from tool_calls"),
        "tokens": home.query(
            "select sum(input_tokens), sum(output_tokens), sum(cache_read_input_tokens), "
            "sum(cache_creation_input_tokens) from sessions"
        )[0],
        "message_tokens": home.query(
            "select sum(input_tokens), sum(output_tokens), sum(cache_read_input_tokens), "
            "sum(cache_creation_input_tokens) from messages"
        )[0],
        "rejected": home.scalar("select count(*) from rejected_lines"),
    }


@pytest.mark.slow
def test_dbt_build_of_two_copies_is_twice_one(tmp_path: Path, corpora: dict[int, Path]) -> None:
    """Nothing dedupes across copies: every count and token total doubles exactly."""
    results = {}
    for n, corpus in corpora.items():
        home = DbtHome(
            tmp_path / f"home_{n}",
            claude_roots=[corpus / "claude" / "projects"],
            codex_roots=[corpus / "codex"],
        )
        home.build()
        results[n] = totals(home)
    one, two = results[1], results[2]
    assert one["messages"] > 1000 and one["sessions"] > 10
    assert all(t > 0 for t in one["tokens"])
    for key, value in one.items():
        doubled = tuple(2 * v for v in value) if isinstance(value, tuple) else 2 * value
        assert two[key] == doubled, (key, one[key], two[key])
