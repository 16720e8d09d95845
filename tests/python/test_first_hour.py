"""A new user's first hour: their own logs only, a SQL shell that opens, clear messages.

Real `make` runs, as the README writes them, each against a home of its own.
"""

from __future__ import annotations

import json
import os
import pty
import re
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from support.dbt_project import DbtHome
from support.make_project import REPO, MakeHome

from agent_threads import paths
from agent_threads.landing import root_check

SAMPLE_PROJECT = REPO / "sample_logs" / "claude" / "projects" / "-home-dev-webshop"
SAMPLE_DIR = str(paths.SAMPLE_LOGS_DIR.resolve())
PYTHON = sys.executable
DBT_STARTED = "Running with dbt="
MAKE_LINE = re.compile(r"make(\[\d+\])?: ")  # make's own lines (make[1]: under make test)


def tables_with_source_file(home: MakeHome) -> list[str]:
    return [
        name
        for (name,) in home.query(
            "select distinct table_name from information_schema.columns"
            " where column_name = 'source_file' and table_schema = 'main'"
        )
    ]


def rows_from_samples(home: MakeHome) -> dict[str, int]:
    """Per relation with a source_file, the rows that came from sample_logs/."""
    counts = {
        table: home.scalar(f"select count(*) from {table} where source_file like '{SAMPLE_DIR}/%'")
        for table in tables_with_source_file(home)
    }
    parquet = home.dataset_dir / "v6"
    if any(parquet.rglob("*.parquet")):
        counts["parquet dataset"] = home.scalar(
            f"select count(*) from read_parquet('{parquet}/*/*.parquet')"
            f" where source_file like '{SAMPLE_DIR}/%'"
        )
    return {table: count for table, count in counts.items() if count}


# --- the roots rule -------------------------------------------------------------------


def test_no_root_given_reads_the_samples_for_every_source(tmp_path: Path) -> None:
    choice = paths.choose_roots(environ={}, db_path=tmp_path / "db.duckdb")
    assert choice.origin == paths.SAMPLES
    assert choice.by_source == paths.SAMPLE_ROOTS


def test_one_root_given_means_the_other_sources_read_nothing(tmp_path: Path) -> None:
    choice = paths.choose_roots(
        environ={"CLAUDE_ROOTS": f"{tmp_path}/a:{tmp_path}/b"}, db_path=tmp_path / "db.duckdb"
    )
    assert choice.origin == paths.GIVEN
    assert choice.roots("claude_code") == [tmp_path / "a", tmp_path / "b"]
    assert choice.roots("codex") == []
    assert choice.named_by == {"claude_code": "CLAUDE_ROOTS"}
    assert "codex: none" in choice.describe()


def test_a_dbt_var_wins_over_the_env_var(tmp_path: Path) -> None:
    choice = paths.choose_roots(
        {"codex": [str(tmp_path / "from_var")]},
        environ={"CODEX_ROOTS": str(tmp_path / "from_env")},
        db_path=tmp_path / "db.duckdb",
    )
    assert choice.roots("codex") == [tmp_path / "from_var"]
    assert choice.named_by == {"codex": "var codex_roots"}


def test_given_roots_are_remembered_and_given_ones_win_over_them(tmp_path: Path) -> None:
    db = tmp_path / "data" / "agent_threads.duckdb"
    given = paths.choose_roots(environ={"CODEX_ROOTS": str(tmp_path / "codex")}, db_path=db)
    assert paths.remember_roots(given, db) == tmp_path / "data" / "agent_threads.roots.json"
    later = paths.choose_roots(environ={}, db_path=db)
    assert later.origin == paths.REMEMBERED
    assert later.by_source == given.by_source
    other = paths.choose_roots(environ={"CLAUDE_ROOTS": str(tmp_path / "claude")}, db_path=db)
    assert other.origin == paths.GIVEN
    assert other.roots("codex") == [] and other.roots("claude_code") == [tmp_path / "claude"]
    # another database remembers nothing of this one's roots
    assert paths.choose_roots(environ={}, db_path=tmp_path / "x.duckdb").origin == paths.SAMPLES


