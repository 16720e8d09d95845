"""`make report` (python -m agent_threads.report): the static report, built on real dbt builds
of the sample logs (and of the real fixtures when ../shared/fixtures/real is there).

- Privacy: no file of the report holds message text (prompts, answers, tool input or
  output) in any encoding we can think of (as is, HTML-escaped, JSON-escaped, base64); the
  same scan over a report built with --include-prompts must find prompts (so it can fail).
- Offline and in a real browser: headless Debian Chromium, driven over the DevTools
  protocol (tests/support/cdp.py), opens the report from file://: every chart renders with
  data under its title, the console shows no error, nothing but the file is requested; the
  session explorer, driven to a session with subagents, draws its lanes and spawn links
  and shows tokens and cost on hover. A page that loads something from the network, and a
  page whose charts cannot render, must fail those checks (negative controls).
- Screenshots land in artifacts/report_*.png (gitignored).
"""

from __future__ import annotations

import base64
import html
import json
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

import duckdb
import pytest
from support.cdp import Browser, Page
from support.dbt_project import REPO, DbtHome
from test_docs_site import chromium  # noqa: F401  (Debian's chromium, installed when missing)

ARTIFACTS = REPO / "artifacts"
MIN_TEXT = 20  # message texts longer than this must not appear in the report
PROBE = 64  # chars of each encoded text searched for (a leak of its start is a leak)

# every chart the report draws, by page, with the title it must show (the sample logs
# have data for each of them)
EXPECTED_CHARTS = {
    "usage": [
        "Cost per day",
        "Tokens per day",
        "Cache read share of input tokens, per day",
        "Cost per week by source",
        "Cost per month by source",
    ],
    "projects": ["Cost per project", "Sessions and threads per project"],
    "threads": [
        "Threads per session, by kind",
        "Subagent fan-out: sessions by number of subagents",
        "Share of tokens outside the main thread, per session",
    ],
    "tools": [
        "Tool calls per tool and source",
        "Tool error rate (calls with a known outcome)",
        "Tool call duration: median and 90th percentile",
    ],
    "quality": ["Rejected lines by reason"],
}
#: charts the sample logs leave empty on purpose: their empty-state text is checked instead
EMPTY_ON_SAMPLES = {
    "quality": {"Line types the projection does not know": "no unknown line type"},
}
MARKS = (
    "svg .mark-rect path, svg .mark-line path, svg .mark-symbol path, svg .mark-tick path,"
    " svg .mark-area path, svg .mark-arc path"
)

pytestmark = pytest.mark.dbt


# ------------------------------------------------------------------------------ building


def run_report(
    home: DbtHome, out: Path, cache: Path, *args: str
) -> tuple[subprocess.CompletedProcess, float]:
    started = time.perf_counter()
    done = subprocess.run(
        [
            sys.executable,
            *("-m", "agent_threads.report", "--out", str(out), "--cache", str(cache)),
            *args,
        ],
        cwd=REPO,
        env=home.env(),
        capture_output=True,
        text=True,
        check=False,
    )
    elapsed = time.perf_counter() - started
    assert done.returncode == 0, done.stdout + done.stderr
    return done, elapsed


@pytest.fixture(scope="session")
def report_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One cache (the Vega bundle, compiled analyses) for every report of the run."""
    return tmp_path_factory.mktemp("report_cache")


@pytest.fixture(scope="module")
def sample_report(
    sample_build: DbtHome, report_cache: Path, tmp_path_factory: pytest.TempPathFactory
) -> Path:
    out = tmp_path_factory.mktemp("report")
    run_report(sample_build, out, report_cache)
    return out


@pytest.fixture(scope="module")
def sample_prompt_report(
    sample_build: DbtHome, report_cache: Path, tmp_path_factory: pytest.TempPathFactory
) -> Path:
    out = tmp_path_factory.mktemp("report_prompts")
    run_report(sample_build, out, report_cache, "--include-prompts")
    return out


# ------------------------------------------------------------------------------ privacy


def string_leaves(value: object) -> list[str]:
    """The strings inside a parsed JSON value (a tool's arguments, a message's parts)."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [leaf for item in value.values() for leaf in string_leaves(item)]
    if isinstance(value, list):
        return [leaf for item in value for leaf in string_leaves(item)]
    return []


