{# ISO-8601 text (UTC, 'Z') to a UTC timestamp; null when it is not a timestamp. #}
{% macro to_utc_timestamp(column) %}
    {{ return(adapter.dispatch('to_utc_timestamp', 'agent_threads')(column)) }}
{% endmacro %}

{% macro default__to_utc_timestamp(column) %}
    try_cast({{ column }} as timestamptz)
{% endmacro %}

{% macro spark__to_utc_timestamp(column) %}
    to_timestamp({{ column }})
{% endmacro %}

{#
  as_of: the var when set (tests pin it), else the start of the run. Rendered as a
  timestamp literal so that every model of one run sees the same instant.
#}
{% macro as_of() %}
    {%- set value = var('as_of', '') -%}
    {%- if value in (none, '') -%}
        {%- set value = run_started_at.strftime('%Y-%m-%d %H:%M:%S.%f') ~ '+00' -%}
    {%- endif -%}
    {#- one expression: sqlfluff mis-indents SQL text that follows a whitespace-stripping tag -#}
    {{- "cast('" ~ value ~ "' as timestamptz)" }}
{% endmacro %}
