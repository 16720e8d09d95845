{#
  Subagent fan-out per session: how many threads of each kind a session spawned, and
  how much of its token spend ran outside the main thread(s).
#}
with threads as (
    select * from {{ ref('threads') }}
),

sessions as (
    select * from {{ ref('sessions') }}
),

per_session as (
    select
        session_id,
        count(*) filter (where thread_kind = 'main') as main_threads,
        count(*) filter (where thread_kind = 'subagent') as subagents,
        count(*) filter (where thread_kind = 'compaction') as compaction_threads,
        count(*) filter (where thread_kind = 'side_question') as side_questions,
        count(*) filter (where thread_kind = 'warmup') as warmups,
        count(*) filter (where thread_kind = 'workflow') as workflow_agents,
        count(distinct agent_type) filter (where thread_kind = 'subagent') as subagent_types,
        sum(input_tokens + output_tokens) as total_tokens,
        sum(input_tokens + output_tokens) filter (where thread_kind != 'main') as non_main_tokens
    from threads
    group by session_id
),

final as (
    select
        sessions.session_id,
        sessions.source,
        per_session.main_threads,
        per_session.subagents,
        per_session.subagent_types,
        per_session.compaction_threads,
        per_session.side_questions,
        per_session.warmups,
        per_session.workflow_agents,
        per_session.total_tokens,
        round(coalesce(per_session.non_main_tokens, 0) / nullif(per_session.total_tokens, 0), 3)
            as non_main_token_share
    from sessions
    inner join per_session on sessions.session_id = per_session.session_id
)

select * from final
order by subagents desc, total_tokens desc, session_id asc
