{#
  One row per Gemini CLI thread (a chat file: conversation_id is its sessionId): its
  session and parent. A subagent's file sits in its root session's folder
  (`chats/<root session id>/<agent id>.jsonl`); its parent thread is the thread whose
  tool call records that agent id (`toolCalls[].agentId`), else the root session's.
#}
with lines as (
    select * from {{ ref('base_gemini_cli__lines') }}
    where not is_blank and reject_reason is null
),

threads as (
    select
        conversation_id,
        any_value(session_id) as session_id,
        bool_or(folder_session_id is not null) as is_subagent_file,
        max(file_session_kind) as session_kind,
        min(source_root) as source_root,
        min(created_at) as started_at
    from lines
    group by conversation_id
),

-- records whose tool calls (or message lists) name an agent id
calls as (
    select distinct
        session_id,
        conversation_id,
        coalesce(tool_calls, message_list) as calls_text
    from lines
    where coalesce(tool_calls, message_list) like '%"agentId"%'
),

parents as (
    select
        threads.conversation_id,
        min(calls.conversation_id) as caller_id
    from threads
    inner join calls
        on
            threads.session_id = calls.session_id
            and threads.conversation_id != calls.conversation_id
            and calls.calls_text like '%"agentId":"' || threads.conversation_id || '"%'
    where threads.is_subagent_file
    group by threads.conversation_id
),

final as (
    select
        threads.conversation_id,
        threads.session_id,
        case
            when threads.is_subagent_file then coalesce(parents.caller_id, threads.session_id)
        end as parent_thread_id,
        threads.is_subagent_file,
        threads.session_kind,
        threads.source_root,
        threads.started_at
    from threads
    left join parents on threads.conversation_id = parents.conversation_id
)

select * from final
