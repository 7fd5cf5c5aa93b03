r"""How a penalty is written: the :class:`Penalty` base class and its three hooks.

A penalty is :math:`R(w) = \lambda\, r(w)`: a strength :math:`\lambda` times a *unit*
penalty :math:`r` (the penalty at strength 1). You write :math:`r`; the base class
does the rest. A subclass of :class:`Penalty` sets ``name`` and writes three hooks,
on float arrays that are already checked:

- ``unit_value(w)``: for a *separable* penalty (:math:`r(w) = \sum_i h(w_i)`, the
  default, ``separable = True``) the terms :math:`h(w_i)`, an array of ``w``'s shape;
  for a non-separable one (``separable = False``, e.g. ``LInf``) the number
  :math:`r(w)`;
- ``unit_grad(w)``: a (sub)gradient of :math:`r` at ``w``, ``w``'s shape (the
  minimum-norm subgradient at a kink);
- ``unit_prox(v, t)``: :math:`\operatorname{argmin}_u\ t\,r(u) + \tfrac12\lVert u -
  v\rVert^2` for :math:`t \ge 0`, ``v``'s shape;

plus ``convex = False`` if :math:`r` is not convex (``fit_linear`` then adds its
monotone safeguard). Its ``__init__`` passes its parameters to ``super().__init__``
(``lam`` first-class: the base checks it is a finite float >= 0; other parameters are
checked against ``constraints``). In return every penalty gets ``value(w)`` (and
``p(w)``), ``grad(w)`` and ``prox(v, step)`` with input checks and
``reduction="sum" | "mean"``, ``params``, ``with_params``, ``entrywise``, equality,
hashing, a ``repr``, immutability, copying and pickling, and it works everywhere a
penalty is accepted: ``fit_linear``, ``regularization_path``, ``MLP.loss_and_grads``,
``train`` on one network or a stack of K (a separable penalty is applied to the whole
stack in one call), ``simulate_weight`` and the explorers. Register it with
:func:`lkcourse.register_penalty` to build it by name with ``lk.penalty``, and check it
with :func:`lkcourse.check_penalty`. For example, the Huber penalty:

.. code-block:: python

    class Huber(lk.Penalty):
        r'''lam * sum(h(w_i)), h(x) = x**2/2 for |x| <= delta, else delta*(|x| - delta/2).'''
        name = "huber"
        constraints = {"delta": {"low": 0, "low_open": True}}   # delta > 0

        def __init__(self, lam=1.0, delta=1.0, *, reduction="sum"):
            super().__init__(lam=lam, delta=delta, reduction=reduction)

        def unit_value(self, w):
            a = np.abs(w)
            return np.where(a <= self.delta, 0.5 * w**2, self.delta * (a - 0.5 * self.delta))

        def unit_grad(self, w):
            return np.clip(w, -self.delta, self.delta)

        def unit_prox(self, v, t):
            return np.where(np.abs(v) <= self.delta * (1 + t), v / (1 + t),
                            v - t * self.delta * np.sign(v))

    lk.register_penalty(Huber)
    lk.check_penalty(lk.penalty("huber", lam=0.1, delta=0.5))

**Any object with ``value``, ``grad`` and ``prox`` is a penalty too** (duck typing, as
in pyproximal): every entry point passes it through :func:`as_penalty`, a thin adapter
that wraps it in a :class:`Penalty` whose unit hooks call those three methods (strength
1, ``reduction="sum"``, not separable, convex only if it says ``convex = True``).
Subclassing is the recommended way: it is what gives a new penalty validation,
``reduction``, pickling, registration and the fast path for stacks of networks.

``reduction="mean"`` divides the value by ``w.size``; ``grad`` and ``prox`` use the same
effective strength :math:`\lambda/\text{size}` (``factor(size)``).
"""
from __future__ import annotations

import numpy as np

from ._registry import rebuild
from ._validation import check_array, check_choice, check_real, fail

__all__ = ["Penalty", "as_penalty"]

_QUIET = dict(over="ignore", invalid="ignore", under="ignore", divide="ignore")


