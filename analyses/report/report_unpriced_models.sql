{#
  Models whose messages carry token usage but no price in seeds/model_prices.csv (their
  cost_usd is null, and so is every total that covers them): what the build summary names.
#}
with messages as (
    select * from {{ ref('messages') }}
),

final as (
    select
        source,
        coalesce(model, '(no model)') as model,
        count(*) as messages,
        count(distinct session_id) as sessions,
        sum(input_tokens + output_tokens) as total_tokens,
        min(created_at) as first_at,
        max(created_at) as last_at
    from messages
    where
        cost_usd is null
        and (coalesce(input_tokens, 0) > 0 or coalesce(output_tokens, 0) > 0)
    group by source, model
)

select * from final
order by messages desc, model asc
