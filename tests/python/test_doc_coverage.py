"""The documentation coverage gate (scripts/check_doc_coverage.py) on a real build: every built
column of every model described, every model with a tested primary key, 100%."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from support.dbt_project import REPO, DbtHome
from test_docs_site import docs_build  # noqa: F401  (the shared docs build)

sys.path.insert(0, str(REPO / "scripts"))
import check_doc_coverage

SCRIPT = REPO / "scripts" / "check_doc_coverage.py"

pytestmark = pytest.mark.dbt


def run_script(target) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(SCRIPT), "--target-path", str(target)],
        capture_output=True,
        text=True,
        check=False,
    )


def test_coverage_is_complete(docs_build: DbtHome) -> None:  # noqa: F811
    result = run_script(docs_build.base / "target")
    print(result.stdout)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "documentation coverage: OK (100%)" in result.stdout

    target = docs_build.base / "target"
    coverage = check_doc_coverage.check(
        json.loads((target / "manifest.json").read_text()),
        json.loads((target / "catalog.json").read_text()),
    )
    assert coverage.ok
    assert coverage.column_percent == 100.0
    assert coverage.columns_total > 500  # every layer counted, landing and intermediate too
    assert {"landing", "staging", "intermediate", "marts", "exports"} <= set(coverage.by_layer)
    assert coverage.models_with_key == len(coverage.models) >= 22


def test_gaps_are_listed_and_fail(docs_build: DbtHome, tmp_path) -> None:  # noqa: F811
    """Blank a column's description, drop a model's key test: the gate fails, naming them."""
    target = docs_build.base / "target"
    manifest = json.loads((target / "manifest.json").read_text())
    manifest["nodes"]["model.agent_threads.sessions"]["columns"]["title"]["description"] = ""
    manifest["nodes"] = {
        node_id: node
        for node_id, node in manifest["nodes"].items()
        if not (
            node.get("resource_type") == "test"
            and node.get("attached_node") == "model.agent_threads.threads"
            and (node.get("test_metadata") or {}).get("name") == "unique"
        )
    }
    (tmp_path / "manifest.json").write_text(json.dumps(manifest))
    (tmp_path / "catalog.json").write_text((target / "catalog.json").read_text())

    result = run_script(tmp_path)
    assert result.returncode == 1, result.stdout
    assert "model.agent_threads.sessions.title" in result.stdout
    assert "model.agent_threads.threads" in result.stdout
    assert "documentation coverage: FAILED" in result.stdout


def test_missing_artifacts_say_what_to_run(tmp_path) -> None:
    result = run_script(tmp_path)
    assert result.returncode == 2
    assert "dbt docs generate" in result.stderr
