r"""Train many small MLPs at once, as one stacked numpy computation.

A claim about a trained network that should hold "over the randomness" needs the same
training repeated for many data draws, initialisations and settings. Training them one
by one with :func:`train` costs one Python loop per network; :func:`train_many` trains
``K`` networks of the same architecture side by side, with every weight matrix stacked
along a leading axis, so a sweep of hundreds of networks costs about as many numpy
calls as one network. Each network keeps its own data set, initial weights, penalty
strength and dropout rate, and its steps are those of :func:`train` with full-batch
Adam (the test suite checks that both give the same weights without dropout).
"""
from __future__ import annotations

import math
import numbers

import numpy as np

from .activations import _sigmoid

from ._validation import InvalidParameterError, check_array, check_rng, fail
from .updates import _check_hyper
from .nn import MLP
from .penalties import L1, L2

__all__ = ["train_many"]

_LOSSES = ("bce", "mse")


def _stack_data(X, y, K, n_in, loss, name, owner):
    yname = "y" if name == "X" else "y_val"
    X = check_array(X, name, owner, ndim=(2, 3))
    y = check_array(y, yname, owner, ndim=(1, 2))
    x_shape, y_shape = X.shape, y.shape
    if X.ndim == 2:
        X = np.broadcast_to(X, (K,) + X.shape)
    if X.ndim != 3 or X.shape[0] != K or X.shape[2] != n_in:
        fail(name, owner, f"an array of shape (n, {n_in}) shared by all models or "
             f"({K}, n, {n_in}), one data set per model", f"an array of shape {X.shape}")
    if y.ndim == 1:
        y = np.broadcast_to(y, (K,) + y.shape)
    if y.shape[-1] != X.shape[1]:
        raise InvalidParameterError(
            f"The '{name}' and '{yname}' parameters of {owner} must have the same number "
            f"of rows. Got {name} of shape {x_shape} and {yname} of shape {y_shape} "
            "instead.")
    if y.shape != X.shape[:2]:
        fail(yname, owner, f"an array of shape ({X.shape[1]},) or ({K}, {X.shape[1]})",
             f"an array of shape {y.shape}")
    if loss == "bce" and not np.all((y == 0) | (y == 1)):
        bad = y[(y != 0) & (y != 1)].flat[0]
        fail(yname, owner, "labels in {0, 1} for loss='bce'",
             f"the value {bad!r}")
    return X, y


def _penalty_coefficients(penalties, K, owner):
    l1, l2 = np.zeros(K), np.zeros(K)
    if penalties is None:
        return l1, l2
    if isinstance(penalties, (str, bytes)) or not hasattr(penalties, "__len__"):
        fail("penalties", owner, f"None or a list of {K} penalties (one per model)",
             penalties)
    penalties = list(penalties)
    if len(penalties) != K:
        fail("penalties", owner, f"None or a list of {K} penalties (one per model)",
             penalties)
    for k, p in enumerate(penalties):
        if p is None:
            continue
        if type(p) is L2:
            l2[k] = p.lam
        elif type(p) is L1:
            l1[k] = p.lam
        else:
            fail("penalties", owner, "entries None, lk.L1(lam) or lk.L2(lam)", p)
    return l1, l2


def _data_loss(out, y, loss):
    """Per-model mean loss (shape (K,)) and d loss / d out, for outputs (K, n, 1)."""
    z, n = out[..., 0], out.shape[1]
    if loss == "bce":
        t = np.log1p(np.exp(-np.abs(z)))          # softplus, stably (as losses.data_loss)
        value = np.sum(np.maximum(z, 0) - y * z + t, axis=1) / n
        return value, ((_sigmoid(z) - y) / n)[..., None]
    diff = z - y
    return 0.5 * np.mean(diff**2, axis=1), (diff / n)[..., None]


