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
            select distinct session_id from intermediate.int_message_costs
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
            # summary-only file); ours is null (no usage logged: unknown, not free).
            assert ours[session] is None, session
            continue
        assert ours[session] == pytest.approx(totals["total_cost_usd"], abs=CENT_FRACTION), session
        compared += 1
    assert compared >= 12
    assert sum(c for c in ours.values() if c is not None) > 20.0  # real money, not zeros


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


def write_claude_session(
    root: Path,
    model: str,
    session_id: str,
    tokens: tuple[int, int] = (1000, 100),
    cache: tuple[int, int] = (0, 0),
) -> None:
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
            "requestId": f"req_{session_id.replace('-', '')}",
            "message": {
                "id": f"msg_{session_id.replace('-', '')}",
                "role": "assistant",
                "model": model,
                "content": [{"type": "text", "text": "hi"}],
                "usage": {
                    "input_tokens": tokens[0],
                    "cache_read_input_tokens": cache[0],
                    "cache_creation_input_tokens": cache[1],
                    "output_tokens": tokens[1],
                },
            },
        },
    ]
    # compact separators: ccusage 20.0.24 skips lines spelled with spaces after colons
    (project / f"{session_id}.jsonl").write_text(
        "".join(json.dumps(line, separators=(",", ":")) + "\n" for line in lines)
    )


def test_a_model_without_price_has_null_cost_and_is_named(tmp_path: Path) -> None:
    root = tmp_path / "projects"
    unpriced, priced, free = str(uuid.uuid4()), str(uuid.uuid4()), str(uuid.uuid4())
    write_claude_session(root, "claude-made-up-9-20261001", unpriced)
    write_claude_session(root, "claude-haiku-4-5-20251001", priced)
    write_claude_session(root, "claude-haiku-4-5-20251001", free, tokens=(0, 0))
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
        assert totals[free] == 0.0, table  # usage logged, all zero: free, not unknown


def test_sample_build_prices_every_model(sample_build: DbtHome) -> None:
    unpriced = sample_build.query(
        "select model from intermediate.int_message_costs where cost_usd is null"
    )
    assert unpriced == []
    # the sample's gateway session (issue #18): the id stays as logged, priced as its base
    # model at Bedrock's regional rate (us.: +10% on claude-sonnet-4-5)
    assert sample_build.query(
        "select distinct model, price_model from intermediate.int_message_costs"
        " where model like 'converse/%'"
    ) == [("converse/us.anthropic.claude-sonnet-4-5-20250929-v1:0", "claude-sonnet-4-5")]
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


# Sample sessions where no call logged usage: a pre-0.32 rollout (no token counts), a
# rollout whose token counts are redacted, and the Codex Desktop rollout without task
# events or turn_context (issue #18: no token counts either).
NO_USAGE_SESSIONS = {
    "ba49c297-172e-47d8-bbbc-19a08133499f",
    "019d24ab-eba3-7523-abc9-808c9bc3508f",
    "01a0c9c6-2a55-7a36-96b6-f5500409f149",
}


def test_cost_is_null_where_no_call_logged_usage(sample_build: DbtHome) -> None:
    assert (
        sample_build.scalar(
            "select count(*) from intermediate.int_message_costs where session_id in "
            + str(tuple(NO_USAGE_SESSIONS))
        )
        == 0
    )
    for table in ("sessions", "threads", "turns"):
        costs = sample_build.query(
            f"select session_id, cost_usd from {table} where session_id in "
            + str(tuple(NO_USAGE_SESSIONS))
        )
        assert {session for session, _ in costs} == NO_USAGE_SESSIONS, table
        assert {cost for _, cost in costs} == {None}, table  # unknown, not free (was 0.0)
    # every other session logged usage, and its cost is known and not 0
    unknown_or_free = sample_build.query(
        "select session_id from sessions where cost_usd is null or cost_usd = 0"
    )
    assert {session for (session,) in unknown_or_free} == NO_USAGE_SESSIONS


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
        if row["provider"] in ("anthropic", "openai"):  # what the snapshot prices
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


