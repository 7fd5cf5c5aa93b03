r"""Optimizers that reproduce PyTorch's update rules, in numpy.

Pure functions hold the math (:func:`sgd_update`, :func:`adam_update`: arrays in,
new arrays out, nothing mutated). Small classes (:class:`SGD`, :class:`SGDW`,
:class:`Adam`, :class:`AdamW`) keep the per-parameter state (momentum buffer, moments,
step count) and update a params dict in place with ``opt.step(params, grads)``;
``opt.state_of(name)`` shows one parameter's state (read-only copies).

As in PyTorch, the state belongs to the parameter *arrays*, not to their names: it is
keyed by the array's identity (``torch.optim`` keys it by the ``Parameter`` tensor).
Reusing an optimizer on a second model (new arrays under the same names) starts fresh
state for that model, exactly as a new optimizer would; calling ``step`` again on the
first model's arrays continues the first model's state. ``lk.train`` updates the
arrays in place, so a second ``train`` call on the same model continues its state.

Two ways to shrink weights, and the difference the course is about:

- **L2 through the gradient** (``SGD``, ``Adam``; PyTorch's ``weight_decay``
  argument of those two): the optimizer sees :math:`g + \lambda' w`, so the decay
  term goes through momentum and Adam's scaling.
- **Decoupled weight decay** (``SGDW``, ``AdamW``): :math:`w \leftarrow w - \eta
  \lambda' w` is applied directly, outside momentum and outside Adam's scaling.

For plain SGD the two coincide; with momentum or Adam they do not. Note the factor
2: a loss term ``lk.L2(lam)`` (:math:`\lambda \lVert w\rVert^2`) has gradient
:math:`2\lambda w`, so it equals ``weight_decay = 2 * lam``.

Every optimizer takes ``decay``, a predicate ``decay(name, array) -> bool`` choosing
the parameters that decay (default None: all of them, as in PyTorch). Pass
:func:`~lkcourse.decay_weights_only` to leave the biases alone.

Each step is the chain of :mod:`lkcourse.updates`: the decay predicate masks the
parameters, then the weight decay enters *before* the scaling (``SGD``, ``Adam``:
``l2_gradient``) or *after* it (``SGDW``, ``AdamW``:
``decoupled_decay``); that one choice, ``_decoupled`` in the
classes below, is what chapter 5 is about.

The optimizers work on stacks of networks unchanged (every rule is elementwise), and
``lr`` and ``weight_decay`` may be arrays, one value per network: an array of shape
``(K,)`` is aligned with the leading (stack) axis of every parameter, an array of
shape ``(A, B)`` with the two leading axes, and so on.
"""
from __future__ import annotations

import types
import weakref

import numpy as np

from ._validation import InvalidParameterError, check_array, check_real, fail
from .updates import adam_step, check_betas, sgd_step

__all__ = ["SGD", "SGDW", "Adam", "AdamW"]


def check_hyper(value, name, owner, **bounds):
    """A hyperparameter: a float in range, or an array of them (one per network of a
    stack, aligned with the leading axes of the parameters); arrays come back
    read-only."""
    if isinstance(value, (list, tuple, np.ndarray)):
        arr = check_array(value, name, owner, min_size=1)
        for entry in arr.ravel():
            check_real(float(entry), name, owner, **bounds)
        arr = arr.copy()
        arr.flags.writeable = False
        return arr
    return check_real(value, name, owner, **bounds)


def _aligned(value, w, name, owner):
    """``value`` (a float, or an array over w's leading axes) broadcastable to ``w``."""
    if value.__class__ is float:
        return value
    if value.ndim > w.ndim or value.shape != w.shape[:value.ndim]:
        raise InvalidParameterError(
            f"The '{name}' parameter of {owner} must be a float or an array matching the "
            f"leading axes of every parameter. Got an array of shape {value.shape} for "
            f"a parameter of shape {w.shape} instead.")
    return value.reshape(value.shape + (1,) * (w.ndim - value.ndim))


