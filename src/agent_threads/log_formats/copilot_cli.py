"""GitHub Copilot CLI event lines (``session-state/<id>/events.jsonl``), by client version.

Shapes from the published event schema (github/copilot-sdk
``nodejs/src/generated/session-events.ts``) and the real 1.0.10 shapes in
``../shared/formats/other_agents.md``: an envelope ``{type, data, id, timestamp,
parentId}``; the current schema adds ``agentId`` on a subagent's events, where 1.0.10
put ``data.parentToolCallId`` on its assistant and tool events.
"""

from __future__ import annotations

from typing import Any


def event(
    event_type: str,
    data: dict[str, Any],
    event_id: str,
    timestamp: str,
    parent_id: str | None,
    agent_id: str | None = None,
) -> dict[str, Any]:
    """One event line; ``agent_id``: the envelope ``agentId`` of the current schema."""
    line: dict[str, Any] = {
        "type": event_type,
        "data": data,
        "id": event_id,
        "timestamp": timestamp,
        "parentId": parent_id,
    }
    if agent_id is not None:
        line["agentId"] = agent_id
    return line


def tool_request(call_id: str, name: str, arguments: dict[str, Any]) -> dict[str, Any]:
    """An entry of ``assistant.message`` ``toolRequests`` (arguments: a parsed object)."""
    return {"toolCallId": call_id, "name": name, "arguments": arguments, "type": "function"}


def model_usage(inp: int, out: int, cache_read: int, cache_write: int) -> dict[str, int]:
    """``session.shutdown`` ``modelMetrics[model].usage``: one process run's totals."""
    return {
        "inputTokens": inp,
        "outputTokens": out,
        "cacheReadTokens": cache_read,
        "cacheWriteTokens": cache_write,
    }


def compaction_tokens(version: str, inp: int, out: int, cached: int) -> dict[str, int]:
    """``session.compaction_complete`` ``compactionTokensUsed``: ``{input, output,
    cachedInput}`` in 1.0.x, the ``assistant.usage`` names in the current schema."""
    if version.startswith("1.0."):
        return {"input": inp, "output": out, "cachedInput": cached}
    return {
        "inputTokens": inp,
        "outputTokens": out,
        "cacheReadTokens": cached,
        "cacheWriteTokens": 0,
    }
