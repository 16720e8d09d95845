"""bench/run_benchmark.py's bookkeeping: targets, per-node times, the added session's cleanup."""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench"))

import run_benchmark as bench  # noqa: E402


def result(kind: str, label: str, **figures: float) -> dict:
    base = {
        "kind": kind,
        "label": label,
        "cold_s": 100.0,
        "floor_s": 5.0,
        "floor_ratio": 20.0,
        "cold_mb_s": 50.0,
        "cold_peak_rss_mb": 1000.0,
        "one_new_s": 5.0,
        "one_new_peak_rss_mb": 500.0,
        "noop_s": 0.5,
    }
    return {**base, **figures}


def verdicts(results: list[dict]) -> dict[str, bool | None]:
    return {target: met for target, _figure, met in bench.targets(results)}


def test_targets_met_not_met_and_not_measured() -> None:
    good = [
        result(bench.REAL, "100MB"),
        result(bench.REAL, "500MB"),
        result(bench.REAL, "5GB", one_new_s=5.9, cold_peak_rss_mb=1250.0),
        result(bench.GENERATED, "1GB"),
    ]
    assert all(met is True for met in verdicts(good).values()), bench.targets(good)
    bad = [
        result(bench.REAL, "100MB"),
        result(bench.REAL, "500MB", floor_ratio=25.1, one_new_s=6.0, cold_peak_rss_mb=2048.0),
        result(
            bench.REAL, "5GB", one_new_s=6.1, cold_peak_rss_mb=2561.0, one_new_peak_rss_mb=1024.0
        ),
        result(bench.GENERATED, "1GB", cold_mb_s=39.9, cold_peak_rss_mb=2048.0, noop_s=1.0),
    ]
    assert not any(verdicts(bad).values()), bench.targets(bad)
    only_real = verdicts([result(bench.REAL, "100MB"), result(bench.REAL, "500MB")])
    assert only_real["cold `make build`, generated 1 GB, >= 40 MB/s"] is None
    assert only_real["one new session, real-shaped 500 MB, < 6 s"] is True
    assert only_real["one new session, real-shaped 5 GB < 1.2x the 100 MB figure"] is None


def test_top_nodes_and_names(tmp_path: Path) -> None:
    run_results = tmp_path / "run_results.json"
    rows = [
        {"unique_id": "model.agent_threads.messages.v6", "execution_time": 2.0},
        {"unique_id": "test.agent_threads.unique_x.1a2b", "execution_time": 3.0},
        {"unique_id": "model.agent_threads.turns", "execution_time": 0.1},
    ]
    run_results.write_text(json.dumps({"results": rows}))
    top = bench.top_nodes(run_results, 2)
    assert top == [
        ("test.agent_threads.unique_x.1a2b", 3.0),
        ("model.agent_threads.messages.v6", 2.0),
    ]
    assert [bench._node_name(u) for u, _ in top] == ["test unique_x", "messages.v6"]


def test_remove_added_leaves_the_corpus_as_it_was(tmp_path: Path) -> None:
    kept = tmp_path / "claude" / "projects" / "p" / "old.jsonl"
    kept.parent.mkdir(parents=True)
    kept.write_text("{}\n")
    added = [
        tmp_path / "claude" / "projects" / "p" / "new.jsonl",
        tmp_path / "claude" / "projects" / "p" / "new" / "subagents" / "agent-a.jsonl",
    ]
    for path in added:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("{}\n")
    bench.remove_added(tmp_path, added)
    assert sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*")) == [
        "claude",
        "claude/projects",
        "claude/projects/p",
        "claude/projects/p/old.jsonl",
    ]
