{#
  One row per user turn of a thread: a prompt and everything until the final answer.
  A turn is the source's turn id where the message has one (Claude Code promptId,
  2.1.1xx+; Codex turn_id), else it starts at each typed prompt (message_kind prompt, not
  meta, not replayed, and for Claude Code not a local command's output or an
  interruption marker) and runs to the next. A group without a typed prompt (an injected
  note with its own turn id), or whose only prompts are commands the model never answered
  (/clear, /model, ! bash input), is not a user turn: left out. Replayed messages
  (history copied from another thread or session) belong to the turn where they first
  happened and are left out; messages before a thread's first turn (no turn id, no
  prompt yet) belong to no turn.

  Incremental by session, like `messages`: a run rebuilds the turns of the sessions whose
  published revision changed, replacing each one's rows whole.
#}
{{
    config(
        on_schema_change='fail',
        pre_hook="{{ agent_threads.delete_outdated_sessions(this, ref('messages')) }}",
        **agent_threads.replaced_by_key('session_id'),
    )
}}

with changed_sessions as (
    {{ agent_threads.sessions_to_rebuild(ref('messages'), this, is_incremental()) }}
),

messages as (
    select * from {{ ref('messages') }}
    where
        not is_replayed
        and session_id in (select changed_sessions.session_id from changed_sessions)
),

tool_calls as (
    select * from {{ ref('tool_calls') }}
    where session_id in (select changed_sessions.session_id from changed_sessions)
),

codex_lines as (
    select * from {{ ref('stg_codex__lines') }}
    where
        thread_id in (
            select distinct messages.thread_id
            from messages
            where messages.source = 'codex'
        )
),

typed_prompts as (
    select
        *,
        -- a prompt the user typed (macros/prompts.sql)
        {{ agent_threads.is_typed_prompt() }} as is_typed_prompt,
        {{ agent_threads.is_command() }} as is_command
    from messages
),

turn_starts as (
    select
        *,
        case
            when turn_id is not null then 't:' || turn_id
            when is_typed_prompt then 'p:' || message_id
        end as turn_start_key
    from typed_prompts
),

turn_members as (
    select
        *,
        {{ agent_threads.last_non_null('turn_start_key') }} over (
            partition by thread_id
            order by thread_seq
            rows between unbounded preceding and current row
        ) as turn_key_source
    from turn_starts
),

in_turns as (
    select * from turn_members
    where turn_key_source is not null
),

tool_calls_per_message as (
    select
        message_id,
        count(*) as tool_calls,
        count(*) filter (where is_error) as tool_errors,
        count(*) filter (where tool_name in ('Task', 'Agent')) as claude_code_spawn_calls,
        count(*) filter (where tool_name = 'spawn_agent') as codex_spawn_calls,
        count(*) filter (where tool_name = 'task') as copilot_cli_spawn_calls
    from tool_calls
    group by message_id
),

codex_aborted_turns as (
    select distinct
        thread_id,
        turn_id
    from codex_lines
    where payload_type = 'turn_aborted' and turn_id is not null
),

