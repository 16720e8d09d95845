"""Run the real project with dbt in a temporary home: its own database, dataset and target."""

from __future__ import annotations

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
        for key, roots in (("CLAUDE_ROOTS", self.claude_roots), ("CODEX_ROOTS", self.codex_roots)):
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
        proc = subprocess.run(
            command, cwd=REPO, env=self.env(), capture_output=True, text=True, check=False
        )
        result = DbtResult(proc.returncode, proc.stdout + proc.stderr)
        return result.ok() if check else result

    def build(self, *args: str, **kwargs) -> DbtResult:
        return self.dbt("build", *args, **kwargs)

    def query(self, sql: str) -> list[tuple]:
        with duckdb.connect(str(self.db_path), read_only=True) as con:
            return con.sql(sql).fetchall()

    def scalar(self, sql: str):
        return self.query(sql)[0][0]
