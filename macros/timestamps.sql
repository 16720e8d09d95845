{# ISO-8601 text (UTC, 'Z') to a UTC timestamp; null when it is not a timestamp. #}
{% macro to_utc_timestamp(column) %}
    {{ return(adapter.dispatch('to_utc_timestamp', 'agent_threads')(column)) }}
{% endmacro %}

{% macro default__to_utc_timestamp(column) %}
    try_cast({{ column }} as timestamptz)
{% endmacro %}

{#
  Spark also reads a bare year ('2025') or a number as a timestamp; DuckDB does not:
  only text that starts with a date is parsed. Needs spark.sql.session.timeZone=UTC
  (the spark target sets it) for text without an offset to be read as UTC.
#}
{% macro spark__to_utc_timestamp(column) %}
    case
        when {{ column }} rlike '^[0-9]{4}-[0-9]{2}-[0-9]{2}' then try_to_timestamp({{ column }})
    end
{% endmacro %}

{# A constant UTC timestamp from a date ('1970-01-01'). #}
{% macro utc_date_timestamp(date_text) %}
    {{ return(adapter.dispatch('utc_date_timestamp', 'agent_threads')(date_text)) }}
{% endmacro %}

{% macro default__utc_date_timestamp(date_text) -%}
    '{{ date_text }}'::timestamptz
{%- endmacro %}

{% macro spark__utc_date_timestamp(date_text) -%}
    timestamp '{{ date_text }} 00:00:00Z'
{%- endmacro %}
