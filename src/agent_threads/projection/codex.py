"""Codex projection: the staged lines of whole sessions in, ``MESSAGES_SCHEMA`` out.

``project_codex(lines, fork_baselines)`` is pure (Arrow in, Arrow out). It opens a
private in-memory DuckDB connection and runs one vectorized SQL query over the inputs;
no shared connection, no dbt, no Python loop over rows. ``lines`` holds every staged
line (``stg_codex__lines``) of one or more whole sessions; lines of a duplicate file
copy (``is_from_duplicate_file``) are ignored.

Rules, per thread (``thread_id`` = ``conversation_id``), in line order
(``source_file, source_line``):

Which lines are messages
    *Legacy* history (``history_mode`` null or ``legacy`` on the thread's own
    ``session_meta``, and every pre-0.32 file): messages come from ``response_item``
    lines only; their ``event_msg`` copies (``user_message``, ``agent_message``,
    ``agent_reasoning``...) are never messages. *Paginated* history (0.147+): user
    messages, assistant messages and reasoning come from ``event_msg item_completed``
    (``UserMessage`` / ``AgentMessage`` / ``Reasoning``) and the ``response_item``
    copy of the same item is skipped: matched by item id (``AgentMessage`` and
    ``Reasoning`` share the response item's id), and for a user message, whose ids
    differ, by the same turn id or the same text. Tool calls, tool outputs and
    developer/system messages still come from ``response_item``. A copied history
    in a paginated fork carries no ``item_completed``, so its ``response_item``
    copies are kept (as replayed).

Roles and kinds
    user message: ``user``/``prompt`` when a person sent it, else ``meta``
    (``is_meta``: injected context such as AGENTS.md instructions or the environment
    context). The rollout says which: in a thread with user events (legacy
    ``event_msg user_message``, of kind ``plain`` where 0.30-0.47 give one; paginated
    ``item_completed`` ``UserMessage``), a ``response_item`` user message is a prompt
    only when a user event of the thread has the same text (trimmed), or is the next
    line and holds its text; every ``UserMessage`` item is a prompt. Only a thread
    with no user events at all (pre-0.32 files) falls back to the text markers
    (``INJECTED_PREFIXES``, case-insensitive, leading blanks ignored);
    developer/system message: role as given, ``meta``; assistant message:
    ``response`` (text = its ``output_text`` parts); reasoning: ``assistant``/
    ``reasoning`` (text = the summary texts, else raw reasoning text; never the
    encrypted content); ``function_call``, ``custom_tool_call``, ``local_shell_call``,
    ``web_search_call``, ``tool_search_call``, ``image_generation_call``:
    ``assistant``/``tool_call`` with ``tool_name`` and ``tool_call_id`` (= call_id,
    else the item id), ``content`` = the arguments / input / action as JSON (text is
    the freeform input of a custom tool, else null; a web search without ids gets
    ``web_search:<line number in the thread>``, so every search is a tool call);
    ``*_output``: ``tool``/
    ``tool_result``, text = the string output, the ``output`` of an old shell's
    JSON-in-string ``{"output", "metadata"}``, or the text parts of an output array
    (``content`` then keeps the array); ``is_error`` = the command's exit code != 0, the
    exit code being the old shell's ``metadata.exit_code``, else the ``exit_code`` of the
    thread's ``exec_command_end`` event of the same ``call_id`` (0.102-0.136 extended
    persistence), else the one the output text's header states (``Process exited with
    code N``, ``Exit code: N``); null where none is known (a command still running, a
    removed output, a tool that is no command); an inter-agent
    ``agent_message`` item: ``user``/``prompt``; a ``compacted`` line: one ``system``
    message of kind ``compaction`` (text = its summary message, content = a small
    JSON summary of ``replacement_history``, never the history itself).
    ``ghost_snapshot``, ``world_state``, ``turn_context``, ``session_meta``, task and
    other events, ``legacy_state`` lines and encrypted ``compaction`` items are not
    messages. ``model`` = the latest ``turn_context`` model before the message;
    ``turn_id`` = the line's own, else the open turn (last ``task_started`` not yet
    completed or aborted).

Replay (forks and forked sub-agents)
    The copied history starts at the thread's first copied ``session_meta``
    (``is_copied_session_meta``). Copied lines are re-stamped with the fork time, so
    timestamps cannot end the copy; turn ids can: turn ids are UUIDv7, and a turn of
    the copy is older than the thread id (also a UUIDv7), while the thread's own
    first turn is newer. The copy ends before the first line after its start whose
    turn id is at least as new as the thread id (the thread's own ``task_started`` /
    ``turn_context`` / input). Where there is no such line (no turn ids: before 0.100;
    or a thread id that is not a UUIDv7; or no own turn yet), the copy is the burst
    of lines after the last old-turn line that share the copied ``session_meta``'s
    timestamp second (ccusage's rule); its end is the first line outside it. A copy
    written across a second boundary without turn ids would end early (a known
    limit). Real check: the ``fork-conversation`` sample (0.130): 22 copied lines
    (file lines 24-45) are replayed, the child's own turn "three" (46-54) is not.

Tokens (fork-aware deltas of ``total_token_usage``)
    Per thread, over ``token_count`` events with usage (``info`` null and
    ``[REDACTED]`` usage are null in staging and skipped): each component's delta is
    its total minus the highest earlier total of the thread (a running maximum, so a
    repeat with unchanged totals adds 0 and nothing is ever counted twice), floored
    at 0. The first reference is the thread's own copied totals; a thread with no
    replayed ``token_count`` starts from its ``fork_baselines`` row (the parent's
    totals at the fork point) when there is one, else from 0. Replayed
    ``token_count`` events count 0 but raise the reference, so a fork counts only
    its totals above the parent's. Mapping (OTel GenAI): ``input_tokens`` = Codex
    input (cached included), ``cache_read_input_tokens`` = ``cached_input_tokens``,
    ``cache_creation_input_tokens`` = ``cache_write_input_tokens`` (0.147+, else
    null), ``output_tokens`` (reasoning included), ``reasoning_output_tokens``.
    A delta goes to the latest non-replayed ``response`` / ``reasoning`` /
    ``tool_call`` message before it that has not already received one (i.e. after the
    previous delta); where there is none, the event itself becomes a ``token_usage``
    message (role ``system``, ``is_meta``, no text), so every token is on a message.

Rollback
    ``thread_rolled_back{num_turns: N}`` takes the last N turns still on the path
    before it off the main path (``is_on_main_path`` false); turns are delimited by
    ``task_started`` where the thread has them, else by user prompts; earlier
    rollbacks are honoured (a stack of turns). Their tokens still count.

Ids
    ``thread_seq`` 0..n-1; ``message_id`` = md5(thread_id || ':' || source_line) (each
    line yields at most one message); ``parent_message_id`` = the previous message of
    the thread; ``source_message_id`` = the item id.
"""

