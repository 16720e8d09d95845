"""The Parquet dataset: published sessions written under a per-version, hive-partitioned root.

Layout (``<dataset dir>`` = ``AGENT_THREADS_DATASET_DIR``, default ``data/dataset``)::

    <dataset dir>/manifest.json                       the whole dataset: version, layout, counts
    <dataset dir>/v6/session_id=<id>/part-0.parquet   layout "session" (default)
    <dataset dir>/v6/session_bucket=<n>/part-0.parquet layout "bucketed": sessions hashed into
                                                       n buckets, rows sorted by session_id

Only partitions whose session changed are rewritten. Each partition is one fixed-name
file, written under a temporary name that does not match ``*.parquet`` and moved into
place with ``os.replace``: a reader never sees half a partition. What was exported (which
revision of which session, under which privacy settings) is recorded in the database by
the export model, so a run killed or stopped by a full disk during the export is finished
by the next one. The rows written are those of ``messages`` after the privacy transform
(:mod:`agent_threads.export.privacy`); sessions of excluded projects get no partition at all.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import json
import os
import shutil
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from agent_threads.batching import split_sessions, whole_sessions
from agent_threads.contract import ID_RE, SCHEMA_VERSION
from agent_threads.errors import DatasetExportError

LAYOUTS = ("session", "bucketed")
PART_FILE = "part-0.parquet"
FETCH_ROWS = 65_536
TMP_SUFFIX = ".tmp-writing"
# snappy: read everywhere, and 40% faster to write than zstd for one file per session
COMPRESSION = "snappy"
#: The contract's id rule; a partition is never named after anything else.

EXPORT_LOG_SCHEMA = pa.schema(
    [
        pa.field("session_id", pa.string(), nullable=False),
        pa.field("session_revision", pa.string(), nullable=False),
        pa.field("export_settings_id", pa.string(), nullable=False),
        pa.field("dataset_layout", pa.string(), nullable=False),
        # null for a session left out by export_exclude_cwd
        pa.field("partition_path", pa.string()),
        pa.field("row_count", pa.int64(), nullable=False),
        pa.field("is_exported", pa.bool_(), nullable=False),
        pa.field("exported_at", pa.timestamp("us", tz="UTC"), nullable=False),
    ]
)
#: A function from the rows of ``messages`` to the rows written (the privacy transform).
Transform = Callable[[Iterable[pa.RecordBatch]], Iterator[pa.RecordBatch]]


def session_bucket(session_id: str, buckets: int) -> int:
    """A stable bucket for a session id (md5, so every engine and run agrees)."""
    digest = hashlib.md5(session_id.encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") % buckets


def version_root(dataset_dir: Path, version: int = SCHEMA_VERSION) -> Path:
    return Path(dataset_dir) / f"v{version}"


def partition_dir(root: Path, layout: str, session_id: str, buckets: int) -> Path:
    if layout == "session":
        # staging rejects such ids; this keeps a path outside the root impossible even so
        if not ID_RE.fullmatch(session_id):
            raise DatasetExportError(
                f"refusing to write a partition for session id {session_id[:80]!r}: it is "
                "not a valid id (1-200 of A-Z a-z 0-9 . _ : -); this is a bug in staging"
            )
        return root / f"session_id={session_id}"
    return root / f"session_bucket={session_bucket(session_id, buckets)}"


def _export_error(final: Path, error: Exception) -> DatasetExportError:
    """The clear error for a failed write; a full disk is told apart (an OSError's errno,
    or the text of DuckDB's IO error, which carries no errno)."""
    full = getattr(error, "errno", None) in (errno.ENOSPC, errno.EDQUOT)
    if full or "No space left" in str(error):
        return DatasetExportError(
            f"The Parquet export ran out of disk space while writing {final}. "
            "The database is consistent and records what is still to export: free "
            "space (or point AGENT_THREADS_DATASET_DIR elsewhere) and run `dbt build` "
            "again; it finishes the export.",
            final,
        )
    return DatasetExportError(
        f"The Parquet export failed while writing {final}: {error}. Fix the cause "
        "and run `dbt build` again; it finishes the export.",
        final,
    )


def _utc_schema(schema: pa.Schema) -> pa.Schema:
    """Timestamps labelled ``UTC`` as DuckDB's COPY writes them (DuckDB's Arrow output
    says ``Etc/UTC``): every file of the dataset carries the same schema."""
    for index, item in enumerate(schema):
        if pa.types.is_timestamp(item.type) and item.type.tz is not None:
            schema = schema.set(index, item.with_type(pa.timestamp(item.type.unit, tz="UTC")))
    return schema


def _with_utc(table: pa.Table) -> pa.Table:
    schema = _utc_schema(table.schema)
    return table if schema.equals(table.schema) else table.cast(schema)


def remove_partition(directory: Path) -> None:
    """Remove a partition folder (a session now excluded, a bucket left empty)."""
    if directory.exists():
        shutil.rmtree(directory)


def _write_atomically(table: pa.Table, directory: Path) -> Path:
    final = directory / PART_FILE
    tmp = directory / (PART_FILE + TMP_SUFFIX)
    try:
        directory.mkdir(parents=True, exist_ok=True)  # a full disk can fail here too
        pq.write_table(_with_utc(table), tmp, compression=COMPRESSION)
        os.replace(tmp, final)
    except OSError as error:
        # the temporary name is invisible to readers; the next run replaces it
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)
        raise _export_error(final, error) from error
    return final


