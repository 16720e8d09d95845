{#
  Claude Code against Codex, side by side: volume, shape and token spend of the settled
  (published) sessions of each source.
#}
with sessions as (
    select * from {{ ref('sessions') }}
    where settle_status = 'settled'
),

threads as (
    select * from {{ ref('threads') }}
),

tool_calls as (
    select * from {{ ref('tool_calls') }}
),

thread_totals as (
    select
        threads.source,
        count(*) as threads,
        count(*) filter (where threads.thread_kind = 'subagent') as subagent_threads,
        sum(threads.prompt_count) as prompts,
        sum(threads.response_count) as responses
    from threads
    inner join sessions on threads.session_id = sessions.session_id
    group by threads.source
),

tool_totals as (
    select
        threads.source,
        count(*) as tool_calls,
        round(count(*) filter (where tool_calls.is_error) / nullif(count(tool_calls.is_error), 0), 3)
            as tool_error_rate
    from tool_calls
    inner join threads on tool_calls.thread_id = threads.thread_id
    group by threads.source
),

session_totals as (
    select
        source,
        count(*) as sessions,
        sum(input_tokens) as input_tokens,
        sum(cache_read_input_tokens) as cache_read_input_tokens,
        sum(output_tokens) as output_tokens,
        sum(reasoning_output_tokens) as reasoning_output_tokens,
        median(date_diff('minute', first_activity_at, last_activity_at)) as median_session_minutes
    from sessions
    group by source
),

final as (
    select
        session_totals.source,
        session_totals.sessions,
        thread_totals.threads,
        thread_totals.subagent_threads,
        thread_totals.prompts,
        thread_totals.responses,
        tool_totals.tool_calls,
        tool_totals.tool_error_rate,
        session_totals.input_tokens,
        session_totals.output_tokens,
        session_totals.reasoning_output_tokens,
        session_totals.median_session_minutes,
        round(thread_totals.threads / session_totals.sessions, 2) as threads_per_session,
        round(session_totals.cache_read_input_tokens / nullif(session_totals.input_tokens, 0), 3)
            as cache_read_share,
        round(session_totals.output_tokens / nullif(thread_totals.responses, 0), 1)
            as output_tokens_per_response
    from session_totals
    left join thread_totals on session_totals.source = thread_totals.source
    left join tool_totals on session_totals.source = tool_totals.source
)

select * from final
order by source asc