class Penalty:
    r"""Base class of the penalties :math:`R(w) = \lambda\, r(w)`; subclass it to write one.

    A subclass sets ``name`` and writes the hooks ``unit_value``, ``unit_grad`` and
    ``unit_prox`` for the unit penalty :math:`r` (see :mod:`lkcourse.penalty_base`);
    its ``__init__`` passes the parameters as keywords to this one.

    Parameters
    ----------
    reduction : {"sum", "mean"}
        ``"mean"`` divides by the number of entries (value, grad and prox alike).
    **params
        The penalty's parameters (floats), e.g. ``lam=0.1``. Each is checked against
        ``constraints[name]`` (keyword arguments of the range check; ``lam`` defaults
        to a finite float >= 0, any other name to a finite float) and stored as an
        attribute.

    Attributes
    ----------
    name : str
        The registry name (``lk.penalty(name, ...)``).
    convex : bool
        Whether :math:`r` is convex (``fit_linear`` uses plain FISTA then).
    separable : bool
        :math:`r(w) = \sum_i h(w_i)` entry by entry: ``unit_value`` returns the terms,
        and a stack of networks is penalized in one call.
    strength : str or None
        The parameter :math:`R` is proportional to (``"lam"``), or None when there is
        none (``ElasticNet``: its two strengths are part of its unit penalty).
    constraints : dict
        Parameter name -> keyword arguments of the range check (``low``, ``high``,
        ``low_open``, ``high_open``, ``allow_inf``).
    examples : tuple of dict
        Constructor arguments the test suite builds instances from (every registered
        penalty is checked with :func:`lkcourse.check_penalty` on each).
    reduction : str
        ``"sum"`` or ``"mean"``.
    params : dict
        The parameters (a copy), in constructor order.
    """

    name = "penalty"
    convex = True
    separable = True
    strength = "lam"
    constraints: dict = {}
    examples: tuple = ({},)

    def __init__(self, *, reduction="sum", **params):
        owner = type(self).__name__
        for key, val in params.items():
            rule = self.constraints.get(key, {"low": 0} if key == self.strength else {})
            object.__setattr__(self, key, check_real(val, key, owner, **rule))
        object.__setattr__(self, "_names", tuple(params))
        object.__setattr__(self, "reduction",
                           check_choice(reduction, "reduction", owner, ["sum", "mean"]))

    def __setattr__(self, key, val):
        raise AttributeError(f"{type(self).__name__} objects are immutable; "
                             "build a new one instead (p.with_params(...)).")

    # ---- the hooks a subclass writes (strength 1, checked float arrays) ----------
    def unit_value(self, w):
        """The unit penalty at ``w``: the terms ``h(w_i)`` (separable) or ``r(w)``.

        Parameters
        ----------
        w : ndarray
            A checked float array of any shape.

        Returns
        -------
        ndarray or float
            An array of ``w``'s shape for a separable penalty, else a float.

        Examples
        --------
        >>> import numpy as np, lkcourse as lk
        >>> lk.L1(0.5).unit_value(np.array([-2.0, 1.0]))      # |w_i|, strength 1
        array([2., 1.])
        """
        raise NotImplementedError(f"{type(self).__name__} must define unit_value(w)")

    def unit_grad(self, w):
        """A (sub)gradient of the unit penalty at ``w`` (minimum norm at a kink).

        Parameters
        ----------
        w : ndarray
            A checked float array of any shape.

        Returns
        -------
        ndarray
            ``w``'s shape.

        Examples
        --------
        >>> import numpy as np, lkcourse as lk
        >>> lk.L2(0.5).unit_grad(np.array([-2.0, 1.0]))       # 2 w, strength 1
        array([-4.,  2.])
        """
        raise NotImplementedError(f"{type(self).__name__} must define unit_grad(w)")

    def unit_prox(self, v, t):
        """``argmin_u t * r(u) + 0.5 * ||u - v||**2``, the prox of the unit penalty.

        Parameters
        ----------
        v : ndarray
            A checked float array of any shape.
        t : float
            The step times the strength, >= 0.

        Returns
        -------
        ndarray
            ``v``'s shape.

        Examples
        --------
        >>> import numpy as np, lkcourse as lk
        >>> lk.L1(0.5).unit_prox(np.array([-2.0, 0.3]), 0.5)  # soft-threshold at t
        array([-1.5,  0. ])
        """
        raise NotImplementedError(f"{type(self).__name__} must define unit_prox(v, t)")

    # ---- what every penalty gets ---------------------------------------------------
    @property
    def params(self):
        """The parameters (a new dict), in constructor order, without ``reduction``."""
        return {k: getattr(self, k) for k in self._names}

    def factor(self, size):
        """The multiplier of the unit penalty on an array of ``size`` entries.

        Parameters
        ----------
        size : int
            Number of entries of the penalized array.

        Returns
        -------
        float
            The strength (1 when the class has none), divided by ``size`` for
            ``reduction="mean"``.

        Examples
        --------
        >>> import lkcourse as lk
        >>> lk.L2(0.5).factor(10), lk.L2(0.5, reduction="mean").factor(10)
        (0.5, 0.05)
        """
        lam = getattr(self, self.strength) if self.strength else 1.0
        return lam * (1.0 if self.reduction == "sum" else 1.0 / max(int(size), 1))

    def with_params(self, **changes):
        """A new penalty of the same class with some parameters changed.

        Parameters
        ----------
        **changes
            New values, e.g. ``lam=0.2`` or ``reduction="mean"``.

        Returns
        -------
        Penalty
            ``type(self)(**{**self.params, "reduction": ..., **changes})``.

        Examples
        --------
        >>> import lkcourse as lk
        >>> lk.Lk(3, 0.5).with_params(lam=0.1)
        Lk(k=3.0, lam=0.1)
        """
        return type(self)(**{**self.params, "reduction": self.reduction, **changes})

    def unit(self):
        """The same penalty at strength 1 (itself when the class has no strength).

        Returns
        -------
        Penalty
            ``self.with_params(lam=1.0)``: networks whose penalties have equal units
            share one call of the hooks when a stack is trained.

        Examples
        --------
        >>> import lkcourse as lk
        >>> lk.L2(0.3).unit() == lk.L2(0.01).unit() == lk.L2(1.0)
        True
        """
        return self.with_params(**{self.strength: 1.0}) if self.strength else self

    def value(self, w):
        """Penalty value ``R(w)``.

        Parameters
        ----------
        w : array_like
            Any shape (a weight matrix is penalized entrywise).

        Returns
        -------
        float
            ``factor(w.size) * sum(unit_value(w))``.

        Examples
        --------
        >>> import lkcourse as lk
        >>> lk.L2(0.5).value([[1.0, -2.0], [0.0, 1.0]]), lk.L2(0.5)([3.0])
        (3.0, 4.5)
        """
        w = check_array(w, "w", f"{type(self).__name__}.value", finite=False, min_size=0)
        with np.errstate(**_QUIET):
            return float(self.factor(w.size) * np.sum(self.unit_value(w)))

    def __call__(self, w):
        return self.value(w)

    def grad(self, w):
        """Gradient of ``R`` at ``w`` (the minimum-norm subgradient at a kink).

        Parameters
        ----------
        w : array_like
            Any shape.

        Returns
        -------
        ndarray
            ``w``'s shape: ``factor(w.size) * unit_grad(w)``.

        Examples
        --------
        >>> import lkcourse as lk
        >>> lk.L1(0.5).grad([-2.0, 0.0, 3.0])                 # 0 at the kink
        array([-0.5,  0. ,  0.5])
        """
        w = check_array(w, "w", f"{type(self).__name__}.grad", finite=False, min_size=0)
        with np.errstate(**_QUIET):
            return np.asarray(self.factor(w.size) * self.unit_grad(w), dtype=np.float64)

    def prox(self, v, step):
        """Proximal operator ``argmin_u step * R(u) + 0.5 * ||u - v||**2``.

        Parameters
        ----------
        v : array_like
            Any shape.
        step : float, > 0 (finite)
            The step size.

        Returns
        -------
        ndarray
            ``v``'s shape: ``unit_prox(v, step * factor(v.size))``.

        Examples
        --------
        >>> import lkcourse as lk
        >>> lk.L2(0.5).prox([3.0, -1.5], step=1.0)             # v / (1 + 2 step lam)
        array([ 1.5 , -0.75])
        """
        owner = f"{type(self).__name__}.prox"
        v = check_array(v, "v", owner, finite=False, min_size=0)
        step = check_real(step, "step", owner, low=0, low_open=True)
        with np.errstate(**_QUIET):
            return np.asarray(self.unit_prox(v, step * self.factor(v.size)),
                              dtype=np.float64)

    def entrywise(self, w):
        """The penalty of each entry of ``w`` on its own, ``value(np.array([w_i]))``.

        Parameters
        ----------
        w : array_like
            Any shape.

        Returns
        -------
        ndarray
            ``w``'s shape (one call of the hook for a separable penalty: the curve of
            one weight, as the explorers draw it).

        Examples
        --------
        >>> import lkcourse as lk
        >>> lk.L1(0.5).entrywise([-2.0, 0.0, 1.0])
        array([1. , 0. , 0.5])
        """
        w = check_array(w, "w", f"{type(self).__name__}.entrywise", finite=False,
                        min_size=0)
        if not self.separable:
            return np.array([self.value(np.array([wi])) for wi in w.ravel()]
                            ).reshape(w.shape)
        with np.errstate(**_QUIET):
            return np.asarray(self.factor(1) * self.unit_value(w), dtype=np.float64)

    def __repr__(self):
        args = ", ".join(f"{k}={v!r}" for k, v in self.params.items())
        if self.reduction != "sum":
            args += f", reduction={self.reduction!r}"
        return f"{type(self).__name__}({args})"

    def _key(self):
        return (type(self).__name__, tuple(self.params.items()), self.reduction)

    def __reduce__(self):
        # Copies and pickles rebuild through the constructor, so they are checked and
        # immutable like the original.
        return (rebuild, (type(self), {**self.params, "reduction": self.reduction}))

    def __eq__(self, other):
        return isinstance(other, Penalty) and self._key() == other._key()

    def __hash__(self):
        return hash(self._key())


