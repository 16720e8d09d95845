"""The life of files, at random: a hypothesis state machine over real `dbt build` runs.

Rules draw real transcript files (../shared/fixtures/real when present, and the project's
sample logs) and change them the ways files change: whole lines appended, half a line
appended and then completed, a rewrite that keeps the size, a truncation, a move to
another project folder, a Codex rollout archived, a copy to a second root, a deletion, and
a build killed at a random moment. After each build every published table and the
Parquet dataset must equal a from-scratch build on the files now on disk plus the last
version of each deleted file, and the build gate must have nothing left to do.

`make test` runs a few short examples. `make soak` runs many for minutes:

    make soak SOAK_MINUTES=30      # AGENT_THREADS_SOAK=<minutes> under the hood

It repeats short random runs (two examples of up to 15 steps each, a fresh seed each)
until the time is up, so it ends a little after it, and prints its figures (runs,
examples, steps, builds, rows compared).
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    rule,
    run_state_machine_as_test,
)
from support.dbt_project import REPO, DbtHome
from support.real_fixtures import REAL_CLAUDE, REAL_CODEX
from test_published_dataset import COMPARED_TABLES, rows
from test_reliability import dataset_rows, sigkill, start_build

from agent_threads import build_gate

pytestmark = [pytest.mark.dbt, pytest.mark.slow]

SOAK_MINUTES = float(os.environ.get("AGENT_THREADS_SOAK", "0") or 0)
FIGURES = {"examples": 0, "steps": 0, "builds": 0, "killed": 0, "rows_compared": 0}


def _pool() -> dict[str, list[Path]]:
    """Source files to draw from: small real fixtures (when present) and the samples."""
    claude = sorted((REPO / "sample_logs" / "claude" / "projects").glob("*/*.jsonl"))
    codex = sorted((REPO / "sample_logs" / "codex" / "sessions").rglob("rollout-*.jsonl"))
    if REAL_CLAUDE.is_dir():
        real = sorted(REAL_CLAUDE.rglob("*.jsonl"), key=lambda p: p.stat().st_size)
        claude += [p for p in real if 2_000 < p.stat().st_size < 60_000][:6]
    if REAL_CODEX.is_dir():
        real = sorted(REAL_CODEX.rglob("*.jsonl"), key=lambda p: p.stat().st_size)
        codex += [p for p in real if 2_000 < p.stat().st_size < 120_000][:4]
    return {"claude": claude, "codex": codex}


POOL = _pool()


@dataclass
class Tracked:
    """One file on disk in the deployment's roots: where its lines come from."""

    source: Path
    kind: str  # claude | codex
    taken: int  # lines of the source written so far
    half: bytes = b""  # the rest of a half-written line, when one is pending


