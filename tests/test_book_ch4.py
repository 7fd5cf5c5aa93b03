"""Chapter 4's machinery (``lkcourse.book.ch4``) against independent oracles.

- ``train_side_by_side`` takes the steps of ``lk.train`` (SGD, full batch, penalty by
  gradient or by prox) for every network of the stack;
- ``best_subset`` agrees with least squares by ``lk.fit_linear`` on every subset;
- ``flip_run`` and ``flip_band`` agree with the proposition of the chapter: a gradient
  step on ``lam |w|**k`` flips the sign exactly inside the band;
- ``quote`` formats the ledger's numbers as the prose writes them.
"""
import itertools

import numpy as np
import pytest

import lkcourse as lk
from lkcourse.book import ch4


@pytest.fixture(scope="module")
def small_draw():
    X_tr, X_te, y_tr, y_te, init_rng = ch4.net_data(3)
    return X_tr, y_tr, lk.MLP(list(ch4.NET_SIZES), "tanh", rng=init_rng)


# Runs whose iterates are not chaotic, so the two code paths agree to round-off
# (gradient-trained L0.5 flips weights in and out of its band: its digits diverge).
SMOOTH = {"none": (None, "grad"), "L1": (lk.L1(0.01), "grad"),
          "L2": (lk.L2(0.01), "grad"), "L3": (lk.Lk(3, 0.01), "grad"),
          "LInf": (lk.LInf(0.1), "grad"), "L0.5 prox": (lk.Lk(0.5, 0.01), "prox"),
          "L1 prox": (lk.L1(0.01), "prox"), "L0": (lk.L0(0.01), "grad")}


def test_train_side_by_side_takes_the_steps_of_lk_train(small_draw):
    X, y, init = small_draw
    stacked = ch4.train_side_by_side(SMOOTH, X, y, init, epochs=60)
    for name, (penalty, mode) in SMOOTH.items():
        model = init.copy()
        lk.train(model, X, y, optimizer=lk.SGD(ch4.NET_LR), loss="mse",
                 penalty=penalty, penalty_mode=mode, epochs=60)
        for key, value in model.params.items():
            np.testing.assert_allclose(stacked[name].params[key], value, rtol=0,
                                       atol=1e-11, err_msg=f"{name} {key}")
    assert not np.array_equal(stacked["L2"].weight_entries(),
                              stacked["none"].weight_entries())


def test_train_side_by_side_leaves_init_alone_and_keeps_exact_zeros(small_draw):
    X, y, init = small_draw
    before = {k: v.copy() for k, v in init.params.items()}
    models = ch4.train_side_by_side({"L1 prox": (lk.L1(0.05), "prox")}, X, y, init,
                                    epochs=30)
    assert all(np.array_equal(init.params[k], v) for k, v in before.items())
    assert np.mean(models["L1 prox"].weight_entries() == 0) > 0.3


def test_best_subset_matches_least_squares_on_every_subset():
    X, y, _ = lk.datasets.sparse_regression(30, 5, 2, correlation=0.3, noise=0.5, rng=1)
    subsets, objectives = ch4.best_subset(X, y, 0.05)
    assert len(subsets) == 2 ** 5 and len(set(subsets)) == 2 ** 5
    for S, value in zip(subsets, objectives):
        if S:
            r = y - lk.fit_linear(X[:, list(S)], y).predict(X[:, list(S)])
        else:
            r = y - y.mean()
        assert value == pytest.approx(r @ r / (2 * len(y)) + 0.05 * len(S), rel=1e-10)


@pytest.mark.parametrize("k", [0.5, 1, 1.5])
def test_flip_band_is_where_a_step_flips_the_sign(k):
    band = ch4.flip_band(k)
    for w in band * np.array([0.5, 0.9, 0.999, 1.001, 1.1, 2.0]):
        w1 = lk.simulate_weight(lk.Lk(k, ch4.LAM), w, lr=ch4.LR, steps=1)[1]
        assert (w1 < 0) == (w < band), (k, w, w1)


def test_flip_run_measures_what_the_chapter_says():
    draw = ch4.flip_run(0)
    assert draw["flips exactly in the band"] is True
    assert 0 <= draw["sign changes"] <= ch4.STEPS
    assert draw["largest |w|"] >= draw["largest |w| after step 100"] > 0


def test_experiments_and_claims_are_registered():
    for exp in (ch4.FLIPS, ch4.SUBSETS, ch4.NET, ch4.TUNE):
        assert lk.EXPERIMENTS[exp.id] is exp and exp.doc == "04_lk_norms"
        assert exp.claims and all(lk.CLAIMS[c.id] is c for c in exp.claims)


@pytest.mark.parametrize("field", ["k", "pct", "ci"])
def test_quote_formats_a_rate_claim(field):
    e = lk.ledger_entry("ch4/flips-dozens")
    text = ch4.quote("ch4/flips-dozens", field)
    assert text == {"k": str(e.k), "pct": e.percent(),
                    "ci": f"{100 * e.lo:.0f}\u2013{100 * e.hi:.0f} %"}[field]


def test_quote_formats_a_mean_claim():
    e = lk.ledger_entry("ch6/sigmoid-gain")
    assert ch4.quote("ch6/sigmoid-gain", "mean") == f"{e.value:.2f}"
    assert ch4.quote("ch6/sigmoid-gain", "sd") == f"{e.sd:.2f}"
    assert ch4.quote("ch6/sigmoid-gain", "meanpct") == f"{100 * e.value:.0f} %"
    with pytest.raises(KeyError):
        ch4.quote("ch6/sigmoid-gain", "median")


def test_tune_grid_brackets_the_untuned_strengths():
    for name, (make, grid) in ch4.TUNE_GRID.items():
        assert len(grid) == 3 and list(grid) == sorted(grid)
        untuned = ch4.RUNS[name][0]
        assert grid[1] == untuned.lam and type(make(grid[1])) is type(untuned)


def test_sign_changes_counts_strict_crossings():
    assert ch4.sign_changes([1.0, -1.0, 2.0, 0.0, -3.0, -1.0]) == 2
    assert ch4.sign_changes(list(itertools.repeat(1.0, 5))) == 0


def test_train_side_by_side_refuses_other_networks(small_draw):
    X, y, _ = small_draw
    for model in (lk.MLP([20, 16, 1], "relu", rng=0), lk.MLP([20, 8, 8, 1], "tanh", rng=0)):
        with pytest.raises(lk.InvalidParameterError, match="'init' parameter"):
            ch4.train_side_by_side(ch4.RUNS, X, y, model, epochs=1)
