{#
  Codex thread names: one row per entry of a Codex home's `session_index.jsonl`
  (`{id, thread_name, updated_at}`, appended at each rename; landed with the rollouts,
  never read as one). A thread's name is its last entry (int_session_titles). A line
  that is no such entry (not JSON, an invalid thread id, no name) names nothing and is
  left out: the file is an index, not a transcript, so it never fails the build.
#}
with landed as (
    select * from {{ agent_threads.landed_lines('codex') }}
    where
        {{ agent_threads.is_codex_session_index('source_file') }}
        and source_line > 0  -- not a file-life state row
        and not is_blank
        and is_valid_utf8
),

parsed as (
    select
        source_root,
        source_file,
        file_fingerprint,
        source_line,
        loaded_at,
        {{ agent_threads.parse_json_object(
            'raw_line', {'id': 'VARCHAR', 'thread_name': 'VARCHAR', 'updated_at': 'VARCHAR'}
        ) }} as j
    from landed
),

final as (
    select
        -- ids
        j.id as thread_id,
        -- strings
        trim(j.thread_name) as thread_name,
        -- numbers
        source_line,
        -- timestamps
        {{ agent_threads.to_utc_timestamp('j.updated_at') }} as updated_at,
        loaded_at,
        -- lineage
        source_root,
        source_file,
        file_fingerprint
    from parsed
    where
        {{ agent_threads.is_valid_id('j.id') }}
        and trim(j.thread_name) != ''
)

select * from final
