"""The committed sample_logs/ folder is exactly what scripts/generate_sample_logs.py writes."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "sample_logs"
SCRIPT = ROOT / "scripts" / "generate_sample_logs.py"
MAX_BYTES = 2 * 1024 * 1024


def _load_generator():
    spec = importlib.util.spec_from_file_location("generate_sample_logs", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def gen():
    return _load_generator()


@pytest.fixture(scope="module")
def generated(tmp_path_factory, gen) -> Path:
    out = tmp_path_factory.mktemp("sample_logs")
    gen.generate(out)
    return out


def _tree(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def _jsonl_lines(root: Path):
    for p in sorted(root.rglob("*.jsonl")):
        rel = p.relative_to(root).as_posix()
        for n, line in enumerate(p.read_text(encoding="utf-8").split("\n")[:-1], start=1):
            yield rel, n, line


def _parsed(root: Path, rel: str) -> list[dict]:
    out = []
    for line in (root / rel).read_text(encoding="utf-8").splitlines():
        try:
            out.append(json.loads(line))
        except json.JSONDecodeError:
            continue
    return out


def test_committed_sample_logs_are_byte_identical_to_generator(generated):
    assert SAMPLE.is_dir(), "run `python scripts/generate_sample_logs.py`"
    want, have = _tree(generated), _tree(SAMPLE)
    assert sorted(have) == sorted(want)
    changed = [k for k in want if want[k] != have[k]]
    assert not changed, f"stale files (re-run the generator): {changed}"


def test_generator_is_deterministic(gen, tmp_path, generated):
    gen.generate(tmp_path)
    assert _tree(tmp_path) == _tree(generated)


def test_total_size_is_small(generated):
    total = sum(len(b) for b in _tree(generated).values())
    assert 100_000 < total < MAX_BYTES


def test_files_are_compact_newline_terminated_jsonl(generated):
    for p in generated.rglob("*.jsonl"):
        data = p.read_bytes()
        assert data.endswith(b"\n") and not data.endswith(b"\n\n"), p
        assert b"\r" not in data, p


def test_every_line_parses_except_the_documented_one(gen, generated):
    bad = []
    for rel, n, line in _jsonl_lines(generated):
        try:
            obj = json.loads(line)
        except json.JSONDecodeError:
            bad.append((rel, n))
            continue
        assert isinstance(obj, dict), (rel, n)
        assert line == json.dumps(obj, separators=(",", ":"), ensure_ascii=False), (rel, n)
    assert len(bad) == 1
    assert bad == gen.MALFORMED_LINES
    assert bad[0][0].startswith("claude/")
    readme = (generated / "README.md").read_text(encoding="utf-8")
    assert f"`{bad[0][0]}` line {bad[0][1]}" in readme


def test_readme_describes_every_file(generated):
    readme = (generated / "README.md").read_text(encoding="utf-8")
    for rel in _tree(generated):
        if rel != "README.md":
            assert f"`{rel}`" in readme, rel


def test_all_timestamps_settled_and_fixed(generated):
    stamps = []
    for rel, _, line in _jsonl_lines(generated):
        try:
            obj = json.loads(line)
        except json.JSONDecodeError:
            continue
        if isinstance(obj.get("timestamp"), str):
            stamps.append((rel, obj["timestamp"]))
    assert stamps
    for rel, t in stamps:
        assert len(t) == 24 and t.endswith("Z"), (rel, t)
        assert "2025-08-20" <= t < "2026-10-01", (rel, t)
        if not rel.startswith("codex/sessions/2025/"):
            assert t >= "2026-03-01", (rel, t)


def test_claude_subagent_lines_carry_the_parent_session(generated):
    projects = generated / "claude" / "projects"
    agent_files = sorted(projects.rglob("agent-*.jsonl"))
    assert len(agent_files) >= 6
    for p in agent_files:
        rel = p.relative_to(generated).as_posix()
        lines = [o for o in _parsed(generated, rel) if "uuid" in o]
        assert lines, rel
        agent_id = p.stem.removeprefix("agent-")
        if p.parent.name == "subagents":  # 2.1.x: <session>/subagents/agent-*.jsonl
            parent_session = p.parent.parent.name
        else:  # 2.0.x project-level agent file: the session is the main file that names it
            mains = [m for m in p.parent.glob("*.jsonl") if not m.name.startswith("agent-")]
            owners = {m.stem for m in mains if agent_id in m.read_text(encoding="utf-8")}
            sids = {o["sessionId"] for o in lines}
            assert sids <= {m.stem for m in mains}, rel
            parent_session = next(iter(sids))
            if "Warmup" not in p.read_text(encoding="utf-8"):
                assert owners == {parent_session}, rel
            assert (p.parent / f"{parent_session}.jsonl").exists(), rel
        for o in lines:
            assert o["sessionId"] == parent_session, rel
            assert o["isSidechain"] is True, rel
            assert o["agentId"] == agent_id, rel


def test_claude_inline_sidechains_and_resumed_copy(generated):
    projects = generated / "claude" / "projects"
    for main in sorted(projects.glob("*/*.jsonl")):
        if main.name.startswith("agent-"):
            continue
        rel = main.relative_to(generated).as_posix()
        lines = [o for o in _parsed(generated, rel) if "sessionId" in o and "uuid" in o]
        sids = {o["sessionId"] for o in lines}
        assert main.stem in sids, rel
        for o in lines:
            if o["sessionId"] != main.stem:  # copied ancestor history: that session's own file
                assert (main.parent / f"{o['sessionId']}.jsonl").exists(), rel
            if o.get("isSidechain"):  # 1.0.x inline sidechain lines: no agentId
                assert "agentId" not in o, rel
    roots = [
        o
        for o in _parsed(
            generated,
            next(
                p.relative_to(generated).as_posix()
                for p in projects.glob("*/*.jsonl")
                if '"version":"1.0.98"' in p.read_text(encoding="utf-8")
            ),
        )
        if o.get("isSidechain") and o.get("parentUuid") is None
    ]
    assert len(roots) == 2 and roots[0]["timestamp"] == roots[1]["timestamp"]


def _codex_metas(generated: Path) -> dict[str, dict]:
    metas = {}
    for p in sorted((generated / "codex").rglob("rollout-*.jsonl")):
        rel = p.relative_to(generated).as_posix()
        first = _parsed(generated, rel)[0]
        meta = first["payload"] if first.get("type") == "session_meta" else first
        assert meta["id"] in p.name, rel  # sanity of the fixture, not a rule for readers
        metas.setdefault(meta["id"], meta)
    return metas


def _parent(meta: dict) -> str | None:
    src = meta.get("source")
    spawn = src.get("subagent", {}).get("thread_spawn") if isinstance(src, dict) else None
    return meta.get("parent_thread_id") or (spawn or {}).get("parent_thread_id")


def test_codex_children_share_the_root_session(generated):
    metas = _codex_metas(generated)
    children = {tid: m for tid, m in metas.items() if _parent(m)}
    assert len(children) == 4
    for tid, m in children.items():
        root = tid
        while _parent(metas[root]):
            root = _parent(metas[root])
        assert "session_id" not in metas[root] or metas[root]["session_id"] == root
        if "session_id" in m:
            assert m["session_id"] == root == metas[root]["id"], tid
    depths = {m["source"]["subagent"]["thread_spawn"]["depth"] for m in children.values()}
    assert depths == {1, 2}


def test_codex_archived_copy_is_identical(generated):
    archived = sorted((generated / "codex" / "archived_sessions").glob("rollout-*.jsonl"))
    assert archived
    for a in archived:
        active = list((generated / "codex" / "sessions").rglob(a.name))
        assert len(active) == 1 and active[0].read_bytes() == a.read_bytes()


def test_codex_fork_totals_continue_from_the_parent(generated):
    metas = _codex_metas(generated)
    forks = {tid: m for tid, m in metas.items() if m.get("forked_from_id")}
    assert len(forks) >= 2
    for p in (generated / "codex" / "sessions").rglob("rollout-*.jsonl"):
        rel = p.relative_to(generated).as_posix()
        lines = _parsed(generated, rel)
        if lines[0].get("payload", {}).get("id") not in forks:
            continue
        parent = forks[lines[0]["payload"]["id"]]["forked_from_id"]
        assert lines[1]["type"] == "session_meta" and lines[1]["payload"]["id"] == parent
        totals = [
            o["payload"]["info"]["total_token_usage"]["total_tokens"]
            for o in lines
            if o["type"] == "event_msg"
            and o["payload"]["type"] == "token_count"
            and o["payload"]["info"]
        ]
        assert totals == sorted(totals) and totals[0] > 0, rel
