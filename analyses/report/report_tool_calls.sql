{#
  The report's tool calls, drawn on their thread's lane: tool name, when it was called
  and answered, whether it failed. No tool input or output.
#}
with tool_calls as (
    select * from {{ ref('tool_calls') }}
),

final as (
    select
        session_id,
        thread_id,
        tool_name,
        is_error,
        called_at,
        answered_at
    from tool_calls
)

select * from final
order by session_id asc, thread_id asc, called_at asc nulls last
