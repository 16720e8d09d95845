{#
  messages v6, the published dataset: one row per projected message of a settled
  session, partitioned by session_id. A run publishes exactly the settled sessions whose
  landed lines differ from those they were last published with (their revision), and
  replaces each one's rows whole: the pre-hook first deletes the rows of every session
  republished or gone, also where its new version has no message left. Aliased to the relation `messages`, the table a v5
  deployment left, so moving the partition key is a real recreate: see the on-run-start
  guard (macros/schema_version.sql) and `dbt build --full-refresh`.

  The contract's column types are DuckDB's (timestamp with time zone has no Spark
  spelling, and types in YAML cannot be dispatched): it is enforced on DuckDB only.
#}
-- depends_on: {{ ref('int_session_revisions') }}
{{
    config(
        alias='messages',
        contract={'enforced': target.type == 'duckdb'},
        on_schema_change='fail',
        pre_hook="{{ agent_threads.delete_outdated_sessions(
            this, agent_threads.published_revisions_to_keep(this)
        ) }}",
        post_hook="{{ agent_threads.stamp_schema_version(this, model.version) }}",
        **agent_threads.replaced_by_key('session_id'),
    )
}}

with settled as (
    select session_id from {{ ref('int_sessions_settled') }}
    where settle_status = 'settled'
),

costs as (
    select * from {{ ref('int_message_costs') }}
),

projected as (
    select * from {{ ref('int_messages_projected') }}
    where
        session_id in (select settled.session_id from settled)
        {% if is_incremental() %}
            and session_id not in (
                select published.session_id
                from {{ this }} as published
                inner join {{ ref('int_session_revisions') }} as revisions
                    on
                        published.session_id = revisions.session_id
                        and published.session_revision = revisions.session_revision
            )
        {% endif %}
),

priced as (
    select
        projected.*,
        costs.cost_usd
    from projected
    left join costs on projected.message_id = costs.message_id
),

final as (
    select
        message_id,
        session_id,
        conversation_id,
        agent_id,
        parent_thread_id,
        thread_id,
        source_message_id,
        parent_message_id,
        request_id,
        turn_id,
        tool_call_id,
        source,
        role,
        message_kind,
        model,
        text,
        content,
        tool_name,
        stop_reason,
        thread_seq,
        input_tokens,
        cache_read_input_tokens,
        cache_creation_input_tokens,
        cache_creation_5m_input_tokens,
        cache_creation_1h_input_tokens,
        output_tokens,
        reasoning_output_tokens,
        cost_usd,
        source_line,
        is_replayed,
        is_on_main_path,
        is_meta,
        is_error,
        created_at,
        source_file,
        session_revision,
        {{ model.version }} as schema_version
    from priced
)

select * from final