class _Optimizer:
    """Shared machinery: validation, the decay predicate, in-place ``step``, and the
    per-array state.

    State is keyed by the parameter array itself (its identity, held through a weak
    reference), as ``torch.optim`` keys its state by the ``Parameter`` tensor: the
    first step on an array starts its state, later steps on the *same* array continue
    it, and a step on another model's arrays (same names, new arrays) starts fresh
    state for them. An optimizer reused on a second model therefore never carries the
    first model's momentum. Copies and pickles keep the state by parameter name
    (like ``torch.optim.Optimizer.state_dict``): the first step after unpickling binds
    each name's saved state to the array stepped under that name.
    """

    _state_keys = ()  # the keys of state_of(name), in order

    def __init__(self, lr, weight_decay, decay):
        name = type(self).__name__
        self.lr = check_hyper(lr, "lr", name, low=0, low_open=True)
        self.weight_decay = check_hyper(weight_decay, "weight_decay", name, low=0)
        if decay is not None and not callable(decay):
            fail("decay", name, "None or a callable decay(name, array) -> bool", decay)
        self.decay = decay
        self.reset()

    def _wd(self, name, w):
        """The weight decay of parameter ``name``: 0 where the ``decay`` mask says no."""
        if self.decay is not None and not self.decay(name, w):
            return 0.0
        return _aligned(self.weight_decay, w, "weight_decay", type(self).__name__)

    def _lr(self, w):
        return _aligned(self.lr, w, "lr", type(self).__name__)

    def _state(self, name, w):
        """The live state dict of array ``w`` (stepped under ``name``); new if unseen."""
        key = id(w)
        slot = self._slots.get(key)
        if slot is None or slot[0]() is not w:  # unseen (or a dead array's reused id)
            self._slots = {k: v for k, v in self._slots.items() if v[0]() is not None}
            st = self._saved.pop(name, None)
            if st is not None and any(np.shape(a) != w.shape for a in st.values()
                                      if isinstance(a, np.ndarray)):
                st = None  # saved for a parameter of another shape: start afresh
            slot = self._slots[key] = (weakref.ref(w), name, st or {})
        self._latest[name] = key
        return slot[2]

    def _current(self):
        """name -> live state dict of the arrays last stepped under each name."""
        out = dict(self._saved)
        for name, key in self._latest.items():
            slot = self._slots.get(key)
            if slot is not None and slot[0]() is not None and slot[2]:
                out[name] = slot[2]
        return out

    @property
    def state(self):
        """The raw state, name -> dict, of the parameters last stepped under each name.

        Kept for compatibility; read :meth:`state_of` instead (documented keys,
        read-only copies)."""
        return self._current()

    def state_of(self, name):
        """Read-only view of the optimizer state of one parameter.

        Parameters
        ----------
        name : str
            A parameter name this optimizer has stepped, e.g. ``"W1"`` (the array
            stepped most recently under that name).

        Returns
        -------
        mapping
            A read-only mapping (``types.MappingProxyType``). :class:`SGD` and
            :class:`SGDW`: ``"momentum_buffer"`` (None without momentum, as in
            PyTorch). :class:`Adam` and :class:`AdamW`: ``"step"`` (int, the number of
            steps taken), ``"m"`` and ``"v"`` (first and second moment estimates).
            Arrays are read-only copies: later steps do not change them.

        Raises
        ------
        InvalidParameterError
            If ``name`` is not a string this optimizer has stepped.

        Examples
        --------
        >>> import numpy as np, lkcourse as lk
        >>> params = {"W1": np.array([1.0, -2.0])}
        >>> opt = lk.Adam(lr=0.1)
        >>> opt.step(params, {"W1": np.array([0.5, 0.5])})
        >>> st = opt.state_of("W1")
        >>> st["step"], st["m"]
        (1, array([0.05, 0.05]))
        """
        owner = f"{type(self).__name__}.state_of"
        current = self._current()
        known = sorted(set(current) | set(self._latest))
        if not isinstance(name, str) or name not in known:
            fail("name", owner, "the name of a parameter this optimizer has stepped ("
                 + (", ".join(repr(k) for k in known) or "none yet") + ")", name)
        st = current.get(name, {})
        view = {}
        for key in self._state_keys:
            value = st.get(self._internal.get(key, key))
            if isinstance(value, np.ndarray):
                value = value.copy()
                value.flags.writeable = False
            view[key] = value
        return types.MappingProxyType(view)

    _internal = {}  # public state key -> key in the raw state dict

    def step(self, params, grads):
        """Update every array of ``params`` in place from ``grads`` (same keys).

        Parameters
        ----------
        params : dict of str to ndarray
            The parameters, e.g. ``model.params``; each array is updated in place.
        grads : dict of str to array_like
            Their gradients, same keys and shapes.

        Raises
        ------
        InvalidParameterError
            If the keys or the shapes of ``grads`` differ from those of ``params``.
        """
        owner = f"{type(self).__name__}.step"
        if not isinstance(params, dict) or not all(
                isinstance(w, np.ndarray) and w.dtype.kind == "f" for w in params.values()):
            fail("params", owner, "a dict of name -> float ndarray (updated in place), "
                 "e.g. model.params", params)
        if not isinstance(grads, dict):
            fail("grads", owner, "a dict of name -> gradient array like params", grads)
        if params.keys() != grads.keys():
            raise InvalidParameterError(
                f"The 'grads' parameter of {owner} must have the same keys as 'params'. "
                f"Got {sorted(grads)} for params {sorted(params)} instead.")
        for name, w in params.items():
            g = grads[name]
            if np.shape(g) != w.shape:
                raise InvalidParameterError(
                    f"The 'grads' parameter of {type(self).__name__}.step must have "
                    f"the shapes of params. Got {np.shape(g)} for {name!r} of shape "
                    f"{w.shape} instead.")
            self._update(name, w, np.asarray(g, dtype=np.float64))

    def reset(self):
        """Forget the state (momentum buffers, moments, step counts)."""
        self._slots = {}   # id(array) -> (weakref to the array, name, state dict)
        self._latest = {}  # name -> id of the array last stepped under that name
        self._saved = {}   # name -> state restored by unpickling, bound on first step

    def __getstate__(self):
        out = {k: v for k, v in self.__dict__.items()
               if k not in ("_slots", "_latest", "_saved")}
        out["_saved"] = {name: {k: (v.copy() if isinstance(v, np.ndarray) else v)
                                for k, v in st.items()}
                         for name, st in self._current().items()}
        return out

    def __setstate__(self, state):
        saved = state.pop("_saved", {})
        self.__dict__.update(state)
        self.reset()
        self._saved = saved

    def __repr__(self):
        args = ", ".join(f"{k}={getattr(self, k)!r}" for k in self._shown)
        return f"{type(self).__name__}({args})"


