{#
  A run's DuckDB memory limit, set at its start (on-run-start). DuckDB spills to disk past
  it; its buffer pool also caches table data up to it, so the limit is what a run's
  memory grows to. The first that is set wins:
  - AGENT_THREADS_MEMORY_LIMIT, the user's (raise it for logs holding single lines of
    more than ~50 MB);
  - AGENT_THREADS_RUN_MEMORY_LIMIT, which a plain `make build` sets from the log bytes it
    will land (src/agent_threads/build.py: one new session runs in 512MB);
  - 3GB.
  Read at run time only, so the manifest never depends on it (a profile setting would
  also be set again by dbt-duckdb on every cursor, over this one). A value that is not a
  size is refused.
#}
{% macro apply_run_memory_limit() %}
    {%- if not execute or target.type != 'duckdb' -%}
        {{ return('') }}
    {%- endif -%}
    {%- set limit = (
        env_var('AGENT_THREADS_MEMORY_LIMIT', '') | trim
        or env_var('AGENT_THREADS_RUN_MEMORY_LIMIT', '') | trim
        or '3GB'
    ) -%}
    {%- if not modules.re.fullmatch('[0-9]+(\\.[0-9]+)?\\s*[KMGT]i?B', limit) -%}
        {{ exceptions.raise_compiler_error(
            "the memory limit must be a size such as 512MB or 3GB, not '" ~ limit ~ "'"
        ) }}
    {%- endif -%}
    {%- do run_query("set memory_limit = '" ~ limit ~ "'") -%}
    {%- do log('agent_threads: memory limit of this run: ' ~ limit, info=false) -%}
    {{ return('') }}
{% endmacro %}
