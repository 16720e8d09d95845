"""Foundation: real dbt builds of the sample and the real fixtures; identity and reconciliation.

Expectations are computed here independently, from file paths and file contents, not
from the pipeline's own tables.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest
from support.dbt_project import DbtHome
from support.real_fixtures import REAL_FIXTURES, real_claude_roots

UUID_NAME = 36 + len(".jsonl")


def complete_non_blank_lines(path: Path) -> int:
    data = Path(path).read_bytes()
    if path.name.endswith(".meta.json"):
        return 1
    complete = data[: data.rfind(b"\n") + 1]
    return sum(1 for line in complete.split(b"\n") if line.strip())


def reconciliation(home: DbtHome) -> list[tuple]:
    """Per file: (file, complete non-blank lines, staged, rejected) where they differ."""
    staged = Counter(
        dict(
            home.query(
                "select source_file, count(*) from staging.stg_claude_code__lines group by 1 "
                "union all select source_file, count(*) from staging.stg_codex__lines group by 1"
            )
        )
    )
    rejected = Counter(
        dict(home.query("select source_file, count(*) from rejected_lines group by 1"))
    )
    files = [
        row[0]
        for row in home.query(
            "select distinct source_file from staging.base_claude_code__lines "
            "union select distinct source_file from staging.base_codex__lines"
        )
    ]
    mismatches = []
    for file in files:
        expected = complete_non_blank_lines(Path(file))
        if staged[file] + rejected[file] != expected:
            mismatches.append((file, expected, staged[file], rejected[file]))
    return mismatches


def test_sample_build_accounts_for_every_line(sample_build: DbtHome) -> None:
    assert reconciliation(sample_build) == []
    rejected = sample_build.query("select reject_reason, source_line from rejected_lines")
    assert rejected == [("not valid JSON", 13)]  # the one malformed line the sample holds


def test_sample_identity_rules_hold(sample_build: DbtHome) -> None:
    # Claude Code rows never carry conversation_id or parent_thread_id
    assert (
        sample_build.scalar(
            "select count(*) from staging.stg_claude_code__lines "
            "where conversation_id is not null or parent_thread_id is not null"
        )
        == 0
    )
    # Codex rows always carry conversation_id and never agent_id
    assert (
        sample_build.scalar(
            "select count(*) from staging.stg_codex__lines "
            "where conversation_id is null or agent_id is not null"
        )
        == 0
    )
    # the Codex depth-2 grandchild with no session_id on disk belongs to its root's session
    rows = sample_build.query(
        "select conversation_id, session_id, parent_thread_id from staging.stg_codex__threads "
        "where parent_thread_id is not null"
    )
    parents = {c: p for c, _, p in rows}
    sessions = {c: s for c, s, _ in rows}
    for child, parent in parents.items():
        root = parent
        while root in parents:
            root = parents[root]
        assert sessions[child] == root


@pytest.mark.real_fixtures
def test_real_claude_code_identity_matches_files(real_build: DbtHome) -> None:
    """Every subagent line's session is its parent session, read from paths and lines."""
    expected: dict[tuple[str, int], tuple[str, str | None]] = {}
    for root in real_claude_roots():
        for path in sorted(root.rglob("*.jsonl")):
            lines = [ln for ln in path.read_text().split("\n")]
            objects = [(i + 1, json.loads(ln)) for i, ln in enumerate(lines) if ln.strip()]
            if "subagents" in path.parts:
                session = path.parts[path.parts.index("subagents") - 1]
                agent = path.stem.removeprefix("agent-")
            elif path.name.startswith("agent-"):
                session = next(o["sessionId"] for _, o in objects if o.get("sessionId"))
                agent = path.stem.removeprefix("agent-")
            else:
                session, agent = path.stem, None
            for number, obj in objects:
                if agent is None and obj.get("isSidechain"):
                    continue  # 1.0.x inline sidechains: checked below
                expected[(str(path.resolve()), number)] = (session, agent)
                if agent is not None and obj.get("sessionId"):
                    assert obj["sessionId"] == session
    staged = {
        (f, n): (s, a)
        for f, n, s, a in real_build.query(
            "select source_file, source_line, session_id, agent_id"
            " from staging.stg_claude_code__lines "
            "where file_kind != 'subagent_sidecar'"
        )
    }
    for key, value in expected.items():
        assert staged[key] == value, key
    # inline sidechains: each gets a stable agent id and stays in its file's session
    sidechains = real_build.query(
        "select session_id, count(distinct agent_id) from staging.stg_claude_code__lines "
        "where agent_id like 'sidechain-%' group by 1 order by 1"
    )
    assert dict(sidechains) == {
        "5c0375b4-57a5-4f26-b12d-d022ee4e51b7": 2,
        "fe5e1c67-53e7-4862-81ae-d0e013e3270b": 5,
    }


@pytest.mark.real_fixtures
def test_real_codex_subagents_share_their_roots_session(real_build: DbtHome) -> None:
    metas = {}
    for path in sorted((REAL_FIXTURES / "codex").rglob("*.jsonl")):
        for line in path.read_text().splitlines():
            obj = json.loads(line)
            if obj.get("type") == "session_meta":
                payload = obj["payload"]
                metas.setdefault(payload["id"], payload)
    children = {
        tid: p
        for tid, p in metas.items()
        if p.get("parent_thread_id")
        or (isinstance(p.get("source"), dict) and "subagent" in p["source"])
    }
    assert children, "the real fixtures hold a sub-agent family"
    threads = dict(
        (c, (s, p))
        for c, s, p in real_build.query(
            "select conversation_id, session_id, parent_thread_id from staging.stg_codex__threads"
        )
    )
    for thread_id, payload in children.items():
        parent = (
            payload.get("parent_thread_id")
            or payload["source"]["subagent"]["thread_spawn"]["parent_thread_id"]
        )
        session, named_parent = threads[thread_id]
        assert named_parent == parent
        assert session == payload.get("session_id", parent)
        assert session == threads[parent][0]


@pytest.mark.real_fixtures
def test_real_fixtures_reconcile_with_zero_rejects(real_build: DbtHome) -> None:
    assert reconciliation(real_build) == []
    assert real_build.scalar("select count(*) from rejected_lines") == 0


def table_fingerprints(home: DbtHome) -> dict[str, tuple]:
    tables = [
        "landing.land_claude_code__lines",
        "landing.land_codex__lines",
        "staging.base_claude_code__lines",
        "staging.base_codex__lines",
        "messages",
        "threads",
        "sessions",
        "tool_calls",
        "rejected_lines",
    ]
    return {t: home.query(f"select count(*), sum(hash(columns(*))) from {t}")[0] for t in tables}


def test_second_run_reads_no_file_content_and_changes_no_row(dbt_home: DbtHome) -> None:
    dbt_home.build()
    before = table_fingerprints(dbt_home)
    loads = "select count(distinct load_id) from landing.land_claude_code__lines"
    loads_before = dbt_home.scalar(loads)
    second = dbt_home.build()
    assert table_fingerprints(dbt_home) == before
    assert (
        "claude_code: 14 files seen, 0 read (0 rewritten, 0 moved, 0 deleted, 0 unreadable), "
        "0 bytes read" in second.output
    )
    assert (
        "codex: 17 files seen, 0 read (0 rewritten, 0 moved, 0 deleted, 0 unreadable), "
        "0 bytes read" in second.output
    )
    # the second run landed nothing: no new load appears in the cache
    assert dbt_home.scalar(loads) == (loads_before)
    assert (
        dbt_home.scalar("select count(*) from duckdb_tables() where table_name like '%__dbt_tmp%'")
        == 0
    )
