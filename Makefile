# The Sales & Marketing Alignment Playbook: build, test and run the course.
# `make book` builds the site; `make test` runs every test. Both set everything up first.

PYTHON ?= python3.11
VENV := .venv
BIN := $(CURDIR)/$(VENV)/bin
export PATH := $(BIN):$(PATH)
export JUPYTER_PLATFORM_DIRS := 1
export PYDEVD_DISABLE_FILE_VALIDATION := 1
# Python keeps each module it compiles (__pycache__, ignored by git), so the test workers, the kernels
# and the servers that make test starts do not compile the package and the tests again each time.
unexport PYTHONDONTWRITEBYTECODE
SITE := _build/html
# The site's copies of the npm front-end scripts (see alignkit.build.site).
VENDOR := _build/vendor-static/vendor
# Font Awesome's SVG files (the same release as the theme's): alignkit.build.site draws the icons pages use from them.
ICONS := _build/vendor-icons/fontawesome-free
PORT ?= 8000
EDITION ?= learner
# The facilitator edition builds into its own folder, so the learner site is never overwritten.
BOOK_OUT := $(if $(filter facilitator,$(EDITION)),--path-output _build/facilitator,)

.PHONY: help setup book site-learner site-facilitator test lint unit nbval browser labtest lab data serve bench clean workshop-kit hub handouts

help:
	@echo "make book   set up, execute the notebooks (cached) and build the offline site"
	@echo "make test   set up, then lint, unit tests, nbval, the site build and the browser tests"
	@echo "make lint   ruff (lint and format check) over src and tests, mypy over the package"
	@echo "make lab    JupyterLab on the lessons"
	@echo "make data   regenerate the sample data and data/README.md"
	@echo "make serve  serve the built site on http://127.0.0.1:$(PORT)"
	@echo "make bench  print the speed budgets' figures"
	@echo "make book EDITION=facilitator   the facilitator edition (solutions and notes) in _build/facilitator"
	@echo "make workshop-kit   the participants' bundle: _build/workshop-kit.zip"
	@echo "make hub    a JupyterHub for a room, on 127.0.0.1:$(PORT), for a trial"
	@echo "make handouts   the printable templates and agendas as A4 and Letter PDFs"

$(VENV)/.installed: requirements.txt pyproject.toml
	@$(PYTHON) -c 'import sys; assert sys.version_info[:2] == (3, 11), "Python 3.11 is needed (set PYTHON=...)"'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps -r requirements.txt
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps -e .
	$(BIN)/python -m alignkit.ui.labchart  # JupyterLab's offline chart script, bundled once (alignkit.ui.labchart)
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund
	touch $@

