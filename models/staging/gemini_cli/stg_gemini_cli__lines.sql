{#
  One row per usable Gemini CLI record, with the v6 identity: conversation_id the chat
  file's own sessionId (each subagent file is a thread), session_id its root session,
  agent_id always null (a subagent has an id of its own: conversation_id),
  parent_thread_id the thread that called a subagent (stg_gemini_cli__threads).
#}
with lines as (
    select * from {{ ref('base_gemini_cli__lines') }}
    where not is_blank and reject_reason is null
),

threads as (
    select * from {{ ref('stg_gemini_cli__threads') }}
),

final as (
    select
        -- ids
        md5(lines.source_file || ':' || lines.source_line::string) as line_id,
        lines.session_id,
        lines.conversation_id,
        null::string as agent_id,
        threads.parent_thread_id,
        {{ agent_threads.thread_id('lines.conversation_id', 'lines.session_id', 'cast(null as string)') }}
            as thread_id,
        lines.record_message_id,
        lines.rewind_to_message_id,
        -- strings
        'gemini_cli' as source,
        lines.record_kind,
        lines.message_type,
        lines.message_content,
        lines.tool_calls,
        lines.message_list,
        lines.model,
        lines.summary_text,
        lines.project_hash,
        lines.session_kind,
        lines.source_root,
        lines.source_file,
        lines.file_fingerprint,
        -- numbers
        lines.source_line,
        lines.tokens_input,
        lines.tokens_cached,
        lines.tokens_output,
        lines.tokens_thoughts,
        lines.tokens_tool,
        -- booleans
        lines.is_sidecar as is_document,
        -- timestamps
        lines.created_at,
        lines.loaded_at
    from lines
    left join threads on lines.conversation_id = threads.conversation_id
)

select * from final
