# armskb — two commands on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STORE  ?= armskb-data

.PHONY: demo test test-fast venv venv-test bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(VENV)/.installed $@

venv: $(VENV)/.installed
venv-test: $(VENV)/.installed-test

demo: venv
	$(BIN)/armskb ingest --store $(STORE) examples/seed-fr-sputnik-2021-10-11.txt
	$(BIN)/armskb transfers --store $(STORE) --seller Russia --buyer Serbia
	$(BIN)/armskb dump --store $(STORE) -o armskb.ttl

test: venv-test
	$(BIN)/python -m pytest -q

# the quick loop (< 90 s): unit and regression tests, no server processes, no ../shared data, nothing marked slow
test-fast: venv-test
	$(BIN)/python -m pytest -q -m 'not server and not shared and not slow' tests/unit tests/regressions

BENCH_ARGS ?= --size 1 --size 10
bench: venv
	$(BIN)/python bench/run.py $(BENCH_ARGS) --out BENCHMARKS.md

clean:
	rm -rf $(VENV) $(STORE) armskb.ttl .pytest_cache