def message_texts(home: DbtHome) -> list[str]:
    """Every prompt, answer, reasoning, tool input and tool output over MIN_TEXT chars: the
    columns whole, and each string inside the JSON of tool inputs and message parts (a
    Task call's description, a Bash command, a file's path and content...)."""
    rows = home.query(
        f"""
        select text from messages where length(text) > {MIN_TEXT}
        union select tool_input from tool_calls where length(tool_input) > {MIN_TEXT}
        union select tool_output from tool_calls where length(tool_output) > {MIN_TEXT}
        union select prompt_text from turns where length(prompt_text) > {MIN_TEXT}
        """
    )
    texts = {text for (text,) in rows}
    documents = home.query(
        "select tool_input from tool_calls where tool_input is not null"
        " union all select content from messages where content is not null"
    )
    for (document,) in documents:
        try:
            parsed = json.loads(document)
        except ValueError:
            continue
        texts.update(leaf for leaf in string_leaves(parsed) if len(leaf) > MIN_TEXT)
    return sorted(texts - allowed_names(home))


def allowed_names(home: DbtHome) -> set[str]:
    """What the report may show although a message also holds it: a project's folder (a
    `cd` into it, a file path argument), a session title, a tool, model or agent type name."""
    rows = home.query(
        """
        select unnest(cwds) from sessions
        union select cwd from sessions union select title from sessions
        union select tool_name from tool_calls union select agent_type from threads
        union select unnest(models) from threads
        """
    )
    return {name for (name,) in rows if name}


def prompt_texts(home: DbtHome) -> list[str]:
    rows = home.query(
        f"select prompt_text from turns where length(prompt_text) between {MIN_TEXT + 1} and 1500"
    )
    return sorted({text for (text,) in rows})


def encodings(text: str) -> set[str]:
    """The text as it could sit in an HTML, JS or JSON file: its first PROBE chars each time."""
    forms = {
        text,
        html.escape(text, quote=True),
        html.escape(text, quote=False),
        json.dumps(text)[1:-1],
        json.dumps(text, ensure_ascii=False)[1:-1],
        json.dumps(text, ensure_ascii=False)[1:-1]
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026"),
        urllib.parse.quote(text),
        urllib.parse.quote_plus(text),
    }
    raw = text.encode()
    for offset in range(3):  # any alignment inside a larger base64 blob
        if len(raw) - offset >= 12:
            for encode in (base64.b64encode, base64.urlsafe_b64encode):
                encoded = encode(raw[offset:]).decode()
                forms.add(encoded[:-4] if len(encoded) > 8 else encoded)
    return {form[:PROBE] for form in forms if len(form) >= 16}


def leaks(folder: Path, texts: list[str]) -> list[str]:
    """The texts found, in any of their encodings, in any file under folder."""
    files = [p for p in folder.rglob("*") if p.is_file()]
    assert files, f"no file under {folder}"
    haystack = "\n".join(p.read_text(errors="replace") for p in files)
    return [text for text in texts if any(form in haystack for form in encodings(text))]


def test_report_is_one_file_and_reruns_without_dbt(
    sample_build: DbtHome, report_cache: Path, sample_report: Path
) -> None:
    assert [p.name for p in sample_report.rglob("*")] == ["index.html"]
    size = (sample_report / "index.html").stat().st_size
    assert size < 5_000_000, f"the report on the sample logs is {size / 1e6:.1f} MB (limit 5 MB)"
    # a rebuild on the same database reuses the compiled analyses and the Vega bundle
    done, elapsed = run_report(sample_build, sample_report, report_cache)
    assert "compiling" not in done.stderr and "bundling" not in done.stderr, done.stderr
    assert elapsed < 10, f"a rebuild of the report took {elapsed:.1f} s"


def test_no_message_text_in_the_report(sample_build: DbtHome, sample_report: Path) -> None:
    texts = message_texts(sample_build)
    assert len(texts) > 50, "the sample logs should hold message text to look for"
    found = leaks(sample_report, texts)
    assert not found, f"{len(found)} message texts in the report, e.g. {found[0][:200]!r}"
    page = (sample_report / "index.html").read_text()
    assert "No message text" in page and "includes prompt text" not in page


