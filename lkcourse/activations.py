r"""Activation functions, their derivatives, and a stable softmax.

``lk.activation(name, **params)`` returns a small object ``a`` with ``a(z)`` (same as
``a.f(z)``), the elementwise derivative ``a.df(z)`` and metadata for the book's
spec sheet (``a.formula``, ``a.range``, ``a.smoothness``, ``a.reference``, ...).
``lk.ACTIVATIONS`` is the read-only registry of the default objects. Each activation
is a class whose ``f`` and ``df`` sit side by side: ``lk.show_source(type(a))``.

Conventions: values and derivatives are those of PyTorch's ``torch.nn.functional``
in float64, constants and the value autograd returns at a kink included
(``s`` = slope, ``lambda`` = SELU scale; ``Phi``/``phi`` = standard normal cdf/pdf):

============  ===================================  ========================================  ==================
name          f(z)                                 f'(z)                                     at the kink
============  ===================================  ========================================  ==================
identity      z                                    1
sigmoid       1 / (1 + exp(-z))                    sigmoid(z) (1 - sigmoid(z))
tanh          tanh(z)                              1 - tanh(z)^2
relu          max(z, 0)                            1 if z > 0 else 0                         f'(0) = 0
leaky_relu    z if z > 0 else s z, s = 0.01        1 if z > 0 else s                         f'(0) = s
prelu         z if z > 0 else a z, a = 0.25        1 if z > 0 else a; df/da = min(z, 0)      f'(0) = a
elu           z if z > 0 else alpha (exp(z) - 1)   1 if z > 0 else alpha exp(z)              f'(0) = alpha
selu          lambda elu(z; alpha)                 lambda elu'(z; alpha)                     f'(0) = lambda alpha
softplus      log(1 + exp(beta z)) / beta          sigmoid(beta z)                           z, 1 if beta z > 20
gelu          z Phi(z)                             Phi(z) + z phi(z)
gelu_tanh     z/2 (1 + tanh(u)), see below         see ``GELUTanh``
silu          z sigmoid(z)                         sigmoid(z) (1 + z (1 - sigmoid(z)))
swish         z sigmoid(beta z), beta = 1          sigmoid(beta z) (1 + beta z (1 - ...))
mish          z tanh(softplus(z))                  tanh(sp) + z sigmoid(z) sech(sp)^2
============  ===================================  ========================================  ==================

SELU: ``alpha = 1.6732632423543772848170429916717``,
``lambda = 1.0507009873554804934193349852946``, so ``f'(0) = 1.7580993408473766``.
gelu_tanh: ``u = sqrt(2/pi) (z + 0.044715 z^3)`` (PyTorch's ``approximate='tanh'``).
softplus reverts to ``z`` (derivative 1) where ``beta z > threshold`` (default 20),
as PyTorch does; at ``beta z == threshold`` it still uses the formula.

Every formula is evaluated in a form that cannot overflow (``exp(-|z|)`` instead of
``exp(-z)``, clipped cubes), so any finite float64 gives a finite result where the
true value is finite, without warnings. NaN in gives NaN out, derivatives included.
"""
from __future__ import annotations

import re

import numpy as np
from scipy.special import erfc

from ._registry import Registry
from ._shared import log_softmax as _log_softmax_kernel
from ._shared import sigmoid as _sigmoid
from ._shared import softplus as _softplus
from ._validation import InvalidParameterError, check_array, check_choice, check_real, fail
from .activation_base import Activation

__all__ = ["activation", "ACTIVATIONS", "register_activation", "softmax", "log_softmax",
           "softmax_jacobian"]

SELU_ALPHA = 1.6732632423543772848170429916717
SELU_SCALE = 1.0507009873554804934193349852946
_BIG = np.finfo(np.float64).max


# Stable building blocks ----------------------------------------------------------
def _dsigmoid(t):
    e = np.exp(-np.abs(t))
    return e / (1.0 + e) ** 2


def _sech2(t):
    e2 = np.exp(-np.abs(t)) ** 2  # exp(-2|t|) without computing 2|t|
    return 4.0 * e2 / (1.0 + e2) ** 2


