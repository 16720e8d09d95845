{#
  The columns together are unique (the project's own version of dbt_utils'
  unique_combination_of_columns; the package hub is unreachable here).
#}
{% test unique_combination(model, columns) %}
    select
        {{ columns | join(', ') }},
        count(*) as occurrences
    from {{ model }}
    group by {{ columns | join(', ') }}
    having count(*) > 1
{% endtest %}