class FileLife(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.base = Path(tempfile.mkdtemp(prefix="file_life_"))
        self.roots = {
            "claude": [self.base / "in" / "claude_a", self.base / "in" / "claude_b"],
            "codex": [self.base / "in" / "codex_a", self.base / "in" / "codex_b"],
        }
        for paths in self.roots.values():
            for path in paths:
                path.mkdir(parents=True)
        self.home = self._home(self.base / "home", self.base / "in")
        self.files: dict[Path, Tracked] = {}
        self.built: dict[Path, bytes] = {}  # what each path held at the last build
        self.graveyard: dict[Path, bytes] = {}  # relative path -> last landed version
        self.counter = 0
        self.oracles = 0
        FIGURES["examples"] += 1

    def _home(self, base: Path, inputs: Path) -> DbtHome:
        rel = {
            kind: [p.relative_to(self.base / "in") for p in paths]
            for kind, paths in self.roots.items()
        }
        return DbtHome(
            base,
            claude_roots=[inputs / p for p in rel["claude"]],
            codex_roots=[inputs / p for p in rel["codex"]],
        )

    def teardown(self) -> None:
        try:
            self._build()  # every example ends with a build and its comparison
        finally:
            shutil.rmtree(self.base, ignore_errors=True)

    # -- helpers -------------------------------------------------------------------------

    def _new_path(self, kind: str, source: Path, root_index: int = 0) -> Path:
        self.counter += 1
        root = self.roots[kind][root_index]
        if kind == "claude":
            name = source.name if source.stem.count("-") == 4 else f"{self.counter:08d}-x.jsonl"
            return root / f"-home-dev-p{self.counter}" / name
        return root / "sessions" / "2026" / "01" / f"{self.counter:02d}" / source.name

    def _lines(self, tracked: Tracked) -> list[bytes]:
        return tracked.source.read_bytes().splitlines(keepends=True)

    def _pick(self, data, kinds=("claude", "codex"), whole: bool | None = None) -> Path | None:
        choices = sorted(
            p
            for p, t in self.files.items()
            if t.kind in kinds and (whole is None or (t.half == b"") == whole)
        )
        return data.draw(st.sampled_from(choices)) if choices else None

    def _rel(self, path: Path) -> Path:
        return path.relative_to(self.base / "in")

    # -- rules ---------------------------------------------------------------------------

    @initialize(data=st.data())
    def start(self, data) -> None:
        for kind in ("claude", "codex"):
            source = data.draw(st.sampled_from(POOL[kind]))
            self._add(kind, source, data.draw(st.integers(1, 30)))

    def _add(self, kind: str, source: Path, lines: int) -> None:
        path = self._new_path(kind, source)
        path.parent.mkdir(parents=True, exist_ok=True)
        tracked = Tracked(source, kind, 0)
        content = self._lines(tracked)[:lines]
        path.write_bytes(b"".join(content))
        tracked.taken = len(content)
        self.files[path] = tracked

    @rule(data=st.data(), kind=st.sampled_from(["claude", "codex"]), lines=st.integers(0, 40))
    def add_file(self, data, kind: str, lines: int) -> None:
        self._add(kind, data.draw(st.sampled_from(POOL[kind])), lines)
        FIGURES["steps"] += 1

    @rule(data=st.data(), count=st.integers(1, 25))
    def append_lines(self, data, count: int) -> None:
        path = self._pick(data, whole=True)
        if path is None:
            return
        tracked = self.files[path]
        more = self._lines(tracked)[tracked.taken : tracked.taken + count]
        with path.open("ab") as handle:
            handle.write(b"".join(more))
        tracked.taken += len(more)
        FIGURES["steps"] += 1

    @rule(data=st.data())
    def append_half_line(self, data) -> None:
        path = self._pick(data, whole=True)
        if path is None:
            return
        tracked = self.files[path]
        lines = self._lines(tracked)
        if tracked.taken >= len(lines):
            return
        line = lines[tracked.taken]
        cut = data.draw(st.integers(1, max(1, len(line) - 1)))
        with path.open("ab") as handle:
            handle.write(line[:cut])
        tracked.half, tracked.taken = line[cut:], tracked.taken + 1
        FIGURES["steps"] += 1

    @rule(data=st.data())
    def complete_line(self, data) -> None:
        path = self._pick(data, whole=False)
        if path is None:
            return
        tracked = self.files[path]
        with path.open("ab") as handle:
            handle.write(tracked.half)
        tracked.half = b""
        FIGURES["steps"] += 1

    @rule(data=st.data())
    def rewrite_keeping_the_size(self, data) -> None:
        path = self._pick(data)
        if path is None:
            return
        content = path.read_bytes()
        spots = [i + 8 for i in _find_all(content, b'"text":"') if content[i + 8 : i + 9].isalpha()]
        if not spots:
            return
        at = data.draw(st.sampled_from(spots))
        letter = content[at : at + 1]
        swapped = b"Q" if letter != b"Q" else b"Z"
        path.write_bytes(content[:at] + swapped + content[at + 1 :])
        FIGURES["steps"] += 1

    @rule(data=st.data(), drop=st.integers(1, 10))
    def truncate(self, data, drop: int) -> None:
        path = self._pick(data, whole=True)
        if path is None:
            return
        lines = path.read_bytes().splitlines(keepends=True)
        keep = max(0, len(lines) - drop)
        path.write_bytes(b"".join(lines[:keep]))
        tracked = self.files[path]
        tracked.taken = min(tracked.taken, keep)
        FIGURES["steps"] += 1

    @rule(data=st.data())
    def move_to_another_project(self, data) -> None:
        path = self._pick(data, kinds=("claude",))
        if path is None:
            return
        self.counter += 1
        target = path.parent.parent / f"-home-dev-moved{self.counter}" / path.name
        self._move(path, target)

    @rule(data=st.data())
    def archive_a_codex_rollout(self, data) -> None:
        path = self._pick(data, kinds=("codex",))
        if path is None or "sessions" not in path.parts or "archived_sessions" in path.parts:
            return
        root = next(r for r in self.roots["codex"] if path.is_relative_to(r))
        self._move(path, root / "archived_sessions" / path.relative_to(root / "sessions"))

    def _move(self, path: Path, target: Path) -> None:
        if target.exists():
            return
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(path, target)
        self.files[target] = self.files.pop(path)
        FIGURES["steps"] += 1

    @rule(data=st.data())
    def copy_to_a_second_root(self, data) -> None:
        path = self._pick(data)
        if path is None:
            return
        tracked = self.files[path]
        first, second = self.roots[tracked.kind]
        if not path.is_relative_to(first):
            return
        target = second / path.relative_to(first)
        if target.exists():
            return
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)
        self.files[target] = Tracked(tracked.source, tracked.kind, tracked.taken, tracked.half)
        FIGURES["steps"] += 1

    @rule(data=st.data())
    def delete(self, data) -> None:
        path = self._pick(data)
        if path is None:
            return
        path.unlink()
        del self.files[path]
        FIGURES["steps"] += 1

    @rule()
    def build(self) -> None:
        self._build()

    @rule(delay=st.floats(0.5, 12.0))
    def kill_a_build(self, delay: float) -> None:
        """A build killed at a random moment (any node), then the next build."""
        proc = start_build(self.home)
        deadline = time.monotonic() + delay
        while time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.05)
        if proc.poll() is None:
            sigkill(proc)
            FIGURES["killed"] += 1
        else:
            proc.communicate()
        self._build()

    # -- the build and its oracle --------------------------------------------------------

    def _build(self) -> None:
        self._bury_gone_files()
        self.home.build()
        FIGURES["builds"] += 1
        FIGURES["steps"] += 1
        self.built = {path: path.read_bytes() for path in self.files}
        with _env(self.home.env()):
            build_gate.record_build(self.home.db_path, build_gate.project_fingerprint())
            reasons = build_gate.pending_work(self.home.db_path, build_gate.project_fingerprint())
        assert reasons == [], reasons
        self._compare_with_a_clean_build()

    def _bury_gone_files(self) -> None:
        """Paths built before and gone now keep their last landed version, unless moved.

        Moved: a new path holds the old one's landed lines as its prefix (what the
        landing recognizes as the same file).
        """
        for old in sorted(p for p in self.built if p not in self.files):
            self.graveyard[self._rel(old)] = _complete(self.built[old])
        for path in self.files:  # a path in use again is no longer a grave
            self.graveyard.pop(self._rel(path), None)
        # a new path holding a gone file's landed lines as its prefix is that file, moved
        # (also a file deleted builds ago); with no line landed, a file leaves nothing
        for path in sorted(p for p in self.files if p not in self.built):
            content = path.read_bytes()
            for rel in sorted(self.graveyard):
                old = self.base / "in" / rel
                if _same_kind(old, path, self.roots) and content.startswith(self.graveyard[rel]):
                    del self.graveyard[rel]
                    break
        self.graveyard = {rel: data for rel, data in self.graveyard.items() if data}

    def _compare_with_a_clean_build(self) -> None:
        self.oracles += 1
        mirror = self.base / f"mirror{self.oracles}"
        for path in self.files:
            target = mirror / self._rel(path)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)
        for path in self.roots["claude"] + self.roots["codex"]:
            (mirror / self._rel(path)).mkdir(parents=True, exist_ok=True)
        for rel, content in self.graveyard.items():
            (mirror / rel).parent.mkdir(parents=True, exist_ok=True)
            (mirror / rel).write_bytes(content)
        clean = self._home(self.base / f"clean{self.oracles}", mirror)
        clean.build()
        FIGURES["builds"] += 1
        if self.graveyard:  # the deleted files: landed once, then gone from disk
            for rel in self.graveyard:
                (mirror / rel).unlink()
            clean.build()
            FIGURES["builds"] += 1
        for table in COMPARED_TABLES:
            got, want = _rows(self.home, table), _rows(clean, table)
            assert got == want, table
            FIGURES["rows_compared"] += len(want)
        got, want = dataset_rows(self.home), dataset_rows(clean)
        assert got == want, "the Parquet dataset"
        FIGURES["rows_compared"] += len(want)
        shutil.rmtree(mirror, ignore_errors=True)
        shutil.rmtree(clean.base, ignore_errors=True)

    @invariant()
    def roots_exist(self) -> None:
        for paths in self.roots.values():
            for path in paths:
                assert path.is_dir()


