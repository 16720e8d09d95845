{#
  The report's compaction marks: when a thread's context was compacted (a compaction
  message: Claude Code's compact summary, Codex's `compacted` item). The summary's text
  stays out.
#}
with messages as (
    select * from {{ ref('messages') }}
),

final as (
    select
        session_id,
        thread_id,
        created_at
    from messages
    where message_kind = 'compaction'
)

select * from final
order by session_id asc, thread_id asc, created_at asc nulls last
