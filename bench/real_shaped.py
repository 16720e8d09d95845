#!/usr/bin/env python3
"""A real-shaped corpus: N copies of the real fixtures, every id rewritten per copy.

The real fixtures (``../shared/fixtures/real``, read in place, never copied into the
repository) are real Claude Code transcripts and Codex rollouts. Copy ``k`` of them is the
same bytes with every id replaced by a new one drawn from a stream seeded by ``(seed, k)``:
uuids (line uuids, session ids, prompt ids, Codex thread ids: ``session_meta`` ``id``,
``session_id``, ``parent_thread_id``, ``forked_from_id``, turn ids), agent ids, message ids
(``msg_...``), request ids (``req_...``), tool use ids (``toolu_...``, Codex ``call_...``)
and Codex response item ids (``rs_...``, ``fc_...``). Inside one copy the same original id
always maps to the same new id, so parent links, sidecars, subagent folder names and file
names stay consistent; across copies no id is shared, so nothing dedupes.

Each new id keeps the shape of the old one (length, alphabet, prefix; a uuid keeps its
version and variant, a v7 uuid its time prefix), so every copy has the same size as the
fixtures. The substitution is byte-level: each fixture file is split once, at its ids, and
each copy is a join of the same literal pieces with that copy's ids.

Usage::

    python bench/real_shaped.py --out /tmp/real --size 500MB [--seed 1]

Layout written (``<out>/``):

* ``claude/projects/<project>/...``   a Claude Code projects root: the d-kimuson and
  handgemacht-ai projects, with ``<session>/subagents/agent-*.jsonl`` + ``.meta.json``
  sidecars and project-level ``agent-*.jsonl`` files
* ``codex/sessions/YYYY/MM/DD/rollout-<ts>-<thread id>.jsonl``   a Codex home (date and time
  from the file's first timestamp, thread id from its first ``session_meta``)

Whole copies are written while they fit the target size; the last copy is filled with
whole units (a Claude Code project folder, a Codex fixture folder) while they fit, so the
corpus stops at or just under the target.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import shutil
import sys
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
REAL_FIXTURES = (REPO / ".." / "shared" / "fixtures" / "real").resolve()
# each fixture repository's folder that plays the part of ~/.claude/projects
CLAUDE_ROOTS = (
    Path("claude") / "d-kimuson__claude-code-viewer",
    Path("claude") / "handgemacht-ai__claude-code-log" / "real_projects",
)
CODEX_DIR = Path("codex")

_HEX = "0123456789abcdef"
_B62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
_UUID = rb"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
_PREFIXED = rb"(?:msg|req|toolu|call|rs|fc)_(?:vrtx_)?[A-Za-z0-9]{8,}"
_UNITS = {"": 1, "B": 1, "KB": 1 << 10, "MB": 1 << 20, "GB": 1 << 30}


def parse_size(text: str) -> int:
    match = re.fullmatch(r"\s*([0-9]+(?:\.[0-9]+)?)\s*([KMG]?B?)\s*", text.upper())
    if not match:
        raise argparse.ArgumentTypeError(f"bad size {text!r} (use e.g. 100MB, 5GB)")
    unit = match.group(2) if match.group(2) in _UNITS else match.group(2) + "B"
    return int(float(match.group(1)) * _UNITS[unit])


@dataclass
class Source:
    """One fixture file, split at its ids: literal, id, literal, id, ..., literal."""

    unit: str  # the folder copied as a whole when the last copy is partial
    relpath: str  # where it goes in the corpus (ids in it are rewritten too)
    parts: list[bytes]

    @property
    def size(self) -> int:
        return sum(len(p) for p in self.parts)


def _agent_ids(claude_files: list[Path]) -> set[bytes]:
    """Claude Code agent ids: from agent-<id>.jsonl names and "agentId" values."""
    ids: set[bytes] = set()
    for path in claude_files:
        if path.name.startswith("agent-") and path.suffix == ".jsonl":
            ids.add(path.stem.removeprefix("agent-").encode())
        if path.suffix == ".jsonl":
            ids.update(re.findall(rb'"agentId":"([A-Za-z0-9_-]+)"', path.read_bytes()))
    return ids


def _id_pattern(agent_ids: set[bytes]) -> re.Pattern[bytes]:
    alternatives = [_UUID, _PREFIXED]
    if agent_ids:
        # longest first, so a longer id is never cut at a shorter one
        literal = b"|".join(re.escape(a) for a in sorted(agent_ids, key=lambda a: (-len(a), a)))
        alternatives.append(b"(?:" + literal + b")")
    return re.compile(rb"(?<![A-Za-z0-9_])(" + b"|".join(alternatives) + rb")(?![A-Za-z0-9])")


def _codex_relpath(path: Path) -> str:
    """sessions/YYYY/MM/DD/rollout-<ts>-<thread id>.jsonl from the file's first lines."""
    first = json.loads(path.read_bytes().split(b"\n", 1)[0])
    payload = first.get("payload") if first.get("type") == "session_meta" else first
    thread_id = payload["id"]
    stamp = first.get("timestamp") or payload.get("timestamp")
    named = re.match(r"rollout-(\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d)-", path.name)
    if named:
        ts = named.group(1)
    elif stamp:
        ts = stamp[:19].replace(":", "-")
    else:
        ts = "2026-01-01T00-00-00"
    return f"sessions/{ts[:4]}/{ts[5:7]}/{ts[8:10]}/rollout-{ts}-{thread_id}.jsonl"


