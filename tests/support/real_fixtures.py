"""The real logs committed by public projects (../shared/fixtures/real), read in place.

They are never copied into the repository. Codex fixtures are not all named
`rollout-*.jsonl`, so a test Codex home of symlinks with rollout names is made for them.
"""

from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
REAL_FIXTURES = (REPO / ".." / "shared" / "fixtures" / "real").resolve()
REAL_CLAUDE = REAL_FIXTURES / "claude"
REAL_CODEX = REAL_FIXTURES / "codex"


def real_claude_roots() -> list[Path]:
    """Each fixture repository's folder that plays the part of ~/.claude/projects."""
    return [
        REAL_CLAUDE / "d-kimuson__claude-code-viewer",
        REAL_CLAUDE / "handgemacht-ai__claude-code-log" / "real_projects",
    ]


def real_codex_files() -> list[Path]:
    return sorted(REAL_CODEX.rglob("*.jsonl"))


def real_codex_rollouts() -> dict[str, Path]:
    """Each real Codex fixture under the rollout file name Codex (and ccusage) look for."""
    return {
        f"rollout-2026-01-01T00-00-{index:02d}-fixture-{index:02d}.jsonl": path
        for index, path in enumerate(real_codex_files())
    }


def _codex_day(home: Path) -> Path:
    day = home / "sessions" / "2026" / "01" / "01"
    day.mkdir(parents=True, exist_ok=True)
    return day


def real_codex_root(home: Path) -> Path:
    """A Codex home whose sessions/ holds a rollout-named symlink to each real rollout."""
    day = _codex_day(home)
    for name, path in real_codex_rollouts().items():
        link = day / name
        if not link.exists():
            link.symlink_to(path)
    return home


def real_codex_copies(home: Path) -> Path:
    """The Codex home of :func:`real_codex_root`, with copies instead of symlinks.

    For builds that compare engines: the DuckDB landing resolves symlinks (source_file is
    the fixture's real path), Spark's file listing does not.
    """
    import shutil

    day = _codex_day(home)
    for name, path in real_codex_rollouts().items():
        copy = day / name
        if not copy.exists():
            shutil.copyfile(path, copy)
    return home
