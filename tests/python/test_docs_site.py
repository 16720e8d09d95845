"""The docs site in a real browser: `dbt docs generate --static` opened from file:// in headless
Chromium, on the `messages` model, must show the `session_id` column with its description.

Needs Debian's `chromium` (.ci/run installs it; as root the set-up here installs it too, else
the browser tests skip and say why). A screenshot lands in `artifacts/docs_messages.png` at the
repository root (gitignored) for a person to look at after the run.
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
