"""Claude Code transcript parts whose shape depends on the client version."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
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


def envelope(
    style: str,
    parent: str | None,
    body: Mapping[str, Any] | Iterable[tuple[str, Any]],
    *,
    session_id: str,
    version: str,
    cwd: str,
    branch: str,
    sidechain: bool,
    agent_id: str | None = None,
    logical_parent: str | None = None,
    prompt_id: str | None = None,
    entrypoint: str = "cli",
    slug: str | None = None,
) -> dict[str, Any]:
    """A transcript line: ``body`` (type, message, uuid, timestamp ...) in the envelope of
    one client era, keys in the order that era writes them.

    ``style``: ``v1`` (1.0.x), ``v20`` (2.0.x), ``v21`` (2.1.1x-2.1.4x) write the envelope
    first, then the body; ``v2114`` (2.1.114+) writes ``promptId`` and ``agentId`` first,
    then the body, then the envelope with ``entrypoint`` and no ``slug``.
    """
    line: dict[str, Any] = {"parentUuid": parent}
    if logical_parent is not None:
        line["logicalParentUuid"] = logical_parent
    line["isSidechain"] = sidechain
    context = {"userType": "external"}
    if style == "v2114":
        if prompt_id is not None:
            line["promptId"] = prompt_id
        if agent_id is not None:
            line["agentId"] = agent_id
        line.update(body)
        context["entrypoint"] = entrypoint
        context.update(cwd=cwd, sessionId=session_id, version=version, gitBranch=branch)
        line.update(context)
        return line
    context.update(cwd=cwd, sessionId=session_id, version=version, gitBranch=branch)
    line.update(context)
    if agent_id is not None:
        line["agentId"] = agent_id
    if slug is not None:
        line["slug"] = slug
    line.update(body)
    return line


def assistant_message(
    style: str,
    model: str,
    message_id: str,
    content: list[dict[str, Any]],
    stop_reason: str | None,
    usage: dict[str, Any],
) -> dict[str, Any]:
    """The ``message`` of an assistant line (one content block of an API response).

    1.0.x puts ``id`` first; later versions put ``model`` first, and 2.1.114+ adds
    ``stop_details``.
    """
    if style == "v1":
        return {
            "id": message_id,
            "type": "message",
            "role": "assistant",
            "model": model,
            "content": content,
            "stop_reason": stop_reason,
            "stop_sequence": None,
            "usage": usage,
        }
    message: dict[str, Any] = {
        "model": model,
        "id": message_id,
        "type": "message",
        "role": "assistant",
        "content": content,
        "stop_reason": stop_reason,
        "stop_sequence": None,
    }
    if style == "v2114":
        message["stop_details"] = None
    message["usage"] = usage
    return message


def agent_progress(
    agent_id: str,
    prompt: str,
    nested: Mapping[str, Any],
    *,
    parent_tool_use_id: str,
    tool_use_id: str,
    line_uuid: str,
) -> dict[str, Any]:
    """The body of a ``progress`` line of subtype ``agent_progress`` (2.1.1x-2.1.4x): a copy,
    in the main file, of one assistant line of a subagent (``nested``: that line)."""
    data = {
        "type": "agent_progress",
        "agentId": agent_id,
        "prompt": prompt,
        "message": {
            "type": "assistant",
            "message": nested["message"],
            "requestId": nested["requestId"],
            "uuid": nested["uuid"],
            "timestamp": nested["timestamp"],
        },
    }
    return {
        "type": "progress",
        "data": data,
        "parentToolUseID": parent_tool_use_id,
        "toolUseID": tool_use_id,
        "timestamp": nested["timestamp"],
        "uuid": line_uuid,
    }
