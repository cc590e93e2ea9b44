# Two entry points for a fresh machine: `make demo` and `make test`. Everything they need, they install.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test install model lint typecheck schemas bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# llama-cpp-python ships as source only: it is compiled once per machine (~8 min on 2 cores) into a wheel kept under
# the cache folder, which every later install (any clone) reuses. Built for AVX2, not natively: the native build uses
# AMX, which these CPUs list but fault on (a general protection fault in libggml-cpu on the first completion).
LLAMA_VERSION := 0.3.36
LLAMA_CMAKE := -DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON -DGGML_AVX512=OFF \
	-DGGML_AMX_TILE=OFF -DGGML_AMX_INT8=OFF -DGGML_AMX_BF16=OFF
WHEELS := $(HOME)/.cache/summarizer/wheels/llama-avx2-$(LLAMA_VERSION)
LLAMA_WHEEL := $(WHEELS)/llama_cpp_python-$(LLAMA_VERSION)-py3-none-linux_x86_64.whl

$(LLAMA_WHEEL): | $(BIN)/python
	CMAKE_ARGS="$(LLAMA_CMAKE)" $(BIN)/pip wheel --quiet --no-deps --no-cache-dir --no-binary llama-cpp-python \
		-w $(WHEELS) llama-cpp-python==$(LLAMA_VERSION)

$(STAMP): $(BIN)/python pyproject.toml $(LLAMA_WHEEL)
	$(BIN)/pip install --quiet --progress-bar off --find-links $(WHEELS) -e '.[local,html,dev]'
	$(BIN)/pip install --quiet --no-deps --force-reinstall $(LLAMA_WHEEL)
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
