{#
  Rejected lines by source and reason, with how many files they came from. Counts only:
  the raw text of a rejected line stays out of the report.
#}
with rejected_lines as (
    select * from {{ ref('rejected_lines') }}
),

final as (
    select
        source,
        reject_reason,
        count(*) as rejected_lines,
        count(distinct source_file) as files
    from rejected_lines
    group by source, reject_reason
)

select * from final
order by rejected_lines desc, source asc, reject_reason asc
