r"""Training an :class:`~lkcourse.MLP`, one network or a stack of K, with a per-epoch history.

:func:`train` runs epochs of shuffled mini-batches through an optimizer, records
losses, accuracies, the penalty and the weight norm (a :class:`~lkcourse.History`, or a
:class:`~lkcourse.StackedHistory` for a stack), stops a network cleanly when its loss
becomes non-finite (a warning names the epoch) and optionally stops early on the
validation loss. The same loop trains one network and a stack of K (every network with
its own dropout rate, penalty, data, validation and early stopping): a stack is one
model whose parameters have a leading axis of K, so its step is one set of numpy calls.
:func:`evaluate` computes the loss (and accuracy) of a model on data.
"""
from __future__ import annotations

import warnings

import numpy as np

from ._shared import labels, n_equal
from ._validation import check_choice, check_flag, check_real, check_rng, fail
from .history import History, StackedHistory
from .losses import data_loss, loss_name
from .nn import MLP
from .progress import progress_bar
from .weight_penalty import WeightPenalty

__all__ = ["train", "train_many", "evaluate"]


def _hits(out, y, loss):
    """Correct predictions per network (a 1-D array; one entry for one network)."""
    truth = y[..., 0] if loss == "bce" else y
    return np.atleast_1d(n_equal(labels(out), truth, axis=-1))


def _scores(model, X, y, loss):
    """Evaluation-mode data loss and accuracy (None for mse) per network, 1-D arrays."""
    out = model.outputs(X)
    value = np.atleast_1d(data_loss(out, y, loss)[0])
    acc = None if loss == "mse" else _hits(out, y, loss) / out.shape[-2]
    return value, acc