from __future__ import annotations

import re

import pyarrow as pa

from agent_threads.projection.schema import (
    MESSAGES_SCHEMA,
    longest_value_bytes,
    private_connection,
)

#: Openings of the context Codex injects as user-role messages (codex-rs
#: ``core/src/context/contextual_user_message.rs`` ``CONTEXTUAL_USER_FRAGMENT_MATCHERS``
#: and older markers). Matched case-insensitively after leading whitespace.
INJECTED_PREFIXES = (
    "# AGENTS.md instructions",
    "<user_instructions>",
    "<environment_context>",
    "<skills_instructions>",
    "<skill>",
    "<plugins_instructions>",
    "<user_shell_command>",
    "<turn_aborted>",
    "<turn_context>",
    "<subagent_notification>",
    "<agent_message_board_notification>",
    "<codex_internal_context",
    "<goal_context>",
    "<recommended_plugins>",
    "<external_",
    "<hook_prompt",
    "<current_time_reminder>",
    "Warning: apply_patch was requested via ",
    "Warning: The maximum number of unified exec processes",
    "Warning: Your account was flagged",
)

BASELINES_SCHEMA = pa.schema(
    [
        pa.field("conversation_id", pa.string()),
        pa.field("baseline_input_tokens", pa.int64()),
        pa.field("baseline_cached_input_tokens", pa.int64()),
        pa.field("baseline_cache_write_input_tokens", pa.int64()),
        pa.field("baseline_output_tokens", pa.int64()),
        pa.field("baseline_reasoning_output_tokens", pa.int64()),
    ]
)

_INJECTED_RE = r"^\s*(?:" + "|".join(re.escape(p) for p in INJECTED_PREFIXES) + ")"

