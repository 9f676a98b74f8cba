# The two commands the README shows: `make demo` and `make test`.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[test]"
	touch $@

.PHONY: demo test lint typecheck docs
demo: $(VENV)/.installed
	@# Exit code 1 means "findings reported", which is the point of the demo.
	$(VENV)/bin/schemalint examples/org-archivist; test $$? -le 1

lint: $(VENV)/.installed
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

typecheck: $(VENV)/.installed
	$(PY) tools/typecheck.py

docs: $(VENV)/.installed
	$(PY) -m schemalint.docs
	$(PY) -m schemalint.config_schema

test: lint typecheck $(VENV)/.installed
	$(PY) -m schemalint.docs --check
	$(PY) -m schemalint.config_schema --check
	$(PY) -m pytest -q
