{#
  The raw lines of a source, with the columns of the landing cache (landing.LANDED_SCHEMA):
  source_root, source_file, file_fingerprint, source_line, byte_offset, next_offset,
  raw_line, is_blank, is_valid_utf8, is_sidecar, load_id, loaded_at, and the file-life
  columns file_id, file_event, file_size, file_mtime_ns, file_ctime_ns, landed_hash.

  DuckDB and Databricks: the landing model (Python; an incremental cache of every line
  ever seen). Open-source Spark runs no Python models (dbt-spark's session method has no
  Python submission), so there Spark SQL reads the files itself: every current complete
  line of every transcript file, split, trimmed and UTF-8-checked by the landing's rules.
  What differs there: no cache (a deleted file's lines are gone on the next full build),
  loaded_at is the file's modification time, symlinks are not resolved (a file reached
  through two paths is read twice), files and folders whose names start with `.` or `_`
  are skipped (Spark's rule), and the raw text of a line that is not UTF-8 marks each bad
  byte with U+FFFD instead of \xNN.
#}

{% macro landed_lines(source) %}
    {{ return(adapter.dispatch('landed_lines', 'agent_threads')(source)) }}
{% endmacro %}

{% macro default__landed_lines(source) -%}
    {{ ref('land_' ~ source ~ '__lines') }}
{%- endmacro %}

{% macro databricks__landed_lines(source) -%}
    {{ ref('land_' ~ source ~ '__lines') }}
{%- endmacro %}

{% macro spark__landed_lines(source) -%}
    {%- set claude = source == 'claude_code' -%}
    {%- set whitespace = agent_threads.unicode_whitespace_hex() -%}
    {%- set is_sidecar = 'false' -%}
    {%- set source_root = 'given_root' -%}
    {%- if claude -%}
        {%- set is_sidecar = "regexp_extract(source_file, '[^/]+$', 0) like 'agent-%.meta.json'" -%}
        {%- set source_root = "case when has_home then given_root || '/projects' else given_root end" -%}
    {%- endif -%}
    {%- set home_dirs = {
        'claude_code': ['/projects/'],
        'codex': ['/sessions/', '/archived_sessions/'],
        'copilot_cli': ['/session-state/', '/history-session-state/'],
        'gemini_cli': ['/tmp/'],
    }[source] -%}
    {%- set in_home = [] -%}
    {%- for home_dir in home_dirs -%}
        {%- do in_home.append("source_file like given_root || '" ~ home_dir ~ "%'") -%}
    {%- endfor -%}
    {%- set wanted = 'true' -%}
    {%- if claude -%}
        {%- set wanted = "regexp_extract(source_file, '[^/]+$', 0)"
            ~ " not in ('journal.jsonl', 'history.jsonl', 'session_index.jsonl')"
            ~ " and (not is_sidecar or source_file like '%/subagents/%')" -%}
    {%- elif source == 'copilot_cli' -%}
        {#- a session's events.jsonl, or a flat <id>.jsonl right in a session folder -#}
        {%- set wanted = "(regexp_extract(source_file, '[^/]+$', 0) = 'events.jsonl'"
            ~ " or source_file rlike '/(history-)?session-state/[^/]+[.]jsonl$')" -%}
    {%- elif source == 'gemini_cli' -%}
        {#- chats/session-*.jsonl or .json, or a subagent's chats/<session>/<agent>.jsonl -#}
        {%- set is_sidecar = "source_file like '%.json'" -%}
        {%- set wanted = "source_file rlike '/chats/(session-[^/]+[.]jsonl?|[^/]+/[^/]+[.]jsonl)$'" -%}
    {%- endif -%}
    (
        with listed as (
            {{ agent_threads.spark_raw_files(source) }}
        ),

        rooted as (
            -- a Claude Code root holding projects/ is ~/.claude; a Codex home holds sessions/
            select
                *,
                max({{ in_home | join(' or ') }}) over (partition by root_rank) as has_home,
                {{ is_sidecar }} as is_sidecar
            from listed
        ),

        files as (
            select
                *,
                {{ source_root }} as source_root,
                row_number() over (partition by source_file order by root_rank) as copy_rank
            from rooted
            where
                (not has_home or {{ in_home | join(' or ') }})
                and {{ wanted }}
        ),

        split_files as (
            -- bytes as ISO-8859-1: one character per byte, so a split on newline is exact
            select
                source_root,
                source_file,
                file_size,
                modified_at,
                is_sidecar,
                content,
                split(
                    case
                        -- a whole-file record is one line: its line breaks become spaces
                        when is_sidecar
                            then concat(
                                regexp_replace(
                                    regexp_replace(
                                        decode(content, 'ISO-8859-1'),
                                        concat('[', char(13), char(10), ']+$'),
                                        ''
                                    ),
                                    concat(char(13), '?', char(10)),
                                    ' '
                                ),
                                char(10)
                            )
                        else decode(content, 'ISO-8859-1')
                    end,
                    char(10),
                    -1
                ) as parts
            from files
            where copy_rank = 1
        ),

        fingerprinted as (
            -- the file's head as the landing fingerprints it; the bytes go no further
            select
                source_root,
                source_file,
                file_size,
                modified_at,
                is_sidecar,
                parts,
                concat(head_bytes, ':', substr(sha1(substr(content, 1, head_bytes)), 1, 16))
                    as file_fingerprint
            from (
                select
                    *,
                    case
                        when is_sidecar then file_size
                        else least(4096, file_size - length(element_at(parts, -1)))
                    end as head_bytes
                from split_files
            ) as with_head
        ),

        exploded as (
            -- every part but the last: the unterminated tail (empty after a final newline)
            select
                source_root,
                source_file,
                file_size,
                modified_at,
                is_sidecar,
                file_fingerprint,
                posexplode(slice(parts, 1, size(parts) - 1)) as (line_index, latin1_line)
            from fingerprinted
        ),

        decoded as (
            select
                *,
                cast(encode(latin1_line, 'ISO-8859-1') as string) as utf8_bytes,
                sum(length(latin1_line) + 1) over (
                    partition by source_file order by line_index
                    rows between unbounded preceding and current row
                ) as line_end
            from exploded
        ),

        trimmed as (
            select
                *,
                is_valid_utf8(utf8_bytes) as is_valid_utf8,
                trim(
                    leading decode(x'EFBBBF', 'UTF-8') from trim(
                        trailing concat(char(13), char(10)) from
                        case
                            when is_valid_utf8(utf8_bytes) then utf8_bytes else make_valid_utf8(utf8_bytes)
                        end
                    )
                ) as raw_line
            from decoded
        )

        select
            source_root,
            source_file,
            file_fingerprint,
            line_index + 1 as source_line,
            line_end - length(latin1_line) - 1 as byte_offset,
            case when is_sidecar then file_size else line_end end as next_offset,
            raw_line,
            length(translate(raw_line, decode(unhex('{{ whitespace }}'), 'UTF-8'), '')) = 0 as is_blank,
            is_valid_utf8,
            is_sidecar,
            '{{ invocation_id | replace("-", "") }}' as load_id,
            modified_at as loaded_at,
            -- the file-life columns: no cache here, each file is read whole as it is now
            cast(null as string) as file_id,
            'new' as file_event,
            file_size,
            cast(null as bigint) as file_mtime_ns,
            cast(null as bigint) as file_ctime_ns,
            cast(null as string) as landed_hash
        from trimmed
    )
{%- endmacro %}

{#
  The files under each root of a source: one catalog table per root over Spark's
  binaryFile source (recursive, filtered by file name). A catalog table, not a path
  query: a root that does not exist reads as empty instead of failing.
#}
{% macro spark_raw_files(source) %}
    {%- set glob = {
        'claude_code': '{*.jsonl,agent-*.meta.json}',
        'codex': 'rollout-*.jsonl',
        'copilot_cli': '*.jsonl',
        'gemini_cli': '{*.jsonl,*.json}',
    }[source] -%}
    {%- set selects = [] -%}
    {%- for root in agent_threads.raw_roots(source) -%}
        {%- set table = target.schema ~ '.raw_files__' ~ source ~ '__' ~ local_md5(root)[:12] -%}
        {%- if execute -%}
            {%- do run_query(
                'create table if not exists ' ~ table ~ " using binaryFile options (recursiveFileLookup 'true',"
                ~ " pathGlobFilter '" ~ glob ~ "') location '" ~ root ~ "'"
            ) -%}
            {%- do run_query('refresh table ' ~ table) -%}
        {%- endif -%}
        {%- do selects.append(
            'select ' ~ loop.index ~ " as root_rank, '" ~ root ~ "' as given_root,"
            ~ " regexp_replace(path, '^file:', '') as source_file, length as file_size,"
            ~ ' modificationtime as modified_at, content from ' ~ table
        ) -%}
    {%- endfor -%}
    {%- if not selects -%}
        {#- a source given no root (another source was): no file -#}
        {%- do selects.append(
            'select cast(null as int) as root_rank, cast(null as string) as given_root,'
            ~ ' cast(null as string) as source_file, cast(null as bigint) as file_size,'
            ~ ' cast(null as timestamp) as modified_at, cast(null as binary) as content where false'
        ) -%}
    {%- endif -%}
    {{ return(selects | join(' union all ')) }}
{% endmacro %}

{# The characters pyarrow's utf8_trim_whitespace trims, as UTF-8 hex. #}
{% macro unicode_whitespace_hex() %}
    {{ return(
        '090A0B0C0D1C1D1E1F20C285C2A0E19A80E28080E28081E28082E28083E28084E28085E28086E28087E28088'
        ~ 'E28089E2808AE280A8E280A9E280AFE2819FE38080'
    ) }}
{% endmacro %}

{#
  The roots of a source on open-source Spark, by the roots rule of
  src/agent_threads/paths.py: a source's dbt var (a list, or a string), else its env var
  (colon-separated); once any source is given roots, a source given none reads nothing;
  with none given, the bundled sample logs. (The roots a DuckDB build remembers beside
  its database are not read here: give them to a Spark build.)
#}
{% macro raw_roots(source) %}
    {%- set names = {
        'claude_code': ('claude_roots', 'CLAUDE_ROOTS'),
        'codex': ('codex_roots', 'CODEX_ROOTS'),
        'copilot_cli': ('copilot_roots', 'COPILOT_ROOTS'),
        'gemini_cli': ('gemini_roots', 'GEMINI_ROOTS'),
    } -%}
    {%- set project_dir = env_var('DBT_PROJECT_DIR', '.') -%}
    {%- set defaults = {
        'claude_code': [project_dir ~ '/sample_logs/claude/projects'],
        'codex': [project_dir ~ '/sample_logs/codex'],
        'copilot_cli': [project_dir ~ '/sample_logs/copilot'],
        'gemini_cli': [project_dir ~ '/sample_logs/gemini'],
    } -%}
    {%- set given = {} -%}
    {%- for name, settings in names.items() -%}
        {%- do given.update({name: agent_threads.given_roots(settings[0], settings[1])}) -%}
    {%- endfor -%}
    {%- set any_given = given.values() | select | list | length > 0 -%}
    {%- set listed = given[source] if any_given else defaults[source] -%}
    {%- set roots = [] -%}
    {%- for root in listed -%}
        {%- if root.startswith('~') -%}
            {%- set root = env_var('HOME', '~') ~ root[1:] -%}
        {%- elif not root.startswith('/') and '://' not in root -%}
            {%- set root = project_dir ~ '/' ~ root -%}
        {%- endif -%}
        {%- set root = root.rstrip('/') -%}
        {%- if root not in roots -%}{%- do roots.append(root) -%}{%- endif -%}
    {%- endfor -%}
    {{ return(roots) }}
{% endmacro %}

{# The roots given by one source's dbt var, else its env var (a list; empty: none). #}
{% macro given_roots(var_name, env_name) %}
    {%- set configured = var(var_name, []) -%}
    {%- if configured is string -%}
        {%- set text = configured | trim -%}
        {%- if text.startswith('[') and text.endswith(']') -%}
            {%- set configured = text[1:-1].split(',') -%}
        {%- else -%}
            {%- set configured = text.split(':') -%}
        {%- endif -%}
    {%- endif -%}
    {%- set listed = [] -%}
    {%- for root in configured -%}
        {%- set root = (root | string | trim).strip('\'"') -%}
        {%- if root -%}{%- do listed.append(root) -%}{%- endif -%}
    {%- endfor -%}
    {%- if not listed -%}
        {%- for root in env_var(env_name, '').split(':') -%}
            {%- if root | trim -%}{%- do listed.append(root | trim) -%}{%- endif -%}
        {%- endfor -%}
    {%- endif -%}
    {{ return(listed) }}
{% endmacro %}

{#
  Is a landed Codex file the Codex home's session index (landing.CODEX_SESSION_INDEX),
  not a rollout? It is landed with the rollouts; stg_codex__session_index reads it and
  base_codex__lines never does. (No rollout can bear the name: rollouts are `rollout-*`.)
#}
{% macro is_codex_session_index(source_file) -%}
    {{ source_file }} like '%/session_index.jsonl'
{%- endmacro %}
