{#
  The GitHub Copilot CLI projection, set-based: every staged event that is a message, as
  rows of the projected-message schema (src/agent_threads/projection/schema.py, same
  columns in the same order). int_messages_projected takes the rows of the sessions it
  projects from here. A view: only the sessions being projected are read.

  Events and what they become (role / message_kind):
  - user.message: user / prompt when `content` is not empty (what a person typed); an
    empty one (only `transformedContent`: a nudge the CLI injected) is user / meta;
  - subagent.started: user / prompt in the subagent's thread, its task (the `prompt`
    argument of the `task` call that started it);
  - assistant.message: assistant / response (text = content; output_tokens =
    outputTokens, the only per-message count Copilot keeps), then one assistant /
    tool_call per entry of `toolRequests` (tool_call_id = toolCallId, content = the
    arguments);
  - assistant.reasoning: assistant / reasoning;
  - tool.execution_complete: tool / tool_result (text = result.content, is_error = not
    success);
  - session.compaction_complete: system / compaction, in the compaction call's thread
    (staging's agent_id `compaction-<checkpoint>`), carrying compactionTokensUsed;
  - session.error / session.warning / session.info: system / system (is_error for errors);
  - session.shutdown: one system / token_usage row per model of modelMetrics: that
    process run's input, cache read and cache write tokens (output tokens are counted on
    the responses, so they are left null here: each token counted once).
  Every other event (session.start, session.resume, turn boundaries, tool starts, hooks,
  subagent start/end, mode and model changes) is no message; line_types counts them.

  model: the newest model the session named before the event (session.start
  selectedModel, session.model_change newModel, a tool completion's model).
#}
{{ config(materialized='view') }}

{#- each kind of message: its rows' columns; a column a kind does not name is null -#}
{%- set columns = {
    'agent_id': 'string', 'role': 'string', 'message_kind': 'string', 'model': 'string',
    'text': 'string', 'content': 'string', 'tool_name': 'string', 'tool_call_id': 'string',
    'stop_reason': 'string', 'input_tokens': 'bigint', 'cache_read_input_tokens': 'bigint',
    'cache_creation_input_tokens': 'bigint', 'output_tokens': 'bigint', 'is_meta': 'boolean',
    'is_error': 'boolean', 'source_message_id': 'string', 'part': 'bigint',
} -%}
{%- set kinds = [
    ('lines', "event_type = 'user.message'", {
        'role': "'user'",
        'message_kind': "case when coalesce(content_text, '') != '' then 'prompt' else 'meta' end",
        'text': "coalesce(nullif(content_text, ''), transformed_content)",
        'is_meta': "coalesce(content_text, '') = ''",
    }),
    ('subagent_prompts', 'true', {
        'agent_id': 'prompt_agent_id',
        'role': "'user'",
        'message_kind': "'prompt'",
        'text': 'task_prompt',
    }),
    ('lines', "event_type = 'assistant.message'", {
        'role': "'assistant'",
        'message_kind': "'response'",
        'text': "nullif(content_text, '')",
        'output_tokens': 'output_tokens',
        'source_message_id': 'coalesce(source_message_id, event_id)',
    }),
    ('tool_requests', 'true', {
        'role': "'assistant'",
        'message_kind': "'tool_call'",
        'content': 'requested_arguments',
        'tool_name': 'requested_tool_name',
        'tool_call_id': 'requested_call_id',
        'source_message_id': 'coalesce(source_message_id, event_id)',
        'part': 'request_position',
    }),
    ('lines', "event_type = 'assistant.reasoning'", {
        'role': "'assistant'",
        'message_kind': "'reasoning'",
        'text': 'coalesce(reasoning_text, content_text)',
    }),
    ('lines', "event_type = 'tool.execution_complete'", {
        'role': "'tool'",
        'message_kind': "'tool_result'",
        'text': 'coalesce(' ~ agent_threads.json_extract_string('tool_result', '$.content') ~ ', '
            ~ agent_threads.json_extract_string('tool_error', '$.message') ~ ')',
        'content': 'cast(coalesce(tool_result, tool_error) as string)',
        'tool_name': 'tool_name',
        'tool_call_id': 'tool_call_id',
        'is_error': 'not is_success',
    }),
    ('lines', "event_type = 'session.compaction_complete'", {
        'role': "'system'",
        'message_kind': "'compaction'",
        'text': 'summary_content',
        'input_tokens': 'compaction_input_tokens',
        'cache_read_input_tokens': 'compaction_cached_input_tokens',
        'cache_creation_input_tokens': 'compaction_cache_write_tokens',
        'output_tokens': 'compaction_output_tokens',
    }),
    ('lines', "event_type in ('session.error', 'session.warning', 'session.info')", {
        'role': "'system'",
        'message_kind': "'system'",
        'text': 'notice_text',
        'is_error': "event_type = 'session.error'",
    }),
    ('shutdown_models', 'true', {
        'role': "'system'",
        'message_kind': "'token_usage'",
        'model': 'metric_model',
        'stop_reason': 'shutdown_type',
        'input_tokens': 'metric_input_tokens',
        'cache_read_input_tokens': 'metric_cache_read_tokens',
        'cache_creation_input_tokens': 'metric_cache_write_tokens',
        'part': 'metric_position',
    }),
] -%}

with lines as (
    select
        *,
        {{ agent_threads.last_non_null('event_model') }} over (
            partition by session_id
            order by source_file, source_line
            rows between unbounded preceding and current row
        ) as model_in_force
    from {{ ref('stg_copilot_cli__lines') }}
    where not is_ephemeral
),

tool_requests as (
    select
        lines.*,
        requests.position + 1 as request_position,
        {{ agent_threads.json_extract_string('requests.value', '$.toolCallId') }} as requested_call_id,
        {{ agent_threads.json_extract_string('requests.value', '$.name') }} as requested_tool_name,
        {{ agent_threads.json_extract_text('requests.value', '$.arguments') }} as requested_arguments,
        {{ agent_threads.json_extract_string('requests.value', '$.arguments.prompt') }} as requested_prompt
    from lines{{ agent_threads.json_array_items_with_position('lines.tool_requests', 'requests') }}
    where lines.event_type = 'assistant.message'
),

-- a subagent's task: the prompt of the `task` call that started it (subagent.started
-- names the call; its agent is the envelope agentId, else that call's id)
subagent_prompts as (
    select
        started.*,
        coalesce(started.envelope_agent_id, started.tool_call_id) as prompt_agent_id,
        requests.requested_prompt as task_prompt
    from lines as started
    left join tool_requests as requests
        on
            started.session_id = requests.session_id
            and started.tool_call_id = requests.requested_call_id
    where started.event_type = 'subagent.started'
),

shutdown_models as (
    select
        lines.*,
        metric.key as metric_model,
        row_number() over (partition by lines.source_file, lines.source_line order by metric.key)
            as metric_position,
        try_cast({{ agent_threads.json_extract_string('metric.value', '$.usage.inputTokens') }} as bigint)
            as metric_input_tokens,
        try_cast({{ agent_threads.json_extract_string('metric.value', '$.usage.cacheReadTokens') }} as bigint)
            as metric_cache_read_tokens,
        try_cast(
            {{ agent_threads.json_extract_string('metric.value', '$.usage.cacheWriteTokens') }} as bigint
        )
            as metric_cache_write_tokens
    from lines{{ agent_threads.json_object_entries('lines.model_metrics', 'metric') }}
    where lines.event_type = 'session.shutdown'
),

messages as (
    {%- for relation, condition, values in kinds %}
        select
            session_id,
            {%- for name, type in columns.items() %}
                {%- if name in values %}
                    {{ values[name] }} as {{ name }},
                {%- elif name in ('agent_id', 'source_message_id') %}
                    {{ 'event_id' if name == 'source_message_id' else name }} as {{ name }},
                {%- elif name == 'model' %}
                    model_in_force as model,
                {%- elif name in ('is_meta', 'part') %}
                    {{ 'false' if name == 'is_meta' else '0' }} as {{ name }},
                {%- else %}
                    cast(null as {{ type }}) as {{ name }},
                {%- endif %}
            {%- endfor %}
            source,
            source_file,
            source_line,
            created_at
        from {{ relation }}
        where {{ condition }}
        {%- if not loop.last %}

            union all
        {% endif %}
    {%- endfor %}
),

identified as (
    select
        *,
        {{ agent_threads.thread_id('cast(null as string)', 'session_id', 'agent_id') }} as message_thread_id
    from messages
),

final as (
    select
        md5(message_thread_id || ':' || source_line::string || ':' || part::string) as message_id,
        session_id,
        null::string as conversation_id,
        agent_id,
        null::string as parent_thread_id,
        message_thread_id as thread_id,
        source_message_id,
        null::string as parent_message_id,
        null::string as request_id,
        null::string as turn_id,
        tool_call_id,
        source,
        role,
        message_kind,
        model,
        text,
        content,
        tool_name,
        stop_reason,
        (
            row_number() over (
                partition by message_thread_id order by source_file, source_line, part
            ) - 1
        )::bigint as thread_seq,
        input_tokens,
        cache_read_input_tokens,
        cache_creation_input_tokens,
        null::bigint as cache_creation_5m_input_tokens,
        null::bigint as cache_creation_1h_input_tokens,
        output_tokens,
        null::bigint as reasoning_output_tokens,
        source_line,
        false as is_replayed,
        true as is_on_main_path,
        is_meta,
        is_error,
        created_at,
        source_file
    from identified
)

select * from final
