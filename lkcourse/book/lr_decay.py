r"""Learning rate x weight decay: the experiments of the weight-decay chapter.

A grid of learning rates and decay coefficients, trained for every cell at once, shows
which pairs of hyperparameters are interchangeable: with a scale-invariant loss SGD+L2
depends on the product :math:`\eta c` (diagonal level sets), decoupled decay on the per-step
fraction :math:`\delta` alone (separable). The module holds the pieces:

- :func:`toy_data` and :func:`toy_loss_grad`: a linear classifier whose weight vector is
  normalized before use (scale invariant), or plain logistic regression;
- :func:`run_grid`: SGD+L2, SGDW, Adam+L2 and AdamW on every (seed, lr, decay) cell, as
  one array computation whose steps are those of :class:`SGD`, :class:`SGDW`,
  :class:`Adam` and :class:`AdamW`;
- :func:`explained`: how much of the variance of the log loss a grouping of the cells
  (anti-diagonals, columns) explains;
- :func:`lr_decay_heatmaps`: one heatmap panel per method.

The decay probe ("who gets decayed" under each optimizer) is in
:mod:`lkcourse.book.probe`.
"""
from __future__ import annotations

import numpy as np

from .._validation import (check_array, check_choice, check_int, check_real, check_rng,
                           check_seeds, fail)
from ..datasets import sparse_regression, train_test_split
from ..optim import SGD, SGDW, Adam, AdamW

__all__ = ["toy_data", "toy_loss_grad", "run_grid", "explained", "lr_decay_heatmaps"]

KINDS = ("SGD + L2", "SGDW", "Adam + L2", "AdamW")
"""The four methods of :func:`run_grid`: L2 in the gradient, or decoupled decay."""



# ------------------------------------------------------------------------ the toy
def toy_data(seeds, n_train, *, n_test=4000):
    r"""Train/test data of the scale-invariant toy, one data set per seed.

    20 Gaussian features; the label is 1 where a sparse linear signal (5 informative
    features, :func:`lkcourse.datasets.sparse_regression` with ``noise=1.0``) is positive.
    Seed ``s`` draws its data and its split with ``rng=s``.

    Parameters
    ----------
    seeds : int or sequence of int
        ``n`` (seeds ``0..n-1``) or distinct ints >= 0.
    n_train, n_test : int
        Training and test points per seed (>= 1).

    Returns
    -------
    list of ndarray
        ``[X_tr, X_te, y_tr, y_te]`` of shapes ``(seeds, n_train, 20)``,
        ``(seeds, n_test, 20)``, ``(seeds, n_train)``, ``(seeds, n_test)``.

    Examples
    --------
    >>> import numpy as np, lkcourse as lk
    >>> X_tr, X_te, y_tr, y_te = lk.book.toy_data([0, 1], 40, n_test=100)
    >>> X_tr.shape, y_te.shape, np.unique(y_tr).tolist()
    ((2, 40, 20), (2, 100), [0.0, 1.0])
    """
    owner = "toy_data"
    seeds = check_seeds(seeds, owner)
    n_train = check_int(n_train, "n_train", owner, 1)
    n_test = check_int(n_test, "n_test", owner, 1)
    parts = []
    for seed in seeds:
        X, signal, _ = sparse_regression(n_train + n_test, 20, 5, noise=1.0, rng=seed)
        parts.append(train_test_split(X, (signal > 0).astype(float),
                                      test_size=n_test / (n_train + n_test), rng=seed))
    return [np.stack(arrays) for arrays in zip(*parts)]


def _loss_grad(W, X, y, normalized, gamma, with_loss):
    norms = np.linalg.norm(W, axis=-1, keepdims=True)             # (..., K, 1)
    scale = gamma / norms if normalized else np.ones_like(norms)
    Z = (X @ np.swapaxes(W, -1, -2)) * np.swapaxes(scale, -1, -2)  # (..., n, K) logits
    loss = np.mean(np.logaddexp(0, Z) - y[..., None] * Z, axis=-2) if with_loss else None
    dZ = (0.5 * (1 + np.tanh(Z / 2)) - y[..., None]) / y.shape[-1]  # sigmoid - y
    G = (np.swapaxes(dZ, -1, -2) @ X) * scale                       # (..., K, p)
    if normalized:                     # remove the radial part: G is orthogonal to w
        G = G - np.sum(G * W, axis=-1, keepdims=True) * W / norms**2
    return loss, G


