"""Tests for lkcourse.datasets: determinism, shapes, geometry, statistics, validation."""
import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal

import lkcourse as lk
from lkcourse import datasets as ds

BUILDERS = {
    "noisy_polynomial": lambda rng: ds.noisy_polynomial(40, rng=rng),
    "sparse_regression": lambda rng: ds.sparse_regression(50, 8, 3, correlation=0.5,
                                                          rng=rng),
    "sparse_regression_blocks": lambda rng: ds.sparse_regression(
        50, 8, 4, correlation=0.9, block_size=4, rng=rng),
    "moons": lambda rng: ds.moons(60, rng=rng),
    "circles": lambda rng: ds.circles(60, rng=rng),
    "spirals": lambda rng: ds.spirals(60, n_classes=3, rng=rng),
    "xor": lambda rng: ds.xor(60, rng=rng),
}
CLASSIFICATION = {"moons": 2, "circles": 2, "spirals": 3, "xor": 2}


@pytest.mark.parametrize("name", BUILDERS)
def test_same_seed_same_data_different_seed_different_data(name):
    a, b, c = BUILDERS[name](7), BUILDERS[name](7), BUILDERS[name](8)
    for x, y in zip(a, b):
        assert_array_equal(x, y)
    assert not np.array_equal(a[0], c[0])
    # a Generator is accepted and consumed (two calls differ)
    g = np.random.default_rng(7)
    first, second = BUILDERS[name](g), BUILDERS[name](g)
    assert_array_equal(first[0], a[0])
    assert not np.array_equal(first[0], second[0])


def test_global_numpy_state_untouched():
    np.random.seed(0)
    before = np.random.random()
    np.random.seed(0)
    for build in BUILDERS.values():
        build(1)
    assert np.random.random() == before