def evaluate(model, X, y, *, loss, penalty=None):
    """Compute the loss (and accuracy, for classification) of a model on data.

    Parameters
    ----------
    model : MLP
        The network or stack, used in evaluation mode (no dropout); not changed.
    X, y : array_like
        Data, as for :meth:`MLP.loss_and_grads`.
    loss : {"mse", "half_mse", "bce", "ce"}
        ``"mse"`` (alias ``"half_mse"``) is the half mean squared error, as in
        :meth:`MLP.loss_and_grads`; ``lk.mse`` is twice it.
    penalty : penalty object, sequence of them, or None
        If given, its value on the weight matrices is added to the loss (summed over
        the layers; ``reduction="mean"`` averages within each matrix).

    Returns
    -------
    dict
        ``{"loss": float, "accuracy": float or None}`` (accuracy None for mse); for a
        stack, arrays of shape ``(K,)``.

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
    loss = loss_name(loss, owner)
    X, y = model.check_data(X, y, loss=loss, owner=owner)
    rule = WeightPenalty(model, penalty, owner)
    value, acc = _scores(model, X, y, loss)
    if rule.active:
        value = value + np.atleast_1d(rule.values(model.params))
    if model.n_networks is None:
        return {"loss": float(value[0]), "accuracy": None if acc is None else float(acc[0])}
    return {"loss": value, "accuracy": acc}


def _as_model(model, owner):
    """The model to train, and the list of models to write back into (or None)."""
    if isinstance(model, MLP):
        return model, None
    if isinstance(model, (list, tuple)) and model and all(
            isinstance(m, MLP) and m.n_networks is None for m in model):
        return MLP.stack(model), list(model)
    fail("model", owner, "an lk.MLP (one network or a stack) or a non-empty list of "
         "single lk.MLP", model)


def _streams(rng, K, owner):
    """Dropout and shuffling streams: one generator, or (stack) one per network.

    The masks come from the generator itself, the shuffling from its first spawned
    child (so a network without dropout sees the same batches as one with it)."""
    if isinstance(rng, (list, tuple)):
        if K is None or len(rng) != K:
            fail("rng", owner, "None, an int >= 0 or a numpy Generator" + (
                "" if K is None else f" (or a list of {K}, one per network)"),
                 f"a list of {len(rng)}")
        gens = [check_rng(r, owner) for r in rng]
        return gens, gens
    gen = check_rng(rng, owner)
    return gen, gen


def _batches(n, bs, shuffle, per_network):
    """The index arrays of one epoch's batches: ``(n_b,)``, or ``(K, n_b)`` when every
    network of a stack shuffles with its own stream."""
    if bs == n:
        return [None]
    if per_network:
        perm = np.stack([s.permutation(n) for s in shuffle])
        return [perm[:, i:i + bs] for i in range(0, n, bs)]
    perm = shuffle.permutation(n)
    return [perm[i:i + bs] for i in range(0, n, bs)]


def _take(a, idx, axis):
    """Rows ``idx`` of ``a`` along its sample ``axis``; a 2-D ``idx`` holds one row of
    indices per network (``a`` then has the stack axis)."""
    if idx is None:
        return a
    if idx.ndim == 1:
        return np.take(a, idx, axis=axis)
    return np.take_along_axis(a, idx.reshape(idx.shape + (1,) * (-axis - 1)), axis=axis)


def train(model, X, y, *, optimizer, loss, penalty=None, epochs, batch_size=None,
          validation=None, rng=None, progress=False, patience=None, restore_best=True,
          eval_train=False, callback=None, penalty_mode="grad"):
    r"""Train ``model`` in place with mini-batches; return its history.

    Parameters
    ----------
    model : MLP or list of MLP
        Updated in place: one network, a stack (:meth:`MLP.stack`), or a list of single
        networks of one architecture, trained as a stack and each updated in place.
    X, y : array_like
        Training data, as for :meth:`MLP.loss_and_grads`; for a stack shared by every
        network or with a leading axis of K (one data set per network, each of the
        same size).
    optimizer : object with ``step(params, grads)``
        E.g. ``lk.SGD(0.1)`` or ``lk.AdamW(1e-2, weight_decay=1e-2)``. Its state
        carries over if you call ``train`` again on the same model (the state
        belongs to the parameter arrays; another model, and a list of models, starts
        fresh state). Its ``lr`` and ``weight_decay`` may hold one value per network.
    loss : {"mse", "half_mse", "bce", "ce"}
        ``"mse"`` (alias ``"half_mse"``) is the half mean squared error
        :math:`\frac1n\sum_i \frac12\lVert o_i - y_i\rVert^2`; ``lk.mse`` is twice it.
    penalty : penalty object, sequence of them, or None
        Applied to the weight matrices (never biases), as ``penalty_mode`` says, and
        summed over the layers: with ``reduction="mean"`` each matrix contributes the
        mean over its own entries (a per-layer mean, summed), not a network-wide mean.
        Any object with the penalty protocol. For a stack: one for every network, or a
        list of K (None entries: no penalty).
    epochs : int, >= 1
        Maximum number of passes over the data.
    batch_size : int >= 1 or None
        Mini-batch size (the last batch of an epoch may be smaller); None: full batch.
    validation : (X_val, y_val) or None
        Evaluated at the end of every epoch (``val_loss``, ``val_acc``); for a stack
        shared or one set per network, as ``X`` and ``y``.
    rng : None, int, numpy.random.Generator, or a list of K of them
        The dropout masks come from this generator, the per-epoch shuffling from its
        first spawned child (an independent stream, so dropout does not change the
        batches). The same seed (and the same model seed) gives the same history. For
        a stack, one generator draws every network's masks in one array per layer; a
        list gives each network its own stream, exactly as if it were trained alone.
    progress : bool
        Show a ``tqdm`` progress bar over epochs. Otherwise nothing is printed.
    patience : int >= 1 or None
        Early stopping: stop a network when its validation loss has not improved for
        ``patience`` epochs (needs ``validation``).
    restore_best : bool
        With ``patience``: put back the parameters of each network's best epoch at the
        end.
    eval_train : bool
        Record the whole training set's loss/accuracy in evaluation mode at the end
        of each epoch (one extra forward pass) instead of the mini-batch average.
    callback : callable or None
        ``callback(epoch, model, history)`` after each epoch (``history``: the
        History so far, a StackedHistory for a stack); returning True stops.
    penalty_mode : {"grad", "prox"}
        ``"grad"`` (default): the penalty's (sub)gradient is added to every batch
        gradient. ``"prox"``: the gradient is the data loss's alone, and after every
        optimizer step each weight matrix (the parameters
        :func:`~lkcourse.decay_weights_only` selects) is replaced by
        ``penalty.prox(W, optimizer.lr)``: proximal gradient descent. Needs a penalty
        with ``prox(v, step)`` and an optimizer with a learning rate ``lr``.

    Returns
    -------
    History or StackedHistory
        For one network, one entry per epoch run in each list (losses, accuracies,
        penalty, weight norm), plus the ``diverged``, ``stopped_early`` and
        ``best_epoch`` flags; for a stack, ``h[k]`` is network k's History.

    Notes
    -----
    Each epoch shuffles the data with the seeded generator (full batch: no
    shuffling), then for each batch computes ``loss + penalty`` and its gradients in
    training mode (dropout on) and calls ``optimizer.step``. If a network's batch data
    loss is NaN or infinite, its step is skipped, its ``diverged`` is set, a warning
    names the epoch and the network stops (no exception); its parameters are left as
    they were. The other networks of a stack go on; a network that stopped (diverged,
    early stopping) keeps its parameters while they do.

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

    A stack of networks, each with its own penalty and dropout rate:

    >>> nets = [lk.MLP([2, 32, 32, 1], dropout=p, rng=0) for p in (0.0, 0.0, 0.5)]
    >>> h = lk.train(nets, X, y, optimizer=lk.Adam(1e-2), loss="bce", epochs=50,
    ...              penalty=[None, lk.L2(1e-3), lk.L1(1e-3)], rng=0)
    >>> h.train_loss.shape, [net.params["W1"].shape for net in nets]
    ((3, 50), [(2, 32), (2, 32), (2, 32)])

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
    model, write_back = _as_model(model, owner)
    K = model.n_networks
    if isinstance(optimizer, type) or not callable(getattr(optimizer, "step", None)):
        fail("optimizer", owner, "an optimizer with step(params, grads), e.g. "
             "lk.Adam(1e-3)", optimizer)
    loss = loss_name(loss, owner)
    X, y = model.check_data(X, y, loss=loss, owner=owner)
    for flag, name in ((progress, "progress"), (restore_best, "restore_best"),
                       (eval_train, "eval_train")):
        check_flag(flag, name, owner)
    penalty_mode = check_choice(penalty_mode, "penalty_mode", owner, ["grad", "prox"])
    prox = penalty_mode == "prox"
    rule = WeightPenalty(model, penalty, owner,
                         needs=("value", "prox") if prox else ("value", "grad"))
    if prox:
        if not rule.active:
            fail("penalty_mode", owner, "'grad' when penalty is None ('prox' needs a "
                 "penalty)", penalty_mode)
        try:  # read again at every step, so a callback may change optimizer.lr
            lr = getattr(optimizer, "lr", None)
            if not isinstance(lr, np.ndarray):
                check_real(lr, "optimizer.lr", owner, low=0, low_open=True)
        except ValueError:
            fail("optimizer", owner, "an optimizer with a learning rate lr > 0 for "
                 "penalty_mode='prox', e.g. lk.SGD(0.1)", optimizer)
    epochs = check_real(epochs, "epochs", owner, low=1, integer=True)
    n = X.shape[-2]
    bs = n if batch_size is None else min(
        check_real(batch_size, "batch_size", owner, low=1, integer=True), n)
    if validation is not None:
        try:
            X_val, y_val = validation
        except (TypeError, ValueError):
            fail("validation", owner, "None or a pair (X_val, y_val)", validation)
        X_val, y_val = model.check_data(X_val, y_val, loss=loss, owner=owner,
                                        names=("X_val", "y_val"))
    if patience is not None:
        patience = check_real(patience, "patience", owner, low=1, integer=True)
        if validation is None:
            fail("patience", owner, "None when no validation data is given", patience)
    if callback is not None and not callable(callback):
        fail("callback", owner, "None or a callable callback(epoch, model, history)",
             callback)
    drop_rng, shuffle_gen = _streams(rng, K, owner)
    per_network = isinstance(shuffle_gen, list)
    drop = drop_rng if np.any(model.dropout > 0) else None
    shuffle = None
    if bs < n:
        shuffle = ([g.spawn(1)[0] for g in shuffle_gen] if per_network
                   else shuffle_gen.spawn(1)[0])
    y_axis = -1 if loss == "ce" else -2
    if per_network and bs < n:     # every network gathers its own batches
        X = np.broadcast_to(X, (K,) + X.shape[-2:])
        y = np.broadcast_to(y, (K,) + y.shape[y.ndim - (1 if loss == "ce" else 2):])

    run = _Run(model, K, loss, rule, validation is not None, patience, restore_best)
    bar = progress_bar(total=epochs, desc="train", unit="epoch") if progress else None
    try:
        with np.errstate(over="ignore", invalid="ignore", divide="ignore",
                         under="ignore"):
            for epoch in range(1, epochs + 1):
                total, correct = 0.0, 0
                for idx in _batches(n, bs, shuffle, per_network):
                    Xb, yb = _take(X, idx, -2), _take(y, idx, y_axis)
                    value, grads, out = model.backprop(Xb, yb, loss, rng=drop)
                    value = np.atleast_1d(value)
                    if not run.check_finite(value, epoch):
                        break
                    if not prox:
                        rule.add_grads(model.params, grads)
                    optimizer.step(model.params, grads)
                    if prox:
                        rule.prox_step(model.params, optimizer.lr)
                    run.hold_stopped()
                    total = total + value * Xb.shape[-2]
                    if loss != "mse":
                        correct = correct + _hits(out, yb, loss)
                if not run.active.any():
                    break
                if eval_train:
                    tl, ta = _scores(model, X, y, loss)
                else:
                    tl, ta = total / n, (None if loss == "mse" else correct / n)
                vl = va = None
                if validation is not None:
                    vl, va = _scores(model, X_val, y_val, loss)
                run.record(epoch, tl, ta, vl, va)
                if bar is not None:
                    bar.update(1)
                    bar.set_postfix(loss=f"{np.mean(tl[run.active | ~run.active.any()]):.4g}",
                                    refresh=False)
                if callback is not None and callback(epoch, model, run.history()):
                    run.stop_all()
                    break
                if not run.early_stopping():
                    break
    finally:
        if bar is not None:
            bar.close()
    run.finish()
    if write_back is not None:
        for k, m in enumerate(write_back):
            for name, p in m.params.items():
                p[...] = model.params[name][k]
    return run.history() if K is None else run.stacked()


