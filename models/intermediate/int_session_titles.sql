{#
  A title per Claude Code session, from its metadata lines: the last /rename
  (custom-title) wins, then the last ai-title, then a summary line whose leafUuid points
  at one of the session's lines. Summaries are written into whatever file is current,
  so a summary often names another session: the leaf decides, not the file.
#}
with lines as (
    select * from {{ ref('stg_claude_code__lines') }}
),

own_titles as (
    select
        session_id,
        {{ agent_threads.arg_max('title_text', 'source_line') }} filter (where title_kind = 'custom_title')
            as custom_title,
        {{ agent_threads.arg_max(
            'title_text', 'source_line'
        ) }} filter (where title_kind = 'ai_title') as ai_title
    from lines
    where title_kind in ('custom_title', 'ai_title')
    group by session_id
),

summaries as (
    select
        leaves.session_id,
        {{ agent_threads.arg_max('summaries.title_text', 'summaries.source_line') }} as summary_title
    from lines as summaries
    inner join lines as leaves
        on summaries.leaf_uuid = leaves.line_uuid
    where summaries.title_kind = 'summary' and summaries.title_text is not null
    group by leaves.session_id
),

sessions as (
    select session_id from own_titles
    union
    select session_id from summaries
),

final as (
    select
        sessions.session_id,
        coalesce(own_titles.custom_title, own_titles.ai_title, summaries.summary_title) as title,
        case
            when own_titles.custom_title is not null then 'custom_title'
            when own_titles.ai_title is not null then 'ai_title'
            when summaries.summary_title is not null then 'summary'
        end as title_source
    from sessions
    left join own_titles on sessions.session_id = own_titles.session_id
    left join summaries on sessions.session_id = summaries.session_id
)

select * from final
