r"""Weight penalties :math:`R(w)`: value, (sub)gradient and proximal operator.

Every penalty is a small object ``p`` with ``p.value(w)`` (a float; ``p(w)`` is the
same), ``p.grad(w)`` (an array of ``w``'s shape) and ``p.prox(v, step)``, the minimizer
of ``step * R(u) + 0.5 * ||u - v||**2``. Arrays of any shape are penalized entrywise
(for a weight matrix, ``L2`` is the squared Frobenius norm and ``LInf`` the largest
absolute entry). The math lives in the pure functions of :mod:`lkcourse.prox`
(``soft_threshold``, ``hard_threshold``, ``half_threshold``, ``prox_lk``,
``project_l1_ball``), re-exported here together with ``simulate_weight`` from
:mod:`lkcourse.dynamics`.

.. rubric:: Conventions

.. list-table::
   :header-rows: 1

   * - penalty
     - value ``R(w)``
     - ``grad`` at a kink
     - ``prox(v, step)``, with ``t = step*lam``
   * - ``Lk(k, lam)``, k < 1
     - ``lam*sum(|w|**k)``
     - 0 at ``w_i = 0``
     - 0 or the larger stationary point, whichever has the lower objective; 0 on an
       exact tie (``half_threshold`` for k = 1/2, ``prox_lk`` otherwise)
   * - ``L1(lam)``
     - ``lam*sum(|w|)``
     - 0 at ``w_i = 0``
     - ``soft_threshold(v, t)``
   * - ``Lk(k, lam)``, k > 1
     - ``lam*sum(|w|**k)``
     - (differentiable)
     - the root of ``u + t*k*|u|**(k-1)*sign(u) = v`` (``prox_lk``)
   * - ``L2(lam)``
     - ``lam*sum(w**2)``
     - (differentiable)
     - ``v / (1 + 2*t)``
   * - ``LInf(lam)``
     - ``lam*max(|w|)``
     - ``lam*sign(w_j)/m`` on the m tied largest entries, 0 elsewhere; 0 at ``w = 0``
     - ``v - project_l1_ball(v, t)`` (Moreau)
   * - ``L0(lam)``
     - ``lam*count(w != 0)``
     - 0 everywhere
     - ``hard_threshold(v, sqrt(2*t))``, 0 on a tie
   * - ``ElasticNet(l1, l2)``
     - ``l1*sum(|w|) + l2*sum(w**2)``
     - 0 at ``w_i = 0``
     - ``soft_threshold(v, step*l1) / (1 + 2*step*l2)``

The kink values are the minimum-norm subgradients. ``Lk(inf)`` returns an ``LInf``;
``L1`` and ``L2`` are ``Lk`` with k = 1 and 2 (``Lk(1) == L1()``).

``reduction="mean"`` divides the value by ``w.size``; ``grad`` and ``prox`` use the
same effective ``lam / w.size`` (``v.size`` for ``prox``), so
``L2(lam, reduction="mean")`` on an array of 10 entries behaves exactly as
``L2(lam / 10)``. Inside a network (``MLP.loss_and_grads``, ``lk.train``) the penalty
is applied to each weight matrix on its own and the results are summed, so
``reduction="mean"`` there is a *per-layer* mean, summed over the layers
(:math:`\lambda \sum_l \operatorname{mean}(W_l^2)` for ``L2``), not one mean over all
the weights of the network.

.. rubric:: Scaling against other libraries

For the data term ``(1/(2n))*||y - X w - b||**2``:

- ``L2(lam)`` = Keras ``regularizers.L2(lam)``; the gradient ``2*lam*w`` equals PyTorch
  ``SGD(weight_decay=2*lam)``; scikit-learn ``Ridge(alpha=2*n*lam)`` (its data term is
  ``||y - X w||**2``). A text writing ``(lam'/2)*||w||**2`` has ``lam' = 2*lam``.
- ``L1(lam)`` = Keras ``regularizers.L1(lam)`` = scikit-learn ``Lasso(alpha=lam)``.
- ``ElasticNet(l1, l2)`` = Keras ``L1L2(l1, l2)`` = scikit-learn
  ``ElasticNet(alpha=l1 + 2*l2, l1_ratio=l1 / (l1 + 2*l2))``.

.. rubric:: The penalty protocol (writing your own)

Every function of :mod:`lkcourse` that takes a ``penalty`` accepts any object with
these methods, not only the classes here (duck typing, as in pyproximal):

- ``value(w) -> float``: :math:`R(w)` for an array ``w`` of any shape;
- ``grad(w) -> ndarray`` of ``w``'s shape: a (sub)gradient, used by ``MLP.loss_and_grads``
  and ``lk.train(penalty_mode="grad")``;
- ``prox(v, step) -> ndarray`` of ``v``'s shape, the minimizer over u of
  ``step * R(u) + 0.5 * ||u - v||**2``: used by ``lk.fit_linear`` (with ``value``) and
  ``lk.train(penalty_mode="prox")``;
- optionally ``convex = True``, which lets ``fit_linear`` use plain FISTA with restart
  (otherwise it adds the monotone safeguard of the non-convex case).

Each caller names what it needs: ``MLP`` and ``train`` check ``value`` and ``grad``
(and ``prox`` in prox mode), ``fit_linear`` checks ``value`` and ``prox``.

Elementwise math follows numpy: NaN in ``w`` gives NaN out, and huge weights give inf
(without warnings). The parameters (``lam``, ``k``, ``step``, ``reduction``) are
checked and raise ``lk.InvalidParameterError``.
"""
from __future__ import annotations