# Model ids as Claude Code logs them when calls go through a cloud or a gateway.
ROUTED_CLAUDE_IDS = (
    "converse/us.anthropic.claude-sonnet-4-5-20250929-v1:0",  # a gateway before Bedrock
    "converse/global.anthropic.claude-sonnet-4-5-20250929-v1:0",
    "bedrock/us.anthropic.claude-sonnet-4-5-20250929-v1:0",  # LiteLLM's Bedrock name
    "us.anthropic.claude-sonnet-4-5-20250929-v1:0",
    "global.anthropic.claude-sonnet-4-5-20250929-v1:0",
    "eu.anthropic.claude-sonnet-4-5-20250929-v1:0",
    "jp.anthropic.claude-sonnet-4-5-20250929-v1:0",
    "au.anthropic.claude-sonnet-4-5-20250929-v1:0",
    "apac.anthropic.claude-sonnet-4-5-20250929-v1:0",
    "anthropic.claude-sonnet-4-5-20250929-v1:0",  # in-region, no inference profile
    "us.anthropic.claude-haiku-4-5-20251001-v1:0",
    "global.anthropic.claude-haiku-4-5-20251001-v1:0",
    "apac.anthropic.claude-haiku-4-5-20251001-v1:0",
    "us.anthropic.claude-opus-4-5-20251101-v1:0",
    "eu.anthropic.claude-opus-4-5-20251101-v1:0",
    "us.anthropic.claude-opus-4-6-v1",
    "us.anthropic.claude-sonnet-4-20250514-v1:0",  # before 4.5: no regional premium
    "eu.anthropic.claude-opus-4-1-20250805-v1:0",
    "us.anthropic.claude-3-7-sonnet-20250219-v1:0",
    "claude-sonnet-4-5@20250929",  # Vertex
    "claude-opus-4-1@20250805",
    "claude-haiku-4-5@20251001",
    "vertex_ai/claude-sonnet-4-5@20250929",
    "anthropic/claude-sonnet-4-5",  # LiteLLM / OpenRouter
    "anthropic/claude-sonnet-4.5",
    "openrouter/anthropic/claude-opus-4.5",
    "litellm/claude-sonnet-4-5",
)

# Ids where ccusage 20.0.24 and we differ, and why: AWS bills every geographic (regional)
# endpoint of the Claude 4.5 models 10% above the global one; ccusage's snapshot has no
# entry for these three and falls back to the list price (it does add the 10% for the
# `us.`, `eu.`/`jp.`/`au.` Sonnet and Haiku 4.5 ids above). Ours is exactly 1.1 x theirs.
CCUSAGE_MISSES_REGIONAL_PREMIUM = {
    "apac.anthropic.claude-sonnet-4-5-20250929-v1:0",
    "apac.anthropic.claude-haiku-4-5-20251001-v1:0",
    "eu.anthropic.claude-opus-4-5-20251101-v1:0",
}


def test_routed_claude_model_ids_cost_what_ccusage_says(tmp_path: Path) -> None:
    oracle = ccusage_or_skip()
    root = tmp_path / "projects"
    sessions = {}
    for index, model in enumerate(ROUTED_CLAUDE_IDS):
        session = f"7a000000-0000-4000-8000-{index:012d}"
        sessions[session] = model
        write_claude_session(root, model, session, (1200 + index, 345), cache=(50000, 7000))
    home = DbtHome(tmp_path / "home", claude_roots=[root], codex_roots=[])
    result = home.build()
    assert "Models with no price" not in result.output  # every routed id is priced
    ours = dict(home.query("select session_id, cost_usd from sessions"))
    models = dict(home.query("select session_id, any_value(model) from messages group by 1"))
    theirs = oracle.ccusage_session_totals(root)
    compared = 0
    for session, model in sessions.items():
        assert models[session] == model  # the id stays as logged
        cost = theirs[session]["total_cost_usd"]
        assert cost, model  # ccusage prices every one of them
        if model in CCUSAGE_MISSES_REGIONAL_PREMIUM:
            assert ours[session] == pytest.approx(cost * 1.1, abs=CENT_FRACTION), model
            continue
        assert ours[session] == pytest.approx(cost, abs=CENT_FRACTION), model
        compared += 1
    assert compared == len(ROUTED_CLAUDE_IDS) - len(CCUSAGE_MISSES_REGIONAL_PREMIUM)
    # the regional premium is there: us. Sonnet 4.5 costs 1.1 x global.
    us, world = (f"7a000000-0000-4000-8000-{i:012d}" for i in (3, 4))
    assert ours[us] == pytest.approx(ours[world] * 1.1, rel=1e-3)


