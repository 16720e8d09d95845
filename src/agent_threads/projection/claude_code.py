"""Claude Code projection: staged transcript lines of whole sessions in, messages out.

``project_claude_code`` is pure (Arrow in, Arrow out). It opens a private in-memory
DuckDB connection, runs set-based SQL over the inputs and closes it; the only Python
loops are pointer-jumping rounds (a logarithmic handful per batch), never loops over rows.

Input: every staged line (``stg_claude_code__lines``) of one or more *whole* sessions,
main file, subagent files and sidecars included. Side tables, computed across all
sessions beforehand, say which session owns a line uuid / an API response seen in
several sessions (copies elsewhere are replayed).

Decisions (where the rules leave a choice):

* One message per conversation line (``user``, ``system``, ``attachment``), except that
  the assistant lines of one API response (same ``message.id`` and ``requestId`` in a
  thread) form one ``response`` message, blocks merged in line order.
* ``text`` of a response is its ``text`` blocks joined with ``"\\n"``; ``thinking`` text is
  NOT included (it stays in ``content``), nor are ``tool_use`` inputs. ``text`` of a
  tool result is the result text (string content, or its text parts joined).
* ``content`` is always a JSON array of parts: a string prompt becomes one ``text``
  part, a system line's text one ``text`` part, an attachment one
  ``{"type":"attachment","attachment_type":...}`` part.
* The compaction summary user line (``isCompactSummary``) is role ``user`` (it is what
  the model receives as a user turn), kind ``compaction``, ``is_meta`` true (injected,
  not typed). A ``system/compact_boundary`` line is role ``system``, kind
  ``compaction``. Attachments are role ``system``, kind ``meta``, ``is_meta`` true.
* ``source_message_id`` is the API ``message.id`` for responses and the line ``uuid``
  for every other message. ``turn_id`` is the ``promptId`` of the user turn (2.1.1xx+:
  user lines carry it; later messages of the thread take the last one seen).
* ``is_error``: a tool result's ``is_error`` (false when the block has none: the Messages
  API's default); ``true`` on synthetic API-error responses and on ``system/api_error``
  lines (a failed API call, retried: 2.1.x); null elsewhere.
* ``tool_name`` of a tool result is the name of the matching ``tool_use`` in the session.
* Usage: counted once per response per session, keyed by ``message.id`` (so a /btw copy
  with a new ``requestId`` is the same response, as ccusage does). The owner copy is
  the main thread's, else the earliest. Its values come from the copy line with the
  largest ``output_tokens``. Copies owned by another session (``response_owners``,
  matched on ``message.id`` + ``requestId``) carry no tokens. ``is_replayed`` is true
  on every non-owner copy and on messages with a replayed line (foreign ``sessionId``,
  uuid owned by another thread or session); a message flagged replayed for a line
  reason still carries the usage when no other copy of its response exists in the
  dataset (e.g. a resumed file whose ancestor file is gone), so per-session totals
  equal ccusage's. ``reasoning_output_tokens`` is the thinking part of the output
  tokens where the usage object splits it out (``output_tokens_details.thinking_tokens``,
  2.1.2xx), else null.
* ``<synthetic>`` responses are kept, with null tokens, and never own usage.
* Parent: the message holding the first line's ``parentUuid`` (``logicalParentUuid`` on
  a compact boundary), walking up through non-message lines (``progress``). Threads
  rebuilt from ``agent_progress`` copies have no ``parentUuid``: each line's parent is
  the previous nested line.
* Main path: a rewind is a message with typed-prompt children at two or more distinct
  timestamps. The child leading to the thread's newest leaf (last message in thread
  order; the walk crosses compact boundaries) stays on the path, as do its siblings with
  the same timestamp (compaction replays); every other such child is off the path with
  everything under it. If no child leads to the leaf, the newest child is kept. A
  rewind of the very first prompt (two root prompts) is not detected.
* Order: file order (``source_file``, ``source_line``) within a thread; for threads
  rebuilt from ``agent_progress`` the nested timestamps, then ``source_line``.
* Known limit: a compaction *replay* inside one thread that re-writes a response's lines
  with new uuids but the same ``message.id`` is merged into the original response.
"""

from __future__ import annotations

import duckdb
import pyarrow as pa

