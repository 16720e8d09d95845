"""The report's SQL: dbt analyses, compiled by dbt once per set of inputs.

The compiled SQL is cached under ``<cache>/analyses-<fingerprint>/``; the fingerprint
covers every file dbt reads to compile them (analyses/, macros/, dbt_project.yml,
profiles.yml), the time zone, the database's catalog name (its file name: compiled SQL
names it) and dbt's version, so a change to any of them compiles again and an unchanged
project does not start dbt at all. Older compiled folders are removed.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path

log = logging.getLogger(__name__)

FINGERPRINTED = ("analyses", "macros", "dbt_project.yml", "profiles.yml")


class CompileError(RuntimeError):
    """dbt could not compile the report's analyses."""


def project_dir() -> Path:
    return Path(os.environ.get("DBT_PROJECT_DIR") or Path.cwd()).resolve()


def _files(project: Path) -> Iterable[Path]:
    for name in FINGERPRINTED:
        path = project / name
        if path.is_file():
            yield path
        elif path.is_dir():
            yield from sorted(p for p in path.rglob("*") if p.is_file())


def fingerprint(project: Path, names: Iterable[str], time_zone: str, db_path: Path) -> str:
    digest = hashlib.sha256()
    digest.update(json.dumps([sorted(names), time_zone, db_path.stem]).encode())
    digest.update(_dbt_version().encode())
    for path in _files(project):
        digest.update(str(path.relative_to(project)).encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()[:20]


def _dbt_version() -> str:
    try:
        from importlib.metadata import version

        return version("dbt-core")
    except Exception:  # pragma: no cover - dbt is a pinned dependency
        return "unknown"


def _dbt() -> str:
    beside = Path(sys.executable).parent / "dbt"
    return str(beside) if beside.exists() else "dbt"


def compiled_analyses(
    names: list[str], cache: Path, time_zone: str, db_path: Path
) -> dict[str, str]:
    """The compiled SQL of each analysis in ``names``, compiling with dbt on a cache miss."""
    project = project_dir()
    folder = cache / f"analyses-{fingerprint(project, names, time_zone, db_path)}"
    if not all((folder / f"{name}.sql").is_file() for name in names):
        _compile(names, project, cache, folder, time_zone, db_path)
    return {name: (folder / f"{name}.sql").read_text() for name in names}


def _compile(
    names: list[str], project: Path, cache: Path, folder: Path, time_zone: str, db_path: Path
) -> None:
    work = cache / "dbt"
    log.info("compiling %d analyses with dbt (once per change to the project)", len(names))
    # dbt opens its database read-write even to compile: point it at an empty one of the
    # same name (compiled SQL names the catalog after the file), so a compile never waits
    # for, nor blocks, a build or a `make sql` prompt on the real one
    (work / "db").mkdir(parents=True, exist_ok=True)
    env = {
        **os.environ,
        "AGENT_THREADS_DB": str(work / "db" / db_path.name),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    }
    command = [
        _dbt(),
        "compile",
        "--quiet",
        "--project-dir",
        str(project),
        "--profiles-dir",
        os.environ.get("DBT_PROFILES_DIR") or str(project),
        "--target-path",
        str(work / "target"),
        "--log-path",
        str(work / "logs"),
        "--vars",
        json.dumps({"time_zone": time_zone}),
        "--select",
        *names,
    ]
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise CompileError(
            f"dbt compile of the report's analyses failed:\n{(done.stdout + done.stderr)[-4000:]}"
        )
    found = {p.stem: p for p in (work / "target" / "compiled").rglob("analyses/**/*.sql")}
    missing = [name for name in names if name not in found]
    if missing:
        raise CompileError(f"dbt compiled no SQL for: {', '.join(missing)}")
    tmp = folder.with_name(folder.name + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    for name in names:
        shutil.copyfile(found[name], tmp / f"{name}.sql")
    shutil.rmtree(folder, ignore_errors=True)
    tmp.rename(folder)
    for older in cache.glob("analyses-*"):
        if older != folder:
            shutil.rmtree(older, ignore_errors=True)
