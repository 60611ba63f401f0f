# baocao: two commands for a newcomer.
#   make book   build the data and the book from the shipped reports
#   make test   run the whole test suite (unit, integration, notebooks, book, browser)
SHELL := /bin/bash
.SHELLFLAGS := -eo pipefail -c
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
JOBS ?= 2

.PHONY: book test data html lab install system-deps bench eval lint lock clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): $(BIN)/python pyproject.toml requirements.lock
	$(BIN)/pip install --quiet -r requirements.lock
	$(BIN)/pip install --quiet --no-deps -e .
	touch $(STAMP)

install: $(STAMP)

system-deps:
	bash scripts/system-deps.sh

data: install
	$(BIN)/baocao build --jobs $(JOBS)

# Sphinx and jupyter-cache re-run a notebook only when its code changes: drop doctrees and
# cached outputs when anything else the notebooks read has changed (the data, the
# chart and book library, the sidecars; see src/baocao/book/inputs.py, which the book
# tests call too).
html: data
	$(BIN)/python -m baocao.book.inputs .
	PATH="$(abspath $(BIN)):$$PATH" $(BIN)/jupyter-book build . -W -n --keep-going

book: html
	@echo "Book: $(abspath _build/html/index.html)"

# JupyterLab (not part of the pinned environment: installed on first use) on the chapters
lab: data
	$(BIN)/python -c "import jupyterlab" 2>/dev/null || $(BIN)/pip install --quiet "jupyterlab>=4"
	PATH="$(abspath $(BIN)):$$PATH" $(BIN)/jupyter lab notebooks/

test: install system-deps
	PATH="$(abspath $(BIN)):$$PATH" $(BIN)/ruff check src tests benchmarks
	PATH="$(abspath $(BIN)):$$PATH" $(BIN)/python -m pytest

bench: install system-deps
	PATH="$(abspath $(BIN)):$$PATH" $(BIN)/python benchmarks/run.py

eval: install
	$(BIN)/python benchmarks/eval.py

lint: install
	$(BIN)/ruff check src tests benchmarks

lock: $(BIN)/python
	{ echo "# Exact pins of the environment baocao is built and tested with (pip freeze, Python 3.11)."; \
	  echo "# Regenerate with: make lock"; \
	  $(BIN)/pip freeze --exclude-editable | grep -v -i '^baocao'; } > requirements.lock

clean:
	rm -rf _build data/processed/*.csv data/processed/*.parquet data/processed/*.json \
		data/processed/dictionary.md data/processed/.builds