from agent_threads.contract import ID_PATTERN
from agent_threads.projection.schema import (
    MESSAGES_SCHEMA,
    empty_messages,
    longest_value_bytes,
    private_connection,
)

_TS = pa.timestamp("us", tz="UTC")

#: The staged columns the projection reads; any that is missing is taken as all null.
INPUT_COLUMNS: dict[str, pa.DataType] = {
    "session_id": pa.string(),
    "agent_id": pa.string(),
    "thread_id": pa.string(),
    "line_uuid": pa.string(),
    "parent_line_uuid": pa.string(),
    "logical_parent_line_uuid": pa.string(),
    "source_message_id": pa.string(),
    "request_id": pa.string(),
    "prompt_id": pa.string(),
    "progress_agent_id": pa.string(),
    "line_type": pa.string(),
    "line_subtype": pa.string(),
    "model": pa.string(),
    "stop_reason": pa.string(),
    "message_content": pa.string(),
    "line_content": pa.string(),
    "progress_message": pa.string(),
    "usage_input_tokens": pa.int64(),
    "usage_output_tokens": pa.int64(),
    "usage_cache_read_input_tokens": pa.int64(),
    "usage_cache_creation_input_tokens": pa.int64(),
    "usage_cache_creation_5m_input_tokens": pa.int64(),
    "usage_cache_creation_1h_input_tokens": pa.int64(),
    "usage_thinking_output_tokens": pa.int64(),
    "is_meta": pa.bool_(),
    "is_compact_summary": pa.bool_(),
    "is_api_error_message": pa.bool_(),
    "has_foreign_session_id": pa.bool_(),
    "created_at": _TS,
    "source_file": pa.string(),
    "source_line": pa.int64(),
}

_UUID_OWNERS = pa.schema([("line_uuid", pa.string()), ("owner_session_id", pa.string())])
_RESPONSE_OWNERS = pa.schema(
    [
        ("source_message_id", pa.string()),
        ("request_id", pa.string()),
        ("owner_session_id", pa.string()),
    ]
)

MAX_ROUNDS = 64  # pointer-jumping rounds: 2**64 is deeper than any chain

_JSON_COLUMNS = ("message_content", "line_content", "progress_message")


def _conform(table: pa.Table, columns: dict[str, pa.DataType] | pa.Schema) -> pa.Table:
    """Only the needed columns, missing ones as nulls, JSON extension types as text."""
    if isinstance(columns, pa.Schema):
        columns = {f.name: f.type for f in columns}
    arrays = []
    for name, dtype in columns.items():
        if name in table.column_names:
            col = table.column(name)
            if isinstance(col.type, pa.ExtensionType):
                col = col.cast(col.type.storage_type)
            if col.type != dtype:
                col = col.cast(dtype)
            arrays.append(col)
        else:
            arrays.append(pa.nulls(table.num_rows, dtype))
    return pa.Table.from_arrays(arrays, names=list(columns))


_USAGE_FROM = """
    {src}usage_input_tokens as usage_input_tokens,
    {src}usage_output_tokens as usage_output_tokens,
    {src}usage_cache_read_input_tokens as usage_cache_read_input_tokens,
    {src}usage_cache_creation_input_tokens as usage_cache_creation_input_tokens,
    {src}usage_cache_creation_5m_input_tokens as usage_cache_creation_5m_input_tokens,
    {src}usage_cache_creation_1h_input_tokens as usage_cache_creation_1h_input_tokens,
    {src}usage_thinking_output_tokens as usage_thinking_output_tokens
"""


def _nested_usage(field: str) -> str:
    return f"try_cast(p.progress_message->>'$.message.usage.{field}' as bigint)"


_SQL_BASE = f"""
create temp table base as
select
    session_id, agent_id, thread_id, line_uuid, parent_line_uuid, logical_parent_line_uuid,
    source_message_id, request_id, prompt_id, progress_agent_id, line_type, line_subtype, model,
    stop_reason,
    cast(message_content as json) as message_content,
    cast(line_content as json) as line_content,
    cast(progress_message as json) as progress_message,
    {_USAGE_FROM.format(src="")},
    coalesce(is_meta, false) as is_meta,
    coalesce(is_compact_summary, false) as is_compact_summary,
    coalesce(is_api_error_message, false) as is_api_error_message,
    coalesce(has_foreign_session_id, false) as has_foreign_session_id,
    created_at,
    source_file,
    source_line
from in_lines
"""

