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
