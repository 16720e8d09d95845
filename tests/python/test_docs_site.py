"""The docs site in a real browser: `dbt docs generate --static` opened from file:// in headless
Chromium, on the `messages` model, must show the `session_id` column with its description; the
overview page (the `__overview__` doc block, models/overview.md) must show the v6 identity table
and links to the column docs of the marts and to the analyses, and those links must open them.

Needs Debian's `chromium` (.ci/run installs it; as root the set-up here installs it too, else
the browser tests skip and say why). Screenshots land in `artifacts/docs_messages.png` and
`artifacts/docs_overview.png` at the repository root (gitignored) for a person to look at after
the run.
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from support.dbt_project import REPO, DbtHome

ARTIFACTS = REPO / "artifacts"
SCREENSHOT = ARTIFACTS / "docs_messages.png"
OVERVIEW_SCREENSHOT = ARTIFACTS / "docs_overview.png"
# what session_id's description must say, wherever it is shown
SESSION_ID_FACT = "partition key"
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--hide-scrollbars",
    "--virtual-time-budget=20000",
)

pytestmark = pytest.mark.dbt

# One docs build per pytest process, shared with test_doc_coverage.py (which imports the
# fixture): the dict is module state, so importing the fixture elsewhere reuses the build.
_DOCS_BUILD: dict[str, DbtHome] = {}


@pytest.fixture(scope="session")
def docs_build(tmp_path_factory: pytest.TempPathFactory) -> DbtHome:
    """A real `dbt build` of the sample logs, then `dbt docs generate --static`, in a tmp home."""
    if "home" not in _DOCS_BUILD:
        home = DbtHome(tmp_path_factory.mktemp("docs_build"))
        home.build()
        home.dbt("docs", "generate", "--static")
        _DOCS_BUILD["home"] = home
    return _DOCS_BUILD["home"]


def find_chromium() -> str | None:
    for name in (os.environ.get("AGENT_THREADS_CHROMIUM"), "chromium", "chromium-browser"):
        if name and shutil.which(name):
            return shutil.which(name)
    return None


@pytest.fixture(scope="session")
def chromium() -> str:
    """Debian's chromium; installed with apt-get when missing and running as root."""
    found = find_chromium()
    if found is None and hasattr(os, "geteuid") and os.geteuid() == 0 and shutil.which("apt-get"):
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        for command in (
            ["apt-get", "install", "-y", "-qq", "chromium"],
            ["apt-get", "update", "-qq"],
            ["apt-get", "install", "-y", "-qq", "chromium"],
        ):
            subprocess.run(command, env=env, capture_output=True, check=False, timeout=900)
            found = find_chromium()
            if found:
                break
    if found is None:
        pytest.skip(
            "headless Chromium not found: install Debian's `chromium` "
            "(`apt-get install -y chromium`, as .ci/run does) to run the docs site browser test"
        )
    return found


def run_chromium(chromium: str, url: str, *args: str) -> subprocess.CompletedProcess:
    with tempfile.TemporaryDirectory(prefix="chromium-profile-") as profile:
        return subprocess.run(
            [chromium, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *args, url],
            capture_output=True,
            text=True,
            timeout=180,
            check=False,
        )


def rendered_columns(dom: str) -> dict[str, str]:
    """Column name -> description text, as the docs page RENDERED them (scripts ignored)."""
    dom = re.sub(r"<script\b.*?</script>", "", dom, flags=re.S | re.I)
    columns: dict[str, str] = {}
    for row in re.findall(r'<tr\b[^>]*class="[^"]*\bcolumn-row\b[^"]*"[^>]*>(.*?)</tr>', dom, re.S):
        cells = [
            " ".join(html.unescape(re.sub(r"<[^>]+>", " ", cell)).split())
            for cell in re.findall(r"<td\b[^>]*>(.*?)</td>", row, re.S)
        ]
        if len(cells) >= 3 and cells[0]:
            columns.setdefault(cells[0], cells[2])
    return columns


def messages_node_id(target: Path) -> str:
    """The unique id of the latest version of `messages` (the docs route names it)."""
    manifest = json.loads((target / "manifest.json").read_text())
    for node_id, node in manifest["nodes"].items():
        if node["resource_type"] == "model" and node["name"] == "messages":
            latest = node.get("latest_version")
            if latest is None or str(node.get("version")) == str(latest):
                return node_id
    raise AssertionError("no messages model in the manifest")


def page_url(page: Path, node_id: str) -> str:
    return f"{page.resolve().as_uri()}#!/model/{node_id}?section=columns"


def session_id_description(chromium: str, page: Path, node_id: str) -> str | None:
    """Open the page from file:// in headless Chromium; the rendered session_id description."""
    result = run_chromium(chromium, page_url(page, node_id), "--dump-dom")
    assert result.returncode == 0, result.stderr[-3000:]
    columns = rendered_columns(result.stdout)
    assert columns, f"the docs page rendered no column table: {result.stdout[:2000]}"
    return columns.get("session_id")