# Conversation lines of the files, plus subagent threads rebuilt from agent_progress
# copies when the subagent's own file is not among the lines. Deduplicated by uuid
# inside a thread (first copy wins) and numbered in thread order (line_seq).
_SQL_CONV = f"""
create temp table conv as
with transcripts as (
    select distinct session_id, agent_id
    from base
    where agent_id is not null and line_type is distinct from 'subagent-meta'
),

rebuilt as (
    select
        p.session_id,
        p.progress_agent_id as agent_id,
        p.session_id || '/' || p.progress_agent_id as thread_id,
        p.progress_message->>'$.uuid' as line_uuid,
        p.progress_message->>'$.parentUuid' as parent_line_uuid,
        cast(null as varchar) as logical_parent_line_uuid,
        p.progress_message->>'$.message.id' as source_message_id,
        p.progress_message->>'$.requestId' as request_id,
        p.progress_message->>'$.type' as line_type,
        cast(null as varchar) as line_subtype,
        p.progress_message->>'$.message.model' as model,
        p.progress_message->>'$.message.stop_reason' as stop_reason,
        p.progress_message->'$.message.content' as message_content,
        cast(null as json) as line_content,
        {_nested_usage("input_tokens")} as usage_input_tokens,
        {_nested_usage("output_tokens")} as usage_output_tokens,
        {_nested_usage("cache_read_input_tokens")} as usage_cache_read_input_tokens,
        {_nested_usage("cache_creation_input_tokens")} as usage_cache_creation_input_tokens,
        {_nested_usage("cache_creation.ephemeral_5m_input_tokens")}
            as usage_cache_creation_5m_input_tokens,
        {_nested_usage("cache_creation.ephemeral_1h_input_tokens")}
            as usage_cache_creation_1h_input_tokens,
        {_nested_usage("output_tokens_details.thinking_tokens")}
            as usage_thinking_output_tokens,
        coalesce(try_cast(p.progress_message->>'$.isMeta' as boolean), false) as is_meta,
        coalesce(try_cast(p.progress_message->>'$.isCompactSummary' as boolean), false)
            as is_compact_summary,
        coalesce(try_cast(p.progress_message->>'$.isApiErrorMessage' as boolean), false)
            as is_api_error_message,
        p.has_foreign_session_id,
        try_cast(p.progress_message->>'$.timestamp' as timestamptz) as created_at,
        p.source_file,
        p.source_line,
        true as is_rebuilt
    from base as p
    where
        p.line_type = 'progress'
        and p.line_subtype = 'agent_progress'
        and regexp_full_match(p.progress_agent_id, '{ID_PATTERN}')
        and p.progress_message->>'$.type' in ('user', 'assistant')
        and not exists (
            select 1 from transcripts as t
            where t.session_id = p.session_id and t.agent_id = p.progress_agent_id
        )
),

from_files as (
    select *, false as is_rebuilt
    from base
    where line_type in ('user', 'assistant', 'system', 'attachment')
),

unioned as (
    select * from from_files
    union all by name
    select * from rebuilt
),

numbered as (
    select
        *,
        row_number() over (
            partition by thread_id
            order by
                case when is_rebuilt then created_at end nulls last,
                source_file,
                source_line
        ) as line_seq
    from unioned
),

deduplicated as (
    select *
    from numbered
    qualify row_number() over (
        partition by thread_id, coalesce(line_uuid, source_file || ':' || source_line)
        order by line_seq
    ) = 1
)

select
    * exclude (parent_line_uuid),
    case
        when is_rebuilt
            then coalesce(
                parent_line_uuid,
                lag(line_uuid) over (partition by thread_id order by line_seq)
            )
        else parent_line_uuid
    end as parent_line_uuid
from deduplicated
"""

