{# The column is always null (e.g. conversation_id on Claude Code rows). #}
{% test is_null(model, column_name) %}
    select {{ column_name }}
    from {{ model }}
    where {{ column_name }} is not null
{% endtest %}
