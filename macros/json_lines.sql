{#
  JSON parsing, written once per engine. A schema is a dict of field -> type, where a
  type is 'VARCHAR', 'BIGINT', 'DOUBLE', 'BOOLEAN', 'JSON' (kept as JSON text) or a
  nested dict. Fields that are missing or of another type come out null; a line that
  is not JSON comes out null as a whole.
#}

{% macro parse_json_object(column, schema) %}
    {{ return(adapter.dispatch('parse_json_object', 'agent_threads')(column, schema)) }}
{% endmacro %}

{% macro default__parse_json_object(column, schema) %}
    try(from_json({{ column }}, '{{ tojson(schema) }}'))
{% endmacro %}

{% macro spark__parse_json_object(column, schema) %}
    from_json({{ column }}, '{{ agent_threads.spark_ddl(schema) }}', map('mode', 'PERMISSIVE'))
{% endmacro %}

{% macro spark_ddl(schema) -%}
    {%- set spark_types = {
        'VARCHAR': 'string',
        'BIGINT': 'bigint',
        'DOUBLE': 'double',
        'BOOLEAN': 'boolean',
        'JSON': 'string',
    } -%}
    {%- set parts = [] -%}
    {%- for name, kind in schema.items() -%}
        {%- if kind is mapping -%}
            {%- do parts.append('`' ~ name ~ '`: struct<' ~ agent_threads.spark_ddl(kind) ~ '>') -%}
        {%- else -%}
            {%- do parts.append('`' ~ name ~ '`: ' ~ spark_types[kind]) -%}
        {%- endif -%}
    {%- endfor -%}
    {{- parts | join(', ') -}}
{%- endmacro %}

{# Is the text a JSON object (not an array or a scalar)? Cheap: no second parse. #}
{% macro is_json_object_text(column) %}
    {{ return(adapter.dispatch('is_json_object_text', 'agent_threads')(column)) }}
{% endmacro %}

{% macro default__is_json_object_text(column) %}
    starts_with(ltrim({{ column }}), '{')
{% endmacro %}

{% macro spark__is_json_object_text(column) %}
    startswith(ltrim({{ column }}), '{')
{% endmacro %}
