# Broadsheet: `make serve` starts the site, `make test` runs the tests.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
UV := $(VENV)/bin/uv
HOST ?= 127.0.0.1
PORT ?= 8000
WORKERS ?= 2
THREADS ?= 4
TEST_WORKERS ?= auto
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := $(VENV)

.PHONY: serve test install lint format typecheck bench clean

# The virtual environment, with uv to install from the lock file (Python 3.12+, see .python-version).
$(UV):
	@python=$$(command -v python3.12 || command -v python3.13 || command -v python3); \
	"$$python" -c 'import sys; sys.exit(sys.version_info < (3, 12))' || \
	  { echo "Broadsheet needs Python 3.12 or newer; $$python is $$($$python --version)." >&2; exit 1; }; \
	"$$python" -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check uv==0.13.9

install: $(UV)
	@$(UV) sync --frozen --quiet

serve: install
	@HOST=$(HOST) PORT=$(PORT) WORKERS=$(WORKERS) THREADS=$(THREADS) exec $(PY) -m broadsheet.config.serve --demo

# Tests run on every core (pytest-xdist); TEST_WORKERS=0 runs them in one process.
test: install
	@$(VENV)/bin/pytest -n $(TEST_WORKERS) --dist loadfile

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

typecheck: install
	$(VENV)/bin/mypy

# Load tests against a running `make serve` (same HOST and PORT); see bench/thread_bench.py.
bench: install
	$(PY) bench/thread_bench.py --url http://$(HOST):$(PORT)

clean:
	rm -rf $(VENV) var
