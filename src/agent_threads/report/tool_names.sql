-- The tool names of the explorer's tool calls, in the order of their index (explorer.sql).
select distinct coalesce(tool_name, '(none)') as tool_name
from report_tool_calls
order by tool_name asc
