"""What the report shows, read from the marts through dbt analyses into one JSON-able dict.

The figures that analyses/ already computes come from those analyses (one rule, one
place); the rest from analyses/report/. Every value is a number, a date or time, or a
name (tool, model, project, source, kind), a title or an id: no message text, unless
``include_prompts`` (then ``prompts`` holds the prompt of each turn, and ``meta`` says so).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb

HERE = Path(__file__).resolve().parent

# analyses/ the report reuses as they are: the same figures as `dbt compile` + `make sql`
SHARED_ANALYSES = [
    "daily_cost_by_model",
    "cost_by_project",
    "subagent_fanout_per_session",
    "off_main_thread_share_per_session",
    "tool_calls_by_tool",
]
# analyses/report/: the report's own queries
OWN_ANALYSES = [
    "report_sessions",
    "report_threads",
    "report_turns",
    "report_tool_calls",
    "report_compactions",
    "report_tool_durations",
    "report_rejected_reasons",
    "report_unknown_line_types",
    "report_unpriced_models",
    "report_active_sessions",
]
PROMPT_ANALYSIS = "report_prompts"
REPORT_ANALYSES = SHARED_ANALYSES + OWN_ANALYSES
# what is compiled: one compile serves reports with and without prompts
ALL_ANALYSES = [*REPORT_ANALYSES, PROMPT_ANALYSIS]
# the tables the page receives whole (the explorer's inputs are reshaped by explorer.sql)
PAGE_TABLES = [
    *SHARED_ANALYSES,
    "report_sessions",
    "report_tool_durations",
    "report_rejected_reasons",
    "report_unknown_line_types",
    "report_unpriced_models",
    "report_active_sessions",
]
# the columns the page uses, where a table has many more (the page stays small)
PAGE_COLUMNS = {
    "off_main_thread_share_per_session": [
        "session_id",
        "threads",
        "total_tokens",
        "off_main_tokens",
        "off_main_token_share",
        "cost_usd",
        "off_main_cost_usd",
        "off_main_cost_share",
    ],
}
PROMPT_CHARS = 2000


def _as_json_value(column: str, type_name: str) -> str:
    """A select expression giving the column as JSON wants it, so rows need no Python pass:
    times as epoch milliseconds, dates as ISO text, decimals as doubles, doubles rounded."""
    quoted = '"' + column.replace('"', '""') + '"'
    kind = str(type_name).upper()
    if kind.startswith("TIMESTAMP"):
        expression = f"epoch_ms({quoted})"
    elif kind == "DATE":
        expression = f"cast({quoted} as varchar)"
    elif kind.startswith("DECIMAL") or kind in ("DOUBLE", "FLOAT", "REAL"):
        expression = f"round(cast({quoted} as double), 6)"
    else:
        return quoted
    return f"{expression} as {quoted}"


def table(
    con: duckdb.DuckDBPyConnection, relation: str, columns: list[str] | None = None
) -> dict[str, list]:
    """A relation's rows as ``{"columns": [...], "rows": [[...], ...]}``, in its order."""
    described = con.execute(f"select * from {relation} limit 0").description
    kept = [(d[0], d[1]) for d in described if columns is None or d[0] in columns]
    select = ", ".join(_as_json_value(name, str(type_name)) for name, type_name in kept)
    rows = con.execute(f"select {select} from {relation}").fetchall()
    return {"columns": [name for name, _ in kept], "rows": rows}


def _sql(name: str) -> str:
    return (HERE / f"{name}.sql").read_text()


def register(con: duckdb.DuckDBPyConnection, compiled: dict[str, str]) -> None:
    """Each compiled analysis as a temp view of its name (the database stays read-only)."""
    for name, sql in compiled.items():
        con.execute(f"create or replace temp view {name} as {sql.strip().rstrip(';')}")


class RawJson(str):
    """JSON text DuckDB already wrote: the page inserts it as is (no Python round trip)."""


def explorer(con: duckdb.DuckDBPyConnection) -> dict[str, Any]:
    """The explorer's sessions (explorer.sql, one JSON object) and its tool name index."""
    row = con.execute(_sql("explorer")).fetchone()
    assert row is not None  # one aggregate row
    (sessions,) = row
    tools = [name for (name,) in con.execute(_sql("tool_names")).fetchall()]
    return {"tools": tools, "sessions": RawJson(sessions)}


def prompts(con: duckdb.DuckDBPyConnection) -> dict[str, list]:
    """Per session: [lane, turn_seq, prompt text (cut to PROMPT_CHARS)] of each turn."""
    out: dict[str, list] = {}
    for session_id, lane, turn_seq, text in con.execute(_sql("prompts")).fetchall():
        out.setdefault(session_id, []).append([lane, turn_seq, text[:PROMPT_CHARS]])
    return out


def collect(
    con: duckdb.DuckDBPyConnection,
    compiled: dict[str, str],
    *,
    include_prompts: bool = False,
    time_zone: str = "",
) -> dict[str, Any]:
    """Everything the page shows, from a read-only connection and the compiled analyses.

    The prompts' analysis is not even registered unless ``include_prompts``.
    """
    if not include_prompts:
        compiled = {name: sql for name, sql in compiled.items() if name != PROMPT_ANALYSIS}
    register(con, compiled)
    data: dict[str, Any] = {
        "tables": {name: table(con, name, PAGE_COLUMNS.get(name)) for name in PAGE_TABLES},
        "explorer": explorer(con),
    }
    if include_prompts:
        data["prompts"] = prompts(con)
    zone = time_zone or str(con.sql("select current_setting('TimeZone')").fetchall()[0][0])
    data["meta"] = {
        "include_prompts": include_prompts,
        "time_zone": zone,
        "sessions": len(data["tables"]["report_sessions"]["rows"]),
    }
    return data
