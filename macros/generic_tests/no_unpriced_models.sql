{#
  Warns (never fails) when messages carry token usage but their model has no price in
  the `model_prices` seed (so their cost is null), and names the models in the log. One
  failing row per model, named in `unpriced_model`. Add a row to seeds/model_prices.csv
  to price it.
#}
{% test no_unpriced_models(model) %}
    {{ config(severity='warn') }}
    {{ agent_threads.unpriced_models_query(model) }}
    {{ agent_threads.log_unpriced_models(model) }}
{% endtest %}

{# One row per model with usage but no price: "<model> (<n> messages, from <first time>)". #}
{% macro unpriced_models_query(model) %}
    select
        coalesce(model, '(no model)') || ' (' || cast(count(*) as string) || ' messages, from '
        || coalesce(cast(min(created_at) as string), '?') || ')' as unpriced_model
    from {{ model }}
    where cost_usd is null
    group by model
{% endmacro %}

{# Names the unpriced models in the build log (when the model is built). #}
{% macro log_unpriced_models(model) %}
    {# a filtered test reads a subquery (macros/tested_rows.sql): its relation exists #}
    {% if execute and (model is string or load_relation(model) is not none) %}
        {% set unpriced = run_query(
            "select " ~ agent_threads.string_agg_ordered('unpriced_model', '; ', ['unpriced_model'])
            ~ " from (" ~ agent_threads.unpriced_models_query(model) ~ ") as unpriced"
        ) %}
        {% set names = unpriced.columns[0].values()[0] %}
        {% if names %}
            {{ log('Models with no price in seeds/model_prices.csv: ' ~ names, info=true) }}
        {% endif %}
    {% endif %}
{% endmacro %}
