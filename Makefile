# The course's commands. `make book` builds the HTML book, `make test` checks everything.
# Each target creates .venv on first use and installs requirements.txt into it.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PY     := $(BIN)/python
STAMP  := $(VENV)/.installed
JB     := $(BIN)/jupyter-book
# Book builds and the notebook runs must not inherit a headless matplotlib backend:
# with MPLBACKEND=Agg figures vanish from the built book.
unexport MPLBACKEND
# The course's networks are small: one BLAS thread is faster than two fighting over
# 2 cores (a 300-epoch run: 0.26 s vs 2.7 s under load). Override from the environment.
export OPENBLAS_NUM_THREADS ?= 1
export OMP_NUM_THREADS ?= 1

.PHONY: help venv book test unit nbval strict-build browser lab bench clean

help:
	@echo "make book   build the HTML book into _build/html (runs every notebook)"
	@echo "make test   unit tests + doctests, nbval on every notebook, strict build, browser tests"
	@echo "make lab    JupyterLab from the venv, widgets working"
	@echo "make bench  benchmarks: lkcourse vs scikit-learn, notebook times, build time"
	@echo "make clean  remove _build and caches (keeps .venv; 'make distclean' removes it too)"

$(STAMP): requirements.txt constraints.txt pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --upgrade pip
	$(PY) -m pip install -r requirements.txt
	$(PY) -m ipykernel install --sys-prefix --name python3 --display-name "Python 3 (lkcourse)"
	touch $(STAMP)

venv: $(STAMP)

book: $(STAMP)
	$(JB) build . --all

unit: $(STAMP)
	$(PY) -m pytest tests lkcourse --ignore=tests/browser -q

nbval: $(STAMP)
	$(PY) -m pytest --nbval-lax --current-env -p no:cacheprovider -o addopts="" book -q

strict-build: $(STAMP)
	$(JB) build . --all -W -n --keep-going

browser: $(STAMP)
	$(PY) -m pytest tests/browser -q -rs

test: unit nbval strict-build browser

lab: $(STAMP)
	$(BIN)/jupyter lab book

bench: $(STAMP)
	$(PY) benchmarks/run.py

clean:
	rm -rf _build .pytest_cache .hypothesis
	find . -name __pycache__ -not -path "./$(VENV)/*" -prune -exec rm -rf {} +
	find . -name .ipynb_checkpoints -not -path "./$(VENV)/*" -prune -exec rm -rf {} +

distclean: clean
	rm -rf $(VENV)
