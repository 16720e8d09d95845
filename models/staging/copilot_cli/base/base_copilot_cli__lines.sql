{#
  Every landed line of the current version of each GitHub Copilot CLI event log, parsed
  once, with the session it belongs to and a reject reason where it cannot be used.

  A line is an event envelope {type, data, id, timestamp, parentId, agentId?,
  ephemeral?}. The file's session is the sessionId of its session.start (a resume
  appends session.resume to the same file), else the name of the session folder
  (`session-state/<id>/events.jsonl`) or of a flat file (`session-state/<id>.jsonl`).
  agent_id: the envelope agentId, else data.parentToolCallId (1.0.x); a
  session.compaction_complete is the compaction call's own thread,
  `compaction-<checkpointNumber>`.

  Incremental by file, like base_codex__lines.
#}
{{ config(on_schema_change='fail', **agent_threads.replaced_by_key('file_id')) }}

{%- set data_schema = {
    'sessionId': 'VARCHAR',
    'copilotVersion': 'VARCHAR',
    'producer': 'VARCHAR',
    'selectedModel': 'VARCHAR',
    'context': {'cwd': 'VARCHAR', 'branch': 'VARCHAR', 'repository': 'VARCHAR'},
    'content': 'JSON',
    'transformedContent': 'VARCHAR',
    'interactionId': 'VARCHAR',
    'messageId': 'VARCHAR',
    'toolRequests': 'JSON',
    'outputTokens': 'BIGINT',
    'parentToolCallId': 'VARCHAR',
    'reasoningText': 'VARCHAR',
    'toolCallId': 'VARCHAR',
    'toolName': 'VARCHAR',
    'arguments': 'JSON',
    'success': 'BOOLEAN',
    'result': 'JSON',
    'error': 'JSON',
    'model': 'VARCHAR',
    'agentName': 'VARCHAR',
    'agentDisplayName': 'VARCHAR',
    'agentDescription': 'VARCHAR',
    'newModel': 'VARCHAR',
    'message': 'VARCHAR',
    'summaryContent': 'VARCHAR',
    'checkpointNumber': 'BIGINT',
    'compactionTokensUsed': {
        'input': 'BIGINT', 'output': 'BIGINT', 'cachedInput': 'BIGINT',
        'inputTokens': 'BIGINT', 'outputTokens': 'BIGINT', 'cacheReadTokens': 'BIGINT',
        'cacheWriteTokens': 'BIGINT',
    },
    'modelMetrics': 'JSON',
    'shutdownType': 'VARCHAR',
} -%}
{%- set line_schema = {
    'type': 'VARCHAR',
    'data': data_schema,
    'id': 'VARCHAR',
    'timestamp': 'VARCHAR',
    'parentId': 'VARCHAR',
    'agentId': 'VARCHAR',
    'ephemeral': 'BOOLEAN',
} -%}

with current_version as (
    select *
    from
        {{ agent_threads.current_landed_lines('copilot_cli', agent_threads.loaded_at_watermark()) }}
            as current_lines
),

parsed as (
    select
        {{ agent_threads.star_except(['raw_line']) }},
        {{ agent_threads.parse_json_object('raw_line', line_schema) }} as j,
        {{ agent_threads.is_json_object_text('raw_line') }} as is_json_object
    from current_version
),

