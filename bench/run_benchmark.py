"""The benchmark: our build against DuckDB's floor and ccusage, side by side on the same files.

    python bench/run_benchmark.py --size 100MB --size 1GB --real-size 100MB --real-size 500MB \
        [--real-size 5GB] [--seed 1] [--work DIR]

Two kinds of corpus, measured in one run:

- generated (``--size``): bench/generate_corpus.py, seeded, distinct synthetic sessions;
- real-shaped (``--real-size``): bench/real_shaped.py, copies of the real fixtures
  (../shared/fixtures/real) with every id rewritten per copy.

A corpus is written once under --work and reused by later runs (a `.complete` marker). For
each corpus, in one run:

- a cold `make build` (no database yet; the command users run): wall time, MB/s of raw
  input, peak of the summed RSS of the build's whole process tree, and the per-node times
  of that build (dbt's target/run_results.json, kept beside the corpus);
- a no-op `make build` (the build gate finds nothing to do and skips dbt), the same no-op
  as a plain `dbt build` (the whole graph, finding no work), and a `make build` after
  adding one new session (wall time, peak RSS): for the generated corpora a session from
  the generator, for the real-shaped ones a fresh copy (all ids new) of one real session
  with its six subagents;
- dbt's own fixed cost for this project (`dbt build` of nothing: `--select none_such`);
- the floor: DuckDB alone, inside this process, reading and parsing the same JSONL
  (`read_ndjson_objects` and 3 extracts), best of 3;
- the peer: `ccusage@20.0.24 claude session --json` over the Claude Code part, and our
  per-session totals query on the built dataset;
- ratios: ours / floor, ours / ccusage, incremental / cold; and the issue #16 targets,
  met or not.

It prints the tables and writes them, with the machine, its load and the exact command,
to the "Latest run" section of BENCHMARKS.md.
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
from real_shaped import build as build_real_shaped  # noqa: E402
from real_shaped import new_session as real_new_session  # noqa: E402

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


FLOOR_RUNS = 3


def duckdb_floor(corpus: Path, runs: int = FLOOR_RUNS) -> list[float]:
    """DuckDB alone, in this process: read and parse every JSONL line, with 3 extracts.

    Returns the wall time of each run (the floor is the best of them).
    """
    import duckdb

    times = []
    con = duckdb.connect()
    for _ in range(runs):
        start = time.perf_counter()
        for pattern in (
            f"{corpus}/claude/projects/**/*.jsonl",
            f"{corpus}/codex/sessions/**/*.jsonl",
        ):
            con.sql(
                f"""
                select count(json ->> '$.type'), count(json ->> '$.timestamp'),
                       sum(length(json ->> '$.message.content'))
                from read_ndjson_objects('{pattern}', maximum_object_size = 1073741824,
                                         ignore_errors = true)
                """
            ).fetchall()
        times.append(time.perf_counter() - start)
    con.close()
    return times


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


def add_one_session(corpus: Path, seed: int) -> list[Path]:
    """A new, distinct session from the generator, copied into the corpus' Claude root."""
    extra = corpus.parent / f"{corpus.name}.extra"
    shutil.rmtree(extra, ignore_errors=True)
    generate(extra, 300_000, seed=seed + 1000, claude_share=1.0)
    sessions = sorted((extra / "claude" / "projects").glob("*/*.jsonl"))
    target = corpus / "claude" / "projects" / "-bench-new-session"
    target.mkdir(parents=True, exist_ok=True)
    shutil.copy2(sessions[0], target / sessions[0].name)
    shutil.rmtree(extra, ignore_errors=True)
    return [target / sessions[0].name]


def remove_added(corpus: Path, files: list[Path]) -> None:
    """Delete the files of the added session and the folders left empty under the corpus."""
    for path in files:
        path.unlink()
    for folder in sorted({f.parent for f in files}, key=lambda p: -len(p.parts)):
        while folder != corpus and folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()
            folder = folder.parent


def size_label(size: int) -> str:
    return next(
        f"{size // u}{n}" for n, u in sorted(UNITS.items(), key=lambda x: -x[1]) if size % u == 0
    )


