"""Token totals on the real fixtures agree with the best readers.

- Claude Code: per session, our input (without cache), output, cache read and cache
  creation equal `ccusage@20.0.24 claude session --json` over the same files (its
  project-level `agent-<id>.jsonl` entries folded into their parent session).
- Codex: on the real fork family the family total counts every token once.
"""

from __future__ import annotations

import json

import pytest
from support.dbt_project import DbtHome
from support.real_fixtures import REAL_CODEX, real_claude_roots

pytestmark = pytest.mark.real_fixtures


def our_claude_totals(home: DbtHome) -> dict[str, tuple[int, int, int, int]]:
    rows = home.query(
        """
        select session_id,
               sum(input_tokens - cache_read_input_tokens - cache_creation_input_tokens),
               sum(output_tokens), sum(cache_read_input_tokens), sum(cache_creation_input_tokens)
        from sessions where source = 'claude_code' group by session_id
        """
    )
    return {s: tuple(int(v or 0) for v in values) for s, *values in rows}


def test_claude_code_session_totals_equal_ccusage(real_build: DbtHome) -> None:
    from support.ccusage_oracle import CcusageUnavailable, ccusage_session_totals

    try:
        theirs = ccusage_session_totals(real_claude_roots())
    except CcusageUnavailable as error:
        pytest.skip(f"ccusage is not available here: {error}")
    ours = our_claude_totals(real_build)
    expected = {
        session: (
            totals["input_tokens"],
            totals["output_tokens"],
            totals["cache_read_input_tokens"],
            totals["cache_creation_input_tokens"],
        )
        for session, totals in theirs.items()
    }
    # Sessions with no usage at all (a file holding only a summary line) are in both.
    assert set(ours) == set(expected)
    mismatches = {s: (ours[s], expected[s]) for s in expected if ours[s] != expected[s]}
    assert mismatches == {}, mismatches
    # Not a vacuous comparison: the fixtures hold real usage.
    assert sum(v[1] for v in ours.values()) > 100_000


def fork_capture() -> dict[str, tuple[str | None, int]]:
    """From the raw fork capture: each thread's forked_from_id and final cumulative total."""
    (capture,) = [p for p in REAL_CODEX.rglob("transcript.jsonl") if "fork-conversation" in str(p)]
    threads: dict[str, tuple[str | None, int]] = {}
    thread = None
    for line in capture.read_text().splitlines():
        obj = json.loads(line)
        payload = obj.get("payload") or {}
        starts_thread = obj.get("type") == "session_meta" and (
            thread is None or payload.get("forked_from_id")
        )
        if starts_thread:
            thread = payload["id"]
            threads[thread] = (payload.get("forked_from_id"), 0)
        if payload.get("type") == "token_count" and payload.get("info"):
            total = payload["info"]["total_token_usage"]["total_tokens"]
            threads[thread] = (threads[thread][0], total)
    return threads


def test_codex_fork_family_counts_every_token_once(real_build: DbtHome) -> None:
    capture = fork_capture()
    (child,) = [t for t, (forked_from, _) in capture.items() if forked_from]
    parent = capture[child][0]
    parent_final, child_final = capture[parent][1], capture[child][1]
    assert child_final > parent_final  # the child's cumulative total includes the parent's
    ours = dict(
        real_build.query(
            "select conversation_id, input_tokens + output_tokens from threads "
            f"where conversation_id in ('{parent}', '{child}')"
        )
    )
    assert ours[parent] == parent_final
    assert ours[child] == child_final - parent_final
    assert ours[parent] + ours[child] == child_final  # the family counts every token once
