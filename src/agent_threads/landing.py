"""The raw landing cache: find transcript files and read only their new, complete lines.

Rules (the contract's "nothing is lost"):

- Every complete (newline-terminated) line is landed with its file, 1-based line number,
  byte offsets, the file fingerprint and the load time, blank lines included (they are
  counted, then ignored by staging). An unterminated last line is held back: it is read
  again, whole, once its newline has been written.
- A file is read from the end of what was already landed. A file whose size equals what
  was landed is not opened at all. A file that shrank or whose head changed (its
  fingerprint) was rewritten: it is landed again from the start under a new fingerprint.
- Lines are split, trimmed (CRLF, a UTF-8 byte order mark) and checked for UTF-8 with
  Arrow and NumPy over whole buffers, not per line in Python.
- Subagent sidecars (``agent-<id>.meta.json``) are whole-file records: landed as one line
  when first seen and again when their content changes.

The reader streams: it yields record batches of bounded size, so a corpus larger than
memory lands in constant memory.
"""

from __future__ import annotations

import hashlib
import os
import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

FINGERPRINT_BYTES = 4096
BATCH_BYTES = 64 * 1024 * 1024
SOURCES = ("claude_code", "codex")
SKIPPED_FILE_NAMES = frozenset({"journal.jsonl", "history.jsonl", "session_index.jsonl"})
CODEX_FILE_RE = re.compile(r"^rollout-.*\.jsonl$")

LANDED_SCHEMA = pa.schema(
    [
        pa.field("source_root", pa.string(), nullable=False),
        pa.field("source_file", pa.string(), nullable=False),
        pa.field("file_fingerprint", pa.string(), nullable=False),
        pa.field("source_line", pa.int64(), nullable=False),
        pa.field("byte_offset", pa.int64(), nullable=False),
        pa.field("next_offset", pa.int64(), nullable=False),
        pa.field("raw_line", pa.large_string(), nullable=False),
        pa.field("is_blank", pa.bool_(), nullable=False),
        pa.field("is_valid_utf8", pa.bool_(), nullable=False),
        pa.field("is_sidecar", pa.bool_(), nullable=False),
        pa.field("load_id", pa.string(), nullable=False),
        pa.field("loaded_at", pa.timestamp("us", tz="UTC"), nullable=False),
    ]
)

STATE_COLUMNS = ("source_file", "file_fingerprint", "landed_bytes", "landed_lines")


@dataclass(frozen=True)
class DiscoveredFile:
    """A transcript file found under a root; ``path`` is its resolved real path."""

    root: str
    path: str
    size: int
    is_sidecar: bool


@dataclass(frozen=True)
class LandedState:
    """What the cache already holds of one file (its current version)."""

    fingerprint: str
    landed_bytes: int
    landed_lines: int


@dataclass
class LoadReport:
    """Counts of one landing run, printed to the dbt log."""

    roots_missing: list[str]
    files_seen: int = 0
    files_read: int = 0
    files_rewritten: int = 0
    bytes_read: int = 0
    lines_landed: int = 0


def _walk(root: Path) -> Iterator[Path]:
    """Every regular file under ``root``, following symlinked folders once."""
    seen_dirs: set[str] = set()
    for dirpath, dirnames, filenames in os.walk(root, followlinks=True):
        real = os.path.realpath(dirpath)
        if real in seen_dirs:
            dirnames[:] = []
            continue
        seen_dirs.add(real)
        dirnames.sort()
        for name in sorted(filenames):
            yield Path(dirpath) / name


def _is_claude_file(path: Path) -> bool:
    name = path.name
    if name in SKIPPED_FILE_NAMES:
        return False
    if name.endswith(".jsonl"):
        return True
    return name.endswith(".meta.json") and name.startswith("agent-") and "subagents" in path.parts


def _codex_search_dirs(root: Path) -> list[Path]:
    """A Codex home (``sessions/`` + ``archived_sessions/``) or any folder of rollouts."""
    homes = [root / "sessions", root / "archived_sessions"]
    found = [d for d in homes if d.is_dir()]
    return found or [root]


