{#
  Prompts the user typed, over the columns of a messages row (message_kind, is_meta,
  source, text). Used by `turns` (a typed prompt starts a turn) and `int_session_titles`
  (a session without a title of its own takes its first typed prompt).

  is_typed_prompt: a prompt that is not injected context (is_meta) and, for Claude Code,
  not the output of a local command or an interruption marker; slash commands and
  ! bash input count. is_command: a Claude Code slash command or ! bash input.
#}
{% macro is_typed_prompt() %}
    coalesce(
        message_kind = 'prompt'
        and not is_meta
        and not (
            source = 'claude_code'
            and {{ agent_threads.regexp_matches(
                "coalesce(text, '')",
                '^\\s*(<(local-command-|bash-stdout|bash-stderr)|\\[Request interrupted)',
            ) }}
        ),
        false
    )
{% endmacro %}

{% macro is_command() %}
    coalesce(
        source = 'claude_code'
        and {{ agent_threads.regexp_matches("coalesce(text, '')", '^\\s*<(command-|bash-input)') }},
        false
    )
{% endmacro %}

{#
  A prompt's text without the context an IDE extension injects into it
  (`<ide_selection>...</ide_selection>`, `<ide_opened_file>...</ide_opened_file>`) and the
  white space (new lines included) before what is left: what the person typed around it.
  Titles read it.
#}
{% macro without_ide_context(column) %}
    {{ return(adapter.dispatch('without_ide_context', 'agent_threads')(column)) }}
{% endmacro %}

{% macro default__without_ide_context(column) -%}
    regexp_replace(
        regexp_replace({{ column }}, '(?s)<ide_[a-z_]+>.*?</ide_[a-z_]+>', '', 'g'), '^\s+', ''
    )
{%- endmacro %}

{% macro spark__without_ide_context(column) -%}
    regexp_replace(regexp_replace({{ column }}, r'(?s)<ide_[a-z_]+>.*?</ide_[a-z_]+>', ''), r'^\s+', '')
{%- endmacro %}
