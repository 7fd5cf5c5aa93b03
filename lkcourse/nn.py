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
from . import initializers as _init
from . import losses as _losses
from .initializers import INITS
from .losses import LOSSES, _loss_name
from . import metrics as _metrics
from . import penalties as _penalties
from .optim import decay_weights_only
from ._validation import (InvalidParameterError, check_array, check_choice, check_real,
                          check_rng, fail)

__all__ = ["MLP", "LOSSES", "INITS", "ForwardTrace"]

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
    init : None or str
        Weight initialisation, one of ``lk.INITS``: ``"he_normal"``, ``"he_uniform"``,
        ``"glorot_normal"``, ``"glorot_uniform"`` (``"xavier_normal"`` and
        ``"xavier_uniform"`` are aliases), ``"lecun_normal"``, ``"lecun_uniform"``.
        None (default) chooses by activation (see Notes). Biases always start at 0.
    dropout : float, 0 <= dropout < 1
        Probability of zeroing (dropping) each hidden activation in training mode (inverted
        dropout). Never applied to the inputs or the outputs.
    rng : None, int or numpy.random.Generator
        Seeds the initial weights, then the dropout masks when ``forward`` or
        ``loss_and_grads`` run in training mode without their own ``rng``.

    Attributes
    ----------
    params : dict of ndarray
        ``{"W1", "b1", "W2", "b2", ...}``; ``W`` has shape ``(fan_in, fan_out)``.
    init : str
        The initialisation family used: ``"he"``, ``"lecun"`` or ``"glorot"``.
    init_scheme : str
        The full scheme: ``init`` plus ``"_normal"`` or ``"_uniform"`` (xavier names
        are reported as glorot), e.g. ``"he_normal"``.

    Notes
    -----
    Weights are drawn independently with mean 0 and variance :math:`\sigma^2`: He
    (Kaiming, fan-in, gain :math:`\sqrt2`) :math:`2/\text{fan\_in}`, Glorot (Xavier)
    :math:`2/(\text{fan\_in} + \text{fan\_out})`, LeCun :math:`1/\text{fan\_in}`;
    ``*_uniform`` draws from :math:`U(-\sqrt3\sigma, \sqrt3\sigma)`, as PyTorch's
    ``torch.nn.init`` (see ``lkcourse.initializers``). ``init=None`` chooses the
    normal form by activation: He for the ReLU family (relu, leaky_relu, prelu, elu),
    LeCun for selu, Glorot for all others (and for activation objects). The same rule
    is used for every layer.

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
    >>> wide = lk.MLP([1000, 1000], init="he_uniform", rng=0)
    >>> wide.init, wide.init_scheme
    ('he', 'he_uniform')
    >>> round(float(wide.params["W1"].var() * 1000), 2)      # 2 / fan_in
    2.0
    """

    def __init__(self, sizes, activation="relu", *, init=None, dropout=0.0, rng=None):
        owner = "MLP"
        allowed = "a sequence of at least 2 ints >= 1"
        try:
            given = tuple(sizes) if not isinstance(sizes, (str, bytes)) else ()
        except TypeError:
            fail("sizes", owner, allowed, sizes)
        if len(given) < 2 or not all(
                isinstance(s, numbers.Integral) and not isinstance(s, bool) and s >= 1
                for s in given):
            fail("sizes", owner, allowed, sizes)
        self.sizes = tuple(int(s) for s in given)
        if isinstance(activation, str):
            self.activation = _activations.activation(check_choice(
                activation, "activation", owner, list(_activations.ACTIVATIONS)))
        elif callable(getattr(activation, "f", None)) and callable(
                getattr(activation, "df", None)):
            self.activation = activation
        else:
            fail("activation", owner, "an activation name or an object with f and df",
                 activation)
        self.dropout = check_real(dropout, "dropout", owner, low=0, high=1,
                                  high_open=True)
        family, distribution = _init.resolve(
            init, getattr(self.activation, "name", None), owner)
        self._rng = check_rng(rng, owner)
        self.init, self.init_scheme = family, f"{family}_{distribution}"
        self.params = {}
        for i, (fan_in, fan_out) in enumerate(zip(self.sizes, self.sizes[1:]), 1):
            self.params[f"W{i}"] = _init.draw_weights(family, distribution, fan_in,
                                                      fan_out, self._rng)
            self.params[f"b{i}"] = np.zeros(fan_out)

    @property
    def n_layers(self):
        """Number of weight layers (``len(sizes) - 1``)."""
        return len(self.sizes) - 1

    @property
    def n_params(self):
        """Total number of scalar parameters (weights and biases)."""
        return sum(p.size for p in self.params.values())

    def weight_entries(self):
        """Every entry of the weight matrices ``W1, W2, ...`` (never the biases), in
        layer order, as one new 1-D array: what a penalty acts on.

        Examples
        --------
        >>> import lkcourse as lk
        >>> lk.MLP([2, 3, 1], rng=0).weight_entries().shape   # 2*3 + 3*1
        (9,)
        """
        from .optim import decay_weights_only
        return np.concatenate([W.ravel() for name, W in self.params.items()
                               if decay_weights_only(name, W)])

    def __repr__(self):
        name = getattr(self.activation, "name", type(self.activation).__name__)
        return (f"MLP(sizes={list(self.sizes)}, activation={name!r}, "
                f"dropout={self.dropout})")

    def copy(self):
        """An independent copy, ``copy.deepcopy(self)``: new parameter arrays and dropout
        generator state. Models also pickle (save a trained model, joblib sweeps)."""
        return copy.deepcopy(self)

    # ---- forward and backward ---------------------------------------------------
    def _forward(self, X, rng=None):
        """Outputs and the cache for backprop; dropout on iff ``rng`` is given.

        ``cache[l]`` is ``(H, Z, A, mask)`` for layer ``l + 1``: its input ``H``, its
        pre-activation ``Z = H W + b``, ``A = act(Z)`` (``Z`` itself for the last
        layer) and the dropout mask applied to ``A`` (None when off, and always for
        the last layer)."""
        cache, H = [], X
        for layer in range(1, self.n_layers + 1):
            Z = H @ self.params[f"W{layer}"]
            Z += self.params[f"b{layer}"]
            if layer == self.n_layers:
                cache.append((H, Z, Z, None))
                return Z, cache
            A, mask = self.activation.f(Z), None
            cache_H = H
            H = A
            if rng is not None:
                mask = (rng.random(A.shape) >= self.dropout) / (1.0 - self.dropout)
                H = A * mask
            cache.append((cache_H, Z, A, mask))

    def _backward(self, dout, cache):
        """Gradients of every param given ``dout`` = d loss / d outputs."""
        grads, delta = {}, dout
        for layer in range(self.n_layers, 0, -1):
            H = cache[layer - 1][0]
            grads[f"W{layer}"] = H.T @ delta
            grads[f"b{layer}"] = delta.sum(axis=0)
            if layer > 1:
                _, Z, _, mask = cache[layer - 2]
                dH = delta @ self.params[f"W{layer}"].T
                if mask is not None:
                    dH *= mask
                delta = dH * self.activation.df(Z)
        return {name: grads[name] for name in self.params}

    def _dropout_rng(self, train, rng, owner):
        """Validate ``train`` and ``rng``; the dropout generator, or None when off."""
        check_flag(train, "train", owner)
        rng = None if rng is None else check_rng(rng, owner)
        if not train or self.dropout == 0:
            return None
        return self._rng if rng is None else rng

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

    def forward_trace(self, X, *, train=False, rng=None):
        r"""One forward pass that keeps every layer's pre-activations and activations.

        Parameters
        ----------
        X : array_like of shape (n, sizes[0])
            The inputs, one row per sample.
        train : bool
            Training mode: apply dropout (if any), exactly as :meth:`forward` does with
            the same ``rng``.
        rng : None, int or numpy.random.Generator
            Dropout masks in training mode; None uses the model's own generator.

        Returns
        -------
        ForwardTrace
            ``.pre[l]`` is :math:`Z_{l+1} = H_l W_{l+1} + b_{l+1}`, ``.post[l]`` is
            :math:`\phi(Z_{l+1})` for a hidden layer and :math:`Z_L` itself for the
            last one (``post[-1]`` equals ``forward(X, train=train, rng=rng)``);
            ``.masks[l]`` is the dropout mask multiplying ``post[l]`` before the next
            layer (None in evaluation mode, without dropout, and for the last layer).

        Examples
        --------
        >>> import numpy as np, lkcourse as lk
        >>> model = lk.MLP([2, 16, 16, 1], "tanh", rng=0)
        >>> X = np.random.default_rng(1).standard_normal((100, 2))
        >>> trace = model.forward_trace(X)
        >>> [z.shape for z in trace.pre]
        [(100, 16), (100, 16), (100, 1)]
        >>> bool(np.array_equal(trace.post[0], np.tanh(trace.pre[0])))
        True
        >>> bool(np.array_equal(trace.post[-1], model.forward(X)))
        True
        """
        owner = "MLP.forward_trace"
        X = self._check_X(X, owner)
        _, cache = self._forward(X, self._dropout_rng(train, rng, owner))
        return ForwardTrace(pre=[c[1] for c in cache], post=[c[2] for c in cache],
                            masks=[c[3] for c in cache])

    def predict(self, X):
        """Evaluation-mode outputs; 1-D of shape ``(n,)`` when there is one output."""
        out = self.forward(X)
        return out[:, 0] if self.sizes[-1] == 1 else out

    def predict_proba(self, X):
        """Class probabilities: ``sigmoid(logit)`` (shape ``(n,)``, P(class 1)) with one
        output, else ``softmax`` over the outputs (shape ``(n, sizes[-1])``)."""
        out = self.forward(X)
        if self.sizes[-1] == 1:
            return _activations.ACTIVATIONS["sigmoid"].f(out[:, 0])
        return np.exp(_activations.log_softmax(out, axis=1))

    def predict_class(self, X):
        """Predicted int labels: ``logit > 0`` with one output, else the argmax."""
        return _metrics._labels(self.forward(X))

    # ---- losses -----------------------------------------------------------------
    def _check_y(self, y, loss, n, owner):
        """Validate targets for ``loss`` and return them in the internal layout."""
        return _losses.check_targets(y, loss, self.sizes[-1], n, owner)

    _data_loss = staticmethod(_losses.data_loss)

    def _loss_and_grads(self, X, y, loss, penalty, rng=None, penalty_value=True):
        """Fast path for validated inputs: (data loss, penalty value, grads, outputs).

        ``penalty_value=False`` skips evaluating the penalty (returns 0.0 for it)."""
        out, cache = self._forward(X, rng)
        value, dout = self._data_loss(out, y, loss)
        grads = self._backward(dout, cache)
        reg = 0.0
        if penalty is not None:
            for name, w in self.params.items():
                if decay_weights_only(name, w):
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
        loss : {"mse", "half_mse", "bce", "ce"}
            ``"mse"`` and ``"half_mse"`` are the same loss, the *half* mean squared
            error (see Notes): ``lk.mse`` of the same outputs is twice as large.
        penalty : penalty object or None
            Anything with ``value(w)`` and ``grad(w)`` (e.g. ``lk.L2(1e-3)``), applied
            to each weight matrix ``W1, W2, ...`` and summed; biases are never
            penalized. A penalty with ``reduction="mean"`` is therefore a mean over
            each matrix's entries, *summed over the layers*: ``L2(lam,
            reduction="mean")`` adds ``lam * sum_l mean(W_l**2)``, not a mean over all
            the weights of the network.
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
        ``"mse"`` (alias ``"half_mse"``, half-MSE)
        :math:`\frac1n\sum_i \frac12\lVert o_i - y_i\rVert^2`;
        ``"bce"`` :math:`\frac1n\sum_i \operatorname{softplus}(z_i) - y_i z_i`
        (the binary cross-entropy of :math:`\sigma(z_i)`);
        ``"ce"`` :math:`-\frac1n\sum_i \log\operatorname{softmax}(z_i)_{y_i}`;
        then :math:`+\sum_l R(W_l)`.
        """
        owner = "MLP.loss_and_grads"
        loss = _loss_name(loss, owner)
        X = self._check_X(X, owner)
        y = self._check_y(y, loss, X.shape[0], owner)
        _check_penalty(penalty, owner)
        rng = self._dropout_rng(train, rng, owner)
        value, reg, grads, _ = self._loss_and_grads(X, y, loss, penalty, rng)
        return value + reg, grads


