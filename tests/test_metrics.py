import numpy as np
import pytest
from numpy.testing import assert_allclose

import lkcourse as lk


def test_metrics_against_scikit_learn():
    from sklearn import metrics as skm
    rng = np.random.default_rng(0)
    y, yhat = rng.normal(size=50), rng.normal(size=50)
    assert_allclose(lk.mse(y, yhat), skm.mean_squared_error(y, yhat), rtol=1e-14)
    assert_allclose(lk.mae(y, yhat), skm.mean_absolute_error(y, yhat), rtol=1e-14)
    assert_allclose(lk.r2_score(y, yhat), skm.r2_score(y, yhat), rtol=1e-12)
    labels, pred = rng.integers(0, 3, 40), rng.integers(0, 3, 40)
    assert_allclose(lk.accuracy(labels, pred), skm.accuracy_score(labels, pred))


def test_r2_of_the_mean_is_zero_and_negative_for_worse():
    y = np.array([1.0, 2.0, 4.0])
    assert lk.r2_score(y, np.full(3, y.mean())) == pytest.approx(0.0, abs=1e-15)
    assert lk.r2_score(y, -y) < 0


@pytest.mark.parametrize("fn", [lk.mse, lk.mae, lk.r2_score, lk.accuracy])
def test_shape_mismatch_is_a_clear_error(fn):
    with pytest.raises(lk.InvalidParameterError, match="same shape"):
        fn([1.0, 2.0], [1.0, 2.0, 3.0])


def test_r2_rejects_constant_targets():
    with pytest.raises(lk.InvalidParameterError, match="'y_true' parameter of r2_score"):
        lk.r2_score([2.0, 2.0], [1.0, 3.0])


@pytest.mark.parametrize("n, k", [(10, 3), (7, 7), (100, 5)])
def test_kfold_partitions_the_indices(n, k):
    folds = lk.kfold_splits(n, k, rng=1)
    assert len(folds) == k
    vals = np.concatenate([v for _, v in folds])
    assert sorted(vals.tolist()) == list(range(n))
    for tr, va in folds:
        assert set(tr.tolist()).isdisjoint(va.tolist())
        assert len(tr) + len(va) == n
    sizes = [len(v) for _, v in folds]
    assert max(sizes) - min(sizes) <= 1
    again = lk.kfold_splits(n, k, rng=1)
    assert all(np.array_equal(a[1], b[1]) for a, b in zip(folds, again))


@pytest.mark.parametrize("args, name", [((5, 1), "n_splits"), ((3, 5), "n"), ((10, 2.5), "n_splits")])
def test_kfold_validates(args, name):
    with pytest.raises(lk.InvalidParameterError, match=f"'{name}' parameter of kfold_splits"):
        lk.kfold_splits(*args)


def test_half_mse_is_the_mlp_loss_and_half_of_lk_mse():
    # one name, one meaning: the MLP's "mse" is half-MSE; "half_mse" says so explicitly
    X, y = lk.datasets.moons(30, rng=0)
    y = y.astype(float)
    model = lk.MLP([2, 5, 1], "tanh", rng=0)
    out = model.predict(X)
    for name in ("mse", "half_mse"):
        loss, _ = model.loss_and_grads(X, y, name)
        assert loss == pytest.approx(0.5 * lk.mse(y, out), rel=1e-14)
        assert lk.evaluate(model, X, y, loss=name)["loss"] == loss
    _, g_mse = model.loss_and_grads(X, y, "mse")
    _, g_half = model.loss_and_grads(X, y, "half_mse")
    for k in g_mse:
        np.testing.assert_array_equal(g_mse[k], g_half[k])
