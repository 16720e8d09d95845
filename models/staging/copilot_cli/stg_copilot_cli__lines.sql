{#
  One row per usable GitHub Copilot CLI event, with the v6 identity: session_id the
  file's session, conversation_id always null (Copilot gives a thread no id of its own,
  like Claude Code), agent_id the subagent that wrote the event (envelope agentId, else
  data.parentToolCallId, the tool call that started it), parent_thread_id always null (the
  spawn link is the subagent.started event's tool call).
#}
with lines as (
    select * from {{ ref('base_copilot_cli__lines') }}
    where not is_blank and reject_reason is null
),

final as (
    select
        -- ids
        md5(lines.source_file || ':' || lines.source_line::string) as line_id,
        lines.session_id,
        null::string as conversation_id,
        lines.agent_id,
        null::string as parent_thread_id,
        {{ agent_threads.thread_id('cast(null as string)', 'lines.session_id', 'lines.agent_id') }}
            as thread_id,
        lines.event_id,
        lines.parent_event_id,
        lines.envelope_agent_id,
        lines.parent_tool_call_id,
        lines.source_message_id,
        lines.interaction_id,
        lines.tool_call_id,
        -- strings
        'copilot_cli' as source,
        lines.event_type,
        lines.content_text,
        lines.transformed_content,
        lines.reasoning_text,
        lines.tool_requests,
        lines.tool_name,
        lines.tool_arguments,
        lines.tool_result,
        lines.tool_error,
        lines.event_model,
        lines.agent_name,
        lines.agent_display_name,
        lines.agent_description,
        lines.notice_text,
        lines.summary_content,
        lines.model_metrics,
        lines.shutdown_type,
        lines.client_version,
        lines.producer,
        lines.cwd,
        lines.git_branch,
        lines.repository,
        lines.source_root,
        lines.source_file,
        lines.file_fingerprint,
        -- numbers
        lines.source_line,
        lines.output_tokens,
        lines.checkpoint_number,
        lines.compaction_input_tokens,
        lines.compaction_cached_input_tokens,
        lines.compaction_cache_write_tokens,
        lines.compaction_output_tokens,
        -- booleans
        lines.is_success,
        lines.is_ephemeral,
        lines.is_session_named_by_start,
        -- timestamps
        lines.created_at,
        lines.loaded_at
    from lines
)

select * from final
