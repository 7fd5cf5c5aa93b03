"""numpydoc's docstring validation on the public API.

``numpydoc.validate.validate`` runs every check numpydoc has on the docstring of each
public function and class (``lk.__all__`` and ``lk.book.__all__``), of every public
method and property of those classes, and of every public function of ``lk.datasets``,
except the short list below, each with its reason. A new public name or method is
checked the moment it exists.
"""
import inspect

import pytest
from numpydoc.validate import validate

import lkcourse as lk

IGNORED = {  # check code -> why the house style (shared/STYLE.md) does not ask for it
    "SA01": "no 'See Also' section: the house layout is summary, Parameters, Returns, "
            "Raises, Notes, Examples; cross-references go in the text",
    "ES01": "no extended summary required: a one-line summary, then the sections",
}
CONTAINER_CODES = {  # codes not applied to the classes in CONTAINERS, and why
    "PR01": "their fields are documented as Attributes: users read them, the package "
            "builds them (a constructor Parameters section would repeat the list)",
    "EX01": "the function that builds them has the Examples",
}
CONTAINERS = {"Activation", "Penalty", "LinearFit", "LogisticFit", "ConvergenceWarning",
              "ForwardTrace", "History", "SourceCode", "Draws", "DrawsSummary",
              "InvalidParameterError"}
# Docstrings of other owners still failing a check: strict xfail, so the entry must be
# deleted when the docstring is fixed. Key: (public name, check code) -> owner.
PENDING = {
}


METHOD_CODES = {  # codes not applied to properties, and why
    "RT01": "a property is documented as what it is (one line), not as a call",
    "EX01": "the class's Examples show its properties",
}


def public_names():
    return [n for n in lk.__all__ if callable(getattr(lk, n)) and n != "datasets"]


def home(name):
    obj = getattr(lk, name, None) if not name.startswith("book.") else getattr(
        lk.book, name.removeprefix("book."))
    return obj


def public_methods():
    """``Class.method`` of every public method and property of the public classes."""
    out = []
    classes = [(n, getattr(lk, n)) for n in lk.__all__ if inspect.isclass(getattr(lk, n))]
    classes += [(f"book.{n}", getattr(lk.book, n)) for n in lk.book.__all__
                if inspect.isclass(getattr(lk.book, n))]
    for name, cls in classes:
        if issubclass(cls, BaseException):
            continue
        for attr, value in vars(cls).items():
            if attr.startswith("_") or not (inspect.isfunction(value)
                                             or isinstance(value, (property, classmethod))):
                continue
            if any(attr in vars(base) for base in cls.__mro__[1:]):
                continue      # an override: documented (and checked) on the base class
            out.append(f"{name}.{attr}")
    out += [f"datasets.{n}" for n, f in vars(lk.datasets).items()
            if inspect.isfunction(f) and not n.startswith("_")
            and f.__module__ == lk.datasets.__name__]
    return sorted(out)


def errors(name):
    if name.startswith("book.") and name.count(".") == 1:
        obj = home(name)
        result = validate(f"{obj.__module__}.{obj.__name__}")
        codes = set(IGNORED) | (set(CONTAINER_CODES) if name.removeprefix("book.") in
                                CONTAINERS else set())
        return [(c, m) for c, m in result["errors"] if c not in codes]
    obj = getattr(lk, name)
    codes = set(IGNORED) | (set(CONTAINER_CODES) if name in CONTAINERS else set())
    result = validate(f"{obj.__module__}.{name}")
    return [(c, m) for c, m in result["errors"] if c not in codes]


def method_errors(qualified):
    *owner, attr = qualified.split(".")
    if owner[0] == "datasets":
        result = validate(f"lkcourse.datasets.{attr}")
        return [(c, m) for c, m in result["errors"] if c not in IGNORED]
    cls = getattr(lk.book, owner[1]) if owner[0] == "book" else getattr(lk, owner[0])
    codes = set(IGNORED)
    if isinstance(vars(cls)[attr], property):
        codes |= set(METHOD_CODES)
    result = validate(f"{cls.__module__}.{cls.__qualname__}.{attr}")
    return [(c, m) for c, m in result["errors"] if c not in codes]


@pytest.mark.parametrize("name", public_methods())
def test_public_method_passes_numpydoc_validation(name):
    errs = method_errors(name)
    assert not errs, "\n".join(f"{c}: {m}" for c, m in errs)


@pytest.mark.parametrize("name", [f"book.{n}" for n in lk.book.__all__
                                  if callable(getattr(lk.book, n))])
def test_book_docstring_passes_numpydoc_validation(name):
    errs = errors(name)
    assert not errs, "\n".join(f"{c}: {m}" for c, m in errs)


def cases():
    out = []
    for name in public_names():
        pending = sorted(code for (n, code) in PENDING if n == name)
        marks = [pytest.mark.xfail(strict=True, reason="; ".join(
            f"{c}: {PENDING[(name, c)]}" for c in pending))] if pending else []
        out.append(pytest.param(name, pending, marks=marks, id=name))
    return out


@pytest.mark.parametrize("name, pending", cases())
def test_public_docstring_passes_numpydoc_validation(name, pending):
    errs = errors(name)
    if pending:   # an xfail: fails while a pending code is still reported
        assert not any(c in pending for c, _ in errs), errs
    assert not errs, "\n".join(f"{c}: {m}" for c, m in errs)


def test_the_ignore_list_stays_short_and_pending_names_exist():
    assert len(IGNORED) <= 3 and len(CONTAINER_CODES) <= 2 and len(METHOD_CODES) <= 2
    assert len(public_methods()) > 60
    assert {n for n, _ in PENDING} <= set(public_names())
    assert CONTAINERS <= set(public_names())
    assert all(inspect.isclass(getattr(lk, n)) for n in CONTAINERS)
