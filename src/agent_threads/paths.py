"""Where data lives: one place that turns vars and env vars into absolute paths.

The dbt models, the build gate and the build runner all ask here; nothing else in the
project resolves a path on its own.

**Which logs a build reads** (the roots rule, for every source):

1. Roots *given* for this build: a source's dbt var (``claude_roots``, ...) when it is
   not empty, else its env var (``CLAUDE_ROOTS``, ...). As soon as one source is given a
   root, a source given none reads nothing: the bundled samples never mix with a user's
   own logs.
2. Else the roots *remembered* for this database: the file ``<database>.roots.json``
   beside it, written by the last build that was given roots.
3. Else the bundled sample logs, for every source.

Relative roots resolve against the current directory (the project root when run through
the Makefile); ``~`` is the user's home.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from agent_threads.errors import RootsError

PROJECT_DIR = Path(__file__).resolve().parents[2]
SAMPLE_LOGS_DIR = PROJECT_DIR / "sample_logs"
SAMPLE_ROOTS = {
    "claude_code": [SAMPLE_LOGS_DIR / "claude" / "projects"],
    "codex": [SAMPLE_LOGS_DIR / "codex"],
    "copilot_cli": [SAMPLE_LOGS_DIR / "copilot"],
    "gemini_cli": [SAMPLE_LOGS_DIR / "gemini"],
}
#: per source: (dbt var, env var)
ROOT_SETTINGS = {
    "claude_code": ("claude_roots", "CLAUDE_ROOTS"),
    "codex": ("codex_roots", "CODEX_ROOTS"),
    "copilot_cli": ("copilot_roots", "COPILOT_ROOTS"),
    "gemini_cli": ("gemini_roots", "GEMINI_ROOTS"),
}
ROOT_ENV_VARS = {source: env for source, (_, env) in ROOT_SETTINGS.items()}
SOURCES = tuple(ROOT_SETTINGS)
DEFAULT_DATABASE = "data/agent_threads.duckdb"
DEFAULT_DATASET_DIR = "data/dataset"

GIVEN, REMEMBERED, SAMPLES = "given", "remembered", "samples"


def _split_roots(value: str | Iterable[str] | None) -> list[str]:
    """Accept a list, a colon-separated string, or a string that looks like a list."""
    if value is None:
        return []
    if isinstance(value, str):
        text = value.strip()
        if text.startswith("[") and text.endswith("]"):
            text = text[1:-1]
            parts = [part.strip().strip("'\"") for part in text.split(",")]
        else:
            parts = text.split(os.pathsep)
        return [part for part in (p.strip() for p in parts) if part]
    return [str(part) for part in value if str(part).strip()]


def _absolute(roots: Iterable[str | Path]) -> list[Path]:
    """Absolute paths, ``~`` expanded, order kept, duplicates removed."""
    unique: list[Path] = []
    for root in roots:
        path = Path(os.path.expanduser(str(root))).absolute()
        if path not in unique:
            unique.append(path)
    return unique


@dataclass(frozen=True)
class RootChoice:
    """The roots a build reads, per source, and where the choice came from."""

    by_source: dict[str, list[Path]]
    #: ``given`` (vars or env vars of this build), ``remembered`` or ``samples``
    origin: str
    #: per source, what named its roots: ``CLAUDE_ROOTS``, ``var claude_roots``,
    #: ``<database>.roots.json``, ``the bundled samples``; absent: the source reads nothing
    named_by: dict[str, str]

    def roots(self, source: str) -> list[Path]:
        return self.by_source.get(source, [])

    def describe(self) -> str:
        """One line: which roots of which source, and what named them."""
        if self.origin == SAMPLES:
            return (
                "the bundled sample logs (sample_logs/); to read your own, set CLAUDE_ROOTS,"
                " CODEX_ROOTS, COPILOT_ROOTS and/or GEMINI_ROOTS (README: Your own logs)"
            )
        parts = []
        for source in SOURCES:
            roots = self.roots(source)
            if roots:
                listed = ", ".join(_home_relative(root) for root in roots)
                parts.append(f"{source} {listed} ({self.named_by[source]})")
            else:
                parts.append(f"{source}: none")
        return "; ".join(parts)


def _home_relative(path: Path) -> str:
    home = Path.home()
    try:
        return "~/" + str(path.relative_to(home))
    except ValueError:
        return str(path)


def given_roots(
    configured: Mapping[str, object] | None = None, environ: Mapping[str, str] | None = None
) -> dict[str, tuple[list[str], str]]:
    """Per source given roots for this build: ``(roots, what named them)``; empty if none.

    ``configured`` maps a source to its dbt var's value (a list or a string).
    """
    environ = os.environ if environ is None else environ
    configured = configured or {}
    given: dict[str, tuple[list[str], str]] = {}
    for source, (var_name, env_name) in ROOT_SETTINGS.items():
        from_var = _split_roots(configured.get(source))  # type: ignore[arg-type]
        if from_var:
            given[source] = (from_var, f"var {var_name}")
            continue
        from_env = _split_roots(environ.get(env_name))
        if from_env:
            given[source] = (from_env, env_name)
    return given


def roots_file(db_path: Path | None = None) -> Path:
    """Where the roots of the database ``db_path`` are remembered (beside it)."""
    db_path = database_path() if db_path is None else Path(db_path)
    return db_path.with_name(db_path.stem + ".roots.json")


def remembered_roots(db_path: Path | None = None) -> dict[str, list[Path]] | None:
    """The roots remembered for the database, or None when nothing is remembered."""
    file = roots_file(db_path)
    try:
        stored = json.loads(file.read_text())
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as error:
        raise RootsError(
            f"{file} (the roots remembered for this database) cannot be read: {error}. "
            "Fix or delete it, or give the roots again (CLAUDE_ROOTS=... make build)."
        ) from error
    return {source: _absolute(stored.get("roots", {}).get(source, [])) for source in SOURCES}


def choose_roots(
    configured: Mapping[str, object] | None = None,
    db_path: Path | None = None,
    environ: Mapping[str, str] | None = None,
) -> RootChoice:
    """The roots rule (module docstring): given, else remembered, else the samples."""
    given = given_roots(configured, environ)
    if given:
        return RootChoice(
            by_source={s: _absolute(given[s][0]) if s in given else [] for s in SOURCES},
            origin=GIVEN,
            named_by={source: named for source, (_, named) in given.items()},
        )
    remembered = remembered_roots(db_path)
    if remembered is not None:
        file = str(roots_file(db_path))
        return RootChoice(
            by_source=remembered,
            origin=REMEMBERED,
            named_by={source: f"remembered in {file}" for source in SOURCES if remembered[source]},
        )
    return RootChoice(
        by_source={source: list(SAMPLE_ROOTS[source]) for source in SOURCES},
        origin=SAMPLES,
        named_by=dict.fromkeys(SOURCES, "the bundled samples"),
    )


def remember_roots(choice: RootChoice, db_path: Path | None = None) -> Path | None:
    """Write the given roots beside the database, so later plain builds read the same."""
    if choice.origin != GIVEN:
        return None
    file = roots_file(db_path)
    file.parent.mkdir(parents=True, exist_ok=True)
    record = {
        "roots": {source: [str(root) for root in choice.roots(source)] for source in SOURCES},
        "named_by": choice.named_by,
        "remembered_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    tmp = file.with_name(file.name + ".tmp")
    tmp.write_text(json.dumps(record, indent=2) + "\n")
    os.replace(tmp, file)
    return file


def is_sample_path(path: str | Path) -> bool:
    """Whether a (real) path lies under the bundled sample logs."""
    sample = os.path.realpath(SAMPLE_LOGS_DIR)
    real = os.path.realpath(path)
    return real == sample or real.startswith(sample + os.sep)


def database_path() -> Path:
    """The DuckDB database (``AGENT_THREADS_DB``, default ``data/agent_threads.duckdb``)."""
    return Path(os.environ.get("AGENT_THREADS_DB") or DEFAULT_DATABASE).absolute()


def dataset_dir() -> Path:
    """The Parquet dataset root (``AGENT_THREADS_DATASET_DIR``, default ``data/dataset``)."""
    return Path(os.environ.get("AGENT_THREADS_DATASET_DIR") or DEFAULT_DATASET_DIR).absolute()
