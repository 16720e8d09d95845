{#
  The contract's id rule: a session, conversation or agent id is 1 to 200 characters of
  letters, digits and . _ : -  Anything else is rejected, which keeps thread_id
  unambiguous and hostile values out of partition paths.
#}

{% macro is_valid_id(column) %}
    {{ return(adapter.dispatch('is_valid_id', 'agent_threads')(column)) }}
{% endmacro %}

{% macro default__is_valid_id(column) %}
    coalesce(regexp_full_match({{ column }}, '[A-Za-z0-9._:-]{1,200}'), false)
{% endmacro %}

{# No anchors: Java's `$` also matches before a final line break ('abc' || char(10)). #}
{% macro spark__is_valid_id(column) %}
    coalesce(
        length({{ column }}) between 1 and 200 and regexp_replace({{ column }}, '[A-Za-z0-9._:-]', '') = '',
        false
    )
{% endmacro %}

{# thread_id = conversation_id ?? session_id + agent_id, written out once. #}
{% macro thread_id(conversation_id, session_id, agent_id) %}
    coalesce(
        {{ conversation_id }},
        case
            when {{ agent_id }} is null then {{ session_id }}
            else {{ session_id }} || '/' || {{ agent_id }}
        end
    )
{% endmacro %}