class ProtocolPenalty(Penalty):
    """The adapter that makes any object with ``value``, ``grad``, ``prox`` a Penalty.

    Built by :func:`as_penalty`; its unit hooks call the wrapped object's methods (no
    strength, ``reduction="sum"``, not separable). Equal only to an adapter of the
    same object.

    Parameters
    ----------
    obj : object
        The object with the penalty protocol's methods.

    Attributes
    ----------
    obj : object
        The wrapped object.
    """

    separable = False
    strength = None
    name = "protocol"

    def __init__(self, obj):
        super().__init__()
        object.__setattr__(self, "obj", obj)
        object.__setattr__(self, "convex", getattr(obj, "convex", False) is True)

    def unit_value(self, w):
        return float(self.obj.value(w))

    def unit_grad(self, w):
        return np.asarray(self.obj.grad(w), dtype=np.float64)

    def unit_prox(self, v, t):
        if t == 0:
            return v.copy()
        return np.asarray(self.obj.prox(v, t), dtype=np.float64)

    def unit(self):
        return self

    def __repr__(self):
        return repr(self.obj)

    def _key(self):
        return ("protocol", id(self.obj))

    def __eq__(self, other):
        return isinstance(other, ProtocolPenalty) and other.obj is self.obj

    def __hash__(self):
        return hash(self._key())

    def __reduce__(self):
        return (ProtocolPenalty, (self.obj,))


