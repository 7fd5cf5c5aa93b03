"""Finite-difference gradient checking, shared by the tests and the readers' exercises."""
from __future__ import annotations

import numpy as np

from ._validation import check_array, check_real, fail

__all__ = ["numerical_grad", "check_grad"]


def numerical_grad(f, x, *, eps=1e-6):
    r"""Central-difference gradient of a scalar function.

    Parameters
    ----------
    f : callable
        ``f(x) -> float`` for an array ``x`` of any shape.
    x : array_like
        Point at which to differentiate (finite entries).
    eps : float, > 0
        Step size ``h``.

    Returns
    -------
    ndarray
        Array of ``x``'s shape with entries :math:`(f(x + h e_i) - f(x - h e_i)) / (2h)`.

    Examples
    --------
    >>> import numpy as np, lkcourse as lk
    >>> np.round(lk.numerical_grad(lambda x: float(np.sum(x**3)), [1.0, -2.0]), 6)
    array([ 3., 12.])
    """
    if not callable(f):
        fail("f", "numerical_grad", "a callable f(x) -> float", f)
    x = check_array(x, "x", "numerical_grad", min_size=1)
    h = check_real(eps, "eps", "numerical_grad", low=0, low_open=True)
    grad = np.empty_like(x)
    xp = x.copy()
    flat, gflat = xp.reshape(-1), grad.reshape(-1)
    for i in range(flat.size):
        old = flat[i]
        flat[i] = old + h
        up = float(f(xp))
        flat[i] = old - h
        down = float(f(xp))
        flat[i] = old
        gflat[i] = (up - down) / (2 * h)
    return grad


def check_grad(f, df, x, *, eps=1e-6, rtol=1e-5, atol=1e-7):
    r"""Compare an analytic gradient with central finite differences.

    Parameters
    ----------
    f : callable
        ``f(x) -> float``.
    df : callable
        ``df(x) -> ndarray`` of ``x``'s shape, the gradient you want to check.
    x : array_like
        Point of the check. Avoid kinks (e.g. ``x = 0`` for ``abs``): there the
        finite difference averages the two one-sided slopes.
    eps : float, > 0
        Finite-difference step.
    rtol, atol : float, >= 0
        Passes when ``|analytic - numeric| <= atol + rtol * |numeric|`` entrywise.

    Returns
    -------
    float
        The largest absolute difference between the two gradients.

    Raises
    ------
    AssertionError
        If they differ, with both gradients in the message.

    Examples
    --------
    >>> import numpy as np, lkcourse as lk
    >>> err = lk.check_grad(lambda w: float(np.sum(w**2)), lambda w: 2 * w, [0.5, -1.5])
    >>> err < 1e-8
    True
    >>> lk.check_grad(lambda w: float(np.sum(w**2)), lambda w: w, [0.5, -1.5])
    Traceback (most recent call last):
    ...
    AssertionError: analytic and finite-difference gradients differ (max |diff| = 1.5)
    analytic:  [ 0.5 -1.5]
    numerical: [ 1. -3.]
    """
    if not callable(df):
        fail("df", "check_grad", "a callable df(x) -> array", df)
    if not callable(f):
        fail("f", "check_grad", "a callable f(x) -> float", f)
    h = check_real(eps, "eps", "check_grad", low=0, low_open=True)
    rtol = check_real(rtol, "rtol", "check_grad", low=0)
    atol = check_real(atol, "atol", "check_grad", low=0)
    x = check_array(x, "x", "check_grad")
    num = numerical_grad(f, x, eps=h)
    ana = np.asarray(df(x.copy()), dtype=np.float64)
    if ana.shape != x.shape:
        raise AssertionError(
            f"analytic gradient has shape {ana.shape}, expected x's shape {x.shape}")
    diff = np.abs(ana - num)
    worst = float(np.max(diff)) if diff.size else 0.0
    if not np.all(diff <= atol + rtol * np.abs(num)) or not np.all(np.isfinite(ana)):
        raise AssertionError(
            "analytic and finite-difference gradients differ "
            f"(max |diff| = {worst:.3g})\nanalytic:  {ana}\nnumerical: {np.round(num, 8)}")
    return worst
