"""Guards on the repository itself: notebooks stored clean, the TOC complete, offline math."""
import json
import os
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "book").glob("**/*.ipynb"))
NOTEBOOKS = [p for p in NOTEBOOKS if ".ipynb_checkpoints" not in p.parts and "_build" not in p.parts]


def toc_files():
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    files = [toc["root"]]
    for part in toc.get("parts", []):
        files += [ch["file"] for ch in part["chapters"]]
        for ch in part["chapters"]:
            files += [s["file"] for s in ch.get("sections", [])]
    return files


def test_there_are_notebooks():
    assert len(NOTEBOOKS) >= 7


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_stored_without_outputs(path):
    nb = json.loads(path.read_text())
    for i, cell in enumerate(nb["cells"]):
        if cell["cell_type"] != "code":
            continue
        assert cell.get("outputs") == [], f"{path.name}: cell {i} has stored outputs"
        assert cell.get("execution_count") is None, f"{path.name}: cell {i} has an execution count"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_kernel_and_first_cell(path):
    nb = json.loads(path.read_text())
    assert nb["metadata"]["kernelspec"]["name"] == "python3"
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    first = "".join(code[0]["source"])
    assert "import lkcourse as lk" in first, f"{path.name}: first code cell must import lkcourse"


def test_toc_lists_every_notebook_and_nothing_else():
    listed = toc_files()
    on_disk = {str(p.relative_to(ROOT).with_suffix("")) for p in NOTEBOOKS}
    listed_nb = {f for f in listed if (ROOT / (f + ".ipynb")).exists()}
    assert on_disk - listed_nb == set(), f"notebooks missing from _toc.yml: {on_disk - listed_nb}"
    missing = [f for f in listed if not any((ROOT / (f + ext)).exists() for ext in (".ipynb", ".md"))]
    assert missing == [], f"_toc.yml lists files that do not exist: {missing}"
    assert len(listed) == len(set(listed)), "a file is listed twice in _toc.yml"


def test_build_config_is_offline_and_strict():
    cfg = yaml.safe_load((ROOT / "_config.yml").read_text())
    assert cfg["execute"]["execute_notebooks"] == "force"
    assert cfg["execute"]["allow_errors"] is False
    sphinx = cfg["sphinx"]
    assert "sphinx-mathjax-offline" in sphinx["extra_extensions"]
    assert not str(sphinx["config"]["mathjax_path"]).startswith("http")
    assert sphinx["config"]["nb_ipywidgets_js"] == {}
    for ext in ("sphinx_proof", "sphinx_exercise"):
        assert ext in sphinx["extra_extensions"]
    for excluded in (".venv", "_build", "tests", "lkcourse"):
        assert excluded in cfg["exclude_patterns"]


def test_every_citation_key_exists():
    import re
    bib = (ROOT / "book" / "references.bib").read_text()
    keys = set(re.findall(r"@\w+\{([^,]+),", bib))
    cited = set()
    sources = [p.read_text() for p in NOTEBOOKS] + [p.read_text() for p in (ROOT / "book").glob("*.md")]
    for text in sources:
        for group in re.findall(r"\{cite(?::\w+)?\}`([^`]+)`", text):
            cited.update(k.strip() for k in group.split(","))
    assert cited - keys == set(), f"cited but not in references.bib: {cited - keys}"


def test_bibliography_parses_and_has_no_duplicate_keys():
    """The book's parser (pybtex, as sphinxcontrib-bibtex uses it) reads every entry: a
    missing closing brace would stop the HTML and PDF builds before any page."""
    import re
    from pybtex.database import parse_file
    path = ROOT / "book" / "references.bib"
    keys = re.findall(r"^@\w+\{([^,]+),", path.read_text(), re.M)
    assert len(keys) == len(set(keys)), "duplicate keys in references.bib"
    assert sorted(parse_file(str(path)).entries) == sorted(keys)


def test_directives_use_backtick_fences():
    """One fence style in the notebooks: backtick fences (four backticks around a directive
    that holds another), which myst-parser reads without the colon_fence extension and
    jupyterlab-myst reads too; a stray ``:::`` fence would show as text somewhere."""
    import json
    import re
    bad = [f"{path.name}: {line}" for path in NOTEBOOKS
           for cell in json.loads(path.read_text())["cells"] if cell["cell_type"] == "markdown"
           for line in "".join(cell["source"]).splitlines() if re.match(r"^:{3,}", line)]
    assert not bad, "colon fences in notebooks:\n" + "\n".join(bad)


def test_notebook_math_uses_no_book_only_macros():
    """The TeX macros in _config.yml (``\\R``, ``\\sign``, ...) exist only in the Sphinx
    build: jupyterlab-myst's KaTeX (and GitHub's notebook view) does not know them and
    shows "Undefined control sequence" in red. The notebooks' markdown spells them out
    (``\\operatorname{sign}``); the .md pages, read only in the built book, may use them."""
    import re
    cfg = yaml.safe_load((ROOT / "_config.yml").read_text())
    macros = cfg["sphinx"]["config"]["mathjax3_config"]["tex"]["macros"]
    assert macros, "expected the book's macros in _config.yml"
    pat = re.compile(r"\\(" + "|".join(map(re.escape, macros)) + r")(?![A-Za-z])")
    bad = [f"{path.name}: {m.group(0)} in {line.strip()[:80]}" for path in NOTEBOOKS
           for cell in json.loads(path.read_text())["cells"] if cell["cell_type"] == "markdown"
           for line in "".join(cell["source"]).splitlines() for m in pat.finditer(line)]
    assert not bad, "book-only TeX macros in notebook markdown:\n" + "\n".join(bad)


