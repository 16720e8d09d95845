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


def rollout_line(
    timestamp: str, line_type: str, payload: dict[str, Any], ordinal: int | None = None
) -> dict[str, Any]:
    """One rollout line: ``timestamp``, ``ordinal`` (paginated rollouts only), ``type``,
    ``payload`` (``session_meta``, ``turn_context``, ``response_item``, ``event_msg``,
    ``compacted``)."""
    line: dict[str, Any] = {"timestamp": timestamp}
    if ordinal is not None:
        line["ordinal"] = ordinal
    line["type"] = line_type
    line["payload"] = payload
    return line


def message_item(
    role: str, texts: list[str], phase: str | None = None, item_id: str | None = None
) -> dict[str, Any]:
    """A ``response_item`` payload of type ``message``: ``output_text`` parts for the
    assistant, ``input_text`` for the user and developer; ``phase`` (0.1xx+:
    ``commentary`` / ``final_answer``) after the content."""
    kind = "output_text" if role == "assistant" else "input_text"
    item: dict[str, Any] = {"type": "message"}
    if item_id is not None:
        item["id"] = item_id
    item["role"] = role
    item["content"] = [{"type": kind, "text": text} for text in texts]
    if phase is not None:
        item["phase"] = phase
    return item