def train_many(model, X, y, *, optimizer, loss, penalty=None, epochs, batch_size=None,
               validation=None, rng=None, progress=False, patience=None,
               restore_best=True, eval_train=False, callback=None, penalty_mode="grad"):
    """Train a stack of networks: the same function as :func:`train`.

    Kept as a name for sweeps that read better with it; it takes :func:`train`'s
    arguments, with the same meaning, and returns the same result.

    Parameters
    ----------
    model : MLP or list of MLP
        A stack, a list of single networks (each updated in place), or one network.
    X, y : array_like
        Training data, shared or one set per network.
    optimizer : object with ``step(params, grads)``
        E.g. ``lk.Adam(1e-2)``.
    loss : {"mse", "half_mse", "bce", "ce"}
        The loss.
    penalty : penalty object, sequence of them, or None
        One for every network, or one per network.
    epochs : int, >= 1
        Maximum number of passes over the data.
    batch_size : int >= 1 or None
        Mini-batch size; None: full batch.
    validation : (X_val, y_val) or None
        Validation data, shared or one set per network.
    rng : None, int, numpy.random.Generator, or a list of them
        Dropout masks and shuffling.
    progress : bool
        Show a progress bar.
    patience : int >= 1 or None
        Early stopping per network.
    restore_best : bool
        With ``patience``: put back each network's best parameters.
    eval_train : bool
        Record the training loss in evaluation mode at the end of each epoch.
    callback : callable or None
        ``callback(epoch, model, history)``; returning True stops.
    penalty_mode : {"grad", "prox"}
        Gradient or proximal steps for the penalty.

    Returns
    -------
    History or StackedHistory
        As :func:`train`.

    Examples
    --------
    >>> import lkcourse as lk
    >>> X, y = lk.datasets.moons(40, noise=0.25, rng=0)
    >>> nets = [lk.MLP([2, 16, 1], rng=s) for s in range(3)]
    >>> h = lk.train_many(nets, X, y, optimizer=lk.Adam(0.01), loss="bce", epochs=50,
    ...                   penalty=[None, lk.L2(1e-2), lk.L1(1e-2)])
    >>> [bool(lk.evaluate(m, X, y, loss="bce")["accuracy"] >= 0.75) for m in nets]
    [True, True, True]
    """
    return train(model, X, y, optimizer=optimizer, loss=loss, penalty=penalty,
                 epochs=epochs, batch_size=batch_size, validation=validation, rng=rng,
                 progress=progress, patience=patience, restore_best=restore_best,
                 eval_train=eval_train, callback=callback, penalty_mode=penalty_mode)


