r"""Weight penalties :math:`R(w)`: value, (sub)gradient and proximal operator.

Every penalty is a small object ``p`` with ``p.value(w)`` (a float; ``p(w)`` is the
same), ``p.grad(w)`` (an array of ``w``'s shape) and ``p.prox(v, step)``, the minimizer
of ``step * R(u) + 0.5 * ||u - v||**2``. Arrays of any shape are penalized entrywise
(for a weight matrix, ``L2`` is the squared Frobenius norm and ``LInf`` the largest
absolute entry). The math lives in the pure functions of :mod:`lkcourse.prox`
(``soft_threshold``, ``hard_threshold``, ``half_threshold``, ``prox_lk``,
``project_l1_ball``). Each class is a subclass of :class:`~lkcourse.Penalty` that writes
the three hooks of its *unit* penalty (strength 1): the way to write a new one, shown in
:mod:`lkcourse.penalty_base`. :func:`register_penalty` adds a class to ``lk.PENALTIES``
so that :func:`penalty` builds it by name.

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

.. rubric:: Writing your own

Subclass :class:`~lkcourse.Penalty` and write ``unit_value``, ``unit_grad`` and
``unit_prox`` (:mod:`lkcourse.penalty_base` has the recipe and a Huber example); check it
with :func:`lkcourse.check_penalty`; register it with :func:`register_penalty`. Any other
object with ``value(w)``, ``grad(w)`` and ``prox(v, step)`` is accepted too, through the
adapter :func:`~lkcourse.as_penalty` (each caller names what it needs: ``MLP`` and
``train`` use ``value`` and ``grad``, and ``prox`` in prox mode; ``fit_linear`` uses
``value`` and ``prox``).

Elementwise math follows numpy: NaN in ``w`` gives NaN out, and huge weights give inf
(without warnings). The parameters (``lam``, ``k``, ``step``, ``reduction``) are
checked and raise ``lk.InvalidParameterError``.
"""
from __future__ import annotations

import inspect
import re

import numpy as np

from ._registry import Registry
from ._shared import soft
from ._validation import InvalidParameterError, check_choice, fail
from .penalty_base import Penalty
from .prox import half_threshold, hard_threshold, project_l1_ball, prox_lk

