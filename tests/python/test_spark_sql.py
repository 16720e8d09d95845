"""The SQL models on open-source Spark (dbt-spark, method session, in a local JVM).

``dbt build --target spark`` on the real fixtures builds every SQL model that reads no
Python model (staging reads the raw files itself there) and runs their tests. Then the
Python models' Spark branches write their tables (``agent_threads.spark.run_python_models``)
and a second build, with ``spark_python_tables``, builds the models that read them. Every
model gives the rows of the DuckDB build of the same files: staging exactly, the rest
apart from what is engine-specific by design (the revision digest, landing times).
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pyarrow as pa
import pytest
from support.dbt_project import DEFAULT_AS_OF, DbtHome
from support.spark import dbt_in_process, storage_types

from agent_threads import spark as on_spark

pytestmark = [pytest.mark.real_fixtures, pytest.mark.dbt, pytest.mark.slow]

SPARK_MODELS = {
    "base_claude_code__lines",
    "stg_claude_code__lines",
    "base_codex__lines",
    "stg_codex__threads",
    "stg_codex__lines",
    "int_claude_code__copy_owners",
    "int_codex__fork_baselines",
    "int_session_revisions",
    "int_threads_described",
    "line_types",
    "rejected_lines",
    "stg_codex__session_index",
    "stg_claude_code__rejected_lines",
    "stg_codex__rejected_lines",
    "base_copilot_cli__lines",
    "stg_copilot_cli__lines",
    "stg_copilot_cli__rejected_lines",
    "int_copilot_cli__messages",
    "base_gemini_cli__lines",
    "stg_gemini_cli__threads",
    "stg_gemini_cli__lines",
    "stg_gemini_cli__rejected_lines",
    "int_gemini_cli__messages",
}
# columns that differ between engines by design: landing times (on Spark without a landing
# cache, a file's modification time), and what derives from them or from each engine's hash
ENGINE_SPECIFIC = {
    # a DuckDB version id ends in its landing run's token; Spark reads every file whole
    "file_fingerprint",
    "load_id",
    "loaded_at",
    "session_revision",
    "first_loaded_at",
    "last_loaded_at",
    "first_seen_at",
    "last_seen_at",
}
# a session whose lines carry no timestamp settles on its landing time (see above)
SETTLE_TIMES = {"first_activity_at", "last_activity_at", "settles_at"}
# models that read the Python models' tables, built by the second build
DOWNSTREAM_MODELS = {
    "int_session_titles",  # its first_prompt titles read int_messages_projected
    "int_tool_calls_paired",
    "messages_v6",
    "messages_v5",
    "threads",
    "sessions",
    "tool_calls",
    "turns",
}


# `warn`: the format-drift report names line types of the real fixtures the projection
# does not list (a warn-only test, as on DuckDB)
OK = ("success", "pass", "warn")


@dataclass
class SparkBuild:
    duckdb: DbtHome
    results: dict[str, str]
    output: str


def spark_dbt(base: Path, home: DbtHome, *args: str, **variables) -> tuple[dict[str, str], str]:
    env = {
        "CLAUDE_ROOTS": os.pathsep.join(str(r) for r in home.claude_roots),
        "CODEX_ROOTS": os.pathsep.join(str(r) for r in home.codex_roots),
        "COPILOT_ROOTS": os.pathsep.join(str(r) for r in home.copilot_roots or []),
        "GEMINI_ROOTS": os.pathsep.join(str(r) for r in home.gemini_roots or []),
        "AGENT_THREADS_SPARK_DIR": str(base),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    }
    result = dbt_in_process(
        [
            *args,
            "--target",
            "spark",
            "--target-path",
            str(base / "target"),
            "--log-path",
            str(base / "logs"),
            "--vars",
            json.dumps({"as_of": DEFAULT_AS_OF, **variables}),
        ],
        env,
    )
    assert result.exception is None, result.exception
    results = {
        r.node.name + (f"_v{r.node.version}" if getattr(r.node, "version", None) else ""): str(
            r.status
        )
        for r in result.result.results
    }
    return results, (base / "logs" / "dbt.log").read_text(errors="replace")


@pytest.fixture(scope="session")
def spark_build(spark, real_copies_build: DbtHome, tmp_path_factory) -> SparkBuild:
    base: Path = tmp_path_factory.mktemp("spark_build")
    results, log = spark_dbt(base, real_copies_build, "build")
    first = SparkBuild(real_copies_build, results, log)
    if any(status not in OK for status in results.values()):
        return first  # the first test reports it
    # the Python models' work, by their Spark branches, then the models that read it
    on_spark.run_python_models(spark, as_of=datetime.fromisoformat(DEFAULT_AS_OF))
    more, log = spark_dbt(
        base,
        real_copies_build,
        "build",
        "--select",
        "int_messages_projected+",
        "int_sessions_settled+",
        "--exclude",
        "int_messages_projected",
        "int_sessions_settled",
        spark_python_tables=True,
    )
    return SparkBuild(real_copies_build, {**results, **more}, log)


def spark_rows(spark, relation: str) -> pa.Table:
    return spark.table(f"agent_threads.{relation}").toArrow()


def duckdb_rows(home: DbtHome, relation: str) -> pa.Table:
    import duckdb

    qualified = home.relation(relation)
    with duckdb.connect(str(home.db_path), read_only=True) as con:
        return storage_types(con.sql(f"select * from {qualified}").to_arrow_table())


def comparable(table: pa.Table, also_skip: frozenset[str] = frozenset()) -> list[tuple]:
    keep = [name for name in table.column_names if name not in ENGINE_SPECIFIC | also_skip]
    return sorted(
        (tuple(row[name] for name in keep) for row in table.select(keep).to_pylist()), key=repr
    )


def test_every_spark_sql_model_and_its_tests_pass(spark_build: SparkBuild) -> None:
    failed = {name: status for name, status in spark_build.results.items() if status not in OK}
    assert failed == {}, spark_build.output[-6000:]
    assert set(spark_build.results) >= SPARK_MODELS | DOWNSTREAM_MODELS
    # the Python models are never run by dbt-spark (their Spark branches wrote the tables)
    assert "int_messages_projected" not in spark_build.results
    assert "land_claude_code__lines" not in spark_build.results


@pytest.mark.parametrize(
    "model",
    ["stg_claude_code__lines", "stg_codex__lines", "base_claude_code__lines", "base_codex__lines"],
)
def test_staging_rows_equal_duckdb(spark, spark_build: SparkBuild, model: str) -> None:
    got = spark_rows(spark, model)
    want = duckdb_rows(spark_build.duckdb, model)
    assert got.column_names == want.column_names
    assert want.num_rows > 1000
    assert comparable(got) == comparable(want)


@pytest.mark.parametrize(
    "model",
    [
        "stg_codex__threads",
        "int_claude_code__copy_owners",
        "int_codex__fork_baselines",
        "int_session_revisions",
        "int_threads_described",
        "line_types",
        "rejected_lines",
        "stg_codex__session_index",
        "stg_claude_code__rejected_lines",
        "stg_codex__rejected_lines",
    ],
)
def test_sql_models_equal_duckdb(spark, spark_build: SparkBuild, model: str) -> None:
    got = spark_rows(spark, model)
    want = duckdb_rows(spark_build.duckdb, model)
    assert got.column_names == want.column_names
    assert comparable(got) == comparable(want)


@pytest.mark.parametrize(
    "model",
    ["int_messages_projected", "int_sessions_settled", *sorted(DOWNSTREAM_MODELS)],
)
def test_models_after_the_python_steps_equal_duckdb(
    spark, spark_build: SparkBuild, model: str
) -> None:
    relation = "messages" if model == "messages_v6" else model
    got = spark_rows(spark, relation)
    want = duckdb_rows(spark_build.duckdb, relation)
    assert got.column_names == want.column_names
    assert want.num_rows > 0
    skip = frozenset(SETTLE_TIMES if model in ("int_sessions_settled", "sessions") else ())
    assert comparable(got, skip) == comparable(want, skip)


def test_a_half_written_line_is_rejected_on_both_engines(spark, spark_build: SparkBuild) -> None:
    """A line cut inside the string of a field the schema does not name: Spark's from_json
    parses it without complaint, so the Spark parse must also be strict (macro
    spark__parse_json_object). The rejected rows of both engines are compared above."""
    want = duckdb_rows(spark_build.duckdb, "rejected_lines")
    got = spark_rows(spark, "rejected_lines")
    cut = [(r["source_line"], r["reject_reason"]) for r in want.to_pylist()]
    assert (1, "not valid JSON") in cut
    assert sorted((r["source_line"], r["reject_reason"]) for r in got.to_pylist()) == sorted(cut)
