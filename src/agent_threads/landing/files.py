"""The raw landing cache: find transcript files and read only their new, complete lines.

Rules (the contract's "nothing is lost"; file events: :mod:`agent_threads.landing.file_life`):

- Every complete (newline-terminated) line is landed with its file, 1-based line number,
  byte offsets, the file's version (``file_fingerprint``) and identity (``file_id``), the
  event that landed it, the file's stat and a hash of every byte landed up to the line,
  and the load time, blank lines included (they are counted, then ignored by staging). An
  unterminated last line is held back: it is read again, whole, once its newline has
  been written.
- A file whose stat (size, modification and status-change times) equals the one recorded
  when it was last read is not opened. Otherwise its landed prefix is hashed: unchanged,
  the file is read from the end of what was landed (an append); changed or shorter, it is
  landed again from the start as a new version (a rewrite, a truncation).
- A read that lands no line (a 0-byte file, a garbage tail, a touch, an unreadable file)
  and a path gone from disk (deleted, or moved: the same content found at a new path)
  land one state row (``source_line = 0``), so each is seen once.
- Lines are split, trimmed (CRLF, a UTF-8 byte order mark) and checked for UTF-8 with
  Arrow and NumPy over whole buffers, not per line in Python.
- Subagent sidecars (``agent-<id>.meta.json``) and Gemini CLI ``.json`` documents are
  whole-file records: landed as one line (line breaks become spaces) when first seen and
  again when their content changes.
- A folder or file that cannot be read is a warning naming it (``unreadable_paths`` of the
  report); everything else goes on landing.

The reader streams: it yields record batches of bounded size, so a corpus larger than
memory lands in constant memory.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from agent_threads.errors import SettingError
from agent_threads.landing import file_life
from agent_threads.landing.file_life import KnownFile, Stamp
from agent_threads.log import logger

LOG = logger("landing")
FINGERPRINT_BYTES = file_life.HEAD_BYTES
BATCH_BYTES = 64 * 1024 * 1024
SOURCES = ("claude_code", "codex", "copilot_cli", "gemini_cli")
SKIPPED_FILE_NAMES = frozenset({"journal.jsonl", "history.jsonl", "session_index.jsonl"})
STRING = pa.string()
CODEX_FILE_RE = re.compile(r"^rollout-.*\.jsonl$")
#: Codex's thread-name log at a Codex home's root (``{id, thread_name, updated_at}`` lines,
#: append-only): landed like a rollout, staged apart (``stg_codex__session_index``).
CODEX_SESSION_INDEX = "session_index.jsonl"

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
        # the file-life columns (appended: a cache landed before them gains them, null)
        pa.field("file_id", pa.string(), nullable=True),
        pa.field("file_event", pa.string(), nullable=True),
        pa.field("file_size", pa.int64(), nullable=True),
        pa.field("file_mtime_ns", pa.int64(), nullable=True),
        pa.field("file_ctime_ns", pa.int64(), nullable=True),
        pa.field("landed_hash", pa.string(), nullable=True),
    ]
)

# kept for callers of the state API; the rule itself is file_life's
STATE_COLUMNS = file_life.STATE_COLUMNS
LandedState = KnownFile
state_query = file_life.state_query
state_from_table = file_life.state_from_table


@dataclass(frozen=True)
class DiscoveredFile:
    """A transcript file found under a root; ``path`` is its resolved real path."""

    root: str
    path: str
    size: int
    is_sidecar: bool
    mtime_ns: int = 0
    ctime_ns: int = 0

    @property
    def stamp(self) -> Stamp:
        return Stamp(self.size, self.mtime_ns, self.ctime_ns)


@dataclass
class LoadReport:
    """Counts of one landing run, printed to the dbt log."""

    roots_missing: list[str]
    files_seen: int = 0
    files_read: int = 0
    files_rewritten: int = 0
    files_moved: int = 0
    files_deleted: int = 0
    bytes_read: int = 0
    lines_landed: int = 0
    unreadable_paths: list[str] = field(default_factory=list)

    reasons: dict[str, str] = field(default_factory=dict)

    def unreadable(self, path: str, error: OSError) -> None:
        """Count a folder or file that cannot be read (the landing run warns, once)."""
        if path in self.unreadable_paths:
            return
        self.unreadable_paths.append(path)
        self.reasons[path] = error.strerror or type(error).__name__

    def warn_unreadable(self) -> None:
        for path in self.unreadable_paths:
            LOG.warning(
                f"agent_threads landing: warning: cannot read {path} ({self.reasons[path]}); "
                "skipped this build, other paths go on; it is read again once readable"
            )


def _walk(root: Path, report: LoadReport) -> Iterator[Path]:
    """Every regular file under ``root`` (or ``root``, a file), following symlinked folders once."""
    if root.is_file():
        yield root
        return
    seen_dirs: set[str] = set()

    def unreadable(error: OSError) -> None:
        report.unreadable(error.filename or str(root), error)

    for dirpath, dirnames, filenames in os.walk(root, followlinks=True, onerror=unreadable):
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


def _is_dir(path: Path, report: LoadReport) -> bool:
    try:
        return path.is_dir()
    except OSError as error:  # a parent that cannot be searched
        report.unreadable(str(path), error)
        return False


def _codex_search_dirs(root: Path, report: LoadReport) -> list[Path]:
    """A Codex home (``sessions/``, ``archived_sessions/``, session index) or a rollout folder."""
    homes = [root / "sessions", root / "archived_sessions"]
    found = [d for d in homes if _is_dir(d, report)]
    index = root / CODEX_SESSION_INDEX
    return [*found, *([index] if found and index.is_file() else [])] or [root]


#: GitHub Copilot CLI: ``session-state/<session id>/events.jsonl`` (1.0.x), flat
#: ``session-state/<session id>.jsonl`` and ``history-session-state/`` (older builds)
COPILOT_HOME_DIRS = ("session-state", "history-session-state")
COPILOT_EVENTS_FILE = "events.jsonl"


def _copilot_search_dirs(root: Path, report: LoadReport) -> list[Path]:
    """A Copilot home's session folders, else the root itself (a folder of sessions)."""
    found = [root / name for name in COPILOT_HOME_DIRS if _is_dir(root / name, report)]
    return found or [root]


