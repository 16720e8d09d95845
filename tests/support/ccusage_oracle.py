"""Run the peer tool ccusage over Claude Code projects roots, keyed by OUR session_id.

ccusage (npm ``ccusage``, pinned to 20.0.24 because 20.0.26 ships no Linux binary) is a
thin ``src/cli.js`` launcher around a native Rust binary from the optional dependency
``@ccusage/ccusage-<platform>-<arch>``. Facts checked against that release:

- Data location: ``CLAUDE_CONFIG_DIR`` holds one path or several separated by commas. Each
  path must be a config dir that contains ``projects/``, or a dir *named* ``projects``
  (ccusage then uses its parent). Any other dir is rejected ("No valid Claude data
  directories found in CLAUDE_CONFIG_DIR"). When the variable is unset it reads
  ``$XDG_CONFIG_HOME/claude`` and ``~/.claude``; ``CCUSAGE_CLAUDE_EXTRA_DIRS`` adds more.
- ``projects/`` is walked recursively for ``*.jsonl``. A symlink given as ``projects``
  itself is followed, but symlinked project folders *inside* ``projects/`` are not (they
  come out as zero sessions). So each root is staged as ``<tmp>/rootN/projects ->
  <root>``: no copying, nothing written near the real data.
- ``ccusage claude session --json`` prints ``{"sessions": [...], "totals": {...}}``. Each
  session row has ``sessionId``, ``projectPath``, ``inputTokens`` (cache excluded),
  ``outputTokens``, ``cacheReadTokens``, ``cacheCreationTokens``, ``totalTokens``,
  ``totalCost``, ``modelsUsed``, ``modelBreakdowns``, ``firstActivity``, ``lastActivity``.
  The plain ``ccusage session`` is the cross-agent report (Codex, OpenCode, ... too), so
  the Claude-only subcommand is used.
- A row is identified by ``(projectPath, sessionId)``, both derived from the file path
  relative to ``projects/``: ``<project>/<name>.jsonl`` gives ``(<project>, <name>)`` (so a
  2.0.x ``agent-<id>.jsonl`` is its own row, ``sessionId == "agent-<id>"``);
  ``<project...>/<session>/subagents/<file>.jsonl`` gives ``(<project...>, <session>)``;
  any other nesting ``<project...>/<dir>/<file>.jsonl`` gives ``(<project...>, <dir>)``.
  :func:`ccusage_entry_key` mirrors that rule so rows can be mapped back to files.
- Sessions with no usage lines (e.g. a file holding only a ``summary``) are not reported.
- Flags used: ``--offline`` (embedded LiteLLM pricing, no fetch), ``--timezone UTC`` (the
  daily report: the zone under test),
  ``--no-color``, ``--order asc``. HOME / XDG dirs point into the temp dir and every
  ``CLAUDE_*`` / ``CCUSAGE_*`` variable is dropped so no user config or data leaks in.

Mapping to our dataset: our ``session_id`` for a main transcript ``<uuid>.jsonl`` is the
uuid; for an ``agent-*.jsonl`` (project-level 2.0.x file or ``<session>/subagents/``) it
is the ``sessionId`` carried by the file's lines (the parent session). Every ccusage row is
mapped through the files that produced it and rows are summed per our session_id. Main
transcripts that ccusage does not report get an all-zero row, so the result has a key for
every session our dataset has.
"""

from __future__ import annotations

import contextlib
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypedDict

CCUSAGE_VERSION = "20.0.24"
CACHE_ENV_VAR = "AGENT_THREADS_TOOL_CACHE"
DEFAULT_CACHE_DIR = Path("~/.cache/agent-threads") / f"ccusage-{CCUSAGE_VERSION}"
INSTALL_TIMEOUT_S = 300
RUN_TIMEOUT_S = 300

_NATIVE_PACKAGES = {
    ("linux", "x86_64"): "@ccusage/ccusage-linux-x64",
    ("linux", "aarch64"): "@ccusage/ccusage-linux-arm64",
    ("linux", "arm64"): "@ccusage/ccusage-linux-arm64",
    ("linux", "amd64"): "@ccusage/ccusage-linux-x64",
    ("darwin", "x86_64"): "@ccusage/ccusage-darwin-x64",
    ("darwin", "arm64"): "@ccusage/ccusage-darwin-arm64",
}


