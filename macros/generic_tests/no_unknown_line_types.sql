{#
  Warns (never fails) when the format-drift report holds line types the projection does
  not know, and names them in the log, so a new client release is noticed the day it
  lands. One failing row per unknown type, named in `unknown_line_type`.
#}
{% test no_unknown_line_types(model) %}
    {{ config(severity='warn') }}
    select
        source || ' ' || client_version || ': ' || line_type
        || coalesce('/' || line_subtype, '') || coalesce(' [' || item_type || ']', '')
        || ' (' || line_count::string || ' lines)' as unknown_line_type
    from {{ model }}
    where not is_known_to_projection
    {{ agent_threads.log_unknown_line_types(model) }}
{% endtest %}

{# Names the unknown line types in the build log (when the report is built). #}
{% macro log_unknown_line_types(model) %}
    {% if execute and (model is string or load_relation(model) is not none) %}
        {% set unknown = run_query(
            "select " ~ agent_threads.string_agg_ordered(
                "source || ' ' || client_version || ': ' || line_type"
                ~ " || coalesce('/' || line_subtype, '') || coalesce(' [' || item_type || ']', '')"
                ~ " || ' (' || line_count::string || ' lines)'",
                '; ',
                ['source', 'client_version', 'line_type', 'line_subtype', 'item_type']
            ) ~ " from " ~ model ~ " where not is_known_to_projection"
        ) %}
        {% set names = unknown.columns[0].values()[0] %}
        {% if names %}
            {{ log('Line types unknown to the projection: ' ~ names, info=true) }}
        {% endif %}
    {% endif %}
{% endmacro %}
