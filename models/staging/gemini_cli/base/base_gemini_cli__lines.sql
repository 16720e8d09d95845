{#
  Every landed line of the current version of each Gemini CLI chat file, parsed once,
  with its kind, its file's session and thread, and a reject reason where it cannot be
  used.

  Record kinds: `metadata` (a .jsonl file's first line: sessionId, projectHash,
  startTime, kind main|subagent), `message` (id, timestamp, type user|gemini|info|
  error|warning, content, tokens, model, toolCalls; re-appended under the same id when it
  changes), `set` ({"$set": {...}}: metadata, or `messages` replacing the whole list),
  `rewind` ({"$rewindTo": id}) and `document` (a pre-0.39 `.json` file, landed whole).

  Identity: conversation_id is the file's own sessionId (a subagent's is its agent id);
  session_id the root session: the folder a subagent file sits in
  (`chats/<root session id>/<agent id>.jsonl`), else the file's sessionId.

  Incremental by file, like base_codex__lines.
#}
{{ config(on_schema_change='fail', **agent_threads.replaced_by_key('file_id')) }}

{%- set token_schema = {
    'input': 'BIGINT', 'output': 'BIGINT', 'cached': 'BIGINT', 'thoughts': 'BIGINT',
    'tool': 'BIGINT', 'total': 'BIGINT',
} -%}
{%- set line_schema = {
    'sessionId': 'VARCHAR',
    'projectHash': 'VARCHAR',
    'startTime': 'VARCHAR',
    'kind': 'VARCHAR',
    'id': 'VARCHAR',
    'timestamp': 'VARCHAR',
    'type': 'VARCHAR',
    'content': 'JSON',
    'tokens': token_schema,
    'model': 'VARCHAR',
    'toolCalls': 'JSON',
    'messages': 'JSON',
    'set_record': {'messages': 'JSON', 'sessionId': 'VARCHAR', 'summary': 'VARCHAR'},
    'rewind_to': 'VARCHAR',
} -%}

with current_version as (
    select *
    from
        {{ agent_threads.current_landed_lines('gemini_cli', agent_threads.loaded_at_watermark()) }}
            as current_lines
),

parsed as (
    select
        {{ agent_threads.star_except(['raw_line']) }},
        -- `$set` / `$rewindTo` keys renamed before parsing: no engine's field name syntax
        -- needs quoting then (a JSON string holding the text escapes its quotes: untouched)
        {{ agent_threads.parse_json_object(
            "replace(replace(raw_line, '\"$set\":', '\"set_record\":'), '\"$rewindTo\":', '\"rewind_to\":')",
            line_schema
        ) }} as j,
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
        is_sidecar,
        load_id,
        loaded_at,
        j is not null as is_json,
        is_json_object,
        case
            when is_sidecar and j.messages is not null then 'document'
            when j.set_record is not null then 'set'
            when j.rewind_to is not null then 'rewind'
            when j.id is not null and j.type is not null then 'message'
            when j.sessionid is not null then 'metadata'
        end as record_kind,
        j.sessionid as record_session_id,
        j.projecthash as project_hash,
        j.kind as session_kind,
        j.id as record_message_id,
        j.type as message_type,
        j.content as message_content,
        j.toolcalls as tool_calls,
        j.model,
        j.tokens.input as tokens_input,
        j.tokens.cached as tokens_cached,
        j.tokens.output as tokens_output,
        j.tokens.thoughts as tokens_thoughts,
        j.tokens.tool as tokens_tool,
        coalesce(j.set_record.messages, j.messages) as message_list,
        j.set_record.summary as summary_text,
        j.rewind_to as rewind_to_message_id,
        {{ agent_threads.to_utc_timestamp('coalesce(j.timestamp, j.startTime)') }} as created_at
    from parsed
),

files as (
    select
        source_file,
        {{ agent_threads.arg_min('record_session_id', 'source_line') }} filter (
            where record_kind in ('metadata', 'document')
        ) as file_session_id,
        {{ agent_threads.arg_min('session_kind', 'source_line') }} filter (
            where record_kind in ('metadata', 'document')
        ) as file_session_kind
    from typed
    group by source_file
),

identified as (
    select
        typed.*,
        files.file_session_kind,
        coalesce(
            files.file_session_id,
            -- a subagent's file is named by its agent id
            regexp_extract(typed.source_file, '/chats/[^/]+/([^/]+)\.jsonl$', 1)
        ) as conversation_id,
        nullif(regexp_extract(typed.source_file, '/chats/([^/]+)/[^/]+\.jsonl$', 1), '')
            as folder_session_id
    from typed
    left join files on typed.source_file = files.source_file
),

final as (
    select
        *,
        coalesce(folder_session_id, conversation_id) as session_id,
        case
            when is_blank then null
            when not is_valid_utf8 then 'not valid UTF-8'
            when not is_json then 'not valid JSON'
            when not is_json_object then 'not a JSON object'
            when record_kind is null
                then 'not a Gemini CLI record (no id and type, $set, $rewindTo or sessionId)'
            when not {{ agent_threads.is_valid_id('conversation_id') }}
                then 'invalid sessionId (ids are 1-200 of A-Z a-z 0-9 . _ : -)'
            when not {{ agent_threads.is_valid_id('coalesce(folder_session_id, conversation_id)') }}
                then 'invalid session_id (ids are 1-200 of A-Z a-z 0-9 . _ : -)'
        end as reject_reason
    from identified
)

select * from final
