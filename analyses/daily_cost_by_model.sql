{#
  Cost and tokens per day and model, in the user's time zone (var `time_zone`): what
  `ccusage daily --breakdown` reports, for Claude Code and Codex. A day is the calendar
  date of each API response's time in that zone. Covers the published (settled)
  sessions, as `messages` does. Token columns have the OpenTelemetry GenAI meaning (cache
  reads and writes are parts of input_tokens); ccusage's `inputTokens` is
  uncached_input_tokens here, its `totalTokens` is total_tokens.
#}
with messages as (
    select * from {{ ref('messages') }}
),

-- what a model billed: Claude Code responses, Codex token_usage records (replayed copies carry none)
usage_messages as (
    select
        session_id,
        source,
        cost_usd,
        coalesce(model, '(none)') as model,
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
        model,
        count(distinct session_id) as sessions,
        count(*) as usage_messages,
        {{ agent_threads.token_sums() }},
        {{ agent_threads.sum_cost_usd('cost_usd') }} as cost_usd
    from usage_messages
    group by usage_date, source, model
)

select * from final
order by usage_date asc, source asc, model asc
