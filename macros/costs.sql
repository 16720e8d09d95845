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
