# Two entry points for a fresh machine: `make demo` and `make test`. Everything they need, they install.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test install model lint typecheck schemas bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# llama-cpp-python ships as source only: the first install compiles it (~8 min on 2 cores), later ones reuse pip's cache.
$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet --progress-bar off -e '.[local,html,dev]'
	touch $(STAMP)

install: $(STAMP)

model: install
	$(BIN)/summarizer model install

# The CLI shows a spinner while the model works; examples/brief.py does the same through the Python API.
demo: model
	$(BIN)/summarizer brief examples/articles/seed_000_newslooks.txt --published 2025-04-18 --source AP

lint: install
	$(BIN)/ruff check summarizer tests examples bench
	$(BIN)/ruff format --check summarizer

typecheck: install
	$(BIN)/mypy

schemas: install
	$(BIN)/python -m summarizer.schema_export

test: model
	$(BIN)/ruff check summarizer tests examples bench
	$(BIN)/mypy
	$(BIN)/pytest

bench: model
	$(BIN)/python bench/brief_latency.py
	$(BIN)/python bench/bump.py

clean:
	rm -rf $(VENV) dist build .pytest_cache .mypy_cache .ruff_cache
