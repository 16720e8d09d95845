{#
  The report's turns, drawn on their thread's lane: when each started and ended, its
  tokens, cost, tool calls and subagents. Numbers only: the prompt text stays out
  (report_prompts.sql holds it, read only when the report is asked to include prompts).
#}
with turns as (
    select * from {{ ref('turns') }}
),

final as (
    select
        turn_key,
        session_id,
        thread_id,
        turn_seq,
        input_tokens,
        cache_read_input_tokens,
        output_tokens,
        input_tokens + output_tokens as total_tokens,
        cost_usd,
        tool_calls,
        tool_errors,
        subagents_spawned,
        is_interrupted,
        started_at,
        ended_at
    from turns
)

select * from final
order by session_id asc, thread_id asc, turn_seq asc
