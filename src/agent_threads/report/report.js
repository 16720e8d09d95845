// The report page: charts (Vega-Lite through vega-embed, inlined above) and the session
// explorer (plain SVG). Reads the JSON in #report-data; fetches nothing.
(function () {
  "use strict";
  const DATA = JSON.parse(document.getElementById("report-data").textContent);
  const state = (window.__report = { ready: false, charts: [], errors: [] });
  const KINDS = ["main", "subagent", "compaction", "warmup", "side_question", "workflow", "other"];
  const KIND_COLORS = {
    main: "#0969da", subagent: "#1a7f37", compaction: "#8250df", warmup: "#9a6700",
    side_question: "#bf3989", workflow: "#0a7ea4", other: "#6e7781",
  };

  // ------------------------------------------------------------------ helpers
  function rows(name) {
    const t = DATA.tables[name];
    return t.rows.map((r) => Object.fromEntries(t.columns.map((c, i) => [c, r[i]])));
  }
  const num = (v) => (v == null ? 0 : v);
  function fmtTokens(v) {
    if (v == null) return "–";
    const a = Math.abs(v);
    if (a >= 1e9) return (v / 1e9).toFixed(2) + "B";
    if (a >= 1e6) return (v / 1e6).toFixed(2) + "M";
    if (a >= 1e4) return (v / 1e3).toFixed(1) + "k";
    return String(Math.round(v));
  }
  function fmtCost(v) {
    if (v == null) return "n/a (unpriced)";
    if (Math.abs(v) >= 100) return "$" + v.toFixed(0);
    if (Math.abs(v) >= 1) return "$" + v.toFixed(2);
    return "$" + v.toFixed(4);
  }
  function fmtPct(v) { return v == null ? "–" : (100 * v).toFixed(1) + "%"; }
  function fmtSeconds(s) {
    if (s == null) return "–";
    if (s < 1) return s.toFixed(2) + " s";
    if (s < 90) return s.toFixed(1) + " s";
    if (s < 5400) return (s / 60).toFixed(1) + " min";
    return (s / 3600).toFixed(1) + " h";
  }
  function fmtTime(ms) { return ms == null ? "–" : new Date(ms).toISOString().replace("T", " ").slice(0, 16) + " UTC"; }
  function el(tag, attrs, text) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
    if (text != null) e.textContent = text;
    return e;
  }
  const SVG = "http://www.w3.org/2000/svg";
  function svg(tag, attrs, parent) {
    const e = document.createElementNS(SVG, tag);
    for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
    if (parent) parent.appendChild(e);
    return e;
  }
  function card(parent, value, label) {
    const c = el("div", { class: "card" });
    c.appendChild(el("b", {}, value));
    c.appendChild(el("span", {}, label));
    parent.appendChild(c);
  }
  // a table: columns [key, header, formatter, numeric]
  function renderTable(id, data, columns, emptyText) {
    const host = document.getElementById(id);
    host.textContent = "";
    if (!data.length) { host.appendChild(el("p", { class: "empty" }, emptyText || "none")); return; }
    const table = el("table");
    const head = el("tr");
    for (const [, title, , n] of columns) head.appendChild(el("th", n ? { class: "n" } : {}, title));
    table.appendChild(head);
    for (const r of data) {
      const tr = el("tr");
      for (const [key, , f, n] of columns) tr.appendChild(el("td", n ? { class: "n" } : {}, f ? f(r[key], r) : (r[key] == null ? "–" : String(r[key]))));
      table.appendChild(tr);
    }
    host.appendChild(table);
  }
  const shortId = (id) => (id || "").slice(0, 8);
  function top(list, n, key) { return list.slice().sort((a, b) => num(b[key]) - num(a[key])).slice(0, n); }

  // ------------------------------------------------------------------ charts
  const charts = [];
  function chart(section, id, title, values, spec, emptyText) {
    charts.push({ section, id, title, values, spec, emptyText });
  }
  async function renderCharts() {
    for (const c of charts) {
      const host = document.querySelector(`[data-charts="${c.section}"]`);
      const fig = el("figure", { class: "chart", id: "chart-" + c.id });
      fig.appendChild(el("h3", {}, c.title));
      host.appendChild(fig);
      const entry = { id: c.id, title: c.title, section: c.section, rows: c.values.length, rendered: false };
      state.charts.push(entry);
      if (!c.values.length) { fig.appendChild(el("p", { class: "empty" }, c.emptyText || "none")); continue; }
      const box = el("div", { class: "vega" });
      fig.appendChild(box);
      const spec = Object.assign({ $schema: "https://vega.github.io/schema/vega-lite/v6.json", data: { values: c.values }, width: 560, height: 260, config: { font: "system-ui, sans-serif", view: { stroke: null } } }, c.spec);
      try {
        await vegaEmbed(box, spec, { actions: false, renderer: "svg" });
        entry.rendered = true;
      } catch (err) {
        state.errors.push(c.id + ": " + err);
        console.error("chart " + c.id + " failed", err);
      }
    }
  }
  const tipCost = { field: "cost_usd", type: "quantitative", aggregate: "sum", title: "cost (USD)", format: "$,.4f" };

  // usage: daily_cost_by_model
  const daily = rows("daily_cost_by_model");
  const split = [{ name: "split", value: "model", bind: { input: "select", options: ["model", "source"], name: "split by " } }];
  const splitTransform = [{ calculate: "split == 'model' ? datum.model : datum.source", as: "group" }];
  const dayX = { field: "usage_date", type: "temporal", timeUnit: "utcyearmonthdate", title: "day (" + DATA.meta.time_zone + ")" };
  chart("usage", "cost-per-day", "Cost per day", daily, {
    params: split, transform: splitTransform, mark: "bar",
    encoding: { x: dayX, y: { field: "cost_usd", aggregate: "sum", type: "quantitative", title: "cost (USD)" }, color: { field: "group", type: "nominal", title: null },
      tooltip: [{ field: "usage_date", type: "temporal", timeUnit: "utcyearmonthdate", title: "day" }, { field: "group", title: "model / source" }, tipCost, { field: "total_tokens", aggregate: "sum", title: "tokens", format: "," }] },
  }, "no usage in published sessions yet");
  chart("usage", "tokens-per-day", "Tokens per day", daily, {
    params: split, transform: splitTransform, mark: "bar",
    encoding: { x: dayX, y: { field: "total_tokens", aggregate: "sum", type: "quantitative", title: "tokens (input + output)" }, color: { field: "group", type: "nominal", title: null },
      tooltip: [{ field: "usage_date", type: "temporal", timeUnit: "utcyearmonthdate", title: "day" }, { field: "group", title: "model / source" }, { field: "total_tokens", aggregate: "sum", title: "tokens", format: "," }, { field: "cache_read_input_tokens", aggregate: "sum", title: "cache read", format: "," }, { field: "output_tokens", aggregate: "sum", title: "output", format: "," }, tipCost] },
  }, "no usage in published sessions yet");
  chart("usage", "cache-read-share", "Cache read share of input tokens, per day", daily, {
    transform: [
      { aggregate: [{ op: "sum", field: "cache_read_input_tokens", as: "cache_read" }, { op: "sum", field: "input_tokens", as: "input" }], groupby: ["usage_date", "source"] },
      { calculate: "datum.input > 0 ? datum.cache_read / datum.input : null", as: "share" },
    ],
    mark: { type: "line", point: true },
    encoding: { x: dayX, y: { field: "share", type: "quantitative", title: "cache read / input", axis: { format: "%" }, scale: { domain: [0, 1] } }, color: { field: "source", type: "nominal" },
      tooltip: [{ field: "usage_date", type: "temporal", timeUnit: "utcyearmonthdate", title: "day" }, { field: "source" }, { field: "share", format: ".1%" }, { field: "cache_read", format: "," }, { field: "input", format: "," }] },
  }, "no usage in published sessions yet");

  // weeks (ISO, from Monday) and months, summed from the daily rows
  function weekOf(day) {
    const d = new Date(day + "T00:00:00Z");
    d.setUTCDate(d.getUTCDate() - ((d.getUTCDay() + 6) % 7));
    return d.toISOString().slice(0, 10);
  }
  const periods = new Map();
  for (const r of daily) {
    for (const [kind, period] of [["week", weekOf(r.usage_date)], ["month", r.usage_date.slice(0, 7)]]) {
      const key = kind + "|" + period + "|" + r.source;
      const p = periods.get(key) || { kind, period, source: r.source, cost_usd: 0, priced: true, total_tokens: 0, input_tokens: 0, output_tokens: 0, cache_read_input_tokens: 0 };
      if (r.cost_usd == null) p.priced = false; else p.cost_usd += r.cost_usd;
      for (const k of ["total_tokens", "input_tokens", "output_tokens", "cache_read_input_tokens"]) p[k] += num(r[k]);
      periods.set(key, p);
    }
  }
  const periodRows = [...periods.values()].map((p) => Object.assign(p, { cost_usd: p.priced ? p.cost_usd : null }));
  for (const kind of ["week", "month"]) {
    const values = periodRows.filter((p) => p.kind === kind);
    chart("usage", "cost-per-" + kind, "Cost per " + kind + " by source", values, {
      mark: "bar", width: 360,
      encoding: { x: { field: "period", type: "ordinal", title: kind === "week" ? "week (from Monday)" : "month" }, y: { field: "cost_usd", aggregate: "sum", type: "quantitative", title: "cost (USD)" }, color: { field: "source", type: "nominal" },
        tooltip: [{ field: "period" }, { field: "source" }, tipCost, { field: "total_tokens", aggregate: "sum", title: "tokens", format: "," }] },
    }, "no usage in published sessions yet");
  }
  const periodTable = [];
  for (const kind of ["month", "week"]) {
    const by = new Map();
    for (const p of periodRows.filter((q) => q.kind === kind)) {
      const t = by.get(p.period) || { kind, period: p.period, sources: [], cost_usd: 0, priced: true, total_tokens: 0, input_tokens: 0, output_tokens: 0, cache_read_input_tokens: 0 };
      t.sources.push(p.source);
      if (p.cost_usd == null) t.priced = false; else t.cost_usd += p.cost_usd;
      for (const k of ["total_tokens", "input_tokens", "output_tokens", "cache_read_input_tokens"]) t[k] += p[k];
      by.set(p.period, t);
    }
    periodTable.push(...[...by.values()].sort((a, b) => (a.period < b.period ? 1 : -1)));
  }
  renderTable("period-table", periodTable.map((t) => Object.assign(t, { cost_usd: t.priced ? t.cost_usd : null })), [
    ["kind", "period"], ["period", "from"], ["sources", "sources", (v) => v.join(", ")],
    ["input_tokens", "input", fmtTokens, 1], ["cache_read_input_tokens", "cache read", fmtTokens, 1],
    ["cache_read_input_tokens", "cache read share", (v, r) => fmtPct(r.input_tokens ? v / r.input_tokens : null), 1],
    ["output_tokens", "output", fmtTokens, 1], ["total_tokens", "total", fmtTokens, 1], ["cost_usd", "cost", fmtCost, 1],
  ], "no usage in published sessions yet");
  const sessionsAll = rows("report_sessions");
  const usageCards = document.getElementById("usage-cards");
  const totalCost = daily.reduce((s, r) => s + num(r.cost_usd), 0);
  const totalTokens = daily.reduce((s, r) => s + num(r.total_tokens), 0);
  const inputTokens = daily.reduce((s, r) => s + num(r.input_tokens), 0);
  const cacheRead = daily.reduce((s, r) => s + num(r.cache_read_input_tokens), 0);
  card(usageCards, fmtCost(totalCost), "cost (published sessions)");
  card(usageCards, fmtTokens(totalTokens), "tokens");
  card(usageCards, fmtPct(inputTokens ? cacheRead / inputTokens : null), "cache read share of input");
  card(usageCards, String(sessionsAll.length), "sessions");
  card(usageCards, String(new Set(daily.map((r) => r.usage_date)).size), "days with usage");
  document.getElementById("time-zone").textContent = DATA.meta.time_zone;

  // projects: cost_by_project
  const projects = rows("cost_by_project");
  chart("projects", "cost-per-project", "Cost per project", top(projects, 25, "cost_usd"), {
    mark: "bar", width: 420, height: { step: 18 },
    encoding: { y: { field: "project", type: "nominal", sort: "-x", title: null, axis: { labelLimit: 360 } }, x: { field: "cost_usd", type: "quantitative", title: "cost (USD)" },
      tooltip: [{ field: "project" }, { field: "cost_usd", format: "$,.4f", title: "cost" }, { field: "sessions" }, { field: "threads" }, { field: "subagent_threads", title: "subagents" }, { field: "total_tokens", format: ",", title: "tokens" }] },
  }, "no settled session yet");
  chart("projects", "sessions-per-project", "Sessions and threads per project", top(projects, 25, "threads").flatMap((p) => [{ project: p.project, what: "sessions", n: p.sessions }, { project: p.project, what: "threads", n: p.threads }]), {
    mark: "bar", width: 360, height: { step: 12 },
    encoding: { y: { field: "project", type: "nominal", sort: "-x", title: null, axis: { labelLimit: 240 } }, yOffset: { field: "what" }, x: { field: "n", type: "quantitative", title: "count", axis: { tickMinStep: 1, format: "d" } }, color: { field: "what", type: "nominal", title: null },
      tooltip: [{ field: "project" }, { field: "what" }, { field: "n", title: "count" }] },
  }, "no settled session yet");
  renderTable("project-table", projects, [
    ["project", "project"], ["sources", "sources", (v) => (v || []).join(", ")], ["git_branches", "branches", (v) => (v || []).slice(0, 4).join(", ")],
    ["sessions", "sessions", null, 1], ["threads", "threads", null, 1], ["subagent_threads", "subagents", null, 1],
    ["total_tokens", "tokens", fmtTokens, 1], ["cost_usd", "cost", fmtCost, 1], ["cost_share", "share", fmtPct, 1],
    ["first_active_date", "first day"], ["last_active_date", "last day"],
  ], "no settled session yet");

  // threads: subagent_fanout_per_session, off_main_thread_share_per_session
  const fanout = rows("subagent_fanout_per_session");
  const offMain = rows("off_main_thread_share_per_session");
  const byId = new Map(sessionsAll.map((s) => [s.session_id, s]));
  const label = (id) => { const s = byId.get(id); const name = s && s.title ? s.title.slice(0, 40) : (s ? s.project.split("/").pop() : ""); return shortId(id) + (name ? " · " + name : ""); };
  const kindColumns = { main: "main_threads", subagent: "subagents", compaction: "compaction_threads", warmup: "warmups", side_question: "side_questions", workflow: "workflow_agents" };
  const threadCards = document.getElementById("thread-cards");
  for (const [kind, col] of Object.entries(kindColumns)) card(threadCards, String(fanout.reduce((s, r) => s + num(r[col]), 0)), kind.replace("_", " ") + " threads");
  const offTokens = offMain.reduce((s, r) => s + num(r.off_main_tokens), 0);
  const allTokens = offMain.reduce((s, r) => s + num(r.total_tokens), 0);
  card(threadCards, fmtPct(allTokens ? offTokens / allTokens : null), "tokens outside the main thread");
  fanout.forEach((r) => { r.all_threads = Object.values(kindColumns).reduce((s, c) => s + num(r[c]), 0); });
  chart("threads", "threads-by-kind", "Threads per session, by kind", top(fanout, 25, "all_threads").flatMap((r) => Object.entries(kindColumns).filter(([, c]) => r[c]).map(([kind, c]) => ({ session: label(r.session_id), kind, threads: r[c] }))), {
    mark: "bar", width: 420, height: { step: 16 },
    encoding: { y: { field: "session", type: "nominal", sort: "-x", title: null, axis: { labelLimit: 300 } }, x: { field: "threads", type: "quantitative", aggregate: "sum", title: "threads", axis: { tickMinStep: 1, format: "d" } },
      color: { field: "kind", type: "nominal", scale: { domain: KINDS, range: KINDS.map((k) => KIND_COLORS[k]) } }, tooltip: [{ field: "session" }, { field: "kind" }, { field: "threads", aggregate: "sum", title: "threads" }] },
  }, "no session yet");
  chart("threads", "subagent-fanout", "Subagent fan-out: sessions by number of subagents", fanout, {
    mark: "bar", width: 360,
    encoding: { x: { field: "subagents", type: "ordinal", title: "subagents in the session" }, y: { aggregate: "count", type: "quantitative", title: "sessions", axis: { tickMinStep: 1, format: "d" } }, tooltip: [{ field: "subagents" }, { aggregate: "count", title: "sessions" }] },
  }, "no session yet");
  chart("threads", "off-main-share", "Share of tokens outside the main thread, per session", top(offMain.filter((r) => r.off_main_tokens > 0), 25, "off_main_tokens").map((r) => Object.assign({ session: label(r.session_id) }, r)), {
    mark: "bar", width: 420, height: { step: 16 },
    encoding: { y: { field: "session", type: "nominal", sort: "-x", title: null, axis: { labelLimit: 300 } }, x: { field: "off_main_token_share", type: "quantitative", title: "share of the session's tokens", axis: { format: "%" }, scale: { domain: [0, 1] } },
      tooltip: [{ field: "session" }, { field: "off_main_token_share", format: ".1%", title: "token share" }, { field: "off_main_tokens", format: ",", title: "tokens outside main" }, { field: "off_main_cost_share", format: ".1%", title: "cost share" }, { field: "off_main_cost_usd", format: "$,.4f", title: "cost outside main" }, { field: "threads" }] },
  }, "no session spent tokens outside its main thread");

  const offBySession = new Map(offMain.map((r) => [r.session_id, r]));
  const threadRows = top(fanout, 200, "all_threads").map((r) => {
    const s = byId.get(r.session_id) || {};
    const o = offBySession.get(r.session_id) || {};
    return Object.assign({ title: s.title || "", project: s.project, off_main_token_share: o.off_main_token_share, off_main_cost_usd: o.off_main_cost_usd }, r);
  });
  document.getElementById("thread-table-note").textContent = fanout.length > 200 ? `(the 200 with the most threads, of ${fanout.length})` : "";
  renderTable("thread-table", threadRows, [
    ["session_id", "session", shortId], ["source", "source"], ["project", "project"], ["title", "title", (v) => v.slice(0, 60)],
    ["main_threads", "main", null, 1], ["subagents", "subagents", null, 1], ["subagent_types", "agent types", null, 1],
    ["compaction_threads", "compactions", null, 1], ["warmups", "warmups", null, 1], ["side_questions", "side questions", null, 1],
    ["workflow_agents", "workflow", null, 1], ["total_tokens", "tokens", fmtTokens, 1],
    ["off_main_token_share", "tokens outside main", fmtPct, 1], ["off_main_cost_usd", "cost outside main", (v) => (v == null ? "–" : fmtCost(v)), 1],
  ], "no session yet");

  // tools: tool_calls_by_tool + report_tool_durations
  const tools = rows("tool_calls_by_tool");
  const durations = new Map(rows("report_tool_durations").map((r) => [r.source + "|" + r.tool_name, r]));
  tools.forEach((t) => Object.assign(t, durations.get(t.source + "|" + t.tool_name) || {}));
  const topTools = top(tools, 25, "calls");
  chart("tools", "tool-calls", "Tool calls per tool and source", topTools, {
    mark: "bar", width: 420, height: { step: 16 },
    encoding: { y: { field: "tool_name", type: "nominal", sort: "-x", title: null }, x: { field: "calls", type: "quantitative", aggregate: "sum", title: "calls", axis: { tickMinStep: 1, format: "d" } }, color: { field: "source", type: "nominal" },
      tooltip: [{ field: "tool_name", title: "tool" }, { field: "source" }, { field: "calls", aggregate: "sum", title: "calls" }] },
  }, "no tool call in published sessions");
  chart("tools", "tool-errors", "Tool error rate (calls with a known outcome)", topTools.filter((t) => t.with_known_outcome > 0), {
    mark: "bar", width: 360, height: { step: 12 },
    encoding: { y: { field: "tool_name", type: "nominal", title: null }, yOffset: { field: "source" }, x: { field: "error_rate", type: "quantitative", title: "error rate", axis: { format: "%" } }, color: { field: "source", type: "nominal" },
      tooltip: [{ field: "tool_name", title: "tool" }, { field: "source" }, { field: "error_rate", format: ".1%" }, { field: "errors" }, { field: "with_known_outcome", title: "known outcome" }] },
  }, "no tool call with a known outcome");
  chart("tools", "tool-durations", "Tool call duration: median and 90th percentile", topTools.filter((t) => t.timed_calls > 0), {
    width: 420, height: { step: 12 },
    encoding: { y: { field: "tool_name", type: "nominal", title: null }, yOffset: { field: "source" }, color: { field: "source", type: "nominal" } },
    layer: [
      { mark: "bar", encoding: { x: { field: "median_seconds", type: "quantitative", title: "seconds (bar: median, tick: p90)", scale: { type: "symlog" } }, tooltip: [{ field: "tool_name", title: "tool" }, { field: "source" }, { field: "median_seconds", title: "median s" }, { field: "p90_seconds", title: "p90 s" }, { field: "max_seconds", title: "max s" }, { field: "timed_calls", title: "timed calls" }] } },
      { mark: { type: "tick", color: "#1f2328" }, encoding: { x: { field: "p90_seconds", type: "quantitative" } } },
    ],
  }, "no answered tool call");
  renderTable("tool-table", tools, [
    ["tool_name", "tool"], ["source", "source"], ["calls", "calls", null, 1], ["unanswered", "unanswered", null, 1],
    ["errors", "errors", null, 1], ["error_rate", "error rate", fmtPct, 1], ["median_seconds", "median", fmtSeconds, 1],
    ["p90_seconds", "p90", fmtSeconds, 1], ["max_seconds", "max", fmtSeconds, 1],
  ], "no tool call in published sessions");

  // data quality
  const rejected = rows("report_rejected_reasons");
  const unknown = rows("report_unknown_line_types").map((r) => Object.assign(r, { line: r.line_type + (r.line_subtype ? "/" + r.line_subtype : "") + (r.item_type ? " [" + r.item_type + "]" : "") }));
  chart("quality", "rejected-lines", "Rejected lines by reason", rejected, {
    mark: "bar", width: 420, height: { step: 18 },
    encoding: { y: { field: "reject_reason", type: "nominal", sort: "-x", title: null, axis: { labelLimit: 360 } }, x: { field: "rejected_lines", type: "quantitative", aggregate: "sum", title: "lines", axis: { tickMinStep: 1, format: "d" } }, color: { field: "source", type: "nominal" },
      tooltip: [{ field: "reject_reason", title: "reason" }, { field: "source" }, { field: "rejected_lines", title: "lines" }, { field: "files" }] },
  }, "no rejected line");
  chart("quality", "unknown-line-types", "Line types the projection does not know", unknown, {
    mark: "bar", width: 420, height: { step: 18 },
    encoding: { y: { field: "line", type: "nominal", sort: "-x", title: null, axis: { labelLimit: 360 } }, x: { field: "line_count", type: "quantitative", aggregate: "sum", title: "lines", axis: { tickMinStep: 1, format: "d" } }, color: { field: "source", type: "nominal" },
      tooltip: [{ field: "line", title: "line type" }, { field: "source" }, { field: "client_version", title: "client version" }, { field: "line_count", title: "lines" }] },
  }, "no unknown line type");
  renderTable("unpriced-table", rows("report_unpriced_models"), [
    ["model", "model"], ["source", "source"], ["messages", "messages", null, 1], ["sessions", "sessions", null, 1],
    ["total_tokens", "tokens", fmtTokens, 1], ["first_at", "first", fmtTime], ["last_at", "last", fmtTime],
  ], "none: every model with usage has a price");
  renderTable("active-table", rows("report_active_sessions"), [
    ["session_id", "session"], ["source", "source"], ["project", "project"], ["thread_count", "threads", null, 1],
    ["last_activity_at", "last activity", fmtTime], ["settles_at", "settles at", fmtTime],
  ], "none: every session is settled and published");

  // ------------------------------------------------------------------ session explorer
  const EX = DATA.explorer;
  const PROMPTS = DATA.prompts || null;
  const tooltip = document.getElementById("tooltip");
  const list = document.getElementById("session-list");
  const search = document.getElementById("session-search");
  let selected = null;
  const searchable = sessionsAll.map((s) => [s, [s.session_id, s.title || "", s.project, s.source].join(" ").toLowerCase()]);
  function renderList() {
    const q = search.value.trim().toLowerCase();
    const hits = searchable.filter(([, text]) => !q || q.split(/\s+/).every((w) => text.includes(w))).map(([s]) => s);
    list.textContent = "";
    for (const s of hits.slice(0, 300)) {
      const li = el("li", { "data-session": s.session_id }, s.title || s.project.split("/").pop() || s.session_id);
      li.appendChild(el("small", {}, `${s.source} · ${shortId(s.session_id)} · ${fmtTime(s.first_activity_at).slice(0, 10)} · ${s.thread_count} threads · ${fmtCost(s.cost_usd)}${s.settle_status === "active" ? " · active" : ""}`));
      if (s.session_id === selected) li.classList.add("selected");
      li.addEventListener("click", () => selectSession(s.session_id));
      list.appendChild(li);
    }
    document.getElementById("session-count").textContent = `${hits.length} of ${sessionsAll.length} sessions` + (hits.length > 300 ? " (first 300 shown)" : "");
  }
  search.addEventListener("input", renderList);

  function laneOrder(threads) {
    // depth first from each root: a spawned thread right below its parent
    const children = new Map();
    const roots = [];
    threads.forEach((t, i) => {
      if (t.parent != null && t.parent !== i && threads[t.parent]) {
        if (!children.has(t.parent)) children.set(t.parent, []);
        children.get(t.parent).push(i);
      } else roots.push(i);
    });
    const order = [];
    const seen = new Set();
    (function walk(ids) {
      for (const i of ids) {
        if (seen.has(i)) continue;
        seen.add(i);
        order.push(i);
        walk(children.get(i) || []);
      }
    })(roots);
    threads.forEach((_, i) => { if (!seen.has(i)) order.push(i); });
    return order;
  }
  function tip(node, text) { node.setAttribute("data-tip", text); return node; }
  function drawTimeline(id) {
    const host = document.getElementById("timeline");
    host.textContent = "";
    const head = document.getElementById("session-head");
    const s = byId.get(id);
    const ex = EX.sessions[id];
    head.textContent = s ? `${s.title || "(no title)"} · ${s.source} · ${s.project} · ${id} · ${fmtTime(s.first_activity_at)} · ${fmtTokens(s.total_tokens)} tokens · ${fmtCost(s.cost_usd)}${s.settle_status === "active" ? " · active: not published yet (no turns or tool calls)" : ""}` : id;
    if (!ex || !ex.threads.kind.length) { host.appendChild(el("p", { class: "empty" }, "no thread of this session has a time")); return; }
    const th = ex.threads;
    const threads = th.kind.map((kind, i) => ({
      id: th.id[i], kind, agent_type: th.agent_type[i], model: th.model[i], parent: th.parent[i], spawned_at: th.spawned_at[i],
      start: th.start[i], end: th.end[i], messages: th.messages[i], input_tokens: th.input_tokens[i],
      cache_read_input_tokens: th.cache_read_input_tokens[i], output_tokens: th.output_tokens[i], tokens: th.tokens[i], cost_usd: th.cost_usd[i],
    }));
    const order = laneOrder(threads);
    const laneOf = new Map(order.map((i, pos) => [i, pos]));
    const turns = ex.turns || { lane: [] };
    const calls = ex.tool_calls || { lane: [] };
    const comps = ex.compactions || { lane: [] };
    let span = 0;
    for (const t of threads) span = Math.max(span, num(t.end), num(t.start));
    turns.lane.forEach((_, i) => { span = Math.max(span, num(turns.end[i])); });
    calls.lane.forEach((_, i) => { span = Math.max(span, num(calls.start[i]) + num(calls.seconds[i])); });
    span = span || 1;
    const L = 230, H = 30, TOP = 24;
    const W = Math.max(480, (host.clientWidth || 1120) - L - 24);
    const x = (t) => L + (Math.max(0, t) / span) * W;
    const y = (lanePos) => TOP + lanePos * H;
    const root = svg("svg", { width: L + W + 20, height: TOP + threads.length * H + 10, class: "lanes" }, host);
    const defs = svg("defs", {}, root);
    const marker = svg("marker", { id: "arrow", viewBox: "0 0 10 10", refX: 9, refY: 5, markerWidth: 6, markerHeight: 6, orient: "auto-start-reverse" }, defs);
    svg("path", { d: "M0,0 L10,5 L0,10 z", fill: "#0969da" }, marker);
    const axis = svg("g", { class: "axis" }, root);
    for (let k = 0; k <= 6; k++) {
      const t = (span * k) / 6;
      svg("line", { x1: x(t), x2: x(t), y1: TOP - 4, y2: TOP + threads.length * H }, axis);
      svg("text", { x: x(t), y: TOP - 8, "text-anchor": "middle" }, axis).textContent = "+" + fmtSeconds(t);
    }
    threads.forEach((t, i) => {
      const pos = laneOf.get(i);
      const g = svg("g", { class: "lane", "data-kind": t.kind, "data-thread": t.id }, root);
      svg("rect", { class: "lane-bg", x: 0, y: y(pos) + 2, width: L + W, height: H - 4 }, g);
      const name = t.kind.replace("_", " ") + (t.agent_type ? " · " + t.agent_type : "");
      svg("text", { class: "lane-label", x: 6, y: y(pos) + 13 }, g).textContent = name.slice(0, 34);
      svg("text", { class: "lane-sub", x: 6, y: y(pos) + 24 }, g).textContent = (t.model || "") + " · " + t.id;
      if (t.start == null) return;
      const color = KIND_COLORS[t.kind] || KIND_COLORS.other;
      tip(svg("rect", { class: "thread-span", x: x(t.start), y: y(pos) + 4, width: Math.max(2, x(num(t.end)) - x(t.start)), height: H - 8, fill: color, stroke: color }, g),
        `${name} thread\n${t.messages} messages, ${fmtSeconds(num(t.end) - t.start)}\ntokens ${fmtTokens(t.tokens)} (input ${fmtTokens(t.input_tokens)}, cache read ${fmtTokens(t.cache_read_input_tokens)}, output ${fmtTokens(t.output_tokens)})\ncost ${fmtCost(t.cost_usd)}`);
    });
    const promptOf = new Map(((PROMPTS && PROMPTS[id]) || []).map(([lane, seq, text]) => [lane + "|" + seq, text]));
    turns.lane.forEach((lane, i) => {
      const pos = laneOf.get(lane);
      if (pos == null || turns.start[i] == null) return;
      const t = threads[lane];
      const x0 = x(turns.start[i]);
      const x1 = x(num(turns.end[i] == null ? turns.start[i] : turns.end[i]));
      let text = `turn ${turns.seq[i] + 1} · ${fmtSeconds(num(turns.end[i]) - turns.start[i])}\ntokens ${fmtTokens(turns.tokens[i])} · cost ${fmtCost(turns.cost_usd[i])}\n${turns.tool_calls[i]} tool calls (${turns.tool_errors[i]} failed), ${turns.subagents[i]} subagents${turns.interrupted[i] ? "\ninterrupted" : ""}`;
      const prompt = promptOf.get(lane + "|" + turns.seq[i]);
      if (prompt) text += "\nprompt: " + prompt.slice(0, 300);
      tip(svg("rect", { class: "turn", x: x0, y: y(pos) + 7, width: Math.max(3, x1 - x0), height: H - 19, fill: KIND_COLORS[t.kind] || KIND_COLORS.other }, root), text);
    });
    calls.lane.forEach((lane, i) => {
      const pos = laneOf.get(lane);
      if (pos == null) return;
      const secs = calls.seconds[i];
      const failed = calls.error[i] === 1;
      tip(svg("rect", { class: "tool-call" + (failed ? " error" : ""), x: x(calls.start[i]), y: y(pos) + H - 11, width: Math.max(2, x(calls.start[i] + num(secs)) - x(calls.start[i])), height: 5 }, root),
        `${EX.tools[calls.tool[i]]} · ${secs == null ? "no result" : fmtSeconds(secs)}${failed ? " · failed" : ""}`);
    });
    comps.lane.forEach((lane, i) => {
      const pos = laneOf.get(lane);
      if (pos == null) return;
      const cx = x(comps.at[i]), cy = y(pos) + H / 2;
      tip(svg("path", { class: "compaction", d: `M${cx},${cy - 7} L${cx + 6},${cy} L${cx},${cy + 7} L${cx - 6},${cy} z` }, root), `compaction at +${fmtSeconds(comps.at[i])}`);
    });
    threads.forEach((t, i) => {
      if (t.parent == null || !threads[t.parent] || t.parent === i || t.start == null) return;
      const parent = t.parent;
      const known = t.spawned_at != null;
      const x0 = x(known ? t.spawned_at : t.start), y0 = y(laneOf.get(parent)) + H / 2;
      const x1 = x(t.start), y1 = y(laneOf.get(i)) + H / 2;
      const mid = (y0 + y1) / 2;
      tip(svg("path", { class: "spawn-link" + (known ? "" : " unknown"), d: `M${x0},${y0} C${x0},${mid} ${x1},${mid} ${x1 - 1},${y1}`, "marker-end": "url(#arrow)" }, root),
        `${t.kind.replace("_", " ")}${t.agent_type ? " " + t.agent_type : ""} spawned ${known ? "at +" + fmtSeconds(t.spawned_at) + " by a tool call of" : "by"} ${threads[parent].kind} thread ${threads[parent].id}`);
    });
    const promptsHost = document.getElementById("session-prompts");
    promptsHost.textContent = "";
    if (PROMPTS) {
      promptsHost.appendChild(el("h3", {}, "Prompts (included with --include-prompts)"));
      for (const [lane, seq, text] of PROMPTS[id] || []) promptsHost.appendChild(el("div", { class: "prompt", title: `lane ${lane}, turn ${seq + 1}` }, text));
    }
  }
  function selectSession(id, quiet) {
    selected = id;
    for (const li of list.children) {
      li.classList.toggle("selected", li.dataset.session === id);
      if (li.dataset.session === id) list.scrollTop = li.offsetTop - list.offsetTop - 40;
    }
    drawTimeline(id);
    if (!quiet && location.hash !== "#sessions/" + id) history.replaceState(null, "", "#sessions/" + id);
  }
  document.getElementById("timeline").addEventListener("mousemove", (e) => {
    const target = e.target.closest && e.target.closest("[data-tip]");
    if (!target) { tooltip.hidden = true; return; }
    tooltip.textContent = target.getAttribute("data-tip");
    tooltip.hidden = false;
    tooltip.style.left = Math.min(e.clientX + 14, window.innerWidth - 430) + "px";
    tooltip.style.top = e.clientY + 14 + "px";
  });
  document.getElementById("timeline").addEventListener("mouseleave", () => { tooltip.hidden = true; });

  // ------------------------------------------------------------------ tabs
  const sections = [...document.querySelectorAll("main > section")];
  function show(tab) {
    const name = sections.some((s) => s.id === tab) ? tab : "usage";
    const wasHidden = !document.getElementById(name).classList.contains("active");
    sections.forEach((s) => s.classList.toggle("active", s.id === name));
    if (name === "sessions" && wasHidden && selected) drawTimeline(selected);
    document.querySelectorAll("#tabs button").forEach((b) => b.classList.toggle("active", b.dataset.tab === name));
  }
  document.querySelectorAll("#tabs button").forEach((b) => b.addEventListener("click", () => { show(b.dataset.tab); history.replaceState(null, "", "#" + b.dataset.tab); }));
  function fromHash() {
    const [tab, id] = location.hash.replace(/^#/, "").split("/");
    show(tab);
    if (tab === "sessions" && id && byId.has(id)) selectSession(id, true);
  }
  window.addEventListener("hashchange", fromHash);

  // the first session shown: the one with the most threads
  const busiest = sessionsAll.slice().sort((a, b) => b.thread_count - a.thread_count)[0];
  renderList();
  if (busiest) selectSession(busiest.session_id, true);
  fromHash();
  renderCharts().then(() => { state.ready = true; document.body.dataset.ready = "1"; });
})();
