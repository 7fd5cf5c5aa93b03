"""The real data sets of ``lk.datasets`` (diabetes, breast cancer, digits).

Checked against scikit-learn's own loaders (the same numbers, offline), against the
facts of each data set (shapes, class counts, the order in which the diabetes variables
enter the lasso path of Efron et al. 2004, Fig. 1), and for the course's conventions:
splits drawn from ``rng``, standardization fitted on the training split only.
"""
import socket

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from sklearn import datasets as skd
from sklearn.linear_model import lars_path

import lkcourse as lk
from lkcourse import datasets as D

LOADERS = {"diabetes": lk.datasets.diabetes, "breast_cancer": lk.datasets.breast_cancer,
           "digits": lk.datasets.digits}
SHAPES = {"diabetes": (442, 10), "breast_cancer": (569, 30), "digits": (1797, 64)}


@pytest.mark.parametrize("name", LOADERS)
def test_whole_data_set_is_scikit_learns(name):
    X, y = LOADERS[name](standardize=False)
    ref = getattr(skd, f"load_{name}")(**({"scaled": False} if name == "diabetes" else {}))
    assert X.shape == SHAPES[name] and X.dtype == np.float64
    assert_array_equal(X, ref.data)
    assert_array_equal(y, ref.target)
    assert y.dtype == (np.float64 if name == "diabetes" else np.int64)
    assert len(lk.datasets.feature_names(name)) == X.shape[1]


def test_class_counts_and_ranges():
    _, y = lk.datasets.breast_cancer()
    assert np.bincount(y).tolist() == [212, 357]          # 0 = malignant, 1 = benign
    X, y = lk.datasets.digits(standardize=False)
    assert set(np.unique(y)) == set(range(10)) and X.min() == 0 and X.max() == 16
    assert np.all(X == np.round(X))                       # pixel counts
    _, y = lk.datasets.diabetes()
    assert y.min() == 25 and y.max() == 346


def test_loading_needs_no_network(monkeypatch):
    def refuse(*args, **kwargs):
        raise OSError("network access in a test")
    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    D._real.cache_clear()
    for name, load in LOADERS.items():
        assert load()[0].shape == SHAPES[name]
    D._real.cache_clear()


@pytest.mark.parametrize("name", LOADERS)
def test_standardized_whole_data(name):
    X, _ = LOADERS[name]()
    raw, _ = LOADERS[name](standardize=False)
    sd = raw.std(axis=0)
    assert_allclose(X.mean(axis=0), 0, atol=1e-12)
    assert_allclose(X.std(axis=0)[sd > 0], 1, rtol=1e-12)
    assert np.all(X[:, sd == 0] == 0)                       # constant columns: centred only


@pytest.mark.parametrize("name", LOADERS)
def test_split_is_seeded_and_a_partition(name):
    load = LOADERS[name]
    a = load(test_size=0.3, standardize=False, rng=5)
    b = load(test_size=0.3, standardize=False, rng=np.random.default_rng(5))
    c = load(test_size=0.3, standardize=False, rng=6)
    for u, v in zip(a, b):
        assert_array_equal(u, v)
    assert not np.array_equal(a[0], c[0])
    X_tr, X_te, y_tr, y_te = a
    n = SHAPES[name][0]
    assert len(X_te) == int(np.ceil(0.3 * n)) and len(X_tr) + len(X_te) == n
    X, y = load(standardize=False)
    rows = lambda A, b: sorted(map(tuple, np.column_stack([A, b])))  # noqa: E731
    assert rows(np.vstack([X_tr, X_te]), np.concatenate([y_tr, y_te])) == rows(X, y)
    assert len(load(test_size=100, rng=0)[1]) == 100


@pytest.mark.parametrize("name", LOADERS)
def test_standardization_is_fitted_on_the_training_split_only(name):
    load = LOADERS[name]
    X_tr, X_te, y_tr, y_te = load(test_size=0.25, rng=3)
    R_tr, R_te, r_tr, r_te = load(test_size=0.25, standardize=False, rng=3)
    assert_array_equal(y_tr, r_tr)
    assert_array_equal(y_te, r_te)
    mean, sd = R_tr.mean(axis=0), R_tr.std(axis=0)
    sd = np.where(sd > 0, sd, 1.0)
    assert_allclose(X_tr, (R_tr - mean) / sd, rtol=0, atol=1e-12)
    assert_allclose(X_te, (R_te - mean) / sd, rtol=0, atol=1e-12)
    # the test split is not re-centred: its own means are not 0
    assert np.abs(X_te.mean(axis=0)).max() > 1e-3
    # and changing the test rows does not change the training rows
    a, _ = lk.datasets.standardize(R_tr, R_te)
    b, _ = lk.datasets.standardize(R_tr, R_te * 10 + 1)
    assert_array_equal(a, b)