def _keep_nan(z, d):
    """``d`` with NaN wherever ``z`` is NaN (derivatives defined by comparisons).

    One reduction decides the common case: a finite sum means no NaN in ``z``."""
    if np.isfinite(np.add.reduce(z, axis=None)):
        return d
    return np.where(np.isnan(z), np.nan, d)


def _scaled(z, beta):
    """``beta * z`` with ``z`` clipped so the product cannot overflow."""
    cap = _BIG / max(abs(beta), 1.0)
    return beta * np.clip(z, -cap, cap)


class _HasMinimum(Activation):
    """GELU, SiLU, Mish: non-monotonic, with a negative minimum left of 0."""
    monotonic = False
    saturates = "left"
    _bracket = (-3.0, -0.1)

    @property
    def bounds(self):
        return (self.minimum[1], np.inf)

    @property
    def range(self):
        return f"[{self.minimum[1]:.4g}, inf)"


# The activations -------------------------------------------------------------------
class Identity(Activation):
    name, cost, zero_centred, range = "identity", "free", True, "(-inf, inf)"
    formula, derivative = "z", "1"

    def f(self, z):
        return z.copy()

    def df(self, z):
        return _keep_nan(z, np.ones_like(z))


class Sigmoid(Activation):
    name, cost, saturates, range, bounds = "sigmoid", "exp", "both", "(0, 1)", (0.0, 1.0)
    formula = r"\sigma(z) = \frac{1}{1 + e^{-z}}"
    derivative = r"\sigma(z)\,(1 - \sigma(z))"

    def f(self, z):
        return _sigmoid(z)

    def df(self, z):
        return _dsigmoid(z)


class Tanh(Activation):
    name, cost, saturates, range, bounds = "tanh", "exp", "both", "(-1, 1)", (-1.0, 1.0)
    zero_centred = True
    formula, derivative = r"\tanh(z)", r"1 - \tanh^2(z)"

    def f(self, z):
        return np.tanh(z)

    def df(self, z):
        return _sech2(z)  # = 1 - tanh(z)**2, accurate in the tails too


class ReLU(Activation):
    name, cost, reference, saturates = "relu", "compare", "nair2010relu", "left"
    smoothness, kinks, range, bounds = "C^0 (kink at 0)", (0.0,), "[0, inf)", (0.0, np.inf)
    formula, derivative = r"\max(z, 0)", r"\mathbb{1}[z > 0]"

    def f(self, z):
        return np.maximum(z, 0.0)

    def df(self, z):
        return _keep_nan(z, (z > 0).astype(np.float64))  # relu'(0) = 0


class LeakyReLU(Activation):
    name, cost, reference = "leaky_relu", "compare", "maas2013leaky"
    smoothness, kinks = "C^0 (kink at 0)", (0.0,)
    defaults, constraints = {"negative_slope": 0.01}, {"negative_slope": {}}
    formula = r"\max(z, 0) + s \min(z, 0)"
    derivative = r"\mathbb{1}[z > 0] + s\,\mathbb{1}[z \le 0]"

    @property
    def _slope(self):
        return self.negative_slope

    def f(self, z):
        return np.where(z > 0, z, self._slope * z)

    def df(self, z):
        return _keep_nan(z, np.where(z > 0, 1.0, self._slope))  # f'(0) = slope

    @property
    def monotonic(self):
        return self._slope >= 0

    @property
    def bounds(self):
        return (-np.inf, np.inf) if self._slope > 0 else (0.0, np.inf)

    @property
    def range(self):
        return "(-inf, inf)" if self._slope > 0 else "[0, inf)"

    @property
    def saturates(self):
        return "left" if self._slope == 0 else "none"