class CcusageUnavailable(RuntimeError):
    """ccusage cannot be installed or started here (no npm/node, offline, no binary)."""


class CcusageError(RuntimeError):
    """ccusage ran but failed, printed something unexpected, or a row could not be mapped."""


class SessionTotals(TypedDict):
    """ccusage's totals for one of OUR sessions (all ccusage rows folded into it)."""

    input_tokens: int  # excludes cache reads and cache writes
    output_tokens: int
    cache_read_input_tokens: int
    cache_creation_input_tokens: int
    total_cost_usd: float | None  # None when ccusage reported no cost for any folded row
    ccusage_entries: list[str]  # "<projectPath>/<sessionId>" of each folded ccusage row


@dataclass(frozen=True)
class TranscriptFile:
    """One ``*.jsonl`` under a projects root, as ccusage and as our dataset see it."""

    path: Path
    ccusage_key: tuple[str, str]  # (projectPath, sessionId) of the ccusage row it feeds
    session_id: str | None  # OUR session_id (None: an agent file whose lines carry none)
    is_main: bool  # a top-level ``<project>/<uuid>.jsonl`` transcript (not ``agent-*``)


# --------------------------------------------------------------------------- install


def cache_dir_default() -> Path:
    """``$AGENT_THREADS_TOOL_CACHE`` if set, else ``~/.cache/agent-threads/ccusage-<ver>``."""
    configured = os.environ.get(CACHE_ENV_VAR, "").strip()
    return Path(configured or DEFAULT_CACHE_DIR).expanduser().absolute()


def _native_package() -> str:
    system = sys.platform
    machine = platform.machine().lower()
    package = _NATIVE_PACKAGES.get((system, machine))
    if package is None:
        raise CcusageUnavailable(f"ccusage has no native binary for {system}-{machine}")
    return package


def _installed_version(cache_dir: Path) -> str | None:
    manifest = cache_dir / "node_modules" / "ccusage" / "package.json"
    try:
        version = json.loads(manifest.read_text(encoding="utf-8")).get("version")
    except (OSError, ValueError):
        return None
    return version if isinstance(version, str) else None


def _is_installed(cache_dir: Path) -> bool:
    native = cache_dir / "node_modules" / _native_package() / "bin" / "ccusage"
    return _installed_version(cache_dir) == CCUSAGE_VERSION and native.is_file()


@contextlib.contextmanager
def _install_lock(cache_dir: Path) -> Iterator[None]:
    try:
        import fcntl
    except ImportError as exc:  # not POSIX
        raise CcusageUnavailable("installing ccusage needs a POSIX system (fcntl)") from exc
    with open(cache_dir / ".install.lock", "a+b") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def ensure_ccusage(cache_dir: Path | None = None) -> Path:
    """Install ``ccusage@20.0.24`` into ``cache_dir`` once; return its ``src/cli.js``.

    Raises :class:`CcusageUnavailable` when node or npm is missing, the install fails
    (e.g. no registry access), or the platform's native binary did not come along.
    """
    cache_dir = (cache_dir or cache_dir_default()).expanduser().absolute()
    if shutil.which("node") is None:
        raise CcusageUnavailable("node is not on PATH (ccusage is a node launcher)")
    _native_package()  # unsupported platform: fail before touching the network
    cli = cache_dir / "node_modules" / "ccusage" / "src" / "cli.js"
    if _is_installed(cache_dir):
        return cli
    npm = shutil.which("npm")
    if npm is None:
        raise CcusageUnavailable(f"npm is not on PATH; cannot install ccusage@{CCUSAGE_VERSION}")
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise CcusageUnavailable(f"cannot create tool cache {cache_dir}: {exc}") from exc
    with _install_lock(cache_dir):
        if _is_installed(cache_dir):  # another process installed it meanwhile
            return cli
        command = [
            npm,
            "install",
            "--prefix",
            str(cache_dir),
            "--no-audit",
            "--no-fund",
            "--loglevel=error",
            f"ccusage@{CCUSAGE_VERSION}",
        ]
        try:
            done = subprocess.run(
                command, capture_output=True, text=True, timeout=INSTALL_TIMEOUT_S, check=False
            )
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise CcusageUnavailable(f"`{' '.join(command)}` did not finish: {exc}") from exc
        if done.returncode != 0:
            tail = (done.stderr or done.stdout).strip()[-2000:]
            raise CcusageUnavailable(
                f"`{' '.join(command)}` failed (exit {done.returncode}): {tail}"
            )
        if not _is_installed(cache_dir):
            raise CcusageUnavailable(
                f"ccusage@{CCUSAGE_VERSION} installed into {cache_dir} without its native "
                f"binary {_native_package()} (optional dependency missing?)"
            )
    return cli


