r"""The one engine: the forward and backward pass of an MLP, one network or a stack.

The functions work on the arrays of a model (``model.params``, ``model.activation``,
``model.dropout``, ``model.n_networks``) that the callers have checked. Every parameter
of a stack of K networks has a leading axis of K; ``@`` broadcasts over it and every
other operation is written for any leading axes (``swapaxes(-1, -2)``, ``sum(axis=-2)``),
so one code path serves one network and K networks. :class:`~lkcourse.MLP` is the public
face of this module (``forward``, ``loss_and_grads``, ``backprop``); ``lk.train`` calls
it through ``MLP.backprop``.
"""
from __future__ import annotations

import numpy as np

__all__: list[str] = []


def drop_plan(model):
    """``(idx, keep)``: the networks of a stack with dropout and their keep
    probabilities, shape ``(len(idx), 1, 1)``."""
    idx = np.flatnonzero(model.dropout > 0)
    return idx, (1.0 - model.dropout[idx])[:, None, None]


def dropped(model, A, rng, inplace):
    """Inverted dropout of the hidden activations ``A``: ``(H, mask)``.

    ``rng`` is one generator (a stack draws one array for the networks with
    dropout) or, for a stack, a list of K generators (each network draws its own
    masks, exactly as it would alone). ``inplace``: ``A`` may be overwritten."""
    if model.n_networks is None:
        keep = 1.0 - model.dropout
        mask = (rng.random(A.shape) < keep) / keep
        if inplace:
            A *= mask
            return A, mask
        return A * mask, mask
    idx, keep = drop_plan(model)
    if isinstance(rng, list):
        u = np.stack([rng[k].random(A.shape[1:]) for k in idx])
    else:
        u = rng.random((idx.size,) + A.shape[1:])
    mask = (u < keep) / keep
    H = A if inplace else A.copy()
    if idx.size == model.n_networks:
        H *= mask
        return H, mask
    H[idx] *= mask
    return H, (idx, mask)


def forward_pass(model, X, rng=None, keep_post=False):
    """Outputs and the cache for backprop; dropout on iff ``rng`` is given.

    ``cache[l]`` is ``(H, Z, A, mask)`` for layer ``l + 1``: its input ``H``, its
    pre-activation ``Z = H W + b``, ``A = act(Z)`` (``Z`` itself for the last
    layer; with ``keep_post`` False it may hold the dropped activations) and the
    dropout mask applied to ``A`` (None when off; ``(idx, mask)`` when only the
    networks ``idx`` of a stack drop)."""
    cache, H = [], X
    params, act, last = model.params, model.activation, len(model.sizes) - 1
    drop = rng is not None and np.any(model.dropout > 0)
    for layer in range(1, last + 1):
        Z = H @ params[f"W{layer}"]
        Z += params[f"b{layer}"][..., None, :]
        if layer == last:
            cache.append((H, Z, Z, None))
            return Z, cache
        A = act.f(Z)
        H_in, H, mask = H, A, None
        if drop:
            H, mask = dropped(model, A, rng, inplace=not keep_post)
        cache.append((H_in, Z, A, mask))


def backward_pass(model, dout, cache):
    """Gradients of every parameter given ``dout`` = d loss / d outputs."""
    grads, delta = {}, dout
    params, act = model.params, model.activation
    for layer in range(len(cache), 0, -1):
        H = cache[layer - 1][0]
        grads[f"W{layer}"] = H.swapaxes(-1, -2) @ delta
        grads[f"b{layer}"] = delta.sum(axis=-2)
        if layer > 1:
            _, Z, _, mask = cache[layer - 2]
            dH = delta @ params[f"W{layer}"].swapaxes(-1, -2)
            if isinstance(mask, tuple):
                dH[mask[0]] *= mask[1]
            elif mask is not None:
                dH *= mask
            dH *= act.df(Z)
            delta = dH
    return {name: grads[name] for name in params}
