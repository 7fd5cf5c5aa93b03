r"""A small fully connected network (MLP) in numpy, with backprop written out: one
network, or a stack of K independent networks trained as one.

Layer :math:`l` computes :math:`H_l = \phi(H_{l-1} W_l + b_l)` for a batch
:math:`H_0 = X` of shape ``(n, sizes[0])``; the last layer has no activation (its
outputs are the regression values or the logits). Gradients come from one vectorized
backward pass; the activation's derivative is ``activation.df``.

**Stacks.** :meth:`MLP.stack` puts K networks of one architecture side by side: every
parameter gets a leading axis of K (``W1`` of shape ``(K, fan_in, fan_out)``, ``b1`` of
shape ``(K, fan_out)``), and numpy's ``@`` broadcasts over it, so the same forward and
backward pass, the same loss (``lkcourse.losses``), the same update rules
(:mod:`lkcourse.optim`) and the same weight rule serve one network and K networks. Each
network of a stack keeps its own dropout rate, penalty (``WeightPenalty``) and
data (inputs of shape ``(n, d)`` are shared, ``(K, n, d)`` give one data set per
network); a sweep of hundreds of networks costs about as many numpy calls as one. The
forward and backward passes themselves are in ``lkcourse.engine``, the penalty of the
weights of one network or a stack in ``lkcourse.weight_penalty``.

**The weight rule.** This module owns which parameters are weights (penalized,
reported by :meth:`MLP.weight_entries`): :func:`decay_weights_only` says it, for the
optimizers' ``decay`` predicate too.
"""
from __future__ import annotations

import copy
import numbers

import numpy as np

from . import activations as _activations
from . import initializers as _init
from . import losses as _losses
from ._shared import labels, log_softmax, sigmoid
from ._validation import (InvalidParameterError, check_array, check_choice, check_flag,
                          check_real, check_rng, fail)
from .engine import backward_pass, forward_pass
from .initializers import INITS
from .losses import LOSSES
from .weight_penalty import WeightPenalty

__all__ = ["MLP", "LOSSES", "INITS", "ForwardTrace", "decay_weights_only"]


