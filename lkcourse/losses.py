r"""The losses of :class:`~lkcourse.MLP` and :func:`~lkcourse.train`: names, targets, values.

With outputs :math:`o_i` (logits :math:`z_i`) for :math:`n` samples, the batch means

- ``"mse"`` (alias ``"half_mse"``): :math:`\frac1n\sum_i \frac12\lVert o_i - y_i\rVert^2`,
  the *half* mean squared error (``lk.mse`` is the plain one, twice as large);
- ``"bce"``: :math:`\frac1n\sum_i \operatorname{softplus}(z_i) - y_i z_i`, the binary
  cross-entropy of :math:`\sigma(z_i)` on one logit;
- ``"ce"``: :math:`-\frac1n\sum_i \log\operatorname{softmax}(z_i)_{y_i}` on integer
  labels,

each with its gradient with respect to the outputs, computed stably. One rule for one
network and for a stack of K: outputs of shape ``(n, k)`` give a float, outputs of
shape ``(K, n, k)`` one loss per network (an array of shape ``(K,)``), the mean being
over each network's own ``n`` samples.
"""
from __future__ import annotations

import numpy as np

from ._shared import log_softmax, sigmoid
from ._validation import InvalidParameterError, check_array, check_choice, fail

#: Loss names understood by :meth:`MLP.loss_and_grads` and :func:`lkcourse.train`.
#: ``"mse"`` is the HALF mean squared error (``"half_mse"`` is accepted as its explicit
#: alias); ``lk.mse`` is the plain mean squared error, twice as large.
LOSSES = ("mse", "bce", "ce")
ALIASES = {"half_mse": "mse"}


def loss_name(loss, owner):
    """The canonical loss name (``"half_mse"`` -> ``"mse"``), checked."""
    loss = check_choice(loss, "loss", owner, LOSSES + tuple(ALIASES))
    return ALIASES.get(loss, loss)


def check_targets(y, loss, k, n, owner, name="y", stack=None):
    """Validate targets ``y`` for ``loss`` on a network with ``k`` outputs and ``n``
    samples; return them in the layout :func:`data_loss` expects.

    Layout: ``(n, k)`` floats for ``"mse"``, ``(n, 1)`` floats for ``"bce"``, ``(n,)``
    ints for ``"ce"``. With ``stack=K`` (a stack of K networks) ``y`` may also carry a
    leading axis of K, one target set per network (``(K, n)`` labels, ``(K, n)`` or
    ``(K, n, k)`` regression targets); shared targets keep the single layout and
    broadcast over the stack."""
    per_shape = None if stack is None else (stack, n)
    if loss == "mse":
        y = check_array(y, name, owner, ndim=(1, 2) if stack is None else (1, 2, 3))
        per_network = y.ndim == 3 or (y.ndim == 2 and k == 1 and y.shape == per_shape
                                      and y.shape != (n, 1))
        if k == 1 and y.ndim == (2 if per_network else 1):
            y = y[..., None]
        if y.shape[-1] != k or y.ndim != (3 if per_network else 2) or (
                per_network and y.shape[0] != stack):
            raise InvalidParameterError(
                f"The '{name}' parameter of {owner} must have shape (n, {k}) for "
                f"loss 'mse' (or (n,) with one output)"
                + ("" if stack is None else f", or ({stack}, n, {k}), one per network")
                + f". Got {y.shape} instead.")
    else:
        if loss == "bce" and k != 1:
            fail("loss", owner, "'mse' or 'ce' for a network with "
                 f"{k} outputs ('bce' needs exactly 1 output)", loss)
        if loss == "ce" and k < 2:
            fail("loss", owner, "'mse' or 'bce' for a network with 1 output ('ce' "
                 "needs one output per class, at least 2)", loss)
        y = np.asarray(y)
        if (loss == "bce" and y.ndim in (2, 3) and y.shape[-1] == 1
                and y.shape != per_shape and y.ndim - 1 <= (1 if stack is None else 2)):
            y = y[..., 0]
        per_network = stack is not None and y.ndim == 2
        classes = 2 if loss == "bce" else k
        if (y.ndim != (2 if per_network else 1) or y.dtype.kind not in "biuf"
                or (per_network and y.shape[0] != stack)):
            fail(name, owner, f"a 1-D array of int labels in 0..{classes - 1} for loss "
                 f"{loss!r}" + ("" if stack is None else
                                f" (or ({stack}, n), one row per network)"), y)
        ok = np.isin(y, np.arange(classes))
        if not ok.all():
            where = tuple(int(i) for i in np.argwhere(~ok)[0])
            raise InvalidParameterError(
                f"The '{name}' parameter of {owner} must hold int labels in "
                f"0..{classes - 1} for loss {loss!r}. Got the label {y[where].item()!r} at "
                f"index {where if len(where) > 1 else where[0]} (in an array of shape "
                f"{y.shape}) instead.")
        y = y.astype(np.float64)[..., None] if loss == "bce" else y.astype(np.intp)
    rows = y.shape[1] if per_network else y.shape[0]
    if rows != n:
        x_name = "X" if name == "y" else "X_val"
        raise InvalidParameterError(
            f"The '{x_name}' and '{name}' parameters of {owner} must have the same "
            f"number of rows. Got {n} and {rows} instead.")
    return y


def data_loss(out, y, loss):
    """Batch-mean loss and its gradient with respect to the outputs ``out``.

    ``out`` has shape ``(n, k)`` (one network: the loss is a float) or ``(K, n, k)``
    (a stack: an array of K losses); ``y`` is in the layout of :func:`check_targets`
    (shared targets broadcast over the stack); ``loss`` is a name of ``LOSSES``."""
    n = out.shape[-2]
    if loss == "mse":
        r = out - y
        value = 0.5 * (r * r).sum(axis=(-2, -1)) / n
        dout = r / n
    elif loss == "bce":   # softplus(z) - y z, and sigmoid(z) - y, computed stably
        t = np.log1p(np.exp(-np.abs(out)))
        value = (np.maximum(out, 0) - y * out + t).sum(axis=(-2, -1)) / n
        dout = (sigmoid(out) - y) / n
    else:
        logp = log_softmax(out, axis=-1)
        labels = np.broadcast_to(y, out.shape[:-1])[..., None]
        value = -np.sum(np.take_along_axis(logp, labels, axis=-1), axis=(-2, -1)) / n
        dout = np.exp(logp)
        np.put_along_axis(dout, labels, np.take_along_axis(dout, labels, axis=-1) - 1,
                          axis=-1)
        dout /= n
    return (float(value) if out.ndim == 2 else value), dout
