{#
  One row per usable Claude Code line, with the v6 identity. The file-level identity
  (the file's session, a sidechain's root) is resolved in base_claude_code__lines.
#}
with base as (
    select * from {{ ref('base_claude_code__lines') }}
    where not is_blank and reject_reason is null
),

final as (
    select
        -- ids
        md5(source_file || ':' || source_line::string) as line_id,
        session_id,
        null::string as conversation_id,
        agent_id,
        null::string as parent_thread_id,
        {{ agent_threads.thread_id('cast(null as string)', 'session_id', 'agent_id') }}
            as thread_id,
        line_uuid,
        parent_line_uuid,
        logical_parent_line_uuid,
        line_session_id,
        line_agent_id,
        source_message_id,
        request_id,
        prompt_id,
        source_tool_assistant_uuid,
        tool_use_id,
        parent_tool_use_id,
        leaf_uuid,
        progress_agent_id,
        -- strings
        'claude_code' as source,
        file_kind,
        line_type,
        line_subtype,
        message_role,
        model,
        stop_reason,
        message_content,
        line_content,
        result_agent_id,
        result_agent_type,
        progress_message,
        title_text,
        title_kind,
        last_prompt,
        agent_type,
        agent_description,
        compact_trigger,
        system_level,
        client_version,
        cwd,
        git_branch,
        entrypoint,
        pr_url,
        -- numbers
        source_line,
        compact_pre_tokens,
        usage_input_tokens,
        usage_output_tokens,
        usage_cache_read_input_tokens,
        usage_cache_creation_input_tokens,
        usage_cache_creation_5m_input_tokens,
        usage_cache_creation_1h_input_tokens,
        usage_thinking_output_tokens,
        -- booleans
        is_sidechain,
        is_meta,
        is_compact_summary,
        is_api_error_message,
        coalesce(line_session_id is not null and line_session_id != session_id, false)
            as has_foreign_session_id,
        -- timestamps
        created_at,
        loaded_at,
        -- lineage
        source_root,
        source_file,
        file_fingerprint
    from base
)

select * from final
