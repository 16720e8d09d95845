{#
  Total cost of the rows of a group: the sum of `cost_column`, but null when a row that
  carries usage has no cost (its model has no price), so a total is never silently short;
  0 when no row carries usage. `carries_usage` is a boolean SQL expression over the rows.
  Summed as decimals (each message's cost is rounded to 1e-10 USD), so a total does not
  depend on the order rows are summed in: an incremental build equals a clean one.
  Plain aggregate SQL: the same on DuckDB and Spark.
#}
{% macro sum_cost_usd(cost_column, carries_usage='true') %}
    case
        when count(case when {{ cost_column }} is null and ({{ carries_usage }}) then 1 end) > 0
            then null
        else cast(coalesce(sum(cast({{ cost_column }} as decimal(38, 10))), 0) as double)
    end
{% endmacro %}

{#
  The cost outside a session's (or a day's) main thread, in total and per thread kind
  (`threads.thread_kind` but `main`): columns off_main_cost_usd, subagent_cost_usd,
  compaction_cost_usd, warmup_cost_usd, side_question_cost_usd, workflow_cost_usd,
  other_cost_usd, each null when a message it covers has no price (like sum_cost_usd).
  For the analyses; the kinds are the accepted values of threads.thread_kind (a test
  checks the two lists agree).
#}
{% macro off_main_cost_usd_columns(kind_column='thread_kind', cost_column='cost_usd') -%}
    {{ agent_threads.sum_cost_usd(
        'case when ' ~ kind_column ~ " != 'main' then " ~ cost_column ~ ' end',
        kind_column ~ " != 'main'"
    ) }} as off_main_cost_usd
    {%- for kind in ['subagent', 'compaction', 'warmup', 'side_question', 'workflow', 'other'] %},
    {{ agent_threads.sum_cost_usd(
        'case when ' ~ kind_column ~ " = '" ~ kind ~ "' then " ~ cost_column ~ ' end',
        kind_column ~ " = '" ~ kind ~ "'"
    ) }} as {{ kind }}_cost_usd
    {%- endfor %}
{%- endmacro %}

{#
  The cost of what a thread, turn or session logged: sum_cost_usd over its messages, but
  null when none of them carries usage (nothing was logged: the cost is unknown, not
  free). So 0 only where usage was logged and costs nothing. The marts' rule for
  `cost_usd` totals.
#}
{% macro logged_cost_usd(cost_column, carries_usage='true') %}
    case
        when count(case when {{ carries_usage }} then 1 end) = 0 then null
        else {{ agent_threads.sum_cost_usd(cost_column, carries_usage) }}
    end
{% endmacro %}

{#
  The pricing key of a logged model id: the base model its price is listed under in
  seeds/model_prices.csv. `model` itself is kept exactly as logged; only this key is
  normalised. One rule, in this order:
    1. gateway and provider prefixes go: everything up to the last `/`
       (`converse/`, `bedrock/`, `vertex_ai/`, `anthropic/`, `openai/`, `azure/`,
       `openrouter/anthropic/`, LiteLLM model names);
    2. the Bedrock inference-profile prefix goes: `<geo>.anthropic.` (`us.`, `eu.`, `jp.`,
       `apac.`, `au.`, `global.`, ...) or a bare `anthropic.`;
    3. the Bedrock version suffix (`-v1:0`, `-v1`) and the Vertex `@<date>` / `@default`
       suffix go;
    4. a trailing release date goes (`-20250929`, `-2025-08-07`): dated ids take the price
       of their undated name;
    5. Claude version dots become dashes (`anthropic/claude-sonnet-4.5`, OpenRouter
       style, is `claude-sonnet-4-5`); GPT names keep theirs (`gpt-5.1`).
  `us.anthropic.claude-sonnet-4-5-20250929-v1:0`, `claude-sonnet-4-5@20250929`,
  `converse/us.anthropic.claude-sonnet-4-5-20250929-v1:0` and `anthropic/claude-sonnet-4.5`
  all key to `claude-sonnet-4-5`. Patterns are anchored and use no backslash, so DuckDB and
  Spark read them alike. Tested by the dbt unit test on int_message_costs and by
  tests/python/test_cost.py against ccusage.
#}
{% macro price_model_key(model) -%}
    {%- set dated = "regexp_replace(regexp_replace(regexp_replace(" ~ model
        ~ ", '^.*/', ''), '^([a-z-]+[.])?anthropic[.]', ''), '(-v[0-9]+(:[0-9]+)?|@.*)$', '')" -%}
    {%- set undated = "regexp_replace(" ~ dated
        ~ ", '-([0-9]{8}|[0-9]{4}-[0-9]{2}-[0-9]{2})$', '')" -%}
    case
        when {{ undated }} like 'claude-%' then replace({{ undated }}, '.', '-')
        else {{ undated }}
    end
{%- endmacro %}

{#
  True when a logged model id names a Bedrock geographic (regional) cross-region
  inference endpoint: `us.`, `eu.`, `jp.`, `apac.` or `au.` before `anthropic.`, after
  any gateway prefix (`converse/us.anthropic....`). AWS prices these endpoints above its
  `global.` ones for Claude 4.5 and later (the seed's `bedrock_regional_multiplier`);
  `global.`, a bare `anthropic.` and every other id pay the list price.
#}
{% macro is_bedrock_regional_endpoint(model) -%}
    regexp_extract(
        regexp_replace({{ model }}, '^.*/', ''), '^([a-z-]+)[.]anthropic[.]', 1
    ) in ('us', 'eu', 'jp', 'apac', 'au')
{%- endmacro %}

{#
  The token totals of a group, over columns named as on `messages` (OpenTelemetry GenAI
  meaning: cache reads and writes are parts of input_tokens): uncached input, cache
  reads, cache writes, input, output, reasoning output, total. ccusage's `inputTokens`
  is uncached_input_tokens, its `totalTokens` total_tokens.
#}
{% macro token_sums() -%}
    sum(input_tokens - cache_read_input_tokens - cache_creation_input_tokens)
    as uncached_input_tokens,
    sum(cache_read_input_tokens) as cache_read_input_tokens,
    sum(cache_creation_input_tokens) as cache_creation_input_tokens,
    sum(input_tokens) as input_tokens,
    sum(output_tokens) as output_tokens,
    sum(reasoning_output_tokens) as reasoning_output_tokens,
    sum(input_tokens + output_tokens) as total_tokens
{%- endmacro %}

{# A message's token columns, 0 where not logged (the rows token_sums adds up). #}
{% macro token_columns_or_zero() -%}
    coalesce(input_tokens, 0) as input_tokens,
    coalesce(cache_read_input_tokens, 0) as cache_read_input_tokens,
    coalesce(cache_creation_input_tokens, 0) as cache_creation_input_tokens,
    coalesce(output_tokens, 0) as output_tokens,
    coalesce(reasoning_output_tokens, 0) as reasoning_output_tokens
{%- endmacro %}
