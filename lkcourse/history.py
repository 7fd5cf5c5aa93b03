r"""What :func:`~lkcourse.train` records: a :class:`History` for one network, a
:class:`StackedHistory` (one :class:`History` per network, and the same numbers as
arrays) for a stack.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

__all__ = ["History", "StackedHistory"]


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


class StackedHistory:
    """What happened during :func:`train` of a stack of K networks, per network.

    ``h[k]`` is network k's :class:`History`, exactly what training it alone records
    (lists as long as its own ``epochs_run``); ``len(h)`` is K and iterating gives the
    K histories. The same numbers are also attributes, as arrays of shape ``(K,
    epochs)`` over the epochs the stack ran (NaN after a network stopped).

    Parameters
    ----------
    loss : str
        The loss name.
    records : dict of str to ndarray
        ``train_loss``, ``val_loss``, ``train_acc``, ``val_acc``, ``penalty``,
        ``weight_norm``: arrays of shape ``(K, epochs)`` (absent ones: shape ``(K,
        0)``).
    epochs_run : ndarray of int
        Epochs run by each network.
    best_epoch : ndarray of int or None
        Epoch with the lowest validation loss of each network (None without
        validation).
    diverged, stopped_early : ndarray of bool
        Per network, as in :class:`History`.
    penalized : ndarray of bool or None
        Which networks have a penalty (their ``History.penalty`` is recorded); None:
        all of them, if ``records`` has a penalty.

    Attributes
    ----------
    loss : str
        The loss name.
    epochs : list of int
        ``1 .. epochs_run.max()``.
    train_loss, val_loss, train_acc, val_acc, penalty, weight_norm : ndarray
        Shape ``(K, len(epochs))``, NaN where a network had stopped.
    epochs_run : ndarray of int
        Shape ``(K,)``.
    best_epoch : ndarray of int or None
        Shape ``(K,)``, or None without validation.
    diverged, stopped_early : ndarray of bool
        Shape ``(K,)``.

    Examples
    --------
    >>> import lkcourse as lk
    >>> X, y = lk.datasets.moons(40, noise=0.25, rng=0)
    >>> stack = lk.MLP.stack([lk.MLP([2, 8, 1], rng=s) for s in range(3)])
    >>> h = lk.train(stack, X, y, optimizer=lk.Adam(0.01), loss="bce", epochs=20)
    >>> len(h), h.train_loss.shape, h[0].epochs_run
    (3, (3, 20), 20)
    """

    RECORDS = ("train_loss", "val_loss", "train_acc", "val_acc", "penalty", "weight_norm")

    def __init__(self, loss, records, epochs_run, best_epoch, diverged, stopped_early,
                 penalized=None):
        self.loss = loss
        self.epochs_run = np.asarray(epochs_run, dtype=np.int64)
        K = len(self.epochs_run)
        self.epochs = list(range(1, int(self.epochs_run.max(initial=0)) + 1))
        for name in self.RECORDS:
            setattr(self, name, np.asarray(records.get(name, np.zeros((K, 0))),
                                           dtype=np.float64))
        self.best_epoch = None if best_epoch is None else np.asarray(best_epoch,
                                                                     dtype=np.int64)
        self.diverged = np.asarray(diverged, dtype=bool)
        self.stopped_early = np.asarray(stopped_early, dtype=bool)
        self._penalized = (np.ones(K, bool) if penalized is None
                           else np.asarray(penalized, dtype=bool))

    def __len__(self):
        return len(self.epochs_run)

    def __getitem__(self, k):
        if not isinstance(k, (int, np.integer)) or not -len(self) <= k < len(self):
            raise IndexError(f"network index {k!r} out of range for {len(self)} networks")
        k = int(k) % len(self)
        n = int(self.epochs_run[k])
        h = History(loss=self.loss, epochs=list(range(1, n + 1)), epochs_run=n,
                    diverged=bool(self.diverged[k]),
                    stopped_early=bool(self.stopped_early[k]),
                    best_epoch=(None if self.best_epoch is None or self.best_epoch[k] == 0
                                else int(self.best_epoch[k])))
        for name in self.RECORDS:
            row = getattr(self, name)[k]
            keep = row.size and (name != "penalty" or self._penalized[k])
            setattr(h, name, [float(v) for v in row[:n]] if keep else [])
        return h

    def __iter__(self):
        return (self[k] for k in range(len(self)))

    def __repr__(self):
        return (f"StackedHistory(loss={self.loss!r}, networks={len(self)}, "
                f"epochs_run={self.epochs_run.tolist()}, "
                f"diverged={int(self.diverged.sum())})")

