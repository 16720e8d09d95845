{#
  The Gemini CLI projection, set-based: the chat as the CLI would load it now, as rows of
  the projected-message schema (src/agent_threads/projection/schema.py, same columns in
  the same order). int_messages_projected takes the rows of the sessions it projects
  from here. A view: only the sessions being projected are read.

  Replaying a chat file (thread) in line order:
  - the last message list that replaces everything (a `$set.messages`, or a pre-0.39
    document) is the start; records before it are gone;
  - a message record upserts its id: the latest copy wins, at the place where the id
    first appeared;
  - `$rewindTo` <id> drops that message and every message placed after it (copies
    written later stay).
  Each message that remains becomes (role / message_kind): `user` user / prompt (meta
  when it first appeared in a `$set.messages` list: a compression summary); `gemini`
  assistant / response (tokens: input_tokens = `input` (cache included),
  cache_read_input_tokens = `cached`, output_tokens = `output` + `thoughts`,
  reasoning_output_tokens = `thoughts`), then for each of its `toolCalls` an assistant /
  tool_call and its tool / tool_result (is_error: `status` other than success); `info`
  and `warning` system / system; `error` system / system with is_error.
#}
{{ config(materialized='view') }}

{%- set position_scale = 1000000 -%}

with lines as (
    select * from {{ ref('stg_gemini_cli__lines') }}
),

-- every copy of a message: its own record, or an item of a list that replaced the chat
records as (
    select
        session_id,
        conversation_id,
        parent_thread_id,
        thread_id,
        source_file,
        source_line,
        0 as list_position,
        record_kind,
        record_message_id as message_id,
        message_type,
        created_at,
        {{ agent_threads.json_text_parts('message_content') }} as content_text,
        cast(tool_calls as string) as tool_calls,
        model,
        tokens_input,
        tokens_cached,
        tokens_output,
        tokens_thoughts
    from lines
    where record_kind = 'message'

    union all

    select
        lines.session_id,
        lines.conversation_id,
        lines.parent_thread_id,
        lines.thread_id,
        lines.source_file,
        lines.source_line,
        items.position + 1 as list_position,
        lines.record_kind,
        {{ agent_threads.json_extract_string('items.value', '$.id') }} as message_id,
        {{ agent_threads.json_extract_string('items.value', '$.type') }} as message_type,
        {{ agent_threads.to_utc_timestamp(agent_threads.json_extract_string('items.value', '$.timestamp')) }}
            as created_at,
        -- parts ([{text}]) joined, else the string (each engine's extract of a string differs)
        case
            when {{ agent_threads.json_extract_string('items.value', '$.content[0].text') }} is not null
                then {{ agent_threads.json_text_parts(
                    agent_threads.json_extract_text('items.value', '$.content')
                ) }}
            else {{ agent_threads.json_extract_string('items.value', '$.content') }}
        end as content_text,
        {{ agent_threads.json_extract_text('items.value', '$.toolCalls') }} as tool_calls,
        {{ agent_threads.json_extract_string('items.value', '$.model') }} as model,
        try_cast({{ agent_threads.json_extract_string('items.value', '$.tokens.input') }} as bigint)
            as tokens_input,
        try_cast({{ agent_threads.json_extract_string('items.value', '$.tokens.cached') }} as bigint)
            as tokens_cached,
        try_cast({{ agent_threads.json_extract_string('items.value', '$.tokens.output') }} as bigint)
            as tokens_output,
        try_cast({{ agent_threads.json_extract_string('items.value', '$.tokens.thoughts') }} as bigint)
            as tokens_thoughts
    from lines{{ agent_threads.json_array_items_with_position('lines.message_list', 'items') }}
    where lines.record_kind in ('set', 'document') and lines.message_list is not null
),

-- where each message first appeared, over every record (a list that replaced the chat
-- keeps ids it had; an id first seen in a $set list is history the CLI rewrote)
first_records as (
    select
        conversation_id,
        message_id,
        {{ agent_threads.arg_min(
            'record_kind', 'cast(source_line as bigint) * ' ~ position_scale ~ ' + list_position'
        ) }}
            as first_record_kind
    from records
    where message_id is not null
    group by conversation_id, message_id
),

resets as (
    select
        conversation_id,
        max(source_line) as reset_line
    from lines
    where record_kind in ('set', 'document') and message_list is not null
    group by conversation_id
),

live_records as (
    select
        records.*,
        -- bigint: Spark numbers lines as int, and int arithmetic wraps there
        cast(records.source_line as bigint) * {{ position_scale }} + records.list_position as record_seq
    from records
    left join resets on records.conversation_id = resets.conversation_id
    where records.source_line >= coalesce(resets.reset_line, 0) and records.message_id is not null
),

first_places as (
    select
        conversation_id,
        message_id,
        min(record_seq) as first_seq
    from live_records
    group by conversation_id, message_id
),

rewinds as (
    select
        lines.conversation_id,
        lines.source_line as rewind_line,
        first_places.first_seq as target_seq
    from lines
    inner join first_places
        on
            lines.conversation_id = first_places.conversation_id
            and lines.rewind_to_message_id = first_places.message_id
    left join resets on lines.conversation_id = resets.conversation_id
    where lines.record_kind = 'rewind' and lines.source_line > coalesce(resets.reset_line, 0)
),

surviving as (
    select
        live_records.*,
        first_places.first_seq,
        first_records.first_record_kind
    from live_records
    inner join first_records
        on
            live_records.conversation_id = first_records.conversation_id
            and live_records.message_id = first_records.message_id
    inner join first_places
        on
            live_records.conversation_id = first_places.conversation_id
            and live_records.message_id = first_places.message_id
    where not exists (
        select 1
        from rewinds
        where
            rewinds.conversation_id = live_records.conversation_id
            and rewinds.rewind_line > live_records.source_line
            and rewinds.target_seq <= first_places.first_seq
    )
),

-- the latest copy of each message, at the place its id first appeared
latest as (
    select *
    from surviving
    qualify row_number() over (
        partition by conversation_id, message_id order by record_seq desc
    ) = 1
),

calls as (
    select
        latest.*,
        calls.position as call_position,
        {{ agent_threads.json_extract_string('calls.value', '$.id') }} as call_id,
        {{ agent_threads.json_extract_string('calls.value', '$.name') }} as call_name,
        {{ agent_threads.json_extract_text('calls.value', '$.args') }} as call_args,
        {{ agent_threads.json_extract_string('calls.value', '$.status') }} as call_status,
        coalesce(
            {{ agent_threads.json_extract_string('calls.value', '$.resultDisplay') }},
            {{ agent_threads.json_extract_text('calls.value', '$.result') }}
        ) as call_output,
        {{ agent_threads.json_extract_text('calls.value', '$.result') }} as call_result
    from latest{{ agent_threads.json_array_items_with_position('latest.tool_calls', 'calls') }}
    where latest.message_type = 'gemini'
),

messages as (
    select
        session_id,
        conversation_id,
        parent_thread_id,
        thread_id,
        message_id as source_message_id,
        cast(null as string) as tool_call_id,
        case
            when message_type = 'user' then 'user'
            when message_type = 'gemini' then 'assistant'
            else 'system'
        end as role,
        case
            -- a user message first seen in a list that rewrote the chat (a compression
            -- summary) is injected context, not typed
            when message_type = 'user' and first_record_kind = 'set' then 'meta'
            when message_type = 'user' then 'prompt'
            when message_type = 'gemini' then 'response'
            else 'system'
        end as message_kind,
        model,
        content_text as text,
        cast(null as string) as content,
        cast(null as string) as tool_name,
        tokens_input as input_tokens,
        tokens_cached as cache_read_input_tokens,
        case
            when tokens_output is not null or tokens_thoughts is not null
                then coalesce(tokens_output, 0) + coalesce(tokens_thoughts, 0)
        end as output_tokens,
        tokens_thoughts as reasoning_output_tokens,
        case when message_type = 'error' then true when message_type = 'gemini' then false end as is_error,
        message_type = 'user' and first_record_kind = 'set' as is_meta,
        created_at,
        source_file,
        source_line,
        first_seq as message_seq
    from latest

    union all

    select
        session_id,
        conversation_id,
        parent_thread_id,
        thread_id,
        message_id as source_message_id,
        call_id as tool_call_id,
        'assistant' as role,
        'tool_call' as message_kind,
        model,
        cast(null as string) as text,
        call_args as content,
        call_name as tool_name,
        cast(null as bigint) as input_tokens,
        cast(null as bigint) as cache_read_input_tokens,
        cast(null as bigint) as output_tokens,
        cast(null as bigint) as reasoning_output_tokens,
        cast(null as boolean) as is_error,
        false as is_meta,
        created_at,
        source_file,
        source_line,
        first_seq * 1000 + 2 * call_position + 1 as message_seq
    from calls

    union all

    select
        session_id,
        conversation_id,
        parent_thread_id,
        thread_id,
        message_id as source_message_id,
        call_id as tool_call_id,
        'tool' as role,
        'tool_result' as message_kind,
        model,
        call_output as text,
        call_result as content,
        call_name as tool_name,
        cast(null as bigint) as input_tokens,
        cast(null as bigint) as cache_read_input_tokens,
        cast(null as bigint) as output_tokens,
        cast(null as bigint) as reasoning_output_tokens,
        coalesce(call_status, 'success') != 'success' as is_error,
        false as is_meta,
        created_at,
        source_file,
        source_line,
        first_seq * 1000 + 2 * call_position + 2 as message_seq
    from calls
),

ordered as (
    select
        *,
        -- a message's own row first, then its calls and results
        case when message_kind in ('tool_call', 'tool_result') then message_seq else message_seq * 1000 end
            as thread_order
    from messages
),

final as (
    select
        md5(thread_id || ':' || source_message_id || ':' || message_kind || ':' || coalesce(tool_call_id, ''))
            as message_id,
        session_id,
        conversation_id,
        cast(null as string) as agent_id,
        parent_thread_id,
        thread_id,
        source_message_id,
        cast(null as string) as parent_message_id,
        cast(null as string) as request_id,
        cast(null as string) as turn_id,
        tool_call_id,
        'gemini_cli' as source,
        role,
        message_kind,
        model,
        text,
        content,
        tool_name,
        cast(null as string) as stop_reason,
        cast(row_number() over (partition by thread_id order by thread_order) - 1 as bigint) as thread_seq,
        input_tokens,
        cache_read_input_tokens,
        cast(null as bigint) as cache_creation_input_tokens,
        cast(null as bigint) as cache_creation_5m_input_tokens,
        cast(null as bigint) as cache_creation_1h_input_tokens,
        output_tokens,
        reasoning_output_tokens,
        source_line,
        false as is_replayed,
        true as is_on_main_path,
        is_meta,
        is_error,
        created_at,
        source_file
    from ordered
)

select * from final
