{#
  Line types the projection does not know (`line_types.is_known_to_projection` false):
  what the build summary and the `no_unknown_line_types` warning name, per client version.
#}
with line_types as (
    select * from {{ ref('line_types') }}
),

final as (
    select
        source,
        line_type,
        line_subtype,
        item_type,
        client_version,
        line_count,
        first_seen_at,
        last_seen_at
    from line_types
    where not is_known_to_projection
)

select * from final
order by line_count desc, source asc, line_type asc
