"""The dbt-facing glue of the Python models: relations in, a stream of Arrow out.

Python models stay thin: they hand their refs to these functions. Everything here is a
matter of choosing rows and batching them; the rules live in the pure functions of
:mod:`agent_threads.projection` and :mod:`agent_threads.settle`.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from functools import partial

import duckdb
import pyarrow as pa
import pyarrow.compute as pc

from agent_threads.batching import map_sessions
from agent_threads.privacy import ExportPrivacy, privatize_stream
from agent_threads.projection.schema import MESSAGES_SCHEMA

PROJECTED_SCHEMA = MESSAGES_SCHEMA.append(pa.field("session_revision", pa.string(), nullable=False))
FETCH_ROWS = 65_536


def _view(relation: duckdb.DuckDBPyRelation, name: str) -> str:
    relation.create_view(name, replace=True)
    return name


def sessions_to_project(
    con: duckdb.DuckDBPyConnection,
    revisions: duckdb.DuckDBPyRelation,
    previous: str | None,
) -> str:
    """Create the temp table ``at_sessions_to_project``: sessions whose revision changed.

    ``previous`` is the projected table of the last run (None on a first or full run).
    Its rows whose (session, revision) is no longer current are deleted first, so a
    re-projected session loses every old row, also when its new version projects none,
    and a session gone from the landed lines loses its rows (the macro
    ``delete_outdated_sessions`` does the same for the SQL models).
    """
    rev = _view(revisions, "at_revisions")
    if previous is not None:
        con.execute(
            f"""
            delete from {previous} as p
            where not exists (
                select 1 from {rev} as r
                where p.session_id = r.session_id and p.session_revision = r.session_revision
            )
            """
        ).fetchall()
    if previous is None:
        con.execute(
            f"create or replace temp table at_sessions_to_project as "
            f"select session_id, source, session_revision from {rev}"
        )
    else:
        con.execute(
            f"""
            create or replace temp table at_sessions_to_project as
            select r.session_id, r.source, r.session_revision
            from {rev} as r
            where not exists (
                select 1 from {previous} as p
                where p.session_id = r.session_id and p.session_revision = r.session_revision
            )
            """
        )
    return "at_sessions_to_project"


def _session_id_table(con: duckdb.DuckDBPyConnection, name: str, session_ids) -> str:
    """(Re)create the temp table ``name`` holding ``session_ids`` (one column, session_id)."""
    con.execute(f"create or replace temp table {name} (session_id varchar)")
    if session_ids:
        con.executemany(f"insert into {name} values (?)", [[s] for s in session_ids])
    return name


def _with_revision(table: pa.Table, revisions: dict[str, str]) -> pa.Table:
    """Append each row's session revision (vectorized: a lookup, not a loop over rows)."""
    keys = pa.array(list(revisions), pa.string())
    values = pa.array(list(revisions.values()), pa.string())
    positions = pc.index_in(table.column("session_id"), value_set=keys)
    return table.append_column("session_revision", values.take(positions))


def project_changed_sessions(
    con: duckdb.DuckDBPyConnection,
    revisions: duckdb.DuckDBPyRelation,
    claude_lines: duckdb.DuckDBPyRelation,
    codex_lines: duckdb.DuckDBPyRelation,
    copy_owners: duckdb.DuckDBPyRelation,
    fork_baselines: duckdb.DuckDBPyRelation,
    previous: str | None,
) -> pa.RecordBatchReader:
    """Project every session whose landed lines changed since the last run."""
    from agent_threads.projection.claude_code import project_claude_code
    from agent_threads.projection.codex import project_codex

    todo = sessions_to_project(con, revisions, previous)
    revision_of = dict(con.sql(f"select session_id, session_revision from {todo}").fetchall())
    owners = _view(copy_owners, "at_copy_owners")
    uuid_owners = con.sql(
        f"select copy_key as line_uuid, owner_session_id from {owners} where copy_kind = 'uuid'"
    ).to_arrow_table()
    response_owners = con.sql(
        "select copy_key as source_message_id, request_id, owner_session_id "
        f"from {owners} where copy_kind = 'response'"
    ).to_arrow_table()
    baselines = fork_baselines.to_arrow_table()
    claude = _view(claude_lines, "at_claude_lines")
    codex = _view(codex_lines, "at_codex_lines")

    def ordered(view: str, extra: str = "") -> Iterator[pa.RecordBatch]:
        reader = con.sql(
            f"select * from {view} where session_id in (select session_id from {todo}) {extra} "
            "order by session_id, source_file, source_line"
        ).to_arrow_reader(FETCH_ROWS)
        yield from reader

    def claude_batch(table: pa.Table) -> pa.Table:
        return _with_revision(project_claude_code(table, uuid_owners, response_owners), revision_of)

    def codex_batch(table: pa.Table) -> pa.Table:
        return _with_revision(project_codex(table, baselines), revision_of)

    claude_reader = map_sessions(ordered(claude), claude_batch, PROJECTED_SCHEMA)
    codex_reader = map_sessions(
        ordered(codex, "and not is_from_duplicate_file"), codex_batch, PROJECTED_SCHEMA
    )

    def both() -> Iterator[pa.RecordBatch]:
        yield from claude_reader
        yield from codex_reader

    return pa.RecordBatchReader.from_batches(PROJECTED_SCHEMA, both())


def run_as_of(settled: duckdb.DuckDBPyRelation) -> str:
    """The ``as_of`` the run's settle decision used (ISO-8601), or '' with no sessions."""
    rows = settled.aggregate("max(as_of)").fetchall()
    return rows[0][0].isoformat() if rows and rows[0][0] is not None else ""


def settle(
    con: duckdb.DuckDBPyConnection,
    revisions: duckdb.DuckDBPyRelation,
    as_of: datetime,
    settle_after_minutes: float,
) -> pa.Table:
    """Settle status of every session (see :func:`agent_threads.settle.settle_sessions`)."""
    from agent_threads.settle import settle_sessions

    activity = revisions.select("session_id, last_event_at, last_loaded_at").to_arrow_table()
    return settle_sessions(activity, as_of, settle_after_minutes)


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

    ``privacy`` says what the files carry (:mod:`agent_threads.privacy`; default: its
    defaults); ``sessions`` (with ``cwds``) is needed to leave out the sessions of
    excluded projects. A change of settings since the last export rewrites every
    partition, so no file written under the old settings survives.
    """
    from pathlib import Path

    from agent_threads import export

    if layout not in export.LAYOUTS:
        raise ValueError(f"dataset_layout must be one of {export.LAYOUTS}, not {layout!r}")
    settings = privacy if privacy is not None else ExportPrivacy()
    settings_id = settings.fingerprint()
    root = export.version_root(Path(dataset_dir))
    published = _view(messages, "at_published_messages")
    revisions = dict(
        con.sql(f"select distinct session_id, session_revision from {published}").fetchall()
    )
    excluded = _excluded_sessions(con, sessions, settings, set(revisions))
    _session_id_table(con, "at_export_excluded", excluded)
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
        _session_id_table(con, "at_export_gone", gone)
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
    _session_id_table(con, "at_export_sessions", selected)
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
    from agent_threads.privacy import cwd_is_excluded

    if not settings.exclude_cwd or not published:
        return set()
    if sessions is None:
        raise ValueError("export_exclude_cwd needs the sessions relation (with cwds)")
    view = _view(sessions, "at_export_session_cwds")
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
    from pathlib import Path

    from agent_threads import export

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
