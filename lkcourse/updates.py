r"""The optimizers' update rules as pure functions: arrays in, new arrays out.

:func:`sgd_update` and :func:`adam_update` hold the math of one step of
``torch.optim.SGD`` and ``torch.optim.Adam`` (with ``decoupled=True``: SGDW and
AdamW); :mod:`lkcourse.optim` wraps them in classes that keep the state. Each step is
the same chain of small transformations (as in optax), and *where the weight decay
enters the chain* is the whole difference between "L2" and "weight decay":

1. ``l2_gradient`` (``SGD``, ``Adam``): :math:`g \leftarrow g + \lambda' w`, *before*
   the optimizer's scaling, which then rescales the decay too;
2. the scaling: SGD's momentum buffer (``momentum_direction``) or Adam's moment
   estimates (``adam_direction``), giving a direction and a step size;
3. ``decoupled_decay`` (``SGDW``, ``AdamW``): :math:`w \leftarrow w\,(1 -
   \eta\lambda')`, *outside* the scaling (PyTorch's ``AdamW`` formula);
4. the step :math:`w \leftarrow w - (\text{step size})\,(\text{direction})`.

Exactly one of 1 and 3 runs, chosen by ``decoupled``; which parameters decay at all is
the optimizer's ``decay`` predicate (a mask), and ``weight_decay`` and ``lr`` may be
arrays over the leading (stack) axes of the parameters, one value per network.
Validation helpers shared by every optimizer entry point live here too.
"""
from __future__ import annotations

import functools
import inspect
import math

import numpy as np

from ._validation import check_array, check_real, fail

__all__ = ["sgd_update", "adam_update"]


_NA = object()   # "this update has no such argument"


def check_betas(betas, owner):
    """Adam's ``betas``: a pair of floats in [0, 1); returned as a tuple of floats."""
    try:
        if isinstance(betas, str):
            raise TypeError
        b1, b2 = betas
    except (TypeError, ValueError):
        fail("betas", owner, "a pair (beta1, beta2) of floats in [0, 1)", betas)
    return (check_real(b1, "betas[0]", owner, low=0, high=1, high_open=True),
            check_real(b2, "betas[1]", owner, low=0, high=1, high_open=True))


def _check_hyper(owner, lr, weight_decay, decoupled, momentum=_NA, betas=_NA, eps=_NA,
                 t=_NA):
    check_real(lr, "lr", owner, low=0, low_open=True)
    check_real(weight_decay, "weight_decay", owner, low=0)
    if not isinstance(decoupled, (bool, np.bool_)):
        fail("decoupled", owner, "a bool", decoupled)
    if momentum is not _NA:
        check_real(momentum, "momentum", owner, low=0, high=1, high_open=True)
    if betas is not _NA:
        check_betas(betas, owner)
    if eps is not _NA:
        check_real(eps, "eps", owner, low=0, low_open=True)
    if t is not _NA:
        check_real(t, "t", owner, low=1, integer=True)


def _check_arrays(owner, **arrays):
    """Float arrays of w's shape (None stays None)."""
    out, shape = [], None
    for name, a in arrays.items():
        if a is None:
            out.append(None)
            continue
        a = check_array(a, name, owner, finite=False, min_size=0)
        if shape is not None and a.shape != shape:
            fail(name, owner, f"an array of w's shape {shape}", a)
        shape = a.shape if shape is None else shape
        out.append(a)
    return out


def _validated(check):
    """Decorator for the public update functions: ``check(*args, **kwargs)`` validates
    and converts the arguments, then the math runs. The optimizer classes validate once
    at construction and call the undecorated math, ``f.__wrapped__``."""
    def decorate(update):
        @functools.wraps(update)
        def public(*args, **kwargs):
            arrays = check(*args, **kwargs)         # the leading arguments, converted
            consumed = positional[:len(arrays)]
            rest = {k: v for k, v in kwargs.items() if k not in consumed}
            return update(*arrays, **rest)
        positional = list(inspect.signature(update).parameters)
        return public
    return decorate


def _check_sgd(w, g, buf=None, *, lr, momentum=0.0, weight_decay=0.0, decoupled=False):
    _check_hyper("sgd_update", lr, weight_decay, decoupled, momentum=momentum)
    return _check_arrays("sgd_update", w=w, g=g, buf=buf)


