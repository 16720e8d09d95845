"""The package's log: ``logging`` under the name ``agent_threads``, to standard error.

Library code logs through :func:`logger` instead of printing. By default the messages go
to whatever ``sys.stderr`` is when they are written (dbt's output, a test's capture) as
plain lines that start with "agent_threads"; configure the ``agent_threads`` logger (its
level, its handlers) to silence or redirect them.
"""

from __future__ import annotations

import logging
import sys


class _CurrentStderr(logging.Handler):
    """Write to ``sys.stderr`` as it is at each message, not as it was at import."""

    def emit(self, record: logging.LogRecord) -> None:
        try:
            sys.stderr.write(self.format(record) + "\n")
            sys.stderr.flush()
        except Exception:  # a closed stream must not break a build
            self.handleError(record)


_ROOT = logging.getLogger("agent_threads")
if not _ROOT.handlers:
    _ROOT.addHandler(_CurrentStderr())
    _ROOT.setLevel(logging.INFO)
    _ROOT.propagate = False  # said once, however the host configures the root logger


def logger(part: str) -> logging.Logger:
    """The logger of one part (``landing``, ``roots``, ...): ``agent_threads.<part>``."""
    return logging.getLogger(f"agent_threads.{part}")
