{#
  One row per tool call of a settled, published session (like messages): the call, its
  input, its output and whether it failed. Replaced per session whenever the session is
  republished.
#}
{{
    config(
        on_schema_change='fail',
        pre_hook="{{ agent_threads.delete_outdated_sessions(this, ref('messages', v=6)) }}",
        **agent_threads.replaced_by_key('session_id'),
    )
}}

with to_publish as (
    {{ agent_threads.sessions_to_rebuild(ref('messages', v=6), this, is_incremental()) }}
),

final as (
    select
        tool_call_row_id,
        tool_call_id,
        message_id,
        result_message_id,
        session_id,
        thread_id,
        tool_name,
        tool_input,
        tool_output,
        is_error,
        called_at,
        answered_at,
        session_revision
    from {{ ref('int_tool_calls_paired') }} as paired
    where exists (
        select 1 from to_publish
        where
            to_publish.session_id = paired.session_id
            and to_publish.session_revision = paired.session_revision
    )
)

select * from final
