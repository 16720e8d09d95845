{#
  Every raw line that could not be used, with the reason. Together with the staged
  lines it accounts for every complete non-blank line of every file. The raw text comes
  from the landing cache (staging does not carry it).
#}
with claude_code_rejects as (
    select * from {{ ref('stg_claude_code__rejected_lines') }}
),

codex_rejects as (
    select * from {{ ref('stg_codex__rejected_lines') }}
),

copilot_cli_rejects as (
    select * from {{ ref('stg_copilot_cli__rejected_lines') }}
),

gemini_cli_rejects as (
    select * from {{ ref('stg_gemini_cli__rejected_lines') }}
),

claude_code as (
    select
        'claude_code' as source,
        landed.source_root,
        landed.source_file,
        landed.source_line,
        rejects.reject_reason,
        landed.raw_line,
        landed.loaded_at
    from claude_code_rejects as rejects
    inner join {{ agent_threads.landed_lines('claude_code') }} as landed
        on
            rejects.source_file = landed.source_file
            and rejects.file_fingerprint = landed.file_fingerprint
            and rejects.source_line = landed.source_line
),

codex as (
    select
        'codex' as source,
        landed.source_root,
        landed.source_file,
        landed.source_line,
        rejects.reject_reason,
        landed.raw_line,
        landed.loaded_at
    from codex_rejects as rejects
    inner join {{ agent_threads.landed_lines('codex') }} as landed
        on
            rejects.source_file = landed.source_file
            and rejects.file_fingerprint = landed.file_fingerprint
            and rejects.source_line = landed.source_line
),

copilot_cli as (
    select
        'copilot_cli' as source,
        landed.source_root,
        landed.source_file,
        landed.source_line,
        rejects.reject_reason,
        landed.raw_line,
        landed.loaded_at
    from copilot_cli_rejects as rejects
    inner join {{ agent_threads.landed_lines('copilot_cli') }} as landed
        on
            rejects.source_file = landed.source_file
            and rejects.file_fingerprint = landed.file_fingerprint
            and rejects.source_line = landed.source_line
),

gemini_cli as (
    select
        'gemini_cli' as source,
        landed.source_root,
        landed.source_file,
        landed.source_line,
        rejects.reject_reason,
        landed.raw_line,
        landed.loaded_at
    from gemini_cli_rejects as rejects
    inner join {{ agent_threads.landed_lines('gemini_cli') }} as landed
        on
            rejects.source_file = landed.source_file
            and rejects.file_fingerprint = landed.file_fingerprint
            and rejects.source_line = landed.source_line
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
        md5(source_file || ':' || source_line::string) as rejected_line_id,
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
