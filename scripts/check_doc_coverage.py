"""Documentation coverage gate: every built column described, every model's key tested.

Reads ``manifest.json`` and ``catalog.json`` from a dbt target folder (run ``dbt build``
then ``dbt docs generate`` first: the catalog lists the columns the database really has)
and fails, listing them, when

- a column of a model in the catalog has no description in the manifest,
- a model has no description,
- a model has no tested primary key: ``unique`` + ``not_null`` on one column, or the
  project's ``unique_combination`` test (``dbt_utils.unique_combination_of_columns`` is
  accepted too),
- an enabled model of the project is missing from the catalog (not built).

Usage: ``python scripts/check_doc_coverage.py [--target-path target]``. Exit 0 when
coverage is 100%, 1 otherwise, 2 when the artifacts are missing.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

COMBINATION_TESTS = frozenset({"unique_combination", "unique_combination_of_columns"})


@dataclass
class Coverage:
    """What the check found, per model and in total."""

    models: list[str] = field(default_factory=list)
    columns_total: int = 0
    columns_described: int = 0
    columns_from_doc_blocks: int = 0
    by_layer: dict[str, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0]))
    undescribed_columns: list[tuple[str, str]] = field(default_factory=list)
    undescribed_models: list[str] = field(default_factory=list)
    models_without_key: list[str] = field(default_factory=list)
    models_not_built: list[str] = field(default_factory=list)

    @property
    def column_percent(self) -> float:
        return 100.0 * self.columns_described / self.columns_total if self.columns_total else 0.0

    @property
    def models_with_key(self) -> int:
        return len(self.models) - len(self.models_without_key)

    @property
    def ok(self) -> bool:
        return not (
            self.undescribed_columns
            or self.undescribed_models
            or self.models_without_key
            or self.models_not_built
        )


def _tested_keys(manifest: dict) -> dict[str, set[str]]:
    """Per model id: the primary-key tests it has (``unique+not_null:<col>`` or the combination)."""
    per_column: dict[tuple[str, str], set[str]] = defaultdict(set)
    keys: dict[str, set[str]] = defaultdict(set)
    for node in manifest["nodes"].values():
        if node.get("resource_type") != "test" or not node.get("config", {}).get("enabled", True):
            continue
        model_id = node.get("attached_node")
        test_name = (node.get("test_metadata") or {}).get("name")
        if not model_id or not test_name:
            continue
        if test_name in {"unique", "not_null"} and node.get("column_name"):
            per_column[(model_id, node["column_name"].lower())].add(test_name)
        elif test_name in COMBINATION_TESTS:
            kwargs = node["test_metadata"].get("kwargs") or {}
            columns = kwargs.get("columns") or kwargs.get("combination_of_columns") or []
            keys[model_id].add(f"{test_name}({', '.join(columns)})")
    for (model_id, column), tests in per_column.items():
        if tests >= {"unique", "not_null"}:
            keys[model_id].add(f"unique+not_null({column})")
    return keys


def _layer(node: dict) -> str:
    parts = Path(node.get("original_file_path", "")).parts
    return parts[1] if len(parts) > 2 and parts[0] == "models" else "other"


def check(manifest: dict, catalog: dict) -> Coverage:
    """Compare the built columns (catalog) with the documented ones (manifest)."""
    project = manifest["metadata"].get("project_name")
    models = {
        node_id: node
        for node_id, node in manifest["nodes"].items()
        if node.get("resource_type") == "model"
        and node.get("package_name") == project
        and node.get("config", {}).get("enabled", True)
    }
    keys = _tested_keys(manifest)
    result = Coverage()
    for node_id in sorted(models):
        node = models[node_id]
        result.models.append(node_id)
        if not (node.get("description") or "").strip():
            result.undescribed_models.append(node_id)
        if not keys.get(node_id):
            result.models_without_key.append(node_id)
        built = catalog["nodes"].get(node_id)
        if built is None:
            result.models_not_built.append(node_id)
            continue
        documented = {name.lower(): column for name, column in node.get("columns", {}).items()}
        layer = result.by_layer[_layer(node)]
        for name in built["columns"]:
            column = documented.get(name.lower()) or {}
            result.columns_total += 1
            layer[1] += 1
            if (column.get("description") or "").strip():
                result.columns_described += 1
                layer[0] += 1
                if column.get("doc_blocks"):
                    result.columns_from_doc_blocks += 1
            else:
                result.undescribed_columns.append((node_id, name))
    return result


def report(result: Coverage) -> str:
    lines = [
        f"models: {len(result.models)}",
        f"columns described: {result.columns_described}/{result.columns_total}"
        f" ({result.column_percent:.1f}%), of them from doc blocks:"
        f" {result.columns_from_doc_blocks}",
    ]
    for layer, (described, total) in sorted(result.by_layer.items()):
        percent = 100.0 * described / total if total else 0.0
        lines.append(f"  {layer:<13} {described:>4}/{total:<4} ({percent:.1f}%)")
    lines.append(
        f"models with a description: {len(result.models) - len(result.undescribed_models)}"
        f"/{len(result.models)}"
    )
    lines.append(f"models with a tested primary key: {result.models_with_key}/{len(result.models)}")
    for title, items in (
        ("columns without a description", [f"{m}.{c}" for m, c in result.undescribed_columns]),
        ("models without a description", result.undescribed_models),
        ("models without a tested primary key", result.models_without_key),
        ("models missing from the catalog (not built?)", result.models_not_built),
    ):
        if items:
            lines.append(f"FAIL {title} ({len(items)}):")
            lines.extend(f"  - {item}" for item in items)
    lines.append(
        "documentation coverage: OK (100%)" if result.ok else "documentation coverage: FAILED"
    )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--target-path", type=Path, default=Path("target"))
    args = parser.parse_args(argv)
    paths = [args.target_path / "manifest.json", args.target_path / "catalog.json"]
    missing = [str(p) for p in paths if not p.is_file()]
    if missing:
        print(
            f"missing {', '.join(missing)}: run `dbt build` and `dbt docs generate`",
            file=sys.stderr,
        )
        return 2
    manifest, catalog = (json.loads(p.read_text()) for p in paths)
    result = check(manifest, catalog)
    print(report(result))
    return 0 if result.ok else 1


if __name__ == "__main__":
    sys.exit(main())
