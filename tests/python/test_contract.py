"""Each contract rule has one definition per language, and the definitions agree."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pytest
import yaml
from support.dbt_project import REPO

from agent_threads import SCHEMA_VERSION, contract, settle

DBT = Path(sys.executable).with_name("dbt")


def test_the_schema_version_is_the_messages_models_latest_version() -> None:
    models = yaml.safe_load((REPO / "models" / "marts" / "_marts__models.yml").read_text())
    (messages,) = [m for m in models["models"] if m["name"] == "messages"]
    assert messages["latest_version"] == SCHEMA_VERSION == contract.SCHEMA_VERSION


def test_the_settle_default_is_the_dbt_vars_default() -> None:
    project = yaml.safe_load((REPO / "dbt_project.yml").read_text())
    assert project["vars"]["settle_after_minutes"] == contract.DEFAULT_SETTLE_AFTER_MINUTES


IDS = [
    "7a969578-c9e5-4afc-b8f3-a5e7c36be950",
    "a1e3f40c",
    "agent:x.y_z-1",
    "x" * 200,
    "x" * 201,
    "",
    "../../etc",
    "a/b",
    "a b",
    "abc\n",
    "é",
    "sidechain-7a969578",
]


def test_the_sql_id_rule_agrees_with_the_python_one(tmp_path: Path) -> None:
    values = ", ".join("('" + value.replace("'", "''") + "')" for value in IDS)
    inline = (
        f"select id, {{{{ agent_threads.is_valid_id('id') }}}} as ok"
        f" from (values {values}) as ids (id)"
    )
    env = {**os.environ, "AGENT_THREADS_DB": str(tmp_path / "db.duckdb")}
    env.update(DBT_PROFILES_DIR=str(REPO), DBT_PROJECT_DIR=str(REPO))
    done = subprocess.run(
        [str(DBT), "compile", "--quiet", "--inline", inline],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    sql = done.stdout[done.stdout.index("select id") :]
    from_sql = dict(duckdb.sql(sql).fetchall())
    assert from_sql == {value: contract.is_valid_id(value) for value in IDS}
    assert sum(from_sql.values()) == 5  # both accept and reject


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-01-01T00:00", datetime(2026, 1, 1, tzinfo=UTC)),
        ("2026-01-01T02:00:00+02:00", datetime(2026, 1, 1, tzinfo=UTC)),
    ],
)
def test_as_of_without_a_zone_is_utc(text: str, expected: datetime) -> None:
    assert settle.parse_as_of(text) == expected
    assert settle.parse_as_of("").tzinfo is not None


def test_the_spark_cli_takes_a_naive_as_of(monkeypatch: pytest.MonkeyPatch) -> None:
    """`python -m agent_threads.spark --as-of 2026-01-01T00:00` (a known bug): read as UTC."""
    pytest.importorskip("pyspark")
    from agent_threads import spark

    seen = {}
    monkeypatch.setattr(spark, "run_python_models", lambda _s, _n, as_of, _m: seen.update(a=as_of))
    monkeypatch.setattr("pyspark.sql.SparkSession.Builder.getOrCreate", lambda builder: "a session")
    spark.main(["--as-of", "2026-01-01T00:00"])
    assert seen["a"] == datetime(2026, 1, 1, tzinfo=UTC)


def test_every_var_the_project_reads_is_declared_with_its_default() -> None:
    """`dbt_project.yml` declares each var a model, macro or analysis reads, and the
    default a `var('name', default)` call repeats is the declared one."""
    import re

    declared = yaml.safe_load((REPO / "dbt_project.yml").read_text())["vars"]
    calls = re.compile(r"var\(\s*'([a-z_]+)'\s*(?:,\s*([^)]*?))?\s*\)")
    used: dict[str, set[str]] = {}
    for folder in ("models", "macros", "analyses"):
        for path in (REPO / folder).rglob("*"):
            if path.suffix in {".sql", ".yml", ".py"}:
                for name, default in calls.findall(path.read_text()):
                    used.setdefault(name, set()).add(default)
    assert used and set(used) <= set(declared), sorted(set(used) - set(declared))
    for name, defaults in used.items():
        for default in defaults - {""}:
            assert yaml.safe_load(default) == declared[name], (name, default)


def test_every_macro_is_documented_in_macros_yml() -> None:
    """`macros/_macros.yml` lists each macro (the adapter variants aside), described."""
    import re

    documented = {
        m["name"]: m.get("description", "")
        for m in yaml.safe_load((REPO / "macros" / "_macros.yml").read_text())["macros"]
    }
    defined = {
        name
        for path in (REPO / "macros").glob("*.sql")
        for name in re.findall(r"\{%-?\s*macro\s+([a-z_]+)\s*\(", path.read_text())
        if not re.match(r"(default|spark|databricks|duckdb)__", name)
    }
    assert defined and set(documented) == defined, set(documented) ^ defined
    assert all(len(text) > 20 for text in documented.values())


ARROW_TO_SQL = {"string": "varchar", "int64": "bigint", "bool": "boolean"}


def test_the_arrow_schema_and_the_messages_contract_agree() -> None:
    """The projection's Arrow schema (``MESSAGES_SCHEMA``) and the published `messages`
    contract (YAML) give each column they share one type and one nullability."""
    from agent_threads.projection.schema import MESSAGES_SCHEMA

    models = yaml.safe_load((REPO / "models" / "marts" / "_marts__models.yml").read_text())
    (messages,) = [m for m in models["models"] if m["name"] == "messages"]
    contract_columns = {c["name"]: c for c in messages["columns"]}
    shared = [f for f in MESSAGES_SCHEMA if f.name in contract_columns]
    assert len(shared) == len(MESSAGES_SCHEMA), [
        f.name for f in MESSAGES_SCHEMA if f.name not in contract_columns
    ]
    for field in shared:
        column = contract_columns[field.name]
        sql_type = (
            "timestamp with time zone"
            if str(field.type).startswith("timestamp")
            else ARROW_TO_SQL[str(field.type)]
        )
        assert column["data_type"].lower() == sql_type, field.name
        tests = [t if isinstance(t, str) else next(iter(t)) for t in column.get("data_tests", [])]
        constraints = [c["type"] for c in column.get("constraints", [])]
        assert ("not_null" in tests or "not_null" in constraints) == (not field.nullable), (
            field.name
        )
