"""Run the README's `make` commands as a user would, against a home of their own.

The database and the dataset live under ``<base>/data`` (the default layout, relative to
``<base>``), so README snippets that name `data/...` run as written with ``cwd=base``.
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

import duckdb

REPO = Path(__file__).resolve().parents[2]


@dataclass
class MakeResult:
    returncode: int
    output: str

    def ok(self) -> MakeResult:
        assert self.returncode == 0, self.output[-6000:]
        return self


class MakeHome:
    """A user's deployment: `make` targets with AGENT_THREADS_DB and the dataset in base."""

    def __init__(self, base: Path, **roots: str) -> None:
        self.base = Path(base)
        (self.base / "data").mkdir(parents=True, exist_ok=True)
        self.env = dict(os.environ)
        for name in ("DBT_ARGS", "Q", "CLAUDE_ROOTS", "CODEX_ROOTS"):
            self.env.pop(name, None)
        self.env.update(
            AGENT_THREADS_DB=str(self.db_path),
            AGENT_THREADS_DATASET_DIR=str(self.dataset_dir),
            DBT_SEND_ANONYMOUS_USAGE_STATS="false",
            **roots,
        )

    @property
    def db_path(self) -> Path:
        return self.base / "data" / "agent_threads.duckdb"

    @property
    def dataset_dir(self) -> Path:
        return self.base / "data" / "dataset"

    def make(self, *args: str, check: bool = True, stdin: str | None = None, **env) -> MakeResult:
        done = subprocess.run(
            ["make", "--no-print-directory", *args],
            cwd=REPO,
            env={**self.env, **env},
            input=stdin,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,  # in the order a terminal shows them
            text=True,
            check=False,
        )
        result = MakeResult(done.returncode, done.stdout)
        return result.ok() if check else result

    def query(self, sql: str) -> list[tuple]:
        with duckdb.connect(str(self.db_path), read_only=True) as con:
            return con.sql(sql).fetchall()

    def scalar(self, sql: str):
        return self.query(sql)[0][0]
