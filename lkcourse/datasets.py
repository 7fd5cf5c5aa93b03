r"""Small synthetic data sets for the course, all reproducible from a seed.

Use it as ``lk.datasets.<builder>``. Every builder takes ``rng`` (``None``, an int
seed or a :class:`numpy.random.Generator`) and returns the same arrays for the same
seed. Inputs are float64; classification labels are int64 arrays with values
``0, 1, ...``.

Regression:

- ``noisy_polynomial(n, *, noise, coef, x_range, rng, return_truth)``: a 1-D toy,
  ``x`` uniform on ``[-1, 1]`` (sorted), ``y`` a cubic plus Gaussian noise.
- ``sparse_regression(n, n_features, n_informative, *, correlation, block_size, coef,
  noise, rng)``: a linear model with a few non-zero coefficients and equi- or
  block-correlated Gaussian features; returns ``(X, y, coef_true)``.

Classification (``X`` of shape ``(n, 2)``, int labels ``y``):

- ``moons(n, *, noise, rng)``: two interleaving half circles.
- ``circles(n, *, noise, factor, rng)``: a small circle inside a big one.
- ``spirals(n, *, noise, turns, n_classes, rng)``: interleaved spiral arms.
- ``xor(n, *, noise, rng)``: the four quadrants, label 1 where the signs differ.

Splitting:

- ``train_test_split(X, y, *, test_size, rng)``: a seeded random split, returned in
  scikit-learn's order ``X_train, X_test, y_train, y_test``.

Nothing here is exported at the top level of :mod:`lkcourse` (``__all__`` is empty):
write ``lk.datasets.moons(...)``.
"""
from __future__ import annotations

import math
import numbers

import numpy as np

from ._validation import (InvalidParameterError, check_array, check_real, check_rng,
                          check_same_length, fail)

__all__ = []

#: Coefficients (constant term first) of the default truth of ``noisy_polynomial``:
#: ``f(x) = 0.5 + x - 2 x^3``.
DEFAULT_POLY_COEF = (0.5, 1.0, 0.0, -2.0)


def _check_n(n, owner, low=1):
    return check_real(n, "n", owner, low=low, integer=True)


def _shuffled(rng, X, y):
    perm = rng.permutation(len(y))
    return X[perm], y[perm]


def _check_range(value, name, owner):
    try:
        lo, hi = (float(v) for v in value)
    except (TypeError, ValueError):
        fail(name, owner, "a pair (low, high) of finite floats with low < high", value)
    if not (np.isfinite(lo) and np.isfinite(hi) and lo < hi):
        fail(name, owner, "a pair (low, high) of finite floats with low < high", value)
    return lo, hi


def noisy_polynomial(n=30, *, noise=0.2, coef=DEFAULT_POLY_COEF, x_range=(-1.0, 1.0),
                     rng=None, return_truth=False):
    r"""A 1-D regression toy: a polynomial truth plus Gaussian noise.

    Parameters
    ----------
    n : int, >= 1
        Number of samples.
    noise : float, >= 0
        Standard deviation of the Gaussian noise added to the truth.
    coef : sequence of float, length >= 1
        Coefficients of the true polynomial, constant term first. The default
        ``(0.5, 1, 0, -2)`` is :math:`f(x) = 0.5 + x - 2x^3`.
    x_range : (float, float), low < high
        The inputs are drawn uniformly from this interval.
    rng : None, int or numpy.random.Generator
        Seed or generator.
    return_truth : bool
        Also return the true function.

    Returns
    -------
    x : ndarray of shape (n,)
        Inputs, sorted increasingly (handy for plotting; split with
        ``train_test_split``, which shuffles).
    y : ndarray of shape (n,)
        ``f(x) + noise * N(0, 1)``.
    truth : numpy.polynomial.Polynomial
        Only if ``return_truth``: the callable :math:`f`, e.g. ``truth(grid)``.

    Examples
    --------
    >>> import lkcourse as lk
    >>> x, y, f = lk.datasets.noisy_polynomial(20, noise=0.1, rng=0, return_truth=True)
    >>> x.shape, y.shape, float(f(1.0))
    ((20,), (20,), -0.5)
    """
    owner = "noisy_polynomial"
    n = _check_n(n, owner)
    noise = check_real(noise, "noise", owner, low=0)
    coef = check_array(coef, "coef", owner, ndim=1)
    lo, hi = _check_range(x_range, "x_range", owner)
    rng = check_rng(rng, owner)
    if not isinstance(return_truth, (bool, np.bool_)):
        fail("return_truth", owner, "True or False", return_truth)
    truth = np.polynomial.Polynomial(coef)
    x = np.sort(rng.uniform(lo, hi, size=n))
    y = truth(x) + noise * rng.standard_normal(n)
    return (x, y, truth) if return_truth else (x, y)


