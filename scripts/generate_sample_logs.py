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
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

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
    return datetime.strptime(text, fmt).replace(tzinfo=timezone.utc)


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


def doc(scenario: str, client: str, identity: list[str], rejects: str = "none",
        notes: list[str] | None = None) -> FileDoc:
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
    return {"input_tokens": inp, "cache_creation_input_tokens": cc, "cache_read_input_tokens": cr,
            "output_tokens": out, "service_tier": "standard"}


def usage_v1098(inp: int, cc: int, cr: int, out: int) -> dict[str, Any]:
    return {"input_tokens": inp, "cache_creation_input_tokens": cc, "cache_read_input_tokens": cr,
            "cache_creation": {"ephemeral_5m_input_tokens": cc, "ephemeral_1h_input_tokens": 0},
            "output_tokens": out, "service_tier": "standard"}


def usage_v2139(inp: int, cc: int, cr: int, out: int) -> dict[str, Any]:
    u = usage_v1098(inp, cc, cr, out)
    u["inference_geo"] = "not_available"
    return u


def usage_v2114(inp: int, cc: int, cr: int, out: int) -> dict[str, Any]:
    return {"input_tokens": inp, "cache_creation_input_tokens": cc, "cache_read_input_tokens": cr,
            "output_tokens": out,
            "server_tool_use": {"web_search_requests": 0, "web_fetch_requests": 0},
            "service_tier": "standard",
            "cache_creation": {"ephemeral_1h_input_tokens": cc, "ephemeral_5m_input_tokens": 0},
            "inference_geo": "",
            "iterations": [{"input_tokens": inp, "output_tokens": out,
                            "cache_read_input_tokens": cr, "cache_creation_input_tokens": cc,
                            "cache_creation": {"ephemeral_5m_input_tokens": 0,
                                               "ephemeral_1h_input_tokens": cc},
                            "type": "message"}],
            "speed": "standard"}