def assert_described(description: str | None) -> None:
    assert description is not None, "the messages page shows no session_id column"
    assert description.strip(), "session_id is shown without a description"
    assert SESSION_ID_FACT in description, description


def test_static_docs_page_is_self_contained(docs_build: DbtHome) -> None:
    page = docs_build.base / "target" / "static_index.html"
    assert page.is_file(), "dbt docs generate --static wrote no static_index.html"
    text = page.read_text()
    # no external scripts or stylesheets: it must work offline from file://
    assert not re.search(r"<script[^>]+src=[\"']https?:", text)
    assert not re.search(r"<link[^>]+rel=[\"']stylesheet[\"'][^>]+href=[\"']https?:", text)
    # manifest and catalog are inlined, and the catalog was filled from the built database
    catalog = json.loads((docs_build.base / "target" / "catalog.json").read_text())
    assert "model.agent_threads.messages.v6" in catalog["nodes"]
    assert "session_id" in catalog["nodes"]["model.agent_threads.messages.v6"]["columns"]
    assert '"catalog":' in text or "catalog:" in text


def test_messages_page_shows_session_id_description(docs_build: DbtHome, chromium: str) -> None:
    target = docs_build.base / "target"
    page = target / "static_index.html"
    node_id = messages_node_id(target)
    assert_described(session_id_description(chromium, page, node_id))

    ARTIFACTS.mkdir(exist_ok=True)
    SCREENSHOT.unlink(missing_ok=True)
    shot = run_chromium(
        chromium, page_url(page, node_id), "--window-size=2600,1500", f"--screenshot={SCREENSHOT}"
    )
    assert shot.returncode == 0, shot.stderr[-3000:]
    assert SCREENSHOT.is_file() and SCREENSHOT.stat().st_size > 10_000, "no screenshot written"


def test_a_missing_description_fails(docs_build: DbtHome, chromium: str, tmp_path: Path) -> None:
    """Negative control: the same page with session_id's description blanked in its inlined
    manifest must fail the check (so the check above cannot pass on an undocumented column)."""
    target = docs_build.base / "target"
    node_id = messages_node_id(target)
    manifest = json.loads((target / "manifest.json").read_text())
    description = manifest["nodes"][node_id]["columns"]["session_id"]["description"]
    text = (target / "static_index.html").read_text()
    encoded = [e for e in (json.dumps(description), json.dumps(description, ensure_ascii=False))]
    hits = [e for e in encoded if e in text]
    assert hits, "session_id's description is not inlined in static_index.html"
    blanked = tmp_path / "static_index.html"
    blanked.write_text(text.replace(hits[0], '""'))

    rendered = session_id_description(chromium, blanked, node_id)
    with pytest.raises(AssertionError):
        assert_described(rendered)


# ---------------------------------------------------------------- the overview page

IDENTITY_COLUMNS = ["session_id", "conversation_id", "agent_id", "parent_thread_id", "thread_id"]
FIRST_TABLES = ["messages", "threads", "sessions", "tool_calls", "turns"]
OVERVIEW_ANALYSES = [
    "daily_cost_by_model",
    "daily_cost_by_source",
    "cost_by_project",
    "off_main_thread_share_per_session",
    "off_main_thread_share_per_day",
]