def decay_weights_only(name, array):
    """Tell whether a parameter is a weight matrix ``W1, W2, ...`` (not a bias).

    The package's one rule for "which parameters are weights": penalties apply to
    them, ``weight_entries`` reports them, and passed as an optimizer's ``decay``
    predicate it leaves the biases undecayed.

    Parameters
    ----------
    name : str
        Parameter name, e.g. ``"W1"`` or ``"b1"``.
    array : ndarray
        The parameter (unused; part of the predicate signature).

    Returns
    -------
    bool
        True when ``name`` starts with ``"W"``.

    Examples
    --------
    >>> import lkcourse as lk
    >>> opt = lk.AdamW(lr=1e-3, weight_decay=0.1, decay=lk.decay_weights_only)
    >>> lk.decay_weights_only("W1", None), lk.decay_weights_only("b1", None)
    (True, False)
    """
    return name.startswith("W")


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
        ``{"W1", "b1", "W2", "b2", ...}``; ``W`` has shape ``(fan_in, fan_out)``, and a
        leading axis of K in a stack.
    n_networks : int or None
        K for a stack of K networks (:meth:`stack`), None for one network.
    dropout : float or ndarray
        The drop probability; in a stack, one per network (a read-only array).
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
    :math:`m/(1-p)` with :math:`m \sim \text{Bernoulli}(1-p)`, drawn as
    ``rng.random(shape) < 1 - p``, so its expectation equals the evaluation-mode value
    and evaluation needs no rescaling. In a stack trained from one generator, each step
    draws one array of uniforms for the networks with dropout, in order (a stack of one
    network draws exactly what the network alone draws).

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
        self.n_networks = None
        self.params = {}
        for i, (fan_in, fan_out) in enumerate(zip(self.sizes, self.sizes[1:]), 1):
            self.params[f"W{i}"] = _init.draw_weights(family, distribution, fan_in,
                                                      fan_out, self._rng)
            self.params[f"b{i}"] = np.zeros(fan_out)

    # ---- stacks -----------------------------------------------------------------
    @classmethod
    def stack(cls, models, *, rng=None):
        """Put K networks of one architecture side by side as one stacked model.

        Parameters
        ----------
        models : sequence of MLP
            ``K >= 1`` single networks with the same ``sizes`` and activation. Their
            parameters are copied (the models are not changed); each keeps its own
            dropout rate.
        rng : None, int or numpy.random.Generator
            The stack's own generator, for dropout masks when no ``rng`` is passed.

        Returns
        -------
        MLP
            A stack: ``params["W1"]`` has shape ``(K, fan_in, fan_out)``,
            ``n_networks`` is K and ``dropout`` an array of K rates.

        Raises
        ------
        InvalidParameterError
            For an empty sequence, a stack inside it, or models of different
            architectures.

        Examples
        --------
        >>> import lkcourse as lk
        >>> nets = [lk.MLP([2, 8, 1], rng=s, dropout=p) for s, p in [(0, 0.0), (1, 0.5)]]
        >>> stack = lk.MLP.stack(nets)
        >>> stack.n_networks, stack.params["W1"].shape, stack.dropout.tolist()
        (2, (2, 2, 8), [0.0, 0.5])
        """
        owner = "MLP.stack"
        try:
            models = list(models) if not isinstance(models, MLP) else None
        except TypeError:
            models = None
        if (not models or not all(isinstance(m, MLP) for m in models)
                or any(m.n_networks is not None for m in models)):
            fail("models", owner, "a non-empty sequence of single networks (lk.MLP)",
                 models)
        first = models[0]
        if any(m.sizes != first.sizes or type(m.activation) is not type(first.activation)
               or m.activation != first.activation for m in models):
            fail("models", owner, "networks with the same sizes and activation", models)
        out = copy.copy(first)
        out.params = {k: np.stack([m.params[k] for m in models]) for k in first.params}
        out.n_networks = len(models)
        rates = np.array([m.dropout for m in models], dtype=np.float64)
        rates.flags.writeable = False
        out.dropout = rates
        out._rng = check_rng(rng, owner)
        return out

    def unstack(self):
        """Split a stack into its K networks (new single models, copied parameters).

        Returns
        -------
        list of MLP
            One network per entry of the stack, in order, each with its own dropout
            rate; a single network gives a list of one copy.

        Examples
        --------
        >>> import lkcourse as lk
        >>> stack = lk.MLP.stack([lk.MLP([2, 4, 1], rng=s) for s in range(3)])
        >>> [net.params["W1"].shape for net in stack.unstack()]
        [(2, 4), (2, 4), (2, 4)]
        """
        if self.n_networks is None:
            return [self.copy()]
        nets = []
        for k, child in enumerate(self._rng.spawn(self.n_networks)):
            net = copy.copy(self)
            net.params = {name: p[k].copy() for name, p in self.params.items()}
            net.n_networks, net.dropout, net._rng = None, float(self.dropout[k]), child
            nets.append(net)
        return nets

    @property
    def n_layers(self):
        """Number of weight layers (``len(sizes) - 1``)."""
        return len(self.sizes) - 1

    @property
    def n_params(self):
        """Number of scalar parameters (weights and biases) of one network."""
        return sum(p[0].size if self.n_networks else p.size
                   for p in self.params.values())

    def weight_names(self):
        """List the parameters that are weights (penalized), in layer order.

        Returns
        -------
        list of str
            ``["W1", "W2", ...]``: the names :func:`decay_weights_only` selects.

        Examples
        --------
        >>> import lkcourse as lk
        >>> lk.MLP([2, 3, 1], rng=0).weight_names()
        ['W1', 'W2']
        """
        return [name for name, w in self.params.items() if decay_weights_only(name, w)]

    def weight_entries(self):
        """Every entry of the weight matrices (never the biases), as one new array.

        Returns
        -------
        ndarray
            The entries of ``W1, W2, ...`` in layer order: 1-D for one network, shape
            ``(K, n_weights)`` for a stack (what a penalty acts on).

        Examples
        --------
        >>> import lkcourse as lk
        >>> lk.MLP([2, 3, 1], rng=0).weight_entries().shape   # 2*3 + 3*1
        (9,)
        """
        lead = () if self.n_networks is None else (self.n_networks,)
        return np.concatenate([self.params[name].reshape(lead + (-1,))
                               for name in self.weight_names()], axis=-1)

    def __repr__(self):
        name = getattr(self.activation, "name", type(self.activation).__name__)
        if self.n_networks is None:
            return (f"MLP(sizes={list(self.sizes)}, activation={name!r}, "
                    f"dropout={self.dropout})")
        return (f"MLP(sizes={list(self.sizes)}, activation={name!r}, "
                f"dropout={self.dropout.tolist()}, n_networks={self.n_networks})")

    def copy(self):
        """Return an independent copy (new parameter arrays and generator state).

        Returns
        -------
        MLP
            ``copy.deepcopy(self)``. Models also pickle (save a trained model, joblib
            sweeps).

        Examples
        --------
        >>> import lkcourse as lk
        >>> a = lk.MLP([2, 3, 1], rng=0)
        >>> b = a.copy()
        >>> b.params["W1"][0, 0] = 10.0
        >>> bool(a.params["W1"][0, 0] == 10.0)
        False
        """
        return copy.deepcopy(self)

    # ---- the engine: forward and backward on checked arrays ---------------------
    def _forward(self, X, rng=None, keep_post=False):
        """Outputs and the cache for backprop (:func:`lkcourse.engine.forward_pass`)."""
        return forward_pass(self, X, rng, keep_post)

    def backprop(self, X, y, loss, *, rng=None):
        """Data loss, its gradients and the outputs, on checked arrays (no checks).

        The training loop's step: :meth:`check_data` has validated the arrays once;
        :meth:`loss_and_grads` is the same computation with the checks and the
        penalty.

        Parameters
        ----------
        X : ndarray
            Inputs as returned by :meth:`check_data`.
        y : ndarray
            Targets as returned by :meth:`check_data`.
        loss : {"mse", "bce", "ce"}
            A canonical loss name.
        rng : None, numpy.random.Generator or list of Generator
            Dropout masks (training mode); None: evaluation mode. A stack also takes
            one generator per network.

        Returns
        -------
        loss : float or ndarray
            The batch-mean data loss (one per network for a stack).
        grads : dict of ndarray
            Its gradient for every parameter.
        out : ndarray
            The outputs of the pass.

        Examples
        --------
        >>> import numpy as np, lkcourse as lk
        >>> model = lk.MLP([2, 4, 1], rng=0)
        >>> X, y = model.check_data(np.ones((3, 2)), [0, 1, 1], loss="bce")
        >>> value, grads, out = model.backprop(X, y, "bce")
        >>> bool(np.isclose(value, model.loss_and_grads(X, [0, 1, 1], "bce")[0]))
        True
        """
        out, cache = forward_pass(self, X, rng)
        value, dout = _losses.data_loss(out, y, loss)
        return value, backward_pass(self, dout, cache), out

    def outputs(self, X):
        """Evaluation-mode outputs of checked inputs (no checks, no dropout).

        Parameters
        ----------
        X : ndarray
            Inputs as returned by :meth:`check_data`.

        Returns
        -------
        ndarray
            Shape ``(n, sizes[-1])``, or ``(K, n, sizes[-1])`` for a stack.

        Examples
        --------
        >>> import numpy as np, lkcourse as lk
        >>> model = lk.MLP([2, 4, 1], rng=0)
        >>> bool(np.array_equal(model.outputs(np.ones((3, 2))), model.forward(np.ones((3, 2)))))
        True
        """
        return self._forward(X)[0]

    def check_data(self, X, y=None, *, loss=None, owner="MLP.check_data",
                   names=("X", "y")):
        """Validate inputs (and targets) for this model; return them in engine layout.

        Parameters
        ----------
        X : array_like
            Shape ``(n, sizes[0])``; for a stack also ``(K, n, sizes[0])``, one data
            set per network.
        y : array_like or None
            Targets for ``loss`` (see :meth:`loss_and_grads`); for a stack also with a
            leading axis of K. None checks ``X`` alone.
        loss : {"mse", "half_mse", "bce", "ce"} or None
            The loss ``y`` is for (needed with ``y``).
        owner : str
            The public function named in error messages.
        names : tuple of str
            The names of the two arguments in error messages.

        Returns
        -------
        ndarray or tuple of ndarray
            ``X`` as float64, or ``(X, y)`` with ``y`` in the layout of
            ``lkcourse.losses.check_targets``.

        Raises
        ------
        InvalidParameterError
            For a wrong shape, NaN or inf, or labels outside the loss's range.

        Examples
        --------
        >>> import lkcourse as lk
        >>> X, y = lk.MLP([2, 4, 1], rng=0).check_data([[0.0, 1.0]], [1], loss="bce")
        >>> X.shape, y.shape
        ((1, 2), (1, 1))
        """
        K = self.n_networks
        X = check_array(X, names[0], owner, ndim=(2,) if K is None else (2, 3))
        if X.shape[-1] != self.sizes[0] or (X.ndim == 3 and X.shape[0] != K):
            shapes = f"(n, {self.sizes[0]})" + ("" if K is None else
                                                  f" or ({K}, n, {self.sizes[0]})")
            raise InvalidParameterError(
                f"The '{names[0]}' parameter of {owner} must have shape {shapes} "
                f"(sizes[0] = {self.sizes[0]} columns). Got an array of shape "
                f"{X.shape} instead.")
        if y is None:
            return X
        y = _losses.check_targets(y, _losses.loss_name(loss, owner), self.sizes[-1],
                                  X.shape[-2], owner, name=names[1], stack=K)
        return X, y

    def _dropout_rng(self, train, rng, owner):
        """Validate ``train`` and ``rng``; the dropout generator, or None when off."""
        check_flag(train, "train", owner)
        rng = None if rng is None else check_rng(rng, owner)
        if not train or not np.any(self.dropout > 0):
            return None
        return self._rng if rng is None else rng

    # ---- the public face --------------------------------------------------------
    def forward(self, X, *, train=False, rng=None):
        """Compute the network outputs (logits for classification).

        Parameters
        ----------
        X : array_like of shape (n, sizes[0])
            The inputs, one row per sample (a stack also takes ``(K, n, sizes[0])``).
        train : bool
            Training mode: apply dropout (if any). Evaluation mode (default) never does.
        rng : None, int or numpy.random.Generator
            Dropout masks in training mode; None uses the model's own generator.

        Returns
        -------
        ndarray
            Shape ``(n, sizes[-1])``, or ``(K, n, sizes[-1])`` for a stack.

        Examples
        --------
        >>> import numpy as np, lkcourse as lk
        >>> lk.MLP([2, 8, 3], rng=0).forward(np.ones((5, 2))).shape
        (5, 3)
        """
        X = self.check_data(X, owner="MLP.forward")
        return self._forward(X, self._dropout_rng(train, rng, "MLP.forward"))[0]

    def forward_trace(self, X, *, train=False, rng=None):
        r"""Run one forward pass that keeps every layer's pre-activations and activations.

        Parameters
        ----------
        X : array_like of shape (n, sizes[0])
            The inputs, one row per sample (a stack also takes ``(K, n, sizes[0])``).
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
            layer (None in evaluation mode, without dropout, and for the last layer;
            in a stack, ones for the networks without dropout).

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
        X = self.check_data(X, owner=owner)
        _, cache = self._forward(X, self._dropout_rng(train, rng, owner), keep_post=True)
        masks = []
        for _, _, A, mask in cache:
            if isinstance(mask, tuple):
                full = np.ones(A.shape)
                full[mask[0]] = mask[1]
                mask = full
            masks.append(mask)
        return ForwardTrace(pre=[c[1] for c in cache], post=[c[2] for c in cache],
                            masks=masks)

    def predict(self, X):
        """Compute evaluation-mode outputs, flattened when there is one output.

        Parameters
        ----------
        X : array_like of shape (n, sizes[0])
            The inputs (a stack also takes ``(K, n, sizes[0])``).

        Returns
        -------
        ndarray
            Shape ``(n,)`` with one output, else ``(n, sizes[-1])`` (a leading K for a
            stack).

        Examples
        --------
        >>> import numpy as np, lkcourse as lk
        >>> lk.MLP([2, 8, 1], rng=0).predict(np.ones((5, 2))).shape
        (5,)
        """
        out = self.forward(X)
        return out[..., 0] if self.sizes[-1] == 1 else out

    def predict_proba(self, X):
        """Compute class probabilities in evaluation mode.

        Parameters
        ----------
        X : array_like of shape (n, sizes[0])
            The inputs (a stack also takes ``(K, n, sizes[0])``).

        Returns
        -------
        ndarray
            ``sigmoid(logit)``, P(class 1), of shape ``(n,)`` with one output, else
            ``softmax`` over the outputs, shape ``(n, sizes[-1])`` (a leading K for a
            stack).

        Examples
        --------
        >>> import numpy as np, lkcourse as lk
        >>> p = lk.MLP([2, 8, 3], rng=0).predict_proba(np.ones((5, 2)))
        >>> p.shape, bool(np.allclose(p.sum(axis=1), 1))
        ((5, 3), True)
        """
        out = self.forward(X)
        if self.sizes[-1] == 1:
            return sigmoid(out[..., 0])
        return np.exp(log_softmax(out, axis=-1))

    def predict_class(self, X):
        """Predict int labels: ``logit > 0`` with one output, else the argmax.

        Parameters
        ----------
        X : array_like of shape (n, sizes[0])
            The inputs (a stack also takes ``(K, n, sizes[0])``).

        Returns
        -------
        ndarray of int
            Shape ``(n,)`` (``(K, n)`` for a stack).

        Examples
        --------
        >>> import numpy as np, lkcourse as lk
        >>> lk.MLP([2, 8, 3], rng=0).predict_class(np.ones((5, 2))).shape
        (5,)
        """
        return labels(self.forward(X))

    def loss_and_grads(self, X, y, loss="mse", penalty=None, *, train=False, rng=None):
        r"""Compute the batch-mean loss plus penalty, and its gradient for every parameter.

        Parameters
        ----------
        X : array_like of shape (n, sizes[0])
            The inputs (a stack also takes ``(K, n, sizes[0])``, one set per network).
        y : array_like
            ``"mse"``: shape ``(n, sizes[-1])`` (or ``(n,)`` with one output);
            ``"bce"``: labels in {0, 1}, shape ``(n,)``, one output (a logit);
            ``"ce"``: int labels in ``0 .. sizes[-1] - 1``, shape ``(n,)``. A stack
            also takes them with a leading axis of K.
        loss : {"mse", "half_mse", "bce", "ce"}
            ``"mse"`` and ``"half_mse"`` are the same loss, the *half* mean squared
            error (see Notes): ``lk.mse`` of the same outputs is twice as large.
        penalty : penalty object, sequence of them, or None
            Any penalty (e.g. ``lk.L2(1e-3)``), applied to each weight matrix ``W1,
            W2, ...`` and summed; biases are never penalized. A penalty with
            ``reduction="mean"`` is therefore a mean over each matrix's entries,
            *summed over the layers*: ``L2(lam, reduction="mean")`` adds ``lam *
            sum_l mean(W_l**2)``, not a mean over all the weights of the network. For
            a stack: one penalty for every network, or a list of K (None: none).
        train : bool
            Training mode (dropout on, if the model has any).
        rng : None, int or numpy.random.Generator
            Dropout masks in training mode; None uses the model's own generator.

        Returns
        -------
        loss : float or ndarray
            The loss (one per network, shape ``(K,)``, for a stack).
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

        Examples
        --------
        >>> import numpy as np, lkcourse as lk
        >>> model = lk.MLP([2, 4, 1], rng=0)
        >>> loss, grads = model.loss_and_grads(np.ones((3, 2)), [1.0, 2.0, 3.0])
        >>> sorted(grads), grads["W1"].shape
        (['W1', 'W2', 'b1', 'b2'], (2, 4))
        """
        owner = "MLP.loss_and_grads"
        loss = _losses.loss_name(loss, owner)
        X, y = self.check_data(X, y, loss=loss, owner=owner)
        rule = WeightPenalty(self, penalty, owner)
        rng = self._dropout_rng(train, rng, owner)
        value, grads, _ = self.backprop(X, y, loss, rng=rng)
        rule.add_grads(self.params, grads)
        return value + rule.values(self.params), grads


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
