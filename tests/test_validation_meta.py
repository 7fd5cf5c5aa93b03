"""Meta-test: every public parameter of the penalty and linear-model API is validated.

The test walks the signatures of all public functions and classes of
``lkcourse.penalties``, ``lkcourse.prox``, ``lkcourse.dynamics`` and ``lkcourse.linear``
(plus the methods ``value``, ``grad``, ``prox`` of every registered penalty and
``LinearFit.predict``). Each parameter must have bad values listed in ``BAD`` below, and
each bad value must raise ``InvalidParameterError`` whose message names the parameter
and shows the value received. A new public function or parameter without an entry here
makes ``test_every_public_parameter_has_bad_values`` fail.
"""
import inspect

import numpy as np
import pytest

import lkcourse as lk
from lkcourse import dynamics, linear, penalties, prox

X = np.random.default_rng(0).normal(size=(12, 3))
Y = X @ np.array([1.0, 0.0, -1.0])
RAGGED = [[1.0], [1.0, 2.0]]

# Valid keyword arguments of each target; the bad values are swapped in one at a time.
VALID = {
    "Lk": dict(k=0.5, lam=1.0, reduction="sum"),
    "L1": dict(lam=1.0, reduction="sum"),
    "L2": dict(lam=1.0, reduction="sum"),
    "LInf": dict(lam=1.0, reduction="sum"),
    "L0": dict(lam=1.0, reduction="sum"),
    "ElasticNet": dict(l1=0.5, l2=0.5, reduction="sum"),
    "penalty": dict(name="l1"),
    "soft_threshold": dict(v=[1.0, -2.0], t=0.5),
    "hard_threshold": dict(v=[1.0, -2.0], t=0.5),
    "half_threshold": dict(v=[1.0, -2.0], t=0.5),
    "prox_lk": dict(v=[1.0, -2.0], t=0.5, k=1.5),
    "project_l1_ball": dict(v=[1.0, -2.0], radius=1.0),
    "simulate_weight": dict(penalty=lk.L1(0.1), w0=1.0, lr=0.1, steps=3, method="gd",
                            target=None),
    "fit_linear": dict(X=X, y=Y, penalty=None, fit_intercept=True, max_iter=100,
                       tol=1e-6, coef0=None),
    "regularization_path": dict(X=X, y=Y, penalty_factory=lk.L1, lams=[1.0, 0.1],
                                warm_start=True, return_intercepts=False),
    "polynomial_features": dict(x=[1.0, 2.0], degree=2),
    "value": dict(w=[1.0, -2.0]),
    "grad": dict(w=[1.0, -2.0]),
    "prox": dict(v=[1.0, -2.0], step=0.5),
    "predict": dict(X=X),
}

ARRAY_LIKE = ["abc", RAGGED]
STRENGTH = [-1.0, np.nan, np.inf, "1", True, None]
BAD = {  # parameter name -> bad values (the same meaning wherever the name appears)
    "lam": STRENGTH, "l1": STRENGTH, "l2": STRENGTH,
    "k": [0, -1.0, np.nan, "2", None],
    "reduction": ["avg", "SUM", None],
    "name": ["lasso", "L2", 3, None],
    "params": [{"alpha": 1.0}, {"lam": -1.0}],
    "v": ARRAY_LIKE, "w": ARRAY_LIKE,
    "t": [-1.0, np.nan, np.inf, "0.5"],
    "step": [0, -0.1, np.inf, np.nan, "1"],
    "radius": [-1.0, np.nan, "1"],
    "penalty": ["l1", 0.1, lk.L1],
    "w0": [np.nan, np.inf, "1", None],
    "lr": [0, -1.0, np.inf, np.nan],
    "steps": [-1, 2.5, "3", None],
    "method": ["sgd", "GD", None],
    "target": [np.nan, np.inf, "a"],
    "X": [X[:, 0], np.where(X > 1, np.nan, X), X[:5], "abc"],
    "y": [Y[:, None], np.where(Y > 1, np.inf, Y), Y[:5]],
    "fit_intercept": ["yes", 1, None],
    "max_iter": [0, 1.5, "10", None],
    "tol": [-1.0, np.nan, "1e-6"],
    "coef0": [np.zeros(2), np.full(3, np.nan), np.zeros((3, 1))],
    "penalty_factory": ["l1", lambda lam: "l1", lk.L1(0.1)],
    "lams": [np.ones((2, 2)), np.array([1.0, np.nan]), np.array([])],
    "warm_start": ["no", 1],
    "return_intercepts": ["no", 0],
    "fit_kwargs": [{"foo": 1.0}, {"alpha": 0.1}],
    "x": [np.ones((2, 2)), np.array([1.0, np.nan])],
    "degree": [0, 2.5, True, "3", None],
}
EXTRA = {  # target-specific bad values, added to BAD
    ("prox_lk", "k"): [np.inf],
}
OVERRIDE = {  # target-specific bad values, replacing BAD
    ("predict", "X"): [X[:, 0], np.ones((4, 2)), np.where(X > 1, np.nan, X)],
}
NOT_TARGETS = {  # public names that take no user parameters of their own
    "Penalty": "abstract base class; subclasses are the targets",
    "LinearFit": "result container built by fit_linear; predict() is a target",
    "ConvergenceWarning": "a warning class",
    "PENALTIES": "a read-only registry",
}


