{#
  A title per session, the first that applies:
  - Claude Code, from its metadata lines: the last /rename (custom-title) wins, then the
    last ai-title, then a summary line whose leafUuid points at one of the session's
    lines. Summaries are written into whatever file is current, so a summary often names
    another session: the leaf decides, not the file.
  - Codex: the name of the session's root thread (thread_id = session_id) in the Codex
    home's session_index.jsonl; the last entry wins.
  - Any session without a title of its own: its first typed prompt
    (int_session_first_prompts: of its main thread, not injected or meta context, not a
    slash command, not a replayed copy), cut to its first line and at most 80 characters.
#}
with lines as (
    select * from {{ ref('stg_claude_code__lines') }}
),

session_index as (
    select * from {{ ref('stg_codex__session_index') }}
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

-- a Codex session is named by its root thread's last session_index entry
thread_names as (
    select
        roots.session_id,
        session_index.thread_name
    from session_index
    inner join {{ ref('stg_codex__threads') }} as roots
        on
            session_index.thread_id = roots.conversation_id
            and roots.conversation_id = roots.session_id
    qualify
        row_number() over (
            partition by roots.session_id
            order by
                session_index.updated_at desc nulls last,
                session_index.loaded_at desc,
                session_index.source_line desc
        ) = 1
),

first_prompts as (
    select * from {{ ref('int_session_first_prompts') }}
),

sessions as (
    select session_id from own_titles
    union
    select session_id from summaries
    union
    select session_id from thread_names
    union
    select session_id from first_prompts
),

final as (
    select
        sessions.session_id,
        coalesce(
            own_titles.custom_title,
            own_titles.ai_title,
            summaries.summary_title,
            thread_names.thread_name,
            rtrim(left(split_part(first_prompts.prompt_text, chr(10), 1), 80))
        ) as title,
        case
            when own_titles.custom_title is not null then 'custom_title'
            when own_titles.ai_title is not null then 'ai_title'
            when summaries.summary_title is not null then 'summary'
            when thread_names.thread_name is not null then 'thread_name'
            when first_prompts.prompt_text is not null then 'first_prompt'
        end as title_source
    from sessions
    left join own_titles on sessions.session_id = own_titles.session_id
    left join summaries on sessions.session_id = summaries.session_id
    left join thread_names on sessions.session_id = thread_names.session_id
    left join first_prompts on sessions.session_id = first_prompts.session_id
)

select * from final