@dataclass
class ExportPlan:
    """What one run must write."""

    layout: str
    buckets: int
    root: Path
    pending_sessions: list[str]
    #: ``ExportPrivacy.fingerprint()`` of the settings the files are written with
    settings_id: str = ""


def export_partitions(
    plan: ExportPlan,
    rows: Iterable[pa.RecordBatch],
    revisions: dict[str, str],
    drop_columns: tuple[str, ...] = ("session_revision",),
) -> Iterator[pa.RecordBatch]:
    """Write the partitions of ``rows`` (sorted by session_id; for the bucketed layout,
    every row of every touched bucket) and yield export-log rows for the pending sessions.
    """
    exported_at = datetime.now(UTC)
    pending = set(plan.pending_sessions)
    if plan.layout == "session":
        for group in whole_sessions(rows):
            for table in split_sessions(group):
                yield _export_one_session(table, plan, revisions, drop_columns, exported_at)
        return
    by_bucket: dict[int, list[pa.RecordBatch]] = {}
    for batch in rows:
        table = pa.Table.from_batches([batch])
        ids = table.column("session_id").to_pylist()
        buckets = [session_bucket(s, plan.buckets) for s in ids]
        for bucket in sorted(set(buckets)):
            mask = pa.array([b == bucket for b in buckets])
            by_bucket.setdefault(bucket, []).extend(table.filter(mask).to_batches())
    for bucket, batches in sorted(by_bucket.items()):
        table = pa.Table.from_batches(batches).sort_by("session_id")
        path = _write_atomically(
            table.drop_columns(list(drop_columns)),
            plan.root / f"session_bucket={bucket}",
        )
        ids = [s for s in dict.fromkeys(table.column("session_id").to_pylist()) if s in pending]
        counts = table.group_by("session_id").aggregate([("session_id", "count")])
        count_of = dict(
            zip(
                counts.column("session_id").to_pylist(),
                counts.column("session_id_count").to_pylist(),
                strict=True,
            )
        )
        yield _log_batch(
            ids,
            revisions,
            plan,
            [path] * len(ids),
            [count_of[s] for s in ids],
            exported_at,
        )


def _export_one_session(
    table: pa.Table,
    plan: ExportPlan,
    revisions: dict[str, str],
    drop_columns: tuple[str, ...],
    exported_at: datetime,
) -> pa.RecordBatch:
    session_id = table.column("session_id")[0].as_py()
    data = table.drop_columns(["session_id", *drop_columns])
    path = _write_atomically(data, partition_dir(plan.root, "session", session_id, plan.buckets))
    return _log_batch([session_id], revisions, plan, [path], [table.num_rows], exported_at)


def _log_batch(
    session_ids: list[str],
    revisions: dict[str, str],
    plan: ExportPlan,
    paths: list[Path | None],
    counts: list[int],
    exported_at: datetime,
) -> pa.RecordBatch:
    n = len(session_ids)
    return pa.RecordBatch.from_arrays(
        [
            pa.array(session_ids, pa.string()),
            pa.array([revisions[s] for s in session_ids], pa.string()),
            pa.array([plan.settings_id] * n, pa.string()),
            pa.array([plan.layout] * n, pa.string()),
            pa.array([None if p is None else str(p) for p in paths], pa.string()),
            pa.array(counts, pa.int64()),
            pa.array([p is not None for p in paths], pa.bool_()),
            pa.array([exported_at] * n, pa.timestamp("us", tz="UTC")),
        ],
        schema=EXPORT_LOG_SCHEMA,
    )