# Line-level flags and the line's content as a list of JSON parts.
_SQL_LINES = """
create temp table lines as
with uuid_foreign as (
    select distinct line_uuid, owner_session_id from in_uuid_owners
),

flagged as (
    select
        c.*,
        c.line_uuid is not null
        and row_number() over (
            partition by c.session_id, c.line_uuid
            order by c.agent_id is not null, c.created_at nulls last, c.thread_id, c.line_seq
        ) > 1 as is_copy_in_session
    from conv as c
)

select
    f.*,
    f.has_foreign_session_id
    or f.is_copy_in_session
    or exists (
        select 1 from uuid_foreign as o
        where o.line_uuid = f.line_uuid and o.owner_session_id <> f.session_id
    ) as line_replayed,
    case
        when json_type(f.message_content) = 'ARRAY'
            then json_extract(f.message_content, '$[*]')
        when json_type(f.message_content) = 'VARCHAR'
            then [json_object('type', 'text', 'text', f.message_content->>'$')]
        when f.line_type = 'system' and json_type(f.line_content) = 'VARCHAR'
            then [json_object('type', 'text', 'text', f.line_content->>'$')]
        when f.line_type = 'attachment'
            then [json_object('type', 'attachment', 'attachment_type', f.line_subtype)]
        else cast([] as json[])
    end as blocks,
    case
        when f.line_type = 'assistant' and f.source_message_id is not null
            then 'r:' || f.source_message_id || chr(10) || coalesce(f.request_id, '')
        else 'l:' || f.line_seq::varchar
    end as msg_key
from flagged as f
"""

# One row per message: the first line's columns, merged blocks, the usage line.
_SQL_MSGS = """
create temp table msgs as
with grouped as (
    select
        thread_id,
        msg_key,
        min(line_seq) as first_seq,
        flatten(list(blocks order by line_seq)) as blocks,
        arg_max(stop_reason, line_seq) filter (where stop_reason is not null)
            as last_stop_reason,
        arg_max(
            struct_pack(
                i := usage_input_tokens,
                o := usage_output_tokens,
                cr := usage_cache_read_input_tokens,
                cc := usage_cache_creation_input_tokens,
                cc5 := usage_cache_creation_5m_input_tokens,
                cc1 := usage_cache_creation_1h_input_tokens,
                th := usage_thinking_output_tokens
            ),
            struct_pack(o := coalesce(usage_output_tokens, -1), s := line_seq)
        ) as line_usage,
        bool_or(line_replayed) as line_replayed
    from lines
    group by thread_id, msg_key
)

select
    md5(f.thread_id || ':' || coalesce(f.line_uuid, f.source_file || ':' || f.source_line))
        as message_id,
    f.session_id,
    f.agent_id,
    f.thread_id,
    g.msg_key,
    g.first_seq,
    f.line_type,
    f.line_subtype,
    f.line_uuid,
    coalesce(f.parent_line_uuid, f.logical_parent_line_uuid) as parent_line_uuid,
    f.source_message_id,
    f.request_id,
    f.prompt_id,
    f.model,
    g.last_stop_reason,
    g.blocks,
    g.line_usage,
    g.line_replayed,
    f.is_meta,
    f.is_compact_summary,
    f.is_api_error_message,
    f.created_at,
    f.source_file,
    f.source_line,
    len(list_filter(g.blocks, lambda b: b->>'type' = 'tool_result')) > 0 as has_tool_result,
    f.line_type = 'assistant' as is_response,
    f.line_type = 'assistant' and f.model = '<synthetic>' as is_synthetic
from grouped as g
inner join lines as f on f.thread_id = g.thread_id and f.line_seq = g.first_seq
"""

# Usage ownership: once per (session, message.id); main thread first, else earliest.
_SQL_USAGE = """
create temp table usage_owner as
with response_foreign as (
    select distinct source_message_id, request_id, owner_session_id from in_response_owners
),

candidates as (
    select
        m.message_id,
        m.session_id,
        m.source_message_id,
        m.line_usage,
        exists (
            select 1 from response_foreign as o
            where
                o.source_message_id = m.source_message_id
                and o.request_id is not distinct from m.request_id
                and o.owner_session_id <> m.session_id
        ) as owned_elsewhere,
        m.agent_id is not null as in_subagent,
        m.created_at,
        m.thread_id,
        m.first_seq
    from msgs as m
    where m.is_response and not m.is_synthetic
),

ranked as (
    select
        *,
        case
            when source_message_id is null then 1
            else row_number() over (
                partition by session_id, source_message_id
                order by owned_elsewhere, in_subagent, created_at nulls last, thread_id, first_seq
            )
        end as copy_rank
    from candidates
),

best as (
    select
        session_id,
        source_message_id,
        arg_max(line_usage, struct_pack(o := coalesce(line_usage.o, -1), m := message_id))
            as usage
    from candidates
    where source_message_id is not null
    group by session_id, source_message_id
)

select
    r.message_id,
    r.copy_rank = 1 and not r.owned_elsewhere as is_owner,
    case
        when r.copy_rank = 1 and not r.owned_elsewhere
            then coalesce(b.usage, r.line_usage)
    end as usage
from ranked as r
left join best as b
    on b.session_id = r.session_id and b.source_message_id = r.source_message_id
"""

