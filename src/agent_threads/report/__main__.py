"""`make report`: ``python -m agent_threads.report``. See :mod:`agent_threads.report`."""

from __future__ import annotations

import argparse
import logging
import os
import sys
import time
from pathlib import Path

import duckdb

from agent_threads import paths
from agent_threads.report import data, page, queries

log = logging.getLogger("agent_threads.report")
EXIT_NO_DATABASE = 66
EXIT_BUSY = 75  # as `make build`: another process writes the database; try again after it


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m agent_threads.report",
        description="Write the static report (one index.html) from the built database.",
    )
    parser.add_argument("--out", type=Path, default=Path("target/report"), help="output folder")
    parser.add_argument(
        "--cache",
        type=Path,
        default=Path("target/report_cache"),
        help="where the compiled analyses and the Vega bundle are kept between runs",
    )
    parser.add_argument(
        "--time-zone",
        default=os.environ.get("REPORT_TIME_ZONE", ""),
        help="days in this zone (the analyses' time_zone var); default: the machine's",
    )
    parser.add_argument(
        "--include-prompts",
        action="store_true",
        default=os.environ.get("REPORT_INCLUDE_PROMPTS", "") not in ("", "0", "false"),
        help="put each turn's prompt text in the report (for your own use; the page says so)",
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(level=logging.INFO, format="agent_threads report: %(message)s")
    args = parse_args(sys.argv[1:] if argv is None else argv)
    started = time.perf_counter()
    db_path = paths.database_path()
    if not db_path.exists():
        log.error("no database at %s yet: run `make build` first", db_path)
        return EXIT_NO_DATABASE
    try:
        compiled = queries.compiled_analyses(data.ALL_ANALYSES, args.cache, args.time_zone, db_path)
    except queries.CompileError as error:
        log.error("%s", error)
        return 1
    try:
        con = duckdb.connect(str(db_path), read_only=True)
    except duckdb.IOException as error:
        log.error("cannot open %s read-only (is a build running?): %s", db_path, error)
        return EXIT_BUSY
    with con:
        if args.time_zone:
            con.execute("set TimeZone = ?", [args.time_zone])
        collected = data.collect(
            con, compiled, include_prompts=args.include_prompts, time_zone=args.time_zone
        )
    path = page.write_report(collected, args.out, args.cache)
    size = path.stat().st_size
    log.info(
        "wrote %s (%.1f MB, %d sessions%s) in %.1f s; open it in a browser (file://, offline)",
        path,
        size / 1e6,
        collected["meta"]["sessions"],
        ", WITH PROMPT TEXT" if args.include_prompts else "",
        time.perf_counter() - started,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
