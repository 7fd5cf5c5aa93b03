r"""Pure proximal operators: the math behind the penalty classes.

Each function here solves a small optimisation problem in closed form or by an exact
1-D search, entry by entry. The penalty classes in :mod:`lkcourse.penalties` call them,
and the book shows them with ``lk.show_source``. All of them are re-exported at the
top level (``lk.soft_threshold``, ...).

For a function :math:`R` and a step :math:`t > 0` the proximal operator is

.. math:: \operatorname{prox}_{tR}(v) = \operatorname*{argmin}_u\; t R(u) + \tfrac12 \|u - v\|^2 .

=====================  ==========================  ==========================================
function               solves, per entry           formula
=====================  ==========================  ==========================================
``soft_threshold``     :math:`t|u|`                :math:`\operatorname{sign}(v)\max(|v|-t, 0)`
``hard_threshold``     keep iff :math:`|v| > t`    :math:`v\,[|v| > t]` (0 on ties)
``half_threshold``     :math:`t|u|^{1/2}`          Xu et al. (2012), 0 on ties
``prox_lk``            :math:`t|u|^k`, any k > 0   1-D root solve (k > 1), global search (k < 1)
``project_l1_ball``    :math:`\|u\|_1 \le r`       sort-based projection (Duchi et al., 2008)
=====================  ==========================  ==========================================

Non-finite entries of ``v`` pass through unchanged (NaN stays NaN, +-inf stays
+-inf), except in ``project_l1_ball``, which needs finite input.
"""
from __future__ import annotations

import numpy as np

from ._shared import soft as _soft
from ._validation import check_array, check_real

__all__ = ["soft_threshold", "hard_threshold", "half_threshold", "prox_lk",
           "project_l1_ball"]

_EPS = np.finfo(np.float64).eps
_MAX_NEWTON = 300


def soft_threshold(v, t):
    r"""Soft-thresholding, the proximal operator of :math:`t\|u\|_1`.

    Parameters
    ----------
    v : array_like
        Any shape.
    t : float, >= 0
        Threshold (step times lam).

    Returns
    -------
    ndarray
        :math:`\operatorname{sign}(v)\max(|v| - t, 0)`, same shape as ``v``: entries
        with :math:`|v| \le t` become exactly 0, the others move ``t`` toward 0.

    Examples
    --------
    >>> import lkcourse as lk
    >>> lk.soft_threshold([-3.0, -0.5, 0.0, 0.5, 3.0], 1.0)
    array([-2., -0.,  0.,  0.,  2.])
    """
    v = check_array(v, "v", "soft_threshold", finite=False, min_size=0)
    t = check_real(t, "t", "soft_threshold", low=0)
    return _soft(v, t)


def hard_threshold(v, t):
    r"""Hard-thresholding: keep an entry if :math:`|v| > t`, else set it to 0.

    With ``t = sqrt(2 * step * lam)`` this is the proximal operator of
    ``step * lam * count(u != 0)`` (the L0 penalty): keeping ``v`` costs
    ``step * lam``, zeroing it costs ``v**2 / 2``.

    Parameters
    ----------
    v : array_like
        Any shape.
    t : float, >= 0
        Threshold.

    Returns
    -------
    ndarray
        :math:`v \cdot [|v| > t]`. On a tie :math:`|v| = t` both 0 and v are minimizers
        of the L0 problem; this function returns 0.

    Examples
    --------
    >>> import lkcourse as lk
    >>> lk.hard_threshold([-3.0, -1.0, 0.5, 1.0, 3.0], 1.0)
    array([-3.,  0.,  0.,  0.,  3.])
    """
    v = check_array(v, "v", "hard_threshold", finite=False, min_size=0)
    t = check_real(t, "t", "hard_threshold", low=0)
    return np.where(np.abs(v) <= t, 0.0, v)


