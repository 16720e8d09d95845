"""The few lines that end every `make build`: what this build did, what waits, where to look.

Read from the database after dbt has finished (read-only; any table still missing, as
after a failed first build, is left out of the summary rather than failing it).
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import duckdb

from agent_threads import paths
from agent_threads.build_gate import LANDING_TABLES


def landing_reports(folder: Path) -> dict[str, dict]:
    """The landing models' reports of this run (``landing.write_report``), per source."""
    reports = {}
    for file in sorted(folder.glob("landing-*.json")):
        reports[file.stem.removeprefix("landing-")] = json.loads(file.read_text())
    return reports


def _local(moment: datetime | None) -> str:
    if moment is None:
        return "?"
    return moment.astimezone().strftime("%Y-%m-%d %H:%M %Z")


def _count(value: int, one: str, many: str | None = None) -> str:
    return f"{value:,} {one if value == 1 else (many or one + 's')}"


class _Reader:
    """Queries that answer None when a relation is missing (a failed first build)."""

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self.con = con
        # main's relations by their bare name, the layers' by schema.name
        self.tables = {
            row[0]
            for row in con.sql(
                "select if(table_schema = 'main', '', table_schema || '.') || table_name"
                " from information_schema.tables"
            ).fetchall()
        }

    def rows(self, needs: str, sql: str, params: list | None = None) -> list[tuple] | None:
        if needs not in self.tables:
            return None
        try:
            return self.con.execute(sql, params or []).fetchall()
        except duckdb.Error:
            return None


def _lines(reader: _Reader, started_at: datetime | None, reports: dict | None) -> list[str]:
    out = []
    if started_at is not None:
        read = []
        files_total = lines_total = 0
        for source, table in LANDING_TABLES.items():
            rows = reader.rows(
                table,
                f"select count(distinct source_file), count(*) filter (where not is_blank)"
                f" from {table} where loaded_at >= ?",
                [started_at],
            )
            if rows:
                files, lines = rows[0]
                files_total, lines_total = files_total + files, lines_total + lines
                if files:
                    read.append(f"{source} {_count(files, 'file')}, {_count(lines, 'line')}")
        rejected = reader.rows(
            "rejected_lines",
            "select count(*) from rejected_lines where loaded_at >= ?",
            [started_at],
        )
        line = (
            f"read:        {_count(files_total, 'new or grown file')},"
            f" {_count(lines_total, 'new line')}"
        )
        if read:
            line += f" ({'; '.join(read)})"
        if rejected:
            line += f"; {_count(rejected[0][0], 'line')} rejected"
            if rejected[0][0]:
                line += " (see rejected_lines)"
        out.append(line)
        published = reader.rows(
            "dataset_partitions",
            "select count(*) from dataset_partitions where exported_at >= ?",
            [started_at],
        )
        if published is not None:
            out.append(
                f"published:   {_count(published[0][0], 'session')} (new or changed) in messages"
            )
    unreadable = sorted(
        {p for r in (reports or {}).values() for p in r.get("unreadable_paths", [])}
    )
    if unreadable:
        shown = ", ".join(unreadable[:3]) + (" ..." if len(unreadable) > 3 else "")
        out.append(f"unreadable:  {_count(len(unreadable), 'path')} skipped: {shown}")
    waiting = reader.rows(
        "intermediate.int_sessions_settled",
        "select count(*), min(settles_at) from intermediate.int_sessions_settled"
        " where settle_status = 'active'",
    )
    if waiting:
        count, next_at = waiting[0]
        if count:
            out.append(
                f"waiting:     {_count(count, 'active session')} not in messages yet (in"
                f" sessions and threads, settle_status = 'active'); the next settles at"
                f" {_local(next_at)}"
            )
        else:
            out.append("waiting:     no active session: every session is in messages")
    unknown = reader.rows(
        "line_types",
        "select source || ' ' || line_type || coalesce('/' || line_subtype, '')"
        " || coalesce(' [' || item_type || ']', ''), sum(line_count)"
        " from line_types where not is_known_to_projection group by all order by 1",
    )
    if unknown:
        names = ", ".join(f"{name} ({_count(int(n), 'line')})" for name, n in unknown)
        out.append(f"unknown line types: {names} (see line_types)")
    unpriced = reader.rows(
        "messages",
        "select coalesce(model, '(no model)'), count(*) from messages"
        " where cost_usd is null"
        " and (coalesce(input_tokens, 0) > 0 or coalesce(output_tokens, 0) > 0)"
        " group by all order by 1",
    )
    if unpriced:
        names = ", ".join(f"{model} ({_count(n, 'message')})" for model, n in unpriced)
        out.append(f"unpriced models: {names} (add them to seeds/model_prices.csv)")
    return out


def render(
    db_path: Path,
    started_at: datetime | None,
    choice: paths.RootChoice,
    reports: dict | None,
    seconds: float,
    status: int = 0,
) -> str:
    """The summary block, as printed at the end of `make build`."""
    did = "built" if reports is not None else "up to date"
    head = (
        f"agent_threads build: {did} in {seconds:.1f} s"
        if status == 0
        else (
            f"agent_threads build: FAILED (dbt exit {status}) after {seconds:.1f} s: the error is"
            " above; the next make build redoes what is missing"
        )
    )
    lines = [head]
    if db_path.exists():
        try:
            con = duckdb.connect(str(db_path), read_only=True)
        except duckdb.Error as error:
            lines.append(f"(no summary: {error})")
        else:
            with con:
                lines += _lines(_Reader(con), started_at if reports is not None else None, reports)
    lines.append(f"roots:       {choice.describe()}")
    dataset = paths.dataset_dir()
    lines.append(f"database:    {db_path}")
    lines.append(f"dataset:     {dataset}/v6 (manifest: {dataset}/manifest.json)")
    lines.append('query it:    make sql   (or: make sql Q="select * from sessions")')
    return "\n".join(["", *lines])
