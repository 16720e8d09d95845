{#
  The cost in USD of every projected message that carries token usage, at the price in
  force at the message's time (`stg_model_prices`). The price is looked up by the model
  id's pricing key (macro `price_model_key`): dated ids (`claude-sonnet-4-20250514`) take
  the price of their undated name, ids routed through Bedrock, Vertex or a gateway
  (`converse/us.anthropic.claude-sonnet-4-5-20250929-v1:0`) that of their base model.
  A call to a Bedrock regional endpoint (`us.`, `eu.`, `jp.`, `apac.`, `au.`) pays the
  seed's `bedrock_regional_multiplier` on every rate, as AWS bills it. A message whose
  model has no price gets a null cost and is named by the `unpriced_models` warning.

  Incremental by session, like the projection: a run prices the messages of the sessions
  whose revision changed, replacing each one's rows whole. A change of the price list is
  a `--full-refresh` of this model and what reads it (`make build
  DBT_ARGS='--full-refresh'`, which rebuilds from the landing cache).
#}
{{
    config(
        on_schema_change='fail',
        pre_hook="{{ agent_threads.delete_outdated_sessions(this, ref('int_messages_projected')) }}",
        **agent_threads.replaced_by_key('session_id'),
    )
}}

with changed_sessions as (
    {{ agent_threads.sessions_to_rebuild(ref('int_messages_projected'), this, is_incremental()) }}
),

-- messages carrying usage: a response, or a Codex token_usage message
usage_messages as (
    select
        message_id,
        session_id,
        session_revision,
        model,
        created_at,
        {{ agent_threads.price_model_key('model') }} as price_model,
        {{ agent_threads.is_bedrock_regional_endpoint('model') }} as is_bedrock_regional,
        coalesce(input_tokens, 0) as input_tokens,
        coalesce(cache_read_input_tokens, 0) as cache_read_input_tokens,
        coalesce(cache_creation_input_tokens, 0) as cache_creation_input_tokens,
        coalesce(cache_creation_1h_input_tokens, 0) as cache_creation_1h_input_tokens,
        coalesce(output_tokens, 0) as output_tokens
    from {{ ref('int_messages_projected') }}
    where
        session_id in (select changed_sessions.session_id from changed_sessions)
        and (input_tokens is not null or output_tokens is not null)
),

priced as (
    select
        usage_messages.*,
        prices.input_usd_per_mtok,
        prices.output_usd_per_mtok,
        prices.cache_read_usd_per_mtok,
        prices.cache_write_5m_usd_per_mtok,
        prices.cache_write_1h_usd_per_mtok,
        prices.price_model is not null as has_price,
        case
            when usage_messages.is_bedrock_regional
                then coalesce(prices.bedrock_regional_multiplier, 1)
            else 1
        end as endpoint_multiplier,
        case
            when usage_messages.input_tokens > prices.long_context_above_tokens
                then prices.long_context_input_multiplier
            else 1
        end as input_multiplier,
        case
            when usage_messages.input_tokens > prices.long_context_above_tokens
                then prices.long_context_output_multiplier
            else 1
        end as output_multiplier
    from usage_messages
    left join {{ ref('stg_model_prices') }} as prices
        on
            usage_messages.price_model = prices.price_model
            and (prices.valid_from is null or usage_messages.created_at >= prices.valid_from)
            and (prices.valid_to is null or usage_messages.created_at < prices.valid_to)
),

-- token kinds, each a part of input_tokens / output_tokens (OpenTelemetry GenAI meaning);
-- cache writes without a 5m/1h split are priced at the 5-minute rate
token_kinds as (
    select
        *,
        greatest(input_tokens - cache_read_input_tokens - cache_creation_input_tokens, 0)
            as uncached_input_tokens,
        cache_creation_input_tokens - cache_creation_1h_input_tokens
            as cache_write_5m_tokens
    from priced
),

final as (
    select
        message_id,
        session_id,
        session_revision,
        model,
        created_at,
        case when has_price then price_model end as price_model,
        case
            when input_tokens + output_tokens = 0 then 0.0
            when has_price
                then round((
                    (
                        uncached_input_tokens * input_usd_per_mtok
                        + cache_read_input_tokens * cache_read_usd_per_mtok
                        + cache_write_5m_tokens * cache_write_5m_usd_per_mtok
                        + cache_creation_1h_input_tokens * cache_write_1h_usd_per_mtok
                    ) * input_multiplier
                    + output_tokens * output_usd_per_mtok * output_multiplier
                ) * endpoint_multiplier / 1000000.0, 10)
        end::double as cost_usd
    from token_kinds
)

select * from final
