"""Explorer of a trained network's decision boundary against L2 and dropout (chapter 7)."""
from __future__ import annotations

import numbers

import numpy as np

from .. import activations as _act
from .. import metrics as _metrics
from .. import nn as _nn
from .. import optim as _optim
from .. import penalties as _pen
from .. import training as _training
from .._validation import check_array, check_real, check_rng, check_same_length, fail
from ..explore import Explorer, format_value
from ._common import LAM, Once, check_grid, lam_text


def compute_boundary(lam, dropout, X, y, *, hidden=(32, 32), activation="relu",
                     epochs=300, lr=0.01, rng=0, grid=(-2.0, 3.0, -1.5, 2.0),
                     grid_size=60, test=None):
    """Train an MLP (binary cross-entropy, Adam, penalty ``L2(lam)`` on the weights) and
    return its predicted probability on a grid.

    ``rng`` (None, an int >= 0 or a Generator) gives one int seed (an int is that
    seed; a Generator or None draws one) that seeds both the initial weights and the
    training (shuffling, dropout masks); pass the same int for every (lam, dropout), so
    that only they differ. Returns a
    dict with ``prob`` (grid_size x grid_size, rows along the second input), ``extent``
    (x0 min, x0 max, x1 min, x1 max), ``train_acc``, ``test_acc`` (None without
    ``test=(X_test, y_test)``) and ``weight_norm`` (the sum of squared weights, biases
    excluded).
    """
    if isinstance(rng, numbers.Integral) and not isinstance(rng, bool) and rng >= 0:
        seed = int(rng)
    else:
        seed = int(check_rng(rng, "compute_boundary").integers(2**31))
    model = _nn.MLP([X.shape[1], *hidden, 1], activation, dropout=dropout, rng=seed)
    penalty = _pen.L2(lam) if lam > 0 else None
    _training.train(model, X, y, optimizer=_optim.Adam(lr), loss="bce", penalty=penalty,
                    epochs=epochs, rng=seed)
    x0 = np.linspace(grid[0], grid[1], grid_size)
    x1 = np.linspace(grid[2], grid[3], grid_size)
    g0, g1 = np.meshgrid(x0, x1)
    logits = model.predict(np.column_stack([g0.ravel(), g1.ravel()]))
    prob = _act.activation("sigmoid").f(logits).reshape(grid_size, grid_size)

    def accuracy(Xa, ya):
        return _metrics.accuracy(ya, model.predict_class(Xa))

    norm = float(sum(np.sum(model.params[name] ** 2) for name in model.weight_names()))
    return {"prob": prob, "extent": tuple(grid), "train_acc": accuracy(X, y),
            "test_acc": None if test is None else accuracy(*test), "weight_norm": norm}


