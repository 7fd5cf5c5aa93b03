""""Run this book" (tools/make_bundle.py, issue 23): the zip every page links.

Fast, in `make unit`: the zip is built into an empty folder and unpacked there; it holds
every notebook of the book, a wheel with every module of lkcourse, requirements that
pin the package of every module a notebook imports, and a README whose three commands
are the ones the next test runs.

Slow, in `make bundle-test` (LKCOURSE_BUNDLE_INSTALL=1): the README's commands, as a
reader types them, in that folder: a fresh venv, `pip install -r requirements.txt`
(third-party wheels from PyPI or pip's cache; with LKCOURSE_WHEELHOUSE=DIR from that
folder, offline), then a chapter runs top to bottom in the venv's own kernel.
"""
import json
import os
import re
import shlex
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
import make_bundle  # noqa: E402

INSTALL = os.environ.get("LKCOURSE_BUNDLE_INSTALL", "") not in ("", "0")


@pytest.fixture(scope="module")
def unpacked(tmp_path_factory):
    out = tmp_path_factory.mktemp("dist") / "lkcourse-book.zip"
    make_bundle.build(out)
    where = tmp_path_factory.mktemp("reader")
    assert not any(where.iterdir()), "the reader's folder must start empty"
    with zipfile.ZipFile(out) as zf:
        zf.extractall(where)
    return where / make_bundle.TOP


def readme_commands(folder):
    """The shell commands of the README's first ```bash block."""
    text = (folder / "README.md").read_text()
    block = re.search(r"```bash\n(.*?)```", text, re.S)
    assert block, "the bundle README has no ```bash block of commands"
    return [l.strip() for l in block.group(1).splitlines() if l.strip()]


def test_bundle_holds_every_notebook_and_the_package(unpacked):
    nbs = sorted(p.name for p in (unpacked / "notebooks").glob("*.ipynb"))
    assert nbs == sorted(p.name for p in (ROOT / "book").glob("*.ipynb"))
    for nb in (unpacked / "notebooks").glob("*.ipynb"):
        assert nb.read_bytes() == (ROOT / "book" / nb.name).read_bytes()
    wheels = list((unpacked / "wheels").glob("lkcourse-*-py3-none-any.whl"))
    assert len(wheels) == 1, wheels
    with zipfile.ZipFile(wheels[0]) as zf:
        shipped = {n for n in zf.namelist() if n.endswith(".py")}
    source = {str(p.relative_to(ROOT)) for p in (ROOT / "lkcourse").rglob("*.py")}
    assert source <= shipped, f"modules missing from the wheel: {sorted(source - shipped)}"


def test_readme_gives_three_commands_that_need_no_repository(unpacked):
    cmds = readme_commands(unpacked)
    assert len(cmds) == 3, cmds
    assert cmds[0].startswith("python3 -m venv .venv")
    assert "pip install" in cmds[1] and "requirements.txt" in cmds[1]
    assert cmds[2].startswith(".venv/bin/jupyter lab")
    text = (unpacked / "README.md").read_text()
    assert "git" not in text.lower().split(), "the bundle must not send the reader to a repository"
    req = (unpacked / "requirements.txt").read_text()
    assert "./wheels/lkcourse-" in req and "-e " not in req and "git+" not in req


def _notebook_imports():
    mods = set()
    for nb in (ROOT / "book").glob("*.ipynb"):
        for cell in json.loads(nb.read_text())["cells"]:
            if cell["cell_type"] == "code":
                src = "".join(cell["source"])
                for m in re.finditer(r"^\s*(?:from\s+([\w.]+)\s+import|import\s+([\w.]+))", src, re.M):
                    mods.add((m.group(1) or m.group(2)).split(".")[0])
    return mods


def test_requirements_cover_every_module_a_notebook_imports(unpacked):
    from importlib.metadata import packages_distributions, requires
    req = (unpacked / "requirements.txt").read_text()
    pinned = {make_bundle._norm(l.split("==")[0]) for l in req.splitlines()
              if "==" in l and not l.startswith(("#", "-"))}
    for r in requires("lkcourse") or []:      # the wheel brings its own dependencies
        if "extra ==" not in r:
            pinned.add(make_bundle._norm(re.split(r"[<>=!~; \[]", r)[0]))
    dists = packages_distributions()
    missing = []
    for mod in sorted(_notebook_imports() - {"lkcourse"} - set(sys.stdlib_module_names)):
        names = {make_bundle._norm(d) for d in dists.get(mod, [])}
        if not names & pinned and not any(_provided_by(n, pinned) for n in names):
            missing.append(f"{mod} ({', '.join(sorted(names)) or 'not installed'})")
    assert not missing, f"notebooks import modules the bundle does not install: {missing}"