@pytest.mark.parametrize("name", CLASSIFICATION)
def test_classification_shapes_and_labels(name):
    X, y = BUILDERS[name](0)
    k = CLASSIFICATION[name]
    assert X.shape == (60, 2) and X.dtype == np.float64
    assert y.shape == (60,) and y.dtype.kind == "i"
    assert set(np.unique(y)) == set(range(k))
    if name != "xor":
        assert_array_equal(np.bincount(y), [60 // k] * k)


def test_moons_geometry_without_noise():
    X, y = ds.moons(101, noise=0.0, rng=0)
    assert_array_equal(np.bincount(y), [50, 51])
    upper, lower = X[y == 0], X[y == 1]
    assert_allclose(np.hypot(*upper.T), 1.0, atol=1e-12)
    assert np.all(upper[:, 1] >= -1e-12)
    assert_allclose(np.hypot(lower[:, 0] - 1, lower[:, 1] - 0.5), 1.0, atol=1e-12)
    assert np.all(lower[:, 1] <= 0.5 + 1e-12)


def test_circles_geometry_and_factor():
    X, y = ds.circles(80, noise=0.0, factor=0.3, rng=1)
    assert_allclose(np.hypot(*X[y == 0].T), 1.0, atol=1e-12)
    assert_allclose(np.hypot(*X[y == 1].T), 0.3, atol=1e-12)


def test_noise_is_gaussian_with_the_given_scale():
    X0, y0 = ds.circles(20000, noise=0.0, rng=3)
    X1, y1 = ds.circles(20000, noise=0.1, rng=3)
    # same seed: the points are permuted identically, so the difference is the noise
    assert_array_equal(y0, y1)
    assert_allclose(np.std(X1 - X0), 0.1, rtol=0.02)


def test_spirals_geometry_without_noise():
    X, y = ds.spirals(300, noise=0.0, turns=1.5, n_classes=3, rng=0)
    r = np.hypot(*X.T)
    assert_allclose([r.min(), r.max()], [0.1, 1.0], atol=1e-12)
    angle = 2 * np.pi * (1.5 * r + y / 3)
    assert_allclose(X, r[:, None] * np.column_stack([np.cos(angle), np.sin(angle)]),
                    atol=1e-12)


def test_xor_labels_and_margin():
    X, y = ds.xor(500, noise=0.0, rng=0)
    assert_array_equal(y, (X[:, 0] * X[:, 1] < 0).astype(int))
    assert np.all(np.abs(X) >= 0.1) and np.all(np.abs(X) <= 1.0)
    # both classes about equally frequent
    assert 0.4 < np.mean(y) < 0.6


def test_noisy_polynomial_truth_sorting_and_noise():
    x, y, f = ds.noisy_polynomial(25, noise=0.0, rng=0, return_truth=True)
    assert np.all(np.diff(x) >= 0) and x.min() >= -1 and x.max() <= 1
    assert_allclose(y, 0.5 + x - 2 * x**3, atol=1e-14)
    x, y = ds.noisy_polynomial(20000, noise=0.3, coef=[1.0, 2.0], x_range=(0, 3), rng=1)
    assert x.min() >= 0 and x.max() <= 3
    assert_allclose(np.std(y - (1 + 2 * x)), 0.3, rtol=0.02)


def test_sparse_regression_support_and_noise_free_targets():
    X, y, coef = ds.sparse_regression(30, 10, 4, noise=0.0, rng=0)
    assert X.shape == (30, 10) and y.shape == (30,) and coef.shape == (10,)
    assert np.all(coef[4:] == 0) and np.all(np.abs(coef[:4]) >= 1)
    assert np.all(np.abs(coef[:4]) <= 2)
    assert_allclose(y, X @ coef, atol=1e-12)
    _, _, coef = ds.sparse_regression(30, 10, 3, coef=[1.0, -2.0, 0.5], rng=0)
    assert_array_equal(coef[:3], [1.0, -2.0, 0.5])


@pytest.mark.parametrize("rho", [0.0, 0.5, 0.9])
def test_sparse_regression_equicorrelation(rho):
    X, _, _ = ds.sparse_regression(20000, 5, 1, correlation=rho, rng=0)
    corr = np.corrcoef(X, rowvar=False)
    off = corr[~np.eye(5, dtype=bool)]
    assert_allclose(off, rho, atol=0.03)
    assert_allclose(X.std(axis=0), 1.0, atol=0.03)


def test_sparse_regression_blocks():
    X, _, coef = ds.sparse_regression(20000, 7, 3, correlation=0.8, block_size=3,
                                      coef=2.0, rng=0)
    assert_array_equal(coef, [2, 2, 2, 0, 0, 0, 0])
    corr = np.corrcoef(X, rowvar=False)
    block = np.arange(7) // 3
    same = block[:, None] == block[None, :]
    off = ~np.eye(7, dtype=bool)
    assert_allclose(corr[same & off], 0.8, atol=0.03)
    assert_allclose(corr[~same], 0.0, atol=0.03)


def test_train_test_split_is_a_seeded_partition():
    X = np.arange(20.0).reshape(10, 2)
    y = np.arange(10)
    X_copy = X.copy()
    X_tr, X_te, y_tr, y_te = ds.train_test_split(X, y, rng=0)
    assert len(y_te) == 3 and len(y_tr) == 7      # ceil(0.25 * 10)
    assert sorted(np.concatenate([y_tr, y_te]).tolist()) == list(range(10))
    assert_array_equal(X_tr, X[y_tr])
    assert y_tr.dtype == y.dtype
    assert_array_equal(X_te, X[y_te])
    assert_array_equal(X, X_copy)
    again = ds.train_test_split(X, y, rng=0)
    for a, b in zip((X_tr, X_te, y_tr, y_te), again):
        assert_array_equal(a, b)
    x1, xt1, _, _ = ds.train_test_split(np.arange(10.0), y, test_size=4, rng=1)
    assert x1.shape == (6,) and xt1.shape == (4,)


@pytest.mark.parametrize("call, name", [
    (lambda: ds.moons(1), "n"),
    (lambda: ds.moons(10, noise=-0.1), "noise"),
    (lambda: ds.circles(10, factor=1.0), "factor"),
    (lambda: ds.circles(10.5), "n"),
    (lambda: ds.spirals(10, turns=0), "turns"),
    (lambda: ds.spirals(10, n_classes=1), "n_classes"),
    (lambda: ds.xor(0), "n"),
    (lambda: ds.xor(10, rng=-1), "rng"),
    (lambda: ds.xor(10, rng="seed"), "rng"),
    (lambda: ds.noisy_polynomial(10, x_range=(1, -1)), "x_range"),
    (lambda: ds.noisy_polynomial(10, coef=[]), "coef"),
    (lambda: ds.sparse_regression(10, 5, 6), "n_informative"),
    (lambda: ds.sparse_regression(10, 5, 2, correlation=1.0), "correlation"),
    (lambda: ds.sparse_regression(10, 5, 2, block_size=0), "block_size"),
    (lambda: ds.sparse_regression(10, 5, 2, coef=[1.0]), "coef"),
    (lambda: ds.train_test_split(np.ones(5), np.ones(4)), "X"),
    (lambda: ds.train_test_split(np.ones(5), np.ones(5), test_size=0.0), "test_size"),
    (lambda: ds.train_test_split(np.ones(5), np.ones(5), test_size=5), "test_size"),
])
def test_validation_names_the_parameter(call, name):
    with pytest.raises(lk.InvalidParameterError, match=f"'{name}'"):
        call()


def test_datasets_not_reexported_at_top_level():
    assert ds.__all__ == []
    assert not hasattr(lk, "moons") and hasattr(lk, "datasets")
