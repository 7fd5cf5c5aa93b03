r"""Weight initialisation schemes of :class:`~lkcourse.MLP`: He, Glorot (Xavier), LeCun.

Every scheme draws each weight independently with mean 0 and variance
:math:`\sigma^2`, biases start at 0:

===========  ================================================  =====================
family       :math:`\sigma^2`                                   PyTorch equivalent
===========  ================================================  =====================
``he``       :math:`2/\text{fan\_in}`                           ``kaiming_*_`` with
                                                                ``nonlinearity="relu"``
``glorot``   :math:`2/(\text{fan\_in} + \text{fan\_out})`       ``xavier_*_``, gain 1
``lecun``    :math:`1/\text{fan\_in}`                           ``kaiming_*_`` with
                                                                ``nonlinearity="linear"``
===========  ================================================  =====================

``<family>_normal`` draws from :math:`\mathcal N(0, \sigma^2)`; ``<family>_uniform``
from :math:`U(-a, a)` with :math:`a = \sqrt3\,\sigma` (a uniform on :math:`[-a, a]`
has variance :math:`a^2/3`): He uniform :math:`a = \sqrt{6/\text{fan\_in}}`, Glorot
uniform :math:`a = \sqrt{6/(\text{fan\_in} + \text{fan\_out})}`, LeCun uniform
:math:`a = \sqrt{3/\text{fan\_in}}`. A weight matrix here has shape
``(fan_in, fan_out)`` (PyTorch stores the transpose). ``xavier_*`` are aliases of
``glorot_*``.

Without a scheme, :class:`~lkcourse.MLP` picks the normal form by activation: He for
the ReLU family (relu, leaky_relu, prelu, elu), LeCun for selu, Glorot for all others.
"""
from __future__ import annotations

import numpy as np

from ._validation import check_choice

#: Initialisation names understood by ``MLP(..., init=...)``.
INITS = ("he_normal", "he_uniform", "glorot_normal", "glorot_uniform", "xavier_normal",
         "xavier_uniform", "lecun_normal", "lecun_uniform")

_HE = ("relu", "leaky_relu", "prelu", "elu")
_LECUN = ("selu",)


def resolve(init, activation_name, owner):
    """``(family, distribution)`` for ``init`` (a name of ``INITS``, or None: the
    default of the activation named ``activation_name``)."""
    if init is None:
        family = ("he" if activation_name in _HE else
                  "lecun" if activation_name in _LECUN else "glorot")
        return family, "normal"
    family, distribution = check_choice(init, "init", owner, INITS).split("_")
    return ("glorot" if family == "xavier" else family), distribution


def variance(family, fan_in, fan_out):
    """The weight variance :math:`\\sigma^2` of ``family`` for one layer."""
    if family == "he":
        return 2.0 / fan_in
    if family == "lecun":
        return 1.0 / fan_in
    return 2.0 / (fan_in + fan_out)


def draw_weights(family, distribution, fan_in, fan_out, rng):
    """A ``(fan_in, fan_out)`` weight matrix of the scheme, drawn from ``rng``."""
    var = variance(family, fan_in, fan_out)
    if distribution == "normal":
        return np.sqrt(var) * rng.standard_normal((fan_in, fan_out))
    bound = np.sqrt(3.0 * var)
    return rng.uniform(-bound, bound, (fan_in, fan_out))
