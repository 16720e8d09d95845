{#
  The Gemini CLI lines staging could not use, with the reason. The mart rejected_lines
  joins their raw text from the landing cache.
#}
with base_lines as (
    select * from {{ ref('base_gemini_cli__lines') }}
),

final as (
    select
        source_file,
        file_fingerprint,
        source_line,
        reject_reason
    from base_lines
    where reject_reason is not null
)

select * from final