def boundary_explorer(X, y, *, lams=(0.0, 1e-3, 1e-2), dropouts=(0.0, 0.2, 0.5),
                      hidden=(32, 32), activation="relu", epochs=300, lr=0.01,
                      X_test=None, y_test=None, rng=0, grid_size=60, initial=None):
    r"""Explore the decision boundary of a trained MLP vs lam (L2) and dropout.

    One network per grid point is trained (full batch, Adam, binary cross-entropy) the
    first time it is shown; all of them when the static twin is built. Left: the
    predicted probability, the 0.5 boundary and the points; right: training (and test)
    accuracy and the sum of squared weights.

    Parameters
    ----------
    X : 2-D array (n, 2)
        The training inputs (two features, drawn as dots).
    y : 1-D array of 0/1 labels
        The training labels.
    lams : sequence of float >= 0
        The lam slider's values: the strength of ``L2(lam)`` on the weights.
    dropouts : sequence of float, 0 <= dropout < 1
        The dropout slider's values (the drop probability of each hidden unit).
    hidden : sequence of int
        Hidden layer sizes.
    activation : str
        Hidden activation, a name of ``lk.ACTIVATIONS``.
    epochs : int >= 1
        Full-batch Adam steps per network.
    lr : float > 0
        Adam's learning rate.
    X_test, y_test : arrays, optional
        Test points (drawn as open circles) and their labels; their accuracy is shown.
    rng : None, int or numpy.random.Generator
        Seeds the one seed shared by every training.
    grid_size : int >= 10
        Points per axis of the probability image.
    initial : dict, optional
        Starting values, e.g. ``{"lam": 0.01, "dropout": 0.5}``; each network is
        trained when first shown, so the starting point costs one training.

    Returns
    -------
    Explorer
        Controls ``lam`` and ``dropout``; ``ex.data`` is ``compute_boundary``'s
        dict for the network trained at those values.

    Examples
    --------
    >>> import lkcourse as lk
    >>> X, y = lk.datasets.moons(60, noise=0.1, rng=0)
    >>> ex = lk.boundary_explorer(X, y, lams=[0.0, 0.01], dropouts=[0.0], hidden=(8,),
    ...                           epochs=20, grid_size=10)
    >>> ex.set(lam=0.01)                 # trains this network (a few ms)
    >>> ex.data["prob"].shape, 0.5 <= ex.data["train_acc"] <= 1.0
    ((10, 10), True)
    """
    owner = "boundary_explorer"
    X = check_array(X, "X", owner, ndim=2)
    y = check_array(y, "y", owner, ndim=1)
    check_same_length(X, y, "X", "y", owner)
    if X.shape[1] != 2:
        fail("X", owner, "an array with 2 columns (a 2-D input)", X)
    lams = check_grid(lams, "lams", owner, low=0)
    dropouts = check_grid(dropouts, "dropouts", owner, low=0)
    for d in dropouts:
        check_real(d, "dropouts", owner, low=0, high=1, high_open=True)
    epochs = check_real(epochs, "epochs", owner, low=1, integer=True)
    lr = check_real(lr, "lr", owner, low=0, low_open=True)
    grid_size = check_real(grid_size, "grid_size", owner, low=10, integer=True)
    seed = int(check_rng(rng, owner).integers(2**31))
    test = None
    if X_test is not None:
        X_test = check_array(X_test, "X_test", owner, ndim=2)
        y_test = check_array(y_test, "y_test", owner, ndim=1)
        check_same_length(X_test, y_test, "X_test", "y_test", owner)
        test = (X_test, y_test)
    pts = X if test is None else np.vstack([X, X_test])
    lo, hi = pts.min(0), pts.max(0)
    pad = 0.15 * (hi - lo)
    box = (lo[0] - pad[0], hi[0] + pad[0], lo[1] - pad[1], hi[1] + pad[1])
    def compute(lam, dropout):
        return compute_boundary(lam, dropout, X, y, hidden=tuple(hidden),
                                activation=activation, epochs=epochs, lr=lr, rng=seed,
                                grid=box, grid_size=grid_size, test=test)

    def setup(fig):
        ax, ax2 = fig.subplots(1, 2, width_ratios=[1.5, 1])
        img = ax.imshow(np.zeros((grid_size, grid_size)), origin="lower", extent=box,
                        cmap="RdBu_r", vmin=0, vmax=1, alpha=0.55, aspect="auto",
                        interpolation="bilinear")
        for label, color in ((0, "C0"), (1, "C3")):
            m = y == label
            ax.scatter(X[m, 0], X[m, 1], s=10, color=color, edgecolors="white",
                       linewidths=0.4, label=f"train, class {label}")
            if test is not None:
                mt = y_test == label
                ax.scatter(X_test[mt, 0], X_test[mt, 1], s=12, facecolors="none",
                           edgecolors=color, linewidths=0.8)
        ax.set(xlim=box[:2], ylim=box[2:], xlabel="$x_1$", ylabel="$x_2$")
        names = ["train acc"] + (["test acc"] if test is not None else [])
        bars = ax2.bar(names, np.zeros(len(names)), color=["C0", "C1"][:len(names)])
        ax2.set(ylim=(0.5, 1.0), ylabel="accuracy")
        labels = [ax2.text(i, 0.51, "", ha="center", va="bottom", fontsize=9)
                  for i in range(len(names))]
        state = {"contour": None, "points": list(ax.collections)}
        return ax, img, bars, labels, state, fig.suptitle("")

    once = Once(setup)

    def draw(fig, data, lam, dropout):
        ax, img, bars, labels, state, title = once(fig)
        img.set_data(data["prob"])
        if state["contour"] is not None:
            state["contour"].remove()
        x0 = np.linspace(box[0], box[1], grid_size)
        x1 = np.linspace(box[2], box[3], grid_size)
        state["contour"] = ax.contour(x0, x1, data["prob"], levels=[0.5], colors="k",
                                      linewidths=1.5)
        accs = [data["train_acc"]] + ([data["test_acc"]] if test is not None else [])
        for bar, lab, a in zip(bars, labels, accs):
            bar.set_height(a)
            lab.set_text(f"{a:.3f}")
        title.set_text(f"{lam_text(lam)}, dropout {format_value(dropout)}: "
                       f"sum of squared weights {data['weight_norm']:.3g}")
        # the points lie on the changing image, so they are redrawn over it
        return [img, state["contour"], *state["points"], *bars, *labels, title]

    return Explorer(compute, draw, {"lam": lams, "dropout": dropouts}, initial=initial,
                    labels={"lam": LAM}, colors=128,
                    title="Decision boundary of a trained network")
