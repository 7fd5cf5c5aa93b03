r"""Checks for a new penalty or activation, in the spirit of scikit-learn's
``check_estimator``: run one on what you wrote before you use it.

:func:`check_penalty` and :func:`check_activation` test an object against what the
package relies on, with seeded inputs, and raise ``AssertionError`` with a message that
says which property failed, at which input, and what to look at. They test properties
(the gradient is the derivative of the value, the prox is the minimizer it claims to
be), never a copy of the formula, so they catch a wrong formula too.

The test suite runs them on every registered penalty and activation, so a class added
to a registry is checked the moment it is added.
"""
from __future__ import annotations

import copy
import pickle
import warnings

import numpy as np

from .activation_base import Activation
from .gradcheck import numerical_grad
from .penalty_base import Penalty, as_penalty

__all__ = ["check_penalty", "check_activation"]


def _fail(what, message):
    raise AssertionError(f"check_{what}: {message}")


def _arrays(rng):
    """Points at which a penalty is checked: dense, with zeros (kinks), matrices."""
    return [rng.normal(size=6) * 1.5,
            np.array([0.0, 0.3, -0.3, 0.0, 2.0, -1.2]),
            rng.normal(size=(3, 4)),
            np.array([1.5, -0.4, 0.8, 0.05])]


def _smooth_points(rng):
    """Points away from 0 and without ties, where a penalty should be differentiable."""
    return [np.sign(rng.normal(size=5)) * rng.uniform(0.2, 2.0, size=5),
            np.sign(rng.normal(size=(2, 3))) * rng.uniform(0.3, 1.5, size=(2, 3))]


def _same(a, b, rtol=1e-10, atol=1e-12):
    return np.allclose(a, b, rtol=rtol, atol=atol, equal_nan=True)


def _check_methods(p, what):
    for method in ("value", "grad", "prox"):
        if not callable(getattr(p, method, None)):
            _fail(what, f"{p!r} has no {method}() method; a penalty needs value(w), "
                        "grad(w) and prox(v, step) (subclass lk.Penalty and write "
                        "unit_value, unit_grad, unit_prox)")


def _check_outputs(p, rng):
    for w in _arrays(rng):
        before = w.copy()
        value = p.value(w)
        try:
            value = float(value)
        except (TypeError, ValueError):
            _fail("penalty", f"value(w) must be a real number; got {value!r} for w = {w}")
        if not np.isfinite(value):
            _fail("penalty", f"value(w) is {value} for the finite w = {w}")
        g = np.asarray(p.grad(w))
        if g.shape != w.shape or not np.all(np.isfinite(g)):
            _fail("penalty", f"grad(w) must be a finite array of w's shape {w.shape}; "
                             f"got {g!r} for w = {w}")
        u = np.asarray(p.prox(w, 0.5))
        if u.shape != w.shape or not np.all(np.isfinite(u)):
            _fail("penalty", f"prox(v, 0.5) must be a finite array of v's shape "
                             f"{w.shape}; got {u!r} for v = {w}")
        if not np.array_equal(w, before):
            _fail("penalty", "value, grad or prox changed its input array in place; "
                             "work on a copy")


def _check_gradient(p, rng):
    for w in _smooth_points(rng):
        g = np.asarray(p.grad(w), dtype=np.float64)
        fd = numerical_grad(lambda x: float(p.value(x)), w, eps=1e-6)
        scale = max(1.0, float(np.max(np.abs(fd))))
        gap = np.abs(g - fd)
        if np.max(gap) > 1e-5 * scale:
            i = np.unravel_index(np.argmax(gap), gap.shape)
            _fail("penalty", "grad(w) does not match the finite differences of value "
                             f"at w = {np.round(w, 4)}: entry {i} has grad {g[i]:.6g} "
                             f"and finite difference {fd[i]:.6g}. Is grad the derivative "
                             "of value, with the same strength and reduction?")


def _check_subgradient(p, rng):
    """Convex penalties: R(u) >= R(w) + <grad(w), u - w>, kinks included."""
    for w in _arrays(rng) + _smooth_points(rng):
        g = np.asarray(p.grad(w), dtype=np.float64)
        rw = float(p.value(w))
        for _ in range(20):
            u = w + rng.normal(size=w.shape) * rng.choice([0.01, 0.3, 2.0])
            lower = rw + float(np.sum(g * (u - w)))
            ru = float(p.value(u))
            if ru < lower - 1e-9 * max(1.0, abs(lower)):
                _fail("penalty", "grad(w) is not a subgradient of value, although the "
                                 f"penalty says convex = True: at w = {np.round(w, 4)}, "
                                 f"u = {np.round(u, 4)}, R(u) = {ru:.6g} < R(w) + "
                                 f"<grad(w), u - w> = {lower:.6g}. Set convex = False if "
                                 "the penalty is not convex, else fix grad (at a kink: "
                                 "the minimum-norm subgradient).")