class PReLU(LeakyReLU):
    name, reference, learnable = "prelu", "he2015prelu", ("a",)
    defaults, constraints = {"a": 0.25}, {"a": {}}
    formula = r"\max(z, 0) + a \min(z, 0)"
    derivative = r"\mathbb{1}[z > 0] + a\,\mathbb{1}[z \le 0]"

    @property
    def _slope(self):
        return self.a

    def da(self, z):
        """Derivative with respect to the slope ``a``: ``min(z, 0)`` (0 at z = 0).

        A layer sharing one ``a`` gets ``sum(upstream * a.da(z))`` as its gradient.
        """
        return np.where(z > 0, 0.0, z)


class ELU(Activation):
    name, cost, reference, saturates = "elu", "exp", "clevert2016elu", "left"
    defaults, constraints = {"alpha": 1.0}, {"alpha": {"low": 0}}
    formula = r"\max(z, 0) + \alpha\,(e^{\min(z, 0)} - 1)"
    derivative = r"\mathbb{1}[z > 0] + \alpha e^{z}\,\mathbb{1}[z \le 0]"
    _scale = 1.0

    def f(self, z):
        neg = self.alpha * np.expm1(np.minimum(z, 0.0))
        return self._scale * np.where(z > 0, z, neg)

    def df(self, z):
        neg = self.alpha * np.exp(np.minimum(z, 0.0))
        return self._scale * np.where(z > 0, 1.0, neg)  # f'(0) = scale * alpha

    @property
    def kinks(self):
        return () if self._scale * self.alpha == 1 else (0.0,)

    @property
    def smoothness(self):
        return "C^1 (f'' jumps at 0)" if not self.kinks else "C^0 (kink at 0)"

    @property
    def bounds(self):
        return (-self._scale * self.alpha, np.inf)

    @property
    def range(self):
        low = self.bounds[0]
        return f"({low:.4g}, inf)" if low < 0 else "[0, inf)"


class SELU(ELU):
    name, reference, zero_centred = "selu", "klambauer2017selu", True
    defaults, constraints = {}, {}
    formula = r"\lambda\,(\max(z, 0) + \alpha\,(e^{\min(z, 0)} - 1))"
    derivative = r"\lambda\,(\mathbb{1}[z > 0] + \alpha e^{z}\,\mathbb{1}[z \le 0])"
    alpha, _scale = SELU_ALPHA, SELU_SCALE


class Softplus(Activation):
    name, cost, reference, saturates = "softplus", "exp+log", "dugas2001softplus", "left"
    range, bounds = "(0, inf)", (0.0, np.inf)
    defaults = {"beta": 1.0, "threshold": 20.0}
    constraints = {"beta": {"low": 0, "low_open": True},
                   "threshold": {"low": 0, "allow_inf": True}}
    formula = r"\frac{1}{\beta} \log(1 + e^{\beta z})"
    derivative = r"\sigma(\beta z)"

    def f(self, z):
        t = _scaled(z, self.beta)
        return np.where(t > self.threshold, z, _softplus(t) / self.beta)

    def df(self, z):
        t = _scaled(z, self.beta)
        return np.where(t > self.threshold, 1.0, _sigmoid(t))

    @property
    def kinks(self):  # PyTorch's switch to z: df jumps by about exp(-threshold)
        return (self.threshold / self.beta,) if np.isfinite(self.threshold) else ()


class GELU(_HasMinimum):
    name, cost, reference = "gelu", "erf", "hendrycks2016gelu"
    formula = r"z\,\Phi(z) = \frac{z}{2}\left(1 + \operatorname{erf}(z/\sqrt{2})\right)"
    derivative = r"\Phi(z) + z\,\varphi(z)"

    def f(self, z):
        return 0.5 * z * erfc(-z / np.sqrt(2.0))  # erfc: no cancellation for z << 0

    def df(self, z):
        zc = np.clip(z, -40.0, 40.0)  # phi(40) = 0 in float64; avoids z**2 overflow
        return 0.5 * erfc(-z / np.sqrt(2.0)) + zc * np.exp(-0.5 * zc * zc) / np.sqrt(2 * np.pi)


