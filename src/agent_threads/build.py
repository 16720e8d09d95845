"""`make build`: the README's build command, around `dbt build`.

    python -m agent_threads.build [dbt build arguments...]     (DBT_ARGS in the Makefile)

In order:

1. One build per database at a time: a second one stops at once with one line naming
   the process that builds (exit 75), as does a build while another process holds the
   database open (a `make sql` session, a notebook).
2. The roots rule (:mod:`agent_threads.paths`): which logs this build reads, and what
   named them. Roots that do not exist, are files or cannot be read are warnings; when
   none of them holds a log the build stops (exit 66) and says what it looked for.
   Given roots are remembered beside the database for the next plain build.
3. A database that holds the bundled samples, about to read a user's own roots, loses
   the samples (their landed lines) and is rebuilt from the user's logs
   (`--full-refresh`), so no sample row stays in a table or the Parquet dataset.
4. A plain build (no arguments) asks the build gate (:mod:`agent_threads.build_gate`)
   whether anything changed, and skips dbt when nothing did.
5. `dbt build`, then a short summary of what the build did: the last thing on screen.

`dbt build` by hand does the same data work without steps 1, 3 (it refuses to mix the
samples with a user's logs instead), 4 and 5.
"""

from __future__ import annotations

import fcntl
import os
import shlex
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import TextIO

import duckdb
import yaml  # type: ignore[import-untyped]  # PyYAML ships no types; dbt brings it

from agent_threads import build_gate, paths, summary
from agent_threads.errors import RootsError
from agent_threads.landing import files as landing
from agent_threads.landing import root_check

EXIT_LOCKED = 75  # sysexits EX_TEMPFAIL: try again once the other build is done
EXIT_NO_INPUT = 66  # sysexits EX_NOINPUT: no root holds a log
LANDING_TABLES = build_gate.LANDING_TABLES


def _say(message: str) -> None:
    print(f"agent_threads build: {message}", file=sys.stderr, flush=True)


def _vars_of(dbt_args: list[str]) -> dict:
    """The `--vars` of a dbt command line (YAML or JSON), for the root vars."""
    for index, arg in enumerate(dbt_args):
        value = None
        if arg == "--vars" and index + 1 < len(dbt_args):
            value = dbt_args[index + 1]
        elif arg.startswith("--vars="):
            value = arg.split("=", 1)[1]
        if value is not None:
            loaded = yaml.safe_load(value)
            return loaded if isinstance(loaded, dict) else {}
    return {}


def configured_roots(dbt_args: list[str]) -> dict[str, object]:
    """Each source's root var as this command line sets it (missing: not set)."""
    given = _vars_of(dbt_args)
    return {
        source: given[var_name]
        for source, (var_name, _) in paths.ROOT_SETTINGS.items()
        if var_name in given
    }


