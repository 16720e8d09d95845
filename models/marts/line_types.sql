{#
  The format-drift report: per source and client version, every line type, subtype and
  item type seen in staging, with counts, first and last seen time, and whether the
  projection knows it (listed in the seed known_line_types; '*' there matches any value).
  Item types: Claude Code content block types of user and assistant lines (one row per
  block type a line holds), Codex the item type of event_msg item_completed lines. The
  Claude Code counts come per session from int_claude_code__line_type_counts
  (incremental); Codex lines, duplicate file copies included, and GitHub Copilot CLI
  events (by event type, per the copilotVersion of their file) are counted here.
#}
with claude_code_counts as (
    select * from {{ ref('int_claude_code__line_type_counts') }}
),

codex_lines as (
    select * from {{ ref('stg_codex__lines') }}
),

codex_threads as (
    select * from {{ ref('stg_codex__threads') }}
),

known_line_types as (
    select * from {{ ref('known_line_types') }}
),

codex_items as (
    select
        'codex' as source,
        case
            when codex_threads.is_legacy_format then 'legacy'
            else coalesce(codex_threads.client_version, 'unknown')
        end as client_version,
        codex_lines.line_type,
        codex_lines.payload_type as line_subtype,
        case
            when codex_lines.line_type = 'event_msg' and codex_lines.payload_type = 'item_completed'
                then {{ agent_threads.json_extract_string('codex_lines.event_item', '$.type') }}
        end as item_type,
        codex_lines.line_id,
        coalesce(codex_lines.created_at, codex_lines.loaded_at) as seen_at
    from codex_lines
    inner join codex_threads on codex_lines.conversation_id = codex_threads.conversation_id
),

codex_counts as (
    select
        source,
        client_version,
        line_type,
        line_subtype,
        item_type,
        count(distinct line_id) as line_count,
        min(seen_at) as first_seen_at,
        max(seen_at) as last_seen_at
    from codex_items
    group by source, client_version, line_type, line_subtype, item_type
),

-- a line belongs to one session: the sessions' distinct counts add up
claude_code_totals as (
    select
        source,
        client_version,
        line_type,
        line_subtype,
        item_type,
        sum(line_count)::bigint as line_count,
        min(first_seen_at) as first_seen_at,
        max(last_seen_at) as last_seen_at
    from claude_code_counts
    group by source, client_version, line_type, line_subtype, item_type
),

copilot_cli_lines as (
    select
        *,
        coalesce(
            {{ agent_threads.arg_min('client_version', 'source_line') }} over (partition by source_file),
            'unknown'
        ) as file_client_version
    from {{ ref('stg_copilot_cli__lines') }}
),

copilot_cli_counts as (
    select
        source,
        file_client_version as client_version,
        event_type as line_type,
        null::string as line_subtype,
        null::string as item_type,
        count(*) as line_count,
        min(coalesce(created_at, loaded_at)) as first_seen_at,
        max(coalesce(created_at, loaded_at)) as last_seen_at
    from copilot_cli_lines
    group by source, file_client_version, event_type
),

gemini_cli_counts as (
    select
        source,
        case when is_document then 'before 0.39 (json)' else '0.39+ (jsonl)' end as client_version,
        record_kind as line_type,
        message_type as line_subtype,
        null::string as item_type,
        count(*) as line_count,
        min(coalesce(created_at, loaded_at)) as first_seen_at,
        max(coalesce(created_at, loaded_at)) as last_seen_at
    from {{ ref('stg_gemini_cli__lines') }}
    group by source, is_document, record_kind, message_type
),

counted as (
    select * from claude_code_totals
    union all
    select * from codex_counts
    union all
    select * from copilot_cli_counts
    union all
    select * from gemini_cli_counts
),

matched as (
    select
        counted.source,
        counted.client_version,
        counted.line_type,
        counted.line_subtype,
        counted.item_type,
        -- the most specific entry of the seed wins
        {{ agent_threads.arg_min(
            'known_line_types.projection_handling',
            "coalesce(known_line_types.line_subtype = '*', false)::integer
            + coalesce(known_line_types.item_type = '*', false)::integer"
        ) }} as projection_handling
    from counted
    left join known_line_types
        on
            counted.source = known_line_types.source
            and counted.line_type = known_line_types.line_type
            and (
                known_line_types.line_subtype = '*'
                or coalesce(counted.line_subtype, '') = coalesce(known_line_types.line_subtype, '')
            )
            and (
                known_line_types.item_type = '*'
                or coalesce(counted.item_type, '') = coalesce(known_line_types.item_type, '')
            )
    group by
        counted.source,
        counted.client_version,
        counted.line_type,
        counted.line_subtype,
        counted.item_type
),

final as (
    select
        -- ids
        md5(
            counted.source || ':' || counted.client_version || ':' || coalesce(counted.line_type, '')
            || ':' || coalesce(counted.line_subtype, '') || ':' || coalesce(counted.item_type, '')
        ) as line_type_key,
        -- strings
        counted.source,
        counted.client_version,
        counted.line_type,
        counted.line_subtype,
        counted.item_type,
        matched.projection_handling,
        -- numbers
        counted.line_count,
        -- booleans
        matched.projection_handling is not null as is_known_to_projection,
        -- timestamps
        counted.first_seen_at,
        counted.last_seen_at
    from counted
    inner join matched
        on
            counted.source = matched.source
            and counted.client_version = matched.client_version
            and counted.line_type is not distinct from matched.line_type
            and counted.line_subtype is not distinct from matched.line_subtype
            and counted.item_type is not distinct from matched.item_type
)

select * from final
