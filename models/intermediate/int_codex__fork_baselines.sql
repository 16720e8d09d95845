{#
  For each forked Codex thread, the parent's cumulative token totals at the fork point
  (the parent's last token_count at or before the child's start). Projection starts the
  child's deltas from here when the copied history carries no token_count (paginated
  parents filter them out of the copy), so the family counts every token once.
#}
with threads as (
    select
        conversation_id,
        forked_from_id,
        coalesce(thread_started_at, first_line_at) as forked_at
    from {{ ref('stg_codex__threads') }}
    where forked_from_id is not null
),

parent_totals as (
    select
        conversation_id,
        created_at,
        source_line,
        total_input_tokens,
        total_cached_input_tokens,
        total_cache_write_input_tokens,
        total_output_tokens,
        total_reasoning_output_tokens
    from {{ ref('stg_codex__lines') }}
    where
        payload_type = 'token_count'
        and total_input_tokens is not null
        and not is_from_duplicate_file
),

final as (
    select
        threads.conversation_id,
        {{ agent_threads.arg_max('parent_totals.total_input_tokens', 'parent_totals.source_line') }}
            as baseline_input_tokens,
        {{ agent_threads.arg_max('parent_totals.total_cached_input_tokens', 'parent_totals.source_line') }}
            as baseline_cached_input_tokens,
        {{ agent_threads.arg_max(
            'parent_totals.total_cache_write_input_tokens', 'parent_totals.source_line'
        ) }}
            as baseline_cache_write_input_tokens,
        {{ agent_threads.arg_max('parent_totals.total_output_tokens', 'parent_totals.source_line') }}
            as baseline_output_tokens,
        {{ agent_threads.arg_max(
            'parent_totals.total_reasoning_output_tokens', 'parent_totals.source_line'
        ) }}
            as baseline_reasoning_output_tokens
    from threads
    inner join parent_totals
        on
            threads.forked_from_id = parent_totals.conversation_id
            and threads.forked_at >= parent_totals.created_at
    group by threads.conversation_id
)

select * from final
