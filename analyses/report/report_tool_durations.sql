{#
  How long tool calls took, per source and tool: from the call to its result
  (`answered_at - called_at`), over the answered calls with both times. Counts and error
  rates are tool_calls_by_tool.sql's.
#}
with tool_calls as (
    select * from {{ ref('tool_calls') }}
),

threads as (
    select * from {{ ref('threads') }}
),

timed as (
    select
        threads.source,
        tool_calls.tool_name,
        epoch(tool_calls.answered_at - tool_calls.called_at) as duration_seconds
    from tool_calls
    inner join threads on tool_calls.thread_id = threads.thread_id
    where tool_calls.answered_at is not null and tool_calls.called_at is not null
),

final as (
    select
        source,
        tool_name,
        count(*) as timed_calls,
        round(median(duration_seconds), 3) as median_seconds,
        round(quantile_cont(duration_seconds, 0.9), 3) as p90_seconds,
        round(max(duration_seconds), 3) as max_seconds
    from timed
    group by source, tool_name
)

select * from final
order by source asc, tool_name asc
