r"""The losses of :class:`~lkcourse.MLP` and :func:`~lkcourse.train`: names, targets, values.

With outputs :math:`o_i` (logits :math:`z_i`) for :math:`n` samples, the batch means

- ``"mse"`` (alias ``"half_mse"``): :math:`\frac1n\sum_i \frac12\lVert o_i - y_i\rVert^2`,
  the *half* mean squared error (``lk.mse`` is the plain one, twice as large);
- ``"bce"``: :math:`\frac1n\sum_i \operatorname{softplus}(z_i) - y_i z_i`, the binary
  cross-entropy of :math:`\sigma(z_i)` on one logit;
- ``"ce"``: :math:`-\frac1n\sum_i \log\operatorname{softmax}(z_i)_{y_i}` on integer
  labels,

each with its gradient with respect to the outputs, computed stably.
"""
from __future__ import annotations

import numpy as np

from . import activations as _activations
from ._validation import InvalidParameterError, check_array, check_choice, fail

#: Loss names understood by :meth:`MLP.loss_and_grads` and :func:`lkcourse.train`.
#: ``"mse"`` is the HALF mean squared error (``"half_mse"`` is accepted as its explicit
#: alias); ``lk.mse`` is the plain mean squared error, twice as large.
LOSSES = ("mse", "bce", "ce")
_ALIASES = {"half_mse": "mse"}


def _loss_name(loss, owner):
    """The canonical loss name (``"half_mse"`` -> ``"mse"``), checked."""
    loss = check_choice(loss, "loss", owner, LOSSES + tuple(_ALIASES))
    return _ALIASES.get(loss, loss)


def check_targets(y, loss, k, n, owner):
    """Validate targets ``y`` for ``loss`` on a network with ``k`` outputs and ``n``
    samples; return them in the layout ``data_loss`` expects."""
    if loss == "mse":
        y = check_array(y, "y", owner, ndim=(1, 2))
        if y.ndim == 1 and k == 1:
            y = y[:, None]
        if y.shape[1:] != (k,):
            raise InvalidParameterError(
                f"The 'y' parameter of {owner} must have shape (n, {k}) for "
                f"loss 'mse' (or (n,) with one output). Got {y.shape} instead.")
    else:
        if loss == "bce" and k != 1:
            fail("loss", owner, "'mse' or 'ce' for a network with "
                 f"{k} outputs ('bce' needs exactly 1 output)", loss)
        if loss == "ce" and k < 2:
            fail("loss", owner, "'mse' or 'bce' for a network with 1 output ('ce' "
                 "needs one output per class, at least 2)", loss)
        y = np.asarray(y)
        if y.ndim == 2 and y.shape[1] == 1 and loss == "bce":
            y = y[:, 0]
        classes = 2 if loss == "bce" else k
        if (y.ndim != 1 or y.dtype.kind not in "biuf"
                or not np.all(np.isin(y, np.arange(classes)))):
            fail("y", owner, f"a 1-D array of int labels in 0..{classes - 1} for "
                 f"loss {loss!r}", y)
        y = y.astype(np.float64)[:, None] if loss == "bce" else y.astype(np.intp)
    if len(y) != n:
        raise InvalidParameterError(
            f"The 'X' and 'y' parameters of {owner} must have the same number of "
            f"rows. Got {n} and {len(y)} instead.")
    return y


def data_loss(out, y, loss):
    """Batch-mean loss and its gradient with respect to the outputs ``out``.

    ``y`` in the layout of ``check_targets``; ``loss`` a canonical name of ``LOSSES``."""
    n = out.shape[0]
    if loss == "mse":
        r = out - y
        return 0.5 * float(np.vdot(r, r)) / n, r / n
    if loss == "bce":   # softplus(z) - y z, and sigmoid(z) - y, computed stably
        t = np.log1p(np.exp(-np.abs(out)))
        value = np.sum(np.maximum(out, 0) - y * out + t) / n
        return float(value), (_activations._sigmoid(out) - y) / n
    logp = _activations.log_softmax(out, axis=1)
    rows = np.arange(n)
    dout = np.exp(logp)
    dout[rows, y] -= 1
    return -float(np.sum(logp[rows, y])) / n, dout / n
