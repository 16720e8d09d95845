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