def discover_files(source: str, roots: Iterable[Path]) -> tuple[list[DiscoveredFile], list[str]]:
    """Find the transcript files of ``source`` under ``roots``.

    Returns the files (each real path once, first root wins) and the roots that are
    missing or hold no transcript (a user may have only one of the two agents).
    """
    if source not in SOURCES:
        raise ValueError(f"unknown source {source!r}; expected one of {SOURCES}")
    files: list[DiscoveredFile] = []
    seen: set[str] = set()
    empty_roots: list[str] = []
    for root in roots:
        root = Path(root)
        if source == "claude_code" and (root / "projects").is_dir():
            root = root / "projects"
        if not root.is_dir():
            empty_roots.append(str(root))
            continue
        dirs = [root] if source == "claude_code" else _codex_search_dirs(root)
        count_before = len(files)
        for search_dir in dirs:
            for path in _walk(search_dir):
                if source == "claude_code":
                    wanted = _is_claude_file(path)
                else:
                    wanted = bool(CODEX_FILE_RE.match(path.name))
                if not wanted:
                    continue
                real = os.path.realpath(path)
                if real in seen:
                    continue
                try:
                    stat = os.stat(real)
                except OSError:
                    continue
                if not os.path.isfile(real):
                    continue
                seen.add(real)
                files.append(
                    DiscoveredFile(
                        root=str(root),
                        path=real,
                        size=stat.st_size,
                        is_sidecar=path.name.endswith(".meta.json"),
                    )
                )
        if len(files) == count_before:
            empty_roots.append(str(root))
    return files, empty_roots


def _fingerprint(head: bytes) -> str:
    return f"{len(head)}:{hashlib.sha1(head).hexdigest()[:16]}"


def _fingerprint_length(fingerprint: str) -> int:
    return int(fingerprint.split(":", 1)[0])


def is_fully_landed(file: DiscoveredFile, known: LandedState | None) -> bool:
    """Whether the cache holds every byte of ``file``: then a run does not open it.

    A file is unchanged for landing when its size equals the bytes landed of its current
    version; anything else (new, grown, rewritten, an unterminated tail held back) is read.
    """
    return known is not None and file.size == known.landed_bytes


def state_from_table(table: pa.Table | None) -> dict[str, LandedState]:
    """Turn a ``(source_file, file_fingerprint, landed_bytes, landed_lines)`` table into a map."""
    if table is None or table.num_rows == 0:
        return {}
    cols = [table.column(name).to_pylist() for name in STATE_COLUMNS]
    return {
        path: LandedState(fingerprint=fp, landed_bytes=int(nbytes), landed_lines=int(nlines))
        for path, fp, nbytes, nlines in zip(*cols, strict=True)
    }


@dataclass
class _Piece:
    """Complete lines of one file read in this run: ``data`` starts at ``offset``."""

    file: DiscoveredFile
    fingerprint: str
    offset: int
    first_line: int
    data: bytes


