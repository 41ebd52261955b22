# Builds the "Konstruktiv uro" report from data/raw with one command.
# `make report` calls `python -m pipeline build`, which reruns a stage only when the content
# of its inputs, its code or its parameters changed (DESIGN.md sections 1 and 7).

SHELL := /bin/bash
.DEFAULT_GOAL := help
.DELETE_ON_ERROR:

PYTHON_SYSTEM ?= python3
VENV := .venv
PY := $(VENV)/bin/python
VENV_STAMP := $(VENV)/.installed-from-lock
# What every target needs set up first; the end-to-end tests build a copy of the project
# with the venv already in place and pass SETUP= so the copy never reinstalls it.
SETUP ?= $(VENV_STAMP)

# Edition and analysis parameters (see README). The edition date defaults to today, written
# out so that a new day is a changed parameter and the edition label never goes stale.
AS_OF ?= $(shell date +%F)
COHORTS ?= all
PARAMS ?=
RENDERER ?= auto
BASELINE ?=

# Run in this folder, whatever folder the venv's editable install points at (a copy made
# with cp -a builds into itself).
export PIPELINE_ROOT := $(CURDIR)
export PYTHONHASHSEED := 0
export MPLBACKEND := Agg

.PHONY: help report test test-fast test-quarto lint lock lab clean distclean validate render preview hooks decrypt profiles profile profiles-list

help: ## list the targets
	@grep -hE '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'
	@echo "  Variables:"
	@echo "    AS_OF=YYYY-MM-DD      the edition's data date (default today; a later date needs PARAMS='-p allow_future true')"
	@echo "    COHORTS=all|0-7,9     which kull the edition covers (default all)"
	@echo "    PARAMS='-p NAME VALUE ...'  more notebook parameters, e.g. -p min_respondents 4"
	@echo "    RENDERER=auto|quarto|builtin  auto = Quarto when on PATH, else the built-in renderer"
	@echo "    BASELINE=path/to/build-manifest.json  compare the change summary with this build"

$(VENV_STAMP): requirements.lock pyproject.toml
	@echo "[setup] creating $(VENV) from requirements.lock"
	@test -x $(PY) || $(PYTHON_SYSTEM) -m venv $(VENV)
	@$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.lock
	@$(PY) -m pip install --quiet --disable-pip-version-check --no-deps -e .
	@$(MAKE) --no-print-directory hooks
	@touch $@

hooks: ## use the repository's git hooks (.githooks/: refuses real data in the clear)
	@if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then \
	  git config core.hooksPath .githooks && echo "[setup] git hooks: .githooks (core.hooksPath)"; fi

NODE_STAMP := tests/quality/node_modules/.installed-from-lock
$(NODE_STAMP): tests/quality/package-lock.json
	@echo "[setup] installing the quality-gate tools from tests/quality/package-lock.json"
	@npm ci --prefix tests/quality --no-audit --no-fund --silent
	@touch $@

# Which stages are stale is decided by content inside the package (DESIGN.md section 7), so
# `make report` and `python -m pipeline build` behave alike and mtimes never matter.
report: $(SETUP) ## build data → statistics → figures → _book/ (HTML + PDF) + manifest, as needed
	@$(PY) -m pipeline build --project $(CURDIR) -p as_of $(AS_OF) -p cohorts $(COHORTS) $(PARAMS) \
		--renderer $(RENDERER) $(if $(BASELINE),--baseline $(BASELINE))

profiles: $(SETUP) ## every group's confidential profile → _profiles/kull-NN/<group_id>.pdf (changed groups only)
	@$(PY) -m pipeline profiles -p as_of $(AS_OF) -p cohorts $(COHORTS) $(PARAMS)

profile: $(SETUP) ## one group's profile: make profile GROUP=ID (ids: make profiles-list)
	@$(PY) -m pipeline profiles -p as_of $(AS_OF) -p cohorts $(COHORTS) $(PARAMS) --group "$(GROUP)"

profiles-list: $(SETUP) ## list the group ids that get a profile in this edition
	@$(PY) -m pipeline profiles -p as_of $(AS_OF) -p cohorts $(COHORTS) $(PARAMS) --list

validate: $(SETUP) ## check data/raw against the contract and list every problem
	@$(PY) -m pipeline validate data/raw

decrypt: $(SETUP) ## decrypt the encrypted (real) cohorts into data/decrypted/ (needs the key)
	@$(PY) -m pipeline decrypt data/raw

render: $(SETUP) ## render the book again from what report/_generated holds
	@$(PY) -m pipeline provenance
	@$(PY) -m pipeline render --renderer $(RENDERER)

PORT ?= 4848
preview: $(SETUP) ## serve the HTML book on 127.0.0.1:$(PORT), re-rendered on every edit (Ctrl-C ends)
	@$(PY) -m pipeline preview --renderer $(RENDERER) --port $(PORT)

# Two pytest workers, given whole xdist groups (tests/conftest.py): the tests on the built
# copy of the project go to one worker first, which builds the copy once for all of them,
# while the other runs the rest module by module, largest first (hence no reorder).
PYTEST_WORKERS ?= 2
PYTEST_DIST := -n $(PYTEST_WORKERS) --dist loadgroup --no-loadscope-reorder
test: $(SETUP) $(NODE_STAMP) ## set up and run ruff + the whole test suite but the Quarto lane (< 4 min)
	@$(VENV)/bin/ruff check .
	@$(PY) -m pytest -q $(PYTEST_DIST) -m "not quarto"
	@echo "test: the Quarto lane was skipped here; it runs in make test-quarto (needs quarto on PATH)"

test-fast: $(SETUP) ## the tests to run while working: no project builds, no notebook kernels (< 60 s)
	@$(PY) -m pytest -q $(PYTEST_DIST) -m "not e2e and not notebook and not quarto"

test-quarto: $(SETUP) ## run only the tests that need the real Quarto CLI (fails without it)
	@command -v quarto >/dev/null || { echo "test-quarto: quarto is not on PATH (README: Quarto versions)"; exit 1; }
	@$(PY) -m pytest -q -m quarto

lint: $(SETUP) ## ruff: the lint rules and the formatting (notebooks included)
	@$(VENV)/bin/ruff check .
	@$(VENV)/bin/ruff format --check .

lock: ## re-resolve requirements.lock from pyproject.toml in a throwaway venv
	@rm -rf build/lockenv && $(PYTHON_SYSTEM) -m venv build/lockenv
	@build/lockenv/bin/pip install --quiet --disable-pip-version-check '.[dev]'
	@{ head -2 requirements.lock; build/lockenv/bin/pip freeze --exclude-editable | grep -v '^konstruktiv-uro-pipeline'; } > requirements.lock.new
	@mv requirements.lock.new requirements.lock && rm -rf build/lockenv

lab: $(SETUP) ## open the notebooks in JupyterLab (installs the 'lab' extra)
	@$(PY) -m pip install --quiet -e '.[lab]'
	@$(VENV)/bin/jupyter lab notebooks/

clean: ## remove build outputs (keeps .venv and data/raw)
	rm -rf build _book _profiles report/_generated _variables.yml data/decrypted
	find data/processed -mindepth 1 ! -name README.md -exec rm -rf {} +

distclean: clean ## also remove the virtual environment
	rm -rf $(VENV)
