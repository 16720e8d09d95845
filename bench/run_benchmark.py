"""The benchmark: our build against DuckDB's floor and ccusage, side by side on the same files.

    python bench/run_benchmark.py --size 100MB --size 1GB [--seed 1] [--work DIR]

For each size it generates the corpus (bench/generate_corpus.py, seeded), then measures in
one run:

- a cold `make build` (no database yet; the command users run): wall time, MB/s of raw
  input, peak RSS of the whole process tree;
- a no-op `make build` (the build gate finds nothing to do and skips dbt), the same no-op
  as a plain `dbt build` (the whole graph, finding no work), and a `make build` after
  adding one new session: wall time;
- dbt's own fixed cost for this project (`dbt build` of nothing: `--select none_such`);
- the floor: DuckDB alone reading and parsing the same JSONL (`read_ndjson_objects` and a
  few extracts);
- the peer: `ccusage@20.0.24 claude session --json` over the Claude Code part, and our
  per-session totals query on the built dataset;
- ratios: ours / floor, ours / ccusage, incremental / cold.

It prints the table and writes it, with the machine and the exact command, to
BENCHMARKS.md (replacing the section of the same size).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "bench"))
sys.path.insert(0, str(REPO / "tests"))

from generate_corpus import generate  # noqa: E402

UNITS = {"KB": 1 << 10, "MB": 1 << 20, "GB": 1 << 30}


def parse_size(text: str) -> int:
    match = re.fullmatch(r"(\d+(?:\.\d+)?)\s*([KMG]B)", text.strip().upper())
    if not match:
        raise argparse.ArgumentTypeError(f"size like 100MB or 1GB, not {text!r}")
    return int(float(match.group(1)) * UNITS[match.group(2)])


def tree_rss_kb(root_pid: int) -> int:
    """Resident memory of a process and all its descendants (Linux /proc)."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
            ppid = int(fields[1])
            with open(f"/proc/{entry}/status") as handle:
                for line in handle:
                    if line.startswith("VmRSS:"):
                        rss[int(entry)] = int(line.split()[1])
                        break
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(ppid, []).append(int(entry))
    total, stack = 0, [root_pid]
    while stack:
        pid = stack.pop()
        total += rss.get(pid, 0)
        stack.extend(children.get(pid, []))
    return total


@dataclass
class Timed:
    seconds: float
    peak_rss_mb: float
    returncode: int
    output: str = field(repr=False)


def run_timed(command: list[str], env: dict[str, str], cwd: Path = REPO) -> Timed:
    """Run a command; sample the RSS of its whole process tree every 50 ms."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        command, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, tree_rss_kb(proc.pid))
            time.sleep(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    output, _ = proc.communicate()
    done.set()
    sampler.join()
    return Timed(time.perf_counter() - start, peak / 1024, proc.returncode, output)


def corpus_bytes(root: Path) -> int:
    return sum(p.stat().st_size for p in root.rglob("*") if p.is_file())


def duckdb_floor(corpus: Path) -> float:
    """DuckDB alone: read and parse every JSONL line, with a few extracts."""
    import duckdb

    con = duckdb.connect()
    start = time.perf_counter()
    for pattern in (f"{corpus}/claude/projects/**/*.jsonl", f"{corpus}/codex/sessions/**/*.jsonl"):
        con.sql(
            f"""
            select count(*), count(json ->> '$.type'), count(json ->> '$.sessionId'),
                   count(json ->> '$.timestamp'), sum(length(json ->> '$.message.content'))
            from read_ndjson_objects('{pattern}', maximum_object_size = 1073741824,
                                     ignore_errors = true)
            """
        ).fetchall()
    return time.perf_counter() - start


def ccusage_time(corpus: Path) -> tuple[float, int] | None:
    from support.ccusage_oracle import CcusageUnavailable, ensure_ccusage

    try:
        binary = ensure_ccusage()
    except CcusageUnavailable as error:
        print(f"ccusage unavailable: {error}")
        return None
    config = corpus / "claude"  # holds projects/
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CLAUDE_", "CCUSAGE_"))}
    env["CLAUDE_CONFIG_DIR"] = str(config)
    command = ["node", str(binary), "claude", "session", "--json", "--offline", "--timezone", "UTC"]
    timed = run_timed(command, env)
    sessions = len(json.loads(timed.output).get("sessions", [])) if timed.returncode == 0 else 0
    return timed.seconds, sessions


def our_totals_query(db: Path) -> float:
    import duckdb

    with duckdb.connect(str(db), read_only=True) as con:
        start = time.perf_counter()
        con.sql(
            "select session_id, sum(input_tokens), sum(output_tokens), "
            "sum(cache_read_input_tokens), sum(cache_creation_input_tokens) "
            "from messages group by session_id"
        ).fetchall()
        return time.perf_counter() - start


def add_one_session(corpus: Path, seed: int) -> Path:
    """A new, distinct session from the generator, copied into the corpus' Claude root."""
    extra = corpus.parent / f"{corpus.name}.extra"
    shutil.rmtree(extra, ignore_errors=True)
    generate(extra, 300_000, seed=seed + 1000, claude_share=1.0)
    sessions = sorted((extra / "claude" / "projects").glob("*/*.jsonl"))
    target = corpus / "claude" / "projects" / "-bench-new-session"
    target.mkdir(parents=True, exist_ok=True)
    shutil.copy2(sessions[0], target / sessions[0].name)
    return target / sessions[0].name