import inspect

import numpy as np

from ._registry import Registry, rebuild
from ._validation import InvalidParameterError, check_array, check_choice, check_real, fail
from .dynamics import simulate_weight
from .prox import (_soft, half_threshold, hard_threshold, project_l1_ball, prox_lk,
                   soft_threshold)

__all__ = ["Penalty", "Lk", "L1", "L2", "LInf", "L0", "ElasticNet", "penalty",
           "PENALTIES", "simulate_weight", "soft_threshold", "hard_threshold",
           "half_threshold", "prox_lk", "project_l1_ball"]

_QUIET = dict(over="ignore", invalid="ignore", under="ignore")


class Penalty:
    """Base class of the penalties: input checks, ``reduction`` and the shared API.

    Subclasses set ``convex`` and implement ``_value(w, s)``, ``_grad(w, s)`` and
    ``_prox(v, step, s)``, where ``s`` is 1 for ``reduction="sum"`` and
    ``1 / size`` for ``"mean"``. Instances are immutable.
    """

    convex = True
    name = "penalty"

    def __init__(self, *, reduction="sum", **params):
        owner = type(self).__name__
        for key, val in params.items():
            object.__setattr__(self, key, val)
        object.__setattr__(self, "reduction",
                           check_choice(reduction, "reduction", owner, ["sum", "mean"]))

    def __setattr__(self, key, val):
        raise AttributeError(f"{type(self).__name__} objects are immutable; "
                             "build a new one instead.")

    def _params(self):
        return {"lam": self.lam}

    def _scale(self, size):
        return 1.0 if self.reduction == "sum" else 1.0 / max(size, 1)

    def _array(self, w, name, method):
        return check_array(w, name, f"{type(self).__name__}.{method}", finite=False,
                           min_size=0)

    def _entrywise(self, w):
        """The penalty of each entry of a checked ``w`` on its own (w's shape): what
        ``value(np.array([w_i]))`` gives, in one call (curves of one weight)."""
        return np.array([self._value(np.array([wi]), 1.0) for wi in np.ravel(w)]
                        ).reshape(np.shape(w))

    def value(self, w):
        """Penalty value ``R(w)`` as a float (see the class docstring for the formula)."""
        w = self._array(w, "w", "value")
        with np.errstate(**_QUIET):
            return float(self._value(w, self._scale(w.size)))

    def __call__(self, w):
        return self.value(w)

    def grad(self, w):
        """Gradient of ``R`` at ``w`` (minimum-norm subgradient at kinks), ``w``'s shape."""
        w = self._array(w, "w", "grad")
        with np.errstate(**_QUIET):
            return np.asarray(self._grad(w, self._scale(w.size)), dtype=np.float64)

    def prox(self, v, step):
        """``argmin_u step * R(u) + 0.5 * ||u - v||**2``, an array of ``v``'s shape.

        ``step`` must be a finite float > 0.
        """
        v = self._array(v, "v", "prox")
        step = check_real(step, "step", f"{type(self).__name__}.prox", low=0,
                          low_open=True)
        return np.asarray(self._prox(v, step, self._scale(v.size)), dtype=np.float64)

    def __repr__(self):
        args = ", ".join(f"{k}={v!r}" for k, v in self._params().items())
        if self.reduction != "sum":
            args += f", reduction={self.reduction!r}"
        return f"{type(self).__name__}({args})"

    def _key(self):
        return (type(self).__name__, tuple(self._params().items()), self.reduction)

    def __reduce__(self):
        # Copies and pickles rebuild through the constructor (``Lk.__new__`` needs k).
        return (rebuild, (type(self), {**self._params(), "reduction": self.reduction}))

    def __eq__(self, other):
        return isinstance(other, Penalty) and self._key() == other._key()

    def __hash__(self):
        return hash(self._key())


