"""Build small ``stg_claude_code__lines``-shaped tables for projection tests.

Shapes follow the real transcripts (one content block per assistant line, tool results
as user lines, agent_progress copies, ...); every id and text here is made up.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pyarrow as pa

from agent_threads.projection.claude_code import INPUT_COLUMNS

T0 = datetime(2026, 1, 10, 9, 0, 0, tzinfo=UTC)


def ts(seconds: float) -> datetime:
    return T0 + timedelta(seconds=seconds)


class Transcript:
    """Rows of one file; ``source_line`` counts up as lines are added."""

    def __init__(
        self,
        session_id: str = "sess-1",
        agent_id: str | None = None,
        source_file: str | None = None,
        thread_id: str | None = None,
    ) -> None:
        self.session_id = session_id
        self.agent_id = agent_id
        self.thread_id = thread_id or (f"{session_id}/{agent_id}" if agent_id else session_id)
        self.source_file = source_file or (
            f"/p/{session_id}/subagents/agent-{agent_id}.jsonl"
            if agent_id
            else f"/p/{session_id}.jsonl"
        )
        self.rows: list[dict[str, Any]] = []

    def add(self, **fields: Any) -> dict[str, Any]:
        row: dict[str, Any] = {
            "session_id": self.session_id,
            "agent_id": self.agent_id,
            "thread_id": self.thread_id,
            "source_file": self.source_file,
            "source_line": len(self.rows) + 1,
            "line_session_id": self.session_id,
            "is_meta": False,
            "is_compact_summary": False,
            "is_api_error_message": False,
            "has_foreign_session_id": False,
        }
        for key in ("message_content", "line_content", "progress_message"):
            if key in fields and fields[key] is not None and not isinstance(fields[key], str):
                fields[key] = json.dumps(fields[key])
        row.update(fields)
        self.rows.append(row)
        return row

    # conversation lines ------------------------------------------------------------
    def prompt(self, uuid: str, parent: str | None, text: Any, at: float, **kw: Any) -> dict:
        return self.add(
            line_type="user",
            line_uuid=uuid,
            parent_line_uuid=parent,
            message_content=json.dumps(text) if isinstance(text, str) else text,
            created_at=ts(at),
            **kw,
        )

    def block(
        self,
        uuid: str,
        parent: str | None,
        msg_id: str | None,
        block: dict,
        at: float,
        request_id: str | None = "req_1",
        model: str = "claude-opus-4-5",
        usage: tuple[int, int, int, int] | None = (3, 10, 100, 20),
        cache_split: tuple[int, int] | None = None,
        stop_reason: str | None = None,
        **kw: Any,
    ) -> dict:
        """An assistant line: ``usage`` is (input, output, cache_read, cache_creation)."""
        fields: dict[str, Any] = {
            "line_type": "assistant",
            "line_uuid": uuid,
            "parent_line_uuid": parent,
            "source_message_id": msg_id,
            "request_id": request_id,
            "model": model,
            "stop_reason": stop_reason,
            "message_content": [block],
            "created_at": ts(at),
        }
        if usage is not None:
            fields.update(
                usage_input_tokens=usage[0],
                usage_output_tokens=usage[1],
                usage_cache_read_input_tokens=usage[2],
                usage_cache_creation_input_tokens=usage[3],
            )
        if cache_split is not None:
            fields.update(
                usage_cache_creation_5m_input_tokens=cache_split[0],
                usage_cache_creation_1h_input_tokens=cache_split[1],
            )
        fields.update(kw)
        return self.add(**fields)

    def tool_result(
        self,
        uuid: str,
        parent: str,
        tool_use_id: str,
        content: Any,
        at: float,
        is_error: bool | None = False,
        **kw: Any,
    ) -> dict:
        block: dict[str, Any] = {
            "tool_use_id": tool_use_id,
            "type": "tool_result",
            "content": content,
        }
        if is_error is not None:
            block["is_error"] = is_error
        return self.add(
            line_type="user",
            line_uuid=uuid,
            parent_line_uuid=parent,
            message_content=[block],
            created_at=ts(at),
            **kw,
        )

    def system(
        self, uuid: str, parent: str | None, text: str, at: float, subtype: str | None = None, **kw
    ) -> dict:
        return self.add(
            line_type="system",
            line_subtype=subtype,
            line_uuid=uuid,
            parent_line_uuid=parent,
            line_content=json.dumps(text),
            created_at=ts(at),
            **kw,
        )

    def attachment(self, uuid: str, parent: str | None, subtype: str, at: float) -> dict:
        return self.add(
            line_type="attachment",
            line_subtype=subtype,
            line_uuid=uuid,
            parent_line_uuid=parent,
            created_at=ts(at),
        )

    def progress(
        self,
        uuid: str,
        parent: str | None,
        at: float,
        subtype: str = "hook_progress",
        agent_id: str | None = None,
        nested: dict | None = None,
    ) -> dict:
        return self.add(
            line_type="progress",
            line_subtype=subtype,
            line_uuid=uuid,
            parent_line_uuid=parent,
            progress_agent_id=agent_id,
            progress_message=nested,
            created_at=ts(at),
        )

    def metadata(self, line_type: str, **kw: Any) -> dict:
        return self.add(line_type=line_type, **kw)


def text(s: str) -> dict:
    return {"type": "text", "text": s}


def thinking(s: str) -> dict:
    return {"type": "thinking", "thinking": s, "signature": "sig"}


def tool_use(call_id: str, name: str, **inp: Any) -> dict:
    return {"type": "tool_use", "id": call_id, "name": name, "input": inp}


def nested_assistant(
    uuid: str,
    msg_id: str,
    request_id: str,
    block: dict,
    at: float,
    usage: tuple[int, int, int, int] = (3, 10, 100, 20),
) -> dict:
    """The ``data.message`` of an agent_progress line copying a subagent assistant line."""
    return {
        "type": "assistant",
        "message": {
            "model": "claude-haiku-4-5",
            "id": msg_id,
            "type": "message",
            "role": "assistant",
            "content": [block],
            "stop_reason": None,
            "usage": {
                "input_tokens": usage[0],
                "output_tokens": usage[1],
                "cache_read_input_tokens": usage[2],
                "cache_creation_input_tokens": usage[3],
            },
        },
        "requestId": request_id,
        "uuid": uuid,
        "timestamp": ts(at).isoformat().replace("+00:00", "Z"),
    }


def nested_user(uuid: str, content: Any, at: float) -> dict:
    return {
        "type": "user",
        "message": {"role": "user", "content": content},
        "uuid": uuid,
        "timestamp": ts(at).isoformat().replace("+00:00", "Z"),
    }


def table(*transcripts: Transcript) -> pa.Table:
    """The staged lines of the given transcripts (only the columns the projection reads)."""
    rows = [row for t in transcripts for row in t.rows]
    schema = pa.schema(
        [pa.field(name, dtype) for name, dtype in INPUT_COLUMNS.items()]
        + [pa.field("line_session_id", pa.string())]
    )
    return pa.Table.from_pylist(rows, schema=schema)
