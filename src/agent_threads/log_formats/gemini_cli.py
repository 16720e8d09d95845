"""Gemini CLI chat records (``~/.gemini/tmp/<project>/chats/``), by client version.

Shapes from google-gemini/gemini-cli (``packages/core/src/services/chatRecordingService.ts``
and ``chatRecordingTypes.ts``) and the real shapes in ``../shared/formats/other_agents.md``:
0.39+ appends records to ``session-*.jsonl`` (a metadata line, message records re-appended
under the same ``id`` when they change, ``{"$set": ...}`` and ``{"$rewindTo": id}``);
before 0.39 one ``session-*.json`` document was rewritten whole (``JSON.stringify`` with
an indent of 2).
"""

from __future__ import annotations

import json
from typing import Any


def metadata(session_id: str, project_hash: str, start: str, kind: str = "main") -> dict[str, Any]:
    """A ``.jsonl`` file's first line; ``kind``: ``main`` or ``subagent``."""
    return {
        "sessionId": session_id,
        "projectHash": project_hash,
        "startTime": start,
        "lastUpdated": start,
        "kind": kind,
    }


def tokens(inp: int, out: int, cached: int, thoughts: int, tool: int = 0) -> dict[str, int]:
    """A ``gemini`` message's usage: ``input`` includes ``cached``; ``output`` excludes
    ``thoughts``; ``total`` = input + output + thoughts + tool."""
    return {
        "input": inp,
        "output": out,
        "cached": cached,
        "thoughts": thoughts,
        "tool": tool,
        "total": inp + out + thoughts + tool,
    }


def user_message(message_id: str, timestamp: str, text: str, parts: bool = True) -> dict[str, Any]:
    """A ``user`` message: content as ``[{text}]`` parts (0.39+) or a string (documents)."""
    content: Any = [{"text": text}] if parts else text
    return {"id": message_id, "timestamp": timestamp, "type": "user", "content": content}


def gemini_message(
    message_id: str,
    timestamp: str,
    text: str,
    model: str,
    usage: dict[str, int] | None = None,
    tool_calls: list[dict[str, Any]] | None = None,
    thoughts: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """A ``gemini`` message; an upsert re-appends it with its tokens and tool calls."""
    message: dict[str, Any] = {
        "id": message_id,
        "timestamp": timestamp,
        "type": "gemini",
        "content": text,
    }
    if thoughts is not None:
        message["thoughts"] = thoughts
    if usage is not None:
        message["tokens"] = usage
    message["model"] = model
    if tool_calls is not None:
        message["toolCalls"] = tool_calls
    return message


def tool_call(
    call_id: str,
    name: str,
    args: dict[str, Any],
    status: str,
    display: str,
    timestamp: str,
    agent_id: str | None = None,
) -> dict[str, Any]:
    """A ``toolCalls`` entry; ``agent_id``: the subagent an ``invoke_agent`` call started."""
    call: dict[str, Any] = {
        "id": call_id,
        "name": name,
        "args": args,
        "result": [
            {"functionResponse": {"id": call_id, "name": name, "response": {"output": display}}}
        ],
        "status": status,
        "timestamp": timestamp,
        "resultDisplay": display,
        "displayName": name,
    }
    if agent_id is not None:
        call["agentId"] = agent_id
    return call


def notice(message_id: str, timestamp: str, kind: str, text: str) -> dict[str, Any]:
    """An ``info``, ``warning`` or ``error`` message."""
    return {"id": message_id, "timestamp": timestamp, "type": kind, "content": text}


def set_record(**fields: Any) -> dict[str, Any]:
    """``{"$set": {...}}``: a metadata patch, or ``messages`` replacing the whole list."""
    return {"$set": fields}


def rewind(message_id: str) -> dict[str, Any]:
    """``{"$rewindTo": id}``: that message and every one after it are gone."""
    return {"$rewindTo": message_id}


def document(
    session_id: str, project_hash: str, start: str, updated: str, messages: list[dict[str, Any]]
) -> str:
    """A pre-0.39 ``session-*.json`` document, as the CLI writes it (indent 2)."""
    return json.dumps(
        {
            "sessionId": session_id,
            "projectHash": project_hash,
            "startTime": start,
            "lastUpdated": updated,
            "messages": messages,
        },
        indent=2,
        ensure_ascii=False,
    )
