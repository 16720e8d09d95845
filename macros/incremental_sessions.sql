{#
  The sessions a model keyed by session replaces this run: each (session_id,
  session_revision) of `upstream` that `existing` (the model's own table) does not hold
  yet; on a first or full run (`incremental` false) every one. Models whose rows are
  replaced whole per session use it as their `changed_sessions` CTE:

      {{ agent_threads.sessions_to_rebuild(ref('messages'), this, is_incremental()) }}

  `incremental` is passed in (the model's `is_incremental()`) rather than called here, so
  the macro renders the same for dbt and for the lint context. Plain SQL on DuckDB and Spark.
#}
{% macro sessions_to_rebuild(upstream, existing, incremental) %}
    select
        upstream_revisions.session_id,
        upstream_revisions.session_revision
    from (
        select distinct
            session_id,
            session_revision
        from {{ upstream }}
    ) as upstream_revisions
    {% if incremental %}
        where not exists (
            select 1 from {{ existing }} as built
            where
                built.session_id = upstream_revisions.session_id
                and built.session_revision = upstream_revisions.session_revision
        )
    {% endif %}
{% endmacro %}

{#
  A pre-hook of the models replaced per session: before the run, delete every row of
  `existing` (the model's own table) whose (session_id, session_revision) is not in
  `current`, the revisions the model should hold. A republished session then loses all
  its old rows, also in a table where its new version has no row left (delete+insert
  alone deletes only the keys it inserts), and a session no longer on disk in any form
  loses its rows. Runs inside the model's transaction; nothing on a first or full run. (The
  Python model int_messages_projected does the same in pipeline.sessions_to_project.)

      pre_hook="{{ agent_threads.delete_outdated_sessions(this, ref('messages')) }}"
#}
{% macro delete_outdated_sessions(existing, current) %}
    {{ return(adapter.dispatch('delete_outdated_sessions', 'agent_threads')(existing, current)) }}
{% endmacro %}

{% macro default__delete_outdated_sessions(existing, current) %}
    {%- if execute and not should_full_refresh() and load_relation(existing) is not none -%}
        delete from {{ existing }} as built
        where not exists (
            select 1 from {{ current }} as wanted
            where
                wanted.session_id = built.session_id
                and wanted.session_revision = built.session_revision
        )
    {%- endif -%}
{% endmacro %}

{# Open-source Spark rebuilds these models whole each run: nothing to delete. #}
{% macro spark__delete_outdated_sessions(existing, current) %}
{% endmacro %}

{#
  What `messages` keeps of its published rows: the current revision of every session,
  and the published revision of a session that is active again (it stays published as
  it was until it settles). A session gone from the landed lines keeps nothing.
#}
{% macro published_revisions_to_keep(existing) %}
    (
        select
            revisions.session_id,
            revisions.session_revision
        from {{ ref('int_session_revisions') }} as revisions
        union all
        select
            kept.session_id,
            kept.session_revision
        from {{ existing }} as kept
        inner join {{ ref('int_sessions_settled') }} as settled
            on kept.session_id = settled.session_id
        where settled.settle_status != 'settled'
    )
{% endmacro %}
