{#
  The published table records the schema version that built it, in its table comment.
  A table with no stamp and no session_id column was left by a v5 deployment.

  check_published_schema_version() runs at the start of every run (on-run-start): an
  incremental run against a table built by another version stops before any model runs,
  naming both versions and the command that migrates. `--full-refresh` recreates the
  table and backfills every session from the raw landing cache.
#}

{% macro stamp_schema_version(relation, version) %}
    comment on table {{ relation }} is 'agent_threads schema_version={{ version }}'
{% endmacro %}

{% macro published_schema_version(relation_name='messages') %}
    {%- set relation = adapter.get_relation(
        database=target.database, schema=target.schema, identifier=relation_name
    ) -%}
    {%- if relation is none -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set row = agent_threads.table_comment_and_session_id_columns(relation) -%}
    {%- set comment = row[0] or '' -%}
    {%- if 'schema_version=' in comment -%}
        {{ return(comment.split('schema_version=')[1].split()[0] | int) }}
    {%- elif row[1] == 0 -%}
        {{ return(5) }}
    {%- else -%}
        {{ return(none) }}
    {%- endif -%}
{% endmacro %}

{# (the table's comment, how many session_id columns it has) #}
{% macro table_comment_and_session_id_columns(relation) %}
    {{ return(adapter.dispatch('table_comment_and_session_id_columns', 'agent_threads')(relation)) }}
{% endmacro %}

{% macro default__table_comment_and_session_id_columns(relation) %}
    {%- set query -%}
        select
            (
                select any_value(comment) from duckdb_tables()
                where schema_name = '{{ relation.schema }}' and table_name = '{{ relation.identifier }}'
            ) as table_comment,
            (
                select count(*) from duckdb_columns()
                where
                    schema_name = '{{ relation.schema }}'
                    and table_name = '{{ relation.identifier }}'
                    and column_name = 'session_id'
            ) as session_id_columns
    {%- endset -%}
    {{ return(run_query(query).rows[0]) }}
{% endmacro %}

{% macro spark__table_comment_and_session_id_columns(relation) %}
    {%- set comment = [] -%}
    {%- for row in run_query('describe table extended ' ~ relation).rows -%}
        {%- if row[0] == 'Comment' -%}{%- do comment.append(row[1]) -%}{%- endif -%}
    {%- endfor -%}
    {%- set columns = adapter.get_columns_in_relation(relation)
        | selectattr('name', 'equalto', 'session_id') | list -%}
    {{ return([comment[0] if comment else none, columns | length]) }}
{% endmacro %}

{#
  The schema version this project publishes: the `latest_version` of the `messages`
  model in models/marts/_marts__models.yml, its one definition (the Python package's
  agent_threads.SCHEMA_VERSION is pinned equal to it by a test).
#}
{% macro latest_schema_version() %}
    {%- set versions = [] -%}
    {%- for node in graph.nodes.values()
        if node.resource_type == 'model' and node.name == 'messages' and node.latest_version -%}
        {%- do versions.append(node.latest_version | int) -%}
    {%- endfor -%}
    {{ return(versions | max if versions else none) }}
{% endmacro %}

{% macro check_published_schema_version(expected=none) %}
    {%- if execute and not flags.FULL_REFRESH -%}
        {%- set expected = expected or agent_threads.latest_schema_version() -%}
        {%- set found = agent_threads.published_schema_version('messages') -%}
        {%- if found is not none and found != expected -%}
            {{ exceptions.raise_compiler_error(
                "The published table main.messages was built by schema v" ~ found
                ~ ", but this project builds schema v" ~ expected ~ ". v" ~ expected
                ~ " moves the partition key to session_id, so the table must be recreated"
                ~ " and backfilled from the raw landing cache: run `dbt build --full-refresh`"
                ~ " (or `make build DBT_ARGS=--full-refresh`). Nothing was changed."
            ) }}
        {%- endif -%}
    {%- endif -%}
{% endmacro %}

{#
  dbt-duckdb 1.11.1 leaves a <model>__dbt_tmp<timestamp> table behind after every
  incremental run of a Python model; drop them (post-hook of those models).
#}
{% macro drop_leftover_tmp_tables(relation) %}
    {{ return(adapter.dispatch('drop_leftover_tmp_tables', 'agent_threads')(relation)) }}
{% endmacro %}

{% macro default__drop_leftover_tmp_tables(relation) %}
    {#- dbt-duckdb writes a Python model's incremental temp table to the target's schema
        (main), not to the model's own schema: both are looked in -#}
    {%- if execute -%}
        {%- set query -%}
            select schema_name, table_name from duckdb_tables()
            where schema_name in ('{{ relation.schema }}', '{{ target.schema }}')
              and table_name like '{{ relation.identifier }}__dbt_tmp%'
        {%- endset -%}
        {%- for row in run_query(query).rows -%}
            {%- do run_query('drop table if exists ' ~ row[0] ~ '."' ~ row[1] ~ '"') -%}
        {%- endfor -%}
    {%- endif -%}
    select 1
{% endmacro %}

{# Spark: dbt-spark and dbt-databricks leave no such table. #}
{% macro spark__drop_leftover_tmp_tables(relation) %}
    select 1
{% endmacro %}