def test_notebooks_glue_with_the_light_glue():
    """``myst_nb.glue`` imports nbformat and jsonschema (about 1 s of a chapter's run);
    the chapters use ``lk.book.glue``, which writes the same output
    (tests/test_scrapbook.py), and no notebook imports myst-nb."""
    import json
    import re
    bad, users = [], 0
    for path in NOTEBOOKS:
        cells = json.loads(path.read_text())["cells"]
        code = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")
        bad += [f"{path.name}: {m.group(0)}"
                for m in re.finditer(r"^\s*(from|import)\s+myst_nb\b.*$", code, re.M)]
        users += "glue = lk.book.glue" in code
    assert not bad, "import glue as lk.book.glue, not from myst_nb:\n" + "\n".join(bad)
    assert users >= 5   # chapters 1, 2, 4, 6 and 7 glue numbers into their prose


def test_requirements_pin_exact_versions():
    lines = [l.strip() for l in (ROOT / "requirements.txt").read_text().splitlines()]
    reqs = [l for l in lines if l and not l.startswith(("#", "-c", "-e"))]
    assert reqs, "requirements.txt is empty"
    assert all("==" in r for r in reqs), [r for r in reqs if "==" not in r]
    names = {r.split("==")[0].lower() for r in reqs}
    for needed in ("jupyter-book", "sphinx-proof", "sphinx-exercise", "sphinxcontrib-bibtex",
                   "nbval", "ipywidgets", "jupyterlab", "numpy", "matplotlib", "pytest",
                   "hypothesis", "scikit-learn", "tqdm", "playwright"):
        assert needed in names, f"{needed} is not pinned in requirements.txt"
    jb = [r for r in reqs if r.lower().startswith("jupyter-book==")][0]
    assert jb.split("==")[1].startswith("1.0."), "Jupyter Book must stay on 1.0.x"


def test_api_page_is_generated_and_documents_every_public_name():
    import importlib.util
    import lkcourse as lk
    spec = importlib.util.spec_from_file_location("gen_api", ROOT / "tools" / "gen_api.py")
    gen = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gen)
    text, names = gen.render()
    assert set(lk.__all__) - {"datasets"} <= names, set(lk.__all__) - {"datasets"} - names
    assert (ROOT / "book" / "api.md").read_text() == text, \
        "book/api.md is out of date: run `.venv/bin/python tools/gen_api.py`"


def test_python_floor_is_stated_once_and_consistently():
    import re
    floor = re.search(r'requires-python\s*=\s*">=(3\.\d+)"',
                      (ROOT / "pyproject.toml").read_text()).group(1)
    for doc in ("README.md", "book/running.md"):
        text = (ROOT / doc).read_text()
        stated = set(re.findall(r"(?:Python|python3`?)\s*\(?(3\.\d+)", text))
        assert stated == {floor}, f"{doc} states Python {stated}, pyproject.toml says >={floor}"


def test_repository_button_has_a_real_url_or_is_off():
    cfg = yaml.safe_load((ROOT / "_config.yml").read_text())
    if cfg["html"].get("use_repository_button"):
        url = cfg.get("repository", {}).get("url", "")
        assert url.startswith("https://"), "repository button on without a repository URL"


def test_pdf_build_is_configured():
    cfg = yaml.safe_load((ROOT / "_config.yml").read_text())
    sphinx = cfg["sphinx"]["config"]
    assert cfg["latex"]["latex_documents"]["targetname"] == "lkcourse.tex"
    for f in sphinx["latex_additional_files"]:
        assert (ROOT / f).is_file(), f
    latex_prio = {(b, m): p for b, m, p in sphinx["nb_mime_priority_overrides"] if b == "latex"}
    assert latex_prio[("latex", "application/vnd.jupyter.widget-view+json")] is None
    assert latex_prio[("latex", "image/png")] is not None
    make = (ROOT / "Makefile").read_text()
    assert "--builder pdflatex" in make and "OPENBLAS_CORETYPE=Nehalem" in make


def test_alt_numerical_environment_takes_another_code_path():
    """The Makefile's ALT_ENV (nbval's second run) really moves numpy and OpenBLAS off
    the native path: no X86_V3/X86_V4 loops, OpenBLAS's Nehalem kernels."""
    import platform
    import re
    import shlex
    import subprocess
    import sys
    if platform.machine() not in ("x86_64", "AMD64"):
        pytest.skip("the alt environment is defined for x86-64 only")
    line = re.search(r"^ALT_ENV\s*:=\s*(.+)$", (ROOT / "Makefile").read_text(), re.M).group(1)
    env = dict(os.environ)
    env.update(dict(kv.split("=", 1) for kv in shlex.split(line)))
    probe = ("import threadpoolctl, numpy\n"
             "from numpy._core._multiarray_umath import __cpu_features__ as f\n"
             "blas = [i.get('architecture') for i in threadpoolctl.threadpool_info()"
             " if i.get('user_api') == 'blas']\n"
             "print(blas[0] if blas else '', int(bool(f.get('X86_V3') or f.get('X86_V4'))))")
    out = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True,
                         text=True, check=True).stdout.split()
    assert out == ["Nehalem", "0"], out


def test_bibliography_has_no_tex_math():
    """sphinxcontrib-bibtex prints $...$ and \\commands in bib fields as raw text."""
    import re
    bib = (ROOT / "book" / "references.bib").read_text()
    bad = [l.strip() for l in bib.splitlines()
           if re.search(r"\$|\\(?!['`^\"~=.uvHtcdbkr]\{?\w)[A-Za-z]{2,}", l)]
    assert not bad, f"TeX math in references.bib (write it in Unicode): {bad}"
