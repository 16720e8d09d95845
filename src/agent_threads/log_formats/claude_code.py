"""Claude Code transcript parts whose shape depends on the client version."""

from __future__ import annotations

from typing import Any


def usage(
    inp: int,
    cache_write: int,
    cache_read: int,
    out: int,
    *,
    split_cache_writes: bool = True,
    inference_geo: str | None = None,
) -> dict[str, Any]:
    """An assistant message's ``usage`` as most versions write it (and 2.1.x mid-stream).

    ``split_cache_writes``: the ``cache_creation`` split into 5-minute and 1-hour writes
    (1.0.9x on; 1.0.5x has none), all 5-minute here. ``inference_geo``: the field 2.1.x
    adds (``"not_available"``).
    """
    shape: dict[str, Any] = {
        "input_tokens": inp,
        "cache_creation_input_tokens": cache_write,
        "cache_read_input_tokens": cache_read,
    }
    if split_cache_writes:
        shape["cache_creation"] = {
            "ephemeral_5m_input_tokens": cache_write,
            "ephemeral_1h_input_tokens": 0,
        }
    shape["output_tokens"] = out
    shape["service_tier"] = "standard"
    if inference_geo is not None:
        shape["inference_geo"] = inference_geo
    return shape


def final_usage_v2114(inp: int, cache_write: int, cache_read: int, out: int) -> dict[str, Any]:
    """The final ``usage`` of a 2.1.14+ response: server tool use, 1-hour cache writes,
    one ``iterations`` entry and ``speed``."""
    return {
        "input_tokens": inp,
        "cache_creation_input_tokens": cache_write,
        "cache_read_input_tokens": cache_read,
        "output_tokens": out,
        "server_tool_use": {"web_search_requests": 0, "web_fetch_requests": 0},
        "service_tier": "standard",
        "cache_creation": {
            "ephemeral_1h_input_tokens": cache_write,
            "ephemeral_5m_input_tokens": 0,
        },
        "inference_geo": "",
        "iterations": [
            {
                "input_tokens": inp,
                "output_tokens": out,
                "cache_read_input_tokens": cache_read,
                "cache_creation_input_tokens": cache_write,
                "cache_creation": {
                    "ephemeral_5m_input_tokens": 0,
                    "ephemeral_1h_input_tokens": cache_write,
                },
                "type": "message",
            }
        ],
        "speed": "standard",
    }
