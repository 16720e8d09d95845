"""The privacy-safe Parquet export: the secret patterns, the text modes, excluded projects.

Unit tests of :mod:`agent_threads.export.privacy` (pure functions over Arrow), then real dbt builds
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
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest
from support.dbt_project import DbtHome

from agent_threads.errors import SettingError
from agent_threads.export import privacy
from agent_threads.export.privacy import SECRET_PATTERNS, ExportPrivacy
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
    with pytest.raises(SettingError, match="export_text must be one of") as bad_mode:
        privacy.settings_from_config({"export_text": "redact"}, environ={})
    assert bad_mode.value.setting == "export_text" and isinstance(bad_mode.value, ValueError)
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


def test_a_new_hash_salt_is_work_for_the_build_gate(monkeypatch: pytest.MonkeyPatch) -> None:
    """A plain `make build` must not skip dbt when only the salt changed (stale hashes)."""
    from agent_threads import build_gate

    monkeypatch.setenv(privacy.HASH_SALT_ENV_VAR, "old salt")
    before = build_gate.project_fingerprint()
    monkeypatch.setenv(privacy.HASH_SALT_ENV_VAR, "new salt")
    assert build_gate.project_fingerprint() != before


# ------------------------------------------------------------- real dbt builds

CLAUDE_SESSION = "5e7c1a2b-3d4f-4a5b-8c6d-7e8f9a0b1c2d"
CODEX_THREAD = "019a0000-aaaa-7bbb-8ccc-000000000001"
CLAUDE_CWD = "/work/clients/acme-private"
CODEX_CWD = "/work/oss/public-tool"


def secrets_block(secrets: dict[str, tuple[str, str]], where: str) -> str:
    return f"{where}:\n" + "\n".join(line for line, _value in secrets.values())


def claude_lines(secrets: dict[str, tuple[str, str]], cwd: str, start: int = 0) -> list[dict]:
    """A Claude Code session: a prompt, a Bash call, its result, an answer; secrets in each."""
    common = {
        "isSidechain": False,
        "userType": "external",
        "cwd": cwd,
        "sessionId": CLAUDE_SESSION,
        "version": "2.1.39",
        "gitBranch": "main",
    }

    def at(second: int) -> str:
        return f"2026-10-01T10:00:{start + second:02d}.000Z"

    usage = {"input_tokens": 5, "cache_read_input_tokens": 0, "output_tokens": 7}
    uuid = [f"00000000-0000-4000-8000-{start + i:012d}" for i in range(4)]
    return [
        {
            **common,
            "parentUuid": None,
            "type": "user",
            "message": {"role": "user", "content": secrets_block(secrets, "my prompt")},
            "uuid": uuid[0],
            "timestamp": at(0),
        },
        {
            **common,
            "parentUuid": uuid[0],
            "type": "assistant",
            "requestId": f"req_{start:04d}",
            "message": {
                "id": f"msg_{start:04d}a",
                "type": "message",
                "role": "assistant",
                "model": "claude-opus-4-6",
                "content": [
                    {"type": "text", "text": "Checking the config."},
                    {
                        "type": "tool_use",
                        "id": f"toolu_{start:04d}",
                        "name": "Bash",
                        "input": {"command": secrets_block(secrets, "tool input")},
                    },
                ],
                "stop_reason": "tool_use",
                "usage": usage,
            },
            "uuid": uuid[1],
            "timestamp": at(1),
        },
        {
            **common,
            "parentUuid": uuid[1],
            "type": "user",
            "message": {
                "role": "user",
                "content": [
                    {
                        "tool_use_id": f"toolu_{start:04d}",
                        "type": "tool_result",
                        "content": secrets_block(secrets, "tool output"),
                        "is_error": False,
                    }
                ],
            },
            "uuid": uuid[2],
            "timestamp": at(2),
        },
        {
            **common,
            "parentUuid": uuid[2],
            "type": "assistant",
            "requestId": f"req_{start:04d}b",
            "message": {
                "id": f"msg_{start:04d}b",
                "type": "message",
                "role": "assistant",
                "model": "claude-opus-4-6",
                "content": [{"type": "text", "text": secrets_block(secrets, "my answer")}],
                "stop_reason": "end_turn",
                "usage": usage,
            },
            "uuid": uuid[3],
            "timestamp": at(3),
        },
    ]


def codex_lines(secrets: dict[str, tuple[str, str]]) -> list[dict]:
    """A Codex thread: a prompt, a shell call, its output, an answer; secrets in each."""

    def item(second: int, kind: str, payload: dict) -> dict:
        return {
            "timestamp": f"2026-10-01T11:00:{second:02d}.000Z",
            "type": kind,
            "payload": payload,
        }

    arguments = json.dumps({"command": ["bash", "-lc", secrets_block(secrets, "tool input")]})
    output = json.dumps({"output": secrets_block(secrets, "tool output"), "metadata": {}})
    return [
        item(
            0,
            "session_meta",
            {
                "id": CODEX_THREAD,
                "timestamp": "2026-10-01T11:00:00.000Z",
                "cwd": CODEX_CWD,
                "originator": "codex_cli_rs",
                "cli_version": "0.58.0",
                "source": "cli",
                "model_provider": "openai",
            },
        ),
        item(
            1,
            "response_item",
            {
                "type": "message",
                "role": "user",
                "content": [{"type": "input_text", "text": secrets_block(secrets, "prompt")}],
            },
        ),
        item(2, "turn_context", {"cwd": CODEX_CWD, "model": "gpt-5.1-codex"}),
        item(
            3,
            "response_item",
            {"type": "function_call", "name": "shell", "arguments": arguments, "call_id": "call_1"},
        ),
        item(
            4,
            "response_item",
            {"type": "function_call_output", "call_id": "call_1", "output": output},
        ),
        item(
            5,
            "response_item",
            {
                "type": "message",
                "role": "assistant",
                "content": [{"type": "output_text", "text": secrets_block(secrets, "answer")}],
            },
        ),
    ]


def write_jsonl(path: Path, lines: list[dict], mode: str = "w") -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, mode) as handle:
        for line in lines:
            handle.write(json.dumps(line, separators=(",", ":")) + "\n")


def claude_file(home: DbtHome) -> Path:
    return home.claude_roots[0] / "-work-clients-acme-private" / f"{CLAUDE_SESSION}.jsonl"


def secrets_home(base: Path, secrets: dict[str, tuple[str, str]], **kwargs) -> DbtHome:
    """A home whose only inputs are the two planted sessions."""
    claude_root, codex_root = base / "claude" / "projects", base / "codex"
    home = DbtHome(base, claude_roots=[claude_root], codex_roots=[codex_root], **kwargs)
    write_jsonl(claude_file(home), claude_lines(secrets, CLAUDE_CWD))
    write_jsonl(
        codex_root / "sessions/2026/10/01" / f"rollout-2026-10-01T11-00-00-{CODEX_THREAD}.jsonl",
        codex_lines(secrets),
    )
    return home


def exported_files(home: DbtHome) -> list[Path]:
    """Every file the export wrote (Parquet files and the manifest)."""
    return sorted(p for p in home.dataset_dir.rglob("*") if p.is_file())


def exported_table(home: DbtHome) -> pa.Table:
    """Every row of the Parquet dataset, with session_id, whatever the layout."""
    tables = []
    for path in sorted((home.dataset_dir / "v6").rglob("*.parquet")):
        table = pq.read_table(path)
        if "session_id" not in table.column_names:  # the session layout: the folder name
            key, value = path.parent.name.split("=", 1)
            assert key == "session_id"
            table = table.append_column("session_id", pa.array([value] * len(table)))
        tables.append(table.select(sorted(table.column_names)))
    return pa.concat_tables(tables) if tables else pa.table({"session_id": pa.array([], "str")})


def found_in_bytes(home: DbtHome, values: list[str]) -> set[str]:
    data = [p.read_bytes() for p in exported_files(home)]
    return {v for v in values if any(v.encode() in blob for blob in data)}


def found_in_rows(table: pa.Table, values: list[str]) -> set[str]:
    found = set()
    for name in table.column_names:
        column = table.column(name)
        if not pa.types.is_string(column.type):
            continue
        for value in values:
            if pc.any(pc.match_substring(column, value)).as_py():
                found.add(value)
    return found


def file_schemas(home: DbtHome) -> set[pa.Schema]:
    return {
        pq.read_schema(p).remove_metadata() for p in (home.dataset_dir / "v6").rglob("*.parquet")
    }


def kept_in_duckdb(home: DbtHome, values: list[str]) -> set[str]:
    with duckdb.connect(str(home.db_path), read_only=True) as con:
        return {
            v
            for v in values
            if con.execute(
                "select count(*) from messages where contains(text, $1) or contains(content, $1)",
                [v],
            ).fetchone()[0]
            # prompt, tool input, tool output and answer of both sessions
            >= 8
        }


@pytest.mark.slow
@pytest.mark.dbt
def test_switching_on_scrubbing_rewrites_every_file_and_no_secret_survives(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    secrets = planted_secrets(7)
    values = secret_values(secrets)
    home = secrets_home(tmp_path, secrets)

    # control: without scrubbing the files hold every secret, as bytes and as values,
    # so the searches below can fail
    home.build(vars={"export_scrub_secrets": False})
    assert found_in_bytes(home, values) == set(values)
    assert found_in_rows(exported_table(home), values) == set(values)
    unscrubbed_schemas = file_schemas(home)
    assert len(unscrubbed_schemas) == 1

    # the owner switches scrubbing on (the default): the next build rewrites every file
    home.build()
    assert found_in_bytes(home, values) == set()
    table = exported_table(home)
    assert table.num_rows == home.scalar("select count(*) from messages")
    assert found_in_rows(table, values) == set()
    markers = set()
    for text in table.column("text").to_pylist() + table.column("content").to_pylist():
        markers.update(m.split("]")[0] for m in (text or "").split("[REDACTED:")[1:])
    assert markers == set(secrets)  # each kind redacted by its own pattern
    for content in table.column("content").drop_null().to_pylist():
        json.loads(content)  # scrubbed JSON is still JSON
    # the database keeps the originals for the owner
    assert kept_in_duckdb(home, values) == set(values)
    assert file_schemas(home) == unscrubbed_schemas
    manifest = json.loads((home.dataset_dir / "manifest.json").read_text())
    assert manifest["privacy"]["scrub_secrets"] is True
    assert set(manifest["privacy"]["secret_patterns"]) == set(secrets)
    assert home.scalar("select count(distinct export_settings_id) from dataset_partitions") == 1

    # hash text, drop tool I/O, with a salt: hashes of the scrubbed text, same schema
    salt = "test-salt-" + rand(random.Random(3), 20)
    monkeypatch.setenv(privacy.HASH_SALT_ENV_VAR, salt)  # the build's environment
    home.build(vars={"export_text": "hash", "export_tool_io": "drop"})
    assert found_in_bytes(home, [*values, salt]) == set()
    assert file_schemas(home) == unscrubbed_schemas
    with duckdb.connect(str(home.db_path), read_only=True) as con:
        originals = {
            row[0]: row[1:]
            for row in con.sql(
                "select message_id, message_kind, tool_name, text, content from messages"
            ).fetchall()
        }
    exported = exported_table(home).to_pylist()
    assert len(exported) == len(originals)
    for row in exported:
        kind, tool_name, text, content = originals[row["message_id"]]
        if kind in ("tool_call", "tool_result"):
            assert row["text"] is None and row["content"] is None
            continue
        assert row["text"] == (None if text is None else sha(scrub(text), salt))
        expected = None if content is None or tool_name else sha(scrub(content), salt)
        assert row["content"] == expected
    manifest = json.loads((home.dataset_dir / "manifest.json").read_text())
    assert manifest["privacy"]["hash_algorithm"] == "hmac-sha256"
    assert (manifest["privacy"]["text"], manifest["privacy"]["tool_io"]) == ("hash", "drop")


@pytest.mark.slow
@pytest.mark.dbt
@pytest.mark.parametrize("layout", ["session", "bucketed"])
def test_excluded_projects_are_left_out_and_their_old_files_removed(
    tmp_path: Path, layout: str
) -> None:
    secrets = planted_secrets(11)
    home = secrets_home(
        tmp_path, secrets, extra_vars={"dataset_layout": layout, "dataset_buckets": 64}
    )
    home.build()
    assert set(exported_table(home).column("session_id").to_pylist()) == {
        CLAUDE_SESSION,
        CODEX_THREAD,
    }
    files_before = list((home.dataset_dir / "v6").rglob("*.parquet"))
    assert len(files_before) == 2

    # exclude the Codex project (a settings change): its files go, the Claude session stays
    exclude = {"export_exclude_cwd": ["/work/oss/*"]}
    home.build(vars=exclude)
    assert set(exported_table(home).column("session_id").to_pylist()) == {CLAUDE_SESSION}
    assert len(list((home.dataset_dir / "v6").rglob("*.parquet"))) == 1
    log = dict(home.query("select session_id, is_exported from dataset_partitions"))
    assert log == {CLAUDE_SESSION: True, CODEX_THREAD: False}
    assert home.scalar(
        f"select partition_path is null and row_count = 0 from dataset_partitions "
        f"where session_id = '{CODEX_THREAD}'"
    )
    manifest = json.loads((home.dataset_dir / "manifest.json").read_text())
    assert manifest["rows"] == exported_table(home).num_rows
    assert manifest["privacy"]["exclude_cwd_patterns"] == 1
    assert "/work/oss" not in (home.dataset_dir / "manifest.json").read_text()
    # the database keeps the excluded session
    assert home.scalar(f"select count(*) from messages where session_id = '{CODEX_THREAD}'") > 0

    # the Claude session later works in an excluded folder (same settings, incremental):
    # its partition is removed too
    write_jsonl(
        claude_file(home), claude_lines(secrets, "/work/oss/public-tool/sub", start=10), "a"
    )
    home.build(vars=exclude)
    assert not list((home.dataset_dir / "v6").rglob("*.parquet"))
    assert dict(home.query("select session_id, is_exported from dataset_partitions")) == {
        CLAUDE_SESSION: False,
        CODEX_THREAD: False,
    }
    assert json.loads((home.dataset_dir / "manifest.json").read_text())["rows"] == 0

    # and the exclusion lifted: everything is back
    home.build()
    assert set(exported_table(home).column("session_id").to_pylist()) == {
        CLAUDE_SESSION,
        CODEX_THREAD,
    }


@pytest.mark.slow
@pytest.mark.dbt
def test_a_log_written_before_the_privacy_settings_is_upgraded_and_every_file_rewritten(
    tmp_path: Path,
) -> None:
    secrets = planted_secrets(13)
    values = secret_values(secrets)
    home = secrets_home(tmp_path, secrets)
    home.build(vars={"export_scrub_secrets": False})
    assert found_in_bytes(home, values) == set(values)
    # what a 0.6.0 build left: the log without the two columns the settings brought
    with duckdb.connect(str(home.db_path)) as con:
        con.execute("alter table dataset_partitions drop column export_settings_id")
        con.execute("alter table dataset_partitions drop column is_exported")
    # even with the same (unscrubbed) settings: unknown settings, so every file again
    files = {p: p.stat().st_mtime_ns for p in (home.dataset_dir / "v6").rglob("*.parquet")}
    home.build(vars={"export_scrub_secrets": False})
    assert all(p.stat().st_mtime_ns != mtime for p, mtime in files.items())
    assert home.query(
        "select count(*), count(export_settings_id), bool_and(is_exported) from dataset_partitions"
    ) == [(2, 2, True)]
    home.build()  # and the default settings (scrubbing) take effect
    assert found_in_bytes(home, values) == set()
