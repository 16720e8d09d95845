"""cost_usd on messages, threads, sessions and turns, on real dbt builds.

- Real fixtures: per-session (Claude Code) and per-file (Codex) cost next to
  `ccusage@20.0.24 ... session --json --offline`. The only differences tolerated are the
  ones named here, each checked to be exactly what its cause predicts.
- A model with no price: null cost on the message and on every total above it, and the
  warning names the model (the build still succeeds).
- The price in force at the message's time, long context and cache rates are the dbt
  unit test on `int_message_costs` (run by every `dbt build`).
"""

from __future__ import annotations

import json
import uuid
from pathlib import Path

import pytest
from support.dbt_project import DbtHome
from support.real_fixtures import real_claude_roots, real_codex_rollouts

# A 1e-6 USD tolerance: ccusage sums per-call floats, we round each message to 1e-10.
CENT_FRACTION = 1e-6


def ccusage_or_skip():
    from support import ccusage_oracle

    try:
        ccusage_oracle.ensure_ccusage()
    except ccusage_oracle.CcusageUnavailable as error:
        pytest.skip(f"ccusage is not available here: {error}")
    return ccusage_oracle


@pytest.mark.real_fixtures
def test_claude_code_session_cost_equals_ccusage(real_build: DbtHome) -> None:
    oracle = ccusage_or_skip()
    theirs = oracle.ccusage_session_totals(real_claude_roots())
    ours = dict(real_build.query("select session_id, cost_usd from sessions"))
    # Named difference 1: a Sonnet 4 / 4.5 request over 200k input tokens. We price the
    # whole request at the long-context rates (Anthropic's rule); ccusage prices only the
    # tokens of each kind above 200k higher. The fixtures hold no such request.
    long_context_sessions = {
        session
        for (session,) in real_build.query(
            """
            select distinct session_id from int_message_costs
            where price_model in ('claude-sonnet-4', 'claude-sonnet-4-5')
              and session_id in (select session_id from messages where input_tokens > 200000)
            """
        )
    }
    assert long_context_sessions == set()
    compared = 0
    for session, totals in theirs.items():
        if totals["total_cost_usd"] is None:
            # Named difference 2: ccusage does not report a session with no usage (a
            # summary-only file); ours costs 0.
            assert ours[session] == 0.0, session
            continue
        assert ours[session] == pytest.approx(totals["total_cost_usd"], abs=CENT_FRACTION), session
        compared += 1
    assert compared >= 12
    assert sum(ours.values()) > 20.0  # real money, not a comparison of zeros


@pytest.mark.real_fixtures
def test_codex_file_cost_equals_ccusage_but_for_fork_replays(real_build: DbtHome) -> None:
    oracle = ccusage_or_skip()
    rollouts = {name: path.resolve() for name, path in real_codex_rollouts().items()}
    theirs = oracle.ccusage_codex_file_totals(rollouts)
    by_file = {
        Path(source_file).resolve(): (cost, uncached, cached, output)
        for source_file, cost, uncached, cached, output in real_build.query(
            """
            select source_file, sum(cost_usd),
                   sum(input_tokens - cache_read_input_tokens), sum(cache_read_input_tokens),
                   sum(output_tokens)
            from messages where source = 'codex' group by source_file
            """
        )
    }
    # Named difference: a fork's file replays the parent's history, usage events
    # included; ccusage counts them again, we count them once (on the parent). So for a
    # file holding a fork, ccusage is higher by exactly the parent's usage at the fork.
    fork_parents = {
        Path(source_file).resolve(): (cost, uncached, cached, output)
        for source_file, cost, uncached, cached, output in real_build.query(
            """
            select child_messages.source_file, parent.cost_usd,
                   parent.input_tokens - parent.cache_read_input_tokens,
                   parent.cache_read_input_tokens, parent.output_tokens
            from threads as child
            inner join threads as parent on child.forked_from_id = parent.thread_id
            inner join (select distinct thread_id, source_file from messages) as child_messages
                on child.thread_id = child_messages.thread_id
            """
        )
    }
    assert len(fork_parents) == 1  # the real fork-conversation capture
    compared = 0
    for name, totals in theirs.items():
        ours = by_file[rollouts[name]]
        extra = fork_parents.get(rollouts[name], (0.0, 0, 0, 0))
        assert ours[1] + extra[1] == totals["input_tokens"], name
        assert ours[2] + extra[2] == totals["cache_read_input_tokens"], name
        assert ours[3] + extra[3] == totals["output_tokens"], name
        assert ours[0] + extra[0] == pytest.approx(totals["cost_usd"], abs=CENT_FRACTION), name
        compared += 1
    assert compared >= 6
    # Files ccusage does not report carry no priced usage with us either (redacted usage,
    # pre-0.32 files without token counts).
    for name, path in rollouts.items():
        if name not in theirs and path in by_file:
            assert not by_file[path][0], name


