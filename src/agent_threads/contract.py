"""The dataset contract's constants, each defined once for the Python package.

Where dbt must know the same rule, it has its own one definition and a test pins the two
equal (tests/python/test_contract.py):

- ``SCHEMA_VERSION``: the ``latest_version`` of ``messages`` in
  models/marts/_marts__models.yml;
- ``ID_PATTERN``: the ``is_valid_id`` macro (macros/ids.sql);
- ``DEFAULT_SETTLE_AFTER_MINUTES``: the var ``settle_after_minutes`` in dbt_project.yml.
"""

from __future__ import annotations

import re

#: the version of the published `messages` relation and of the Parquet dataset's root
SCHEMA_VERSION = 6

#: a session, conversation or agent id: 1 to 200 of letters, digits and . _ : -
ID_PATTERN = "[A-Za-z0-9._:-]{1,200}"
ID_RE = re.compile(ID_PATTERN)

#: a session is settled once its last activity is this many minutes before `as_of`
DEFAULT_SETTLE_AFTER_MINUTES = 60.0


def is_valid_id(value: str) -> bool:
    """The contract's id rule (whole string)."""
    return ID_RE.fullmatch(value) is not None
