"""The one private helper module shared across :mod:`lkcourse`: small numeric kernels.

Each kernel here is the single home of a formula that several modules need on arrays
they have already checked (no validation, no conversion): the numerically stable
sigmoid and log-softmax (activations, losses, models), the soft-threshold (proximal
operators, penalties) and the rule that turns network outputs into class labels
(models, training, metrics). Modules import these names; nothing else private crosses a
module boundary (``tests/test_architecture.py``).
"""
from __future__ import annotations

import numpy as np


def sigmoid(t):
    """Stable logistic function: ``exp(-|t|)`` never overflows (the package's one copy)."""
    e = np.exp(-np.abs(t))  # in (0, 1]
    return np.where(t >= 0, 1.0, e) / (1.0 + e)


def softplus(t):
    """Stable ``log(1 + exp(t))``: never overflows, exact for large ``|t|`` (its one home)."""
    return np.maximum(t, 0.0) + np.log1p(np.exp(-np.abs(t)))


def log_softmax(z, axis=-1):
    """Stable log-softmax of a checked array along ``axis`` (max subtracted first; a
    slice whose maximum is not finite is left unshifted, so ``-inf`` entries stay)."""
    shift = np.max(z, axis=axis, keepdims=True)
    shifted = z - np.where(np.isfinite(shift), shift, 0.0)
    return shifted - np.log(np.sum(np.exp(shifted), axis=axis, keepdims=True))


def soft(v, t):
    """The soft-threshold formula ``sign(v) max(|v| - t, 0)`` (its one home)."""
    return np.sign(v) * np.maximum(np.abs(v) - t, 0.0)


def labels(out):
    """Class labels from network outputs of shape ``(..., n, k)``, the package's one
    rule: ``logit > 0`` with one output (k = 1), else the argmax over the outputs."""
    if out.shape[-1] == 1:
        return (out[..., 0] > 0).astype(np.int64)
    return np.argmax(out, axis=-1)


def n_equal(y_true, y_pred, axis=None):
    """Number of equal entries (accuracy's numerator; batches add these up)."""
    return np.count_nonzero(y_true == y_pred, axis=axis)
