r"""Mini-batch training of an :class:`~lkcourse.MLP`, with a per-epoch history.

:func:`train` runs epochs of shuffled mini-batches through an optimizer, records
losses, accuracies and the weight norm in a :class:`History`, stops cleanly when the
loss becomes non-finite (a warning names the epoch) and optionally stops early on the
validation loss. :func:`evaluate` computes the loss (and accuracy) of a model on data.
"""
from __future__ import annotations

import warnings
from dataclasses import dataclass, field

import numpy as np

from ._validation import check_choice, check_real, check_rng, fail
from .losses import _loss_name
from .metrics import _labels
from .metrics import _n_correct as _n_equal
from .nn import MLP, _check_penalty, check_flag
from .optim import decay_weights_only
from .progress import progress_bar

__all__ = ["train", "History", "evaluate"]


@dataclass
class History:
    """What happened during :func:`train`, one entry per epoch in each list.

    Attributes
    ----------
    loss : str
        The loss name (``"mse"``, ``"bce"`` or ``"ce"``; ``"half_mse"`` is recorded as
        ``"mse"``, the same half mean squared error).
    epochs : list of int
        Epoch numbers ``1, 2, ...`` (the x-axis of a learning curve).
    train_loss : list of float
        Data loss on the training set, without the penalty. By default the mean of
        the epoch's mini-batch losses (weighted by batch size), computed as the
        optimizer saw them: in training mode (dropout on) while the weights move.
        With ``train(..., eval_train=True)``: the loss of the whole training set in
        evaluation mode at the end of the epoch.
    val_loss : list of float
        Data loss of ``validation`` at the end of the epoch, evaluation mode (empty
        without validation data).
    train_acc, val_acc : list of float
        Accuracies in [0, 1], same conventions (classification losses only).
    penalty : list of float
        Total penalty :math:`\\sum_l R(W_l)` at the end of the epoch (empty without a
        penalty). The objective is ``train_loss + penalty``, whichever
        ``penalty_mode`` trained the model (the same two numbers in both modes).
    weight_norm : list of float
        :math:`\\sqrt{\\sum_l \\lVert W_l\\rVert_F^2}` at the end of the epoch (weights
        only, no biases).
    epochs_run : int
        Number of epochs recorded.
    diverged : bool
        True if the loss became non-finite; training stopped at that epoch.
    stopped_early : bool
        True if early stopping (``patience``) or the callback ended training.
    best_epoch : int or None
        Epoch number with the lowest validation loss (None without validation);
        ``val_loss[best_epoch - 1]`` is that loss.
    """

    loss: str
    epochs: list = field(default_factory=list)
    train_loss: list = field(default_factory=list)
    val_loss: list = field(default_factory=list)
    train_acc: list = field(default_factory=list)
    val_acc: list = field(default_factory=list)
    penalty: list = field(default_factory=list)
    weight_norm: list = field(default_factory=list)
    epochs_run: int = 0
    diverged: bool = False
    stopped_early: bool = False
    best_epoch: int | None = None

    def __repr__(self):
        parts = [f"loss={self.loss!r}", f"epochs_run={self.epochs_run}"]
        for name in ("train_loss", "val_loss", "train_acc", "val_acc"):
            values = getattr(self, name)
            if values:
                parts.append(f"{name}[-1]={values[-1]:.4g}")
        parts += [f"diverged={self.diverged}", f"best_epoch={self.best_epoch}"]
        return f"History({', '.join(parts)})"


def _n_correct(out, y, loss):
    return _n_equal(_labels(out), y[:, 0] if loss == "bce" else y)


def _evaluate(model, X, y, loss):
    """Evaluation-mode data loss and accuracy (None for mse) of validated arrays."""
    out = model._forward(X)[0]
    value = model._data_loss(out, y, loss)[0]
    acc = None if loss == "mse" else _n_correct(out, y, loss) / len(y)
    return value, acc


