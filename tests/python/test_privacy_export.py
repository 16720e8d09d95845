"""The privacy-safe Parquet export: the secret patterns, the text modes, excluded projects.

Unit tests of :mod:`agent_threads.privacy` (pure functions over Arrow), then real dbt builds
of a small fixture written here, with secrets of every kind planted in message text, tool
inputs and tool outputs of a Claude Code session and a Codex session.

Secrets are put together at run time from a seeded random source, so the repository
holds nothing a secret scanner would flag, and they are random (incompressible): a byte
search of a Parquet file finds them when they are there (the control build shows it).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import random
import string

import pyarrow as pa
import pytest

from agent_threads import privacy
from agent_threads.privacy import SECRET_PATTERNS, ExportPrivacy
from agent_threads.projection.schema import MESSAGES_SCHEMA

ALNUM = string.ascii_letters + string.digits


def rand(rng: random.Random, n: int, alphabet: str = ALNUM) -> str:
    return "".join(rng.choice(alphabet) for _ in range(n))


def planted_secrets(seed: int) -> dict[str, tuple[str, str]]:
    """One secret of every kind: name -> (the line that carries it, the secret itself).

    The name is the pattern expected to redact it (``[REDACTED:<name>]``).
    """
    rng = random.Random(seed)
    upper = string.ascii_uppercase + string.digits
    b64 = ALNUM + "+/"
    header = base64.urlsafe_b64encode(b'{"alg":"HS256","typ":"JWT"}').decode().rstrip("=")
    payload = base64.urlsafe_b64encode(
        json.dumps({"sub": rand(rng, 12), "exp": 1790000000}).encode()
    ).decode()
    jwt = f"{header}.{payload.rstrip('=')}.{rand(rng, 43, ALNUM + '-_')}"
    pem_body = "\n".join(rand(rng, 64, b64) for _ in range(3))
    secrets = {
        "anthropic_api_key": "sk-ant-api03-" + rand(rng, 93, ALNUM + "-_") + "AA",
        "openai_api_key": "sk-proj-" + rand(rng, 64, ALNUM + "-_"),
        "aws_access_key_id": "AKIA" + rand(rng, 16, upper),
        "aws_secret_access_key": rand(rng, 40, b64),
        "github_token": "ghp_" + rand(rng, 36),
        "gitlab_token": "glpat-" + rand(rng, 20),
        "slack_token": "xoxb-" + rand(rng, 12, string.digits) + "-" + rand(rng, 24),
        "stripe_key": "sk_live_" + rand(rng, 24),
        "google_api_key": "AIza" + rand(rng, 35),
        "jwt": jwt,
        "private_key": pem_body,
        "url_password": rand(rng, 18),
        "authorization_header": rand(rng, 32),
        "bearer_token": rand(rng, 40),
        "env_secret": rand(rng, 16),
        "email": rand(rng, 10, string.ascii_lowercase) + ".dev@" + rand(rng, 8).lower() + ".org",
    }
    lines = {
        "aws_secret_access_key": f"aws_secret_access_key = {secrets['aws_secret_access_key']}",
        "private_key": "-----BEGIN RSA PRIVATE KEY-----\n"
        + secrets["private_key"]
        + "\n-----END RSA PRIVATE KEY-----",
        "url_password": f"postgres://app:{secrets['url_password']}@db.internal.example.com/app",
        "authorization_header": "curl -H 'Authorization: Bearer "
        + secrets["authorization_header"]
        + "'",
        "bearer_token": f"the token is Bearer {secrets['bearer_token']} for now",
        "env_secret": f"export DB_PASSWORD={secrets['env_secret']}",
        "email": f"mail {secrets['email']} about it",
    }
    return {name: (lines.get(name, f"{name}: {value}"), value) for name, value in secrets.items()}


def secret_values(secrets: dict[str, tuple[str, str]]) -> list[str]:
    """Every secret string, each line of a key body on its own."""
    values = []
    for _line, value in secrets.values():
        values.extend(value.splitlines())
    return values


def scrub(text: str) -> str:
    return privacy.scrub_secrets(pa.array([text], pa.string()))[0].as_py()


# ------------------------------------------------------------------ the patterns

SECRETS = planted_secrets(1)


@pytest.mark.parametrize("name", [p.name for p in SECRET_PATTERNS])
def test_each_pattern_redacts_its_secret_in_text_and_in_json(name: str) -> None:
    line, value = SECRETS[name]
    text = f"before\n{line}\nafter"
    out = scrub(text)
    assert f"[REDACTED:{name}]" in out
    assert all(part not in out for part in value.splitlines())
    assert out.startswith("before\n") and out.endswith("\nafter")  # only the secret goes
    # the same text inside JSON (the `content` column): redacted, and still valid JSON
    for document in (json.dumps({"text": text}), json.dumps([{"input": {"cmd": text}}])):
        scrubbed = scrub(document)
        assert f"[REDACTED:{name}]" in scrubbed
        assert all(part not in scrubbed for part in value.splitlines())
        json.loads(scrubbed)


def test_every_planted_kind_has_a_pattern_and_every_pattern_a_kind() -> None:
    assert set(SECRETS) == {p.name for p in SECRET_PATTERNS}


@pytest.mark.parametrize(
    "text",
    [
        "pip install scikit-learn  # not sk-learn, and sk-12 is short",
        "task-ant-colony is a package; risk-assessment-framework-for-teams too",
        "AKIA is a prefix; AKIAshort; the ASIA region",
        "the secret_access_key is read from the environment",
        "ghp_short and gho_ and github_pat_",
        "xoxb- alone, glpat-short",
        "sk_live_ alone, rk_test_abc",
        "AIza too short",
        "eyJhbGciOi alone is not a token",
        "https://example.com:8443/path?q=1 and ssh://host/repo",
        "see https://example.com/@user (a handle, no password)",
        "Authorization header missing; bearer of bad news",
        "db_password = get_password()  # lower case code is left alone",
        "MAX_TOKENS=4096 and TOKEN=short",
        "@decorator, pkg@1.2.3, user@localhost, a@b",
        "-----BEGIN PUBLIC KEY-----\nMIIBIjANBg\n-----END PUBLIC KEY-----",
        "plain text with no secret at all",
    ],
)
def test_ordinary_text_is_left_alone(text: str) -> None:
    assert scrub(text) == text
    assert scrub(json.dumps({"t": text})) == json.dumps({"t": text})


def test_private_key_blocks() -> None:
    body = SECRETS["private_key"][1]
    for kind in ("", "RSA ", "EC ", "OPENSSH ", "ENCRYPTED "):
        block = f"-----BEGIN {kind}PRIVATE KEY-----\n{body}\n-----END {kind}PRIVATE KEY-----"
        out = scrub(f"key:\n{block}\ntail")
        assert out == (
            f"key:\n-----BEGIN {kind}PRIVATE KEY-----[REDACTED:private_key]"
            f"-----END {kind}PRIVATE KEY-----\ntail"
        )
    # cut short (a truncated tool output): redacted to the end of the value / JSON string
    assert scrub(f"-----BEGIN PRIVATE KEY-----\n{body}") == (
        "-----BEGIN PRIVATE KEY-----[REDACTED:private_key]"
    )
    document = json.dumps({"a": f"-----BEGIN PRIVATE KEY-----\n{body}", "b": "kept"})
    assert json.loads(scrub(document)) == {
        "a": "-----BEGIN PRIVATE KEY-----[REDACTED:private_key]",
        "b": "kept",
    }


def test_a_match_never_starts_inside_a_json_escape() -> None:
    """``\\n`` and ``\\u00e9`` before a secret: the escape stays whole, the JSON valid."""
    email = SECRETS["email"][1]
    key = SECRETS["aws_access_key_id"][1]
    document = json.dumps({"t": f"caf\u00e9{email}\n{key}\t{email}"}, ensure_ascii=True)
    scrubbed = scrub(document)
    assert json.loads(scrubbed) == {
        "t": "caf\u00e9[REDACTED:email]\n[REDACTED:aws_access_key_id]\t[REDACTED:email]"
    }


def test_scrub_keeps_nulls_and_untouched_values() -> None:
    key = SECRETS["github_token"][1]
    values = pa.array(["clean", None, f"token {key}", ""], pa.string())
    assert privacy.scrub_secrets(values).to_pylist() == [
        "clean",
        None,
        "token [REDACTED:github_token]",
        "",
    ]
    chunked = pa.chunked_array([values, values])
    assert len(privacy.scrub_secrets(chunked)) == 8
    clean = pa.array(["a", None, "b"], pa.string())
    assert privacy.scrub_secrets(clean).equals(clean)


def test_patterns_are_documented_and_named_once() -> None:
    names = [p.name for p in SECRET_PATTERNS]
    assert len(names) == len(set(names))
    for pattern in SECRET_PATTERNS:
        assert pattern.description and pattern.marker == f"[REDACTED:{pattern.name}]"
        assert pattern.marker in pattern.rewrite


# ----------------------------------------------------------------------- hashing


def test_hash_is_sha256_without_salt_and_hmac_with_one() -> None:
    rng = random.Random(2)
    texts = [rand(rng, rng.randrange(0, 300)) + "é" for _ in range(5000)] + [None, ""]
    values = pa.array(texts, pa.string())
    assert privacy.hash_values(values).to_pylist() == [
        None if t is None else hashlib.sha256(t.encode()).hexdigest() for t in texts
    ]
    for salt in ("pepper", "k" * 100, "sél"):
        assert privacy.hash_values(values, salt).to_pylist() == [
            None if t is None else hmac.new(salt.encode(), t.encode(), "sha256").hexdigest()
            for t in texts
        ]
    assert privacy.hash_values(values, "a") != privacy.hash_values(values, "b")


# ---------------------------------------------------------------- the transform


def message_rows() -> pa.RecordBatch:
    """A prompt, a response that calls a tool, a tool call and a tool result (Codex-like)."""
    key = SECRETS["openai_api_key"][1]
    rows = [
        ("prompt", None, f"use {key}", '[{"type":"text"}]'),
        ("response", "Bash", "running it", '[{"type":"tool_use","input":{"k":"v"}}]'),
        ("tool_call", "shell", None, '{"command":["ls"]}'),
        ("tool_result", "shell", f"out {key}", None),
    ]
    columns = {f.name: [] for f in MESSAGES_SCHEMA}
    for index, (kind, tool, text, content) in enumerate(rows):
        for field in MESSAGES_SCHEMA:
            columns[field.name].append(
                {
                    "message_id": f"m{index}",
                    "session_id": "s1",
                    "thread_id": "s1",
                    "source": "codex",
                    "role": "user",
                    "message_kind": kind,
                    "tool_name": tool,
                    "text": text,
                    "content": content,
                    "thread_seq": index,
                    "source_line": index,
                    "is_replayed": False,
                    "is_on_main_path": True,
                    "is_meta": False,
                    "source_file": "/f.jsonl",
                }.get(field.name)
            )
    return pa.RecordBatch.from_pydict(columns, schema=MESSAGES_SCHEMA)


def sha(text: str, salt: str = "") -> str:
    if salt:
        return hmac.new(salt.encode(), text.encode(), "sha256").hexdigest()
    return hashlib.sha256(text.encode()).hexdigest()


def test_privatize_applies_each_mode_to_its_rows_and_keeps_the_schema() -> None:
    batch = message_rows()
    prompt, response, call_content = (
        "use [REDACTED:openai_api_key]",
        "running it",
        '{"command":["ls"]}',
    )
    tool_use = '[{"type":"tool_use","input":{"k":"v"}}]'

    out = privacy.privatize(batch, ExportPrivacy(text="hash", tool_io="drop", hash_salt="s"))
    assert out.schema == batch.schema
    assert out.column("text").to_pylist() == [sha(prompt, "s"), sha(response, "s"), None, None]
    # the response's content holds a tool input: the stricter mode (drop) wins
    assert out.column("content").to_pylist() == [sha('[{"type":"text"}]', "s"), None, None, None]

    out = privacy.privatize(batch, ExportPrivacy(text="drop", tool_io="full"))
    assert out.column("text").to_pylist() == [None, None, None, "out [REDACTED:openai_api_key]"]
    assert out.column("content").to_pylist() == [None, None, call_content, None]

    out = privacy.privatize(batch, ExportPrivacy(text="full", tool_io="hash"))
    assert out.column("text").to_pylist() == [
        prompt,
        response,
        None,
        sha("out [REDACTED:openai_api_key]"),
    ]
    assert out.column("content").to_pylist() == [
        '[{"type":"text"}]',
        sha(tool_use),
        sha(call_content),
        None,
    ]
    # every other column is untouched
    for name in batch.schema.names:
        if name not in ("text", "content"):
            assert out.column(name).equals(batch.column(name)), name

    unscrubbed = privacy.privatize(batch, ExportPrivacy(scrub_secrets=False))
    assert unscrubbed is batch


def test_settings_from_the_rendered_vars() -> None:
    settings = privacy.settings_from_config(
        {
            "export_text": "hash",
            "export_tool_io": "drop",
            "export_scrub_secrets": "False",
            "export_exclude_cwd": '["*/acme", "re:^/srv/"]',
        },
        environ={privacy.HASH_SALT_ENV_VAR: "pepper"},
    )
    assert settings == ExportPrivacy("hash", "drop", False, ("*/acme", "re:^/srv/"), "pepper")
    assert "pepper" not in repr(settings)
    defaults = privacy.settings_from_config({}, environ={})
    assert defaults == ExportPrivacy() and defaults.scrub_secrets and defaults.text == "full"
    one = privacy.settings_from_config({"export_exclude_cwd": '"/home/me/acme"'}, environ={})
    assert one.exclude_cwd == ("/home/me/acme",)
    with pytest.raises(ValueError, match="export_text must be one of"):
        privacy.settings_from_config({"export_text": "redact"}, environ={})
    with pytest.raises(ValueError, match="export_scrub_secrets must be true or false"):
        privacy.settings_from_config({"export_scrub_secrets": "maybe"}, environ={})
    with pytest.raises(ValueError, match="bad pattern"):
        privacy.settings_from_config({"export_exclude_cwd": '["re:(unclosed"]'}, environ={})


def test_fingerprint_follows_every_setting_and_the_manifest_hides_salt_and_projects() -> None:
    base = ExportPrivacy()
    variants = [
        ExportPrivacy(text="hash"),
        ExportPrivacy(tool_io="drop"),
        ExportPrivacy(scrub_secrets=False),
        ExportPrivacy(exclude_cwd=("*/acme",)),
    ]
    prints = {base.fingerprint(), *(v.fingerprint() for v in variants)}
    assert len(prints) == 1 + len(variants)
    assert base.fingerprint() == ExportPrivacy().fingerprint()  # stable
    # the salt counts only when something is hashed
    assert ExportPrivacy(hash_salt="x").fingerprint() == base.fingerprint()
    assert (
        ExportPrivacy(text="hash", hash_salt="x").fingerprint()
        != ExportPrivacy(text="hash", hash_salt="y").fingerprint()
    )
    described = json.dumps(
        ExportPrivacy(text="hash", exclude_cwd=("*/acme-secret",), hash_salt="pepper").describe()
    )
    assert "pepper" not in described and "acme" not in described
    assert json.loads(described)["hash_algorithm"] == "hmac-sha256"
    assert ExportPrivacy(tool_io="hash").describe()["hash_algorithm"] == "sha256"


@pytest.mark.parametrize(
    ("pattern", "matched", "not_matched"),
    [
        (
            "/home/me/acme",
            ["/home/me/acme", "/home/me/acme/api", "/home/me/acme/"],
            ["/home/me/acme-public", "/home/me"],
        ),
        ("/home/me/acme/", ["/home/me/acme/x"], ["/home/me/acmex"]),
        ("*/clients/*", ["/home/me/clients/x", "/w/clients/y/z"], ["/home/me/clients", "/clients"]),
        ("/home/*/secret?", ["/home/a/secret1/b"], ["/home/a/secret"]),
        ("/srv/[!p]*", ["/srv/app"], ["/srv/public"]),
        ("re:secret-[0-9]+$", ["/w/secret-12"], ["/w/secret-x", "/w/secret-12/sub"]),
        ("C:\\Users\\me\\acme", ["C:\\Users\\me\\acme\\api"], ["C:\\Users\\me\\acme2"]),
    ],
)
def test_cwd_patterns(pattern: str, matched: list[str], not_matched: list[str]) -> None:
    cwds = pa.array([*matched, *not_matched, None], pa.string())
    assert privacy.cwd_is_excluded(cwds, [pattern]).to_pylist() == (
        [True] * len(matched) + [False] * len(not_matched) + [False]
    )


def test_cwd_pattern_home_and_no_patterns(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", "/home/me")
    cwds = pa.array(["/home/me/work/acme", "/home/you/work/acme"], pa.string())
    assert privacy.cwd_is_excluded(cwds, ["~/work/acme"]).to_pylist() == [True, False]
    assert privacy.cwd_is_excluded(cwds, []).to_pylist() == [False, False]
