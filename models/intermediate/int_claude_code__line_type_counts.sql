{#
  The Claude Code part of the format-drift report (`line_types`), per session: every
  line type, subtype and content block type its staged lines hold, per client version,
  with counts and first and last seen time. Reading the content blocks means parsing
  every message's JSON, so this is incremental by session: a run reads the lines of the
  sessions whose revision changed, and `line_types` sums these rows.
#}
{{
    config(
        on_schema_change='fail',
        pre_hook="{{ agent_threads.delete_outdated_sessions(this, ref('int_session_revisions')) }}",
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

claude_code_blocks as (
    select
        claude_code_lines.session_id,
        claude_code_lines.line_id,
        claude_code_lines.line_type,
        claude_code_lines.line_subtype,
        -- lines without a version (titles, snapshots...) take the file's latest one
        coalesce(
            claude_code_lines.client_version,
            {{ agent_threads.arg_max(
                'claude_code_lines.client_version', 'claude_code_lines.source_line'
            ) }} over (
                partition by claude_code_lines.source_file
            )
        ) as client_version,
        coalesce(claude_code_lines.created_at, claude_code_lines.loaded_at) as seen_at,
        case
            when
                claude_code_lines.line_type in ('user', 'assistant')
                and {{ agent_threads.is_json_array('claude_code_lines.message_content') }}
                then {{ agent_threads.json_array_distinct_field(
                    'claude_code_lines.message_content', 'type'
                ) }}
        end as item_types
    from claude_code_lines
),

claude_code_items as (
    select
        session_id,
        'claude_code' as source,
        coalesce(client_version, 'unknown') as client_version,
        line_type,
        line_subtype,
        {{ agent_threads.unnest_or_null('item_types') }} as item_type,
        line_id,
        seen_at
    from claude_code_blocks
),

counted as (
    select
        session_id,
        source,
        client_version,
        line_type,
        line_subtype,
        item_type,
        count(distinct line_id) as line_count,
        min(seen_at) as first_seen_at,
        max(seen_at) as last_seen_at
    from claude_code_items
    group by session_id, source, client_version, line_type, line_subtype, item_type
),

final as (
    select
        counted.*,
        changed_sessions.session_revision
    from counted
    inner join changed_sessions on counted.session_id = changed_sessions.session_id
)

select * from final
