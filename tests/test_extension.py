"""The extension points: a penalty and an activation the package does not ship, written
as the README says, work everywhere; the checkers accept correct objects and reject
planted bugs; every registered entry passes its checker (tests/conftest.py).

The penalty is Huber's, :math:`\\lambda \\sum_i h(w_i)` with :math:`h(x) = x^2/2` for
:math:`|x| \\le \\delta`, else :math:`\\delta(|x| - \\delta/2)`, written as a subclass of
``lk.Penalty``; the log-sum penalty :math:`\\lambda \\sum_i \\log(1 + |w_i|/\\epsilon)`
is written as a plain object with ``value``, ``grad`` and ``prox`` (the protocol path).
"""
import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from scipy.optimize import minimize

import lkcourse as lk
from lkcourse.weight_penalty import WeightPenalty


class Huber(lk.Penalty):
    """Huber penalty: quadratic near 0, linear beyond ``delta`` (written as the README says)."""

    name = "huber"
    constraints = {"delta": {"low": 0, "low_open": True}}
    examples = ({"lam": 0.4, "delta": 0.5},)

    def __init__(self, lam=1.0, delta=1.0, *, reduction="sum"):
        super().__init__(lam=lam, delta=delta, reduction=reduction)

    def unit_value(self, w):
        a = np.abs(w)
        return np.where(a <= self.delta, 0.5 * w ** 2, self.delta * (a - 0.5 * self.delta))

    def unit_grad(self, w):
        return np.clip(w, -self.delta, self.delta)

    def unit_prox(self, v, t):
        return np.where(np.abs(v) <= self.delta * (1 + t), v / (1 + t),
                        v - t * self.delta * np.sign(v))


class LogSum:
    """The log-sum penalty as a plain object: value, grad, prox (non-convex)."""

    def __init__(self, lam, eps=0.1):
        self.lam, self.eps = lam, eps

    def value(self, w):
        return self.lam * float(np.sum(np.log1p(np.abs(np.asarray(w, dtype=float)) / self.eps)))

    def grad(self, w):
        w = np.asarray(w, dtype=float)
        return self.lam * np.sign(w) / (self.eps + np.abs(w))

    def prox(self, v, step):
        v = np.asarray(v, dtype=float)
        t, e, a = step * self.lam, self.eps, np.abs(v)
        disc = (a + e) ** 2 - 4 * t               # u^2 + (e - a) u + t - a e = 0, u > 0
        root = np.where(disc >= 0, ((a - e) + np.sqrt(np.maximum(disc, 0))) / 2, 0.0)
        root = np.maximum(root, 0.0)
        keep = t * np.log1p(root / e) + 0.5 * (root - a) ** 2 < 0.5 * a ** 2
        return np.sign(v) * np.where(keep, root, 0.0)


HUBER = Huber(0.3, delta=0.5)


def moons(n=40, seed=0):
    return lk.datasets.moons(n, noise=0.25, rng=seed)


# ------------------------------------------------------------ the demonstration
def test_huber_passes_the_checker_and_logsum_too():
    lk.check_penalty(HUBER)
    lk.check_penalty(Huber(0.2, delta=2.0, reduction="mean"))
    lk.check_penalty(LogSum(0.05))


def test_huber_in_fit_linear_matches_a_generic_solver():
    X, y, _ = lk.datasets.sparse_regression(60, 5, 2, noise=0.3, rng=1)
    fit = lk.fit_linear(X, y, HUBER, fit_intercept=False, tol=1e-12, max_iter=50_000)

    def objective(w):   # the formula of the objective, written again
        r = y - X @ w
        a = np.abs(w)
        h = np.where(a <= 0.5, 0.5 * w ** 2, 0.5 * (a - 0.25))
        return r @ r / (2 * len(y)) + 0.3 * h.sum()

    ref = minimize(objective, np.zeros(5), method="BFGS", options={"gtol": 1e-12}).x
    assert fit.converged
    assert_allclose(fit.coef, ref, atol=1e-6)
    path = lk.regularization_path(X, y, lambda lam: Huber(lam, delta=0.5), [1.0, 0.1])
    unit = Huber(1.0, delta=0.5)           # the penalty falls as lam grows
    assert path.shape == (2, 5) and unit.value(path[0]) < unit.value(path[1])


