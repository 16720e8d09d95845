{#
  The report's thread lanes: one row per thread with its kind, time span, tokens and
  cost, and where it was spawned from: the thread and time of the message that spawned
  it (`threads.spawned_by_message_id`), else, for a Codex sub-agent whose spawning call
  is unknown, its parent thread (`parent_thread_id`) with no time. `lane` numbers the
  session's threads from 0 in order of first activity (the explorer draws one lane each,
  and places turns, tool calls and prompts by it). No thread title: a
  subagent's title is its spawning call's description, which is tool input.
#}
with threads as (
    select * from {{ ref('threads') }}
),

messages as (
    select * from {{ ref('messages') }}
),

spawning_messages as (
    select
        message_id,
        thread_id,
        created_at
    from messages
    where message_id in (select threads.spawned_by_message_id from threads)
),

final as (
    select
        threads.thread_id,
        threads.session_id,
        threads.source,
        threads.thread_kind,
        threads.agent_type,
        row_number() over (
            partition by threads.session_id
            order by threads.first_activity_at asc nulls last, threads.thread_id asc
        ) - 1 as lane,
        -- the first real model (Claude Code writes `<synthetic>` for messages no model sent)
        coalesce(
            list_filter(threads.models, lambda model_name: model_name != '<synthetic>')[1],  -- noqa: RF02
            threads.models[1]
        ) as model,
        coalesce(spawning_messages.thread_id, threads.parent_thread_id) as spawned_from_thread_id,
        threads.message_count,
        threads.input_tokens,
        threads.cache_read_input_tokens,
        threads.output_tokens,
        threads.input_tokens + threads.output_tokens as total_tokens,
        threads.cost_usd,
        spawning_messages.created_at as spawned_at,
        threads.first_activity_at,
        threads.last_activity_at
    from threads
    left join spawning_messages on threads.spawned_by_message_id = spawning_messages.message_id
)

select * from final
order by session_id asc, first_activity_at asc nulls last, thread_id asc
