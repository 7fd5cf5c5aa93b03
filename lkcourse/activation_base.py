r"""How an activation is written: the :class:`Activation` base class and its hooks.

An activation is an object ``a`` with ``a.f(z)`` (also ``a(z)``) and the elementwise
derivative ``a.df(z)``: that is the protocol ``lk.MLP`` and the explorers use, so any
object with ``f`` and ``df`` works. The recommended way to write one is to subclass
:class:`Activation`: set ``name`` (and ``defaults``/``constraints`` for parameters), and
write ``f`` and ``df`` on float64 arrays; the base class converts the input (a scalar
gives a scalar), validates parameters, makes the object immutable, comparable,
hashable, copyable and picklable, and gives the spec-sheet metadata defaults::

    class Softsign(lk.Activation):
        name, cost, range, bounds, zero_centred = "softsign", "div", "(-1, 1)", (-1.0, 1.0), True
        saturates = "both"
        formula, derivative = r"z / (1 + |z|)", r"1 / (1 + |z|)^2"

        def f(self, z):
            return z / (1.0 + np.abs(z))

        def df(self, z):
            s = 1.0 / (1.0 + np.abs(z))      # (1 + |z|)**2 would overflow at 1e300
            return s * s

    lk.register_activation(Softsign)        # lk.activation("softsign"), lk.MLP(..., "softsign")
    lk.check_activation(lk.activation("softsign"))

The formulas must not overflow for any finite input (write them with ``exp(-|z|)``,
clip before cubing) and return NaN for NaN; :func:`lkcourse.check_activation` checks
that, the derivative against finite differences, copying and pickling. A new entry of
``lk.ACTIVATIONS`` also needs a PyTorch reference row in the test suite if PyTorch has
the function (``tools/torch_reference.py`` regenerates the rows).
"""
from __future__ import annotations

import functools

import numpy as np

from ._registry import rebuild
from ._validation import InvalidParameterError, check_array, check_choice, check_real

__all__ = ["Activation"]

_HOOKS = ("f", "df", "da")  # wrapped by _elementwise in every subclass that writes them


def _elementwise(method):
    """Convert the input to a float64 array; return a numpy scalar for scalar input.

    The conversion is ``check_array``'s (NaN and inf allowed); the error message, which
    names the activation, is only formatted when the conversion fails."""
    @functools.wraps(method)
    def wrapper(self, z):
        try:
            z = np.asarray(z, dtype=np.float64)
        except (TypeError, ValueError):
            check_array(z, "z", f"{self!r}.{method.__name__}", finite=False, min_size=0)
            raise  # pragma: no cover (check_array raises first)
        out = np.asarray(method(self, z))
        return out[()] if out.ndim == 0 else out
    wrapper._lk_elementwise = True
    return wrapper


