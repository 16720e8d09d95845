"""agent-threads: Claude Code transcripts and Codex rollouts as one dataset (schema v6).

The dbt models under ``models/`` are thin; the logic they call lives here so that pytest
reaches it without dbt:

- :mod:`agent_threads.paths`: where data lives (roots, database, dataset dir).
- :mod:`agent_threads.landing`: file discovery and the raw landing cache reader.
"""

from agent_threads.contract import SCHEMA_VERSION

__all__ = ["SCHEMA_VERSION"]