def test_include_prompts_puts_prompts_in_and_says_so(
    sample_build: DbtHome, sample_prompt_report: Path
) -> None:
    """Control for the scan above: with --include-prompts it must find the prompts."""
    prompts = prompt_texts(sample_build)
    assert prompts, "the sample logs hold no prompt to look for"
    found = leaks(sample_prompt_report, prompts)
    assert len(found) == len(prompts), sorted(set(prompts) - set(found))[:3]
    page = (sample_prompt_report / "index.html").read_text()
    assert "This report includes prompt text" in page


@pytest.mark.real_fixtures
def test_real_fixtures_report_is_small_and_holds_no_message_text(
    real_build: DbtHome, report_cache: Path, tmp_path: Path
) -> None:
    run_report(real_build, tmp_path, report_cache)
    size = (tmp_path / "index.html").stat().st_size
    assert size < 8_000_000, f"the report on the real fixtures is {size / 1e6:.1f} MB"
    shown = json.loads(_data_json(tmp_path))["tables"]["report_sessions"]["rows"]
    assert len(shown) == real_build.scalar("select count(*) from sessions")
    texts = message_texts(real_build)
    assert len(texts) > 500
    found = leaks(tmp_path, texts)
    assert not found, f"{len(found)} message texts in the report, e.g. {found[0][:200]!r}"


def _data_json(folder: Path) -> str:
    page = (folder / "index.html").read_text()
    start = page.index('<script type="application/json" id="report-data">') + len(
        '<script type="application/json" id="report-data">'
    )
    return page[start : page.index("</script>", start)]