def test_a_broken_memory_file_is_a_clear_error(tmp_path: Path) -> None:
    db = tmp_path / "agent_threads.duckdb"
    paths.roots_file(db).write_text("{not json")
    with pytest.raises(paths.RootsError, match=r"agent_threads\.roots\.json.*cannot be read"):
        paths.choose_roots(environ={}, db_path=db)


def test_the_root_check_names_each_problem_and_what_it_looked_for(tmp_path: Path) -> None:
    a_file = tmp_path / "notes.txt"
    a_file.write_text("not a folder")
    empty = tmp_path / "empty"
    empty.mkdir()
    good = tmp_path / "projects"
    shutil.copytree(SAMPLE_PROJECT, good / SAMPLE_PROJECT.name)
    environ = {
        "CLAUDE_ROOTS": os.pathsep.join(map(str, [tmp_path / "projcts", a_file, empty, good])),
    }
    check = root_check.check_roots(paths.choose_roots(environ=environ, db_path=tmp_path / "d"))
    warnings = check.warnings()
    assert len(warnings) == 3, warnings
    assert warnings[0].startswith(f"CLAUDE_ROOTS: {tmp_path / 'projcts'} does not exist")
    assert f"{a_file} is a file, not a folder" in warnings[1]
    assert f"{empty} holds no log" in warnings[2]
    assert all("<root>/*/*.jsonl" in warning for warning in warnings)
    assert check.fatal() is None  # one root holds logs: the build goes on
    assert check.usable["claude_code"] == [empty, good]


@pytest.mark.skipif(os.geteuid() != 0, reason="drops to another user to lose read access")
def test_an_unreadable_root_is_named(tmp_path: Path) -> None:
    # pytest's own temp folders are private to root: a world-readable one, then lock it
    base = Path(tempfile.mkdtemp(prefix="agent_threads_locked_"))
    base.chmod(0o755)
    locked = base / "locked"
    shutil.copytree(SAMPLE_PROJECT, locked / SAMPLE_PROJECT.name)
    locked.chmod(0o000)
    code = (
        "from agent_threads import paths; from agent_threads.landing import root_check;"
        f"c = root_check.check_roots(paths.choose_roots(environ={{'CODEX_ROOTS': '{locked}'}},"
        f" db_path=__import__('pathlib').Path('/nonexistent/d')));"
        "print(c.warnings()); print(c.fatal())"
    )
    done = subprocess.run(
        ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", PYTHON, "-c", code],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO / "src")},
        check=False,
    )
    locked.chmod(0o755)
    shutil.rmtree(base)
    assert done.returncode == 0, done.stderr
    assert f"CODEX_ROOTS: {locked} cannot be read (permission denied)" in done.stdout
    assert "none of the roots this build reads holds a log" in done.stdout


# --- make build: the samples, then your own logs --------------------------------------