# --------------------------------------------------------------------------- files


def ccusage_entry_key(relative_parts: Sequence[str]) -> tuple[str, str]:
    """ccusage's ``(projectPath, sessionId)`` for a file at ``projects/<relative_parts>``.

    Mirrors ``extract_session_parts`` of ccusage's Claude adapter.
    """
    parts = list(relative_parts)
    stem = parts[-1][: -len(".jsonl")] if parts and parts[-1].endswith(".jsonl") else ""
    if len(parts) == 2 and stem:
        return parts[0], stem
    if len(parts) >= 4 and parts[-2] == "subagents":
        return os.sep.join(parts[:-3]) or "Unknown Project", parts[-3]
    session = parts[-2] if len(parts) >= 2 else "unknown"
    project = os.sep.join(parts[:-2]) if len(parts) > 2 else "Unknown Project"
    return project, session


def _line_session_id(path: Path) -> str | None:
    """The first non-empty ``sessionId`` carried by the file's lines."""
    with path.open("rb") as handle:
        for raw in handle:
            if b'"sessionId"' not in raw:
                continue
            try:
                record = json.loads(raw)
            except ValueError:
                continue
            value = record.get("sessionId") if isinstance(record, dict) else None
            if isinstance(value, str) and value:
                return value
    return None


def _walk_jsonl(root: Path) -> Iterator[Path]:
    # Like ccusage: recurse, do not follow symlinked dirs below the root.
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        dirnames.sort()
        for name in sorted(filenames):
            if name.endswith(".jsonl"):
                yield Path(dirpath) / name


def transcript_files(projects_root: Path) -> list[TranscriptFile]:
    """Every ``*.jsonl`` under a projects root with its ccusage key and OUR session_id."""
    root = Path(projects_root)
    files: list[TranscriptFile] = []
    for path in _walk_jsonl(root):
        parts = path.relative_to(root).parts
        key = ccusage_entry_key(parts)
        stem = path.name[: -len(".jsonl")]
        is_agent = stem.startswith("agent-")
        if is_agent:
            session_id = _line_session_id(path)
            if session_id is None and "subagents" in parts[:-1]:
                session_id = key[1]  # <session>/subagents/agent-*.jsonl: the folder names it
        else:
            session_id = stem if len(parts) == 2 else key[1]
        files.append(
            TranscriptFile(
                path=path,
                ccusage_key=key,
                session_id=session_id,
                is_main=len(parts) == 2 and not is_agent,
            )
        )
    return files


# --------------------------------------------------------------------------- run


def _clean_env(home: Path, config_dirs: Sequence[Path]) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("CLAUDE_", "CCUSAGE_", "XDG_", "FORCE_COLOR", "LOG_LEVEL"))
    }
    env.update(
        HOME=str(home),
        USERPROFILE=str(home),
        XDG_CONFIG_HOME=str(home / ".config"),
        XDG_CACHE_HOME=str(home / ".cache"),
        XDG_DATA_HOME=str(home / ".local" / "share"),
        CLAUDE_CONFIG_DIR=",".join(str(path) for path in config_dirs),
        NO_COLOR="1",
        TZ="UTC",
    )
    return env


