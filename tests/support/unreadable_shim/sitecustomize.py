"""Installed only by tests (tests/support/unreadable.py): paths root cannot read either."""

import os
import sys

if os.environ.get("AGENT_THREADS_TEST_UNREADABLE"):
    sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", ".."))
    from support.unreadable import ENV_VAR, install

    install(os.environ[ENV_VAR].split(os.pathsep))