def public_targets():
    """name -> callable for every public function/class of the four modules."""
    out = {}
    for module in (penalties, prox, dynamics, linear):
        for name in module.__all__:
            if name not in NOT_TARGETS:
                out[name] = getattr(module, name)
    return out


def parameters(obj):
    return [p for p in inspect.signature(obj).parameters.values() if p.name != "self"]


def expected_fragments(param, bad):
    """What the message must contain: the parameter name and the value received."""
    if isinstance(bad, dict):  # **kwargs: the offending key (and its value)
        key, val = next(iter(bad.items()))
        return [f"'{key}'"] if key in ("alpha", "foo") else [f"'{key}'", repr(val)]
    # (an unknown key is the value received; a known key is checked by its owner)
    if isinstance(bad, np.ndarray):
        return [f"'{param}'", str(bad.shape)]
    return [f"'{param}'", repr(bad)]


def cases():
    """(id, callable, kwargs, param, bad) for every public parameter and bad value."""
    targets = {name: obj for name, obj in public_targets().items()}
    for p in [lk.Lk(0.5), lk.L1(), lk.L2(), lk.LInf(), lk.L0(), lk.ElasticNet()]:
        for method in ("value", "grad", "prox"):
            targets[f"{p!r}.{method}"] = getattr(p, method)
    targets["LinearFit.predict"] = lk.fit_linear(X, Y).predict
    out = []
    for tid, obj in targets.items():
        key = tid.rsplit(".", 1)[-1]
        for par in parameters(obj):
            bads = OVERRIDE.get((key, par.name),
                                BAD.get(par.name, []) + EXTRA.get((key, par.name), []))
            for bad in bads:
                out.append((f"{tid}-{par.name}={bad!r:.30}", obj, key, par, bad))
    return out


CASES = cases()


def test_every_public_parameter_has_bad_values():
    missing = []
    for name, obj in public_targets().items():
        for par in parameters(obj):
            if par.name not in BAD and (name, par.name) not in EXTRA:
                missing.append(f"{name}({par.name})")
    assert not missing, f"add bad values for {missing} to BAD in this test"
    assert set(public_targets()) | set(NOT_TARGETS) >= set(
        n for m in (penalties, prox, dynamics, linear) for n in m.__all__)
    assert len(CASES) > 150


@pytest.mark.parametrize("key", sorted(VALID))
def test_valid_arguments_are_accepted(key):
    # so that each bad-value case fails only because of the swapped parameter
    for _, obj, k, _, _ in CASES:
        if k == key:
            obj(**VALID[key])
            return
    pytest.fail(f"no target named {key}")


@pytest.mark.parametrize("tid, obj, key, par, bad", CASES, ids=[c[0] for c in CASES])
def test_bad_value_raises_a_message_naming_parameter_and_value(tid, obj, key, par, bad):
    kwargs = dict(VALID[key])
    if par.kind is inspect.Parameter.VAR_KEYWORD:
        kwargs.update(bad)
    else:
        kwargs[par.name] = bad
    with pytest.raises(lk.InvalidParameterError) as info:
        obj(**kwargs)
    msg = str(info.value)
    for fragment in expected_fragments(par.name, bad):
        assert fragment in msg, f"{fragment!r} missing from: {msg}"
    assert msg.startswith("The '"), msg
