{#
  Every landed line of the current version of each Codex rollout, parsed once, with the
  thread it belongs to inside its file and a reject reason where it cannot be used.

  Threads inside a file: the first session_meta names the file's thread. A later
  session_meta whose id is an ancestor named by an earlier one (forked_from_id,
  parent_thread_id, thread_spawn.parent_thread_id) is a copy of that ancestor's header
  (forks and forked sub-agents copy it) and does not change the thread; a repeat of the
  same id (resume, metadata updates) does not either. Any other session_meta starts a
  new thread: a file holding several independent threads back to back is split.

  Pre-0.32 files have no envelope: line 1 is a flat {id, timestamp, instructions, git}
  header, the rest are bare response items and {"record_type": "state"} lines.

  Incremental by file, like base_claude_code__lines.
#}
{{ config(on_schema_change='fail', **agent_threads.replaced_by_key('file_id')) }}

{%- set usage_schema = {
    'input_tokens': 'BIGINT',
    'cached_input_tokens': 'BIGINT',
    'cache_write_input_tokens': 'BIGINT',
    'output_tokens': 'BIGINT',
    'reasoning_output_tokens': 'BIGINT',
    'total_tokens': 'BIGINT',
} -%}
{%- set item_fields = {
    'type': 'VARCHAR',
    'id': 'VARCHAR',
    'role': 'VARCHAR',
    'content': 'JSON',
    'phase': 'VARCHAR',
    'name': 'VARCHAR',
    'namespace': 'VARCHAR',
    'arguments': 'JSON',
    'call_id': 'VARCHAR',
    'output': 'JSON',
    'input': 'JSON',
    'status': 'VARCHAR',
    'summary': 'JSON',
    'action': 'JSON',
} -%}
{%- set payload_schema = item_fields.copy() -%}
{%- do payload_schema.update({
    'session_id': 'VARCHAR',
    'forked_from_id': 'VARCHAR',
    'parent_thread_id': 'VARCHAR',
    'timestamp': 'VARCHAR',
    'cwd': 'VARCHAR',
    'originator': 'VARCHAR',
    'cli_version': 'VARCHAR',
    'model_provider': 'VARCHAR',
    'source': 'JSON',
    'thread_source': 'VARCHAR',
    'agent_nickname': 'VARCHAR',
    'agent_role': 'VARCHAR',
    'agent_path': 'VARCHAR',
    'history_mode': 'VARCHAR',
    'git': {'branch': 'VARCHAR', 'commit_hash': 'VARCHAR', 'repository_url': 'VARCHAR'},
    'internal_chat_message_metadata_passthrough': {'turn_id': 'VARCHAR'},
    'message': 'JSON',
    'turn_id': 'VARCHAR',
    'info': {'total_token_usage': usage_schema, 'last_token_usage': usage_schema},
    'num_turns': 'BIGINT',
    'exit_code': 'BIGINT',
    'reason': 'VARCHAR',
    'last_agent_message': 'VARCHAR',
    'text': 'VARCHAR',
    'item': 'JSON',
    'thread_id': 'VARCHAR',
    'agent_thread_id': 'VARCHAR',
    'kind': 'VARCHAR',
    'replacement_history': 'JSON',
    'model': 'VARCHAR',
    'effort': 'VARCHAR',
}) -%}
{%- set subagent_kind = agent_threads.json_extract_string('j.payload.source', '$.subagent') -%}
{%- set line_schema = item_fields.copy() -%}
{%- do line_schema.update({
    'timestamp': 'VARCHAR',
    'ordinal': 'BIGINT',
    'record_type': 'VARCHAR',
    'instructions': 'VARCHAR',
    'git': {'branch': 'VARCHAR', 'commit_hash': 'VARCHAR', 'repository_url': 'VARCHAR'},
    'payload': payload_schema,
}) -%}


with current_version as (
    select *
    from
        {{ agent_threads.current_landed_lines('codex', agent_threads.loaded_at_watermark()) }}
            as current_lines
    -- the session index is no rollout: stg_codex__session_index reads it
    where not {{ agent_threads.is_codex_session_index('current_lines.source_file') }}
),

parsed as (
    select
        {{ agent_threads.star_except(['raw_line']) }},
        {{ agent_threads.parse_json_object('raw_line', line_schema) }} as j,
        {{ agent_threads.is_json_object_text('raw_line') }} as is_json_object
    from current_version
),

enveloped as (
    select
        *,
        j is not null as is_json,
        j.payload is null and j.type is null and j.id is not null and j.timestamp is not null
            as is_legacy_header,
        j.payload is null and (j.record_type is not null or j.type is not null) as is_legacy_item
    from parsed
),

{# materialized: computed once for its two readers; inlined twice, a single huge line
   (tens of MB) made DuckDB reserve several GB #}
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
        is_json,
        is_json_object,
        source_file like '%/archived_sessions/%' as is_archived_file,
        is_legacy_header or is_legacy_item as is_legacy_format,
        case
            when is_legacy_header then 'session_meta'
            when is_legacy_item and j.record_type is not null then 'legacy_state'
            when is_legacy_item then 'response_item'
            else j.type
        end as line_type,
        case
            when is_legacy_item and j.record_type is null then j.type
            when not is_legacy_item then j.payload.type
        end as payload_type,
        j.ordinal,
        -- session_meta
        case when is_legacy_header then j.id when j.type = 'session_meta' then j.payload.id end
            as meta_thread_id,
        case when j.type = 'session_meta' then j.payload.session_id end as meta_session_id,
        case when j.type = 'session_meta' then j.payload.forked_from_id end as meta_forked_from_id,
        case
            when j.type = 'session_meta'
                then coalesce(
                    j.payload.parent_thread_id,
                    {{ agent_threads.json_extract_string(
                        'j.payload.source', '$.subagent.thread_spawn.parent_thread_id'
                    ) }}
                )
        end as meta_parent_thread_id,
        case
            when j.type = 'session_meta' then j.payload.source
        end as meta_source,
        case when j.type = 'session_meta' then j.payload.thread_source end as thread_source,
        case when j.type = 'session_meta' then j.payload.originator end as originator,
        case when j.type = 'session_meta' then j.payload.cli_version end as client_version,
        case when j.type = 'session_meta' then j.payload.history_mode end as history_mode,
        case
            when j.type = 'session_meta'
                then coalesce(
                    j.payload.agent_role,
                    {{ agent_threads.json_extract_string(
                        'j.payload.source', '$.subagent.thread_spawn.agent_role'
                    ) }},
                    -- the kind of a built-in sub-agent: "subagent": "review" / "compact" /
                    -- "memory_consolidation" (a string), or {"other": "<label>"}; an
                    -- object ({"thread_spawn": ...}) is no role
                    case
                        when left({{ subagent_kind }}, 1) != '{' then {{ subagent_kind }}
                    end,
                    {{ agent_threads.json_extract_string('j.payload.source', '$.subagent.other') }}
                )
        end as agent_role,
        case
            when j.type = 'session_meta'
                then coalesce(
                    j.payload.agent_nickname,
                    {{ agent_threads.json_extract_string(
                        'j.payload.source', '$.subagent.thread_spawn.agent_nickname'
                    ) }}
                )
        end as agent_nickname,
        case
            when j.type = 'session_meta'
                then coalesce(
                    j.payload.agent_path,
                    {{ agent_threads.json_extract_string(
                        'j.payload.source', '$.subagent.thread_spawn.agent_path'
                    ) }}
                )
        end as agent_path,
        case
            when is_legacy_header then j.git.branch when j.type = 'session_meta' then j.payload.git.branch
        end as git_branch,
        case when j.type in ('session_meta', 'turn_context') then j.payload.cwd end as cwd,
        -- items and events
        case when is_legacy_item then j.role else j.payload.role end as role,
        case when is_legacy_item then j.content else j.payload.content end as content,
        case when is_legacy_item then j.phase else j.payload.phase end as phase,
        case when is_legacy_item then j.name else j.payload.name end as tool_name,
        case when is_legacy_item then j.call_id else j.payload.call_id end as call_id,
        case when is_legacy_item then j.arguments else j.payload.arguments end as tool_arguments,
        case when is_legacy_item then j.input else j.payload.input end as tool_input,
        case when is_legacy_item then j.output else j.payload.output end as tool_output,
        case when is_legacy_item then j.summary else j.payload.summary end as reasoning_summary,
        case when is_legacy_item then j.action else j.payload.action end as item_action,
        case when is_legacy_item then j.id else j.payload.id end as item_id,
        case when is_legacy_item then j.status else j.payload.status end as item_status,
        coalesce(
            j.payload.turn_id,
            j.payload.internal_chat_message_metadata_passthrough.turn_id
        ) as turn_id,
        j.payload.message as event_message,
        j.payload.text as event_text,
        j.payload.item as event_item,
        j.payload.last_agent_message,
        j.payload.reason as event_reason,
        j.payload.num_turns as rolled_back_turns,
        case when j.type = 'event_msg' then j.payload.exit_code end as exit_code,
        j.payload.agent_thread_id,
        j.payload.kind as event_kind,
        j.payload.replacement_history,
        case when j.type = 'turn_context' then j.payload.model end as model,
        case when j.type = 'turn_context' then j.payload.effort end as reasoning_effort,
        j.payload.info.total_token_usage.input_tokens as total_input_tokens,
        j.payload.info.total_token_usage.cached_input_tokens as total_cached_input_tokens,
        j.payload.info.total_token_usage.cache_write_input_tokens as total_cache_write_input_tokens,
        j.payload.info.total_token_usage.output_tokens as total_output_tokens,
        j.payload.info.total_token_usage.reasoning_output_tokens as total_reasoning_output_tokens,
        j.payload.info.last_token_usage.input_tokens as last_input_tokens,
        j.payload.info.last_token_usage.cached_input_tokens as last_cached_input_tokens,
        j.payload.info.last_token_usage.cache_write_input_tokens as last_cache_write_input_tokens,
        j.payload.info.last_token_usage.output_tokens as last_output_tokens,
        j.payload.info.last_token_usage.reasoning_output_tokens as last_reasoning_output_tokens,
        {{ agent_threads.to_utc_timestamp('j.timestamp') }} as created_at,
        {{ agent_threads.to_utc_timestamp('j.payload.timestamp') }} as meta_started_at
    from enveloped
),

metas as (
    select
        source_file,
        source_line,
        meta_thread_id,
        meta_forked_from_id,
        meta_parent_thread_id
    from typed
    where
        line_type = 'session_meta'
        and {{ agent_threads.is_valid_id('meta_thread_id') }}
),

meta_roles as (
    select
        metas.source_file,
        metas.source_line,
        metas.meta_thread_id,
        exists(
            select 1
            from metas as earlier
            where
                earlier.source_file = metas.source_file
                and earlier.source_line < metas.source_line
                and metas.meta_thread_id in (
                    earlier.meta_forked_from_id, earlier.meta_parent_thread_id
                )
        ) as is_copied_meta
    from metas
),

thread_starts as (
    select
        source_file,
        source_line as segment_start_line,
        meta_thread_id as segment_thread_id,
        lead(source_line) over (partition by source_file order by source_line)
            as next_segment_start_line
    from meta_roles
    where not is_copied_meta
),

identified as (
    select
        typed.*,
        thread_starts.segment_thread_id as conversation_id,
        thread_starts.segment_start_line,
        coalesce(meta_roles.is_copied_meta, false) as is_copied_session_meta
    from typed
    left join thread_starts
        on
            typed.source_file = thread_starts.source_file
            and typed.source_line >= thread_starts.segment_start_line
            and (
                thread_starts.next_segment_start_line is null
                or typed.source_line < thread_starts.next_segment_start_line
            )
    left join meta_roles
        on
            typed.source_file = meta_roles.source_file
            and typed.source_line = meta_roles.source_line
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
                line_type = 'session_meta'
                and not {{ agent_threads.is_valid_id('meta_thread_id') }}
                then 'invalid session_meta id (ids are 1-200 of A-Z a-z 0-9 . _ : -)'
            when
                meta_session_id is not null
                and not {{ agent_threads.is_valid_id('meta_session_id') }}
                then 'invalid session_id (ids are 1-200 of A-Z a-z 0-9 . _ : -)'
            when
                meta_parent_thread_id is not null
                and not {{ agent_threads.is_valid_id('meta_parent_thread_id') }}
                then 'invalid parent_thread_id (ids are 1-200 of A-Z a-z 0-9 . _ : -)'
            when conversation_id is null
                then 'no thread: the line comes before any session_meta of its file'
        end as reject_reason
    from identified
)

select * from final
