{#
  Compaction frequency by source. A compaction is one system message of kind
  `compaction` (Claude Code's compact boundary, Codex's `compacted` line); Claude Code
  also leaves the compaction call itself as a thread of kind `compaction`.
#}
with messages as (
    select * from {{ ref('messages') }}
),

threads as (
    select * from {{ ref('threads') }}
),

sessions as (
    select * from {{ ref('sessions') }}
),

compactions as (
    select
        session_id,
        count(*) as compactions
    from messages
    where message_kind = 'compaction' and role = 'system' and not is_replayed
    group by session_id
),

responses as (
    select
        session_id,
        count(*) as responses
    from messages
    where message_kind = 'response' and not is_replayed
    group by session_id
),

compaction_threads as (
    select
        session_id,
        count(*) as compaction_threads
    from threads
    where thread_kind = 'compaction'
    group by session_id
),

final as (
    select
        sessions.source,
        count(*) as published_sessions,
        count(compactions.session_id) as sessions_with_compaction,
        coalesce(sum(compactions.compactions), 0) as compactions,
        coalesce(sum(compaction_threads.compaction_threads), 0) as compaction_threads,
        coalesce(sum(responses.responses), 0) as responses,
        round(coalesce(sum(compactions.compactions), 0) / count(*), 2) as compactions_per_session,
        round(
            100.0 * coalesce(sum(compactions.compactions), 0) / nullif(sum(responses.responses), 0),
            2
        ) as compactions_per_100_responses
    from sessions
    left join compactions on sessions.session_id = compactions.session_id
    left join responses on sessions.session_id = responses.session_id
    left join compaction_threads on sessions.session_id = compaction_threads.session_id
    where sessions.settle_status = 'settled'
    group by sessions.source
)

select * from final
order by source asc