class GELUTanh(_HasMinimum):
    r"""GELU's tanh approximation: :math:`\frac z2 (1 + \tanh u)`, evaluated as
    :math:`z\,\sigma(2u)` with :math:`u = \sqrt{2/\pi}\,(z + 0.044715 z^3)`."""
    name, cost, reference = "gelu_tanh", "tanh", "hendrycks2016gelu"
    formula = (r"\frac{z}{2}\left(1 + \tanh\left(\sqrt{2/\pi}\,"
               r"(z + 0.044715\,z^3)\right)\right)")
    derivative = (r"\tfrac12 (1 + \tanh u) + \tfrac{z}{2} \operatorname{sech}^2(u)"
                  r"\sqrt{2/\pi}\,(1 + 0.134145\,z^2)")
    _k, _c = np.sqrt(2.0 / np.pi), 0.044715

    def _u(self, z):
        zc = np.clip(z, -1e3, 1e3)  # |u| > 3e7 there: tanh(u) = +-1 exactly
        return zc, self._k * (zc + self._c * zc ** 3)

    def f(self, z):
        return z * _sigmoid(2.0 * self._u(z)[1])  # 0.5 (1 + tanh u) = sigmoid(2u)

    def df(self, z):
        zc, u = self._u(z)
        slope = self._k * (1.0 + 3.0 * self._c * zc ** 2)
        return _sigmoid(2.0 * u) + 0.5 * zc * _sech2(u) * slope


class SiLU(_HasMinimum):
    name, cost, reference = "silu", "exp", "elfwing2018silu"
    formula, derivative = r"z\,\sigma(z)", r"\sigma(z)\,(1 + z\,(1 - \sigma(z)))"

    def f(self, z):
        return z * _sigmoid(z)

    def df(self, z):
        return _sigmoid(z) * (1.0 + z * _sigmoid(-z))  # 1 - sigmoid(z) = sigmoid(-z)


class Swish(_HasMinimum):
    name, cost, reference = "swish", "exp", "ramachandran2017swish"
    defaults, constraints = {"beta": 1.0}, {"beta": {}}
    formula = r"z\,\sigma(\beta z)"
    derivative = r"\sigma(\beta z)\,(1 + \beta z\,(1 - \sigma(\beta z)))"

    def f(self, z):
        return z * _sigmoid(_scaled(z, self.beta))

    def df(self, z):
        t = _scaled(z, self.beta)
        return _sigmoid(t) * (1.0 + t * _sigmoid(-t))

    # swish_beta(z) = silu(beta z) / beta: the minimum scales, and flips for beta < 0
    @property
    def _bracket(self):
        return (-3.0 / self.beta, -0.1 / self.beta) if self.beta > 0 else None

    @property
    def monotonic(self):
        return self.beta == 0

    @property
    def saturates(self):
        return "left" if self.beta > 0 else "right" if self.beta < 0 else "none"

    @property
    def bounds(self):
        if self.beta == 0:
            return (-np.inf, np.inf)
        low = ACTIVATIONS["silu"].minimum[1] / self.beta  # SiLU's minimum, cached there
        return (low, np.inf) if self.beta > 0 else (-np.inf, low)

    @property
    def range(self):
        low, high = self.bounds
        return (f"[{low:.4g}, inf)" if self.beta > 0 else
                f"(-inf, {high:.4g}]" if self.beta < 0 else "(-inf, inf)")


class Mish(_HasMinimum):
    name, cost, reference = "mish", "exp+log+tanh", "misra2019mish"
    formula = r"z \tanh(\operatorname{softplus}(z))"
    derivative = (r"\tanh(\operatorname{sp}(z)) + z\,\sigma(z)\,"
                  r"\operatorname{sech}^2(\operatorname{sp}(z))")

    def f(self, z):
        return z * np.tanh(_softplus(z))

    def df(self, z):
        sp = _softplus(z)
        return np.tanh(sp) + z * _sigmoid(z) * _sech2(sp)


_BUILT_IN = {cls.name: cls() for cls in (Identity, Sigmoid, Tanh, ReLU, LeakyReLU, PReLU,
                                         ELU, SELU, Softplus, GELU, GELUTanh, SiLU, Swish,
                                         Mish)}