def test_logsum_object_in_fit_linear_gives_sparse_coefficients():
    X, y, coef = lk.datasets.sparse_regression(80, 10, 3, noise=0.1, rng=2)
    fit = lk.fit_linear(X, y, LogSum(0.02), max_iter=20_000)
    assert np.count_nonzero(fit.coef) < 10 and np.all(fit.coef[coef != 0] != 0)


def test_huber_in_mlp_loss_and_grads():
    X, y = moons()
    model = lk.MLP([2, 6, 1], rng=0)
    loss, grads = model.loss_and_grads(X, y, "bce", HUBER)
    data, data_grads = model.loss_and_grads(X, y, "bce")
    by_hand = sum(HUBER.value(model.params[w]) for w in ("W1", "W2"))
    assert loss == pytest.approx(data + by_hand, rel=1e-14)
    for name in ("W1", "W2"):
        assert_allclose(grads[name] - data_grads[name],
                        0.3 * np.clip(model.params[name], -0.5, 0.5), atol=1e-15)
    assert_array_equal(grads["b1"], data_grads["b1"])


def test_huber_in_train_one_network_is_the_manual_loop():
    X, y = moons()
    model, manual = lk.MLP([2, 8, 1], rng=3), lk.MLP([2, 8, 1], rng=3)
    h = lk.train(model, X, y, optimizer=lk.Adam(0.02), loss="bce", penalty=HUBER,
                 epochs=25)
    opt = lk.Adam(0.02)
    for _ in range(25):
        opt.step(manual.params, manual.loss_and_grads(X, y, "bce", HUBER)[1])
    for name in model.params:
        assert_array_equal(model.params[name], manual.params[name])
    assert h.penalty[-1] == pytest.approx(
        sum(HUBER.value(model.params[w]) for w in ("W1", "W2")), rel=1e-13)


@pytest.mark.parametrize("make_optimizer", [lambda: lk.Adam(0.01),
                                            lambda: lk.SGD(0.05, momentum=0.9)])
def test_huber_and_logsum_in_train_on_a_stack_equal_separate_runs(make_optimizer):
    X, y = moons()
    penalties = [HUBER, Huber(0.1, delta=1.0), None, Huber(0.2, delta=0.5),
                 LogSum(0.01)]
    nets = [lk.MLP([2, 8, 8, 1], rng=s) for s in range(5)]
    stack = lk.MLP.stack([n.copy() for n in nets])
    h = lk.train(stack, X, y, optimizer=make_optimizer(), loss="bce", penalty=penalties,
                 epochs=15)
    for k, (net, p) in enumerate(zip(nets, penalties)):
        alone = lk.train(net, X, y, optimizer=make_optimizer(), loss="bce", penalty=p,
                         epochs=15)
        for name in net.params:
            assert_allclose(stack.params[name][k], net.params[name], rtol=0, atol=1e-13)
        assert_allclose(h[k].train_loss, alone.train_loss, rtol=1e-13)
        assert h[k].penalty == pytest.approx(alone.penalty, rel=1e-12)


def test_huber_prox_mode_on_a_stack_equals_separate_runs():
    X, y = moons()
    nets = [lk.MLP([2, 8, 1], rng=s) for s in range(3)]
    penalties = [HUBER, None, Huber(1.0, delta=0.2)]
    stack = lk.MLP.stack([n.copy() for n in nets])
    lk.train(stack, X, y, optimizer=lk.SGD(0.1), loss="bce", penalty=penalties,
             penalty_mode="prox", epochs=10)
    for k, net in enumerate(nets):
        if penalties[k] is None:
            lk.train(net, X, y, optimizer=lk.SGD(0.1), loss="bce", epochs=10)
        else:
            lk.train(net, X, y, optimizer=lk.SGD(0.1), loss="bce", penalty=penalties[k],
                     penalty_mode="prox", epochs=10)
        for name in net.params:
            assert_allclose(stack.params[name][k], net.params[name], rtol=0, atol=1e-14)


