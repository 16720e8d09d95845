{#
  One row per session (session_id), active ones included: where it came from, what it
  was about, its threads, activity, token totals and settle status.
#}
with revisions as (
    select * from {{ ref('int_session_revisions') }}
),

settled as (
    select * from {{ ref('int_sessions_settled') }}
),

threads as (
    select * from {{ ref('threads') }}
),

titles as (
    select * from {{ ref('int_session_titles') }}
),

claude_code_context as (
    select
        session_id,
        coalesce(min(source_root) filter (where agent_id is null), min(source_root)) as source_root,
        {{ agent_threads.arg_min('cwd', 'source_line') }} filter (where cwd is not null and agent_id is null)
            as cwd,
        {{ agent_threads.arg_max('git_branch', 'source_line') }} filter (where git_branch != '')
            as git_branch,
        {{ agent_threads.sorted_distinct_list('cwd', 'cwd is not null') }} as cwds,
        {{ agent_threads.sorted_distinct_list('client_version', 'client_version is not null') }}
            as client_versions,
        {{ agent_threads.arg_min('entrypoint', 'source_line') }} filter (
            where entrypoint is not null and agent_id is null
        ) as entrypoint,
        {{ agent_threads.arg_max('pr_url', 'source_line') }} filter (where pr_url is not null)
            as pr_url
    from {{ ref('stg_claude_code__lines') }}
    group by session_id
),

codex_context as (
    select
        session_id,
        coalesce(
            min(source_root) filter (where parent_thread_id is null), min(source_root)
        ) as source_root,
        {{ agent_threads.arg_min('cwd', 'parent_thread_id is not null') }} as cwd,
        {{ agent_threads.arg_min('git_branch', 'parent_thread_id is not null') }} as git_branch,
        {{ agent_threads.sorted_distinct_list('cwd', 'cwd is not null') }} as cwds,
        {{ agent_threads.sorted_distinct_list('client_version', 'client_version is not null') }}
            as client_versions,
        null::string as entrypoint,
        null::string as pr_url
    from {{ ref('stg_codex__threads') }}
    group by session_id
),

copilot_cli_context as (
    select
        session_id,
        min(source_root) as source_root,
        {{ agent_threads.arg_min('cwd', 'source_line') }} filter (where cwd is not null) as cwd,
        {{ agent_threads.arg_min('git_branch', 'source_line') }} filter (where git_branch is not null)
            as git_branch,
        {{ agent_threads.sorted_distinct_list('cwd', 'cwd is not null') }} as cwds,
        {{ agent_threads.sorted_distinct_list('client_version', 'client_version is not null') }}
            as client_versions,
        {{ agent_threads.arg_min('producer', 'source_line') }} filter (where producer is not null)
            as entrypoint,
        null::string as pr_url
    from {{ ref('stg_copilot_cli__lines') }}
    group by session_id
),

gemini_cli_context as (
    select
        session_id,
        coalesce(
            min(source_root) filter (where not is_subagent_file), min(source_root)
        ) as source_root,
        -- Gemini CLI logs no working directory (projects.json maps its folder to one)
        null::string as cwd,
        null::string as git_branch,
        {{ agent_threads.sorted_distinct_list('cast(null as string)', 'false') }} as cwds,
        {{ agent_threads.sorted_distinct_list('cast(null as string)', 'false') }} as client_versions,
        null::string as entrypoint,
        null::string as pr_url
    from {{ ref('stg_gemini_cli__threads') }}
    group by session_id
),

context as (
    select * from claude_code_context
    union all
    select * from codex_context
    union all
    select * from copilot_cli_context
    union all
    select * from gemini_cli_context
),

thread_totals as (
    select
        session_id,
        count(*) as thread_count,
        count(*) filter (where thread_kind = 'subagent') as subagent_count,
        count(*) filter (where thread_kind = 'compaction') as compaction_thread_count,
        {{ agent_threads.sorted_distinct_union('models') }} as models,
        sum(message_count)::bigint as message_count,
        sum(input_tokens)::bigint as input_tokens,
        sum(cache_read_input_tokens)::bigint as cache_read_input_tokens,
        sum(cache_creation_input_tokens)::bigint as cache_creation_input_tokens,
        sum(output_tokens)::bigint as output_tokens,
        sum(reasoning_output_tokens)::bigint as reasoning_output_tokens
    from threads
    group by session_id
),

-- summed over the session's messages that carry usage, not over thread totals: a thread
-- with no usage (null) makes no session total unknown
session_costs as (
    select
        session_id,
        {{ agent_threads.logged_cost_usd('cost_usd') }} as cost_usd
    from {{ ref('int_message_costs') }}
    group by session_id
),

final as (
    select
        revisions.session_id,
        revisions.source,
        context.source_root,
        context.cwd,
        context.git_branch,
        context.entrypoint,
        context.pr_url,
        titles.title,
        titles.title_source,
        settled.settle_status,
        coalesce(context.client_versions, {{ agent_threads.empty_list() }}) as client_versions,
        coalesce(context.cwds, {{ agent_threads.empty_list() }}) as cwds,
        coalesce(thread_totals.models, {{ agent_threads.empty_list() }}) as models,
        coalesce(thread_totals.thread_count, 0) as thread_count,
        coalesce(thread_totals.subagent_count, 0) as subagent_count,
        coalesce(thread_totals.compaction_thread_count, 0) as compaction_thread_count,
        coalesce(thread_totals.message_count, 0) as message_count,
        revisions.staged_lines,
        coalesce(thread_totals.input_tokens, 0) as input_tokens,
        coalesce(thread_totals.cache_read_input_tokens, 0) as cache_read_input_tokens,
        coalesce(thread_totals.cache_creation_input_tokens, 0) as cache_creation_input_tokens,
        coalesce(thread_totals.output_tokens, 0) as output_tokens,
        coalesce(thread_totals.reasoning_output_tokens, 0) as reasoning_output_tokens,
        session_costs.cost_usd,
        settled.has_future_activity,
        coalesce(revisions.first_event_at, revisions.first_loaded_at) as first_activity_at,
        settled.last_activity_at,
        settled.settles_at,
        settled.as_of
    from revisions
    inner join settled on revisions.session_id = settled.session_id
    left join context on revisions.session_id = context.session_id
    left join titles on revisions.session_id = titles.session_id
    left join thread_totals on revisions.session_id = thread_totals.session_id
    left join session_costs on revisions.session_id = session_costs.session_id
)

select * from final
