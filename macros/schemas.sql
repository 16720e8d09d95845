{#
  Where relations live. On DuckDB users see in `main` only what the README's "Tables"
  section lists (the marts, messages_v5, dataset_partitions); the layers below have a
  schema each, named as the folders say: `landing`, `staging`, `intermediate`, `seeds`.
  On Spark and Databricks a schema is a database of the metastore: every relation stays
  in the target's one schema, as before.
#}

{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none or target.type != 'duckdb' -%}
        {{ target.schema }}
    {%- else -%}
        {{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}

{#
  A database built before the layers had schemas holds every relation in `main`. At the
  start of a run (on-run-start), each of its tables moves to its layer's schema (copied,
  then dropped from main, in one transaction: the landing cache is never emptied, and an
  incremental table keeps its rows), and its views are dropped (the run recreates them).
  Nothing to do on a database already laid out, or on another target.
#}
{% macro move_layers_out_of_main() %}
    {%- if target.type != 'duckdb' or not execute -%}
        {{ return('') }}
    {%- endif -%}
    {%- set layer_of = {'land_': 'landing', 'base_': 'staging', 'stg_': 'staging', 'int_': 'intermediate'} -%}
    {%- set seeds = ['known_line_types', 'model_prices'] -%}
    {%- set found = run_query(
        "select table_name, table_type from information_schema.tables"
        ~ " where table_catalog = current_database() and table_schema = '" ~ target.schema ~ "'"
    ) -%}
    {%- for row in found.rows -%}
        {%- set name, kind = row[0], row[1] -%}
        {%- set layer = [] -%}
        {%- for prefix, schema in layer_of.items() if name.startswith(prefix) -%}
            {%- do layer.append(schema) -%}
        {%- endfor -%}
        {%- if name in seeds -%}{%- do layer.append('seeds') -%}{%- endif -%}
        {#- the Python models' helper views, left in main by earlier releases -#}
        {%- if name.startswith('at_') and kind == 'VIEW' -%}{%- do layer.append('none') -%}{%- endif -%}
        {%- if layer -%}
            {%- set old = api.Relation.create(
                database=target.database, schema=target.schema, identifier=name,
                type=('view' if kind == 'VIEW' else 'table')
            ) -%}
            {%- set new = old.incorporate(path={'schema': layer[0]}) -%}
            {%- if kind == 'VIEW' -%}
                {%- do run_query('drop view if exists ' ~ old) -%}
            {%- else -%}
                {%- do log(
                    'agent_threads: moving ' ~ target.schema ~ '.' ~ name ~ ' to ' ~ layer[0] ~ '.' ~ name
                    ~ ' (the layers have schemas of their own now)', info=true
                ) -%}
                {%- do run_query(
                    'begin transaction; create schema if not exists ' ~ layer[0] ~ '; '
                    ~ 'drop table if exists ' ~ new ~ '; '
                    ~ 'create table ' ~ new ~ ' as select * from ' ~ old ~ '; '
                    ~ 'drop table ' ~ old ~ '; commit'
                ) -%}
                {%- do adapter.cache_added(new) -%}
            {%- endif -%}
            {%- do adapter.cache_dropped(old) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return('') }}
{% endmacro %}

{#
  A model that became incremental by session keeps, per row, the session revision it was
  built from. Its table from an earlier release has no such column: at the start of a run
  (on-run-start) it is dropped, and the run builds it whole. Only the models that say so
  (`meta: {rebuilt_whole_without: session_revision}`: derived tables, never the landing
  cache nor the published `messages`, whose moves have their own guard) are concerned;
  nothing on other targets.
#}
{% macro drop_tables_missing_session_revision() %}
    {%- if target.type != 'duckdb' or not execute -%}
        {{ return('') }}
    {%- endif -%}
    {%- set candidates = [] -%}
    {%- for node in graph.nodes.values()
        if node.resource_type == 'model'
        and node.config.materialized == 'incremental'
        and node.config.meta.get('rebuilt_whole_without') == 'session_revision' -%}
        {%- do candidates.append("('" ~ node.schema ~ "', '" ~ node.alias ~ "')") -%}
    {%- endfor -%}
    {%- if not candidates -%}
        {{ return('') }}
    {%- endif -%}
    {%- set found = run_query(
        "select tables.table_schema, tables.table_name from information_schema.tables as tables"
        ~ " where tables.table_catalog = current_database() and tables.table_type = 'BASE TABLE'"
        ~ " and (tables.table_schema, tables.table_name) in (" ~ candidates | join(', ') ~ ")"
        ~ " and not exists (select 1 from information_schema.columns as columns"
        ~ " where columns.table_catalog = tables.table_catalog"
        ~ " and columns.table_schema = tables.table_schema"
        ~ " and columns.table_name = tables.table_name"
        ~ " and columns.column_name = 'session_revision')"
    ) -%}
    {%- for row in found.rows -%}
        {%- set existing = api.Relation.create(
            database=target.database, schema=row[0], identifier=row[1], type='table') -%}
        {%- do log(
            'agent_threads: rebuilding ' ~ existing ~ ' whole (it is incremental by session now,'
            ~ ' and its table predates its session_revision column)', info=true
        ) -%}
        {%- do run_query('begin transaction; drop table ' ~ existing ~ '; commit') -%}
        {%- do adapter.cache_dropped(existing) -%}
    {%- endfor -%}
    {{ return('') }}
{% endmacro %}
