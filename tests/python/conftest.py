"""Shared pytest fixtures: real dbt runs in a temporary home, and the real fixtures."""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "tests"))

from support.dbt_project import DbtHome  # noqa: E402
from support.real_fixtures import (  # noqa: E402
    REAL_FIXTURES,
    real_claude_roots,
    real_codex_copies,
    real_codex_root,
)
from support.spark import JAVA, NO_JAVA, local_spark  # noqa: E402

AS_OF = "2026-11-01T00:00:00+00:00"
# a sample session whose line 13 is cut inside a string: "not valid JSON" on every engine
# (only that line is used: the sample's other lines hold shapes the engines type apart)
HALF_WRITTEN_SESSION = (
    REPO
    / "sample_logs"
    / "claude"
    / "projects"
    / "-home-dev-cli-tool"
    / "490c83fc-97db-4c2a-a5bc-d4584e11fa24.jsonl"
)

# `make test` runs pytest in two workers (pytest-xdist). dbt runs that name no target or
# log folder (`make build` in a test, `dbt compile --inline`) would share the project's
# target/ (partial parse, manifest, run results) across workers: each worker gets its own.
if "DBT_TARGET_PATH" not in os.environ:
    _worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    _dbt_dir = Path(tempfile.mkdtemp(prefix=f"agent_threads_dbt_{_worker}_"))
    os.environ["DBT_TARGET_PATH"] = str(_dbt_dir / "target")
    os.environ["DBT_LOG_PATH"] = str(_dbt_dir / "logs")


@pytest.fixture
def dbt_home(tmp_path: Path) -> DbtHome:
    """A fresh database, dataset folder and dbt target in tmp_path (sample logs as input)."""
    return DbtHome(tmp_path)


@pytest.fixture(scope="session")
def sample_build(tmp_path_factory: pytest.TempPathFactory) -> DbtHome:
    """One build of the bundled sample logs, shared by read-only tests."""
    home = DbtHome(tmp_path_factory.mktemp("sample_build"))
    home.build_output = home.build().output  # what `dbt build` printed
    return home


@pytest.fixture(scope="session")
def real_build(tmp_path_factory: pytest.TempPathFactory) -> DbtHome:
    """One build of the real fixtures under ../shared/fixtures/real (skipped when absent)."""
    if not REAL_FIXTURES.is_dir():
        pytest.skip(f"real fixtures not found at {REAL_FIXTURES}")
    base = tmp_path_factory.mktemp("real_build")
    home = DbtHome(
        base,
        claude_roots=real_claude_roots(),
        codex_roots=[real_codex_root(base / "codex_home")],
    )
    home.build()
    return home


@pytest.fixture(scope="session")
def spark(tmp_path_factory: pytest.TempPathFactory):
    """One local SparkSession for the whole test run (skipped only where Java is missing)."""
    if JAVA is None:
        pytest.skip(NO_JAVA)
    session = local_spark(tmp_path_factory.mktemp("spark"))
    yield session
    session.stop()


@pytest.fixture(scope="session")
def real_copies_build(tmp_path_factory: pytest.TempPathFactory) -> DbtHome:
    """A DuckDB build of the real fixtures whose Codex home holds copies, not symlinks.

    The engines are compared on it: Spark lists files without resolving symlinks, so only
    with copies do both see the same source_file paths. One more root holds a file whose
    only line is half-written (cut inside a string), which both engines must reject.
    """
    if not REAL_FIXTURES.is_dir():
        pytest.skip(f"real fixtures not found at {REAL_FIXTURES}")
    base = tmp_path_factory.mktemp("real_copies_build")
    half_written = base / "half_written" / HALF_WRITTEN_SESSION.parent.name
    half_written.mkdir(parents=True)
    cut_line = HALF_WRITTEN_SESSION.read_bytes().splitlines(keepends=True)[12]
    (half_written / HALF_WRITTEN_SESSION.name).write_bytes(cut_line)
    # no real log of the other agents is shared: their samples, copied (not symlinked)
    copilot_home, gemini_home = base / "copilot_home", base / "gemini_home"
    shutil.copytree(REPO / "sample_logs" / "copilot", copilot_home)
    shutil.copytree(REPO / "sample_logs" / "gemini", gemini_home)
    home = DbtHome(
        base,
        claude_roots=[*real_claude_roots(), half_written.parent],
        codex_roots=[real_codex_copies(base / "codex_home")],
        copilot_roots=[copilot_home],
        gemini_roots=[gemini_home],
    )
    home.build()
    return home
