{#
  One row per session: what has landed for it (its revision), its newest event time and
  its newest landing time. A session's revision changes whenever any of its files gets
  new lines, a new version (a rewrite, a truncation) or a new path (a move);
  projection and publication compare revisions to know what to redo.
#}
with claude_code as (
    select
        session_id,
        'claude_code' as source,
        source_file,
        file_fingerprint,
        source_line,
        created_at,
        loaded_at
    from {{ ref('stg_claude_code__lines') }}
),

codex as (
    select
        session_id,
        'codex' as source,
        source_file,
        file_fingerprint,
        source_line,
        created_at,
        loaded_at
    from {{ ref('stg_codex__lines') }}
    where not is_from_duplicate_file
),

copilot_cli as (
    select
        session_id,
        'copilot_cli' as source,
        source_file,
        file_fingerprint,
        source_line,
        created_at,
        loaded_at
    from {{ ref('stg_copilot_cli__lines') }}
),

gemini_cli as (
    select
        session_id,
        'gemini_cli' as source,
        source_file,
        file_fingerprint,
        source_line,
        created_at,
        loaded_at
    from {{ ref('stg_gemini_cli__lines') }}
),

unioned as (
    select * from claude_code
    union all
    select * from codex
    union all
    select * from copilot_cli
    union all
    select * from gemini_cli
),

final as (
    select
        session_id,
        any_value(source) as source,
        md5(count(*)::string || ':' || {{ agent_threads.sum_of_hashes(
            ['source_file', 'file_fingerprint', 'source_line']
        ) }}::string)
            as session_revision,
        count(*) as staged_lines,
        min(created_at) as first_event_at,
        max(created_at) as last_event_at,
        min(loaded_at) as first_loaded_at,
        max(loaded_at) as last_loaded_at
    from unioned
    group by session_id
)

select * from final
