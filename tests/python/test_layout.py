"""Where relations live: users see in `main` only the README's tables (issue #17).

The layers below the marts have a schema each on DuckDB (`landing`, `staging`,
`intermediate`, `seeds`; macros/schemas.sql). A database built before that holds every
relation in `main`: its next run moves the tables out, keeping the landing cache and the
incremental tables' rows, and drops the old views.
"""

from __future__ import annotations

import re

import duckdb
import pytest
from support.dbt_project import REPO, DbtHome
from test_published_dataset import COMPARED_TABLES, home_on_copy, rows

from agent_threads import build

pytestmark = pytest.mark.dbt

LAYER_SCHEMAS = ("landing", "staging", "intermediate", "seeds")


def readme_tables() -> set[str]:
    """The relations the README's "Tables" section lists."""
    text = (REPO / "README.md").read_text()
    section = text.split("\n## Tables\n", 1)[1].split("\n## ", 1)[0]
    return set(re.findall(r"^\| `([a-z0-9_]+)` \|", section, re.MULTILINE))


def relations_by_schema(home: DbtHome) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for schema, name in home.query(
        "select table_schema, table_name from information_schema.tables"
        " where table_catalog = current_database()"
    ):
        found.setdefault(schema, set()).add(name)
    return found


def landing_fingerprint(con: duckdb.DuckDBPyConnection, table: str) -> tuple:
    return con.sql(f"select count(*), sum(hash(columns(*))) from {table}").fetchall()[0]


def test_main_holds_exactly_the_readme_tables(sample_build: DbtHome) -> None:
    layout = relations_by_schema(sample_build)
    assert layout["main"] == readme_tables()
    assert {"land_claude_code__lines", "land_codex__lines"} <= layout["landing"]
    assert {"stg_claude_code__lines", "stg_codex__threads"} <= layout["staging"]
    assert {"int_messages_projected", "int_sessions_settled"} <= layout["intermediate"]
    assert layout["seeds"] == {"known_line_types", "model_prices"}


def to_layout_before_schemas(home: DbtHome) -> dict[str, tuple]:
    """Rewrite a database as a build before the schemas left it: every relation in main.

    Tables move to main with their rows; views are dropped from their schema and stand
    in main as views (their text does not matter: the next run drops them), beside one
    helper view the Python models used to leave there. Returns each table's fingerprint.
    """
    before = {}
    with duckdb.connect(str(home.db_path)) as con:
        relations = con.sql(
            "select table_schema, table_name, table_type from information_schema.tables"
            f" where table_schema in {LAYER_SCHEMAS}"
        ).fetchall()
        for schema, name, kind in relations:
            if kind == "VIEW":
                con.execute(f"drop view {schema}.{name}")
                con.execute(f"create view main.{name} as select 1 as stand_in")
            else:
                before[name] = landing_fingerprint(con, f"{schema}.{name}")
                con.execute(f"create table main.{name} as select * from {schema}.{name}")
                con.execute(f"drop table {schema}.{name}")
        con.execute("create view main.at_revisions as select 1 as stand_in")
        for schema in LAYER_SCHEMAS:
            con.execute(f"drop schema {schema}")
    return before


def test_a_database_from_before_the_schemas_moves_out_of_main_and_keeps_its_cache(
    tmp_path,
) -> None:
    home = home_on_copy(tmp_path)
    home.build()
    marts = {table: rows(home, table) for table in COMPARED_TABLES}
    tables = to_layout_before_schemas(home)
    assert relations_by_schema(home).keys() == {"main"}
    with duckdb.connect(str(home.db_path), read_only=True) as con:
        # `make build` reads the landing cache before dbt runs: found in main too
        assert build._landing_tables(con) == {
            "claude_code": "main.land_claude_code__lines",
            "codex": "main.land_codex__lines",
            "copilot_cli": "main.land_copilot_cli__lines",
            "gemini_cli": "main.land_gemini_cli__lines",
        }

    output = home.build().output

    assert "moving main.land_claude_code__lines to landing.land_claude_code__lines" in output
    layout = relations_by_schema(home)
    assert layout["main"] == readme_tables()
    with duckdb.connect(str(home.db_path), read_only=True) as con:
        for name, fingerprint in tables.items():
            schema = next(s for s in LAYER_SCHEMAS if name in layout.get(s, set()))
            if schema == "landing":  # the cache: every row kept, none landed again
                assert landing_fingerprint(con, f"landing.{name}") == fingerprint, name
        assert build._landing_tables(con) == build.LANDING_TABLES
    assert "14 files seen, 0 read" in output and "17 files seen, 0 read" in output
    assert {table: rows(home, table) for table in COMPARED_TABLES} == marts


def test_base_models_sit_under_base_and_only_their_sources_stg_models_read_them() -> None:
    models = REPO / "models"
    base_files = sorted(models.glob("**/base_*.sql"))
    assert base_files, "no base_ model found"
    for path in base_files:
        source = path.stem.removeprefix("base_").split("__")[0]
        assert path.parent == models / "staging" / source / "base", path
    readers: dict[str, set[str]] = {}
    for path in models.glob("**/*.sql"):
        for base in re.findall(r"ref\('(base_[a-z_]+)'\)", path.read_text()):
            readers.setdefault(base, set()).add(path.relative_to(models).as_posix())
    for base, read_by in readers.items():
        source = base.removeprefix("base_").split("__")[0]
        for reader in read_by:
            assert re.fullmatch(rf"staging/{source}/stg_{source}__[a-z_]+\.sql", reader), (
                f"{base} is read by {reader}: other layers read a stg_ model"
            )


def test_a_table_from_before_its_model_was_incremental_by_session_is_rebuilt_whole(
    tmp_path,
) -> None:
    home = home_on_copy(tmp_path)
    home.build()
    marts = {table: rows(home, table) for table in COMPARED_TABLES}
    published = home.scalar("select count(*) from messages")
    # as an earlier release left them: tables without session_revision
    with duckdb.connect(str(home.db_path)) as con:
        for table in ("main.threads", "intermediate.int_threads_described"):
            con.execute(f"alter table {table} drop column session_revision")

    output = home.build().output

    for table in ('"main"."threads"', '"intermediate"."int_threads_described"'):
        assert f"rebuilding {table}" in output.replace('"agent_threads".', ""), output[-3000:]
    assert output.count("rebuilding ") == 2  # nothing else: the published messages stay
    assert home.scalar("select count(*) from threads where session_revision is null") == 0
    assert home.scalar("select count(*) from messages") == published  # never dropped
    assert {table: rows(home, table) for table in COMPARED_TABLES} == marts
