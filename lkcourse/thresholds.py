r"""Thresholds from statistics: what a 20-draw block may assert about a measured claim.

The claims ledger measures each cross-draw claim of the book on hundreds of draws. A
notebook then checks the claim again on its own block of (say) 20 draws, and that check
must pass on *any* block, not only on the block the book shows. So the threshold it
asserts is computed, not picked: it is the value a fresh block misses with probability
below ``alpha`` (default :math:`10^{-4}`) if the true rate or mean were at the
pessimistic end of the ledger's 95 % interval.

- A **rate** ("on k of n draws"): the ledger's Wilson interval :math:`[p_-, p_+]`; a
  block of :math:`m` draws asserts ``count >= t`` with :math:`t` the largest integer
  such that :math:`P(\mathrm{Bin}(m, p_-) < t) \le \alpha` (``side="at_least"``), or
  ``count <= t`` with the smallest :math:`t` such that
  :math:`P(\mathrm{Bin}(m, p_+) > t) \le \alpha` (``side="at_most"``).
- A **mean**: the ledger's mean :math:`\bar x`, standard deviation :math:`s` over
  :math:`N` draws; a block of :math:`m` draws asserts its mean
  :math:`\ge \bar x - 1.96\,s/\sqrt N - z_{1-\alpha}\,s/\sqrt m` (``"at_least"``) or
  :math:`\le \bar x + 1.96\,s/\sqrt N + z_{1-\alpha}\,s/\sqrt m` (``"at_most"``): the
  interval's end, minus a one-sided normal bound for a block mean
  (:math:`z_{1-10^{-4}} \approx 3.72`). The normal approximation of a 20-draw mean is
  rough for heavy-tailed measurements; prefer a rate for those.

With some sixty such checks in the book, a whole book then fails on a fresh block less
than once in a hundred runs.
"""
from __future__ import annotations

import math
import numbers

import numpy as np

from ._validation import check_choice, check_real, fail

__all__ = ["wilson_interval", "proportion_threshold", "mean_threshold", "ALPHA"]

#: Default probability that a fresh block misses a threshold (per check).
ALPHA = 1e-4


def _count(k, n, owner):
    if not isinstance(n, numbers.Integral) or isinstance(n, bool) or n < 1:
        fail("n", owner, "an int >= 1", n)
    if not isinstance(k, numbers.Integral) or isinstance(k, bool) or not 0 <= k <= n:
        fail("k", owner, f"an int between 0 and n = {n}", k)
    return int(k), int(n)


def _level(level, owner):
    return check_real(level, "level", owner, low=0, high=1, low_open=True, high_open=True)


def _z(p):
    from scipy.stats import norm
    return float(norm.ppf(p))


