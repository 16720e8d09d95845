{#
  How much of each day's tokens and cost went outside the sessions' main threads:
  subagents, compaction calls, warmup calls, side questions (/btw), workflow agents and
  other threads (`threads.thread_kind`), per day in the user's time zone (var
  `time_zone`). A day is the calendar date of each API response's time in that zone;
  covers the published (settled) sessions, as `messages` does.
#}
with messages as (
    select * from {{ ref('messages') }}
),

threads as (
    select * from {{ ref('threads') }}
),

-- what a model billed, with the kind of thread that billed it
usage_messages as (
    select
        messages.session_id,
        messages.thread_id,
        threads.thread_kind,
        messages.cost_usd,
        {{ agent_threads.local_date('messages.created_at') }} as usage_date,
        coalesce(messages.input_tokens, 0) + coalesce(messages.output_tokens, 0) as total_tokens
    from messages
    inner join threads on messages.thread_id = threads.thread_id
    where messages.input_tokens is not null or messages.output_tokens is not null
),

per_day as (
    select
        usage_date,
        count(distinct session_id) as sessions,
        count(distinct thread_id) filter (where thread_kind != 'main') as off_main_threads,
        sum(total_tokens) as total_tokens,
        coalesce(sum(total_tokens) filter (where thread_kind = 'main'), 0) as main_thread_tokens,
        coalesce(sum(total_tokens) filter (where thread_kind != 'main'), 0) as off_main_tokens,
        {{ agent_threads.sum_cost_usd('cost_usd') }} as cost_usd,
        {{ agent_threads.off_main_cost_usd_columns() }}
    from usage_messages
    group by usage_date
),

final as (
    select
        usage_date,
        {{ agent_threads.report_time_zone() }} as time_zone,
        sessions,
        off_main_threads,
        total_tokens,
        main_thread_tokens,
        off_main_tokens,
        round(off_main_tokens / nullif(total_tokens, 0), 3) as off_main_token_share,
        cost_usd,
        off_main_cost_usd,
        round(off_main_cost_usd / nullif(cost_usd, 0), 3) as off_main_cost_share,
        subagent_cost_usd,
        compaction_cost_usd,
        warmup_cost_usd,
        side_question_cost_usd,
        workflow_cost_usd,
        other_cost_usd
    from per_day
)

select * from final
order by usage_date asc
