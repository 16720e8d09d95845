{#
  One row per tool call of a settled, published session (like messages): the call, its
  input, its output and whether it failed. Replaced per session whenever the session is
  republished.
#}
{{ config(on_schema_change='fail', **agent_threads.replaced_by_key('session_id')) }}

with published as (
    select distinct
        session_id,
        session_revision
    from {{ ref('messages', v=6) }}
),

to_publish as (
    select
        published.session_id,
        published.session_revision
    from published
    {% if is_incremental() %}
        where not exists (
            select 1 from {{ this }} as already
            where
                already.session_id = published.session_id
                and already.session_revision = published.session_revision
        )
    {% endif %}
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