def write_claude_session(root: Path, model: str, session_id: str) -> None:
    project = root / "-work-demo"
    project.mkdir(parents=True, exist_ok=True)
    prompt_id, answer_id = str(uuid.uuid4()), str(uuid.uuid4())
    common = {"sessionId": session_id, "cwd": "/work/demo", "version": "2.0.55"}
    lines = [
        {
            **common,
            "type": "user",
            "uuid": prompt_id,
            "parentUuid": None,
            "timestamp": "2026-10-01T10:00:00.000Z",
            "message": {"role": "user", "content": "hello"},
        },
        {
            **common,
            "type": "assistant",
            "uuid": answer_id,
            "parentUuid": prompt_id,
            "timestamp": "2026-10-01T10:00:02.000Z",
            "requestId": f"req_{session_id[:8]}",
            "message": {
                "id": f"msg_{session_id[:8]}",
                "role": "assistant",
                "model": model,
                "content": [{"type": "text", "text": "hi"}],
                "usage": {
                    "input_tokens": 1000,
                    "cache_read_input_tokens": 0,
                    "cache_creation_input_tokens": 0,
                    "output_tokens": 100,
                },
            },
        },
    ]
    (project / f"{session_id}.jsonl").write_text("".join(json.dumps(line) + "\n" for line in lines))


def test_a_model_without_price_has_null_cost_and_is_named(tmp_path: Path) -> None:
    root = tmp_path / "projects"
    unpriced, priced = str(uuid.uuid4()), str(uuid.uuid4())
    write_claude_session(root, "claude-made-up-9-20261001", unpriced)
    write_claude_session(root, "claude-haiku-4-5-20251001", priced)
    home = DbtHome(tmp_path / "home", claude_roots=[root], codex_roots=[])
    result = home.build()
    assert "Models with no price in seeds/model_prices.csv: claude-made-up-9-20261001" in (
        result.output
    )
    assert "WARN 1 agent_threads_no_unpriced_models" in result.output
    costs = dict(
        home.query("select session_id, cost_usd from messages where message_kind = 'response'")
    )
    assert costs[unpriced] is None
    # haiku 4.5: 1,000 input at $1/M + 100 output at $5/M
    assert costs[priced] == pytest.approx(0.0015)
    for table in ("threads", "sessions", "turns"):
        totals = dict(home.query(f"select session_id, cost_usd from {table}"))
        assert totals[unpriced] is None, table
        assert totals[priced] == pytest.approx(0.0015), table


def test_sample_build_prices_every_model(sample_build: DbtHome) -> None:
    unpriced = sample_build.query("select model from int_message_costs where cost_usd is null")
    assert unpriced == []
    by_source = dict(sample_build.query("select source, sum(cost_usd) from sessions group by 1"))
    assert by_source["claude_code"] > 0 and by_source["codex"] > 0
    # every total is the sum of what it covers
    session_total = sample_build.scalar("select sum(cost_usd) from sessions")
    message_total = sample_build.scalar(
        "select sum(cost_usd) from messages where session_id in (select session_id from sessions"
        " where settle_status = 'settled')"
    )
    settled_total = sample_build.scalar(
        "select sum(cost_usd) from sessions where settle_status = 'settled'"
    )
    assert message_total == pytest.approx(settled_total, abs=1e-9)
    assert session_total >= settled_total


# Rows of seeds/model_prices.csv where ccusage's embedded snapshot says otherwise, and why.
# o3 / o4-mini: ccusage prices them at 0.55 / 2.2 per M (another provider's entry of the
# same name in its snapshot); the seed keeps OpenAI's list price.
KNOWN_PRICE_DIFFERENCES = {"o3", "o4-mini"}


def test_seed_prices_agree_with_ccusage_snapshot_but_for_named_rows() -> None:
    import csv

    from support.dbt_project import REPO

    oracle = ccusage_or_skip()
    with open(REPO / "seeds" / "model_prices.csv", newline="") as handle:
        rows = list(csv.DictReader(handle))
    current = {}  # the price in force now: the latest valid_from of each model
    for row in sorted(rows, key=lambda r: r["valid_from"]):
        current[row["model"]] = row
    claude = [m for m, r in current.items() if r["provider"] == "anthropic"]
    openai = [m for m, r in current.items() if r["provider"] == "openai"]
    theirs = oracle.ccusage_unit_prices(claude, openai)
    columns = {
        "input": "input_usd_per_mtok",
        "output": "output_usd_per_mtok",
        "cache_read": "cache_read_usd_per_mtok",
        "cache_write_5m": "cache_write_5m_usd_per_mtok",
        "cache_write_1h": "cache_write_1h_usd_per_mtok",
    }
    differences = {}
    for model, row in current.items():
        for kind, price in theirs[model].items():
            ours = float(row[columns[kind]])
            if abs(ours - price) > 1e-9:
                differences.setdefault(model, []).append(f"{kind}: seed {ours} ccusage {price}")
    assert set(differences) == KNOWN_PRICE_DIFFERENCES, differences
    assert len(theirs) == len(current) >= 25
