"""The export's DuckDB half: write the published sessions that changed, log them.

What a partition holds and where it goes is :mod:`agent_threads.export.files`; what the
files carry is :mod:`agent_threads.export.privacy`. There is no Spark half yet: on Spark
the dataset is the tables (docs/spark.md).
"""

from __future__ import annotations

from datetime import datetime
from functools import partial
from pathlib import Path

import duckdb
import pyarrow as pa

from agent_threads.errors import SettingError
from agent_threads.export import files as export
from agent_threads.export.privacy import ExportPrivacy, cwd_is_excluded, privatize_stream
from agent_threads.temp_relations import FETCH_ROWS, session_id_table, temp_view


def export_dataset(
    con: duckdb.DuckDBPyConnection,
    messages: duckdb.DuckDBPyRelation,
    previous: str | None,
    dataset_dir: str,
    layout: str,
    buckets: int,
    as_of: str,
    sessions: duckdb.DuckDBPyRelation | None = None,
    privacy: ExportPrivacy | None = None,
) -> pa.RecordBatchReader:
    """Write the published sessions that changed since their last export; log them.

    ``privacy`` says what the files carry (:mod:`agent_threads.export.privacy`; default: its
    defaults); ``sessions`` (with ``cwds``) is needed to leave out the sessions of
    excluded projects. A change of settings since the last export rewrites every
    partition, so no file written under the old settings survives.
    """
    if layout not in export.LAYOUTS:
        raise SettingError(
            "dataset_layout", f"dataset_layout must be one of {export.LAYOUTS}, not {layout!r}"
        )
    settings = privacy if privacy is not None else ExportPrivacy()
    settings_id = settings.fingerprint()
    root = export.version_root(Path(dataset_dir))
    published = temp_view(con, messages, "at_published_messages")
    revisions = dict(
        con.sql(f"select distinct session_id, session_revision from {published}").fetchall()
    )
    excluded = _excluded_sessions(con, sessions, settings, set(revisions))
    session_id_table(con, "at_export_excluded", excluded)
    exported = "at_exported_messages"
    con.execute(
        f"create or replace temp view {exported} as select * from {published} "
        "where session_id not in (select session_id from at_export_excluded)"
    )

    full_rewrite = previous is None or _settings_changed(con, previous, layout, settings_id)
    done = (
        {}
        if previous is None
        else dict(con.sql(f"select session_id, session_revision from {previous}").fetchall())
    )
    # exported before, no longer published (its lines gone): its files and log rows go
    gone = sorted(s for s in done if s not in revisions)
    if gone:
        session_id_table(con, "at_export_gone", gone)
        con.execute(
            f"delete from {previous} where session_id in (select session_id from at_export_gone)"
        )
    if full_rewrite:
        export.reset_version_root(root)
        pending = sorted(revisions)
    else:
        pending = sorted(s for s, rev in revisions.items() if done.get(s) != rev)
    plan = export.ExportPlan(
        layout=layout,
        buckets=buckets,
        root=root,
        pending_sessions=pending,
        settings_id=settings_id,
    )
    left_out = [s for s in pending if s in excluded]
    log_batches = [export.excluded_log(plan, left_out, revisions)] if left_out else []
    to_write = [s for s in pending if s not in excluded]
    transform = partial(privatize_stream, settings=settings) if settings.changes_rows else None

    if full_rewrite and layout == "session" and to_write:
        log_batches.append(
            export.copy_all_sessions(con, exported, root, revisions, plan, transform)
        )
        return _finish_export(
            con, exported, dataset_dir, plan, as_of, settings, log_batches, len(to_write)
        )
    if layout == "session":
        selected = to_write
        for session_id in [*left_out, *gone]:  # exported before, excluded or gone now
            export.remove_partition(export.partition_dir(root, layout, session_id, buckets))
    else:
        touched = {export.session_bucket(s, buckets) for s in [*pending, *gone]}
        selected = sorted(
            s
            for s in revisions
            if s not in excluded and export.session_bucket(s, buckets) in touched
        )
        # a bucket left with no exported session has no file any more
        for bucket in touched - {export.session_bucket(s, buckets) for s in selected}:
            export.remove_partition(root / f"session_bucket={bucket}")
    session_id_table(con, "at_export_sessions", selected)
    rows = con.sql(
        f"select * from {exported} "
        "where session_id in (select session_id from at_export_sessions) "
        "order by session_id, thread_id, thread_seq"
    ).to_arrow_reader(FETCH_ROWS)
    batches = transform(rows) if transform else rows
    log_batches.extend(export.export_partitions(plan, batches, revisions))
    return _finish_export(
        con, exported, dataset_dir, plan, as_of, settings, log_batches, len(to_write)
    )


def _excluded_sessions(
    con: duckdb.DuckDBPyConnection,
    sessions: duckdb.DuckDBPyRelation | None,
    settings: ExportPrivacy,
    published: set[str],
) -> set[str]:
    """The published sessions any of whose working directories ``export_exclude_cwd`` matches."""
    if not settings.exclude_cwd or not published:
        return set()
    if sessions is None:
        raise SettingError(
            "export_exclude_cwd", "export_exclude_cwd needs the sessions relation (with cwds)"
        )
    view = temp_view(con, sessions, "at_export_session_cwds")
    pairs = con.sql(f"select session_id, unnest(cwds) as cwd from {view}").to_arrow_table()
    matched = pairs.filter(cwd_is_excluded(pairs.column("cwd"), settings.exclude_cwd))
    return set(matched.column("session_id").to_pylist()) & published


def _settings_changed(
    con: duckdb.DuckDBPyConnection, previous: str, layout: str, settings_id: str
) -> bool:
    """Whether the last export used another layout or other privacy settings.

    A log written before the privacy settings existed has no ``export_settings_id``: its
    settings are unknown, so everything is rewritten once.
    """
    columns = set(con.sql(f"select * from {previous} limit 0").columns)
    setting = "export_settings_id" if "export_settings_id" in columns else "null"
    used = con.sql(f"select distinct dataset_layout, {setting} from {previous}").fetchall()
    return any(row[0] != layout or row[1] != settings_id for row in used)


def _finish_export(
    con: duckdb.DuckDBPyConnection,
    exported: str,
    dataset_dir: str,
    plan,
    as_of: str,
    settings: ExportPrivacy,
    log_batches: list[pa.RecordBatch],
    written: int,
) -> pa.RecordBatchReader:
    """Write the manifest beside the version root; return the export log rows."""
    totals = con.sql(f"select count(*), count(distinct session_id) from {exported}").fetchall()[0]
    export.write_manifest(
        Path(dataset_dir),
        {
            "schema_version": export.SCHEMA_VERSION,
            "version_root": plan.root.name,
            "dataset_layout": plan.layout,
            "dataset_buckets": plan.buckets if plan.layout == "bucketed" else None,
            "partition_key": "session_id" if plan.layout == "session" else "session_bucket",
            "as_of": as_of,
            "built_at": datetime.now().astimezone().isoformat(),
            "rows": totals[0],
            "sessions": totals[1],
            "sessions_written_this_run": written,
            "privacy": settings.describe(),
        },
    )
    return pa.RecordBatchReader.from_batches(export.EXPORT_LOG_SCHEMA, iter(log_batches))
