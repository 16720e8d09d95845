#!/usr/bin/env python3
"""Write deterministic sample Claude Code transcripts and Codex rollouts into ``sample_logs/``.

The files imitate the real on-disk formats (see ``../shared/formats/``) line shape by line shape:
key names, nesting and key order follow real files, while every id, text, path and number is
made up here. Nothing depends on the wall clock or on unseeded randomness: ids are derived from
names with SHA-256, timestamps are fixed, so running the script twice gives byte-identical files.

Usage::

    python scripts/generate_sample_logs.py            # rewrites ./sample_logs
    python scripts/generate_sample_logs.py --out DIR  # writes into DIR (for tests)

Layout written (``<out>/``):

* ``claude/projects/<projectKey>/...``  a Claude Code ``~/.claude/projects`` root
* ``codex/sessions/YYYY/MM/DD/rollout-*.jsonl``, ``codex/archived_sessions/rollout-*.jsonl``,
  ``codex/history.jsonl``, ``codex/session_index.jsonl``  a Codex home
* ``README.md``  what every file covers and the identities a correct reader must derive
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import sys
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

# the log-format library lives in the package; found in the checkout without installing it
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
from agent_threads.log_formats import claude_code as claude_format
from agent_threads.log_formats import codex as codex_format
from agent_threads.log_formats import copilot_cli as copilot_format
from agent_threads.log_formats import gemini_cli as gemini_format

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_OUT = ROOT / "sample_logs"
SEED_NS = "agent-threads/sample-logs/v1"

# The one deliberately malformed line (relative path under the output dir, 1-based line number).
# Filled in while generating; the README and the test read it from here.
MALFORMED_LINES: list[tuple[str, int]] = []

# --------------------------------------------------------------------------------------------
# Deterministic ids and times
# --------------------------------------------------------------------------------------------

_B62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"


def _digest(name: str) -> bytes:
    return hashlib.sha256(f"{SEED_NS}:{name}".encode()).digest()


def uid(name: str) -> str:
    """A UUIDv4-shaped id derived from ``name`` (stable across runs)."""
    return str(uuid.UUID(bytes=_digest(name)[:16], version=4))


def hexid(name: str, n: int) -> str:
    """``n`` lowercase hex characters derived from ``name``."""
    return _digest(name).hex()[:n]


def b62(name: str, n: int) -> str:
    num = int.from_bytes(_digest(name) + _digest(name + "#2"), "big")
    out = []
    for _ in range(n):
        num, r = divmod(num, 62)
        out.append(_B62[r])
    return "".join(out)


def msg_id(name: str) -> str:
    return "msg_01" + b62("msg:" + name, 22)


def req_id(name: str) -> str:
    return "req_011C" + b62("req:" + name, 20)


def toolu(name: str) -> str:
    return "toolu_01" + b62("toolu:" + name, 22)


def call_id(name: str) -> str:
    return "call_" + b62("call:" + name, 24)


def enc_blob(name: str, n: int = 160) -> str:
    """An opaque base64-looking ``encrypted_content`` / ``signature`` string."""
    return "gAAAAABo" + b62("enc:" + name, n)


def ts(text: str) -> datetime:
    """Parse ``YYYY-MM-DDTHH:MM:SS[.mmm]`` as UTC."""
    fmt = "%Y-%m-%dT%H:%M:%S.%f" if "." in text else "%Y-%m-%dT%H:%M:%S"
    return datetime.strptime(text, fmt).replace(tzinfo=UTC)


def iso(dt: datetime) -> str:
    return dt.strftime("%Y-%m-%dT%H:%M:%S.") + f"{dt.microsecond // 1000:03d}Z"


def uuid7(at: datetime, name: str) -> str:
    """A UUIDv7 whose 48-bit time prefix is ``at`` (like Codex thread and turn ids)."""
    ms = int(at.timestamp() * 1000)
    rnd = int.from_bytes(_digest("v7:" + name)[:10], "big")
    rand_a = rnd >> 68 & 0xFFF
    rand_b = rnd & ((1 << 62) - 1)
    value = (ms << 80) | (0x7 << 76) | (rand_a << 64) | (0b10 << 62) | rand_b
    return str(uuid.UUID(int=value))


class Clock:
    """A fixed-start clock that only moves when told to."""

    def __init__(self, start: str) -> None:
        self.now = ts(start)

    def at(self, seconds: float = 0.0) -> str:
        self.now += timedelta(milliseconds=round(seconds * 1000))
        return iso(self.now)

    def unix(self) -> int:
        return int(self.now.timestamp())

    def ms(self) -> int:
        return int(self.now.timestamp() * 1000)


def dumps(obj: Any) -> str:
    return json.dumps(obj, separators=(",", ":"), ensure_ascii=False)


# --------------------------------------------------------------------------------------------
# Output registry and README
# --------------------------------------------------------------------------------------------


@dataclass
class FileDoc:
    path: str
    scenario: str
    client: str
    identity: list[str]
    rejects: str = "none"
    notes: list[str] = field(default_factory=list)


class Output:
    def __init__(self) -> None:
        self.files: dict[str, bytes] = {}
        self.docs: list[FileDoc] = []

    def add_text(self, path: str, text: str) -> None:
        assert path not in self.files, path
        self.files[path] = text.encode("utf-8")

    def add_jsonl(self, path: str, lines: list[Any], doc: FileDoc | None = None) -> None:
        out = []
        for n, line in enumerate(lines, start=1):
            if isinstance(line, RawLine):
                MALFORMED_LINES.append((path, n))
                out.append(line.text)
            else:
                out.append(dumps(line))
        self.add_text(path, "\n".join(out) + "\n")
        if doc is not None:
            doc.path = path
            self.docs.append(doc)

    def add_json(self, path: str, obj: Any, doc: FileDoc | None = None) -> None:
        self.add_text(path, dumps(obj))
        if doc is not None:
            doc.path = path
            self.docs.append(doc)


@dataclass
class RawLine:
    """A line written verbatim (used for the one malformed line)."""

    text: str


def doc(
    scenario: str,
    client: str,
    identity: list[str],
    rejects: str = "none",
    notes: list[str] | None = None,
) -> FileDoc:
    return FileDoc("", scenario, client, identity, rejects, notes or [])


# --------------------------------------------------------------------------------------------
# Claude Code
# --------------------------------------------------------------------------------------------

AUTO: Any = object()  # "chain to the previous line"

SONNET4 = "claude-sonnet-4-20250514"
OPUS4 = "claude-opus-4-20250514"
OPUS45 = "claude-opus-4-5-20251101"
HAIKU45 = "claude-haiku-4-5-20251001"
OPUS46 = "claude-opus-4-6"
OPUS47 = "claude-opus-4-7"

CAVEAT = (
    "Caveat: The messages below were generated by the user while running local commands. "
    "DO NOT respond to these messages or otherwise consider them in your response unless the "
    "user explicitly asks you to."
)


def usage_v1055(inp: int, cc: int, cr: int, out: int) -> dict[str, Any]:
    return claude_format.usage(inp, cc, cr, out, split_cache_writes=False)


def usage_v1098(inp: int, cc: int, cr: int, out: int) -> dict[str, Any]:
    return claude_format.usage(inp, cc, cr, out)


def usage_v2139(inp: int, cc: int, cr: int, out: int) -> dict[str, Any]:
    return claude_format.usage(inp, cc, cr, out, inference_geo="not_available")


usage_v2114 = claude_format.final_usage_v2114
usage_v2114_partial = usage_v2139


def text(t: str) -> dict[str, Any]:
    return {"type": "text", "text": t}


def tool_use(key: str, name: str, inp: dict[str, Any], caller: bool = False) -> dict[str, Any]:
    block: dict[str, Any] = {"type": "tool_use", "id": toolu(key), "name": name, "input": inp}
    if caller:
        block["caller"] = {"type": "direct"}
    return block


def thinking(key: str, t: str = "") -> dict[str, Any]:
    return {"type": "thinking", "thinking": t, "signature": "Eq" + b62("sig:" + key, 120)}


class CCFile:
    """The lines of one Claude Code transcript file, with the envelope of one client era.

    style: ``v1`` (1.0.x), ``v20`` (2.0.x), ``v21`` (2.1.1x-2.1.4x), ``v2114`` (2.1.114+).
    """

    def __init__(
        self,
        *,
        style: str,
        version: str,
        cwd: str,
        session_id: str,
        branch: str,
        agent_id: str | None = None,
        sidechain: bool = False,
        entrypoint: str = "cli",
    ) -> None:
        self.style = style
        self.version = version
        self.cwd = cwd
        self.session_id = session_id
        self.branch = branch
        self.agent_id = agent_id
        self.sidechain = sidechain
        self.entrypoint = entrypoint
        self.slug: str | None = None
        self.lines: list[Any] = []
        self.last: str | None = None

    # -- envelope ------------------------------------------------------------------------------
    def wrap(
        self,
        parent: str | None,
        body: list[tuple[str, Any]],
        *,
        logical_parent: str | None = None,
        prompt_id: str | None = None,
        sidechain: bool | None = None,
    ) -> dict[str, Any]:
        return claude_format.envelope(
            self.style,
            parent,
            body,
            session_id=self.session_id,
            version=self.version,
            cwd=self.cwd,
            branch=self.branch,
            sidechain=self.sidechain if sidechain is None else sidechain,
            agent_id=self.agent_id,
            logical_parent=logical_parent,
            prompt_id=prompt_id,
            entrypoint=self.entrypoint,
            slug=self.slug,
        )

    def push(self, line: Any, u: str | None = None) -> Any:
        self.lines.append(line)
        if u is not None:
            self.last = u
        return line

    def _parent(self, parent: Any) -> str | None:
        return self.last if parent is AUTO else parent

    # -- conversation lines --------------------------------------------------------------------
    def user(
        self,
        content: Any,
        *,
        at: str,
        key: str,
        parent: Any = AUTO,
        meta: bool = False,
        permission_mode: str | None = None,
        prompt_id: str | None = None,
        thinking_meta: bool = False,
        compact_summary: bool = False,
    ) -> str:
        u = uid(key)
        body: list[tuple[str, Any]] = [
            ("type", "user"),
            ("message", {"role": "user", "content": content}),
        ]
        if meta:
            body.append(("isMeta", True))
        if compact_summary:
            body += [("isVisibleInTranscriptOnly", True), ("isCompactSummary", True)]
        body += [("uuid", u), ("timestamp", at)]
        if permission_mode is not None:
            body.append(("permissionMode", permission_mode))
        if thinking_meta:
            body += [
                ("thinkingMetadata", {"level": "none", "disabled": True, "triggers": []}),
                ("todos", []),
            ]
        self.push(self.wrap(self._parent(parent), body, prompt_id=prompt_id), u)
        return u

    def tool_result(
        self,
        block: dict[str, Any],
        content: Any,
        result: Any,
        *,
        at: str,
        key: str,
        parent: Any = AUTO,
        source: str | None = None,
        is_error: bool | None = None,
        prompt_id: str | None = None,
    ) -> str:
        u = uid(key)
        tr: dict[str, Any] = {"tool_use_id": block["id"], "type": "tool_result", "content": content}
        if is_error is not None:
            tr["is_error"] = is_error
        body: list[tuple[str, Any]] = [
            ("type", "user"),
            ("message", {"role": "user", "content": [tr]}),
            ("uuid", u),
            ("timestamp", at),
        ]
        if result is not None:
            body.append(("toolUseResult", result))
        if source is not None and self.style in ("v21", "v2114"):
            body.append(("sourceToolAssistantUUID", source))
        self.push(self.wrap(self._parent(parent), body, prompt_id=prompt_id), u)
        return u

    def message(
        self, model: str, mid: str, block: dict[str, Any], stop: str | None, usage: dict[str, Any]
    ) -> dict[str, Any]:
        return claude_format.assistant_message(self.style, model, mid, [block], stop, usage)

    def respond(
        self,
        key: str,
        blocks: list[dict[str, Any]],
        *,
        model: str,
        times: list[float],
        tokens: tuple[int, int, int, int],
        mode: str,
        stop: str,
        usage_fn: Any,
        clock: Clock,
        parent: Any = AUTO,
        request: str | None = None,
        message: str | None = None,
        partial_fn: Any = None,
    ) -> list[str]:
        """One API response written as one line per content block.

        mode ``grow``: output_tokens 3 on the first line, final after; stop_reason only on the
        last line (1.0.x). ``placeholder``: small output_tokens on early lines, final on the last;
        stop_reason null everywhere (2.0.55-2.1.4x). ``final``: identical final usage and
        stop_reason on every line (2.1.114 main files). ``partial``: like ``grow`` but the early
        lines carry a partial usage object (2.1.114 subagent files).
        """
        inp, cc, cr, out = tokens
        mid = message or msg_id(key)
        rid = request or req_id(key)
        uuids = []
        n = len(blocks)
        for i, block in enumerate(blocks):
            last = i == n - 1
            if mode == "grow":
                o = out if (i > 0 or n == 1) else 3
                sr = stop if last else None
                usage = usage_fn(inp, cc, cr, o)
            elif mode == "placeholder":
                o = out if last else (2 + i * 3)
                sr = None
                usage = usage_fn(inp, cc, cr, o)
            elif mode == "final":
                sr = stop
                usage = usage_fn(inp, cc, cr, out)
            elif mode == "partial":
                sr = stop if last else None
                usage = usage_fn(inp, cc, cr, out) if last else partial_fn(inp, cc, cr, 4 + i)
            else:  # pragma: no cover
                raise ValueError(mode)
            u = uid(f"{key}:{i}")
            at = clock.at(times[i] if i < len(times) else 0.4)
            body = [
                ("message", self.message(model, mid, block, sr, usage)),
                ("requestId", rid),
                ("type", "assistant"),
                ("uuid", u),
                ("timestamp", at),
            ]
            self.push(self.wrap(self._parent(parent) if i == 0 else self.last, body), u)
            uuids.append(u)
        return uuids

    def system_hook(self, content: str, tool_use_id: str, *, at: str, key: str) -> str:
        u = uid(key)
        body = [
            ("type", "system"),
            ("content", content),
            ("isMeta", False),
            ("timestamp", at),
            ("uuid", u),
            ("toolUseID", tool_use_id),
            ("level", "info"),
        ]
        self.push(self.wrap(self.last, body), u)
        return u


def read_result(path: str, content: str) -> tuple[str, dict[str, Any]]:
    lines = content.split("\n")
    numbered = "\n".join(f"{i + 1:>6}\u2192{line}" for i, line in enumerate(lines))
    return numbered, {
        "type": "text",
        "file": {
            "filePath": path,
            "content": content,
            "numLines": len(lines),
            "startLine": 1,
            "totalLines": len(lines),
        },
    }


def bash_result(stdout: str, stderr: str = "") -> dict[str, Any]:
    return {"stdout": stdout, "stderr": stderr, "interrupted": False, "isImage": False}


def edit_result(path: str, old: str, new: str, original: str) -> tuple[str, dict[str, Any]]:
    old_lines = old.split("\n")
    new_lines = new.split("\n")
    start = original.split("\n").index(old_lines[0]) + 1 if old_lines[0] in original else 1
    patch = [
        {
            "oldStart": start,
            "oldLines": len(old_lines),
            "newStart": start,
            "newLines": len(new_lines),
            "lines": [f"-{x}" for x in old_lines] + [f"+{x}" for x in new_lines],
        }
    ]
    snippet = "\n".join(f"{start + i:>6}\u2192{x}" for i, x in enumerate(new_lines))
    msg = (
        f"The file {path} has been updated. Here's the result of running `cat -n` on a "
        f"snippet of the edited file:\n{snippet}"
    )
    return msg, {
        "filePath": path,
        "oldString": old,
        "newString": new,
        "originalFile": original,
        "replaceAll": False,
        "structuredPatch": patch,
        "userModified": False,
    }


WEBSHOP = "/home/dev/webshop"
CLITOOL = "/home/dev/cli-tool"
WEBSHOP_KEY = "-home-dev-webshop"
CLITOOL_KEY = "-home-dev-cli-tool"
API_KEY = "-home-dev-api-server"

PRICING_PY = '''"""Order pricing: subtotal, coupons, shipping."""
from decimal import Decimal

FREE_SHIPPING_THRESHOLD = Decimal("50.00")
FLAT_SHIPPING = Decimal("4.90")


def shipping_for(subtotal: Decimal) -> Decimal:
    if subtotal >= FREE_SHIPPING_THRESHOLD:
        return Decimal("0.00")
    return FLAT_SHIPPING


def order_total(items, coupon=None):
    subtotal = sum(i.price * i.qty for i in items)
    shipping = shipping_for(subtotal)
    if coupon is not None:
        subtotal = coupon.apply(subtotal)
    return (subtotal + shipping).quantize(Decimal("0.01"))'''

SHIPPING_PY = '''"""Shipping rules shared by checkout and the admin preview."""
from decimal import Decimal

from shop.pricing import FLAT_SHIPPING, FREE_SHIPPING_THRESHOLD

EXPRESS_SURCHARGE = Decimal("7.50")


def quote(subtotal_after_discounts: Decimal, express: bool = False) -> Decimal:
    """Shipping is free from the threshold on, measured AFTER coupons (see ADR-007)."""
    base = Decimal("0.00") if subtotal_after_discounts >= FREE_SHIPPING_THRESHOLD else FLAT_SHIPPING
    return base + (EXPRESS_SURCHARGE if express else Decimal("0.00"))'''

PYTEST_CART_FAIL = """\
============================= test session starts ==============================
platform linux -- Python 3.12.3, pytest-8.3.2, pluggy-1.5.0
rootdir: /home/dev/webshop
collected 6 items

tests/test_cart.py ....F.                                                [100%]

=================================== FAILURES ===================================
___________________ test_coupon_below_free_shipping_threshold __________________

    def test_coupon_below_free_shipping_threshold():
        items = [Item(price=Decimal("55.00"), qty=1)]
        total = order_total(items, coupon=PercentOff(20))
>       assert total == Decimal("48.90")
E       AssertionError: assert Decimal('44.00') == Decimal('48.90')

tests/test_cart.py:41: AssertionError
=========================== short test summary info ============================
FAILED tests/test_cart.py::test_coupon_below_free_shipping_threshold
========================= 1 failed, 5 passed in 0.38s ========================="""

PYTEST_ALL_PASS = """\
============================= test session starts ==============================
platform linux -- Python 3.12.3, pytest-8.3.2, pluggy-1.5.0
rootdir: /home/dev/webshop
collected 23 items

tests/test_cart.py ......                                                [ 26%]
tests/test_pricing.py ........                                           [ 60%]
tests/test_shipping.py .........                                         [100%]