# Graph nodes: every uuid of a thread, with the message it belongs to (null for the
# non-message lines, e.g. progress, that a parentUuid may point at).
_SQL_NODES = """
create temp table nodes as
with all_nodes as (
    select
        l.thread_id,
        l.line_uuid as uuid,
        coalesce(l.parent_line_uuid, l.logical_parent_line_uuid) as parent,
        m.message_id as msg_id,
        0 as priority,
        l.line_seq as seq
    from lines as l
    inner join msgs as m on m.thread_id = l.thread_id and m.msg_key = l.msg_key
    where l.line_uuid is not null
    union all
    select
        thread_id,
        line_uuid,
        coalesce(parent_line_uuid, logical_parent_line_uuid),
        null,
        1,
        source_line
    from base
    where line_type = 'progress' and line_uuid is not null
)

select thread_id, uuid, parent as nxt, msg_id as found
from all_nodes
qualify row_number() over (partition by thread_id, uuid order by priority, seq) = 1
"""

_SQL_RESOLVE_ROUND = """
create or replace temp table nodes as
select
    a.thread_id,
    a.uuid,
    case when a.found is null and b.found is null then b.nxt end as nxt,
    coalesce(a.found, b.found) as found
from nodes as a
left join nodes as b
    on a.found is null and b.thread_id = a.thread_id and b.uuid = a.nxt
"""

_SQL_GRAPH = """
create temp table graph as
select
    m.message_id,
    m.thread_id,
    case when n.found <> m.message_id then n.found end as parent_id,
    case
        when m.line_type = 'user'
            and not m.is_compact_summary
            and not m.is_meta
            and not m.has_tool_result
            -- local commands (slash commands, ! bash mode) and interruption markers
            -- are not prompts a user rewinds to
            and not regexp_matches(
                coalesce(m.blocks[1]->>'text', ''),
                '^\\s*(<(command-|local-command-|bash-)|\\[Request interrupted)'
            )
            then true
        else false
    end as is_prompt,
    m.created_at,
    m.first_seq
from msgs as m
left join nodes as n on n.thread_id = m.thread_id and n.uuid = m.parent_line_uuid
"""

_SQL_OFF_ROOTS = """
create temp table off_roots as
with prompts as (
    select g.*, c.message_id is not null as on_chain
    from graph as g
    left join chain as c on c.message_id = g.message_id
    where g.is_prompt and g.parent_id is not null
),

forks as (
    select
        parent_id,
        coalesce(
            max(created_at) filter (where on_chain),
            max(created_at)
        ) as kept_at
    from prompts
    group by parent_id
    having count(distinct created_at) >= 2
)

select p.message_id
from prompts as p
inner join forks as f on f.parent_id = p.parent_id
where p.created_at is distinct from f.kept_at
"""

