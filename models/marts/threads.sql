{#
  One row per thread (thread_id), active sessions included: identity, kind, how it was
  spawned, models, activity and token totals. Token totals are summed over the
  thread's projected messages, whose usage is counted once (replayed copies carry none);
  Codex usage that no message could carry is a `token_usage` message, so a thread whose
  file holds only usage events still has its totals.

  Incremental by session: a run rebuilds the threads of the sessions whose landed lines
  changed (their revision), and of those whose title changed without them (a summary
  line in another session's file, a Codex session index entry), replacing each one's
  rows whole.
#}
{{
    config(
        on_schema_change='fail',
        pre_hook="{{ agent_threads.delete_outdated_sessions(this, ref('int_session_revisions')) }}",
        meta={'rebuilt_whole_without': 'session_revision'},
        **agent_threads.replaced_by_key('session_id'),
    )
}}

with session_titles as (
    select * from {{ ref('int_session_titles') }}
),

changed_sessions as (
    {{ agent_threads.sessions_to_rebuild(ref('int_session_revisions'), this, is_incremental()) }}
    {% if is_incremental() %}
        union
        select
            revisions.session_id,
            revisions.session_revision
        from {{ ref('int_session_revisions') }} as revisions
        inner join {{ this }} as built
            on revisions.session_id = built.session_id
        inner join {{ ref('int_threads_described') }} as described
            on built.thread_id = described.thread_id
        left join session_titles on revisions.session_id = session_titles.session_id
        where
            built.thread_kind = 'main'
            and built.title is distinct from coalesce(described.thread_title, session_titles.title)
    {% endif %}
),

message_costs as (
    select * from {{ ref('int_message_costs') }}
    where session_id in (select changed_sessions.session_id from changed_sessions)
),

messages as (
    select
        projected.*,
        message_costs.cost_usd,
        message_costs.message_id is not null as carries_usage
    from {{ ref('int_messages_projected') }} as projected
    left join message_costs on projected.message_id = message_costs.message_id
    where projected.session_id in (select changed_sessions.session_id from changed_sessions)
),

staged_threads as (
    select {{ agent_threads.star_except(['session_revision']) }}
    from {{ ref('int_threads_described') }}
    where session_id in (select changed_sessions.session_id from changed_sessions)
),

-- a subagent whose own file is missing, rebuilt from its agent_progress copies
rebuilt_threads as (
    select
        thread_id,
        any_value(session_id) as session_id,
        null::string as conversation_id,
        any_value(agent_id) as agent_id,
        null::string as parent_thread_id,
        any_value(source) as source,
        'subagent' as thread_kind,
        null::string as agent_type,
        null::string as forked_from_id,
        null::string as spawned_by_tool_call_id,
        null::string as thread_title
    from messages
    where thread_id not in (select staged_threads.thread_id from staged_threads)
    group by thread_id
),

described as (
    select * from staged_threads
    union all
    select * from rebuilt_threads
),

tool_calls as (
    select * from {{ ref('int_tool_calls_paired') }}
    where session_id in (select changed_sessions.session_id from changed_sessions)
),

message_totals as (
    select
        thread_id,
        count(*) filter (where message_kind != 'token_usage') as message_count,
        count(*) filter (where message_kind != 'token_usage' and not is_replayed)
            as own_message_count,
        count(*) filter (where message_kind = 'prompt' and not is_replayed) as prompt_count,
        count(*) filter (where message_kind = 'response' and not is_replayed) as response_count,
        -- failed API calls the client retried (Claude Code system api_error lines)
        count(*) filter (where message_kind = 'system' and is_error and not is_replayed)
            as api_errors,
        {{ agent_threads.sorted_distinct_list('model', 'model is not null and not is_replayed') }}
            as models,
        min(created_at) as first_activity_at,
        max(created_at) as last_activity_at,
        coalesce(sum(input_tokens), 0)::bigint as input_tokens,
        coalesce(sum(cache_read_input_tokens), 0)::bigint as cache_read_input_tokens,
        coalesce(sum(cache_creation_input_tokens), 0)::bigint as cache_creation_input_tokens,
        coalesce(sum(output_tokens), 0)::bigint as output_tokens,
        coalesce(sum(reasoning_output_tokens), 0)::bigint as reasoning_output_tokens,
        {{ agent_threads.logged_cost_usd('cost_usd', 'carries_usage') }} as cost_usd
    from messages
    group by thread_id
),

-- the message holding the tool call that spawned a thread
spawn_messages as (
    select
        described.thread_id,
        coalesce(by_id.message_id, by_output.message_id) as spawned_by_message_id
    from described
    left join tool_calls as by_id
        on
            described.session_id = by_id.session_id
            and described.spawned_by_tool_call_id = by_id.tool_call_id
    left join tool_calls as by_output
        on
            described.source = 'codex'
            and described.parent_thread_id = by_output.thread_id
            and by_output.tool_name = 'spawn_agent'
            and contains(by_output.tool_output, described.conversation_id)
    qualify
        row_number() over (
            partition by described.thread_id order by by_id.called_at, by_output.called_at
        ) = 1
),

final as (
    select
        described.thread_id,
        described.session_id,
        described.conversation_id,
        described.agent_id,
        described.parent_thread_id,
        described.forked_from_id,
        spawn_messages.spawned_by_message_id,
        described.source,
        described.thread_kind,
        described.agent_type,
        coalesce(
            described.thread_title,
            case when described.thread_kind = 'main' then session_titles.title end
        ) as title,
        coalesce(message_totals.models, {{ agent_threads.empty_list() }}) as models,
        coalesce(message_totals.message_count, 0) as message_count,
        coalesce(message_totals.own_message_count, 0) as own_message_count,
        coalesce(message_totals.prompt_count, 0) as prompt_count,
        coalesce(message_totals.response_count, 0) as response_count,
        coalesce(message_totals.api_errors, 0) as api_errors,
        coalesce(message_totals.input_tokens, 0) as input_tokens,
        coalesce(message_totals.cache_read_input_tokens, 0) as cache_read_input_tokens,
        coalesce(message_totals.cache_creation_input_tokens, 0) as cache_creation_input_tokens,
        coalesce(message_totals.output_tokens, 0) as output_tokens,
        coalesce(message_totals.reasoning_output_tokens, 0) as reasoning_output_tokens,
        message_totals.cost_usd,
        message_totals.first_activity_at,
        message_totals.last_activity_at,
        changed_sessions.session_revision
    from described
    inner join changed_sessions on described.session_id = changed_sessions.session_id
    left join message_totals on described.thread_id = message_totals.thread_id
    left join spawn_messages on described.thread_id = spawn_messages.thread_id
    left join session_titles on described.session_id = session_titles.session_id
)

select * from final