def _objective(p, u, v, t):
    return t * float(p.value(u)) + 0.5 * float(np.sum((u - v) ** 2))


def _check_prox(p, rng):
    for v in _arrays(rng):
        for t in (0.1, 0.7, 3.0):
            u = np.asarray(p.prox(v, t), dtype=np.float64)
            best = _objective(p, u, v, t)
            tol = 1e-9 * max(1.0, abs(best))
            rivals = [v, np.zeros_like(v)] + [
                u + rng.normal(size=v.shape) * s for s in (1e-4, 1e-2, 0.3) for _ in range(5)]
            for z in rivals:
                if _objective(p, z, v, t) < best - tol:
                    _fail("penalty", f"prox(v, {t}) is not the minimizer of step * R(u) + "
                                     f"0.5 * ||u - v||^2: at v = {np.round(v, 4)} it returns "
                                     f"u = {np.round(u, 4)} with objective {best:.8g}, but "
                                     f"u' = {np.round(z, 4)} gives "
                                     f"{_objective(p, z, v, t):.8g}. Is prox(v, step) the prox "
                                     "of step times the penalty (strength and reduction "
                                     "included)?")
            if getattr(p, "convex", False) is True:   # (v - u)/t is a subgradient at u
                s = (v - u) / t
                ru = float(p.value(u))
                for _ in range(10):
                    z = u + rng.normal(size=v.shape) * rng.choice([0.01, 0.5])
                    if float(p.value(z)) < ru + float(np.sum(s * (z - u))) - tol:
                        _fail("penalty", f"prox(v, {t}) misses the optimality condition "
                                         "(v - u) / step in the subdifferential of R at u, "
                                         f"at v = {np.round(v, 4)}, u = {np.round(u, 4)}")


def _check_prox_global(p):
    """On one entry the prox is a 1-D problem: it must be the global minimizer (grid)."""
    for t in (0.3, 1.0):
        for v in (-2.5, -0.9, -0.2, 0.0, 0.15, 0.6, 1.3, 3.0):
            u = float(np.asarray(p.prox(np.array([v]), t))[0])
            grid = np.linspace(-abs(v) - 1.0, abs(v) + 1.0, 1201)
            values = t * p.entrywise(grid) + 0.5 * (grid - v) ** 2
            got = _objective(p, np.array([u]), np.array([v]), t)
            if got > values.min() + 1e-7 * max(1.0, abs(values.min())):
                _fail("penalty", f"prox(v, {t}) of the single entry v = {v} returns "
                                 f"{u:.6g} (objective {got:.8g}), but u = "
                                 f"{grid[values.argmin()]:.6g} is lower "
                                 f"({values.min():.8g}): the prox must be a *global* "
                                 "minimizer (for a non-convex penalty compare the local "
                                 "minima and 0)")


def _check_separable(p, rng):
    a, b = rng.normal(size=4), rng.normal(size=3)
    ab = np.concatenate([a, b])
    terms = np.asarray(p.unit_value(ab))
    if terms.shape != ab.shape:
        _fail("penalty", f"separable = True, so unit_value(w) must return the terms "
                         f"h(w_i), an array of w's shape {ab.shape}; got shape "
                         f"{terms.shape}. Set separable = False for a penalty that is not "
                         "a sum over the entries")
    total = p.with_params(reduction="sum") if p.reduction == "mean" else p
    if not _same(total.value(ab), total.value(a) + total.value(b), rtol=1e-9):
        _fail("penalty", "separable = True, but the value of two arrays joined is not "
                         "the sum of their values; set separable = False")
    for method in ("grad", "prox"):
        args = (0.4,) if method == "prox" else ()
        joined = getattr(total, method)(ab, *args)
        parts = np.concatenate([getattr(total, method)(a, *args),
                                getattr(total, method)(b, *args)])
        if not _same(joined, parts):
            _fail("penalty", f"separable = True, but {method} of two arrays joined is "
                             f"not the two {method}s joined; set separable = False")