def _is_copilot_file(path: Path, search_dir: Path) -> bool:
    """A session's event log: ``<id>/events.jsonl``, or a flat ``<id>.jsonl`` in the folder."""
    if path.name == COPILOT_EVENTS_FILE:
        return True
    return path.suffix == ".jsonl" and path.parent == search_dir


#: Gemini CLI: ``tmp/<project>/chats/session-*.jsonl`` (0.39+), ``session-*.json`` (one
#: document rewritten on each update, landed whole like a sidecar) and subagents'
#: ``chats/<root session id>/<agent id>.jsonl``
GEMINI_HOME_DIR = "tmp"
GEMINI_CHATS_DIR = "chats"


def _is_gemini_file(path: Path) -> bool:
    """A chat log under a ``chats`` folder: a session file, or a subagent's file."""
    if path.suffix not in (".jsonl", ".json"):
        return False
    if path.parent.name == GEMINI_CHATS_DIR:
        return path.name.startswith("session-")
    return path.suffix == ".jsonl" and path.parent.parent.name == GEMINI_CHATS_DIR


def is_whole_file_record(source: str, path: Path) -> bool:
    """Files landed as one record: Claude Code subagent sidecars, Gemini CLI ``.json``
    documents (each rewritten whole)."""
    if source == "gemini_cli":
        return path.suffix == ".json"
    return path.name.endswith(".meta.json")


def _search_dirs(source: str, root: Path, report: LoadReport) -> list[Path]:
    if source == "claude_code":
        return [root]
    if source == "codex":
        return _codex_search_dirs(root, report)
    if source == "gemini_cli":
        home = root / GEMINI_HOME_DIR
        return [home] if _is_dir(home, report) else [root]
    return _copilot_search_dirs(root, report)


def _is_wanted(source: str, path: Path, search_dir: Path, dirs: list[Path]) -> bool:
    if source == "claude_code":
        return _is_claude_file(path)
    if source == "codex":
        # a rollout, or the home's session index (a search entry of its own)
        return bool(CODEX_FILE_RE.match(path.name)) or path in dirs
    if source == "gemini_cli":
        return _is_gemini_file(path)
    return _is_copilot_file(path, search_dir)


