"""Guards on the repository itself: notebooks stored clean, the TOC complete, offline math."""
import json
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
