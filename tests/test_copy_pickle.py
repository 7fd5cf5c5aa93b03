"""Every public object copies, deep-copies and pickles, and behaves the same after.

Saving a trained model, or sending models, penalties and optimizers to worker
processes (joblib, multiprocessing), needs ``pickle``; ``copy.deepcopy`` is how a model
is duplicated (``MLP.copy``). The round trips run over every registry entry and every
public class of ``lk.__all__``: a new class without an instance in ``INSTANCES`` (or a
reason in ``NOT_PICKLED``) fails ``test_every_public_class_is_round_tripped``.
"""
import copy
import inspect
import pickle

import numpy as np
import pytest
from numpy.testing import assert_array_equal

import lkcourse as lk

Z = np.concatenate([np.linspace(-6, 6, 49), [0.0, -1e4, 1e4, np.nan]])
W = np.array([[1.5, -0.2, 0.0], [0.7, -3.0, 0.05]])


def round_trips():
    return {
        "copy": copy.copy,
        "deepcopy": copy.deepcopy,
        "pickle": lambda obj: pickle.loads(pickle.dumps(obj)),
    }


ROUND_TRIPS = round_trips()

ACTIVATIONS = list(lk.ACTIVATIONS.values()) + [
    lk.activation("leaky_relu", negative_slope=0.2), lk.activation("prelu", a=-0.5),
    lk.activation("elu", alpha=0.5), lk.activation("softplus", beta=2.0, threshold=5.0),
    lk.activation("swish", beta=2.0), lk.activation("swish", beta=-1.0)]

PENALTIES = [lk.Lk(3, 0.1), lk.Lk(0.5, 0.2), lk.Lk(1.5, 0.3, reduction="mean"),
             lk.Lk(np.inf, 0.4), lk.L1(0.5), lk.L2(0.25), lk.LInf(1.0), lk.L0(0.3),
             lk.ElasticNet(l1=0.2, l2=0.1), lk.L2(0.5, reduction="mean")]


# ---------------------------------------------------------------- immutable objects
@pytest.mark.parametrize("how", ROUND_TRIPS)
@pytest.mark.parametrize("a", ACTIVATIONS, ids=repr)
def test_activations_round_trip(a, how):
    b = ROUND_TRIPS[how](a)
    assert type(b) is type(a) and b == a and hash(b) == hash(a) and repr(b) == repr(a)
    assert_array_equal(b.f(Z), a.f(Z))
    assert_array_equal(b.df(Z), a.df(Z))
    assert b.bounds == a.bounds and b.range == a.range and b.spec() == a.spec()
    with pytest.raises(AttributeError):
        b.alpha = 3.0


@pytest.mark.parametrize("how", ROUND_TRIPS)
@pytest.mark.parametrize("p", PENALTIES, ids=repr)
def test_penalties_round_trip(p, how):
    q = ROUND_TRIPS[how](p)
    assert type(q) is type(p) and q == p and repr(q) == repr(p)
    assert q.value(W) == p.value(W)
    assert_array_equal(q.grad(W), p.grad(W))
    assert_array_equal(q.prox(W, 0.3), p.prox(W, 0.3))
    with pytest.raises(AttributeError):
        q.lam = 2.0


@pytest.mark.parametrize("how", ROUND_TRIPS)
@pytest.mark.parametrize("registry", [lk.ACTIVATIONS, lk.PENALTIES], ids=repr)
def test_registries_round_trip(registry, how):
    copied = ROUND_TRIPS[how](registry)
    assert dict(copied) == dict(registry) and repr(copied) == repr(registry)
    with pytest.raises(TypeError):
        copied["new"] = None


# ------------------------------------------------------------------ stateful objects
OPTIMIZERS = [lk.SGD(0.1), lk.SGD(0.1, momentum=0.9, weight_decay=0.01),
              lk.SGDW(0.1, momentum=0.9, weight_decay=0.1), lk.Adam(0.05),
              lk.Adam(0.05, weight_decay=0.1), lk.AdamW(0.05, decay=lk.decay_weights_only)]


