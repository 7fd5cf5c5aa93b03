r"""A small fully connected network (MLP) in numpy, with backprop written out.

Layer :math:`l` computes :math:`H_l = \phi(H_{l-1} W_l + b_l)` for a batch
:math:`H_0 = X` of shape ``(n, sizes[0])``; the last layer has no activation (its
outputs are the regression values or the logits). Gradients come from one vectorized
backward pass; the activation's derivative is ``activation.df``.
"""
from __future__ import annotations

import copy
import numbers

import numpy as np

from . import activations as _activations
from ._validation import (InvalidParameterError, check_array, check_choice, check_real,
                          check_rng, fail)

__all__ = ["MLP", "LOSSES"]

#: Loss names understood by :meth:`MLP.loss_and_grads` and :func:`lkcourse.train`.
LOSSES = ("mse", "bce", "ce")

_HE = ("relu", "leaky_relu", "prelu", "elu")   # std sqrt(2 / fan_in)
_LECUN = ("selu",)                              # std sqrt(1 / fan_in)


class MLP:
    r"""Multi-layer perceptron with any activation from ``lk.ACTIVATIONS``.

    Parameters
    ----------
    sizes : sequence of int, each >= 1, length >= 2
        Layer widths from input to output, e.g. ``(2, 64, 64, 1)``.
    activation : str or activation object
        Hidden-layer activation: a name of ``lk.ACTIVATIONS`` or an object
        from :func:`lkcourse.activation` (anything with ``f`` and ``df``). PReLU's
        slope is a fixed constant here, not learned.
    dropout : float, 0 <= dropout < 1
        Probability of zeroing each hidden activation in training mode (inverted
        dropout). Never applied to the inputs or the outputs.
    rng : None, int or numpy.random.Generator
        Seeds the initial weights, then the dropout masks when ``forward`` or
        ``loss_and_grads`` run in training mode without their own ``rng``.

    Attributes
    ----------
    params : dict of ndarray
        ``{"W1", "b1", "W2", "b2", ...}``; ``W`` has shape ``(fan_in, fan_out)``.
    init : str
        The initialisation used: ``"he"``, ``"lecun"`` or ``"glorot"``.

    Notes
    -----
    Weights are drawn from :math:`\mathcal N(0, \sigma^2)`, biases start at 0:
    He, :math:`\sigma^2 = 2/\text{fan\_in}`, for the ReLU family (relu, leaky_relu,
    prelu, elu); LeCun, :math:`\sigma^2 = 1/\text{fan\_in}`, for selu; Glorot,
    :math:`\sigma^2 = 2/(\text{fan\_in} + \text{fan\_out})`, for all others (and for
    activation objects). The same rule is used for every layer.

    Inverted dropout: in training mode each hidden activation is multiplied by
    :math:`m/(1-p)` with :math:`m \sim \text{Bernoulli}(1-p)`, so its expectation
    equals the evaluation-mode value and evaluation needs no rescaling.

    Examples
    --------
    >>> import numpy as np, lkcourse as lk
    >>> model = lk.MLP([2, 8, 1], "tanh", rng=0)
    >>> sorted(model.params), model.params["W1"].shape, model.n_params
    (['W1', 'W2', 'b1', 'b2'], (2, 8), 33)
    >>> X, y = np.ones((4, 2)), np.zeros(4)
    >>> loss, grads = model.loss_and_grads(X, y, "mse", lk.L2(1e-3))
    >>> grads["W2"].shape
    (8, 1)
    """

    def __init__(self, sizes, activation="relu", *, dropout=0.0, rng=None):
        owner = "MLP"
        allowed = "a sequence of at least 2 ints >= 1"
        try:
            sizes = tuple(sizes)
        except TypeError:
            fail("sizes", owner, allowed, sizes)
        if len(sizes) < 2 or not all(
                isinstance(s, numbers.Integral) and not isinstance(s, bool) and s >= 1
                for s in sizes):
            fail("sizes", owner, allowed, sizes)
        self.sizes = tuple(int(s) for s in sizes)
        if isinstance(activation, str):
            self.activation = _activations.activation(activation)
        elif callable(getattr(activation, "f", None)) and callable(
                getattr(activation, "df", None)):
            self.activation = activation
        else:
            fail("activation", owner, "an activation name or an object with f and df",
                 activation)
        self.dropout = check_real(dropout, "dropout", owner, low=0, high=1,
                                  high_open=True)
        self._rng = check_rng(rng, owner)
        name = getattr(self.activation, "name", None)
        self.init = "he" if name in _HE else "lecun" if name in _LECUN else "glorot"
        self.params = {}
        for i, (fan_in, fan_out) in enumerate(zip(self.sizes, self.sizes[1:]), 1):
            var = {"he": 2 / fan_in, "lecun": 1 / fan_in,
                   "glorot": 2 / (fan_in + fan_out)}[self.init]
            self.params[f"W{i}"] = np.sqrt(var) * self._rng.standard_normal(
                (fan_in, fan_out))
            self.params[f"b{i}"] = np.zeros(fan_out)

    @property
    def n_layers(self):
        """Number of weight layers (``len(sizes) - 1``)."""
        return len(self.sizes) - 1

    @property
    def n_params(self):
        """Total number of scalar parameters (weights and biases)."""
        return sum(p.size for p in self.params.values())

    def __repr__(self):
        name = getattr(self.activation, "name", type(self.activation).__name__)
        return (f"MLP(sizes={list(self.sizes)}, activation={name!r}, "
                f"dropout={self.dropout})")

    def copy(self):
        """An independent copy: new parameter arrays and dropout generator state (the
        activation object is immutable and shared)."""
        new = object.__new__(MLP)
        new.__dict__.update(self.__dict__)
        new.params = {k: v.copy() for k, v in self.params.items()}
        new._rng = copy.deepcopy(self._rng)
        return new

    # ---- forward and backward ---------------------------------------------------
    def _forward(self, X, rng=None):
        """Outputs and the cache for backprop; dropout on iff ``rng`` is given."""
        cache, H = [], X
        for layer in range(1, self.n_layers + 1):
            Z = H @ self.params[f"W{layer}"]
            Z += self.params[f"b{layer}"]
            if layer == self.n_layers:
                cache.append((H, None, None))
                return Z, cache
            A, mask = self.activation.f(Z), None
            if rng is not None:
                mask = (rng.random(A.shape) >= self.dropout) / (1.0 - self.dropout)
                A = A * mask
            cache.append((H, Z, mask))
            H = A

    def _backward(self, dout, cache):
        """Gradients of every param given ``dout`` = d loss / d outputs."""
        grads, delta = {}, dout
        for layer in range(self.n_layers, 0, -1):
            H = cache[layer - 1][0]
            grads[f"W{layer}"] = H.T @ delta
            grads[f"b{layer}"] = delta.sum(axis=0)
            if layer > 1:
                _, Z, mask = cache[layer - 2]
                dH = delta @ self.params[f"W{layer}"].T
                if mask is not None:
                    dH *= mask
                delta = dH * self.activation.df(Z)
        return {name: grads[name] for name in self.params}

    def _dropout_rng(self, train, rng, owner):
        if not train or self.dropout == 0:
            return None
        return self._rng if rng is None else check_rng(rng, owner)

    def _check_X(self, X, owner):
        X = check_array(X, "X", owner, ndim=2)
        if X.shape[1] != self.sizes[0]:
            raise InvalidParameterError(
                f"The 'X' parameter of {owner} must have {self.sizes[0]} columns "
                f"(sizes[0]). Got an array of shape {X.shape} instead.")
        return X

    def forward(self, X, *, train=False, rng=None):
        """Network outputs (logits for classification), shape ``(n, sizes[-1])``.

        Parameters
        ----------
        X : array_like of shape (n, sizes[0])
        train : bool
            Training mode: apply dropout (if any). Evaluation mode (default) never does.
        rng : None, int or numpy.random.Generator
            Dropout masks in training mode; None uses the model's own generator.
        """
        X = self._check_X(X, "MLP.forward")
        return self._forward(X, self._dropout_rng(train, rng, "MLP.forward"))[0]

    def predict(self, X):
        """Evaluation-mode outputs; 1-D of shape ``(n,)`` when there is one output."""
        out = self.forward(X)
        return out[:, 0] if self.sizes[-1] == 1 else out

    def predict_proba(self, X):
        """Class probabilities: ``sigmoid(logit)`` (shape ``(n,)``, P(class 1)) with one
        output, else ``softmax`` over the outputs (shape ``(n, sizes[-1])``)."""
        out = self.forward(X)
        if self.sizes[-1] == 1:
            z = out[:, 0]
            return np.exp(np.minimum(z, 0) - np.log1p(np.exp(-np.abs(z))))
        return np.exp(_activations.log_softmax(out, axis=1))

    def predict_class(self, X):
        """Predicted int labels: ``logit > 0`` with one output, else the argmax."""
        out = self.forward(X)
        if self.sizes[-1] == 1:
            return (out[:, 0] > 0).astype(np.int64)
        return np.argmax(out, axis=1)

    # ---- losses -----------------------------------------------------------------
    def _check_y(self, y, loss, n, owner):
        """Validate targets for ``loss`` and return them in the internal layout."""
        k = self.sizes[-1]
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

    @staticmethod
    def _data_loss(out, y, loss):
        """Batch-mean loss and its gradient with respect to the outputs."""
        n = out.shape[0]
        if loss == "mse":
            r = out - y
            return 0.5 * float(np.vdot(r, r)) / n, r / n
        if loss == "bce":   # softplus(z) - y z, and sigmoid(z) - y, computed stably
            t = np.log1p(np.exp(-np.abs(out)))
            value = np.sum(np.maximum(out, 0) - y * out + t) / n
            return float(value), (np.exp(np.minimum(out, 0) - t) - y) / n
        logp = _activations.log_softmax(out, axis=1)
        rows = np.arange(n)
        dout = np.exp(logp)
        dout[rows, y] -= 1
        return -float(np.sum(logp[rows, y])) / n, dout / n

    def _loss_and_grads(self, X, y, loss, penalty, rng=None, penalty_value=True):
        """Fast path for validated inputs: (data loss, penalty value, grads, outputs).

        ``penalty_value=False`` skips evaluating the penalty (returns 0.0 for it)."""
        out, cache = self._forward(X, rng)
        value, dout = self._data_loss(out, y, loss)
        grads = self._backward(dout, cache)
        reg = 0.0
        if penalty is not None:
            for name, w in self.params.items():
                if name[0] == "W":
                    if penalty_value:
                        reg += float(penalty.value(w))
                    grads[name] += penalty.grad(w)
        return value, reg, grads, out

    def loss_and_grads(self, X, y, loss="mse", penalty=None, *, train=False, rng=None):
        r"""Batch-mean loss plus penalty, and its gradient for every parameter.

        Parameters
        ----------
        X : array_like of shape (n, sizes[0])
        y : array_like
            ``"mse"``: shape ``(n, sizes[-1])`` (or ``(n,)`` with one output);
            ``"bce"``: labels in {0, 1}, shape ``(n,)``, one output (a logit);
            ``"ce"``: int labels in ``0 .. sizes[-1] - 1``, shape ``(n,)``.
        loss : {"mse", "bce", "ce"}
        penalty : penalty object or None
            Anything with ``value(w)`` and ``grad(w)`` (e.g. ``lk.L2(1e-3)``), applied
            to each weight matrix ``W1, W2, ...`` and summed; biases are never
            penalized.
        train : bool
            Training mode (dropout on, if the model has any).
        rng : None, int or numpy.random.Generator
            Dropout masks in training mode; None uses the model's own generator.

        Returns
        -------
        loss : float
        grads : dict of ndarray
            Same keys and shapes as ``params``.

        Notes
        -----
        With outputs :math:`o_i` (logits :math:`z_i`) for the :math:`n` samples:
        ``"mse"`` :math:`\frac1n\sum_i \frac12\lVert o_i - y_i\rVert^2`;
        ``"bce"`` :math:`\frac1n\sum_i \operatorname{softplus}(z_i) - y_i z_i`
        (the binary cross-entropy of :math:`\sigma(z_i)`);
        ``"ce"`` :math:`-\frac1n\sum_i \log\operatorname{softmax}(z_i)_{y_i}`;
        then :math:`+\sum_l R(W_l)`.
        """
        owner = "MLP.loss_and_grads"
        loss = check_choice(loss, "loss", owner, LOSSES)
        X = self._check_X(X, owner)
        y = self._check_y(y, loss, X.shape[0], owner)
        _check_penalty(penalty, owner)
        rng = self._dropout_rng(train, rng, owner)
        value, reg, grads, _ = self._loss_and_grads(X, y, loss, penalty, rng)
        return value + reg, grads


def _check_penalty(penalty, owner):
    if penalty is not None and not (callable(getattr(penalty, "value", None))
                                    and callable(getattr(penalty, "grad", None))):
        fail("penalty", owner, "None or a penalty with value(w) and grad(w), e.g. "
             "lk.L2(1e-3)", penalty)