def _read_pieces(
    files: list[DiscoveredFile], state: dict[str, LandedState], report: LoadReport
) -> Iterator[_Piece]:
    for file in files:
        report.files_seen += 1
        known = state.get(file.path)
        if is_fully_landed(file, known):
            continue  # unchanged: not opened
        try:
            with open(file.path, "rb") as handle:
                if file.is_sidecar:
                    data = handle.read()
                    report.files_read += 1
                    report.bytes_read += len(data)
                    fingerprint = _fingerprint(data)
                    if known is not None and known.fingerprint == fingerprint:
                        continue
                    if not data.endswith(b"\n"):
                        data += b"\n"  # a sidecar is one whole-file record
                    yield _Piece(file, fingerprint, 0, 1, data)
                    continue
                start, first_line, fingerprint = 0, 1, None
                if known is not None and file.size > known.landed_bytes:
                    head = handle.read(_fingerprint_length(known.fingerprint))
                    report.bytes_read += len(head)
                    if _fingerprint(head) == known.fingerprint:
                        start, first_line = known.landed_bytes, known.landed_lines + 1
                        fingerprint = known.fingerprint
                if known is not None and fingerprint is None:
                    report.files_rewritten += 1
                handle.seek(start)
                report.files_read += 1
                while True:
                    chunk = handle.read(BATCH_BYTES)
                    if not chunk:
                        break
                    report.bytes_read += len(chunk)
                    cut = chunk.rfind(b"\n")
                    if cut < 0:
                        if len(chunk) < BATCH_BYTES:
                            break  # unterminated tail: held back
                        # a single line longer than one chunk: keep reading until its end
                        rest = handle.readline()
                        report.bytes_read += len(rest)
                        chunk += rest
                        if not chunk.endswith(b"\n"):
                            break
                        cut = len(chunk) - 1
                    complete = chunk[: cut + 1]
                    if cut + 1 < len(chunk):
                        handle.seek(start + cut + 1)
                    if fingerprint is None:
                        fingerprint = _fingerprint(complete[:FINGERPRINT_BYTES])
                    yield _Piece(file, fingerprint, start, first_line, complete)
                    first_line += complete.count(b"\n")
                    start += len(complete)
        except OSError as error:  # vanished or unreadable between discovery and read
            print(f"agent_threads landing: skipped {file.path}: {error}", file=sys.stderr)


def _decode(lines: pa.Array) -> tuple[pa.Array, pa.Array]:
    """UTF-8 check of a binary array: (text, is_valid). Invalid lines keep escaped text."""
    try:
        text = lines.cast(pa.large_string())
        return text, pa.array(np.ones(len(lines), dtype=bool))
    except pa.ArrowInvalid:
        pass
    values, valid = [], []
    for raw in lines.to_pylist():  # only for a batch that holds an invalid line
        try:
            values.append(raw.decode("utf-8"))
            valid.append(True)
        except UnicodeDecodeError:
            values.append(raw.decode("utf-8", errors="backslashreplace"))
            valid.append(False)
    return pa.array(values, pa.large_string()), pa.array(valid, pa.bool_())


def _lines_batch(pieces: list[_Piece], load_id: str, loaded_at: datetime) -> pa.RecordBatch:
    """Split the complete lines of several pieces at once."""
    buffer = b"".join(piece.data for piece in pieces)
    data = np.frombuffer(buffer, dtype=np.uint8)
    newline_at = np.flatnonzero(data == 10)
    piece_sizes = np.array([len(piece.data) for piece in pieces], dtype=np.int64)
    piece_starts = np.concatenate([[0], np.cumsum(piece_sizes)[:-1]])
    starts = np.concatenate([[0], newline_at[:-1] + 1]).astype(np.int64)
    piece_of_line = np.searchsorted(piece_starts, newline_at, side="right") - 1
    first_index = np.searchsorted(piece_of_line, np.arange(len(pieces)), side="left")
    index_in_piece = np.arange(len(newline_at)) - first_index[piece_of_line]

    offsets = np.concatenate([[0], newline_at + 1]).astype(np.int64)
    raw = pa.LargeBinaryArray.from_buffers(
        pa.large_binary(), len(newline_at), [None, pa.py_buffer(offsets), pa.py_buffer(buffer)]
    )
    text, valid = _decode(raw)
    text = pc.utf8_rtrim(text, characters="\r\n")
    text = pc.utf8_ltrim(text, characters="\ufeff")
    is_blank = pc.equal(pc.utf8_length(pc.utf8_trim_whitespace(text)), 0)

    piece_offsets = np.array([piece.offset for piece in pieces], dtype=np.int64)
    byte_offset = piece_offsets[piece_of_line] + (starts - piece_starts[piece_of_line])
    next_offset = piece_offsets[piece_of_line] + (newline_at + 1 - piece_starts[piece_of_line])
    # a sidecar has no newline of its own: what was landed of it is its whole size
    sidecar_size = np.array(
        [piece.file.size if piece.file.is_sidecar else -1 for piece in pieces], dtype=np.int64
    )[piece_of_line]
    next_offset = np.where(sidecar_size >= 0, sidecar_size, next_offset)
    first_lines = np.array([piece.first_line for piece in pieces], dtype=np.int64)
    source_line = first_lines[piece_of_line] + index_in_piece

    def per_piece(values: list) -> pa.Array:
        return pa.array(values, pa.string()).take(pa.array(piece_of_line))

    n = len(newline_at)
    return pa.RecordBatch.from_arrays(
        [
            per_piece([piece.file.root for piece in pieces]),
            per_piece([piece.file.path for piece in pieces]),
            per_piece([piece.fingerprint for piece in pieces]),
            pa.array(source_line, pa.int64()),
            pa.array(byte_offset, pa.int64()),
            pa.array(next_offset, pa.int64()),
            text,
            is_blank,
            valid,
            pa.array([piece.file.is_sidecar for piece in pieces], pa.bool_()).take(
                pa.array(piece_of_line)
            ),
            pa.array([load_id] * n, pa.string()),
            pa.array([loaded_at] * n, pa.timestamp("us", tz="UTC")),
        ],
        schema=LANDED_SCHEMA,
    )