def _provided_by(dist, pinned):
    """dist comes in as a dependency of a pinned reader package (e.g. IPython of ipykernel)."""
    from importlib.metadata import PackageNotFoundError, requires
    for top in pinned:
        try:
            reqs = requires(top) or []
        except PackageNotFoundError:
            continue
        if any(make_bundle._norm(re.split(r"[<>=!~; \[]", r)[0]) == dist and "extra ==" not in r
               for r in reqs):
            return True
    return False


def test_bundle_is_reproducible(tmp_path):
    a, b = make_bundle.build(tmp_path / "a.zip"), make_bundle.build(tmp_path / "b.zip")
    with zipfile.ZipFile(a) as za, zipfile.ZipFile(b) as zb:
        assert za.namelist() == zb.namelist()
        for n in za.namelist():
            if not n.endswith(".whl"):       # setuptools stamps its own RECORD order/time
                assert za.read(n) == zb.read(n), n


@pytest.mark.skipif(not INSTALL, reason="installs about 100 packages into a fresh venv "
                    "(about 2 CPU-minutes): run `make bundle-test` (LKCOURSE_BUNDLE_INSTALL=1)")
def test_readme_commands_install_and_run_a_chapter_from_an_empty_folder(unpacked, tmp_path):
    cmds = readme_commands(unpacked)
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("JUPYTER", "IPYTHON", "VIRTUAL_ENV", "PYTHONPATH", "MPLBACKEND"))}
    for var, sub in (("JUPYTER_CONFIG_DIR", "config"), ("JUPYTER_DATA_DIR", "data"),
                     ("JUPYTER_RUNTIME_DIR", "runtime"), ("IPYTHONDIR", "ipython")):
        env[var] = str(tmp_path / sub)      # no kernel or setting from the tester's home
    env["PIP_NO_COMPILE"] = "1"             # skip .pyc compilation: same install, faster
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    wheelhouse = os.environ.get("LKCOURSE_WHEELHOUSE")
    for cmd in cmds[:2]:
        args = shlex.split(cmd)
        if "pip" in args[0] and wheelhouse:
            args += ["--no-index", "--find-links", wheelhouse]
        r = subprocess.run(args, cwd=unpacked, env=env, capture_output=True, text=True)
        assert r.returncode == 0, f"{cmd!r} failed:\n{r.stdout[-3000:]}\n{r.stderr[-3000:]}"
    venv = unpacked / ".venv" / "bin"
    # the third command starts JupyterLab: check it is there, with the MyST renderer
    r = subprocess.run([str(venv / "jupyter"), "labextension", "list"], cwd=unpacked, env=env,
                       capture_output=True, text=True)
    assert "jupyterlab-myst" in r.stdout + r.stderr, r.stdout + r.stderr
    # a chapter, top to bottom, in the venv's own kernel
    chapter = sorted((unpacked / "notebooks").glob("0*.ipynb"))[0]
    r = subprocess.run([str(venv / "jupyter"), "nbconvert", "--to", "notebook", "--execute",
                        "--ExecutePreprocessor.timeout=300", "--output-dir", str(tmp_path / "out"),
                        str(chapter)], cwd=unpacked, env=env, capture_output=True, text=True)
    assert r.returncode == 0, f"{chapter.name} failed in the bundle's venv:\n{r.stderr[-4000:]}"
    ran = json.loads((tmp_path / "out" / chapter.name).read_text())
    code = [c for c in ran["cells"] if c["cell_type"] == "code"]
    assert all(c.get("execution_count") for c in code), "not every cell ran"
    errors = [o for c in code for o in c.get("outputs", []) if o.get("output_type") == "error"
              and "raises-exception" not in c.get("metadata", {}).get("tags", [])]
    assert not errors, errors[:1]