def evaluate(model, X, y, *, loss="mse", penalty=None):
    """Loss (and accuracy, for classification) of a model on data, evaluation mode.

    Parameters
    ----------
    model : MLP
        The network, used in evaluation mode (no dropout); not changed.
    X, y : array_like
        Data, as for :meth:`MLP.loss_and_grads`.
    loss : {"mse", "half_mse", "bce", "ce"}
        ``"mse"`` (alias ``"half_mse"``) is the half mean squared error, as in
        :meth:`MLP.loss_and_grads`; ``lk.mse`` is twice it.
    penalty : penalty object or None
        If given, its value on the weight matrices is added to the loss (summed over
        the layers; ``reduction="mean"`` averages within each matrix).

    Returns
    -------
    dict
        ``{"loss": float, "accuracy": float or None}`` (accuracy None for mse).

    Examples
    --------
    >>> import lkcourse as lk
    >>> X, y = lk.datasets.xor(200, rng=0)
    >>> model = lk.MLP([2, 16, 1], "tanh", rng=0)
    >>> h = lk.train(model, X, y, optimizer=lk.Adam(0.05), loss="bce", epochs=100,
    ...              rng=0)
    >>> lk.evaluate(model, X, y, loss="bce")["accuracy"] > 0.95
    True
    """
    owner = "evaluate"
    if not isinstance(model, MLP):
        fail("model", owner, "an lk.MLP", model)
    loss = _loss_name(loss, owner)
    X = model._check_X(X, owner)
    y = model._check_y(y, loss, X.shape[0], owner)
    _check_penalty(penalty, owner)
    value, acc = _evaluate(model, X, y, loss)
    if penalty is not None:
        value += sum(float(penalty.value(w)) for w in _weights(model))
    return {"loss": value, "accuracy": acc}


def _weights(model):
    return [w for name, w in model.params.items() if decay_weights_only(name, w)]


def _prox_step(params, penalty, lr):
    """``W <- penalty.prox(W, lr)`` in place for every weight matrix (never biases)."""
    for name, w in params.items():
        if decay_weights_only(name, w):
            w[...] = penalty.prox(w, lr)