_SQL_FINAL = """
with tool_uses as (
    select session_id, b->>'id' as tool_call_id, min(b->>'name') as tool_name
    from (select session_id, unnest(blocks) as b from msgs where is_response)
    where b->>'type' = 'tool_use'
    group by all
),

shaped as (
    select
        m.*,
        list_filter(m.blocks, lambda b: b->>'type' = 'tool_use') as tool_use_blocks,
        list_filter(m.blocks, lambda b: b->>'type' = 'tool_result') as tool_result_blocks,
        nullif(
            array_to_string(
                list_transform(
                    list_filter(m.blocks, lambda b: b->>'type' = 'text'),
                    lambda b: b->>'text'
                ),
                chr(10)
            ),
            ''
        ) as block_text,
        case
            when m.line_type = 'assistant' then 'response'
            when m.line_type = 'user' and m.is_compact_summary then 'compaction'
            when m.line_type = 'user' and m.has_tool_result then 'tool_result'
            when m.line_type = 'user' and m.is_meta then 'meta'
            when m.line_type = 'user' then 'prompt'
            when m.line_type = 'system' and m.line_subtype = 'compact_boundary'
                then 'compaction'
            when m.line_type = 'system' then 'system'
            else 'meta'
        end as message_kind,
        u.is_owner,
        u.usage
    from msgs as m
    left join usage_owner as u on u.message_id = m.message_id
),

valued as (
    select
        s.*,
        case
            when s.message_kind = 'tool_result'
                then nullif(
                    array_to_string(
                        list_transform(
                            s.tool_result_blocks,
                            lambda b: case
                                when json_type(b->'content') = 'VARCHAR' then b->>'content'
                                when json_type(b->'content') = 'ARRAY'
                                    then array_to_string(
                                        list_transform(
                                            list_filter(
                                                json_extract(b->'content', '$[*]'),
                                                lambda x: x->>'type' = 'text'
                                            ),
                                            lambda x: x->>'text'
                                        ),
                                        chr(10)
                                    )
                            end
                        ),
                        chr(10)
                    ),
                    ''
                )
            else s.block_text
        end as text,
        case
            when s.message_kind = 'tool_result' then s.tool_result_blocks[1]->>'tool_use_id'
            else s.tool_use_blocks[1]->>'id'
        end as tool_call_id
    from shaped as s
)

select
    -- ids
    v.message_id,
    v.session_id,
    cast(null as varchar) as conversation_id,
    v.agent_id,
    cast(null as varchar) as parent_thread_id,
    v.thread_id,
    case when v.is_response then v.source_message_id else v.line_uuid end
        as source_message_id,
    g.parent_id as parent_message_id,
    v.request_id,
    coalesce(
        v.prompt_id,
        last_value(v.prompt_id ignore nulls) over (
            partition by v.thread_id order by v.first_seq
            rows between unbounded preceding and current row
        )
    ) as turn_id,
    v.tool_call_id,
    -- strings
    'claude_code' as source,
    case
        when v.line_type = 'assistant' then 'assistant'
        when v.message_kind = 'tool_result' then 'tool'
        when v.line_type = 'user' then 'user'
        else 'system'
    end as role,
    v.message_kind,
    v.model,
    v.text,
    case when len(v.blocks) > 0 then to_json(v.blocks)::varchar end as content,
    case
        when v.message_kind = 'tool_result' then t.tool_name
        else v.tool_use_blocks[1]->>'name'
    end as tool_name,
    v.last_stop_reason as stop_reason,
    -- numbers
    row_number() over (partition by v.thread_id order by v.first_seq) - 1 as thread_seq,
    case
        when v.usage.i is not null or v.usage.cr is not null or v.usage.cc is not null
            then coalesce(v.usage.i, 0) + coalesce(v.usage.cr, 0) + coalesce(v.usage.cc, 0)
    end as input_tokens,
    v.usage.cr as cache_read_input_tokens,
    v.usage.cc as cache_creation_input_tokens,
    v.usage.cc5 as cache_creation_5m_input_tokens,
    v.usage.cc1 as cache_creation_1h_input_tokens,
    v.usage.o as output_tokens,
    v.usage.th as reasoning_output_tokens,
    v.source_line,
    -- booleans
    v.line_replayed or (v.is_response and not v.is_synthetic and not v.is_owner)
        as is_replayed,
    not coalesce(p.flag, false) as is_on_main_path,
    v.is_meta or v.is_compact_summary or v.line_type = 'attachment' as is_meta,
    case
        when v.message_kind = 'tool_result'
            then coalesce(
                list_bool_or(
                    list_transform(
                        v.tool_result_blocks, lambda b: try_cast(b->>'is_error' as boolean)
                    )
                ),
                false
            )
        when v.is_response and (v.is_api_error_message or v.is_synthetic) then true
        -- a failed API call, retried (system api_error, 2.1.x)
        when v.line_type = 'system' and v.line_subtype = 'api_error' then true
    end as is_error,
    -- timestamps
    v.created_at,
    -- lineage
    v.source_file
from valued as v
left join graph as g on g.message_id = v.message_id
left join off_flags as p on p.node = v.message_id
left join tool_uses as t on t.session_id = v.session_id and t.tool_call_id = v.tool_call_id
order by v.session_id, v.thread_id, thread_seq
"""