def usage_v2114_partial(inp: int, cc: int, cr: int, out: int) -> dict[str, Any]:
    return {"input_tokens": inp, "cache_creation_input_tokens": cc, "cache_read_input_tokens": cr,
            "cache_creation": {"ephemeral_5m_input_tokens": cc, "ephemeral_1h_input_tokens": 0},
            "output_tokens": out, "service_tier": "standard", "inference_geo": "not_available"}


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

    def __init__(self, *, style: str, version: str, cwd: str, session_id: str, branch: str,
                 agent_id: str | None = None, sidechain: bool = False,
                 entrypoint: str = "cli") -> None:
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
    def wrap(self, parent: str | None, body: list[tuple[str, Any]], *,
             logical_parent: str | None = None, prompt_id: str | None = None,
             sidechain: bool | None = None) -> dict[str, Any]:
        d: dict[str, Any] = {"parentUuid": parent}
        if logical_parent is not None:
            d["logicalParentUuid"] = logical_parent
        d["isSidechain"] = self.sidechain if sidechain is None else sidechain
        if self.style == "v2114":
            if prompt_id is not None:
                d["promptId"] = prompt_id
            if self.agent_id is not None:
                d["agentId"] = self.agent_id
            d.update(body)
            d.update(userType="external", entrypoint=self.entrypoint, cwd=self.cwd,
                     sessionId=self.session_id, version=self.version, gitBranch=self.branch)
        else:
            d.update(userType="external", cwd=self.cwd, sessionId=self.session_id,
                     version=self.version, gitBranch=self.branch)
            if self.agent_id is not None:
                d["agentId"] = self.agent_id
            if self.slug is not None:
                d["slug"] = self.slug
            d.update(body)
        return d

    def push(self, line: Any, u: str | None = None) -> Any:
        self.lines.append(line)
        if u is not None:
            self.last = u
        return line

    def _parent(self, parent: Any) -> str | None:
        return self.last if parent is AUTO else parent

    # -- conversation lines --------------------------------------------------------------------
    def user(self, content: Any, *, at: str, key: str, parent: Any = AUTO, meta: bool = False,
             permission_mode: str | None = None, prompt_id: str | None = None,
             thinking_meta: bool = False, compact_summary: bool = False) -> str:
        u = uid(key)
        body: list[tuple[str, Any]] = [("type", "user"),
                                       ("message", {"role": "user", "content": content})]
        if meta:
            body.append(("isMeta", True))
        if compact_summary:
            body += [("isVisibleInTranscriptOnly", True), ("isCompactSummary", True)]
        body += [("uuid", u), ("timestamp", at)]
        if permission_mode is not None:
            body.append(("permissionMode", permission_mode))
        if thinking_meta:
            body += [("thinkingMetadata", {"level": "none", "disabled": True, "triggers": []}),
                     ("todos", [])]
        self.push(self.wrap(self._parent(parent), body, prompt_id=prompt_id), u)
        return u

    def tool_result(self, block: dict[str, Any], content: Any, result: Any, *, at: str, key: str,
                    parent: Any = AUTO, source: str | None = None, is_error: bool | None = None,
                    prompt_id: str | None = None) -> str:
        u = uid(key)
        tr: dict[str, Any] = {"tool_use_id": block["id"], "type": "tool_result", "content": content}
        if is_error is not None:
            tr["is_error"] = is_error
        body: list[tuple[str, Any]] = [("type", "user"),
                                       ("message", {"role": "user", "content": [tr]}),
                                       ("uuid", u), ("timestamp", at)]
        if result is not None:
            body.append(("toolUseResult", result))
        if source is not None and self.style in ("v21", "v2114"):
            body.append(("sourceToolAssistantUUID", source))
        self.push(self.wrap(self._parent(parent), body, prompt_id=prompt_id), u)
        return u

    def message(self, model: str, mid: str, block: dict[str, Any], stop: str | None,
                usage: dict[str, Any]) -> dict[str, Any]:
        if self.style == "v1":
            return {"id": mid, "type": "message", "role": "assistant", "model": model,
                    "content": [block], "stop_reason": stop, "stop_sequence": None,
                    "usage": usage}
        m: dict[str, Any] = {"model": model, "id": mid, "type": "message", "role": "assistant",
                             "content": [block], "stop_reason": stop, "stop_sequence": None}
        if self.style == "v2114":
            m["stop_details"] = None
        m["usage"] = usage
        return m

    def respond(self, key: str, blocks: list[dict[str, Any]], *, model: str, times: list[float],
                tokens: tuple[int, int, int, int], mode: str, stop: str,
                usage_fn: Any, clock: Clock, parent: Any = AUTO,
                request: str | None = None, message: str | None = None,
                partial_fn: Any = None) -> list[str]:
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
            body = [("message", self.message(model, mid, block, sr, usage)),
                    ("requestId", rid), ("type", "assistant"), ("uuid", u), ("timestamp", at)]
            self.push(self.wrap(self._parent(parent) if i == 0 else self.last, body), u)
            uuids.append(u)
        return uuids

    def system_hook(self, content: str, tool_use_id: str, *, at: str, key: str) -> str:
        u = uid(key)
        body = [("type", "system"), ("content", content), ("isMeta", False), ("timestamp", at),
                ("uuid", u), ("toolUseID", tool_use_id), ("level", "info")]
        self.push(self.wrap(self.last, body), u)
        return u


def read_result(path: str, content: str) -> tuple[str, dict[str, Any]]:
    lines = content.split("\n")
    numbered = "\n".join(f"{i + 1:>6}\u2192{line}" for i, line in enumerate(lines))
    return numbered, {"type": "text", "file": {"filePath": path, "content": content,
                                                "numLines": len(lines), "startLine": 1,
                                                "totalLines": len(lines)}}


def bash_result(stdout: str, stderr: str = "") -> dict[str, Any]:
    return {"stdout": stdout, "stderr": stderr, "interrupted": False, "isImage": False}


