{#
  Cost, sessions, threads and tokens per project. A project is a session's working
  directory (`sessions.cwd`: where the main thread started; a session that moved keeps
  the first); sessions whose logs record none are `(unknown)`. Claude Code and Codex
  sessions in the same directory are one project. Covers the published (settled)
  sessions, as `messages` does; first and last day are in the user's time zone (var
  `time_zone`).
#}
with sessions as (
    select * from {{ ref('sessions') }}
    where settle_status = 'settled'
),

projects as (
    select
        coalesce(cwd, '(unknown)') as project,
        source,
        git_branch,
        session_id,
        thread_count,
        subagent_count,
        cost_usd,
        {{ agent_threads.local_date('first_activity_at') }} as first_active_date,
        {{ agent_threads.local_date('last_activity_at') }} as last_active_date,
        input_tokens,
        cache_read_input_tokens,
        cache_creation_input_tokens,
        output_tokens,
        reasoning_output_tokens
    from sessions
),

final as (
    {#- a session logged usage when it has tokens or a cost: one without (null cost) is
        left out of the total, an unpriced one (tokens, null cost) makes it null -#}
    {%- set logged = 'cost_usd is not null or coalesce(input_tokens, 0)'
        ~ ' + coalesce(output_tokens, 0) > 0' %}
    select
        project,
        {{ agent_threads.sorted_distinct_list('source') }} as sources,
        coalesce(
            {{ agent_threads.sorted_distinct_list('git_branch', "git_branch != ''") }},
            {{ agent_threads.empty_list() }}
        ) as git_branches,
        count(*) as sessions,
        sum(thread_count) as threads,
        sum(subagent_count) as subagent_threads,
        {{ agent_threads.token_sums() }},
        {{ agent_threads.logged_cost_usd('cost_usd', logged) }} as cost_usd,
        round(
            {{ agent_threads.logged_cost_usd('cost_usd', logged) }}
            / nullif(sum(sum(cost_usd)) over (), 0),
            3
        ) as cost_share,
        min(first_active_date) as first_active_date,
        max(last_active_date) as last_active_date,
        {{ agent_threads.report_time_zone() }} as time_zone
    from projects
    group by project
)

select * from final
order by cost_usd desc nulls last, project asc