__all__ = ["Lk", "L1", "L2", "LInf", "L0", "ElasticNet", "penalty", "PENALTIES",
           "register_penalty"]


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
    constraints = {"k": {"low": 0, "low_open": True, "allow_inf": True}}
    examples = ({"k": 0.5, "lam": 0.3}, {"k": 1.5, "lam": 0.7}, {"k": 3.0, "lam": 0.4},
                {"k": 0.7, "lam": 0.2, "reduction": "mean"})

    def __new__(cls, *args, **kwargs):
        if cls is Lk:
            k = args[0] if args else kwargs.get("k")
            try:
                k_inf = bool(np.isinf(k))
            except TypeError:
                k_inf = False
            if k_inf and k > 0:
                rest = dict(kwargs)
                rest.pop("k", None)
                return LInf(*args[1:], **rest)
        return super().__new__(cls)

    # __new__ only sends k = inf to LInf; show __init__'s signature for the class
    __new__.__signature__ = inspect.signature(
        lambda cls, k, lam=1.0, *, reduction="sum": None)

    def __init__(self, k, lam=1.0, *, reduction="sum"):
        super().__init__(k=k, lam=lam, reduction=reduction)
        object.__setattr__(self, "convex", self.k >= 1)

    def _key(self):
        return ("Lk", (self.k, self.lam), self.reduction)

    def unit_value(self, w):
        return np.abs(w) ** self.k

    def unit_grad(self, w):
        a = np.abs(w)
        safe = np.where(a == 0, 1.0, a)
        return np.where(a == 0, 0.0, self.k * np.sign(w) * safe ** (self.k - 1))

    def unit_prox(self, v, t):
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
    constraints = {}
    examples = ({"lam": 0.7}, {"lam": 0.3, "reduction": "mean"})

    def __init__(self, lam=1.0, *, reduction="sum"):
        Penalty.__init__(self, lam=lam, reduction=reduction)
        object.__setattr__(self, "k", 1.0)

    @property
    def params(self):
        return {"lam": self.lam}

    def unit_value(self, w):
        return np.abs(w)

    def unit_grad(self, w):  # sign(0) = 0: the minimum-norm subgradient
        return np.sign(w)

    def unit_prox(self, v, t):
        return soft(v, t)


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
    constraints = {}
    examples = ({"lam": 0.7}, {"lam": 0.3, "reduction": "mean"})

    def __init__(self, lam=1.0, *, reduction="sum"):
        Penalty.__init__(self, lam=lam, reduction=reduction)
        object.__setattr__(self, "k", 2.0)

    @property
    def params(self):
        return {"lam": self.lam}

    def unit_value(self, w):
        return w * w

    def unit_grad(self, w):
        return 2.0 * w

    def unit_prox(self, v, t):
        return v / (1.0 + 2.0 * t)


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
    it clips the largest entries to a common level. Entries are coupled (the penalty
    is not separable), so a NaN or inf anywhere in ``w`` or ``v`` gives NaN everywhere
    in ``grad`` and ``prox``.

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
    separable = False
    examples = ({"lam": 0.7}, {"lam": 0.3, "reduction": "mean"})

    def __init__(self, lam=1.0, *, reduction="sum"):
        super().__init__(lam=lam, reduction=reduction)

    def unit_value(self, w):
        return np.max(np.abs(w)) if w.size else 0.0

    def unit_grad(self, w):
        a = np.abs(w)
        if w.size == 0 or np.isnan(a).any():
            return np.full(w.shape, np.nan) if w.size else np.zeros(w.shape)
        m = a.max()
        if m == 0:
            return np.zeros(w.shape)
        tied = a == m
        return np.sign(w) * tied / np.count_nonzero(tied)

    def unit_prox(self, v, t):
        if not np.isfinite(v).all():
            return np.full(v.shape, np.nan)
        return v - project_l1_ball(v, t)


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
    examples = ({"lam": 0.7}, {"lam": 0.3, "reduction": "mean"})

    def __init__(self, lam=1.0, *, reduction="sum"):
        super().__init__(lam=lam, reduction=reduction)

    def unit_value(self, w):
        return np.where(np.isnan(w), np.nan, w != 0)

    def unit_grad(self, w):
        return np.where(np.isnan(w), np.nan, 0.0)

    def unit_prox(self, v, t):
        return hard_threshold(v, np.sqrt(2.0 * t))


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
    ``l2 = alpha*(1 - l1_ratio)/2``. The two strengths are part of the unit penalty
    (``strength = None``).

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
    strength = None
    constraints = {"l1": {"low": 0}, "l2": {"low": 0}}
    examples = ({"l1": 0.5, "l2": 0.3}, {"l1": 0.2, "l2": 0.6, "reduction": "mean"})

    def __init__(self, l1=1.0, l2=1.0, *, reduction="sum"):
        super().__init__(l1=l1, l2=l2, reduction=reduction)

    def unit_value(self, w):
        return self.l1 * np.abs(w) + self.l2 * w ** 2

    def unit_grad(self, w):
        return self.l1 * np.sign(w) + 2.0 * self.l2 * w

    def unit_prox(self, v, t):
        return soft(v, t * self.l1) / (1.0 + 2.0 * t * self.l2)


_BUILT_IN = {"l0": L0, "l1": L1, "l2": L2, "lk": Lk, "linf": LInf, "elasticnet": ElasticNet}

PENALTIES = Registry("PENALTIES", _BUILT_IN, show="type", protected=_BUILT_IN)
"""Registry mapping each penalty name to its class (see :func:`penalty`); read-only
except through :func:`register_penalty`."""