def half_threshold(v, t):
    r"""Half-thresholding, the proximal operator of :math:`t\sum_i |u_i|^{1/2}`.

    Parameters
    ----------
    v : array_like
        Any shape.
    t : float, >= 0
        Step times lam.

    Returns
    -------
    ndarray
        The global minimizer of :math:`t|u|^{1/2} + \tfrac12 (u - v)^2` per entry.

    Notes
    -----
    Closed form of Xu et al. (2012), written for :math:`\lambda = 2t` (their problem is
    :math:`(u - v)^2 + \lambda |u|^{1/2}`): with
    :math:`\varphi = \arccos\big(\tfrac{\lambda}{8} (|v|/3)^{-3/2}\big)`,

    .. math:: u = \tfrac23 v \big(1 + \cos(\tfrac{2\pi}{3} - \tfrac23\varphi)\big)
        \quad\text{if } |v| > \tfrac{\sqrt[3]{54}}{4}\lambda^{2/3} = \tfrac32 t^{2/3},

    else :math:`u = 0`. At :math:`|v| = \tfrac32 t^{2/3}` both 0 and a non-zero point
    are global minimizers; this function returns 0 (the same choice as
    :func:`prox_lk`, which the tests use as the independent check).

    Examples
    --------
    >>> import numpy as np, lkcourse as lk
    >>> np.round(lk.half_threshold([-4.0, 1.0, 1.6, 4.0], 1.0), 6)
    array([-3.741508,  0.      ,  1.129545,  3.741508])
    """
    v = check_array(v, "v", "half_threshold", finite=False, min_size=0)
    t = check_real(t, "t", "half_threshold", low=0)
    a = np.abs(v)
    out = v.copy() if t == 0 else np.where(np.isfinite(v), 0.0, v)
    if t == 0:
        return out
    lam = 2.0 * t
    big = np.isfinite(a) & (a > 1.5 * t ** (2.0 / 3.0))
    ab = a[big]
    phi = np.arccos(np.minimum(lam / 8.0 * (ab / 3.0) ** -1.5, 1.0))
    out[big] = np.sign(v[big]) * (2.0 / 3.0) * ab * (
        1.0 + np.cos(2.0 * np.pi / 3.0 - 2.0 / 3.0 * phi))
    return out


def _newton_increasing(fun, a, lo, hi, x):
    """Safeguarded Newton for an increasing g on [lo, hi] with g(lo) <= 0 <= g(hi).

    ``fun(x, a) -> (g, dg)`` works entrywise on arrays; ``a`` (the right-hand side) also
    sets the size of g's terms. Newton steps that leave the current bracket (or are not
    finite) are replaced by bisection. An entry stops when |g| is at round-off level
    (a few ulps of a), when a Newton step no longer moves it, or when its bracket is a
    few ulps wide. Large arrays evaluate only the entries still running.
    """
    x = x.copy()
    tol = 4 * _EPS * a
    full = x.size <= 256  # small arrays: cheaper to keep evaluating finished entries
    active = slice(None) if full else np.arange(x.size)
    done = np.zeros(x.shape, dtype=bool)
    for _ in range(_MAX_NEWTON):
        xa, la, ha = x[active], lo[active], hi[active]
        g, dg = fun(xa, a[active])
        la = np.where(g < 0, xa, la)
        ha = np.where(g > 0, xa, ha)
        newton = xa - g / dg
        ok = np.isfinite(dg) & (newton >= la) & (newton <= ha)  # False for NaN
        xn = np.where(ok, newton, 0.5 * (la + ha))
        small = np.abs(g) <= tol[active]
        stop = (small | (ok & (np.abs(xn - xa) <= 2 * np.spacing(xa)))
                | (ha - la <= 4 * np.spacing(ha)))
        if full:
            x = np.where(small | done, x, xn)
            lo, hi = la, ha
            done |= stop
            if done.all():
                break
        else:
            x[active] = np.where(small, xa, xn)
            lo[active], hi[active] = la, ha
            active = active[~stop]
            if active.size == 0:
                break
    return x


def _prox_lk_abs(a, t, k):
    """prox of t*|u|**k at a >= 0 (finite 1-D array), k != 1, t > 0: returns u >= 0."""
    u = np.zeros_like(a)
    pos = a > 0
    a = a[pos]
    if a.size == 0:
        return u

    def fun(x, a):
        return x + t * k * x ** (k - 1) - a, 1.0 + t * k * (k - 1) * x ** (k - 2)

    with np.errstate(over="ignore", under="ignore", divide="ignore", invalid="ignore"):
        if k > 1:
            # u + t*k*u**(k-1) = a has one root; each of the two terms is <= a there,
            # and at least one of them is >= a/2.
            hi = np.minimum(a, (a / (t * k)) ** (1.0 / (k - 1)))
            lo = np.minimum(a / 2, (a / (2 * t * k)) ** (1.0 / (k - 1)))
            u[pos] = _newton_increasing(fun, a, lo, hi, hi if k >= 2 else lo)
            return u
        # k < 1: phi(u) = t*u**k + (u - a)**2/2 on u > 0 has phi'(0+) = +inf and
        # phi' = u + t*k*u**(k-1) - a is smallest at the inflection point u_c.
        # If phi'(u_c) >= 0, phi increases on (0, inf) and 0 is the minimizer;
        # otherwise the local minimizer is the larger root of phi' in (u_c, a), where
        # phi' is increasing and convex (Newton from a converges from the right), and
        # we compare it with u = 0.
        u_c = (t * k * (1 - k)) ** (1.0 / (2 - k))
        cand = a > u_c + t * k * u_c ** (k - 1)
        root = np.zeros_like(a)
        if cand.any():
            ac = a[cand]
            r = _newton_increasing(fun, ac, np.full_like(ac, u_c), ac.copy(), ac)
            # phi(r) - phi(0) = r * (t*r**(k-1) + r/2 - a); keep r only if strictly lower
            better = t * r ** (k - 1) + 0.5 * r - ac < 0
            root[cand] = np.where(better, r, 0.0)
        u[pos] = root
    return u


