"""The penalty on a model's weight matrices: one network, or a stack of K networks,
each with its own penalty (any object with the penalty protocol, adapted by
:func:`~lkcourse.as_penalty`). Which parameters are weights is the model's rule
(``model.weight_names()``, :func:`~lkcourse.decay_weights_only`)."""
from __future__ import annotations

import numpy as np

from ._validation import fail
from .penalty_base import as_penalty

__all__: list[str] = []


class WeightPenalty:
    """The penalty on a model's weight matrices, for one network or a stack of K.

    Built once per call of ``loss_and_grads`` or ``train``; every training step then
    adds its gradient. Networks of a stack whose penalties are separable and share
    their unit penalty (``L2(0.1)`` and ``L2(0.3)`` are ``0.1 r`` and ``0.3 r``) are
    handled together: one call of the hooks per run of consecutive such networks, on a
    view of their stacked weights, each network scaled by its own strength. Any other
    penalty is applied network by network.

    Parameters
    ----------
    model : MLP
        The model (one network or a stack).
    penalty : penalty object, sequence of them, or None
        One penalty for every network, or (stack only) a sequence of K, None entries
        meaning no penalty. Any object with the penalty protocol (see
        :func:`lkcourse.as_penalty`).
    owner : str
        The public function named in error messages.
    needs : tuple of str
        The protocol methods the caller uses.

    Attributes
    ----------
    penalties : list
        One :class:`~lkcourse.Penalty` (or None) per network (one entry for a single
        network).
    """

    def __init__(self, model, penalty, owner, needs=("value", "grad")):
        K = model.n_networks
        if isinstance(penalty, (list, tuple)):
            if K is None or len(penalty) != K:
                fail("penalty", owner, "None or a penalty" + (
                    "" if K is None else f" (or a list of {K}, one per network)"),
                     f"a list of {len(penalty)}")
            self.penalties = [as_penalty(p, owner, needs) for p in penalty]
        else:
            self.penalties = [as_penalty(penalty, owner, needs)] * (K or 1)
        self.names = model.weight_names()
        self.stacked = K is not None
        self.sizes = {name: (model.params[name][0] if K else model.params[name]).size
                      for name in self.names}
        self.runs, self.each = [], []    # runs: (unit, where, {name: factors})
        for k, p in enumerate(self.penalties):
            if p is None:
                continue
            if not p.separable:
                self.each.append((k, p))
                continue
            unit = p.unit()
            last = self.runs[-1] if self.runs else None
            if last is not None and last[0] == unit and last[1][-1] == k - 1:
                last[1].append(k)           # extends the current run
            else:
                self.runs.append((unit, [k]))
        self.runs = [(unit, self._where(members), {
            name: self._factors([self.penalties[k] for k in members], self.sizes[name])
            for name in self.names}) for unit, members in self.runs]

    def _where(self, members):
        """The networks of a run, as a slice of the stack (Ellipsis: one network)."""
        return slice(members[0], members[-1] + 1) if self.stacked else Ellipsis

    def _factors(self, penalties, size):
        """Each network's multiplier of the unit penalty, broadcast against the run's
        weights (a float for one network)."""
        f = np.array([p.factor(size) for p in penalties])
        return f[:, None, None] if self.stacked else float(f[0])

    @property
    def active(self):
        """True if any network has a penalty."""
        return any(p is not None for p in self.penalties)

    def add_grads(self, params, grads):
        """Add the penalty's gradient to the weight gradients, in place.

        Parameters
        ----------
        params : dict of ndarray
            The model's parameters.
        grads : dict of ndarray
            Their data-loss gradients (changed in place).
        """
        for name in self.names:
            W, G = params[name], grads[name]
            for unit, where, factors in self.runs:
                G[where] += factors[name] * unit.unit_grad(W[where])
            for k, p in self.each:
                where = k if self.stacked else Ellipsis
                G[where] += p.factor(self.sizes[name]) * p.unit_grad(W[where])

    def values(self, params):
        """The penalty of every network, summed over its weight matrices.

        Parameters
        ----------
        params : dict of ndarray
            The model's parameters.

        Returns
        -------
        float or ndarray
            A float for one network, shape ``(K,)`` for a stack (0 without penalty).
        """
        total = np.zeros(len(self.penalties)) if self.stacked else 0.0
        for name in self.names:
            W = params[name]
            for unit, where, factors in self.runs:
                if self.stacked:
                    v = unit.unit_value(W[where])
                    total[where] += factors[name][:, 0, 0] * v.reshape(len(v), -1).sum(axis=1)
                else:
                    total += factors[name] * float(np.sum(unit.unit_value(W)))
            for k, p in self.each:
                v = p.factor(self.sizes[name]) * float(np.sum(
                    p.unit_value(W[k] if self.stacked else W)))
                if self.stacked:
                    total[k] += v
                else:
                    total += v
        return total

    def prox_step(self, params, lr):
        """Replace each penalized weight matrix by its prox with step ``lr``, in place.

        Parameters
        ----------
        params : dict of ndarray
            The model's parameters (changed in place).
        lr : float or ndarray
            The step: the optimizer's learning rate (one per network if an array).
        """
        lrs = np.broadcast_to(np.asarray(lr, dtype=np.float64), (len(self.penalties),))
        for name in self.names:
            W = params[name]
            for k, p in enumerate(self.penalties):
                if p is None:
                    continue
                w = W[k] if self.stacked else W
                w[...] = p.unit_prox(w, float(lrs[k]) * p.factor(self.sizes[name]))