_TOOL_CALL_TYPES = (
    "function_call",
    "custom_tool_call",
    "local_shell_call",
    "web_search_call",
    "tool_search_call",
    "image_generation_call",
)
_TOOL_RESULT_TYPES = (
    "function_call_output",
    "custom_tool_call_output",
    "local_shell_call_output",
    "tool_search_output",
)
_TOKEN_KINDS = ("response", "reasoning", "tool_call")


def _sql_list(values: tuple[str, ...]) -> str:
    return ", ".join("'" + v.replace("'", "''") + "'" for v in values)


def _parts_text(json_expr: str, types: tuple[str, ...]) -> str:
    """SQL: the ``text`` of the parts of a JSON array whose ``type`` is one of types."""
    return (
        "nullif(array_to_string("
        f"[json_extract_string(p, '$.text') for p in json_extract({json_expr}, '$[*]') "
        f"if json_extract_string(p, '$.type') in ({_sql_list(types)})], chr(10)), '')"
    )


_UUID7 = "'^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-7'"
#: The exit code a command tool's output text states in its header, before ``Output:``:
#: unified exec (``exec_command``, ``write_stdin``) ``Chunk ID: ..`` / ``Wall time: ..`` /
#: ``Process exited with code N``; ``shell_command`` ``Exit code: N`` / ``Wall time: ..``.
#: A command still running (``Process running with session ID N``) states none.
_EXIT_CODE_HEADER = (
    r"'^(?:[A-Za-z ]+: [^\n]*\n)*(?:Process exited with code|Exit code:) (-?[0-9]+)[ \t]*(?:\n|$)'"
)
_ITEM_CONTENT = "json_extract(event_item, '$.content')"
_AGENT_ITEM_TEXT = _parts_text(_ITEM_CONTENT, ("Text", "text", "output_text"))
_USER_ITEM_TEXT = _parts_text(_ITEM_CONTENT, ("text", "Text", "input_text"))