def _check_reduction(p, rng):
    try:
        sums, means = p.with_params(reduction="sum"), p.with_params(reduction="mean")
    except Exception as err:  # noqa: BLE001 - report what the constructor said
        _fail("penalty", f"{type(p).__name__}(..., reduction=...) fails: {err}; pass "
                         "reduction on to lk.Penalty.__init__")
    for w in _arrays(rng):
        n = w.size
        checks = [("value", means.value(w), sums.value(w) / n),
                  ("grad", means.grad(w), sums.grad(w) / n),
                  ("prox", means.prox(w, 0.8), sums.prox(w, 0.8 / n))]
        for name, got, want in checks:
            if not _same(got, want, rtol=1e-9, atol=1e-12):
                _fail("penalty", f'reduction="mean" must divide the strength by the '
                                 f"number of entries ({n}): its {name} differs from the "
                                 f'sum\'s {name} {"with step / n" if name == "prox" else "/ n"}'
                                 f" at w = {np.round(w, 4)}")


def _check_copies(obj, what, outputs):
    """Copies and pickles give an equal object with the same outputs."""
    try:
        clones = [copy.copy(obj), copy.deepcopy(obj), pickle.loads(pickle.dumps(obj))]
    except Exception as err:  # noqa: BLE001 - report why it cannot be copied
        _fail(what, f"{obj!r} cannot be copied or pickled ({type(err).__name__}: {err}); "
                    "define the class at the top level of a module and keep its "
                    "parameters in the constructor's arguments")
    base = outputs(obj)
    for clone in clones:
        if isinstance(obj, (Penalty, Activation)) and (clone != obj or hash(clone) != hash(obj)):
            _fail(what, f"a copy of {obj!r} is not equal to it (or hashes differently)")
        for got, want in zip(outputs(clone), base):
            if not _same(got, want, rtol=0, atol=0):
                _fail(what, f"a copy of {obj!r} gives other results than the original")


def check_penalty(penalty):
    r"""Check that an object is a correct penalty; raise ``AssertionError`` if not.

    Checks, on seeded inputs (dense arrays, arrays with zeros, matrices):

    - ``value(w)`` is a finite real number, ``grad(w)`` and ``prox(v, step)`` finite
      arrays of the input's shape, and none of them changes its input;
    - ``grad`` matches the finite differences of ``value`` where the penalty is
      smooth;
    - if ``convex`` is true, ``grad(w)`` is a subgradient: :math:`R(u) \ge R(w) +
      \langle g, u - w\rangle`, kinks included;
    - ``prox(v, step)`` minimizes :math:`\mathrm{step}\,R(u) + \tfrac12\lVert u -
      v\rVert^2` against nearby and distant rivals; for a convex penalty it meets the
      optimality condition :math:`(v - u)/\mathrm{step} \in \partial R(u)`; on a
      single entry (a 1-D problem) it is the *global* minimizer (a grid search);
    - a :class:`~lkcourse.Penalty`: ``separable = True`` holds, and
      ``reduction="mean"`` is the sum's strength divided by the number of entries;
    - copies and pickles are equal and give the same results.

    Parameters
    ----------
    penalty : Penalty or object
        A penalty instance: a subclass of ``lk.Penalty``, or any object with
        ``value``, ``grad`` and ``prox``.

    Raises
    ------
    AssertionError
        At the first property that fails, saying which one, at which input, and what
        to look at.

    Examples
    --------
    >>> import lkcourse as lk
    >>> lk.check_penalty(lk.L1(0.3))          # passes: returns None
    >>> class Wrong(lk.Penalty):
    ...     name = "wrong"
    ...     def __init__(self, lam=1.0, *, reduction="sum"):
    ...         super().__init__(lam=lam, reduction=reduction)
    ...     def unit_value(self, w): return w ** 2
    ...     def unit_grad(self, w): return w            # should be 2 w
    ...     def unit_prox(self, v, t): return v / (1 + 2 * t)
    >>> lk.check_penalty(Wrong(0.5))
    Traceback (most recent call last):
    ...
    AssertionError: check_penalty: grad(w) does not match the finite differences of value ...
    """
    _check_methods(penalty, "penalty")
    p = as_penalty(penalty, "check_penalty", needs=("value", "grad", "prox"))
    rng = np.random.default_rng(20240521)
    with np.errstate(all="ignore"):
        _check_outputs(p, rng)
        _check_gradient(p, rng)
        if getattr(p, "convex", False) is True:
            _check_subgradient(p, rng)
        _check_prox(p, rng)
        _check_prox_global(p)
        if isinstance(penalty, Penalty):
            if penalty.separable:
                _check_separable(penalty, rng)
            _check_reduction(penalty, rng)
        sample = _arrays(np.random.default_rng(1))[0]
        _check_copies(penalty, "penalty", lambda q: (q.value(sample), q.grad(sample),
                                                     q.prox(sample, 0.5)))