ACTIVATIONS = Registry("ACTIVATIONS", _BUILT_IN, show="type", protected=_BUILT_IN)
"""Registry: activation name -> the object with default parameters (read-only except
through :func:`register_activation`).

Iterate over it to tabulate or test every activation (see :func:`activation`); build
one with other parameters with :func:`activation`.

Examples
--------
>>> import lkcourse as lk
>>> [name for name, a in lk.ACTIVATIONS.items() if a.zero_centred]
['identity', 'tanh', 'selu']
"""


def activation(name, **params):
    r"""Build an activation function by name.

    Parameters
    ----------
    name : str
        One of ``identity sigmoid tanh relu leaky_relu prelu elu selu softplus gelu
        gelu_tanh silu swish mish`` (the keys of :data:`ACTIVATIONS`).
    **params
        ``leaky_relu``: ``negative_slope`` (any real, default 0.01);
        ``prelu``: ``a`` (any real, default 0.25, PyTorch's initial value);
        ``elu``: ``alpha`` (>= 0, default 1); ``softplus``: ``beta`` (> 0, default 1)
        and ``threshold`` (>= 0 or inf, default 20); ``swish``: ``beta`` (any real,
        default 1, where it equals ``silu``). The others take none.

    Returns
    -------
    Activation
        ``a(z)`` / ``a.f(z)``, ``a.df(z)`` (elementwise, same shape), and metadata.

    Raises
    ------
    InvalidParameterError
        Unknown name (with the valid names and a suggestion), unknown parameter, or
        a parameter out of range.

    Notes
    -----
    Values and derivatives are those of ``torch.nn.functional`` in float64,
    including the derivative autograd returns at a kink; see the module docstring.

    Examples
    --------
    >>> import numpy as np, lkcourse as lk
    >>> a = lk.activation("leaky_relu", negative_slope=0.1)
    >>> a
    activation('leaky_relu', negative_slope=0.1)
    >>> a(np.array([-2.0, 0.0, 3.0])), a.df(np.array([-2.0, 0.0, 3.0]))
    (array([-0.2,  0. ,  3. ]), array([0.1, 0.1, 1. ]))
    >>> print(lk.ACTIVATIONS["gelu"].range, lk.ACTIVATIONS["gelu"].reference)
    [-0.17, inf) hendrycks2016gelu
    >>> lk.activation("gelu_tahn")
    Traceback (most recent call last):
    ...
    lkcourse._validation.InvalidParameterError: The 'name' parameter of activation must be one of 'identity', ... Got 'gelu_tahn' instead. Did you mean 'gelu_tanh'?
    """
    check_choice(name, "name", "activation", list(ACTIVATIONS))
    return type(ACTIVATIONS[name])(**params)


def register_activation(activation_class, *, replace=False):
    """Add an activation class to ``lk.ACTIVATIONS``, to build it by name.

    Afterwards ``lk.activation(name)`` and ``lk.MLP(sizes, name)`` accept its name.

    Parameters
    ----------
    activation_class : type
        A subclass of :class:`~lkcourse.Activation` (see
        :mod:`lkcourse.activation_base`) whose parameters all have defaults; it is
        registered under ``activation_class.name``.
    replace : bool
        Allow replacing an activation registered earlier under the same name. The
        built-in names cannot be replaced.

    Returns
    -------
    type
        ``activation_class`` itself, so the function also works as a class decorator.

    Raises
    ------
    InvalidParameterError
        If ``activation_class`` is not such a class, its ``name`` is malformed or a
        built-in name, or it is taken and ``replace`` is False.

    Examples
    --------
    >>> import numpy as np, lkcourse as lk
    >>> class Softsign(lk.Activation):
    ...     name, formula = "softsign_demo", "z / (1 + |z|)"
    ...     def f(self, z): return z / (1.0 + np.abs(z))
    ...     def df(self, z): return (1.0 / (1.0 + np.abs(z))) ** 2
    >>> _ = lk.register_activation(Softsign, replace=True)
    >>> float(lk.activation("softsign_demo")(3.0))
    0.75
    >>> lk.ACTIVATIONS.unregister("softsign_demo")     # (keep the registry clean)
    """
    owner = "register_activation"
    cls = activation_class
    if not isinstance(cls, type) or not issubclass(cls, Activation):
        fail("activation_class", owner, "a subclass of lk.Activation", cls)
    name = cls.name
    if not isinstance(name, str) or not re.fullmatch(r"[a-z][a-z0-9_]*", name):
        fail("activation_class", owner, "a class whose name attribute is a lowercase "
             "name such as 'softsign' (letters, digits, _)", cls)
    if not isinstance(replace, (bool, np.bool_)):
        fail("replace", owner, "True or False", replace)
    ACTIVATIONS.register(name, cls(), replace=bool(replace), owner=owner)
    return cls


