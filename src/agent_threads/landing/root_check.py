"""Say, before anything is read, what is wrong with the roots a build was given.

A root that does not exist, is a file, cannot be read, or holds no log of its source is
a warning that names the path and the variable it came from; the build goes on with the
others. When *every* root that was set (given or remembered) is unusable, the build stops:
an empty dataset that reports success would hide a typo.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from agent_threads import paths
from agent_threads.errors import RootsError
from agent_threads.landing import files as landing
from agent_threads.log import logger

LOG = logger("roots")

#: what a build looks for under a root of each source, as the user would type it
LOOKED_FOR = {
    "claude_code": (
        "<root>/*/*.jsonl (a Claude Code projects folder: ~/.claude/projects, or ~/.claude)"
    ),
    "codex": (
        "<root>/sessions/**/rollout-*.jsonl and <root>/archived_sessions/rollout-*.jsonl"
        " (a Codex home: ~/.codex), or rollout-*.jsonl anywhere under <root>"
    ),
    "copilot_cli": (
        "<root>/session-state/<id>/events.jsonl (a Copilot CLI home: ~/.copilot),"
        " or events.jsonl anywhere under <root>"
    ),
    "gemini_cli": (
        "<root>/tmp/<project>/chats/session-*.jsonl (or .json) and"
        " chats/<session id>/<agent id>.jsonl (a Gemini CLI home: ~/.gemini)"
    ),
}
SOURCE_NAMES = {
    "claude_code": "Claude Code",
    "codex": "Codex",
    "copilot_cli": "GitHub Copilot CLI",
    "gemini_cli": "Gemini CLI",
}


@dataclass(frozen=True)
class RootProblem:
    source: str
    root: Path
    named_by: str
    problem: str

    def message(self) -> str:
        return (
            f"{self.named_by}: {self.root} {self.problem} "
            f"(looked for {SOURCE_NAMES[self.source]} logs as {LOOKED_FOR[self.source]})"
        )


@dataclass
class RootCheck:
    """The outcome of checking a :class:`paths.RootChoice`."""

    choice: paths.RootChoice
    problems: list[RootProblem] = field(default_factory=list)
    #: per source, how many log files its usable roots hold
    files: dict[str, int] = field(default_factory=dict)
    #: per source, the files found (each real path once, the first root's): what
    #: ``landing.discover_files`` returns for the chosen roots, so the build gate need
    #: not walk the roots again
    found: dict[str, list[landing.DiscoveredFile]] = field(default_factory=dict)

    @property
    def usable(self) -> dict[str, list[Path]]:
        """The roots to read: every chosen root but those that cannot be opened."""
        unusable = {(p.source, p.root) for p in self.problems if p.problem != NO_LOG}
        return {
            source: [root for root in self.choice.roots(source) if (source, root) not in unusable]
            for source in paths.SOURCES
        }

    def warnings(self, source: str | None = None) -> list[str]:
        """The problems as warnings: all of them, or those of one source's roots."""
        return [p.message() for p in self.problems if source in (None, p.source)]

    def fatal(self) -> str | None:
        """Why the build must stop: every root that was set is unusable or holds no log."""
        chosen = [(s, r) for s in paths.SOURCES for r in self.choice.roots(s)]
        if not chosen or sum(self.files.values()) > 0:
            return None
        lines = [
            "agent_threads build: none of the roots this build reads holds a log, so there is"
            " nothing to build:"
        ]
        lines += [f"  - {problem.message()}" for problem in self.problems]
        lines.append(
            "Check the paths (for example `ls ~/.claude/projects ~/.codex/sessions`), then run"
            " again, e.g. CLAUDE_ROOTS=~/.claude/projects CODEX_ROOTS=~/.codex make build."
        )
        return "\n".join(lines)


NO_LOG = "holds no log"


def _problem_of(root: Path) -> str | None:
    """What keeps a root from being read, or None."""
    try:
        if not root.exists():
            return "does not exist"
        if not root.is_dir():
            return "is a file, not a folder"
        with os.scandir(root):
            pass
    except PermissionError:
        return "cannot be read (permission denied)"
    except OSError as error:
        return f"cannot be read ({error.strerror or error})"
    if not os.access(root, os.R_OK | os.X_OK):
        return "cannot be read (permission denied)"
    return None


