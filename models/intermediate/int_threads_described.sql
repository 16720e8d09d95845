{#
  One row per thread of every session (active ones and threads with no message
  included): identity, what kind of thread it is, and how it was spawned.

  Claude Code thread_kind: the main loop (`main`); compaction calls
  (`agent-acompact-*`); 2.0.x warmup calls (an agent file whose first prompt is
  "Warmup"); /btw side questions (`agent-aside_question-*`); workflow agents (under
  `subagents/workflows/`); other subagents. Codex: `subagent` when the thread has a
  parent thread, else `main` (a fork is `main` with forked_from_id set). GitHub Copilot
  CLI: `main`, `compaction` (compaction-<checkpoint>), else `subagent`. Gemini CLI:
  `subagent` for a file in a root session's folder, else `main`.

  Incremental by session: everything here is decided inside one session, so a run
  describes again only the sessions whose landed lines changed (their revision).
#}
{{
    config(
        on_schema_change='fail',
        pre_hook="{{ agent_threads.delete_outdated_sessions(this, ref('int_session_revisions')) }}",
        meta={'rebuilt_whole_without': 'session_revision'},
        **agent_threads.replaced_by_key('session_id'),
    )
}}

with changed_sessions as (
    {{ agent_threads.sessions_to_rebuild(ref('int_session_revisions'), this, is_incremental()) }}
),

claude_code_lines as (
    select * from {{ ref('stg_claude_code__lines') }}
    where session_id in (select changed_sessions.session_id from changed_sessions)
),

claude_code_threads as (
    select
        thread_id,
        any_value(session_id) as session_id,
        any_value(agent_id) as agent_id,
        bool_or(source_file like '%/subagents/workflows/%') as is_workflow_file,
        max(agent_type) filter (where line_type = 'subagent-meta') as sidecar_agent_type,
        max(tool_use_id) filter (where line_type = 'subagent-meta') as sidecar_tool_use_id,
        max(agent_description) filter (where line_type = 'subagent-meta')
            as sidecar_description,
        {{ agent_threads.arg_min('message_content', 'source_line') }} filter (where line_type = 'user')
            as first_prompt_content
    from claude_code_lines
    group by thread_id
),

-- Task / Agent tool results name the agent they ran: toolUseResult.agentId (2.0.55+).
claude_code_spawns as (
    select
        session_id,
        result_agent_id as spawned_agent_id,
        any_value({{ agent_threads.json_extract_string(
            'message_content', '$[0].tool_use_id'
        ) }}) as tool_use_id,
        any_value(result_agent_type) as agent_type
    from claude_code_lines
    where line_type = 'user' and result_agent_id is not null
    group by session_id, result_agent_id
),

-- 1.0.x inline sidechains: the chain's first prompt is the Task tool_use's input.prompt.
claude_code_task_prompts as (
    select
        session_id,
        {{ agent_threads.json_extract_string('message_content', '$[0].input.prompt') }} as task_prompt,
        any_value({{ agent_threads.json_extract_string('message_content', '$[0].id') }}) as tool_use_id,
        any_value({{ agent_threads.json_extract_string('message_content', '$[0].input.subagent_type') }})
            as agent_type,
        any_value({{ agent_threads.json_extract_string('message_content', '$[0].input.description') }})
            as task_description
    from claude_code_lines
    where
        line_type = 'assistant'
        and {{ agent_threads.json_extract_string('message_content', '$[0].type') }} = 'tool_use'
        and {{ agent_threads.json_extract_string('message_content', '$[0].name') }} in ('Task', 'Agent')
    group by session_id, {{ agent_threads.json_extract_string('message_content', '$[0].input.prompt') }}
),

claude_code_described as (
    select
        threads.thread_id,
        threads.session_id,
        cast(null as string) as conversation_id,
        threads.agent_id,
        cast(null as string) as parent_thread_id,
        'claude_code' as source,
        case
            when threads.agent_id is null then 'main'
            when threads.agent_id like 'acompact%' then 'compaction'
            when threads.agent_id like 'aside_question%' then 'side_question'
            when threads.is_workflow_file then 'workflow'
            when
                trim(both '"' from coalesce(threads.first_prompt_content, '')) = 'Warmup'
                or threads.first_prompt_content like '[{"type":"text","text":"Warmup"}]'
                then 'warmup'
            else 'subagent'
        end as thread_kind,
        coalesce(
            threads.sidecar_agent_type, spawns.agent_type, prompts.agent_type, spawning_calls.agent_type
        ) as agent_type,
        cast(null as string) as forked_from_id,
        coalesce(threads.sidecar_tool_use_id, spawns.tool_use_id, prompts.tool_use_id)
            as spawned_by_tool_call_id,
        coalesce(
            threads.sidecar_description, spawning_calls.task_description, prompts.task_description
        ) as thread_title
    from claude_code_threads as threads
    left join claude_code_spawns as spawns
        on
            threads.session_id = spawns.session_id
            and threads.agent_id = spawns.spawned_agent_id
    left join claude_code_task_prompts as prompts
        on
            threads.session_id = prompts.session_id
            and threads.agent_id like 'sidechain-%'
            and {{ agent_threads.json_extract_string(
                'threads.first_prompt_content', '$'
            ) }} = prompts.task_prompt
    left join claude_code_task_prompts as spawning_calls
        on
            threads.session_id = spawning_calls.session_id
            and coalesce(threads.sidecar_tool_use_id, spawns.tool_use_id) = spawning_calls.tool_use_id
),

codex_described as (
    select
        conversation_id as thread_id,
        session_id,
        conversation_id,
        cast(null as string) as agent_id,
        parent_thread_id,
        'codex' as source,
        case when parent_thread_id is not null then 'subagent' else 'main' end as thread_kind,
        agent_role as agent_type,
        forked_from_id,
        cast(null as string) as spawned_by_tool_call_id,
        agent_nickname as thread_title
    from {{ ref('stg_codex__threads') }}
    where session_id in (select changed_sessions.session_id from changed_sessions)
),

copilot_cli_lines as (
    select * from {{ ref('stg_copilot_cli__lines') }}
    where session_id in (select changed_sessions.session_id from changed_sessions)
),

-- a subagent.started event names the agent, its spawning tool call and, in the current
-- schema, its agentId (1.0.x subagents are known by that tool call's id)
copilot_cli_spawns as (
    select
        session_id,
        coalesce(envelope_agent_id, tool_call_id) as spawned_agent_id,
        any_value(tool_call_id) as tool_call_id,
        any_value(agent_name) as agent_name,
        any_value(coalesce(agent_description, agent_display_name)) as agent_description
    from copilot_cli_lines
    where event_type = 'subagent.started'
    group by session_id, coalesce(envelope_agent_id, tool_call_id)
),

copilot_cli_described as (
    select
        threads.thread_id,
        threads.session_id,
        cast(null as string) as conversation_id,
        threads.agent_id,
        cast(null as string) as parent_thread_id,
        'copilot_cli' as source,
        case
            when threads.agent_id is null then 'main'
            when threads.agent_id like 'compaction-%' then 'compaction'
            else 'subagent'
        end as thread_kind,
        spawns.agent_name as agent_type,
        cast(null as string) as forked_from_id,
        coalesce(
            spawns.tool_call_id,
            case when threads.is_named_by_tool_call then threads.agent_id end
        ) as spawned_by_tool_call_id,
        spawns.agent_description as thread_title
    from (
        select
            thread_id,
            any_value(session_id) as session_id,
            any_value(agent_id) as agent_id,
            bool_or(envelope_agent_id is null and parent_tool_call_id is not null)
                as is_named_by_tool_call
        from copilot_cli_lines
        -- subagent.started / completed belong to the thread that spawned the agent
        where event_type not in ('subagent.started', 'subagent.completed', 'subagent.failed')
        group by thread_id
    ) as threads
    left join copilot_cli_spawns as spawns
        on
            threads.session_id = spawns.session_id
            and threads.agent_id = spawns.spawned_agent_id
),

gemini_cli_described as (
    select
        conversation_id as thread_id,
        session_id,
        conversation_id,
        cast(null as string) as agent_id,
        parent_thread_id,
        'gemini_cli' as source,
        case when is_subagent_file then 'subagent' else 'main' end as thread_kind,
        cast(null as string) as agent_type,
        cast(null as string) as forked_from_id,
        cast(null as string) as spawned_by_tool_call_id,
        cast(null as string) as thread_title
    from {{ ref('stg_gemini_cli__threads') }}
    where session_id in (select changed_sessions.session_id from changed_sessions)
),

described as (
    select * from claude_code_described
    union all
    select * from codex_described
    union all
    select * from copilot_cli_described
    union all
    select * from gemini_cli_described
),

final as (
    select
        described.*,
        changed_sessions.session_revision
    from described
    inner join changed_sessions on described.session_id = changed_sessions.session_id
)

select * from final