def check_protocol(penalty, owner, needs=("value", "grad"), name="penalty"):
    """Check that ``penalty`` is None or an object with the protocol's methods ``needs``.

    The one check of the penalty protocol (see the module docstring): ``MLP`` and
    ``train`` need ``value`` and ``grad``, ``fit_linear`` ``value`` and ``prox``. A class
    (``lk.L1`` instead of ``lk.L1(0.1)``) is rejected with a hint.
    """
    if penalty is None:
        return None
    if isinstance(penalty, type) or not all(callable(getattr(penalty, m, None))
                                            for m in needs):
        methods = " and ".join(f"{m}({'v, step' if m == 'prox' else 'w'})" for m in needs)
        hint = " (an instance: call the class)" if isinstance(penalty, type) else ""
        fail(name, owner, f"None or a penalty with {methods}, e.g. lk.L2(1e-3){hint}",
             penalty)
    return penalty


def _lam(lam, owner, name="lam"):
    return check_real(lam, name, owner, low=0)


class Lk(Penalty):
    r"""The Lk penalty :math:`R(w) = \lambda \sum_i |w_i|^k` for any :math:`k > 0`.

    Parameters
    ----------
    k : float, > 0 or inf
        Exponent. ``Lk(inf, lam)`` returns ``LInf(lam)``. k < 1 gives a non-convex
        penalty (a quasi-norm), k = 1 is ``L1``, k = 2 is ``L2``.
    lam : float, >= 0 (finite)
        Strength.
    reduction : {"sum", "mean"}
        ``"mean"`` divides by the number of entries (value, grad and prox alike).

    Raises
    ------
    InvalidParameterError
        For k <= 0 or NaN, lam < 0 or non-finite, or another reduction.

    Notes
    -----
    Gradient :math:`\lambda k \operatorname{sign}(w)|w|^{k-1}`; for k < 1 it blows up
    near 0 and is *defined as 0 at w = 0*: the one-sided slopes there are infinite, so
    every real g satisfies :math:`|w|^k \ge g\,w` near 0 and the (regular)
    subdifferential at 0 is all of :math:`\mathbb{R}`; 0 is its minimum-norm element.
    The prox is exact:
    soft-thresholding for k = 1, ``v / (1 + 2*step*lam)`` for k = 2,
    :func:`~lkcourse.prox.prox_lk` (a root solve) for other k > 1, and the global minimizer
    of the non-convex 1-D problem for k < 1 (:func:`~lkcourse.prox.half_threshold` for
    k = 1/2, :func:`~lkcourse.prox.prox_lk` otherwise), returning 0 on an exact tie.

    Examples
    --------
    >>> import numpy as np, lkcourse as lk
    >>> p = lk.Lk(3, lam=0.5)
    >>> p.value([1.0, -2.0])
    4.5
    >>> p.grad([1.0, -2.0])
    array([ 1.5, -6. ])
    >>> lk.Lk(0.5).grad([0.0, 4.0])
    array([0.  , 0.25])
    >>> lk.Lk(np.inf, lam=2.0)
    LInf(lam=2.0)
    """

    name = "lk"

    def __new__(cls, *args, **kwargs):
        if cls is Lk:
            k = args[0] if args else kwargs.get("k")
            k = check_real(k, "k", "Lk", low=0, low_open=True, allow_inf=True)
            if np.isinf(k):
                rest = dict(kwargs)
                rest.pop("k", None)
                return LInf(*args[1:], **rest)
        return super().__new__(cls)

    # __new__ only sends k = inf to LInf; show __init__'s signature for the class
    __new__.__signature__ = inspect.signature(
        lambda cls, k, lam=1.0, *, reduction="sum": None)

    def __init__(self, k, lam=1.0, *, reduction="sum"):
        owner = type(self).__name__
        k = check_real(k, "k", owner, low=0, low_open=True, allow_inf=True)
        super().__init__(k=k, lam=_lam(lam, owner), reduction=reduction)
        object.__setattr__(self, "convex", k >= 1)

    def _params(self):
        return {"k": self.k, "lam": self.lam}

    def _key(self):
        return ("Lk", (self.k, self.lam), self.reduction)

    def _entrywise(self, w):  # equals _value of each entry alone, to the last bit
        return self.lam * np.abs(w) ** self.k

    def _value(self, w, s):
        return self.lam * s * np.sum(np.abs(w) ** self.k)

    def _grad(self, w, s):
        a = np.abs(w)
        safe = np.where(a == 0, 1.0, a)
        return np.where(a == 0, 0.0, self.lam * s * self.k * np.sign(w) * safe ** (self.k - 1))

    def _prox(self, v, step, s):
        t = step * self.lam * s
        if self.k == 2:
            return v / (1.0 + 2.0 * t)
        if self.k == 0.5:
            return half_threshold(v, t)
        return prox_lk(v, t, self.k)