def check_roots(choice: paths.RootChoice) -> RootCheck:
    """Check every chosen root: existence, type, permission, and that it holds a log."""
    check = RootCheck(choice=choice)
    for source in paths.SOURCES:
        check.files[source] = 0
        check.found[source] = []
        seen: set[str] = set()
        for root in choice.roots(source):
            named_by = choice.named_by.get(source, source)
            problem = _problem_of(root)
            if problem is None:
                try:
                    found, _ = landing.discover_files(source, [root])
                except OSError as error:
                    found, problem = [], f"cannot be read ({error})"
                if not found and problem is None:
                    problem = NO_LOG
                check.files[source] += len(found)
                check.found[source] += [file for file in found if file.path not in seen]
                seen.update(file.path for file in found)
            if problem is not None:
                check.problems.append(RootProblem(source, root, named_by, problem))
    return check


def _sample_prefix() -> str:
    """What every landed path of the bundled samples starts with (landing keeps real paths)."""
    return os.path.realpath(paths.SAMPLE_LOGS_DIR) + os.sep


def sample_rows_query(relation: str) -> str:
    """SQL counting the rows of a landing table that came from the bundled samples."""
    sample = _sample_prefix()
    return f"select count(*) from {relation} where starts_with(source_file, '{sample}')"


def user_roots_query(relation: str) -> str:
    """SQL listing the roots of a landing table's rows that are not the bundled samples."""
    sample = _sample_prefix()
    return (
        f"select distinct source_root from {relation}"
        f" where not starts_with(source_file, '{sample}') order by 1"
    )


def delete_sample_rows_sql(relation: str) -> str:
    """SQL deleting them (the build runner's switch from the samples to a user's roots)."""
    sample = _sample_prefix()
    return f"delete from {relation} where starts_with(source_file, '{sample}')"


def landing_roots(
    source: str,
    configured: dict | None,
    sample_rows: int = 0,
    user_roots: Sequence[str] = (),
) -> list[Path]:
    """The roots a landing model reads, by the roots rule, checked and remembered.

    ``configured`` maps each source to its dbt var; ``sample_rows`` is how many rows of
    the bundled samples the landing table holds, ``user_roots`` the other roots its rows
    came from. Raises :class:`RootsError` when no root holds a log, or when the
    samples would mix with a user's own logs.
    """
    choice = paths.choose_roots(configured)
    if choice.origin == paths.SAMPLES and user_roots:
        raise RootsError(
            f"the database {paths.database_path()} holds logs of your own roots"
            f" ({', '.join(user_roots)}) and this build would add the bundled samples to"
            " them. Give your roots (CLAUDE_ROOTS=... CODEX_ROOTS=...), or run `make build`:"
            " it remembers them from the database."
        )
    check = check_roots(choice)
    if not os.environ.get(CHECKED_ENV):  # the build runner has said it already
        # each landing model tells its own source's problems: each is said once
        for warning in check.warnings(source):
            LOG.warning(f"agent_threads: warning: {warning}")
    fatal = check.fatal()
    if fatal and not (user_roots or sample_rows):  # a cache keeps deleted logs published
        raise RootsError(fatal)
    if sample_rows and not reads_samples(choice):
        raise RootsError(
            f"the database {paths.database_path()} holds {sample_rows} lines of the bundled"
            f" sample logs, and this build reads your own roots ({choice.describe()}). Run"
            " `make build`: it removes the samples and rebuilds from your logs."
        )
    paths.remember_roots(choice)
    return check.usable[source]


def reads_samples(choice: paths.RootChoice) -> bool:
    """Whether a build reads the bundled samples (by default, or a root given among them)."""
    if choice.origin == paths.SAMPLES:
        return True
    sample = Path(os.path.realpath(paths.SAMPLE_LOGS_DIR))
    return any(
        paths.is_sample_path(root) or sample.is_relative_to(os.path.realpath(root))
        for source in paths.SOURCES
        for root in choice.roots(source)
    )


#: set by the build runner once it has printed the roots' warnings
CHECKED_ENV = "AGENT_THREADS_ROOTS_CHECKED"