def toy_loss_grad(W, X, y, *, normalized=True, gamma=4.0, with_loss=True):
    r"""Mean binary cross-entropy and its gradient for each row of ``W``.

    With ``normalized=True`` the logit is :math:`z = \gamma\,x^\top w/\lVert w\rVert`
    (a linear unit followed by normalization), so the loss is scale invariant,
    :math:`L(aw) = L(w)` for :math:`a > 0`, and the gradient
    :math:`\frac{\gamma}{\lVert w\rVert}(I - \hat w\hat w^\top)\frac1n\sum_i
    (\sigma(z_i) - y_i)x_i` is orthogonal to :math:`w`. With ``normalized=False`` it is
    ordinary logistic regression, :math:`z = x^\top w`.

    Parameters
    ----------
    W : array_like, shape (..., K, p)
        ``K`` weight vectors (nonzero when normalized), optionally stacked.
    X : array_like, shape (..., n, p)
        Features (leading axes broadcast against ``W``'s).
    y : array_like, shape (..., n)
        Labels in {0, 1}.
    normalized : bool
        Normalize the weight vector before use.
    gamma : float
        Fixed gain of the normalized logit (> 0).
    with_loss : bool
        Also return the loss (False saves its cost).

    Returns
    -------
    loss : ndarray of shape (..., K), or None
        Mean binary cross-entropy of each weight vector (None if not ``with_loss``).
    grad : ndarray of shape (..., K, p)
        Its gradient with respect to each weight vector.

    Examples
    --------
    >>> import numpy as np, lkcourse as lk
    >>> X, y = np.array([[1.0, 0.0], [0.0, 1.0]]), np.array([1.0, 0.0])
    >>> w = np.array([[1.0, 1.0]])
    >>> loss, g = lk.book.toy_loss_grad(w, X, y)
    >>> bool(np.isclose(lk.book.toy_loss_grad(3 * w, X, y)[0][0], loss[0]))  # L(3w) = L(w)
    True
    >>> float(abs(g[0] @ w[0])) < 1e-15                                  # orthogonal to w
    True
    """
    owner = "toy_loss_grad"
    W = check_array(W, "W", owner, ndim=tuple(range(2, 8)))
    X = check_array(X, "X", owner, ndim=tuple(range(2, 8)))
    y = check_array(y, "y", owner, ndim=tuple(range(1, 7)))
    if X.shape[-1] != W.shape[-1]:
        fail("X", owner, f"an array with {W.shape[-1]} columns (as W)",
             f"an array of shape {X.shape}")
    if y.shape[-1] != X.shape[-2] or not np.all((y == 0) | (y == 1)):
        fail("y", owner, f"labels in {{0, 1}}, {X.shape[-2]} per data set (as X)",
             f"an array of shape {y.shape}")
    if not isinstance(normalized, (bool, np.bool_)):
        fail("normalized", owner, "True or False", normalized)
    gamma = check_real(gamma, "gamma", owner, low=0, low_open=True)
    if not isinstance(with_loss, (bool, np.bool_)):
        fail("with_loss", owner, "True or False", with_loss)
    if normalized and np.any(np.linalg.norm(W, axis=-1) == 0):
        fail("W", owner, "nonzero rows when normalized=True", "a zero row")
    return _loss_grad(W, X, y, bool(normalized), gamma, bool(with_loss))


# ----------------------------------------------------------------------- the grid
def run_grid(kind, lrs, decays, X, y, w0, *, steps, normalized=True, batch_size=16,
             momentum=0.9, rng=None):
    r"""Train the toy on every (seed, learning rate, decay) cell at once.

    Every cell runs ``steps`` steps of one method from its seed's start ``w0``, on its
    seed's data, with the mini-batches drawn from ``rng`` (the same batch indices for
    all cells of a seed). The decay is, per ``kind``:

    - ``"SGD + L2"``: the L2 gradient coefficient :math:`c` (``lk.SGD(lr, momentum,
      weight_decay=c)``);
    - ``"Adam + L2"``: the same, with Adam (``lk.Adam(lr, weight_decay=c)``);
    - ``"SGDW"``, ``"AdamW"``: the per-step decay fraction :math:`\delta` of the paper's
      parametrization (``lk.SGDW(lr, momentum, weight_decay=delta / lr)``,
      ``lk.AdamW(lr, weight_decay=delta / lr)``).

    The cells are one stack for the optimizer objects above: one optimizer whose ``lr``
    and ``weight_decay`` hold one value per cell (arrays over the leading axes of the
    weights) takes every cell's step, so where the decay enters (the gradient or the
    weights) is the optimizer's own rule, :mod:`lkcourse.updates`; the test suite checks
    cells against single optimizer objects.

    Parameters
    ----------
    kind : {"SGD + L2", "SGDW", "Adam + L2", "AdamW"}
        The method (see above).
    lrs : array_like, shape (I,)
        Learning rates (> 0).
    decays : array_like, shape (J,)
        L2 coefficients (>= 0) or per-step fractions (in [0, 1)).
    X : array_like, shape (S, n, p)
        One training set per seed.
    y : array_like, shape (S, n)
        Its labels in {0, 1}.
    w0 : array_like, shape (S, p)
        One start per seed (nonzero when normalized).
    steps : int
        Number of steps (>= 0).
    normalized : bool
        Scale-invariant toy (True) or logistic regression (False); see
        :func:`toy_loss_grad`.
    batch_size : int or None
        Mini-batch size (drawn with replacement), or None for full batch.
    momentum : float
        SGD's momentum in [0, 1) (Adam uses its default betas).
    rng : None, int, numpy.random.Generator, or a list of them
        Draws the mini-batch indices: one stream for all data sets, or a list with
        one stream per data set (then each data set's cells do not depend on which
        other data sets are stacked with it).

    Returns
    -------
    ndarray of shape (S, I, J, p)
        The final weights of every cell.

    Examples
    --------
    >>> import numpy as np, lkcourse as lk
    >>> X_tr, _, y_tr, _ = lk.book.toy_data([0], 200, n_test=10)
    >>> w0 = np.ones((1, 20)) / np.sqrt(20)
    >>> W = lk.book.run_grid("SGDW", [0.01, 0.1], [1e-3, 1e-2, 1e-1], X_tr, y_tr, w0,
    ...                      steps=20, rng=0)
    >>> W.shape
    (1, 2, 3, 20)
    >>> opt = lk.SGDW(0.1, momentum=0.9, weight_decay=1e-2 / 0.1)  # one cell, by hand
    >>> p, batches = {"w": w0[0].copy()}, np.random.default_rng(0)
    >>> for _ in range(20):
    ...     idx = batches.integers(0, 200, (1, 16))[0]
    ...     opt.step(p, {"w": lk.book.toy_loss_grad(p["w"][None], X_tr[0, idx], y_tr[0, idx])[1][0]})
    >>> bool(np.allclose(W[0, 1, 1], p["w"], rtol=1e-12, atol=0))
    True
    """
    owner = "run_grid"
    kind = check_choice(kind, "kind", owner, KINDS)
    decoupled = not kind.endswith("L2")
    lrs = check_array(lrs, "lrs", owner, ndim=1)
    if np.any(lrs <= 0):
        fail("lrs", owner, "a 1-D array of learning rates > 0", lrs)
    decays = check_array(decays, "decays", owner, ndim=1)
    if np.any(decays < 0) or (decoupled and np.any(decays >= 1)):
        fail("decays", owner, "a 1-D array of per-step fractions in [0, 1)" if decoupled
             else "a 1-D array of L2 coefficients >= 0", decays)
    X = check_array(X, "X", owner, ndim=3)
    y = check_array(y, "y", owner, ndim=2)
    w0 = check_array(w0, "w0", owner, ndim=2)
    n_seeds, n, p = X.shape
    if y.shape != (n_seeds, n) or not np.all((y == 0) | (y == 1)):
        fail("y", owner, f"labels in {{0, 1}} of shape {(n_seeds, n)} (as X)",
             f"an array of shape {y.shape}")
    if w0.shape != (n_seeds, p):
        fail("w0", owner, f"an array of shape {(n_seeds, p)} (one start per data set)",
             f"an array of shape {w0.shape}")
    steps = check_int(steps, "steps", owner, 0)
    if not isinstance(normalized, (bool, np.bool_)):
        fail("normalized", owner, "True or False", normalized)
    if normalized and np.any(np.linalg.norm(w0, axis=1) == 0):
        fail("w0", owner, "nonzero rows when normalized=True", "a zero row")
    if batch_size is not None:
        batch_size = check_int(batch_size, "batch_size", owner, 1, "None or an int >= 1")
    momentum = check_real(momentum, "momentum", owner, low=0, high=1, high_open=True)
    if isinstance(rng, (list, tuple)):
        if len(rng) != n_seeds:
            fail("rng", owner, f"one stream, or a list of {n_seeds} (one per data set)",
                 rng)
        streams = [check_rng(r, owner) for r in rng]
    else:
        batches = check_rng(rng, owner)

    shape = (n_seeds, len(lrs), len(decays))
    LR = np.broadcast_to(lrs[:, None], shape)           # one value per cell
    D = np.broadcast_to(decays, shape)
    if kind == "SGD + L2":
        opt = SGD(LR, momentum=momentum, weight_decay=D)
    elif kind == "SGDW":
        opt = SGDW(LR, momentum=momentum, weight_decay=D / LR)
    elif kind == "Adam + L2":
        opt = Adam(LR, weight_decay=D)
    else:
        opt = AdamW(LR, weight_decay=D / LR)
    params = {"w": np.broadcast_to(w0[:, None, None], shape + (p,)).copy()}
    seeds_ = np.arange(n_seeds)[:, None]
    for _ in range(steps):
        if batch_size:
            if isinstance(rng, (list, tuple)):
                idx = np.stack([b.integers(0, n, batch_size) for b in streams])
            else:
                idx = batches.integers(0, n, (n_seeds, batch_size))
            Xb, yb = X[seeds_, idx], y[seeds_, idx]
        else:
            Xb, yb = X, y
        W = params["w"]
        G = _loss_grad(W.reshape(n_seeds, -1, p), Xb, yb, bool(normalized), 4.0,
                       False)[1].reshape(W.shape)
        opt.step(params, {"w": G})
    return params["w"]


def explained(Z, labels, adjusted=False):
    r"""Share of the variance of ``log(Z)`` explained by grouping the cells by ``labels``.

    The fit replaces each cell by the mean of ``log(Z)`` over the cells with the same
    label; the statistic is :math:`R^2 = 1 - \mathrm{SS}_\mathrm{res}/\mathrm{SS}_\mathrm{tot}`
    (1: ``log(Z)`` is a function of the label; 0: the label tells nothing). On a grid
    with ``i, j = np.indices(Z.shape)``, ``labels=i + j`` tests a function of the
    product of the two axes (anti-diagonals), ``labels=j`` of the column alone.

    More groups explain more by chance: with :math:`N` cells in :math:`G` groups and
    no structure at all, :math:`R^2` averages :math:`(G-1)/(N-1)` (0.29 for the 11
    anti-diagonals of a 6 x 6 grid, 0.14 for its 6 columns). ``adjusted=True``
    returns the adjusted :math:`R^2 = 1 - \frac{\mathrm{SS}_\mathrm{res}/(N-G)}
    {\mathrm{SS}_\mathrm{tot}/(N-1)}`, which averages 0 in that case whatever
    :math:`G`, so groupings of different sizes compare fairly.

    Parameters
    ----------
    Z : array_like
        Positive values (test losses), not all equal.
    labels : array_like
        Group label of every cell, same shape as ``Z``.
    adjusted : bool, default False
        Return the adjusted :math:`R^2` (needs fewer groups than cells).

    Returns
    -------
    float
        The share of the variance explained, at most 1 (the adjusted one can be
        negative).

    Examples
    --------
    >>> import numpy as np, lkcourse as lk
    >>> i, j = np.indices((3, 3))
    >>> Z = np.exp(i + j)                     # a function of i + j
    >>> round(lk.book.explained(Z, i + j), 12), round(lk.book.explained(Z, j), 3)
    (1.0, 0.5)
    >>> round(lk.book.explained(Z, j, adjusted=True), 3)    # 1 - 0.5 * 8 / 6
    0.333
    """
    owner = "explained"
    Z = check_array(Z, "Z", owner)
    if np.any(Z <= 0):
        fail("Z", owner, "an array of positive values", Z)
    L = np.log(Z)
    if np.all(L == L.flat[0]):
        fail("Z", owner, "an array whose values are not all equal", Z)
    labels = np.asarray(labels)
    if labels.shape != Z.shape:
        fail("labels", owner, f"an array of shape {Z.shape} (as Z)",
             f"an array of shape {labels.shape}")
    if not isinstance(adjusted, (bool, np.bool_)):
        fail("adjusted", owner, "True or False", adjusted)
    groups = np.unique(labels)
    if adjusted and len(groups) >= L.size:
        fail("labels", owner, "fewer groups than cells (adjusted=True)", labels)
    fit = np.zeros_like(L)
    for value in groups:
        fit[labels == value] = L[labels == value].mean()
    ratio = np.sum((L - fit) ** 2) / np.sum((L - L.mean()) ** 2)
    if adjusted:
        ratio *= (L.size - 1) / (L.size - len(groups))
    return float(1 - ratio)


def lr_decay_heatmaps(grids, axes_labels, title_suffix=None):
    r"""One heatmap per method: :math:`\log_{10}` (test loss / best test loss of the panel).

    Rows are learning rates, columns decays; a red dot marks each row's best decay.

    Parameters
    ----------
    grids : dict
        Method name (one of "SGD + L2", "SGDW", "Adam + L2", "AdamW") -> positive array of shape (I, J); an even
        number of panels, drawn two per row.
    axes_labels : dict
        Method name -> ``(lrs, decays)`` of lengths I and J, for the tick labels.
    title_suffix : dict or None
        Method name -> text appended to its panel's title.

    Returns
    -------
    matplotlib.figure.Figure
        The figure, with a shared colour bar.

    Examples
    --------
    >>> import numpy as np, lkcourse as lk
    >>> lrs, d = np.logspace(-2, 0, 3), np.logspace(-3, -1, 3)
    >>> i, j = np.indices((3, 3))
    >>> fig = lk.book.lr_decay_heatmaps({"SGD + L2": np.exp(0.1 * (i + j)), "SGDW": np.exp(0.1 * j)},
    ...                            {"SGD + L2": (lrs, d), "SGDW": (lrs, d)})
    >>> [ax.get_title() for ax in fig.axes[:2]]
    ['SGD + L2', 'SGDW']
    """
    import matplotlib.pyplot as plt

    owner = "lr_decay_heatmaps"
    if not isinstance(grids, dict) or not grids or len(grids) % 2:
        fail("grids", owner, "a dict with an even number of panels, name -> 2-D array",
             grids)
    if not isinstance(axes_labels, dict) or set(grids) - set(axes_labels):
        fail("axes_labels", owner, "a dict name -> (lrs, decays) for every panel",
             axes_labels)
    title_suffix = {} if title_suffix is None else title_suffix
    if not isinstance(title_suffix, dict):
        fail("title_suffix", owner, "None or a dict name -> str", title_suffix)
    checked = {}
    for kind, Z in grids.items():
        Z = check_array(Z, "grids", owner, ndim=2)
        lrs, d = axes_labels[kind]
        if np.any(Z <= 0) or Z.shape != (len(lrs), len(d)):
            fail("grids", owner, "positive arrays of shape (len(lrs), len(decays))",
                 Z)
        checked[kind] = Z
    n_rows = len(checked) // 2
    fig, axes = plt.subplots(n_rows, 2, figsize=(7.5, 3.4 * n_rows), squeeze=False)
    for ax, (kind, Z) in zip(axes.ravel(), checked.items()):
        lrs, d = axes_labels[kind]
        im = ax.imshow(np.log10(Z / Z.min()), origin="lower", cmap="viridis",
                       vmin=0, vmax=0.5)
        ax.plot(Z.argmin(axis=1), np.arange(len(lrs)), "o", color="red", ms=4)
        ax.set_xticks(range(len(d)), [f"{v:.0e}" for v in d], rotation=40, fontsize=9)
        ax.set_yticks(range(len(lrs)), [f"{v:.0e}" for v in lrs], fontsize=9)
        ax.set(title=kind + title_suffix.get(kind, ""),
               xlabel=(r"per-step decay $\delta$" if not kind.endswith("L2")
                       else "L2 coefficient $c$"),
               ylabel=r"learning rate $\eta$")
    fig.subplots_adjust(left=0.11, right=0.84, bottom=0.3 / n_rows, top=1 - 0.07 / n_rows,
                        hspace=0.6, wspace=0.55)
    fig.colorbar(im, cax=fig.add_axes([0.88, 0.25, 0.02, 0.5]),
                 label=r"$\log_{10}$(test loss / best in panel)")
    return fig
