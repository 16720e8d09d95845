"""The Spark branch of each Python model gives exactly the rows of its DuckDB branch.

On the real fixtures: the inputs of a DuckDB build are handed to the Spark halves
(``agent_threads.<layer>.spark``)
(local PySpark: repartition by session, sort, mapInArrow over the same pure functions)
and its output is compared row for row with what the DuckDB branch wrote.
"""

from __future__ import annotations

import shutil
from datetime import UTC, datetime

import duckdb
import pyarrow as pa
import pytest
from support.dbt_project import DEFAULT_AS_OF, DbtHome
from support.spark import storage_types

from agent_threads import paths
from agent_threads.landing import files as landing
from agent_threads.landing import spark as landing_on_spark
from agent_threads.landing.duckdb import state_of
from agent_threads.projection import spark as projection_on_spark
from agent_threads.settle import spark as settle_on_spark
from agent_threads.spark_frames import is_spark_session

pytestmark = [pytest.mark.real_fixtures, pytest.mark.dbt, pytest.mark.slow]

LOADED_AT = datetime(2026, 11, 1, 9, 30, tzinfo=UTC)
SAMPLE_LOGS = paths.SAMPLE_LOGS_DIR


def arrow(home: DbtHome, relation: str) -> pa.Table:
    qualified = home.relation(relation)
    with duckdb.connect(str(home.db_path), read_only=True) as con:
        return storage_types(con.sql(f"select * from {qualified}").to_arrow_table())


def frame(spark, home: DbtHome, relation: str):
    return spark.createDataFrame(arrow(home, relation))


def sorted_rows(table: pa.Table, key: tuple[str, ...]) -> list[dict]:
    return sorted(table.to_pylist(), key=lambda row: tuple(row[k] for k in key))


def column_types(table: pa.Table) -> list[tuple[str, str]]:
    """Names and types, nullability and the spelling of the UTC zone aside."""
    return [
        (f.name, "timestamp[us, UTC]" if pa.types.is_timestamp(f.type) else str(f.type))
        for f in table.schema
    ]


def project_on_spark(spark, home: DbtHome, previous: str | None = None) -> pa.Table:
    return projection_on_spark.project_changed_sessions(
        spark,
        revisions=frame(spark, home, "int_session_revisions"),
        claude_lines=frame(spark, home, "stg_claude_code__lines"),
        codex_lines=frame(spark, home, "stg_codex__lines"),
        copy_owners=frame(spark, home, "int_claude_code__copy_owners"),
        fork_baselines=frame(spark, home, "int_codex__fork_baselines"),
        sql_projected=[
            frame(spark, home, "int_copilot_cli__messages"),
            frame(spark, home, "int_gemini_cli__messages"),
        ],
        previous=previous,
    ).toArrow()


def test_projection_on_spark_gives_the_duckdb_rows(spark, real_copies_build: DbtHome) -> None:
    got = project_on_spark(spark, real_copies_build)
    want = arrow(real_copies_build, "int_messages_projected")
    assert want.num_rows > 2000
    assert column_types(got) == column_types(want)
    assert sorted_rows(got, ("message_id",)) == sorted_rows(want, ("message_id",))


def test_projection_on_spark_redoes_only_changed_sessions(
    spark, real_copies_build: DbtHome
) -> None:
    """Against the model's previous table, only a session whose revision moved is projected."""
    want = arrow(real_copies_build, "int_messages_projected")
    changed = sorted(set(want.column("session_id").to_pylist()))[0]
    revision = pa.compute.if_else(
        pa.compute.equal(want.column("session_id"), changed),
        "an older revision",
        want.column("session_revision"),
    )
    previous = want.set_column(
        want.schema.get_field_index("session_revision"), "session_revision", revision
    )
    spark.createDataFrame(previous).createOrReplaceTempView("previous_projection")
    got = project_on_spark(spark, real_copies_build, previous="previous_projection")
    assert set(got.column("session_id").to_pylist()) == {changed}
    only_changed = want.filter(pa.compute.equal(want.column("session_id"), changed))
    assert sorted_rows(got, ("message_id",)) == sorted_rows(only_changed, ("message_id",))


def test_settle_on_spark_gives_the_duckdb_rows(spark, real_copies_build: DbtHome) -> None:
    as_of = datetime.fromisoformat(DEFAULT_AS_OF)
    got = settle_on_spark.settle(
        spark, frame(spark, real_copies_build, "int_session_revisions"), as_of, 60.0
    ).toArrow()
    want = arrow(real_copies_build, "int_sessions_settled")
    assert column_types(got) == column_types(want)
    assert sorted_rows(got, ("session_id",)) == sorted_rows(want, ("session_id",))


