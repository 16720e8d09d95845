"""What the shared Parquet export carries: text and tool I/O modes, secrets, left-out projects.

The DuckDB tables keep every original value for the owner; only the files written under
``AGENT_THREADS_DATASET_DIR`` go through :func:`privatize`. The settings come from dbt vars
(``export_text``, ``export_tool_io``, ``export_scrub_secrets``, ``export_exclude_cwd``) and
one environment variable (``AGENT_THREADS_EXPORT_HASH_SALT``); see the README section
"Sharing the dataset (privacy-safe export)".

Which columns each setting governs (``messages`` v6):

- ``export_tool_io``: ``text`` and ``content`` of tool calls and tool results
  (``message_kind`` ``tool_call`` / ``tool_result``);
- ``export_text``: ``text`` and ``content`` of every other message, except that the
  ``content`` of a message that also calls a tool (a Claude Code response with
  ``tool_use`` blocks, ``tool_name`` set) takes the stricter of the two modes, since its
  JSON holds the tool input;
- ``full`` keeps the value, ``hash`` writes a SHA-256 hex digest of it (HMAC-SHA-256
  keyed with the salt when one is set), ``drop`` writes null. Column names and types never
  change, so readers do not break whatever the settings.

Secret scrubbing (:data:`SECRET_PATTERNS`, the one list of patterns) runs first, so a
hashed value is the hash of the scrubbed text. Every function here is pure and vectorised
over Arrow: RE2 regexes through ``pyarrow.compute``, hashing through an in-memory DuckDB
over the Arrow column (pyarrow has no SHA-256 kernel); no Python loop per row.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field

import pyarrow as pa
import pyarrow.compute as pc

from agent_threads.errors import SettingError

#: Bump when what a setting means changes (e.g. what ``hash`` computes): every exported
#: partition is then rewritten by the next build, like any change of settings.
PRIVACY_VERSION = 1
MODES = ("full", "hash", "drop")
#: ``drop`` > ``hash`` > ``full``: the stricter of two modes is the one that keeps less.
_STRICTNESS = {"full": 0, "hash": 1, "drop": 2}
TEXT_COLUMNS = ("text", "content")
TOOL_IO_KINDS = ("tool_call", "tool_result")
HASH_SALT_ENV_VAR = "AGENT_THREADS_EXPORT_HASH_SALT"


@dataclass(frozen=True)
class SecretPattern:
    """One kind of secret: an RE2 regex and the rewrite that replaces a match.

    The rewrite puts back the context groups the regex captured (``\\1``, ``\\2``: the
    character before a token, a key name, a URL's user) and replaces only the secret
    itself with ``[REDACTED:<name>]``.
    """

    name: str
    regex: str
    rewrite: str
    description: str

    @property
    def marker(self) -> str:
        return f"[REDACTED:{self.name}]"


# A token must start at a boundary: the start of the value, a character that is not a
# letter, digit, underscore or backslash, or a whole JSON escape (``\n``, ``\"``,
# ``\u00e9``...). The last case matters in ``content``, which is JSON text: in
# ``...\nAKIA...`` the key follows the escape ``\n``, not a word boundary, and a match
# must never start inside an escape (that would leave an invalid ``\[`` behind). RE2 has
# no look-behind, so the boundary is captured as group 1 and put back.
_B = r"(^|[^A-Za-z0-9_\\]|\\[nrtbf\"/\\]|\\u[0-9A-Fa-f]{4})"
# a separator between a key name and its value, in plain text or inside JSON text
_SEP = r"[ \t\"'\\]*[:=][ \t\"'\\]*"


def _token(name: str, body: str, description: str) -> SecretPattern:
    return SecretPattern(name, _B + "(?:" + body + ")", r"\1[REDACTED:" + name + "]", description)


#: The secret patterns, applied in this order (earlier, more specific patterns first).
#: Each is RE2 syntax (no look-around, no back-references), checked by the tests.
SECRET_PATTERNS: tuple[SecretPattern, ...] = (
    SecretPattern(
        "private_key",
        # the BEGIN line, the body (escapes consumed whole, so a JSON string is never cut
        # inside an escape), then the END line; without one, up to the end of the JSON
        # string (an unescaped quote) or of the value
        r"(-----BEGIN[A-Z0-9 ]*PRIVATE KEY-----)(?:[^\"\\]|\\.)*?"
        r"(-----END[A-Z0-9 ]*PRIVATE KEY-----|\"|$)",
        r"\1[REDACTED:private_key]\2",
        "PEM private key blocks (RSA, EC, OPENSSH, ENCRYPTED, ...), multi-line; an "
        "unterminated block is cut to the end of the string",
    ),
    _token(
        "anthropic_api_key",
        r"sk-ant-[A-Za-z0-9_-]{20,}",
        "Anthropic API and admin keys (sk-ant-api03-..., sk-ant-admin01-..., sk-ant-oat...)",
    ),
    _token(
        "openai_api_key",
        r"sk-(?:proj|svcacct|admin)-[A-Za-z0-9_-]{20,}|sk-[A-Za-z0-9]{20,}",
        "OpenAI keys: sk-proj-, sk-svcacct-, sk-admin- and legacy sk- + 20 or more letters "
        "and digits (so words like sk-learn are left alone)",
    ),
    _token(
        "aws_access_key_id",
        r"(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}",
        "AWS access key ids (AKIA long-term, ASIA temporary; 20 characters)",
    ),
    SecretPattern(
        "aws_secret_access_key",
        r"(?i)((?:aws_secret_access_key|aws_secret_key|secret_access_key|secretaccesskey)"
        + _SEP
        + r")[A-Za-z0-9/+]{40}",
        r"\1[REDACTED:aws_secret_access_key]",
        "AWS secret access keys (40 characters) after aws_secret_access_key = / : "
        "(credentials files, env vars, JSON); a bare 40-character string is not caught",
    ),
    _token(
        "github_token",
        r"(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{22,}",
        "GitHub tokens: classic and OAuth/app/refresh (ghp_, gho_, ghu_, ghs_, ghr_) and "
        "fine-grained (github_pat_)",
    ),
    _token("gitlab_token", r"glpat-[A-Za-z0-9_-]{20,}", "GitLab personal access tokens"),
    _token(
        "slack_token",
        r"xox[abprs]-[A-Za-z0-9-]{10,}",
        "Slack tokens (xoxb- bot, xoxp- user, xoxa-, xoxr-, xoxs-)",
    ),
    _token(
        "stripe_key",
        r"(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{16,}",
        "Stripe secret and restricted keys (sk_live_, rk_live_, and their _test_ twins)",
    ),
    _token("google_api_key", r"AIza[0-9A-Za-z_-]{35}", "Google API keys (AIza...)"),
    _token(
        "jwt",
        r"eyJ[A-Za-z0-9_-]{5,}\.eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*",
        "JSON Web Tokens (three base64url parts, header and payload starting eyJ)",
    ),
    SecretPattern(
        "url_password",
        r"([A-Za-z][A-Za-z0-9+.-]*://[^\s:/?#@\"'<>\\]+:)[^\s/?#@\"'<>\\]+@",
        r"\1[REDACTED:url_password]@",
        "the password of a URL's user info (scheme://user:password@host); the user and host stay",
    ),
    SecretPattern(
        "authorization_header",
        r"(?i)(authorization" + _SEP + r"(?:bearer|basic|token|bot)\s+)[^\s\"'\\]+",
        r"\1[REDACTED:authorization_header]",
        "the credentials of an Authorization header (Bearer, Basic, token, Bot)",
    ),
    SecretPattern(
        "bearer_token",
        r"(?i)(bearer\s+)[A-Za-z0-9._~+/-]{20,}=*",
        r"\1[REDACTED:bearer_token]",
        "a bearer token (20 or more token characters) after the word Bearer, anywhere",
    ),
    SecretPattern(
        "env_secret",
        r"([A-Z0-9_]*(?:PASSWORD|PASSWD|SECRET|TOKEN|API_KEY|APIKEY|ACCESS_KEY|PRIVATE_KEY)"
        r"[ \t]*[:=][ \t]*(?:\\?[\"'])?)[^\s\"'\\$<>{}()\[\],;|&*]{8,}",
        r"\1[REDACTED:env_secret]",
        "the value (8 or more characters) of an upper-case setting named like a secret "
        "(DB_PASSWORD=..., API_TOKEN: ..., as in .env files and shell exports)",
    ),
    _token(
        "email",
        r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}",
        "email addresses (also git remotes such as git@github.com)",
    ),
)


def _any_secret_regex(patterns: Iterable[SecretPattern]) -> str:
    """One regex matching wherever any of ``patterns`` would (a cheap pre-filter)."""
    return "|".join(f"(?:{p.regex})" for p in patterns)


def _as_array(values: pa.Array | pa.ChunkedArray) -> pa.Array:
    if isinstance(values, pa.ChunkedArray):
        return values.combine_chunks() if values.num_chunks != 1 else values.chunk(0)
    return values


def scrub_secrets(
    values: pa.Array | pa.ChunkedArray,
    patterns: tuple[SecretPattern, ...] = SECRET_PATTERNS,
) -> pa.Array:
    """Replace every secret ``patterns`` find in a string array with ``[REDACTED:<name>]``.

    One pass of all patterns at once finds the values that hold a secret; only those are
    rewritten (pattern by pattern, in order). Nulls stay null.
    """
    values = _as_array(values)
    if not patterns or len(values) == 0:
        return values
    mask = pc.fill_null(pc.match_substring_regex(values, _any_secret_regex(patterns)), False)
    hits = pc.sum(mask).as_py() or 0
    if hits == 0:
        return values
    dirty = values.filter(mask)
    for pattern in patterns:
        dirty = pc.replace_substring_regex(dirty, pattern.regex, pattern.rewrite)
    return pc.replace_with_mask(values, mask, dirty.cast(values.type))


def hash_values(values: pa.Array | pa.ChunkedArray, salt: str = "") -> pa.Array:
    """SHA-256 hex digest of each value's UTF-8 bytes; HMAC-SHA-256 keyed by ``salt`` if set.

    Stable across runs and machines (the same text and salt give the same digest), so
    equal texts stay joinable. Without a salt anyone can confirm a guessed text; with one
    they cannot. Nulls stay null. Computed by DuckDB's ``sha256`` over the Arrow column
    (HMAC by its definition, RFC 2104); checked against :mod:`hmac` by the tests.
    """
    import duckdb

    values = _as_array(values)
    if len(values) == 0:
        return pa.array([], pa.string())
    con = duckdb.connect(config={"threads": 1})  # one thread keeps the row order
    try:
        con.register("at_values", pa.table({"v": values}))
        if salt:
            inner_key, outer_key = _hmac_pads(salt.encode("utf-8"))
            sql = (
                "select case when v is null then null else sha256(?::blob || "
                "unhex(sha256(?::blob || encode(v)))) end as h from at_values"
            )
            result = con.sql(sql, params=[outer_key, inner_key]).to_arrow_table()
        else:
            result = con.sql("select sha256(v) as h from at_values").to_arrow_table()
    finally:
        con.close()
    return _as_array(result.column("h")).cast(pa.string())


def _hmac_pads(key: bytes) -> tuple[bytes, bytes]:
    """The inner and outer keys of HMAC-SHA-256 (RFC 2104, 64-byte blocks)."""
    if len(key) > 64:
        key = hashlib.sha256(key).digest()
    key = key.ljust(64, b"\0")
    return bytes(b ^ 0x36 for b in key), bytes(b ^ 0x5C for b in key)


def stricter(a: str, b: str) -> str:
    """The mode that keeps less of a value: ``drop`` over ``hash`` over ``full``."""
    return a if _STRICTNESS[a] >= _STRICTNESS[b] else b


@dataclass(frozen=True)
class ExportPrivacy:
    """The privacy settings of one export (see the module docstring)."""

    text: str = "full"
    tool_io: str = "full"
    scrub_secrets: bool = True
    exclude_cwd: tuple[str, ...] = ()
    # never printed, logged or written to the manifest
    hash_salt: str = field(default="", repr=False)

    def __post_init__(self) -> None:
        for name in ("text", "tool_io"):
            mode = getattr(self, name)
            if mode not in MODES:
                raise SettingError(
                    f"export_{name}", f"export_{name} must be one of {MODES}, not {mode!r}"
                )
        cwd_exclusion_regex(self.exclude_cwd)  # fails early on a bad pattern

    @property
    def changes_rows(self) -> bool:
        """Whether exported rows differ from the ``messages`` rows."""
        return self.scrub_secrets or self.text != "full" or self.tool_io != "full"

    def fingerprint(self) -> str:
        """Identifies these settings (salt, exclusions and the pattern list included).

        Kept in the owner's database (``dataset_partitions.export_settings_id``), never
        in the shared files: a change of any setting makes the next build rewrite every
        partition, so no file written under the old settings survives.
        """
        settings = {
            "privacy_version": PRIVACY_VERSION,
            "text": self.text,
            "tool_io": self.tool_io,
            "scrub_secrets": self.scrub_secrets,
            "secret_patterns": (
                [[p.name, p.regex, p.rewrite] for p in SECRET_PATTERNS]
                if self.scrub_secrets
                else []
            ),
            "exclude_cwd": list(self.exclude_cwd),
            "hash_salt": self.hash_salt if "hash" in (self.text, self.tool_io) else "",
        }
        canonical = json.dumps(settings, sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()

    def describe(self) -> dict:
        """The settings for ``manifest.json``: what readers of the files need to know.

        Neither the salt nor the exclusion patterns (they would name the projects left
        out) are written, only whether a salt was used and how many patterns there are.
        """
        hashing = "hash" in (self.text, self.tool_io)
        return {
            "text": self.text,
            "tool_io": self.tool_io,
            "hash_algorithm": (
                ("hmac-sha256" if self.hash_salt else "sha256") if hashing else None
            ),
            "scrub_secrets": self.scrub_secrets,
            "secret_patterns": [p.name for p in SECRET_PATTERNS] if self.scrub_secrets else [],
            "redaction_marker": "[REDACTED:<pattern name>]" if self.scrub_secrets else None,
            "exclude_cwd_patterns": len(self.exclude_cwd),
        }


def _parse_bool(value: object, name: str) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("true", "1", "yes", "on"):
        return True
    if text in ("false", "0", "no", "off"):
        return False
    raise SettingError(name, f"{name} must be true or false, not {value!r}")


def _parse_patterns(value: object) -> tuple[str, ...]:
    """A list of patterns, a JSON list (as dbt renders it), or one pattern."""
    if value is None:
        return ()
    if isinstance(value, str):
        text = value.strip()
        if not text:
            return ()
        try:
            value = json.loads(text)
        except json.JSONDecodeError:
            value = [text]
        if isinstance(value, str):
            value = [value]
    if not isinstance(value, list | tuple):
        raise SettingError(
            "export_exclude_cwd", f"export_exclude_cwd must be a list of patterns, not {value!r}"
        )
    return tuple(str(p) for p in value if str(p).strip())


def settings_from_config(
    config: Mapping[str, object], environ: Mapping[str, str] | None = None
) -> ExportPrivacy:
    """The settings from the model's rendered vars (``meta``) and the salt's env var."""
    environ = os.environ if environ is None else environ
    return ExportPrivacy(
        text=str(config.get("export_text") or "full").strip(),
        tool_io=str(config.get("export_tool_io") or "full").strip(),
        scrub_secrets=_parse_bool(config.get("export_scrub_secrets", True), "export_scrub_secrets"),
        exclude_cwd=_parse_patterns(config.get("export_exclude_cwd")),
        hash_salt=environ.get(HASH_SALT_ENV_VAR, ""),
    )


# ---------------------------------------------------------------- projects left out


def glob_to_regex(pattern: str) -> str:
    """An RE2 regex for a cwd glob: the folder itself or anything below it.

    ``*`` matches any run of characters (``/`` included, as in :mod:`fnmatch`), ``?`` one
    character, ``[...]`` a class (``[!...]`` negated); ``~`` at the start is the home of
    the user running the build. A trailing ``/`` is ignored.
    """
    if pattern.startswith("~"):
        pattern = os.path.expanduser(pattern)
    if len(pattern) > 1:
        pattern = pattern.rstrip("/\\") or pattern[:1]
    out, i, n = [], 0, len(pattern)
    while i < n:
        char = pattern[i]
        if char == "*":
            while i < n and pattern[i] == "*":
                i += 1
            out.append(".*")
            continue
        if char == "?":
            out.append(".")
        elif char == "[" and "]" in pattern[i + 2 :]:
            end = pattern.index("]", i + 2)
            body = pattern[i + 1 : end]
            negated = body.startswith("!")
            body = body[1:] if negated else body
            body = body.replace("\\", "\\\\").replace("^", "\\^")
            out.append("[" + ("^" if negated else "") + body + "]")
            i = end
        else:
            out.append(re.escape(char))
        i += 1
    return "^" + "".join(out) + r"(?:[/\\].*)?$"


def cwd_exclusion_regex(patterns: Iterable[str]) -> str | None:
    """One RE2 regex for ``export_exclude_cwd``, or None when nothing is excluded.

    A pattern is a glob (:func:`glob_to_regex`) unless it starts with ``re:``: then the
    rest is an RE2 regex searched anywhere in the cwd (anchor it with ``^``/``$``).
    """
    parts = []
    for pattern in patterns:
        regex = pattern[3:] if pattern.startswith("re:") else glob_to_regex(pattern)
        try:
            pc.match_substring_regex(pa.array([""], pa.string()), regex)
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError) as error:
            raise SettingError(
                "export_exclude_cwd", f"export_exclude_cwd: bad pattern {pattern!r}: {error}"
            ) from error
        parts.append(f"(?:{regex})")
    return "|".join(parts) or None


def cwd_is_excluded(cwds: pa.Array | pa.ChunkedArray, patterns: Iterable[str]) -> pa.Array:
    """For each cwd, whether a pattern of ``export_exclude_cwd`` matches it (null: False)."""
    cwds = _as_array(cwds)
    regex = cwd_exclusion_regex(patterns)
    if regex is None:
        return pa.array([False] * len(cwds), pa.bool_())
    return pc.fill_null(pc.match_substring_regex(cwds, regex), False)


# ------------------------------------------------------------------- the transform


def _modes(batch: pa.RecordBatch | pa.Table, settings: ExportPrivacy) -> dict[str, pa.Array]:
    """Per row and text column, the mode that applies (see the module docstring)."""
    kinds = _as_array(batch.column("message_kind"))
    is_tool_io = pc.fill_null(pc.is_in(kinds, pa.array(TOOL_IO_KINDS)), False)
    calls_tool = pc.is_valid(_as_array(batch.column("tool_name")))
    text_mode = pc.if_else(is_tool_io, settings.tool_io, settings.text)
    both = stricter(settings.text, settings.tool_io)
    content_mode = pc.if_else(
        is_tool_io, settings.tool_io, pc.if_else(calls_tool, both, settings.text)
    )
    return {"text": text_mode, "content": content_mode}


def _apply_modes(values: pa.Array, modes: pa.Array, salt: str) -> pa.Array:
    keep = pc.equal(modes, "full")
    hashed = pc.equal(modes, "hash")
    null = pa.scalar(None, values.type)
    if pc.any(hashed).as_py():
        return pc.if_else(keep, values, pc.if_else(hashed, hash_values(values, salt), null))
    return pc.if_else(keep, values, null)


def privatize(batch: pa.RecordBatch, settings: ExportPrivacy) -> pa.RecordBatch:
    """The exported form of a batch of ``messages`` rows: same columns, same types.

    Secrets are scrubbed first (``export_scrub_secrets``), then each text column is kept,
    hashed or nulled per row. Other columns are untouched.
    """
    if not settings.changes_rows or batch.num_rows == 0:
        return batch
    modes = _modes(batch, settings)
    columns = []
    for name in batch.schema.names:
        values = _as_array(batch.column(name))
        if name in TEXT_COLUMNS:
            if settings.scrub_secrets:
                values = scrub_secrets(values)
            if settings.text != "full" or settings.tool_io != "full":
                values = _apply_modes(values, modes[name], settings.hash_salt)
        columns.append(values)
    return pa.RecordBatch.from_arrays(columns, schema=batch.schema)


def privatize_stream(
    batches: Iterable[pa.RecordBatch], settings: ExportPrivacy
) -> Iterator[pa.RecordBatch]:
    """:func:`privatize` over a stream of batches (lazy: one batch in memory at a time)."""
    for batch in batches:
        yield privatize(batch, settings)
