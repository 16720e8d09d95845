"""Run the real project with dbt in a temporary home: its own database, dataset and target."""

from __future__ import annotations

import contextlib
import gc
import io
import json
import os
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

REPO = Path(__file__).resolve().parents[2]
DBT = Path(sys.executable).parent / "dbt"
DEFAULT_AS_OF = "2026-11-01T00:00:00+00:00"


@dataclass
class DbtResult:
    returncode: int
    output: str

    def ok(self) -> DbtResult:
        assert self.returncode == 0, self.output[-6000:]
        return self


@dataclass
class DbtHome:
    """One isolated deployment of the project (a database, a dataset dir, roots)."""

    base: Path
    claude_roots: list[Path] | None = None
    codex_roots: list[Path] | None = None
    copilot_roots: list[Path] | None = None
    gemini_roots: list[Path] | None = None
    as_of: str = DEFAULT_AS_OF
    extra_vars: dict = field(default_factory=dict)
    extra_env: dict = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.base = Path(self.base)
        self.base.mkdir(parents=True, exist_ok=True)

    @property
    def db_path(self) -> Path:
        return self.base / "agent_threads.duckdb"

    @property
    def dataset_dir(self) -> Path:
        return self.base / "dataset"

    def env(self) -> dict[str, str]:
        env = dict(os.environ)
        env.update(
            {
                "AGENT_THREADS_DB": str(self.db_path),
                "AGENT_THREADS_DATASET_DIR": str(self.dataset_dir),
                "DBT_PROFILES_DIR": str(REPO),
                "DBT_PROJECT_DIR": str(REPO),
                "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
            }
        )
        for key, roots in (
            ("CLAUDE_ROOTS", self.claude_roots),
            ("CODEX_ROOTS", self.codex_roots),
            ("COPILOT_ROOTS", self.copilot_roots),
            ("GEMINI_ROOTS", self.gemini_roots),
        ):
            if roots:
                env[key] = os.pathsep.join(str(r) for r in roots)
            else:  # None: the roots rule decides; []: nothing (another source is given)
                env.pop(key, None)
        env.update(self.extra_env)
        return env

    def dbt(self, *args: str, vars: dict | None = None, check: bool = True) -> DbtResult:
        all_vars = {"as_of": self.as_of, **self.extra_vars, **(vars or {})}
        command = [
            str(DBT),
            *args,
            "--project-dir",
            str(REPO),
            "--target-path",
            str(self.base / "target"),
            "--log-path",
            str(self.base / "logs"),
            "--vars",
            json.dumps(all_vars),
        ]
        if self.extra_env or not IN_PROCESS:  # a shim in PYTHONPATH needs a new process
            proc = subprocess.run(
                command, cwd=REPO, env=self.env(), capture_output=True, text=True, check=False
            )
            result = DbtResult(proc.returncode, proc.stdout + proc.stderr)
        else:
            result = _dbt_in_process(command[1:], self.env())
        return result.ok() if check else result

    def build(self, *args: str, **kwargs) -> DbtResult:
        return self.dbt("build", *args, **kwargs)

    def query(self, sql: str) -> list[tuple]:
        with duckdb.connect(str(self.db_path), read_only=True) as con:
            return con.sql(sql).fetchall()

    def scalar(self, sql: str):
        return self.query(sql)[0][0]

    def relation(self, name: str) -> str:
        """``name`` qualified by the schema the database holds it in (a layer's, or main)."""
        found = self.query(
            f"select schema_name from duckdb_tables() where table_name = '{name}' union all"
            f" select schema_name from duckdb_views() where view_name = '{name}'"
            " and not internal and not temporary"
        )
        assert len(found) == 1, f"{name}: in {found}"
        return f"{found[0][0]}.{name}"


# DbtHome runs dbt in the test's own process unless AGENT_THREADS_TEST_DBT=subprocess: the
# same dbt, project and database, without a new interpreter and a full parse per run
# (about 9 s of a 14 s sample build here). Tests that need a process of their own (a
# signal, a shim in PYTHONPATH) start one.
IN_PROCESS = os.environ.get("AGENT_THREADS_TEST_DBT", "in_process") != "subprocess"

# One parsed manifest per set of parse-time inputs: the --vars (rendered into configs such
# as meta.as_of and the landing roots), the target and the database file's name.
_MANIFESTS: dict[tuple[str, ...], object] = {}


@contextlib.contextmanager
def replaced_environ(env: dict[str, str]):
    """os.environ replaced whole by ``env``, then restored."""
    saved = dict(os.environ)
    os.environ.clear()
    os.environ.update(env)
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)


@contextlib.contextmanager
def _process_state(env: dict[str, str]):
    """os.environ set to ``env`` and the working directory at the project, then restored."""
    saved_cwd = os.getcwd()
    with replaced_environ(env):
        os.chdir(REPO)
        try:
            yield
        finally:
            os.chdir(saved_cwd)


def _close_duckdb() -> None:
    """Release the database file as a dbt process would on exit (dbt-duckdb keeps it open)."""
    from dbt.adapters.duckdb.connections import DuckDBConnectionManager

    with DuckDBConnectionManager._LOCK:
        if DuckDBConnectionManager._ENV is not None:
            DuckDBConnectionManager._ENV.close()
            DuckDBConnectionManager._ENV = None
    gc.collect()


def _dbt_in_process(args: list[str], env: dict[str, str]) -> DbtResult:
    """``dbt <args>`` through dbtRunner, with the exit code and output the CLI would give."""
    from dbt.cli.main import dbtRunner

    def option(name: str) -> str:
        return args[args.index(name) + 1] if name in args else ""

    key = (
        option("--vars"),
        option("--target"),
        Path(env.get("AGENT_THREADS_DB", "")).name,
    )
    parse_options = [
        word
        for name in ("--project-dir", "--target-path", "--log-path", "--vars", "--target")
        if option(name)
        for word in (name, option(name))
    ]
    output = io.StringIO()
    redirected = contextlib.redirect_stdout(output), contextlib.redirect_stderr(output)
    with _process_state(env), redirected[0], redirected[1]:
        try:
            if key not in _MANIFESTS:
                parsed = dbtRunner().invoke(["parse", *parse_options])
                if not parsed.success or parsed.result is None:
                    return DbtResult(2 if parsed.exception else 1, output.getvalue())
                _MANIFESTS[key] = parsed.result
            done = dbtRunner(manifest=_MANIFESTS[key]).invoke(args)  # type: ignore[arg-type]
        finally:
            _close_duckdb()
    code = 0 if done.success else (2 if done.exception is not None else 1)
    return DbtResult(code, output.getvalue())
