{#
  Which rows a data test reads. dbt's own rule (a test's `where` config) stays; on a
  plain `make build` (the build sets AGENT_THREADS_TESTED_ROWS=written) a test of a
  model keyed by session reads only the rows of the sessions the run wrote: those whose
  state (intermediate.int_session_states: revision, settle status) differs from the copy
  the last successful plain build kept. So the tests of one new session cost what that
  session costs, not what the corpus holds. Every other run (`make test`, `dbt build`,
  `--full-refresh`, `make build DBT_ARGS=...`) and a first build test every row, as
  does a plain build for a model without a `session_id` column, unless its
  `meta.written_rows_via` ({model, key}) names the keyed model whose written rows hold
  its rows (messages v5: the v6 rows, by message_id).
#}
{% macro default__get_where_subquery(relation) -%}
    {%- set where = config.get('where', '') -%}
    {%- set written = agent_threads.written_sessions_condition(relation) -%}
    {%- if where or written -%}
        {%- set conditions = [where, written] | select | join(' and ') -%}
        {%- set filtered -%}
            (select * from {{ relation }} where {{ conditions }}) dbt_subquery
        {%- endset -%}
        {%- do return(filtered) -%}
    {%- else -%}
        {%- do return(relation) -%}
    {%- endif -%}
{%- endmacro %}

{# The condition that keeps the rows of the sessions this run wrote ('' : every row). #}
{% macro written_sessions_condition(relation) -%}
    {%- if not execute or env_var('AGENT_THREADS_TESTED_ROWS', 'all') != 'written' -%}
        {%- do return('') -%}
    {%- endif -%}
    {%- set states = graph.nodes.values()
        | selectattr('resource_type', 'equalto', 'model')
        | selectattr('name', 'equalto', 'int_session_states') | list -%}
    {%- set kept = adapter.get_relation(
        database=relation.database, schema='landing',
        identifier='agent_threads_sessions_at_last_build') -%}
    {%- if not states or kept is none -%}
        {%- do return('') -%}
    {%- endif -%}
    {#- the tested model's documented columns (every column is documented: a test checks) -#}
    {%- set tested = graph.nodes.get(model.get('attached_node') or '', {}) -%}
    {%- set changed -%}
        select session_id from (
            select session_id, session_revision, settle_status
            from {{ states[0].relation_name }}
            except
            select session_id, session_revision, settle_status from {{ kept }}
        )
    {%- endset -%}
    {%- if 'session_id' in tested.get('columns', {}) -%}
        {%- do return('session_id in (' ~ changed ~ ')') -%}
    {%- endif -%}
    {#- a model without session_id names the keyed model whose written rows are its own -#}
    {%- set via = tested.get('config', {}).get('meta', {}).get('written_rows_via') -%}
    {%- if via -%}
        {%- for keyed in graph.nodes.values()
            | selectattr('resource_type', 'equalto', 'model')
            | selectattr('name', 'equalto', via.model)
            if 'session_id' in keyed.columns -%}
            {%- do return(
                via.key ~ ' in (select ' ~ via.key ~ ' from ' ~ keyed.relation_name
                ~ ' where session_id in (' ~ changed ~ '))'
            ) -%}
        {%- endfor -%}
    {%- endif -%}
    {%- do return('') -%}
{%- endmacro %}
