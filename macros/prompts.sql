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
