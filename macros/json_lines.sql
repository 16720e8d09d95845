{#
  JSON parsing, written once per engine. A schema is a dict of field -> type, where a
  type is 'VARCHAR', 'BIGINT', 'DOUBLE', 'BOOLEAN', 'JSON' (kept as JSON text) or a
  nested dict. Fields that are missing or of another type come out null; a line that
  is not JSON (or is JSON null) comes out null as a whole; valid JSON that is not an
  object comes out as a struct of nulls.
#}

{% macro parse_json_object(column, schema) %}
    {{ return(adapter.dispatch('parse_json_object', 'agent_threads')(column, schema)) }}
{% endmacro %}

{% macro default__parse_json_object(column, schema) %}
    try(from_json({{ column }}, '{{ tojson(schema) }}'))
{% endmacro %}

{#
  Spark gives DuckDB's answer in three steps, in one expression (a lambda binds the
  parses once):
  - `text`: from_json with every field as DuckDB types it, except that a 'JSON' field is
    a string (Spark writes an object or array back as compact JSON text, as DuckDB does,
    but a string value comes out unquoted);
  - `json`: only the 'JSON' fields, as VARIANT: a 'JSON' field that holds a string is
    written back as its JSON text (quoted and escaped, as DuckDB keeps it);
  - Spark turns a non-object or invalid line into a struct of nulls with
    `_corrupt_record` set, and so does a type mismatch in one field (partial results):
    the line counts as JSON when it parses strictly and is not JSON null. from_json alone
    is not strict: a line cut inside the string of a field the schema does not name (a
    half-written line) parses without `_corrupt_record`. So the line must also parse as a
    VARIANT (`strict`: try_parse_json, null when it does not parse; is_variant_null of
    a SQL null is false, not null), except past 4 million characters (the VARIANT limit
    is 16 MiB), where from_json's answer stands.
  Known differences: a string where a number belongs ("11") is null on Spark (DuckDB casts
  it); a duplicated key keeps its last value on Spark, its first on DuckDB.
#}
{% macro spark__parse_json_object(column, schema) %}
    {%- set json_schema = agent_threads.json_leaves(schema) -%}
    element_at(transform(
        array(named_struct(
            'raw', {{ column }},
            'text', from_json(
                {{ column }},
                '{{ agent_threads.spark_ddl(schema) }}, _corrupt_record string',
                map('mode', 'PERMISSIVE', 'columnNameOfCorruptRecord', '_corrupt_record')
            ),
            'json', {% if json_schema %}from_json({{ column }}, '{{ agent_threads.spark_ddl(json_schema, variant_json=true) }}'){% else %}cast(null as string){% endif %},
            'strict', case when length({{ column }}) <= 4000000 then try_parse_json({{ column }}) end
        )),
        p -> case
            when
                case
                    when length(p.raw) > 4000000 then p.text._corrupt_record is null
                    else p.strict is not null and not is_variant_null(p.strict)
                end
                then {{ agent_threads.spark_rebuild('p.text', 'p.json', schema) }}
        end
    ), 1)
{% endmacro %}

{# The schema as a Spark DDL string (top level `name type`, nested `struct<name: type>`). #}
{% macro spark_ddl(schema, variant_json=false, nested=false) -%}
    {%- set spark_types = {
        'VARCHAR': 'string',
        'BIGINT': 'bigint',
        'DOUBLE': 'double',
        'BOOLEAN': 'boolean',
        'JSON': 'variant' if variant_json else 'string',
    } -%}
    {%- set separator = ': ' if nested else ' ' -%}
    {%- set parts = [] -%}
    {%- for name, kind in schema.items() -%}
        {%- if kind is mapping -%}
            {%- do parts.append(
                '`' ~ name ~ '`' ~ separator ~ 'struct<'
                ~ agent_threads.spark_ddl(kind, variant_json, nested=true) ~ '>'
            ) -%}
        {%- else -%}
            {%- do parts.append('`' ~ name ~ '`' ~ separator ~ spark_types[kind]) -%}
        {%- endif -%}
    {%- endfor -%}
    {{- parts | join(', ') -}}
{%- endmacro %}

{# The part of a schema that leads to 'JSON' fields (an empty dict when there is none). #}
{% macro json_leaves(schema) %}
    {%- set kept = {} -%}
    {%- for name, kind in schema.items() -%}
        {%- set inner = agent_threads.json_leaves(kind) if kind is mapping else {} -%}
        {%- if inner or kind == 'JSON' -%}
            {%- do kept.update({name: inner or kind}) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(kept) }}
{% endmacro %}

{# The struct of `text` with each 'JSON' field that holds a string taken, quoted, from `json`. #}
{% macro spark_rebuild(text, json, schema) -%}
    {%- set fields = [] -%}
    {%- for name, kind in schema.items() -%}
        {%- set text_field = text ~ '.`' ~ name ~ '`' -%}
        {%- set json_field = json ~ '.`' ~ name ~ '`' -%}
        {%- set nested = kind is mapping and agent_threads.json_leaves(kind) -%}
        {%- set value = text_field -%}
        {%- if nested -%}
            {%- set value = agent_threads.spark_rebuild(text_field, json_field, kind) -%}
        {%- endif -%}
        {%- if kind == 'JSON' -%}
            {%- set value = 'case when schema_of_variant(' ~ json_field ~ ") = 'STRING' then to_json("
                ~ json_field ~ ') else ' ~ agent_threads.spark_unescape_surrogates(text_field) ~ ' end' -%}
        {%- endif -%}
        {%- do fields.append("'" ~ name ~ "', " ~ value) -%}
    {%- endfor -%}
    case when {{ text }} is not null then named_struct({{ fields | join(', ') }}) end
{%- endmacro %}

{#
  Spark writes a character outside the BMP (an emoji) inside JSON text as an escaped
  surrogate pair (\uD83D\uDE00); DuckDB writes the character. Each distinct pair in the
  text is decoded once.
#}
{% macro spark_unescape_surrogates(text) -%}
    case
        when instr({{ text }}, r'\u') > 0
            then aggregate(
                array_distinct(regexp_extract_all(
                    {{ text }}, r'\\u[dD][89abAB][0-9a-fA-F]{2}\\u[dD][c-fC-F][0-9a-fA-F]{2}', 0
                )),
                {{ text }},
                (unescaped, pair) -> replace(unescaped, pair, from_json(concat('["', pair, '"]'), 'array<string>')[0])
            )
        else {{ text }}
    end
{%- endmacro %}

{# Is the text a JSON object (not an array or a scalar)? Cheap: no second parse. #}
{% macro is_json_object_text(column) %}
    {{ return(adapter.dispatch('is_json_object_text', 'agent_threads')(column)) }}
{% endmacro %}

{% macro default__is_json_object_text(column) %}
    starts_with(ltrim({{ column }}), '{')
{% endmacro %}

{% macro spark__is_json_object_text(column) %}
    startswith(ltrim({{ column }}), '{')
{% endmacro %}

{#
  The value at a JSON path of JSON text, as text: a string unquoted, an object or array
  as JSON text, null when the path is missing or holds JSON null.
#}
{% macro json_extract_string(column, path) %}
    {{ return(adapter.dispatch('json_extract_string', 'agent_threads')(column, path)) }}
{% endmacro %}

{% macro default__json_extract_string(column, path) -%}
    json_extract_string({{ column }}, '{{ path }}')
{%- endmacro %}

{% macro spark__json_extract_string(column, path) -%}
    get_json_object({{ column }}, '{{ path }}')
{%- endmacro %}

{# Is the JSON text an array? #}
{% macro is_json_array(column) %}
    {{ return(adapter.dispatch('is_json_array', 'agent_threads')(column)) }}
{% endmacro %}

{% macro default__is_json_array(column) -%}
    json_type({{ column }}) = 'ARRAY'
{%- endmacro %}

{% macro spark__is_json_array(column) -%}
    startswith(ltrim({{ column }}), '[')
{%- endmacro %}

{# The distinct non-null values of `field` over the items of a JSON array, as a list. #}
{% macro json_array_distinct_field(column, field) %}
    {{ return(adapter.dispatch('json_array_distinct_field', 'agent_threads')(column, field)) }}
{% endmacro %}

{% macro default__json_array_distinct_field(column, field) -%}
    list_distinct(json_extract_string({{ column }}, '$[*].{{ field }}'))
{%- endmacro %}

{% macro spark__json_array_distinct_field(column, field) -%}
    array_distinct(filter(
        transform(from_json({{ column }}, 'array<string>'), item -> get_json_object(item, '$.{{ field }}')),
        value -> value is not null
    ))
{%- endmacro %}

{# The value at a JSON path as JSON text (an object or array as written, a string quoted). #}
{% macro json_extract_text(column, path) %}
    {{ return(adapter.dispatch('json_extract_text', 'agent_threads')(column, path)) }}
{% endmacro %}

{% macro default__json_extract_text(column, path) -%}
    json_extract({{ column }}, '{{ path }}')::varchar
{%- endmacro %}

{% macro spark__json_extract_text(column, path) -%}
    {{ agent_threads.spark_unescape_surrogates("get_json_object(" ~ column ~ ", '" ~ path ~ "')") }}
{%- endmacro %}

{#
  Right after a relation in a FROM clause (`from t{{ json_array_items(...) }}`): one row per
  item of the JSON array `column`, the item (JSON text) as `alias.value`.
#}
{% macro json_array_items(column, alias) %}
    {{ return(adapter.dispatch('json_array_items', 'agent_threads')(column, alias)) }}
{% endmacro %}

{% macro default__json_array_items(column, alias) -%}
    , unnest(json_extract({{ column }}, '$[*]')) as {{ alias }} (value)
{%- endmacro %}

{% macro spark__json_array_items(column, alias) -%}
    {{ ' ' }}lateral view explode(from_json({{ column }}, 'array<string>')) {{ alias }} as value
{%- endmacro %}

{#
  Right after a relation in a FROM clause: one row per item of the JSON array `column`,
  with its 0-based position (`alias.position`) and the item as JSON text (`alias.value`).
#}
{% macro json_array_items_with_position(column, alias) %}
    {{ return(adapter.dispatch('json_array_items_with_position', 'agent_threads')(column, alias)) }}
{% endmacro %}

{% macro default__json_array_items_with_position(column, alias) -%}
    , lateral (
        select
            item_index as position,
            json_extract({{ column }}, '$[' || item_index || ']') as value
        from range(coalesce(json_array_length({{ column }}), 0)::bigint) as items (item_index)
    ) as {{ alias }}
{%- endmacro %}

{% macro spark__json_array_items_with_position(column, alias) -%}
    {{ ' ' }}lateral view posexplode(from_json({{ column }}, 'array<string>')) {{ alias }} as position, value
{%- endmacro %}

{#
  Right after a relation in a FROM clause: one row per entry of the JSON object `column`,
  its key as `alias.key` and its value as JSON text (`alias.value`).
#}
{% macro json_object_entries(column, alias) %}
    {{ return(adapter.dispatch('json_object_entries', 'agent_threads')(column, alias)) }}
{% endmacro %}

{% macro default__json_object_entries(column, alias) -%}
    , json_each({{ column }}) as {{ alias }}
{%- endmacro %}

{% macro spark__json_object_entries(column, alias) -%}
    {{ ' ' }}lateral view explode(from_json({{ column }}, 'map<string,string>')) {{ alias }} as key, value
{%- endmacro %}

{#
  The text of a JSON value that is a string, or an array of parts with `text` (Gemini's
  Part[]): the string, or the parts' texts joined.
#}
{% macro json_text_parts(column) %}
    {{ return(adapter.dispatch('json_text_parts', 'agent_threads')(column)) }}
{% endmacro %}

{% macro default__json_text_parts(column) -%}
    case
        when json_type({{ column }}) = 'ARRAY'
            then array_to_string(json_extract_string({{ column }}, '$[*].text'), '')
        else json_extract_string({{ column }}, '$')
    end
{%- endmacro %}

{% macro spark__json_text_parts(column) -%}
    case
        when startswith(ltrim({{ column }}), '[')
            then array_join(
                transform(from_json({{ column }}, 'array<string>'), part -> get_json_object(part, '$.text')), ''
            )
        else get_json_object({{ column }}, '$')
    end
{%- endmacro %}