class L1(Lk):
    r"""The L1 (lasso) penalty :math:`R(w) = \lambda \sum_i |w_i|`.

    Parameters
    ----------
    lam : float, >= 0 (finite)
        Strength; ``L1(lam)`` is scikit-learn's ``Lasso(alpha=lam)`` penalty.
    reduction : {"sum", "mean"}
        ``"mean"`` divides by the number of entries.

    Notes
    -----
    Gradient :math:`\lambda\operatorname{sign}(w)`, 0 at w = 0 (the minimum-norm element
    of the subdifferential :math:`[-\lambda, \lambda]`). Prox: soft-thresholding at
    ``step * lam``.

    Examples
    --------
    >>> import lkcourse as lk
    >>> p = lk.L1(0.5)
    >>> p.value([1.0, -2.0, 0.0]), p.grad([1.0, -2.0, 0.0])
    (1.5, array([ 0.5, -0.5,  0. ]))
    >>> p.prox([1.0, -2.0, 0.3], step=1.0)
    array([ 0.5, -1.5,  0. ])
    """

    name = "l1"

    def __init__(self, lam=1.0, *, reduction="sum"):
        super().__init__(1.0, lam, reduction=reduction)

    def _grad(self, w, s):  # the fast path of Lk._grad for k = 1: sign(0) = 0
        return (self.lam * s) * np.sign(w)

    def _params(self):
        return {"lam": self.lam}


class L2(Lk):
    r"""The L2 (ridge) penalty :math:`R(w) = \lambda \sum_i w_i^2` (no 1/2).

    Parameters
    ----------
    lam : float, >= 0 (finite)
        Strength; matches Keras ``L2(lam)``, PyTorch ``weight_decay = 2*lam`` under
        plain SGD and scikit-learn ``Ridge(alpha=2*n*lam)``.
    reduction : {"sum", "mean"}
        ``"mean"`` divides by the number of entries.

    Notes
    -----
    Gradient :math:`2\lambda w`; prox :math:`v / (1 + 2\,\mathrm{step}\,\lambda)`. For a
    matrix the value is :math:`\lambda \|W\|_F^2`.

    Examples
    --------
    >>> import lkcourse as lk
    >>> p = lk.L2(0.5)
    >>> p.value([[1.0, -2.0], [0.0, 1.0]]), p.grad([1.0, -2.0])
    (3.0, array([ 1., -2.]))
    >>> p.prox([3.0, -1.5], step=1.0)
    array([ 1.5 , -0.75])
    """

    name = "l2"

    def __init__(self, lam=1.0, *, reduction="sum"):
        super().__init__(2.0, lam, reduction=reduction)

    def _value(self, w, s):
        return self.lam * s * float(np.vdot(w, w))

    def _grad(self, w, s):  # the fast path of Lk._grad for k = 2 (training calls it a lot)
        return (2.0 * self.lam * s) * w

    def _params(self):
        return {"lam": self.lam}