def sparse_regression(n=100, n_features=20, n_informative=5, *, correlation=0.0,
                      block_size=None, coef=None, noise=0.5, rng=None):
    r"""Sparse linear regression with correlated Gaussian features.

    Parameters
    ----------
    n : int, >= 1
        Number of samples.
    n_features : int, >= 1
        Number of features ``p``.
    n_informative : int, 0 <= n_informative <= n_features
        Number of non-zero true coefficients; they are the *first* ``n_informative``
        features (columns ``0 .. n_informative - 1``).
    correlation : float, 0 <= correlation < 1
        Correlation :math:`\rho` between features (see ``block_size``).
    block_size : int >= 1 or None
        None: every pair of features has correlation :math:`\rho` (equicorrelated).
        An int ``s``: the features form consecutive blocks of ``s`` columns
        (``0..s-1``, ``s..2s-1``, ...); features in the same block have correlation
        :math:`\rho`, features in different blocks are independent. With
        ``n_informative = s`` the informative features are exactly the first block:
        the correlated group of the elastic-net discussion.
    coef : None, float or array of shape (n_informative,)
        The non-zero coefficients. None: random signs times magnitudes uniform in
        ``[1, 2]``; a float ``c``: all equal to ``c``.
    noise : float, >= 0
        Standard deviation of the Gaussian noise.
    rng : None, int or numpy.random.Generator
        Seed or generator.

    Returns
    -------
    X : ndarray of shape (n, n_features)
        Gaussian features, with the requested correlation.
    y : ndarray of shape (n,)
        ``X @ coef_true + noise * N(0, 1)`` (no intercept).
    coef_true : ndarray of shape (n_features,)
        Zero except for the first ``n_informative`` entries.

    Notes
    -----
    Each feature is standard normal. With a shared factor :math:`f` per block (the
    whole matrix is one block when ``block_size`` is None) and independent
    :math:`e_j`, feature :math:`j` is :math:`\sqrt{\rho}\, f + \sqrt{1-\rho}\, e_j`, so
    :math:`\operatorname{corr}(x_j, x_k) = \rho` inside a block.

    Examples
    --------
    >>> import numpy as np, lkcourse as lk
    >>> X, y, w = lk.datasets.sparse_regression(2000, 6, 2, correlation=0.8,
    ...                                          block_size=2, coef=1.0, rng=0)
    >>> X.shape, w
    ((2000, 6), array([1., 1., 0., 0., 0., 0.]))
    >>> round(float(np.corrcoef(X[:, 0], X[:, 1])[0, 1]), 1)
    0.8
    """
    owner = "sparse_regression"
    n = _check_n(n, owner)
    p = check_real(n_features, "n_features", owner, low=1, integer=True)
    k = check_real(n_informative, "n_informative", owner, low=0, high=p, integer=True)
    rho = check_real(correlation, "correlation", owner, low=0, high=1, high_open=True)
    if block_size is None:
        s = p
    else:
        s = check_real(block_size, "block_size", owner, low=1, integer=True)
    noise = check_real(noise, "noise", owner, low=0)
    if coef is None:
        values = None
    elif isinstance(coef, numbers.Real) and not isinstance(coef, bool):
        values = np.full(k, check_real(coef, "coef", owner))
    else:
        values = check_array(coef, "coef", owner, ndim=1, min_size=0)
        if values.shape != (k,):
            fail("coef", owner, f"None, a float or an array of shape ({k},)", values)
    rng = check_rng(rng, owner)
    n_blocks = -(-p // s)
    factors = rng.standard_normal((n, n_blocks))
    own = rng.standard_normal((n, p))
    X = math.sqrt(rho) * np.repeat(factors, s, axis=1)[:, :p] + math.sqrt(1 - rho) * own
    if values is None:
        values = rng.choice([-1.0, 1.0], size=k) * rng.uniform(1.0, 2.0, size=k)
    coef_true = np.zeros(p)
    coef_true[:k] = values
    y = X @ coef_true + noise * rng.standard_normal(n)
    return X, y, coef_true


def moons(n=200, *, noise=0.1, rng=None):
    r"""Two interleaving half circles (like scikit-learn's ``make_moons``).

    Parameters
    ----------
    n : int, >= 2
        Number of points; ``n // 2`` in class 0 (upper moon), the rest in class 1.
    noise : float, >= 0
        Standard deviation of the Gaussian jitter added to both coordinates.
    rng : None, int or numpy.random.Generator
        Seed or generator.

    Returns
    -------
    X : ndarray of shape (n, 2)
        Points in random order. Class 0: :math:`(\cos t, \sin t)`; class 1:
        :math:`(1 - \cos t, 0.5 - \sin t)`, :math:`t` evenly spaced in
        :math:`[0, \pi]`.
    y : ndarray of int, shape (n,)
        The class, 0 or 1.

    Examples
    --------
    >>> import numpy as np, lkcourse as lk
    >>> X, y = lk.datasets.moons(100, rng=0)
    >>> X.shape, np.bincount(y)
    ((100, 2), array([50, 50]))
    """
    owner = "moons"
    n = _check_n(n, owner, low=2)
    noise = check_real(noise, "noise", owner, low=0)
    rng = check_rng(rng, owner)
    n0 = n // 2
    t0, t1 = np.linspace(0, np.pi, n0), np.linspace(0, np.pi, n - n0)
    X = np.concatenate([np.column_stack([np.cos(t0), np.sin(t0)]),
                        np.column_stack([1 - np.cos(t1), 0.5 - np.sin(t1)])])
    y = np.repeat(np.array([0, 1], dtype=np.int64), [n0, n - n0])
    X = X + noise * rng.standard_normal(X.shape)
    return _shuffled(rng, X, y)


def circles(n=200, *, noise=0.05, factor=0.5, rng=None):
    r"""A small circle inside a big one (like scikit-learn's ``make_circles``).

    Parameters
    ----------
    n : int, >= 2
        Number of points; ``n // 2`` on the outer circle (class 0), the rest on the
        inner one (class 1).
    noise : float, >= 0
        Standard deviation of the Gaussian jitter.
    factor : float, 0 < factor < 1
        Radius of the inner circle (the outer one has radius 1).
    rng : None, int or numpy.random.Generator
        Seed or generator.

    Returns
    -------
    X : ndarray of shape (n, 2)
        Points in random order, evenly spaced angles on each circle, plus noise.
    y : ndarray of int, shape (n,)
        0 on the outer circle, 1 on the inner one.

    Examples
    --------
    >>> import numpy as np, lkcourse as lk
    >>> X, y = lk.datasets.circles(200, noise=0.0, rng=0)
    >>> np.round(np.hypot(*X[y == 1].T).max(), 6)
    np.float64(0.5)
    """
    owner = "circles"
    n = _check_n(n, owner, low=2)
    noise = check_real(noise, "noise", owner, low=0)
    factor = check_real(factor, "factor", owner, low=0, high=1, low_open=True,
                        high_open=True)
    rng = check_rng(rng, owner)
    n0 = n // 2
    t0 = np.linspace(0, 2 * np.pi, n0, endpoint=False)
    t1 = np.linspace(0, 2 * np.pi, n - n0, endpoint=False)
    X = np.concatenate([np.column_stack([np.cos(t0), np.sin(t0)]),
                        factor * np.column_stack([np.cos(t1), np.sin(t1)])])
    y = np.repeat(np.array([0, 1], dtype=np.int64), [n0, n - n0])
    X = X + noise * rng.standard_normal(X.shape)
    return _shuffled(rng, X, y)


def spirals(n=300, *, noise=0.05, turns=1.0, n_classes=2, rng=None):
    r"""Interleaved spiral arms, one per class.

    Parameters
    ----------
    n : int, >= n_classes
        Number of points, split as evenly as possible between the arms.
    noise : float, >= 0
        Standard deviation of the Gaussian jitter added to both coordinates.
    turns : float, > 0
        Number of full turns each arm makes from the centre to radius 1.
    n_classes : int, >= 2
        Number of arms (classes).
    rng : None, int or numpy.random.Generator
        Seed or generator.

    Returns
    -------
    X : ndarray of shape (n, 2)
        Points in random order. Arm :math:`k` at radius :math:`r \in [0.1, 1]` (evenly
        spaced) sits at angle :math:`2\pi(\text{turns}\cdot r + k/K)`.
    y : ndarray of int, shape (n,)
        Arm index ``0 .. n_classes - 1``.

    Examples
    --------
    >>> import numpy as np, lkcourse as lk
    >>> X, y = lk.datasets.spirals(301, n_classes=3, rng=0)
    >>> X.shape, np.bincount(y)
    ((301, 2), array([101, 100, 100]))
    """
    owner = "spirals"
    K = check_real(n_classes, "n_classes", owner, low=2, integer=True)
    n = check_real(n, "n", owner, low=K, integer=True)
    noise = check_real(noise, "noise", owner, low=0)
    turns = check_real(turns, "turns", owner, low=0, low_open=True)
    rng = check_rng(rng, owner)
    counts = [n // K + (k < n % K) for k in range(K)]
    r = np.concatenate([np.linspace(0.1, 1.0, c) for c in counts])
    y = np.repeat(np.arange(K, dtype=np.int64), counts)
    angle = 2 * np.pi * (turns * r + y / K)
    X = r[:, None] * np.column_stack([np.cos(angle), np.sin(angle)])
    X = X + noise * rng.standard_normal(X.shape)
    return _shuffled(rng, X, y)


def xor(n=200, *, noise=0.05, rng=None):
    r"""The XOR problem: points in the four quadrants, label 1 where signs differ.

    Parameters
    ----------
    n : int, >= 1
        Number of points.
    noise : float, >= 0
        Standard deviation of the Gaussian jitter added after labelling, so a few
        points near the axes may cross into a neighbouring quadrant.
    rng : None, int or numpy.random.Generator
        Seed or generator.

    Returns
    -------
    X : ndarray of shape (n, 2)
        Each coordinate is a random sign times a magnitude uniform in ``[0.1, 1]``
        (a margin of 0.1 around the axes), plus noise.
    y : ndarray of int, shape (n,)
        1 where :math:`x_1 x_2 < 0` before the jitter, else 0. No linear classifier
        does better than 75% on it.

    Examples
    --------
    >>> import numpy as np, lkcourse as lk
    >>> X, y = lk.datasets.xor(8, noise=0.0, rng=0)
    >>> bool(np.all(y == (X[:, 0] * X[:, 1] < 0)))
    True
    """
    owner = "xor"
    n = _check_n(n, owner)
    noise = check_real(noise, "noise", owner, low=0)
    rng = check_rng(rng, owner)
    X = rng.choice([-1.0, 1.0], size=(n, 2)) * rng.uniform(0.1, 1.0, size=(n, 2))
    y = (X[:, 0] * X[:, 1] < 0).astype(np.int64)
    return X + noise * rng.standard_normal(X.shape), y


def train_test_split(X, y, *, test_size=0.25, rng=None):
    r"""Split arrays into random train and test subsets.

    Parameters
    ----------
    X : array_like of shape (n, ...)
        Inputs (1-D or more); rows are samples.
    y : array_like of shape (n, ...)
        Targets, same number of rows; their dtype is kept (int labels stay int).
    test_size : float in (0, 1) or int in [1, n - 1]
        Fraction (rounded up, as scikit-learn does) or number of test samples.
    rng : None, int or numpy.random.Generator
        Seed or generator of the random permutation.

    Returns
    -------
    X_train : ndarray
        The training rows of ``X`` (a new array; the inputs are not modified).
    X_test : ndarray
        The test rows of ``X``.
    y_train : ndarray
        The training entries of ``y``.
    y_test : ndarray
        The test entries of ``y`` (the four in scikit-learn's order).

    Examples
    --------
    >>> import numpy as np, lkcourse as lk
    >>> X, y = np.arange(10.0).reshape(5, 2), np.arange(5)
    >>> X_tr, X_te, y_tr, y_te = lk.datasets.train_test_split(X, y, test_size=2, rng=0)
    >>> X_tr.shape, X_te.shape, sorted(np.concatenate([y_tr, y_te]).tolist())
    ((3, 2), (2, 2), [0, 1, 2, 3, 4])
    """
    owner = "train_test_split"
    for name, value in (("X", X), ("y", y)):
        arr = np.asarray(value)
        if arr.ndim < 1 or arr.dtype.kind not in "biuf":
            fail(name, owner, "an array of numbers with at least 1 dimension",
                 value if arr.ndim == 0 else arr)
    X, y = np.asarray(X), np.asarray(y)
    check_same_length(X, y, "X", "y", owner)
    n = len(y)
    if n < 2:
        raise InvalidParameterError(
            f"The 'X' and 'y' parameters of {owner} must have at least 2 rows to "
            f"split. Got {n} instead.")
    if isinstance(test_size, numbers.Integral) and not isinstance(test_size, bool):
        n_test = check_real(test_size, "test_size", owner, low=1, high=n - 1,
                            integer=True)
    else:
        frac = check_real(test_size, "test_size", owner, low=0, high=1, low_open=True,
                          high_open=True)
        n_test = min(max(math.ceil(frac * n), 1), n - 1)
    rng = check_rng(rng, owner)
    perm = rng.permutation(n)
    test, train = perm[:n_test], perm[n_test:]
    return X[train], X[test], y[train], y[test]


# ---- real data: scikit-learn's bundled data sets, offline ----------------------------
# (imports of this section only: the synthetic builders above do not need them)
import functools  # noqa: E402

from ._validation import check_choice  # noqa: E402

#: The real data sets by name: scikit-learn loader, its keyword arguments, shape of X.
REAL_DATASETS = {
    "diabetes": ("load_diabetes", {"scaled": False}, (442, 10)),
    "breast_cancer": ("load_breast_cancer", {}, (569, 30)),
    "digits": ("load_digits", {}, (1797, 64)),
}


@functools.lru_cache(maxsize=None)
def _real(name):
    """``(X, y, feature_names)`` of a bundled data set, read once per process.

    The cached arrays are read-only; the public loaders return new arrays."""
    from sklearn import datasets as skd      # here, so that `import lkcourse` stays light
    loader, kwargs, shape = REAL_DATASETS[name]
    bunch = getattr(skd, loader)(**kwargs)
    X = np.array(bunch.data, dtype=np.float64)
    y = np.array(bunch.target, dtype=np.float64 if name == "diabetes" else np.int64)
    if X.shape != shape:
        raise RuntimeError(f"scikit-learn's {loader} returned X of shape {X.shape}, "
                           f"expected {shape}")
    X.flags.writeable = False
    y.flags.writeable = False
    return X, y, tuple(str(f) for f in bunch.feature_names)


def standardize(X_train, *X_other):
    r"""Standardize columns with the mean and standard deviation of the training split.

    Parameters
    ----------
    X_train : array_like of shape (n_train, p)
        The training split: its column means and standard deviations (``ddof=0``) are
        used for every array.
    *X_other : array_like of shape (m, p)
        Other splits (validation, test), transformed with the *training* statistics.

    Returns
    -------
    tuple of ndarray
        ``(X_train_std, *X_other_std)``, new arrays with entries
        :math:`(x_{ij} - m_j)/s_j`, where :math:`m_j` and :math:`s_j` are the training
        mean and standard deviation of column :math:`j`. Always a tuple, also for a
        single array.

    Raises
    ------
    InvalidParameterError
        If an array is not 2-D, holds NaN or inf, or has another number of columns than
        ``X_train``.

    Notes
    -----
    A column that is constant on the training split (:math:`s_j = 0`) is only centred.
    Fitting the statistics on the training split alone keeps the validation and test
    splits out of everything that is fitted: the transformed training columns have mean
    0 and standard deviation 1, the other splits only approximately.

    Examples
    --------
    >>> import numpy as np, lkcourse as lk
    >>> X_tr, X_te = np.array([[1.0, 5.0], [3.0, 5.0]]), np.array([[2.0, 6.0]])
    >>> a, b = lk.datasets.standardize(X_tr, X_te)
    >>> a.tolist(), b.tolist()
    ([[-1.0, 0.0], [1.0, 0.0]], [[0.0, 1.0]])
    """
    owner = "standardize"
    X_train = check_array(X_train, "X_train", owner, ndim=2)
    others = [check_array(X, "X_other", owner, ndim=2) for X in X_other]
    for X in others:
        if X.shape[1] != X_train.shape[1]:
            fail("X_other", owner, f"arrays with {X_train.shape[1]} columns like X_train",
                 X)
    mean, sd = X_train.mean(axis=0), X_train.std(axis=0)
    sd = np.where(sd > 0, sd, 1.0)
    return tuple((X - mean) / sd for X in [X_train] + others)


def feature_names(dataset):
    """The names of the columns of a real data set, in order.

    Parameters
    ----------
    dataset : {"diabetes", "breast_cancer", "digits"}
        The data set.

    Returns
    -------
    tuple of str
        The feature names as scikit-learn gives them: ``"age", "sex", "bmi", "bp",
        "s1", ..., "s6"`` for the diabetes data (``s1`` to ``s6`` are six blood serum measurements: total
        cholesterol, LDL and HDL cholesterol, total/HDL cholesterol, log triglycerides
        and blood sugar); ``"mean radius", ...`` for the breast cancer data;
        ``"pixel_0_0", ...`` (row, column) for the digits.

    Raises
    ------
    InvalidParameterError
        For an unknown data set name.

    Examples
    --------
    >>> import lkcourse as lk
    >>> lk.datasets.feature_names("diabetes")[:4]
    ('age', 'sex', 'bmi', 'bp')
    """
    name = check_choice(dataset, "dataset", "feature_names", list(REAL_DATASETS))
    return _real(name)[2]


def _real_split(name, test_size, scale, rng, owner):
    """The loaders' common body: check, split with ``rng``, standardize on train."""
    if not isinstance(scale, (bool, np.bool_)):
        fail("standardize", owner, "True or False", scale)
    rng = check_rng(rng, owner)
    X, y, _ = _real(name)
    n = len(y)
    if test_size is None:
        return (standardize(X)[0] if scale else X.copy()), y.copy()
    allowed = f"None, a float in (0, 1) or an int in [1, {n - 1}]"
    if isinstance(test_size, (bool, np.bool_)) or not isinstance(test_size, numbers.Real):
        fail("test_size", owner, allowed, test_size)
    if isinstance(test_size, numbers.Integral):
        if not 1 <= test_size <= n - 1:
            fail("test_size", owner, allowed, test_size)
    elif not 0 < test_size < 1:       # also rejects NaN
        fail("test_size", owner, allowed, test_size)
    X_tr, X_te, y_tr, y_te = train_test_split(X, y, test_size=test_size, rng=rng)
    if scale:
        X_tr, X_te = standardize(X_tr, X_te)
    return X_tr, X_te, y_tr, y_te


def diabetes(*, test_size=None, standardize=True, rng=None):
    r"""The diabetes data of Efron et al. (2004): 442 patients, 10 baseline variables.

    A thin wrapper around scikit-learn's ``load_diabetes(scaled=False)``, bundled with
    scikit-learn (no download): age, sex, body mass index, average blood pressure and
    six blood serum measurements (:func:`~lkcourse.datasets.feature_names`), and the
    target, a quantitative measure of disease progression one year after baseline (25
    to 346).

    Parameters
    ----------
    test_size : None, float in (0, 1) or int in [1, 441]
        None: the whole data set, returned as ``(X, y)``. Otherwise the fraction
        (rounded up) or number of test samples of a random split drawn from ``rng``,
        returned as ``(X_train, X_test, y_train, y_test)`` (scikit-learn's order).
    standardize : bool
        Standardize every column with the mean and standard deviation of the training
        split (of all the data when ``test_size`` is None), as
        :func:`~lkcourse.datasets.standardize` does. False: the raw values (age in
        years, sex coded 1 and 2, ...).
    rng : None, int or numpy.random.Generator
        Seed or generator of the split.

    Returns
    -------
    X, y : ndarray of shape (442, 10) and (442,)
        With ``test_size=None``: new float64 arrays.
    X_train, X_test, y_train, y_test : ndarray
        With a ``test_size``.

    Raises
    ------
    InvalidParameterError
        For a bad ``test_size``, ``standardize`` or ``rng``.

    Notes
    -----
    scikit-learn's default ``load_diabetes()`` (``scaled=True``) centres every column
    and scales it to unit Euclidean norm over the 442 patients, the standardization of
    Efron et al. A column with unit *standard deviation*, as here, is
    :math:`\sqrt{442}` times that column, so both give the same lasso path up to a
    rescaling of :math:`\lambda`, with the variables entering in the same order.

    Examples
    --------
    >>> import numpy as np, lkcourse as lk
    >>> X, y = lk.datasets.diabetes()
    >>> X.shape, bool(np.allclose(X.std(axis=0), 1.0))
    ((442, 10), True)
    >>> X_tr, X_te, y_tr, y_te = lk.datasets.diabetes(test_size=0.25, rng=0)
    >>> X_tr.shape, X_te.shape
    ((331, 10), (111, 10))
    """
    return _real_split("diabetes", test_size, standardize, rng, "diabetes")


def breast_cancer(*, test_size=None, standardize=True, rng=None):
    r"""The Wisconsin diagnostic breast cancer data: 569 tumours, 30 features.

    A thin wrapper around scikit-learn's ``load_breast_cancer``, bundled with
    scikit-learn (no download): ten measurements of the cell nuclei in a digitized image
    of a fine needle aspirate (radius, texture, perimeter, area, ...), each as its mean,
    its standard error and its worst value over the nuclei of the image
    (:func:`~lkcourse.datasets.feature_names`). The labels are scikit-learn's:
    **0 = malignant** (212 tumours), **1 = benign** (357).

    Parameters
    ----------
    test_size : None, float in (0, 1) or int in [1, 568]
        None: the whole data set, returned as ``(X, y)``. Otherwise the fraction
        (rounded up) or number of test samples of a random split drawn from ``rng``,
        returned as ``(X_train, X_test, y_train, y_test)`` (scikit-learn's order).
    standardize : bool
        Standardize every column with the mean and standard deviation of the training
        split (of all the data when ``test_size`` is None), as
        :func:`~lkcourse.datasets.standardize` does. False: the raw values.
    rng : None, int or numpy.random.Generator
        Seed or generator of the split.

    Returns
    -------
    X, y : ndarray of shape (569, 30) and (569,)
        With ``test_size=None``: new arrays, ``X`` float64, ``y`` int64.
    X_train, X_test, y_train, y_test : ndarray
        With a ``test_size``.

    Raises
    ------
    InvalidParameterError
        For a bad ``test_size``, ``standardize`` or ``rng``.

    Examples
    --------
    >>> import numpy as np, lkcourse as lk
    >>> X, y = lk.datasets.breast_cancer()
    >>> X.shape, np.bincount(y).tolist()
    ((569, 30), [212, 357])
    """
    return _real_split("breast_cancer", test_size, standardize, rng, "breast_cancer")


def digits(*, test_size=None, standardize=True, rng=None):
    r"""The optical handwritten digits: 1797 images of 8 x 8 pixels, 10 classes.

    A thin wrapper around scikit-learn's ``load_digits``, bundled with scikit-learn (no
    download): each row holds the 64 pixels of one image, row by row, as integers 0 to
    16 (the number of set pixels in a 4 x 4 block of a 32 x 32 bitmap); the label is
    the digit, 0 to 9.

    Parameters
    ----------
    test_size : None, float in (0, 1) or int in [1, 1796]
        None: the whole data set, returned as ``(X, y)``. Otherwise the fraction
        (rounded up) or number of test samples of a random split drawn from ``rng``,
        returned as ``(X_train, X_test, y_train, y_test)`` (scikit-learn's order).
    standardize : bool
        Standardize every pixel with the mean and standard deviation of the training
        split (of all the data when ``test_size`` is None), as
        :func:`~lkcourse.datasets.standardize` does. False: the raw counts 0 to 16.
    rng : None, int or numpy.random.Generator
        Seed or generator of the split.

    Returns
    -------
    X, y : ndarray of shape (1797, 64) and (1797,)
        With ``test_size=None``: new arrays, ``X`` float64, ``y`` int64.
    X_train, X_test, y_train, y_test : ndarray
        With a ``test_size``.

    Raises
    ------
    InvalidParameterError
        For a bad ``test_size``, ``standardize`` or ``rng``.

    Notes
    -----
    Per-pixel standardization divides each pixel by its standard deviation. Border
    pixels that are almost always 0 have a tiny one, so the rare image that sets them
    gets values far beyond the usual range (above 10); three pixels are 0 in every
    image and are only centred. For networks on images the usual scaling is
    ``standardize=False`` and ``X / 16`` (every pixel in [0, 1]).

    Examples
    --------
    >>> import numpy as np, lkcourse as lk
    >>> X, y = lk.datasets.digits(standardize=False)
    >>> X.shape, int(X.max()), int(np.bincount(y).min())
    ((1797, 64), 16, 174)
    """
    return _real_split("digits", test_size, standardize, rng, "digits")