class _Run:
    """The bookkeeping of one :func:`train` call, per network: what is recorded, which
    networks still train, their best epochs and the parameters held for the stopped."""

    def __init__(self, model, K, loss, rule, validation, patience, restore_best):
        self.model, self.K, self.loss, self.rule = model, K, loss, rule
        self.validation, self.patience = validation, patience
        width = K or 1
        self.active = np.ones(width, bool)
        self.epochs_run = np.zeros(width, np.int64)
        self.diverged = np.zeros(width, bool)
        self.stopped_early = np.zeros(width, bool)
        self.best = np.full(width, np.inf)
        self.best_epoch = np.zeros(width, np.int64)
        self.wait = np.zeros(width, np.int64)
        self.rows = {name: [] for name in StackedHistory.RECORDS}
        self.hist = History(loss=loss) if K is None else None   # live, for callbacks
        self.held = None            # parameters of the stopped networks, held
        self.best_params = None
        self.keep_best = patience is not None and restore_best
        self.weights = model.weight_names()

    def check_finite(self, value, epoch):
        """Stop the networks whose batch loss is not finite; False if none is left."""
        bad = self.active & ~np.isfinite(value)
        if bad.any():
            self.diverged |= bad
            which = ("" if self.K is None else
                     f" of network{'s' if bad.sum() > 1 else ''} "
                     f"{', '.join(str(k) for k in np.flatnonzero(bad))}")
            shown = float(value[bad][0]) if self.K is None else "non-finite"
            warnings.warn(
                f"train: the loss{which} became non-finite ({shown}) at epoch {epoch}; "
                "training stopped (History.diverged is True). Try a smaller learning "
                "rate.", stacklevel=3)
            self._hold(bad)
        return bool(self.active.any())

    def _hold(self, mask):
        """Stop the networks in ``mask`` with their current parameters."""
        self.active &= ~mask
        if self.K is None:
            return
        if self.held is None:
            self.held = {k: v.copy() for k, v in self.model.params.items()}
        else:
            for k, v in self.model.params.items():
                self.held[k][mask] = v[mask]

    def hold_stopped(self):
        """Put back the parameters of the networks that stopped (a stack goes on)."""
        if self.held is not None:
            stopped = ~self.active
            for k, v in self.model.params.items():
                v[stopped] = self.held[k][stopped]

    def record(self, epoch, tl, ta, vl, va):
        """One epoch's entries (NaN for the networks that stopped)."""
        now = self.active
        self.epochs_run[now] = epoch
        params = self.model.params
        if self.K is None:
            norm = np.sqrt(sum(np.vdot(params[w], params[w]) for w in self.weights))
        else:
            norm = np.sqrt(sum(np.einsum("kij,kij->k", params[w], params[w])
                               for w in self.weights))
        entries = {"train_loss": tl, "train_acc": ta, "val_loss": vl, "val_acc": va,
                   "weight_norm": norm,
                   "penalty": self.rule.values(params) if self.rule.active else None}
        everyone = bool(now.all())
        for name, value in entries.items():
            if value is None:
                continue
            if self.K is None:
                getattr(self.hist, name).append(float(np.atleast_1d(value)[0]))
            else:
                self.rows[name].append(value if everyone else np.where(now, value, np.nan))
        if self.K is None:
            self.hist.epochs.append(epoch)
            self.hist.epochs_run = epoch
        if vl is not None:
            better = now & (vl < self.best)
            self.best[better] = vl[better]
            self.best_epoch[better] = epoch
            if self.K is None and better[0]:
                self.hist.best_epoch = epoch
            self.wait[better] = 0
            self.wait[now & ~better] += 1
            if self.keep_best and better.any():
                if self.best_params is None:
                    self.best_params = {k: v.copy() for k, v in params.items()}
                elif self.K is None:
                    for k, v in params.items():
                        self.best_params[k][...] = v
                else:
                    for k, v in params.items():
                        self.best_params[k][better] = v[better]

    def stop_all(self):
        self.stopped_early |= self.active
        self._hold(self.active.copy())

    def early_stopping(self):
        """Stop the networks out of patience; False if none is left."""
        if self.patience is not None:
            stop = self.active & (self.wait >= self.patience)
            if stop.any():
                self.stopped_early |= stop
                self._hold(stop)
        return bool(self.active.any())

    def finish(self):
        """Restore the best parameters (with ``patience`` and ``restore_best``)."""
        if self.best_params is None:
            return
        found = self.best_epoch > 0
        for k, v in self.model.params.items():
            if self.K is None:
                v[...] = self.best_params[k]
            else:
                v[found] = self.best_params[k][found]

    def _table(self, name):
        rows = self.rows[name]
        width = self.K or 1
        return np.array(rows).T if rows else np.zeros((width, 0))

    def history(self):
        """The live :class:`History` of one network; for a stack, a snapshot."""
        if self.K is not None:
            return self.stacked()
        self.hist.diverged = bool(self.diverged[0])
        self.hist.stopped_early = bool(self.stopped_early[0])
        return self.hist

    def stacked(self):
        return StackedHistory(
            self.loss, {name: self._table(name) for name in self.rows}, self.epochs_run,
            self.best_epoch if self.validation else None, self.diverged,
            self.stopped_early, penalized=[p is not None for p in self.rule.penalties])
