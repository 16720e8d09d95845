"""`make report`: a static, offline HTML report over the marts.

    python -m agent_threads.report [--out DIR] [--time-zone ZONE] [--include-prompts]

It reads the built database read-only (the marts, never the raw logs) through dbt
analyses: the project's own (`daily_cost_by_model`, `cost_by_project`, ...) where the
report shows the same figures, and `analyses/report/report_*.sql` for the rest. They are
compiled by dbt once per set of inputs (:mod:`.queries` caches the compiled SQL), so a
rebuild on a built database runs the queries and writes one file:
`target/report/index.html`, with Vega, Vega-Lite and Vega-Embed inlined from the pinned
`vl-convert-python` package (:mod:`.page`). No file of it holds message text unless
``--include-prompts`` is given (:mod:`.data`).
"""

from agent_threads.report.data import ALL_ANALYSES, collect
from agent_threads.report.page import render, write_report

__all__ = ["ALL_ANALYSES", "collect", "render", "write_report"]
