"""The report's one HTML file: the template, the page's script and style, the data, and
Vega, Vega-Lite and Vega-Embed inlined from the pinned ``vl-convert-python`` package.

Nothing is fetched when the page opens: a Content-Security-Policy (``default-src 'none'``)
forbids every request, and every script is inline. Vega compiles its expressions with
``new Function``, hence ``'unsafe-eval'`` for scripts (no request is involved).
"""

from __future__ import annotations

import html
import json
import logging
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from agent_threads.report.data import RawJson

log = logging.getLogger(__name__)

HERE = Path(__file__).resolve().parent
VEGA_LITE_VERSION = "6.4"  # one of vl_convert.get_vegalite_versions()


def vega_bundle(cache: Path) -> str:
    """Vega-Embed, Vega-Lite and Vega as one script (``window.vegaEmbed``), cached per version.

    ``vl_convert.javascript_bundle`` bundles them from the copies the wheel ships (no
    network); it takes seconds, so its result is kept under ``cache``.
    """
    import vl_convert

    vlc_version = getattr(vl_convert, "__version__", "unknown")  # not in the package's stub
    versions = (
        f"vlc-{vlc_version}-vl-{VEGA_LITE_VERSION}-vega-{vl_convert.get_vega_version()}"
        f"-embed-{vl_convert.get_vega_embed_version()}"
    )
    path = cache / f"vega-bundle-{versions}.js"
    if not path.is_file():
        log.info("bundling Vega %s from vl-convert-python (once per version)", versions)
        cache.mkdir(parents=True, exist_ok=True)
        # the stub marks `snippet` required; the function bundles the whole library without it
        bundle = vl_convert.javascript_bundle(vl_version=VEGA_LITE_VERSION)  # type: ignore[call-arg]
        tmp = path.with_suffix(".tmp")
        tmp.write_text(bundle)
        tmp.rename(path)
    return path.read_text()


def _script_json(data: Any) -> str:
    """JSON safe inside a <script> element: no `</script>`, no `<!--`, no line separators.

    :class:`RawJson` values (JSON DuckDB wrote) go in as they are.
    """
    raws: dict[str, str] = {}

    def swap(value: Any) -> Any:
        if isinstance(value, RawJson):
            token = f"\x00raw{len(raws)}\x00"
            raws[json.dumps(token)] = str(value)
            return token
        if isinstance(value, dict):
            return {key: swap(item) for key, item in value.items()}
        return value

    text = json.dumps(swap(data), separators=(",", ":"), ensure_ascii=False, allow_nan=False)
    for token, raw in raws.items():
        text = text.replace(token, raw, 1)
    return (
        text.replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


def _inline_script(code: str) -> str:
    if "</script" in code.lower():
        code = code.replace("</script", "<\\/script").replace("</SCRIPT", "<\\/SCRIPT")
    return code


def render(data: dict[str, Any], bundle: str, generated_at: datetime | None = None) -> str:
    """The whole page as one string."""
    generated_at = generated_at or datetime.now(UTC)
    meta = {**data.get("meta", {}), "generated_at": generated_at.isoformat(timespec="seconds")}
    template = (HERE / "template.html").read_text()
    replacements = {
        "{{ style }}": (HERE / "report.css").read_text(),
        "{{ privacy_banner }}": (
            '<p class="banner warn" id="privacy-note">This report includes prompt text '
            "(built with --include-prompts): it is for your own use; do not share it.</p>"
            if meta.get("include_prompts")
            else '<p class="banner" id="privacy-note">No message text: numbers, titles, and '
            "the names of tools, models and projects only.</p>"
        ),
        "{{ generated_at }}": html.escape(meta["generated_at"]),
        "{{ vega }}": _inline_script(bundle),
        "{{ data }}": _script_json({**data, "meta": meta}),
        "{{ script }}": _inline_script((HERE / "report.js").read_text()),
    }
    page = template
    for key, value in replacements.items():
        page = page.replace(key, value)
    return page


def write_report(data: dict[str, Any], out_dir: Path, cache: Path) -> Path:
    """Write ``out_dir/index.html`` (atomically) and return its path."""
    out_dir.mkdir(parents=True, exist_ok=True)
    page = render(data, vega_bundle(cache))
    path = out_dir / "index.html"
    tmp = out_dir / ".index.html.tmp"
    tmp.write_text(page)
    tmp.rename(path)
    return path
