{#
  One row per tool call of every projected session, paired with its result. Claude Code
  tool calls are tool_use blocks inside a response message (one response may hold
  several); every other source's tool calls (Codex, Copilot CLI) are messages of their own. Replayed copies are not new
  calls and are left out.

  Incremental by session, like the projection: a run pairs the calls of the sessions
  whose revision changed, replacing each one's rows whole.
#}
{{
    config(
        on_schema_change='fail',
        pre_hook="{{ agent_threads.delete_outdated_sessions(this, ref('int_messages_projected')) }}",
        **agent_threads.replaced_by_key('session_id'),
    )
}}

with changed_sessions as (
    {{ agent_threads.sessions_to_rebuild(ref('int_messages_projected'), this, is_incremental()) }}
),

messages as (
    select * from {{ ref('int_messages_projected') }}
    where
        not is_replayed
        and session_id in (select changed_sessions.session_id from changed_sessions)
),

claude_code_blocks as (
    select
        messages.message_id,
        messages.session_id,
        messages.thread_id,
        messages.session_revision,
        messages.created_at,
        block.value as block
    from messages{{ agent_threads.json_array_items('messages.content', 'block') }}
    where
        messages.source = 'claude_code'
        and messages.message_kind = 'response'
        and messages.content like '%"tool_use"%'
),

claude_code_calls as (
    select
        message_id,
        session_id,
        thread_id,
        session_revision,
        created_at as called_at,
        {{ agent_threads.json_extract_string('block', '$.id') }} as tool_call_id,
        {{ agent_threads.json_extract_string('block', '$.name') }} as tool_name,
        {{ agent_threads.json_extract_text('block', '$.input') }} as tool_input
    from claude_code_blocks
    where {{ agent_threads.json_extract_string('block', '$.type') }} = 'tool_use'
),

message_calls as (
    select
        message_id,
        session_id,
        thread_id,
        session_revision,
        created_at as called_at,
        tool_call_id,
        tool_name,
        content as tool_input
    from messages
    where source != 'claude_code' and message_kind = 'tool_call' and tool_call_id is not null
),

calls as (
    select * from claude_code_calls
    union all
    select * from message_calls
),

results as (
    select
        thread_id,
        tool_call_id,
        {{ agent_threads.arg_min('message_id', 'thread_seq') }} as result_message_id,
        {{ agent_threads.arg_min('text', 'thread_seq') }} as tool_output,
        {{ agent_threads.arg_min('is_error', 'thread_seq') }} as is_error,
        min(created_at) as answered_at
    from messages
    where message_kind = 'tool_result' and tool_call_id is not null
    group by thread_id, tool_call_id
),

final as (
    select
        md5(calls.message_id || ':' || calls.tool_call_id) as tool_call_row_id,
        calls.tool_call_id,
        calls.message_id,
        results.result_message_id,
        calls.session_id,
        calls.thread_id,
        calls.tool_name,
        calls.tool_input,
        results.tool_output,
        results.is_error,
        calls.called_at,
        results.answered_at,
        calls.session_revision
    from calls
    left join results
        on
            calls.thread_id = results.thread_id
            and calls.tool_call_id = results.tool_call_id
)

select * from final
