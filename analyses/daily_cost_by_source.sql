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
        coalesce(input_tokens, 0) as input_tokens,
        coalesce(cache_read_input_tokens, 0) as cache_read_input_tokens,
        coalesce(cache_creation_input_tokens, 0) as cache_creation_input_tokens,
        coalesce(output_tokens, 0) as output_tokens,
        coalesce(reasoning_output_tokens, 0) as reasoning_output_tokens
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
        sum(input_tokens - cache_read_input_tokens - cache_creation_input_tokens)
            as uncached_input_tokens,
        sum(cache_read_input_tokens) as cache_read_input_tokens,
        sum(cache_creation_input_tokens) as cache_creation_input_tokens,
        sum(input_tokens) as input_tokens,
        sum(output_tokens) as output_tokens,
        sum(reasoning_output_tokens) as reasoning_output_tokens,
        sum(input_tokens + output_tokens) as total_tokens,
        {{ agent_threads.sum_cost_usd('cost_usd') }} as cost_usd
    from usage_messages
    group by usage_date, source
)

select * from final
order by usage_date asc, source asc