def write_codex_rollout(day: Path, model: str, thread_id: str) -> Path:
    usage = {
        "input_tokens": 40000,
        "cached_input_tokens": 30000,
        "output_tokens": 900,
        "reasoning_output_tokens": 300,
        "total_tokens": 40900,
    }
    lines = [
        {
            "type": "session_meta",
            "payload": {
                "id": thread_id,
                "cwd": "/work/demo",
                "cli_version": "0.60.0",
                "timestamp": "2026-10-01T10:00:00.000Z",
            },
        },
        {"type": "turn_context", "payload": {"cwd": "/work/demo", "model": model}},
        {"type": "event_msg", "payload": {"type": "user_message", "message": "hello"}},
        {
            "type": "response_item",
            "payload": {
                "type": "message",
                "role": "user",
                "content": [{"type": "input_text", "text": "hello"}],
            },
        },
        {
            "type": "response_item",
            "payload": {
                "type": "message",
                "role": "assistant",
                "content": [{"type": "output_text", "text": "hi"}],
            },
        },
        {
            "type": "event_msg",
            "payload": {
                "type": "token_count",
                "info": {"total_token_usage": usage, "last_token_usage": usage},
            },
        },
    ]
    path = day / f"rollout-2026-10-01T10-00-00-{thread_id}.jsonl"
    path.write_text(
        "".join(
            json.dumps({"timestamp": f"2026-10-01T10:00:0{i}.000Z", **line}, separators=(",", ":"))
            + "\n"
            for i, line in enumerate(lines)
        )
    )
    return path


# Codex model ids behind Azure OpenAI, LiteLLM or OpenRouter.
ROUTED_CODEX_IDS = (
    "azure/gpt-5",
    "azure/gpt-5-codex",
    "azure/gpt-5.1",
    "azure/gpt-5.4",
    "openrouter/openai/gpt-5",
    "openai/gpt-5",
    "openai/gpt-5.1-codex",
    "gpt-5-2025-08-07",
)

# Ids ccusage 20.0.24 prices from another entry of its snapshot, not OpenAI's list price:
# it resolves `openai/gpt-5` at 2.5 / 2.0 per M (input / output) and `openai/gpt-5.1-codex`
# at the gpt-5.1-codex-mini rates; ours is gpt-5's and gpt-5.1-codex's list price.
CCUSAGE_MISPRICES = {"openai/gpt-5", "openai/gpt-5.1-codex"}


def test_routed_codex_model_ids_cost_what_ccusage_says(tmp_path: Path) -> None:
    oracle = ccusage_or_skip()
    day = tmp_path / "codex" / "sessions" / "2026" / "10" / "01"
    day.mkdir(parents=True)
    files = {}
    for index, model in enumerate(ROUTED_CODEX_IDS):
        thread = f"019a0000-0000-7000-8000-{index:012d}"
        files[write_codex_rollout(day, model, thread).name] = (model, thread)
    home = DbtHome(tmp_path / "home", claude_roots=[], codex_roots=[tmp_path / "codex"])
    result = home.build()
    assert "Models with no price" not in result.output
    ours = dict(home.query("select thread_id, cost_usd from threads"))
    theirs = oracle.ccusage_codex_file_totals({name: day / name for name in files})
    compared = 0
    for name, (model, thread) in files.items():
        assert ours[thread], model
        if model in CCUSAGE_MISPRICES:
            assert ours[thread] != pytest.approx(theirs[name]["cost_usd"], abs=CENT_FRACTION)
            continue
        assert ours[thread] == pytest.approx(theirs[name]["cost_usd"], abs=CENT_FRACTION), model
        compared += 1
    assert compared == len(ROUTED_CODEX_IDS) - len(CCUSAGE_MISPRICES)
    # the same call at the same price, whichever way it was routed
    prices = dict(home.query("select model, price_model from intermediate.int_message_costs"))
    assert prices["azure/gpt-5"] == prices["openai/gpt-5"] == prices["gpt-5-2025-08-07"]
