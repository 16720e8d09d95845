"""The analyses in analyses/, compiled by dbt and run on real builds.

- Sample logs: each new analysis is compiled with the test's vars (`time_zone`) and run on
  the sample_build database; its rows are pinned exactly, and cross-checked against the
  marts they summarise (so the pinned numbers are not just "what it printed once").
- The var `time_zone`: a named zone moves days; empty means the zone of the session that
  runs the SQL (DuckDB's `TimeZone` setting); anything but a zone name stops the compile.
- Real fixtures: `daily_cost_by_model` next to `ccusage@20.0.24 claude daily --breakdown
  --json --offline --timezone <zone>`, with the same zone in our var, per day and model:
  tokens equal, cost equal to 1e-6 USD. The differences that could arise are named and
  checked absent, as test_cost.py does.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import duckdb
import pytest
from support.dbt_project import DbtHome
from support.real_fixtures import real_claude_roots

pytestmark = pytest.mark.dbt

CENT_FRACTION = 1e-6  # as test_cost.py: ccusage sums floats, we sum decimals of 1e-10
NEW_ANALYSES = (
    "daily_cost_by_model",
    "daily_cost_by_source",
    "cost_by_project",
    "off_main_thread_share_per_session",
    "off_main_thread_share_per_day",
)


class Compiler:
    """`dbt compile --select resource_type:analysis` in its own home, once per set of vars.

    Compiling reads no data: the SQL names `agent_threads.main.<model>`, which is the
    relation in any of the project's databases (each file is named agent_threads.duckdb),
    so one compile serves the sample and the real builds alike.
    """

    def __init__(self, base: Path) -> None:
        self.base = base
        self._compiled: dict[str, Path] = {}

    def target(self, vars: dict) -> Path:
        key = json.dumps(vars, sort_keys=True)
        if key not in self._compiled:
            home = DbtHome(self.base / f"compile_{len(self._compiled)}")
            home.dbt("compile", "--select", "resource_type:analysis", vars=vars)
            self._compiled[key] = home.base / "target"
        return self._compiled[key]

    def sql(self, name: str, vars: dict) -> str:
        path = self.target(vars) / "compiled" / "agent_threads" / "analyses" / f"{name}.sql"
        return path.read_text()


@pytest.fixture(scope="module")
def compiler(tmp_path_factory: pytest.TempPathFactory) -> Compiler:
    return Compiler(tmp_path_factory.mktemp("analyses"))


def run(home: DbtHome, sql: str, session_time_zone: str = "UTC") -> tuple[list[str], list[tuple]]:
    with duckdb.connect(str(home.db_path), read_only=True) as con:
        con.execute(f"set TimeZone = '{session_time_zone}'")
        relation = con.sql(sql)
        return relation.columns, relation.fetchall()


def analysis(
    compiler: Compiler, home: DbtHome, name: str, vars: dict, session_time_zone: str = "UTC"
) -> tuple[list[str], list[tuple]]:
    return run(home, compiler.sql(name, vars), session_time_zone)


def as_dicts(columns: list[str], rows: list[tuple]) -> list[dict]:
    return [dict(zip(columns, row, strict=True)) for row in rows]


UTC = {"time_zone": "UTC"}
TOKYO = {"time_zone": "Asia/Tokyo"}

# ---------------------------------------------------------------- daily_cost_by_model

DAILY_BY_MODEL_COLUMNS = [
    "usage_date", "time_zone", "source", "model", "sessions", "usage_messages",
    "uncached_input_tokens", "cache_read_input_tokens", "cache_creation_input_tokens",
    "input_tokens", "output_tokens", "reasoning_output_tokens", "total_tokens", "cost_usd",
]  # fmt: skip
D = date
DAILY_BY_MODEL_UTC = [
    (D(2026, 3, 4), "UTC", "claude_code", "claude-sonnet-4-20250514", 1, 10, 49, 113992, 26847, 140888, 1387, 0, 142275, 0.15582585),
    (D(2026, 3, 10), "UTC", "claude_code", "claude-opus-4-20250514", 1, 2, 10, 9120, 9522, 18652, 235, 0, 18887, 0.2099925),
    (D(2026, 3, 11), "UTC", "claude_code", "claude-opus-4-20250514", 1, 3, 12, 31738, 2116, 33866, 418, 0, 34284, 0.118812),
    (D(2026, 3, 18), "UTC", "codex", "gpt-5.1-codex", 1, 5, 12431, 39680, 0, 52111, 1071, 426, 53182, 0.03120875),
    (D(2026, 4, 14), "UTC", "claude_code", "claude-haiku-4-5-20251001", 1, 4, 1412, 23114, 12432, 36958, 479, 0, 37437, 0.0216584),
    (D(2026, 4, 14), "UTC", "claude_code", "claude-opus-4-5-20251101", 1, 5, 15, 92430, 8650, 101095, 722, 0, 101817, 0.1184025),
    (D(2026, 4, 21), "UTC", "gemini_cli", "gemini-2.5-pro", 1, 2, 8400, 6000, 0, 14400, 55, 15, 14455, 0.0118),
    (D(2026, 5, 4), "UTC", "copilot_cli", "claude-haiku-4.5", 1, 2, 3000, 5000, 0, 8000, 30, 0, 8030, 0.00365),
    (D(2026, 5, 4), "UTC", "copilot_cli", "claude-sonnet-4.5", 1, 7, 12000, 46000, 3000, 61000, 835, 0, 61835, 0.073575),
    (D(2026, 5, 20), "UTC", "claude_code", "claude-haiku-4-5-20251001", 1, 3, 13, 23718, 12571, 36302, 298, 0, 36600, 0.01958855),
    (D(2026, 5, 20), "UTC", "claude_code", "claude-opus-4-6", 1, 12, 17, 257172, 17518, 274707, 3014, 0, 277721, 0.3135085),
    (D(2026, 6, 3), "UTC", "codex", "gpt-5.4", 1, 9, 32402, 92288, 0, 124690, 851, 266, 125541, 0.116842),
    (D(2026, 6, 20), "UTC", "codex", "gpt-5.5", 2, 7, 17274, 139776, 0, 157050, 1057, 334, 158107, 0.187968),
    (D(2026, 6, 24), "UTC", "codex", "gpt-5.5", 1, 6, 30862, 78208, 0, 109070, 961, 339, 110031, 0.222244),
    (D(2026, 7, 2), "UTC", "gemini_cli", "gemini-2.5-flash", 1, 2, 4500, 2000, 0, 6500, 60, 10, 6560, 0.00156),
    (D(2026, 7, 2), "UTC", "gemini_cli", "gemini-2.5-pro", 1, 4, 9500, 51000, 0, 60500, 275, 70, 60775, 0.021),
    (D(2026, 7, 9), "UTC", "claude_code", "claude-haiku-4-5-20251001", 1, 3, 17, 26248, 13958, 40223, 290, 0, 40513, 0.0320078),
    (D(2026, 7, 9), "UTC", "claude_code", "claude-opus-4-7", 1, 8, 20, 172042, 27277, 199339, 1618, 0, 200957, 0.399341),
    (D(2026, 7, 14), "UTC", "codex", "gpt-5.5", 1, 9, 36852, 172928, 0, 209780, 2579, 970, 212359, 0.348094),
    (D(2026, 8, 5), "UTC", "gemini_cli", "gemini-2.5-pro", 1, 1, 3000, 1000, 0, 4000, 90, 0, 4090, 0.004775),
    (D(2026, 8, 12), "UTC", "codex", "gpt-5.6", 1, 2, 12270, 34304, 0, 46574, 272, 64, 46846, 0.0682416),
    (D(2026, 8, 18), "UTC", "copilot_cli", "claude-haiku-4.5", 1, 2, 4000, 2000, 0, 6000, 15, 0, 6015, 0.004275),
    (D(2026, 8, 18), "UTC", "copilot_cli", "gpt-5", 1, 5, 7000, 12000, 0, 19000, 317, 0, 19317, 0.01342),
    (D(2026, 9, 2), "UTC", "codex", "gpt-5.5", 1, 2, 11002, 23808, 0, 34810, 107, 20, 34917, 0.070124),
    (D(2026, 9, 14), "UTC", "claude_code", "converse/us.anthropic.claude-sonnet-4-5-20250929-v1:0", 1, 2, 8, 8840, 9260, 18108, 408, 136, 18516, 0.0707916),
]  # fmt: skip


def test_daily_cost_by_model_on_sample_logs(compiler: Compiler, sample_build: DbtHome) -> None:
    columns, rows = analysis(compiler, sample_build, "daily_cost_by_model", UTC)
    assert columns == DAILY_BY_MODEL_COLUMNS
    assert rows == DAILY_BY_MODEL_UTC
    # the same money and tokens as the published sessions, per source
    totals = dict(
        ((source), (cost, tokens))
        for source, cost, tokens in sample_build.query(
            "select source, sum(cost_usd), sum(input_tokens + output_tokens) from sessions"
            " where settle_status = 'settled' group by source"
        )
    )
    for source, (cost, tokens) in totals.items():
        ours = [row for row in as_dicts(columns, rows) if row["source"] == source]
        assert sum(row["cost_usd"] for row in ours) == pytest.approx(cost, abs=1e-9), source
        assert sum(row["total_tokens"] for row in ours) == tokens, source
    for row in as_dicts(columns, rows):
        assert (
            row["uncached_input_tokens"]
            + row["cache_read_input_tokens"]
            + row["cache_creation_input_tokens"]
            == row["input_tokens"]
        )


# ---------------------------------------------------------------- daily_cost_by_source

DAILY_BY_SOURCE_TOKYO = [
    (D(2026, 3, 4), "Asia/Tokyo", "claude_code", ["claude-sonnet-4-20250514"], 1, 10, 49, 113992, 26847, 140888, 1387, 0, 142275, 0.15582585),
    (D(2026, 3, 10), "Asia/Tokyo", "claude_code", ["claude-opus-4-20250514"], 1, 2, 10, 9120, 9522, 18652, 235, 0, 18887, 0.2099925),
    (D(2026, 3, 11), "Asia/Tokyo", "claude_code", ["claude-opus-4-20250514"], 1, 3, 12, 31738, 2116, 33866, 418, 0, 34284, 0.118812),
    (D(2026, 3, 19), "Asia/Tokyo", "codex", ["gpt-5.1-codex"], 1, 5, 12431, 39680, 0, 52111, 1071, 426, 53182, 0.03120875),
    (D(2026, 4, 14), "Asia/Tokyo", "claude_code", ["claude-haiku-4-5-20251001", "claude-opus-4-5-20251101"], 1, 9, 1427, 115544, 21082, 138053, 1201, 0, 139254, 0.1400609),
    (D(2026, 4, 21), "Asia/Tokyo", "gemini_cli", ["gemini-2.5-pro"], 1, 2, 8400, 6000, 0, 14400, 55, 15, 14455, 0.0118),
    (D(2026, 5, 4), "Asia/Tokyo", "copilot_cli", ["claude-haiku-4.5", "claude-sonnet-4.5"], 1, 9, 15000, 51000, 3000, 69000, 865, 0, 69865, 0.077225),
    (D(2026, 5, 20), "Asia/Tokyo", "claude_code", ["claude-haiku-4-5-20251001", "claude-opus-4-6"], 1, 15, 30, 280890, 30089, 311009, 3312, 0, 314321, 0.33309705),
    (D(2026, 6, 3), "Asia/Tokyo", "codex", ["gpt-5.4"], 1, 9, 32402, 92288, 0, 124690, 851, 266, 125541, 0.116842),
    (D(2026, 6, 20), "Asia/Tokyo", "codex", ["gpt-5.5"], 2, 7, 17274, 139776, 0, 157050, 1057, 334, 158107, 0.187968),
    (D(2026, 6, 25), "Asia/Tokyo", "codex", ["gpt-5.5"], 1, 6, 30862, 78208, 0, 109070, 961, 339, 110031, 0.222244),
    (D(2026, 7, 2), "Asia/Tokyo", "gemini_cli", ["gemini-2.5-flash", "gemini-2.5-pro"], 1, 6, 14000, 53000, 0, 67000, 335, 80, 67335, 0.02256),
    (D(2026, 7, 10), "Asia/Tokyo", "claude_code", ["claude-haiku-4-5-20251001", "claude-opus-4-7"], 1, 11, 37, 198290, 41235, 239562, 1908, 0, 241470, 0.4313488),
    (D(2026, 7, 14), "Asia/Tokyo", "codex", ["gpt-5.5"], 1, 9, 36852, 172928, 0, 209780, 2579, 970, 212359, 0.348094),
    (D(2026, 8, 6), "Asia/Tokyo", "gemini_cli", ["gemini-2.5-pro"], 1, 1, 3000, 1000, 0, 4000, 90, 0, 4090, 0.004775),
    (D(2026, 8, 13), "Asia/Tokyo", "codex", ["gpt-5.6"], 1, 2, 12270, 34304, 0, 46574, 272, 64, 46846, 0.0682416),
    (D(2026, 8, 18), "Asia/Tokyo", "copilot_cli", ["claude-haiku-4.5", "gpt-5"], 1, 7, 11000, 14000, 0, 25000, 332, 0, 25332, 0.017695),
    (D(2026, 9, 2), "Asia/Tokyo", "codex", ["gpt-5.5"], 1, 2, 11002, 23808, 0, 34810, 107, 20, 34917, 0.070124),
    (D(2026, 9, 14), "Asia/Tokyo", "claude_code", ["converse/us.anthropic.claude-sonnet-4-5-20250929-v1:0"], 1, 2, 8, 8840, 9260, 18108, 408, 136, 18516, 0.0707916),
]  # fmt: skip


def test_daily_cost_by_source_in_tokyo_on_sample_logs(
    compiler: Compiler, sample_build: DbtHome
) -> None:
    columns, rows = analysis(compiler, sample_build, "daily_cost_by_source", TOKYO)
    assert columns[:4] == ["usage_date", "time_zone", "source", "models"]
    assert columns[4:] == DAILY_BY_MODEL_COLUMNS[4:]
    assert rows == DAILY_BY_SOURCE_TOKYO
    # Five sessions ran after 15:00 UTC: in Tokyo (UTC+9) their usage is on the next day.
    utc_days = {row[0] for row in DAILY_BY_MODEL_UTC}
    tokyo_days = {row[0] for row in rows}
    assert tokyo_days - utc_days == {
        D(2026, 3, 19), D(2026, 6, 25), D(2026, 7, 10), D(2026, 8, 6), D(2026, 8, 13)
    }  # fmt: skip
    # by source = by model summed over models (same zone)
    _, by_model = analysis(compiler, sample_build, "daily_cost_by_model", TOKYO)
    summed: dict[tuple, list] = {}
    for row in by_model:
        totals = summed.setdefault((row[0], row[2]), [0] * 7 + [0.0])
        for index in range(6, 13):
            totals[index - 6] += row[index]
        totals[7] += row[13]
    for row in rows:
        assert list(row[6:13]) == summed[(row[0], row[2])][:7]
        assert row[13] == pytest.approx(summed[(row[0], row[2])][7], abs=1e-9)


# ---------------------------------------------------------------- the var time_zone


def test_empty_time_zone_is_the_zone_of_the_session_running_the_sql(
    compiler: Compiler, sample_build: DbtHome
) -> None:
    sql = compiler.sql("daily_cost_by_source", {})  # the declared default: ""
    assert "current_setting('TimeZone')" in sql
    for zone, pinned in (("Asia/Tokyo", TOKYO), ("UTC", UTC)):
        _, rows = run(sample_build, sql, session_time_zone=zone)
        _, expected = analysis(compiler, sample_build, "daily_cost_by_source", pinned)
        assert rows == expected, zone
    assert [row[0] for row in run(sample_build, sql, "Asia/Tokyo")[1]] != [
        row[0] for row in run(sample_build, sql, "UTC")[1]
    ]


def test_a_time_zone_that_is_not_a_zone_name_stops_the_compile(tmp_path: Path) -> None:
    home = DbtHome(tmp_path)
    result = home.dbt(
        "compile",
        "--select",
        "daily_cost_by_model",
        vars={"time_zone": "UTC'); drop table messages; --"},
        check=False,
    )
    assert result.returncode != 0
    assert "var time_zone must be an IANA time zone name" in result.output


def test_an_unknown_zone_is_duckdbs_error(compiler: Compiler, sample_build: DbtHome) -> None:
    sql = compiler.sql("daily_cost_by_model", {"time_zone": "Mars/Olympus_Mons"})
    with pytest.raises(duckdb.Error, match="Unknown TimeZone 'Mars/Olympus_Mons'"):
        run(sample_build, sql)


# ---------------------------------------------------------------- cost_by_project

COST_BY_PROJECT_UTC = [
    ("/home/dev/webshop", ["claude_code", "codex"], ["feature/order-export", "feature/rate-limit", "fix/coupon-shipping", "main", "refactor/checkout"], 5, 13, 6, 69220, 761562, 78018, 908800, 9440, 1309, 918240, 1.1993218, 0.455, D(2026, 3, 4), D(2026, 7, 14), "UTC"),
    ("/home/dev/cli-tool", ["claude_code", "codex"], ["main"], 4, 6, 1, 12329, 273452, 52873, 338654, 2833, 64, 341487, 0.8283949, 0.314, D(2026, 3, 10), D(2026, 8, 12), "UTC"),
    ("/home/dev/api-server", ["claude_code", "codex"], ["feature/pagination", "main"], 4, 4, 0, 29713, 188296, 9260, 227269, 2536, 896, 229805, 0.28996835, 0.11, D(2026, 3, 18), D(2026, 9, 14), "UTC"),
    ("/home/dev/infra", ["codex"], ["main"], 3, 5, 2, 43404, 116096, 0, 159500, 958, 286, 160458, 0.186966, 0.071, D(2026, 6, 3), D(2026, 9, 22), "UTC"),
    ("/home/dev/docs-site", ["copilot_cli"], ["main"], 2, 6, 2, 26000, 65000, 3000, 94000, 1197, 0, 95197, 0.09492, 0.036, D(2026, 5, 4), D(2026, 8, 18), "UTC"),
    ("(unknown)", ["codex", "gemini_cli"], ["main"], 4, 5, 1, 25400, 60000, 0, 85400, 480, 95, 85880, 0.039135, 0.015, D(2025, 8, 20), D(2026, 8, 5), "UTC"),
    # projects whose sessions logged no usage: cost unknown (null), listed last
    ("/home/dev/dotfiles", ["codex"], ["main"], 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, None, None, D(2026, 3, 25), D(2026, 3, 25), "UTC"),
]  # fmt: skip


def test_cost_by_project_on_sample_logs(compiler: Compiler, sample_build: DbtHome) -> None:
    columns, rows = analysis(compiler, sample_build, "cost_by_project", UTC)
    assert columns == [
        "project", "sources", "git_branches", "sessions", "threads", "subagent_threads",
        *DAILY_BY_MODEL_COLUMNS[6:], "cost_share", "first_active_date", "last_active_date",
        "time_zone",
    ]  # fmt: skip
    assert rows == COST_BY_PROJECT_UTC
    settled = sample_build.query(
        "select count(*), sum(cost_usd), sum(thread_count) from sessions"
        " where settle_status = 'settled'"
    )[0]
    assert sum(row[3] for row in rows) == settled[0]
    assert sum(row[13] or 0 for row in rows) == pytest.approx(settled[1], abs=1e-9)
    assert sum(row[4] for row in rows) == settled[2]
    assert sum(row[14] or 0 for row in rows) == pytest.approx(1.0, abs=0.005)


# ---------------------------------------------------------------- off the main thread

OFF_MAIN_KIND_COLUMNS = [
    "subagent_cost_usd", "compaction_cost_usd", "warmup_cost_usd", "side_question_cost_usd",
    "workflow_cost_usd", "other_cost_usd",
]  # fmt: skip
OFF_MAIN_SHARE_COLUMNS = [
    "total_tokens", "main_thread_tokens", "off_main_tokens", "off_main_token_share", "cost_usd",
    "off_main_cost_usd", "off_main_cost_share", *OFF_MAIN_KIND_COLUMNS,
]  # fmt: skip
OFF_MAIN_PER_SESSION_UTC = [
    ("019f5fb2-0546-78b1-8561-a3cd4f8d21e9", "codex", "/home/dev/webshop", "checkout refactor: tests + review", D(2026, 7, 14), "UTC", 3, 2, 212359, 76871, 135488, 0.638, 0.348094, 0.20373, 0.585, 0.20373, 0.0, 0.0, 0.0, 0.0, 0.0),
    ("7392be67-47b0-488f-a626-d681d94a664a", "claude_code", "/home/dev/webshop", "Checkout total wrong with coupon + free shipping", D(2026, 3, 4), "UTC", 3, 2, 142275, 89980, 52295, 0.368, 0.15582585, 0.09811185, 0.63, 0.09811185, 0.0, 0.0, 0.0, 0.0, 0.0),
    ("7a969578-c9e5-4afc-b8f3-a5e7c36be950", "claude_code", "/home/dev/webshop", "orders rate limit", D(2026, 5, 20), "UTC", 3, 2, 314321, 248572, 65749, 0.209, 0.33309705, 0.07256155, 0.218, 0.01958855, 0.052973, 0.0, 0.0, 0.0, 0.0),
    ("019e8d93-bf53-77b9-ae04-cb30bab8118b", "codex", "/home/dev/infra", "Bump the AWS provider to 6.x in every module and make sure `terraform plan` is c", D(2026, 6, 3), "UTC", 3, 2, 125541, 63818, 61723, 0.492, 0.116842, 0.062517, 0.535, 0.062517, 0.0, 0.0, 0.0, 0.0, 0.0),
    ("8c365f69-4b68-4e6a-a56e-94f4755d9f40", "claude_code", "/home/dev/cli-tool", "`logtail --since` ignores timezone offsets. Explore how dates are parsed and fix", D(2026, 7, 9), "UTC", 3, 2, 241470, 175910, 65560, 0.272, 0.4313488, 0.0495513, 0.115, 0.0320078, 0.0, 0.0, 0.0175435, 0.0, 0.0),
    ("e421f76f-4dc0-4974-b0b7-73272e88f338", "claude_code", "/home/dev/webshop", "Add a CSV export for orders (admin only). Find where the JSON export lives first", D(2026, 4, 14), "UTC", 3, 2, 139254, 101817, 37437, 0.269, 0.1400609, 0.0216584, 0.155, 0.0201454, 0.0, 0.001513, 0.0, 0.0, 0.0),
    ("0b7a0fba-927c-4faa-bb74-323620574ca1", "copilot_cli", "/home/dev/docs-site", "Add a search page to the docs site", D(2026, 5, 4), "UTC", 3, 2, 69865, 60395, 9470, 0.136, 0.077225, 0.01755, 0.227, 0.00075, 0.0168, 0.0, 0.0, 0.0, 0.0),
    ("73834923-21a3-4e34-b671-f5d576aa4bd0", "copilot_cli", "/home/dev/docs-site", "Which pages link to the old API reference?", D(2026, 8, 18), "UTC", 3, 2, 25332, 20082, 5250, 0.207, 0.017695, 0.0053, 0.3, 0.000425, 0.004875, 0.0, 0.0, 0.0, 0.0),
    ('a37264c3-4f91-44d7-914c-03e78677afc2', 'gemini_cli', '(unknown)', "Why does the docs build warn 'duplicate label install'?", D(2026, 7, 2), 'UTC', 2, 1, 67335, 60775, 6560, 0.097, 0.02256, 0.00156, 0.069, 0.00156, 0.0, 0.0, 0.0, 0.0, 0.0),
    ("019efa2e-5914-731b-8b80-6156bd6c86a4", "codex", "/home/dev/webshop", "Profile the slow /search endpoint and tell me where the time goes.", D(2026, 6, 24), "UTC", 1, 0, 110031, 110031, 0, 0.0, 0.222244, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0),
    ("60ca5bab-3f57-4edc-aefb-387122c4a74a", "claude_code", "/home/dev/cli-tool", "Why does `logtail --follow` stop printing when the log file is rotated?", D(2026, 3, 10), "UTC", 1, 0, 18887, 18887, 0, 0.0, 0.2099925, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0),
    ("019ee467-c094-7e78-a05c-6f47cafa6efb", "codex", "/home/dev/api-server", "How is pagination implemented for GET /v1/invoices?", D(2026, 6, 20), "UTC", 1, 0, 87611, 87611, 0, 0.0, 0.123422, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0),
    ('490c83fc-97db-4c2a-a5bc-d4584e11fa24', 'claude_code', '/home/dev/cli-tool', "Let's fix it: reopen the file when its inode changes, and add a test that rotate", D(2026, 3, 10), 'UTC', 1, 0, 34284, 34284, 0, 0.0, 0.118812, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0),
    ("31064c7a-eaa9-467c-a8d3-b6b41d6455a5", "claude_code", "/home/dev/api-server", "Add a `GET /healthz` endpoint that returns 200 and the build version, then open", D(2026, 9, 14), "UTC", 1, 0, 18516, 18516, 0, 0.0, 0.0707916, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0),
    ("01a0611d-d4ba-7ffb-b9e1-f9e4e852c849", "codex", "/home/dev/infra", "deploy.sh --dry-run", D(2026, 9, 2), "UTC", 1, 0, 34917, 34917, 0, 0.0, 0.070124, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0),
    ("019ff76a-fac8-76d1-bb8f-8bb810aa8be6", "codex", "/home/dev/cli-tool", "logtail --json as JSON Lines", D(2026, 8, 12), "UTC", 1, 0, 46846, 46846, 0, 0.0, 0.0682416, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0),
    ("019ee469-12c5-768b-b895-e3979f75c42a", "codex", "/home/dev/api-server", "signed invoice cursors", D(2026, 6, 20), "UTC", 1, 0, 70496, 70496, 0, 0.0, 0.064546, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0),
    ("019d01d1-8108-7e99-90e4-f8a802fb50e9", "codex", "/home/dev/api-server", "The /healthz handler returns 200 even when the database is down. Make it ping th", D(2026, 3, 18), "UTC", 1, 0, 53182, 53182, 0, 0.0, 0.03120875, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0),
    ("bc701a41-6c0b-44ee-8122-a5e24db9815c", "gemini_cli", "(unknown)", "List the docs pages", D(2026, 4, 21), "UTC", 1, 0, 14455, 14455, 0, 0.0, 0.0118, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0),
    ("d1d8fba3-2bfa-4076-b8b5-3b5bdd06ecf8", "gemini_cli", "(unknown)", "Now add a changelog page", D(2026, 8, 5), "UTC", 1, 0, 4090, 4090, 0, 0.0, 0.004775, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0),
]  # fmt: skip
OFF_MAIN_PER_DAY_UTC = [
    (D(2026, 3, 4), "UTC", 1, 2, 142275, 89980, 52295, 0.368, 0.15582585, 0.09811185, 0.63, 0.09811185, 0.0, 0.0, 0.0, 0.0, 0.0),
    (D(2026, 3, 10), "UTC", 1, 0, 18887, 18887, 0, 0.0, 0.2099925, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0),
    (D(2026, 3, 11), "UTC", 1, 0, 34284, 34284, 0, 0.0, 0.118812, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0),
    (D(2026, 3, 18), "UTC", 1, 0, 53182, 53182, 0, 0.0, 0.03120875, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0),
    (D(2026, 4, 14), "UTC", 1, 2, 139254, 101817, 37437, 0.269, 0.1400609, 0.0216584, 0.155, 0.0201454, 0.0, 0.001513, 0.0, 0.0, 0.0),
    (D(2026, 4, 21), "UTC", 1, 0, 14455, 14455, 0, 0.0, 0.0118, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0),
    (D(2026, 5, 4), "UTC", 1, 2, 69865, 60395, 9470, 0.136, 0.077225, 0.01755, 0.227, 0.00075, 0.0168, 0.0, 0.0, 0.0, 0.0),
    (D(2026, 5, 20), "UTC", 1, 2, 314321, 248572, 65749, 0.209, 0.33309705, 0.07256155, 0.218, 0.01958855, 0.052973, 0.0, 0.0, 0.0, 0.0),
    (D(2026, 6, 3), "UTC", 1, 2, 125541, 63818, 61723, 0.492, 0.116842, 0.062517, 0.535, 0.062517, 0.0, 0.0, 0.0, 0.0, 0.0),
    (D(2026, 6, 20), "UTC", 2, 0, 158107, 158107, 0, 0.0, 0.187968, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0),
    (D(2026, 6, 24), "UTC", 1, 0, 110031, 110031, 0, 0.0, 0.222244, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0),
    (D(2026, 7, 2), "UTC", 1, 1, 67335, 60775, 6560, 0.097, 0.02256, 0.00156, 0.069, 0.00156, 0.0, 0.0, 0.0, 0.0, 0.0),
    (D(2026, 7, 9), "UTC", 1, 2, 241470, 175910, 65560, 0.272, 0.4313488, 0.0495513, 0.115, 0.0320078, 0.0, 0.0, 0.0175435, 0.0, 0.0),
    (D(2026, 7, 14), "UTC", 1, 2, 212359, 76871, 135488, 0.638, 0.348094, 0.20373, 0.585, 0.20373, 0.0, 0.0, 0.0, 0.0, 0.0),
    (D(2026, 8, 5), "UTC", 1, 0, 4090, 4090, 0, 0.0, 0.004775, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0),
    (D(2026, 8, 12), "UTC", 1, 0, 46846, 46846, 0, 0.0, 0.0682416, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0),
    (D(2026, 8, 18), "UTC", 1, 2, 25332, 20082, 5250, 0.207, 0.017695, 0.0053, 0.3, 0.000425, 0.004875, 0.0, 0.0, 0.0, 0.0),
    (D(2026, 9, 2), "UTC", 1, 0, 34917, 34917, 0, 0.0, 0.070124, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0),
    (D(2026, 9, 14), "UTC", 1, 0, 18516, 18516, 0, 0.0, 0.0707916, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0),
]  # fmt: skip


def test_off_main_thread_share_on_sample_logs(compiler: Compiler, sample_build: DbtHome) -> None:
    columns, per_session = analysis(
        compiler, sample_build, "off_main_thread_share_per_session", UTC
    )
    assert columns == [
        "session_id", "source", "project", "title", "first_active_date", "time_zone",
        "threads", "off_main_threads", *OFF_MAIN_SHARE_COLUMNS,
    ]  # fmt: skip
    assert per_session == OFF_MAIN_PER_SESSION_UTC
    day_columns, per_day = analysis(compiler, sample_build, "off_main_thread_share_per_day", UTC)
    assert day_columns == [
        "usage_date", "time_zone", "sessions", "off_main_threads", *OFF_MAIN_SHARE_COLUMNS,
    ]  # fmt: skip
    assert per_day == OFF_MAIN_PER_DAY_UTC

    # Cross-checks: the off-main spend is the threads' own (every kind but main) ...
    off_main_cost, off_main_tokens = sample_build.query(
        """
        select sum(threads.cost_usd), sum(threads.input_tokens + threads.output_tokens)
        from threads inner join sessions on threads.session_id = sessions.session_id
        where threads.thread_kind != 'main' and sessions.settle_status = 'settled'
        """
    )[0]
    for result_columns, rows in ((columns, per_session), (day_columns, per_day)):
        named = as_dicts(result_columns, rows)
        assert sum(r["off_main_cost_usd"] for r in named) == pytest.approx(off_main_cost, abs=1e-9)
        assert sum(r["off_main_tokens"] for r in named) == off_main_tokens
        for row in named:
            # ... split by kind without a remainder, and main + off-main is the whole
            kinds = sum(row[column] for column in OFF_MAIN_KIND_COLUMNS)
            assert kinds == pytest.approx(row["off_main_cost_usd"], abs=1e-9)
            assert row["main_thread_tokens"] + row["off_main_tokens"] == row["total_tokens"]
    assert off_main_cost > 0.5  # subagents, a compaction and warmups: not a sum of zeros
    # every session with usage is there, each once
    assert [row[0] for row in per_session] == sorted(
        {row[0] for row in per_session}, key=[row[0] for row in per_session].index
    )
    assert {row[0] for row in per_session} == {
        session
        for (session,) in sample_build.query(
            "select distinct session_id from messages where input_tokens is not null"
        )
    }


def test_off_main_kinds_are_the_thread_kinds(compiler: Compiler) -> None:
    """The macro's list of kinds is the accepted values of threads.thread_kind, but main."""
    manifest = json.loads((compiler.target(UTC) / "manifest.json").read_text())
    (values,) = [
        node["test_metadata"]["kwargs"]["values"]
        for node in manifest["nodes"].values()
        if node["resource_type"] == "test"
        and node.get("attached_node") == "model.agent_threads.threads"
        and node.get("column_name") == "thread_kind"
        and node["test_metadata"]["name"] == "accepted_values"
    ]
    assert [f"{kind}_cost_usd" for kind in values if kind != "main"] == OFF_MAIN_KIND_COLUMNS