def land_new_lines(
    files: list[DiscoveredFile],
    state: dict[str, LandedState],
    load_id: str,
    loaded_at: datetime,
    report: LoadReport | None = None,
    batch_bytes: int = BATCH_BYTES,
) -> Iterator[pa.RecordBatch]:
    """Yield record batches (``LANDED_SCHEMA``) of every new complete line of ``files``."""
    report = report if report is not None else LoadReport(roots_missing=[])
    pending: list[_Piece] = []
    pending_bytes = 0
    for piece in _read_pieces(files, state, report):
        pending.append(piece)
        pending_bytes += len(piece.data)
        if pending_bytes >= batch_bytes:
            batch = _lines_batch(pending, load_id, loaded_at)
            report.lines_landed += batch.num_rows
            yield batch
            pending, pending_bytes = [], 0
    if pending:
        batch = _lines_batch(pending, load_id, loaded_at)
        report.lines_landed += batch.num_rows
        yield batch


def landing_reader(
    source: str,
    roots: list[Path],
    state_table: pa.Table | None,
    load_id: str,
    loaded_at: datetime,
    report: LoadReport | None = None,
) -> pa.RecordBatchReader:
    """The landing model's whole job: a stream of the new lines of every file of ``source``."""
    files, empty_roots = discover_files(source, roots)
    report = report if report is not None else LoadReport(roots_missing=[])
    report.roots_missing = empty_roots
    for root in empty_roots:
        print(
            f"agent_threads landing: {source} root {root} is missing or holds no transcript "
            "not already found under an earlier root; going on without it",
            file=sys.stderr,
        )
    state = state_from_table(state_table)

    def batches_then_report() -> Iterator[pa.RecordBatch]:
        yield from land_new_lines(files, state, load_id, loaded_at, report)
        print(
            f"agent_threads landing: {source}: {report.files_seen} files seen, "
            f"{report.files_read} read ({report.files_rewritten} rewritten), "
            f"{report.bytes_read} bytes read, {report.lines_landed} lines landed",
            file=sys.stderr,
        )

    return pa.RecordBatchReader.from_batches(LANDED_SCHEMA, batches_then_report())


def state_query(relation: str) -> str:
    """SQL giving, per file, what the landing table ``relation`` holds of its current version."""
    return f"""
        select
            source_file,
            arg_max(file_fingerprint, loaded_at) as file_fingerprint,
            max(next_offset) filter (where file_fingerprint = current_fingerprint) as landed_bytes,
            max(source_line) filter (where file_fingerprint = current_fingerprint) as landed_lines
        from (
            select
                source_file, file_fingerprint, next_offset, source_line, loaded_at,
                arg_max(file_fingerprint, loaded_at) over (partition by source_file)
                    as current_fingerprint
            from {relation}
        )
        group by source_file
    """
