# The README's commands. Every target runs from the project root and keeps its
# environment in .venv; `dbt build` does the actual work.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export DBT_PROFILES_DIR := $(CURDIR)
export DBT_PROJECT_DIR := $(CURDIR)
# passed to the build recipe through the environment, so its quoting survives verbatim
export DBT_ARGS

.PHONY: build test lint docs bench clean env

$(STAMP): requirements.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.txt
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $(STAMP)

env: $(STAMP)

## build: build the dataset (bundled sample logs unless CLAUDE_ROOTS / CODEX_ROOTS are set).
## A plain `make build` first asks the build gate (src/agent_threads/build_gate.py) whether
## anything changed since the last successful plain build (new log bytes, a session due to
## settle, the project or its env); if not, it says so and skips dbt. Any DBT_ARGS, or
## `dbt build` run directly, always runs the whole graph.
DB := $(or $(AGENT_THREADS_DB),data/agent_threads.duckdb)
build: $(STAMP)
	@mkdir -p $(dir $(DB))
	@flock --nonblock --conflict-exit-code 75 "$(DB).build-lock" sh -c '\
		if [ -z "$$DBT_ARGS" ] && $(BIN)/python -m agent_threads.build_gate check; then exit 0; fi; \
		eval "$(BIN)/dbt build $$DBT_ARGS" || exit $$?; \
		if [ -z "$$DBT_ARGS" ]; then $(BIN)/python -m agent_threads.build_gate record; fi'; \
	status=$$?; \
	if [ $$status -eq 75 ]; then \
		echo "another build is already running on $(DB): wait for it to finish, then run make build again" >&2; \
	fi; \
	exit $$status

## test: every test: lint gates, dbt parse, pytest (real dbt runs included)
test: $(STAMP)
	$(BIN)/ruff check src tests scripts models bench lint
	$(BIN)/ruff format --check src tests scripts models bench lint
	$(BIN)/sqlfluff lint models macros analyses tests/singular
	$(BIN)/dbt parse --quiet
	$(BIN)/python -m pytest $(PYTEST_ARGS)

## docs: build the dataset (for the catalog), then one self-contained target/static_index.html
docs: build
	$(BIN)/dbt docs generate --static

## bench: the benchmark (generates 100 MB and 1 GB corpora under /tmp; writes BENCHMARKS.md)
bench: $(STAMP)
	$(BIN)/python bench/run_benchmark.py --size 100MB --size 1GB

lint: $(STAMP)
	$(BIN)/ruff check src tests scripts models bench lint
	$(BIN)/sqlfluff lint models macros analyses tests/singular

clean:
	rm -rf target logs data/agent_threads.duckdb data/dataset