def train_many(models, X, y, *, lr, epochs, loss="bce", penalties=None,
               validation=None, patience=None, betas=(0.9, 0.999), eps=1e-8, rng=None):
    r"""Train ``K`` MLPs of one architecture side by side with full-batch Adam.

    Every weight matrix and bias of the ``K`` models is stacked along a leading axis,
    so one numpy call does the work of ``K``: a sweep over seeds, penalty strengths
    and dropout rates costs about as many Python steps as training one network.

    Parameters
    ----------
    models : sequence of MLP
        ``K >= 1`` models with the same ``sizes`` and activation and one output. Each
        starts from its own current parameters and is updated in place; its
        ``dropout`` rate is its own.
    X : array_like of shape (n, d) or (K, n, d)
        Training inputs, shared by all models or one data set per model.
    y : array_like of shape (n,) or (K, n)
        Targets: labels in {0, 1} for ``"bce"``, real numbers for ``"mse"``.
    lr : float, > 0
        Adam's learning rate.
    epochs : int, >= 1
        Number of full-batch steps.
    loss : {"bce", "mse"}
        As in :meth:`MLP.loss_and_grads` (``"mse"`` is half the mean squared error).
    penalties : None or sequence of (None, lk.L1, lk.L2)
        One entry per model, applied to its weight matrices (never biases) through
        the gradient, as ``lk.train(..., penalty=...)`` does.
    validation : (X_val, y_val) or None
        Shared or per model, as ``X`` and ``y``; the validation loss of every model is
        recorded after every step (evaluation mode).
    patience : int >= 1 or None
        Early stopping per model (needs ``validation``): a model stops after
        ``patience`` steps without a lower validation loss and gets back the
        parameters of its best epoch, as in :func:`train`.
    betas : (float, float)
        Adam's decay rates.
    eps : float, > 0
        Adam's epsilon.
    rng : None, int or numpy.random.Generator
        Dropout masks.

    Returns
    -------
    dict
        ``"val_loss"``: array (K, epochs_run.max()) of validation losses after every
        step (NaN after a model stopped), or None without ``validation``;
        ``"epochs_run"``: int array (K,), the steps each model took (``epochs``
        without early stopping); ``"best_epoch"``: int array (K,), the epoch whose
        parameters were restored (1-based; 0 without ``patience``).

    Raises
    ------
    InvalidParameterError
        If the models differ in architecture, a penalty is not L1/L2/None, or the data
        shapes do not match.

    See Also
    --------
    train : One model, any optimizer, mini-batches, penalties and callbacks.
    over_seeds : Run an experiment (for example one ``train_many`` call) per seed.

    Notes
    -----
    One step of model ``k`` is exactly :func:`train`'s full-batch step: forward pass
    with inverted dropout at rate ``models[k].dropout`` on every hidden layer, the
    data loss's gradient plus ``2 * lam * W`` (L2) or ``lam * sign(W)`` (L1) for every
    weight matrix, then :func:`adam_update`. The dropout masks come from ``rng``, not
    from the models' own generators, so with dropout the draws differ from
    :func:`train`'s (the distribution is the same).

    Examples
    --------
    >>> import numpy as np, lkcourse as lk
    >>> X, y = lk.datasets.moons(40, noise=0.25, rng=0)
    >>> models = [lk.MLP([2, 16, 1], rng=s) for s in range(3)]
    >>> from lkcourse.batched_training import train_many
    >>> out = train_many(models, X, y, lr=0.01, epochs=50,
    ...                  penalties=[None, lk.L2(1e-2), lk.L1(1e-2)])
    >>> [round(float(lk.evaluate(m, X, y, loss="bce")["accuracy"]), 2) >= 0.75 for m in models]
    [True, True, True]
    """
    owner = "train_many"
    try:
        models = list(models) if not isinstance(models, MLP) else None
    except TypeError:
        models = None
    if not models or not all(isinstance(m, MLP) for m in models):
        fail("models", owner, "a non-empty sequence of lk.MLP", models)
    first = models[0]
    if first.sizes[-1] != 1 or any(m.sizes != first.sizes or
                                   type(m.activation) is not type(first.activation) or
                                   m.activation != first.activation for m in models):
        fail("models", owner, "models with the same sizes and activation and one output",
             "models of different architectures")
    if loss not in _LOSSES:
        fail("loss", owner, "one of 'bce', 'mse'", loss)
    _check_hyper(owner, lr, 0.0, False, betas=betas, eps=eps)
    if isinstance(epochs, bool) or not isinstance(epochs, numbers.Integral) or epochs < 1:
        fail("epochs", owner, "an int >= 1", epochs)
    if patience is not None and (isinstance(patience, bool) or
                                 not isinstance(patience, numbers.Integral) or patience < 1):
        fail("patience", owner, "None or an int >= 1", patience)
    if patience is not None and validation is None:
        raise InvalidParameterError(
            "The 'patience' parameter of train_many needs validation data. Got "
            "validation=None; pass validation=(X_val, y_val).")
    K, L = len(models), first.n_layers
    X, y = _stack_data(X, y, K, first.sizes[0], loss, "X", owner)
    if validation is not None:
        try:
            X_val, y_val = validation
        except (TypeError, ValueError):
            fail("validation", owner, "None or a pair (X_val, y_val)", validation)
        X_val, y_val = _stack_data(X_val, y_val, K, first.sizes[0], loss, "X_val", owner)
    l1, l2 = _penalty_coefficients(penalties, K, owner)
    rng = check_rng(rng, owner)
    act = first.activation
    keep = 1.0 - np.array([m.dropout for m in models])
    drop = np.flatnonzero(keep < 1)            # the models with dropout
    keep = keep[drop][:, None, None]
    relu = getattr(act, "name", None) == "relu"   # its derivative as a fast mask
    names = list(first.params)
    P = {k: np.stack([m.params[k] for m in models]) for k in names}
    M = {k: np.zeros_like(v) for k, v in P.items()}
    V = {k: np.zeros_like(v) for k, v in P.items()}
    beta1, beta2 = betas
    penalised = [f"W{l}" for l in range(1, L + 1)]

    def forward(Xs, train):
        """Outputs and, per hidden layer, (pre-activation Z, output H, dropout mask)."""
        cache, H = [], Xs
        for layer in range(1, L + 1):
            Z = H @ P[f"W{layer}"] + P[f"b{layer}"][:, None, :]
            if layer == L:
                return Z, cache
            H, mask = act.f(Z), None
            if train and drop.size:
                if np.shares_memory(H, Z):
                    H = H.copy()
                mask = (rng.random((drop.size,) + H.shape[1:]) < keep) / keep
                H[drop] *= mask
            cache.append((Z, H, mask))

    val_loss = np.full((K, epochs), np.nan) if validation is not None else None
    active = np.ones(K, bool)
    epochs_run = np.full(K, epochs)
    best_epoch = np.zeros(K, int)
    best_loss = np.full(K, np.inf)
    best_P = {k: v.copy() for k, v in P.items()} if patience is not None else None
    wait = np.zeros(K, int)
    frozen = False
    for t in range(1, epochs + 1):
        out, cache = forward(X, True)
        _, delta = _data_loss(out, y, loss)
        grads = {}
        for layer in range(L, 0, -1):
            H = cache[layer - 2][1] if layer > 1 else X     # this layer's input
            grads[f"W{layer}"] = np.swapaxes(H, 1, 2) @ delta
            grads[f"b{layer}"] = delta.sum(axis=1)
            if layer > 1:
                Z_prev, _, mask = cache[layer - 2]
                dH = delta @ np.swapaxes(P[f"W{layer}"], 1, 2)
                if mask is not None:
                    dH[drop] *= mask
                delta = dH * ((Z_prev > 0) if relu else act.df(Z_prev))
        for k in penalised:
            if np.any(l2):
                grads[k] = grads[k] + 2.0 * l2[:, None, None] * P[k]
            if np.any(l1):
                grads[k] = grads[k] + l1[:, None, None] * np.sign(P[k])
        c1, c2 = 1 - beta1 ** t, math.sqrt(1 - beta2 ** t)
        for k in names:           # adam_update's operations, in the same order
            g = grads[k]
            M[k] = M[k] + (1 - beta1) * (g - M[k])
            V[k] = beta2 * V[k] + (1 - beta2) * g * g
            upd = (lr / c1) * (M[k] / (np.sqrt(V[k]) / c2 + eps))
            if frozen:
                upd[~active] = 0.0
            P[k] = P[k] - upd
        if validation is not None:
            out_val, _ = forward(X_val, False)
            current, _ = _data_loss(out_val, y_val, loss)
            val_loss[active, t - 1] = current[active]
            if patience is not None:
                better = active & (current < best_loss)
                best_loss[better] = current[better]
                best_epoch[better] = t
                wait[better] = 0
                wait[active & ~better] += 1
                for k in names:
                    best_P[k][better] = P[k][better]
                stop = active & (wait >= patience)
                epochs_run[stop] = t
                active &= ~stop
                frozen = not active.all()
                if not active.any():
                    break
    if patience is not None:
        P = best_P
    for i, m in enumerate(models):
        for k in names:
            m.params[k] = P[k][i].copy()
    if val_loss is not None:
        val_loss = val_loss[:, :int(epochs_run.max())]
    return {"val_loss": val_loss, "epochs_run": epochs_run, "best_epoch": best_epoch}
