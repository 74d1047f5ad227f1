# Two commands for a newcomer: `make serve` and `make test`. Both create/refresh .venv themselves.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
HOST   ?= 0.0.0.0
PORT   ?= 8866
CLASS  ?=
PYTEST_ARGS ?=

.PHONY: serve lint test benchmark check clean

# Reinstall whenever pyproject.toml (or the Jupyter settings lessonkit/lab.py installs) changes; the stamp
# records which extras were installed.
$(VENV)/.installed-base: pyproject.toml lessonkit/lab.py
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e .
	$(PY) -m lessonkit.lab --install
	touch $@

$(VENV)/.installed-test: pyproject.toml lessonkit/lab.py
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	$(PY) -m lessonkit.lab --install
	touch $@ $(VENV)/.installed-base

serve: $(VENV)/.installed-base
	$(VENV)/bin/lessonkit serve --host $(HOST) --port $(PORT) $(if $(CLASS),--class-code $(CLASS))

# axe-core for the accessibility browser tests and configurable-http-proxy for the JupyterHub test (pinned in
# package.json); reinstalled when the pins change. Without npm those tests skip locally and fail under CI=true,
# like the ones that need Chromium.
node_modules/.installed: package.json package-lock.json
	@if command -v npm >/dev/null; then npm ci --no-audit --no-fund && touch $@; \
	else echo "npm not found: the accessibility and JupyterHub browser tests will be skipped"; fi

# Fast checks first: a style or type error fails `make test` in seconds, before the long pytest run.
lint: $(VENV)/.installed-test
	$(PY) -m ruff check lessonkit tests benchmarks
	$(PY) -m mypy lessonkit

test: lint $(VENV)/.installed-test node_modules/.installed
	$(PY) -m pytest $(PYTEST_ARGS)

check: $(VENV)/.installed-base
	$(VENV)/bin/lessonkit check data/

benchmark: $(VENV)/.installed-test
	$(PY) benchmarks/page_load.py

clean:
	rm -rf $(VENV) .pytest_cache
