"""The published dataset: incremental publication, the v5 -> v6 migration, the Parquet export.

Real dbt runs on copies of the bundled sample logs (files are appended to and deleted).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import duckdb
import pyarrow.dataset as ds
import pytest
from support.dbt_project import REPO, DbtHome

SAMPLE = REPO / "sample_logs"
# a settled 2.1.x Claude Code session of the sample
RESUMED_SESSION = "7a969578-c9e5-4afc-b8f3-a5e7c36be950"
COMPARED_TABLES = ("messages", "threads", "sessions", "tool_calls", "turns", "rejected_lines")


def sample_copy(base: Path) -> tuple[list[Path], list[Path]]:
    """A private copy of the sample logs (tests change files)."""
    target = base / "logs"
    shutil.copytree(SAMPLE, target)
    return [target / "claude" / "projects"], [target / "codex"]


def home_on_copy(base: Path, **kwargs) -> DbtHome:
    claude, codex = sample_copy(base)
    return DbtHome(base, claude_roots=claude, codex_roots=codex, **kwargs)


def rows(home: DbtHome, table: str) -> list[tuple]:
    """All rows of a mart with the columns that name the run's own paths left out."""
    with duckdb.connect(str(home.db_path), read_only=True) as con:
        columns = [
            c
            for (c,) in con.sql(
                "select column_name from duckdb_columns() "
                f"where table_name = '{table}' and schema_name = 'main'"
            ).fetchall()
            if c
            not in {
                "source_file",
                "source_root",
                "session_revision",
                "loaded_at",
                "as_of",
                "rejected_line_id",
            }
        ]
        return sorted(
            con.sql(f"select {', '.join(columns)} from {table}").fetchall(),
            key=repr,
        )


def partition_files(home: DbtHome) -> dict[str, tuple[int, int]]:
    """Every Parquet file of the v6 root with its (inode, mtime_ns)."""
    root = home.dataset_dir / "v6"
    return {
        str(p.relative_to(root)): (p.stat().st_ino, p.stat().st_mtime_ns)
        for p in sorted(root.rglob("*.parquet"))
    }


def session_file(home: DbtHome, session_id: str) -> Path:
    return Path(
        home.scalar(
            "select any_value(source_file) from staging.stg_claude_code__lines "
            f"where session_id = '{session_id}' and agent_id is null"
        )
    )


def test_v5_table_stops_incremental_run_and_full_refresh_migrates(tmp_path: Path) -> None:
    clean = home_on_copy(tmp_path / "clean")
    clean.build()

    legacy = home_on_copy(tmp_path / "legacy")
    with duckdb.connect(str(legacy.db_path)) as con:  # what a v5 deployment left behind
        con.execute(
            "create table messages (message_id varchar, conversation_id varchar, "
            "agent_id varchar, role varchar, text varchar, schema_version integer)"
        )
        con.execute("insert into messages values ('m1', 'c1', null, 'user', 'hi', 5)")
        con.execute("comment on table messages is 'agent_threads schema_version=5'")

    failed = legacy.build(check=False)
    assert failed.returncode != 0
    assert "schema v5" in failed.output and "schema v6" in failed.output
    assert "dbt build --full-refresh" in failed.output
    with duckdb.connect(str(legacy.db_path), read_only=True) as con:
        assert con.sql("select count(*) from messages").fetchall() == [(1,)]  # untouched
        assert not con.sql(
            "select * from duckdb_tables() where table_name like 'land_%'"
        ).fetchall()  # stopped before any model ran

    legacy.build("--full-refresh")
    for table in COMPARED_TABLES:
        assert rows(legacy, table) == rows(clean, table), table
    assert (
        legacy.scalar("select comment from duckdb_tables() where table_name = 'messages'")
        == "agent_threads schema_version=6"
    )
    # an unstamped table without session_id is a v5 table too
    with duckdb.connect(str(legacy.db_path)) as con:
        con.execute("drop view messages_v5")
        con.execute("drop table messages")
        con.execute("create table messages (message_id varchar, conversation_id varchar)")
    assert "schema v5" in legacy.build(check=False).output


def test_appended_session_is_republished_whole_and_nothing_else_is_rewritten(
    tmp_path: Path,
) -> None:
    home = home_on_copy(tmp_path)
    home.build()
    before_rows = home.scalar(
        f"select count(*) from messages where session_id = '{RESUMED_SESSION}'"
    )
    before_files = partition_files(home)
    path = session_file(home, RESUMED_SESSION)
    last = json.loads(path.read_text().splitlines()[-2])
    new_line = {
        **{k: last[k] for k in ("cwd", "sessionId", "version", "gitBranch") if k in last},
        "parentUuid": last.get("uuid"),
        "isSidechain": False,
        "userType": "external",
        "type": "user",
        "message": {"role": "user", "content": "one more thing: also update the changelog"},
        "uuid": "0f2d7e9c-1b5a-4c3e-9a8b-7c6d5e4f3a2b",
        "timestamp": "2026-09-30T12:00:00.000Z",
    }
    with open(path, "a") as handle:
        handle.write(json.dumps(new_line, separators=(",", ":")) + "\n")

    result = home.build()
    assert "claude_code: 14 files seen, 1 read (0 rewritten," in result.output
    assert "1 lines landed" in result.output
    after_rows = home.scalar(
        f"select count(*) from messages where session_id = '{RESUMED_SESSION}'"
    )
    assert after_rows == before_rows + 1
    assert home.scalar("select count(*) - count(distinct message_id) from messages") == 0
    after_files = partition_files(home)
    changed = {k for k in after_files if after_files[k] != before_files.get(k)}
    assert changed == {f"session_id={RESUMED_SESSION}/part-0.parquet"}
    table = ds.dataset(
        home.dataset_dir / "v6" / f"session_id={RESUMED_SESSION}", format="parquet"
    ).to_table()
    assert table.num_rows == after_rows


