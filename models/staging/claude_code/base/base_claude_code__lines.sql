{#
  Every landed line of the current version of each Claude Code file (the macro
  current_landed_lines: docs/file_life.md), parsed once, with
  the identity that needs the whole file (the file's session, a sidechain's root) and a
  reject reason where the line cannot be used.

  Incremental by file (an exception to "staging is views": parsing JSON once is what
  keeps a run's cost following the new data): a run re-parses every file (file_id) that
  got new landing rows, because a file's session can depend on its last line; a file's
  rows are replaced whole, also by a version with no line, whose state row keeps it.
#}
{{ config(on_schema_change='fail', **agent_threads.replaced_by_key('file_id')) }}

{#- A main file is named after its session: <uuid>.jsonl. -#}
{%- set main_file_name_pattern -%}
    ^([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})[.]jsonl$
{%- endset -%}
{%- set line_schema = {
    'type': 'VARCHAR',
    'subtype': 'VARCHAR',
    'level': 'VARCHAR',
    'uuid': 'VARCHAR',
    'parentUuid': 'VARCHAR',
    'logicalParentUuid': 'VARCHAR',
    'sessionId': 'VARCHAR',
    'agentId': 'VARCHAR',
    'isSidechain': 'BOOLEAN',
    'isMeta': 'BOOLEAN',
    'isCompactSummary': 'BOOLEAN',
    'isApiErrorMessage': 'BOOLEAN',
    'version': 'VARCHAR',
    'cwd': 'VARCHAR',
    'gitBranch': 'VARCHAR',
    'entrypoint': 'VARCHAR',
    'prUrl': 'VARCHAR',
    'promptId': 'VARCHAR',
    'requestId': 'VARCHAR',
    'timestamp': 'VARCHAR',
    'sourceToolAssistantUUID': 'VARCHAR',
    'toolUseID': 'VARCHAR',
    'parentToolUseID': 'VARCHAR',
    'summary': 'VARCHAR',
    'leafUuid': 'VARCHAR',
    'aiTitle': 'VARCHAR',
    'customTitle': 'VARCHAR',
    'lastPrompt': 'VARCHAR',
    'content': 'JSON',
    'toolUseResult': {'agentId': 'VARCHAR', 'agentType': 'VARCHAR'},
    'operation': 'VARCHAR',
    'agentType': 'VARCHAR',
    'description': 'VARCHAR',
    'message': {
        'id': 'VARCHAR',
        'role': 'VARCHAR',
        'model': 'VARCHAR',
        'content': 'JSON',
        'stop_reason': 'VARCHAR',
        'usage': {
            'input_tokens': 'BIGINT',
            'output_tokens': 'BIGINT',
            'cache_read_input_tokens': 'BIGINT',
            'cache_creation_input_tokens': 'BIGINT',
            'cache_creation': {
                'ephemeral_5m_input_tokens': 'BIGINT',
                'ephemeral_1h_input_tokens': 'BIGINT',
            },
            'output_tokens_details': {'thinking_tokens': 'BIGINT'},
        },
    },
    'data': {'type': 'VARCHAR', 'agentId': 'VARCHAR', 'message': 'JSON'},
    'attachment': {'type': 'VARCHAR'},
    'compactMetadata': {'trigger': 'VARCHAR', 'preTokens': 'BIGINT'},
} -%}


with current_version as (
    select *
    from
        {{ agent_threads.current_landed_lines('claude_code', agent_threads.loaded_at_watermark()) }}
            as current_lines
),

parsed as (
    select
        {{ agent_threads.star_except(['raw_line']) }},
        {{ agent_threads.parse_json_object('raw_line', line_schema) }} as j,
        {{ agent_threads.is_json_object_text('raw_line') }} as is_json_object,
        case
            when is_sidecar then {{ agent_threads.json_extract_string('raw_line', '$.toolUseId') }}
        end as sidecar_tool_use_id
    from current_version
),

typed as (
    select
        source_root,
        source_file,
        file_fingerprint,
        file_id,
        is_file_on_disk,
        source_line,
        is_blank,
        is_valid_utf8,
        is_sidecar,
        load_id,
        loaded_at,
        j is not null as is_json,
        is_json_object,
        regexp_extract(source_file, '[^/]+$', 0) as file_name,
        case
            when is_sidecar then 'subagent_sidecar'
            when source_file like '%/subagents/%' then 'subagent'
            when regexp_extract(source_file, '[^/]+$', 0) like 'agent-%.jsonl' then 'project_agent'
            else 'main'
        end as file_kind,
        case when is_sidecar then 'subagent-meta' else j.type end as line_type,
        coalesce(j.subtype, j.data.type, j.attachment.type, j.operation) as line_subtype,
        j.uuid as line_uuid,
        j.parentuuid as parent_line_uuid,
        j.logicalparentuuid as logical_parent_line_uuid,
        j.sessionid as line_session_id,
        j.agentid as line_agent_id,
        j.message.id as source_message_id,
        j.requestid as request_id,
        j.promptid as prompt_id,
        j.sourcetoolassistantuuid as source_tool_assistant_uuid,
        case
            when is_sidecar then sidecar_tool_use_id
            else j.tooluseid
        end as tool_use_id,
        j.parenttooluseid as parent_tool_use_id,
        j.leafuuid as leaf_uuid,
        j.data.agentid as progress_agent_id,
        j.version as client_version,
        j.cwd,
        j.gitbranch as git_branch,
        j.entrypoint,
        j.prurl as pr_url,
        j.message.role as message_role,
        j.message.model,
        j.message.stop_reason,
        j.message.content as message_content,
        j.content as line_content,
        j.tooluseresult.agentid as result_agent_id,
        j.tooluseresult.agenttype as result_agent_type,
        j.data.message as progress_message,
        coalesce(j.summary, j.aititle, j.customtitle) as title_text,
        case
            when j.type = 'summary' then 'summary'
            when j.type = 'ai-title' then 'ai_title'
            when j.type = 'custom-title' then 'custom_title'
        end as title_kind,
        j.lastprompt as last_prompt,
        j.agenttype as agent_type,
        j.description as agent_description,
        j.compactmetadata.trigger as compact_trigger,
        j.compactmetadata.pretokens as compact_pre_tokens,
        j.level as system_level,
        j.message.usage.input_tokens as usage_input_tokens,
        j.message.usage.output_tokens as usage_output_tokens,
        j.message.usage.cache_read_input_tokens as usage_cache_read_input_tokens,
        j.message.usage.cache_creation_input_tokens as usage_cache_creation_input_tokens,
        j.message.usage.cache_creation.ephemeral_5m_input_tokens
            as usage_cache_creation_5m_input_tokens,
        j.message.usage.cache_creation.ephemeral_1h_input_tokens
            as usage_cache_creation_1h_input_tokens,
        j.message.usage.output_tokens_details.thinking_tokens as usage_thinking_output_tokens,
        coalesce(j.issidechain, false) as is_sidechain,
        coalesce(j.ismeta, false) as is_meta,
        coalesce(j.iscompactsummary, false) as is_compact_summary,
        coalesce(j.isapierrormessage, false) as is_api_error_message,
        {{ agent_threads.to_utc_timestamp('j.timestamp') }} as created_at
    from parsed
),

files as (
    select
        source_file,
        any_value(file_kind) as file_kind,
        any_value(file_name) as file_name,
        {{ agent_threads.arg_max('line_session_id', 'source_line') }} filter (
            where {{ agent_threads.is_valid_id('line_session_id') }}
        ) as last_line_session_id,
        {{ agent_threads.arg_max('line_agent_id', 'source_line') }} filter (
            where {{ agent_threads.is_valid_id('line_agent_id') }}
        ) as last_line_agent_id
    from typed
    group by source_file
),

file_identity as (
    select
        source_file,
        file_kind,
        case
            when file_kind = 'main'
                then coalesce(
                    nullif(regexp_extract(file_name, '{{ main_file_name_pattern }}', 1), ''),
                    last_line_session_id
                )
            else coalesce(
                last_line_session_id,
                nullif(regexp_extract(source_file, '/([^/]+)/subagents/', 1), '')
            )
        end as file_session_id,
        case
            when file_kind != 'main'
                then coalesce(
                    last_line_agent_id,
                    nullif(regexp_extract(file_name, '^agent-(.+?)([.]meta[.]json|[.]jsonl)$', 1), '')
                )
        end as file_agent_id
    from files
),

{# 1.0.x inline sidechains carry no agentId: each chain is named after its root line. #}
inline_sidechain_lines as {{ agent_threads.cte_materialized() }} (
    select
        typed.source_file,
        typed.line_uuid,
        typed.parent_line_uuid
    from typed
    inner join file_identity on typed.source_file = file_identity.source_file
    where
        file_identity.file_kind = 'main'
        and typed.is_sidechain
        and typed.line_agent_id is null
        and typed.line_uuid is not null
),

sidechain_roots as (
    {{ agent_threads.tree_roots(
        'inline_sidechain_lines', 'source_file', 'line_uuid', 'parent_line_uuid', 'root_uuid'
    ) }}
),

identified as (
    select
        typed.*,
        file_identity.file_session_id as session_id,
        case
            when typed.file_kind != 'main' then file_identity.file_agent_id
            when typed.is_sidechain
                then coalesce(
                    typed.line_agent_id,
                    'sidechain-' || coalesce(sidechain_roots.root_uuid, typed.line_uuid)
                )
        end as agent_id
    from typed
    inner join file_identity on typed.source_file = file_identity.source_file
    left join sidechain_roots
        on
            typed.source_file = sidechain_roots.source_file
            and typed.line_uuid = sidechain_roots.line_uuid
            and typed.file_kind = 'main'
            and typed.is_sidechain
),

final as (
    select
        *,
        case
            when is_blank then null
            when not is_valid_utf8 then 'not valid UTF-8'
            when not is_json then 'not valid JSON'
            when not is_json_object then 'not a JSON object'
            when
                line_session_id is not null
                and not {{ agent_threads.is_valid_id('line_session_id') }}
                then 'invalid sessionId (ids are 1-200 of A-Z a-z 0-9 . _ : -)'
            when
                line_agent_id is not null
                and not {{ agent_threads.is_valid_id('line_agent_id') }}
                then 'invalid agentId (ids are 1-200 of A-Z a-z 0-9 . _ : -)'
            when session_id is null
                then 'no session id: the file is not named after a session and no line carries one'
            when not {{ agent_threads.is_valid_id('session_id') }}
                then 'invalid session id (ids are 1-200 of A-Z a-z 0-9 . _ : -)'
            when file_kind != 'main' and agent_id is null
                then 'no agent id: a subagent file without agentId or agent-<id> name'
            when agent_id is not null and not {{ agent_threads.is_valid_id('agent_id') }}
                then 'invalid agent id (ids are 1-200 of A-Z a-z 0-9 . _ : -)'
        end as reject_reason
    from identified
)

select * from final