def test_huber_by_name_after_registration(registered):
    with pytest.raises(lk.InvalidParameterError, match="'huber'"):
        lk.penalty("huber", lam=0.1)
    registered(Huber)
    p = lk.penalty("huber", lam=0.3, delta=0.5)
    assert p == HUBER and "huber" in lk.PENALTIES
    with pytest.raises(lk.InvalidParameterError, match="'delta'"):
        lk.penalty("huber", lam=0.3, delta=-1.0)
    with pytest.raises(lk.InvalidParameterError, match="'width'"):
        lk.penalty("huber", width=1.0)


def test_registration_is_undone_by_the_fixture():
    assert "huber" not in lk.PENALTIES and "softsign" not in lk.ACTIVATIONS


def test_huber_in_the_penalty_explorer():
    ex = lk.penalty_explorer(lams=[0.5, 1.0], penalties={
        "Huber": lambda lam: Huber(lam, delta=0.5), "log-sum": lambda lam: LogSum(lam),
        "L1": lk.L1})
    ex.set(penalty="Huber", lam=1.0)
    w = ex.data["w"]
    assert_allclose(ex.data["value"], Huber(1.0, delta=0.5).entrywise(w), rtol=1e-15)
    assert_allclose(ex.figure.axes[0].lines[0].get_ydata(), ex.data["value"])
    ex.set(penalty="log-sum", lam=0.5)
    assert_allclose(ex.data["value"], 0.5 * np.log1p(np.abs(w) / 0.1), rtol=1e-14)
    assert ex.figure.texts[0].get_text().startswith("log-sum penalty")


def test_stack_groups_huber_by_unit_penalty():
    nets = [lk.MLP([2, 4, 1], rng=s) for s in range(4)]
    rule = WeightPenalty(lk.MLP.stack(nets), [HUBER, Huber(0.9, delta=0.5), None,
                                                    Huber(0.1, delta=2.0)], "test")
    assert [(unit, where) for unit, where, _ in rule.runs] == [
        (Huber(1.0, delta=0.5), slice(0, 2)), (Huber(1.0, delta=2.0), slice(3, 4))]


# ----------------------------------------------------------------- an activation
class Softsign(lk.Activation):
    """softsign(z) = z / (1 + |z|), written as the README says."""

    name, cost, range, bounds, zero_centred = "softsign", "div", "(-1, 1)", (-1.0, 1.0), True
    saturates = "both"
    formula, derivative = r"z / (1 + |z|)", r"1 / (1 + |z|)^2"

    def f(self, z):
        return z / (1.0 + np.abs(z))

    def df(self, z):
        s = 1.0 / (1.0 + np.abs(z))     # not 1 / (1 + |z|)**2: that overflows
        return s * s


def test_a_new_activation_works_everywhere(registered):
    a = Softsign()
    lk.check_activation(a)
    assert a(3.0) == 0.75 and np.ndim(a.df(2.0)) == 0
    registered(Softsign)
    assert lk.activation("softsign") == a
    X, y = moons()
    model = lk.MLP([2, 8, 1], "softsign", rng=0)
    h = lk.train(model, X, y, optimizer=lk.Adam(0.05), loss="bce", epochs=60)
    assert h.train_loss[-1] < h.train_loss[0]
    assert "| `softsign` |" in lk.book.spec_sheet("formulas").markdown


# ------------------------------------------------------- the checkers can fail
def bad_grad(w):
    return np.clip(w, -0.5, 0.5) * 2


class BadGrad(Huber):
    name = "bad_grad"

    def unit_grad(self, w):
        return bad_grad(w)


class BadProx(Huber):
    name = "bad_prox"

    def unit_prox(self, v, t):
        return v / (1 + t)          # right only near 0


class NotSeparable(Huber):
    name = "not_separable"

    def unit_value(self, w):        # claims separable but returns a number
        return float(np.sum(super().unit_value(w)))


class IgnoresMean(Huber):
    name = "ignores_mean"

    def factor(self, size):         # forgets the reduction
        return self.lam