def check_flag(value, name, owner):
    """Check that ``value`` is True or False (not 1, not None); return it as bool."""
    if not isinstance(value, (bool, np.bool_)):
        fail(name, owner, "True or False", value)
    return bool(value)


class ForwardTrace:
    """Every layer's pre-activations and activations from one forward pass.

    Returned by :meth:`MLP.forward_trace`; one entry per weight layer in each list.

    Attributes
    ----------
    pre : list of ndarray
        ``pre[l]``: the pre-activation ``Z = H @ W + b`` of layer ``l + 1``, shape
        ``(n, sizes[l + 1])``.
    post : list of ndarray
        ``post[l]``: ``act(pre[l])`` for a hidden layer; the network output
        (``pre[-1]``, no activation) for the last.
    masks : list of ndarray or None
        ``masks[l]``: the inverted-dropout mask (entries 0 or ``1/(1-p)``) by which
        ``post[l]`` is multiplied before it enters the next layer; None when no
        dropout was applied, and always for the last layer.

    Examples
    --------
    >>> import numpy as np, lkcourse as lk
    >>> trace = lk.MLP([3, 4, 2], "relu", rng=0).forward_trace(np.ones((5, 3)))
    >>> trace
    ForwardTrace(2 layers: (5, 4), (5, 2))
    >>> bool(np.all(trace.post[0] == np.maximum(trace.pre[0], 0)))
    True
    """

    __slots__ = ("pre", "post", "masks")

    def __init__(self, pre, post, masks):
        self.pre, self.post, self.masks = list(pre), list(post), list(masks)

    def __len__(self):
        return len(self.pre)

    def __repr__(self):
        shapes = ", ".join(str(z.shape) for z in self.pre)
        return f"ForwardTrace({len(self)} layers: {shapes})"


def _check_penalty(penalty, owner):
    _penalties.check_protocol(penalty, owner, needs=("value", "grad"))
