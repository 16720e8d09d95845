"""The projection's DuckDB half: the changed sessions, streamed through the pure projections.

The rules live in :mod:`agent_threads.projection.claude_code` and
:mod:`agent_threads.projection.codex`; this half chooses the rows and batches them.
Sources projected in SQL (``int_copilot_cli__messages``, ``int_gemini_cli__messages``)
arrive as rows of the messages schema already: their rows of the changed sessions are
passed through.
"""

from __future__ import annotations

from collections.abc import Iterator

import duckdb
import pyarrow as pa

from agent_threads.batching import map_sessions
from agent_threads.projection.claude_code import project_claude_code
from agent_threads.projection.codex import project_codex
from agent_threads.projection.schema import MESSAGES_SCHEMA, PROJECTED_SCHEMA, with_revision
from agent_threads.temp_relations import FETCH_ROWS, temp_view


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
    rev = temp_view(con, revisions, "at_revisions")
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


def project_changed_sessions(
    con: duckdb.DuckDBPyConnection,
    revisions: duckdb.DuckDBPyRelation,
    claude_lines: duckdb.DuckDBPyRelation,
    codex_lines: duckdb.DuckDBPyRelation,
    copy_owners: duckdb.DuckDBPyRelation,
    fork_baselines: duckdb.DuckDBPyRelation,
    previous: str | None,
    sql_projected: list[duckdb.DuckDBPyRelation] | None = None,
) -> pa.RecordBatchReader:
    """Project every session whose landed lines changed since the last run."""

    todo = sessions_to_project(con, revisions, previous)
    revision_of = dict(con.sql(f"select session_id, session_revision from {todo}").fetchall())
    owners = temp_view(con, copy_owners, "at_copy_owners")
    uuid_owners = con.sql(
        f"select copy_key as line_uuid, owner_session_id from {owners} where copy_kind = 'uuid'"
    ).to_arrow_table()
    response_owners = con.sql(
        "select copy_key as source_message_id, request_id, owner_session_id "
        f"from {owners} where copy_kind = 'response'"
    ).to_arrow_table()
    baselines = fork_baselines.to_arrow_table()
    claude = temp_view(con, claude_lines, "at_claude_lines")
    codex = temp_view(con, codex_lines, "at_codex_lines")

    def ordered(view: str, extra: str = "") -> Iterator[pa.RecordBatch]:
        reader = con.sql(
            f"select * from {view} where session_id in (select session_id from {todo}) {extra} "
            "order by session_id, source_file, source_line"
        ).to_arrow_reader(FETCH_ROWS)
        yield from reader

    def claude_batch(table: pa.Table) -> pa.Table:
        return with_revision(project_claude_code(table, uuid_owners, response_owners), revision_of)

    def codex_batch(table: pa.Table) -> pa.Table:
        return with_revision(project_codex(table, baselines), revision_of)

    claude_reader = map_sessions(ordered(claude), claude_batch, PROJECTED_SCHEMA)
    codex_reader = map_sessions(
        ordered(codex, "and not is_from_duplicate_file"), codex_batch, PROJECTED_SCHEMA
    )

    def projected_in_sql() -> Iterator[pa.RecordBatch]:
        columns = ", ".join(MESSAGES_SCHEMA.names)
        for position, relation in enumerate(sql_projected or []):
            view = temp_view(con, relation, f"at_sql_projected_{position}")
            reader = con.sql(
                f"select {columns} from {view} "
                f"where session_id in (select session_id from {todo}) "
                "order by session_id, thread_id, thread_seq"
            ).to_arrow_reader(FETCH_ROWS)
            for batch in reader:
                table = pa.Table.from_batches([batch]).cast(MESSAGES_SCHEMA)
                yield from with_revision(table, revision_of).to_batches()

    def both() -> Iterator[pa.RecordBatch]:
        yield from claude_reader
        yield from codex_reader
        yield from projected_in_sql()

    return pa.RecordBatchReader.from_batches(PROJECTED_SCHEMA, both())