typed as {{ agent_threads.cte_materialized() }} (
    select
        source_root,
        source_file,
        file_fingerprint,
        file_id,
        is_file_on_disk,
        source_line,
        is_blank,
        is_valid_utf8,
        load_id,
        loaded_at,
        j is not null as is_json,
        is_json_object,
        j.type as event_type,
        j.id as event_id,
        j.parentid as parent_event_id,
        j.agentid as envelope_agent_id,
        coalesce(j.ephemeral, false) as is_ephemeral,
        -- session.start / session.resume
        case when j.type = 'session.start' then j.data.sessionid end as start_session_id,
        j.data.copilotversion as client_version,
        j.data.producer,
        j.data.context.cwd,
        j.data.context.branch as git_branch,
        j.data.context.repository,
        -- messages (content is a string; anything else is kept as JSON text)
        {{ agent_threads.json_extract_string('j.data.content', '$') }} as content_text,
        j.data.transformedcontent as transformed_content,
        j.data.interactionid as interaction_id,
        j.data.messageid as source_message_id,
        j.data.toolrequests as tool_requests,
        j.data.outputtokens as output_tokens,
        j.data.parenttoolcallid as parent_tool_call_id,
        j.data.reasoningtext as reasoning_text,
        -- tools and subagents
        j.data.toolcallid as tool_call_id,
        j.data.toolname as tool_name,
        j.data.arguments as tool_arguments,
        j.data.success as is_success,
        j.data.result as tool_result,
        j.data.error as tool_error,
        coalesce(j.data.newmodel, j.data.selectedmodel, j.data.model) as event_model,
        j.data.agentname as agent_name,
        j.data.agentdisplayname as agent_display_name,
        j.data.agentdescription as agent_description,
        -- notices, compaction, shutdown
        j.data.message as notice_text,
        j.data.summarycontent as summary_content,
        j.data.checkpointnumber as checkpoint_number,
        -- compactionTokensUsed: {input, output, cachedInput} (1.0.x), or the names of
        -- assistant.usage in the current schema
        coalesce(j.data.compactiontokensused.inputtokens, j.data.compactiontokensused.input)
            as compaction_input_tokens,
        coalesce(
            j.data.compactiontokensused.cachereadtokens, j.data.compactiontokensused.cachedinput
        ) as compaction_cached_input_tokens,
        j.data.compactiontokensused.cachewritetokens as compaction_cache_write_tokens,
        coalesce(j.data.compactiontokensused.outputtokens, j.data.compactiontokensused.output)
            as compaction_output_tokens,
        j.data.modelmetrics as model_metrics,
        j.data.shutdowntype as shutdown_type,
        {{ agent_threads.to_utc_timestamp('j.timestamp') }} as created_at
    from parsed
),

files as (
    select
        source_file,
        {{ agent_threads.arg_min('start_session_id', 'source_line') }} filter (
            where event_type = 'session.start' and start_session_id is not null
        ) as file_session_id
    from typed
    group by source_file
),

identified as (
    select
        typed.*,
        coalesce(
            files.file_session_id,
            case
                when typed.source_file like '%/events.jsonl'
                    then regexp_extract(typed.source_file, '([^/]+)/events\.jsonl$', 1)
                else regexp_extract(typed.source_file, '([^/]+)\.jsonl$', 1)
            end
        ) as session_id,
        files.file_session_id is not null as is_session_named_by_start,
        case
            -- a compaction is a call of its own: a thread of kind compaction
            when typed.event_type = 'session.compaction_complete'
                then 'compaction-' || coalesce(cast(typed.checkpoint_number as string), typed.event_id)
            else coalesce(typed.envelope_agent_id, typed.parent_tool_call_id)
        end as agent_id
    from typed
    left join files on typed.source_file = files.source_file
),

final as (
    select
        *,
        case
            when is_blank then null
            when not is_valid_utf8 then 'not valid UTF-8'
            when not is_json then 'not valid JSON'
            when not is_json_object then 'not a JSON object'
            when event_type is null then 'not a Copilot CLI event (no type)'
            when not {{ agent_threads.is_valid_id('session_id') }}
                then 'invalid session_id (ids are 1-200 of A-Z a-z 0-9 . _ : -)'
            when agent_id is not null and not {{ agent_threads.is_valid_id('agent_id') }}
                then 'invalid agent_id (ids are 1-200 of A-Z a-z 0-9 . _ : -)'
        end as reject_reason
    from identified
)

select * from final
