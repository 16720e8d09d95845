{#
  The report's session list (its session explorer picks from it): every session, active
  ones included, with its project, title, thread count, tokens and cost. Titles are the
  sessions' own (custom, ai-title, summary, Codex thread name), never message text: a
  title taken from the first prompt (title_source = 'first_prompt') is left out.
#}
with sessions as (
    select * from {{ ref('sessions') }}
),

final as (
    select
        session_id,
        source,
        coalesce(cwd, '(unknown)') as project,
        case when title_source != 'first_prompt' then title end as title,
        settle_status,
        thread_count,
        subagent_count,
        input_tokens + output_tokens as total_tokens,
        cost_usd,
        first_activity_at,
        last_activity_at
    from sessions
)

select * from final
order by last_activity_at desc nulls last, session_id asc