def test_a_database_held_by_a_writer_is_a_clear_refusal(
    sample_build: DbtHome, report_cache: Path, sample_report: Path, tmp_path: Path
) -> None:
    """While a build holds the database, the report says so and exits 75, as `make build`
    does; the dbt compile never opens the real database (it compiles on an empty twin)."""
    copy = tmp_path / sample_build.db_path.name
    copy.write_bytes(sample_build.db_path.read_bytes())
    env = {**sample_build.env(), "AGENT_THREADS_DB": str(copy)}
    command = [sys.executable, "-m", "agent_threads.report", "--out", str(tmp_path / "out")]
    (tmp_path / "cache").mkdir()
    for bundle in report_cache.glob("vega-bundle-*.js"):  # only the compile runs again
        (tmp_path / "cache" / bundle.name).write_bytes(bundle.read_bytes())
    with duckdb.connect(str(copy)):  # a writer, as a running build is
        done = subprocess.run(
            [*command, "--cache", str(tmp_path / "cache")],
            cwd=REPO,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
    assert done.returncode == 75, done.stderr
    assert "is a build running?" in done.stderr and "Traceback" not in done.stderr
    assert "compiling" in done.stderr  # the compile itself went through


def test_no_database_says_to_build_first(tmp_path: Path) -> None:
    env = {**DbtHome(tmp_path).env(), "AGENT_THREADS_DB": str(tmp_path / "none.duckdb")}
    done = subprocess.run(
        [sys.executable, "-m", "agent_threads.report", "--out", str(tmp_path / "out")],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 66, done.stderr
    assert "run `make build` first" in done.stderr and not (tmp_path / "out").exists()


def test_compiled_analyses_are_keyed_by_what_dbt_reads(tmp_path: Path) -> None:
    """A change to an analysis, a macro, the zone or the catalog name compiles again."""
    from agent_threads.report.queries import fingerprint

    (tmp_path / "analyses").mkdir()
    (tmp_path / "macros").mkdir()
    (tmp_path / "analyses" / "a.sql").write_text("select 1")
    db = tmp_path / "agent_threads.duckdb"
    first = fingerprint(tmp_path, ["a"], "", db)
    assert fingerprint(tmp_path, ["a"], "", tmp_path / "elsewhere" / db.name) == first
    assert fingerprint(tmp_path, ["a"], "Asia/Tokyo", db) != first
    assert fingerprint(tmp_path, ["a"], "", tmp_path / "other.duckdb") != first
    (tmp_path / "macros" / "m.sql").write_text("{% macro m() %}1{% endmacro %}")
    second = fingerprint(tmp_path, ["a"], "", db)
    assert second != first
    (tmp_path / "analyses" / "a.sql").write_text("select 2")
    assert fingerprint(tmp_path, ["a"], "", db) not in (first, second)


def test_script_json_cannot_close_its_script_element() -> None:
    """A title is the user's text: one holding `</script>` must stay inside the JSON."""
    from agent_threads.report.page import _script_json

    hostile = "</script><script>alert(1)</script>\u2028<!--"
    text = _script_json({"title": hostile})
    assert "</script" not in text.lower() and "<!--" not in text and "\u2028" not in text
    assert json.loads(text) == {"title": hostile}


# ------------------------------------------------------------------------------ the browser


@pytest.fixture(scope="module")
def browser(chromium: str):  # noqa: F811
    opened = Browser(chromium)
    yield opened
    opened.close()


def open_report(browser: Browser, page_file: Path, width: int = 1500) -> Page:
    page = browser.page(width=width, height=1100)
    page.navigate(page_file.resolve().as_uri())
    page.wait_for("window.__report && window.__report.ready", timeout=60)
    return page


def show_tab(page: Page, tab: str) -> None:
    page.click(*page.center_of(f'#tabs button[data-tab="{tab}"]'))
    page.wait_for(f"document.getElementById({json.dumps(tab)}).classList.contains('active')")


def assert_charts(page: Page, section: str, titles: list[str]) -> None:
    """Every expected chart of the section is shown under its title, as SVG with marks."""
    shown = page.evaluate(
        f"[...document.querySelectorAll('#{section} figure.chart')].map(f => ["
        " f.querySelector('h3').textContent,"
        " f.querySelectorAll('svg, canvas').length,"
        f" f.querySelectorAll({json.dumps(MARKS)}).length,"
        " f.getBoundingClientRect().height])"
    )
    by_title = {title: (svgs, marks, height) for title, svgs, marks, height in shown}
    for title in titles:
        assert title in by_title, f"no chart titled {title!r} on {section}: {list(by_title)}"
        svgs, marks, height = by_title[title]
        assert svgs >= 1 and marks >= 1, f"{title!r} rendered no mark ({svgs} svg, {marks} marks)"
        assert height > 100, f"{title!r} is not visible ({height} px)"


def assert_offline(page: Page, page_file: Path) -> None:
    assert page.errors() == [], page.errors()
    urls = page.requested_urls()
    assert urls == [page_file.resolve().as_uri()], f"the page requested {urls}"


def test_report_renders_offline_in_chromium(
    browser: Browser, sample_report: Path, sample_build: DbtHome
) -> None:
    page_file = sample_report / "index.html"
    page = open_report(browser, page_file)
    ARTIFACTS.mkdir(exist_ok=True)
    for section, titles in EXPECTED_CHARTS.items():
        show_tab(page, section)
        assert_charts(page, section, titles)
        for title, text in EMPTY_ON_SAMPLES.get(section, {}).items():
            shown = page.evaluate(
                f"[...document.querySelectorAll('#{section} figure.chart')]"
                f".filter(f => f.querySelector('h3').textContent === {json.dumps(title)})"
                ".map(f => f.querySelector('p.empty') && f.querySelector('p.empty').textContent)"
            )
            assert shown == [text], f"{title!r}: {shown}"
        page.screenshot(ARTIFACTS / f"report_{section}.png")
    # the per-session thread table lists every session (the samples hold fewer than 200)
    rows = page.evaluate("document.querySelectorAll('#thread-table tr').length")
    assert rows - 1 == sample_build.scalar("select count(*) from sessions")
    assert page.evaluate("window.__report.errors") == []
    assert_offline(page, page_file)


def test_session_explorer_draws_lanes_spawn_links_and_hover(
    browser: Browser, sample_report: Path, sample_build: DbtHome
) -> None:
    session_id, threads, spawned = sample_build.query(
        """
        select session_id, count(*) as threads,
               count(*) filter (where spawned_by_message_id is not null) as spawned
        from threads group by session_id
        having count(*) filter (where thread_kind = 'subagent') > 0
        order by spawned desc, threads desc, session_id limit 1
        """
    )[0]
    assert spawned >= 1
    page_file = sample_report / "index.html"
    page = open_report(browser, page_file)
    show_tab(page, "sessions")
    page.click(*page.center_of("#session-search"))
    page.type_text(session_id[:13])
    page.wait_for("document.querySelectorAll('#session-list li').length === 1")
    page.click(*page.center_of(f'#session-list li[data-session="{session_id}"]'))
    page.wait_for(f"location.hash === {json.dumps('#sessions/' + session_id)}")
    lanes = page.evaluate("document.querySelectorAll('#timeline g.lane').length")
    links = page.evaluate("document.querySelectorAll('#timeline .spawn-link').length")
    assert lanes == threads, f"{lanes} lanes for the {threads} threads of {session_id}"
    assert links >= spawned, f"{links} spawn links, {spawned} threads spawned by a tool call"
    assert page.evaluate("document.querySelectorAll('#timeline .turn').length") >= 1
    assert page.evaluate("document.querySelectorAll('#timeline .tool-call').length") >= 1
    # hovering a turn shows its tokens and cost
    page.mouse("mouseMoved", *page.center_of("#timeline .turn"))
    page.wait_for("!document.getElementById('tooltip').hidden")
    tip = page.evaluate("document.getElementById('tooltip').textContent")
    assert "tokens" in tip and "cost $" in tip, tip
    page.mouse("mouseMoved", 5, 5)
    page.screenshot(ARTIFACTS / "report_session_explorer.png")
    # every session draws (no times, no turns, active ones too) without an error
    for (other,) in sample_build.query("select session_id from sessions order by 1"):
        page.evaluate(f"location.hash = {json.dumps('#sessions/' + other)}")
        page.wait_for(
            f"document.getElementById('session-head').textContent.includes({json.dumps(other)})"
        )
    assert_offline(page, page_file)


def test_a_page_that_goes_online_fails(browser: Browser, sample_report: Path, tmp_path) -> None:
    """Negative control: the same report with an image and a fetch from the network."""
    online = tmp_path / "index.html"
    online.write_text(
        (sample_report / "index.html")
        .read_text()
        .replace(
            "</body>",
            '<img src="http://127.0.0.1:9/pixel.png">'
            "<script>fetch('http://127.0.0.1:9/data.json').catch(() => {});</script></body>",
        )
    )
    page = open_report(browser, online)
    time.sleep(0.5)
    with pytest.raises(AssertionError):
        assert_offline(page, online)


def test_a_page_whose_charts_cannot_render_fails(
    browser: Browser, sample_report: Path, tmp_path
) -> None:
    """Negative control: the report without its Vega bundle draws no chart."""
    text = (sample_report / "index.html").read_text()
    broken = tmp_path / "index.html"
    broken.write_text(text.replace("window.vegaEmbed=", "window.vegaEmbedGone=", 1))
    page = browser.page()
    page.navigate(broken.resolve().as_uri())
    page.wait_for("window.__report && window.__report.ready")
    with pytest.raises(AssertionError):
        assert_charts(page, "usage", EXPECTED_CHARTS["usage"])


@pytest.mark.real_fixtures
def test_real_fixtures_report_in_chromium(
    browser: Browser, real_build: DbtHome, report_cache: Path, tmp_path: Path
) -> None:
    """The real logs' report: every chart that has data draws it, every session draws in
    the explorer, no error, no request."""
    run_report(real_build, tmp_path, report_cache)
    page_file = tmp_path / "index.html"
    page = open_report(browser, page_file)
    charts = page.evaluate("window.__report.charts")
    with_data = [c for c in charts if c["rows"] > 0]
    assert len(with_data) >= 10, charts
    for chart in with_data:
        assert chart["rendered"], chart
        marks = page.evaluate(
            f"document.querySelectorAll('#chart-{chart['id']} :is({MARKS})').length"
        )
        assert marks >= 1, chart
    show_tab(page, "sessions")
    for (session_id,) in real_build.query("select session_id from sessions order by 1"):
        page.evaluate(f"location.hash = {json.dumps('#sessions/' + session_id)}")
        page.wait_for(
            "document.getElementById('session-head').textContent"
            f".includes({json.dumps(session_id)})"
        )
    busiest = real_build.scalar(
        "select session_id from sessions order by thread_count desc, session_id limit 1"
    )
    page.evaluate(f"location.hash = {json.dumps('#sessions/' + busiest)}")
    page.wait_for(f"document.getElementById('session-head').textContent.includes('{busiest}')")
    page.screenshot(ARTIFACTS / "report_real_session_explorer.png")
    assert_offline(page, page_file)
