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

# Seed blocks (issue 19). Every random draw of the book comes from lk.seed/lk.rng, and
# LKCOURSE_SEED_BLOCK=b (default 0) moves all of them to block b. `make test` runs the
# alt code path on a held-out block: one the claims ledger never measured (it uses
# blocks 0..19), derived from the commit, so it changes from commit to commit and is
# not special. Reproduce a failure with LKCOURSE_SEED_BLOCK=<block> make nbval-alt.
HELDOUT_BLOCK ?= $(shell h=$$(git rev-parse --short=7 HEAD 2>/dev/null) && echo $$(( 1000 + 0x$$h % 40000 )) || echo $$(( 1000 + $$(date +%s) % 40000 )))

.PHONY: help venv book test unit nbval nbval-native nbval-alt nbval-heldout strict-build \
        browser lab bench claims claims-status blocks pdf pdf-deps clean distclean bundle \
        bundle-test notebooks

help:
	@echo "make book   build the HTML book into _build/html (runs every notebook)"
	@echo "make test   unit tests + doctests; every notebook natively (strict build, block 0) and on the alt SIMD/BLAS path on a held-out seed block; browser tests"
	@echo "make claims measure every cross-draw claim on 200+ draws (CHAPTERS=\"ch1 ch7\" for some), render the Claims ledger page"
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
	@echo "nbval [native, seed block $${LKCOURSE_SEED_BLOCK:-0}]: $$($(PY) -c "$$CODE_PATH_PY")"
	$(NBVAL)

nbval-alt: $(STAMP)
	@if [ "$$(uname -m)" != "x86_64" ]; then \
	  echo "nbval [alt]: skipped: the second numerical environment is defined for x86-64 only (this is $$(uname -m))"; \
	  exit 0; fi; \
	native="$$($(PY) -c "$$CODE_PATH_PY")"; alt="$$($(ALT_ENV) $(PY) -c "$$CODE_PATH_PY")"; \
	echo "nbval [alt, seed block $${LKCOURSE_SEED_BLOCK:-0}]: $$alt"; \
	if [ "$$native" = "$$alt" ]; then \
	  echo "nbval [alt]: WARNING: this CPU takes the same code path natively; only one path is exercised"; fi; \
	echo '$(ALT_ENV) $(NBVAL)'; \
	$(ALT_ENV) $(NBVAL)

# The alt code path on the held-out seed block (part of `make test`).
# Off x86-64 there is no alt path: the held-out block then runs natively.
nbval-heldout: $(STAMP)
	@if [ "$$(uname -m)" = "x86_64" ]; then \
	  echo "nbval-heldout: alt path, seed block $(HELDOUT_BLOCK) (reproduce: LKCOURSE_SEED_BLOCK=$(HELDOUT_BLOCK) make nbval-alt)"; \
	  LKCOURSE_SEED_BLOCK=$(HELDOUT_BLOCK) $(MAKE) --no-print-directory nbval-alt; \
	else \
	  echo "nbval-heldout: native (no alt path on $$(uname -m)), seed block $(HELDOUT_BLOCK)"; \
	  LKCOURSE_SEED_BLOCK=$(HELDOUT_BLOCK) $(MAKE) --no-print-directory nbval-native; \
	fi

strict-build: $(STAMP)
	$(JB) build . --all -W -n --keep-going
	@$(MAKE) --no-print-directory bundle

# The two notebook runs of `make test`, in parallel on 2 cores: the strict build
# executes every notebook natively (on LKCOURSE_SEED_BLOCK, default 0; any cell error or
# failed assert fails the build), nbval-heldout runs them again on the alt path on a
# held-out block. Each one's output is printed when it ends.
notebooks: $(STAMP)
	@$(MAKE) --no-print-directory -j2 --output-sync=target strict-build nbval-heldout

# The claims ledger: every cross-draw claim on >= 200 draws (lkcourse/book/ledger/*.json)
# and the Claims ledger page rendered from it. CHAPTERS="ch1 ch7" measures only those.
claims: $(STAMP)
	$(PY) tools/claims.py run $(if $(CHAPTERS),--chapters $(CHAPTERS))

claims-status: $(STAMP)
	$(PY) tools/claims.py status

# Run notebooks on several seed blocks (and optionally the alt path), two at a time:
#   make blocks NB=book/07_putting_together.ipynb BLOCKS="1001 1002 1003" [ALT=1]
blocks: $(STAMP)
	$(PY) tools/run_blocks.py $(if $(NB),$(NB),book) --blocks $(or $(BLOCKS),1001 1002 1003 1004) $(if $(ALT),--alt)

# Two workers (pytest-xdist), each with its own Chromium: most of the suite is the
# browser laying out and checking pages, and one Chromium keeps about one core busy.
browser: $(STAMP)
	$(PY) -m pytest tests/browser -q -rs -n 2

# The unit tests take the core the held-out run frees while the strict build finishes
# (three jobs, two at a time); the browser tests need the built book, so they come last.
test: $(STAMP)
	@$(MAKE) --no-print-directory -j2 --output-sync=target strict-build nbval-heldout unit
	@$(MAKE) --no-print-directory browser

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