def test_new_analyses_document_every_column(compiler: Compiler, sample_build: DbtHome) -> None:
    manifest = json.loads((compiler.target(UTC) / "manifest.json").read_text())
    for name in NEW_ANALYSES:
        node = manifest["nodes"][f"analysis.agent_threads.{name}"]
        assert node["description"].strip(), name
        columns, _ = analysis(compiler, sample_build, name, UTC)
        documented = {column: spec["description"] for column, spec in node["columns"].items()}
        assert list(documented) == columns, name
        assert all(text.strip() for text in documented.values()), name


# ---------------------------------------------------------------- next to ccusage daily


def ccusage_or_skip():
    from support import ccusage_oracle

    try:
        ccusage_oracle.ensure_ccusage()
    except ccusage_oracle.CcusageUnavailable as error:
        pytest.skip(f"ccusage is not available here: {error}")
    return ccusage_oracle


@pytest.mark.real_fixtures
@pytest.mark.parametrize("zone", ["Asia/Tokyo", "America/Los_Angeles"])
def test_daily_cost_equals_ccusage_daily(
    compiler: Compiler, real_build: DbtHome, zone: str
) -> None:
    oracle = ccusage_or_skip()
    theirs = oracle.ccusage_daily_model_totals(real_claude_roots(), zone)
    columns, rows = analysis(compiler, real_build, "daily_cost_by_model", {"time_zone": zone})
    ours = {
        (row["usage_date"].isoformat(), row["model"]): row
        for row in as_dicts(columns, rows)
        if row["source"] == "claude_code"
    }
    # Named difference 1: a Sonnet 4 / 4.5 request over 200k input tokens (we price the whole
    # request at the long-context rates, ccusage only the tokens above 200k). None here.
    assert not real_build.query(
        "select 1 from messages where source = 'claude_code' and input_tokens > 200000"
        " and regexp_matches(model, '^claude-sonnet-4(-5)?(-[0-9]{8})?$')"
    )
    # Named difference 2: usage of a session still active (within settle_after_minutes of
    # as_of) is not in `messages` yet; ccusage counts it. The build pins as_of after every
    # fixture, so no active session carries usage.
    assert not real_build.query(
        "select 1 from sessions where settle_status = 'active' and input_tokens + output_tokens > 0"
    )
    assert set(ours) == set(theirs)
    for key, their in theirs.items():
        our = ours[key]
        assert our["uncached_input_tokens"] == their["input_tokens"], key
        assert our["cache_read_input_tokens"] == their["cache_read_input_tokens"], key
        assert our["cache_creation_input_tokens"] == their["cache_creation_input_tokens"], key
        assert our["output_tokens"] == their["output_tokens"], key
        assert our["cost_usd"] == pytest.approx(their["cost_usd"], abs=CENT_FRACTION), key
    assert len(theirs) >= 13
    assert sum(row["cost_usd"] for row in ours.values()) > 20.0  # real money
    # the zone matters: in Tokyo some days are not the UTC days (evening sessions in UTC)
    _, utc_rows = analysis(compiler, real_build, "daily_cost_by_model", UTC)
    utc_days = {row[0].isoformat() for row in utc_rows if row[2] == "claude_code"}
    assert {day for day, _ in ours} != utc_days
