{#
  One row per usable Codex line, with the v6 identity: conversation_id is the thread
  (from session_meta, never from the file name), session_id the thread family's session
  (resolved in stg_codex__threads), agent_id always null.
#}
with lines as (
    select * from {{ ref('base_codex__lines') }}
    where not is_blank and reject_reason is null
),

threads as (
    select * from {{ ref('stg_codex__threads') }}
),

final as (
    select
        -- ids
        md5(lines.source_file || ':' || lines.source_line::string) as line_id,
        threads.session_id,
        lines.conversation_id,
        null::string as agent_id,
        threads.parent_thread_id,
        {{ agent_threads.thread_id('lines.conversation_id', 'threads.session_id', 'cast(null as string)') }}
            as thread_id,
        threads.forked_from_id,
        lines.meta_thread_id,
        lines.meta_session_id,
        lines.meta_forked_from_id,
        lines.meta_parent_thread_id,
        lines.item_id,
        lines.call_id,
        lines.turn_id,
        lines.agent_thread_id,
        -- strings
        'codex' as source,
        lines.line_type,
        lines.payload_type,
        lines.role,
        lines.phase,
        lines.content,
        lines.tool_name,
        lines.tool_arguments,
        lines.tool_input,
        lines.tool_output,
        lines.reasoning_summary,
        lines.item_action,
        lines.item_status,
        lines.event_message,
        lines.event_text,
        lines.event_item,
        lines.last_agent_message,
        lines.event_reason,
        lines.event_kind,
        lines.replacement_history,
        lines.model,
        lines.reasoning_effort,
        lines.meta_source,
        lines.thread_source,
        lines.agent_role,
        lines.agent_nickname,
        lines.agent_path,
        lines.originator,
        lines.client_version,
        lines.history_mode,
        lines.git_branch,
        lines.cwd,
        -- numbers
        lines.source_line,
        lines.ordinal,
        lines.rolled_back_turns,
        lines.exit_code,
        lines.total_input_tokens,
        lines.total_cached_input_tokens,
        lines.total_cache_write_input_tokens,
        lines.total_output_tokens,
        lines.total_reasoning_output_tokens,
        lines.last_input_tokens,
        lines.last_cached_input_tokens,
        lines.last_cache_write_input_tokens,
        lines.last_output_tokens,
        lines.last_reasoning_output_tokens,
        -- booleans
        lines.is_legacy_format,
        lines.is_archived_file,
        lines.is_copied_session_meta,
        lines.source_file != threads.chosen_source_file as is_from_duplicate_file,
        -- timestamps
        lines.created_at,
        lines.meta_started_at,
        lines.loaded_at,
        -- lineage
        lines.source_root,
        lines.source_file,
        lines.file_fingerprint
    from lines
    inner join threads on lines.conversation_id = threads.conversation_id
)

select * from final
