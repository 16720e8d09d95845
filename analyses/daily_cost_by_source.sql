{#
  Cost and tokens per day and source (Claude Code, Codex), in the user's time zone (var
  `time_zone`): `daily_cost_by_model` summed over models. A day is the calendar date of
  each API response's time in that zone; covers the published (settled) sessions.
#}
with messages as (
    select * from {{ ref('messages') }}
),

-- what a model billed: Claude Code responses, Codex token_usage records (replayed copies carry none)
usage_messages as (
    select
        session_id,
        source,
        model,
        cost_usd,
        {{ agent_threads.local_date('created_at') }} as usage_date,
        {{ agent_threads.token_columns_or_zero() }}
    from messages
    where input_tokens is not null or output_tokens is not null
),

final as (
    select
        usage_date,
        {{ agent_threads.report_time_zone() }} as time_zone,
        source,
        {{ agent_threads.sorted_distinct_list('model', 'model is not null') }} as models,
        count(distinct session_id) as sessions,
        count(*) as usage_messages,
        {{ agent_threads.token_sums() }},
        {{ agent_threads.sum_cost_usd('cost_usd') }} as cost_usd
    from usage_messages
    group by usage_date, source
)

select * from final
order by usage_date asc, source asc
