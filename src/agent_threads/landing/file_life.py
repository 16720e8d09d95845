"""The life of a transcript file, decided once: what changed, which version is current.

One model (docs/file_life.md), used by the landing (what to read, which version the new
lines belong to), the build gate (whether anything changed), and, through the landing
cache's columns and the ``current_landed_lines`` macro, by staging and projection.

Events (the landing cache's ``file_event``):

- ``new``: a path seen for the first time (no earlier file moved there).
- ``appended``: new complete lines after the landed ones; the landed prefix is unchanged.
- ``rewritten``: bytes already landed changed (the size kept or grown): a new version.
- ``truncated``: the file is shorter than what was landed: a new version.
- ``moved``: a new path holds a file whose landed content was at a path now gone (a
  move, Codex's archive): the same file (``file_id``), a new version at the new path.
- ``moved_away``: the old path of a moved file (a state row).
- ``deleted``: the path is gone from disk (a state row); its last version stays.
- ``unchanged``: the file was read (its size or times changed) but holds nothing new: a
  0-byte file, an unterminated garbage tail, a touch (a state row).
- ``unreadable``: the file could not be read (a state row; retried when readable).

Cheap detection: a file whose size, modification time and status-change time equal
those recorded when it was last read is not opened. Otherwise the landed prefix is
hashed (SHA-1 of every landed byte) and compared with the hash recorded: equal means an
append, different a rewrite. A state row is a landing row with ``source_line = 0``.

The current version of a file (``file_id``; ``coalesce(file_id, source_file)`` for rows
landed before file ids) is the version of its latest row that is not a ``deleted`` or
``moved_away`` state row, counted from that version's latest start (its latest row at
byte offset 0). That rule is the macro ``current_landed_lines``; the landing's own
per-path state is :func:`state_query`. A test proves the two agree.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable
from dataclasses import dataclass

import pyarrow as pa

NEW = "new"
APPENDED = "appended"
REWRITTEN = "rewritten"
TRUNCATED = "truncated"
MOVED = "moved"
MOVED_AWAY = "moved_away"
DELETED = "deleted"
UNCHANGED = "unchanged"
UNREADABLE = "unreadable"
EVENTS = (NEW, APPENDED, REWRITTEN, TRUNCATED, MOVED, MOVED_AWAY, DELETED, UNCHANGED, UNREADABLE)
# a path whose latest event is one of these is not on disk
GONE_EVENTS = (DELETED, MOVED_AWAY)
# the events that start a new version
VERSION_STARTS = (NEW, REWRITTEN, TRUNCATED, MOVED)

HEAD_BYTES = 4096
EMPTY_HASH = hashlib.sha1(b"").hexdigest()


@dataclass(frozen=True)
class Stamp:
    """What a stat tells of a file: size, modification and status-change times (ns)."""

    size: int
    mtime_ns: int
    ctime_ns: int

    @classmethod
    def of(cls, stat: os.stat_result) -> Stamp:
        return cls(stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns)


@dataclass(frozen=True)
class KnownFile:
    """What the landing cache holds of one path: its version and its last observation."""

    source_root: str
    file_id: str
    fingerprint: str
    landed_bytes: int
    landed_lines: int
    landed_hash: str | None
    last_event: str | None
    stamp: Stamp | None

    @property
    def is_gone(self) -> bool:
        return self.last_event in GONE_EVENTS


def head_fingerprint(head: bytes) -> str:
    """``<length>:<sha1 of the head>``: the part of a version id that reads back."""
    return f"{len(head)}:{hashlib.sha1(head).hexdigest()[:16]}"


def version_id(head: bytes, token: str) -> str:
    """A new version's id (``file_fingerprint``): the head's fingerprint and a run token.

    The token makes every version unique, also a version whose head equals an earlier
    one's (a truncation, a rewrite further down the file).
    """
    return f"{head_fingerprint(head)}@{token}"


def head_part(fingerprint: str) -> str:
    """The head fingerprint inside a version id (older ids are the head fingerprint)."""
    return fingerprint.split("@", 1)[0]


def head_length(fingerprint: str) -> int:
    return int(fingerprint.split(":", 1)[0])


def needs_read(stamp: Stamp, known: KnownFile | None) -> bool:
    """Whether a file on disk must be opened: the one cheap rule of landing and gate.

    Unknown paths, paths recorded as gone, and files whose stat differs from the one
    recorded when they were last read. Rows landed before stamps existed have none: such
    a file is read once.
    """
    return known is None or known.is_gone or known.stamp != stamp


def must_read(path: str, stamp: Stamp, known: KnownFile | None) -> bool:
    """:func:`needs_read`, or a path recorded as unreadable that can be read now."""
    if needs_read(stamp, known):
        return True
    return known is not None and known.last_event == UNREADABLE and is_readable(path)


def is_missing(path: str) -> bool:
    """Whether ``path`` is gone from disk (not merely unreadable)."""
    try:
        os.lstat(path)
    except FileNotFoundError:
        return True
    except OSError:
        return False
    return False


def gone_paths(state: dict[str, KnownFile], found: Iterable[str]) -> dict[str, KnownFile]:
    """The known paths not found this run that are really missing from disk."""
    seen = set(found)
    return {
        path: known
        for path, known in state.items()
        if path not in seen and (known.is_gone or is_missing(path))
    }


STATE_COLUMNS = (
    "source_file",
    "source_root",
    "file_id",
    "file_fingerprint",
    "landed_bytes",
    "landed_lines",
    "landed_hash",
    "last_event",
    "file_size",
    "file_mtime_ns",
    "file_ctime_ns",
)


# the columns the file-life model added to the landing cache, with their types
LIFE_COLUMNS = {
    "file_id": "string",
    "file_event": "string",
    "file_size": "bigint",
    "file_mtime_ns": "bigint",
    "file_ctime_ns": "bigint",
    "landed_hash": "string",
}


def state_query(relation: str, columns: Iterable[str] | None = None) -> str:
    """SQL giving, per path, what the landing table ``relation`` holds (``STATE_COLUMNS``).

    The path's version is that of its latest row; its bytes, lines and hash are those
    landed of that version since its latest start; its observation (event, stamp) is its
    latest row's. ``columns``: the table's columns when it may predate the file-life
    columns (those missing read as null). Plain SQL (DuckDB and Spark).
    """
    present = set(columns) if columns is not None else set(LIFE_COLUMNS)
    missing = ", ".join(
        f"cast(null as {kind}) as {name}"
        for name, kind in LIFE_COLUMNS.items()
        if name not in present
    )
    rows = f"select *, {missing} from {relation}" if missing else f"select * from {relation}"
    return f"""
        with ranked as (
            select
                *,
                row_number() over (
                    partition by source_file order by loaded_at desc, source_line desc
                ) as recency
            from ({rows}) as landed_rows
        ),

        latest as (
            select * from ranked where recency = 1
        ),

        version_rows as (
            select ranked.*
            from ranked
            inner join latest
                on
                    ranked.source_file = latest.source_file
                    and ranked.file_fingerprint = latest.file_fingerprint
        ),

        starts as (
            select
                source_file,
                coalesce(max(loaded_at) filter (where byte_offset = 0), min(loaded_at))
                    as started_at
            from version_rows
            group by source_file
        ),

        landed as (
            select
                version_rows.source_file,
                max(version_rows.next_offset) as landed_bytes,
                max(version_rows.source_line) as landed_lines
            from version_rows
            inner join starts on version_rows.source_file = starts.source_file
            where version_rows.loaded_at >= starts.started_at
            group by version_rows.source_file
        ),

        hashed as (
            select
                version_rows.source_file,
                max(version_rows.landed_hash) as landed_hash
            from version_rows
            inner join landed
                on
                    version_rows.source_file = landed.source_file
                    and version_rows.next_offset = landed.landed_bytes
            inner join starts on version_rows.source_file = starts.source_file
            where version_rows.loaded_at >= starts.started_at
            group by version_rows.source_file
        )

        select
            latest.source_file,
            latest.source_root,
            coalesce(latest.file_id, latest.source_file) as file_id,
            latest.file_fingerprint,
            landed.landed_bytes,
            landed.landed_lines,
            hashed.landed_hash,
            latest.file_event as last_event,
            latest.file_size,
            latest.file_mtime_ns,
            latest.file_ctime_ns
        from latest
        inner join landed on latest.source_file = landed.source_file
        left join hashed on latest.source_file = hashed.source_file
    """


def state_from_table(table: pa.Table | None) -> dict[str, KnownFile]:
    """Turn the rows of :func:`state_query` into a map by path."""
    if table is None or table.num_rows == 0:
        return {}
    state = {}
    for row in table.select(list(STATE_COLUMNS)).to_pylist():
        stamp = None
        if row["file_size"] is not None and row["file_mtime_ns"] is not None:
            stamp = Stamp(row["file_size"], row["file_mtime_ns"], row["file_ctime_ns"])
        state[row["source_file"]] = KnownFile(
            source_root=row["source_root"],
            file_id=row["file_id"],
            fingerprint=row["file_fingerprint"],
            landed_bytes=int(row["landed_bytes"]),
            landed_lines=int(row["landed_lines"]),
            landed_hash=row["landed_hash"],
            last_event=row["last_event"],
            stamp=stamp,
        )
    return state


def is_readable(path: str) -> bool:
    try:
        with open(path, "rb"):
            return True
    except OSError:
        return False


def pending_changes(
    files: Iterable[tuple[str, Stamp]], state: dict[str, KnownFile]
) -> tuple[list[str], list[str]]:
    """The gate's question: (paths to read, paths gone since) for files found on disk.

    A path recorded as unreadable is work again once it can be read.
    """
    files = list(files)
    to_read = [path for path, stamp in files if must_read(path, stamp, state.get(path))]
    gone = [
        path
        for path, known in gone_paths(state, (path for path, _ in files)).items()
        if not known.is_gone
    ]
    return to_read, gone