============================== 23 passed in 0.71s =============================="""


def claude_v1098_inline_sidechains(out: Output) -> None:
    """Scenario 1: 1.0.98, summary line, split responses, two parallel inline Task sidechains."""
    sid = uid("cc:webshop:s1098")
    clock = Clock("2026-03-04T09:12:05.118")
    f = CCFile(
        style="v1", version="1.0.98", cwd=WEBSHOP, session_id=sid, branch="fix/coupon-shipping"
    )
    final_key = "s1098:final"
    f.push(
        {
            "type": "summary",
            "summary": "Checkout total wrong with coupon + free shipping",
            "leafUuid": uid(final_key + ":0"),
        }
    )
    f.user(
        "The checkout total is wrong when a coupon brings the cart below the free-shipping "
        "threshold. Can you look at the pricing module and, in parallel, check the cart tests "
        "and the shipping rules?",
        at=clock.at(),
        key="s1098:p1",
        parent=None,
    )
    grep = tool_use(
        "s1098:grep",
        "Grep",
        {
            "pattern": "FREE_SHIPPING_THRESHOLD|coupon",
            "path": "shop",
            "output_mode": "files_with_matches",
        },
    )
    read = tool_use("s1098:read", "Read", {"file_path": f"{WEBSHOP}/shop/pricing.py"})
    f.respond(
        "s1098:r1",
        [text("I'll start with how the pricing module orders coupons and shipping."), grep, read],
        model=SONNET4,
        times=[3.2, 1.1, 0.02],
        tokens=(4, 1630, 14210, 141),
        mode="grow",
        stop="tool_use",
        usage_fn=usage_v1098,
        clock=clock,
    )
    f.tool_result(
        grep,
        f"Found 3 files\n{WEBSHOP}/shop/pricing.py\n{WEBSHOP}/shop/shipping.py\n"
        f"{WEBSHOP}/shop/coupons.py",
        {
            "mode": "files_with_matches",
            "filenames": [
                f"{WEBSHOP}/shop/pricing.py",
                f"{WEBSHOP}/shop/shipping.py",
                f"{WEBSHOP}/shop/coupons.py",
            ],
            "numFiles": 3,
        },
        at=clock.at(0.05),
        key="s1098:grep:res",
    )
    numbered, res = read_result(f"{WEBSHOP}/shop/pricing.py", PRICING_PY)
    f.tool_result(read, numbered, res, at=clock.at(0.01), key="s1098:read:res")

    p_tests = (
        "Run the cart tests in tests/test_cart.py and report which ones fail and why. "
        "Do not change any code. Report the failing assertion and the values involved."
    )
    p_ship = (
        "Read shop/shipping.py and any ADRs under docs/adr/ and tell me whether free "
        "shipping is supposed to be measured before or after coupons are applied. Do not "
        "edit files."
    )
    task1 = tool_use(
        "s1098:task1",
        "Task",
        {"description": "Run cart tests", "prompt": p_tests, "subagent_type": "general-purpose"},
    )
    task2 = tool_use(
        "s1098:task2",
        "Task",
        {
            "description": "Check shipping rules",
            "prompt": p_ship,
            "subagent_type": "general-purpose",
        },
    )
    f.respond(
        "s1098:r2",
        [
            text(
                "`order_total` computes shipping from the subtotal *before* the "
                "coupon. Before changing it I'll confirm the intended rule and "
                "the failing test in parallel."
            ),
            task1,
            task2,
        ],
        model=SONNET4,
        times=[4.6, 2.9, 2.7],
        tokens=(6, 1422, 15840, 412),
        mode="grow",
        stop="tool_use",
        usage_fn=usage_v1098,
        clock=clock,
    )
    main_last = f.last

    # two inline sidechains, both rooted at the same timestamp, lines interleaved in the file
    t0 = clock.at(0.03)
    sc1 = CCFile(
        style="v1",
        version="1.0.98",
        cwd=WEBSHOP,
        session_id=sid,
        branch="fix/coupon-shipping",
        sidechain=True,
    )
    sc2 = CCFile(
        style="v1",
        version="1.0.98",
        cwd=WEBSHOP,
        session_id=sid,
        branch="fix/coupon-shipping",
        sidechain=True,
    )
    sc1.lines = sc2.lines = f.lines  # same file, separate chains
    sc1.user(p_tests, at=t0, key="s1098:sc1:root", parent=None)
    sc2.user(p_ship, at=t0, key="s1098:sc2:root", parent=None)
    bash = tool_use(
        "s1098:sc1:bash",
        "Bash",
        {"command": "python -m pytest tests/test_cart.py -q", "description": "Run cart tests"},
    )
    sc1.respond(
        "s1098:sc1:r1",
        [text("I'll run the cart tests first."), bash],
        model=SONNET4,
        times=[2.4, 0.6],
        tokens=(3, 9870, 0, 96),
        mode="grow",
        stop="tool_use",
        usage_fn=usage_v1098,
        clock=clock,
    )
    sgrep = tool_use(
        "s1098:sc2:grep",
        "Grep",
        {"pattern": "free shipping", "path": "docs/adr", "-i": True, "output_mode": "content"},
    )
    sc2.respond(
        "s1098:sc2:r1",
        [sgrep],
        model=SONNET4,
        times=[0.5],
        tokens=(3, 9911, 0, 88),
        mode="grow",
        stop="tool_use",
        usage_fn=usage_v1098,
        clock=clock,
    )
    sc2.tool_result(
        sgrep,
        "docs/adr/007-shipping.md:9:Free shipping is granted when the order "
        "value after all discounts reaches the threshold.",
        {
            "mode": "content",
            "numFiles": 1,
            "filenames": [],
            "content": "docs/adr/007-shipping.md:9:Free shipping is granted when the "
            "order value after all discounts reaches the threshold.",
            "numLines": 1,
        },
        at=clock.at(0.1),
        key="s1098:sc2:grep:res",
    )
    sc1.tool_result(
        bash,
        PYTEST_CART_FAIL,
        bash_result(PYTEST_CART_FAIL),
        at=clock.at(1.3),
        key="s1098:sc1:bash:res",
        is_error=False,
    )
    sread = tool_use("s1098:sc2:read", "Read", {"file_path": f"{WEBSHOP}/shop/shipping.py"})
    sc2.respond(
        "s1098:sc2:r2",
        [sread],
        model=SONNET4,
        times=[1.9],
        tokens=(6, 240, 9911, 71),
        mode="grow",
        stop="tool_use",
        usage_fn=usage_v1098,
        clock=clock,
    )
    numbered, res = read_result(f"{WEBSHOP}/shop/shipping.py", SHIPPING_PY)
    sc2.tool_result(sread, numbered, res, at=clock.at(0.03), key="s1098:sc2:read:res")
    sum1 = (
        "One test fails: `test_coupon_below_free_shipping_threshold`. A 55.00 cart with a 20% "
        "coupon is charged 44.00 (no shipping) but the test expects 48.90, i.e. shipping "
        "should be charged because the discounted subtotal (44.00) is below the 50.00 "
        "threshold. The other 5 cart tests pass."
    )
    sum2 = (
        "Free shipping must be measured AFTER coupons. ADR-007 says so explicitly, and "
        "`shop/shipping.quote()` already takes `subtotal_after_discounts`. "
        "`pricing.order_total` is the only caller that computes shipping before the coupon."
    )
    sc1.respond(
        "s1098:sc1:r2",
        [text(sum1)],
        model=SONNET4,
        times=[3.8],
        tokens=(5, 1290, 9870, 118),
        mode="grow",
        stop="end_turn",
        usage_fn=usage_v1098,
        clock=clock,
    )
    sc2.respond(
        "s1098:sc2:r3",
        [text(sum2)],
        model=SONNET4,
        times=[1.2],
        tokens=(5, 560, 10151, 97),
        mode="grow",
        stop="end_turn",
        usage_fn=usage_v1098,
        clock=clock,
    )

    def task_result(content: str, ms: int, toks: int, uses: int, u: dict[str, Any]) -> Any:
        return {
            "content": [text(content)],
            "totalDurationMs": ms,
            "totalTokens": toks,
            "totalToolUseCount": uses,
            "usage": u,
        }

    f.tool_result(
        task1,
        [text(sum1)],
        task_result(sum1, 11874, 11283, 1, usage_v1098(5, 1290, 9870, 118)),
        at=clock.at(0.06),
        key="s1098:task1:res",
        parent=main_last,
    )
    f.tool_result(
        task2,
        [text(sum2)],
        task_result(sum2, 12204, 10813, 2, usage_v1098(5, 560, 10151, 97)),
        at=clock.at(0.9),
        key="s1098:task2:res",
    )
    old = (
        "    shipping = shipping_for(subtotal)\n    if coupon is not None:\n"
        "        subtotal = coupon.apply(subtotal)"
    )
    new = (
        "    if coupon is not None:\n        subtotal = coupon.apply(subtotal)\n"
        "    shipping = shipping_for(subtotal)"
    )
    edit = tool_use(
        "s1098:edit",
        "Edit",
        {"file_path": f"{WEBSHOP}/shop/pricing.py", "old_string": old, "new_string": new},
    )
    f.respond(
        "s1098:r3",
        [text("Both agents agree: apply the coupon first, then compute shipping."), edit],
        model=SONNET4,
        times=[3.1, 1.4],
        tokens=(6, 911, 17262, 233),
        mode="grow",
        stop="tool_use",
        usage_fn=usage_v1098,
        clock=clock,
    )
    msg, res = edit_result(f"{WEBSHOP}/shop/pricing.py", old, new, PRICING_PY)
    f.tool_result(edit, msg, res, at=clock.at(0.2), key="s1098:edit:res")
    f.system_hook(
        "Running \u001b[1mPostToolUse:Edit\u001b[22m...",
        edit["id"],
        at=clock.at(0.01),
        key="s1098:hook",
    )
    run = tool_use(
        "s1098:bash",
        "Bash",
        {"command": "python -m pytest -q", "description": "Run the full test suite"},
    )
    f.respond(
        "s1098:r4",
        [run],
        model=SONNET4,
        times=[2.2],
        tokens=(6, 402, 18173, 77),
        mode="grow",
        stop="tool_use",
        usage_fn=usage_v1098,
        clock=clock,
    )
    f.tool_result(
        run,
        PYTEST_ALL_PASS,
        bash_result(PYTEST_ALL_PASS),
        at=clock.at(1.6),
        key="s1098:bash:res",
        is_error=False,
    )
    f.respond(
        final_key,
        [
            text(
                "Fixed. `order_total` now applies the coupon before computing "
                "shipping, matching ADR-007; all 23 tests pass."
            )
        ],
        model=SONNET4,
        times=[3.4],
        tokens=(5, 611, 18575, 54),
        mode="grow",
        stop="end_turn",
        usage_fn=usage_v1098,
        clock=clock,
    )
    out.add_jsonl(
        f"claude/projects/{WEBSHOP_KEY}/{sid}.jsonl",
        f.lines,
        doc(
            "1.0.x era: `summary` line at the top (its leafUuid is this file's last line); split "
            "assistant responses (one content block per line, same message.id + requestId, "
            "stop_reason only on the last line, output_tokens 3 on the first line then final); "
            "Grep/Read/Edit/Bash tool_use + tool_result pairs with `toolUseResult`; a 1.0.x `system` "
            "hook line (no subtype); TWO parallel Task subagents written INLINE as `isSidechain:true` "
            "lines with no agentId: both sidechain roots have parentUuid null, the same timestamp, "
            "and text equal to the Task `input.prompt`; their lines are interleaved in the file.",
            "Claude Code 1.0.98",
            [
                f"every line: session_id `{sid}` (file name), agent_id null on main lines",
                f"sidechain 1 root uuid `{uid('s1098:sc1:root')}` (prompt = Task 'Run cart tests', "
                f"tool_use `{task1['id']}`): agent_id derived from that root line",
                f"sidechain 2 root uuid `{uid('s1098:sc2:root')}` (prompt = Task 'Check shipping "
                f"rules', tool_use `{task2['id']}`): agent_id derived from that root line",
                "threads: main + 2 subagents; 8 API responses in main/sidechains "
                "(5 main, 2 + 3 sidechain); the Task toolUseResult has no agentId",
            ],
        ),
    )


EXPORT_PY = '''"""Admin exports."""
import json

from shop.models import Order


def export_orders_json(orders: list[Order]) -> str:
    return json.dumps([o.as_dict() for o in orders], default=str)'''


def claude_v2055_agent_files(out: Output) -> None:
    """Scenario 2: 2.0.55 main file + project-level agent file + warmup agent file."""
    sid = uid("cc:webshop:s2055")
    clock = Clock("2026-04-14T13:40:02.511")
    branch = "feature/order-export"
    agent = hexid("cc:s2055:agent", 8)
    warm = hexid("cc:s2055:warmup", 8)

    # warmup call made at session start (user "Warmup" + one reply)
    w = CCFile(
        style="v20",
        version="2.0.55",
        cwd=WEBSHOP,
        session_id=sid,
        branch=branch,
        agent_id=warm,
        sidechain=True,
    )
    wclock = Clock("2026-04-14T13:39:58.204")
    w.user("Warmup", at=wclock.at(), key="s2055:warm:u", parent=None)
    w.respond(
        "s2055:warm:r",
        [text("Ready to help you search this codebase. What should I look for?")],
        model=HAIKU45,
        times=[2.9],
        tokens=(1398, 0, 0, 23),
        mode="final",
        stop="end_turn",
        usage_fn=usage_v1098,
        clock=wclock,
    )
    out.add_jsonl(
        f"claude/projects/{WEBSHOP_KEY}/agent-{warm}.jsonl",
        w.lines,
        doc(
            "2.0.x warmup call (same shape as the 2.0.37 warmups): user `Warmup` + one assistant "
            "reply with final usage and stop_reason, at session start. An API call that is not part "
            "of the conversation.",
            "Claude Code 2.0.55",
            [
                f"session_id `{sid}` (the lines' sessionId), agent_id `{warm}`, thread_kind `warmup`",
                "1 API response (haiku)",
            ],
        ),
    )

    f = CCFile(style="v20", version="2.0.55", cwd=WEBSHOP, session_id=sid, branch=branch)
    p1 = uid("s2055:p1")
    f.push(
        {
            "type": "file-history-snapshot",
            "messageId": p1,
            "snapshot": {"messageId": p1, "trackedFileBackups": {}, "timestamp": clock.at()},
            "isSnapshotUpdate": False,
        }
    )
    f.user(
        "Add a CSV export for orders (admin only). Find where the JSON export lives first.",
        at=clock.at(-0.002),
        key="s2055:p1",
        parent=None,
        thinking_meta=True,
    )
    prompt = (
        "Find where order exports are implemented in this repo (look under shop/ and "
        "shop/admin/). Report the function names, the file paths, how admin-only access is "
        "enforced for the existing JSON export, and which tests cover it."
    )
    task = tool_use(
        "s2055:task",
        "Task",
        {"description": "Find order export code", "prompt": prompt, "subagent_type": "Explore"},
    )
    f.respond(
        "s2055:r1",
        [text("I'll have an Explore agent map the existing export code."), task],
        model=OPUS45,
        times=[3.0, 1.6],
        tokens=(3, 6120, 12610, 188),
        mode="placeholder",
        stop="tool_use",
        usage_fn=usage_v1098,
        clock=clock,
    )
    task_line = f.last

    # the subagent's own file
    a = CCFile(
        style="v20",
        version="2.0.55",
        cwd=WEBSHOP,
        session_id=sid,
        branch=branch,
        agent_id=agent,
        sidechain=True,
    )
    a.user(prompt, at=clock.at(0.06), key="s2055:a:root", parent=None)
    glob = tool_use("s2055:a:glob", "Glob", {"pattern": "shop/**/*export*.py"})
    a.respond(
        "s2055:a:r1",
        [text("I'll locate the export modules."), glob],
        model=HAIKU45,
        times=[1.8, 0.4],
        tokens=(3, 11402, 0, 91),
        mode="placeholder",
        stop="tool_use",
        usage_fn=usage_v1098,
        clock=clock,
    )
    a.tool_result(
        glob,
        f"{WEBSHOP}/shop/export.py\n{WEBSHOP}/shop/admin/export_views.py",
        {
            "filenames": [f"{WEBSHOP}/shop/export.py", f"{WEBSHOP}/shop/admin/export_views.py"],
            "durationMs": 14,
            "numFiles": 2,
            "truncated": False,
        },
        at=clock.at(0.05),
        key="s2055:a:glob:res",
    )
    aread = tool_use("s2055:a:read", "Read", {"file_path": f"{WEBSHOP}/shop/export.py"})
    a.respond(
        "s2055:a:r2",
        [aread],
        model=HAIKU45,
        times=[1.2],
        tokens=(6, 310, 11402, 64),
        mode="placeholder",
        stop="tool_use",
        usage_fn=usage_v1098,
        clock=clock,
    )
    numbered, res = read_result(f"{WEBSHOP}/shop/export.py", EXPORT_PY)
    a.tool_result(aread, numbered, res, at=clock.at(0.02), key="s2055:a:read:res")
    summary = (
        "**Order exports**\n\n- `shop/export.py`: `export_orders_json(orders)` serialises "
        "`Order.as_dict()` with `json.dumps`.\n- `shop/admin/export_views.py`: "
        "`orders_export_view` calls it; admin-only access is enforced by the "
        "`@staff_required` decorator.\n- Tests: `tests/admin/test_export_views.py` "
        "(permission + JSON shape).\n\nA CSV export fits next to `export_orders_json` and "
        "can reuse the same view with a `format` query parameter."
    )
    a.respond(
        "s2055:a:r3",
        [text(summary)],
        model=HAIKU45,
        times=[4.4],
        tokens=(5, 720, 11712, 301),
        mode="placeholder",
        stop="end_turn",
        usage_fn=usage_v1098,
        clock=clock,
    )
    out.add_jsonl(
        f"claude/projects/{WEBSHOP_KEY}/agent-{agent}.jsonl",
        a.lines,
        doc(
            "2.0.x project-level subagent (Task, Explore) transcript `agent-<8hex>.jsonl`: every line "
            "`isSidechain:true`, `agentId`, sessionId = the parent session; first line is the Task "
            "prompt with parentUuid null; placeholder usage (2.0.55: stop_reason null on all lines, "
            "small output_tokens on early lines of a split response).",
            "Claude Code 2.0.55",
            [
                f"session_id `{sid}`, agent_id `{agent}` (= Task toolUseResult.agentId in the main "
                f"file, spawned by tool_use `{task['id']}`), thread_kind `subagent`",
                "3 API responses",
            ],
        ),
    )

    f.slug = "tidy-humming-otter"
    tr = {
        "status": "completed",
        "prompt": prompt,
        "agentId": agent,
        "content": [text(summary)],
        "totalDurationMs": 9712,
        "totalTokens": 12738,
        "totalToolUseCount": 2,
        "usage": usage_v1098(5, 720, 11712, 301),
    }
    f.tool_result(
        task, [text(summary)], tr, at=clock.at(0.3), key="s2055:task:res", parent=task_line
    )
    old = "def export_orders_json(orders: list[Order]) -> str:"
    new = (
        "def export_orders_csv(orders: list[Order]) -> str:\n    buf = io.StringIO()\n"
        "    writer = csv.writer(buf)\n    for o in orders:\n"
        "        writer.writerow([o.id, o.created_at.isoformat(), o.email, o.total])\n"
        "    return buf.getvalue()\n\n\n"
        "def export_orders_json(orders: list[Order]) -> str:"
    )
    edit = tool_use(
        "s2055:edit",
        "Edit",
        {"file_path": f"{WEBSHOP}/shop/export.py", "old_string": old, "new_string": new},
    )
    f.respond(
        "s2055:r2",
        [text("I'll add the CSV writer next to the JSON one."), edit],
        model=OPUS45,
        times=[3.5, 2.2],
        tokens=(3, 1210, 18730, 264),
        mode="placeholder",
        stop="tool_use",
        usage_fn=usage_v1098,
        clock=clock,
    )
    msg, res = edit_result(f"{WEBSHOP}/shop/export.py", old, new, EXPORT_PY)
    f.tool_result(edit, msg, res, at=clock.at(0.2), key="s2055:edit:res")
    f.push(
        {
            "type": "file-history-snapshot",
            "messageId": uid("s2055:fhs:2"),
            "snapshot": {
                "messageId": p1,
                "trackedFileBackups": {
                    "shop/export.py": {
                        "backupFileName": hexid("shop/export.py", 16) + "@v1",
                        "version": 1,
                        "backupTime": clock.at(0.01),
                    }
                },
                "timestamp": iso(ts("2026-04-14T13:40:02.511")),
            },
            "isSnapshotUpdate": True,
        }
    )
    run = tool_use(
        "s2055:bash",
        "Bash",
        {"command": "python -m pytest tests/admin -q", "description": "Run admin tests"},
    )
    f.respond(
        "s2055:r3",
        [run],
        model=OPUS45,
        times=[2.6],
        tokens=(3, 402, 19940, 81),
        mode="placeholder",
        stop="tool_use",
        usage_fn=usage_v1098,
        clock=clock,
    )
    queued = "also add a header row with the column names"
    f.push(
        {
            "type": "queue-operation",
            "operation": "enqueue",
            "timestamp": clock.at(0.7),
            "content": queued,
            "sessionId": sid,
        }
    )
    f.tool_result(
        run,
        "........                                                     [100%]\n8 passed in 0.52s",
        bash_result("........  [100%]\n8 passed in 0.52s"),
        at=clock.at(1.1),
        key="s2055:bash:res",
        is_error=False,
    )
    f.push(
        {
            "type": "queue-operation",
            "operation": "dequeue",
            "timestamp": clock.at(0.01),
            "sessionId": sid,
        }
    )
    p2 = uid("s2055:p2")
    f.push(
        {
            "type": "file-history-snapshot",
            "messageId": p2,
            "snapshot": {
                "messageId": p2,
                "trackedFileBackups": {
                    "shop/export.py": {
                        "backupFileName": hexid("shop/export.py", 16) + "@v2",
                        "version": 2,
                        "backupTime": clock.at(0.002),
                    }
                },
                "timestamp": clock.at(0.0),
            },
            "isSnapshotUpdate": False,
        }
    )
    f.user(queued, at=clock.at(0.004), key="s2055:p2", thinking_meta=True)
    old2 = "    writer = csv.writer(buf)\n"
    new2 = (
        "    writer = csv.writer(buf)\n"
        '    writer.writerow(["id", "created_at", "email", "total"])\n'
    )
    edit2 = tool_use(
        "s2055:edit2",
        "Edit",
        {"file_path": f"{WEBSHOP}/shop/export.py", "old_string": old2, "new_string": new2},
    )
    f.respond(
        "s2055:r4",
        [text("Adding the header row."), edit2],
        model=OPUS45,
        times=[2.8, 1.0],
        tokens=(3, 530, 20310, 142),
        mode="placeholder",
        stop="tool_use",
        usage_fn=usage_v1098,
        clock=clock,
    )
    msg, res = edit_result(
        f"{WEBSHOP}/shop/export.py", old2.rstrip("\n"), new2.rstrip("\n"), EXPORT_PY
    )
    f.tool_result(edit2, msg, res, at=clock.at(0.2), key="s2055:edit2:res")
    f.respond(
        "s2055:r5",
        [
            text(
                "Done: `export_orders_csv` writes a header row "
                "(id, created_at, email, total) followed by one row per order."
            )
        ],
        model=OPUS45,
        times=[3.3],
        tokens=(3, 388, 20840, 47),
        mode="placeholder",
        stop="end_turn",
        usage_fn=usage_v1098,
        clock=clock,
    )
    out.add_jsonl(
        f"claude/projects/{WEBSHOP_KEY}/{sid}.jsonl",
        f.lines,
        doc(
            "2.0.x main session: `file-history-snapshot` lines (no uuid; one an isSnapshotUpdate with "
            "a backup), `thinkingMetadata`/`todos` on prompts, `slug` from the second turn on, "
            "placeholder usage on split responses (stop_reason null everywhere), a Task call whose "
            "toolUseResult carries `agentId`, and a `queue-operation` enqueue/dequeue pair for a "
            "prompt typed while a tool was running.",
            "Claude Code 2.0.55",
            [
                f"every line: session_id `{sid}`, agent_id null",
                f"subagent file `agent-{agent}.jsonl` and warmup file `agent-{warm}.jsonl` belong to "
                "this session",
                "5 API responses in this file",
            ],
        ),
    )


APP_PY = '''"""Application factory."""
from shop.web import App
from shop.middleware import request_id, json_errors


def create_app(config) -> App:
    app = App(config)
    app.add_middleware(request_id)
    app.add_middleware(json_errors)
    app.register_blueprints()
    return app'''

RATELIMIT_PY = '''"""Per-API-key rate limiting for write endpoints."""
import time
from collections import defaultdict, deque

LIMIT = 10
WINDOW_S = 60.0
_hits: dict[str, deque] = defaultdict(deque)


def rate_limit(request, call_next):
    if request.method != "POST" or not request.path.startswith("/api/orders"):
        return call_next(request)
    key = request.headers.get("X-Api-Key", "anonymous")
    now = time.monotonic()
    q = _hits[key]
    while q and now - q[0] > WINDOW_S:
        q.popleft()
    if len(q) >= LIMIT:
        return request.json_response({"error": "rate_limited"}, status=429)
    q.append(now)
    return call_next(request)
'''

COMPACT_PROMPT = (
    "Your task is to create a detailed summary of the conversation so far, paying close attention "
    "to the user's explicit requests and your previous actions. This summary should be thorough "
    "in capturing technical details, code patterns, and architectural decisions that would be "
    "essential for continuing development work without losing context.\n\nInclude: 1. Primary "
    "Request and Intent 2. Key Technical Concepts 3. Files and Code Sections 4. Errors and fixes "
    "5. Problem Solving 6. All user messages 7. Pending Tasks 8. Current Work 9. Optional Next Step"
)

COMPACT_SUMMARY = (
    "1. Primary Request and Intent: rate-limit POST /api/orders to 10 requests per minute per "
    "API key; later switched to a sliding window and a Retry-After header.\n2. Key Technical "
    "Concepts: ASGI-style middleware chain in shop/app.py, per-key deque of timestamps.\n3. "
    "Files: shop/ratelimit.py (new), shop/app.py (middleware registration), "
    "tests/test_ratelimit.py (new).\n4. Errors: one API overload error, retried.\n5. Current "
    "Work: all 27 tests pass with the sliding-window limiter.\n6. Next Step: none pending."
)


def claude_v2139_progress_compaction(out: Output) -> None:
    """Scenario 3: 2.1.39 subagents/ layout, agent_progress copies, rewind, compaction, titles."""
    sid = uid("cc:webshop:s2139")
    clock = Clock("2026-05-20T08:03:41.006")
    branch = "feature/rate-limit"
    agent = "a" + hexid("cc:s2139:agent", 7)
    compact = "acompact-" + hexid("cc:s2139:compact", 6)
    base = f"claude/projects/{WEBSHOP_KEY}/{sid}"
    f = CCFile(style="v21", version="2.1.39", cwd=WEBSHOP, session_id=sid, branch=branch)
    f.user(
        f"<local-command-caveat>{CAVEAT}</local-command-caveat>",
        at=clock.at(),
        key="s2139:caveat",
        parent=None,
        meta=True,
    )
    f.user(
        "<command-name>/model</command-name>\n            <command-message>model"
        "</command-message>\n            <command-args>opus</command-args>",
        at=clock.at(0.0),
        key="s2139:cmd",
    )
    f.user(
        "<local-command-stdout>Set model to \u001b[1mopus (claude-opus-4-6)\u001b[22m"
        "</local-command-stdout>",
        at=clock.at(0.0),
        key="s2139:cmdout",
    )
    p1 = uid("s2139:p1")
    f.push(
        {
            "type": "file-history-snapshot",
            "messageId": p1,
            "snapshot": {"messageId": p1, "trackedFileBackups": {}, "timestamp": clock.at(9.2)},
            "isSnapshotUpdate": False,
        }
    )
    f.user(
        "Add rate limiting to POST /api/orders: 10 requests per minute per API key. Use a "
        "subagent to find how middleware is registered.",
        at=clock.at(-0.001),
        key="s2139:p1",
        permission_mode="default",
    )
    f.slug = "brisk-copper-lantern"
    prompt = (
        "Find how HTTP middleware is registered in this app (look at shop/app.py and "
        "shop/middleware/). Report the registration order and where a per-request rate "
        "limiter should be inserted. Do not edit files."
    )
    task = tool_use(
        "s2139:task",
        "Task",
        {
            "description": "Find middleware registration",
            "prompt": prompt,
            "subagent_type": "Explore",
        },
    )
    f.respond(
        "s2139:r1",
        [text("I'll start by mapping the middleware setup."), task],
        model=OPUS46,
        times=[3.9, 1.3],
        tokens=(2, 4093, 15958, 96),
        mode="placeholder",
        stop="tool_use",
        usage_fn=usage_v2139,
        clock=clock,
    )
    task_line = f.last

    a = CCFile(
        style="v21",
        version="2.1.39",
        cwd=WEBSHOP,
        session_id=sid,
        branch=branch,
        agent_id=agent,
        sidechain=True,
    )
    a.user(prompt, at=clock.at(0.08), key="s2139:a:root", parent=None)
    grep = tool_use(
        "s2139:a:grep",
        "Grep",
        {"pattern": "add_middleware", "path": WEBSHOP, "output_mode": "content", "-n": True},
    )
    a.respond(
        "s2139:a:r1",
        [text("I'll look for where middleware is wired up."), grep],
        model=HAIKU45,
        times=[2.0, 0.5],
        tokens=(2, 11658, 0, 97),
        mode="placeholder",
        stop="tool_use",
        usage_fn=usage_v2139,
        clock=clock,
    )
    gout = (
        "shop/app.py:8:    app.add_middleware(request_id)\n"
        "shop/app.py:9:    app.add_middleware(json_errors)"
    )
    a.tool_result(
        grep,
        gout,
        {"mode": "content", "numFiles": 0, "filenames": [], "content": gout, "numLines": 2},
        at=clock.at(0.1),
        key="s2139:a:grep:res",
        source=a.last,
    )
    aread = tool_use("s2139:a:read", "Read", {"file_path": f"{WEBSHOP}/shop/app.py"})
    a.respond(
        "s2139:a:r2",
        [aread],
        model=HAIKU45,
        times=[1.4],
        tokens=(6, 402, 11658, 58),
        mode="placeholder",
        stop="tool_use",
        usage_fn=usage_v2139,
        clock=clock,
    )
    numbered, res = read_result(f"{WEBSHOP}/shop/app.py", APP_PY)
    a.tool_result(aread, numbered, res, at=clock.at(0.02), key="s2139:a:read:res", source=a.last)
    summary = (
        "Middleware is registered in `create_app()` (shop/app.py) via "
        "`app.add_middleware(...)`, executed in registration order: `request_id` (line 8) "
        "then `json_errors` (line 9). A rate limiter should be added right after "
        "`request_id` so rejected requests still carry a request id and 429 responses go "
        "through `json_errors`."
    )
    a.respond(
        "s2139:a:r3",
        [text(summary)],
        model=HAIKU45,
        times=[3.1],
        tokens=(5, 511, 12060, 143),
        mode="placeholder",
        stop="end_turn",
        usage_fn=usage_v2139,
        clock=clock,
    )
    out.add_jsonl(
        f"{base}/subagents/{'agent-' + agent}.jsonl",
        a.lines,
        doc(
            "2.1.x subagent (Task, Explore) transcript under `<session>/subagents/`: every line "
            "`isSidechain:true` with `agentId` (`a` + 7 hex); first line is the Task prompt with "
            "parentUuid null; placeholder usage on split responses. Every assistant line here is ALSO "
            "copied into the main file as `progress`/`agent_progress` (usage must be counted once).",
            "Claude Code 2.1.39",
            [
                f"session_id `{sid}`, agent_id `{agent}`, thread_kind `subagent`, spawned by tool_use "
                f"`{task['id']}`",
                "3 API responses (same message.id + requestId as the agent_progress "
                "copies in the main file)",
            ],
        ),
    )

    # agent_progress copies of the subagent's assistant lines, in the main file
    prev = task_line
    for i, line in enumerate(x for x in a.lines if x["type"] == "assistant"):
        u = uid(f"s2139:progress:{i}")
        body = claude_format.agent_progress(
            agent,
            prompt,
            line,
            parent_tool_use_id=task["id"],
            tool_use_id="agent_msg_01" + b62(u, 22),
            line_uuid=u,
        )
        f.push(f.wrap(prev, body), None)
        prev = u
    tr = {
        "status": "completed",
        "prompt": prompt,
        "agentId": agent,
        "content": [text(summary)],
        "totalDurationMs": 14977,
        "totalTokens": 12719,
        "totalToolUseCount": 2,
        "usage": usage_v2139(5, 511, 12060, 143),
    }
    f.tool_result(
        task,
        [
            text(summary),
            text(
                f"agentId: {agent} (for resuming to continue this agent's work if needed)\n"
                "<usage>total_tokens: 12719\ntool_uses: 2\nduration_ms: 14977</usage>"
            ),
        ],
        tr,
        at=clock.at(0.4),
        key="s2139:task:res",
        parent=task_line,
        source=task_line,
    )
    write = tool_use(
        "s2139:write",
        "Write",
        {"file_path": f"{WEBSHOP}/shop/ratelimit.py", "content": RATELIMIT_PY},
    )
    f.respond(
        "s2139:r2",
        [text("I'll add a small fixed-window limiter keyed by API key."), write],
        model=OPUS46,
        times=[4.1, 6.3],
        tokens=(1, 1920, 20051, 602),
        mode="placeholder",
        stop="tool_use",
        usage_fn=usage_v2139,
        clock=clock,
    )
    f.tool_result(
        write,
        f"File created successfully at: {WEBSHOP}/shop/ratelimit.py",
        {
            "type": "create",
            "filePath": f"{WEBSHOP}/shop/ratelimit.py",
            "content": RATELIMIT_PY,
            "structuredPatch": [],
            "originalFile": None,
        },
        at=clock.at(0.1),
        key="s2139:write:res",
        source=f.last,
    )
    old = "    app.add_middleware(request_id)\n"
    new = "    app.add_middleware(request_id)\n    app.add_middleware(rate_limit)\n"
    edit = tool_use(
        "s2139:edit",
        "Edit",
        {"file_path": f"{WEBSHOP}/shop/app.py", "old_string": old, "new_string": new},
    )
    f.respond(
        "s2139:r3",
        [edit],
        model=OPUS46,
        times=[2.7],
        tokens=(1, 655, 21971, 149),
        mode="placeholder",
        stop="tool_use",
        usage_fn=usage_v2139,
        clock=clock,
    )
    msg, res = edit_result(f"{WEBSHOP}/shop/app.py", old.rstrip("\n"), new.rstrip("\n"), APP_PY)
    f.tool_result(edit, msg, res, at=clock.at(0.1), key="s2139:edit:res", source=f.last)
    run = tool_use(
        "s2139:bash", "Bash", {"command": "python -m pytest -q", "description": "Run tests"}
    )
    f.respond(
        "s2139:r4",
        [run],
        model=OPUS46,
        times=[2.0],
        tokens=(1, 240, 22626, 66),
        mode="placeholder",
        stop="tool_use",
        usage_fn=usage_v2139,
        clock=clock,
    )
    f.tool_result(
        run,
        "25 passed in 0.84s",
        bash_result("25 passed in 0.84s"),
        at=clock.at(1.9),
        key="s2139:bash:res",
        source=f.last,
        is_error=False,
    )
    x = f.respond(
        "s2139:r5",
        [
            text(
                "Done: POST /api/orders is limited to 10 requests per minute "
                "per `X-Api-Key`; excess requests get a 429."
            )
        ],
        model=OPUS46,
        times=[2.9],
        tokens=(1, 210, 22866, 44),
        mode="placeholder",
        stop="end_turn",
        usage_fn=usage_v2139,
        clock=clock,
    )[-1]

    # /rewind: two user children of x; the first branch is abandoned
    f.user(
        "Also return a Retry-After header on the 429.",
        at=clock.at(48.0),
        key="s2139:p2a",
        parent=x,
        permission_mode="default",
    )
    f.respond(
        "s2139:r6a",
        [
            text(
                "Sure, I'll compute the seconds until the oldest hit leaves "
                "the window and send it as Retry-After."
            )
        ],
        model=OPUS46,
        times=[3.0],
        tokens=(1, 90, 23076, 38),
        mode="placeholder",
        stop="end_turn",
        usage_fn=usage_v2139,
        clock=clock,
    )
    abandoned = f.last
    f.user(
        "Actually switch to a sliding window, and add a Retry-After header too.",
        at=clock.at(95.0),
        key="s2139:p2b",
        parent=x,
        permission_mode="default",
    )
    # a synthetic API-error entry (no requestId, zero usage)
    su = uid("s2139:synthetic")
    syn = {
        "id": uid("s2139:synthetic:msg"),
        "container": None,
        "model": "<synthetic>",
        "role": "assistant",
        "stop_reason": "stop_sequence",
        "stop_sequence": "",
        "type": "message",
        "usage": {
            "input_tokens": 0,
            "output_tokens": 0,
            "cache_creation_input_tokens": 0,
            "cache_read_input_tokens": 0,
            "server_tool_use": {"web_search_requests": 0, "web_fetch_requests": 0},
            "service_tier": None,
            "cache_creation": {"ephemeral_1h_input_tokens": 0, "ephemeral_5m_input_tokens": 0},
        },
        "content": [
            text(
                'API Error: 529 {"type":"error","error":{"type":"overloaded_error",'
                '"message":"Overloaded"}}'
            )
        ],
        "context_management": None,
    }
    f.push(
        f.wrap(
            f.last,
            [
                ("type", "assistant"),
                ("uuid", su),
                ("timestamp", clock.at(31.5)),
                ("message", syn),
                ("isApiErrorMessage", True),
            ],
        ),
        su,
    )
    f.user("try again", at=clock.at(12.0), key="s2139:p2c", permission_mode="default")
    old3 = (
        "    while q and now - q[0] > WINDOW_S:\n        q.popleft()\n"
        "    if len(q) >= LIMIT:\n"
        '        return request.json_response({"error": "rate_limited"}, status=429)'
    )
    new3 = (
        "    while q and now - q[0] >= WINDOW_S:\n        q.popleft()\n"
        "    if len(q) >= LIMIT:\n        retry = max(1, int(WINDOW_S - (now - q[0])) + 1)\n"
        '        return request.json_response({"error": "rate_limited"}, status=429,\n'
        '                                     headers={"Retry-After": str(retry)})'
    )
    edit3 = tool_use(
        "s2139:edit3",
        "Edit",
        {"file_path": f"{WEBSHOP}/shop/ratelimit.py", "old_string": old3, "new_string": new3},
    )
    f.respond(
        "s2139:r7",
        [
            text(
                "The deque already gives a sliding window; I'll make the "
                "boundary strict and add Retry-After."
            ),
            edit3,
        ],
        model=OPUS46,
        times=[5.2, 4.4],
        tokens=(1, 2360, 23166, 517),
        mode="placeholder",
        stop="tool_use",
        usage_fn=usage_v2139,
        clock=clock,
    )
    msg, res = edit_result(f"{WEBSHOP}/shop/ratelimit.py", old3, new3, RATELIMIT_PY)
    f.tool_result(edit3, msg, res, at=clock.at(0.1), key="s2139:edit3:res", source=f.last)
    run2 = tool_use(
        "s2139:bash2", "Bash", {"command": "python -m pytest -q", "description": "Run tests"}
    )
    f.respond(
        "s2139:r8",
        [run2],
        model=OPUS46,
        times=[1.8],
        tokens=(1, 700, 25526, 61),
        mode="placeholder",
        stop="tool_use",
        usage_fn=usage_v2139,
        clock=clock,
    )
    f.tool_result(
        run2,
        "27 passed in 0.90s",
        bash_result("27 passed in 0.90s"),
        at=clock.at(2.0),
        key="s2139:bash2:res",
        source=f.last,
        is_error=False,
    )
    y = f.respond(
        "s2139:r9",
        [text("Sliding window with Retry-After is in; 27 tests pass.")],
        model=OPUS46,
        times=[2.2],
        tokens=(1, 190, 26226, 29),
        mode="placeholder",
        stop="end_turn",
        usage_fn=usage_v2139,
        clock=clock,
    )[-1]

    # the compaction call (its own file) and the boundary in the main file
    c = CCFile(
        style="v21",
        version="2.1.39",
        cwd=WEBSHOP,
        session_id=sid,
        branch=branch,
        agent_id=compact,
        sidechain=True,
    )
    c.slug = f.slug
    c.user(COMPACT_PROMPT, at=clock.at(40.0), key="s2139:compact:u", parent=None)
    c.respond(
        "s2139:compact:r",
        [text("<summary>\n" + COMPACT_SUMMARY + "\n</summary>")],
        model=OPUS46,
        times=[21.4],
        tokens=(3, 1520, 26416, 1210),
        mode="placeholder",
        stop="end_turn",
        usage_fn=usage_v2139,
        clock=clock,
    )
    out.add_jsonl(
        f"{base}/subagents/agent-{compact}.jsonl",
        c.lines,
        doc(
            "2.1.x compaction call: the summarisation request and its response with usage "
            "(`agentId` `acompact-<6hex>`, all lines `isSidechain:true`). An API call that is not "
            "part of the conversation; the summary text reappears in the main file.",
            "Claude Code 2.1.39",
            [
                f"session_id `{sid}`, agent_id `{compact}`, thread_kind `compaction`",
                "1 API response",
            ],
        ),
    )
    bu = uid("s2139:boundary")
    f.push(
        f.wrap(
            None,
            [
                ("type", "system"),
                ("subtype", "compact_boundary"),
                ("content", "Conversation compacted"),
                ("isMeta", False),
                ("timestamp", clock.at(0.5)),
                ("uuid", bu),
                ("level", "info"),
                ("compactMetadata", {"trigger": "auto", "preTokens": 167342}),
            ],
            logical_parent=y,
        ),
        bu,
    )
    f.user(
        "This session is being continued from a previous conversation that ran out of "
        "context. The conversation is summarized below:\n"
        + COMPACT_SUMMARY
        + "\nPlease continue the conversation from where we left it off without asking the user "
        "any further questions.",
        at=clock.at(0.01),
        key="s2139:summary",
        compact_summary=True,
    )
    p3_text = "Write a short CHANGELOG entry for this."
    f.user(p3_text, at=clock.at(64.0), key="s2139:p3", permission_mode="default")
    ch = tool_use(
        "s2139:changelog",
        "Edit",
        {
            "file_path": f"{WEBSHOP}/CHANGELOG.md",
            "old_string": "## Unreleased\n",
            "new_string": "## Unreleased\n\n- POST /api/orders is rate limited to 10 requests per "
            "minute per API key (sliding window, 429 + Retry-After).\n",
        },
    )
    f.respond(
        "s2139:r10",
        [thinking("s2139:r10"), ch],
        model=OPUS46,
        times=[4.0, 2.1],
        tokens=(3, 5210, 12040, 188),
        mode="placeholder",
        stop="tool_use",
        usage_fn=usage_v2139,
        clock=clock,
    )
    msg, res = edit_result(
        f"{WEBSHOP}/CHANGELOG.md",
        "## Unreleased",
        "## Unreleased\n\n- POST /api/orders is rate limited to 10 requests "
        "per minute per API key (sliding window, 429 + Retry-After).",
        "# Changelog\n\n## Unreleased\n",
    )
    f.tool_result(ch, msg, res, at=clock.at(0.1), key="s2139:changelog:res", source=f.last)
    z = f.respond(
        "s2139:r11",
        [text("Added the entry under *Unreleased*.")],
        model=OPUS46,
        times=[1.9],
        tokens=(1, 330, 17250, 14),
        mode="placeholder",
        stop="end_turn",
        usage_fn=usage_v2139,
        clock=clock,
    )[-1]
    f.push({"type": "ai-title", "aiTitle": "Rate limiting for the orders API", "sessionId": sid})
    f.push({"type": "custom-title", "customTitle": "orders rate limit", "sessionId": sid})
    f.push({"type": "last-prompt", "lastPrompt": p3_text, "leafUuid": z, "sessionId": sid})
    out.add_jsonl(
        f"{base}.jsonl",
        f.lines,
        doc(
            "2.1.x main session: `isMeta:true` command caveat + slash-command lines; Task call whose "
            'subagent lives in `subagents/`; `progress` lines with `data.type:"agent_progress"` that '
            "copy every subagent assistant line (message incl. usage, requestId, uuid, timestamp; "
            "`parentToolUseID` = the Task tool_use id); `sourceToolAssistantUUID` on tool results; "
            "placeholder usage (output_tokens small on early lines, final only on the last line, "
            "stop_reason null on all lines); a `/rewind` branch (two user children of the same parent "
            "at different timestamps; the earlier one and its reply are abandoned); one `<synthetic>` "
            "API-error assistant line (zero usage, `isApiErrorMessage`, no requestId); an auto "
            "compaction (`system/compact_boundary` with parentUuid null + logicalParentUuid + "
            "compactMetadata, then the `isCompactSummary` user line); `ai-title`, `custom-title` and "
            "`last-prompt` (leafUuid = the newest leaf) metadata lines.",
            "Claude Code 2.1.39",
            [
                f"every line: session_id `{sid}`, agent_id null",
                f"rewind: parent `{x}` has user children `{uid('s2139:p2a')}` (abandoned, with reply "
                f"`{abandoned}`) and `{uid('s2139:p2b')}` (live)",
                f"roots: `{uid('s2139:caveat')}` and the compact boundary `{bu}` (logical parent "
                f"`{y}`)",
                "11 real API responses in this file + 1 synthetic (0 tokens); the 3 agent_progress "
                "responses duplicate the subagent file and must not be counted again",
                "title: custom-title 'orders rate limit' (ai-title 'Rate limiting for the orders API')",
            ],
        ),
    )


DATEPARSE_PY = '''"""Parse --since values."""
from datetime import datetime


def parse_since(value: str) -> datetime:
    for fmt in ("%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d"):
        try:
            return datetime.strptime(value, fmt)
        except ValueError:
            continue
    raise ValueError(f"unrecognised --since value: {value!r}")'''


def claude_v2114_agent_meta_btw(out: Output) -> None:
    """Scenario 4: 2.1.114 Agent tool, .meta.json sidecar, attachments, /btw side question."""
    sid = uid("cc:cli:s2114")
    clock = Clock("2026-07-09T17:21:44.310")
    agent = "a" + hexid("cc:s2114:agent", 16)
    side = "aside_question-" + hexid("cc:s2114:btw", 16)
    base = f"claude/projects/{CLITOOL_KEY}/{sid}"
    f = CCFile(style="v2114", version="2.1.114", cwd=CLITOOL, session_id=sid, branch="main")
    pr1 = uid("s2114:prompt1")
    pr2 = uid("s2114:prompt2")
    f.push({"type": "permission-mode", "permissionMode": "default", "sessionId": sid})
    hu = uid("s2114:hook")
    f.push(
        f.wrap(
            None,
            [
                (
                    "attachment",
                    {
                        "type": "hook_success",
                        "hookName": "SessionStart:startup",
                        "toolUseID": uid("s2114:h"),
                        "hookEvent": "SessionStart",
                        "content": "",
                        "stdout": "",
                        "stderr": "",
                        "exitCode": 0,
                        "command": "~/.claude/hooks/session-start.sh",
                        "durationMs": 212,
                    },
                ),
                ("type", "attachment"),
                ("uuid", hu),
                ("timestamp", clock.at()),
            ],
        ),
        hu,
    )
    p1 = uid("s2114:p1")
    p1_text = "`logtail --since` ignores timezone offsets. Explore how dates are parsed and fix it."
    f.push(
        {
            "type": "file-history-snapshot",
            "messageId": p1,
            "snapshot": {"messageId": p1, "trackedFileBackups": {}, "timestamp": clock.at(40.1)},
            "isSnapshotUpdate": False,
        }
    )
    f.user(p1_text, at=clock.at(-0.1), key="s2114:p1", permission_mode="default", prompt_id=pr1)
    au = uid("s2114:skills")
    f.push(
        f.wrap(
            f.last,
            [
                (
                    "attachment",
                    {
                        "type": "skill_listing",
                        "content": "- code-review: Review the current diff for bugs\n"
                        "- release-notes: Draft release notes from merged PRs",
                        "skillCount": 2,
                        "isInitial": True,
                    },
                ),
                ("type", "attachment"),
                ("uuid", au),
                ("timestamp", clock.at(-0.001)),
            ],
        ),
        au,
    )
    prompt = (
        "Find where `--since` values are parsed in this CLI (start at logtail/cli.py). "
        "Report the parsing function, the formats it accepts, whether the result is "
        "timezone-aware, and which tests cover it. Do not edit files."
    )
    ag = tool_use(
        "s2114:agent",
        "Agent",
        {"description": "Map --since parsing", "subagent_type": "Explore", "prompt": prompt},
        caller=True,
    )
    f.respond(
        "s2114:r1",
        [thinking("s2114:r1"), text("I'll have an Explore agent map the date parsing first."), ag],
        model=OPUS47,
        times=[6.1, 0.4, 1.9],
        tokens=(6, 21940, 0, 412),
        mode="final",
        stop="tool_use",
        usage_fn=usage_v2114,
        clock=clock,
    )
    agent_line = f.last

    a = CCFile(
        style="v2114",
        version="2.1.114",
        cwd=CLITOOL,
        session_id=sid,
        branch="main",
        agent_id=agent,
        sidechain=True,
    )
    a.user(prompt, at=clock.at(0.09), key="s2114:a:root", parent=None, prompt_id=pr1)
    grep = tool_use(
        "s2114:a:grep",
        "Grep",
        {"pattern": "since", "path": "logtail", "output_mode": "files_with_matches"},
    )
    a.respond(
        "s2114:a:r1",
        [text("Searching for the --since handling."), grep],
        model=HAIKU45,
        times=[1.7, 0.3],
        tokens=(6, 12980, 0, 77),
        mode="partial",
        stop="tool_use",
        usage_fn=usage_v2114,
        partial_fn=usage_v2114_partial,
        clock=clock,
    )
    a.tool_result(
        grep,
        "Found 2 files\nlogtail/cli.py\nlogtail/dateparse.py",
        {
            "mode": "files_with_matches",
            "filenames": ["logtail/cli.py", "logtail/dateparse.py"],
            "numFiles": 2,
        },
        at=clock.at(0.08),
        key="s2114:a:grep:res",
        source=a.last,
    )
    aread = tool_use("s2114:a:read", "Read", {"file_path": f"{CLITOOL}/logtail/dateparse.py"})
    a.respond(
        "s2114:a:r2",
        [aread],
        model=HAIKU45,
        times=[1.1],
        tokens=(6, 288, 12980, 61),
        mode="partial",
        stop="tool_use",
        usage_fn=usage_v2114,
        partial_fn=usage_v2114_partial,
        clock=clock,
    )
    numbered, res = read_result(f"{CLITOOL}/logtail/dateparse.py", DATEPARSE_PY)
    a.tool_result(aread, numbered, res, at=clock.at(0.02), key="s2114:a:read:res", source=a.last)
    summary = (
        "`logtail/dateparse.py::parse_since` tries three `strptime` formats "
        "(`%Y-%m-%dT%H:%M:%S`, `%Y-%m-%d %H:%M`, `%Y-%m-%d`). None accepts an offset and "
        "the result is always naive, so `2026-07-01T10:00:00+02:00` is rejected and "
        "naive values are compared against aware log timestamps. Tests: "
        "`tests/test_dateparse.py` (3 cases, all naive)."
    )
    a.respond(
        "s2114:a:r3",
        [text(summary)],
        model=HAIKU45,
        times=[3.6],
        tokens=(5, 690, 13268, 152),
        mode="partial",
        stop="end_turn",
        usage_fn=usage_v2114,
        partial_fn=usage_v2114_partial,
        clock=clock,
    )
    out.add_jsonl(
        f"{base}/subagents/agent-{agent}.jsonl",
        a.lines,
        doc(
            "2.1.114 subagent (`Agent` tool, Explore) transcript: `agentId` = `a` + 16 hex, "
            "`promptId` on the first line, envelope fields after the body (2.1.114 key order); split "
            "responses still carry partial usage + null stop_reason on non-final lines.",
            "Claude Code 2.1.114",
            [
                f"session_id `{sid}`, agent_id `{agent}`, thread_kind `subagent`, agent_type "
                f"`Explore` (from the .meta.json), spawned by tool_use `{ag['id']}`",
                "3 API responses",
            ],
        ),
    )
    out.add_json(
        f"{base}/subagents/agent-{agent}.meta.json",
        {"agentType": "Explore", "description": "Map --since parsing", "toolUseId": ag["id"]},
        doc(
            "Subagent sidecar (not a transcript): agentType, description and the spawning "
            "toolUseId.",
            "Claude Code 2.1.114",
            [f"describes agent `{agent}` of session `{sid}`"],
        ),
    )

    tr = {
        "status": "completed",
        "prompt": prompt,
        "agentId": agent,
        "agentType": "Explore",
        "content": [text(summary)],
        "totalDurationMs": 11240,
        "totalTokens": 14115,
        "totalToolUseCount": 2,
        "usage": usage_v2114(5, 690, 13268, 152),
        "toolStats": {
            "readCount": 1,
            "searchCount": 1,
            "bashCount": 0,
            "editFileCount": 0,
            "linesAdded": 0,
            "linesRemoved": 0,
            "otherToolCount": 0,
        },
    }
    f.tool_result(
        ag,
        [
            text(summary),
            text(
                f"agentId: {agent} (use SendMessage with to: '{agent}' to continue this agent)\n"
                "<usage>total_tokens: 14115\ntool_uses: 2\nduration_ms: 11240</usage>"
            ),
        ],
        tr,
        at=clock.at(0.3),
        key="s2114:agent:res",
        parent=agent_line,
        source=agent_line,
        prompt_id=pr1,
    )
    old = "from datetime import datetime\n"
    new = "from datetime import datetime, timezone\n"
    fix_old = (
        '    for fmt in ("%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d"):\n'
        "        try:\n            return datetime.strptime(value, fmt)"
    )
    fix_new = (
        "    try:\n        parsed = datetime.fromisoformat(value)\n"
        "    except ValueError:\n        parsed = None\n    if parsed is not None:\n"
        "        return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)\n"
        '    for fmt in ("%Y-%m-%d %H:%M", "%Y-%m-%d"):\n        try:\n'
        "            return datetime.strptime(value, fmt).replace(tzinfo=timezone.utc)"
    )
    e1 = tool_use(
        "s2114:edit1",
        "Edit",
        {"file_path": f"{CLITOOL}/logtail/dateparse.py", "old_string": old, "new_string": new},
    )
    e2 = tool_use(
        "s2114:edit2",
        "Edit",
        {
            "file_path": f"{CLITOOL}/logtail/dateparse.py",
            "old_string": fix_old,
            "new_string": fix_new,
        },
    )
    f.respond(
        "s2114:r2",
        [
            text(
                "I'll parse ISO 8601 with offsets via `fromisoformat` and make "
                "every result timezone-aware (UTC when no offset is given)."
            ),
            e1,
            e2,
        ],
        model=OPUS47,
        times=[5.5, 1.2, 3.9],
        tokens=(1, 1377, 21940, 703),
        mode="final",
        stop="tool_use",
        usage_fn=usage_v2114,
        clock=clock,
    )
    r2_last = f.last
    msg, res = edit_result(
        f"{CLITOOL}/logtail/dateparse.py", old.rstrip("\n"), new.rstrip("\n"), DATEPARSE_PY
    )
    f.tool_result(
        e1, msg, res, at=clock.at(0.1), key="s2114:edit1:res", source=r2_last, prompt_id=pr1
    )
    msg, res = edit_result(f"{CLITOOL}/logtail/dateparse.py", fix_old, fix_new, DATEPARSE_PY)
    f.tool_result(
        e2, msg, res, at=clock.at(0.05), key="s2114:edit2:res", source=r2_last, prompt_id=pr1
    )
    run = tool_use(
        "s2114:bash",
        "Bash",
        {
            "command": "python -m pytest tests/test_dateparse.py -q",
            "description": "Run date parsing tests",
        },
    )
    f.respond(
        "s2114:r3",
        [run],
        model=OPUS47,
        times=[2.3],
        tokens=(1, 1030, 23317, 70),
        mode="final",
        stop="tool_use",
        usage_fn=usage_v2114,
        clock=clock,
    )
    f.tool_result(
        run,
        "...                                                      [100%]\n3 passed in 0.05s",
        bash_result("...  [100%]\n3 passed in 0.05s"),
        at=clock.at(0.9),
        key="s2114:bash:res",
        source=f.last,
        is_error=False,
        prompt_id=pr1,
    )
    x1 = f.respond(
        "s2114:r4",
        [
            text(
                "Fixed: `parse_since` now accepts ISO 8601 offsets and "
                "always returns an aware datetime (UTC if no offset)."
            )
        ],
        model=OPUS47,
        times=[2.8],
        tokens=(1, 260, 24347, 39),
        mode="final",
        stop="end_turn",
        usage_fn=usage_v2114,
        clock=clock,
    )[-1]
    td = uid("s2114:td1")
    f.push(
        f.wrap(
            x1,
            [
                ("type", "system"),
                ("subtype", "turn_duration"),
                ("durationMs", 71233),
                ("messageCount", 14),
                ("timestamp", clock.at(0.01)),
                ("uuid", td),
                ("isMeta", False),
            ],
        ),
        td,
    )
    f.push({"type": "last-prompt", "lastPrompt": p1_text, "sessionId": sid})

    # /btw side question: replays p1 and x1 (same uuids + message ids), then question + answer
    s = CCFile(
        style="v2114",
        version="2.1.114",
        cwd=CLITOOL,
        session_id=sid,
        branch="main",
        agent_id=side,
        sidechain=True,
    )
    side_req = req_id("s2114:btw")
    p1_line = next(x for x in f.lines if x.get("uuid") == p1)
    x1_line = next(x for x in f.lines if x.get("uuid") == x1)
    s.push(
        s.wrap(
            None,
            [(k, v) for k, v in p1_line.items() if k in ("type", "message", "uuid", "timestamp")],
            prompt_id=pr1,
        ),
        p1,
    )
    s.push(
        s.wrap(
            p1,
            [
                ("message", x1_line["message"]),
                ("requestId", side_req),
                ("type", "assistant"),
                ("uuid", x1),
                ("timestamp", x1_line["timestamp"]),
            ],
        ),
        x1,
    )
    s.user(
        "does fromisoformat also accept a trailing Z on Python 3.10?",
        at=clock.at(35.0),
        key="s2114:btw:q",
        prompt_id=uid("s2114:prompt-btw"),
    )
    s.respond(
        "s2114:btw:a",
        [
            text(
                "No. `datetime.fromisoformat` only accepts `Z` from Python "
                "3.11 on; on 3.10 you would need to replace a trailing `Z` "
                "with `+00:00` first."
            )
        ],
        model=OPUS47,
        times=[3.4],
        tokens=(3, 380, 24607, 57),
        mode="final",
        stop="end_turn",
        usage_fn=usage_v2114,
        clock=clock,
        request=side_req,
    )
    out.add_jsonl(
        f"{base}/subagents/agent-{side}.jsonl",
        s.lines,
        doc(
            "2.1.114 `/btw` side question: every line `isSidechain:true`; the first two lines replay "
            "main-session lines with the SAME uuids and message.ids (the replayed assistant line "
            "carries the side call's NEW requestId), then the side question and its answer.",
            "Claude Code 2.1.114",
            [
                f"session_id `{sid}`, agent_id `{side}`, thread_kind `side_question`",
                f"uuids `{p1}` and `{x1}` are replays of main-file lines (is_replayed); the replayed "
                "assistant response (same message.id, different requestId) must NOT be counted again",
                "1 new API response (the answer)",
            ],
        ),
    )

    f.push({"type": "permission-mode", "permissionMode": "acceptEdits", "sessionId": sid})
    p2_text = "Add a test for a timestamp with a +02:00 offset."
    f.user(
        p2_text,
        at=clock.at(62.0),
        key="s2114:p2",
        parent=td,
        permission_mode="acceptEdits",
        prompt_id=pr2,
    )
    hu2 = uid("s2114:hook2")
    f.push(
        f.wrap(
            f.last,
            [
                (
                    "attachment",
                    {
                        "type": "hook_success",
                        "hookName": "UserPromptSubmit",
                        "toolUseID": uid("s2114:h2"),
                        "hookEvent": "UserPromptSubmit",
                        "content": "",
                        "stdout": "",
                        "stderr": "",
                        "exitCode": 0,
                        "command": "~/.claude/hooks/prompt-lint.sh",
                        "durationMs": 48,
                    },
                ),
                ("type", "attachment"),
                ("uuid", hu2),
                ("timestamp", clock.at(0.05)),
            ],
        ),
        hu2,
    )
    test_new = (
        "\n\ndef test_offset_is_kept():\n"
        '    got = parse_since("2026-07-01T10:00:00+02:00")\n'
        "    assert got.utcoffset() == timedelta(hours=2)\n"
        "    assert got.astimezone(timezone.utc).hour == 8\n"
    )
    e3 = tool_use(
        "s2114:edit3",
        "Edit",
        {
            "file_path": f"{CLITOOL}/tests/test_dateparse.py",
            "old_string": "    assert got.tzinfo is timezone.utc\n",
            "new_string": "    assert got.tzinfo is timezone.utc\n" + test_new,
        },
    )
    f.respond(
        "s2114:r5",
        [text("Adding a test that keeps the +02:00 offset."), e3],
        model=OPUS47,
        times=[4.2, 2.5],
        tokens=(6, 1840, 24607, 266),
        mode="final",
        stop="tool_use",
        usage_fn=usage_v2114,
        clock=clock,
    )
    f.tool_result(
        e3,
        f"The file {CLITOOL}/tests/test_dateparse.py has been updated successfully.",
        {
            "filePath": f"{CLITOOL}/tests/test_dateparse.py",
            "oldString": "    assert got.tzinfo is timezone.utc\n",
            "newString": "    assert got.tzinfo is timezone.utc\n" + test_new,
            "originalFile": None,
            "replaceAll": False,
            "structuredPatch": [],
            "userModified": False,
        },
        at=clock.at(0.1),
        key="s2114:edit3:res",
        source=f.last,
        prompt_id=pr2,
    )
    run2 = tool_use(
        "s2114:bash2", "Bash", {"command": "python -m pytest -q", "description": "Run all tests"}
    )
    f.respond(
        "s2114:r6",
        [run2],
        model=OPUS47,
        times=[1.7],
        tokens=(1, 330, 26447, 52),
        mode="final",
        stop="tool_use",
        usage_fn=usage_v2114,
        clock=clock,
    )
    f.tool_result(
        run2,
        "19 passed in 0.31s",
        bash_result("19 passed in 0.31s"),
        at=clock.at(1.1),
        key="s2114:bash2:res",
        source=f.last,
        is_error=False,
        prompt_id=pr2,
    )
    x2 = f.respond(
        "s2114:r7",
        [text("Added `test_offset_is_kept`; all 19 tests pass.")],
        model=OPUS47,
        times=[2.0],
        tokens=(1, 120, 26777, 19),
        mode="final",
        stop="end_turn",
        usage_fn=usage_v2114,
        clock=clock,
    )[-1]
    td2 = uid("s2114:td2")
    f.push(
        f.wrap(
            x2,
            [
                ("type", "system"),
                ("subtype", "turn_duration"),
                ("durationMs", 14870),
                ("messageCount", 7),
                ("timestamp", clock.at(0.01)),
                ("uuid", td2),
                ("isMeta", False),
            ],
        ),
        td2,
    )
    f.push({"type": "last-prompt", "lastPrompt": p2_text, "sessionId": sid})
    out.add_jsonl(
        f"{base}.jsonl",
        f.lines,
        doc(
            "2.1.114 main session: `permission-mode` lines (default -> acceptEdits), `attachment` "
            "lines (hook_success with parentUuid null as the first conversation line, skill_listing), "
            "`promptId`/`permissionMode`/`entrypoint`, envelope keys after the body; `Agent` tool "
            "whose toolUseResult has agentId/agentType/toolStats and whose tool_result ends with an "
            "`agentId:` + `<usage>` tail; split responses with identical FINAL usage and non-null "
            "stop_reason on every line; parallel Edit tool_uses; `system/turn_duration`; "
            "`last-prompt` without leafUuid.",
            "Claude Code 2.1.114",
            [
                f"every line: session_id `{sid}`, agent_id null",
                f"subagents: `{agent}` (Explore, .meta.json toolUseId `{ag['id']}`) and side question "
                f"`{side}`",
                "7 API responses in this file",
            ],
        ),
    )


FOLLOW_PY = '''"""--follow implementation."""
import os
import time


def follow(path, poll=0.5):
    with open(path, encoding="utf-8") as fh:
        fh.seek(0, os.SEEK_END)
        while True:
            line = fh.readline()
            if not line:
                time.sleep(poll)
                continue
            yield line'''


def claude_v1055_resumed(out: Output) -> None:
    """Scenario 5 + 6: an original 1.0.55 session and a resumed copy (ancestor head lines)."""
    old_sid = uid("cc:cli:s1055a")
    new_sid = uid("cc:cli:s1055b")
    clock = Clock("2026-03-10T14:02:11.480")
    f = CCFile(style="v1", version="1.0.55", cwd=CLITOOL, session_id=old_sid, branch="main")
    f.user(CAVEAT, at=clock.at(), key="s1055:caveat", parent=None, meta=True)
    f.user(
        "<command-name>/clear</command-name>\n          <command-message>clear"
        "</command-message>\n          <command-args></command-args>",
        at=clock.at(41.2),
        key="s1055:clear",
    )
    f.user(
        "<local-command-stdout></local-command-stdout>", at=clock.at(0.004), key="s1055:clearout"
    )
    f.user(
        "Why does `logtail --follow` stop printing when the log file is rotated?",
        at=clock.at(22.9),
        key="s1055:p1",
    )
    read = tool_use("s1055:read", "Read", {"file_path": f"{CLITOOL}/logtail/follow.py"})
    f.respond(
        "s1055:r1",
        [text("Let me look at the follow loop."), read],
        model=OPUS4,
        times=[4.4, 0.6],
        tokens=(4, 9120, 0, 104),
        mode="grow",
        stop="tool_use",
        usage_fn=usage_v1055,
        clock=clock,
    )
    numbered, res = read_result(f"{CLITOOL}/logtail/follow.py", FOLLOW_PY)
    f.tool_result(read, numbered, res, at=clock.at(0.08), key="s1055:read:res")
    f.respond(
        "s1055:r2",
        [
            text(
                "`follow()` keeps reading the *old* file handle. After "
                "rotation the path points at a new inode, but the loop never "
                "reopens it, so it waits forever on the renamed file. The fix is "
                "to compare `os.stat(path).st_ino` with `os.fstat(fh.fileno())` "
                "when `readline()` returns nothing, and reopen on change."
            )
        ],
        model=OPUS4,
        times=[6.2],
        tokens=(6, 402, 9120, 131),
        mode="grow",
        stop="end_turn",
        usage_fn=usage_v1055,
        clock=clock,
    )
    original = list(f.lines)
    out.add_jsonl(
        f"claude/projects/{CLITOOL_KEY}/{old_sid}.jsonl",
        original,
        doc(
            "1.0.x original session (later resumed): meta caveat (isMeta, parentUuid null), `/clear` "
            "command lines, one question with a Read tool call; 1.0.55 usage objects have no "
            "`cache_creation` breakdown.",
            "Claude Code 1.0.55",
            [f"every line: session_id `{old_sid}`", "2 API responses"],
        ),
    )

    # The resumed session: a NEW file/session id whose head lines are copies of the original
    # (same uuids, original timestamps, the ORIGINAL sessionId), then its own lines.
    g = CCFile(style="v1", version="1.0.55", cwd=CLITOOL, session_id=new_sid, branch="main")
    g.lines = [dict(x) for x in original]
    g.last = original[-1]["uuid"]
    clock = Clock("2026-03-11T09:30:02.117")
    g.user(
        "Let's fix it: reopen the file when its inode changes, and add a test that rotates "
        "the file.",
        at=clock.at(),
        key="s1055b:p2",
    )
    old = "            if not line:\n                time.sleep(poll)\n                continue"
    new = (
        "            if not line:\n"
        "                if os.stat(path).st_ino != os.fstat(fh.fileno()).st_ino:\n"
        "                    fh.close()\n"
        '                    fh = open(path, encoding="utf-8")\n'
        "                    continue\n                time.sleep(poll)\n"
        "                continue"
    )
    edit = tool_use(
        "s1055b:edit",
        "Edit",
        {"file_path": f"{CLITOOL}/logtail/follow.py", "old_string": old, "new_string": new},
    )
    g.respond(
        "s1055b:r1",
        [text("I'll reopen on inode change inside the loop."), edit],
        model=OPUS4,
        times=[5.0, 3.3],
        tokens=(4, 1266, 9522, 287),
        mode="grow",
        stop="tool_use",
        usage_fn=usage_v1055,
        clock=clock,
    )
    msg, res = edit_result(f"{CLITOOL}/logtail/follow.py", old, new, FOLLOW_PY)
    g.tool_result(edit, msg, res, at=clock.at(0.3), key="s1055b:edit:res")
    edit_res_uuid = g.last
    # the one malformed line of the Claude side: a hook line cut off mid-write
    g.push(
        RawLine(
            '{"parentUuid":"'
            + edit_res_uuid
            + '","isSidechain":false,"userType":"external","cwd":"'
            + CLITOOL
            + '","sessionId":"'
            + new_sid
            + '","version":"1.0.55","gitBranch":"main",'
            '"type":"system","content":"Running \\u001b[1mPostToolUse:Edit'
        )
    )
    run = tool_use(
        "s1055b:bash",
        "Bash",
        {"command": "python -m pytest tests/test_follow.py -q", "description": "Run follow tests"},
    )
    g.respond(
        "s1055b:r2",
        [run],
        model=OPUS4,
        times=[2.9],
        tokens=(4, 640, 10788, 93),
        mode="grow",
        stop="tool_use",
        usage_fn=usage_v1055,
        clock=clock,
    )
    g.tool_result(
        run,
        "....                                                     [100%]\n4 passed in 1.62s",
        bash_result("....  [100%]\n4 passed in 1.62s"),
        at=clock.at(2.1),
        key="s1055b:bash:res",
        is_error=False,
    )
    g.respond(
        "s1055b:r3",
        [
            text(
                "`--follow` now survives rotation: it reopens the path when "
                "the inode changes. The existing 4 follow tests pass."
            )
        ],
        model=OPUS4,
        times=[3.0],
        tokens=(4, 210, 11428, 38),
        mode="grow",
        stop="end_turn",
        usage_fn=usage_v1055,
        clock=clock,
    )
    n_copied = len(original)
    out.add_jsonl(
        f"claude/projects/{CLITOOL_KEY}/{new_sid}.jsonl",
        g.lines,
        doc(
            "1.0.x resumed session (`claude --resume`, which gave a new session id and file): the "
            f"first {n_copied} lines are verbatim copies of `{old_sid}.jsonl` (same uuids, original "
            "timestamps, and the ANCESTOR's sessionId), including a copied assistant response with "
            "the same message.id + requestId; then this session's own lines. Contains the ONE "
            "malformed (truncated) line of the Claude side.",
            "Claude Code 1.0.55",
            [
                f"every line (copied head included): session_id `{new_sid}` (the file name); lines "
                f"1-{n_copied} carry sessionId `{old_sid}` and are replayed copies (is_replayed)",
                "the copied responses must not be counted again: 3 new API responses here",
                f"the first own line `{uid('s1055b:p2')}` chains to the last copied line",
            ],
            rejects=f"line {n_copied + 5}: truncated JSON (a `system` hook line cut off mid-write)",
        ),
    )


GATEWAY_SONNET45 = "converse/us.anthropic.claude-sonnet-4-5-20250929-v1:0"


def usage_v2232_thinking(inp: int, cc: int, cr: int, out: int) -> dict[str, Any]:
    """A 2.1.2xx usage object that splits out the thinking tokens of ``output_tokens``.

    ``output_tokens_details.thinking_tokens`` is not quoted in the formats docs (issue #18
    reports it in users' logs); written from the closest documented shape, the 2.1.114
    usage object, with the thinking part of the output tokens beside it.
    """
    u = usage_v2114(inp, cc, cr, out)
    u["output_tokens_details"] = {"thinking_tokens": out // 3}
    return u


def claude_v2232_gateway_sdk(out: Output) -> None:
    """An Agent SDK session routed through a gateway, with the 2.1.2xx line types of #18.

    Shapes: ``entrypoint: "sdk-ts"`` on every envelope (formats 1.1); the model id a
    gateway logs for Bedrock (``converse/us.anthropic....-v1:0``, issue #18); metadata lines
    ``queue-operation`` ``popAll`` (formats 1.3 lists the operation), ``mode`` and
    ``agent-name`` (formats 1.3 shapes). Not quoted in the formats docs, so written from the
    closest documented shape and named here: ``pr-link`` (a metadata line like
    ``custom-title``: ``{type, sessionId, prNumber, prUrl, prRepository, timestamp}``),
    ``atis-latch`` (``{type, sessionId}``: its meaning is not documented), system
    ``microcompact_boundary`` (like ``compact_boundary``, with ``microcompactMetadata``) and
    system ``api_error`` (``level: "error"``, the error and the retry timing the formats
    addendum mentions: ``retryInMs``, ``retryAttempt``, ``maxRetries``).
    """
    sid = uid("cc:api:s2232")
    clock = Clock("2026-09-14T08:02:10.118")
    f = CCFile(
        style="v2114",
        version="2.1.232",
        cwd=API,
        session_id=sid,
        branch="main",
        entrypoint="sdk-ts",
    )
    f.push(
        {
            "type": "queue-operation",
            "operation": "popAll",
            "timestamp": clock.at(),
            "sessionId": sid,
        }
    )
    f.push({"type": "mode", "mode": "normal", "sessionId": sid})
    prompt_id = uid("s2232:prompt1")
    f.user(
        "Add a `GET /healthz` endpoint that returns 200 and the build version, then open a PR.",
        at=clock.at(0.4),
        key="s2232:p1",
        parent=None,
        permission_mode="acceptEdits",
        prompt_id=prompt_id,
    )
    err = uid("s2232:api_error")
    f.push(
        f.wrap(
            f.last,
            [
                ("type", "system"),
                ("subtype", "api_error"),
                ("level", "error"),
                (
                    "error",
                    {"status": 529, "error": {"type": "overloaded_error", "message": "Overloaded"}},
                ),
                ("retryInMs", 1120),
                ("retryAttempt", 1),
                ("maxRetries", 10),
                ("timestamp", clock.at(2.1)),
                ("uuid", err),
            ],
        ),
        err,
    )
    edit = tool_use(
        "s2232:edit",
        "Edit",
        {
            "file_path": f"{API}/app/routes.py",
            "old_string": "routes = [",
            "new_string": "routes = [\n    Route('/healthz', healthz),",
        },
    )
    f.respond(
        "s2232:r1",
        [thinking("s2232:th1"), text("I'll add the route next to the others."), edit],
        model=GATEWAY_SONNET45,
        times=[3.4, 0.2, 0.3],
        tokens=(3, 8840, 0, 312),
        mode="final",
        stop="tool_use",
        usage_fn=usage_v2232_thinking,
        clock=clock,
    )
    f.tool_result(
        edit,
        f"The file {API}/app/routes.py has been updated.",
        {
            "filePath": f"{API}/app/routes.py",
            "oldString": "routes = [",
            "newString": "routes = [\n    Route('/healthz', healthz),",
            "originalFile": None,
            "structuredPatch": [],
            "userModified": False,
            "replaceAll": False,
        },
        at=clock.at(0.2),
        key="s2232:edit:res",
        source=f.last,
        prompt_id=prompt_id,
    )
    micro = uid("s2232:micro")
    f.push(
        f.wrap(
            f.last,
            [
                ("type", "system"),
                ("subtype", "microcompact_boundary"),
                ("content", "Context microcompacted"),
                ("isMeta", False),
                ("timestamp", clock.at(0.1)),
                ("uuid", micro),
                ("level", "info"),
                (
                    "microcompactMetadata",
                    {"trigger": "auto", "preTokens": 9152, "tokensSaved": 2210},
                ),
            ],
        ),
        micro,
    )
    f.respond(
        "s2232:r2",
        [text("Added `GET /healthz` (200 with the build version) and opened PR #42.")],
        model=GATEWAY_SONNET45,
        times=[4.8],
        tokens=(5, 420, 8840, 96),
        mode="final",
        stop="end_turn",
        usage_fn=usage_v2232_thinking,
        clock=clock,
    )
    f.push(
        {
            "type": "pr-link",
            "sessionId": sid,
            "prNumber": 42,
            "prUrl": "https://github.com/example-dev/api-server/pull/42",
            "prRepository": "example-dev/api-server",
            "timestamp": clock.at(0.3),
        }
    )
    f.push({"type": "atis-latch", "sessionId": sid})
    f.push({"type": "agent-name", "agentName": "healthz", "sessionId": sid})
    out.add_jsonl(
        f"claude/projects/{API_KEY}/{sid}.jsonl",
        f.lines,
        doc(
            "Agent SDK session (`entrypoint: sdk-ts`) whose calls went through a gateway to "
            f"Bedrock: model `{GATEWAY_SONNET45}` (priced as claude-sonnet-4-5 at Bedrock's "
            "regional +10%); usage with `output_tokens_details.thinking_tokens`; a system "
            "`api_error` (a failed call, retried) and a `microcompact_boundary`; metadata lines "
            "`queue-operation` popAll, `mode`, `pr-link`, `atis-latch`, `agent-name`.",
            "Claude Code 2.1.232 (Agent SDK, TypeScript)",
            [f"every line: session_id `{sid}`", "2 API responses, 1 turn"],
        ),
    )


# --------------------------------------------------------------------------------------------
# Codex
# --------------------------------------------------------------------------------------------

BASE_INSTRUCTIONS = (
    "You are a coding agent working in the user's terminal. You and the user share one "
    "workspace; read files before changing them, keep edits minimal, run the project's tests "
    "when you change code, and report what you did in a few sentences.\n\n# Tools\n\nUse the "
    "shell tool to inspect and run things. Use apply_patch to edit files. Never run destructive "
    "git commands unless the user asks for them.\n\n# Output\n\nBe concise. Reference files "
    "with backticks and line numbers where useful. (Sample instructions written for the "
    "agent-threads test data.)"
)

PERMISSIONS_DEV = (
    "<permissions instructions>\nFilesystem sandboxing defines which files can be read or "
    "written. `sandbox_mode` is `workspace-write`: reading is allowed everywhere, writing only "
    "inside the workspace. Network access is restricted. Ask for approval before running "
    "commands that need to leave the sandbox.\n</permissions instructions>"
)


def env_context(cwd: str, day: str, shell: str = "bash") -> str:
    return (
        f"<environment_context>\n  <cwd>{cwd}</cwd>\n  <shell>{shell}</shell>\n"
        f"  <current_date>{day}</current_date>\n  <timezone>Etc/UTC</timezone>\n"
        "</environment_context>"
    )


def agents_md(cwd: str, body: str) -> str:
    return f"# AGENTS.md instructions for {cwd}\n\n<INSTRUCTIONS>\n{body}\n</INSTRUCTIONS>"


def git_info(repo: str, name: str, branch: str = "main") -> dict[str, Any]:
    return {
        "commit_hash": hexid("git:" + name, 40),
        "branch": branch,
        "repository_url": f"git@github.com:example-dev/{repo}.git",
    }


tok = codex_format.token_usage


class Usage:
    """Cumulative Codex token accounting (total_token_usage / last_token_usage)."""

    def __init__(
        self, base: tuple[int, int, int, int] = (0, 0, 0, 0), cache_write: bool = False
    ) -> None:
        self.total = list(base)
        self.last = (0, 0, 0, 0)
        self.cache_write = cache_write

    def step(self, inp: int, cached: int, out_: int, reasoning: int) -> None:
        self.last = (inp, cached, out_, reasoning)
        self.total = [a + b for a, b in zip(self.total, self.last, strict=True)]

    def info(self, window: int = 258400, zero_last_total: int | None = None) -> dict[str, Any]:
        cw = 0 if self.cache_write else None
        if zero_last_total is not None:
            last = tok(0, 0, 0, 0, cw)
            last["total_tokens"] = zero_last_total
        else:
            last = tok(*self.last, cache_write=cw)
        return {
            "total_token_usage": tok(*self.total, cache_write=cw),
            "last_token_usage": last,
            "model_context_window": window,
        }


def rate_limits(era: str, used: float) -> dict[str, Any]:
    if era == "0.58":
        return {
            "primary": {"used_percent": used, "window_minutes": 300, "resets_at": 1773861000},
            "secondary": {"used_percent": 11.0, "window_minutes": 10080, "resets_at": 1774310400},
        }
    if era == "0.147":
        return {
            "limit_id": "codex",
            "limit_name": None,
            "primary": {"used_percent": used, "window_minutes": 10080, "resets_at": 1786924800},
            "secondary": None,
            "credits": {"has_credits": False, "unlimited": False, "balance": "0"},
            "individual_limit": None,
            "spend_control_reached": None,
            "plan_type": "plus",
            "rate_limit_reached_type": None,
        }
    return {
        "limit_id": "codex",
        "limit_name": None,
        "primary": {"used_percent": used, "window_minutes": 300, "resets_at": 1781000000},
        "secondary": {"used_percent": 6.0, "window_minutes": 10080, "resets_at": 1781500000},
        "credits": None,
        "plan_type": "plus",
        "rate_limit_reached_type": None,
    }


class CXFile:
    """The lines of one Codex rollout file (envelope format)."""

    def __init__(
        self, clock: Clock, *, era: str, model: str, cwd: str, paginated: bool = False
    ) -> None:
        self.clock = clock
        self.era = era
        self.model = model
        self.cwd = cwd
        self.paginated = paginated
        self.lines: list[Any] = []
        self.ordinal = 0
        self.turn: str | None = None
        self.thread_id: str | None = None

    def add(
        self, type_: str, payload: dict[str, Any], dt: float = 0.001, at: str | None = None
    ) -> dict[str, Any]:
        ordinal = None
        if self.paginated:
            ordinal = self.ordinal
            self.ordinal += 1
        line = codex_format.rollout_line(at or self.clock.at(dt), type_, payload, ordinal)
        self.lines.append(line)
        return line

    def ev(self, payload: dict[str, Any], dt: float = 0.001) -> dict[str, Any]:
        return self.add("event_msg", payload, dt)

    def ri(self, payload: dict[str, Any], dt: float = 0.001) -> dict[str, Any]:
        if self.paginated:
            payload = dict(payload)
            payload["internal_chat_message_metadata_passthrough"] = {"turn_id": self.turn}
        return self.add("response_item", payload, dt)

    # -- building blocks -----------------------------------------------------------------------
    def msg(
        self,
        role: str,
        texts: list[str],
        phase: str | None = None,
        dt: float = 0.001,
        item_id: str | None = None,
    ) -> None:
        self.ri(codex_format.message_item(role, texts, phase, item_id), dt)

    def task_started(self, key: str, dt: float = 0.5) -> str:
        at = self.clock.now + timedelta(milliseconds=round(dt * 1000))
        self.turn = uuid7(at, key)
        p: dict[str, Any] = {"type": "task_started", "turn_id": self.turn}
        if self.era != "0.119":
            p["started_at"] = int(at.timestamp())
        p["model_context_window"] = 258400
        p["collaboration_mode_kind"] = "default"
        self.ev(p, dt)
        return self.turn

    def task_complete(
        self, last_msg: str | None, started: str, dt: float = 0.003, ttft: int | None = 1800
    ) -> None:
        self.clock.at(dt)
        p: dict[str, Any] = {
            "type": "task_complete",
            "turn_id": self.turn,
            "last_agent_message": last_msg,
        }
        if self.era != "0.119":
            p["completed_at"] = self.clock.unix()
            p["duration_ms"] = self.clock.ms() - int(ts(started[:-1]).timestamp() * 1000)
            if ttft is not None:
                p["time_to_first_token_ms"] = ttft
        self.add("event_msg", p, 0.0)

    def turn_context(self, effort: str = "medium", dt: float = 0.001) -> None:
        day = self.clock.now.strftime("%Y-%m-%d")
        if self.era == "0.58":
            p = {
                "cwd": self.cwd,
                "approval_policy": "on-request",
                "sandbox_policy": {
                    "mode": "workspace-write",
                    "network_access": False,
                    "exclude_tmpdir_env_var": False,
                    "exclude_slash_tmp": False,
                },
                "model": self.model,
                "effort": effort,
                "summary": "auto",
            }
        elif self.era == "0.147":
            p = {
                "turn_id": self.turn,
                "cwd": self.cwd,
                "workspace_roots": [self.cwd],
                "current_date": day,
                "timezone": "Etc/UTC",
                "approval_policy": "on-request",
                "approvals_reviewer": "user",
                "sandbox_policy": {
                    "type": "workspace-write",
                    "writable_roots": [],
                    "network_access": False,
                    "exclude_tmpdir_env_var": False,
                    "exclude_slash_tmp": False,
                },
                "model": self.model,
                "comp_hash": "3000",
                "personality": "pragmatic",
                "collaboration_mode": {
                    "mode": "default",
                    "settings": {
                        "model": self.model,
                        "reasoning_effort": effort,
                        "developer_instructions": None,
                    },
                },
                "multi_agent_version": "v2",
                "realtime_active": False,
                "effort": effort,
                "summary": "auto",
            }
        else:
            p = {
                "turn_id": self.turn,
                "cwd": self.cwd,
                "current_date": day,
                "timezone": "Etc/UTC",
                "approval_policy": "on-request",
                "sandbox_policy": {
                    "type": "workspace-write",
                    "writable_roots": [],
                    "network_access": False,
                    "exclude_tmpdir_env_var": False,
                    "exclude_slash_tmp": False,
                },
                "model": self.model,
                "personality": "pragmatic",
                "collaboration_mode": {
                    "mode": "default",
                    "settings": {
                        "model": self.model,
                        "reasoning_effort": effort,
                        "developer_instructions": None,
                    },
                },
                "realtime_active": False,
                "effort": effort,
                "summary": "none",
                "truncation_policy": {"mode": "tokens", "limit": 10000},
            }
        self.add("turn_context", p, dt)

    def user_prompt(self, t: str, dt: float = 0.002) -> None:
        self.msg("user", [t], dt=dt)
        if self.era == "0.58":
            self.ev({"type": "user_message", "message": t, "images": []}, 0.0)
        else:
            self.ev(
                {
                    "type": "user_message",
                    "message": t,
                    "images": [],
                    "local_images": [],
                    "text_elements": [],
                },
                0.0,
            )

    def agent_says(self, t: str, phase: str = "final_answer", dt: float = 1.5) -> None:
        if self.era == "0.58":
            self.ev({"type": "agent_message", "message": t}, dt)
            self.msg("assistant", [t], dt=0.0)
            return
        p: dict[str, Any] = {"type": "agent_message", "message": t, "phase": phase}
        if self.era != "0.119":
            p["memory_citation"] = None
        self.ev(p, dt)
        self.msg("assistant", [t], phase=phase, dt=0.0)

    def tokens(
        self,
        usage: Usage | None,
        used: float = 12.0,
        dt: float = 0.05,
        zero_last_total: int | None = None,
    ) -> None:
        info = None if usage is None else usage.info(zero_last_total=zero_last_total)
        self.ev(
            {"type": "token_count", "info": info, "rate_limits": rate_limits(self.era, used)}, dt
        )

    def reasoning(self, key: str, summary: list[str] | None = None, dt: float = 1.2) -> None:
        p: dict[str, Any] = {
            "type": "reasoning",
            "summary": [{"type": "summary_text", "text": s} for s in (summary or [])],
            "content": None,
            "encrypted_content": enc_blob(key),
        }
        self.ri(p, dt)

    def fcall(
        self,
        key: str,
        name: str,
        args: dict[str, Any],
        output: str,
        dt: float = 0.4,
        run: float = 0.6,
    ) -> None:
        c = call_id(key)
        self.ri(
            {
                "type": "function_call",
                "name": name,
                "arguments": json.dumps(args, separators=(",", ":")),
                "call_id": c,
            },
            dt,
        )
        self.ri({"type": "function_call_output", "call_id": c, "output": output}, run)


def exec_out(stdout: str, code: int = 0, wall: float = 0.2) -> str:
    """An ``exec_command`` tool output (0.11x-0.14x)."""
    return (
        f"Chunk ID: {b62('chunk:' + stdout[:40], 6).lower()}\nWall time: {wall:.4f} seconds\n"
        f"Process exited with code {code}\nOriginal token count: {len(stdout) // 4}\n"
        f"Output:\n{stdout}"
    )


def shell_out(stdout: str, code: int = 0, secs: float = 0.1) -> str:
    """A legacy ``shell`` tool output: JSON in a string."""
    return json.dumps(
        {"output": stdout, "metadata": {"exit_code": code, "duration_seconds": secs}},
        separators=(",", ":"),
    )


def rollout_name(start: datetime, thread: str) -> str:
    return f"rollout-{start.strftime('%Y-%m-%dT%H-%M-%S')}-{thread}.jsonl"


def session_path(start: datetime, thread: str) -> str:
    return f"codex/sessions/{start.strftime('%Y/%m/%d')}/{rollout_name(start, thread)}"


def session_meta(
    *,
    thread: str,
    start: datetime,
    cwd: str,
    version: str,
    originator: str,
    source: Any,
    git: dict[str, Any],
    session_id: str | None = None,
    forked_from: str | None = None,
    parent_thread: str | None = None,
    thread_source: str | None = None,
    nickname: str | None = None,
    role: str | None = None,
    path: Any = AUTO,
    instructions: Any = AUTO,
    multi_agent: str | None = None,
    paginated_window: str | None = None,
    base: Any = BASE_INSTRUCTIONS,
) -> dict[str, Any]:
    p: dict[str, Any] = {}
    if session_id is not None:
        p["session_id"] = session_id
    p["id"] = thread
    if forked_from is not None:
        p["forked_from_id"] = forked_from
    if parent_thread is not None:
        p["parent_thread_id"] = parent_thread
    p.update(timestamp=iso(start), cwd=cwd, originator=originator, cli_version=version)
    if instructions is not AUTO:
        p["instructions"] = instructions
    p["source"] = source
    if thread_source is not None:
        p["thread_source"] = thread_source
    if nickname is not None:
        p["agent_nickname"] = nickname
        p["agent_role"] = role
    if path is not AUTO:
        p["agent_path"] = path
    p["model_provider"] = "openai"
    if base is not None:
        p["base_instructions"] = (
            base if isinstance(base, str) and base.startswith("[") else {"text": base}
        )
    if multi_agent is not None:
        p["multi_agent_version"] = multi_agent
    if paginated_window is not None:
        p["history_mode"] = "paginated"
        p["context_window"] = {"window_id": paginated_window}
    p["git"] = git
    return p


HISTORY: list[dict[str, Any]] = []
SESSION_INDEX: list[dict[str, Any]] = []

API = "/home/dev/api-server"
INFRA = "/home/dev/infra"
DOTFILES = "/home/dev/dotfiles"


def codex_legacy(out: Output) -> None:
    """Codex 1: pre-0.32 legacy file, no envelope."""
    start = ts("2025-08-20T10:00:00.412")
    tid = uid("cx:legacy")
    lines: list[Any] = [
        {
            "id": tid,
            "timestamp": iso(start),
            "instructions": None,
            "git": git_info("dotfiles", "legacy"),
        },
        {"record_type": "state"},
    ]

    def m(role: str, t: str) -> dict[str, Any]:
        kind = "output_text" if role == "assistant" else "input_text"
        return {"type": "message", "role": role, "content": [{"type": kind, "text": t}]}

    def call(key: str, cmd: list[str], output: str) -> list[dict[str, Any]]:
        c = call_id(key)
        return [
            {
                "type": "function_call",
                "name": "shell",
                "arguments": json.dumps(
                    {"command": cmd, "timeout_ms": 120000}, separators=(",", ":")
                ),
                "call_id": c,
            },
            {"type": "function_call_output", "call_id": c, "output": output},
        ]

    prompt = "Add a `make lint` target that runs shellcheck on every script in bin/."
    lines += [
        m(
            "user",
            "<environment_context>\n  <cwd>/home/dev/dotfiles</cwd>\n  <approval_policy>"
            "on-request</approval_policy>\n  <sandbox_mode>workspace-write</sandbox_mode>\n"
            "  <network_access>restricted</network_access>\n  <shell>bash</shell>\n"
            "</environment_context>",
        ),
        m("user", prompt),
        {
            "type": "reasoning",
            "id": "rs_" + hexid("legacy:rs1", 48),
            "summary": [{"type": "summary_text", "text": "**Inspecting Makefile and bin/**"}],
            "content": None,
            "encrypted_content": enc_blob("legacy:rs1"),
        },
        m("assistant", "I'll look at the Makefile and the scripts in bin/ first."),
        *call(
            "legacy:c1",
            ["bash", "-lc", "ls bin && cat Makefile"],
            shell_out(
                "backup-home\nsync-notes\nupdate-all\n.PHONY: install\ninstall:\n\t./install.sh\n"
            ),
        ),
        {
            "type": "reasoning",
            "id": "rs_" + hexid("legacy:rs2", 48),
            "summary": [],
            "content": None,
            "encrypted_content": enc_blob("legacy:rs2"),
        },
        *call(
            "legacy:c2",
            [
                "apply_patch",
                "*** Begin Patch\n*** Update File: Makefile\n@@\n"
                "-.PHONY: install\n+.PHONY: install lint\n@@\n install:\n"
                " \t./install.sh\n+\n+lint:\n+\tshellcheck bin/*\n*** End Patch\n",
            ],
            shell_out("Success. Updated the following files:\nM Makefile\n"),
        ),
        *call(
            "legacy:c3",
            ["bash", "-lc", "make lint"],
            shell_out(
                "shellcheck bin/*\n\nIn bin/sync-notes line 4:\ncd $NOTES_DIR\n   ^-- "
                "SC2086 (info): Double quote to prevent globbing and word splitting.\n",
                code=2,
                secs=0.4,
            ),
        ),
        m(
            "assistant",
            "Added `make lint` (runs `shellcheck bin/*`). It currently reports one "
            "SC2086 warning in `bin/sync-notes` line 4 (unquoted `$NOTES_DIR`).",
        ),
        {"record_type": "state"},
        m("user", "quote it please"),
        *call(
            "legacy:c4",
            [
                "apply_patch",
                "*** Begin Patch\n*** Update File: bin/sync-notes\n"
                '@@\n-cd $NOTES_DIR\n+cd "$NOTES_DIR"\n*** End Patch\n',
            ],
            shell_out("Success. Updated the following files:\nM bin/sync-notes\n"),
        ),
        *call("legacy:c5", ["bash", "-lc", "make lint"], shell_out("shellcheck bin/*\n", secs=0.3)),
        m("assistant", "Quoted `$NOTES_DIR`; `make lint` is clean now."),
        {"record_type": "state"},
    ]
    out.add_jsonl(
        session_path(start, tid),
        lines,
        doc(
            "Legacy Rust rollout (before 0.32): line 1 is a flat `{id,timestamp,instructions,git}` "
            "object, then bare ResponseItems (message/reasoning/function_call `shell`/"
            'function_call_output with JSON-in-string output) and `{"record_type":"state"}` '
            "lines. No envelope, no per-line timestamps, no event_msg/turn_context/token_count. "
            "(Dated 2025-08-20, the only file outside 2026.)",
            "Codex CLI ~0.31 (legacy format)",
            [
                f"conversation_id `{tid}`, session_id `{tid}` (root, no session_id field), "
                "parent_thread_id null",
                "no usage records (tokens unknown)",
            ],
        ),
    )
    HISTORY.append({"session_id": tid, "ts": int(start.timestamp()) + 5, "text": prompt})


def codex_058(out: Output) -> None:
    """Codex 2: 0.58 root thread, per-request turn_context, duplicated events."""
    start = ts("2026-03-18T16:40:00.520")
    tid = uuid7(start, "cx:058")
    clock = Clock("2026-03-18T16:40:12.908")
    f = CXFile(clock, era="0.58", model="gpt-5.1-codex", cwd=API)
    f.add(
        "session_meta",
        session_meta(
            thread=tid,
            start=start,
            cwd=API,
            version="0.58.0",
            originator="codex_cli_rs",
            source="cli",
            git=git_info("api-server", "058"),
            instructions=None,
            base=None,
        ),
        0.0,
    )
    f.msg("user", [env_context(API, "2026-03-18")], dt=0.3)
    prompt = (
        "The /healthz handler returns 200 even when the database is down. Make it ping "
        "the pool and add a test."
    )
    f.user_prompt(prompt, dt=14.2)
    u = Usage()
    f.turn_context("high")
    f.tokens(None, 31.0, 0.9)
    steps = [
        (
            "**Locating the health handler**",
            ["bash", "-lc", 'rg -n "healthz" --type go'],
            'internal/http/routes.go:41:\tr.Get("/healthz", h.Health)\n'
            "internal/http/health.go:12:func (h *Handlers) Health(w http.ResponseWriter, "
            "r *http.Request) {\n",
            (9412, 0, 61, 24),
        ),
        (
            "**Reading health.go**",
            ["bash", "-lc", "sed -n '1,60p' internal/http/health.go"],
            'package http\n\nimport "net/http"\n\n// Health reports liveness.\n'
            "func (h *Handlers) Health(w http.ResponseWriter, r *http.Request) {\n"
            '\tw.WriteHeader(http.StatusOK)\n\t_, _ = w.Write([]byte("ok"))\n}\n',
            (9733, 9216, 55, 0),
        ),
        (
            "**Patching Health to ping the pool**",
            [
                "apply_patch",
                "*** Begin Patch\n*** Update File: internal/http/health.go\n@@\n"
                '-import "net/http"\n+import (\n+\t"context"\n+\t"net/http"\n+\t"time"\n+)\n@@\n'
                "-\tw.WriteHeader(http.StatusOK)\n+\tctx, cancel := context.WithTimeout(r.Context(), "
                "2*time.Second)\n+\tdefer cancel()\n+\tif err := h.DB.PingContext(ctx); err != nil {\n"
                '+\t\thttp.Error(w, "db unavailable", http.StatusServiceUnavailable)\n+\t\treturn\n'
                "+\t}\n+\tw.WriteHeader(http.StatusOK)\n*** End Patch\n",
            ],
            "Success. Updated the following files:\nM internal/http/health.go\n",
            (10180, 9600, 388, 192),
        ),
        (
            "**Adding a test and running go test**",
            ["bash", "-lc", "go test ./internal/http/..."],
            "ok  \texample.dev/api-server/internal/http\t0.412s\n",
            (11096, 9984, 471, 210),
        ),
    ]
    for i, (summ, cmd, output, usage) in enumerate(steps):
        if i:
            f.turn_context("high")
            if i in (1, 3):  # rate-limit update: same totals again
                f.tokens(u, 31.0, 0.2)
        f.ev({"type": "agent_reasoning", "text": summ}, 2.1)
        u.step(*usage)
        f.tokens(u, 31.0 + i, 0.4)
        f.reasoning(f"058:rs{i}", [summ], dt=0.004)
        f.fcall(
            f"058:c{i}",
            "shell",
            {"command": cmd, "workdir": API},
            shell_out(output),
            dt=0.0,
            run=0.0,
        )
    f.turn_context("high")
    f.tokens(u, 34.0, 0.3)
    u.step(11690, 10880, 96, 0)
    f.agent_says(
        "`/healthz` now pings the DB pool with a 2 s timeout and returns 503 when "
        "the ping fails. I added `TestHealthDBDown` with a stub pool; "
        "`go test ./internal/http/...` passes.",
        dt=3.9,
    )
    f.tokens(u, 34.0, 0.06)
    out.add_jsonl(
        session_path(start, tid),
        f.lines,
        doc(
            "0.58 root thread (envelope format): `session_meta` without `session_id` "
            "(`instructions:null`, git); one user turn with a `turn_context` per model request "
            "(`sandbox_policy` tagged `mode`); response_item message/reasoning/function_call `shell` "
            "(apply_patch through shell)/function_call_output (JSON-in-string); duplicated "
            "`event_msg` user_message/agent_message/agent_reasoning; `token_count` events incl. one "
            "`info:null` and two repeats of an unchanged total. No task_started/task_complete "
            "(pre-0.100).",
            "Codex CLI 0.58.0 (codex_cli_rs)",
            [
                f"conversation_id `{tid}`, session_id `{tid}` (no session_id field: a root uses its own "
                "id), parent_thread_id null",
                f"usage = final total_token_usage: {tok(*u.total)}",
            ],
        ),
    )
    HISTORY.append({"session_id": tid, "ts": int(start.timestamp()) + 14, "text": prompt})


def codex_0100_redacted(out: Output) -> None:
    """Optional: a small 0.100 Desktop file whose usage objects are the string "[REDACTED]"."""
    start = ts("2026-03-25T11:05:40.003")
    tid = uuid7(start, "cx:0100")
    clock = Clock("2026-03-25T11:06:02.771")
    f = CXFile(clock, era="0.130", model="gpt-5.3-codex", cwd=DOTFILES)
    f.add(
        "session_meta",
        session_meta(
            thread=tid,
            start=start,
            cwd=DOTFILES,
            version="0.100.0-alpha.10",
            originator="Codex Desktop",
            source="vscode",
            git=git_info("dotfiles", "0100"),
            base="[REDACTED INTERNAL INSTRUCTIONS]",
        ),
        0.0,
    )
    started = f.clock.at(0.0)
    f.task_started("cx:0100:t1", 0.002)
    f.msg("developer", ["[REDACTED]"])
    f.turn_context("medium")
    prompt = "What does the `-n` flag do in bin/backup-home?"
    f.user_prompt(prompt)
    red = {
        "total_token_usage": "[REDACTED]",
        "last_token_usage": "[REDACTED]",
        "model_context_window": 258400,
    }
    f.ev({"type": "token_count", "info": None, "rate_limits": rate_limits("0.100", 40.0)}, 0.4)
    f.agent_says(
        "`-n` is a dry run: it passes `--dry-run` to rsync and prints what would be "
        "copied without touching the backup disk.",
        dt=4.1,
    )
    f.ev({"type": "token_count", "info": red, "rate_limits": rate_limits("0.100", 40.0)}, 0.05)
    f.task_complete(
        "`-n` is a dry run: it passes `--dry-run` to rsync and prints what would be "
        "copied without touching the backup disk.",
        started,
        ttft=3900,
    )
    out.add_jsonl(
        session_path(start, tid),
        f.lines,
        doc(
            "Redacted Codex Desktop export shape: `base_instructions`, the developer message and BOTH "
            'usage objects of `token_count.info` are the string `"[REDACTED]"` (a reader must '
            "tolerate it and report unknown usage, not crash).",
            "Codex Desktop 0.100.0-alpha.10 (source vscode)",
            [
                f"conversation_id `{tid}`, session_id `{tid}`, parent_thread_id null",
                "usage unknown (redacted); the token_count lines are not rejects",
            ],
        ),
    )


def _turn_preamble(f: CXFile, cwd: str, day: str, agents: str) -> None:
    f.msg("developer", [PERMISSIONS_DEV])
    f.msg("user", [agents_md(cwd, agents), env_context(cwd, day)], dt=0.0)
    f.turn_context()


def codex_0144_family(out: Output) -> None:
    """Codex 3: sub-agent family WITH session_id (root + plain child + forked child)."""
    version, era = "0.144.4", "0.130"
    start = ts("2026-07-14T08:15:30.118")
    root = uuid7(start, "cx:0144:root")
    c1_start = ts("2026-07-14T08:15:52.640")
    c2_start = ts("2026-07-14T08:15:55.902")
    c1 = uuid7(c1_start, "cx:0144:c1")
    c2 = uuid7(c2_start, "cx:0144:c2")
    git = git_info("webshop", "0144", "refactor/checkout")
    agents = "Run `python -m pytest -q` before finishing. Keep pricing logic in shop/pricing.py."
    clock = Clock("2026-07-14T08:15:41.330")
    f = CXFile(clock, era=era, model="gpt-5.5", cwd=WEBSHOP)
    root_meta = session_meta(
        thread=root,
        session_id=root,
        start=start,
        cwd=WEBSHOP,
        version=version,
        originator="codex-tui",
        source="cli",
        thread_source="user",
        multi_agent="v2",
        git=git,
    )
    f.add("session_meta", root_meta, 0.0)
    t1_started = clock.at(0.0)
    f.task_started("cx:0144:root:t1", 0.003)
    _turn_preamble(f, WEBSHOP, "2026-07-14", agents)
    prompt = (
        "Split the checkout refactor: one agent writes tests for shop/discounts.py, another "
        "reviews my pricing diff. Then summarise both."
    )
    f.user_prompt(prompt)
    f.tokens(None, 22.0, 0.4)
    u = Usage()
    f.reasoning("0144:root:rs1", dt=2.2)
    f.agent_says(
        "I'll spawn a worker for the discount tests and a reviewer that gets our context.",
        phase="commentary",
        dt=0.4,
    )
    u.step(24880, 6400, 142, 64)
    f.tokens(u, 22.0, 0.05)
    fork_snapshot = list(f.lines[1:])  # the parent's items a forked spawn copies (see below)
    msg1 = (
        "Write pytest cases for shop/discounts.py covering stacked coupons, expiry and the "
        "minimum basket value. Only add tests under tests/."
    )
    f.fcall(
        "0144:spawn1",
        "spawn_agent",
        {"task_name": "worker", "message": msg1, "fork_turns": "none"},
        json.dumps({"task_name": "worker", "nickname": "Hopper"}),
        dt=0.3,
        run=0.0,
    )
    f.ev(
        {
            "type": "sub_agent_activity",
            "event_id": uid("0144:act1"),
            "occurred_at_ms": f.clock.ms() + 20,
            "agent_thread_id": c1,
            "agent_path": "/root/worker",
            "kind": "started",
        },
        0.02,
    )
    msg2 = (
        "Review the uncommitted changes to shop/pricing.py for rounding and ordering bugs. "
        "Do not edit files; list findings with line numbers."
    )
    f.fcall(
        "0144:spawn2",
        "spawn_agent",
        {"task_name": "reviewer", "message": msg2, "fork_turns": "all"},
        json.dumps({"task_name": "reviewer", "nickname": "Lovelace"}),
        dt=3.0,
        run=0.0,
    )
    f.ev(
        {
            "type": "sub_agent_activity",
            "event_id": uid("0144:act2"),
            "occurred_at_ms": f.clock.ms() + 20,
            "agent_thread_id": c2,
            "agent_path": "/root/reviewer",
            "kind": "started",
        },
        0.02,
    )
    fork_totals = tuple(u.total)
    u.step(25310, 24832, 188, 96)
    f.tokens(u, 22.0, 0.05)
    wc = call_id("0144:wait")
    f.ri(
        {
            "type": "function_call",
            "name": "wait_agent",
            "arguments": json.dumps(
                {"targets": ["/root/worker", "/root/reviewer"], "timeout_ms": 600000},
                separators=(",", ":"),
            ),
            "call_id": wc,
        },
        0.4,
    )
    # the children run; the parent waits
    f.clock.now = ts("2026-07-14T08:17:20.004")
    f.ev(
        {
            "type": "sub_agent_activity",
            "event_id": uid("0144:act3"),
            "occurred_at_ms": f.clock.ms() + 8,
            "agent_thread_id": c1,
            "agent_path": "/root/worker",
            "kind": "completed",
        },
        0.008,
    )
    f.clock.now = ts("2026-07-14T08:17:31.503")
    f.ev(
        {
            "type": "sub_agent_activity",
            "event_id": uid("0144:act4"),
            "occurred_at_ms": f.clock.ms() + 8,
            "agent_thread_id": c2,
            "agent_path": "/root/reviewer",
            "kind": "completed",
        },
        0.008,
    )
    f.ri(
        {
            "type": "function_call_output",
            "call_id": wc,
            "output": json.dumps(
                {
                    "status": {
                        "/root/worker": {
                            "completed": "Added 7 tests in tests/test_discounts.py; all pass."
                        },
                        "/root/reviewer": {
                            "completed": "2 findings: rounding before tax (line 31), coupon "
                            "applied twice for bundles (line 47)."
                        },
                    },
                    "timed_out": False,
                }
            ),
        },
        0.004,
    )
    u.step(26120, 25216, 231, 88)
    final = (
        "Worker added 7 discount tests (all pass). Reviewer found 2 issues in "
        "shop/pricing.py: rounding happens before tax (line 31) and bundle coupons are "
        "applied twice (line 47)."
    )
    f.agent_says(final, dt=4.1)
    f.tokens(u, 23.0, 0.05)
    f.task_complete(final, t1_started)
    out.add_jsonl(
        session_path(start, root),
        f.lines,
        doc(
            "Sub-agent family with `session_id` on disk, ROOT thread: session_meta with "
            '`session_id == id`, `thread_source:"user"`, `multi_agent_version`; two `spawn_agent` '
            "function calls (V2 args task_name/fork_turns; output has no thread id), "
            "`event_msg.sub_agent_activity` started/completed carrying the child thread ids, a "
            "`wait_agent` call.",
            f"Codex CLI {version} (codex-tui)",
            [
                f"conversation_id `{root}`, session_id `{root}`, parent_thread_id null",
                f"children: `{c1}` (/root/worker), `{c2}` (/root/reviewer, forked)",
                f"usage = final total: {tok(*u.total)}",
            ],
        ),
    )
    HISTORY.append({"session_id": root, "ts": int(start.timestamp()) + 12, "text": prompt})
    SESSION_INDEX.append(
        {
            "id": root,
            "thread_name": "checkout refactor: tests + review",
            "updated_at": iso(f.clock.now),
        }
    )

    def child_meta(
        cid: str, cstart: datetime, path: str, nick: str, role: str, forked: bool
    ) -> dict[str, Any]:
        return session_meta(
            thread=cid,
            session_id=root,
            forked_from=root if forked else None,
            parent_thread=root,
            start=cstart,
            cwd=WEBSHOP,
            version=version,
            originator="codex-tui",
            source={
                "subagent": {
                    "thread_spawn": {
                        "parent_thread_id": root,
                        "depth": 1,
                        "agent_path": path,
                        "agent_nickname": nick,
                        "agent_role": role,
                    }
                }
            },
            thread_source="subagent",
            nickname=nick,
            role=role,
            path=path,
            multi_agent="v2",
            git=git,
        )

    # child 1: plain (non-forked) spawn
    clock = Clock(iso(c1_start)[:-1])
    g = CXFile(clock, era=era, model="gpt-5.5", cwd=WEBSHOP)
    g.add("session_meta", child_meta(c1, c1_start, "/root/worker", "Hopper", "worker", False), 0.2)
    g1 = clock.at(0.0)
    g.task_started("cx:0144:c1:t1", 0.002)
    _turn_preamble(g, WEBSHOP, "2026-07-14", agents)
    g.user_prompt(msg1)
    g.tokens(None, 22.0, 0.3)
    cu = Usage()
    g.reasoning("0144:c1:rs1", dt=1.9)
    g.fcall(
        "0144:c1:sed",
        "exec_command",
        {"cmd": "sed -n '1,80p' shop/discounts.py", "yield_time_ms": 10000},
        exec_out("from decimal import Decimal\n\n\ndef apply_coupons(basket, coupons):\n    ...\n"),
        dt=0.3,
    )
    cu.step(18220, 6400, 120, 48)
    g.tokens(cu, 22.0, 0.05)
    cid = call_id("0144:c1:patch")
    g.ri(
        {
            "type": "custom_tool_call",
            "status": "completed",
            "call_id": cid,
            "name": "apply_patch",
            "input": "*** Begin Patch\n*** Add File: tests/test_discounts.py"
            "\n+from decimal import Decimal\n+\n+from shop.discounts import apply_coupons\n+\n+\n"
            "+def test_stacked_coupons_apply_in_order():\n+    ...\n*** End Patch\n",
        },
        6.2,
    )
    g.ri(
        {
            "type": "custom_tool_call_output",
            "call_id": cid,
            "output": shell_out(
                "Success. Updated the following files:\nA tests/test_discounts.py\n"
            ),
        },
        0.1,
    )
    cu.step(19010, 18176, 1420, 512)
    g.tokens(cu, 22.0, 0.05)
    g.fcall(
        "0144:c1:pytest",
        "exec_command",
        {"cmd": "python -m pytest tests/test_discounts.py -q", "yield_time_ms": 30000},
        exec_out(
            ".......                                                  [100%]\n7 passed in 0.22s\n",
            wall=1.1,
        ),
        dt=1.4,
        run=1.2,
    )
    cu.step(20730, 19200, 96, 12)
    g.tokens(cu, 22.0, 0.05)
    cfinal = "Added 7 tests in tests/test_discounts.py; all pass."
    g.agent_says(cfinal, dt=2.3)
    cu.step(20950, 20608, 30, 0)
    g.tokens(cu, 23.0, 0.05)
    g.task_complete(cfinal, g1)
    out.add_jsonl(
        session_path(c1_start, c1),
        g.lines,
        doc(
            "Sub-agent child (plain spawn) with `session_id` on disk: own `id`, `session_id` = root, "
            "top-level `parent_thread_id` = root, `source.subagent.thread_spawn` (depth 1, "
            'agent_path /root/worker, nickname, role), `thread_source:"subagent"`; the task '
            "arrives as a user message; `exec_command` and a `custom_tool_call` apply_patch.",
            f"Codex CLI {version}",
            [
                f"conversation_id `{c1}`, session_id `{root}`, parent_thread_id `{root}`, "
                "thread_kind subagent, agent_role worker",
                f"usage = final total: {tok(*cu.total)} (no inherited baseline)",
            ],
        ),
    )

    # child 2: forked spawn: own meta, parent's meta copy, parent's first turn replayed
    clock = Clock(iso(c2_start)[:-1])
    h = CXFile(clock, era=era, model="gpt-5.5", cwd=WEBSHOP)
    h.add(
        "session_meta",
        child_meta(c2, c2_start, "/root/reviewer", "Lovelace", "explorer", True),
        0.2,
    )
    stamp = clock.at(0.001)
    h.add("session_meta", root_meta, at=stamp)
    kept = 0
    for line in fork_snapshot:
        p = line["payload"]
        if line["type"] in ("turn_context",):
            continue
        if line["type"] == "response_item" and (
            p["type"] in ("reasoning", "function_call", "function_call_output")
            or (
                p["type"] == "message"
                and p["role"] == "assistant"
                and p.get("phase") != "final_answer"
            )
        ):
            continue
        h.add(line["type"], p, at=stamp)
        kept += 1
    hu = Usage(base=fork_totals)
    h2 = clock.at(0.4)
    h.task_started("cx:0144:c2:t1", 0.002)
    h.turn_context()
    h.user_prompt(msg2)
    h.tokens(None, 22.0, 0.3)
    h.reasoning("0144:c2:rs1", dt=2.0)
    h.fcall(
        "0144:c2:diff",
        "exec_command",
        {"cmd": "git diff -- shop/pricing.py", "yield_time_ms": 10000},
        exec_out(
            "@@ -28,7 +28,7 @@ def order_total(items, coupon=None, tax=TAX):\n-    net "
            "= subtotal - discount\n+    net = round(subtotal - discount, 2)\n"
            "     gross = net * (1 + tax)\n"
        ),
        dt=0.3,
    )
    hu.step(27140, 24832, 140, 60)
    h.tokens(hu, 22.0, 0.05)
    review = (
        "2 findings in shop/pricing.py: line 31 rounds the net amount before tax is added "
        "(round once at the end); line 47 applies bundle coupons a second time inside "
        "the per-item loop."
    )
    h.agent_says(review, dt=5.6)
    hu.step(27420, 27264, 212, 90)
    h.tokens(hu, 23.0, 0.05)
    h.task_complete(review, h2)
    own = [a - b for a, b in zip(hu.total, fork_totals, strict=True)]
    out.add_jsonl(
        session_path(c2_start, c2),
        h.lines,
        doc(
            'Sub-agent child, FORKED spawn (`fork_turns:"all"`): line 1 its own session_meta '
            "(`forked_from_id` = root, `session_id` = root, `parent_thread_id` = root, thread_spawn "
            "/root/reviewer); line 2 the PARENT's session_meta copy; then the parent's first turn "
            f"replayed ({kept} items, all re-stamped with the fork time, tool calls/reasoning/"
            "commentary dropped) including token_count with the parent's cumulative totals; then "
            "its own turn whose totals continue from the parent's.",
            f"Codex CLI {version}",
            [
                f"conversation_id `{c2}` (the FIRST session_meta; the second one, id `{root}`, is a "
                f"copy), session_id `{root}`, parent_thread_id `{root}`, forked_from_id `{root}`",
                f"inherited baseline = {tok(*fork_totals)}; own usage = final total minus baseline = "
                f"{tok(*own)}",
                "replayed lines: lines 2-" + str(kept + 2),
            ],
        ),
    )


def codex_0119_family(out: Output) -> None:
    """Codex 4: sub-agent family WITHOUT session_id on disk (root -> child -> grandchild)."""
    version, era = "0.119.0", "0.119"
    git = git_info("infra", "0119")
    start = ts("2026-06-03T13:02:10.771")
    root = uuid7(start, "cx:0119:root")
    c_start = ts("2026-06-03T13:02:31.204")
    child = uuid7(c_start, "cx:0119:child")
    g_start = ts("2026-06-03T13:02:44.860")
    grand = uuid7(g_start, "cx:0119:grand")
    agents = "Never run `terraform apply`. Plans only."

    def spawn_meta(tid: str, st: datetime, parent: str, depth: int, nick: str) -> dict[str, Any]:
        return session_meta(
            thread=tid,
            start=st,
            cwd=INFRA,
            version=version,
            originator="codex-tui",
            source={
                "subagent": {
                    "thread_spawn": {
                        "parent_thread_id": parent,
                        "depth": depth,
                        "agent_path": None,
                        "agent_nickname": nick,
                        "agent_role": "worker",
                    }
                }
            },
            nickname=nick,
            role="worker",
            git=git,
        )

    # root
    clock = Clock("2026-06-03T13:02:22.019")
    f = CXFile(clock, era=era, model="gpt-5.4", cwd=INFRA)
    f.add(
        "session_meta",
        session_meta(
            thread=root,
            start=start,
            cwd=INFRA,
            version=version,
            originator="codex-tui",
            source="cli",
            git=git,
        ),
        0.0,
    )
    f.task_started("cx:0119:root:t1", 0.002)
    _turn_preamble(f, INFRA, "2026-06-03", agents)
    prompt = (
        "Bump the AWS provider to 6.x in every module and make sure `terraform plan` is "
        "clean. Use a helper agent for the plan runs."
    )
    f.user_prompt(prompt)
    f.tokens(None, 8.0, 0.3)
    u = Usage()
    f.reasoning("0119:root:rs1", ["**Delegating plan runs**"], dt=2.4)
    f.fcall(
        "0119:sed",
        "exec_command",
        {"cmd": "rg -l 'version = \"~> 5' modules"},
        exec_out("modules/network/versions.tf\nmodules/db/versions.tf\n"),
        dt=0.2,
    )
    u.step(15230, 3072, 96, 40)
    f.tokens(u, 8.0, 0.05)
    cid = call_id("0119:patch")
    f.ri(
        {
            "type": "custom_tool_call",
            "status": "completed",
            "call_id": cid,
            "name": "apply_patch",
            "input": "*** Begin Patch\n*** Update File: "
            'modules/network/versions.tf\n@@\n-      version = "~> 5.80"\n+      version = "~> '
            '6.2"\n*** Update File: modules/db/versions.tf\n@@\n-      version = "~> 5.80"\n+'
            '      version = "~> 6.2"\n*** End Patch\n',
        },
        3.1,
    )
    f.ri(
        {
            "type": "custom_tool_call_output",
            "call_id": cid,
            "output": shell_out(
                "Success. Updated the following files:\n"
                "M modules/network/versions.tf\nM modules/db/versions.tf\n"
            ),
        },
        0.1,
    )
    u.step(15600, 15104, 310, 120)
    f.tokens(u, 8.0, 0.05)
    task = (
        "Run `terraform init -upgrade && terraform plan` in modules/network and modules/db "
        "and report any resource changes. Do not apply."
    )
    f.fcall(
        "0119:spawn",
        "spawn_agent",
        {"message": task, "agent_type": "worker"},
        json.dumps({"agent_id": child, "nickname": "Curie"}),
        dt=1.2,
        run=0.05,
    )
    u.step(16020, 15744, 88, 30)
    f.tokens(u, 8.0, 0.05)
    wc = call_id("0119:wait")
    f.ri(
        {
            "type": "function_call",
            "name": "wait",
            "arguments": json.dumps({"ids": [child], "timeout_ms": 600000}, separators=(",", ":")),
            "call_id": wc,
        },
        0.3,
    )
    f.clock.now = ts("2026-06-03T13:03:58.410")
    f.ri(
        {
            "type": "function_call_output",
            "call_id": wc,
            "output": json.dumps(
                {
                    "status": {child: {"completed": "Both plans clean: no changes."}},
                    "timed_out": False,
                }
            ),
        },
        0.0,
    )
    u.step(16400, 16000, 74, 0)
    final = "Bumped the AWS provider to `~> 6.2` in network and db; both plans are clean."
    f.agent_says(final, dt=2.0)
    f.tokens(u, 9.0, 0.05)
    f.task_complete(final, f.lines[1]["timestamp"])
    out.add_jsonl(
        session_path(start, root),
        f.lines,
        doc(
            "Sub-agent family WITHOUT `session_id` on disk, ROOT: no session_id, no thread_source "
            "(pre-0.129); a V1 `spawn_agent` whose output carries the child thread id, a `wait` call, "
            "`exec_command`, `custom_tool_call` apply_patch.",
            f"Codex CLI {version}",
            [
                f"conversation_id `{root}`, session_id `{root}` (root: its own id), "
                "parent_thread_id null",
                f"usage = final total: {tok(*u.total)}",
            ],
        ),
    )
    HISTORY.append({"session_id": root, "ts": int(start.timestamp()) + 11, "text": prompt})

    # child (depth 1)
    clock = Clock(iso(c_start)[:-1])
    g = CXFile(clock, era=era, model="gpt-5.4", cwd=INFRA)
    g.add("session_meta", spawn_meta(child, c_start, root, 1, "Curie"), 0.1)
    g.task_started("cx:0119:child:t1", 0.002)
    _turn_preamble(g, INFRA, "2026-06-03", agents)
    g.user_prompt(task)
    g.tokens(None, 8.0, 0.3)
    cu = Usage()
    gtask = "Run `terraform init -upgrade && terraform plan -detailed-exitcode` in modules/db."
    g.reasoning("0119:child:rs1", dt=1.8)
    g.fcall(
        "0119:child:spawn",
        "spawn_agent",
        {"message": gtask, "agent_type": "worker"},
        json.dumps({"agent_id": grand, "nickname": "Noether"}),
        dt=0.2,
        run=0.05,
    )
    cu.step(12040, 3072, 71, 30)
    g.tokens(cu, 8.0, 0.05)
    g.fcall(
        "0119:child:plan",
        "exec_command",
        {
            "cmd": "cd modules/network && terraform init -upgrade -input=false >/dev/null && "
            "terraform plan -detailed-exitcode -input=false",
            "yield_time_ms": 120000,
        },
        exec_out("No changes. Your infrastructure matches the configuration.\n", wall=38.2),
        dt=0.3,
        run=38.4,
    )
    cu.step(12610, 11904, 83, 22)
    g.tokens(cu, 8.0, 0.05)
    gw = call_id("0119:child:wait")
    g.ri(
        {
            "type": "function_call",
            "name": "wait",
            "arguments": json.dumps({"ids": [grand], "timeout_ms": 600000}, separators=(",", ":")),
            "call_id": gw,
        },
        0.3,
    )
    g.clock.now = ts("2026-06-03T13:03:49.902")
    g.ri(
        {
            "type": "function_call_output",
            "call_id": gw,
            "output": json.dumps(
                {"status": {grand: {"completed": "modules/db: No changes."}}, "timed_out": False}
            ),
        },
        0.0,
    )
    cu.step(12900, 12544, 40, 0)
    cfinal = "Both plans clean: no changes."
    g.agent_says(cfinal, dt=1.9)
    g.tokens(cu, 9.0, 0.05)
    g.task_complete(cfinal, g.lines[1]["timestamp"])
    out.add_jsonl(
        session_path(c_start, child),
        g.lines,
        doc(
            "Depth-1 child WITHOUT `session_id`: the ONLY parent link is "
            "`source.subagent.thread_spawn.parent_thread_id` (no top-level parent_thread_id, no "
            "thread_source; agent_path null); it spawns its own child.",
            f"Codex CLI {version}",
            [
                f"conversation_id `{child}`, session_id `{root}` (found by walking parent_thread_id), "
                f"parent_thread_id `{root}`",
                f"usage = final total: {tok(*cu.total)}",
            ],
        ),
    )

    # grandchild (depth 2)
    clock = Clock(iso(g_start)[:-1])
    k = CXFile(clock, era=era, model="gpt-5.4", cwd=INFRA)
    k.add("session_meta", spawn_meta(grand, g_start, child, 2, "Noether"), 0.1)
    k.task_started("cx:0119:grand:t1", 0.002)
    _turn_preamble(k, INFRA, "2026-06-03", agents)
    k.user_prompt(gtask)
    k.tokens(None, 8.0, 0.3)
    ku = Usage()
    k.fcall(
        "0119:grand:plan",
        "exec_command",
        {
            "cmd": "cd modules/db && terraform init -upgrade -input=false >/dev/null && "
            "terraform plan -detailed-exitcode -input=false",
            "yield_time_ms": 120000,
        },
        exec_out("No changes. Your infrastructure matches the configuration.\n", wall=41.7),
        dt=2.2,
        run=41.9,
    )
    ku.step(11880, 3072, 77, 24)
    k.tokens(ku, 8.0, 0.05)
    kfinal = "modules/db: No changes."
    ku.step(12010, 11776, 12, 0)
    k.agent_says(kfinal, dt=1.4)
    k.tokens(ku, 9.0, 0.05)
    k.task_complete(kfinal, k.lines[1]["timestamp"])
    out.add_jsonl(
        session_path(g_start, grand),
        k.lines,
        doc(
            "Depth-2 grandchild WITHOUT `session_id`: `thread_spawn.parent_thread_id` is the CHILD "
            "(not the root), `depth:2`.",
            f"Codex CLI {version}",
            [
                f"conversation_id `{grand}`, session_id `{root}` (walk: {grand} -> {child} -> "
                f"{root}), parent_thread_id `{child}`",
                f"usage = final total: {tok(*ku.total)}",
            ],
        ),
    )


def codex_0130_fork(out: Output) -> None:
    """Codex 5: /fork: the fork copies the parent's history re-stamped, totals continue."""
    version, era = "0.130.0", "0.130"
    git = git_info("api-server", "0130fork", "feature/pagination")
    agents = "Use `make test` to run the test suite."
    start = ts("2026-06-20T09:41:05.300")
    parent = uuid7(start, "cx:0130:parent")
    clock = Clock("2026-06-20T09:41:19.642")
    f = CXFile(clock, era=era, model="gpt-5.5", cwd=API)
    pmeta = session_meta(
        thread=parent,
        start=start,
        cwd=API,
        version=version,
        originator="codex-tui",
        source="cli",
        thread_source="user",
        git=git,
    )
    f.add("session_meta", pmeta, 0.0)
    u = Usage()
    turns = [
        (
            "How is pagination implemented for GET /v1/invoices?",
            "rg -n 'limit|cursor' internal/invoices/handler.go",
            '42:\tlimit := parseLimit(r, 50)\n43:\tcursor := r.URL.Query().Get("cursor")\n',
            "Cursor-based: `limit` (default 50) plus an opaque `cursor` query parameter decoded in "
            "`internal/invoices/handler.go` lines 42-43.",
            [(21450, 6528, 83, 30), (21690, 21376, 71, 0)],
        ),
        (
            "Is the cursor signed?",
            "rg -n 'func decodeCursor' -A8 internal/invoices",
            "internal/invoices/cursor.go:9:func decodeCursor(s string) (int64, error) {\n"
            "internal/invoices/cursor.go-10-\tb, err := base64.RawURLEncoding.DecodeString(s)\n",
            "No. `decodeCursor` only base64-decodes an integer offset, so clients can forge "
            "cursors.",
            [(22010, 21632, 77, 24), (22190, 21888, 40, 0)],
        ),
    ]
    starts = []
    for i, (q, cmd, res, ans, steps) in enumerate(turns):
        st = f.clock.at(0.0 if i == 0 else 6.5)
        starts.append(st)
        f.task_started(f"cx:0130:parent:t{i}", 0.002)
        if i == 0:
            _turn_preamble(f, API, "2026-06-20", agents)
        else:
            f.turn_context()
        f.user_prompt(q)
        f.tokens(u if i else None, 14.0, 0.35)
        f.reasoning(f"0130:p:rs{i}", dt=1.1)
        f.fcall(
            f"0130:p:c{i}",
            "exec_command",
            {"cmd": cmd, "yield_time_ms": 10000},
            exec_out(res),
            dt=0.2,
        )
        u.step(*steps[0])
        f.tokens(u, 14.0, 0.05)
        f.agent_says(ans, dt=1.8)
        u.step(*steps[1])
        f.tokens(u, 14.0, 0.05)
        f.task_complete(ans, st)
    parent_lines = list(f.lines)
    parent_totals = tuple(u.total)
    out.add_jsonl(
        session_path(start, parent),
        parent_lines,
        doc(
            "Fork SOURCE thread: an ordinary 0.130 root (2 turns, task_started/task_complete with "
            "turn_id, exec_command calls, agent_message with phase).",
            f"Codex CLI {version} (codex-tui)",
            [
                f"conversation_id `{parent}`, session_id `{parent}`, parent_thread_id null",
                f"usage = final total: {tok(*parent_totals)}",
            ],
        ),
    )
    HISTORY.append({"session_id": parent, "ts": int(start.timestamp()) + 14, "text": turns[0][0]})

    fstart = ts("2026-06-20T09:42:31.877")
    fork = uuid7(fstart, "cx:0130:fork")
    clock = Clock("2026-06-20T09:42:48.120")
    g = CXFile(clock, era=era, model="gpt-5.5", cwd=API)
    g.add(
        "session_meta",
        session_meta(
            thread=fork,
            forked_from=parent,
            start=fstart,
            cwd=API,
            version=version,
            originator="codex-tui",
            source="cli",
            thread_source="user",
            git=git,
        ),
        0.0,
    )
    for i, line in enumerate(parent_lines):
        g.add(
            line["type"],
            line["payload"],
            at=iso(clock.now + timedelta(milliseconds=1 + (i * 3) // len(parent_lines))),
        )
    clock.now += timedelta(milliseconds=4)
    gu = Usage(base=parent_totals)
    q = "Sign the cursor with HMAC and reject tampered ones with 400."
    st = clock.at(7.3)
    g.task_started("cx:0130:fork:t1", 0.002)
    g.turn_context()
    g.user_prompt(q)
    g.tokens(gu, 14.0, 0.3)
    g.reasoning("0130:f:rs1", dt=2.6)
    cid = call_id("0130:f:patch")
    g.ri(
        {
            "type": "custom_tool_call",
            "status": "completed",
            "call_id": cid,
            "name": "apply_patch",
            "input": "*** Begin Patch\n*** Update File: "
            "internal/invoices/cursor.go\n@@\n-func decodeCursor(s string) (int64, error) {\n"
            "+func decodeCursor(s string, key []byte) (int64, error) {\n*** End Patch\n",
        },
        4.0,
    )
    g.ri(
        {
            "type": "custom_tool_call_output",
            "call_id": cid,
            "output": shell_out(
                "Success. Updated the following files:\nM internal/invoices/cursor.go\n"
            ),
        },
        0.1,
    )
    gu.step(22630, 22144, 690, 280)
    g.tokens(gu, 15.0, 0.05)
    g.fcall(
        "0130:f:test",
        "exec_command",
        {"cmd": "make test", "yield_time_ms": 60000},
        exec_out("ok  \texample.dev/api-server/internal/invoices\t0.233s\n", wall=4.1),
        dt=0.3,
        run=4.3,
    )
    gu.step(23480, 22784, 52, 0)
    g.tokens(gu, 15.0, 0.05)
    ans = "Cursors are now `offset.hmac` signed with `INVOICE_CURSOR_KEY`; tampered ones get 400."
    g.agent_says(ans, dt=2.2)
    gu.step(23600, 23424, 44, 0)
    g.tokens(gu, 15.0, 0.05)
    g.task_complete(ans, st)
    n = len(parent_lines)
    own = [a - b for a, b in zip(gu.total, parent_totals, strict=True)]
    out.add_jsonl(
        session_path(fstart, fork),
        g.lines,
        doc(
            "`/fork` of the thread above: line 1 its own session_meta (`forked_from_id` = source, no "
            f"session_id); lines 2-{n + 1} the COPIED source history (its session_meta, task_started,"
            " turn_context, messages, user_message/agent_message, reasoning, tool calls and "
            "token_count) re-stamped within a few ms of the fork time; then a new turn whose "
            "token_count totals continue from the source's final total.",
            f"Codex CLI {version} (codex-tui)",
            [
                f"conversation_id `{fork}` (first session_meta), session_id `{fork}` (a fork is a new "
                f"root), parent_thread_id null, forked_from_id `{parent}`",
                f"lines 2-{n + 1} are replayed copies of `{parent}`",
                f"inherited baseline = {tok(*parent_totals)}; own usage = {tok(*own)}",
            ],
        ),
    )
    SESSION_INDEX.append(
        {"id": fork, "thread_name": "signed invoice cursors", "updated_at": iso(g.clock.now)}
    )


def codex_0130_compaction_rollback(out: Output) -> None:
    """Codex 6 + 8: turn_aborted + thread_rolled_back, then remote compaction."""
    version, era = "0.130.0", "0.130"
    git = git_info("webshop", "0130cmp")
    start = ts("2026-06-24T15:10:02.004")
    tid = uuid7(start, "cx:0130:compact")
    clock = Clock("2026-06-24T15:10:14.551")
    f = CXFile(clock, era=era, model="gpt-5.5", cwd=WEBSHOP)
    f.add(
        "session_meta",
        session_meta(
            thread=tid,
            start=start,
            cwd=WEBSHOP,
            version=version,
            originator="codex-tui",
            source="cli",
            thread_source="user",
            git=git,
        ),
        0.0,
    )
    u = Usage()
    # turn 1
    st = f.clock.at(0.0)
    f.task_started("cx:0130:c:t1", 0.002)
    _turn_preamble(f, WEBSHOP, "2026-06-24", "Run `python -m pytest -q` before finishing.")
    p1 = "Profile the slow /search endpoint and tell me where the time goes."
    f.user_prompt(p1)
    f.tokens(None, 30.0, 0.4)
    f.reasoning("0130:c:rs1", dt=1.6)
    prof = (
        "         48213 function calls (47002 primitive calls) in 2.914 seconds\n\n"
        "   Ordered by: cumulative time\n\n   ncalls  tottime  percall  cumtime  percall "
        "filename:lineno(function)\n        1    0.000    0.000    2.914    2.914 "
        "search.py:18(search_products)\n      120    0.011    0.000    2.790    0.023 "
        "query.py:40(load_variants)\n      120    2.702    0.023    2.702    0.023 "
        "{method 'execute' of 'sqlite3.Cursor' objects}\n        1    0.031    0.031    "
        "0.089    0.089 query.py:12(base_query)\n"
    )
    f.fcall(
        "0130:c:prof",
        "exec_command",
        {
            "cmd": "python -m cProfile -s cumtime scripts/bench_search.py | head -20",
            "yield_time_ms": 30000,
        },
        exec_out(prof, wall=3.3),
        dt=0.3,
        run=3.5,
    )
    u.step(28110, 6528, 144, 58)
    f.tokens(u, 30.0, 0.05)
    a1 = (
        "It's an N+1: `load_variants` runs one query per product (120 queries, 2.7 s of the "
        "2.9 s). Loading variants in one query would remove almost all of it."
    )
    f.agent_says(a1, dt=2.9)
    u.step(28560, 28032, 88, 0)
    f.tokens(u, 30.0, 0.05)
    f.task_complete(a1, st)
    # turn 2: interrupted, then rolled back
    st = f.clock.at(9.0)
    f.task_started("cx:0130:c:t2", 0.002)
    f.turn_context()
    p2 = "Rewrite the whole query builder to use SQLAlchemy."
    f.user_prompt(p2)
    f.tokens(u, 30.0, 0.4)
    f.reasoning("0130:c:rs2", dt=2.0)
    f.agent_says(
        "I'll start by mapping every caller of the query builder.", phase="commentary", dt=0.5
    )
    u.step(28890, 28416, 230, 121)
    f.tokens(u, 31.0, 0.05)
    f.clock.at(4.2)
    f.ev(
        {
            "type": "turn_aborted",
            "turn_id": f.turn,
            "reason": "interrupted",
            "completed_at": f.clock.unix(),
            "duration_ms": f.clock.ms() - int(ts(st[:-1]).timestamp() * 1000),
        },
        0.0,
    )
    f.msg(
        "user",
        [
            "<turn_aborted>\nThe user interrupted the previous turn on purpose. Any "
            "running unified exec processes may still be running in the background. If "
            "any tools/commands were aborted, they may have partially executed; verify "
            "current state before retrying.\n</turn_aborted>"
        ],
    )
    f.ev({"type": "thread_rolled_back", "num_turns": 1}, 3.1)
    # turn 3: /compact (remote)
    st = f.clock.at(5.0)
    f.task_started("cx:0130:c:t3", 0.002)
    f.add(
        "compacted",
        {
            "message": "",
            "replacement_history": [
                {
                    "type": "message",
                    "role": "user",
                    "content": [{"type": "input_text", "text": p1}],
                },
                {"type": "compaction", "encrypted_content": enc_blob("0130:c:compaction", 320)},
            ],
        },
        9.8,
    )
    f.tokens(u, 31.0, 0.0, zero_last_total=6120)
    f.ev({"type": "context_compacted"}, 0.001)
    f.task_complete(None, st, ttft=None)
    # turn 4 after compaction
    st = f.clock.at(12.0)
    f.task_started("cx:0130:c:t4", 0.002)
    f.turn_context()
    p4 = "Load the variants with one IN query instead, and keep the current query builder."
    f.user_prompt(p4)
    f.tokens(u, 31.0, 0.4)
    f.reasoning("0130:c:rs4", dt=1.9)
    cid = call_id("0130:c:patch")
    f.ri(
        {
            "type": "custom_tool_call",
            "status": "completed",
            "call_id": cid,
            "name": "apply_patch",
            "input": "*** Begin Patch\n*** Update File: shop/query.py\n@@\n"
            "-    for p in products:\n-        p.variants = _variants_for(p.id)\n+    by_id = "
            "_variants_for_many([p.id for p in products])\n+    for p in products:\n+        "
            "p.variants = by_id.get(p.id, [])\n*** End Patch\n",
        },
        3.4,
    )
    f.ri(
        {
            "type": "custom_tool_call_output",
            "call_id": cid,
            "output": shell_out("Success. Updated the following files:\nM shop/query.py\n"),
        },
        0.1,
    )
    u.step(7420, 0, 402, 160)
    f.tokens(u, 31.0, 0.05)
    f.fcall(
        "0130:c:test",
        "exec_command",
        {"cmd": "python -m pytest -q", "yield_time_ms": 60000},
        exec_out("31 passed in 1.12s\n", wall=1.6),
        dt=0.3,
        run=1.8,
    )
    u.step(7980, 7296, 61, 0)
    f.tokens(u, 31.0, 0.05)
    a4 = "Variants now load with one `IN (...)` query; /search drops from 2.9 s to 0.2 s locally."
    f.agent_says(a4, dt=2.4)
    u.step(8110, 7936, 36, 0)
    f.tokens(u, 31.0, 0.05)
    f.task_complete(a4, st)
    out.add_jsonl(
        session_path(start, tid),
        f.lines,
        doc(
            "Interruption + rollback + remote compaction in one thread: turn 2 ends with "
            "`turn_aborted{reason:interrupted}`, an injected `<turn_aborted>` user-role message and "
            "`thread_rolled_back{num_turns:1}` (its lines stay in the file); turn 3 is a `/compact`: "
            '`compacted` with `message:""` and `replacement_history` [user message, '
            "{type:compaction, encrypted_content}], a `token_count` whose total is unchanged and whose "
            "`last_token_usage` is all zeros (except total_tokens), `event_msg.context_compacted`; "
            "turn 4 continues after the compaction.",
            f"Codex CLI {version} (codex-tui)",
            [
                f"conversation_id `{tid}`, session_id `{tid}`, parent_thread_id null",
                "turn 2 (prompt 'Rewrite the whole query builder...') is rolled back: not on the main "
                "path, but its tokens were spent and count",
                f"usage = final total: {tok(*u.total)}",
            ],
        ),
    )
    HISTORY.append({"session_id": tid, "ts": int(start.timestamp()) + 12, "text": p1})


def codex_0147_paginated(out: Output) -> None:
    """Codex 7: paginated history (ordinal, world_state, item_completed, custom exec tool)."""
    version = "0.147.0"
    start = ts("2026-08-12T19:20:11.208")
    tid = uuid7(start, "cx:0147")
    window = uuid7(start, "cx:0147:window")
    clock = Clock("2026-08-12T19:20:19.733")
    f = CXFile(clock, era="0.147", model="gpt-5.6", cwd=CLITOOL, paginated=True)
    f.add(
        "session_meta",
        session_meta(
            thread=tid,
            session_id=tid,
            start=start,
            cwd=CLITOOL,
            version=version,
            originator="codex-tui",
            source="cli",
            thread_source="user",
            paginated_window=window,
            git=git_info("cli-tool", "0147", "main"),
        ),
        0.0,
    )
    st = clock.at(0.0)
    turn = f.task_started("cx:0147:t1", 0.001)

    def item_id(key: str) -> str:
        return "msg_" + uuid7(clock.now, key)

    f.msg("developer", [PERMISSIONS_DEV], dt=0.36, item_id=item_id("dev"))
    f.msg(
        "user",
        [
            agents_md(CLITOOL, "Run `make test` before finishing."),
            env_context(CLITOOL, "2026-08-12", "zsh"),
        ],
        dt=0.0,
        item_id=item_id("ctx"),
    )
    f.add(
        "world_state",
        {
            "full": True,
            "state": {
                "agents_md": {"directory": CLITOOL, "text": "Run `make test` before finishing."},
                "collaboration_mode": {"mode": "default", "model": "gpt-5.6"},
                "environments": {
                    "environments": {
                        "local": {"cwd": CLITOOL, "status": "available", "shell": "zsh"}
                    },
                    "current_date": "2026-08-12",
                    "timezone": "Etc/UTC",
                },
                "model": "gpt-5.6",
                "permissions": {"approved_command_prefixes": []},
                "personality": {"model": "gpt-5.6", "personality": "pragmatic"},
                "realtime": {"active": False},
            },
        },
        0.002,
    )
    f.turn_context("high")
    prompt = "Make `logtail --json` print one object per line instead of a JSON array."
    uid_ = uuid7(clock.now, "cx:0147:user")
    f.msg("user", [prompt], dt=0.011, item_id="msg_" + uid_)

    def completed(item: dict[str, Any], started_ms: int) -> None:
        f.ev(
            {
                "type": "item_completed",
                "thread_id": tid,
                "turn_id": turn,
                "item": item,
                "started_at_ms": started_ms,
                "completed_at_ms": f.clock.ms(),
            },
            0.0,
        )

    completed(
        {
            "type": "UserMessage",
            "id": uuid7(clock.now, "cx:0147:um"),
            "content": [{"type": "text", "text": prompt, "text_elements": []}],
        },
        clock.ms(),
    )
    u = Usage(cache_write=True)
    s0 = clock.ms()
    clock.at(2.3)
    rs = "rs_" + hexid("0147:rs1", 50)
    completed(
        {
            "type": "Reasoning",
            "id": rs,
            "summary_text": ["**Finding the JSON writer**"],
            "raw_content": [],
        },
        s0 + 400,
    )
    f.ri(
        {
            "type": "reasoning",
            "id": rs,
            "summary": [{"type": "summary_text", "text": "**Finding the JSON writer**"}],
            "encrypted_content": enc_blob("0147:rs1"),
        },
        0.003,
    )
    say = "I'll switch the `--json` writer to JSON Lines and check the tests."
    mid = "msg_" + hexid("0147:m1", 50)
    s1 = clock.ms()
    clock.at(0.6)
    completed(
        {
            "type": "AgentMessage",
            "id": mid,
            "content": [{"type": "Text", "text": say}],
            "phase": "commentary",
        },
        s1,
    )
    f.msg("assistant", [say], phase="commentary", dt=0.002, item_id=mid)
    cid = call_id("0147:exec")
    f.ri(
        {
            "type": "custom_tool_call",
            "id": "ctc_" + hexid("0147:ctc", 50),
            "status": "completed",
            "call_id": cid,
            "name": "exec",
            "input": "const r = await tools.exec_command({cmd:\"sed -i 's/json.dump(rows, out)/"
            'for r in rows: out.write(json.dumps(r) + \\"\\\\n\\")/\' logtail/output.py '
            '&& make test"});\ntext(r.output);',
        },
        2.5,
    )
    f.ri(
        {
            "type": "custom_tool_call_output",
            "id": "ctco_" + uuid7(clock.now, "0147:ctco"),
            "call_id": cid,
            "output": [
                {
                    "type": "input_text",
                    "text": "Script completed\nWall time 2.8 seconds\nOutput:\n",
                },
                {"type": "input_text", "text": "python -m pytest -q\n22 passed in 0.44s\n"},
            ],
        },
        2.9,
    )
    u.step(23114, 11008, 231, 64)
    f.tokens(u, 41.0, 0.002)
    ans = "`--json` now writes JSON Lines (one object per line); `make test` passes (22 tests)."
    mid2 = "msg_" + hexid("0147:m2", 50)
    s2 = clock.ms()
    clock.at(1.9)
    completed(
        {
            "type": "AgentMessage",
            "id": mid2,
            "content": [{"type": "Text", "text": ans}],
            "phase": "final_answer",
        },
        s2,
    )
    f.msg("assistant", [ans], phase="final_answer", dt=0.002, item_id=mid2)
    u.step(23460, 23296, 41, 0)
    f.tokens(u, 41.0, 0.03)
    # Turn items of the paginated history (formats 3b: every item_completed is written) and a
    # top-level token_usage_record (paginated builds, issue #18). Their fields are not quoted
    # in the formats docs: written from the documented item_completed envelope with the
    # closest fields (a command and its exit code; the changed paths); token_usage_record
    # carries a turn id and a usage object shaped like token_count's.
    completed(
        {
            "type": "CommandExecution",
            "id": "cmd_" + hexid("0147:cmd", 24),
            "command": "make test",
            "cwd": CLITOOL,
            "status": "completed",
            "exit_code": 0,
            "aggregated_output": "22 passed in 0.44s\n",
        },
        s2,
    )
    completed(
        {
            "type": "FileChange",
            "id": "fc_" + hexid("0147:fc", 24),
            "changes": [{"path": f"{CLITOOL}/logtail/output.py", "kind": "update"}],
            "status": "completed",
        },
        s2,
    )
    f.add("token_usage_record", {"turn_id": turn, "usage": tok(*u.total, cache_write=0)}, 0.001)
    f.task_complete(ans, st)
    out.add_jsonl(
        session_path(start, tid),
        f.lines,
        doc(
            "Paginated history: every line has `ordinal` (0..n); session_meta has `session_id`, "
            '`history_mode:"paginated"` and `context_window.window_id`; a `world_state` line; '
            "chat recorded as `event_msg.item_completed` (UserMessage, Reasoning, AgentMessage) with "
            "NO user_message/agent_message events; response items carry ids and "
            "`internal_chat_message_metadata_passthrough.turn_id`; a `custom_tool_call` `exec` + "
            "output (content array); `token_count` with `cache_write_input_tokens`.",
            f"Codex CLI {version} (codex-tui)",
            [
                f"conversation_id `{tid}`, session_id `{tid}`, parent_thread_id null",
                f"usage = final total: {tok(*u.total, cache_write=0)}",
            ],
        ),
    )
    HISTORY.append({"session_id": tid, "ts": int(start.timestamp()) + 8, "text": prompt})
    SESSION_INDEX.append(
        {"id": tid, "thread_name": "logtail --json as JSON Lines", "updated_at": iso(f.clock.now)}
    )


def codex_desktop_no_task_events(out: Output) -> None:
    """Codex 10: a Codex Desktop rollout with no task events and no turn_context (#18).

    Lines: ``session_meta``, ``response_item``s and ``event_msg.user_message`` events,
    and no ``task_started``/``task_complete``/``turn_context`` (as issue #18 reports for
    Codex Desktop builds): one turn per prompt. Its injected context (AGENTS.md
    instructions, the environment) opens with none of the markers the projection knows
    (``INJECTED_PREFIXES``): only the user events tell the prompts apart. Events of the
    extended persistence (formats 3b: ``exec_command_end`` with ``exit_code``,
    ``patch_apply_end``, ``web_search_end``) and ``thread_settings_applied`` (0.146, formats
    addendum). Their payload fields other than ``type``, ``call_id`` and ``exit_code`` are
    not quoted in the formats docs: written from the closest documented shapes
    (``exec_command_end`` ~ a command's output, ``patch_apply_end`` ~ ``success`` and the
    output, ``web_search_end`` ~ the ``web_search_call`` action's query). No token counts:
    without a ``turn_context`` there is no model to price them by.
    """
    version = "0.142.5"
    start = ts("2026-09-22T15:40:02.517")
    tid = uuid7(start, "cx:desktop")
    clock = Clock("2026-09-22T15:40:09.004")
    f = CXFile(clock, era="0.130", model="gpt-5.4", cwd=INFRA)
    f.add(
        "session_meta",
        session_meta(
            thread=tid,
            session_id=tid,
            start=start,
            cwd=INFRA,
            version=version,
            originator="Codex Desktop",
            source="vscode",
            git=git_info("infra", "desktop"),
        ),
        0.0,
    )
    f.msg("developer", [PERMISSIONS_DEV])
    # injected context without the known markers (a person sent neither)
    f.msg(
        "user",
        [
            f"Instructions from AGENTS.md in {INFRA}:\n\nRun `terraform fmt -check` before "
            "you finish.",
            f"Workspace: {INFRA}\nShell: zsh\nDate: 2026-09-22",
        ],
        dt=0.0,
    )
    p1 = "Why does `terraform fmt -check` fail in CI but not locally?"
    f.user_prompt(p1)
    f.reasoning("cx:desktop:rs1", ["**Comparing terraform versions**"])
    c = call_id("cx:desktop:exec")
    f.ri(
        {
            "type": "function_call",
            "name": "exec_command",
            "arguments": json.dumps(
                {"cmd": "terraform fmt -check -recursive"}, separators=(",", ":")
            ),
            "call_id": c,
        },
        0.4,
    )
    failed = "modules/dns/main.tf\n"
    f.ev(
        {
            "type": "exec_command_end",
            "call_id": c,
            "stdout": failed,
            "stderr": "",
            "exit_code": 3,
            "duration": {"secs": 0, "nanos": 412000000},
        },
        0.5,
    )
    f.ri({"type": "function_call_output", "call_id": c, "output": exec_out(failed, 3)}, 0.001)
    f.ri(
        {
            "type": "web_search_call",
            "status": "completed",
            "action": {"type": "search", "query": "terraform fmt -check differences 1.9 1.10"},
        },
        1.1,
    )
    f.ev(
        {
            "type": "web_search_end",
            "call_id": "ws_" + hexid("cx:desktop:ws", 24),
            "query": "terraform fmt -check differences 1.9 1.10",
        },
        0.001,
    )
    f.agent_says(
        "CI runs terraform 1.10, whose `fmt` also aligns `=` in nested blocks; "
        "`modules/dns/main.tf` is the one file 1.9 leaves as is. Run `terraform fmt` with 1.10."
    )
    p2 = "Fix it."
    f.user_prompt(p2, dt=31.0)
    pc = call_id("cx:desktop:patch")
    f.ri(
        {
            "type": "custom_tool_call",
            "status": "completed",
            "call_id": pc,
            "name": "apply_patch",
            "input": "*** Begin Patch\n*** Update File: modules/dns/main.tf\n@@\n-  ttl = 300\n"
            "+  ttl  = 300\n*** End Patch",
        },
        2.2,
    )
    f.ev(
        {
            "type": "patch_apply_end",
            "call_id": pc,
            "stdout": "Success. Updated the following files:\nM modules/dns/main.tf\n",
            "stderr": "",
            "success": True,
        },
        0.3,
    )
    f.ri(
        {
            "type": "custom_tool_call_output",
            "call_id": pc,
            "output": "Success. Updated the following files:\nM modules/dns/main.tf\n",
        },
        0.001,
    )
    f.ev({"type": "thread_settings_applied"}, 0.2)
    f.agent_says("Reformatted `modules/dns/main.tf`; `terraform fmt -check` passes now.")
    out.add_jsonl(
        session_path(start, tid),
        f.lines,
        doc(
            "Codex Desktop rollout with NO task_started/task_complete and NO turn_context: turns "
            "come from the user events (one per prompt). Its injected context (AGENTS.md "
            "instructions, the workspace) carries none of the known markers and is never a "
            "turn. `exec_command_end` (exit code 3: the call is an error), `web_search_call` + "
            "`web_search_end`, `apply_patch` + `patch_apply_end`, `thread_settings_applied`.",
            f"Codex Desktop {version} (source vscode)",
            [
                f"conversation_id `{tid}`, session_id `{tid}`, parent_thread_id null",
                "2 prompts = 2 turns; usage unknown (no token counts)",
            ],
        ),
    )
    HISTORY.append({"session_id": tid, "ts": int(start.timestamp()) + 7, "text": p1})


def codex_archived_duplicate(out: Output) -> None:
    """Codex 9: the same thread in sessions/ and archived_sessions/ (identical bytes)."""
    version = "0.141.0"
    start = ts("2026-09-02T07:55:40.090")
    tid = uuid7(start, "cx:0141:archived")
    clock = Clock("2026-09-02T07:55:52.417")
    f = CXFile(clock, era="0.130", model="gpt-5.5", cwd=INFRA)
    f.add(
        "session_meta",
        session_meta(
            thread=tid,
            session_id=tid,
            start=start,
            cwd=INFRA,
            version=version,
            originator="codex-tui",
            source="cli",
            thread_source="user",
            multi_agent="v1",
            git=git_info("infra", "0141"),
        ),
        0.0,
    )
    st = clock.at(0.0)
    f.task_started("cx:0141:t1", 0.002)
    _turn_preamble(f, INFRA, "2026-09-02", "Never run `terraform apply`. Plans only.")
    q = "What does `--dry-run` do in scripts/deploy.sh?"
    f.user_prompt(q)
    f.tokens(None, 5.0, 0.3)
    u = Usage()
    f.fcall(
        "0141:grep",
        "exec_command",
        {"cmd": "rg -n 'dry.run' scripts/deploy.sh"},
        exec_out(
            '7:  --dry-run) DRY_RUN=1 ;;\n31:if [[ -n "$DRY_RUN" ]]; then '
            "terraform plan; exit 0; fi\n"
        ),
        dt=1.9,
    )
    u.step(17320, 6528, 66, 20)
    f.tokens(u, 5.0, 0.05)
    ans = (
        "`--dry-run` sets `DRY_RUN=1`, which makes the script run `terraform plan` and exit "
        "before any apply step (line 31)."
    )
    f.agent_says(ans, dt=1.7)
    u.step(17490, 17280, 41, 0)
    f.tokens(u, 5.0, 0.05)
    f.task_complete(ans, st)
    d = doc(
        "A thread present in BOTH `sessions/` and `archived_sessions/` as identical copies "
        "(the active copy in sessions/ wins; count it once).",
        f"Codex CLI {version} (codex-tui)",
        [
            f"conversation_id `{tid}`, session_id `{tid}`, parent_thread_id null; ONE thread "
            "from the two files",
            f"usage = final total: {tok(*u.total)} (once)",
        ],
    )
    out.add_jsonl(session_path(start, tid), f.lines, d)
    d2 = doc(d.scenario, d.client, d.identity)
    out.add_jsonl(f"codex/archived_sessions/{rollout_name(start, tid)}", f.lines, d2)
    HISTORY.append({"session_id": tid, "ts": int(start.timestamp()) + 12, "text": q})
    SESSION_INDEX.append(
        {"id": tid, "thread_name": "deploy.sh --dry-run", "updated_at": iso(f.clock.now)}
    )


def codex_side_files(out: Output) -> None:
    out.add_jsonl(
        "codex/history.jsonl",
        sorted(HISTORY, key=lambda h: h["ts"]),
        doc(
            "Codex prompt history (`{session_id, ts, text}`; `session_id` holds the THREAD id). Not "
            "a rollout: must be skipped by the transcript reader.",
            "Codex CLI (side file)",
            ["not a transcript; no identity"],
        ),
    )
    out.add_jsonl(
        "codex/session_index.jsonl",
        sorted(SESSION_INDEX, key=lambda h: h["updated_at"]),
        doc(
            "Codex thread-name index (`{id, thread_name, updated_at}`, last entry wins). Not a "
            "rollout: must be skipped by the transcript reader.",
            "Codex CLI (side file)",
            ["not a transcript; no identity"],
        ),
    )


# --------------------------------------------------------------------------------------------
# GitHub Copilot CLI
# --------------------------------------------------------------------------------------------

COPILOT_SONNET = "claude-sonnet-4.5"
COPILOT_HAIKU = "claude-haiku-4.5"
COPILOT_GPT5 = "gpt-5"


class CopilotLog:
    """One ``events.jsonl``: events chained by ``parentId`` (each names the one before)."""

    def __init__(self, name: str, start: str) -> None:
        self.name = name
        self.clock = Clock(start)
        self.lines: list[dict[str, Any]] = []
        self.count = 0

    def add(
        self, event_type: str, data: dict[str, Any], seconds: float = 1.0, agent: str | None = None
    ) -> str:
        self.count += 1
        event_id = uid(f"{self.name}:event:{self.count}")
        parent = self.lines[-1]["id"] if self.lines else None
        self.lines.append(
            copilot_format.event(event_type, data, event_id, self.clock.at(seconds), parent, agent)
        )
        return event_id


def copilot_session_start(log: CopilotLog, session_id: str, version: str, **extra: Any) -> None:
    log.add(
        "session.start",
        {
            "sessionId": session_id,
            "version": 1,
            "producer": "copilot-agent",
            "copilotVersion": version,
            "startTime": log.clock.at(0),
            "context": {
                "cwd": "/home/dev/docs-site",
                "gitRoot": "/home/dev/docs-site",
                "branch": "main",
                "repository": "dev/docs-site",
                "hostType": "github",
            },
            "alreadyInUse": False,
            **extra,
        },
        seconds=0,
    )


def copilot_1010_subagent_compaction_resume(out: Output) -> None:
    """1.0.10: a subagent known by data.parentToolCallId, a nudge, a compaction, a
    shutdown with per-model totals, a resume in the same file, and a run killed after it."""
    session = uid("copilot-1010-session")
    log = CopilotLog("copilot-1010", "2026-05-04T09:00:00.000")
    task, ls_call, write_call = (toolu(f"copilot-1010-{n}") for n in ("task", "ls", "write"))
    copilot_session_start(log, session, "1.0.10")
    log.add(
        "session.model_change",
        {"previousModel": COPILOT_GPT5, "newModel": COPILOT_SONNET},
    )
    log.add(
        "user.message",
        {
            "content": "Add a search page to the docs site",
            "transformedContent": "<current_datetime>2026-05-04T09:00:02Z</current_datetime>\n"
            "Add a search page to the docs site",
            "attachments": [],
            "interactionId": uid("copilot-1010-interaction-1"),
        },
    )
    log.add(
        "assistant.turn_start", {"turnId": "0", "interactionId": uid("copilot-1010-interaction-1")}
    )
    log.add(
        "assistant.message",
        {
            "messageId": uid("copilot-1010-message-1"),
            "content": "I'll have an explore agent map the docs first.",
            "toolRequests": [
                copilot_format.tool_request(
                    task,
                    "task",
                    {"agent_type": "explore", "prompt": "List the pages under docs/"},
                )
            ],
            "interactionId": uid("copilot-1010-interaction-1"),
            "outputTokens": 120,
        },
        seconds=4,
    )
    log.add(
        "subagent.started",
        {
            "toolCallId": task,
            "agentName": "explore",
            "agentDisplayName": "Explore",
            "agentDescription": "Map the docs pages",
        },
    )
    log.add(
        "assistant.message",
        {
            "messageId": uid("copilot-1010-message-2"),
            "content": "",
            "toolRequests": [copilot_format.tool_request(ls_call, "bash", {"command": "ls docs"})],
            "parentToolCallId": task,
            "outputTokens": 40,
        },
        seconds=2,
    )
    log.add(
        "tool.execution_start",
        {
            "toolCallId": ls_call,
            "toolName": "bash",
            "arguments": {"command": "ls docs"},
            "parentToolCallId": task,
        },
    )
    log.add(
        "tool.execution_complete",
        {
            "toolCallId": ls_call,
            "model": COPILOT_HAIKU,
            "success": True,
            "result": {"content": "guide.md\nindex.md", "detailedContent": "guide.md\nindex.md"},
            "toolTelemetry": {},
            "parentToolCallId": task,
        },
    )
    log.add(
        "assistant.message",
        {
            "messageId": uid("copilot-1010-message-3"),
            "content": "docs/ holds index.md and guide.md.",
            "toolRequests": [],
            "parentToolCallId": task,
            "outputTokens": 30,
        },
        seconds=2,
    )
    log.add(
        "subagent.completed",
        {"toolCallId": task, "agentName": "explore", "agentDisplayName": "Explore"},
    )
    log.add(
        "tool.execution_complete",
        {
            "toolCallId": task,
            "model": COPILOT_SONNET,
            "interactionId": uid("copilot-1010-interaction-1"),
            "success": True,
            "result": {"content": "docs/ holds index.md and guide.md."},
            "toolTelemetry": {},
        },
    )
    log.add(
        "assistant.message",
        {
            "messageId": uid("copilot-1010-message-4"),
            "content": "Writing docs/search.md.",
            "toolRequests": [
                copilot_format.tool_request(
                    write_call, "create", {"path": "docs/search.md", "file_text": "# Search\n"}
                )
            ],
            "interactionId": uid("copilot-1010-interaction-1"),
            "outputTokens": 200,
        },
        seconds=5,
    )
    log.add(
        "tool.execution_start",
        {"toolCallId": write_call, "toolName": "create", "arguments": {"path": "docs/search.md"}},
    )
    log.add(
        "tool.execution_complete",
        {
            "toolCallId": write_call,
            "model": COPILOT_SONNET,
            "success": False,
            "error": {
                "message": "EACCES: permission denied, open 'docs/search.md'",
                "code": "EACCES",
            },
        },
    )
    log.add(
        "assistant.message",
        {
            "messageId": uid("copilot-1010-message-5"),
            "content": "The write failed: docs/ is read-only.",
            "toolRequests": [],
            "interactionId": uid("copilot-1010-interaction-1"),
            "outputTokens": 25,
        },
        seconds=3,
    )
    log.add("assistant.turn_end", {"turnId": "0"})
    log.add(
        "user.message",
        {
            "content": "",
            "transformedContent": "<reminder>Continue with the task.</reminder>",
            "attachments": [],
            "interactionId": uid("copilot-1010-interaction-2"),
        },
    )
    log.add(
        "session.compaction_start",
        {"systemTokens": 9000, "conversationTokens": 31000, "toolDefinitionsTokens": 4000},
    )
    log.add(
        "session.compaction_complete",
        {
            "success": True,
            "preCompactionTokens": 44000,
            "preCompactionMessagesLength": 14,
            "summaryContent": "The user wants a search page; docs/ is read-only.",
            "checkpointNumber": 1,
            "checkpointPath": f"/home/dev/.copilot/session-state/{session}/checkpoints/001-search-page.md",
            "compactionTokensUsed": copilot_format.compaction_tokens("1.0.10", 9000, 400, 6000),
            "requestId": uid("copilot-1010-compaction-request"),
        },
        seconds=6,
    )
    log.add(
        "session.shutdown",
        {
            "shutdownType": "routine",
            "totalPremiumRequests": 4,
            "totalApiDurationMs": 21000,
            "sessionStartTime": 1777885200000,
            "codeChanges": {"linesAdded": 0, "linesRemoved": 0, "filesModified": []},
            "modelMetrics": {
                COPILOT_SONNET: {
                    "requests": {"count": 4, "cost": 1},
                    "usage": copilot_format.model_usage(52000, 745, 40000, 3000),
                },
                COPILOT_HAIKU: {
                    "requests": {"count": 2, "cost": 0},
                    "usage": copilot_format.model_usage(8000, 70, 5000, 0),
                },
            },
            "currentModel": COPILOT_SONNET,
            "currentTokens": 12000,
            "systemTokens": 9000,
            "conversationTokens": 2000,
            "toolDefinitionsTokens": 4000,
        },
        seconds=10,
    )
    log.add(
        "session.resume",
        {
            "resumeTime": log.clock.at(3600),
            "eventCount": 21,
            "context": {
                "cwd": "/home/dev/docs-site",
                "branch": "main",
                "repository": "dev/docs-site",
            },
            "alreadyInUse": False,
        },
        seconds=0,
    )
    log.add(
        "user.message",
        {
            "content": "Write it to site/search.md instead",
            "transformedContent": "Write it to site/search.md instead",
            "attachments": [],
            "interactionId": uid("copilot-1010-interaction-3"),
        },
    )
    log.add(
        "assistant.message",
        {
            "messageId": uid("copilot-1010-message-6"),
            "content": "Done: site/search.md is written.",
            "toolRequests": [],
            "interactionId": uid("copilot-1010-interaction-3"),
            "outputTokens": 50,
        },
        seconds=4,
    )
    log.add(
        "session.error",
        {"errorType": "rate_limit", "message": "Rate limit exceeded; try again later."},
    )
    out.add_jsonl(
        f"copilot/session-state/{session}/events.jsonl",
        log.lines,
        doc(
            "A subagent (`explore`, spawned by the `task` tool) whose events carry "
            "`data.parentToolCallId`; a failed tool call; an injected nudge (an empty "
            "`content`, only `transformedContent`); a compaction (checkpoint 1, "
            "`compactionTokensUsed {input, output, cachedInput}`); a `session.shutdown` with "
            "per-model totals of the first process run; a `session.resume` appended to the "
            "same file and a second run killed before its shutdown (a `session.error`).",
            "GitHub Copilot CLI 1.0.10",
            [
                f"every line: session_id `{session}`, conversation_id null",
                f"subagent: agent_id `{task}` (the task tool call), thread_kind subagent",
                "compaction: agent_id `compaction-1`, thread_kind compaction",
                "2 turns (the nudge starts none); output tokens 465 on responses; "
                "input 60000 / cache read 45000 / cache write 3000 from the first run's shutdown, "
                "plus the compaction call's 9000 / 6000 / 400",
            ],
        ),
    )


def copilot_current_agent_ids(out: Output) -> None:
    """The current event schema: a subagent's events carry the envelope ``agentId``."""
    session = uid("copilot-current-session")
    version = "1.1.0"
    log = CopilotLog("copilot-current", "2026-08-18T14:30:00.000")
    task, grep_call = toolu("copilot-current-task"), toolu("copilot-current-grep")
    agent = uid("copilot-current-agent")
    copilot_session_start(log, session, version, selectedModel=COPILOT_GPT5)
    log.add(
        "user.message",
        {
            "content": "Which pages link to the old API reference?",
            "transformedContent": "Which pages link to the old API reference?",
            "attachments": [],
            "interactionId": uid("copilot-current-interaction-1"),
        },
    )
    log.add(
        "assistant.turn_start",
        {"turnId": "0", "interactionId": uid("copilot-current-interaction-1")},
    )
    log.add(
        "assistant.reasoning",
        {
            "reasoningId": uid("copilot-current-reasoning-1"),
            "content": "A search agent can grep the docs.",
        },
    )
    log.add(
        "assistant.message",
        {
            "messageId": uid("copilot-current-message-1"),
            "content": "",
            "toolRequests": [
                copilot_format.tool_request(
                    task, "task", {"agent_type": "explore", "prompt": "Find links to api-v1.md"}
                )
            ],
            "interactionId": uid("copilot-current-interaction-1"),
            "outputTokens": 60,
        },
        seconds=3,
    )
    log.add(
        "subagent.started",
        {
            "toolCallId": task,
            "agentName": "explore",
            "agentDisplayName": "Explore",
            "agentDescription": "Find links to the old API reference",
        },
        agent=agent,
    )
    log.add(
        "assistant.message",
        {
            "messageId": uid("copilot-current-message-2"),
            "content": "",
            "toolRequests": [
                copilot_format.tool_request(
                    grep_call, "grep", {"pattern": "api-v1.md", "path": "docs"}
                )
            ],
            "outputTokens": 35,
        },
        seconds=2,
        agent=agent,
    )
    log.add(
        "tool.execution_start",
        {"toolCallId": grep_call, "toolName": "grep", "arguments": {"pattern": "api-v1.md"}},
        agent=agent,
    )
    log.add(
        "tool.execution_complete",
        {
            "toolCallId": grep_call,
            "model": COPILOT_HAIKU,
            "success": True,
            "result": {"content": "docs/guide.md:12"},
        },
        agent=agent,
    )
    log.add(
        "assistant.message",
        {
            "messageId": uid("copilot-current-message-3"),
            "content": "Only docs/guide.md (line 12).",
            "toolRequests": [],
            "outputTokens": 15,
        },
        seconds=2,
        agent=agent,
    )
    log.add(
        "subagent.completed",
        {"toolCallId": task, "agentName": "explore", "agentDisplayName": "Explore"},
        agent=agent,
    )
    log.add(
        "tool.execution_complete",
        {
            "toolCallId": task,
            "model": COPILOT_GPT5,
            "success": True,
            "result": {"content": "Only docs/guide.md (line 12)."},
        },
    )
    log.add(
        "assistant.message",
        {
            "messageId": uid("copilot-current-message-4"),
            "content": "Only docs/guide.md links to it, on line 12.",
            "toolRequests": [],
            "interactionId": uid("copilot-current-interaction-1"),
            "outputTokens": 22,
        },
        seconds=2,
    )
    log.add("assistant.turn_end", {"turnId": "0"})
    log.add(
        "session.compaction_complete",
        {
            "success": True,
            "summaryContent": "Only docs/guide.md links to the old API reference.",
            "checkpointNumber": 1,
            "compactionTokensUsed": copilot_format.compaction_tokens(version, 5000, 200, 3000),
        },
        seconds=4,
    )
    log.add(
        "session.shutdown",
        {
            "shutdownType": "routine",
            "totalApiDurationMs": 9000,
            "sessionStartTime": 1787063400000,
            "codeChanges": {"linesAdded": 0, "linesRemoved": 0, "filesModified": []},
            "modelMetrics": {
                COPILOT_GPT5: {
                    "requests": {"count": 2, "cost": 1},
                    "usage": copilot_format.model_usage(14000, 82, 9000, 0),
                },
                COPILOT_HAIKU: {
                    "requests": {"count": 2, "cost": 0},
                    "usage": copilot_format.model_usage(6000, 50, 2000, 0),
                },
            },
            "currentModel": COPILOT_GPT5,
        },
        seconds=5,
    )
    out.add_jsonl(
        f"copilot/session-state/{session}/events.jsonl",
        log.lines,
        doc(
            "The current event schema: the subagent's events carry the envelope `agentId` "
            "(and `subagent.started` links it to its `task` call); an `assistant.reasoning` "
            "event; a compaction whose `compactionTokensUsed` has the `assistant.usage` "
            "names; a routine shutdown. The client version number is assumed: the schema "
            "does not say which release first wrote `agentId`.",
            f"GitHub Copilot CLI {version} (current SDK event schema)",
            [
                f"every line: session_id `{session}`, conversation_id null",
                f"subagent: agent_id `{agent}` (the envelope agentId), spawned by `{task}`",
                "compaction: agent_id `compaction-1`",
                "1 turn; output tokens 132 on responses; input 20000 / cache read 11000 from the shutdown, "
                "plus the compaction call's 5000 / 3000 / 200",
            ],
        ),
    )


# --------------------------------------------------------------------------------------------
# Gemini CLI
# --------------------------------------------------------------------------------------------

GEMINI_PRO = "gemini-2.5-pro"
GEMINI_FLASH = "gemini-2.5-flash"
GEMINI_PROJECT = "docs-site"  # the project's slug under ~/.gemini/tmp/ (projects.json)
GEMINI_PROJECT_HASH = hexid("gemini-project-docs-site", 64)


def gemini_chat_file(session: str, start: str) -> str:
    """``session-<YYYY-MM-DDTHH-MM>-<first 8 characters of the session id>``."""
    return f"session-{start[:16].replace(':', '-')}-{session[:8]}"


def gemini_039_upserts_rewind_subagent(out: Output) -> None:
    """0.39+: upserts, a metadata $set, a $rewindTo, a failed tool call and a subagent."""
    session = uid("gemini-039-session")
    agent = uid("gemini-039-agent")
    clock = Clock("2026-07-02T10:15:00.000")
    start = clock.at(0)
    m = {n: uid(f"gemini-039-message-{n}") for n in range(1, 10)}
    invoke, replace = call_id("gemini-039-invoke"), call_id("gemini-039-replace")
    asked = clock.at(2)
    first_answer = clock.at(3)
    lines: list[Any] = [
        gemini_format.metadata(session, GEMINI_PROJECT_HASH, start),
        gemini_format.user_message(
            m[1], asked, "Why does the docs build warn 'duplicate label install'?"
        ),
        # the answer as first written, then re-appended with its tokens and tool call
        gemini_format.gemini_message(m[2], first_answer, "", GEMINI_PRO),
        gemini_format.gemini_message(
            m[2],
            first_answer,
            "Let me have an investigator find the labels.",
            GEMINI_PRO,
            gemini_format.tokens(12000, 80, 8000, 40),
            [
                gemini_format.tool_call(
                    invoke,
                    "invoke_agent",
                    {
                        "agent_name": "codebase_investigator",
                        "objective": "Find every `install` label",
                    },
                    "success",
                    "index.md line 3 and guide.md line 9.",
                    clock.at(20),
                    agent_id=agent,
                )
            ],
            thoughts=[
                {
                    "subject": "Plan",
                    "description": "Search the docs for labels.",
                    "timestamp": first_answer,
                }
            ],
        ),
        gemini_format.gemini_message(
            m[3],
            clock.at(2),
            "Two pages define the label `install`.",
            GEMINI_PRO,
            gemini_format.tokens(15000, 60, 12000, 20),
        ),
        gemini_format.set_record(lastUpdated=clock.at(1)),
        gemini_format.user_message(m[4], clock.at(30), "Rename the second one"),
        gemini_format.gemini_message(
            m[5],
            clock.at(4),
            "Renamed it in guide.md.",
            GEMINI_PRO,
            gemini_format.tokens(16000, 30, 15000, 0),
        ),
        # /rewind to before the last prompt: it and its answer are gone
        gemini_format.rewind(m[4]),
        gemini_format.user_message(m[6], clock.at(20), "Actually, rename the first one instead"),
        gemini_format.gemini_message(
            m[7],
            clock.at(3),
            "",
            GEMINI_PRO,
            gemini_format.tokens(16500, 40, 15000, 10),
            [
                gemini_format.tool_call(
                    replace,
                    "replace",
                    {
                        "file_path": "docs/index.md",
                        "old_string": "(install)=",
                        "new_string": "(install-cli)=",
                    },
                    "error",
                    "Failed to edit: docs/index.md was modified on disk.",
                    clock.at(1),
                )
            ],
        ),
        gemini_format.gemini_message(
            m[8],
            clock.at(2),
            "The edit failed: index.md changed on disk. Try again?",
            GEMINI_PRO,
            gemini_format.tokens(17000, 25, 16000, 0),
        ),
        gemini_format.notice(m[9], clock.at(5), "info", "Request cancelled."),
    ]
    folder = f"gemini/tmp/{GEMINI_PROJECT}/chats"
    out.add_jsonl(
        f"{folder}/{gemini_chat_file(session, start)}.jsonl",
        lines,
        doc(
            "Upserts (the first answer re-appended with its tokens and an `invoke_agent` tool "
            "call naming its subagent), a `$set` of `lastUpdated`, a `$rewindTo` that drops the "
            "second prompt and its answer, a failed `replace` call, an `info` message.",
            "Gemini CLI 0.39+ (JSONL chat recording)",
            [
                f"every line: session_id and conversation_id `{session}`",
                "7 messages survive (2 prompts; the rewound prompt and answer are gone)",
                "tokens: input 60500 / cached 51000 / output 205 + thoughts 70",
            ],
        ),
    )
    sub_clock = Clock("2026-07-02T10:15:06.000")
    sub_start = sub_clock.at(0)
    grep = call_id("gemini-039-grep")
    sub_lines: list[Any] = [
        gemini_format.metadata(agent, GEMINI_PROJECT_HASH, sub_start, kind="subagent"),
        gemini_format.user_message(
            uid("gemini-039-agent-1"), sub_clock.at(1), "Find every `install` label in docs/"
        ),
        gemini_format.gemini_message(
            uid("gemini-039-agent-2"),
            sub_clock.at(3),
            "",
            GEMINI_FLASH,
            gemini_format.tokens(3000, 30, 0, 10),
            [
                gemini_format.tool_call(
                    grep,
                    "search_file_content",
                    {"pattern": "\\(install\\)="},
                    "success",
                    "docs/index.md:3\ndocs/guide.md:9",
                    sub_clock.at(1),
                )
            ],
        ),
        gemini_format.gemini_message(
            uid("gemini-039-agent-3"),
            sub_clock.at(3),
            "index.md line 3 and guide.md line 9.",
            GEMINI_FLASH,
            gemini_format.tokens(3500, 20, 2000, 0),
        ),
    ]
    out.add_jsonl(
        f"{folder}/{session}/{agent}.jsonl",
        sub_lines,
        doc(
            "The subagent started by the `invoke_agent` call: its own file in the root "
            "session's folder, `kind: subagent`, its own sessionId.",
            "Gemini CLI 0.39+ (subagent chat recording)",
            [
                f"session_id `{session}` (the folder), conversation_id `{agent}`",
                f"parent_thread_id `{session}` (the thread whose tool call names it)",
            ],
        ),
    )


def gemini_039_compressed(out: Output) -> None:
    """0.39+: a `$set` of `messages` (compression) replaces the chat so far."""
    session = uid("gemini-039-compressed-session")
    clock = Clock("2026-08-05T16:40:00.000")
    start = clock.at(0)
    m = {n: uid(f"gemini-039-compressed-{n}") for n in range(1, 7)}
    summary_prompt = gemini_format.user_message(
        m[3], clock.at(1), "Summary of the chat so far: the docs build now passes."
    )
    summary_answer = gemini_format.gemini_message(m[4], clock.at(1), "Got it.", GEMINI_FLASH)
    lines: list[Any] = [
        gemini_format.metadata(session, GEMINI_PROJECT_HASH, start),
        gemini_format.user_message(m[1], clock.at(2), "Fix the docs build"),
        gemini_format.gemini_message(
            m[2],
            clock.at(5),
            "Fixed: the build passes.",
            GEMINI_PRO,
            gemini_format.tokens(9000, 120, 4000, 30),
        ),
        gemini_format.set_record(messages=[summary_prompt, summary_answer]),
        gemini_format.user_message(m[5], clock.at(30), "Now add a changelog page"),
        gemini_format.gemini_message(
            m[6],
            clock.at(6),
            "Added docs/changelog.md.",
            GEMINI_PRO,
            gemini_format.tokens(4000, 90, 1000, 0),
        ),
    ]
    out.add_jsonl(
        f"gemini/tmp/{GEMINI_PROJECT}/chats/{gemini_chat_file(session, start)}.jsonl",
        lines,
        doc(
            "A `$set` of `messages` (the chat compressed) replaces every message before it; "
            "the chat goes on after it.",
            "Gemini CLI 0.39+ (JSONL chat recording)",
            [
                f"every line: session_id and conversation_id `{session}`",
                "4 messages: the 2 of the replacing list (its summary prompt is meta), then 2 (the first 2 are gone)",
            ],
        ),
    )


def gemini_legacy_document(out: Output) -> None:
    """Before 0.39: one `session-*.json` document, rewritten on every update."""
    session = uid("gemini-legacy-session")
    clock = Clock("2026-04-21T08:05:00.000")
    start = clock.at(0)
    shell = call_id("gemini-legacy-shell")
    messages = [
        gemini_format.user_message(
            uid("gemini-legacy-1"), clock.at(2), "List the docs pages", parts=False
        ),
        gemini_format.gemini_message(
            uid("gemini-legacy-2"),
            clock.at(4),
            "",
            GEMINI_PRO,
            gemini_format.tokens(7000, 25, 0, 15),
            [
                gemini_format.tool_call(
                    shell,
                    "run_shell_command",
                    {"command": "ls docs", "description": "list the pages"},
                    "success",
                    "guide.md\nindex.md",
                    clock.at(1),
                )
            ],
        ),
        gemini_format.gemini_message(
            uid("gemini-legacy-3"),
            clock.at(2),
            "Two pages: guide.md and index.md.",
            GEMINI_PRO,
            gemini_format.tokens(7400, 15, 6000, 0),
        ),
    ]
    out.add_text(
        f"gemini/tmp/{GEMINI_PROJECT}/chats/{gemini_chat_file(session, start)}.json",
        gemini_format.document(session, GEMINI_PROJECT_HASH, start, clock.at(1), messages),
    )
    note = doc(
        "A pre-0.39 document (pretty-printed, indent 2): landed whole as one record; user "
        "content is a string.",
        "Gemini CLI before 0.39 (JSON document)",
        [f"session_id and conversation_id `{session}`", "4 messages (a tool call and its result)"],
    )
    note.path = f"gemini/tmp/{GEMINI_PROJECT}/chats/{gemini_chat_file(session, start)}.json"
    out.docs.append(note)


# --------------------------------------------------------------------------------------------
# README and entry point
# --------------------------------------------------------------------------------------------

README_HEAD = """# sample_logs

Synthetic but format-faithful Claude Code transcripts, Codex rollouts, GitHub Copilot CLI
event logs and Gemini CLI chats, written by
`scripts/generate_sample_logs.py`. Do not edit by hand: run
`python scripts/generate_sample_logs.py`, which rewrites this folder byte-identically
(`tests/python/test_sample_logs.py` checks that). Line shapes, key names and key order follow
real files of the versions named below; every id, text, path and number is made up. Ids are
derived from names with SHA-256 (UUIDv4-shaped for Claude Code, UUIDv7 with a matching time
prefix for Codex); timestamps are fixed UTC values between 2026-03 and 2026-09 (one legacy Codex
file is dated 2025-08-20), so every session is settled for any `as_of` after 2026-10-01.

Roots:

* `claude/projects/` is a Claude Code `~/.claude/projects` directory (project keys
  `-home-dev-webshop`, `-home-dev-cli-tool`).
* `codex/` is a Codex home (`sessions/YYYY/MM/DD/`, `archived_sessions/`, `history.jsonl`,
  `session_index.jsonl`). Codex file names use UTC here.
* `copilot/` is a GitHub Copilot CLI home (`session-state/<session id>/events.jsonl`).
* `gemini/` is a Gemini CLI home (`tmp/<project>/chats/session-*.jsonl`, a pre-0.39
  `session-*.json`, and a subagent's `chats/<session id>/<agent id>.jsonl`).

Identity columns follow `dataset_contract.md`: `session_id`, `conversation_id` (Codex thread id),
`agent_id` (Claude subagent), `parent_thread_id` (Codex sub-agent parent). "N API responses"
counts distinct (message.id, requestId) pairs that a deduplicating reader should count for usage.
"""


def render_readme(out: Output) -> str:
    parts = [README_HEAD, "\n## Expected rejects\n\n"]
    for path, line in MALFORMED_LINES:
        parts.append(
            f"* `{path}` line {line}: truncated JSON (the only malformed line in the "
            "whole folder). Every other non-blank line of every `.jsonl` file parses.\n"
        )
    parts.append(
        "\nNon-transcript files that a reader must skip (not reject): "
        "`codex/history.jsonl`, `codex/session_index.jsonl` and the Claude "
        "`*.meta.json` sidecar.\n"
    )
    for section, prefix in (
        ("Claude Code", "claude/"),
        ("Codex", "codex/"),
        ("GitHub Copilot CLI", "copilot/"),
        ("Gemini CLI", "gemini/"),
    ):
        parts.append(f"\n## {section} files\n")
        for d in sorted((d for d in out.docs if d.path.startswith(prefix)), key=lambda d: d.path):
            parts.append(f"\n### `{d.path}`\n\n- Client: {d.client}\n- Scenario: {d.scenario}\n")
            parts.append("- Expected identity:\n")
            parts += [f"  - {x}\n" for x in d.identity]
            parts.append(f"- Expected rejected lines: {d.rejects}\n")
            parts += [f"- {n}\n" for n in d.notes]
    return "".join(parts)


def build() -> Output:
    MALFORMED_LINES.clear()
    HISTORY.clear()
    SESSION_INDEX.clear()
    out = Output()
    claude_v1098_inline_sidechains(out)
    claude_v2055_agent_files(out)
    claude_v2139_progress_compaction(out)
    claude_v2114_agent_meta_btw(out)
    claude_v1055_resumed(out)
    claude_v2232_gateway_sdk(out)
    codex_legacy(out)
    codex_058(out)
    codex_0100_redacted(out)
    codex_0119_family(out)
    codex_0130_fork(out)
    codex_0130_compaction_rollback(out)
    codex_0144_family(out)
    codex_0147_paginated(out)
    codex_archived_duplicate(out)
    codex_desktop_no_task_events(out)
    codex_side_files(out)
    copilot_1010_subagent_compaction_resume(out)
    copilot_current_agent_ids(out)
    gemini_039_upserts_rewind_subagent(out)
    gemini_039_compressed(out)
    gemini_legacy_document(out)
    out.add_text("README.md", render_readme(out))
    return out


def generate(out_dir: Path) -> list[Path]:
    """Write all sample files under ``out_dir`` (its claude/, codex/, copilot/ and README.md
    are replaced)."""
    out = build()
    out_dir.mkdir(parents=True, exist_ok=True)
    for sub in ("claude", "codex", "copilot", "gemini"):
        if (out_dir / sub).exists():
            shutil.rmtree(out_dir / sub)
    written = []
    for rel, data in sorted(out.files.items()):
        p = out_dir / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(data)
        written.append(p)
    return written


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument(
        "--out",
        type=Path,
        default=DEFAULT_OUT,
        help="output directory (default: sample_logs/ in the repo)",
    )
    args = ap.parse_args(argv)
    files = generate(args.out)
    total = sum(p.stat().st_size for p in files)
    print(f"wrote {len(files)} files, {total} bytes, under {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