class SGD(_Optimizer):
    r"""Stochastic gradient descent, exactly ``torch.optim.SGD``.

    Parameters
    ----------
    lr : float > 0, or array of them
        Learning rate (an array: one per network of a stack).
    momentum : float, 0 <= momentum < 1
        Momentum (heavy ball, dampening 0, no Nesterov, as PyTorch's defaults).
    weight_decay : float >= 0, or array of them
        L2 coefficient added to the gradient (:math:`g + \lambda' w`), before
        momentum. Equivalent to adding ``lk.L2(weight_decay / 2)`` to the loss.
    decay : callable or None
        ``decay(name, array) -> bool``: which params get ``weight_decay`` (default all).

    Notes
    -----
    See :func:`sgd_update` (``decoupled=False``) for the exact rule.

    Examples
    --------
    >>> import numpy as np, lkcourse as lk
    >>> params = {"W1": np.array([1.0, -2.0])}
    >>> opt = lk.SGD(lr=0.1, momentum=0.9)
    >>> for _ in range(2):
    ...     opt.step(params, {"W1": np.array([1.0, 1.0])})
    >>> params["W1"]           # steps of 0.1, then 0.1 * (0.9 + 1)
    array([ 0.71, -2.29])
    """

    _shown = ("lr", "momentum", "weight_decay")
    _decoupled = False

    def __init__(self, lr, momentum=0.0, weight_decay=0.0, *, decay=None):
        super().__init__(lr, weight_decay, decay)
        self.momentum = check_real(momentum, "momentum", type(self).__name__, low=0,
                                   high=1, high_open=True)

    _state_keys = ("momentum_buffer",)

    def _update(self, name, w, g):
        """One step of ``w`` in place (the chain of :func:`sgd_update`)."""
        st = self._state(name, w)
        _, buf = sgd_step(w, g, st.get("momentum_buffer"), self._lr(w), self.momentum,
                          self._wd(name, w), self._decoupled, inplace=True)
        if buf is not None:
            st["momentum_buffer"] = buf


