"""Thresholds from statistics: Wilson intervals, binomial and normal block bounds."""
import math

import numpy as np
import pytest
from scipy.stats import binom

import lkcourse as lk


# Newcombe (1998), Stat. Med. 17:857, Table I, method 3 (Wilson score interval).
@pytest.mark.parametrize("k,n,lo,hi", [(81, 263, 0.2553, 0.3662), (15, 148, 0.0624, 0.1605),
                                       (0, 20, 0.0, 0.1611), (1, 29, 0.0061, 0.1718)])
def test_wilson_matches_newcombe(k, n, lo, hi):
    got = lk.wilson_interval(k, n)
    np.testing.assert_allclose(got, (lo, hi), atol=6e-5)


@pytest.mark.parametrize("k", [0, 1, 50, 150, 176, 199, 200])
@pytest.mark.parametrize("n_block", [10, 20, 50])
def test_at_least_threshold_is_the_largest_safe_count(k, n_block):
    lo, _ = lk.wilson_interval(k, 200)
    t = lk.proportion_threshold(k, 200, n_block)
    assert binom.cdf(t - 1, n_block, lo) <= lk.ALPHA              # safe
    if t < n_block:
        assert binom.cdf(t, n_block, lo) > lk.ALPHA               # and the largest such


@pytest.mark.parametrize("k", [0, 3, 24, 100, 200])
def test_at_most_mirrors_at_least(k):
    assert (lk.proportion_threshold(k, 200, 20, side="at_most")
            == 20 - lk.proportion_threshold(200 - k, 200, 20))


def test_threshold_monotone_in_rate():
    ts = [lk.proportion_threshold(k, 200) for k in range(0, 201, 5)]
    assert ts == sorted(ts) and ts[0] == 0 and ts[-1] == 16


def test_fresh_blocks_rarely_miss_the_threshold():
    # 176 of 200 measured; simulate 200,000 fresh 20-draw blocks at the measured rate:
    # a block misses the threshold far less often than 1e-4 * 10.
    t = lk.proportion_threshold(176, 200)
    counts = np.random.default_rng(0).binomial(20, 0.88, size=200_000)
    assert np.mean(counts < t) < 1e-3
    assert np.mean(counts < t + 3) > np.mean(counts < t)     # the bound is not loose by far


def test_mean_threshold_formula():
    t = lk.mean_threshold(2.0, 3.0, 200, 20)
    z95, za = 1.959963984540054, 3.719016485455709
    assert math.isclose(t, 2.0 - z95 * 3 / math.sqrt(200) - za * 3 / math.sqrt(20))
    assert math.isclose(lk.mean_threshold(2.0, 3.0, 200, 20, side="at_most"),
                        4.0 - t)
    assert lk.mean_threshold(1.0, 0.0, 200) == 1.0


@pytest.mark.parametrize("call,name", [
    (lambda: lk.wilson_interval(5, 4), "'k' parameter"),
    (lambda: lk.wilson_interval(1, 0), "'n' parameter"),
    (lambda: lk.wilson_interval(1, 10, level=1.0), "'level' parameter"),
    (lambda: lk.proportion_threshold(1, 10, 0), "'n_block' parameter"),
    (lambda: lk.proportion_threshold(1, 10, alpha=0), "'alpha' parameter"),
    (lambda: lk.proportion_threshold(1, 10, side="above"), "'side' parameter"),
    (lambda: lk.mean_threshold(1.0, -1.0, 10), "'sd' parameter"),
    (lambda: lk.mean_threshold(float("nan"), 1.0, 10), "'mean' parameter"),
    (lambda: lk.mean_threshold(1.0, 1.0, 1), "'n' parameter"),
])
def test_bad_arguments(call, name):
    with pytest.raises(lk.InvalidParameterError, match=name):
        call()
