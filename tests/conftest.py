"""Fixtures shared by the test files.

``penalty_case`` and ``activation_case`` run a test once per entry of the registries
(``lk.PENALTIES``: one instance per ``examples`` entry of each class; ``lk.ACTIVATIONS``:
each registered object), so a penalty or activation added to the package is tested the
moment it is registered, without editing any test file: ``tests/test_extension.py`` runs
``lk.check_penalty`` / ``lk.check_activation`` on every case. ``registered`` registers a
class for one test and removes it afterwards, so no test leaves the registries changed.
"""
import pytest

import lkcourse as lk


def penalty_cases():
    """``(id, penalty)`` for every registered penalty class and example."""
    out = []
    for name, cls in lk.PENALTIES.items():
        for params in getattr(cls, "examples", ({},)):
            p = cls(**params)
            out.append((f"{name}-{p!r}", p))
    return out


@pytest.fixture(params=[p for _, p in penalty_cases()], ids=[i for i, _ in penalty_cases()])
def penalty_case(request):
    """One instance of every registered penalty (each of its ``examples``)."""
    return request.param


@pytest.fixture(params=list(lk.ACTIVATIONS.values()), ids=list(lk.ACTIVATIONS))
def activation_case(request):
    """Every registered activation, with its default parameters."""
    return request.param


@pytest.fixture
def registered():
    """``registered(cls)`` registers a penalty or activation class for this test only."""
    added = []

    def register(cls):
        if issubclass(cls, lk.Activation):
            lk.register_activation(cls)
            added.append((lk.ACTIVATIONS, cls.name))
        else:
            lk.register_penalty(cls)
            added.append((lk.PENALTIES, cls.name))
        return cls

    yield register
    for registry, name in added:
        registry.unregister(name)
