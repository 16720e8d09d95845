{#
  One row per session with a typed prompt in its main thread: the first one, the title
  of a session that has none of its own (int_session_titles). A typed prompt is not
  injected or meta context, not a slash command (macros/prompts.sql), and not a
  replayed copy; its IDE context is cut away.

  Incremental by session: a run reads the messages of the sessions whose landed lines
  changed (their revision), not every message.
#}
{{
    config(
        on_schema_change='fail',
        pre_hook="{{ agent_threads.delete_outdated_sessions(this, ref('int_session_revisions')) }}",
        **agent_threads.replaced_by_key('session_id'),
    )
}}

with changed_sessions as (
    {{ agent_threads.sessions_to_rebuild(ref('int_session_revisions'), this, is_incremental()) }}
),

messages as (
    select * from {{ ref('int_messages_projected') }}
    where session_id in (select changed_sessions.session_id from changed_sessions)
),

typed_prompts as (
    select
        session_id,
        thread_seq,
        trim({{ agent_threads.without_ide_context('text') }}) as prompt_text
    from messages
    where
        thread_id = session_id
        and not is_replayed
        and {{ agent_threads.is_typed_prompt() }}
        and not {{ agent_threads.is_command() }}
        and trim(coalesce({{ agent_threads.without_ide_context('text') }}, '')) != ''
),

first_prompts as (
    select
        session_id,
        {{ agent_threads.arg_min('prompt_text', 'thread_seq') }} as prompt_text
    from typed_prompts
    group by session_id
),

final as (
    select
        first_prompts.session_id,
        first_prompts.prompt_text,
        changed_sessions.session_revision
    from first_prompts
    inner join changed_sessions on first_prompts.session_id = changed_sessions.session_id
)

select * from final