class LInf(Penalty):
    r"""The L-infinity penalty :math:`R(w) = \lambda \max_i |w_i|` (over all entries).

    Parameters
    ----------
    lam : float, >= 0 (finite)
        Strength.
    reduction : {"sum", "mean"}
        ``"mean"`` divides by the number of entries.

    Notes
    -----
    Gradient: :math:`\lambda \operatorname{sign}(w_j)/m` on each of the m entries tied
    for the largest :math:`|w_j|`, 0 elsewhere, and 0 at w = 0: the minimum-norm
    subgradient. Prox (Moreau decomposition, the dual ball of the L-infinity norm being
    the L1 ball): :math:`v - \operatorname{proj}_{\{\|u\|_1 \le t\}}(v)`, t = step*lam;
    it clips the largest entries to a common level. Entries are coupled, so a NaN or
    inf anywhere in ``w`` or ``v`` gives NaN everywhere in ``grad`` and ``prox``.

    Examples
    --------
    >>> import lkcourse as lk
    >>> p = lk.LInf(1.0)
    >>> p.value([1.0, -3.0, 3.0]), p.grad([1.0, -3.0, 3.0])
    (3.0, array([ 0. , -0.5,  0.5]))
    >>> p.prox([1.0, -3.0, 2.5], step=1.0)
    array([ 1.  , -2.25,  2.25])
    """

    name = "linf"
    k = np.inf

    def __init__(self, lam=1.0, *, reduction="sum"):
        super().__init__(lam=_lam(lam, "LInf"), reduction=reduction)

    def _value(self, w, s):
        return self.lam * s * (np.max(np.abs(w)) if w.size else 0.0)

    def _grad(self, w, s):
        a = np.abs(w)
        if w.size == 0 or np.isnan(a).any():
            return np.full(w.shape, np.nan) if w.size else np.zeros(w.shape)
        m = a.max()
        if m == 0:
            return np.zeros(w.shape)
        tied = a == m
        return self.lam * s * np.sign(w) * tied / np.count_nonzero(tied)

    def _prox(self, v, step, s):
        if not np.isfinite(v).all():
            return np.full(v.shape, np.nan)
        return v - project_l1_ball(v, step * self.lam * s)


class L0(Penalty):
    r"""The L0 "norm" penalty :math:`R(w) = \lambda \cdot \#\{i : w_i \ne 0\}`.

    Parameters
    ----------
    lam : float, >= 0 (finite)
        Cost of each non-zero entry.
    reduction : {"sum", "mean"}
        ``"mean"``: ``lam`` times the fraction of non-zero entries.

    Notes
    -----
    Piecewise constant, so ``grad`` is 0 everywhere (NaN where w is NaN): gradient
    descent does not feel it. Prox: hard-thresholding at :math:`\sqrt{2\,t}`,
    t = step*lam (keep v iff :math:`v^2/2 > t`). At :math:`|v| = \sqrt{2t}` both 0 and v
    are minimizers; the prox returns 0. Non-convex (``convex = False``).

    Examples
    --------
    >>> import lkcourse as lk
    >>> p = lk.L0(0.5)
    >>> p.value([0.0, 2.0, -0.1])
    1.0
    >>> p.prox([0.5, 1.0, -2.0], step=1.0)  # threshold sqrt(2 * 0.5) = 1
    array([ 0.,  0., -2.])
    """

    name = "l0"
    convex = False

    def __init__(self, lam=1.0, *, reduction="sum"):
        super().__init__(lam=_lam(lam, "L0"), reduction=reduction)

    def _value(self, w, s):
        return self.lam * s * np.sum(np.where(np.isnan(w), np.nan, w != 0))

    def _grad(self, w, s):
        return np.where(np.isnan(w), np.nan, 0.0)

    def _prox(self, v, step, s):
        return hard_threshold(v, np.sqrt(2.0 * step * self.lam * s))