def _check_adam(w, g, m, v, t, *, lr, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0,
                decoupled=False):
    _check_hyper("adam_update", lr, weight_decay, decoupled, betas=betas, eps=eps, t=t)
    return _check_arrays("adam_update", w=w, g=g, m=m, v=v) + [int(t)]


# ---- the transformations ----------------------------------------------------------
def _any(x):
    """Whether a hyperparameter (a float, or an array of one per network) is not 0."""
    return bool(np.any(x != 0)) if isinstance(x, np.ndarray) else x != 0



def l2_gradient(g, w, weight_decay):
    """L2 through the gradient: ``g + weight_decay * w`` (before the scaling)."""
    return g + weight_decay * w


def decoupled_decay(w, lr, weight_decay):
    """Decoupled weight decay: ``w * (1 - lr * weight_decay)`` (outside the scaling)."""
    return w * (1 - lr * weight_decay)


def momentum_direction(g, buf, momentum):
    """SGD's scaling: the heavy-ball buffer (dampening 0). Returns ``(direction, buf)``;
    without momentum the direction is the gradient and the buffer stays None."""
    if momentum != 0:
        buf = g.copy() if buf is None else momentum * buf + g
        return buf, buf
    return g, buf


def adam_direction(g, m, v, t, lr, betas, eps):
    """Adam's scaling, PyTorch's operations in its order: ``(step_size, direction, m,
    v)`` with ``step_size = lr / (1 - beta1**t)`` and ``direction = m / (sqrt(v) /
    sqrt(1 - beta2**t) + eps)``."""
    beta1, beta2 = betas
    m = m + (1 - beta1) * (g - m)            # PyTorch's lerp
    v = beta2 * v + (1 - beta2) * g * g
    bias_correction1 = 1 - beta1 ** t
    bias_correction2_sqrt = math.sqrt(1 - beta2 ** t)
    denom = np.sqrt(v) / bias_correction2_sqrt + eps
    return lr / bias_correction1, m / denom, m, v


def sgd_step(w, g, buf, lr, momentum, weight_decay, decoupled, inplace=False):
    """The SGD chain on checked arrays: ``(w_new, buf_new)``.

    ``inplace=True`` (the optimizer objects, on their own state) overwrites ``w`` and
    the buffer instead of allocating new arrays: the same float operations, in the
    same order, so the same bits."""
    decay = _any(weight_decay)
    if decay and not decoupled:
        g = l2_gradient(g, w, weight_decay)
    if not inplace:
        direction, buf = momentum_direction(g, buf, momentum)
        if decay and decoupled:
            w = decoupled_decay(w, lr, weight_decay)
        return w - lr * direction, buf
    if momentum != 0:
        if buf is None:
            buf = g.copy()
        else:
            buf *= momentum
            buf += g
        direction = buf
    else:
        direction = g
    if decay and decoupled:
        w *= 1 - lr * weight_decay
    w -= lr * direction
    return w, buf


def adam_step(w, g, m, v, t, lr, betas, eps, weight_decay, decoupled, inplace=False):
    """The Adam chain on checked arrays: ``(w_new, m_new, v_new)``.

    ``inplace=True`` (the optimizer objects, on their own state) overwrites ``w``,
    ``m`` and ``v`` instead of allocating new arrays: the same float operations, in
    the same order, so the same bits."""
    decay = _any(weight_decay)
    if decay and not decoupled:
        g = l2_gradient(g, w, weight_decay)
    if not inplace:
        step_size, direction, m, v = adam_direction(g, m, v, t, lr, betas, eps)
        if decay and decoupled:
            w = decoupled_decay(w, lr, weight_decay)
        return w - step_size * direction, m, v
    beta1, beta2 = betas
    tmp = g - m
    tmp *= 1 - beta1
    m += tmp                                   # m + (1 - beta1) * (g - m)
    v *= beta2
    tmp = (1 - beta2) * g
    tmp *= g
    v += tmp                                   # beta2 * v + (1 - beta2) * g * g
    denom = np.sqrt(v)
    denom /= math.sqrt(1 - beta2 ** t)
    denom += eps
    np.divide(m, denom, out=denom)             # the direction m / denom
    denom *= lr / (1 - beta1 ** t)             # times the step size
    if decay and decoupled:
        w *= 1 - lr * weight_decay
    w -= denom
    return w, m, v


