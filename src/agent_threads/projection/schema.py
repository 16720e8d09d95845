"""The projected message: one schema shared by both sources and every engine.

Columns are grouped as the house style asks: ids, strings, numbers, booleans,
timestamps, lineage. Both projections return exactly ``MESSAGES_SCHEMA`` (same names,
order and types), so the DuckDB and Spark branches of a model can declare it once.
"""

from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc

MESSAGES_SCHEMA = pa.schema(
    [
        # ids
        pa.field("message_id", pa.string(), nullable=False),
        pa.field("session_id", pa.string(), nullable=False),
        pa.field("conversation_id", pa.string()),
        pa.field("agent_id", pa.string()),
        pa.field("parent_thread_id", pa.string()),
        pa.field("thread_id", pa.string(), nullable=False),
        pa.field("source_message_id", pa.string()),
        pa.field("parent_message_id", pa.string()),
        pa.field("request_id", pa.string()),
        pa.field("turn_id", pa.string()),
        pa.field("tool_call_id", pa.string()),
        # strings
        pa.field("source", pa.string(), nullable=False),
        pa.field("role", pa.string(), nullable=False),
        pa.field("message_kind", pa.string(), nullable=False),
        pa.field("model", pa.string()),
        pa.field("text", pa.string()),
        pa.field("content", pa.string()),
        pa.field("tool_name", pa.string()),
        pa.field("stop_reason", pa.string()),
        # numbers
        pa.field("thread_seq", pa.int64(), nullable=False),
        pa.field("input_tokens", pa.int64()),
        pa.field("cache_read_input_tokens", pa.int64()),
        pa.field("cache_creation_input_tokens", pa.int64()),
        pa.field("cache_creation_5m_input_tokens", pa.int64()),
        pa.field("cache_creation_1h_input_tokens", pa.int64()),
        pa.field("output_tokens", pa.int64()),
        pa.field("reasoning_output_tokens", pa.int64()),
        pa.field("source_line", pa.int64(), nullable=False),
        # booleans
        pa.field("is_replayed", pa.bool_(), nullable=False),
        pa.field("is_on_main_path", pa.bool_(), nullable=False),
        pa.field("is_meta", pa.bool_(), nullable=False),
        pa.field("is_error", pa.bool_()),
        # timestamps
        pa.field("created_at", pa.timestamp("us", tz="UTC")),
        # lineage
        pa.field("source_file", pa.string(), nullable=False),
    ]
)

ROLES = ("user", "assistant", "system", "developer", "tool")
MESSAGE_KINDS = (
    "prompt",  # what a person typed (or a subagent's task prompt)
    "response",  # a model's answer text (Claude: one API response, blocks merged)
    "tool_call",  # Codex function/custom/local-shell/web-search call items
    "tool_result",  # the output of a tool call
    "reasoning",  # Codex reasoning items (Claude thinking stays inside its response)
    "meta",  # injected context: caveats, environment context, instructions, hooks
    "compaction",  # a compaction summary / compacted history
    "system",  # system lines: notices, errors, turn boundaries kept as messages
    # Codex usage recorded where no message of the thread can carry it; Copilot CLI a
    # process run's per-model totals (session.shutdown modelMetrics)
    "token_usage",
)


def empty_messages() -> pa.Table:
    """A table with no rows and the messages schema."""
    return MESSAGES_SCHEMA.empty_table()


def longest_value_bytes(table: pa.Table, columns: tuple[str, ...]) -> int:
    """The byte length of the longest value among ``columns`` of ``table`` (0 if none)."""
    import pyarrow.compute as pc

    longest = 0
    for name in columns:
        if name in table.column_names and table.num_rows:
            column = table.column(name)
            if pa.types.is_string(column.type) or pa.types.is_large_string(column.type):
                value = pc.max(pc.binary_length(column)).as_py()
                longest = max(longest, value or 0)
    return longest


def private_connection(longest_value: int = 0):
    """An in-memory DuckDB for one call of a projection: bounded, closed by the caller.

    Projections may use DuckDB as a library over their Arrow inputs; they never touch a
    shared or global connection, so any engine's map function can call them. The memory
    limit is 1 GB, raised for inputs holding a huge line (JSON work over one value needs
    about 32 times its size).
    """
    import duckdb

    limit_mb = max(1024, (32 * longest_value) >> 20)
    return duckdb.connect(config={"memory_limit": f"{limit_mb}MB"})


#: what the projection model writes: a message row and the revision of its session
PROJECTED_SCHEMA = MESSAGES_SCHEMA.append(pa.field("session_revision", pa.string(), nullable=False))


def with_revision(table: pa.Table, revisions: dict[str, str]) -> pa.Table:
    """Append each row's session revision (vectorized: a lookup, not a loop over rows)."""
    keys = pa.array(list(revisions), pa.string())
    values = pa.array(list(revisions.values()), pa.string())
    positions = pc.index_in(table.column("session_id"), value_set=keys)
    return table.append_column("session_revision", values.take(positions))
