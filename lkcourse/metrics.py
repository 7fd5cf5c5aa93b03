r"""Regression and classification metrics, and k-fold splits for choosing ``lam``.

- ``mse``: :math:`\frac1n\sum_i (y_i - \hat y_i)^2` (best 0);
- ``mae``: :math:`\frac1n\sum_i |y_i - \hat y_i|` (best 0);
- ``r2_score``: :math:`1 - \sum_i (y_i-\hat y_i)^2 / \sum_i (y_i-\bar y)^2` (best 1);
- ``accuracy``: the fraction of labels predicted exactly (best 1);
- ``kfold_splits``: shuffled k-fold index pairs for cross-validation.

Note that ``mse`` has no 1/2: the *training objective* of :func:`lkcourse.fit_linear`
is :math:`\frac{1}{2n}\|y - Xw - b\|^2 = \tfrac12\,\mathrm{mse}`.
"""
from __future__ import annotations

import numpy as np

from ._shared import n_equal
from ._validation import InvalidParameterError, check_array, check_real, check_rng

__all__ = ["mse", "mae", "r2_score", "accuracy", "kfold_splits"]


def _pair(y_true, y_pred, owner):
    y_true = check_array(y_true, "y_true", owner)
    y_pred = check_array(y_pred, "y_pred", owner)
    if y_true.shape != y_pred.shape:
        raise InvalidParameterError(
            f"The 'y_true' and 'y_pred' parameters of {owner} must have the same shape. "
            f"Got shapes {y_true.shape} and {y_pred.shape} instead.")
    return y_true, y_pred


def mse(y_true, y_pred):
    """Mean squared error :math:`\\frac1n\\sum (y - \\hat y)^2` (no 1/2).

    Parameters
    ----------
    y_true, y_pred : array_like of the same shape
        Targets and predictions (finite).

    Returns
    -------
    float
        The mean of the squared differences, >= 0.

    Notes
    -----
    The MLP's training loss ``loss="mse"`` (alias ``"half_mse"``) is *half* this value,
    :math:`\\frac1n\\sum \\frac12 (y - \\hat y)^2` (its gradient has no factor 2); call
    it half-MSE, and use ``lk.mse`` when you mean the mean squared error.

    Examples
    --------
    >>> import lkcourse as lk
    >>> lk.mse([1.0, 2.0, 3.0], [1.0, 2.0, 5.0])
    1.3333333333333333
    """
    y_true, y_pred = _pair(y_true, y_pred, "mse")
    return float(np.mean((y_true - y_pred) ** 2))


def mae(y_true, y_pred):
    """Mean absolute error :math:`\\frac1n\\sum |y - \\hat y|`.

    Parameters
    ----------
    y_true, y_pred : array_like of the same shape
        Targets and predictions (finite).

    Returns
    -------
    float
        The mean of the absolute differences, >= 0.

    Examples
    --------
    >>> import lkcourse as lk
    >>> lk.mae([1.0, 2.0, 3.0], [1.0, 2.0, 5.0])
    0.6666666666666666
    """
    y_true, y_pred = _pair(y_true, y_pred, "mae")
    return float(np.mean(np.abs(y_true - y_pred)))


def r2_score(y_true, y_pred):
    """Coefficient of determination :math:`R^2 = 1 - SS_{res}/SS_{tot}`.

    1 is a perfect fit, 0 is as good as predicting the mean of ``y_true``, and it is
    negative for a model worse than that (as a badly overfit one on test data).

    Parameters
    ----------
    y_true, y_pred : array_like of the same shape, at least 2 entries
        ``y_true`` must not be constant.

    Returns
    -------
    float
        1 for a perfect fit, 0 for predicting the mean, negative when worse.

    Raises
    ------
    InvalidParameterError
        If ``y_true`` is constant (``SS_tot = 0``, so R^2 is undefined).

    Examples
    --------
    >>> import lkcourse as lk
    >>> lk.r2_score([1.0, 2.0, 3.0], [1.0, 2.0, 3.0])
    1.0
    >>> lk.r2_score([1.0, 2.0, 3.0], [2.0, 2.0, 2.0])
    0.0
    """
    y_true, y_pred = _pair(y_true, y_pred, "r2_score")
    ss_tot = float(np.sum((y_true - y_true.mean()) ** 2))
    if ss_tot == 0.0:
        raise InvalidParameterError(
            "The 'y_true' parameter of r2_score must not be constant (R^2 is undefined "
            f"when all targets are equal). Got all values equal to {y_true.flat[0]!r} instead.")
    return 1.0 - float(np.sum((y_true - y_pred) ** 2)) / ss_tot


def accuracy(y_true, y_pred):
    """Fraction of predictions equal to the labels.

    Parameters
    ----------
    y_true, y_pred : array_like of the same shape
        Integer labels (any numbers compared for equality).

    Returns
    -------
    float
        The fraction of equal entries, in [0, 1].

    Examples
    --------
    >>> import lkcourse as lk
    >>> lk.accuracy([0, 1, 1, 0], [0, 1, 0, 0])
    0.75
    """
    y_true, y_pred = _pair(y_true, y_pred, "accuracy")
    return int(n_equal(y_true, y_pred)) / y_true.size


def kfold_splits(n, n_splits=5, *, rng=None):
    """Shuffled k-fold cross-validation indices.

    Parameters
    ----------
    n : int, >= n_splits
        Number of samples.
    n_splits : int, >= 2
        Number of folds; fold sizes differ by at most one.
    rng : None, int or numpy.random.Generator
        Seed for the shuffle.

    Returns
    -------
    list of (train_idx, val_idx) pairs
        Every index appears in exactly one ``val_idx``.

    Examples
    --------
    >>> import lkcourse as lk
    >>> folds = lk.kfold_splits(10, 5, rng=0)
    >>> [len(v) for _, v in folds], sorted(int(i) for _, v in folds for i in v) == list(range(10))
    ([2, 2, 2, 2, 2], True)
    """
    n_splits = check_real(n_splits, "n_splits", "kfold_splits", low=2, integer=True)
    n = check_real(n, "n", "kfold_splits", low=n_splits, integer=True)
    perm = check_rng(rng, "kfold_splits").permutation(n)
    folds = np.array_split(perm, n_splits)
    return [(np.sort(np.concatenate(folds[:i] + folds[i + 1:])), np.sort(f))
            for i, f in enumerate(folds)]
