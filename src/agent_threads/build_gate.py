"""Skip a `make build` that has nothing to do, without starting dbt.

A build has work when any of these holds (each checked without dbt, in well under a
second):

- no database yet, or no successful plain build recorded in it;
- the project changed since that build: any file of models/, macros/, seeds/,
  tests/singular/, src/, dbt_project.yml, profiles.yml or requirements.txt, or an
  environment variable that decides inputs or outputs (roots, database, dataset dir,
  memory limit, the export's hash salt);
- a log file changed since the landing last read it: a new file, or one whose size,
  modification or status-change time differs from those recorded when it was read, or
  one recorded as unreadable that can be read now; or a landed file is gone from disk.
  This is the file-life model's own rule (``agent_threads.landing.file_life``), the one the
  landing uses to decide what to open, so a file the build would not read is one the
  gate does not count, and a file read once (a 0-byte file, a garbage tail) is not
  counted again;
- the landing cache holds rows landed after the last successful build (a build that
  failed or was killed after landing: the rest of the graph must catch up);
- an active session reached its settle time since (it must be published now);
- the Parquet dataset's manifest is missing (someone deleted the export).

Anything the gate cannot check (a locked or older database, a missing table) counts as
work: the fallback is always the full `dbt build`. `dbt build` itself never consults
the gate; only the Makefile's plain `make build` (no DBT_ARGS) does, and it records the
project fingerprint after each successful plain build.

    python -m agent_threads.build_gate check    # exit 0: up to date; 1: build needed
    python -m agent_threads.build_gate record   # after a successful build
"""

from __future__ import annotations

import hashlib
import os
import sys
from datetime import UTC, datetime
from pathlib import Path

from agent_threads import paths
from agent_threads.landing import file_life
from agent_threads.landing import files as landing
from agent_threads.landing.duckdb import state_of

#: what the last plain build recorded (beside the landing cache, out of users' main)
STATE_SCHEMA = "landing"
STATE_TABLE = f"{STATE_SCHEMA}.agent_threads_build_state"
PROJECT_PARTS = (
    "models",
    "macros",
    "seeds",
    "tests/singular",
    "src",
    "dbt_project.yml",
    "profiles.yml",
    "requirements.txt",
)
ENV_VARS = (
    "AGENT_THREADS_DATASET_DIR",
    "AGENT_THREADS_MEMORY_LIMIT",
    "AGENT_THREADS_DB",
    # the Parquet export's hash salt: a new salt must rewrite the hashed files
    "AGENT_THREADS_EXPORT_HASH_SALT",
)
#: the copy of intermediate.int_session_states a successful plain build keeps: the next
#: plain build's data tests read only the sessions whose state differs from it
#: (macros/tested_rows.sql names both)
SESSION_STATES = "intermediate.int_session_states"
KEPT_SESSION_STATES = f"{STATE_SCHEMA}.agent_threads_sessions_at_last_build"
#: set to "written" for dbt by a plain build: data tests check the rows the run wrote
TESTED_ROWS_ENV = "AGENT_THREADS_TESTED_ROWS"
LANDING_TABLES = {
    "claude_code": "landing.land_claude_code__lines",
    "codex": "landing.land_codex__lines",
    "copilot_cli": "landing.land_copilot_cli__lines",
    "gemini_cli": "landing.land_gemini_cli__lines",
}


def project_fingerprint(
    roots: paths.RootChoice | None = None, project_dir: Path = paths.PROJECT_DIR
) -> str:
    """A hash of every project file that can change what a build does, the env vars and
    the roots the build reads (by the roots rule: given, remembered or the samples)."""
    roots = roots if roots is not None else paths.choose_roots()
    digest = hashlib.sha256()
    for source in paths.SOURCES:
        digest.update(f"{source}={[str(root) for root in roots.roots(source)]}\0".encode())
    for part in PROJECT_PARTS:
        base = project_dir / part
        files = sorted(base.rglob("*")) if base.is_dir() else [base]
        for path in files:
            if not path.is_file() or "__pycache__" in path.parts:
                continue
            digest.update(str(path.relative_to(project_dir)).encode())
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    for name in ENV_VARS:
        digest.update(f"{name}={os.environ.get(name, '')}\0".encode())
    return digest.hexdigest()


def pending_work(
    db_path: Path,
    fingerprint: str,
    now: datetime | None = None,
    roots: paths.RootChoice | None = None,
    discovered: dict[str, list[landing.DiscoveredFile]] | None = None,
    measured: dict[str, int] | None = None,
) -> list[str]:
    """Why a build is needed (empty: nothing to do). Any failure to check is a reason.

    ``discovered``: per source, the files of ``roots`` already found (by the root check),
    so they are not walked again. ``measured``, when given, receives ``new_bytes``: the
    log bytes the build will land, and ``largest_new_bytes``, the most of them in one
    file (set only when the files were checked against a finished build).
    """
    import duckdb

    if not db_path.exists():
        return ["no database yet"]
    now = now or datetime.now(UTC)
    try:
        con = duckdb.connect(str(db_path), read_only=True)
    except duckdb.Error as error:
        return [f"database not readable: {error}"]
    try:
        roots = roots or paths.choose_roots(db_path=db_path)
        return _pending_work(con, fingerprint, now, roots, discovered or {}, measured)
    except duckdb.Error as error:
        return [f"could not check: {error}"]
    finally:
        con.close()


