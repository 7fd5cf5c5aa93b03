"""numpydoc's docstring validation on the public API (``lk.__all__``).

``numpydoc.validate.validate`` runs every check numpydoc has on the docstring of each
public function and class, except the short list below, each with its reason. A new
public name is checked the moment it is exported.
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


def public_names():
    return [n for n in lk.__all__ if callable(getattr(lk, n)) and n != "datasets"]


def errors(name):
    obj = getattr(lk, name)
    codes = set(IGNORED) | (set(CONTAINER_CODES) if name in CONTAINERS else set())
    result = validate(f"{obj.__module__}.{name}")
    return [(c, m) for c, m in result["errors"] if c not in codes]


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
    assert len(IGNORED) <= 3 and len(CONTAINER_CODES) <= 2
    assert {n for n, _ in PENDING} <= set(public_names())
    assert CONTAINERS <= set(public_names())
    assert all(inspect.isclass(getattr(lk, n)) for n in CONTAINERS)