# Softmax ----------------------------------------------------------------------------
def _prepare(z, axis, owner):
    z = check_array(z, "z", owner, finite=False)
    if z.ndim == 0:
        raise InvalidParameterError(
            f"The 'z' parameter of {owner} must have at least one dimension. "
            "Got a 0-D array instead.")
    return z, check_real(axis, "axis", owner, low=-z.ndim, high=z.ndim - 1, integer=True)


def softmax(z, axis=-1):
    r"""Softmax along ``axis``: :math:`s_i = e^{z_i} / \sum_j e^{z_j}`, computed stably.

    Parameters
    ----------
    z : array_like
        Logits, at least 1-D. Entries may be ``-inf`` (probability 0) as long as each
        slice has a finite maximum; NaN gives NaN.
    axis : int, in ``[-z.ndim, z.ndim - 1]``
        Axis to normalize over (default the last).

    Returns
    -------
    ndarray
        Same shape as ``z``, entries in [0, 1], summing to 1 along ``axis``.

    Notes
    -----
    Subtracting the maximum first (softmax is shift invariant) keeps every
    exponent <= 0, so nothing overflows.

    Examples
    --------
    >>> import lkcourse as lk
    >>> lk.softmax([1000.0, 1000.0, -1e300])
    array([0.5, 0.5, 0. ])
    """
    z, axis = _prepare(z, axis, "softmax")
    shift = np.max(z, axis=axis, keepdims=True)
    e = np.exp(z - np.where(np.isfinite(shift), shift, 0.0))  # -inf entries stay -inf
    return e / np.sum(e, axis=axis, keepdims=True)


def log_softmax(z, axis=-1):
    r"""Log of the softmax, :math:`z_i - \log\sum_j e^{z_j}`, without forming the softmax.

    Parameters
    ----------
    z : array_like
        Logits, at least 1-D, as for :func:`softmax`.
    axis : int, in ``[-z.ndim, z.ndim - 1]``
        Axis to normalize over (default the last).

    Returns
    -------
    ndarray
        Same shape as ``z``; finite even where ``softmax`` underflows to 0.

    Examples
    --------
    >>> import lkcourse as lk
    >>> lk.log_softmax([0.0, -1000.0])
    array([    0., -1000.])
    """
    z, axis = _prepare(z, axis, "log_softmax")
    return _log_softmax_kernel(z, axis)


def softmax_jacobian(z):
    r"""Jacobian of the softmax of a 1-D ``z``: :math:`J = \operatorname{diag}(s) - s s^\top`.

    Parameters
    ----------
    z : array_like, 1-D
        Logits.

    Returns
    -------
    ndarray, shape (n, n)
        :math:`J_{ij} = \partial s_i / \partial z_j = s_i (\delta_{ij} - s_j)`;
        symmetric, rows sum to 0.

    Examples
    --------
    >>> import lkcourse as lk
    >>> lk.softmax_jacobian([0.0, 0.0])
    array([[ 0.25, -0.25],
           [-0.25,  0.25]])
    """
    z = check_array(z, "z", "softmax_jacobian", ndim=1, finite=False)
    s = softmax(z)
    return np.diag(s) - np.outer(s, s)
