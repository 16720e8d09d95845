{#
  The longest threads: by their own (not replayed) messages, with duration and spend.
#}
with threads as (
    select * from {{ ref('threads') }}
),

final as (
    select
        thread_id,
        session_id,
        source,
        thread_kind,
        agent_type,
        own_message_count,
        prompt_count,
        response_count,
        input_tokens,
        output_tokens,
        date_diff('minute', first_activity_at, last_activity_at) as duration_minutes
    from threads
)

select * from final
order by own_message_count desc, duration_minutes desc nulls last, thread_id asc
limit 10
