{#
  Days in the user's time zone, for the analyses. Every timestamp in the tables is UTC;
  the dbt var `time_zone` (declared in dbt_project.yml) names the zone the analyses count
  days in: an IANA name (`Europe/Paris`, `Asia/Tokyo`, `UTC`), or empty for the zone of
  the session that runs the compiled SQL (DuckDB: `current_setting('TimeZone')`, the
  machine's zone unless set; Spark: `current_timezone()`).
#}

{# The zone as SQL: a quoted, checked name, or the session's own zone when the var is empty. #}
{% macro report_time_zone() %}
    {{ return(adapter.dispatch('report_time_zone', 'agent_threads')()) }}
{% endmacro %}

{% macro default__report_time_zone() -%}
    {%- set zone = agent_threads.time_zone_var() -%}
    {%- if zone -%} '{{ zone }}' {%- else -%} current_setting('TimeZone') {%- endif -%}
{%- endmacro %}

{% macro spark__report_time_zone() -%}
    {%- set zone = agent_threads.time_zone_var() -%}
    {%- if zone -%} '{{ zone }}' {%- else -%} current_timezone() {%- endif -%}
{%- endmacro %}

{# The calendar date of a UTC timestamp in that zone. #}
{% macro local_date(timestamp_column) %}
    {{ return(adapter.dispatch('local_date', 'agent_threads')(timestamp_column)) }}
{% endmacro %}

{% macro default__local_date(timestamp_column) -%}
    cast(timezone({{ agent_threads.report_time_zone() }}, {{ timestamp_column }}) as date)
{%- endmacro %}

{% macro spark__local_date(timestamp_column) -%}
    to_date(from_utc_timestamp({{ timestamp_column }}, {{ agent_threads.report_time_zone() }}))
{%- endmacro %}

{#
  The var, trimmed; a name that is not a zone name's shape (letters, digits, `_ + - /`)
  stops the compile, so nothing but a zone name reaches the SQL. An unknown zone of the
  right shape is the engine's error (DuckDB: `Unknown TimeZone '<name>'`).
#}
{% macro time_zone_var() %}
    {%- set zone = (var('time_zone', '') or '') | string | trim -%}
    {%- if zone and not modules.re.fullmatch('[A-Za-z0-9_+/-]+', zone) -%}
        {{ exceptions.raise_compiler_error(
            "var time_zone must be an IANA time zone name such as Europe/Paris or UTC, got: " ~ zone
        ) }}
    {%- endif -%}
    {{ return(zone) }}
{% endmacro %}
