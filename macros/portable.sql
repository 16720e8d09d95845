{#
  SQL that DuckDB and Spark spell differently, one macro per construct. DuckDB is the
  default__ body (the SQL the models always had); spark__ serves dbt-spark and, through
  dbt-databricks' dispatch order (databricks__, spark__, default__), Databricks.
#}

{#
  arg_max / arg_min: the value of `arg` on the row with the largest / smallest `val`.
  DuckDB skips rows where either is null; Spark's max_by skips only a null `val`, so the
  Spark body nulls `val` where `arg` is null.
#}
{% macro arg_max(arg, val) %}
    {{ return(adapter.dispatch('arg_max', 'agent_threads')(arg, val)) }}
{% endmacro %}

{% macro default__arg_max(arg, val) -%}
    arg_max({{ arg }}, {{ val }})
{%- endmacro %}

{% macro spark__arg_max(arg, val) -%}
    max_by({{ arg }}, case when {{ arg }} is not null then {{ val }} end)
{%- endmacro %}

{% macro arg_min(arg, val) %}
    {{ return(adapter.dispatch('arg_min', 'agent_threads')(arg, val)) }}
{% endmacro %}

{% macro default__arg_min(arg, val) -%}
    arg_min({{ arg }}, {{ val }})
{%- endmacro %}

{% macro spark__arg_min(arg, val) -%}
    min_by({{ arg }}, case when {{ arg }} is not null then {{ val }} end)
{%- endmacro %}

{# A struct of named fields (a dict name -> expression, in order); structs compare field by field. #}
{% macro struct_pack(fields) %}
    {{ return(adapter.dispatch('struct_pack', 'agent_threads')(fields)) }}
{% endmacro %}

{% macro default__struct_pack(fields) -%}
    {%- set parts = [] -%}
    {%- for name, expression in fields.items() -%}
        {%- do parts.append(name ~ ' := ' ~ expression) -%}
    {%- endfor -%}
    struct_pack({{ parts | join(', ') }})
{%- endmacro %}

{% macro spark__struct_pack(fields) -%}
    {%- set parts = [] -%}
    {%- for name, expression in fields.items() -%}
        {%- do parts.append("'" ~ name ~ "', " ~ expression) -%}
    {%- endfor -%}
    named_struct({{ parts | join(', ') }})
{%- endmacro %}

{# Every column but `columns` (a list of names). #}
{% macro star_except(columns) %}
    {{ return(adapter.dispatch('star_except', 'agent_threads')(columns)) }}
{% endmacro %}

{% macro default__star_except(columns) -%}
    * exclude ({{ columns | join(', ') }})
{%- endmacro %}

{% macro spark__star_except(columns) -%}
    * except ({{ columns | join(', ') }})
{%- endmacro %}

{#
  `name as {{ cte_materialized() }} (...)`: DuckDB computes the CTE once for all its
  readers; Spark has no such hint (it reuses exchanges on its own).
#}
{% macro cte_materialized() %}
    {{ return(adapter.dispatch('cte_materialized', 'agent_threads')()) }}
{% endmacro %}

{% macro default__cte_materialized() -%}
    materialized
{%- endmacro %}

{% macro spark__cte_materialized() -%}
{%- endmacro %}

{#
  For every node of the forests in `edges` (columns `group`, `node`, `parent`): the root
  its parent links lead to, as `root` (the smallest one when a node is reached from
  several). A node whose parent is not in its group is a root. Nodes on a cycle get none.

  DuckDB walks down from the roots with a recursive CTE. Spark re-evaluates a recursive
  CTE's inputs on every level (a chain 400 lines deep re-reads the raw files 400 times),
  so there each group's links become a map and pointer jumping (17 rounds: chains up to
  131,072 deep) takes every node to its root in one aggregation. A node listed twice
  in one group keeps its smallest parent there.
#}
{% macro tree_roots(edges, group, node, parent, root) %}
    {{ return(adapter.dispatch('tree_roots', 'agent_threads')(edges, group, node, parent, root)) }}
{% endmacro %}

{% macro default__tree_roots(edges, group, node, parent, root) %}
    select * from (
        with recursive walk ({{ group }}, {{ node }}, {{ root }}, depth) as (
            select
                child.{{ group }},
                child.{{ node }},
                child.{{ node }} as {{ root }},
                0 as depth
            from {{ edges }} as child
            where
                not exists (
                    select 1
                    from {{ edges }} as parent
                    where
                        parent.{{ group }} = child.{{ group }}
                        and parent.{{ node }} = child.{{ parent }}
                )
            union
            select
                child.{{ group }},
                child.{{ node }},
                walk.{{ root }},
                walk.depth + 1 as depth
            from walk
            inner join {{ edges }} as child
                on
                    walk.{{ group }} = child.{{ group }}
                    and walk.{{ node }} = child.{{ parent }}
            where walk.depth < 100000
        )

        select
            {{ group }},
            {{ node }},
            min({{ root }}) as {{ root }}
        from walk
        group by {{ group }}, {{ node }}
    ) as walked
{% endmacro %}

{# `rounds` rounds of pointer jumping over the map `links` (each node -> its node's node). #}
{% macro spark_pointer_jumps(links, rounds) %}
    {%- set jumped = namespace(expression=links) -%}
    {%- for round in range(rounds) -%}
        {%- set step = 'j' ~ round -%}
        {%- set jumped.expression = 'element_at(transform(array(' ~ jumped.expression ~ '), ' ~ step
            ~ ' -> transform_values(' ~ step ~ ', (k, v) -> try_element_at(' ~ step ~ ', v))), 1)' -%}
    {%- endfor -%}
    {{ return(jumped.expression) }}
{% endmacro %}

{#- up: a node's parent when the parent is in the group, else the node itself (a root) -#}
{% macro spark__tree_roots(edges, group, node, parent, root) %}
    select
        {{ group }},
        {{ node }},
        {{ root }}
    from (
        select
            {{ group }},
            explode(element_at(transform(
                array(transform_values(links, (k, v) -> case when map_contains_key(links, v) then v else k end)),
                up -> transform_values(
                    {{ agent_threads.spark_pointer_jumps('up', 17) }},
                    (k, v) -> case when try_element_at(up, v) = v then v end
                )
            ), 1)) as ({{ node }}, {{ root }})
        from (
            select
                {{ group }},
                map_from_entries(collect_list(struct({{ node }}, {{ parent }}))) as links
            from (
                select {{ group }}, {{ node }}, min({{ parent }}) as {{ parent }}
                from {{ edges }}
                group by {{ group }}, {{ node }}
            ) as unique_links
            group by {{ group }}
        ) as linked
    ) as walked
    where {{ root }} is not null
{% endmacro %}

{#
  An order-independent digest of a set of rows: the sum of a 64-bit hash of `columns`,
  as text. The value differs between engines (each has its own hash); within one engine
  it changes whenever a row is added or removed.
#}
{% macro sum_of_hashes(columns) %}
    {{ return(adapter.dispatch('sum_of_hashes', 'agent_threads')(columns)) }}
{% endmacro %}

{% macro default__sum_of_hashes(columns) -%}
    sum(hash({{ columns | join(', ') }}))
{%- endmacro %}

{% macro spark__sum_of_hashes(columns) -%}
    sum(cast(xxhash64({{ columns | join(', ') }}) as decimal(38, 0)))
{%- endmacro %}

{# One row per element of a list, and one null row for a null or empty list (in a select list). #}
{% macro unnest_or_null(column) %}
    {{ return(adapter.dispatch('unnest_or_null', 'agent_threads')(column)) }}
{% endmacro %}

{% macro default__unnest_or_null(column) -%}
    unnest(case when len(coalesce({{ column }}, [])) = 0 then [null] else {{ column }} end)
{%- endmacro %}

{% macro spark__unnest_or_null(column) -%}
    explode_outer({{ column }})
{%- endmacro %}

{# The values of `expression` joined by `separator`, in the order of `order_by` (a list of columns). #}
{% macro string_agg_ordered(expression, separator, order_by) %}
    {{ return(adapter.dispatch('string_agg_ordered', 'agent_threads')(expression, separator, order_by)) }}
{% endmacro %}

{% macro default__string_agg_ordered(expression, separator, order_by) -%}
    string_agg({{ expression }}, '{{ separator }}' order by {{ order_by | join(', ') }})
{%- endmacro %}

{% macro spark__string_agg_ordered(expression, separator, order_by) -%}
    string_agg({{ expression }}, '{{ separator }}') within group (order by {{ order_by | join(', ') }})
{%- endmacro %}

{# The sorted distinct non-null values of `expression` over the rows where `condition` holds. #}
{% macro sorted_distinct_list(expression, condition='true') %}
    {{ return(adapter.dispatch('sorted_distinct_list', 'agent_threads')(expression, condition)) }}
{% endmacro %}

{% macro default__sorted_distinct_list(expression, condition) -%}
    list_sort(list_distinct(list({{ expression }}) filter (where {{ condition }})))
{%- endmacro %}

{% macro spark__sorted_distinct_list(expression, condition) -%}
    array_sort(collect_set({{ expression }}) filter (where {{ condition }}))
{%- endmacro %}

{# The sorted distinct values of the lists in `column`, over the rows of a group. #}
{% macro sorted_distinct_union(column) %}
    {{ return(adapter.dispatch('sorted_distinct_union', 'agent_threads')(column)) }}
{% endmacro %}

{% macro default__sorted_distinct_union(column) -%}
    list_sort(list_distinct(flatten(list({{ column }}))))
{%- endmacro %}

{% macro spark__sorted_distinct_union(column) -%}
    array_sort(array_distinct(flatten(collect_list({{ column }}))))
{%- endmacro %}

{# An empty list of strings. #}
{% macro empty_list() %}
    {{ return(adapter.dispatch('empty_list', 'agent_threads')()) }}
{% endmacro %}

{% macro default__empty_list() -%}
    []
{%- endmacro %}

{% macro spark__empty_list() -%}
    cast(array() as array<string>)
{%- endmacro %}

{# The last non-null value of `column` in a window (write `over (...)` after it). #}
{% macro last_non_null(column) %}
    {{ return(adapter.dispatch('last_non_null', 'agent_threads')(column)) }}
{% endmacro %}

{% macro default__last_non_null(column) -%}
    last_value({{ column }} ignore nulls)
{%- endmacro %}

{% macro spark__last_non_null(column) -%}
    last_value({{ column }}) ignore nulls
{%- endmacro %}

{#
  Does the text match the regular expression somewhere? `pattern` is the expression
  itself (no quotes); backslashes are the regex's own (Spark reads it as a raw string).
#}
{% macro regexp_matches(column, pattern) %}
    {{ return(adapter.dispatch('regexp_matches', 'agent_threads')(column, pattern)) }}
{% endmacro %}

{% macro default__regexp_matches(column, pattern) -%}
    regexp_matches({{ column }}, '{{ pattern }}')
{%- endmacro %}

{% macro spark__regexp_matches(column, pattern) -%}
    ({{ column }} rlike r'{{ pattern }}')
{%- endmacro %}

{# Seconds from `start` to `stop`, to the millisecond, as a double. #}
{% macro seconds_between(start, stop) %}
    {{ return(adapter.dispatch('seconds_between', 'agent_threads')(start, stop)) }}
{% endmacro %}

{% macro default__seconds_between(start, stop) -%}
    date_diff('millisecond', {{ start }}, {{ stop }}) / 1000.0
{%- endmacro %}

{% macro spark__seconds_between(start, stop) -%}
    timestampdiff(millisecond, {{ start }}, {{ stop }}) / 1000.0d
{%- endmacro %}

{#
  Every column of `relation` but `excluded`, with `replaced` (name -> expression) in
  place of the column of that name. DuckDB: `* exclude (...) replace (...)`. Spark has no
  REPLACE: the columns are listed, in the relation's order, when the model runs.
#}
{% macro star_except_replace(relation, excluded, replaced) %}
    {{ return(adapter.dispatch('star_except_replace', 'agent_threads')(relation, excluded, replaced)) }}
{% endmacro %}

{% macro default__star_except_replace(relation, excluded, replaced) -%}
    {%- set replacements = [] -%}
    {%- for name, expression in replaced.items() -%}
        {%- do replacements.append(expression ~ ' as ' ~ name) -%}
    {%- endfor -%}
    * exclude ({{ excluded | join(', ') }}) replace ({{ replacements | join(', ') }})
{%- endmacro %}

{% macro spark__star_except_replace(relation, excluded, replaced) -%}
    {%- if not execute -%}
        {{ return('*') }}
    {%- endif -%}
    {%- set columns = [] -%}
    {%- for column in adapter.get_columns_in_relation(relation) -%}
        {%- if column.name not in excluded -%}
            {%- do columns.append(replaced[column.name] ~ ' as ' ~ column.name
                if column.name in replaced else column.name) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(columns | join(', ')) }}
{%- endmacro %}