def _count(con: duckdb.DuckDBPyConnection, sql: str) -> int:
    rows = con.sql(sql).fetchall()
    return int(rows[0][0]) if rows else 0


def _resolve_parents(con: duckdb.DuckDBPyConnection) -> None:
    """Each uuid -> the message of its nearest ancestor-or-self that is a message line."""
    for _ in range(MAX_ROUNDS):
        if not _count(con, "select count(*) from nodes where found is null and nxt is not null"):
            return
        con.sql(_SQL_RESOLVE_ROUND)


def _leaf_chains(con: duckdb.DuckDBPyConnection) -> None:
    """``chain``: every message on the path from its thread's newest leaf to the root.

    Set doubling over 2**k-th ancestor tables: after round k the set holds the
    ancestors at distance < 2**k.
    """
    con.sql(
        """
        create temp table chain as
        select arg_max(message_id, first_seq) as message_id from graph group by thread_id
        """
    )
    con.sql("create temp table jumps as select message_id as node, parent_id as anc from graph")
    for _ in range(MAX_ROUNDS):
        added = _count(
            con,
            """
            with reached as (
                select distinct j.anc as message_id
                from chain as c inner join jumps as j on j.node = c.message_id
                where j.anc is not null
            ),
            new as (select message_id from reached except select message_id from chain)
            select count(*) from new
            """,
        )
        if not added:
            return
        con.sql(
            """
            insert into chain
            select distinct j.anc
            from chain as c inner join jumps as j on j.node = c.message_id
            where j.anc is not null and j.anc not in (select message_id from chain)
            """
        )
        con.sql(
            """
            create or replace temp table jumps as
            select a.node, b.anc
            from jumps as a left join jumps as b on b.node = a.anc
            """
        )


def _off_flags(con: duckdb.DuckDBPyConnection) -> None:
    """``off_flags``: per message, whether it or an ancestor is a rewound-away prompt."""
    con.sql(
        """
        create temp table off_flags as
        select
            g.message_id as node,
            g.parent_id as jump,
            r.message_id is not null as flag
        from graph as g
        left join off_roots as r on r.message_id = g.message_id
        """
    )
    if not _count(con, "select count(*) from off_roots"):
        return
    for _ in range(MAX_ROUNDS):
        if not _count(con, "select count(*) from off_flags where jump is not null"):
            return
        con.sql(
            """
            create or replace temp table off_flags as
            select a.node, b.jump, a.flag or coalesce(b.flag, false) as flag
            from off_flags as a left join off_flags as b on b.node = a.jump
            """
        )


def project_claude_code(
    lines: pa.Table,
    uuid_owners: pa.Table | None = None,
    response_owners: pa.Table | None = None,
) -> pa.Table:
    """Project the staged lines of whole Claude Code sessions to ``MESSAGES_SCHEMA`` rows.

    ``uuid_owners(line_uuid, owner_session_id)`` and
    ``response_owners(source_message_id, request_id, owner_session_id)`` name, for
    uuids / API responses seen in more than one session, the session that owns them.
    """
    if lines.num_rows == 0:
        return empty_messages()
    con = private_connection(longest_value_bytes(lines, _JSON_COLUMNS))
    try:
        con.sql("set timezone = 'UTC'")
        con.register("in_lines", _conform(lines, INPUT_COLUMNS))
        con.register(
            "in_uuid_owners",
            _conform(uuid_owners, _UUID_OWNERS)
            if uuid_owners is not None
            else _UUID_OWNERS.empty_table(),
        )
        con.register(
            "in_response_owners",
            _conform(response_owners, _RESPONSE_OWNERS)
            if response_owners is not None
            else _RESPONSE_OWNERS.empty_table(),
        )
        for sql in (_SQL_BASE, _SQL_CONV, _SQL_LINES, _SQL_MSGS, _SQL_USAGE, _SQL_NODES):
            con.sql(sql)
        _resolve_parents(con)
        con.sql(_SQL_GRAPH)
        _leaf_chains(con)
        con.sql(_SQL_OFF_ROOTS)
        _off_flags(con)
        result = con.sql(_SQL_FINAL).to_arrow_table()
    finally:
        con.close()
    if result.num_rows == 0:
        return empty_messages()
    return result.cast(MESSAGES_SCHEMA)