def discover_files(
    source: str, roots: Iterable[Path], report: LoadReport | None = None
) -> tuple[list[DiscoveredFile], list[str]]:
    """Find the transcript files of ``source`` under ``roots``.

    Returns the files (each real path once, first root wins) and the roots that are
    missing or hold no transcript (a user may have only one of the two agents). Folders
    and roots that cannot be read are warned about and listed in ``report``.
    """
    if source not in SOURCES:
        raise SettingError("source", f"unknown source {source!r}; expected one of {SOURCES}")
    report = report if report is not None else LoadReport(roots_missing=[])
    files: list[DiscoveredFile] = []
    seen: set[str] = set()
    empty_roots: list[str] = []
    for root in roots:
        root = Path(root)
        if source == "claude_code" and _is_dir(root / "projects", report):
            root = root / "projects"
        if not _is_dir(root, report):
            if str(root) not in report.unreadable_paths:
                empty_roots.append(str(root))
            continue
        try:
            os.scandir(root).close()
        except OSError as error:
            report.unreadable(str(root), error)
            continue
        dirs = _search_dirs(source, root, report)
        count_before = len(files)
        for search_dir in dirs:
            for path in _walk(search_dir, report):
                if not _is_wanted(source, path, search_dir, dirs):
                    continue
                real = os.path.realpath(path)
                if real in seen:
                    continue
                try:
                    stat = os.stat(real)
                except PermissionError as error:
                    report.unreadable(real, error)
                    continue
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
                        is_sidecar=is_whole_file_record(source, path),
                        mtime_ns=stat.st_mtime_ns,
                        ctime_ns=stat.st_ctime_ns,
                    )
                )
        if len(files) == count_before and str(root) not in report.unreadable_paths:
            empty_roots.append(str(root))
    return files, empty_roots


def is_fully_landed(file: DiscoveredFile, known: KnownFile | None) -> bool:
    """Whether a run does not open ``file``: :func:`agent_threads.landing.file_life.needs_read`."""
    return not file_life.needs_read(file.stamp, known)


@dataclass
class _Piece:
    """Complete lines of one file read in this run: ``data`` starts at ``offset``.

    A piece with no data is a state row (``source_line = 0``) recording ``event``.
    """

    file: DiscoveredFile
    fingerprint: str
    file_id: str
    event: str
    offset: int
    first_line: int
    data: bytes
    landed_hash: str | None
    stamp: Stamp | None


def _hash_prefix(handle, length: int, report: LoadReport) -> hashlib._Hash | None:
    """SHA-1 of the first ``length`` bytes of ``handle`` (None if the file is shorter)."""
    digest = hashlib.sha1()
    handle.seek(0)
    left = length
    while left > 0:
        chunk = handle.read(min(BATCH_BYTES, left))
        if not chunk:
            return None
        report.bytes_read += len(chunk)
        digest.update(chunk)
        left -= len(chunk)
    return digest


def _head(handle, length: int, report: LoadReport) -> bytes:
    handle.seek(0)
    head = handle.read(length)
    report.bytes_read += len(head)
    return head


def _continues(handle, known: KnownFile, size: int, report: LoadReport):
    """The running hash of ``known``'s landed prefix if the file still holds it, else None."""
    if size < known.landed_bytes:
        return None
    length = file_life.head_length(file_life.head_part(known.fingerprint))
    if file_life.head_fingerprint(_head(handle, length, report)) != file_life.head_part(
        known.fingerprint
    ):
        return None
    digest = _hash_prefix(handle, known.landed_bytes, report)
    if digest is None:
        return None
    if known.landed_hash is not None and digest.hexdigest() != known.landed_hash:
        return None
    return digest  # a cache landed before hashes trusts its head, as it did then


class _Movers:
    """The known paths gone from disk, by head fingerprint: where a new path may come from."""

    def __init__(self, gone: dict[str, KnownFile]) -> None:
        self.by_head: dict[str, list[tuple[str, KnownFile]]] = {}
        for path, known in sorted(gone.items()):
            # a path already moved away speaks for nothing; an empty one matches anything
            if known.last_event == file_life.MOVED_AWAY or known.landed_bytes == 0:
                continue
            key = file_life.head_part(known.fingerprint)
            self.by_head.setdefault(key, []).append((path, known))
        self.claimed: dict[str, str] = {}  # old path -> new path

    def heads(self, handle, file: DiscoveredFile, report: LoadReport) -> Iterator[tuple[int, str]]:
        """``file``'s head fingerprint at each head length a gone path has, shortest first
        (read lazily: a caller that stops early reads no more)."""
        for length in sorted({file_life.head_length(key) for key in self.by_head}):
            if length <= file.size:
                yield length, file_life.head_fingerprint(_head(handle, length, report))

    def find(
        self, handle, file: DiscoveredFile, report: LoadReport
    ) -> tuple[str, KnownFile] | None:
        for length, key in self.heads(handle, file, report):
            for path, known in self.by_head.get(key, []):
                if path in self.claimed or (known.landed_bytes > file.size and not file.is_sidecar):
                    continue
                if file.is_sidecar:
                    if length != file.size:
                        continue  # a sidecar's fingerprint is of its whole content
                elif _continues(handle, known, file.size, report) is None:
                    continue
                self.claimed[path] = file.path
                return path, known
        return None


