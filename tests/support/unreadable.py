"""Unreadable paths for tests, also when they run as root (who reads everything).

:func:`make_unreadable` takes the read permission away (``chmod 000``), which is all a
normal user needs. Root ignores permissions, so for root the same POSIX behaviour is
imitated: :func:`install` makes ``os.scandir`` of such a folder, ``os.stat`` of anything
inside it and ``open`` of such a file (or of anything inside such a folder) raise
``PermissionError``. dbt runs in a subprocess: :func:`shim_env` puts a
``sitecustomize`` on its ``PYTHONPATH`` that installs the same from an env var.
"""

from __future__ import annotations

import builtins
import errno
import os
from pathlib import Path

ENV_VAR = "AGENT_THREADS_TEST_UNREADABLE"
SHIM_DIR = Path(__file__).resolve().parent / "unreadable_shim"


def make_unreadable(paths: list[Path]) -> None:
    for path in paths:
        os.chmod(path, 0)


def make_readable(paths: list[Path]) -> None:
    for path in paths:
        os.chmod(path, 0o755 if path.is_dir() else 0o644)


def shim_env(env: dict[str, str], paths: list[Path]) -> dict[str, str]:
    env = dict(env)
    env[ENV_VAR] = os.pathsep.join(str(p) for p in paths)
    env["PYTHONPATH"] = os.pathsep.join(
        [
            str(SHIM_DIR),
            *[
                p
                for p in env.get("PYTHONPATH", os.environ.get("PYTHONPATH", "")).split(os.pathsep)
                if p
            ],
        ]
    )
    return env


def _denied(path) -> PermissionError:
    return PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(path))


def install(paths: list[str]) -> None:
    """Patch os.scandir, os.stat and open so that ``paths`` behave as chmod 000 for root."""
    blocked = [os.path.abspath(p) for p in paths if p]
    if not blocked:
        return

    def inside(path) -> bool:
        text = os.path.abspath(os.fsdecode(path)) if not isinstance(path, int) else ""
        return any(text.startswith(b + os.sep) for b in blocked)

    def exact(path) -> bool:
        text = os.path.abspath(os.fsdecode(path)) if not isinstance(path, int) else ""
        return text in blocked

    real_scandir, real_stat, real_open = os.scandir, os.stat, builtins.open

    def scandir(path="."):
        if exact(path) or inside(path):
            raise _denied(path)
        return real_scandir(path)

    def stat(path, *args, **kwargs):
        if inside(path):
            raise _denied(path)
        return real_stat(path, *args, **kwargs)

    def open_(file, *args, **kwargs):
        if not isinstance(file, int) and (exact(file) or inside(file)):
            raise _denied(file)
        return real_open(file, *args, **kwargs)

    os.scandir, os.stat, builtins.open = scandir, stat, open_
