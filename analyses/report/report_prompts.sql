{#
  Prompt text per turn, for the owner's own report only: read when the report is built
  with --include-prompts (the page then says so). Never read otherwise.
#}
with turns as (
    select * from {{ ref('turns') }}
),

final as (
    select
        turn_key,
        prompt_text
    from turns
    where prompt_text is not null
)

select * from final
order by turn_key asc
