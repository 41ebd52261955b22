# Builds the "Konstruktiv uro" report from data/raw with one command.
# Every stage has real file dependencies: a stage reruns only when its inputs,
# its code or its parameters changed (DESIGN.md section 1).

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

STAMPS := build/stamps
# Newest commit time of the inputs, so the PDF dates and ids do not depend on the clock.
SOURCE_DATE_EPOCH ?= $(shell git log -1 --format=%ct -- data report src notebooks _quarto.yml 2>/dev/null || echo 0)
export SOURCE_DATE_EPOCH
export PYTHONHASHSEED := 0
export MPLBACKEND := Agg

RAW_FILES := $(shell find data/raw -type f 2>/dev/null | LC_ALL=C sort)
REFERENCE := data/reference/codebook.yaml
PIPELINE_CORE := $(wildcard src/pipeline/*.py) $(wildcard src/pipeline/build/*.py)
DATA_CODE := $(shell find src/pipeline/data -name '*.py' 2>/dev/null)
STATS_CODE := $(shell find src/pipeline/stats src/pipeline/report -name '*.py' 2>/dev/null)
FIGURE_CODE := $(shell find src/pipeline/figures -name '*.py' 2>/dev/null)
RENDER_CODE := $(shell find src/pipeline/render -type f 2>/dev/null)
REPORT_SOURCES := _quarto.yml $(shell find report -maxdepth 1 -name '*.qmd' 2>/dev/null)

.PHONY: help report test test-quarto lint lock lab clean distclean validate render

help: ## list the targets
	@grep -hE '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'
	@echo "  Variables: AS_OF=YYYY-MM-DD (edition, default today), COHORTS=all|0,1,2, RENDERER=auto|quarto|builtin"

$(VENV_STAMP): requirements.lock pyproject.toml
	@echo "[setup] creating $(VENV) from requirements.lock"
	@test -x $(PY) || $(PYTHON_SYSTEM) -m venv $(VENV)
	@$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.lock
	@$(PY) -m pip install --quiet --disable-pip-version-check --no-deps -e .
	@touch $@

NODE_STAMP := tests/quality/node_modules/.installed-from-lock
$(NODE_STAMP): tests/quality/package-lock.json
	@echo "[setup] installing the quality-gate tools from tests/quality/package-lock.json"
	@npm ci --prefix tests/quality --no-audit --no-fund --silent
	@touch $@

# Parameters are a dependency too: build/params.txt is rewritten (while make reads this
# file) only when their values change, so a changed AS_OF reruns the statistics onwards.
PARAMS_LINE := as_of=$(AS_OF) cohorts=$(COHORTS) $(PARAMS)
$(shell mkdir -p build && { echo '$(PARAMS_LINE)' | cmp -s - build/params.txt || echo '$(PARAMS_LINE)' > build/params.txt; })

# The renderer is a parameter of the render stage: changing RENDERER renders again.
$(shell mkdir -p build && { echo '$(RENDERER)' | cmp -s - build/renderer.txt || echo '$(RENDERER)' > build/renderer.txt; })

$(STAMPS)/clean: $(SETUP) $(RAW_FILES) $(REFERENCE) $(DATA_CODE) $(PIPELINE_CORE) notebooks/01_clean.ipynb
	@mkdir -p $(STAMPS)
	@$(PY) -m pipeline run --stage clean
	@touch $@

$(STAMPS)/statistics: $(STAMPS)/clean build/params.txt $(STATS_CODE) notebooks/02_statistics.ipynb $(REFERENCE) data/reference/programme.yaml
	@$(PY) -m pipeline run --stage statistics -p as_of $(AS_OF) -p cohorts $(COHORTS) $(PARAMS)
	@touch $@

$(STAMPS)/figures: $(STAMPS)/statistics $(FIGURE_CODE) notebooks/03_figures.ipynb data/reference/programme.yaml
	@$(PY) -m pipeline run --stage figures
	@touch $@

$(STAMPS)/render: $(STAMPS)/figures build/renderer.txt $(REPORT_SOURCES) $(RENDER_CODE)
	@$(PY) -m pipeline provenance
	@$(PY) -m pipeline render --renderer $(RENDERER)
	@touch $@

$(STAMPS)/manifest: $(STAMPS)/render
	@$(PY) -m pipeline manifest $(if $(BASELINE),--baseline $(BASELINE))
	@touch $@

report: $(STAMPS)/manifest ## build data → statistics → figures → _book/ (HTML + PDF) + manifest
	@echo "report: _book/index.html and _book/konstruktiv-uro.pdf"

validate: $(SETUP) ## check data/raw against the contract and list every problem
	@$(PY) -m pipeline validate data/raw

render: $(SETUP) ## render the book again from what report/_generated holds
	@$(PY) -m pipeline provenance
	@$(PY) -m pipeline render --renderer $(RENDERER)

test: $(SETUP) $(NODE_STAMP) ## set up and run lint + the whole test suite
	@$(VENV)/bin/ruff check .
	@$(PY) -m pytest -q
	@command -v quarto >/dev/null || echo "test: the Quarto lane was skipped (quarto is not on PATH; see make test-quarto)"

test-quarto: $(SETUP) ## run only the tests that need the real Quarto CLI (fails without it)
	@command -v quarto >/dev/null || { echo "test-quarto: quarto is not on PATH (README: Quarto versions)"; exit 1; }
	@$(PY) -m pytest -q -m quarto

lint: $(SETUP) ## ruff on the code
	@$(VENV)/bin/ruff check .

lock: ## re-resolve requirements.lock from pyproject.toml in a throwaway venv
	@rm -rf build/lockenv && $(PYTHON_SYSTEM) -m venv build/lockenv
	@build/lockenv/bin/pip install --quiet --disable-pip-version-check '.[dev]'
	@{ head -2 requirements.lock; build/lockenv/bin/pip freeze --exclude-editable | grep -v '^konstruktiv-uro-pipeline'; } > requirements.lock.new
	@mv requirements.lock.new requirements.lock && rm -rf build/lockenv

lab: $(SETUP) ## open the notebooks in JupyterLab (installs the 'lab' extra)
	@$(PY) -m pip install --quiet -e '.[lab]'
	@$(VENV)/bin/jupyter lab notebooks/

clean: ## remove build outputs (keeps .venv and data/raw)
	rm -rf build _book report/_generated _variables.yml
	find data/processed -mindepth 1 ! -name README.md -exec rm -rf {} +

distclean: clean ## also remove the virtual environment
	rm -rf $(VENV)