def wilson_interval(k, n, level=0.95):
    r"""Wilson score interval for a proportion: ``k`` successes in ``n`` draws.

    Parameters
    ----------
    k : int, 0 <= k <= n
        Number of draws on which the event held.
    n : int >= 1
        Number of draws.
    level : float, 0 < level < 1
        Coverage (two-sided).

    Returns
    -------
    (float, float)
        The interval's lower and upper ends, inside [0, 1].

    Raises
    ------
    InvalidParameterError
        If ``k``, ``n`` or ``level`` is out of range.

    Notes
    -----
    With :math:`\hat p = k/n` and :math:`z` the two-sided normal quantile,
    :math:`\bigl(\hat p + \tfrac{z^2}{2n} \pm z\sqrt{\hat p(1-\hat p)/n +
    z^2/(4n^2)}\bigr) / (1 + z^2/n)` (Wilson 1927). Unlike the textbook
    :math:`\hat p \pm z\sqrt{\hat p(1-\hat p)/n}`, it stays inside [0, 1] and is not
    empty at :math:`k = 0` or :math:`k = n`.

    Examples
    --------
    >>> import lkcourse as lk
    >>> lo, hi = lk.wilson_interval(176, 200)
    >>> round(lo, 3), round(hi, 3)
    (0.828, 0.918)
    >>> lo, hi = lk.wilson_interval(200, 200)
    >>> round(lo, 3), hi
    (0.981, 1.0)
    """
    owner = "wilson_interval"
    k, n = _count(k, n, owner)
    z = _z(0.5 + _level(level, owner) / 2)
    p = k / n
    centre = p + z * z / (2 * n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    scale = 1 + z * z / n
    lo = 0.0 if k == 0 else (centre - half) / scale
    hi = 1.0 if k == n else (centre + half) / scale
    return max(0.0, lo), min(1.0, hi)


def _check_common(n_block, alpha, side, owner):
    if (not isinstance(n_block, numbers.Integral) or isinstance(n_block, bool)
            or n_block < 1):
        fail("n_block", owner, "an int >= 1", n_block)
    alpha = check_real(alpha, "alpha", owner, low=0, high=0.5, low_open=True)
    side = check_choice(side, "side", owner, ["at_least", "at_most"])
    return int(n_block), alpha, side


def proportion_threshold(k, n, n_block=20, *, alpha=ALPHA, side="at_least", level=0.95):
    r"""The count a block of ``n_block`` draws may assert, from ``k`` of ``n`` measured.

    Parameters
    ----------
    k, n : int
        The claim held on ``k`` of ``n`` draws in the ledger.
    n_block : int >= 1
        Draws in the block that the notebook checks.
    alpha : float, 0 < alpha <= 0.5
        Largest allowed probability that a fresh block misses the threshold.
    side : {"at_least", "at_most"}
        The block asserts ``count >= t`` or ``count <= t``.
    level : float, 0 < level < 1
        Coverage of the Wilson interval whose pessimistic end is used.

    Returns
    -------
    int
        ``t``. For ``"at_least"``, 0 means no count can be asserted (every block
        passes: the check could not fail); for ``"at_most"``, ``n_block`` means the same.

    Raises
    ------
    InvalidParameterError
        If an argument is out of range.

    Notes
    -----
    ``"at_least"``: the largest :math:`t` with :math:`P(\mathrm{Bin}(m, p_-) \le t-1)
    \le \alpha`, where :math:`p_-` is the Wilson interval's lower end. ``"at_most"``:
    the smallest :math:`t` with :math:`P(\mathrm{Bin}(m, p_+) \ge t+1) \le \alpha`.

    Examples
    --------
    >>> import lkcourse as lk
    >>> lk.proportion_threshold(176, 200)           # 88 % of 200: assert >= 9 of 20
    9
    >>> lk.proportion_threshold(200, 200)           # 200 of 200: assert >= 16 of 20
    16
    >>> lk.proportion_threshold(12, 200, side="at_most")   # 6 % of 200: <= 8 of 20
    8
    """
    owner = "proportion_threshold"
    k, n = _count(k, n, owner)
    n_block, alpha, side = _check_common(n_block, alpha, side, owner)
    from scipy.stats import binom
    lo, hi = wilson_interval(k, n, level)
    if side == "at_least":
        ts = np.arange(n_block + 1)
        ok = binom.cdf(ts - 1, n_block, lo) <= alpha
        return int(ts[ok].max())
    ts = np.arange(n_block + 1)
    ok = binom.sf(ts, n_block, hi) <= alpha
    return int(ts[ok].min())


def mean_threshold(mean, sd, n, n_block=20, *, alpha=ALPHA, side="at_least", level=0.95):
    r"""The bound a block mean of ``n_block`` draws may assert, from ``n`` measured.

    Parameters
    ----------
    mean, sd : float
        Mean and sample standard deviation (``sd >= 0``) over the ledger's draws.
    n : int >= 2
        Number of draws in the ledger.
    n_block : int >= 1
        Draws in the block that the notebook checks.
    alpha : float, 0 < alpha <= 0.5
        Largest allowed probability that a fresh block misses the bound (normal
        approximation).
    side : {"at_least", "at_most"}
        The block asserts ``block_mean >= t`` or ``block_mean <= t``.
    level : float, 0 < level < 1
        Coverage of the interval for the mean whose pessimistic end is used.

    Returns
    -------
    float
        ``t``.

    Raises
    ------
    InvalidParameterError
        If an argument is out of range or not finite.

    Notes
    -----
    ``"at_least"``: :math:`\bar x - z_{(1+\text{level})/2}\,s/\sqrt n -
    z_{1-\alpha}\,s/\sqrt{m}`; ``"at_most"`` mirrors it.

    Examples
    --------
    >>> import lkcourse as lk
    >>> round(lk.mean_threshold(2.0, 3.0, 200), 2)        # 2.0 - 0.42 - 2.49
    -0.91
    >>> round(lk.mean_threshold(0.5, 0.1, 200, side="at_most"), 3)
    0.597
    """
    owner = "mean_threshold"
    mean = check_real(mean, "mean", owner)
    sd = check_real(sd, "sd", owner, low=0)
    if not isinstance(n, numbers.Integral) or isinstance(n, bool) or n < 2:
        fail("n", owner, "an int >= 2", n)
    n_block, alpha, side = _check_common(n_block, alpha, side, owner)
    margin = (_z(0.5 + _level(level, owner) / 2) * sd / math.sqrt(n)
              + _z(1 - alpha) * sd / math.sqrt(n_block))
    return mean - margin if side == "at_least" else mean + margin