def load_average() -> float:
    return os.getloadavg()[0]


def top_nodes(run_results: Path, count: int) -> list[tuple[str, float]]:
    """The slowest nodes of a dbt run (name, seconds), from its run_results.json."""
    results = json.loads(run_results.read_text())["results"]
    timed = [(r["unique_id"], float(r["execution_time"])) for r in results]
    return sorted(timed, key=lambda t: -t[1])[:count]


def prepare_corpus(kind: str, size: int, seed: int, work: Path) -> tuple[Path, float | None]:
    """The corpus of this kind and size under work (written now unless already complete)."""
    label = size_label(size)
    corpus = work / (f"corpus_{label}" if kind == GENERATED else f"real_{label}")
    if (corpus / ".complete").exists():
        return corpus, None
    shutil.rmtree(corpus, ignore_errors=True)
    start = time.perf_counter()
    if kind == GENERATED:
        generate(corpus, size, seed=seed, claude_share=0.7)
    else:
        build_real_shaped(corpus, size, seed=seed)
    seconds = time.perf_counter() - start
    (corpus / ".complete").write_text("")
    return corpus, seconds


GENERATED, REAL = "generated", "real-shaped"


def measure(kind: str, size: int, seed: int, work: Path, nodes: int = 12) -> dict:
    label = size_label(size)
    load_before = load_average()
    corpus, generation_s = prepare_corpus(kind, size, seed, work)
    raw = corpus_bytes(corpus)
    home = work / f"home_{kind}_{label}"
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
    run_results = REPO / "target" / "run_results.json"
    run_results.unlink(missing_ok=True)
    cold = run_timed(make, env)
    if cold.returncode != 0:
        raise SystemExit(f"cold build failed:\n{cold.output[-4000:]}")
    kept = work / f"run_results_{kind}_{label}.json"
    shutil.copyfile(run_results, kept)
    noop = run_timed(make, env)
    # the same no-op without the build gate: dbt runs the whole graph and finds no work
    noop_dbt = run_timed([str(REPO / ".venv" / "bin" / "dbt"), "build"], env)
    fixed = run_timed([str(REPO / ".venv" / "bin" / "dbt"), "build", "--select", "none_such"], env)
    if kind == GENERATED:
        added = add_one_session(corpus, seed)
    else:
        added = real_new_session(corpus, seed, tag=f"bench-new-session-{label}")
    one_new = run_timed(make, env)
    remove_added(corpus, added)
    if one_new.returncode != 0:
        raise SystemExit(f"build after one new session failed:\n{one_new.output[-4000:]}")
    floor_runs = duckdb_floor(corpus)
    peer = ccusage_time(corpus)
    query = our_totals_query(home / "agent_threads.duckdb")
    shutil.rmtree(home, ignore_errors=True)
    floor = min(floor_runs)
    return {
        "kind": kind,
        "label": label,
        "raw_mb": raw / 1e6,
        "generation_s": generation_s,
        "cold_s": cold.seconds,
        "cold_mb_s": raw / 1e6 / cold.seconds,
        "cold_peak_rss_mb": cold.peak_rss_mb,
        "noop_s": noop.seconds,
        "noop_dbt_s": noop_dbt.seconds,
        "one_new_s": one_new.seconds,
        "one_new_peak_rss_mb": one_new.peak_rss_mb,
        "one_new_files": len(added),
        "dbt_fixed_s": fixed.seconds,
        "floor_s": floor,
        "floor_runs_s": floor_runs,
        "floor_ratio": cold.seconds / floor,
        "ccusage_s": peer[0] if peer else None,
        "ccusage_sessions": peer[1] if peer else None,
        "our_totals_query_s": query,
        "top_nodes": top_nodes(kept, nodes),
        "load_before": load_before,
        "load_after": load_average(),
    }


GIB = 1024  # RSS figures are in MiB


def _find(results: list[dict], kind: str, label: str) -> dict | None:
    return next((r for r in results if r["kind"] == kind and r["label"] == label), None)


