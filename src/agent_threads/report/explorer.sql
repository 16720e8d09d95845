-- The session explorer's data as one JSON object keyed by session id. Per session: its
-- threads (one lane each, numbered by report_threads.lane), turns, tool calls and
-- compactions, each as columns of numbers (lists in lane, then time, order); times in
-- seconds from the session's first activity, to 0.1 s. Reads the report's analyses,
-- registered as temp views of the same name.
with threads as (
    select * from report_threads
),

turns as (
    select * from report_turns
),

tool_calls as (
    select * from report_tool_calls
),

compactions as (
    select * from report_compactions
),

origins as (
    select
        session_id,
        min(first_activity_at) as origin_at
    from threads
    group by session_id
),

lanes as (
    select
        threads.*,
        origins.origin_at,
        parents.lane as parent_lane
    from threads
    inner join origins on threads.session_id = origins.session_id
    left join threads as parents
        on
            threads.spawned_from_thread_id = parents.thread_id
            and threads.session_id = parents.session_id
),

tool_names as (
    select
        tool_name,
        dense_rank() over (order by tool_name) - 1 as tool_index
    from (select distinct coalesce(tool_name, '(none)') as tool_name from tool_calls) as distinct_tools
),

thread_lists as (
    select
        session_id,
        epoch_ms(min(origin_at)) as origin_ms,
        {
            'id': list(right(split_part(thread_id, '/', -1), 8) order by lane),
            'kind': list(thread_kind order by lane),
            'agent_type': list(agent_type order by lane),
            'model': list(model order by lane),
            'parent': list(parent_lane order by lane),
            'spawned_at': list(round(epoch(spawned_at - origin_at), 1) order by lane),
            'start': list(round(epoch(first_activity_at - origin_at), 1) order by lane),
            'end': list(round(epoch(last_activity_at - origin_at), 1) order by lane),
            'messages': list(message_count order by lane),
            'input_tokens': list(input_tokens order by lane),
            'cache_read_input_tokens': list(cache_read_input_tokens order by lane),
            'output_tokens': list(output_tokens order by lane),
            'tokens': list(total_tokens order by lane),
            'cost_usd': list(round(cost_usd, 6) order by lane)
        } as threads
    from lanes
    group by session_id
),

turn_lists as (
    select
        turns.session_id,
        {
            'lane': list(lanes.lane order by lanes.lane, turns.turn_seq),
            'seq': list(turns.turn_seq order by lanes.lane, turns.turn_seq),
            'start': list(
                round(epoch(turns.started_at - lanes.origin_at), 1) order by lanes.lane, turns.turn_seq
            ),
            'end': list(
                round(epoch(turns.ended_at - lanes.origin_at), 1) order by lanes.lane, turns.turn_seq
            ),
            'tokens': list(turns.total_tokens order by lanes.lane, turns.turn_seq),
            'cost_usd': list(round(turns.cost_usd, 6) order by lanes.lane, turns.turn_seq),
            'tool_calls': list(turns.tool_calls order by lanes.lane, turns.turn_seq),
            'tool_errors': list(turns.tool_errors order by lanes.lane, turns.turn_seq),
            'subagents': list(turns.subagents_spawned order by lanes.lane, turns.turn_seq),
            'interrupted': list(
                cast(turns.is_interrupted as integer) order by lanes.lane, turns.turn_seq
            )
        } as turns
    from turns
    inner join lanes on turns.thread_id = lanes.thread_id
    group by turns.session_id
),

tool_call_lists as (
    select
        tool_calls.session_id,
        {
            'lane': list(lanes.lane order by tool_calls.called_at),
            'start': list(
                round(epoch(tool_calls.called_at - lanes.origin_at), 1) order by tool_calls.called_at
            ),
            'seconds': list(
                round(epoch(tool_calls.answered_at - tool_calls.called_at), 1) order by tool_calls.called_at
            ),
            'tool': list(tool_names.tool_index order by tool_calls.called_at),
            'error': list(cast(tool_calls.is_error as integer) order by tool_calls.called_at)
        } as tool_calls
    from tool_calls
    inner join lanes on tool_calls.thread_id = lanes.thread_id
    inner join tool_names on coalesce(tool_calls.tool_name, '(none)') = tool_names.tool_name
    where tool_calls.called_at is not null
    group by tool_calls.session_id
),

compaction_lists as (
    select
        compactions.session_id,
        {
            'lane': list(lanes.lane order by compactions.created_at),
            'at': list(
                round(epoch(compactions.created_at - lanes.origin_at), 1) order by compactions.created_at
            )
        } as compactions
    from compactions
    inner join lanes on compactions.thread_id = lanes.thread_id
    where compactions.created_at is not null
    group by compactions.session_id
),

final as (
    select
        thread_lists.session_id,
        {
            'origin_ms': thread_lists.origin_ms,
            'threads': thread_lists.threads,
            'turns': turn_lists.turns,
            'tool_calls': tool_call_lists.tool_calls,
            'compactions': compaction_lists.compactions
        } as payload
    from thread_lists
    left join turn_lists on thread_lists.session_id = turn_lists.session_id
    left join tool_call_lists on thread_lists.session_id = tool_call_lists.session_id
    left join compaction_lists on thread_lists.session_id = compaction_lists.session_id
)

select coalesce(json_group_object(session_id, payload), '{}') as sessions
from final
