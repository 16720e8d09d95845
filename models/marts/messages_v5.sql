{#
  messages v5 (deprecated): the v6 rows in the old shape, for consumers that have not
  moved yet. No session_id and no thread_id; conversation_id has its old, overloaded
  meaning: the Codex thread, else the Claude Code session id.
#}
with messages as (
    select * from {{ ref('messages', v=6) }}
),

final as (
    select
        message_id,
        coalesce(conversation_id, session_id) as conversation_id,
        agent_id,
        parent_thread_id,
        source_message_id,
        parent_message_id,
        request_id,
        turn_id,
        tool_call_id,
        source,
        role,
        message_kind,
        model,
        text,
        content,
        tool_name,
        stop_reason,
        thread_seq,
        input_tokens,
        cache_read_input_tokens,
        cache_creation_input_tokens,
        cache_creation_5m_input_tokens,
        cache_creation_1h_input_tokens,
        output_tokens,
        reasoning_output_tokens,
        source_line,
        is_replayed,
        is_on_main_path,
        is_meta,
        is_error,
        created_at,
        source_file,
        session_revision,
        5 as schema_version
    from messages
)

select * from final
