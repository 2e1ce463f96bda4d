# Two commands matter: `make demo` sets everything up and opens the built-in demo;
# `make test` sets everything up and runs the formatter check, the linter, the type
# checker and the whole test suite. Both are safe to run again.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: demo test check unit slow bench clean

demo: $(STAMP)
	$(BIN)/watchdeck

test: $(STAMP) system-packages check
	$(BIN)/pytest -q -p no:cacheprovider

check: $(STAMP)
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	$(BIN)/mypy

unit: $(STAMP)
	$(BIN)/pytest -q -m "not slow"

slow: $(STAMP) system-packages
	$(BIN)/pytest -q -m slow

bench: $(STAMP)
	bash bench/install_peers.sh
	$(BIN)/python -m bench.terminal_cost --markdown

system-packages:
	bash scripts/install-system-packages.sh

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache
