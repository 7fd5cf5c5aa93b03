"""Explorer of a regularization path: coefficients against lam (chapters 2 and 3)."""
from __future__ import annotations

import numpy as np

from .. import linear as _linear
from .. import penalties as _pen
from .._validation import check_array, check_choice, check_same_length, fail
from ..explore import Explorer
from ._common import LAM, Once, check_grid, lam_text


_KINDS = {"lasso": lambda lam: _pen.L1(lam), "ridge": lambda lam: _pen.L2(lam),
          "elasticnet": lambda lam: _pen.ElasticNet(l1=lam / 2, l2=lam / 2)}


def compute_path(X, y, kind, lams):
    """Coefficients of the ``kind`` fit for each lam: an array (len(lams), n_features).

    ``kind`` is ``"lasso"`` (``L1(lam)``), ``"ridge"`` (``L2(lam)``) or ``"elasticnet"``
    (``ElasticNet(l1=lam/2, l2=lam/2)``); fitted by :func:`~lkcourse.regularization_path`
    with an unpenalized intercept.
    """
    return _linear.regularization_path(X, y, _KINDS[kind], list(lams))


def path_explorer(X, y, kind="lasso", *, lams=None, coef_true=None, initial=None):
    r"""Explore a regularization path: coefficients vs lam with a moving marker.

    Left: every coefficient against lam (log scale) with a vertical line at the current
    lam; right: the coefficients at that lam as bars (and the true ones as dots when
    ``coef_true`` is given). With several kinds, a control switches between them.

    Parameters
    ----------
    X : 2-D array (n, p)
        The design matrix.
    y : 1-D array (n,)
        The targets.
    kind : str or sequence of str
        ``"lasso"``, ``"ridge"``, ``"elasticnet"`` (see ``compute_path``).
    lams : sequence of float > 0, optional
        Default: 16 values log-spaced from :math:`\lambda_{\max}`, the smallest lam at
        which the lasso solution is all zeros, down to :math:`10^{-3}\lambda_{\max}`.
    coef_true : 1-D array (p,), optional
        The true coefficients, drawn as black marks over the bars.
    initial : dict, optional
        Starting values (default: the middle lam of the grid), e.g.
        ``{"lam": 0.1, "kind": "ridge"}``.

    Returns
    -------
    Explorer
        Control ``lam`` (and ``kind`` with several kinds); ``ex.data`` holds the
        whole ``path`` and the ``coef`` at the current lam.

    Examples
    --------
    >>> import numpy as np
    >>> import lkcourse as lk
    >>> X, y, coef = lk.datasets.sparse_regression(60, 8, 3, correlation=0.0, noise=0.1, rng=0)
    >>> ex = lk.path_explorer(X, y, "lasso")
    >>> ex.set(lam=ex.grids["lam"][0])    # lam_max: every coefficient is zero
    >>> bool(np.all(ex.data["coef"] == 0))
    True
    """
    owner = "path_explorer"
    X = check_array(X, "X", owner, ndim=2)
    y = check_array(y, "y", owner, ndim=1)
    check_same_length(X, y, "X", "y", owner)
    kinds = (kind,) if isinstance(kind, str) else tuple(kind)
    if not kinds:
        fail("kind", owner, "a kind name or a non-empty sequence of them", kind)
    kinds = tuple(check_choice(kd, "kind", owner, list(_KINDS)) for kd in kinds)
    n, p = X.shape
    if lams is None:
        lam_max = np.max(np.abs((X - X.mean(0)).T @ (y - y.mean()))) / n
        lams = tuple(float(v) for v in np.geomspace(lam_max, lam_max * 1e-3, 16))
    lams = tuple(sorted(check_grid(lams, "lams", owner, low=0, low_open=True), reverse=True))
    if coef_true is not None:
        coef_true = check_array(coef_true, "coef_true", owner, ndim=1)
        if coef_true.shape != (p,):
            fail("coef_true", owner, f"an array of shape ({p},)", coef_true)
    paths = {}

    def path(kd):
        if kd not in paths:
            paths[kd] = compute_path(X, y, kd, lams)
        return paths[kd]

    top = max(np.abs(path(kd)).max() for kd in kinds)
    if coef_true is not None:
        top = max(top, np.abs(coef_true).max())
    top *= 1.1
    idx = np.arange(1, p + 1)

    def setup(fig):
        ax1, ax2 = fig.subplots(1, 2)
        lines = [ax1.plot([], [], lw=1.4)[0] for _ in range(p)]
        vline = ax1.axvline(lams[0], color="k", lw=1.2)
        ax1.axhline(0, color="0.6", lw=0.8)
        lo, hi = min(lams), max(lams)
        ax1.set_xlim(lo / 2 if lo == hi else lo, hi * 2 if lo == hi else hi)  # before log
        ax1.set_xscale("log")
        ax1.set(ylim=(-top, top), xlabel="λ (log scale)", ylabel="coefficient")
        bars = ax2.bar(idx, np.zeros(p), color=[f"C{i % 10}" for i in range(p)])
        if coef_true is not None:
            ax2.plot(idx, coef_true, "k_", ms=12, mew=2, label="true")
            ax2.legend(fontsize=8)
        ax2.axhline(0, color="0.6", lw=0.8)
        ax2.set(ylim=(-top, top), xlabel="feature", ylabel="coefficient")
        if p <= 20:
            ax2.set_xticks(idx)
        return lines, vline, bars, fig.suptitle("")

    once = Once(setup)

    def draw(fig, data, lam, **kw):
        lines, vline, bars, title = once(fig)
        for j, line in enumerate(lines):
            line.set_data(lams, data["path"][:, j])
        vline.set_xdata([lam, lam])
        for bar, c in zip(bars, data["coef"]):
            bar.set_height(c)
        name = kw.get("kind", kinds[0])
        zeros = int(np.sum(data["coef"] == 0))
        title.set_text(f"{name}, {lam_text(lam)}: {zeros} of {p} coefficients exactly 0")
        return [*lines, vline, *bars, title]

    controls = {"lam": lams}
    if len(kinds) > 1:
        controls["kind"] = kinds

    def compute(lam, kind=kinds[0]):
        P = path(kind)
        return {"path": P, "coef": P[lams.index(lam)]}

    start = {"lam": lams[len(lams) // 2]}
    start.update(initial or {})
    return Explorer(compute, draw, controls, initial=start,
                    labels={"lam": LAM, **({"kind": "penalty"} if len(kinds) > 1 else {})},
                    title="Regularization path")
