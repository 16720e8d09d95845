"""Jinja context for sqlfluff's jinja templater (`library_path` in .sqlfluff).

Models call the project's macros by their dbt namespace (`agent_threads.parse_json_object`),
which sqlfluff's own macro loading cannot resolve. This exposes the real macros from
macros/ under that name, rendered the way dbt-duckdb renders them: `adapter.dispatch`
picks `duckdb__<name>`, else `default__<name>`; `return()` returns a value. Lint only:
dbt never imports this. Anything else a macro needs is an error here (StrictUndefined),
so a macro that outgrows this context fails the lint loudly instead of linting wrong SQL.
"""

import json as _json
from pathlib import Path as _Path

import jinja2 as _jinja2
from jinja2.runtime import Macro as _Macro
from sqlfluff.core.templaters.jinja import DBTTestExtension as _DBTTestExtension

_PROJECT = "agent_threads"
_MACRO_DIR = _Path(__file__).resolve().parents[2] / "macros"


class _Return(Exception):
    def __init__(self, value):
        super().__init__()
        self.value = value


def _return(value):
    raise _Return(value)


def _tojson(value, default=None, sort_keys=False):
    # dbt's BaseContext.tojson
    try:
        return _json.dumps(value, sort_keys=sort_keys)
    except ValueError:
        return default


class _Namespace:
    """The project's macros as attributes: `agent_threads.<macro>(...)`."""

    def __init__(self):
        self._macros = {}

    def __getattr__(self, name):
        try:
            return self._macros[name]
        except KeyError:
            raise AttributeError(f"no macro {_PROJECT}.{name} in {_MACRO_DIR}") from None


class _Adapter:
    def __init__(self, namespace):
        self._namespace = namespace

    def dispatch(self, macro_name, macro_namespace=None):
        for prefix in ("duckdb__", "default__"):
            if prefix + macro_name in self._namespace._macros:
                return self._namespace._macros[prefix + macro_name]
        raise AttributeError(f"no duckdb__ or default__ implementation of {macro_name}")


def _wrap(macro):
    def call(*args, **kwargs):
        try:
            return macro(*args, **kwargs)
        except _Return as returned:
            return returned.value

    return call


def _load():
    namespace = _Namespace()
    env = _jinja2.Environment(
        undefined=_jinja2.StrictUndefined,
        extensions=["jinja2.ext.do", _DBTTestExtension],
        keep_trailing_newline=True,
    )
    env.globals.update(
        {
            _PROJECT: namespace,
            "adapter": _Adapter(namespace),
            "return": _return,
            "tojson": _tojson,
            # dbt builtins the macros' DuckDB bodies call (rendered as dbt-duckdb would)
            "ref": lambda name, *args, **kwargs: name,
            # a var's default, as dbt gives it when the var is not set (analyses' time_zone)
            "var": lambda name, default="": default,
            # as sqlfluff's own dbt builtins render them in a model (an incremental run)
            "is_incremental": lambda: True,
            "this": "this",
        }
    )
    for path in sorted(_MACRO_DIR.rglob("*.sql")):
        module = env.from_string(path.read_text()).module
        for name, value in vars(module).items():
            if isinstance(value, _Macro):
                namespace._macros[name] = _wrap(value)
    return namespace


class _Target:
    """dbt's `target` as on the DuckDB target (models branch on target.type)."""

    type = "duckdb"
    name = "duckdb"
    schema = "main"


agent_threads = _load()
target = _Target()


class _Model:
    """dbt's `model` for a versioned model: its version, as dbt renders it (lint only)."""

    version = "1"


model = _Model()
