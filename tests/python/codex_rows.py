"""Build ``stg_codex__lines`` rows in the shapes real Codex rollouts have (ids and text
are made up). One ``Rollout`` is one file; ``Rollout.thread(...)`` switches the thread
the following lines belong to (a fork file holds the child's lines only; a capture may
hold several threads back to back)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import pyarrow as pa

JSON_COLUMNS = (
    "content",
    "tool_arguments",
    "tool_input",
    "tool_output",
    "reasoning_summary",
    "item_action",
    "event_message",
    "event_item",
    "replacement_history",
    "meta_source",
)
STRING_COLUMNS = (
    "line_id",
    "session_id",
    "conversation_id",
    "agent_id",
    "parent_thread_id",
    "thread_id",
    "forked_from_id",
    "meta_thread_id",
    "meta_session_id",
    "meta_forked_from_id",
    "meta_parent_thread_id",
    "item_id",
    "call_id",
    "turn_id",
    "agent_thread_id",
    "source",
    "line_type",
    "payload_type",
    "role",
    "phase",
    "tool_name",
    "item_status",
    "event_text",
    "last_agent_message",
    "event_reason",
    "event_kind",
    "model",
    "reasoning_effort",
    "thread_source",
    "agent_role",
    "agent_nickname",
    "agent_path",
    "originator",
    "client_version",
    "history_mode",
    "git_branch",
    "cwd",
    "source_root",
    "source_file",
    "file_fingerprint",
)
INT_COLUMNS = (
    "source_line",
    "ordinal",
    "rolled_back_turns",
    "exit_code",
    "total_input_tokens",
    "total_cached_input_tokens",
    "total_cache_write_input_tokens",
    "total_output_tokens",
    "total_reasoning_output_tokens",
    "last_input_tokens",
    "last_cached_input_tokens",
    "last_cache_write_input_tokens",
    "last_output_tokens",
    "last_reasoning_output_tokens",
)
BOOL_COLUMNS = (
    "is_legacy_format",
    "is_archived_file",
    "is_copied_session_meta",
    "is_from_duplicate_file",
)
TS_COLUMNS = ("created_at", "meta_started_at", "loaded_at")

STG_SCHEMA = pa.schema(
    [pa.field(c, pa.string()) for c in STRING_COLUMNS]
    + [pa.field(c, pa.string()) for c in JSON_COLUMNS]
    + [pa.field(c, pa.int64()) for c in INT_COLUMNS]
    + [pa.field(c, pa.bool_()) for c in BOOL_COLUMNS]
    + [pa.field(c, pa.timestamp("us", tz="UTC")) for c in TS_COLUMNS]
)

T0 = datetime(2026, 5, 23, 18, 25, 2, 612000, tzinfo=UTC)


def tid(ms: int, n: int = 0) -> str:
    """A UUIDv7 with time ``ms`` and a distinguishing number ``n``."""
    h = f"{ms:012x}"
    return f"{h[:8]}-{h[8:12]}-7{n:03x}-8000-{n:012x}"


def usage(i: int, c: int, o: int, r: int, w: int | None = None) -> dict[str, int | None]:
    return {"input": i, "cached": c, "output": o, "reasoning": r, "write": w}


def parts(kind: str, *texts: str) -> str:
    return json.dumps([{"type": kind, "text": t} for t in texts])


@dataclass
class Rollout:
    """Lines of one rollout file, numbered from 1."""

    source_file: str = "/codex/sessions/2026/05/23/rollout-test.jsonl"
    session_id: str = "s-1"
    thread_id: str = "t-1"
    parent_thread_id: str | None = None
    forked_from_id: str | None = None
    rows: list[dict[str, Any]] = field(default_factory=list)
    clock: datetime = T0
    legacy: bool = False
    duplicate: bool = False

    def thread(
        self,
        thread_id: str,
        session_id: str | None = None,
        parent_thread_id: str | None = None,
        forked_from_id: str | None = None,
    ) -> Rollout:
        self.thread_id = thread_id
        self.session_id = session_id or thread_id
        self.parent_thread_id = parent_thread_id
        self.forked_from_id = forked_from_id
        return self

    def tick(self, ms: int = 5) -> Rollout:
        self.clock += timedelta(milliseconds=ms)
        return self

    def at(self, when: datetime) -> Rollout:
        self.clock = when
        return self

    def add(self, line_type: str, payload_type: str | None = None, **values: Any) -> int:
        line = len(self.rows) + 1
        row: dict[str, Any] = {c: None for c in STG_SCHEMA.names}
        row.update(
            line_id=f"{self.source_file}:{line}",
            session_id=self.session_id,
            conversation_id=self.thread_id,
            thread_id=self.thread_id,
            parent_thread_id=self.parent_thread_id,
            forked_from_id=self.forked_from_id,
            source="codex",
            line_type=line_type,
            payload_type=payload_type,
            source_line=line,
            is_legacy_format=self.legacy,
            is_archived_file=False,
            is_copied_session_meta=False,
            is_from_duplicate_file=self.duplicate,
            created_at=None if self.legacy else self.clock,
            loaded_at=T0,
            source_root="/codex",
            source_file=self.source_file,
            file_fingerprint="fp",
        )
        row.update(values)
        self.rows.append(row)
        if not self.legacy:
            self.tick()
        return line

    # headers and context --------------------------------------------------------------
    def meta(
        self,
        thread_id: str | None = None,
        copied: bool = False,
        history_mode: str | None = None,
        cli_version: str = "0.130.0",
        forked_from_id: str | None = None,
    ) -> int:
        return self.add(
            "session_meta",
            meta_thread_id=thread_id or self.thread_id,
            meta_forked_from_id=forked_from_id,
            is_copied_session_meta=copied,
            history_mode=history_mode,
            client_version=cli_version,
        )

    def turn_context(self, model: str, turn_id: str | None = None) -> int:
        return self.add("turn_context", model=model, turn_id=turn_id)

    def task_started(self, turn_id: str) -> int:
        return self.add("event_msg", "task_started", turn_id=turn_id)

    def task_complete(self, turn_id: str, last: str | None = None) -> int:
        return self.add("event_msg", "task_complete", turn_id=turn_id, last_agent_message=last)

    # response items -------------------------------------------------------------------
    def message(self, role: str, text: str, item_id: str | None = None, **kw: Any) -> int:
        kind = "output_text" if role == "assistant" else "input_text"
        return self.add(
            "response_item", "message", role=role, content=parts(kind, text), item_id=item_id, **kw
        )

    def reasoning(self, *summary: str, item_id: str | None = None, **kw: Any) -> int:
        return self.add(
            "response_item",
            "reasoning",
            reasoning_summary=parts("summary_text", *summary),
            item_id=item_id,
            **kw,
        )

    def function_call(self, name: str, arguments: dict[str, Any], call_id: str, **kw: Any) -> int:
        return self.add(
            "response_item",
            "function_call",
            tool_name=name,
            tool_arguments=json.dumps(json.dumps(arguments)),
            call_id=call_id,
            **kw,
        )

    def function_call_output(self, call_id: str, output: Any, **kw: Any) -> int:
        return self.add(
            "response_item", "function_call_output", call_id=call_id, tool_output=json.dumps(output)
        )

    def custom_tool_call(self, name: str, text: str, call_id: str, **kw: Any) -> int:
        return self.add(
            "response_item",
            "custom_tool_call",
            tool_name=name,
            tool_input=json.dumps(text),
            call_id=call_id,
            item_status="completed",
            **kw,
        )

    def custom_tool_call_output(self, call_id: str, *texts: str, **kw: Any) -> int:
        return self.add(
            "response_item",
            "custom_tool_call_output",
            call_id=call_id,
            tool_output=parts("input_text", *texts),
            **kw,
        )

    # events ---------------------------------------------------------------------------
    def user_message_event(self, text: str) -> int:
        return self.add("event_msg", "user_message", event_message=json.dumps(text))

    def agent_message_event(self, text: str) -> int:
        return self.add("event_msg", "agent_message", event_message=json.dumps(text))

    def agent_reasoning_event(self, text: str) -> int:
        return self.add("event_msg", "agent_reasoning", event_text=text)

    def item_completed(self, item: dict[str, Any], turn_id: str | None = None) -> int:
        return self.add("event_msg", "item_completed", event_item=json.dumps(item), turn_id=turn_id)

    def token_count(self, total: dict[str, int | None] | None) -> int:
        if total is None:
            return self.add("event_msg", "token_count")
        return self.add(
            "event_msg",
            "token_count",
            total_input_tokens=total["input"],
            total_cached_input_tokens=total["cached"],
            total_cache_write_input_tokens=total["write"],
            total_output_tokens=total["output"],
            total_reasoning_output_tokens=total["reasoning"],
        )

    def rolled_back(self, num_turns: int) -> int:
        return self.add("event_msg", "thread_rolled_back", rolled_back_turns=num_turns)

    def compacted(self, message: str, history: list[dict[str, Any]]) -> int:
        return self.add(
            "compacted",
            event_message=json.dumps(message),
            replacement_history=json.dumps(history),
        )

    def table(self) -> pa.Table:
        return table(self.rows)


def table(*row_lists: list[dict[str, Any]]) -> pa.Table:
    """One staged-lines table from the rows of several rollouts."""
    return pa.Table.from_pylist([r for rs in row_lists for r in rs], schema=STG_SCHEMA)
