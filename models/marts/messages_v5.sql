{#
  messages v5 (deprecated): the v6 rows in the old shape, for consumers that have not
  moved yet. Every v6 column but session_id, thread_id and cost_usd (v5 never had it), in v6's order; conversation_id
  has its old, overloaded meaning: the Codex thread, else the Claude Code session id.
#}
with messages as (
    select * from {{ ref('messages', v=6) }}
),

final as (
    select
        {{ agent_threads.star_except_replace(
            ref('messages', v=6),
            ['session_id', 'thread_id', 'cost_usd'],
            {'conversation_id': 'coalesce(conversation_id, session_id)', 'schema_version': '5'},
        ) }}
    from messages
)

-- v5 follows v6's columns by construction, so the count is v6's less three
select * from final  -- noqa: AM04
