{#
  How much of each session's tokens and cost went outside its main thread: subagents,
  compaction calls, warmup calls, side questions (/btw), workflow agents and other
  threads (`threads.thread_kind`). Shares are of the session's total; a session whose
  every token is in its main thread has share 0. Covers the published (settled)
  sessions, as `messages` does.
#}
with messages as (
    select * from {{ ref('messages') }}
),

threads as (
    select * from {{ ref('threads') }}
),

sessions as (
    select * from {{ ref('sessions') }}
    where settle_status = 'settled'
),

thread_counts as (
    select
        session_id,
        count(*) as threads,
        count(*) filter (where thread_kind != 'main') as off_main_threads
    from threads
    group by session_id
),

-- what a model billed, with the kind of thread that billed it
usage_messages as (
    select
        messages.session_id,
        threads.thread_kind,
        messages.cost_usd,
        coalesce(messages.input_tokens, 0) + coalesce(messages.output_tokens, 0) as total_tokens
    from messages
    inner join threads on messages.thread_id = threads.thread_id
    where messages.input_tokens is not null or messages.output_tokens is not null
),

per_session as (
    select
        session_id,
        sum(total_tokens) as total_tokens,
        coalesce(sum(total_tokens) filter (where thread_kind = 'main'), 0) as main_thread_tokens,
        coalesce(sum(total_tokens) filter (where thread_kind != 'main'), 0) as off_main_tokens,
        {{ agent_threads.sum_cost_usd('cost_usd') }} as cost_usd,
        {{ agent_threads.off_main_cost_usd_columns() }}
    from usage_messages
    group by session_id
),

final as (
    select
        sessions.session_id,
        sessions.source,
        coalesce(sessions.cwd, '(unknown)') as project,
        sessions.title,
        {{ agent_threads.local_date('sessions.first_activity_at') }} as first_active_date,
        {{ agent_threads.report_time_zone() }} as time_zone,
        thread_counts.threads,
        thread_counts.off_main_threads,
        per_session.total_tokens,
        per_session.main_thread_tokens,
        per_session.off_main_tokens,
        round(per_session.off_main_tokens / nullif(per_session.total_tokens, 0), 3)
            as off_main_token_share,
        per_session.cost_usd,
        per_session.off_main_cost_usd,
        round(per_session.off_main_cost_usd / nullif(per_session.cost_usd, 0), 3)
            as off_main_cost_share,
        per_session.subagent_cost_usd,
        per_session.compaction_cost_usd,
        per_session.warmup_cost_usd,
        per_session.side_question_cost_usd,
        per_session.workflow_cost_usd,
        per_session.other_cost_usd
    from sessions
    inner join per_session on sessions.session_id = per_session.session_id
    inner join thread_counts on sessions.session_id = thread_counts.session_id
)

select * from final
order by off_main_cost_usd desc nulls first, cost_usd desc nulls first, session_id asc