def move_candidates(
    files: Iterable[DiscoveredFile], state: dict[str, KnownFile], gone: dict[str, KnownFile]
) -> set[str]:
    """The paths among ``files`` that may be a ``gone`` path moved: their head matches one.

    Only these are offered to the move rule (:class:`_Movers`), so Spark's driver sends
    them, with every gone path, to one task: a gone path is claimed once, in the order
    the DuckDB branch reads the files.
    """
    movers = _Movers(gone)
    if not movers.by_head:
        return set()
    report = LoadReport(roots_missing=[])
    candidates: set[str] = set()
    for file in files:
        known = state.get(file.path)
        if known is not None and not known.is_gone:
            continue  # a path still landed is read as itself, never as a move
        if not file_life.must_read(file.path, file.stamp, known):
            continue
        try:
            with open(file.path, "rb") as handle:
                if any(key in movers.by_head for _, key in movers.heads(handle, file, report)):
                    candidates.add(file.path)
        except OSError:
            continue  # the task that reads it says why
    return candidates


def _read_lines(
    handle,
    file: DiscoveredFile,
    start: int,
    first_line: int,
    digest,
    fingerprint,
    file_id,
    event,
    token: str,
    report: LoadReport,
) -> Iterator[_Piece]:
    """The complete lines of ``handle`` from ``start``; a state row if there is none."""
    handle.seek(start)
    report.files_read += 1
    landed_any = False
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
            fingerprint = file_life.version_id(complete[:FINGERPRINT_BYTES], token)
        digest.update(complete)
        yield _Piece(
            file,
            fingerprint,
            file_id,
            event,
            start,
            first_line,
            complete,
            digest.hexdigest(),
            file.stamp,
        )
        landed_any = True
        first_line += complete.count(b"\n")
        start += len(complete)
    if not landed_any:
        if fingerprint is None:
            fingerprint = file_life.version_id(b"", token)
        if event == file_life.APPENDED:
            event = file_life.UNCHANGED
        yield _Piece(
            file,
            fingerprint,
            file_id,
            event,
            start,
            first_line,
            b"",
            digest.hexdigest(),
            file.stamp,
        )


def _read_file(
    file: DiscoveredFile, known: KnownFile | None, movers: _Movers, token: str, report: LoadReport
) -> Iterator[_Piece]:
    """Every piece of one file this run lands (see the module rules)."""
    with open(file.path, "rb") as handle:
        usable = known if known is not None and not known.is_gone else None
        if file.is_sidecar:
            data = handle.read()
            report.files_read += 1
            report.bytes_read += len(data)
            content = file_life.head_fingerprint(data)
            if usable is not None and file_life.head_part(usable.fingerprint) == content:
                yield _Piece(
                    file,
                    usable.fingerprint,
                    usable.file_id,
                    file_life.UNCHANGED,
                    usable.landed_bytes,
                    usable.landed_lines + 1,
                    b"",
                    usable.landed_hash,
                    file.stamp,
                )
                return
            if usable is not None:
                event, file_id = file_life.REWRITTEN, usable.file_id
            else:
                moved = movers.find(handle, file, report)
                event, file_id = (
                    (file_life.MOVED, moved[1].file_id)
                    if moved
                    else (file_life.NEW, _new_file_id(file.path, known, token))
                )
            if usable is not None:
                report.files_rewritten += 1
            # a whole-file record is one line: a pretty-printed JSON document's line
            # breaks (whitespace between JSON tokens) become spaces
            data = data.rstrip(b"\r\n").replace(b"\r\n", b" ").replace(b"\n", b" ") + b"\n"
            yield _Piece(
                file,
                f"{content}@{token}",
                file_id,
                event,
                0,
                1,
                data,
                hashlib.sha1(data).hexdigest(),
                file.stamp,
            )
            return
        if usable is not None:
            digest = _continues(handle, usable, file.size, report)
            if digest is not None:
                yield from _read_lines(
                    handle,
                    file,
                    usable.landed_bytes,
                    usable.landed_lines + 1,
                    digest,
                    usable.fingerprint,
                    usable.file_id,
                    file_life.APPENDED,
                    token,
                    report,
                )
                return
            report.files_rewritten += 1
            event = file_life.TRUNCATED if file.size < usable.landed_bytes else file_life.REWRITTEN
            yield from _read_lines(
                handle, file, 0, 1, hashlib.sha1(), None, usable.file_id, event, token, report
            )
            return
        moved = movers.find(handle, file, report)
        if moved is not None:
            report.files_moved += 1
            event, file_id = file_life.MOVED, moved[1].file_id
        else:
            event, file_id = file_life.NEW, _new_file_id(file.path, known, token)
        yield from _read_lines(
            handle, file, 0, 1, hashlib.sha1(), None, file_id, event, token, report
        )


