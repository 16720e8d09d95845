"""`make sql`: a SQL prompt on the dataset's DuckDB database, with the pinned DuckDB.

    make sql                          # an interactive prompt (history, multi-line, `;` ends)
    make sql Q="select * from sessions"   # one query, printed as a table
    make sql < query.sql              # the statements of a file, each printed

The standalone `duckdb` CLI may be of another version than the one that wrote the
database (DuckDB 2.0 files do not open in a 1.x CLI), so the prompt runs on the `duckdb`
package the project pins. The database opens read-only: a prompt never changes the
dataset, and several prompts can be open at once (a build waits for them to close).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

import duckdb

from agent_threads import paths

PROMPT, MORE = "agent_threads> ", "           ...> "
HELP = """\
End a statement with ; (it may span lines). Commands:
  .tables            the relations to query (the README's "Tables")
  .describe NAME     the columns of a relation
  .help              this text
  .quit              leave (or Ctrl-D)
Every column's meaning: `make docs`, then open target/static_index.html."""
MAX_ROWS = 40


def show(con: duckdb.DuckDBPyConnection, sql: str) -> None:
    """Run ``sql`` (one or more statements); print the last result as a table."""
    relation = con.sql(sql)
    if relation is None:
        print("ok")
        return
    relation.show(max_rows=MAX_ROWS, max_width=_width())
    sys.stdout.flush()


def _width() -> int:
    try:
        return os.get_terminal_size().columns
    except OSError:
        return 160


def _command(con: duckdb.DuckDBPyConnection, line: str) -> bool:
    """Run a dot command; False means quit."""
    word, _, rest = line.strip().partition(" ")
    if word in (".quit", ".exit", ".q"):
        return False
    if word == ".help":
        print(HELP)
    elif word == ".tables":
        show(
            con,
            "select table_name as relation, table_type as kind from information_schema.tables"
            " where table_schema = 'main'"
            " and not regexp_matches(table_name, '^(agent_threads|at)_')"
            " order by 1",
        )
    elif word in (".describe", ".schema") and rest.strip():
        show(con, f"describe {rest.strip()}")
    else:
        print(f"unknown command {word!r}: .help lists them")
    return True


def _statements(lines: Iterable[str]) -> Iterator[str]:
    """Yield complete statements (ending in ``;``) from an iterator of lines."""
    buffer: list[str] = []
    for line in lines:
        if not buffer and line.strip().startswith("."):
            yield line.strip()
            continue
        buffer.append(line)
        if line.rstrip().endswith(";"):
            yield "\n".join(buffer)
            buffer = []
    if "".join(buffer).strip():
        yield "\n".join(buffer)


def _interactive_lines() -> Iterator[str]:
    history = Path.home() / ".agent_threads_sql_history"
    try:
        import readline  # line editing and history for input()

        readline.read_history_file(history)
    except (ImportError, OSError):
        pass
    prompt = PROMPT
    try:
        while True:
            try:
                line = input(prompt)
            except EOFError:
                print()
                return
            yield line
            prompt = MORE if line.strip() and not line.rstrip().endswith(";") else PROMPT
            if line.strip().startswith(".") and prompt == MORE:
                prompt = PROMPT
    finally:
        try:
            import readline

            readline.write_history_file(history)
        except (ImportError, OSError):
            pass


def repl(con: duckdb.DuckDBPyConnection, interactive: bool) -> int:
    """Read statements from stdin and print each result; errors are said and skipped."""
    if interactive:
        print(f"agent_threads SQL on {paths.database_path()} (DuckDB {duckdb.__version__},")
        print("read-only). Start with: select * from sessions;  .tables lists the relations,")
        print(".help the commands, Ctrl-D leaves.")
    lines = _interactive_lines() if interactive else (raw.rstrip("\n") for raw in sys.stdin)
    failed = 0
    for statement in _statements(lines):
        if statement.startswith("."):
            if not _command(con, statement):
                break
            continue
        try:
            show(con, statement)
        except duckdb.Error as error:
            failed += 1
            print(f"Error: {error}", file=sys.stderr)
    return 1 if failed and not interactive else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="make sql", description=__doc__.split("\n")[0])
    parser.add_argument("-c", "--query", help="run this query, print it, and exit")
    args = parser.parse_args(argv)
    db_path = paths.database_path()
    if not db_path.exists():
        print(f"make sql: no database at {db_path} yet: run `make build` first", file=sys.stderr)
        return 1
    try:
        con = duckdb.connect(str(db_path), read_only=True)
    except duckdb.Error as error:
        print(f"make sql: cannot open {db_path}: {error}", file=sys.stderr)
        return 1
    with con:
        if args.query:
            try:
                show(con, args.query)
            except duckdb.Error as error:
                print(f"Error: {error}", file=sys.stderr)
                return 1
            return 0
        return repl(con, interactive=sys.stdin.isatty())


if __name__ == "__main__":
    raise SystemExit(main())