class SGDW(SGD):
    r"""SGD with decoupled weight decay (Loshchilov and Hutter's SGDW).

    Parameters
    ----------
    lr : float > 0, or array of them
        Learning rate (an array: one per network of a stack).
    momentum : float, 0 <= momentum < 1
        Momentum, applied to the raw gradient only.
    weight_decay : float >= 0, or array of them
        Decoupled decay: :math:`w \leftarrow w - \eta\lambda' w`, outside the buffer.
    decay : callable or None
        ``decay(name, array) -> bool``: which params decay (default all).

    Notes
    -----
    Order of one step (see :func:`sgd_update` with ``decoupled=True``): update the
    buffer with the raw gradient, then :math:`w \leftarrow w\,(1 - \eta\lambda') - \eta
    b` (the decoupled decay of :class:`AdamW`, PyTorch's formula); both terms use the
    weights from before the step. Without momentum this is :class:`SGD` with the same
    ``weight_decay`` (to round-off); with momentum it is not. PyTorch
    has no SGDW; with a constant learning rate this is the paper's Algorithm 1
    (their :math:`\eta` sits inside the buffer, which only matters for schedules).

    Examples
    --------
    >>> import numpy as np, lkcourse as lk
    >>> params = {"W1": np.array([1.0])}
    >>> lk.SGDW(lr=0.1, weight_decay=0.5).step(params, {"W1": np.array([0.0])})
    >>> params["W1"]           # 1 - 0.1 * 0.5 * 1
    array([0.95])
    """

    _decoupled = True


class Adam(_Optimizer):
    r"""Adam, exactly ``torch.optim.Adam`` (``amsgrad=False``).

    Parameters
    ----------
    lr : float > 0, or array of them
        Learning rate (an array: one per network of a stack).
    betas : (float, float), each in [0, 1)
        Decay rates of the first and second moment estimates.
    eps : float, > 0
        Added to the bias-corrected :math:`\sqrt{\hat v}`.
    weight_decay : float >= 0, or array of them
        L2 coefficient added to the gradient *before* the moments, so it is rescaled
        by Adam like the gradient (this is not weight decay; see :class:`AdamW`).
    decay : callable or None
        ``decay(name, array) -> bool``: which params get ``weight_decay`` (default all).

    Notes
    -----
    See :func:`adam_update` for the exact rule. The step count is kept per parameter,
    as PyTorch does.

    Examples
    --------
    >>> import numpy as np, lkcourse as lk
    >>> params = {"W1": np.array([1.0, 1.0])}
    >>> lk.Adam(lr=0.01).step(params, {"W1": np.array([5.0, -0.1])})
    >>> np.round(params["W1"], 6)       # the first step moves each coordinate by lr
    array([0.99, 1.01])
    """

    _shown = ("lr", "betas", "eps", "weight_decay")
    _decoupled = False

    def __init__(self, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0, *,
                 decay=None):
        super().__init__(lr, weight_decay, decay)
        name = type(self).__name__
        self.betas = check_betas(betas, name)
        self.eps = check_real(eps, "eps", name, low=0, low_open=True)

    _state_keys = ("step", "m", "v")
    _internal = {"step": "t"}  # the raw dict keeps "t" (chapter 5 reads opt.state)

    def _update(self, name, w, g):
        """One step of ``w`` in place (the chain of :func:`adam_update`)."""
        st = self._state(name, w)
        if not st:
            st.update(t=0, m=np.zeros_like(w), v=np.zeros_like(w))
        st["t"] += 1
        adam_step(w, g, st["m"], st["v"], st["t"], self._lr(w), self.betas, self.eps,
                  self._wd(name, w), self._decoupled, inplace=True)


class AdamW(Adam):
    r"""Adam with decoupled weight decay, exactly ``torch.optim.AdamW``.

    Parameters
    ----------
    lr : float > 0, or array of them
        Learning rate (an array: one per network of a stack).
    betas : (float, float), each in [0, 1)
        Decay rates of the moment estimates.
    eps : float, > 0
        Added to the bias-corrected :math:`\sqrt{\hat v}`.
    weight_decay : float >= 0, or array of them
        Decoupled decay, default 0.01 as in PyTorch: each step first does
        :math:`w \leftarrow w (1 - \eta\lambda')`, then the Adam step on the raw
        gradient.
    decay : callable or None
        ``decay(name, array) -> bool``: which params decay (default all).

    Notes
    -----
    See :func:`adam_update` with ``decoupled=True``. The decay is multiplied by
    ``lr`` (PyTorch's convention), unlike the paper's schedule multiplier.

    Examples
    --------
    >>> import numpy as np, lkcourse as lk
    >>> params = {"W1": np.array([2.0]), "b1": np.array([2.0])}
    >>> opt = lk.AdamW(lr=0.1, weight_decay=0.5, decay=lk.decay_weights_only)
    >>> opt.step(params, {"W1": np.array([0.0]), "b1": np.array([0.0])})
    >>> params                 # W1: 2 * (1 - 0.1 * 0.5); b1 untouched
    {'W1': array([1.9]), 'b1': array([2.])}
    """

    _decoupled = True

    def __init__(self, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=1e-2, *,
                 decay=None):
        super().__init__(lr, betas, eps, weight_decay, decay=decay)