def _new_file_id(path: str, known: KnownFile | None, token: str) -> str:
    """A new file's id: its path, unless the path held another file before (gone since)."""
    return path if known is None else f"{path}@{token}"


def _state_piece(path: str, known: KnownFile, event: str, stamp: Stamp | None) -> _Piece:
    """A state row of a known path (gone, unreadable): its version, no line."""
    file = DiscoveredFile(known.source_root, path, known.landed_bytes, False)
    return _Piece(
        file,
        known.fingerprint,
        known.file_id,
        event,
        known.landed_bytes,
        known.landed_lines + 1,
        b"",
        known.landed_hash,
        stamp,
    )


def _read_pieces(
    files: list[DiscoveredFile],
    state: dict[str, KnownFile],
    report: LoadReport,
    token: str,
    gone: dict[str, KnownFile] | None = None,
    record_gone: bool | None = None,
) -> Iterator[_Piece]:
    """The pieces of a run. ``gone``: the paths gone from disk, when the caller found them
    (Spark's driver); ``record_gone``: whether this run writes their state rows (by
    default when it found them itself; on Spark, the one task that is offered the moves)."""
    record_gone = gone is None if record_gone is None else record_gone
    if gone is None:
        gone = file_life.gone_paths(state, (file.path for file in files))
    movers = _Movers(gone)
    for file in files:
        report.files_seen += 1
        known = state.get(file.path)
        if not file_life.must_read(file.path, file.stamp, known):
            continue  # unchanged: not opened
        try:
            yield from _read_file(file, known, movers, token, report)
        except FileNotFoundError as error:  # vanished between discovery and read
            LOG.warning(f"agent_threads landing: skipped {file.path}: {error}")
        except OSError as error:
            report.unreadable(file.path, error)
            if known is None:
                known = KnownFile(
                    file.root,
                    file.path,
                    file_life.version_id(b"", token),
                    0,
                    0,
                    file_life.EMPTY_HASH,
                    None,
                    None,
                )
            if known.last_event != file_life.UNREADABLE or known.stamp != file.stamp:
                yield _state_piece(file.path, known, file_life.UNREADABLE, file.stamp)
    for path, known in sorted(gone.items()):
        if path in movers.claimed:  # also a path deleted before: it is claimed once
            yield _state_piece(path, known, file_life.MOVED_AWAY, None)
        elif not known.is_gone and record_gone:
            report.files_deleted += 1
            yield _state_piece(path, known, file_life.DELETED, None)


def deleted_rows(
    gone: dict[str, KnownFile], load_id: str, loaded_at: datetime
) -> pa.RecordBatch | None:
    """The ``deleted`` state rows of paths gone from disk (Spark's driver records them)."""
    pieces = [
        _state_piece(path, known, file_life.DELETED, None)
        for path, known in sorted(gone.items())
        if not known.is_gone
    ]
    return _state_batch(pieces, load_id, loaded_at) if pieces else None


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

    def per_piece(values: list, kind: pa.DataType = STRING) -> pa.Array:
        return pa.array(values, kind).take(pa.array(piece_of_line))

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
            per_piece([piece.file.is_sidecar for piece in pieces], pa.bool_()),
            pa.array([load_id] * n, pa.string()),
            pa.array([loaded_at] * n, pa.timestamp("us", tz="UTC")),
            *_life_columns(pieces, per_piece),
        ],
        schema=LANDED_SCHEMA,
    )


def _life_columns(pieces: list[_Piece], per_piece) -> list[pa.Array]:
    """The file-life columns of each piece (see LANDED_SCHEMA), one value per row."""
    stamps = [piece.stamp for piece in pieces]
    return [
        per_piece([piece.file_id for piece in pieces]),
        per_piece([piece.event for piece in pieces]),
        per_piece([s.size if s else None for s in stamps], pa.int64()),
        per_piece([s.mtime_ns if s else None for s in stamps], pa.int64()),
        per_piece([s.ctime_ns if s else None for s in stamps], pa.int64()),
        per_piece([piece.landed_hash for piece in pieces]),
    ]