def excluded_log(
    plan: ExportPlan, session_ids: list[str], revisions: dict[str, str]
) -> pa.RecordBatch:
    """Log rows for sessions left out by ``export_exclude_cwd``: no file, no rows."""
    return _log_batch(
        session_ids,
        revisions,
        plan,
        [None] * len(session_ids),
        [0] * len(session_ids),
        datetime.now(UTC),
    )


def reset_version_root(root: Path) -> None:
    """Remove a version root before a full rewrite (layout change or full refresh)."""
    if root.exists():
        shutil.rmtree(root)


def write_manifest(dataset_dir: Path, manifest: dict) -> Path:
    """``manifest.json`` beside the version roots, replaced atomically."""
    path = dataset_dir / "manifest.json"
    tmp = dataset_dir / ("manifest.json" + TMP_SUFFIX)
    try:
        dataset_dir.mkdir(parents=True, exist_ok=True)
        tmp.write_text(json.dumps(manifest, indent=2, sort_keys=True, default=str) + "\n")
        os.replace(tmp, path)
    except OSError as error:
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)
        raise _export_error(path, error) from error
    return path


def copy_all_sessions(
    con,
    relation: str,
    root: Path,
    revisions: dict[str, str],
    plan: ExportPlan | None = None,
    transform: Transform | None = None,
) -> pa.RecordBatch:
    """Write every session of ``relation`` at once (a cold build, a full refresh, a change
    of the privacy settings).

    Into a temporary root that is moved into place with one rename, so readers see the
    old dataset or the whole new one: one DuckDB ``COPY ... PARTITION_BY (session_id)``,
    of the relation itself or of the stream of its rows after ``transform`` (the privacy
    settings). Per-session writes (``export_partitions``) serve the incremental runs.
    """
    plan = plan or ExportPlan("session", 0, root, sorted(revisions))
    bad = [s for s in revisions if not ID_RE.fullmatch(s)]
    if bad:
        raise DatasetExportError(f"refusing to name partitions after invalid ids: {bad[:3]}")
    tmp_root = root.with_name(root.name + TMP_SUFFIX)
    shutil.rmtree(tmp_root, ignore_errors=True)
    tmp_root.parent.mkdir(parents=True, exist_ok=True)
    try:
        if transform is None:
            _copy_partitioned(
                con, f"(select * exclude (session_revision) from {relation})", tmp_root
            )
        else:
            _write_transformed(con, relation, tmp_root, transform)
        stray = [p for p in tmp_root.rglob("*.parquet") if p.name != PART_FILE]
        if stray:  # never seen: DuckDB writes one file per partition here
            raise DatasetExportError(f"unexpected extra partition files: {stray[:3]}")
        reset_version_root(root)
        os.replace(tmp_root, root)
    except Exception as error:
        shutil.rmtree(tmp_root, ignore_errors=True)
        if isinstance(error, DatasetExportError):
            raise
        raise _export_error(root, error) from error
    counts = dict(
        con.sql(f"select session_id, count(*) from {relation} group by session_id").fetchall()
    )
    ids = sorted(counts)
    return _log_batch(
        ids,
        revisions,
        plan,
        [partition_dir(root, "session", s, 0) / PART_FILE for s in ids],
        [counts[s] for s in ids],
        datetime.now(UTC),
    )


def _copy_partitioned(con, source: str, target: Path) -> None:
    """DuckDB's ``COPY`` of ``source`` (a query or relation) into hive partitions."""
    con.execute(
        f"copy {source} to '{target}' (format parquet, compression {COMPRESSION}, "
        "partition_by (session_id), filename_pattern 'part-{i}', overwrite)"
    )


WRITER_MEMORY_LIMIT = "768MB"


def _write_transformed(con, relation: str, tmp_root: Path, transform: Transform) -> None:
    """Stream ``relation`` through ``transform`` into hive partitions by session_id.

    The same ``COPY`` as the untransformed path (same files, same schema), run by a
    private in-memory DuckDB over the transformed Arrow stream: ``con`` is busy feeding
    the stream, and one connection cannot run two statements at once.
    """
    import duckdb

    reader = con.sql(f"select * exclude (session_revision) from {relation}").to_arrow_reader(
        FETCH_ROWS
    )
    rows = pa.RecordBatchReader.from_batches(reader.schema, transform(reader))
    # a second DuckDB beside the build's own: kept small so both together stay inside the
    # memory budget (the partitioned COPY flushes partitions to disk when it reaches it)
    writer = duckdb.connect(
        config={"memory_limit": WRITER_MEMORY_LIMIT, "preserve_insertion_order": False}
    )
    try:
        writer.register("at_export_rows", rows)
        _copy_partitioned(writer, "at_export_rows", tmp_root)
    finally:
        writer.close()
