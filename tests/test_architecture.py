"""The package's layout, checked: imports go down the layers, private names stay home.

Every module of ``lkcourse`` has a layer (``LAYERS``); a module imports only modules of
lower layers (a subpackage's modules also import each other), so the reusable API never
depends on the chapters' machinery (``lkcourse.book``) or on the explorers, and the
model never depends on the optimizers. An underscore name is used only in the module
that defines it, with one exception: ``lkcourse/_shared.py``, the one shared private
helper module. Both rules are checked on the source (``ast``), and the checks are shown
to fail on planted violations.
"""
import ast
import pathlib

import pytest

PACKAGE = pathlib.Path(__file__).resolve().parents[1] / "lkcourse"
SHARED = "_shared"

LAYERS = {  # a module imports only from lower layers (and its own subpackage)
    "_shared": 0, "_validation": 0,
    "_registry": 1, "prox": 1, "initializers": 1, "metrics": 1, "datasets": 1,
    "progress": 1, "source": 1, "gradcheck": 1, "dynamics": 1, "losses": 1,
    "updates": 1, "history": 1, "seeding": 1, "thresholds": 1, "style": 1,
    "activation_base": 2, "penalty_base": 2, "sweeps": 2, "engine": 2,
    "activations": 3, "penalties": 3, "weight_penalty": 3, "claims": 3,
    "checks": 4, "nn": 4, "optim": 4, "linear": 4,   # the model and the optimizers: apart
    "training": 5, "logistic": 5,
    "explore": 6,
    "explorers": 7,
    "book": 8,
    "__init__": 9,
}


def modules():
    """``(dotted name, path)`` of every module of the package."""
    return [(".".join(p.relative_to(PACKAGE.parent).with_suffix("").parts), p)
            for p in sorted(PACKAGE.rglob("*.py"))]


def unit(dotted):
    """The layered unit of a module: its top-level module or subpackage."""
    parts = dotted.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def imported_modules(dotted, source):
    """``(lineno, imported dotted module, names)`` for every lkcourse import."""
    package = dotted.rsplit(".", 1)[0] if not dotted.endswith("__init__") else dotted
    if dotted.endswith(".__init__"):
        package = dotted[: -len(".__init__")]
    out = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if target.split(".")[0] != "lkcourse":
                continue
            names = [a.name for a in node.names]
            if node.module is None or target in ("lkcourse",) or target.count(".") == 0:
                # "from . import x, y": each name is a module
                out += [(node.lineno, f"{target}.{n}", []) for n in names]
            else:
                out.append((node.lineno, target, names))
        elif isinstance(node, ast.Import):
            out += [(node.lineno, a.name, []) for a in node.names
                    if a.name.split(".")[0] == "lkcourse"]
    return out


def upward_imports(dotted, source):
    """The imports of ``dotted`` that go up (or sideways) the layers."""
    mine = unit(dotted)
    bad = []
    for lineno, target, _ in imported_modules(dotted, source):
        theirs = unit(target) if target != "lkcourse" else "__init__"
        if theirs == mine:
            continue                      # inside a subpackage, or itself
        if LAYERS[theirs] >= LAYERS[mine]:
            bad.append(f"{dotted}:{lineno} imports {target} (layer {LAYERS[theirs]} >= "
                       f"{LAYERS[mine]})")
    return bad


def private_imports(dotted, source):
    """Underscore names imported from another module (other than ``_shared``)."""
    bad = []
    for lineno, target, names in imported_modules(dotted, source):
        if target.rsplit(".", 1)[-1] == SHARED:
            continue
        for name in names:
            if name.startswith("_") and not name.startswith("__"):
                bad.append(f"{dotted}:{lineno} imports the private {name} from {target}")
    return bad


def defined_private_names(source):
    """Underscore names a module defines: functions, classes, methods, attributes."""
    out = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)) and node.name.startswith("_"):
            out.add(node.name)
        elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store):
            out.add(node.attr)
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            out.add(node.id)
        elif isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "__setattr__":
            if len(node.args) >= 2 and isinstance(node.args[1], ast.Constant):
                out.add(node.args[1].value)
    return {n for n in out if isinstance(n, str) and n.startswith("_")
            and not n.startswith("__")}


def private_uses(dotted, source, everywhere):
    """``obj._name`` where ``_name`` is private to another module of the package."""
    mine = defined_private_names(source)
    bad = []
    for node in ast.walk(ast.parse(source)):
        if (isinstance(node, ast.Attribute) and node.attr.startswith("_")
                and not node.attr.startswith("__") and node.attr not in mine
                and node.attr in everywhere):
            bad.append(f"{dotted}:{node.lineno} uses {node.attr}, private to another module")
    return bad


SOURCES = {dotted: path.read_text() for dotted, path in modules()}
EVERYWHERE = set().union(*(defined_private_names(s) for s in SOURCES.values()))


def test_every_module_has_a_layer():
    assert {unit(d) for d in SOURCES} <= set(LAYERS), {unit(d) for d in SOURCES} - set(LAYERS)


@pytest.mark.parametrize("dotted", sorted(SOURCES))
def test_imports_go_down_the_layers(dotted):
    bad = upward_imports(dotted, SOURCES[dotted])
    assert not bad, "upward import:\n" + "\n".join(bad)


@pytest.mark.parametrize("dotted", sorted(SOURCES))
def test_private_names_stay_in_their_module(dotted):
    bad = private_imports(dotted, SOURCES[dotted]) + private_uses(
        dotted, SOURCES[dotted], EVERYWHERE)
    assert not bad, "private name across modules:\n" + "\n".join(bad)


def test_the_reusable_api_does_not_reach_the_book_and_the_book_is_not_top_level():
    import lkcourse as lk
    assert not set(lk.__all__) & set(lk.book.__all__)
    assert all(not hasattr(lk, name) for name in lk.book.__all__)


# --------------------------------------------------------- the checks can fail
@pytest.mark.parametrize("dotted, source, finds", [
    ("lkcourse.nn", "from .optim import SGD\n", "imports lkcourse.optim"),
    ("lkcourse.nn", "from . import training\n", "imports lkcourse.training"),
    ("lkcourse.penalties", "from .book import run_grid\n", "imports lkcourse.book"),
    ("lkcourse.explore.twin", "from ..explorers import penalty_explorer\n",
     "imports lkcourse.explorers"),
])
def test_the_layer_check_catches_upward_imports(dotted, source, finds):
    assert any(finds in b for b in upward_imports(dotted, source))


@pytest.mark.parametrize("dotted, source", [
    ("lkcourse.losses", "from .activations import _sigmoid\n"),
    ("lkcourse.explorers.boundary", "from ..optim import _check_hyper\n"),
])
def test_the_private_check_catches_private_imports(dotted, source):
    assert private_imports(dotted, source)


def test_the_private_check_catches_a_private_method_of_another_module():
    source = "def f(model, X):\n    return model._forward(X)\n"
    assert private_uses("lkcourse.training", source, {"_forward"})
    assert not private_uses("lkcourse.nn", "class A:\n    def _forward(self):\n"
                            "        return self._forward()\n", {"_forward"})
    assert not private_imports("lkcourse.losses", "from ._shared import _x\n")