def edit_result(path: str, old: str, new: str, original: str) -> tuple[str, dict[str, Any]]:
    old_lines = old.split("\n")
    new_lines = new.split("\n")
    start = original.split("\n").index(old_lines[0]) + 1 if old_lines[0] in original else 1
    patch = [{"oldStart": start, "oldLines": len(old_lines), "newStart": start,
              "newLines": len(new_lines),
              "lines": [f"-{x}" for x in old_lines] + [f"+{x}" for x in new_lines]}]
    snippet = "\n".join(f"{start + i:>6}\u2192{x}" for i, x in enumerate(new_lines))
    msg = (f"The file {path} has been updated. Here's the result of running `cat -n` on a "
           f"snippet of the edited file:\n{snippet}")
    return msg, {"filePath": path, "oldString": old, "newString": new, "originalFile": original,
                 "replaceAll": False, "structuredPatch": patch, "userModified": False}


WEBSHOP = "/home/dev/webshop"
CLITOOL = "/home/dev/cli-tool"
WEBSHOP_KEY = "-home-dev-webshop"
CLITOOL_KEY = "-home-dev-cli-tool"

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

PYTEST_CART_FAIL = """============================= test session starts ==============================
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

PYTEST_ALL_PASS = """============================= test session starts ==============================
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
    f = CCFile(style="v1", version="1.0.98", cwd=WEBSHOP, session_id=sid,
               branch="fix/coupon-shipping")
    final_key = "s1098:final"
    f.push({"type": "summary", "summary": "Checkout total wrong with coupon + free shipping",
            "leafUuid": uid(final_key + ":0")})
    f.user("The checkout total is wrong when a coupon brings the cart below the free-shipping "
           "threshold. Can you look at the pricing module and, in parallel, check the cart tests "
           "and the shipping rules?", at=clock.at(), key="s1098:p1", parent=None)
    grep = tool_use("s1098:grep", "Grep", {"pattern": "FREE_SHIPPING_THRESHOLD|coupon",
                                           "path": "shop", "output_mode": "files_with_matches"})
    read = tool_use("s1098:read", "Read", {"file_path": f"{WEBSHOP}/shop/pricing.py"})
    f.respond("s1098:r1", [text("I'll start with how the pricing module orders coupons and "
                                "shipping."), grep, read],
              model=SONNET4, times=[3.2, 1.1, 0.02], tokens=(4, 1630, 14210, 141), mode="grow",
              stop="tool_use", usage_fn=usage_v1098, clock=clock)
    f.tool_result(grep, f"Found 3 files\n{WEBSHOP}/shop/pricing.py\n{WEBSHOP}/shop/shipping.py\n"
                  f"{WEBSHOP}/shop/coupons.py",
                  {"mode": "files_with_matches",
                   "filenames": [f"{WEBSHOP}/shop/pricing.py", f"{WEBSHOP}/shop/shipping.py",
                                 f"{WEBSHOP}/shop/coupons.py"], "numFiles": 3},
                  at=clock.at(0.05), key="s1098:grep:res")
    numbered, res = read_result(f"{WEBSHOP}/shop/pricing.py", PRICING_PY)
    f.tool_result(read, numbered, res, at=clock.at(0.01), key="s1098:read:res")

    p_tests = ("Run the cart tests in tests/test_cart.py and report which ones fail and why. "
               "Do not change any code. Report the failing assertion and the values involved.")
    p_ship = ("Read shop/shipping.py and any ADRs under docs/adr/ and tell me whether free "
              "shipping is supposed to be measured before or after coupons are applied. Do not "
              "edit files.")
    task1 = tool_use("s1098:task1", "Task", {"description": "Run cart tests",
                                             "prompt": p_tests,
                                             "subagent_type": "general-purpose"})
    task2 = tool_use("s1098:task2", "Task", {"description": "Check shipping rules",
                                             "prompt": p_ship,
                                             "subagent_type": "general-purpose"})
    f.respond("s1098:r2", [text("`order_total` computes shipping from the subtotal *before* the "
                                "coupon. Before changing it I'll confirm the intended rule and "
                                "the failing test in parallel."), task1, task2],
              model=SONNET4, times=[4.6, 2.9, 2.7], tokens=(6, 1422, 15840, 412), mode="grow",
              stop="tool_use", usage_fn=usage_v1098, clock=clock)
    main_last = f.last

    # two inline sidechains, both rooted at the same timestamp, lines interleaved in the file
    t0 = clock.at(0.03)
    sc1 = CCFile(style="v1", version="1.0.98", cwd=WEBSHOP, session_id=sid,
                 branch="fix/coupon-shipping", sidechain=True)
    sc2 = CCFile(style="v1", version="1.0.98", cwd=WEBSHOP, session_id=sid,
                 branch="fix/coupon-shipping", sidechain=True)
    sc1.lines = sc2.lines = f.lines  # same file, separate chains
    sc1.user(p_tests, at=t0, key="s1098:sc1:root", parent=None)
    sc2.user(p_ship, at=t0, key="s1098:sc2:root", parent=None)
    bash = tool_use("s1098:sc1:bash", "Bash", {"command": "python -m pytest tests/test_cart.py -q",
                                               "description": "Run cart tests"})
    sc1.respond("s1098:sc1:r1", [text("I'll run the cart tests first."), bash], model=SONNET4,
                times=[2.4, 0.6], tokens=(3, 9870, 0, 96), mode="grow", stop="tool_use",
                usage_fn=usage_v1098, clock=clock)
    sgrep = tool_use("s1098:sc2:grep", "Grep", {"pattern": "free shipping", "path": "docs/adr",
                                                "-i": True, "output_mode": "content"})
    sc2.respond("s1098:sc2:r1", [sgrep], model=SONNET4, times=[0.5], tokens=(3, 9911, 0, 88),
                mode="grow", stop="tool_use", usage_fn=usage_v1098, clock=clock)
    sc2.tool_result(sgrep, "docs/adr/007-shipping.md:9:Free shipping is granted when the order "
                    "value after all discounts reaches the threshold.",
                    {"mode": "content", "numFiles": 1, "filenames": [],
                     "content": "docs/adr/007-shipping.md:9:Free shipping is granted when the "
                                "order value after all discounts reaches the threshold.",
                     "numLines": 1},
                    at=clock.at(0.1), key="s1098:sc2:grep:res")
    sc1.tool_result(bash, PYTEST_CART_FAIL, bash_result(PYTEST_CART_FAIL), at=clock.at(1.3),
                    key="s1098:sc1:bash:res", is_error=False)
    sread = tool_use("s1098:sc2:read", "Read", {"file_path": f"{WEBSHOP}/shop/shipping.py"})
    sc2.respond("s1098:sc2:r2", [sread], model=SONNET4, times=[1.9], tokens=(6, 240, 9911, 71),
                mode="grow", stop="tool_use", usage_fn=usage_v1098, clock=clock)
    numbered, res = read_result(f"{WEBSHOP}/shop/shipping.py", SHIPPING_PY)
    sc2.tool_result(sread, numbered, res, at=clock.at(0.03), key="s1098:sc2:read:res")
    sum1 = ("One test fails: `test_coupon_below_free_shipping_threshold`. A 55.00 cart with a 20% "
            "coupon is charged 44.00 (no shipping) but the test expects 48.90, i.e. shipping should "
            "be charged because the discounted subtotal (44.00) is below the 50.00 threshold. The "
            "other 5 cart tests pass.")
    sum2 = ("Free shipping must be measured AFTER coupons. ADR-007 says so explicitly, and "
            "`shop/shipping.quote()` already takes `subtotal_after_discounts`. "
            "`pricing.order_total` is the only caller that computes shipping before the coupon.")
    sc1.respond("s1098:sc1:r2", [text(sum1)], model=SONNET4, times=[3.8],
                tokens=(5, 1290, 9870, 118), mode="grow", stop="end_turn",
                usage_fn=usage_v1098, clock=clock)
    sc2.respond("s1098:sc2:r3", [text(sum2)], model=SONNET4, times=[1.2],
                tokens=(5, 560, 10151, 97), mode="grow", stop="end_turn",
                usage_fn=usage_v1098, clock=clock)

    def task_result(content: str, ms: int, toks: int, uses: int, u: dict[str, Any]) -> Any:
        return {"content": [text(content)], "totalDurationMs": ms, "totalTokens": toks,
                "totalToolUseCount": uses, "usage": u}

    f.tool_result(task1, [text(sum1)], task_result(sum1, 11874, 11283, 1,
                                                   usage_v1098(5, 1290, 9870, 118)),
                  at=clock.at(0.06), key="s1098:task1:res", parent=main_last)
    f.tool_result(task2, [text(sum2)], task_result(sum2, 12204, 10813, 2,
                                                   usage_v1098(5, 560, 10151, 97)),
                  at=clock.at(0.9), key="s1098:task2:res")
    old = ("    shipping = shipping_for(subtotal)\n    if coupon is not None:\n"
           "        subtotal = coupon.apply(subtotal)")
    new = ("    if coupon is not None:\n        subtotal = coupon.apply(subtotal)\n"
           "    shipping = shipping_for(subtotal)")
    edit = tool_use("s1098:edit", "Edit", {"file_path": f"{WEBSHOP}/shop/pricing.py",
                                           "old_string": old, "new_string": new})
    f.respond("s1098:r3", [text("Both agents agree: apply the coupon first, then compute "
                                "shipping."), edit],
              model=SONNET4, times=[3.1, 1.4], tokens=(6, 911, 17262, 233), mode="grow",
              stop="tool_use", usage_fn=usage_v1098, clock=clock)
    msg, res = edit_result(f"{WEBSHOP}/shop/pricing.py", old, new, PRICING_PY)
    f.tool_result(edit, msg, res, at=clock.at(0.2), key="s1098:edit:res")
    f.system_hook("Running \u001b[1mPostToolUse:Edit\u001b[22m...", edit["id"], at=clock.at(0.01),
                  key="s1098:hook")
    run = tool_use("s1098:bash", "Bash", {"command": "python -m pytest -q",
                                          "description": "Run the full test suite"})
    f.respond("s1098:r4", [run], model=SONNET4, times=[2.2], tokens=(6, 402, 18173, 77),
              mode="grow", stop="tool_use", usage_fn=usage_v1098, clock=clock)
    f.tool_result(run, PYTEST_ALL_PASS, bash_result(PYTEST_ALL_PASS), at=clock.at(1.6),
                  key="s1098:bash:res", is_error=False)
    f.respond(final_key, [text("Fixed. `order_total` now applies the coupon before computing "
                               "shipping, matching ADR-007; all 23 tests pass.")],
              model=SONNET4, times=[3.4], tokens=(5, 611, 18575, 54), mode="grow",
              stop="end_turn", usage_fn=usage_v1098, clock=clock)
    out.add_jsonl(f"claude/projects/{WEBSHOP_KEY}/{sid}.jsonl", f.lines, doc(
        "1.0.x era: `summary` line at the top (its leafUuid is this file's last line); split "
        "assistant responses (one content block per line, same message.id + requestId, "
        "stop_reason only on the last line, output_tokens 3 on the first line then final); "
        "Grep/Read/Edit/Bash tool_use + tool_result pairs with `toolUseResult`; a 1.0.x `system` "
        "hook line (no subtype); TWO parallel Task subagents written INLINE as `isSidechain:true` "
        "lines with no agentId: both sidechain roots have parentUuid null, the same timestamp, "
        "and text equal to the Task `input.prompt`; their lines are interleaved in the file.",
        "Claude Code 1.0.98",
        [f"every line: session_id `{sid}` (file name), agent_id null on main lines",
         f"sidechain 1 root uuid `{uid('s1098:sc1:root')}` (prompt = Task 'Run cart tests', "
         f"tool_use `{task1['id']}`): agent_id derived from that root line",
         f"sidechain 2 root uuid `{uid('s1098:sc2:root')}` (prompt = Task 'Check shipping "
         f"rules', tool_use `{task2['id']}`): agent_id derived from that root line",
         "threads: main + 2 subagents; 8 API responses in main/sidechains "
         "(5 main, 2 + 3 sidechain); the Task toolUseResult has no agentId"]))


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
    w = CCFile(style="v20", version="2.0.55", cwd=WEBSHOP, session_id=sid, branch=branch,
               agent_id=warm, sidechain=True)
    wclock = Clock("2026-04-14T13:39:58.204")
    w.user("Warmup", at=wclock.at(), key="s2055:warm:u", parent=None)
    w.respond("s2055:warm:r", [text("Ready to help you search this codebase. What should I look "
                                    "for?")], model=HAIKU45, times=[2.9],
              tokens=(1398, 0, 0, 23), mode="final", stop="end_turn", usage_fn=usage_v1098,
              clock=wclock)
    out.add_jsonl(f"claude/projects/{WEBSHOP_KEY}/agent-{warm}.jsonl", w.lines, doc(
        "2.0.x warmup call (same shape as the 2.0.37 warmups): user `Warmup` + one assistant "
        "reply with final usage and stop_reason, at session start. An API call that is not part "
        "of the conversation.",
        "Claude Code 2.0.55",
        [f"session_id `{sid}` (the lines' sessionId), agent_id `{warm}`, thread_kind `warmup`",
         "1 API response (haiku)"]))

    f = CCFile(style="v20", version="2.0.55", cwd=WEBSHOP, session_id=sid, branch=branch)
    p1 = uid("s2055:p1")
    f.push({"type": "file-history-snapshot", "messageId": p1,
            "snapshot": {"messageId": p1, "trackedFileBackups": {}, "timestamp": clock.at()},
            "isSnapshotUpdate": False})
    f.user("Add a CSV export for orders (admin only). Find where the JSON export lives first.",
           at=clock.at(-0.002), key="s2055:p1", parent=None, thinking_meta=True)
    prompt = ("Find where order exports are implemented in this repo (look under shop/ and "
              "shop/admin/). Report the function names, the file paths, how admin-only access is "
              "enforced for the existing JSON export, and which tests cover it.")
    task = tool_use("s2055:task", "Task", {"description": "Find order export code",
                                           "prompt": prompt, "subagent_type": "Explore"})
    f.respond("s2055:r1", [text("I'll have an Explore agent map the existing export code."),
                           task], model=OPUS45, times=[3.0, 1.6], tokens=(3, 6120, 12610, 188),
              mode="placeholder", stop="tool_use", usage_fn=usage_v1098, clock=clock)
    task_line = f.last

    # the subagent's own file
    a = CCFile(style="v20", version="2.0.55", cwd=WEBSHOP, session_id=sid, branch=branch,
               agent_id=agent, sidechain=True)
    a.user(prompt, at=clock.at(0.06), key="s2055:a:root", parent=None)
    glob = tool_use("s2055:a:glob", "Glob", {"pattern": "shop/**/*export*.py"})
    a.respond("s2055:a:r1", [text("I'll locate the export modules."), glob], model=HAIKU45,
              times=[1.8, 0.4], tokens=(3, 11402, 0, 91), mode="placeholder", stop="tool_use",
              usage_fn=usage_v1098, clock=clock)
    a.tool_result(glob, f"{WEBSHOP}/shop/export.py\n{WEBSHOP}/shop/admin/export_views.py",
                  {"filenames": [f"{WEBSHOP}/shop/export.py",
                                 f"{WEBSHOP}/shop/admin/export_views.py"],
                   "durationMs": 14, "numFiles": 2, "truncated": False},
                  at=clock.at(0.05), key="s2055:a:glob:res")
    aread = tool_use("s2055:a:read", "Read", {"file_path": f"{WEBSHOP}/shop/export.py"})
    a.respond("s2055:a:r2", [aread], model=HAIKU45, times=[1.2], tokens=(6, 310, 11402, 64),
              mode="placeholder", stop="tool_use", usage_fn=usage_v1098, clock=clock)
    numbered, res = read_result(f"{WEBSHOP}/shop/export.py", EXPORT_PY)
    a.tool_result(aread, numbered, res, at=clock.at(0.02), key="s2055:a:read:res")
    summary = ("**Order exports**\n\n- `shop/export.py`: `export_orders_json(orders)` serialises "
               "`Order.as_dict()` with `json.dumps`.\n- `shop/admin/export_views.py`: "
               "`orders_export_view` calls it; admin-only access is enforced by the "
               "`@staff_required` decorator.\n- Tests: `tests/admin/test_export_views.py` "
               "(permission + JSON shape).\n\nA CSV export fits next to `export_orders_json` and "
               "can reuse the same view with a `format` query parameter.")
    a.respond("s2055:a:r3", [text(summary)], model=HAIKU45, times=[4.4],
              tokens=(5, 720, 11712, 301), mode="placeholder", stop="end_turn",
              usage_fn=usage_v1098, clock=clock)
    out.add_jsonl(f"claude/projects/{WEBSHOP_KEY}/agent-{agent}.jsonl", a.lines, doc(
        "2.0.x project-level subagent (Task, Explore) transcript `agent-<8hex>.jsonl`: every line "
        "`isSidechain:true`, `agentId`, sessionId = the parent session; first line is the Task "
        "prompt with parentUuid null; placeholder usage (2.0.55: stop_reason null on all lines, "
        "small output_tokens on early lines of a split response).",
        "Claude Code 2.0.55",
        [f"session_id `{sid}`, agent_id `{agent}` (= Task toolUseResult.agentId in the main "
         f"file, spawned by tool_use `{task['id']}`), thread_kind `subagent`",
         "3 API responses"]))

    f.slug = "tidy-humming-otter"
    tr = {"status": "completed", "prompt": prompt, "agentId": agent, "content": [text(summary)],
          "totalDurationMs": 9712, "totalTokens": 12738, "totalToolUseCount": 2,
          "usage": usage_v1098(5, 720, 11712, 301)}
    f.tool_result(task, [text(summary)], tr, at=clock.at(0.3), key="s2055:task:res",
                  parent=task_line)
    old = "def export_orders_json(orders: list[Order]) -> str:"
    new = ("def export_orders_csv(orders: list[Order]) -> str:\n    buf = io.StringIO()\n"
           "    writer = csv.writer(buf)\n    for o in orders:\n"
           "        writer.writerow([o.id, o.created_at.isoformat(), o.email, o.total])\n"
           "    return buf.getvalue()\n\n\n"
           "def export_orders_json(orders: list[Order]) -> str:")
    edit = tool_use("s2055:edit", "Edit", {"file_path": f"{WEBSHOP}/shop/export.py",
                                           "old_string": old, "new_string": new})
    f.respond("s2055:r2", [text("I'll add the CSV writer next to the JSON one."), edit],
              model=OPUS45, times=[3.5, 2.2], tokens=(3, 1210, 18730, 264), mode="placeholder",
              stop="tool_use", usage_fn=usage_v1098, clock=clock)
    msg, res = edit_result(f"{WEBSHOP}/shop/export.py", old, new, EXPORT_PY)
    f.tool_result(edit, msg, res, at=clock.at(0.2), key="s2055:edit:res")
    f.push({"type": "file-history-snapshot", "messageId": uid("s2055:fhs:2"),
            "snapshot": {"messageId": p1, "trackedFileBackups": {
                "shop/export.py": {"backupFileName": hexid("shop/export.py", 16) + "@v1",
                                   "version": 1, "backupTime": clock.at(0.01)}},
                "timestamp": iso(ts("2026-04-14T13:40:02.511"))},
            "isSnapshotUpdate": True})
    run = tool_use("s2055:bash", "Bash", {"command": "python -m pytest tests/admin -q",
                                          "description": "Run admin tests"})
    f.respond("s2055:r3", [run], model=OPUS45, times=[2.6], tokens=(3, 402, 19940, 81),
              mode="placeholder", stop="tool_use", usage_fn=usage_v1098, clock=clock)
    queued = "also add a header row with the column names"
    f.push({"type": "queue-operation", "operation": "enqueue", "timestamp": clock.at(0.7),
            "content": queued, "sessionId": sid})
    f.tool_result(run, "........                                                     [100%]\n"
                  "8 passed in 0.52s", bash_result("........  [100%]\n8 passed in 0.52s"),
                  at=clock.at(1.1), key="s2055:bash:res", is_error=False)
    f.push({"type": "queue-operation", "operation": "dequeue", "timestamp": clock.at(0.01),
            "sessionId": sid})
    p2 = uid("s2055:p2")
    f.push({"type": "file-history-snapshot", "messageId": p2,
            "snapshot": {"messageId": p2, "trackedFileBackups": {
                "shop/export.py": {"backupFileName": hexid("shop/export.py", 16) + "@v2",
                                   "version": 2, "backupTime": clock.at(0.002)}},
                "timestamp": clock.at(0.0)},
            "isSnapshotUpdate": False})
    f.user(queued, at=clock.at(0.004), key="s2055:p2", thinking_meta=True)
    old2 = "    writer = csv.writer(buf)\n"
    new2 = "    writer = csv.writer(buf)\n    writer.writerow([\"id\", \"created_at\", \"email\", \"total\"])\n"
    edit2 = tool_use("s2055:edit2", "Edit", {"file_path": f"{WEBSHOP}/shop/export.py",
                                             "old_string": old2, "new_string": new2})
    f.respond("s2055:r4", [text("Adding the header row."), edit2], model=OPUS45,
              times=[2.8, 1.0], tokens=(3, 530, 20310, 142), mode="placeholder",
              stop="tool_use", usage_fn=usage_v1098, clock=clock)
    msg, res = edit_result(f"{WEBSHOP}/shop/export.py", old2.rstrip("\n"), new2.rstrip("\n"),
                           EXPORT_PY)
    f.tool_result(edit2, msg, res, at=clock.at(0.2), key="s2055:edit2:res")
    f.respond("s2055:r5", [text("Done: `export_orders_csv` writes a header row "
                                "(id, created_at, email, total) followed by one row per order.")],
              model=OPUS45, times=[3.3], tokens=(3, 388, 20840, 47), mode="placeholder",
              stop="end_turn", usage_fn=usage_v1098, clock=clock)
    out.add_jsonl(f"claude/projects/{WEBSHOP_KEY}/{sid}.jsonl", f.lines, doc(
        "2.0.x main session: `file-history-snapshot` lines (no uuid; one an isSnapshotUpdate with "
        "a backup), `thinkingMetadata`/`todos` on prompts, `slug` from the second turn on, "
        "placeholder usage on split responses (stop_reason null everywhere), a Task call whose "
        "toolUseResult carries `agentId`, and a `queue-operation` enqueue/dequeue pair for a "
        "prompt typed while a tool was running.",
        "Claude Code 2.0.55",
        [f"every line: session_id `{sid}`, agent_id null",
         f"subagent file `agent-{agent}.jsonl` and warmup file `agent-{warm}.jsonl` belong to "
         "this session", "5 API responses in this file"]))
