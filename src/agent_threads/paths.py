"""Where data lives: one place that turns vars and env vars into absolute paths.

The dbt models pass their (already rendered) vars here; nothing else in the project
resolves a path on its own.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parents[2]
SAMPLE_LOGS_DIR = PROJECT_DIR / "sample_logs"
DEFAULT_ROOTS = {
    "claude_code": [SAMPLE_LOGS_DIR / "claude" / "projects"],
    "codex": [SAMPLE_LOGS_DIR / "codex"],
}
ROOT_ENV_VARS = {"claude_code": "CLAUDE_ROOTS", "codex": "CODEX_ROOTS"}


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


def resolve_roots(source: str, configured: str | Iterable[str] | None = None) -> list[Path]:
    """Return absolute roots for ``source``: the dbt var, else the env var, else the sample.

    Relative paths are resolved against the current directory (the project root when run
    through the Makefile). Order is kept and duplicates are removed.
    """
    roots = _split_roots(configured)
    if not roots:
        roots = _split_roots(os.environ.get(ROOT_ENV_VARS[source]))
    paths = [Path(os.path.expanduser(r)).absolute() for r in roots] or DEFAULT_ROOTS[source]
    unique: list[Path] = []
    for path in paths:
        if path not in unique:
            unique.append(path)
    return unique


def dataset_dir() -> Path:
    """The Parquet dataset root (``AGENT_THREADS_DATASET_DIR``, default ``data/dataset``)."""
    return Path(os.environ.get("AGENT_THREADS_DATASET_DIR", "data/dataset")).absolute()
