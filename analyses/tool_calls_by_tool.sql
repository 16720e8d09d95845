{#
  Tool call counts and error rates by tool. `is_error` is null where the source does not
  say (Codex outputs without an exit code, calls with no result), so the error rate is
  over the calls whose outcome is known; unanswered calls are shown apart.
#}
with tool_calls as (
    select * from {{ ref('tool_calls') }}
),

threads as (
    select * from {{ ref('threads') }}
),

joined as (
    select
        threads.source,
        tool_calls.tool_name,
        tool_calls.result_message_id,
        tool_calls.is_error
    from tool_calls
    inner join threads on tool_calls.thread_id = threads.thread_id
),

final as (
    select
        source,
        tool_name,
        count(*) as calls,
        count(*) filter (where result_message_id is null) as unanswered,
        count(is_error) as with_known_outcome,
        count(*) filter (where is_error) as errors,
        round(count(*) filter (where is_error) / nullif(count(is_error), 0), 3) as error_rate
    from joined
    group by source, tool_name
)

select * from final
order by calls desc, source asc, tool_name asc