def cell_text(cell: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", cell)).split())


def rendered_tables(dom: str) -> list[list[list[str]]]:
    """Every table the page rendered: rows of cell texts (header cells included)."""
    dom = re.sub(r"<script\b.*?</script>", "", dom, flags=re.S | re.I)
    return [
        [
            [cell_text(cell) for cell in re.findall(r"<t[hd]\b[^>]*>(.*?)</t[hd]>", row, re.S)]
            for row in re.findall(r"<tr\b[^>]*>(.*?)</tr>", table, re.S)
        ]
        for table in re.findall(r"<table\b[^>]*>(.*?)</table>", dom, re.S)
    ]


def overview_links(dom: str) -> set[str]:
    """The docs routes the overview's own text links to (the side tree left out)."""
    dom = re.sub(r"<script\b.*?</script>", "", dom, flags=re.S | re.I)
    start = dom.find("The tables to query first")
    end = dom.find("Every column of every model is described", start)
    assert start >= 0 and end > start, "the overview page does not show its own sections"
    return set(re.findall(r'href="(#!/(?:model|analysis)/[^"]+)"', dom[start:end]))


def overview_dom(chromium: str, page: Path) -> str:
    result = run_chromium(chromium, f"{page.resolve().as_uri()}#!/overview", "--dump-dom")
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


def node_id_of(manifest: dict, resource_type: str, name: str) -> str:
    for node_id, node in manifest["nodes"].items():
        if node["resource_type"] == resource_type and node["name"] == name:
            latest = node.get("latest_version")
            if latest is None or str(node.get("version")) == str(latest):
                return node_id
    raise AssertionError(f"no {resource_type} {name} in the manifest")


def assert_overview(dom: str, manifest: dict) -> None:
    identity = [
        table for table in rendered_tables(dom) if table and table[0][:2] == ["column", "null?"]
    ]
    assert identity, "the overview page shows no identity table (column | null? | ...)"
    rows = identity[0]
    assert rows[0][2:] == [
        "Claude Code main thread",
        "Claude Code subagent thread",
        "Codex thread (root or sub-agent)",
        "GitHub Copilot CLI thread (main, subagent, compaction)",
        "Gemini CLI thread (main or subagent)",
    ], rows[0]
    assert [row[0].split()[0] for row in rows[1:]] == IDENTITY_COLUMNS
    assert rows[-1] == [
        "thread_id (derived)", "never", "session_id", "session_id/agent_id", "conversation_id",
        "session_id , or session_id/agent_id", "conversation_id",  # (code spans rendered apart)
    ]  # fmt: skip
    links = overview_links(dom)
    for name in FIRST_TABLES:
        assert f"#!/model/{node_id_of(manifest, 'model', name)}" in links, name
    for name in OVERVIEW_ANALYSES:
        assert f"#!/analysis/{node_id_of(manifest, 'analysis', name)}" in links, name
    # every link names a node that exists (a typo would open an empty page)
    for link in links:
        assert link.split("/")[-1].split("?")[0] in manifest["nodes"], link


def test_overview_page_shows_identity_table_and_links(docs_build: DbtHome, chromium: str) -> None:
    target = docs_build.base / "target"
    page = target / "static_index.html"
    manifest = json.loads((target / "manifest.json").read_text())
    assert_overview(overview_dom(chromium, page), manifest)

    ARTIFACTS.mkdir(exist_ok=True)
    OVERVIEW_SCREENSHOT.unlink(missing_ok=True)
    shot = run_chromium(
        chromium,
        f"{page.resolve().as_uri()}#!/overview",
        "--window-size=1600,2000",
        f"--screenshot={OVERVIEW_SCREENSHOT}",
    )
    assert shot.returncode == 0, shot.stderr[-3000:]
    assert OVERVIEW_SCREENSHOT.is_file() and OVERVIEW_SCREENSHOT.stat().st_size > 10_000


def test_overview_links_open_the_column_docs(docs_build: DbtHome, chromium: str) -> None:
    """Following the overview's links: a mart's page lists its described columns, an
    analysis's page shows its description."""
    target = docs_build.base / "target"
    page = target / "static_index.html"
    manifest = json.loads((target / "manifest.json").read_text())
    sessions = run_chromium(
        chromium, page_url(page, node_id_of(manifest, "model", "sessions")), "--dump-dom"
    )
    assert sessions.returncode == 0, sessions.stderr[-3000:]
    columns = rendered_columns(sessions.stdout)
    assert "project folder" in columns.get("cwd", ""), columns.get("cwd")
    assert SESSION_ID_FACT in columns.get("session_id", "")
    analysis_id = node_id_of(manifest, "analysis", "daily_cost_by_model")
    shown = run_chromium(
        chromium, f"{page.resolve().as_uri()}#!/analysis/{analysis_id}", "--dump-dom"
    )
    assert shown.returncode == 0, shown.stderr[-3000:]
    text = cell_text(re.sub(r"<script\b.*?</script>", "", shown.stdout, flags=re.S | re.I))
    assert "ccusage daily --breakdown answers" in text  # the description, not the SQL comment


def test_overview_identity_table_is_the_readmes() -> None:
    """One table in two places (README, the overview doc block): the same lines."""

    def identity_lines(text: str) -> list[str]:
        lines = text.splitlines()
        start = lines.index(
            "| column | null? | Claude Code main thread | Claude Code subagent thread "
            "| Codex thread (root or sub-agent) "
            "| GitHub Copilot CLI thread (main, subagent, compaction) "
            "| Gemini CLI thread (main or subagent) |"
        )
        end = start
        while end < len(lines) and lines[end].startswith("|"):
            end += 1
        return lines[start:end]

    readme = identity_lines((REPO / "README.md").read_text())
    overview = identity_lines((REPO / "models" / "overview.md").read_text())
    assert len(readme) == 2 + len(IDENTITY_COLUMNS)
    assert overview == readme


def test_a_missing_overview_fails(docs_build: DbtHome, chromium: str, tmp_path: Path) -> None:
    """Negative control: with the overview block blanked in the inlined manifest the site falls
    back to dbt's generic welcome page, and the overview check must fail."""
    target = docs_build.base / "target"
    manifest = json.loads((target / "manifest.json").read_text())
    overview = manifest["docs"]["doc.agent_threads.__overview__"]["block_contents"]
    text = (target / "static_index.html").read_text()
    hits = [
        e for e in (json.dumps(overview), json.dumps(overview, ensure_ascii=False)) if e in text
    ]
    assert hits, "the overview doc block is not inlined in static_index.html"
    blanked = tmp_path / "static_index.html"
    blanked.write_text(text.replace(hits[0], '""'))
    with pytest.raises(AssertionError):
        assert_overview(overview_dom(chromium, blanked), manifest)
