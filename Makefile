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

.PHONY: book test data html install system-deps bench lint lock clean

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
# cached outputs when the data (or chart style) the notebooks read has changed
# (tests/test_book.py does the same).
NOTEBOOK_INPUTS := data/processed/observations.parquet data/processed/audit.csv CITATION.cff \
	benchmarks/results/latest.md src/baocao/publish/charts.py

html: data
	@mkdir -p _build; sum=$$($(BIN)/python -c 'import hashlib,pathlib,sys; h=hashlib.sha256(); [h.update(n.encode()+(pathlib.Path(n).read_bytes() if pathlib.Path(n).is_file() else b"-")) for n in sys.argv[1:]]; print(h.hexdigest())' $(NOTEBOOK_INPUTS)); \
	if [ "$$(cat _build/.notebook-inputs.sha256 2>/dev/null)" != "$$sum" ]; then rm -rf _build/.jupyter_cache _build/.doctrees; echo "$$sum" > _build/.notebook-inputs.sha256; fi
	PATH="$(abspath $(BIN)):$$PATH" $(BIN)/jupyter-book build . -W -n --keep-going

book: html
	@echo "Book: $(abspath _build/html/index.html)"

test: install system-deps
	PATH="$(abspath $(BIN)):$$PATH" $(BIN)/ruff check src tests benchmarks
	PATH="$(abspath $(BIN)):$$PATH" $(BIN)/python -m pytest

bench: install system-deps
	PATH="$(abspath $(BIN)):$$PATH" $(BIN)/python benchmarks/run.py

lint: install
	$(BIN)/ruff check src tests benchmarks

lock: $(BIN)/python
	{ echo "# Exact pins of the environment baocao is built and tested with (pip freeze, Python 3.11)."; \
	  echo "# Regenerate with: make lock"; \
	  $(BIN)/pip freeze --exclude-editable | grep -v -i '^baocao'; } > requirements.lock

clean:
	rm -rf _build data/processed/*.csv data/processed/*.parquet data/processed/*.json \
		data/processed/dictionary.md data/processed/.builds