_QUERY = f"""
with
raw as (
    select
        session_id, conversation_id, agent_id, parent_thread_id, thread_id,
        meta_thread_id, item_id, call_id, turn_id,
        line_type, payload_type, role,
        content::varchar as content,
        tool_name,
        tool_arguments::varchar as tool_arguments,
        tool_input::varchar as tool_input,
        tool_output::varchar as tool_output,
        reasoning_summary::varchar as reasoning_summary,
        item_action::varchar as item_action,
        item_status,
        event_message::varchar as event_message,
        event_kind,
        event_item::varchar as event_item,
        replacement_history::varchar as replacement_history,
        model, history_mode, rolled_back_turns, exit_code,
        total_input_tokens, total_cached_input_tokens, total_cache_write_input_tokens,
        total_output_tokens, total_reasoning_output_tokens,
        coalesce(is_copied_session_meta, false) as is_copied_session_meta,
        created_at::timestamptz as created_at,
        source_line, source_file,
        row_number() over (partition by thread_id order by source_file, source_line) as rn
    from at_lines
    where not coalesce(is_from_duplicate_file, false)
),

threads as (
    select
        thread_id,
        coalesce(
            arg_min(history_mode, rn) filter (
                where line_type = 'session_meta' and meta_thread_id = thread_id
            ),
            'legacy'
        ) = 'paginated' as is_paginated,
        min(rn) filter (where is_copied_session_meta) as copy_start,
        max(rn) as last_rn,
        case
            when regexp_matches(thread_id, {_UUID7})
                then lower(substr(replace(thread_id, '-', ''), 1, 12))
        end as thread_time_hex,
        bool_or(payload_type in ('task_started', 'turn_started')) as has_task_started,
        bool_or(
            line_type = 'event_msg'
            and (
                payload_type = 'user_message'
                or (
                    payload_type = 'item_completed'
                    and json_extract_string(event_item, '$.type') = 'UserMessage'
                )
            )
        ) as has_user_events
    from raw
    group by thread_id
),

aged as (
    select
        raw.*,
        case
            when
                raw.turn_id is not null
                and threads.thread_time_hex is not null
                and regexp_matches(raw.turn_id, {_UUID7})
                then lower(substr(replace(raw.turn_id, '-', ''), 1, 12))
                    < threads.thread_time_hex
        end as is_old_turn
    from raw
    inner join threads on raw.thread_id = threads.thread_id
),

copy_bounds as (
    select
        threads.thread_id,
        threads.copy_start,
        threads.last_rn,
        date_trunc('second', any_value(aged.created_at) filter (
            where aged.rn = threads.copy_start
        )) as burst_second,
        min(aged.rn) filter (where aged.rn > threads.copy_start and aged.is_old_turn = false)
            as first_own_turn_rn,
        coalesce(
            max(aged.rn) filter (where aged.rn > threads.copy_start and aged.is_old_turn),
            threads.copy_start
        ) as last_old_turn_rn
    from threads
    inner join aged on threads.thread_id = aged.thread_id
    where threads.copy_start is not null
    group by threads.thread_id, threads.copy_start, threads.last_rn
),

copy_ends as (
    select
        copy_bounds.thread_id,
        copy_bounds.copy_start,
        coalesce(
            copy_bounds.first_own_turn_rn,
            min(aged.rn) filter (
                where
                    aged.rn > copy_bounds.last_old_turn_rn
                    and (
                        aged.created_at is null
                        or copy_bounds.burst_second is null
                        or date_trunc('second', aged.created_at) != copy_bounds.burst_second
                    )
            ),
            copy_bounds.last_rn + 1
        ) as own_start
    from copy_bounds
    inner join aged on copy_bounds.thread_id = aged.thread_id
    group by
        copy_bounds.thread_id,
        copy_bounds.copy_start,
        copy_bounds.first_own_turn_rn,
        copy_bounds.last_old_turn_rn,
        copy_bounds.burst_second,
        copy_bounds.last_rn
),

lines as (
    select
        aged.*,
        threads.is_paginated,
        threads.has_task_started,
        threads.has_user_events,
        coalesce(
            aged.rn >= copy_ends.copy_start and aged.rn < copy_ends.own_start, false
        ) as is_replayed,
        last_value(aged.model ignore nulls) over cumulative as current_model,
        max(case when aged.payload_type in ('task_started', 'turn_started') then aged.rn end)
            over cumulative as last_start_rn,
        last_value(
            case when aged.payload_type in ('task_started', 'turn_started') then aged.turn_id end
            ignore nulls
        ) over cumulative as last_start_turn_id,
        max(
            case
                when aged.payload_type in ('task_complete', 'turn_complete', 'turn_aborted')
                    then aged.rn
            end
        ) over cumulative as last_end_rn
    from aged
    inner join threads on aged.thread_id = threads.thread_id
    left join copy_ends on aged.thread_id = copy_ends.thread_id
    window cumulative as (
        partition by aged.thread_id order by aged.rn
        rows between unbounded preceding and current row
    )
),

-- paginated threads: the item_completed turn items that carry messages
page_items as (
    select
        lines.*,
        json_extract_string(event_item, '$.type') as item_type,
        json_extract_string(event_item, '$.id') as page_item_id
    from lines
    where
        is_paginated
        and line_type = 'event_msg'
        and payload_type = 'item_completed'
        and json_extract_string(event_item, '$.type')
            in ('UserMessage', 'AgentMessage', 'Reasoning')
),

page_messages as (
    select
        page_items.*,
        case item_type
            when 'UserMessage' then 'user'
            else 'assistant'
        end as m_role,
        case item_type
            when 'AgentMessage' then {_AGENT_ITEM_TEXT}
            when 'UserMessage' then {_USER_ITEM_TEXT}
            else coalesce(
                nullif(array_to_string(
                    [json_extract_string(p, '$') for p
                     in json_extract(event_item, '$.summary_text[*]')], chr(10)), ''),
                nullif(array_to_string(
                    [json_extract_string(p, '$') for p
                     in json_extract(event_item, '$.raw_content[*]')], chr(10)), '')
            )
        end as m_text,
        case item_type
            when 'Reasoning' then json_extract(event_item, '$.summary_text')::varchar
            else json_extract(event_item, '$.content')::varchar
        end as m_content
    from page_items
),

response_items as (
    select
        lines.*,
        case
            when payload_type = 'message' then
                {_parts_text("content", ("input_text", "output_text", "text"))}
            when payload_type = 'agent_message' then
                {_parts_text("content", ("input_text", "text"))}
            when payload_type = 'reasoning' then coalesce(
                nullif(array_to_string(
                    [json_extract_string(p, '$.text') for p
                     in json_extract(reasoning_summary, '$[*]')], chr(10)), ''),
                {_parts_text("content", ("reasoning_text",))}
            )
            when payload_type = 'custom_tool_call' then
                case
                    when json_type(tool_input) = 'VARCHAR'
                        then json_extract_string(tool_input, '$')
                    else tool_input
                end
        end as item_text,
        case
            when json_type(tool_output) = 'VARCHAR' then json_extract_string(tool_output, '$')
        end as output_string
    from lines
    where
        line_type = 'response_item'
        and (
            payload_type in ('message', 'reasoning', 'agent_message')
            or payload_type in ({_sql_list(_TOOL_CALL_TYPES)})
            or payload_type in ({_sql_list(_TOOL_RESULT_TYPES)})
        )
),

-- what a person sent, as the rollout records it: user_message events (legacy history;
-- 0.30-0.47 events of another kind are injected context) and UserMessage items
-- (paginated history)
user_events as (
    select
        thread_id,
        rn,
        trim(coalesce(
            case
                when json_type(event_message) = 'VARCHAR'
                    then json_extract_string(event_message, '$')
            end,
            ''
        )) as event_text
    from lines
    where
        line_type = 'event_msg'
        and payload_type = 'user_message'
        and coalesce(trim(event_kind::varchar, '"'), 'plain') = 'plain'
    union all
    select thread_id, rn, trim(coalesce({_USER_ITEM_TEXT}, ''))
    from lines
    where
        line_type = 'event_msg'
        and payload_type = 'item_completed'
        and json_extract_string(event_item, '$.type') = 'UserMessage'
),

-- the exit code of each command an exec_command_end event reports (extended persistence)
command_exits as (
    select
        thread_id,
        call_id,
        arg_max(exit_code, rn) as end_exit_code
    from lines
    where
        line_type = 'event_msg'
        and payload_type = 'exec_command_end'
        and call_id is not null
        and exit_code is not null
    group by thread_id, call_id
),

classified as (
    select
        response_items.*,
        payload_type = 'message' and coalesce(role, 'user') = 'user'
            and case
                -- a user message no user event of the thread sent is injected context:
                -- same text, or the event right after it (Codex writes the prompt's
                -- response_item, then its user_message) whose text it holds
                when has_user_events then not exists (
                    select 1 from user_events
                    where
                        user_events.thread_id = response_items.thread_id
                        and (
                            user_events.event_text = trim(coalesce(response_items.item_text, ''))
                            or (
                                user_events.rn = response_items.rn + 1
                                and user_events.event_text != ''
                                and contains(
                                    coalesce(response_items.item_text, ''),
                                    user_events.event_text
                                )
                            )
                        )
                )
                -- no user events at all (pre-0.32 files): the text markers
                else regexp_matches(coalesce(item_text, ''), $injected, 'i')
            end as is_injected,
        case
            when output_string is not null and json_valid(output_string)
                then output_string::json
        end as output_json,
        command_exits.end_exit_code,
        try_cast(regexp_extract(
            coalesce(
                output_string,
                {_parts_text("tool_output", ("input_text", "output_text", "text"))}
            ),
            {_EXIT_CODE_HEADER},
            1
        ) as bigint) as header_exit_code
    from response_items
    left join command_exits
        on
            response_items.payload_type in ({_sql_list(_TOOL_RESULT_TYPES)})
            and response_items.thread_id = command_exits.thread_id
            and response_items.call_id = command_exits.call_id
),

response_messages as (
    select
        classified.*,
        case
            when payload_type = 'message' then
                case
                    when coalesce(role, 'user') in ('user', 'assistant', 'developer', 'system')
                        then coalesce(role, 'user')
                    else 'system'
                end
            when payload_type = 'agent_message' then 'user'
            when payload_type in ({_sql_list(_TOOL_RESULT_TYPES)}) then 'tool'
            else 'assistant'
        end as m_role,
        case
            when payload_type = 'message' then
                case
                    when coalesce(role, 'user') = 'assistant' then 'response'
                    when coalesce(role, 'user') = 'user' and not is_injected then 'prompt'
                    else 'meta'
                end
            when payload_type = 'agent_message' then 'prompt'
            when payload_type = 'reasoning' then 'reasoning'
            when payload_type in ({_sql_list(_TOOL_RESULT_TYPES)}) then 'tool_result'
            else 'tool_call'
        end as m_kind,
        case
            when payload_type in ({_sql_list(_TOOL_RESULT_TYPES)}) then
                case
                    when json_type(tool_output) = 'ARRAY' then
                        {_parts_text("tool_output", ("input_text", "output_text", "text"))}
                    when json_type(output_json) = 'OBJECT'
                        and json_exists(output_json, '$.output')
                        then json_extract_string(output_json, '$.output')
                    when output_string is not null then output_string
                    else tool_output
                end
            else item_text
        end as m_text,
        case
            when payload_type in ('message', 'agent_message') then content
            when payload_type = 'reasoning' then reasoning_summary
            when payload_type in ('function_call', 'tool_search_call') then
                case
                    when json_type(tool_arguments) = 'VARCHAR'
                        then json_extract_string(tool_arguments, '$')
                    else coalesce(tool_arguments, tool_input)
                end
            when payload_type = 'custom_tool_call' then tool_input
            when payload_type in ('local_shell_call', 'web_search_call') then item_action
            when payload_type = 'image_generation_call' then
                json_object('status', item_status)::varchar
            when json_type(tool_output) = 'ARRAY' then tool_output
        end as m_content,
        case
            when payload_type in ({_sql_list(_TOOL_RESULT_TYPES)})
                then coalesce(
                    case
                        when json_type(output_json) = 'OBJECT'
                            then try_cast(
                                json_extract_string(output_json, '$.metadata.exit_code') as bigint
                            )
                    end,
                    end_exit_code,
                    header_exit_code
                ) != 0
        end as m_is_error
    from classified
),

response_kept as (
    select response_messages.*
    from response_messages
    where not (
        is_paginated
        and payload_type in ('message', 'reasoning')
        and (
            exists (
                select 1 from page_items
                where
                    page_items.thread_id = response_messages.thread_id
                    and page_items.page_item_id = response_messages.item_id
            )
            or (
                m_kind = 'prompt'
                and exists (
                    select 1 from page_messages
                    where
                        page_messages.thread_id = response_messages.thread_id
                        and page_messages.item_type = 'UserMessage'
                        and (
                            page_messages.turn_id = response_messages.turn_id
                            or page_messages.m_text = response_messages.m_text
                        )
                )
            )
        )
    )
),

compactions as (
    select
        lines.*,
        nullif(
            case
                when json_type(event_message) = 'VARCHAR'
                    then json_extract_string(event_message, '$')
                else event_message
            end,
            ''
        ) as m_text,
        json_object(
            'replacement_history_items', json_array_length(replacement_history),
            'encrypted_compaction_items', len(
                [p for p in json_extract(replacement_history, '$[*]')
                 if json_extract_string(p, '$.type') in ('compaction', 'compaction_summary')]
            )
        )::varchar as m_content
    from lines
    where line_type = 'compacted'
),

item_messages as (
    select
        thread_id, rn, is_replayed, page_item_id as source_message_id,
        m_role as role,
        case
            when item_type = 'UserMessage' then 'prompt'
            when item_type = 'AgentMessage' then 'response'
            else 'reasoning'
        end as message_kind,
        m_text as text, m_content as content,
        null::varchar as tool_name, null::varchar as tool_call_id, null::boolean as is_error
    from page_messages
    union all
    select
        thread_id, rn, is_replayed, item_id,
        m_role, m_kind, m_text, m_content,
        case
            when m_kind != 'tool_call' then null
            when payload_type = 'local_shell_call' then coalesce(tool_name, 'local_shell')
            when payload_type = 'web_search_call' then coalesce(tool_name, 'web_search')
            when payload_type = 'tool_search_call' then coalesce(tool_name, 'tool_search')
            when payload_type = 'image_generation_call'
                then coalesce(tool_name, 'image_generation')
            else tool_name
        end,
        case
            -- a web search has no call id (and before 0.147 often no item id): its line
            when payload_type = 'web_search_call'
                then coalesce(call_id, item_id, 'web_search:' || rn::varchar)
            when m_kind in ('tool_call', 'tool_result') then coalesce(call_id, item_id)
        end,
        m_is_error
    from response_kept
    union all
    select
        thread_id, rn, is_replayed, null, 'system', 'compaction', m_text, m_content,
        null, null, null
    from compactions
),

-- tokens: deltas of total_token_usage above the running maximum of the thread
token_lines as (
    select
        lines.thread_id, lines.rn, lines.is_replayed,
        coalesce(total_input_tokens, 0) as t_in,
        coalesce(total_cached_input_tokens, 0) as t_cached,
        total_cache_write_input_tokens as t_write,
        coalesce(total_output_tokens, 0) as t_out,
        coalesce(total_reasoning_output_tokens, 0) as t_reason,
        bool_or(lines.is_replayed) over (partition by lines.thread_id) as has_replayed_tokens
    from lines
    where
        line_type = 'event_msg'
        and payload_type = 'token_count'
        and total_input_tokens is not null
),

token_refs as (
    select
        token_lines.*,
        case when has_replayed_tokens then null else baselines.baseline_input_tokens end
            as b_in,
        case when has_replayed_tokens then null else baselines.baseline_cached_input_tokens end
            as b_cached,
        case
            when has_replayed_tokens then null
            else baselines.baseline_cache_write_input_tokens
        end as b_write,
        case when has_replayed_tokens then null else baselines.baseline_output_tokens end
            as b_out,
        case
            when has_replayed_tokens then null
            else baselines.baseline_reasoning_output_tokens
        end as b_reason,
        max(t_in) over earlier as m_in,
        max(t_cached) over earlier as m_cached,
        max(t_write) over earlier as m_write,
        max(t_out) over earlier as m_out,
        max(t_reason) over earlier as m_reason
    from token_lines
    left join at_baselines as baselines on token_lines.thread_id = baselines.conversation_id
    window earlier as (
        partition by token_lines.thread_id order by token_lines.rn
        rows between unbounded preceding and 1 preceding
    )
),

token_deltas as (
    select
        thread_id, rn, is_replayed,
        case when is_replayed then 0
            else greatest(t_in - greatest(coalesce(m_in, 0), coalesce(b_in, 0)), 0)
        end as d_in,
        case when is_replayed then 0
            else greatest(t_cached - greatest(coalesce(m_cached, 0), coalesce(b_cached, 0)), 0)
        end as d_cached,
        case when is_replayed or t_write is null then null
            else greatest(t_write - greatest(coalesce(m_write, 0), coalesce(b_write, 0)), 0)
        end as d_write,
        case when is_replayed then 0
            else greatest(t_out - greatest(coalesce(m_out, 0), coalesce(b_out, 0)), 0)
        end as d_out,
        case when is_replayed then 0
            else greatest(t_reason - greatest(coalesce(m_reason, 0), coalesce(b_reason, 0)), 0)
        end as d_reason
    from token_refs
),

spent as (
    select * from token_deltas
    where d_in > 0 or d_cached > 0 or coalesce(d_write, 0) > 0 or d_out > 0 or d_reason > 0
),

token_events as (
    select thread_id, rn, 'message' as event,
        not is_replayed and message_kind in ({_sql_list(_TOKEN_KINDS)}) as can_carry
    from item_messages
    union all
    select thread_id, rn, 'tokens', false from spent
),

token_targets as (
    select
        thread_id, rn,
        max(case when can_carry then rn end) over earlier as last_carrier_rn,
        max(case when event = 'tokens' then rn end) over earlier as last_tokens_rn
    from token_events
    window earlier as (
        partition by thread_id order by rn rows between unbounded preceding and 1 preceding
    )
    qualify event = 'tokens'
),

token_assigned as (
    select
        spent.*,
        case
            when token_targets.last_carrier_rn > coalesce(token_targets.last_tokens_rn, 0)
                then token_targets.last_carrier_rn
        end as target_rn
    from spent
    inner join token_targets
        on spent.thread_id = token_targets.thread_id and spent.rn = token_targets.rn
),

token_sums as (
    select
        thread_id,
        coalesce(target_rn, rn) as rn,
        sum(d_in) as input_tokens,
        sum(d_cached) as cache_read_input_tokens,
        sum(d_write) as cache_creation_input_tokens,
        sum(d_out) as output_tokens,
        sum(d_reason) as reasoning_output_tokens
    from token_assigned
    group by all
),

all_messages as (
    select * from item_messages
    union all
    select
        thread_id, rn, false, null, 'system', 'token_usage', null, null, null, null, null
    from token_assigned
    where target_rn is null
),

-- rollback: a stack of turns; a turn is off the main path once the (floored) depth
-- drops below its own position
turn_events as (
    select thread_id, rn, 1 as step, true as is_turn
    from lines
    where has_task_started and payload_type in ('task_started', 'turn_started')
    union all
    select lines.thread_id, lines.rn, 1, true
    from all_messages
    inner join lines on all_messages.thread_id = lines.thread_id and all_messages.rn = lines.rn
    where not lines.has_task_started and all_messages.message_kind = 'prompt'
        and all_messages.role = 'user'
    union all
    select thread_id, rn, -greatest(coalesce(rolled_back_turns, 0), 0), false
    from lines
    where line_type = 'event_msg' and payload_type = 'thread_rolled_back'
),

turn_walk as (
    select
        *,
        sum(step) over upto as running
    from turn_events
    window upto as (
        partition by thread_id order by rn rows between unbounded preceding and current row
    )
),

turn_depths as (
    select
        *,
        running - least(0, min(running) over upto) as depth
    from turn_walk
    window upto as (
        partition by thread_id order by rn rows between unbounded preceding and current row
    )
),

turn_fates as (
    select
        *,
        min(depth) over later < depth as is_rolled_back
    from turn_depths
    window later as (
        partition by thread_id order by rn rows between 1 following and unbounded following
    )
),

placed as (
    select
        all_messages.*,
        turn_fates.is_turn and coalesce(turn_fates.is_rolled_back, false)
            as in_rolled_back_turn
    from all_messages
    asof left join turn_fates
        on all_messages.thread_id = turn_fates.thread_id and all_messages.rn >= turn_fates.rn
),

final as (
    select
        md5(lines.thread_id || ':' || lines.source_line::varchar) as message_id,
        lines.session_id,
        lines.conversation_id,
        lines.agent_id,
        lines.parent_thread_id,
        lines.thread_id,
        placed.source_message_id,
        lag(md5(lines.thread_id || ':' || lines.source_line::varchar)) over thread_order
            as parent_message_id,
        null::varchar as request_id,
        coalesce(
            lines.turn_id,
            case
                when lines.last_start_rn > coalesce(lines.last_end_rn, 0)
                    then lines.last_start_turn_id
            end
        ) as turn_id,
        placed.tool_call_id,
        'codex' as source,
        placed.role,
        placed.message_kind,
        lines.current_model as model,
        placed.text,
        placed.content,
        case
            when placed.message_kind = 'tool_result' and placed.tool_call_id is not null
                then coalesce(
                    placed.tool_name,
                    max(placed.tool_name) filter (where placed.message_kind = 'tool_call')
                        over (partition by placed.thread_id, placed.tool_call_id)
                )
            else placed.tool_name
        end as tool_name,
        null::varchar as stop_reason,
        (row_number() over thread_order - 1)::bigint as thread_seq,
        token_sums.input_tokens::bigint as input_tokens,
        token_sums.cache_read_input_tokens::bigint as cache_read_input_tokens,
        token_sums.cache_creation_input_tokens::bigint as cache_creation_input_tokens,
        null::bigint as cache_creation_5m_input_tokens,
        null::bigint as cache_creation_1h_input_tokens,
        token_sums.output_tokens::bigint as output_tokens,
        token_sums.reasoning_output_tokens::bigint as reasoning_output_tokens,
        lines.source_line::bigint as source_line,
        placed.is_replayed,
        not coalesce(placed.in_rolled_back_turn, false) as is_on_main_path,
        placed.message_kind in ('meta', 'compaction', 'token_usage') as is_meta,
        placed.is_error,
        lines.created_at,
        lines.source_file
    from placed
    inner join lines on placed.thread_id = lines.thread_id and placed.rn = lines.rn
    left join token_sums on placed.thread_id = token_sums.thread_id and placed.rn = token_sums.rn
    window thread_order as (partition by placed.thread_id order by placed.rn)
)

select * from final order by session_id, thread_id, thread_seq
"""


def project_codex(lines: pa.Table, fork_baselines: pa.Table | None = None) -> pa.Table:
    """Project staged Codex lines of whole sessions to messages (``MESSAGES_SCHEMA``).

    ``fork_baselines`` (``BASELINES_SCHEMA``): per forked thread, the parent's
    cumulative totals at the fork point, used when the copy carries no token_count.
    """
    if lines.num_rows == 0:
        return MESSAGES_SCHEMA.empty_table()
    baselines = fork_baselines if fork_baselines is not None else BASELINES_SCHEMA.empty_table()
    con = private_connection(
        longest_value_bytes(
            lines, ("content", "tool_output", "tool_arguments", "event_item", "replacement_history")
        )
    )
    try:
        con.execute("set TimeZone = 'UTC'")
        con.register("at_lines", lines)
        con.register("at_baselines", baselines.select(BASELINES_SCHEMA.names))
        result = con.sql(_QUERY, params={"injected": _INJECTED_RE}).to_arrow_table()
    finally:
        con.close()
    return result.cast(MESSAGES_SCHEMA)
