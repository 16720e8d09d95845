{#
  ref('messages', v=5) works and keeps the old meaning: every v6 row is there, with
  conversation_id = coalesce(conversation_id, session_id). Returns the rows that break it.
#}
with v6 as (
    select * from {{ ref('messages', v=6) }}
),

v5 as (
    select * from {{ ref('messages', v=5) }}
)

select v6.message_id
from v6
left join v5 on v6.message_id = v5.message_id
where
    v5.message_id is null
    or v5.conversation_id is distinct from coalesce(v6.conversation_id, v6.session_id)
