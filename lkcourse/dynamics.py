"""Dynamics of a single weight under a penalty: gradient steps versus proximal steps.

Exported at the top level as ``lk.simulate_weight``. The chapters use it to show why L1 gradient descent jitters
around 0 while the proximal step lands exactly on it, why k = 1/2 flips sign, and why
k = 3 stalls.
"""
from __future__ import annotations

import numpy as np

from ._validation import check_choice, check_real, fail

__all__ = ["simulate_weight"]


def simulate_weight(penalty, w0, *, lr, steps, method="gd", target=None):
    r"""Simulate one scalar weight under gradient or proximal steps of a penalty.

    Parameters
    ----------
    penalty : Penalty
        For example ``lk.L1(0.1)``; any object with ``grad(w)`` and ``prox(v, step)``.
    w0 : float (finite)
        Starting weight.
    lr : float, > 0 (finite)
        Step size :math:`\eta`.
    steps : int, >= 0
        Number of steps.
    method : {"gd", "prox"}
        ``"gd"``: :math:`w \leftarrow w - \eta (\ell'(w) + R'(w))` with
        ``penalty.grad``; ``"prox"``: :math:`w \leftarrow \operatorname{prox}_{\eta
        R}(w - \eta \ell'(w))` (proximal gradient).
    target : float or None
        ``None``: the penalty alone (:math:`\ell = 0`). A float: the loss
        :math:`\ell(w) = \tfrac12 (w - \mathrm{target})^2` is added.

    Returns
    -------
    ndarray
        ``steps + 1`` floats :math:`w_0, \dots, w_{\mathrm{steps}}`. If the iterates
        overflow they continue as inf/NaN (no warning).

    Examples
    --------
    >>> import numpy as np, lkcourse as lk
    >>> lk.simulate_weight(lk.L2(0.5), 1.0, lr=0.5, steps=3)       # w *= 1 - 2*lr*lam
    array([1.   , 0.5  , 0.25 , 0.125])
    >>> lk.simulate_weight(lk.L1(0.5), 1.0, lr=0.5, steps=5, method="prox")
    array([1.  , 0.75, 0.5 , 0.25, 0.  , 0.  ])
    >>> np.round(lk.simulate_weight(lk.L1(0.5), 0.1, lr=0.5, steps=4), 2)  # GD jitters
    array([ 0.1 , -0.15,  0.1 , -0.15,  0.1 ])
    """
    owner = "simulate_weight"
    if isinstance(penalty, type) or not (callable(getattr(penalty, "grad", None))
                                         and callable(getattr(penalty, "prox", None))):
        fail("penalty", owner, "a penalty object such as lk.L1(0.1) (with grad and prox)",
             penalty)
    w = check_real(w0, "w0", owner)
    lr = check_real(lr, "lr", owner, low=0, low_open=True)
    steps = check_real(steps, "steps", owner, low=0, integer=True)
    method = check_choice(method, "method", owner, ["gd", "prox"])
    if target is not None:
        target = check_real(target, "target", owner)
    out = np.empty(steps + 1)
    out[0] = w
    with np.errstate(over="ignore", invalid="ignore"):
        for i in range(steps):
            loss_grad = 0.0 if target is None else w - target
            if method == "gd":
                w = w - lr * (loss_grad + float(penalty.grad(w)))
            elif np.isfinite(w):
                w = float(penalty.prox(w - lr * loss_grad, lr))
            out[i + 1] = w
    return out
