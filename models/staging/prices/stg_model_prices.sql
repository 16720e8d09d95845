{#
  The price list (seed `model_prices`) as validity ranges: one row per model and the
  period its prices were in force. A row applies from `valid_from` (null: since the
  model's release) until the next row of the same model starts.
#}
with prices as (
    select * from {{ ref('model_prices') }}
),

final as (
    select
        model as price_model,
        provider,
        valid_from,
        lead(valid_from) over (partition by model order by valid_from nulls first) as valid_to,
        input_usd_per_mtok,
        output_usd_per_mtok,
        cache_read_usd_per_mtok,
        cache_write_5m_usd_per_mtok,
        cache_write_1h_usd_per_mtok,
        long_context_above_tokens,
        coalesce(long_context_input_multiplier, 1) as long_context_input_multiplier,
        coalesce(long_context_output_multiplier, 1) as long_context_output_multiplier,
        coalesce(bedrock_regional_multiplier, 1) as bedrock_regional_multiplier,
        price_source
    from prices
)

select * from final