@dataclass
class Fixtures:
    """The fixture files to copy, split at their ids, and the id pattern that split them."""

    sources: list[Source]
    pattern: re.Pattern[bytes]

    @property
    def copy_bytes(self) -> int:
        return sum(s.size for s in self.sources)


def load_fixtures(fixtures: Path = REAL_FIXTURES) -> Fixtures:
    """Every fixture file to copy, split at its ids (in a fixed order)."""
    claude: list[tuple[Path, str, str]] = []
    for root in CLAUDE_ROOTS:
        for path in sorted((fixtures / root).rglob("*")):
            if path.is_file() and path.name.endswith((".jsonl", ".meta.json")):
                rel = path.relative_to(fixtures / root)
                claude.append((path, f"claude:{rel.parts[0]}", f"claude/projects/{rel.as_posix()}"))
    codex: list[tuple[Path, str, str]] = []
    for path in sorted((fixtures / CODEX_DIR).rglob("*.jsonl")):
        unit = path.parent.relative_to(fixtures / CODEX_DIR).as_posix()
        codex.append((path, f"codex:{unit}", f"codex/{_codex_relpath(path)}"))
    if not claude or not codex:
        raise FileNotFoundError(f"no real fixtures under {fixtures}")
    pattern = _id_pattern(_agent_ids([p for p, _, _ in claude]))
    sources = [
        Source(unit, relpath, pattern.split(path.read_bytes()))
        for path, unit, relpath in claude + codex
    ]
    names = [s.relpath for s in sources]
    if len(set(names)) != len(names):
        raise ValueError("two fixture files map to the same corpus path")
    return Fixtures(sources, pattern)


class IdMap:
    """New ids for one copy: the same shape as the old ones, drawn from (seed, copy)."""

    def __init__(self, seed: int, copy: int | str, taken: set[bytes]) -> None:
        self.rng = random.Random(f"agent-threads-real-shaped:{seed}:{copy}")
        self.taken = taken  # short ids already used by earlier copies (kept unique)
        self.new: dict[bytes, bytes] = {}

    def _chars(self, alphabet: str, n: int) -> str:
        return "".join(self.rng.choices(alphabet, k=n))

    def _fresh(self, old: bytes) -> bytes:
        text = old.decode()
        if re.fullmatch(_UUID.decode(), text):
            lower = text.lower()
            hexes = list(self._chars(_HEX, 32))
            hexes[12] = lower[14]  # version
            hexes[16] = "89ab"[int(lower[19], 16) & 3] if lower[19] in "89ab" else lower[19]
            if lower[14] == "7":  # v7: keep the time prefix, the rest is new
                hexes[:12] = lower[:8] + lower[9:13]
            h = "".join(hexes)
            new = f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"
            return (new.upper() if text.isupper() else new).encode()
        prefixed = re.fullmatch(r"((?:msg|req|toolu|call|rs|fc)_(?:vrtx_)?)(.*)", text)
        if prefixed:
            head, body = prefixed.groups()
            keep = 2 if head.startswith(("msg", "toolu", "req")) else 0
            alphabet = _HEX if set(body) <= set(_HEX) else _B62
            return (head + body[:keep] + self._chars(alphabet, len(body) - keep)).encode()
        # an agent id: "a" + hex (2.1.x), 8 hex (2.0.x), or another word; kept unique
        keep = 1 if text.startswith("a") and len(text) in (7, 17) else 0
        alphabet = _HEX if set(text[keep:]) <= set(_HEX) else _B62
        while True:
            new = (text[:keep] + self._chars(alphabet, len(text) - keep)).encode()
            if new not in self.taken and new != old:
                self.taken.add(new)
                return new

    def __getitem__(self, old: bytes) -> bytes:
        new = self.new.get(old)
        if new is None:
            new = self.new[old] = self._fresh(old)
        return new