def check_activation(activation):
    """Check that an object is a correct activation; raise ``AssertionError`` if not.

    Checks: ``f(z)`` and ``df(z)`` return float arrays of ``z``'s shape and do not
    change their input (a scalar gives a scalar, for an ``lk.Activation``); ``df``
    matches the finite differences of ``f`` away from the kinks (``activation.kinks``;
    0 is avoided if it has none); any finite input, up to :math:`\\pm 10^{300}`, gives
    no NaN and no warning; NaN gives NaN; at a kink ``df`` is finite; copies and
    pickles are equal and give the same results.

    Parameters
    ----------
    activation : Activation or object
        An activation: an instance of a subclass of ``lk.Activation``, or any object
        with ``f(z)`` and ``df(z)``.

    Raises
    ------
    AssertionError
        At the first property that fails, saying which one and at which input.

    Examples
    --------
    >>> import numpy as np, lkcourse as lk
    >>> lk.check_activation(lk.activation("gelu"))     # passes: returns None
    >>> class Wrong(lk.Activation):
    ...     name = "wrong"
    ...     def f(self, z): return np.tanh(z)
    ...     def df(self, z): return 1 - np.tanh(z)     # should be 1 - tanh(z)**2
    >>> lk.check_activation(Wrong())
    Traceback (most recent call last):
    ...
    AssertionError: check_activation: df(z) does not match the finite differences of f ...
    """
    a = activation
    for method in ("f", "df"):
        if not callable(getattr(a, method, None)):
            _fail("activation", f"{a!r} has no {method}() method; an activation needs "
                                "f(z) and df(z) (subclass lk.Activation)")
    rng = np.random.default_rng(7)
    z = np.concatenate([np.linspace(-6, 6, 241), rng.normal(size=40) * 3])
    kinks = tuple(getattr(a, "kinks", ()) or (0.0,))
    z = z[np.all(np.abs(z[:, None] - np.array(kinks)[None, :]) > 1e-3, axis=1)]
    before = z.copy()
    fz, dz = np.asarray(a.f(z)), np.asarray(a.df(z))
    for name, out in (("f", fz), ("df", dz)):
        if out.shape != z.shape or out.dtype.kind != "f":
            _fail("activation", f"{name}(z) must return a float array of z's shape "
                                f"{z.shape}; got {out.dtype} of shape {out.shape}")
    if not np.array_equal(z, before):
        _fail("activation", "f or df changed its input array in place; work on a copy")
    h = 1e-6
    fd = (np.asarray(a.f(z + h)) - np.asarray(a.f(z - h))) / (2 * h)
    gap = np.abs(dz - fd)
    if np.any(gap > 1e-6 + 1e-5 * np.abs(fd)):
        i = int(np.argmax(gap))
        _fail("activation", "df(z) does not match the finite differences of f at z = "
                            f"{z[i]:.6g}: df = {dz[i]:.8g}, finite difference = "
                            f"{fd[i]:.8g}")
    extreme = np.array([-1e300, -1e10, -1e4, -50.0, 50.0, 1e4, 1e10, 1e300])
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        try:
            outs = [np.asarray(a.f(extreme)), np.asarray(a.df(extreme))]
        except RuntimeWarning as err:
            _fail("activation", f"f or df warns on large finite inputs ({err}); write the "
                                "formula so that it cannot overflow (exp(-|z|), clip)")
    for name, out in zip(("f", "df"), outs):
        if np.isnan(out).any():
            _fail("activation", f"{name} gives NaN at the finite input "
                                f"z = {extreme[np.isnan(out)][0]:g}")
    nan_out = [np.asarray(a.f(np.array([np.nan]))), np.asarray(a.df(np.array([np.nan])))]
    if not all(np.isnan(o).all() for o in nan_out):
        _fail("activation", "NaN in must give NaN out, for f and df")
    for kink in kinks:
        if not np.isfinite(np.asarray(a.df(np.array([kink])))).all():
            _fail("activation", f"df at the kink z = {kink:g} must be finite (PyTorch's "
                                "convention: the one-sided value autograd returns)")
    if isinstance(a, Activation):
        if np.ndim(a.f(0.5)) != 0 or np.ndim(a.df(0.5)) != 0:
            _fail("activation", "a scalar input must give a scalar output")
        if not isinstance(a.name, str) or not a.name:
            _fail("activation", "the class needs a name (its registry name)")
    _check_copies(a, "activation", lambda b: (b.f(z), b.df(z)))