class BuildLock:
    """An exclusive lock on ``<database>.build-lock`` that names its holder."""

    def __init__(self, db_path: Path) -> None:
        self.path = db_path.with_name(db_path.name + ".build-lock")
        self.handle: TextIO | None = None

    def acquire(self) -> str | None:
        """Take the lock; return who holds it instead when another build does."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle = open(self.path, "a+")  # noqa: SIM115 (held for the whole build)
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "another process"
            handle.close()
            return holder
        handle.seek(0)
        handle.truncate()
        started = datetime.now().astimezone().isoformat(timespec="seconds")
        handle.write(f"pid {os.getpid()}, started {started}")
        handle.flush()
        self.handle = handle
        return None

    def release(self) -> None:
        if self.handle is not None:
            self.handle.seek(0)
            self.handle.truncate()
            self.handle.close()
            self.handle = None


def _database_holder(db_path: Path) -> str | None:
    """Who holds the database open, if another process does (DuckDB's own lock)."""
    if not db_path.exists():
        return None
    try:
        duckdb.connect(str(db_path)).close()
    except duckdb.IOException as error:
        text = str(error)
        if "lock" not in text.lower():
            raise
        held = text.split("Conflicting lock is held in", 1)
        return held[1].strip().split("\n")[0].rstrip(".") if len(held) == 2 else text
    return None


def _landing_tables(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """Per source, its landing table where the database has one (a failed first build may not).

    A database laid out before the layers had schemas holds it in main until its next dbt
    run moves it (macro ``move_layers_out_of_main``).
    """
    existing = {
        f"{schema}.{name}"
        for schema, name in con.sql(
            "select schema_name, table_name from duckdb_tables()"
        ).fetchall()
    }
    found = {}
    for source, table in LANDING_TABLES.items():
        before_schemas = "main." + table.split(".", 1)[1]
        for name in (table, before_schemas):
            if name in existing:
                found[source] = name
                break
    return found


def remember_roots_of_database(db_path: Path) -> Path | None:
    """A database built before roots were remembered: remember the roots it was built from.

    Its landing cache names them (``source_root``); the samples are not counted. So a
    plain build after upgrading reads the user's roots again, never the samples.
    """
    if paths.roots_file(db_path).exists() or not db_path.exists():
        return None
    found: dict[str, list[str]] = {}
    with duckdb.connect(str(db_path), read_only=True) as con:
        for source, table in _landing_tables(con).items():
            rows = con.sql(root_check.user_roots_query(table)).fetchall()
            found[source] = [row[0] for row in rows]
    if not any(found.values()):
        return None
    choice = paths.choose_roots(
        {source: found.get(source, []) for source in paths.SOURCES}, db_path=db_path
    )
    return paths.remember_roots(choice, db_path)


def _has_landed_lines(db_path: Path, count_samples: bool) -> bool:
    """Whether the landing cache holds lines: then logs deleted from disk stay published,
    and roots that hold no log any more are a warning, not a reason to stop. The bundled
    samples' lines count only for a build that reads the samples (another build drops
    them, so they keep nothing published)."""
    if not db_path.exists():
        return False
    with duckdb.connect(str(db_path), read_only=True) as con:
        for table in _landing_tables(con).values():
            landed = con.sql(f"select count(*) from {table}").fetchall()[0][0]
            if not count_samples:
                landed -= con.sql(root_check.sample_rows_query(table)).fetchall()[0][0]
            if landed > 0:
                return True
    return False


def drop_sample_lines(db_path: Path) -> int:
    """Delete the bundled samples' lines from the landing cache; return how many."""
    if not db_path.exists():
        return 0
    dropped = 0
    with duckdb.connect(str(db_path)) as con:
        for table in _landing_tables(con).values():
            dropped += con.sql(root_check.sample_rows_query(table)).fetchall()[0][0]
            con.execute(root_check.delete_sample_rows_sql(table))
    return dropped


#: DuckDB's memory limit for a plain build, by the memory its landing may need: its
#: buffer pool caches table data up to the limit, so a small run gets a small one
#: (macros/run_settings.sql; AGENT_THREADS_MEMORY_LIMIT, when set, wins)
RUN_MEMORY_LIMITS = ((64 * 2**20, "512MB"), (2**30, "1GB"))
RUN_MEMORY_LIMIT_ENV = "AGENT_THREADS_RUN_MEMORY_LIMIT"
#: parsing one line takes up to about this many times its size (docs/reliability.md)
LINE_MEMORY_FACTOR = 60


def run_memory_limit(new_bytes: int | None, largest_new_bytes: int = 0) -> dict[str, str]:
    """The environment that sets a plain build's memory limit: the smallest tier that holds
    the bytes it will land and, 60 times over, its largest possible line (the most new
    bytes of one file). None when unknown or past the last tier: the macro's 3GB."""
    if new_bytes is None:
        return {}
    need = max(new_bytes, LINE_MEMORY_FACTOR * largest_new_bytes)
    for most, limit in RUN_MEMORY_LIMITS:
        if need <= most:
            return {RUN_MEMORY_LIMIT_ENV: limit}
    return {}


def run(dbt_args: list[str]) -> int:
    started_at = datetime.now(UTC)
    clock = time.monotonic()
    db_path = paths.database_path()
    lock = BuildLock(db_path)
    holder = lock.acquire()
    if holder is not None:
        _say(
            f"another build is already running on {db_path} ({holder}): wait for it to"
            " finish, then run make build again"
        )
        return EXIT_LOCKED
    try:
        held_by = _database_holder(db_path)
        if held_by is not None:
            _say(
                f"the database {db_path} is open in another process ({held_by}): close it"
                " (a `make sql` session, a notebook), then run make build again"
            )
            return EXIT_LOCKED
        return _build(dbt_args, db_path, started_at, clock)
    finally:
        lock.release()


def _build(dbt_args: list[str], db_path: Path, started_at: datetime, clock: float) -> int:
    inferred = remember_roots_of_database(db_path)
    if inferred is not None:
        _say(f"this database was built from your roots: remembered them in {inferred}")
    try:
        choice = paths.choose_roots(configured_roots(dbt_args), db_path=db_path)
    except RootsError as error:
        _say(str(error))
        return EXIT_NO_INPUT
    check = root_check.check_roots(choice)
    _say(f"reading {choice.describe()}")
    fatal = check.fatal()
    if fatal and not _has_landed_lines(db_path, root_check.reads_samples(choice)):
        print(fatal, file=sys.stderr)
        return EXIT_NO_INPUT
    for warning in check.warnings():
        _say(f"warning: {warning}")
    remembered = paths.remember_roots(choice, db_path)
    if remembered is not None:
        _say(f"remembered these roots in {remembered}: a plain `make build` reads them")

    plain = not dbt_args
    if not root_check.reads_samples(choice):
        dropped = drop_sample_lines(db_path)
        if dropped:
            _say(
                f"removed the bundled samples ({dropped} landed lines) from {db_path}: it now"
                " holds your logs only; rebuilding every table from them (--full-refresh)"
            )
            if "--full-refresh" not in dbt_args:
                dbt_args = [*dbt_args, "--full-refresh"]

    fingerprint = build_gate.project_fingerprint(choice)
    measured: dict[str, int] = {}
    if not dbt_args:
        reasons = build_gate.pending_work(
            db_path, fingerprint, roots=choice, discovered=check.found, measured=measured
        )
        if not reasons:
            _say(
                "nothing to do (no new log bytes, no session due to settle, project unchanged"
                " since the last build); `dbt build` runs the whole graph anyway"
            )
            print(summary.render(db_path, started_at, choice, None, time.monotonic() - clock))
            return 0
        _say(f"building ({'; '.join(reasons)})")
    build_gate.record_start(db_path, fingerprint)

    with tempfile.TemporaryDirectory(prefix="agent_threads_run_") as report_dir:
        env = dict(os.environ)
        env[root_check.CHECKED_ENV] = "1"
        env[landing.RUN_REPORT_DIR_ENV] = report_dir
        if not dbt_args:
            # a plain build: data tests check the rows this run wrote
            env[build_gate.TESTED_ROWS_ENV] = "written"
            found = [file.size for files in check.found.values() for file in files]
            # unknown (first build, the last did not finish...): every byte of every file
            env.update(
                run_memory_limit(
                    measured.get("new_bytes", sum(found)),
                    measured.get("largest_new_bytes", max(found, default=0)),
                )
            )
        dbt = Path(sys.executable).with_name("dbt")
        status = subprocess.call([str(dbt), "build", *dbt_args], env=env)
        reports = summary.landing_reports(Path(report_dir))
    if status == 0 and plain:
        build_gate.record_build(db_path, fingerprint)
    print(summary.render(db_path, started_at, choice, reports, time.monotonic() - clock, status))
    return status


def main(argv: list[str]) -> int:
    args = argv[1:]
    if not args and os.environ.get("DBT_ARGS"):
        args = shlex.split(os.environ["DBT_ARGS"])
    try:
        return run(args)
    except KeyboardInterrupt:
        _say("interrupted; the next make build redoes what is missing")
        return 130


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