# a session with no timestamp at all takes its activity from its landing time, which a
# clean build cannot share (the build's own clock, like loaded_at)
LANDING_CLOCK = {"sessions": ("first_activity_at", "last_activity_at", "settles_at")}


def _rows(home: DbtHome, table: str) -> list[tuple]:
    if table not in LANDING_CLOCK:
        return rows(home, table)
    import duckdb

    with duckdb.connect(str(home.db_path), read_only=True) as con:
        names = [c for c in con.sql(f"select * from {table} limit 0").columns]
        rows_ = con.sql(f"select * from {table}").fetchall()
    keep = [
        i
        for i, name in enumerate(names)
        if name not in LANDING_CLOCK[table]
        and name not in {"as_of", "session_revision", "source_file", "source_root"}
        and not name.endswith("loaded_at")
    ]
    return sorted((tuple(row[i] for i in keep) for row in rows_), key=repr)


def _find_all(data: bytes, needle: bytes) -> list[int]:
    found, at = [], data.find(needle)
    while at >= 0:
        found.append(at)
        at = data.find(needle, at + 1)
    return found


def _complete(data: bytes) -> bytes:
    """The complete lines of a file's content (what the landing holds of it)."""
    cut = data.rfind(b"\n")
    return data[: cut + 1] if cut >= 0 else b""