def test_standardize_function():
    rng = np.random.default_rng(0)
    A, B = rng.normal(3, 2, size=(50, 4)), rng.normal(size=(7, 4))
    A[:, 2] = 5.0
    out = lk.datasets.standardize(A, B)
    assert isinstance(out, tuple) and len(out) == 2
    assert_allclose(out[0][:, [0, 1, 3]].std(axis=0), 1, rtol=1e-12)
    assert np.all(out[0][:, 2] == 0) and np.all(out[1][:, 2] == B[:, 2] - 5.0)
    assert isinstance(lk.datasets.standardize(A), tuple)
    A0, B0 = A.copy(), B.copy()
    lk.datasets.standardize(A, B)
    assert_array_equal(A, A0)                               # inputs not modified
    assert_array_equal(B, B0)
    with pytest.raises(lk.InvalidParameterError, match="'X_other'.*4 columns"):
        lk.datasets.standardize(A, B[:, :3])


def test_returned_arrays_are_new_and_writable():
    X, y = lk.datasets.diabetes(standardize=False)
    X[0, 0], y[0] = -1.0, -1.0
    X2, y2 = lk.datasets.diabetes(standardize=False)
    assert X2[0, 0] != -1.0 and y2[0] != -1.0


def test_diabetes_matches_the_unit_norm_scaling_of_efron_et_al():
    # scikit-learn's default (scaled=True) columns have unit Euclidean norm; ours have
    # unit standard deviation: a factor sqrt(442), as the docstring says
    X, y = lk.datasets.diabetes()
    assert_allclose(X / np.sqrt(442), skd.load_diabetes().data, rtol=0, atol=1e-12)


def test_diabetes_lasso_order_of_entry_is_efron_figure_1():
    # Efron, Hastie, Johnstone & Tibshirani (2004), Fig. 1: the covariates enter the
    # lasso path in the order 3, 9, 4, 7, 2, 10, 5, 8, 6, 1 (1-based)
    X, y = lk.datasets.diabetes()
    _, active, coefs = lars_path(X, y - y.mean(), method="lasso")
    entered = []
    for k in range(1, coefs.shape[1]):
        for j in np.flatnonzero((coefs[:, k] != 0) & (coefs[:, k - 1] == 0)):
            if j not in entered:
                entered.append(int(j))
    assert [j + 1 for j in entered] == [3, 9, 4, 7, 2, 10, 5, 8, 6, 1]
    names = lk.datasets.feature_names("diabetes")
    assert [names[j] for j in entered[:3]] == ["bmi", "s5", "bp"]


def test_digits_border_pixels_blow_up_when_standardized():
    X, _ = lk.datasets.digits()
    raw, _ = lk.datasets.digits(standardize=False)
    assert np.sum(raw.std(axis=0) == 0) == 3               # three pixels never set
    assert np.abs(X).max() > 10                            # the Notes' warning


def test_feature_names():
    assert lk.datasets.feature_names("diabetes") == (
        "age", "sex", "bmi", "bp", "s1", "s2", "s3", "s4", "s5", "s6")
    assert lk.datasets.feature_names("breast_cancer")[0] == "mean radius"
    assert lk.datasets.feature_names("digits")[9] == "pixel_1_1"
    with pytest.raises(lk.InvalidParameterError, match="Did you mean 'diabetes'"):
        lk.datasets.feature_names("diabets")


@pytest.mark.parametrize("name", LOADERS)
@pytest.mark.parametrize("bad", [0.0, 1.0, -0.2, 0, "0.5", True])
def test_bad_test_size_is_named(name, bad):
    with pytest.raises(lk.InvalidParameterError, match="'test_size'"):
        LOADERS[name](test_size=bad)


def test_bad_flags_and_rng_are_named():
    with pytest.raises(lk.InvalidParameterError, match="'standardize'.*True or False"):
        lk.datasets.digits(standardize="yes")
    with pytest.raises(lk.InvalidParameterError, match="'rng'"):
        lk.datasets.diabetes(test_size=0.5, rng=-1)