@_validated(_check_sgd)
def sgd_update(w, g, buf=None, *, lr, momentum=0.0, weight_decay=0.0, decoupled=False):
    r"""One SGD step: PyTorch's ``torch.optim.SGD`` rule, or its decoupled variant.

    Parameters
    ----------
    w, g : ndarray
        Parameter and its gradient (same shape).
    buf : ndarray or None
        Momentum buffer from the previous step (None on the first step).
    lr : float
        Learning rate :math:`\eta`.
    momentum : float
        Momentum coefficient :math:`\mu` (0: no buffer).
    weight_decay : float
        Coefficient :math:`\lambda'`.
    decoupled : bool
        False: L2 through the gradient (``SGD``). True: decoupled decay (``SGDW``).

    Returns
    -------
    w_new : ndarray
        The updated parameter (a new array).
    buf_new : ndarray or None
        The new momentum buffer (None when ``momentum == 0``).

    Notes
    -----
    Coupled (PyTorch SGD, dampening 0, no Nesterov):

    .. math::
        d = g + \lambda' w, \quad
        b = d \text{ (first step) or } \mu b + d, \quad
        w \leftarrow w - \eta b .

    Decoupled (SGDW), in this order, both terms computed from the old :math:`w`:

    .. math::
        b = g \text{ (first step) or } \mu b + g, \quad
        w \leftarrow w\,(1 - \eta \lambda') - \eta b .

    Without momentum both give :math:`w - \eta g - \eta\lambda' w` (up to round-off).

    Examples
    --------
    >>> import numpy as np, lkcourse as lk
    >>> w, buf = lk.sgd_update(np.array([1.0]), np.array([0.5]), lr=0.1,
    ...                        weight_decay=0.1)
    >>> w                      # 1 - 0.1 * (0.5 + 0.1 * 1)
    array([0.94])
    """
    return sgd_step(w, g, buf, lr, momentum, weight_decay, decoupled)


@_validated(_check_adam)
def adam_update(w, g, m, v, t, *, lr, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0,
                decoupled=False):
    r"""One Adam step, PyTorch's ``torch.optim.Adam`` / ``AdamW`` rule to round-off.

    Parameters
    ----------
    w, g : ndarray
        Parameter and its gradient.
    m, v : ndarray
        First and second moment estimates (zeros before the first step).
    t : int, >= 1
        Number of this step (1 on the first step), for the bias corrections.
    lr : float
        Learning rate :math:`\eta`.
    betas : (float, float)
        :math:`(\beta_1, \beta_2)`.
    eps : float
        :math:`\epsilon`, added to :math:`\sqrt{\hat v}`.
    weight_decay : float
        Coefficient :math:`\lambda'`.
    decoupled : bool
        False: L2 through the gradient (Adam). True: decoupled (AdamW).

    Returns
    -------
    w_new : ndarray
        The updated parameter (a new array).
    m_new, v_new : ndarray
        The updated first and second moment estimates.

    Notes
    -----
    Adam: :math:`g \leftarrow g + \lambda' w`. AdamW: first
    :math:`w \leftarrow w - \eta\lambda' w`. Then, with :math:`c_1 = 1 - \beta_1^t`,
    :math:`c_2 = 1 - \beta_2^t`,

    .. math::
        m \leftarrow \beta_1 m + (1 - \beta_1) g, \quad
        v \leftarrow \beta_2 v + (1 - \beta_2) g^2, \quad
        w \leftarrow w - \frac{\eta}{c_1} \, \frac{m}{\sqrt{v}/\sqrt{c_2} + \epsilon},

    the same operations in the same order as PyTorch's single-tensor code
    (``m`` is updated as ``m + (1 - beta1) * (g - m)``, PyTorch's ``lerp``). On the
    first step :math:`m/\sqrt{v}` is :math:`\operatorname{sign}(g)`, so every
    coordinate moves by about :math:`\eta`.

    Examples
    --------
    >>> import numpy as np, lkcourse as lk
    >>> z = np.zeros(2)
    >>> w, m, v = lk.adam_update(np.array([1.0, 1.0]), np.array([3.0, -0.02]), z, z, 1,
    ...                          lr=0.1)
    >>> np.round(w, 6)
    array([0.9, 1.1])
    """
    return adam_step(w, g, m, v, t, lr, betas, eps, weight_decay, decoupled)