def measure(size: int, seed: int, work: Path) -> dict:
    label = next(
        f"{size // u}{n}" for n, u in sorted(UNITS.items(), key=lambda x: -x[1]) if size % u == 0
    )
    corpus = work / f"corpus_{label}"
    if not (corpus / ".complete").exists():
        shutil.rmtree(corpus, ignore_errors=True)
        generate(corpus, size, seed=seed, claude_share=0.7)
        (corpus / ".complete").write_text("")
    raw = corpus_bytes(corpus)
    home = work / f"home_{label}"
    shutil.rmtree(home, ignore_errors=True)
    home.mkdir(parents=True)
    env = dict(os.environ)
    env.update(
        {
            "AGENT_THREADS_DB": str(home / "agent_threads.duckdb"),
            "AGENT_THREADS_DATASET_DIR": str(home / "dataset"),
            "CLAUDE_ROOTS": str(corpus / "claude" / "projects"),
            "CODEX_ROOTS": str(corpus / "codex"),
        }
    )
    make = ["make", "--no-print-directory", "build"]
    cold = run_timed(make, env)
    if cold.returncode != 0:
        raise SystemExit(f"cold build failed:\n{cold.output[-4000:]}")
    noop = run_timed(make, env)
    # the same no-op without the build gate: dbt runs the whole graph and finds no work
    noop_dbt = run_timed([str(REPO / ".venv" / "bin" / "dbt"), "build"], env)
    fixed = run_timed([str(REPO / ".venv" / "bin" / "dbt"), "build", "--select", "none_such"], env)
    new_file = add_one_session(corpus, seed)
    one_new = run_timed(make, env)
    new_file.unlink()
    new_file.parent.rmdir()
    (corpus / ".complete").write_text("")
    floor = duckdb_floor(corpus)
    peer = ccusage_time(corpus)
    query = our_totals_query(home / "agent_threads.duckdb")
    shutil.rmtree(home, ignore_errors=True)
    return {
        "label": label,
        "raw_mb": raw / 1e6,
        "cold_s": cold.seconds,
        "cold_mb_s": raw / 1e6 / cold.seconds,
        "cold_peak_rss_mb": cold.peak_rss_mb,
        "noop_s": noop.seconds,
        "noop_dbt_s": noop_dbt.seconds,
        "one_new_s": one_new.seconds,
        "dbt_fixed_s": fixed.seconds,
        "floor_s": floor,
        "ccusage_s": peer[0] if peer else None,
        "ccusage_sessions": peer[1] if peer else None,
        "our_totals_query_s": query,
    }


def markdown(results: list[dict], command: str) -> str:
    def fmt(value, digits=2):
        return "n/a" if value is None else f"{value:.{digits}f}"

    lines = [
        "| corpus | raw MB | cold build s | MB/s | peak RSS MB | no-op s | no-op dbt build s "
        "| +1 session s | dbt fixed s | DuckDB floor s | ours/floor | ccusage s | ours/ccusage "
        "| totals query s | incremental/cold |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        ratio_peer = r["cold_s"] / r["ccusage_s"] if r["ccusage_s"] else None
        lines.append(
            f"| {r['label']} | {r['raw_mb']:.0f} | {r['cold_s']:.1f} | {r['cold_mb_s']:.1f} "
            f"| {r['cold_peak_rss_mb']:.0f} | {r['noop_s']:.1f} | {r['noop_dbt_s']:.1f} "
            f"| {r['one_new_s']:.1f} "
            f"| {r['dbt_fixed_s']:.1f} | {r['floor_s']:.2f} | {r['cold_s'] / r['floor_s']:.1f} "
            f"| {fmt(r['ccusage_s'])} | {fmt(ratio_peer, 1)} | {r['our_totals_query_s']:.3f} "
            f"| {r['one_new_s'] / r['cold_s']:.2f} |"
        )
    machine = (
        f"{platform.machine()}, {os.cpu_count()} cores, "
        f"{os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30:.0f} GiB, "
        f"Python {platform.python_version()}"
    )
    return "\n".join(
        [f"Machine: {machine}. Command: `{command}`. Ratios from the same run.", "", *lines]
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=parse_size, action="append", required=True)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--work", type=Path, default=Path("/tmp/agent-threads-bench"))
    parser.add_argument("--output", type=Path, default=REPO / "BENCHMARKS.md")
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    command = "python bench/run_benchmark.py " + " ".join(sys.argv[1:])
    results = [measure(size, args.seed, args.work) for size in args.size]
    table = markdown(results, command)
    print(table)
    heading = "## Latest run"
    text = args.output.read_text() if args.output.exists() else "# Benchmarks\n"
    if heading in text:
        text = text.split(heading)[0].rstrip() + "\n"
    args.output.write_text(f"{text.rstrip()}\n\n{heading}\n\n{table}\n")


if __name__ == "__main__":
    main()