def targets(results: list[dict]) -> list[tuple[str, str, bool | None]]:
    """Issue #16's targets: (target, figure, met?); met is None when not measured here."""
    r100, r500, r5g = (_find(results, REAL, x) for x in ("100MB", "500MB", "5GB"))
    g1 = _find(results, GENERATED, "1GB")
    rows: list[tuple[str, str, bool | None]] = []

    def add(target: str, figure: str | None, met: bool | None) -> None:
        rows.append((target, figure if figure is not None else "not measured", met))

    add(
        "cold `make build`, real-shaped 500 MB, <= 25x the DuckDB floor",
        r500 and f"{r500['floor_ratio']:.1f}x ({r500['cold_s']:.1f} s / {r500['floor_s']:.2f} s)",
        r500 and r500["floor_ratio"] <= 25,
    )
    add(
        "cold `make build`, generated 1 GB, >= 40 MB/s",
        g1 and f"{g1['cold_mb_s']:.1f} MB/s ({g1['cold_s']:.1f} s)",
        g1 and g1["cold_mb_s"] >= 40,
    )
    for r, name in ((r500, "500 MB"), (r5g, "5 GB")):
        add(
            f"one new session, real-shaped {name}, < 6 s",
            r and f"{r['one_new_s']:.1f} s",
            r and r["one_new_s"] < 6,
        )
    both = r100 and r5g
    add(
        "one new session, real-shaped 5 GB < 1.2x the 100 MB figure",
        both
        and f"{r5g['one_new_s']:.1f} s / {r100['one_new_s']:.1f} s = "
        f"{r5g['one_new_s'] / r100['one_new_s']:.2f}x",
        both and r5g["one_new_s"] < 1.2 * r100["one_new_s"],
    )
    for r, name in ((r500, "real-shaped 500 MB"), (g1, "generated 1 GB")):
        add(
            f"peak RSS, cold build, {name}, < 2 GiB",
            r and f"{r['cold_peak_rss_mb']:.0f} MiB",
            r and r["cold_peak_rss_mb"] < 2 * GIB,
        )
    if results:
        worst = max(results, key=lambda r: r["one_new_peak_rss_mb"])
        add(
            "peak RSS, one new session, < 1 GiB (largest over the corpora)",
            f"{worst['one_new_peak_rss_mb']:.0f} MiB ({worst['kind']} {worst['label']})",
            worst["one_new_peak_rss_mb"] < GIB,
        )
    both = r500 and r5g
    add(
        "peak RSS, cold build, real-shaped 5 GB <= 1.25x the 500 MB figure",
        both
        and f"{r5g['cold_peak_rss_mb']:.0f} / {r500['cold_peak_rss_mb']:.0f} MiB = "
        f"{r5g['cold_peak_rss_mb'] / r500['cold_peak_rss_mb']:.2f}x",
        both and r5g["cold_peak_rss_mb"] <= 1.25 * r500["cold_peak_rss_mb"],
    )
    if results:
        worst = max(results, key=lambda r: r["noop_s"])
        add(
            "no-op `make build` < 1 s (slowest over the corpora)",
            f"{worst['noop_s']:.2f} s ({worst['kind']} {worst['label']})",
            worst["noop_s"] < 1,
        )
    return rows


def _fmt(value: float | None, digits: int = 2) -> str:
    return "n/a" if value is None else f"{value:.{digits}f}"


def _node_name(unique_id: str) -> str:
    kind, _project, *rest = unique_id.split(".")
    name = {"model": ".".join(rest), "test": rest[0]}.get(kind, rest[-1])
    return name if kind == "model" else f"{kind.replace('_', ' ')} {name}"