aggregated as (
    select
        in_turns.thread_id,
        in_turns.turn_key_source,
        any_value(in_turns.session_id) as session_id,
        any_value(in_turns.session_revision) as session_revision,
        any_value(in_turns.conversation_id) as conversation_id,
        any_value(in_turns.agent_id) as agent_id,
        any_value(in_turns.parent_thread_id) as parent_thread_id,
        max(in_turns.turn_id) as turn_id,
        any_value(in_turns.source) as source,
        {{ agent_threads.arg_min('in_turns.message_id', 'in_turns.thread_seq') }}
        filter (where in_turns.is_typed_prompt) as prompt_message_id,
        {{ agent_threads.arg_min('in_turns.text', 'in_turns.thread_seq') }}
        filter (where in_turns.is_typed_prompt) as prompt_text,
        min(in_turns.thread_seq) as first_thread_seq,
        count(*) as message_count,
        count(*) filter (where in_turns.is_typed_prompt) as prompt_count,
        count(*) filter (where in_turns.message_kind = 'response') as response_count,
        coalesce(sum(in_turns.input_tokens), 0)::bigint as input_tokens,
        coalesce(sum(in_turns.cache_read_input_tokens), 0)::bigint as cache_read_input_tokens,
        coalesce(sum(in_turns.cache_creation_input_tokens), 0)::bigint
            as cache_creation_input_tokens,
        coalesce(sum(in_turns.output_tokens), 0)::bigint as output_tokens,
        coalesce(sum(in_turns.reasoning_output_tokens), 0)::bigint as reasoning_output_tokens,
        {{ agent_threads.logged_cost_usd(
            'in_turns.cost_usd',
            'in_turns.input_tokens is not null or in_turns.output_tokens is not null'
        ) }} as cost_usd,
        coalesce(sum(tool_calls_per_message.tool_calls), 0)::bigint as tool_calls,
        coalesce(sum(tool_calls_per_message.tool_errors), 0)::bigint as tool_errors,
        -- failed API calls the client retried (Claude Code system api_error lines)
        count(*) filter (
            where in_turns.message_kind = 'system' and coalesce(in_turns.is_error, false)
        ) as api_errors,
        coalesce(
            sum(
                case
                    when in_turns.source = 'claude_code'
                        then tool_calls_per_message.claude_code_spawn_calls
                    when in_turns.source = 'copilot_cli'
                        then tool_calls_per_message.copilot_cli_spawn_calls
                    else tool_calls_per_message.codex_spawn_calls
                end
            ),
            0
        )::bigint as subagents_spawned,
        coalesce(
            bool_or(
                in_turns.source = 'claude_code'
                and {{ agent_threads.regexp_matches(
                    "coalesce(in_turns.text, '')", '^\\s*\\[Request interrupted'
                ) }}
            ),
            false
        ) as has_interruption_text,
        min(in_turns.created_at) as started_at,
        max(in_turns.created_at) as ended_at
    from in_turns
    left join tool_calls_per_message on in_turns.message_id = tool_calls_per_message.message_id
    group by in_turns.thread_id, in_turns.turn_key_source
    -- a user turn has a typed prompt, and a command (a slash command, ! bash input) is a
    -- turn only when the model answered it (leaves out /clear, /model, injected notes)
    having
        count(*) filter (where in_turns.is_typed_prompt and not in_turns.is_command) > 0
        or (
            count(*) filter (where in_turns.is_typed_prompt) > 0
            and count(*) filter (where in_turns.message_kind = 'response') > 0
        )
),

final as (
    select
        -- ids
        md5(aggregated.thread_id || ':' || aggregated.turn_key_source) as turn_key,
        aggregated.session_id,
        aggregated.conversation_id,
        aggregated.agent_id,
        aggregated.parent_thread_id,
        aggregated.thread_id,
        aggregated.turn_id,
        aggregated.prompt_message_id,
        -- strings
        aggregated.source,
        left(aggregated.prompt_text, 500) as prompt_text,
        -- numbers
        row_number() over (
            partition by aggregated.thread_id
            order by aggregated.first_thread_seq
        ) - 1 as turn_seq,
        aggregated.message_count,
        aggregated.prompt_count,
        aggregated.response_count,
        aggregated.input_tokens,
        aggregated.cache_read_input_tokens,
        aggregated.cache_creation_input_tokens,
        aggregated.output_tokens,
        aggregated.reasoning_output_tokens,
        aggregated.cost_usd,
        aggregated.tool_calls,
        aggregated.tool_errors,
        aggregated.api_errors,
        aggregated.subagents_spawned,
        {{ agent_threads.seconds_between('aggregated.started_at', 'aggregated.ended_at') }}
            as duration_seconds,
        -- booleans
        aggregated.has_interruption_text or codex_aborted_turns.turn_id is not null
            as is_interrupted,
        -- timestamps
        aggregated.started_at,
        aggregated.ended_at,
        aggregated.session_revision
    from aggregated
    left join codex_aborted_turns
        on
            aggregated.source = 'codex'
            and aggregated.thread_id = codex_aborted_turns.thread_id
            and aggregated.turn_id = codex_aborted_turns.turn_id
)

select * from final
