{#
  Every raw line that could not be used, with the reason. Together with the staged
  lines it accounts for every complete non-blank line of every file.
#}
with claude_code as (
    select
        'claude_code' as source,
        source_root,
        source_file,
        source_line,
        reject_reason,
        raw_line,
        loaded_at
    from {{ ref('base_claude_code__lines') }}
    where reject_reason is not null
),

codex as (
    select
        'codex' as source,
        source_root,
        source_file,
        source_line,
        reject_reason,
        raw_line,
        loaded_at
    from {{ ref('base_codex__lines') }}
    where reject_reason is not null
),

unioned as (
    select * from claude_code
    union all
    select * from codex
),

final as (
    select
        md5(source_file || ':' || source_line::varchar) as rejected_line_id,
        source,
        reject_reason,
        left(raw_line, {{ var('rejected_raw_text_chars', 2000) }}) as raw_text,
        source_line,
        length(raw_line) as raw_text_chars,
        loaded_at,
        source_root,
        source_file
    from unioned
)

select * from final