def prox_lk(v, t, k):
    r"""Proximal operator of :math:`t\sum_i |u_i|^k` for any :math:`0 < k < \infty`.

    Parameters
    ----------
    v : array_like
        Any shape.
    t : float, >= 0
        Step times lam.
    k : float, > 0 (finite)
        Exponent.

    Returns
    -------
    ndarray
        :math:`\operatorname{argmin}_u\, t|u|^k + \tfrac12 (u - v)^2` per entry, with the
        sign of ``v`` and :math:`|u| \le |v|`.

    Notes
    -----
    - k = 1: soft-thresholding (exact).
    - k > 1: the problem is strictly convex and smooth; the minimizer solves
      :math:`u + t k |u|^{k-1}\operatorname{sign}(u) = v`, whose left side increases in
      u. It is found by bracketed Newton with bisection safeguards, to round-off (for k
      very close to 1 the root can be subnormal, e.g. 1e-320, and is then as accurate
      as the subnormal spacing allows).
    - k < 1: the problem is non-convex. For :math:`a = |v|`, the minimizer is either 0
      or the larger root of :math:`u + t k u^{k-1} = a` (a local minimum); the function
      compares the two objective values and returns the non-zero root only if its
      objective is strictly lower, so **on an exact tie it returns 0**. The non-zero
      branch appears above the threshold
      :math:`a^* = \frac{2-k}{2(1-k)} \big(2t(1-k)\big)^{1/(2-k)}`, and the solution
      jumps there from 0 to a value bounded away from 0.

    Examples
    --------
    >>> import numpy as np, lkcourse as lk
    >>> np.round(lk.prox_lk([-2.0, 0.5, 2.0], 0.5, 3), 6)   # solves u + 1.5 u**2 = |v|
    array([-0.868517,  0.333333,  0.868517])
    >>> np.round(lk.prox_lk([0.9, 1.0, 2.0], 0.5, 0.5), 6)  # threshold 0.945: jump
    array([0.      , 0.701516, 1.814402])
    """
    v = check_array(v, "v", "prox_lk", finite=False, min_size=0)
    t = check_real(t, "t", "prox_lk", low=0)
    k = check_real(k, "k", "prox_lk", low=0, low_open=True)
    if t == 0:
        return v.copy()
    if k == 1:
        return _soft(v, t)
    out = v.copy()
    fin = np.isfinite(v)
    out[fin] = np.sign(v[fin]) * _prox_lk_abs(np.abs(v[fin]), t, k)
    return out


def project_l1_ball(v, radius=1.0):
    r"""Euclidean projection onto the L1 ball :math:`\{u : \|u\|_1 \le r\}`.

    Parameters
    ----------
    v : array_like
        Any shape, finite (treated as one flat vector).
    radius : float, >= 0 (inf allowed)
        Radius :math:`r` of the ball.

    Returns
    -------
    ndarray
        The closest point of the ball, same shape as ``v``. If ``v`` is inside, a copy
        of ``v``.

    Raises
    ------
    InvalidParameterError
        If ``v`` holds NaN or inf, or ``radius`` is negative or NaN.

    Notes
    -----
    Duchi et al. (2008): the projection is :math:`\operatorname{sign}(v)\max(|v| -
    \theta, 0)` with the :math:`\theta \ge 0` that makes the L1 norm equal r. Sorting
    :math:`|v|` decreasingly as :math:`\mu_1 \ge \mu_2 \ge \dots`, with
    :math:`\rho = \max\{j : \mu_j - (\sum_{i \le j}\mu_i - r)/j > 0\}`,
    :math:`\theta = (\sum_{i \le \rho}\mu_i - r)/\rho`. It is the dual of the
    L-infinity prox: :math:`v = \operatorname{prox}_{t\|\cdot\|_\infty}(v) +
    \operatorname{proj}_{\{\|u\|_1 \le t\}}(v)` (Moreau).

    Examples
    --------
    >>> import lkcourse as lk
    >>> lk.project_l1_ball([3.0, -1.0, 0.5], 2.0)
    array([ 2., -0.,  0.])
    >>> lk.project_l1_ball([0.5, -0.5], 2.0)
    array([ 0.5, -0.5])
    """
    v = check_array(v, "v", "project_l1_ball", min_size=0)
    r = check_real(radius, "radius", "project_l1_ball", low=0, allow_inf=True)
    a = np.abs(v).ravel()
    if a.sum() <= r:
        return v.copy()
    if r == 0:
        return np.zeros_like(v)
    mu = np.sort(a)[::-1]
    css = np.cumsum(mu)
    j = np.arange(1, mu.size + 1)
    hits = np.nonzero(mu - (css - r) / j > 0)[0]
    rho = hits[-1] + 1 if hits.size else 1  # r below round-off of mu_1: keep one entry
    theta = (css[rho - 1] - r) / rho
    return _soft(v, theta)