def markdown(results: list[dict], command: str) -> str:
    lines = [
        "| corpus | raw MB | cold build s | MB/s | ours/floor | peak RSS MiB | no-op s "
        "| no-op dbt build s | +1 session s | +1 session RSS MiB | dbt fixed s "
        "| DuckDB floor s (best of 3) | ccusage s | ours/ccusage | totals query s "
        "| incremental/cold |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        ratio_peer = r["cold_s"] / r["ccusage_s"] if r["ccusage_s"] else None
        lines.append(
            f"| {r['kind']} {r['label']} | {r['raw_mb']:.0f} | {r['cold_s']:.1f} "
            f"| {r['cold_mb_s']:.1f} | {r['floor_ratio']:.1f}x | {r['cold_peak_rss_mb']:.0f} "
            f"| {r['noop_s']:.2f} | {r['noop_dbt_s']:.1f} | {r['one_new_s']:.1f} "
            f"| {r['one_new_peak_rss_mb']:.0f} | {r['dbt_fixed_s']:.1f} "
            f"| {r['floor_s']:.2f} ({', '.join(f'{t:.2f}' for t in r['floor_runs_s'])}) "
            f"| {_fmt(r['ccusage_s'])} | {_fmt(ratio_peer, 1)} | {r['our_totals_query_s']:.3f} "
            f"| {r['one_new_s'] / r['cold_s']:.2f} |"
        )
    machine = (
        f"{platform.machine()}, {os.cpu_count()} cores, "
        f"{os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30:.0f} GiB, "
        f"Python {platform.python_version()}"
    )
    loads = ", ".join(
        f"{r['kind']} {r['label']} {r['load_before']:.1f} -> {r['load_after']:.1f}" for r in results
    )
    generation = ", ".join(
        f"{r['kind']} {r['label']} {r['generation_s']:.1f} s"
        for r in results
        if r["generation_s"] is not None
    )
    out = [
        f"Machine: {machine}. Command: `{command}`. Ratios from the same run.",
        f"Load average (1 min) before -> after each corpus: {loads}.",
        "",
        *lines,
        "",
        "Corpus generation in this run: "
        + (generation or "none (all corpora reused from an earlier run)")
        + ".",
        "",
        "### Targets (issue #16), from this run",
        "",
        "| target | figure | met? |",
        "|---|---|---|",
    ]
    for target, figure, met in targets(results):
        verdict = "not measured" if met is None else ("yes" if met else "no")
        out.append(f"| {target} | {figure} | {verdict} |")
    names: list[str] = []
    for r in results:
        for unique_id, _ in r["top_nodes"]:
            if unique_id not in names:
                names.append(unique_id)
    out += [
        "",
        "### Slowest nodes of each cold build (s, dbt's run_results.json)",
        "",
        "| node | " + " | ".join(f"{r['kind']} {r['label']}" for r in results) + " |",
        "|---|" + "---|" * len(results),
    ]
    for unique_id in names:
        cells = []
        for r in results:
            seconds = dict(r["top_nodes"]).get(unique_id)
            cells.append(_fmt(seconds, 1) if seconds is not None else "")
        out.append(f"| {_node_name(unique_id)} | " + " | ".join(cells) + " |")
    return "\n".join(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=parse_size, action="append", default=[])
    parser.add_argument("--real-size", type=parse_size, action="append", default=[])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--work", type=Path, default=Path("/tmp/agent-threads-bench"))
    parser.add_argument("--output", type=Path, default=REPO / "BENCHMARKS.md")
    parser.add_argument("--nodes", type=int, default=12, help="slowest nodes kept per build")
    args = parser.parse_args()
    if not args.size and not args.real_size:
        parser.error("give at least one --size or --real-size")
    args.work.mkdir(parents=True, exist_ok=True)
    command = "python bench/run_benchmark.py " + " ".join(sys.argv[1:])
    plan = [(GENERATED, size) for size in args.size] + [(REAL, size) for size in args.real_size]
    results: list[dict] = []
    for kind, size in plan:
        print(f"measuring {kind} {size_label(size)} ...", flush=True)
        results.append(measure(kind, size, args.seed, args.work, args.nodes))
        (args.work / "results.json").write_text(json.dumps(results, indent=1))
        # written after each corpus, so a long run stopped midway keeps what it measured
        write_section(args.output, markdown(results, command))
    print(markdown(results, command))


def write_section(output: Path, table: str) -> None:
    """Replace the "Latest run" section of BENCHMARKS.md (the last one) with this run's."""
    heading = "## Latest run"
    text = output.read_text() if output.exists() else "# Benchmarks\n"
    if heading in text:
        text = text.split(heading)[0].rstrip() + "\n"
    output.write_text(f"{text.rstrip()}\n\n{heading}\n\n{table}\n")


if __name__ == "__main__":
    main()
