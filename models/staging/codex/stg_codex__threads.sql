{#
  One row per Codex thread (conversation_id): its header facts, the file copy that
  speaks for it, and its session.

  A thread's session is session_meta.payload.session_id (0.129+, on disk from about
  0.144). Where the file has none, it is the root thread's id, found by walking
  parent_thread_id up through the threads known here; a parent whose file is missing is
  taken as the root; a root with neither is its own session. Ids never come from file
  names.

  When one thread is found in several files (sessions/ and archived_sessions/, or copies
  from several machines), one copy speaks for it: the one with the most content (lines),
  then one still on disk over one that is gone (a copy no longer on disk never outranks
  a live copy that holds more), then the active one over the archived one, then the
  first root and path.
#}
with lines as (
    select * from {{ ref('base_codex__lines') }}
    where not is_blank and reject_reason is null
),

thread_files as (
    select
        conversation_id,
        source_file,
        source_root,
        any_value(is_archived_file) as is_archived_file,
        bool_or(is_file_on_disk) as is_file_on_disk,
        count(*) as line_count,
        min(created_at) as first_line_at,
        max(created_at) as last_line_at,
        bool_or(is_legacy_format) as is_legacy_format,
        {{ agent_threads.arg_min('meta_session_id', 'source_line') }} filter (where is_own_meta)
            as session_id_on_disk,
        {{ agent_threads.arg_min('meta_parent_thread_id', 'source_line') }} filter (where is_own_meta)
            as parent_thread_id,
        {{ agent_threads.arg_min('meta_forked_from_id', 'source_line') }} filter (where is_own_meta)
            as forked_from_id,
        {{ agent_threads.arg_min('meta_source', 'source_line') }} filter (where is_own_meta)
            as thread_source_json,
        {{ agent_threads.arg_min('thread_source', 'source_line') }} filter (where is_own_meta)
            as thread_source,
        {{ agent_threads.arg_min('agent_role', 'source_line') }} filter (where is_own_meta)
            as agent_role,
        {{ agent_threads.arg_min('agent_nickname', 'source_line') }} filter (where is_own_meta)
            as agent_nickname,
        {{ agent_threads.arg_min('agent_path', 'source_line') }} filter (where is_own_meta)
            as agent_path,
        {{ agent_threads.arg_min('originator', 'source_line') }} filter (where is_own_meta)
            as originator,
        {{ agent_threads.arg_min('client_version', 'source_line') }} filter (where is_own_meta)
            as client_version,
        {{ agent_threads.arg_min('history_mode', 'source_line') }} filter (where is_own_meta)
            as history_mode,
        {{ agent_threads.arg_min('git_branch', 'source_line') }} filter (where is_own_meta)
            as git_branch,
        {{ agent_threads.arg_min('cwd', 'source_line') }} filter (where is_own_meta)
            as cwd,
        {{ agent_threads.arg_min('meta_started_at', 'source_line') }} filter (where is_own_meta)
            as thread_started_at
    from (
        select
            *,
            line_type = 'session_meta' and meta_thread_id = conversation_id as is_own_meta
        from lines
    ) as lines_with_own_meta
    group by conversation_id, source_file, source_root
),

ranked as (
    select
        *,
        row_number() over (
            partition by conversation_id
            order by
                line_count desc,
                is_file_on_disk desc,
                is_archived_file asc,
                source_root asc,
                source_file asc
        ) as copy_rank
    from thread_files
),

threads as (
    select {{ agent_threads.star_except(['copy_rank']) }} from ranked
    where copy_rank = 1
),

ancestry as (
    select * from (
        with recursive chain (conversation_id, node_id, depth) as (
            select
                conversation_id,
                conversation_id as node_id,
                0 as depth
            from threads
            union all
            select
                chain.conversation_id,
                threads.parent_thread_id as node_id,
                chain.depth + 1 as depth
            from chain
            inner join threads on chain.node_id = threads.conversation_id
            where
                threads.session_id_on_disk is null
                and threads.parent_thread_id is not null
                and chain.depth < 64
        )

        select
            conversation_id,
            {{ agent_threads.arg_max('node_id', 'depth') }} as top_node_id
        from chain
        group by conversation_id
    ) as chain_tops
),

final as (
    select
        threads.conversation_id,
        coalesce(threads.session_id_on_disk, top_thread.session_id_on_disk, ancestry.top_node_id)
            as session_id,
        threads.parent_thread_id,
        threads.forked_from_id,
        threads.source_file as chosen_source_file,
        threads.source_root,
        threads.thread_source,
        threads.thread_source_json,
        threads.agent_role,
        threads.agent_nickname,
        threads.agent_path,
        threads.originator,
        threads.client_version,
        threads.history_mode,
        threads.git_branch,
        threads.cwd,
        threads.line_count,
        threads.session_id_on_disk is not null as has_session_id_on_disk,
        threads.is_legacy_format,
        threads.is_archived_file,
        threads.thread_started_at,
        threads.first_line_at,
        threads.last_line_at
    from threads
    inner join ancestry on threads.conversation_id = ancestry.conversation_id
    left join threads as top_thread on ancestry.top_node_id = top_thread.conversation_id
)

select * from final