def _state_batch(pieces: list[_Piece], load_id: str, loaded_at: datetime) -> pa.RecordBatch:
    """One state row per piece with no data (``source_line = 0``, a blank raw line)."""
    n = len(pieces)
    index = pa.array(range(n), pa.int64())

    def per_piece(values: list, kind: pa.DataType = STRING) -> pa.Array:
        return pa.array(values, kind).take(index)

    return pa.RecordBatch.from_arrays(
        [
            per_piece([piece.file.root for piece in pieces]),
            per_piece([piece.file.path for piece in pieces]),
            per_piece([piece.fingerprint for piece in pieces]),
            pa.array([0] * n, pa.int64()),
            per_piece([piece.offset for piece in pieces], pa.int64()),
            per_piece([piece.offset for piece in pieces], pa.int64()),
            pa.array([""] * n, pa.large_string()),
            pa.array([True] * n, pa.bool_()),
            pa.array([True] * n, pa.bool_()),
            per_piece([piece.file.is_sidecar for piece in pieces], pa.bool_()),
            pa.array([load_id] * n, pa.string()),
            pa.array([loaded_at] * n, pa.timestamp("us", tz="UTC")),
            *_life_columns(pieces, per_piece),
        ],
        schema=LANDED_SCHEMA,
    )


def land_new_lines(
    files: list[DiscoveredFile],
    state: dict[str, KnownFile],
    load_id: str,
    loaded_at: datetime,
    report: LoadReport | None = None,
    batch_bytes: int = BATCH_BYTES,
    gone: dict[str, KnownFile] | None = None,
    record_gone: bool | None = None,
) -> Iterator[pa.RecordBatch]:
    """Yield record batches (``LANDED_SCHEMA``) of every new complete line of ``files``.

    ``state`` is what the cache holds (:func:`agent_threads.landing.file_life.state_from_table`);
    its paths not among ``files`` and gone from disk get a ``deleted`` (or, found again
    under a new path, ``moved_away``) state row.
    """
    report = report if report is not None else LoadReport(roots_missing=[])
    pending: list[_Piece] = []
    states: list[_Piece] = []
    pending_bytes = 0
    token = hashlib.sha1(load_id.encode()).hexdigest()[:12]  # one per run: version ids
    for piece in _read_pieces(files, state, report, token, gone, record_gone):
        if not piece.data:
            states.append(piece)
            continue
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
    if states:
        yield _state_batch(states, load_id, loaded_at)


def landing_reader(
    source: str,
    roots: list[Path],
    state_table: pa.Table | None,
    load_id: str,
    loaded_at: datetime,
    report: LoadReport | None = None,
) -> pa.RecordBatchReader:
    """The landing model's whole job: a stream of the new lines of every file of ``source``."""
    report = report if report is not None else LoadReport(roots_missing=[])
    files, empty_roots = discover_files(source, roots, report)
    report.roots_missing = empty_roots
    for root in empty_roots:
        if Path(root).is_dir():  # a missing root was said by the roots check (root_check)
            LOG.warning(
                f"agent_threads landing: {source} root {root} holds no transcript "
                "not already found under an earlier root; going on without it"
            )
    state = state_from_table(state_table)

    def batches_then_report() -> Iterator[pa.RecordBatch]:
        yield from land_new_lines(files, state, load_id, loaded_at, report)
        report.warn_unreadable()
        LOG.info(
            f"agent_threads landing: {source}: {report.files_seen} files seen, "
            f"{report.files_read} read ({report.files_rewritten} rewritten, "
            f"{report.files_moved} moved, {report.files_deleted} deleted, "
            f"{len(report.unreadable_paths)} unreadable), "
            f"{report.bytes_read} bytes read, {report.lines_landed} lines landed"
        )
        write_report(source, report)

    return pa.RecordBatchReader.from_batches(LANDED_SCHEMA, batches_then_report())


#: a folder the build runner sets: each landing run leaves its report there as JSON
RUN_REPORT_DIR_ENV = "AGENT_THREADS_RUN_REPORT_DIR"


def write_report(source: str, report: LoadReport) -> None:
    """Leave the run's counts for the build runner's summary (when it asked for them)."""
    folder = os.environ.get(RUN_REPORT_DIR_ENV)
    if folder:
        Path(folder, f"landing-{source}.json").write_text(json.dumps(asdict(report)))
