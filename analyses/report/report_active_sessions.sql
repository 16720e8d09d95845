{#
  Sessions still active: their last activity is less than `settle_after_minutes` before
  the build's `as_of`, so they are in `sessions` and `threads` but not yet in `messages`,
  `tool_calls` or `turns` (nor in the report's usage and tool figures).
#}
with sessions as (
    select * from {{ ref('sessions') }}
),

final as (
    select
        session_id,
        source,
        coalesce(cwd, '(unknown)') as project,
        thread_count,
        last_activity_at,
        settles_at
    from sessions
    where settle_status = 'active'
)

select * from final
order by settles_at asc, session_id asc