class Convexish(lk.Penalty):
    """|w|^0.5 wrongly declared convex."""

    name = "convexish"

    def __init__(self, lam=1.0, *, reduction="sum"):
        super().__init__(lam=lam, reduction=reduction)

    def unit_value(self, w):
        return np.sqrt(np.abs(w))

    def unit_grad(self, w):
        a = np.abs(w)
        return np.where(a == 0, 0.0, 0.5 * np.sign(w) / np.sqrt(np.where(a == 0, 1, a)))

    def unit_prox(self, v, t):
        return lk.half_threshold(v, t)


def local_huber():   # a class defined in a function cannot be pickled
    class Local(Huber):
        name = "local"
    return Local(0.3, delta=0.5)


@pytest.mark.parametrize("bad, message", [
    (BadGrad(0.3, delta=0.5), "grad\\(w\\) does not match the finite differences"),
    (BadProx(0.3, delta=0.5), "prox\\(v, .*\\) is not the minimizer"),
    (NotSeparable(0.3, delta=0.5), "separable = True"),
    (IgnoresMean(0.3, delta=0.5, reduction="mean"), 'reduction="mean"'),
    (Convexish(0.2), "not a subgradient"),
    (local_huber(), "cannot be copied or pickled"),
    ("huber", "has no value\\(\\) method"),
])
def test_check_penalty_rejects_planted_bugs(bad, message):
    with pytest.raises(AssertionError, match=message):
        lk.check_penalty(bad)


class BadDf(Softsign):
    name = "bad_df"

    def df(self, z):
        return 1.0 / (1.0 + np.abs(z))


class Overflows(Softsign):
    name = "overflows"

    def f(self, z):
        return z * np.exp(z) / (1 + np.exp(z))      # overflows for z > 709

    def df(self, z):
        s = np.exp(z) / (1 + np.exp(z))
        return s + z * s * (1 - s)


class LosesNan(Softsign):
    name = "loses_nan"

    def f(self, z):
        return np.nan_to_num(z / (1.0 + np.abs(z)))


@pytest.mark.parametrize("bad, message", [
    (BadDf(), "df\\(z\\) does not match"), (Overflows(), "warns on large finite inputs"),
    (LosesNan(), "NaN in must give NaN out"), (3, "has no f\\(\\) method"),
])
def test_check_activation_rejects_planted_bugs(bad, message):
    with pytest.raises(AssertionError, match=message):
        lk.check_activation(bad)


# ----------------------------------------------------- every registered entry
def test_every_registered_penalty_passes_the_checker(penalty_case):
    lk.check_penalty(penalty_case)


def test_every_registered_activation_passes_the_checker(activation_case):
    lk.check_activation(activation_case)


# ---------------------------------------------------------------- bad arguments
@pytest.mark.parametrize("call, match", [
    (lambda: lk.register_penalty("huber"), "'penalty_class'"),
    (lambda: lk.register_penalty(type("Anon", (lk.Penalty,), {"name": "Bad Name"})),
     "'penalty_class'"),
    (lambda: lk.register_penalty(type("L1b", (Huber,), {"name": "l1"})), "'name'.*built-in"),
    (lambda: lk.register_penalty(Huber, replace="yes"), "'replace'"),
    (lambda: lk.register_activation(Huber), "'activation_class'"),
    (lambda: lk.register_activation(type("R", (Softsign,), {"name": "relu"})),
     "'name'.*built-in"),
    (lambda: lk.as_penalty(3, "demo"), "'penalty' parameter of demo"),
    (lambda: lk.as_penalty(lk.L1, "demo"), "an instance: call the class"),
    (lambda: lk.PENALTIES.unregister("l1"), "'name'"),
])
def test_bad_arguments_of_the_extension_points(call, match):
    with pytest.raises(lk.InvalidParameterError, match=match):
        call()


def test_registering_twice_needs_replace(registered):
    registered(Huber)
    with pytest.raises(lk.InvalidParameterError, match="replace=True"):
        lk.register_penalty(Huber)
    assert lk.register_penalty(Huber, replace=True) is Huber


def test_check_functions_do_not_change_their_argument():
    p = Huber(0.3, delta=0.5)
    lk.check_penalty(p)
    assert p == Huber(0.3, delta=0.5)
