-- Prompt text per turn, placed as the explorer places turns (lane, turn_seq). Run only
-- when the report is built with --include-prompts.
with lanes as (
    select * from report_threads
),

final as (
    select
        report_turns.session_id,
        lanes.lane,
        report_turns.turn_seq,
        report_prompts.prompt_text
    from report_turns
    inner join report_prompts on report_turns.turn_key = report_prompts.turn_key
    inner join lanes on report_turns.thread_id = lanes.thread_id
)

select * from final
order by session_id asc, lane asc, turn_seq asc
