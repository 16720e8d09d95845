{#
  One row per session: the state a build leaves it in, its current revision (what has
  landed for it) and its settle status. Between two builds a session's rows in the
  published tables change exactly when this state does (new lines, a rewrite, a move:
  a new revision; an active session settling: a new status).

  A successful plain `make build` keeps a copy of this view
  (landing.agent_threads_sessions_at_last_build); the next plain build's data tests
  check only the rows of the sessions whose state differs from that copy: the rows the
  run wrote (macros/tested_rows.sql).
#}
{{ config(materialized='view') }}

with revisions as (
    select * from {{ ref('int_session_revisions') }}
),

settled as (
    select * from {{ ref('int_sessions_settled') }}
),

final as (
    select
        revisions.session_id,
        revisions.session_revision,
        settled.settle_status
    from revisions
    left join settled on revisions.session_id = settled.session_id
)

select * from final