class ElasticNet(Penalty):
    r"""Elastic net :math:`R(w) = \ell_1 \sum_i |w_i| + \ell_2 \sum_i w_i^2` (Keras ``L1L2``).

    Parameters
    ----------
    l1 : float, >= 0 (finite)
        L1 strength.
    l2 : float, >= 0 (finite)
        L2 strength (no 1/2).
    reduction : {"sum", "mean"}
        ``"mean"`` divides by the number of entries.

    Notes
    -----
    Gradient :math:`\ell_1 \operatorname{sign}(w) + 2\ell_2 w` (0 at w = 0). Prox:
    :math:`\operatorname{soft}(v, \mathrm{step}\,\ell_1)/(1 + 2\,\mathrm{step}\,\ell_2)`.
    scikit-learn's ``ElasticNet(alpha, l1_ratio)`` is ``l1 = alpha*l1_ratio``,
    ``l2 = alpha*(1 - l1_ratio)/2``.

    Examples
    --------
    >>> import lkcourse as lk
    >>> p = lk.ElasticNet(l1=1.0, l2=0.5)
    >>> p.value([1.0, -2.0]), p.grad([1.0, 0.0])
    (5.5, array([2., 0.]))
    >>> p.prox([3.0, -0.5], step=1.0)
    array([ 1., -0.])
    """

    name = "elasticnet"

    def __init__(self, l1=1.0, l2=1.0, *, reduction="sum"):
        super().__init__(l1=_lam(l1, "ElasticNet", "l1"), l2=_lam(l2, "ElasticNet", "l2"),
                         reduction=reduction)

    def _params(self):
        return {"l1": self.l1, "l2": self.l2}

    def _value(self, w, s):
        return s * (self.l1 * np.sum(np.abs(w)) + self.l2 * np.sum(w ** 2))

    def _grad(self, w, s):
        return s * (self.l1 * np.sign(w) + 2.0 * self.l2 * w)

    def _prox(self, v, step, s):
        return _soft(v, step * self.l1 * s) / (1.0 + 2.0 * step * self.l2 * s)


PENALTIES = Registry("PENALTIES", {
    "l0": L0, "l1": L1, "l2": L2, "lk": Lk, "linf": LInf, "elasticnet": ElasticNet,
}, show="type")
"""Read-only registry mapping each penalty name to its class (see :func:`penalty`)."""


def penalty(name, **params):
    """Build a penalty by name.

    Parameters
    ----------
    name : {"l0", "l1", "l2", "lk", "linf", "elasticnet"}
        The keys of ``lk.PENALTIES``.
    **params
        Passed to the class: ``lam`` and ``reduction`` for all, ``k`` (required) for
        ``"lk"``, ``l1`` and ``l2`` for ``"elasticnet"``.

    Returns
    -------
    Penalty
        An instance of ``lk.PENALTIES[name]``.

    Raises
    ------
    InvalidParameterError
        For an unknown name (with the valid names and a suggestion), an unknown or
        missing parameter, or a bad value.

    Examples
    --------
    >>> import lkcourse as lk
    >>> lk.penalty("lk", k=0.5, lam=0.1)
    Lk(k=0.5, lam=0.1)
    >>> lk.penalty("L1")
    Traceback (most recent call last):
    ...
    lkcourse._validation.InvalidParameterError: The 'name' parameter of penalty must be one of 'l0', 'l1', 'l2', 'lk', 'linf', 'elasticnet'. Got 'L1' instead. Did you mean 'l1'?
    """
    name = check_choice(name, "name", "penalty", list(PENALTIES))
    cls = PENALTIES[name]
    allowed = [p for p in inspect.signature(cls.__init__).parameters if p != "self"]
    owner = f"penalty({name!r})"
    for key, val in params.items():
        if key not in allowed:
            check_choice(key, "**params", owner, allowed)
    if "k" in allowed and "k" not in params:
        raise InvalidParameterError(
            f"The 'k' parameter of {owner} must be given, a float > 0 (or inf). "
            "Got nothing instead.")
    return cls(**params)