def _same_kind(old: Path, new: Path, roots: dict[str, list[Path]]) -> bool:
    def kind(path: Path) -> str:
        return next(k for k, paths in roots.items() for r in paths if path.is_relative_to(r))

    return kind(old) == kind(new)


class _env:
    def __init__(self, env: dict[str, str]) -> None:
        self.env = env

    def __enter__(self) -> None:
        self.saved = dict(os.environ)
        os.environ.clear()
        os.environ.update(self.env)

    def __exit__(self, *exc) -> None:
        os.environ.clear()
        os.environ.update(self.saved)


def _settings(soak: bool) -> settings:
    common = dict(deadline=None, suppress_health_check=list(HealthCheck), database=None)
    if soak:
        # one short run of random examples, no shrinking (each step is a dbt build); the
        # soak repeats such runs, each with a fresh seed, until its time is up. The clock
        # is read between runs only: a machine that asked it would draw differently on a
        # replay, which Hypothesis rejects as a flaky strategy.
        return settings(
            max_examples=SOAK_EXAMPLES_PER_RUN,
            stateful_step_count=15,
            phases=[Phase.generate],
            derandomize=False,
            **common,
        )
    return settings(max_examples=3, stateful_step_count=5, derandomize=True, **common)


SOAK_EXAMPLES_PER_RUN = 2


def test_file_life_state_machine() -> None:
    """Random file lives equal a clean build after every build (few examples, or a soak)."""
    if not SOAK_MINUTES:
        run_state_machine_as_test(FileLife, settings=_settings(soak=False))
        return
    started = time.monotonic()
    ends, runs = started + SOAK_MINUTES * 60, 0
    while time.monotonic() < ends:
        run_state_machine_as_test(FileLife, settings=_settings(soak=True))
        runs += 1
    print(
        f"\nsoak: {(time.monotonic() - started) / 60:.1f} min (asked {SOAK_MINUTES:g}),"
        f" {runs} runs, {FIGURES['examples']} examples, {FIGURES['steps']} steps,"
        f" {FIGURES['builds']} builds ({FIGURES['killed']} killed mid-build),"
        f" {FIGURES['rows_compared']} rows compared"
    )