def as_penalty(penalty, owner, needs=("value", "grad"), name="penalty"):
    """None, a :class:`Penalty`, or any object with the protocol's methods, as a Penalty.

    The one check of the penalty protocol at every entry point: a ``Penalty`` passes
    unchanged, another object with the methods in ``needs`` is wrapped in the
    ``ProtocolPenalty`` adapter, None stays None.

    Parameters
    ----------
    penalty : None, Penalty or object
        What the caller received.
    owner : str
        The entry point, for the error message.
    needs : tuple of str
        The methods the caller uses: ``MLP`` and ``train`` need ``value`` and ``grad``,
        ``fit_linear`` ``value`` and ``prox``.
    name : str
        The parameter's name, for the error message.

    Returns
    -------
    Penalty or None
        The penalty, ready for the hooks.

    Raises
    ------
    InvalidParameterError
        For a class (``lk.L1`` instead of ``lk.L1(0.1)``) or an object without the
        methods.

    Examples
    --------
    >>> import numpy as np, lkcourse as lk
    >>> class Half:                       # a penalty written as a plain object
    ...     def value(self, w): return 0.5 * float(np.sum(np.asarray(w) ** 2))
    ...     def grad(self, w): return np.asarray(w, dtype=float)
    ...     def prox(self, v, step): return np.asarray(v) / (1 + step)
    >>> p = lk.as_penalty(Half(), "example")
    >>> p.value([1.0, 2.0]), p.grad([3.0])
    (2.5, array([3.]))
    """
    if penalty is None or isinstance(penalty, Penalty):
        return penalty
    if isinstance(penalty, type) or not all(callable(getattr(penalty, m, None))
                                            for m in needs):
        methods = " and ".join(f"{m}({'v, step' if m == 'prox' else 'w'})" for m in needs)
        hint = " (an instance: call the class)" if isinstance(penalty, type) else ""
        fail(name, owner, f"None or a penalty with {methods}, e.g. lk.L2(1e-3){hint}",
             penalty)
    return ProtocolPenalty(penalty)