def write_copy(
    out: Path, fixtures: Fixtures, seed: int, copy: int | str, taken: set[bytes]
) -> tuple[int, list[Path]]:
    """Write one copy of the fixtures under out; return the bytes written and the files."""
    ids = IdMap(seed, copy, taken)
    sources, pattern = fixtures.sources, fixtures.pattern
    # draw the new ids in a fixed order (sorted originals), so a copy does not depend on
    # which of its files come first
    every = {p for s in sources for p in s.parts[1::2]}
    every.update(m for s in sources for m in pattern.findall(s.relpath.encode()))
    for old in sorted(every):
        ids[old]
    written, files = 0, []
    for source in sources:
        parts = source.parts
        data = b"".join(
            [p if i % 2 == 0 else ids[p] for i, p in enumerate(parts)] if len(parts) > 1 else parts
        )
        relpath = pattern.sub(lambda m: ids[m.group(1)], source.relpath.encode()).decode()
        target = out / relpath
        target.parent.mkdir(parents=True, exist_ok=True)
        if target.exists():
            raise FileExistsError(target)
        target.write_bytes(data)
        written += len(data)
        files.append(target)
    return written, files


def build(
    out: Path,
    size: int,
    seed: int = 1,
    fixtures: Path = REAL_FIXTURES,
    copies: int | None = None,
) -> dict:
    """Write a real-shaped corpus of `size` bytes (or exactly `copies` whole copies)."""
    start = time.perf_counter()
    loaded = load_fixtures(fixtures)
    one = loaded.copy_bytes
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    taken: set[bytes] = set()
    total, whole = 0, 0
    limit = copies if copies is not None else size // one
    while whole < limit:
        total += write_copy(out, loaded, seed, whole, taken)[0]
        whole += 1
    partial_units = 0
    if copies is None:
        units: dict[str, list[Source]] = {}
        for source in loaded.sources:
            units.setdefault(source.unit, []).append(source)
        chosen: list[Source] = []
        room = size - total
        for members in units.values():
            unit_size = sum(s.size for s in members)
            if unit_size <= room:
                chosen.extend(members)
                room -= unit_size
                partial_units += 1
        if chosen:
            total += write_copy(out, Fixtures(chosen, loaded.pattern), seed, whole, taken)[0]
    return {
        "bytes": total,
        "copies": whole,
        "partial_units": partial_units,
        "copy_bytes": one,
        "files": sum(1 for p in out.rglob("*") if p.is_file()),
        "seconds": time.perf_counter() - start,
    }


NEW_SESSION_PROJECT = "-experiments-worktrees"


def new_session(
    corpus: Path, seed: int, tag: str = "new", fixtures: Path = REAL_FIXTURES
) -> list[Path]:
    """A fresh copy (all ids new) of one fixture session with its subagents, added to corpus.

    The session is the 2.1.x one with six subagents and their sidecars (its project folder
    holds nothing else). Returns the files written, for the caller to remove.
    """
    loaded = load_fixtures(fixtures)
    chosen = [s for s in loaded.sources if s.unit == f"claude:{NEW_SESSION_PROJECT}"]
    return write_copy(corpus, Fixtures(chosen, loaded.pattern), seed, tag, set())[1]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--size", type=parse_size, required=True)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--fixtures", type=Path, default=REAL_FIXTURES)
    args = parser.parse_args(argv)
    summary = build(args.out, args.size, seed=args.seed, fixtures=args.fixtures)
    json.dump(summary, sys.stdout, indent=2)
    print()


if __name__ == "__main__":
    main()
