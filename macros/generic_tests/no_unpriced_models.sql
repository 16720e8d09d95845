{#
  Warns (never fails) when messages carry token usage but their model has no price in
  the `model_prices` seed (so their cost is null), and names the models in the log. One
  failing row per model, named in `unpriced_model`. Add a row to seeds/model_prices.csv
  to price it.
#}
{% test no_unpriced_models(model) %}
    {{ config(severity='warn') }}
    {% set unpriced_models_query %}
        select
            coalesce(model, '(no model)') || ' (' || count(*)::varchar || ' messages, from '
            || coalesce(min(created_at)::varchar, '?') || ')' as unpriced_model
        from {{ model }}
        where cost_usd is null
        group by model
    {% endset %}
    {{ unpriced_models_query }}
    {{ agent_threads.log_unpriced_models(model, unpriced_models_query) }}
{% endtest %}

{# Names the unpriced models in the build log (when the model is built). #}
{% macro log_unpriced_models(model, unpriced_models_query) %}
    {% if execute and load_relation(model) is not none %}
        {% set unpriced = run_query(
            "select string_agg(unpriced_model, '; ' order by unpriced_model) from ("
            ~ unpriced_models_query ~ ")"
        ) %}
        {% set names = unpriced.columns[0].values()[0] %}
        {% if names %}
            {{ log('Models with no price in seeds/model_prices.csv: ' ~ names, info=true) }}
        {% endif %}
    {% endif %}
{% endmacro %}