def _run_ccusage_json(
    args: Sequence[str],
    *,
    cwd: Path,
    env: Mapping[str, str],
    cache_dir: Path | None = None,
    rows_key: str = "sessions",
) -> dict[str, Any]:
    """Run ``ccusage <args>`` (a ``--json`` report) and return its parsed payload.

    The session reports print ``{"sessions": [...], "totals": {...}}``, the daily report
    ``{"daily": [...], "totals": {...}}``: ``rows_key`` names the list to expect.
    Not runnable (no node, no binary, a timeout): CcusageUnavailable; ran but failed or
    printed something else: CcusageError.
    """
    cli = ensure_ccusage(cache_dir)
    node = shutil.which("node")
    if node is None:  # pragma: no cover - checked in ensure_ccusage
        raise CcusageUnavailable("node is not on PATH")
    try:
        done = subprocess.run(
            [node, str(cli), *args],
            capture_output=True,
            text=True,
            cwd=cwd,
            env=dict(env),
            timeout=RUN_TIMEOUT_S,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise CcusageUnavailable(f"could not run ccusage: {exc}") from exc
    if done.returncode != 0:
        raise CcusageError(f"ccusage exited {done.returncode}: {done.stderr.strip()[-2000:]}")
    try:
        payload = json.loads(done.stdout)
    except ValueError as exc:
        raise CcusageError(f"ccusage printed non-JSON: {done.stdout[:500]!r}") from exc
    if not isinstance(payload, dict) or not isinstance(payload.get(rows_key), list):
        raise CcusageError(f"unexpected ccusage JSON shape: {str(payload)[:500]}")
    return payload


def run_ccusage_claude_json(
    report: Sequence[str],
    projects_roots: Sequence[Path],
    *,
    time_zone: str = "UTC",
    rows_key: str = "sessions",
    cache_dir: Path | None = None,
) -> dict[str, Any]:
    """Raw ``ccusage claude <report> --json --offline --timezone <zone>`` over projects roots.

    One run covers all roots (ccusage combines the config dirs, deduplicating across them
    as it would on a real machine with several config dirs). ``TZ`` stays UTC: only
    ``--timezone`` sets the zone ccusage groups days in.
    """
    roots = [Path(root).resolve() for root in projects_roots]
    for root in roots:
        if not root.is_dir():
            raise CcusageError(f"projects root {root} is not a directory")
    with tempfile.TemporaryDirectory(prefix="ccusage-oracle-") as tmp_name:
        tmp = Path(tmp_name).resolve()
        if "projects" in tmp.parts:
            # ccusage keys files by the path part after the FIRST "projects" component.
            raise CcusageError(f"temp dir {tmp} has a 'projects' component; set TMPDIR")
        home = tmp / "home"
        home.mkdir()
        config_dirs = []
        for index, root in enumerate(roots):
            config_dir = tmp / f"root{index}"
            config_dir.mkdir()
            (config_dir / "projects").symlink_to(root, target_is_directory=True)
            config_dirs.append(config_dir)
        command = ["claude", *report, "--json", "--offline", "--timezone", time_zone]
        command += ["--no-color", "--order", "asc"]
        return _run_ccusage_json(
            command,
            cwd=tmp,
            env=_clean_env(home, config_dirs),
            cache_dir=cache_dir,
            rows_key=rows_key,
        )


def run_ccusage_session_json(
    projects_roots: Sequence[Path], *, cache_dir: Path | None = None
) -> dict[str, Any]:
    """Raw ``ccusage claude session --json`` output over the given projects roots (UTC)."""
    return run_ccusage_claude_json(["session"], projects_roots, cache_dir=cache_dir)


class DailyModelTotals(TypedDict):
    """ccusage's totals for one day (in the zone given) and one model."""

    input_tokens: int  # excludes cache reads and cache writes
    output_tokens: int
    cache_read_input_tokens: int
    cache_creation_input_tokens: int
    cost_usd: float


def ccusage_daily_model_totals(
    projects_roots: Sequence[Path], time_zone: str, *, cache_dir: Path | None = None
) -> dict[tuple[str, str], DailyModelTotals]:
    """``ccusage claude daily --breakdown`` over projects roots, by ``(YYYY-MM-DD, model)``.

    Facts checked against 20.0.24: each ``daily`` row is a date in ``--timezone``'s zone
    with ``modelBreakdowns`` (``modelName``, ``inputTokens`` without cache,
    ``cacheReadTokens``, ``cacheCreationTokens``, ``outputTokens``, ``cost``); the row's
    own totals are the sums of its breakdowns.
    """
    payload = run_ccusage_claude_json(
        ["daily", "--breakdown"],
        projects_roots,
        time_zone=time_zone,
        rows_key="daily",
        cache_dir=cache_dir,
    )
    totals: dict[tuple[str, str], DailyModelTotals] = {}
    for day in payload["daily"]:
        for breakdown in day.get("modelBreakdowns") or []:
            key = (str(day["date"]), str(breakdown["modelName"]))
            if key in totals:
                raise CcusageError(f"ccusage reported {key} twice")
            totals[key] = DailyModelTotals(
                input_tokens=_int_field(breakdown, "inputTokens"),
                output_tokens=_int_field(breakdown, "outputTokens"),
                cache_read_input_tokens=_int_field(breakdown, "cacheReadTokens"),
                cache_creation_input_tokens=_int_field(breakdown, "cacheCreationTokens"),
                cost_usd=float(breakdown["cost"]),
            )
    return totals


def _int_field(row: Mapping[str, Any], name: str) -> int:
    value = row.get(name, 0)
    if isinstance(value, bool) or not isinstance(value, int | float) or value != int(value):
        raise CcusageError(f"ccusage row field {name}={value!r} is not an integer: {row}")
    return int(value)


def fold_sessions(
    rows: Iterable[Mapping[str, Any]], files: Iterable[TranscriptFile]
) -> dict[str, SessionTotals]:
    """Map ccusage session rows to OUR session_id and sum them.

    Raises :class:`CcusageError` for a row whose files are unknown or carry no session id,
    or whose files belong to more than one of our sessions (a row cannot be split).
    """
    files = list(files)
    owners: dict[tuple[str, str], set[str | None]] = {}
    for transcript in files:
        owners.setdefault(transcript.ccusage_key, set()).add(transcript.session_id)

    result: dict[str, SessionTotals] = {}
    for row in rows:
        key = (str(row.get("projectPath")), str(row.get("sessionId")))
        candidates = owners.get(key)
        if not candidates:
            raise CcusageError(f"ccusage row {key} matches no transcript file")
        if None in candidates or len(candidates) != 1:
            raise CcusageError(
                f"ccusage row {key} maps to session ids {sorted(map(str, candidates))}"
            )
        (session_id,) = candidates
        assert session_id is not None
        totals = result.setdefault(session_id, _zero_totals())
        totals["input_tokens"] += _int_field(row, "inputTokens")
        totals["output_tokens"] += _int_field(row, "outputTokens")
        totals["cache_read_input_tokens"] += _int_field(row, "cacheReadTokens")
        totals["cache_creation_input_tokens"] += _int_field(row, "cacheCreationTokens")
        cost = row.get("totalCost")
        if isinstance(cost, int | float) and not isinstance(cost, bool):
            totals["total_cost_usd"] = (totals["total_cost_usd"] or 0.0) + float(cost)
        totals["ccusage_entries"].append(f"{key[0]}/{key[1]}")

    for transcript in files:
        if transcript.is_main and transcript.session_id is not None:
            result.setdefault(transcript.session_id, _zero_totals())
    for totals in result.values():
        totals["ccusage_entries"].sort()
    return dict(sorted(result.items()))


def _zero_totals() -> SessionTotals:
    return SessionTotals(
        input_tokens=0,
        output_tokens=0,
        cache_read_input_tokens=0,
        cache_creation_input_tokens=0,
        total_cost_usd=None,
        ccusage_entries=[],
    )


def ccusage_session_totals(
    projects_roots: Path | Sequence[Path], *, cache_dir: Path | None = None
) -> dict[str, SessionTotals]:
    """ccusage's per-session token totals over Claude Code projects roots, by OUR session_id.

    ``projects_roots`` are folders shaped like ``~/.claude/projects`` (holding
    ``<project>/<session>.jsonl``), as in our ``CLAUDE_ROOTS``.
    """
    roots = (
        [Path(projects_roots)]
        if isinstance(projects_roots, str | Path)
        else [Path(root) for root in projects_roots]
    )
    payload = run_ccusage_session_json(roots, cache_dir=cache_dir)
    files = [transcript for root in roots for transcript in transcript_files(root.resolve())]
    return fold_sessions(payload["sessions"], files)


# --------------------------------------------------------------------------- Codex


class CodexFileTotals(TypedDict):
    """ccusage's totals for one Codex rollout file (ccusage keys Codex usage by file)."""

    input_tokens: int  # excludes cached input
    cache_read_input_tokens: int
    output_tokens: int  # reasoning included
    reasoning_output_tokens: int
    cost_usd: float
    models: list[str]


def ccusage_codex_file_totals(
    rollouts: Mapping[str, Path], *, cache_dir: Path | None = None
) -> dict[str, CodexFileTotals]:
    """``ccusage codex session --json`` over the given rollouts, by the name given to each.

    ``rollouts`` maps a rollout file name (``rollout-<time>-<id>.jsonl``, the shape ccusage
    looks for) to the file to put under it. Facts checked against 20.0.24: ccusage walks
    ``$CODEX_HOME/sessions`` but does not follow symlinked files, so the files are copied
    into a temp home (never near the repository); each row is one file (``sessionFile`` is
    its name without ``.jsonl``); ``inputTokens`` excludes ``cacheReadTokens``; ``costUSD``
    is priced from the embedded snapshot with ``--offline``; ``--speed standard`` prices
    every call at the standard tier. Files with no usage are not reported.
    """
    with tempfile.TemporaryDirectory(prefix="ccusage-codex-oracle-") as tmp_name:
        tmp = Path(tmp_name).resolve()
        home = tmp / "home"
        day = tmp / "codex" / "sessions" / "2026" / "01" / "01"
        day.mkdir(parents=True)
        home.mkdir()
        for name, path in rollouts.items():
            shutil.copyfile(path, day / name)
        env = _clean_env(home, [])
        env.pop("CLAUDE_CONFIG_DIR", None)
        env = {key: value for key, value in env.items() if not key.startswith("CODEX_")}
        env["CODEX_HOME"] = str(tmp / "codex")
        command = ["codex", "session", "--json", "--offline"]
        command += ["--timezone", "UTC", "--speed", "standard", "--no-color"]
        rows = _run_ccusage_json(command, cwd=tmp, env=env, cache_dir=cache_dir)["sessions"]
    totals: dict[str, CodexFileTotals] = {}
    for row in rows:
        name = f"{row['sessionFile']}.jsonl"
        if name not in rollouts:
            raise CcusageError(f"ccusage reported a file it was not given: {name}")
        totals[name] = CodexFileTotals(
            input_tokens=_int_field(row, "inputTokens"),
            cache_read_input_tokens=_int_field(row, "cacheReadTokens"),
            output_tokens=_int_field(row, "outputTokens"),
            reasoning_output_tokens=_int_field(row, "reasoningOutputTokens"),
            cost_usd=float(row["costUSD"]),
            models=sorted(row.get("models") or {}),
        )
    return totals


# --------------------------------------------------------------------------- prices

PRICE_PROBE_TOKENS = 100_000  # below every long-context threshold (200k Claude, 272k GPT)


def _compact(obj: Any) -> str:
    # ccusage 20.0.24 pre-filters lines by their compact spelling ("type":"assistant"): a
    # line written with spaces after the colons is silently skipped
    return json.dumps(obj, separators=(",", ":"))


def ccusage_unit_prices(
    claude_models: Sequence[str], codex_models: Sequence[str], *, cache_dir: Path | None = None
) -> dict[str, dict[str, float]]:
    """ccusage's own USD per million tokens, per model and token kind, read off its output.

    Each (model, kind) gets one synthetic session holding one call of PRICE_PROBE_TOKENS
    tokens of that kind; its reported cost is the price. Kinds: ``input``, ``output``,
    ``cache_read``, and for Claude models ``cache_write_5m`` and ``cache_write_1h``. A
    model ccusage has no price for comes out at 0.
    """
    n = PRICE_PROBE_TOKENS
    claude_kinds = {
        "input": {"input_tokens": n},
        "output": {"output_tokens": n},
        "cache_read": {"cache_read_input_tokens": n},
        "cache_write_5m": {
            "cache_creation_input_tokens": n,
            "cache_creation": {"ephemeral_5m_input_tokens": n, "ephemeral_1h_input_tokens": 0},
        },
        "cache_write_1h": {
            "cache_creation_input_tokens": n,
            "cache_creation": {"ephemeral_5m_input_tokens": 0, "ephemeral_1h_input_tokens": n},
        },
    }
    codex_kinds = {
        "input": {"input_tokens": n, "cached_input_tokens": 0, "output_tokens": 0},
        "output": {"input_tokens": 0, "cached_input_tokens": 0, "output_tokens": n},
        "cache_read": {"input_tokens": n, "cached_input_tokens": n, "output_tokens": 0},
    }
    prices: dict[str, dict[str, float]] = {}
    with tempfile.TemporaryDirectory(prefix="ccusage-prices-") as tmp_name:
        tmp = Path(tmp_name).resolve()
        project = tmp / "claude" / "projects" / "-probe"
        day = tmp / "codex" / "sessions" / "2026" / "01" / "01"
        project.mkdir(parents=True)
        day.mkdir(parents=True)
        probes: dict[str, tuple[str, str]] = {}
        for index, (model, (kind, usage)) in enumerate(
            (m, k) for m in claude_models for k in claude_kinds.items()
        ):
            session = f"00000000-0000-4000-8000-{index:012d}"
            probes[session] = (model, kind)
            line = {
                "type": "assistant",
                "sessionId": session,
                "uuid": f"10000000-0000-4000-8000-{index:012d}",
                "parentUuid": None,
                "timestamp": "2026-01-01T00:00:00.000Z",
                "version": "2.0.55",
                "requestId": f"req_{index}",
                "message": {
                    "id": f"msg_{index}",
                    "role": "assistant",
                    "model": model,
                    "content": [{"type": "text", "text": "x"}],
                    "usage": {
                        "input_tokens": 0,
                        "output_tokens": 0,
                        "cache_read_input_tokens": 0,
                        "cache_creation_input_tokens": 0,
                        **usage,
                    },
                },
            }
            (project / f"{session}.jsonl").write_text(_compact(line) + "\n")
        for index, (model, (kind, usage)) in enumerate(
            (m, k) for m in codex_models for k in codex_kinds.items()
        ):
            name = f"rollout-2026-01-01T00-00-00-20000000-0000-4000-8000-{index:012d}"
            probes[name] = (model, kind)
            full = {**usage, "reasoning_output_tokens": 0, "total_tokens": n}
            lines = [
                {
                    "timestamp": "2026-01-01T00:00:00.000Z",
                    "type": "session_meta",
                    "payload": {"id": name[-36:], "cwd": "/probe", "cli_version": "0.60.0"},
                },
                {
                    "timestamp": "2026-01-01T00:00:01.000Z",
                    "type": "turn_context",
                    "payload": {"cwd": "/probe", "model": model},
                },
                {
                    "timestamp": "2026-01-01T00:00:02.000Z",
                    "type": "event_msg",
                    "payload": {
                        "type": "token_count",
                        "info": {"total_token_usage": full, "last_token_usage": full},
                    },
                },
            ]
            (day / f"{name}.jsonl").write_text("".join(_compact(x) + "\n" for x in lines))
        home = tmp / "home"
        home.mkdir()
        runs = (
            (["claude", "session"], claude_models, "sessionId"),
            (["codex", "session", "--speed", "standard"], codex_models, "sessionFile"),
        )
        for command, models, key in runs:
            if not models:
                continue
            env = _clean_env(home, [tmp / "claude"])
            env["CODEX_HOME"] = str(tmp / "codex")
            report = _run_ccusage_json(
                [*command, "--json", "--offline", "--timezone", "UTC"],
                cwd=tmp,
                env=env,
                cache_dir=cache_dir,
            )
            for row in report["sessions"]:
                model, kind = probes[row[key].rsplit("/", 1)[-1]]
                cost = row.get("totalCost", row.get("costUSD"))
                prices.setdefault(model, {})[kind] = round(float(cost) * 1e6 / n, 6)
    for model in (*claude_models, *codex_models):
        prices.setdefault(model, {})
    return prices
