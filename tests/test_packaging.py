"""pyproject.toml tells the truth: the Python floor, the dependencies and their pins.

- ``requires-python`` is the highest ``Requires-Python`` floor among the pinned
  packages (requirements.txt and constraints.txt), read from the installed
  distributions' metadata (importlib.metadata): no lower (a promise the pins cannot
  keep, as ">=3.10" was with numpy 2.4) and no higher (a needless restriction).
- Every runtime dependency of pyproject.toml is pinned, the pin satisfies it, and the
  installed version is the pinned one.
- The build backend floor supports the SPDX ``license`` string (setuptools >= 77).
"""
import fnmatch
import importlib.metadata as md
import pathlib
import tomllib

import pytest
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = pathlib.Path(__file__).resolve().parents[1]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())


def read_pins(*files):
    """name -> version of every ``name==version`` line of the files."""
    pins = {}
    for f in files:
        for line in (ROOT / f).read_text().splitlines():
            line = line.split("#", 1)[0].strip()
            if "==" in line and not line.startswith("-"):
                name, version = line.split("==", 1)
                pins[canonicalize_name(name.split("[")[0])] = version.strip()
    return pins


PINS = read_pins("requirements.txt", "constraints.txt")


def floor(spec):
    """The lowest Python version a Requires-Python specifier allows (3.x.y)."""
    spec = SpecifierSet(spec)
    for minor in range(0, 40):
        for micro in range(0, 30):
            if spec.contains(Version(f"3.{minor}.{micro}")):
                return Version(f"3.{minor}.{micro}")
    return None


def python_floors(names):
    out = {}
    for name in names:
        try:
            spec = md.metadata(name).get("Requires-Python")
        except md.PackageNotFoundError:
            continue
        if spec:
            out[name] = floor(spec)
    return out


def runtime_names():
    deps = PYPROJECT["project"]["dependencies"] + [
        d for extra in PYPROJECT["project"].get("optional-dependencies", {}).values()
        for d in extra]
    return {canonicalize_name(Requirement(d).name) for d in deps}


def test_requires_python_is_the_floor_of_the_pinned_dependencies():
    floors = python_floors(runtime_names())
    assert len(floors) == len(runtime_names()), floors   # the metadata was really read
    needed = max(floors.values())
    which = sorted(name for name, v in floors.items() if v == needed)
    text = f"{needed.major}.{needed.minor}" + (f".{needed.micro}" if needed.micro else "")
    declared = PYPROJECT["project"]["requires-python"]
    assert declared == f">={text}", (
        f"pyproject.toml says requires-python {declared!r}; the pinned versions of "
        f"the dependencies need >={text} ({', '.join(which)}) and nothing more")


def test_the_pinned_environment_runs_on_python_3_11():
    """The whole pinned environment (book, tests) needs Python 3.11.5+ (soupsieve, a
    dependency of jupyter-book's stack); README states that floor. A pin that needs
    3.12 fails here: raise the floor in pyproject.toml and README.md together."""
    floors = python_floors(PINS)
    assert len(floors) > 50, floors
    needed = max(floors.values())
    assert Version("3.11") <= needed < Version("3.12"), (
        needed, sorted(n for n, v in floors.items() if v == needed))


def test_floor_reads_specifiers():
    assert floor(">=3.11") == Version("3.11.0")
    assert floor(">=3.11.5") == Version("3.11.5")
    assert floor(">=3.7, <4") == Version("3.7.0")
    assert floor("!=3.0.*,!=3.1.*,>=2.7") == Version("3.2.0")


@pytest.mark.parametrize("dep", PYPROJECT["project"]["dependencies"])
def test_dependencies_are_pinned_and_installed(dep):
    req = Requirement(dep)
    name = canonicalize_name(req.name)
    assert name in PINS, f"{req.name} is a dependency but not pinned in requirements.txt"
    assert req.specifier.contains(PINS[name]), (dep, PINS[name])
    assert md.version(req.name) == PINS[name], (req.name, md.version(req.name), PINS[name])


def test_pillow_is_declared_because_the_package_imports_it():
    uses_pil = any("from PIL" in p.read_text() or "import PIL" in p.read_text()
                   for p in (ROOT / "lkcourse").rglob("*.py"))
    deps = {canonicalize_name(Requirement(d).name)
            for d in PYPROJECT["project"]["dependencies"]}
    assert not uses_pil or "pillow" in deps


def test_spdx_license_and_a_backend_that_reads_it():
    assert PYPROJECT["project"]["license"] == "MIT"
    backend = [Requirement(r) for r in PYPROJECT["build-system"]["requires"]]
    setuptools = next(r for r in backend if r.name == "setuptools")
    assert not setuptools.specifier.contains("76.9") and setuptools.specifier.contains("77")


def test_every_subpackage_is_packaged():
    find = PYPROJECT["tool"]["setuptools"]["packages"]["find"]
    subpackages = [p.parent.relative_to(ROOT).as_posix().replace("/", ".")
                   for p in (ROOT / "lkcourse").rglob("__init__.py")]
    for pkg in subpackages:
        assert any(fnmatch.fnmatch(pkg, pat) for pat in find["include"]), pkg


def test_one_source_for_the_version():
    """pyproject.toml holds the version; lkcourse.__version__ reads it (no second copy)."""
    import lkcourse as lk
    assert lk.__version__ == PYPROJECT["project"]["version"]
    import re
    written = [p for p in (ROOT / "lkcourse").rglob("*.py")
               if re.search(r"__version__\s*=\s*[\"']\d", p.read_text())]
    assert not written, written


def imported_top_level_packages():
    """Top-level names of the third-party modules the package imports (anywhere)."""
    import ast
    import sys
    names = set()
    for path in (ROOT / "lkcourse").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                names |= {a.name.split(".")[0] for a in node.names}
            elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
                names.add(node.module.split(".")[0])
    return {n for n in names if n not in sys.stdlib_module_names and n != "lkcourse"}


def test_every_imported_package_is_declared():
    """IPython (the notebook progress bar), ipywidgets (the live explorers), PIL... : each
    package the code imports is a dependency or an optional dependency of pyproject.toml."""
    dists = md.packages_distributions()
    declared = runtime_names()
    missing = {}
    for module in imported_top_level_packages():
        owners = {canonicalize_name(d) for d in dists.get(module, [module])}
        if not owners & declared:
            missing[module] = sorted(owners)
    assert "IPython" in imported_top_level_packages()
    assert not missing, f"imported but not declared in pyproject.toml: {missing}"