def grads_at(step):
    return {"W1": np.sin(np.arange(6.0) + step).reshape(2, 3), "b1": np.cos([step, 1.0])}


@pytest.mark.parametrize("how", ["deepcopy", "pickle"])
@pytest.mark.parametrize("opt", OPTIMIZERS, ids=repr)
def test_optimizer_and_params_round_trip_mid_training(opt, how):
    opt = copy.deepcopy(opt)
    params = {"W1": np.ones((2, 3)), "b1": np.zeros(2)}
    for step in range(3):
        opt.step(params, grads_at(step))
    # saved together, as a checkpoint would be; then both continue
    params2, opt2 = ROUND_TRIPS[how]((params, opt))
    assert repr(opt2) == repr(opt)
    for step in range(3, 6):
        opt.step(params, grads_at(step))
        opt2.step(params2, grads_at(step))
    for name in params:
        assert_array_equal(params2[name], params[name])
        for key, value in opt.state_of(name).items():
            assert_array_equal(opt2.state_of(name)[key], value)


@pytest.mark.parametrize("how", ["deepcopy", "pickle"])
def test_mlp_round_trip_trains_identically(how):
    X, y = lk.datasets.moons(64, noise=0.2, rng=0)
    model = lk.MLP([2, 8, 8, 1], "elu", dropout=0.2, rng=0)
    lk.train(model, X, y, optimizer=lk.Adam(0.01), loss="bce", epochs=3, rng=1)
    twin = ROUND_TRIPS[how](model)
    assert twin.params.keys() == model.params.keys()
    assert all(twin.params[k] is not model.params[k] for k in model.params)
    assert_array_equal(twin.forward(X), model.forward(X))
    # the dropout generator state travels too: the same masks from here on
    assert_array_equal(twin.forward(X, train=True), model.forward(X, train=True))
    h1 = lk.train(model, X, y, optimizer=lk.Adam(0.01), loss="bce", epochs=3, rng=2)
    h2 = lk.train(twin, X, y, optimizer=lk.Adam(0.01), loss="bce", epochs=3, rng=2)
    assert h1.train_loss == h2.train_loss


def test_mlp_copy_is_a_deep_copy():
    model = lk.MLP([2, 4, 1], "gelu", rng=0)
    twin = model.copy()
    twin.params["W1"] += 1.0
    assert not np.array_equal(twin.params["W1"], model.params["W1"])
    assert twin.activation == model.activation


# ------------------------------------------------------------- every public class
def instances():
    X, y = lk.datasets.moons(32, noise=0.2, rng=0)
    model = lk.MLP([2, 4, 1], rng=0)
    fit = lk.fit_linear(X, y, lk.L1(0.01))
    stack = lk.MLP.stack([model, lk.MLP([2, 4, 1], dropout=0.5, rng=1)])
    return {
        "SpecSheet": [lk.book.spec_sheet("formulas")],
        "Activation": ACTIVATIONS,
        "Lk": [lk.Lk(3, 0.1)], "L1": [lk.L1(0.1)], "L2": [lk.L2(0.1)],
        "LInf": [lk.LInf(0.1)], "L0": [lk.L0(0.1)], "ElasticNet": [lk.ElasticNet()],
        "Penalty": PENALTIES,
        "SGD": [lk.SGD(0.1, momentum=0.5)], "SGDW": [lk.SGDW(0.1)],
        "Adam": [lk.Adam()], "AdamW": [lk.AdamW()],
        "MLP": [model, stack],
        "LinearFit": [fit],
        "LogisticFit": [lk.fit_logistic(X, y, lk.L2(0.01))],
        "ForwardTrace": [model.forward_trace(X)],
        "History": [lk.train(model.copy(), X, y, optimizer=lk.SGD(0.1), loss="bce",
                             epochs=2)],
        "StackedHistory": [lk.train(stack.copy(), X, y, optimizer=lk.SGD(0.1),
                                    loss="bce", epochs=2, validation=(X, y))],
        "SourceCode": [lk.show_source(lk.soft_threshold)],
        "Draws": [lk.over_seeds(lambda s: {"a": float(s)}, 3)],
        "DrawsSummary": [lk.over_seeds(lambda s: {"a": float(s)}, 3).summary()],
        "LedgerEntry": [lk.ledger_entry(next(iter(lk.CLAIMS)))],
    }


