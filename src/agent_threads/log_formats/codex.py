"""Codex rollout parts whose shape depends on the client version."""

from __future__ import annotations

from typing import Any


def token_usage(
    inp: int, cached: int, out: int, reasoning: int, cache_write: int | None = None
) -> dict[str, Any]:
    """A ``token_count`` event's ``total_token_usage`` / ``last_token_usage``.

    ``cache_write``: the ``cache_write_input_tokens`` field newer versions add (None: absent).
    """
    shape: dict[str, Any] = {"input_tokens": inp, "cached_input_tokens": cached}
    if cache_write is not None:
        shape["cache_write_input_tokens"] = cache_write
    shape.update(output_tokens=out, reasoning_output_tokens=reasoning, total_tokens=inp + out)
    return shape
