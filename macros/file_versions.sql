{#
  The current version of a file, written once (docs/file_life.md; the landing's side is
  agent_threads.file_life, and a test proves the two agree).

  current_landed_lines(source, since): the landed rows (lines and state rows) of the
  current version of every file of `source`, with
  - file_id: the file (a moved file keeps the id of its first path; rows landed before
    file ids: their path);
  - is_file_on_disk: false when the file's current path was last recorded gone
    (deleted, or moved away).
  A file's current version is the version of its latest row that is not a `deleted` or
  `moved_away` state row; its rows are those landed since that version's latest start
  (its latest row at byte offset 0). `since`: a SQL expression of a timestamp, or none;
  given, only the files with rows landed after it.
#}

{#
  The watermark of a model incremental over the landing cache: the latest `loaded_at` it
  holds, as a SQL expression for current_landed_lines's `since` (none on a full build).
#}
{% macro loaded_at_watermark() -%}
    {%- if is_incremental() -%}
        {%- set since -%}
            select coalesce(max(already.loaded_at), {{ agent_threads.utc_date_timestamp('1970-01-01') }})
            from {{ this }} as already
        {%- endset -%}
        {{ return(since) }}
    {%- endif -%}
    {{ return(none) }}
{%- endmacro %}

{% macro current_landed_lines(source, since=none) -%}
    (
        with landed as (
            select
                *,
                coalesce(file_id, source_file) as file_key
            from {{ agent_threads.landed_lines(source) }}
    {% if since is not none %}
                where coalesce(file_id, source_file) in (
                    select coalesce(landed_since.file_id, landed_since.source_file)
                    from {{ agent_threads.landed_lines(source) }} as landed_since
                    where landed_since.loaded_at > ({{ since }})
                )
            {% endif %}
        ),

        version_rows as (
            select
                file_key,
                source_file,
                file_fingerprint,
                row_number() over (
                    partition by file_key order by loaded_at desc, source_line desc
                ) as recency
            from landed
            where coalesce(file_event, '') not in ('deleted', 'moved_away')
        ),

        current_versions as (
            select
                file_key,
                source_file,
                file_fingerprint
            from version_rows
            where recency = 1
        ),

        version_starts as (
            select
                landed.file_key,
                coalesce(
                    max(landed.loaded_at) filter (where landed.byte_offset = 0),
                    min(landed.loaded_at)
                ) as started_at
            from landed
            inner join current_versions
                on
                    landed.file_key = current_versions.file_key
                    and landed.source_file = current_versions.source_file
                    and landed.file_fingerprint = current_versions.file_fingerprint
            group by landed.file_key
        ),

        path_events as (
            select
                source_file,
                row_number() over (
                    partition by source_file order by loaded_at desc, source_line desc
                ) as recency,
                coalesce(file_event, '') not in ('deleted', 'moved_away') as is_on_disk
            from landed
        )

        select
            landed.source_root,
            landed.source_file,
            landed.file_fingerprint,
            landed.source_line,
            landed.byte_offset,
            landed.next_offset,
            landed.raw_line,
            landed.is_blank,
            landed.is_valid_utf8,
            landed.is_sidecar,
            landed.load_id,
            landed.loaded_at,
            landed.file_key as file_id,
            path_events.is_on_disk as is_file_on_disk
        from landed
        inner join current_versions
            on
                landed.file_key = current_versions.file_key
                and landed.source_file = current_versions.source_file
                and landed.file_fingerprint = current_versions.file_fingerprint
        inner join version_starts
            on
                landed.file_key = version_starts.file_key
                and landed.loaded_at >= version_starts.started_at
        inner join path_events
            on
                landed.source_file = path_events.source_file
                and path_events.recency = 1
    )
{%- endmacro %}
