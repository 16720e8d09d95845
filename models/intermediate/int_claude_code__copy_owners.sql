{#
  Facts that span sessions, computed once before projection: for every line uuid and
  every API response (message.id + requestId) seen in more than one session, the session
  that owns it. Copies elsewhere (resumed or forked history, /clear copies) are replayed
  there. The owner is the session whose own sessionId the line carries, else the one
  that saw it first, else the smallest session id.
#}
{%- set owner_order = agent_threads.struct_pack({
    'is_copy': 'coalesce(line_session_id != session_id, true)',
    'first_at': 'coalesce(created_at, ' ~ agent_threads.utc_date_timestamp('9999-12-31') ~ ')',
    'session_id': 'session_id',
}) %}

with lines as (
    select
        session_id,
        line_uuid,
        source_message_id,
        request_id,
        line_session_id,
        created_at
    from {{ ref('stg_claude_code__lines') }}
    where line_uuid is not null
),

uuid_copies as (
    select
        'uuid' as copy_kind,
        line_uuid as copy_key,
        null::string as request_id,
        {{ agent_threads.arg_min('session_id', owner_order) }} as owner_session_id
    from lines
    group by line_uuid
    having count(distinct session_id) > 1
),

response_copies as (
    select
        'response' as copy_kind,
        source_message_id as copy_key,
        request_id,
        {{ agent_threads.arg_min('session_id', owner_order) }} as owner_session_id
    from lines
    where source_message_id is not null
    group by source_message_id, request_id
    having count(distinct session_id) > 1
),

final as (
    select * from uuid_copies
    union all
    select * from response_copies
)

select * from final
