{#
  Tokens and cost-relevant counts by source, thread kind and model. Token columns have
  the OpenTelemetry GenAI meaning: cache reads and writes are PARTS of input_tokens,
  reasoning is PART of output_tokens, so the uncached input is input - cache parts.
  Replayed copies carry no tokens, so nothing is counted twice. Model `(none)`: Codex
  threads whose files name no model (pre-0.32 rollouts).
#}
with messages as (
    select * from {{ ref('messages') }}
),

threads as (
    select * from {{ ref('threads') }}
),

joined as (
    select
        threads.source,
        threads.thread_kind,
        messages.thread_id,
        messages.message_kind,
        messages.is_replayed,
        messages.input_tokens,
        messages.cache_read_input_tokens,
        messages.cache_creation_input_tokens,
        messages.output_tokens,
        messages.reasoning_output_tokens,
        coalesce(messages.model, '(none)') as model
    from messages
    inner join threads on messages.thread_id = threads.thread_id
    -- what a model produced or billed: prompts and tool results carry no model or usage
    where messages.role = 'assistant' or messages.message_kind = 'token_usage'
),

final as (
    select
        source,
        thread_kind,
        model,
        count(distinct thread_id) as threads,
        count(*) filter (where message_kind = 'response' and not is_replayed) as responses,
        count(*) filter (where message_kind = 'tool_call' and not is_replayed) as tool_call_messages,
        coalesce(sum(input_tokens), 0) as input_tokens,
        coalesce(sum(cache_read_input_tokens), 0) as cache_read_input_tokens,
        coalesce(sum(cache_creation_input_tokens), 0) as cache_creation_input_tokens,
        coalesce(
            sum(input_tokens)
            - sum(coalesce(cache_read_input_tokens, 0))
            - sum(coalesce(cache_creation_input_tokens, 0)),
            0
        ) as uncached_input_tokens,
        coalesce(sum(output_tokens), 0) as output_tokens,
        coalesce(sum(reasoning_output_tokens), 0) as reasoning_output_tokens,
        round(sum(cache_read_input_tokens) / nullif(sum(input_tokens), 0), 3) as cache_read_share
    from joined
    group by source, thread_kind, model
)

select * from final
order by input_tokens + output_tokens desc, source asc, thread_kind asc, model asc