def _pending_work(
    con,
    fingerprint: str,
    now: datetime,
    roots: paths.RootChoice,
    discovered: dict[str, list[landing.DiscoveredFile]],
    measured: dict[str, int] | None = None,
) -> list[str]:
    has_state = con.sql(
        "select count(*) from duckdb_tables()"
        f" where schema_name || '.' || table_name = '{STATE_TABLE}'"
    ).fetchall()[0][0]
    recorded = (
        con.sql(
            f"select project_fingerprint, is_finished, built_at from {STATE_TABLE}"
            " order by built_at desc limit 1"
        ).fetchall()
        if has_state
        else []
    )
    if not recorded:
        return ["no plain build recorded"]
    if not recorded[0][1]:
        return ["the last build did not finish"]
    if recorded[0][0] != fingerprint:
        return ["the project or its environment changed since the last build"]
    built_at = recorded[0][2]
    reasons = []
    new_bytes = largest_new = 0
    for source, table in LANDING_TABLES.items():
        state = file_life.state_from_table(state_of(con, table))
        files = discovered.get(source)
        if files is None:
            files, _ = landing.discover_files(source, roots.roots(source))
        changed, gone = file_life.pending_changes(
            ((file.path, file.stamp) for file in files), state
        )
        sizes = {file.path: file.size for file in files}
        for path in changed:
            known = state.get(path)
            grown = known is not None and sizes[path] >= known.landed_bytes
            added = sizes[path] - known.landed_bytes if grown and known else sizes[path]
            new_bytes += added
            largest_new = max(largest_new, added)
        if changed:
            reasons.append(f"{source}: {len(changed)} files with new bytes (e.g. {changed[0]})")
        if gone:
            reasons.append(f"{source}: {len(gone)} files gone from disk (e.g. {gone[0]})")
        late = con.execute(f"select count(*) from {table} where loaded_at > ?", [built_at])
        if late.fetchall()[0][0]:
            reasons.append(f"{source}: lines landed after the last successful build")
    due = con.execute(
        "select count(*) from intermediate.int_sessions_settled"
        " where settle_status = 'active' and settles_at <= ?",
        [now],
    ).fetchall()[0][0]
    if due:
        reasons.append(f"{due} active sessions reached their settle time")
    if not (paths.dataset_dir() / "manifest.json").exists():
        reasons.append(f"no dataset manifest in {paths.dataset_dir()}")
    if measured is not None:
        measured["new_bytes"] = new_bytes
        measured["largest_new_bytes"] = largest_new
    return reasons


def _record(db_path: Path, fingerprint: str, is_finished: bool) -> None:
    import duckdb

    with duckdb.connect(str(db_path)) as con:
        con.execute(f"create schema if not exists {STATE_SCHEMA}")
        if is_finished:
            con.execute(
                f"create or replace table {KEPT_SESSION_STATES} as"
                f" select session_id, session_revision, settle_status from {SESSION_STATES}"
            )
        con.execute("drop table if exists main.agent_threads_build_state")  # before schemas
        con.execute(f"drop table if exists {STATE_TABLE}")
        con.execute(
            f"create table {STATE_TABLE} (project_fingerprint varchar not null,"
            " built_at timestamptz not null, is_finished boolean not null)"
        )
        con.execute(
            f"insert into {STATE_TABLE} values (?, ?, ?)",
            [fingerprint, datetime.now(UTC), is_finished],
        )


def record_start(db_path: Path, fingerprint: str) -> None:
    """Before dbt starts: until :func:`record_build`, the next plain build does everything.

    So a build that fails or is killed at any point (after landing, mid-export) is
    followed by one that redoes what is missing.
    """
    _record(db_path, fingerprint, is_finished=False)


def record_build(db_path: Path, fingerprint: str) -> None:
    """After a successful plain build: also keeps a copy of every session's state, so the
    next plain build's data tests check the sessions it changes (macros/tested_rows.sql)."""
    _record(db_path, fingerprint, is_finished=True)


def main(argv: list[str]) -> int:
    if argv[1:] == ["check"]:
        reasons = pending_work(paths.database_path(), project_fingerprint())
        if reasons:
            print(f"agent_threads build: building ({'; '.join(reasons)})", file=sys.stderr)
            return 1
        print(
            "agent_threads build: nothing to do (no new log bytes, no session due to settle,"
            " project unchanged since the last build); `dbt build` runs the whole graph anyway",
            file=sys.stderr,
        )
        return 0
    if argv[1:] == ["record"]:
        record_build(paths.database_path(), project_fingerprint())
        return 0
    print("usage: python -m agent_threads.build_gate check|record", file=sys.stderr)
    return 2


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
