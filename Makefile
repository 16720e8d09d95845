# The README's commands. Every target runs from the project root and keeps its
# environment in .venv; `dbt build` does the actual work. `make help` lists them.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export DBT_PROFILES_DIR := $(CURDIR)
export DBT_PROJECT_DIR := $(CURDIR)
# passed to the recipes through the environment, so their quoting survives verbatim
export DBT_ARGS
export Q
export REPORT_ARGS
export BENCH_ARGS
DB := $(or $(AGENT_THREADS_DB),data/agent_threads.duckdb)
DATASET := $(or $(AGENT_THREADS_DATASET_DIR),data/dataset)

.PHONY: help build sql docs report test check gates lint bench clean env soak

## help: list the targets
help:
	@sed -n 's/^## //p' $(MAKEFILE_LIST)

$(STAMP): requirements.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.txt
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $(STAMP)

## env: create .venv with the pinned dependencies (every other target does it first)
env: $(STAMP)

## build: build the dataset: the bundled samples, or your roots (CLAUDE_ROOTS=... CODEX_ROOTS=...,
##        remembered for the next builds); skips dbt when nothing changed; DBT_ARGS='...' passes
##        arguments to `dbt build` (e.g. DBT_ARGS=--full-refresh). ENGINE=spark builds on a local
##        Spark session instead (Java 17; docs/spark.md): the SQL models, the Python models'
##        Spark halves, then the models that read them, in data/spark
ENGINE ?= duckdb
build: $(STAMP)
ifeq ($(ENGINE),duckdb)
	@$(BIN)/python -m agent_threads.build
else ifeq ($(ENGINE),spark)
	$(BIN)/dbt build --target spark $$DBT_ARGS
	$(BIN)/python -m agent_threads.spark
	$(BIN)/dbt build --target spark --vars '{spark_python_tables: true}' $$DBT_ARGS \
		--select int_messages_projected+ int_sessions_settled+ \
		--exclude int_messages_projected int_sessions_settled
else
	$(error ENGINE must be duckdb or spark, not $(ENGINE))
endif

## sql: a SQL prompt on the database (pinned DuckDB, read-only); Q="select ..." runs one query
sql: $(STAMP)
	@if [ -n "$$Q" ]; then $(BIN)/python -m agent_threads.sql_shell -c "$$Q"; \
	else $(BIN)/python -m agent_threads.sql_shell; fi

## docs: build, then the docs site: one self-contained target/static_index.html
docs: build
	$(BIN)/dbt docs generate --static

## report: build, then the static report: target/report/index.html (offline, from file://; no
##         message text; REPORT_ARGS=--include-prompts adds prompts for your own use,
##         REPORT_TIME_ZONE=Europe/Paris sets the days' zone)
report: build
	@$(BIN)/python -m agent_threads.report $$REPORT_ARGS

## test: the tests a maintainer runs often (under 6 minutes here): lint gates, types (mypy),
##       dbt parse, then every pytest test not marked slow, in TEST_WORKERS processes
##       (default 2; TEST_WORKERS=0 runs them in this one)
## check: every test (what CI runs): the same gates, then every pytest test, slow ones included
##        (the Spark engine, the file-life scenarios and state machine, fault injection)
TEST_WORKERS ?= 2
PYTEST = $(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadfile --durations=15
test: gates
	$(PYTEST) -m "not slow" $(PYTEST_ARGS)

check: gates
	$(PYTEST) $(PYTEST_ARGS)

## gates: the checks before pytest: ruff (lint, format), sqlfluff, mypy, dbt parse
gates: $(STAMP)
	$(BIN)/ruff check src tests scripts models bench lint
	$(BIN)/ruff format --check src tests scripts models bench lint
	$(BIN)/sqlfluff lint --processes 0 models macros analyses tests/singular src/agent_threads/report
	$(BIN)/mypy src/agent_threads
	$(BIN)/dbt parse --quiet

## soak: the file-life state machine (tests/python/test_file_life_stateful.py) for
## SOAK_MINUTES minutes (default 30): random appends, half lines, rewrites, truncations,
## moves, archives, copies, deletions and killed builds, each build compared with a clean
## one. Prints its figures (examples, steps, builds, rows compared) at the end.
SOAK_MINUTES ?= 30
soak: $(STAMP)
	AGENT_THREADS_SOAK=$(SOAK_MINUTES) $(BIN)/python -m pytest -s -q -x \
		tests/python/test_file_life_stateful.py $(PYTEST_ARGS)

## bench: the benchmark (generated 100 MB and 1 GB corpora, real-shaped 100 MB and 500 MB ones,
##        under /tmp; writes BENCHMARKS.md); the 5 GB one: BENCH_ARGS='--real-size 5GB' adds it
bench: $(STAMP)
	$(BIN)/python bench/run_benchmark.py --size 100MB --size 1GB --real-size 100MB \
		--real-size 500MB $$BENCH_ARGS

## lint: the lint gates alone (ruff, sqlfluff)
lint: $(STAMP)
	$(BIN)/ruff check src tests scripts models bench lint
	$(BIN)/sqlfluff lint models macros analyses tests/singular src/agent_threads/report

## clean: delete the database, its remembered roots, the Parquet dataset, target/ and logs/
##        (never your logs, nor .venv); the next build starts over from the log files
clean:
	rm -rf target logs "$(DATASET)"
	rm -f "$(DB)" "$(DB).wal" "$(DB).build-lock" "$(basename $(DB)).roots.json"