def test_deleted_source_file_keeps_its_session_through_full_refresh(tmp_path: Path) -> None:
    home = home_on_copy(tmp_path)
    home.build()
    count = home.scalar(f"select count(*) from messages where session_id = '{RESUMED_SESSION}'")
    session_file(home, RESUMED_SESSION).unlink()
    home.build()
    home.build("--full-refresh")
    assert (
        home.scalar(f"select count(*) from messages where session_id = '{RESUMED_SESSION}'")
        == count
    )
    assert (home.dataset_dir / "v6" / f"session_id={RESUMED_SESSION}" / "part-0.parquet").exists()


def test_two_builds_in_a_row_give_identical_tables_and_files(tmp_path: Path) -> None:
    home = home_on_copy(tmp_path)
    home.build()
    first = {t: rows(home, t) for t in COMPARED_TABLES}
    files = partition_files(home)
    home.build()
    assert {t: rows(home, t) for t in COMPARED_TABLES} == first
    assert partition_files(home) == files


def test_one_new_session_reads_only_its_lines(tmp_path: Path) -> None:
    home = home_on_copy(tmp_path)
    (source,) = home.claude_roots[0].glob(f"*/{RESUMED_SESSION}.jsonl")
    moved = tmp_path / "held_back.jsonl"
    shutil.move(source, moved)
    home.build()
    loads = home.scalar("select count(distinct load_id) from landing.land_claude_code__lines")
    shutil.move(moved, source)
    result = home.build()
    new_lines = len([ln for ln in source.read_text().splitlines() if ln.strip()])
    assert (
        "1 read (0 rewritten, 0 moved, 0 deleted, 0 unreadable), "
        f"{source.stat().st_size} bytes read" in result.output
    )
    assert (
        home.scalar(
            "select count(*) from landing.land_claude_code__lines where load_id = ("
            "select arg_max(load_id, loaded_at) from landing.land_claude_code__lines)"
        )
        == new_lines
    )
    assert (
        home.scalar("select count(distinct load_id) from landing.land_claude_code__lines")
        == loads + 1
    )


def test_messages_v5_keeps_the_old_meaning(sample_build: DbtHome) -> None:
    columns = {
        c
        for (c,) in sample_build.query(
            "select column_name from duckdb_columns() where table_name = 'messages_v5'"
        )
    }
    assert "session_id" not in columns and "thread_id" not in columns
    mismatched = sample_build.scalar(
        "select count(*) from messages_v5 as old join messages as new using (message_id) "
        "where old.conversation_id != coalesce(new.conversation_id, new.session_id)"
    )
    assert mismatched == 0
    assert (
        sample_build.scalar(
            "select count(*) from messages_v5 where source = 'claude_code' "
            "and conversation_id is null"
        )
        == 0
    )


def test_parquet_dataset_is_hive_partitioned_beside_its_manifest(sample_build: DbtHome) -> None:
    root = sample_build.dataset_dir
    manifest = json.loads((root / "manifest.json").read_text())
    assert manifest["schema_version"] == 6 and manifest["dataset_layout"] == "session"
    assert sorted(p.name for p in root.iterdir()) == ["manifest.json", "v6"]
    dataset = ds.dataset(root / "v6", format="parquet", partitioning="hive")
    table = dataset.to_table()
    assert (
        table.num_rows == manifest["rows"] == sample_build.scalar("select count(*) from messages")
    )
    assert not list(root.rglob("*.tmp-writing"))


@pytest.mark.parametrize("layout", ["bucketed"])
def test_bucketed_layout_holds_the_same_rows(tmp_path: Path, layout: str) -> None:
    home = DbtHome(tmp_path, extra_vars={"dataset_layout": layout, "dataset_buckets": 4})
    home.build()
    dirs = sorted(p.name for p in (home.dataset_dir / "v6").iterdir())
    assert dirs and all(d.startswith("session_bucket=") for d in dirs) and len(dirs) <= 4
    table = ds.dataset(home.dataset_dir / "v6", format="parquet", partitioning="hive").to_table()
    assert table.num_rows == home.scalar("select count(*) from messages")
    assert table.column("session_id").null_count == 0
