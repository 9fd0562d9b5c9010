# bluelamp: the two commands a newcomer needs are `make demo` and `make test`.
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin

.PHONY: demo test lint install clean

$(BIN)/bluelamp: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(BIN)/bluelamp

install: $(BIN)/bluelamp

## Install, build a demo force on SQLite, print the sign-ins and serve http://127.0.0.1:8000
demo: install
	BLUELAMP_ENVIRONMENT=development $(BIN)/bluelamp demo --serve

## Lint, then the whole suite on SQLite and on a throwaway PostgreSQL 15 (see scripts/test.sh)
test: install
	scripts/test.sh

lint: install
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

clean:
	rm -rf $(VENV) var