class Activation:
    """An activation function: ``a(z)`` / ``a.f(z)``, ``a.df(z)`` and its spec sheet.

    Build one with :func:`activation`; ``type(a)`` is the concrete class, whose
    source shows the formula and its derivative side by side.

    Attributes
    ----------
    name : str
        Registry name, e.g. ``"gelu_tanh"``.
    params : dict
        The parameters (a copy), e.g. ``{"negative_slope": 0.01}``.
    formula, derivative : str
        LaTeX for ``f(z)`` and ``f'(z)`` (no dollar signs).
    range : str
        The image of ``f``, e.g. ``"(0, 1)"``, ``"[-0.2785, inf)"``; ``bounds`` holds
        the two ends as floats.
    zero_centred : bool
        Whether ``E[f(Z)] = 0`` for ``Z ~ N(0, 1)`` (odd functions, and SELU by design).
    smoothness : str
        ``"C^inf"``, ``"C^1 (f'' jumps at 0)"`` or ``"C^0 (kink at 0)"``; ``smooth`` is
        true for ``C^inf``.
    kinks : tuple of float
        Points where ``df`` jumps (including softplus's switch at ``threshold/beta``).
    monotonic : bool
    saturates : str
        ``"both"``, ``"left"``, ``"right"`` or ``"none"``: sides where ``f'`` -> 0.
    minimum : tuple or None
        ``(z*, f(z*))`` for an interior negative minimum (GELU, SiLU, Mish), else None.
    cost : str
        The expensive primitive: ``"free"``, ``"compare"``, ``"exp"``, ``"erf"``, ...
    reference : str or None
        Bibtex key of the paper in ``book/references.bib``.
    learnable : tuple of str
        Parameters a network may train (PReLU's ``a``); see ``PReLU.da``.
    """

    __slots__ = ("_params", "_cache")

    def __init_subclass__(cls, **kwargs):
        """Wrap the hooks a subclass writes (``f``, ``df``, ``da``) in the input
        conversion, so that they receive float64 arrays and a scalar gives a scalar."""
        super().__init_subclass__(**kwargs)
        for hook in _HOOKS:
            fn = cls.__dict__.get(hook)
            if callable(fn) and not getattr(fn, "_lk_elementwise", False):
                setattr(cls, hook, _elementwise(fn))
    name = ""
    defaults: dict = {}
    constraints: dict = {}  # param -> keyword arguments of check_real
    formula = derivative = range = cost = ""
    reference = None
    zero_centred = False
    smoothness = "C^inf"
    kinks: tuple = ()
    monotonic = True
    saturates = "none"
    learnable: tuple = ()
    bounds = (-np.inf, np.inf)

    def __init__(self, **params):
        owner = f"activation({self.name!r})"
        for key in params:
            if not self.defaults:
                raise InvalidParameterError(
                    f"The '{key}' parameter of {owner} must not be given: {self.name!r} "
                    f"takes no parameters. Got {key}={params[key]!r} instead.")
            check_choice(key, "params", owner, self.defaults)
        checked = {key: check_real(params.get(key, value), key, owner,
                                   **self.constraints[key])
                   for key, value in self.defaults.items()}
        object.__setattr__(self, "_params", checked)
        object.__setattr__(self, "_cache", {})

    def __getattr__(self, key):
        try:
            return object.__getattribute__(self, "_params")[key]
        except KeyError:
            raise AttributeError(f"{type(self).__name__!r} has no attribute {key!r}")

    def __setattr__(self, key, value):
        raise AttributeError(f"{self!r} is read-only; build a new one with activation()")

    def __repr__(self):
        args = "".join(f", {k}={v!r}" for k, v in self._params.items())
        return f"activation({self.name!r}{args})"

    # Immutable value objects: copies and pickles rebuild through the constructor
    # (``copy.deepcopy``, ``pickle``, joblib and multiprocessing all go through this).
    def __reduce__(self):
        return (rebuild, (type(self), self._params))

    def __eq__(self, other):
        return type(other) is type(self) and other._params == self._params

    def __hash__(self):
        return hash((type(self), tuple(self._params.items())))

    def __call__(self, z):
        return self.f(z)

    @property
    def params(self):
        """The parameters, e.g. ``{"negative_slope": 0.01}`` (a new dict)."""
        return dict(self._params)

    @property
    def smooth(self):
        """Whether ``f`` is infinitely differentiable (``smoothness == "C^inf"``)."""
        return self.smoothness == "C^inf"

    @property
    def minimum(self):
        """The interior negative minimum ``(z*, f(z*))`` (GELU, SiLU, Mish), or None."""
        if "minimum" not in self._cache:
            self._cache["minimum"] = self._find_minimum()
        return self._cache["minimum"]

    _bracket = None  # (lo, hi) with df(lo) < 0 < df(hi) around an interior minimum

    def _find_minimum(self):
        if self._bracket is None:
            return None
        lo, hi = self._bracket
        while hi - lo > 1e-15 * abs(lo):  # bisection on the sign of f'
            mid = 0.5 * (lo + hi)
            lo, hi = (mid, hi) if self.df(mid) < 0 else (lo, mid)
        z = 0.5 * (lo + hi)
        return z, float(self.f(z))

    def spec(self):
        """Return the spec-sheet row: the metadata above, for tables.

        Returns
        -------
        dict
            ``name``, ``formula``, ``derivative``, ``range``, ``zero_centred``,
            ``smoothness``, ``monotonic``, ``saturates``, ``cost``, ``reference``.

        Examples
        --------
        >>> import lkcourse as lk
        >>> lk.activation("relu").spec()["range"]
        '[0, inf)'
        """
        keys = ("name", "formula", "derivative", "range", "zero_centred", "smoothness",
                "monotonic", "saturates", "cost", "reference")
        return {k: getattr(self, k) for k in keys}