INSTANCES = instances()
NOT_PICKLED = {
    "Explorer": "holds a live matplotlib figure and widgets; rebuild it from its "
                "arguments instead",
    "Experiment": "a registry entry holding the chapter's functions and claim lambdas; "
                  "the ledger sends experiment ids to worker processes, never objects",
    "Claim": "a registry entry holding a statistic (usually a lambda); see Experiment",
    "use_seed_block": "a switch of the process-wide seed block, not a value",
}


def public_classes():
    return [n for n in lk.__all__ if inspect.isclass(getattr(lk, n))
            and not issubclass(getattr(lk, n), BaseException)]


def test_every_public_class_is_round_tripped():
    missing = set(public_classes()) - set(INSTANCES) - set(NOT_PICKLED)
    assert not missing, f"add an instance of {sorted(missing)} to INSTANCES"
    for name, objs in INSTANCES.items():
        cls = getattr(lk, name, None) or getattr(lk.book, name)
        assert all(isinstance(o, cls) for o in objs), name


def same_behaviour(a, b):
    """A structural comparison that treats arrays by value."""
    if isinstance(a, np.ndarray):
        return isinstance(b, np.ndarray) and np.array_equal(a, b, equal_nan=True)
    if isinstance(a, (list, tuple)):
        return type(a) is type(b) and len(a) == len(b) and all(
            same_behaviour(x, y) for x, y in zip(a, b))
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(same_behaviour(a[k], b[k]) for k in a)
    if hasattr(a, "__dict__") and not isinstance(a, (lk.Activation, lk.Penalty)):
        return type(a) is type(b) and same_behaviour(vars(a), vars(b))
    slots = getattr(type(a), "__slots__", None)
    if slots and not isinstance(a, (lk.Activation, lk.Penalty)):
        return type(a) is type(b) and all(
            same_behaviour(getattr(a, k), getattr(b, k)) for k in slots)
    if isinstance(a, np.random.Generator):
        return a.bit_generator.state == b.bit_generator.state
    return a == b


@pytest.mark.parametrize("how", ROUND_TRIPS)
@pytest.mark.parametrize("name", sorted(INSTANCES))
def test_public_class_round_trip(name, how):
    for obj in INSTANCES[name]:
        other = ROUND_TRIPS[how](obj)
        assert type(other) is type(obj)
        if isinstance(obj, lk.SourceCode):
            assert str(other) == str(obj)
        elif isinstance(obj, (lk.SGD, lk.Adam)):
            assert repr(other) == repr(obj) and other.state == obj.state
        elif not isinstance(obj, lk.MLP) and hasattr(obj, "_repr_html_"):
            assert other._repr_html_() == obj._repr_html_()
        else:
            assert same_behaviour(obj, other), name


def test_linear_fit_stays_read_only_after_a_round_trip():
    fit = lk.fit_linear(*lk.datasets.moons(32, rng=0), lk.L1(0.01))
    for how in ROUND_TRIPS:
        other = ROUND_TRIPS[how](fit)
        with pytest.raises(ValueError):
            other.coef[0] = 1.0
        assert_array_equal(other.predict(np.ones((2, 2))), fit.predict(np.ones((2, 2))))


def test_logistic_fit_stays_read_only_after_a_round_trip():
    X, y = lk.datasets.moons(32, rng=0)
    fit = lk.fit_logistic(X, y, lk.L1(0.01))
    for how in ROUND_TRIPS:
        other = ROUND_TRIPS[how](fit)
        with pytest.raises(ValueError):
            other.coef[0] = 1.0
        assert_array_equal(other.predict_proba(X), fit.predict_proba(X))