def register_penalty(penalty_class, *, replace=False):
    """Add a penalty class to ``lk.PENALTIES``, so that ``lk.penalty(name, ...)`` builds it.

    Parameters
    ----------
    penalty_class : type
        A subclass of :class:`~lkcourse.Penalty` (the recommended way), or any class
        whose instances have ``value``, ``grad`` and ``prox``; it is registered under
        ``penalty_class.name``.
    replace : bool
        Allow replacing a penalty registered earlier under the same name (re-running
        a notebook cell). The built-in names cannot be replaced.

    Returns
    -------
    type
        ``penalty_class`` itself, so the function also works as a class decorator.

    Raises
    ------
    InvalidParameterError
        If ``penalty_class`` is not such a class, its ``name`` is malformed or a
        built-in name, or it is taken and ``replace`` is False.

    Examples
    --------
    >>> import numpy as np, lkcourse as lk
    >>> class Cubic(lk.Penalty):
    ...     name = "cubic_demo"
    ...     def __init__(self, lam=1.0, *, reduction="sum"):
    ...         super().__init__(lam=lam, reduction=reduction)
    ...     def unit_value(self, w): return np.abs(w) ** 3
    ...     def unit_grad(self, w): return 3 * w * np.abs(w)
    ...     def unit_prox(self, v, t): return lk.prox_lk(v, t, 3)
    >>> _ = lk.register_penalty(Cubic, replace=True)
    >>> lk.penalty("cubic_demo", lam=2.0).value([1.0, -2.0])
    18.0
    >>> lk.PENALTIES.unregister("cubic_demo")          # (keep the registry clean)
    """
    owner = "register_penalty"
    if not isinstance(penalty_class, type) or not (
            issubclass(penalty_class, Penalty) or all(
                callable(getattr(penalty_class, m, None)) for m in ("value", "grad", "prox"))):
        fail("penalty_class", owner, "a subclass of lk.Penalty (or a class with value, "
             "grad and prox)", penalty_class)
    name = getattr(penalty_class, "name", None)
    if not isinstance(name, str) or not re.fullmatch(r"[a-z][a-z0-9_]*", name):
        fail("penalty_class", owner, "a class whose name attribute is a lowercase name "
             "such as 'huber' (letters, digits, _)", penalty_class)
    if not isinstance(replace, (bool, np.bool_)):
        fail("replace", owner, "True or False", replace)
    PENALTIES.register(name, penalty_class, replace=bool(replace), owner=owner)
    return penalty_class


def penalty(name, **params):
    """Build a penalty by name.

    Parameters
    ----------
    name : str
        A key of ``lk.PENALTIES``: ``"l0" "l1" "l2" "lk" "linf" "elasticnet"``, and the
        names added with :func:`register_penalty`.
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
    lkcourse._validation.InvalidParameterError: The 'name' parameter of penalty must be one of 'l0', 'l1', 'l2', 'lk', 'linf', 'elasticnet'... Got 'L1' instead. Did you mean 'l1'?
    """
    name = check_choice(name, "name", "penalty", list(PENALTIES))
    cls = PENALTIES[name]
    signature = inspect.signature(cls.__init__)
    allowed = [p for p in signature.parameters if p != "self"]
    owner = f"penalty({name!r})"
    for key, val in params.items():
        if key not in allowed:
            check_choice(key, "**params", owner, allowed)
    for key, par in signature.parameters.items():
        if (key != "self" and par.default is inspect.Parameter.empty
                and par.kind in (par.POSITIONAL_OR_KEYWORD, par.KEYWORD_ONLY)
                and key not in params):
            raise InvalidParameterError(
                f"The '{key}' parameter of {owner} must be given"
                + (", a float > 0 (or inf)" if key == "k" else "") + ". Got nothing instead.")
    return cls(**params)
