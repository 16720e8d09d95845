"""The raw landing reader, without dbt: splitting, holding back, appending, rewrites."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

import pyarrow as pa
import pytest

from agent_threads.landing import files as landing

NOW = datetime(2026, 11, 1, tzinfo=UTC)


def land(source: str, roots: list[Path], state: pa.Table | None = None):
    report = landing.LoadReport(roots_missing=[])
    reader = landing.landing_reader(source, roots, state, "load-1", NOW, report)
    return reader.read_all(), report


def state_of(*tables: pa.Table) -> pa.Table:
    """The state query of the landing model, run over the tables landed so far."""
    import duckdb

    landed = pa.concat_tables(tables)
    con = duckdb.connect()
    con.register("landed", landed)
    return con.sql(landing.state_query("landed")).to_arrow_table()


def write(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def test_lines_are_split_trimmed_and_numbered(tmp_path: Path) -> None:
    write(
        tmp_path / "p" / "s.jsonl",
        b'\xef\xbb\xbf{"a":1}\r\n\n   \n{"b":2}\n{"c":\xff}\n{"d":',
    )
    table, report = land("claude_code", [tmp_path])
    rows = table.to_pylist()
    assert [r["source_line"] for r in rows] == [1, 2, 3, 4, 5]
    assert rows[0]["raw_line"] == '{"a":1}'  # BOM and CRLF gone
    assert [r["is_blank"] for r in rows] == [False, True, True, False, False]
    assert [r["is_valid_utf8"] for r in rows] == [True, True, True, True, False]
    assert rows[3]["byte_offset"] == len(b'\xef\xbb\xbf{"a":1}\r\n\n   \n')
    assert rows[-1]["next_offset"] == len(b'\xef\xbb\xbf{"a":1}\r\n\n   \n{"b":2}\n{"c":\xff}\n')
    # the unterminated last line is held back, not landed and not rejected
    assert all('"d"' not in r["raw_line"] for r in rows)
    assert report.lines_landed == 5


def test_unchanged_file_is_not_opened_and_appended_file_reads_only_new_lines(
    tmp_path: Path,
) -> None:
    path = write(tmp_path / "p" / "s.jsonl", b'{"a":1}\n{"b":2}\n{"half":')
    first, _ = land("claude_code", [tmp_path])
    assert first.num_rows == 2

    # nothing new but the held-back tail: nothing lands
    again, _ = land("claude_code", [tmp_path], state_of(first))
    assert again.num_rows == 0

    with open(path, "ab") as handle:
        handle.write(b'"done"}\n{"c":3}\n')
    second, report = land("claude_code", [tmp_path], state_of(first))
    assert [r["source_line"] for r in second.to_pylist()] == [3, 4]
    assert second.column("raw_line").to_pylist() == ['{"half":"done"}', '{"c":3}']
    assert report.files_rewritten == 0

    both = state_of(first, second)
    untouched, report = land("claude_code", [tmp_path], both)
    assert untouched.num_rows == 0
    assert report.bytes_read == 0  # same size as landed: the file is not opened


def test_rewritten_file_is_landed_again_under_a_new_fingerprint(tmp_path: Path) -> None:
    path = write(tmp_path / "p" / "s.jsonl", b'{"a":1}\n{"b":2}\n')
    first, _ = land("claude_code", [tmp_path])
    write(path, b'{"x":9}\n{"b":2}\n{"c":3}\n')
    second, report = land("claude_code", [tmp_path], state_of(first))
    assert report.files_rewritten == 1
    assert second.column("source_line").to_pylist() == [1, 2, 3]
    assert set(second.column("file_fingerprint").to_pylist()) != set(
        first.column("file_fingerprint").to_pylist()
    )


def test_discovery_follows_the_real_layouts_and_reads_each_file_once(tmp_path: Path) -> None:
    projects = tmp_path / "claude" / "projects"
    write(projects / "-p" / "aaa.jsonl", b"{}\n")
    write(projects / "-p" / "agent-1234abcd.jsonl", b"{}\n")
    write(projects / "-p" / "aaa" / "subagents" / "agent-a1.jsonl", b"{}\n")
    write(projects / "-p" / "aaa" / "subagents" / "agent-a1.meta.json", b'{"agentType":"x"}')
    write(projects / "-p" / "aaa" / "subagents" / "workflows" / "r1" / "journal.jsonl", b"{}\n")
    (projects / "-p" / "dir.jsonl").mkdir()
    os.symlink(projects / "-p", tmp_path / "alias")  # the same files through a symlink

    files, empty = landing.discover_files(
        "claude_code", [tmp_path / "claude", tmp_path / "alias", tmp_path / "missing"]
    )
    names = sorted(Path(f.path).name for f in files)
    assert names == ["aaa.jsonl", "agent-1234abcd.jsonl", "agent-a1.jsonl", "agent-a1.meta.json"]
    assert str(tmp_path / "missing") in empty
    assert str(tmp_path / "alias") in empty  # every file was already found under the first root


def test_codex_discovery_reads_sessions_archived_and_the_session_index(tmp_path: Path) -> None:
    home = tmp_path / "codex"
    write(home / "sessions" / "2026" / "01" / "02" / "rollout-2026-01-02T00-00-00-x.jsonl", b"{}\n")
    write(home / "archived_sessions" / "rollout-2026-01-01T00-00-00-y.jsonl", b"{}\n")
    write(home / "history.jsonl", b"{}\n")  # the prompt history: not landed
    write(home / landing.CODEX_SESSION_INDEX, b"{}\n")  # thread names: landed, at the root
    write(home / "sessions" / landing.CODEX_SESSION_INDEX, b"{}\n")  # not at the root: no
    files, _ = landing.discover_files("codex", [home])
    assert sorted(str(Path(f.path).relative_to(home)) for f in files) == [
        "archived_sessions/rollout-2026-01-01T00-00-00-y.jsonl",
        "session_index.jsonl",
        "sessions/2026/01/02/rollout-2026-01-02T00-00-00-x.jsonl",
    ]
    assert not any(f.is_sidecar for f in files)  # lines, not a whole-file record
    # a folder of rollouts that is no Codex home (no sessions/, archived_sessions/): rollouts
    folder = tmp_path / "copied"
    write(folder / "rollout-2026-01-03T00-00-00-z.jsonl", b"{}\n")
    write(folder / landing.CODEX_SESSION_INDEX, b"{}\n")
    files, _ = landing.discover_files("codex", [folder])
    assert [Path(f.path).name for f in files] == ["rollout-2026-01-03T00-00-00-z.jsonl"]


def test_a_sidecar_is_one_record_and_lands_again_only_when_it_changes(tmp_path: Path) -> None:
    sidecar = write(
        tmp_path / "-p" / "s" / "subagents" / "agent-a1.meta.json", b'{"agentType":"Explore"}'
    )
    first, _ = land("claude_code", [tmp_path])
    assert first.column("raw_line").to_pylist() == ['{"agentType":"Explore"}']
    assert first.column("is_sidecar").to_pylist() == [True]
    same, _ = land("claude_code", [tmp_path], state_of(first))
    assert same.num_rows == 0
    write(sidecar, b'{"agentType":"Plan","description":"longer"}')
    changed, _ = land("claude_code", [tmp_path], state_of(first))
    assert changed.num_rows == 1


@pytest.mark.parametrize("batch_bytes", [8, 64, 1 << 20])
def test_batching_does_not_change_what_lands(tmp_path: Path, batch_bytes: int) -> None:
    for index in range(5):
        write(tmp_path / "p" / f"{index}.jsonl", b"".join(b'{"n":%d}\n' % i for i in range(7)))
    files, _ = landing.discover_files("claude_code", [tmp_path])
    batches = list(landing.land_new_lines(files, {}, "l", NOW, batch_bytes=batch_bytes))
    table = pa.Table.from_batches(batches, schema=landing.LANDED_SCHEMA)
    assert table.num_rows == 35
    assert sorted(set(table.column("source_line").to_pylist())) == list(range(1, 8))


def test_the_landing_logs_through_the_agent_threads_logger(tmp_path: Path, capsys) -> None:
    """Library manners: what the landing says goes through `logging` (agent_threads.*), to
    the standard error of the moment, and a host can silence it."""
    import logging

    write(tmp_path / "projects" / "-p" / "s.jsonl", b'{"type":"summary"}\n')
    land("claude_code", [tmp_path / "projects"])
    said = capsys.readouterr()
    assert "agent_threads landing: claude_code: 1 files seen, 1 read" in said.err
    assert said.out == ""
    package = logging.getLogger("agent_threads")
    package.setLevel(logging.WARNING)
    try:
        land("claude_code", [tmp_path / "projects"])
    finally:
        package.setLevel(logging.INFO)
    assert "files seen" not in capsys.readouterr().err


def test_a_bad_setting_is_a_setting_error_that_names_it() -> None:
    from agent_threads.errors import AgentThreadsError, SettingError

    with pytest.raises(SettingError, match="unknown source 'gemini'") as raised:
        landing.discover_files("gemini", [], landing.LoadReport(roots_missing=[]))
    assert raised.value.setting == "source"
    assert isinstance(raised.value, AgentThreadsError) and isinstance(raised.value, ValueError)
