"""The package's exceptions: one type per class of failure, each naming what it concerns.

Every one derives from :class:`AgentThreadsError`, so a caller can catch the package's
failures apart from bugs. A bad setting is also a ``ValueError`` and an I/O failure also a
``RuntimeError``, as they were before these types existed.
"""

from __future__ import annotations

from pathlib import Path


class AgentThreadsError(Exception):
    """A failure the package reports with a message that says what to do."""


class SettingError(AgentThreadsError, ValueError):
    """A var, setting or argument has a value the package cannot use.

    ``setting`` names it (``export_text``, ``dataset_layout``, ``as_of``, ...); the
    message names it too, and says what the value may be.
    """

    def __init__(self, setting: str, message: str) -> None:
        super().__init__(message)
        self.setting = setting


class RootsError(AgentThreadsError, RuntimeError):
    """The roots cannot be used: the message says which and what to do."""


class DatasetExportError(AgentThreadsError, RuntimeError):
    """The Parquet export could not finish; ``path`` is the file or folder concerned."""

    def __init__(self, message: str, path: Path | str | None = None) -> None:
        super().__init__(message)
        self.path = Path(path) if path is not None else None