def train(model, X, y, *, optimizer, loss, penalty=None, epochs, batch_size=None,
          validation=None, rng=None, progress=False, patience=None, restore_best=True,
          eval_train=False, callback=None, penalty_mode="grad"):
    r"""Train ``model`` in place with mini-batches; return a :class:`History`.

    Parameters
    ----------
    model : MLP
        Updated in place.
    X, y : array_like
        Training data, as for :meth:`MLP.loss_and_grads`.
    optimizer : object with ``step(params, grads)``
        E.g. ``lk.SGD(0.1)`` or ``lk.AdamW(1e-2, weight_decay=1e-2)``. Its state
        carries over if you call ``train`` again on the same model (the state
        belongs to the parameter arrays; another model starts fresh state).
    loss : {"mse", "half_mse", "bce", "ce"}
        ``"mse"`` (alias ``"half_mse"``) is the half mean squared error
        :math:`\frac1n\sum_i \frac12\lVert o_i - y_i\rVert^2`; ``lk.mse`` is twice it.
    penalty : penalty object or None
        Applied to the weight matrices (never biases), as ``penalty_mode`` says, and
        summed over the layers: with ``reduction="mean"`` each matrix contributes the
        mean over its own entries (a per-layer mean, summed), not a network-wide mean.
    epochs : int, >= 1
        Maximum number of passes over the data.
    batch_size : int >= 1 or None
        Mini-batch size (the last batch of an epoch may be smaller); None: full batch.
    validation : (X_val, y_val) or None
        Evaluated at the end of every epoch (``val_loss``, ``val_acc``).
    rng : None, int or numpy.random.Generator
        Seeds two independent streams: the per-epoch shuffling and the dropout masks.
        The same seed (and the same model seed) gives the same History.
    progress : bool
        Show a ``tqdm`` progress bar over epochs. Otherwise nothing is printed.
    patience : int >= 1 or None
        Early stopping: stop when the validation loss has not improved for
        ``patience`` epochs (needs ``validation``).
    restore_best : bool
        With ``patience``: put back the parameters of the best epoch at the end.
    eval_train : bool
        Record the whole training set's loss/accuracy in evaluation mode at the end
        of each epoch (one extra forward pass) instead of the mini-batch average.
    callback : callable or None
        ``callback(epoch, model, history)`` after each epoch (after its History
        entries, before the early-stopping check); returning True stops.
    penalty_mode : {"grad", "prox"}
        ``"grad"`` (default): the penalty's (sub)gradient is added to every batch
        gradient. ``"prox"``: the gradient is the data loss's alone, and after every
        optimizer step each weight matrix (the parameters :func:`decay_weights_only`
        selects) is replaced by ``penalty.prox(W, optimizer.lr)``: proximal gradient
        descent. Needs a penalty with ``prox(v, step)`` and an optimizer with a
        learning rate ``lr``.

    Returns
    -------
    History
        One entry per epoch run in each list (losses, accuracies, penalty, weight
        norm), plus the ``diverged``, ``stopped_early`` and ``best_epoch`` flags.

    Notes
    -----
    Each epoch shuffles the data with the seeded generator (full batch: no
    shuffling), then for each batch computes ``loss + penalty`` and its gradients in
    training mode (dropout on) and calls ``optimizer.step``. If a batch's data loss is
    NaN or infinite, the step is skipped, ``diverged`` is set, a warning names the
    epoch and training stops (no exception); the parameters are left as they were.

    With ``penalty_mode="prox"`` one step on a batch with data loss :math:`f` is

    .. math:: W \leftarrow \operatorname{prox}_{\eta R}\bigl(W - \eta\nabla_W f\bigr),
        \qquad \operatorname{prox}_{\eta R}(v) = \arg\min_u\ \eta R(u)
        + \tfrac12\lVert u - v\rVert^2,

    with :math:`\eta` = ``optimizer.lr``; biases take the plain step. With
    ``lk.SGD(lr)`` (no momentum, no weight decay) and full batches this is ISTA, which
    converges for a convex problem when :math:`\eta \le 1/L` (:math:`L` the Lipschitz
    constant of :math:`\nabla f`), and L1's prox (soft-thresholding) puts weights at
    exactly 0. With momentum or Adam the step ``W - (update)`` is the optimizer's, then
    the same prox is applied with step ``lr``: a common heuristic, not a method with
    ISTA's guarantees. History records the same quantities in both modes.

    Examples
    --------
    >>> import lkcourse as lk
    >>> X, y = lk.datasets.moons(200, noise=0.1, rng=0)
    >>> model = lk.MLP([2, 32, 32, 1], rng=0)
    >>> h = lk.train(model, X, y, optimizer=lk.Adam(1e-2), loss="bce", epochs=50,
    ...              batch_size=32, rng=0)
    >>> h.epochs_run, h.train_acc[-1] > 0.97
    (50, True)

    Proximal training with an L1 penalty gives exact zeros:

    >>> import numpy as np
    >>> X, y, coef = lk.datasets.sparse_regression(100, 10, 3, noise=0.1, rng=0)
    >>> lin = lk.MLP([10, 1], "identity", rng=0)
    >>> h = lk.train(lin, X, y, optimizer=lk.SGD(0.1), loss="mse", penalty=lk.L1(0.05),
    ...              penalty_mode="prox", epochs=300)
    >>> int(np.sum(lin.params["W1"] == 0)) > 0
    True
    """
    owner = "train"
    if not isinstance(model, MLP):
        fail("model", owner, "an lk.MLP", model)
    if isinstance(optimizer, type) or not callable(getattr(optimizer, "step", None)):
        fail("optimizer", owner, "an optimizer with step(params, grads), e.g. "
             "lk.Adam(1e-3)", optimizer)
    loss = _loss_name(loss, owner)
    X = model._check_X(X, owner)
    y = model._check_y(y, loss, X.shape[0], owner)
    _check_penalty(penalty, owner)
    for flag, name in ((progress, "progress"), (restore_best, "restore_best"),
                       (eval_train, "eval_train")):
        check_flag(flag, name, owner)
    penalty_mode = check_choice(penalty_mode, "penalty_mode", owner, ["grad", "prox"])
    prox = penalty_mode == "prox"
    if prox:
        if penalty is None:
            fail("penalty_mode", owner, "'grad' when penalty is None ('prox' needs a "
                 "penalty)", penalty_mode)
        if not callable(getattr(penalty, "prox", None)):
            fail("penalty", owner, "a penalty with prox(v, step) for penalty_mode="
                 "'prox', e.g. lk.L1(1e-3)", penalty)
        try:  # read again at every step, so a callback may change optimizer.lr
            check_real(getattr(optimizer, "lr", None), "optimizer.lr", owner, low=0,
                       low_open=True)
        except ValueError:
            fail("optimizer", owner, "an optimizer with a learning rate lr > 0 for "
                 "penalty_mode='prox', e.g. lk.SGD(0.1)", optimizer)
    epochs = check_real(epochs, "epochs", owner, low=1, integer=True)
    n = X.shape[0]
    bs = n if batch_size is None else min(
        check_real(batch_size, "batch_size", owner, low=1, integer=True), n)
    if validation is not None:
        try:
            X_val, y_val = validation
        except (TypeError, ValueError):
            fail("validation", owner, "None or a pair (X_val, y_val)", validation)
        X_val = model._check_X(X_val, owner)
        y_val = model._check_y(y_val, loss, X_val.shape[0], owner)
    if patience is not None:
        patience = check_real(patience, "patience", owner, low=1, integer=True)
        if validation is None:
            fail("patience", owner, "None when no validation data is given", patience)
    if callback is not None and not callable(callback):
        fail("callback", owner, "None or a callable callback(epoch, model, history)",
             callback)
    shuffle_rng, dropout_rng = check_rng(rng, owner).spawn(2)
    drop = dropout_rng if model.dropout > 0 else None
    classify = loss != "mse"
    hist = History(loss=loss)
    best, best_params, wait = np.inf, None, 0

    bar = None
    if progress:
        bar = progress_bar(total=epochs, desc="train", unit="epoch")
    try:
        with np.errstate(over="ignore", invalid="ignore", divide="ignore",
                         under="ignore"):
            for epoch in range(1, epochs + 1):
                if bs == n:
                    Xs, ys = X, y
                else:
                    perm = shuffle_rng.permutation(n)
                    Xs, ys = X[perm], y[perm]
                total, correct = 0.0, 0
                for start in range(0, n, bs):
                    Xb, yb = Xs[start:start + bs], ys[start:start + bs]
                    # the penalty's value is not needed per batch: it is recorded
                    # once per epoch, and a blow-up shows in the data loss too
                    value, _, grads, out = model._loss_and_grads(
                        Xb, yb, loss, None if prox else penalty, drop,
                        penalty_value=False)
                    if not np.isfinite(value):
                        hist.diverged = True
                        break
                    optimizer.step(model.params, grads)
                    if prox:
                        _prox_step(model.params, penalty, optimizer.lr)
                    total += value * len(Xb)
                    if classify:
                        correct += _n_correct(out, yb, loss)
                if hist.diverged:
                    warnings.warn(
                        f"train: the loss became non-finite ({value}) at epoch "
                        f"{epoch}; training stopped (History.diverged is True). Try a "
                        f"smaller learning rate.", stacklevel=2)
                    break
                hist.epochs.append(epoch)
                if eval_train:
                    tl, ta = _evaluate(model, X, y, loss)
                else:
                    tl, ta = total / n, correct / n
                hist.train_loss.append(tl)
                if classify:
                    hist.train_acc.append(ta)
                if penalty is not None:
                    hist.penalty.append(sum(float(penalty.value(w))
                                            for w in _weights(model)))
                hist.weight_norm.append(float(np.sqrt(sum(np.vdot(w, w)
                                                          for w in _weights(model)))))
                hist.epochs_run = epoch
                if validation is not None:
                    vl, va = _evaluate(model, X_val, y_val, loss)
                    hist.val_loss.append(vl)
                    if classify:
                        hist.val_acc.append(va)
                    if vl < best:
                        best, hist.best_epoch, wait = vl, epoch, 0
                        if patience is not None and restore_best:
                            best_params = {k: v.copy() for k, v in model.params.items()}
                    else:
                        wait += 1
                if bar is not None:
                    bar.update(1)
                    bar.set_postfix(loss=f"{tl:.4g}", refresh=False)
                if callback is not None and callback(epoch, model, hist):
                    hist.stopped_early = True
                    break
                if patience is not None and wait >= patience:
                    hist.stopped_early = True
                    break
    finally:
        if bar is not None:
            bar.close()
    if best_params is not None:
        for k, v in best_params.items():
            model.params[k][...] = v
    return hist