@pytest.mark.parametrize("source", ["claude_code", "codex"])
def test_landing_on_spark_gives_the_duckdb_rows(
    spark, real_copies_build: DbtHome, source: str
) -> None:
    roots = (
        real_copies_build.claude_roots if source == "claude_code" else real_copies_build.codex_roots
    )
    want = landing.landing_reader(source, roots, None, "load-1", LOADED_AT).read_all()
    got = landing_on_spark.land_new_lines(spark, source, roots, None, "load-1", LOADED_AT).toArrow()
    assert want.num_rows > 1000
    assert [f.name for f in got.schema] == [f.name for f in want.schema]
    key = ("source_file", "source_line")
    assert sorted_rows(got, key) == sorted_rows(want, key)

    # incremental: against a table that already holds every line, nothing is landed again
    spark.createDataFrame(want).createOrReplaceTempView(f"landed_{source}")
    again = landing_on_spark.land_new_lines(
        spark, source, roots, f"landed_{source}", "load-2", LOADED_AT
    )
    assert again.count() == 0


def test_a_duckdb_connection_takes_the_duckdb_branch() -> None:
    """The models pick their branch without importing pyspark for DuckDB users."""
    with duckdb.connect() as con:
        assert not is_spark_session(con)


def test_a_spark_session_takes_the_spark_branch(spark) -> None:
    assert is_spark_session(spark)


@pytest.mark.parametrize("source", ["claude_code", "codex"])
def test_file_life_on_spark_gives_the_duckdb_rows(spark, tmp_path, source: str) -> None:
    """After a deletion, a truncation, an append and moves, Spark lands DuckDB's rows.

    Both branches start from the same landed table; the new rows hold state rows
    (``source_line = 0``: deleted, rewritten, moved) and the lines landed after them.
    """
    root = tmp_path / source
    shutil.copytree(SAMPLE_LOGS / ("claude" if source == "claude_code" else "codex"), root)
    first = landing.landing_reader(source, [root], None, "load-1", LOADED_AT).read_all()
    # the session files (a subagent's file moved out of its session's folder is no
    # transcript any more: a deletion)
    files = sorted(
        p
        for p in root.rglob("*.jsonl")
        if p.name not in {"history.jsonl", "session_index.jsonl"}
        and not p.name.startswith("agent-")
    )
    assert len(files) >= 5
    files[0].unlink()  # the 30-day cleanup
    data = files[1].read_bytes()
    files[1].write_bytes(data[: len(data) // 2])  # truncated, its last line half written
    data = files[2].read_bytes()
    files[2].write_bytes(data + data.splitlines(keepends=True)[0])  # a line appended
    moved = root / ("projects/-home-dev-moved" if source == "claude_code" else "archived_sessions")
    moved.mkdir(exist_ok=True)
    files[3].rename(moved / files[3].name)
    for copy in ("copy-a", "copy-b"):  # copied twice, then deleted: one copy is the move
        folder = files[4].parent.parent / f"{files[4].parent.name}-{copy}"
        folder.mkdir()
        shutil.copy2(files[4], folder / files[4].name)
    files[4].unlink()

    with duckdb.connect() as con:
        con.register("first_landing", first)
        con.sql("create table landed as select * from first_landing")
        state = state_of(con, "landed")
    report = landing.LoadReport(roots_missing=[])
    want = landing.landing_reader(source, [root], state, "load-2", LOADED_AT, report).read_all()
    spark.createDataFrame(first).createOrReplaceTempView(f"life_{source}")
    got = landing_on_spark.land_new_lines(
        spark, source, [root], f"life_{source}", "load-2", LOADED_AT
    )
    got = got.toArrow()

    changes = (report.files_deleted, report.files_rewritten, report.files_moved)
    assert changes == (1, 1, 2)
    states = [row for row in want.to_pylist() if row["source_line"] == 0]
    assert states and want.num_rows > len(states)  # state rows, and lines landed after them
    assert [f.name for f in got.schema] == [f.name for f in want.schema]
    got_rows, want_rows = sorted(got.to_pylist(), key=repr), sorted(want.to_pylist(), key=repr)
    assert got_rows == want_rows
