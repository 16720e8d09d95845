{#
  The config of a model that replaces, each run, the rows of the keys it selects
  (`unique_key`): `{{ config(on_schema_change='fail', **agent_threads.replaced_by_key('k')) }}`.

  DuckDB and Databricks (Delta: REPLACE ON, or delete then insert): incremental
  delete+insert. Open-source Spark writes Parquet tables, which cannot delete rows, and
  insert_overwrite would need one partition per key value (one folder per source file:
  too many, and their names too long): there the model is a table rebuilt each run.
#}
{% macro replaced_by_key(unique_key) %}
    {{ return(adapter.dispatch('replaced_by_key', 'agent_threads')(unique_key)) }}
{% endmacro %}

{% macro default__replaced_by_key(unique_key) %}
    {{ return({
        'materialized': 'incremental',
        'unique_key': unique_key,
        'incremental_strategy': 'delete+insert',
    }) }}
{% endmacro %}

{% macro databricks__replaced_by_key(unique_key) %}
    {{ return(agent_threads.default__replaced_by_key(unique_key)) }}
{% endmacro %}

{% macro spark__replaced_by_key(unique_key) %}
    {{ return({'materialized': 'table'}) }}
{% endmacro %}
