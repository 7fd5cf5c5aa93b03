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

# The second numerical environment of `make test` (issue 11): every notebook runs natively
# and again with numpy's SIMD loops limited to its SSE baseline (X86_V2) and OpenBLAS forced
# onto its Nehalem (SSE) kernels. Natively an x86-64 CPU with AVX2 or AVX-512 takes the
# X86_V3/X86_V4 loops and Haswell/SkylakeX kernels, so two distinct paths always run there.
ALT_ENV := NPY_DISABLE_CPU_FEATURES="X86_V3 X86_V4 AVX512_ICL AVX512_SPR" OPENBLAS_CORETYPE=Nehalem
NBVAL   := $(PY) -m pytest --nbval-lax --current-env -p no:cacheprovider -o addopts="" book -q
# prints the code path numpy and OpenBLAS take in this environment
define CODE_PATH_PY
import numpy, threadpoolctl
try:
    from numpy._core._multiarray_umath import __cpu_baseline__ as b, __cpu_dispatch__ as d, __cpu_features__ as f
    simd = " ".join(x for x in d if f.get(x)) or "none"
    simd = "numpy SIMD: baseline " + " ".join(b) + ", dispatched " + simd
except ImportError:
    simd = "numpy SIMD: unknown"
blas = ", ".join(f"{i.get('internal_api')} {i.get('architecture')}" for i in threadpoolctl.threadpool_info()
                 if i.get("user_api") == "blas")
print(f"{simd}; BLAS: {blas or 'unknown'}")
endef
export CODE_PATH_PY

.PHONY: help venv book test unit nbval nbval-native nbval-alt strict-build browser lab bench \
        pdf pdf-deps clean distclean bundle bundle-test

help:
	@echo "make book   build the HTML book into _build/html (runs every notebook)"
	@echo "make test   unit tests + doctests, nbval on every notebook (native + alt SIMD/BLAS path), strict build, browser tests"
	@echo "make lab    JupyterLab from the venv, widgets working"
	@echo "make pdf    the whole book as a PDF: _build/latex/lkcourse.pdf (installs TeX Live if it can)"
	@echo "make bundle-test  the 'Run this book' zip installed from an empty folder into a fresh venv"
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
	@$(MAKE) --no-print-directory bundle
	@test -f _build/html/lkcourse.pdf || echo "make book: this build has no PDF; 'make pdf' builds _build/latex/lkcourse.pdf and links it from every page"

# "Run this book" (issue 23): the notebooks, the pinned requirements and a wheel of
# lkcourse in one zip next to the HTML book, linked from every page.
bundle: $(STAMP)
	$(PY) tools/make_bundle.py --out _build/html/lkcourse-book.zip

# The bundle as a reader gets it: unzip into an empty folder, the README's commands in a
# fresh venv (third-party wheels from PyPI or the pip cache), then run a chapter.
bundle-test: $(STAMP)
	LKCOURSE_BUNDLE_INSTALL=1 $(PY) -m pytest tests/test_bundle.py -q -rs

unit: $(STAMP)
	$(PY) -m pytest tests lkcourse --ignore=tests/browser -q

# Both environments at once (one BLAS thread each, 2 cores); each one's output is printed
# when it finishes. Fails if any notebook fails in either.
nbval: $(STAMP)
	@echo "nbval: every notebook, natively and on the alt code path, in parallel (each one's output when it ends)"
	@$(MAKE) --no-print-directory -j2 --output-sync=target nbval-native nbval-alt

nbval-native: $(STAMP)
	@echo "nbval [native]: $$($(PY) -c "$$CODE_PATH_PY")"
	$(NBVAL)

nbval-alt: $(STAMP)
	@if [ "$$(uname -m)" != "x86_64" ]; then \
	  echo "nbval [alt]: skipped: the second numerical environment is defined for x86-64 only (this is $$(uname -m))"; \
	  exit 0; fi; \
	native="$$($(PY) -c "$$CODE_PATH_PY")"; alt="$$($(ALT_ENV) $(PY) -c "$$CODE_PATH_PY")"; \
	echo "nbval [alt]: $$alt"; \
	if [ "$$native" = "$$alt" ]; then \
	  echo "nbval [alt]: WARNING: this CPU takes the same code path natively; only one path is exercised"; fi; \
	echo '$(ALT_ENV) $(NBVAL)'; \
	$(ALT_ENV) $(NBVAL)

strict-build: $(STAMP)
	$(JB) build . --all -W -n --keep-going
	@$(MAKE) --no-print-directory bundle

browser: $(STAMP)
	$(PY) -m pytest tests/browser -q -rs

test: unit nbval strict-build browser

# The PDF: Jupyter Book's pdflatex builder (xelatex through sphinx-jupyterbook-latex) on
# Debian's TeX Live, offline. pdf-deps installs what pip cannot, as .ci/run installs chromium.
PDF_DEBS  := texlive-latex-recommended texlive-latex-extra texlive-fonts-recommended \
             texlive-xetex latexmk fonts-freefont-otf poppler-utils
PDF_TOOLS := xelatex latexmk pdfinfo pdftotext pdfimages

pdf-deps:
	@missing=""; for t in $(PDF_TOOLS); do command -v $$t >/dev/null 2>&1 || missing="$$missing $$t"; done; \
	if [ -n "$$missing" ]; then \
	  echo "make pdf: missing$$missing; installing Debian packages: $(PDF_DEBS)"; \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    export DEBIAN_FRONTEND=noninteractive; \
	    apt-get update -qq && apt-get install -y -qq --no-install-recommends $(PDF_DEBS) >/dev/null \
	      || { echo "make pdf: apt-get install failed (no network to the Debian mirror?)"; exit 1; }; \
	  else \
	    echo "make pdf: cannot install them here (needs root and apt-get). Install, then rerun:"; \
	    echo "  sudo apt-get install $(PDF_DEBS)"; exit 1; \
	  fi; \
	fi

pdf: $(STAMP) pdf-deps
	rm -rf _build/latex
	$(JB) build . --builder pdflatex
	@test -f _build/latex/lkcourse.pdf || { echo "make pdf: _build/latex/lkcourse.pdf was not produced; see _build/latex/lkcourse.log"; exit 1; }
	@if [ -d _build/html ]; then cp _build/latex/lkcourse.pdf _build/html/lkcourse.pdf; \
	  $(PY) book/_ext/lkbook.py --link-pdf _build/html; fi
	@echo "make pdf: _build/latex/lkcourse.pdf ($$(pdfinfo _build/latex/lkcourse.pdf | sed -n 's/^Pages: *//p') pages)"

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