# The site serves its own copies of the widget manager and Vega, taken from the npm packages; the icons'
# SVG files are read at build time only (not served).
$(VENDOR)/.copied: node_modules/.installed
	rm -rf $(VENDOR) $(ICONS) && mkdir -p $(VENDOR)/html-manager $(ICONS)
	cp -r node_modules/@fortawesome/fontawesome-free/svgs node_modules/@fortawesome/fontawesome-free/LICENSE.txt \
	   node_modules/@fortawesome/fontawesome-free/metadata/icons.yml node_modules/@fortawesome/fontawesome-free/package.json $(ICONS)/
	cp node_modules/@jupyter-widgets/html-manager/dist/embed.js \
	   node_modules/@jupyter-widgets/html-manager/dist/embed.js.LICENSE.txt \
	   node_modules/@jupyter-widgets/html-manager/dist/*.woff2 \
	   node_modules/@jupyter-widgets/html-manager/dist/*.woff \
	   node_modules/@jupyter-widgets/html-manager/dist/*.ttf \
	   node_modules/@jupyter-widgets/html-manager/dist/*.eot \
	   node_modules/@jupyter-widgets/html-manager/dist/*.svg $(VENDOR)/html-manager/
	cp node_modules/vega/build/vega.min.js node_modules/vega-lite/build/vega-lite.min.js \
	   node_modules/vega-embed/build/vega-embed.min.js $(VENDOR)/
	for p in vega vega-lite vega-embed; do cp node_modules/$$p/LICENSE $(VENDOR)/$$p.LICENSE.txt; done
	touch $@

setup: $(VENV)/.installed node_modules/.installed $(VENDOR)/.copied

# The execution cache keys on a notebook's code only, and Sphinx re-reads only the pages whose source
# changed: when the package or the data change, outputs and pages may be stale, so both start again.
# A new table of contents or configuration changes every page's sidebar and head: the same.
CACHE_INPUTS := $(shell find src data workshop -type f -not -name '*.pyc' 2>/dev/null)
_build/.inputs: $(CACHE_INPUTS) _toc.yml _config.yml
	rm -rf _build/.jupyter_cache _build/.doctrees _build/html
	rm -rf _build/facilitator/_build/.jupyter_cache _build/facilitator/_build/.doctrees _build/facilitator/_build/html
	mkdir -p _build && touch $@

book: site-$(EDITION)
	@echo "The $(EDITION) edition is at $(CURDIR)/$(if $(BOOK_OUT),_build/facilitator/)$(SITE)/index.html (make serve opens the learner site on 127.0.0.1)"

# Each edition is built again only when something it is built from is newer than its last whole
# build (the mark each successful build leaves); jupyter-book then redoes only what changed.
SITE_SOURCES := $(shell find book notebooks src data workshop -type f -not -name '*.pyc' \
	-not -path '*/__pycache__/*' -not -path '*/.ipynb_checkpoints/*' 2>/dev/null) \
	_config.yml _toc.yml requirements.txt pyproject.toml package-lock.json README.md

site-learner: setup _build/.inputs _build/html/.alignkit-built
_build/html/.alignkit-built: $(SITE_SOURCES) $(VENV)/.installed $(VENDOR)/.copied _build/.inputs
	ALIGNKIT_EDITION=learner jupyter-book build . -n -W --keep-going
	touch $@

site-facilitator: setup _build/.inputs _build/facilitator/_build/html/.alignkit-built
_build/facilitator/_build/html/.alignkit-built: $(SITE_SOURCES) $(VENV)/.installed $(VENDOR)/.copied _build/.inputs
	ALIGNKIT_EDITION=facilitator jupyter-book build . --path-output _build/facilitator -n -W --keep-going
	touch $@

# Style and types: ruff's rules and mypy's settings are in pyproject.toml.
lint: setup
	ruff check src tests
	ruff format --check src tests
	mypy src/alignkit

unit: setup
	pytest tests --ignore=tests/browser --ignore=tests/lab

NBVAL := --nbval --nbval-sanitize-with tests/nbval_sanitize.cfg

nbval: setup
	pytest $(NBVAL) notebooks

browser: setup
	pytest tests/browser

# every lesson opened and run in a real JupyterLab, in chromium (make test runs it too)
labtest: setup
	pytest tests/lab

# Four workers: each takes whole files (a notebook's nbval cells share a kernel, the JupyterLab test one
# JupyterLab), except the page-by-page browser tests, shared one at a time, longest first; the
# JupyterLab test (about 2 minutes alone) is handed out first, so that a worker starts it at once
# (tests/conftest.py orders the work: pytest collects a folder named inside another in the outer
# one's order, so naming tests/lab first here does not).
# lint and both editions' builds run side by side first (each log is printed when its job ends; a
# style or type slip fails in seconds); the tests read the builds: the learner site in _build/html, the
# facilitator's in _build/facilitator.
test: setup _build/.inputs
	$(MAKE) --no-print-directory -j3 --output-sync=target lint site-learner site-facilitator
	pytest -n 4 --dist loadfile --durations=10 tests $(NBVAL) notebooks

lab: setup
	python -m alignkit.build.labsetup  # no "fetch Jupyter news?" prompt at the first start; lessons drawn whole
	jupyter lab notebooks

data: setup
	python -m alignkit.casedata.generate --out data
	python -m alignkit.teamtools.crm.samples data/crm-samples

serve: book
	PORT=$(PORT) python -m alignkit.build.sitecheck --serve

bench: book
	python -m alignkit.build.speed

workshop-kit: setup
	python -m alignkit.build.workshop kit

hub: setup
	python -m alignkit.build.workshop hub --port $(PORT)

handouts: book
	python -m alignkit.build.handouts

clean:
	rm -rf _build