@pytest.fixture(scope="module")
def user_home(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """A user who built the samples first, then their own Claude Code logs."""
    base = tmp_path_factory.mktemp("first_hour")
    home = MakeHome(base / "home")
    samples = home.make("build").output
    sample_sessions = {row[0] for row in home.query("select session_id from sessions")}
    mine = base / "my_claude_projects"
    shutil.copytree(SAMPLE_PROJECT, mine / SAMPLE_PROJECT.name)
    own = home.make("build", CLAUDE_ROOTS=str(mine)).output
    return {
        "home": home,
        "mine": mine,
        "samples_output": samples,
        "own_output": own,
        "sample_sessions": sample_sessions,
    }


@pytest.mark.slow
def test_a_samples_database_then_own_roots_holds_no_sample_row(user_home: dict) -> None:
    home, mine = user_home["home"], user_home["mine"]
    output = user_home["own_output"]
    assert "removed the bundled samples" in output and "--full-refresh" in output
    assert f"claude_code {mine} (CLAUDE_ROOTS); codex: none" in output
    assert rows_from_samples(home) == {}
    files = {row[0] for row in home.query("select distinct source_file from messages")}
    assert files and all(file.startswith(str(mine)) for file in files)
    sessions = {row[0] for row in home.query("select session_id from sessions")}
    assert sessions < user_home["sample_sessions"]  # only those of the copied project
    assert home.scalar("select count(*) from sessions where source = 'codex'") == 0
    partitions = {p.name.removeprefix("session_id=") for p in (home.dataset_dir / "v6").iterdir()}
    assert partitions <= sessions
    assert json.loads(paths.roots_file(home.db_path).read_text())["roots"] == {
        "claude_code": [str(mine)],
        "codex": [],
        "copilot_cli": [],
        "gemini_cli": [],
    }


def test_later_plain_builds_and_docs_read_the_remembered_roots(user_home: dict) -> None:
    home, mine = user_home["home"], user_home["mine"]
    before = home.scalar("select count(*) from messages")
    plain = home.make("build").output
    assert f"claude_code {mine} (remembered in {paths.roots_file(home.db_path)})" in plain
    assert rows_from_samples(home) == {}
    home.make("docs")
    assert rows_from_samples(home) == {}
    assert home.scalar("select count(*) from landing.land_codex__lines") == 0
    assert home.scalar("select count(*) from messages") == before


def test_the_users_rows_stay_when_their_file_is_deleted(user_home: dict) -> None:
    home, mine = user_home["home"], user_home["mine"]
    before = home.query("select session_id, count(*) from messages group by all order by 1")
    victim = max(mine.rglob("*.jsonl"), key=lambda file: file.stat().st_size)
    victim.unlink()
    home.make("build")
    assert home.query("select session_id, count(*) from messages group by all order by 1") == before
    assert rows_from_samples(home) == {}


def test_a_typo_in_the_only_root_fails_before_dbt_and_says_what_it_looked_for(
    tmp_path: Path,
) -> None:
    home = MakeHome(tmp_path)
    typo = tmp_path / ".claude" / "projcts"
    result = home.make("build", check=False, CLAUDE_ROOTS=str(typo))
    # make exits 2 on any failed recipe; its last line names the runner's own code
    assert result.returncode == 2 and "Error 66" in result.output, result.output
    assert f"CLAUDE_ROOTS: {typo} does not exist" in result.output
    assert "none of the roots this build reads holds a log" in result.output
    assert "<root>/*/*.jsonl" in result.output
    assert DBT_STARTED not in result.output and "Traceback" not in result.output
    assert not home.db_path.exists()
    assert not paths.roots_file(home.db_path).exists()  # a typo is not remembered


@pytest.mark.slow
def test_a_typo_after_the_samples_fails_the_same_way_and_keeps_the_samples(
    tmp_path: Path,
) -> None:
    """The README's order: the samples first, then one agent's root, mistyped. The sample
    lines in the cache do not count as the user's logs: nothing is built, remembered or
    removed (the build used to drop the samples, remember the typo, then fail in dbt)."""
    home = MakeHome(tmp_path / "home")
    home.make("build")
    before = home.query("select session_id, count(*) from messages group by all order by 1")
    typo = tmp_path / ".claude" / "projcts"
    result = home.make("build", check=False, CLAUDE_ROOTS=str(typo))
    assert result.returncode == 2 and "Error 66" in result.output, result.output
    assert f"CLAUDE_ROOTS: {typo} does not exist" in result.output
    assert DBT_STARTED not in result.output and "Traceback" not in result.output
    assert not paths.roots_file(home.db_path).exists()
    assert home.query("select session_id, count(*) from messages group by all order by 1") == before
    assert "up to date" in home.make("build").output  # the samples, as before


def test_a_root_that_is_a_file_is_a_warning_and_the_build_goes_on(tmp_path: Path) -> None:
    mine = tmp_path / "projects"
    shutil.copytree(SAMPLE_PROJECT, mine / SAMPLE_PROJECT.name)
    a_file = tmp_path / "rollout.txt"
    a_file.write_text("x")
    home = MakeHome(tmp_path / "home", CLAUDE_ROOTS=str(mine), CODEX_ROOTS=str(a_file))
    output = home.make("build").output
    assert f"warning: CODEX_ROOTS: {a_file} is a file, not a folder" in output
    assert home.scalar("select count(*) from messages") > 0


def test_dbt_build_by_hand_says_each_root_problem_once(tmp_path: Path) -> None:
    """Both landing models check the roots; each tells only its own source's problems."""
    mine = tmp_path / "projects"
    shutil.copytree(SAMPLE_PROJECT, mine / SAMPLE_PROJECT.name)
    a_file = tmp_path / "rollout.txt"
    a_file.write_text("x")
    home = DbtHome(tmp_path / "home", claude_roots=[mine], codex_roots=[a_file])
    output = home.build("--select", "land_claude_code__lines", "land_codex__lines").output
    assert output.count(f"CODEX_ROOTS: {a_file} is a file, not a folder") == 1, output


@pytest.mark.slow
def test_dbt_build_by_hand_refuses_to_mix_the_samples_with_own_logs(tmp_path: Path) -> None:
    home = MakeHome(tmp_path)
    home.make("build")
    mine = tmp_path / "projects"
    shutil.copytree(SAMPLE_PROJECT, mine / SAMPLE_PROJECT.name)
    done = subprocess.run(
        [str(Path(PYTHON).with_name("dbt")), "build", "--select", "land_codex__lines"],
        cwd=REPO,
        env={**home.env, "CLAUDE_ROOTS": str(mine), "DBT_PROFILES_DIR": str(REPO)},
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode != 0
    assert "holds" in done.stdout and "lines of the bundled sample logs" in done.stdout
    assert "Run `make build`" in done.stdout


@pytest.mark.slow
def test_a_database_from_before_remembered_roots_keeps_reading_them(tmp_path: Path) -> None:
    mine = tmp_path / "projects"
    shutil.copytree(SAMPLE_PROJECT, mine / SAMPLE_PROJECT.name)
    home = MakeHome(tmp_path / "home")
    home.make("build", CLAUDE_ROOTS=str(mine))
    paths.roots_file(home.db_path).unlink()  # as a database built by an earlier release
    by_hand = subprocess.run(
        [str(Path(PYTHON).with_name("dbt")), "build", "--select", "land_claude_code__lines"],
        cwd=REPO,
        env={**home.env, "DBT_PROFILES_DIR": str(REPO)},
        capture_output=True,
        text=True,
        check=False,
    )
    assert by_hand.returncode != 0
    assert "holds logs of your own roots" in by_hand.stdout and str(mine) in by_hand.stdout
    output = home.make("build").output
    assert f"remembered them in {paths.roots_file(home.db_path)}" in output
    assert f"claude_code {mine} (remembered in" in output
    assert rows_from_samples(home) == {}
    assert home.scalar("select count(*) from messages") > 0


# --- one line when another build or process holds the database --------------------------


def _hold(code: str, env: dict) -> subprocess.Popen:
    holder = subprocess.Popen(
        [PYTHON, "-c", code + "\nprint('held', flush=True)\nimport time; time.sleep(60)"],
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
    return holder


def test_a_second_build_is_refused_in_one_line_naming_the_holder(tmp_path: Path) -> None:
    home = MakeHome(tmp_path)
    lock = f"{home.db_path}.build-lock"
    holder = _hold(
        f"import fcntl, os; f = open({lock!r}, 'w'); fcntl.flock(f, fcntl.LOCK_EX);"
        "f.write(f'pid {os.getpid()}, started now'); f.flush()",
        home.env,
    )
    try:
        result = home.make("build", check=False)
    finally:
        holder.kill()
    assert result.returncode == 2 and "Error 75" in result.output, result.output
    lines = [line for line in result.output.splitlines() if not MAKE_LINE.match(line)]
    assert lines == [
        f"agent_threads build: another build is already running on {home.db_path}"
        f" (pid {holder.pid}, started now): wait for it to finish, then run make build again"
    ]


@pytest.mark.slow
def test_a_build_while_the_database_is_open_elsewhere_says_so_in_one_line(tmp_path: Path) -> None:
    home = MakeHome(tmp_path)
    home.make("build")
    holder = _hold(f"import duckdb; con = duckdb.connect({str(home.db_path)!r})", home.env)
    try:
        result = home.make("build", check=False)
    finally:
        holder.kill()
    assert result.returncode == 2 and "Error 75" in result.output, result.output
    assert "Traceback" not in result.output
    (line,) = [line for line in result.output.splitlines() if not MAKE_LINE.match(line)]
    assert line.startswith(f"agent_threads build: the database {home.db_path} is open in another")
    assert f"(PID {holder.pid})" in line and "make sql" in line


# --- the end-of-build summary ------------------------------------------------------------


def _session_file(
    folder: Path, session: str, minutes_ago: int, model: str, extra: list[dict] = ()
) -> None:
    """A one-exchange Claude Code session whose last activity was ``minutes_ago``."""
    stamp = (datetime.now(UTC) - timedelta(minutes=minutes_ago)).strftime("%Y-%m-%dT%H:%M:%S.000Z")
    common = {"sessionId": session, "cwd": "/home/me/app", "version": "2.1.114"}
    lines = [
        {
            **common,
            "type": "user",
            "uuid": f"{session[:8]}-u1",
            "parentUuid": None,
            "timestamp": stamp,
            "message": {"role": "user", "content": "Say hi"},
        },
        {
            **common,
            "type": "assistant",
            "uuid": f"{session[:8]}-a1",
            "parentUuid": f"{session[:8]}-u1",
            "timestamp": stamp,
            "requestId": f"req_{session[:8]}",
            "message": {
                "id": f"msg_{session[:8]}",
                "role": "assistant",
                "model": model,
                "content": [{"type": "text", "text": "hi"}],
                "usage": {"input_tokens": 10, "output_tokens": 2},
            },
        },
        *({**common, "timestamp": stamp, **line} for line in extra),
    ]
    project = folder / "-home-me-app"
    project.mkdir(parents=True, exist_ok=True)
    (project / f"{session}.jsonl").write_text("".join(json.dumps(line) + "\n" for line in lines))


@pytest.mark.slow
def test_every_build_ends_with_a_summary_of_what_it_did_and_what_waits(tmp_path: Path) -> None:
    mine = tmp_path / "projects"
    done, active = "5e551011-0000-4000-8000-000000000d0e", "5e551011-0000-4000-8000-0000000ac71e"
    _session_file(mine, done, 120, "claude-imaginary-9", [{"type": "mystery-line", "uuid": "m1"}])
    _session_file(mine, active, 5, "claude-sonnet-4-5-20250929")
    home = MakeHome(tmp_path / "home", CLAUDE_ROOTS=str(mine))
    output = home.make("build").output
    summary = output[output.rindex("\nagent_threads build: built in") :].strip().splitlines()
    settles_at = home.scalar(f"select settles_at from sessions where session_id = '{active}'")
    local = settles_at.astimezone().strftime("%Y-%m-%d %H:%M %Z")
    assert summary[1:] == [
        "read:        2 new or grown files, 5 new lines (claude_code 2 files, 5 lines);"
        " 0 lines rejected",
        "published:   1 session (new or changed) in messages",
        "waiting:     1 active session not in messages yet (in sessions and threads,"
        f" settle_status = 'active'); the next settles at {local}",
        "unknown line types: claude_code mystery-line (1 line) (see line_types)",
        "unpriced models: claude-imaginary-9 (1 message) (add them to seeds/model_prices.csv)",
        f"roots:       claude_code {mine} (CLAUDE_ROOTS); codex: none; copilot_cli: none;"
        " gemini_cli: none",
        f"database:    {home.db_path}",
        f"dataset:     {home.dataset_dir}/v6 (manifest: {home.dataset_dir}/manifest.json)",
        'query it:    make sql   (or: make sql Q="select * from sessions")',
    ]
    # nothing new: the gate skips dbt, and the summary still says what waits
    again = home.make("build").output
    assert DBT_STARTED not in again
    tail = again[again.rindex("\nagent_threads build: up to date in") :].strip().splitlines()
    assert tail[1].startswith("waiting:     1 active session")
    assert tail[2:] == summary[4:]


# --- make sql --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sample_home(tmp_path_factory: pytest.TempPathFactory) -> MakeHome:
    home = MakeHome(tmp_path_factory.mktemp("sql_home"))
    home.make("build")
    return home


@pytest.mark.slow
def test_make_report_builds_then_writes_the_report(sample_home: MakeHome, tmp_path: Path) -> None:
    """`make report` as the README writes it: the build (nothing to do here), then the page,
    with REPORT_ARGS and REPORT_TIME_ZONE passed through."""
    out, cache = tmp_path / "report", tmp_path / "cache"
    done = sample_home.make(
        "report", REPORT_ARGS=f"--out {out} --cache {cache}", REPORT_TIME_ZONE="Asia/Tokyo"
    )
    assert f"wrote {out / 'index.html'}" in done.output and "23 sessions" in done.output
    page = (out / "index.html").read_text()
    assert '"time_zone":"Asia/Tokyo"' in page and "No message text" in page


def test_make_sql_runs_one_query_and_prints_a_table(sample_home: MakeHome) -> None:
    output = sample_home.make(
        "sql", Q="select source, count(*) as n from sessions group by all order by source"
    ).output
    for source, sessions in sample_home.query("select source, count(*) from sessions group by 1"):
        assert re.search(rf"│\s+{source}\s+│\s+{sessions}\s+│", output), output
    failed = sample_home.make("sql", check=False, Q="select nope from sessions")
    assert failed.returncode != 0 and 'Referenced column "nope" not found' in failed.output


def test_make_sql_reads_statements_from_a_file(sample_home: MakeHome) -> None:
    output = sample_home.make(
        "sql", stdin="select 40 + 2 as answer;\nselect\n  count(*) as threads\nfrom threads;\n"
    ).output
    assert re.search(r"│\s+42\s+│", output)
    threads = sample_home.scalar("select count(*) from threads")
    assert re.search(rf"│\s+{threads}\s+│", output)


def test_make_sql_opens_an_interactive_prompt(sample_home: MakeHome) -> None:
    pid, fd = pty.fork()
    if pid == 0:  # the child: `make sql` on a terminal
        os.chdir(REPO)
        os.execvpe("make", ["make", "--no-print-directory", "sql"], sample_home.env)

    def read_until(text: str, seconds: float = 60) -> str:
        seen, deadline = "", time.monotonic() + seconds
        while text not in seen and time.monotonic() < deadline:
            ready, _, _ = select.select([fd], [], [], 0.5)
            if ready:
                try:
                    seen += os.read(fd, 65536).decode(errors="replace")
                except OSError:
                    break
        assert text in seen, seen
        return seen

    try:
        assert "read-only" in read_until("agent_threads> ")
        os.write(fd, b"select count(*) as sessions\n")
        read_until("...> ")
        os.write(fd, b"from sessions;\n")
        sessions = sample_home.scalar("select count(*) from sessions")
        assert re.search(rf"│\s+{sessions}\s+│", read_until("agent_threads> "))
        os.write(fd, b".tables\n")
        tables = read_until("agent_threads> ")
        assert "messages" in tables and "land_claude_code__lines" not in tables
        os.write(fd, b".quit\n")
    finally:
        deadline, status = time.monotonic() + 30, None
        while status is None and time.monotonic() < deadline:
            done, code = os.waitpid(pid, os.WNOHANG)
            status = code if done else None
            time.sleep(0.1)
        if status is None:  # a failed step leaves the prompt waiting: never hang the suite
            os.killpg(os.getpgid(pid), signal.SIGKILL)
            _, status = os.waitpid(pid, 0)
        os.close(fd)
    assert os.waitstatus_to_exitcode(status) == 0


def test_make_sql_without_a_database_says_to_build_first(tmp_path: Path) -> None:
    result = MakeHome(tmp_path).make("sql", check=False, Q="select 1")
    assert result.returncode != 0
    assert "no database at" in result.output and "run `make build` first" in result.output


# --- every SQL snippet of the docs runs as written ---------------------------------------


def doc_snippets() -> list[tuple[str, str]]:
    """(where, sql) for each ```sql block and each `make sql Q="..."` of README and docs/."""
    snippets = []
    for doc in [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]:
        text = doc.read_text()
        for index, block in enumerate(re.findall(r"```sql\n(.*?)```", text, re.S)):
            snippets.append((f"{doc.name} sql block {index + 1}", block))
        for index, query in enumerate(re.findall(r'make sql Q="([^"]+)"', text)):
            snippets.append((f"{doc.name} make sql {index + 1}", query))
    return snippets


def test_the_docs_hold_sql_snippets() -> None:
    assert len(doc_snippets()) >= 3


@pytest.mark.parametrize(("where", "sql"), doc_snippets(), ids=[w for w, _ in doc_snippets()])
def test_each_docs_sql_snippet_runs_as_written(sample_home: MakeHome, where: str, sql: str) -> None:
    env = {k: v for k, v in sample_home.env.items() if not k.startswith("AGENT_THREADS_")}
    done = subprocess.run(  # from the folder that holds data/, as a user in the project root
        [PYTHON, "-m", "agent_threads.sql_shell", "-c", sql],
        cwd=sample_home.base,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, f"{where}:\n{sql}\n{done.stderr}"
    empty = re.search(r"^\s*0 rows", done.stdout, re.M)
    assert not empty, f"{where} returns no row on the samples:\n{done.stdout}"


# --- one roots rule: the Spark build's Jinja macro agrees with paths.choose_roots ------------


@pytest.mark.slow
@pytest.mark.parametrize(
    "environ",
    [
        {},
        {"CLAUDE_ROOTS": "/logs/a:~/b"},
        {"CODEX_ROOTS": "/logs/codex", "CLAUDE_ROOTS": "relative/projects"},
    ],
    ids=["none given", "claude only", "both"],
)
def test_the_spark_root_macro_follows_the_same_rule(
    tmp_path: Path, environ: dict, monkeypatch: pytest.MonkeyPatch
) -> None:
    env = {k: v for k, v in os.environ.items() if k not in paths.ROOT_ENV_VARS.values()}
    env.update(environ, AGENT_THREADS_DB=str(tmp_path / "db.duckdb"), DBT_PROJECT_DIR=str(REPO))
    env["DBT_PROFILES_DIR"] = str(REPO)
    inline = " ### ".join(
        f"{{{{ agent_threads.raw_roots('{source}') | tojson }}}}" for source in paths.SOURCES
    )
    done = subprocess.run(
        [str(Path(PYTHON).with_name("dbt")), "compile", "--quiet", "--inline", inline],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    last = done.stdout.strip().splitlines()[-1]
    from_jinja = [json.loads(part) for part in last.split(" ### ")]
    monkeypatch.chdir(REPO)  # relative roots resolve against the project root, as make runs
    choice = paths.choose_roots(environ=environ, db_path=tmp_path / "db.duckdb")
    assert from_jinja == [[str(root) for root in choice.roots(s)] for s in paths.SOURCES]


@pytest.mark.slow
def test_a_failed_build_ends_with_the_summary_and_the_next_one_builds(tmp_path: Path) -> None:
    home = MakeHome(tmp_path)
    failed = home.make("build", check=False, DBT_ARGS="--vars '{dataset_layout: nope}'")
    assert failed.returncode == 2 and "Error 1" in failed.output
    tail = failed.output[failed.output.rindex("\nagent_threads build: FAILED") :]
    assert "the error is above; the next make build redoes what is missing" in tail
    assert "dataset_layout must be one of" in failed.output[: -len(tail)]
    assert "query it:    make sql" in tail
    rebuilt = home.make("build").output
    assert "the last build did not finish" in rebuilt and DBT_STARTED in rebuilt
