"""Skip a `make build` that has nothing to do, without starting dbt.

A build has work when any of these holds (each checked without dbt, in well under a
second):

- no database yet, or no successful plain build recorded in it;
- the project changed since that build: any file of models/, macros/, seeds/,
  tests/singular/, src/, dbt_project.yml, profiles.yml or requirements.txt, or an
  environment variable that decides inputs or outputs (roots, database, dataset dir,
  memory limit, the export's hash salt);
- a log file has bytes the landing cache does not hold: a new file, a grown one, a
  rewritten one (its size differs from what was landed of it). This is the landing
  model's own "unchanged, not opened" rule, so a file the build would not read is one the
  gate does not count;
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

from agent_threads import landing, paths

STATE_TABLE = "main.agent_threads_build_state"
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
    "CLAUDE_ROOTS",
    "CODEX_ROOTS",
    "AGENT_THREADS_DATASET_DIR",
    "AGENT_THREADS_MEMORY_LIMIT",
    "AGENT_THREADS_DB",
    # the Parquet export's hash salt: a new salt must rewrite the hashed files
    "AGENT_THREADS_EXPORT_HASH_SALT",
)
LANDING_TABLES = {"claude_code": "land_claude_code__lines", "codex": "land_codex__lines"}


def project_fingerprint(project_dir: Path = paths.PROJECT_DIR) -> str:
    """A hash of every project file that can change what a build does, and the env vars."""
    digest = hashlib.sha256()
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


def database_path() -> Path:
    return Path(os.environ.get("AGENT_THREADS_DB", "data/agent_threads.duckdb")).absolute()


def pending_work(db_path: Path, fingerprint: str, now: datetime | None = None) -> list[str]:
    """Why a build is needed (empty: nothing to do). Any failure to check is a reason."""
    import duckdb

    if not db_path.exists():
        return ["no database yet"]
    now = now or datetime.now(UTC)
    try:
        con = duckdb.connect(str(db_path), read_only=True)
    except duckdb.Error as error:
        return [f"database not readable: {error}"]
    try:
        return _pending_work(con, fingerprint, now)
    except duckdb.Error as error:
        return [f"could not check: {error}"]
    finally:
        con.close()


def _pending_work(con, fingerprint: str, now: datetime) -> list[str]:
    has_state = con.sql(
        "select count(*) from duckdb_tables()"
        f" where schema_name || '.' || table_name = '{STATE_TABLE}'"
    ).fetchall()[0][0]
    recorded = (
        con.sql(
            f"select project_fingerprint from {STATE_TABLE} order by built_at desc limit 1"
        ).fetchall()
        if has_state
        else []
    )
    if not recorded:
        return ["no plain build recorded"]
    if recorded[0][0] != fingerprint:
        return ["the project or its environment changed since the last build"]
    reasons = []
    for source, table in LANDING_TABLES.items():
        state = landing.state_from_table(con.sql(landing.state_query(table)).to_arrow_table())
        files, _ = landing.discover_files(source, paths.resolve_roots(source))
        changed = [
            file.path for file in files if not landing.is_fully_landed(file, state.get(file.path))
        ]
        if changed:
            reasons.append(f"{source}: {len(changed)} files with new bytes (e.g. {changed[0]})")
    due = con.execute(
        "select count(*) from int_sessions_settled"
        " where settle_status = 'active' and settles_at <= ?",
        [now],
    ).fetchall()[0][0]
    if due:
        reasons.append(f"{due} active sessions reached their settle time")
    if not (paths.dataset_dir() / "manifest.json").exists():
        reasons.append(f"no dataset manifest in {paths.dataset_dir()}")
    return reasons


def record_build(db_path: Path, fingerprint: str) -> None:
    import duckdb

    with duckdb.connect(str(db_path)) as con:
        con.execute(
            f"create table if not exists {STATE_TABLE}"
            " (project_fingerprint varchar not null, built_at timestamptz not null)"
        )
        con.execute(f"delete from {STATE_TABLE}")
        con.execute(f"insert into {STATE_TABLE} values (?, ?)", [fingerprint, datetime.now(UTC)])


def main(argv: list[str]) -> int:
    if argv[1:] == ["check"]:
        reasons = pending_work(database_path(), project_fingerprint())
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
        record_build(database_path(), project_fingerprint())
        return 0
    print("usage: python -m agent_threads.build_gate check|record", file=sys.stderr)
    return 2


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
