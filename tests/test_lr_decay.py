"""lkcourse.lr_decay: the learning-rate x decay grid against the optimizer objects, the
scale-invariant toy against finite differences and its invariance, the fit statistic
against least squares, the noise probe against the closed-form decay."""
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

import lkcourse as lk  # noqa: E402
from lkcourse.book import lr_decay, probe  # noqa: E402

X_TR, _, Y_TR, _ = lk.book.toy_data([3], 120, n_test=10)
W_START = np.random.default_rng(1).standard_normal(20)
W_START /= np.linalg.norm(W_START)


def objects(kind, lr, d, momentum=0.9):
    """The optimizer object that one cell of run_grid must reproduce."""
    return {"SGD + L2": lambda: lk.SGD(lr, momentum=momentum, weight_decay=d),
            "SGDW": lambda: lk.SGDW(lr, momentum=momentum, weight_decay=d / lr),
            "Adam + L2": lambda: lk.Adam(lr, weight_decay=d),
            "AdamW": lambda: lk.AdamW(lr, weight_decay=d / lr)}[kind]()


def step_object(opt, w0, X, y, steps, batch, seed, normalized):
    params, batches = {"w": w0.copy()}, np.random.default_rng(seed)
    for _ in range(steps):
        idx = batches.integers(0, len(y), (1, batch))[0] if batch else slice(None)
        _, g = lk.book.toy_loss_grad(params["w"][None], X[idx], y[idx], normalized=normalized)
        opt.step(params, {"w": g[0]})
    return params["w"]


# --------------------------------------------------------------------------- run_grid
@pytest.mark.parametrize("kind", ["SGD + L2", "SGDW", "Adam + L2", "AdamW"])
@pytest.mark.parametrize("normalized, batch", [(True, 16), (False, None)])
def test_run_grid_equals_the_optimizer_objects(kind, normalized, batch):
    lrs, decays = np.array([0.01, 0.3]), np.array([1e-3, 0.05])
    w0 = W_START if normalized else np.zeros(20)
    W = lk.book.run_grid(kind, lrs, decays, X_TR, Y_TR, w0[None], steps=40,
                    normalized=normalized, batch_size=batch, rng=5)
    assert W.shape == (1, 2, 2, 20)
    for i in range(2):
        for j in range(2):
            ref = step_object(objects(kind, lrs[i], decays[j]), w0, X_TR[0], Y_TR[0],
                              40, batch, 5, normalized)
            np.testing.assert_allclose(W[0, i, j], ref, rtol=1e-9, atol=1e-12)
    assert np.abs(W[0, 0, 0] - W[0, 1, 1]).max() > 1e-3       # the cells differ


def test_run_grid_momentum_and_seeds_are_independent_rows():
    X, _, y, _ = lk.book.toy_data([0, 1], 60, n_test=5)
    w0 = np.stack([W_START, -W_START])
    W = lk.book.run_grid("SGD + L2", [0.1], [0.01], X, y, w0, steps=15, momentum=0.5, rng=2)
    batches = np.random.default_rng(2).integers(0, 60, (15, 2, 16))
    for s in range(2):
        opt, p = lk.SGD(0.1, momentum=0.5, weight_decay=0.01), {"w": w0[s].copy()}
        for t in range(15):
            idx = batches[t, s]
            opt.step(p, {"w": lk.book.toy_loss_grad(p["w"][None], X[s, idx], y[s, idx])[1][0]})
        np.testing.assert_allclose(W[s, 0, 0], p["w"], rtol=1e-9, atol=1e-12)


def test_run_grid_scale_invariance_depends_on_the_product():
    """Proposition: with a normalized toy, SGD+L2 runs (lr, c, w0) and (4 lr, c / 4, 2 w0)
    give w_B = 2 w_A exactly (powers of two), on the same batches."""
    WA = lk.book.run_grid("SGD + L2", [0.01], [1.0], X_TR, Y_TR, W_START[None], steps=50, rng=3)
    WB = lk.book.run_grid("SGD + L2", [0.04], [0.25], X_TR, Y_TR, 2 * W_START[None], steps=50,
                     rng=3)
    assert np.abs(WB / 2 - WA).max() == 0.0


# ---------------------------------------------------------------------- the toy itself
@pytest.mark.parametrize("normalized", [True, False])
def test_toy_gradient_matches_finite_differences(normalized):
    w = np.random.default_rng(4).standard_normal(20)
    f = lambda v: lk.book.toy_loss_grad(v[None], X_TR[0], Y_TR[0], normalized=normalized)[0][0]
    g = lambda v: lk.book.toy_loss_grad(v[None], X_TR[0], Y_TR[0], normalized=normalized)[1][0]
    lk.check_grad(f, g, w)


def test_toy_loss_is_scale_invariant_and_its_gradient_orthogonal():
    W = np.random.default_rng(5).standard_normal((3, 20))
    loss, G = lk.book.toy_loss_grad(W, X_TR[0], Y_TR[0])
    for a in (0.1, 3.0, 250.0):
        loss_a, G_a = lk.book.toy_loss_grad(a * W, X_TR[0], Y_TR[0])
        np.testing.assert_allclose(loss_a, loss, rtol=1e-12)           # L(a w) = L(w)
        np.testing.assert_allclose(G_a, G / a, rtol=1e-10, atol=1e-15)  # grad(a w) = grad/a
    np.testing.assert_allclose(np.sum(G * W, axis=1), 0, atol=1e-14)
    # unnormalized: plain logistic regression, by its textbook formula
    w = W[0]
    z = X_TR[0] @ w
    p = 1 / (1 + np.exp(-z))
    bce = -np.mean(Y_TR[0] * np.log(p) + (1 - Y_TR[0]) * np.log(1 - p))
    loss_u, G_u = lk.book.toy_loss_grad(w[None], X_TR[0], Y_TR[0], normalized=False)
    assert np.isclose(loss_u[0], bce, rtol=1e-12)
    np.testing.assert_allclose(G_u[0], X_TR[0].T @ (p - Y_TR[0]) / len(p), atol=1e-14)


def test_toy_loss_grad_stacks_equal_row_by_row_calls():
    X, _, y, _ = lk.book.toy_data(2, 30, n_test=5)
    W = np.random.default_rng(6).standard_normal((2, 4, 20))
    loss, G = lk.book.toy_loss_grad(W, X, y, gamma=2.0)
    for s in range(2):
        for k in range(4):
            l1, g1 = lk.book.toy_loss_grad(W[s, k][None], X[s], y[s], gamma=2.0)
            assert np.isclose(loss[s, k], l1[0], rtol=1e-12)
            np.testing.assert_allclose(G[s, k], g1[0], rtol=1e-12, atol=1e-15)
    assert lk.book.toy_loss_grad(W, X, y, with_loss=False)[0] is None


def test_toy_data_is_the_seeded_sparse_regression():
    X_tr, X_te, y_tr, y_te = lk.book.toy_data([7, 2], 50, n_test=30)
    assert X_tr.shape == (2, 50, 20) and X_te.shape == (2, 30, 20)
    X, signal, _ = lk.datasets.sparse_regression(80, 20, 5, noise=1.0, rng=2)
    Xa, Xb, ya, yb = lk.datasets.train_test_split(X, (signal > 0).astype(float),
                                                  test_size=30 / 80, rng=2)
    for got, want in zip((X_tr[1], X_te[1], y_tr[1], y_te[1]), (Xa, Xb, ya, yb)):
        np.testing.assert_array_equal(got, want)
    np.testing.assert_array_equal(lk.book.toy_data(2, 50, n_test=30)[0][0],
                                  lk.book.toy_data([0], 50, n_test=30)[0][0])


# -------------------------------------------------------------------------- explained
def test_explained_equals_least_squares_r2():
    rng = np.random.default_rng(8)
    Z = np.exp(rng.standard_normal((6, 6)))
    i, j = np.indices((6, 6))
    for labels in (i + j, j, j - i):
        onehot = (labels.ravel()[:, None] == np.unique(labels)[None]).astype(float)
        L = np.log(Z).ravel()
        coef = np.linalg.lstsq(onehot, L, rcond=None)[0]
        r2 = 1 - np.sum((L - onehot @ coef) ** 2) / np.sum((L - L.mean()) ** 2)
        assert np.isclose(lk.book.explained(Z, labels), r2, rtol=1e-12)
    assert np.isclose(lk.book.explained(np.exp(i + j), i + j), 1.0)
    assert np.isclose(lk.book.explained(Z, np.zeros((6, 6))), 0.0, atol=1e-15)


# ---------------------------------------------------------------------------- probe
def test_decay_probe_is_the_nominal_decay_for_sgd_and_decoupled():
    for opt in (lk.SGD(0.01, weight_decay=0.5), lk.SGDW(0.01, weight_decay=0.5),
                lk.AdamW(0.01, weight_decay=0.5)):
        out = lk.book.decay_probe(opt, [0.01, 1.0, 100.0], steps=50, reps=10, rng=[1, 2])
        assert out.shape == (51, 2, 3)
        np.testing.assert_allclose(out, np.broadcast_to(
            (1 - 0.005) ** np.arange(51)[:, None, None], out.shape), rtol=1e-9)


def test_decay_probe_adam_l2_decays_noisy_weights_less():
    out = lk.book.decay_probe(lk.Adam(1e-3, weight_decay=1.0), [0.01, 100.0], steps=300,
                         rng=[0, 1, 2])
    rate = -np.log(out[-1]) / (300 * 1e-3)
    assert np.all(rate[:, 0] > 1.0) and np.all(rate[:, 1] < 0.012)


def test_decay_probe_streams_and_reproducibility():
    opt = lambda: lk.Adam(1e-2, weight_decay=1.0)
    a = lk.book.decay_probe(opt(), [1.0, 10.0], steps=20, reps=8, rng=[4, 5])
    b = lk.book.decay_probe(opt(), [1.0, 10.0], steps=20, reps=8, rng=5)
    c = lk.book.decay_probe(opt(), [1.0, 10.0], steps=20, reps=8,
                       rng=np.random.default_rng(5))
    np.testing.assert_array_equal(a[:, 1], b[:, 0])
    np.testing.assert_array_equal(b, c)
    assert not np.array_equal(a[:, 0], a[:, 1])


def test_probe_curves_is_decay_probe_with_the_object():
    for name, cls in [("SGD + L2", lk.SGD), ("SGDW", lk.SGDW), ("Adam + L2", lk.Adam),
                      ("AdamW", lk.AdamW)]:
        want = lk.book.decay_probe(cls(0.01, weight_decay=0.3), [0.01, 0.1, 1, 10, 100],
                              steps=30, rng=0)[:, 0]
        np.testing.assert_array_equal(lk.book.probe_curves(name, 0.3, steps=30), want)


def test_draw_probe_creates_then_updates_the_same_artists():
    fig = plt.figure()
    first = lk.book.draw_probe(fig, lk.book.probe_curves("SGDW", 0.1, steps=20), "SGDW", 0.1)
    data = lk.book.probe_curves("Adam + L2", 1.0, steps=20)
    second = lk.book.draw_probe(fig, data, "Adam + L2", 1.0)
    assert [id(a) for a in first] == [id(a) for a in second] and len(fig.axes[0].lines) == 6
    np.testing.assert_array_equal(fig.axes[0].lines[5].get_ydata(), data[:, 4])
    np.testing.assert_allclose(fig.axes[0].lines[0].get_ydata(), 0.99 ** np.arange(21))
    assert fig.axes[0].texts[0].get_text() == "Adam + L2, weight_decay = 1"
    plt.close(fig)


def test_lr_decay_heatmaps_marks_each_rows_best_decay():
    rng = np.random.default_rng(9)
    lrs, d = np.logspace(-2, 0, 3), np.logspace(-3, -1, 4)
    grids = {k: np.exp(rng.standard_normal((3, 4))) for k in ("SGD + L2", "SGDW")}
    fig = lk.book.lr_decay_heatmaps(grids, {k: (lrs, d) for k in grids}, {"SGDW": " (x)"})
    for ax, Z in zip(fig.axes, grids.values()):
        np.testing.assert_array_equal(ax.lines[0].get_xdata(), Z.argmin(axis=1))
    assert fig.axes[1].get_title() == "SGDW (x)" and len(fig.axes) == 3   # + colorbar
    plt.close(fig)


# ------------------------------------------------------------------------ validation
OK_X, _, OK_Y, _ = lk.book.toy_data(1, 20, n_test=5)
GOOD = {
    "toy_data": dict(seeds=[0], n_train=10, n_test=5),
    "toy_loss_grad": dict(W=np.ones((1, 20)), X=OK_X[0], y=OK_Y[0], normalized=True,
                          gamma=4.0, with_loss=True),
    "run_grid": dict(kind="SGDW", lrs=[0.1], decays=[0.01], X=OK_X, y=OK_Y,
                     w0=np.ones((1, 20)), steps=2, normalized=True, batch_size=4,
                     momentum=0.9, rng=0),
    "explained": dict(Z=[[1.0, 2.0], [3.0, 4.0]], labels=[[0, 1], [0, 1]]),
    "decay_probe": dict(optimizer=lk.SGD(0.1), sigmas=[1.0], steps=2, reps=4, rng=0),
    "probe_curves": dict(optimizer="AdamW", wd=0.3, steps=2),
    "draw_probe": dict(fig=None, data=np.ones((3, 5)), optimizer="AdamW", wd=0.3),
    "lr_decay_heatmaps": dict(grids={"SGD + L2": np.ones((1, 2)), "SGDW": np.ones((1, 2))},
                              axes_labels={"SGD + L2": ([0.1], [1, 2]),
                                           "SGDW": ([0.1], [1, 2])},
                              title_suffix=None),
}
BAD = [
    ("toy_data", "seeds", 0), ("toy_data", "seeds", [-1]), ("toy_data", "n_train", 0),
    ("toy_data", "n_train", 2.5), ("toy_data", "n_test", None),
    ("toy_loss_grad", "W", np.ones(20)), ("toy_loss_grad", "W", np.zeros((1, 20))),
    ("toy_loss_grad", "X", np.ones((5, 3))), ("toy_loss_grad", "y", np.full(20, 0.5)),
    ("toy_loss_grad", "y", np.ones(3)), ("toy_loss_grad", "normalized", "yes"),
    ("toy_loss_grad", "gamma", 0.0), ("toy_loss_grad", "with_loss", 1),
    ("run_grid", "kind", "SGD+L2"), ("run_grid", "lrs", [0.0]), ("run_grid", "lrs", 0.1),
    ("run_grid", "decays", [-1.0]), ("run_grid", "decays", [1.0]),
    ("run_grid", "X", np.ones((20, 20))), ("run_grid", "y", np.ones((1, 3))),
    ("run_grid", "w0", np.ones(20)), ("run_grid", "w0", np.zeros((1, 20))),
    ("run_grid", "steps", -1), ("run_grid", "normalized", None), ("run_grid", "batch_size", 0),
    ("run_grid", "momentum", 1.0), ("run_grid", "rng", -3),
    ("explained", "Z", [[1.0, -2.0]]), ("explained", "Z", [[2.0, 2.0]]),
    ("explained", "Z", [[np.nan, 2.0]]), ("explained", "labels", [0, 1, 2]),
    ("decay_probe", "optimizer", "adam"), ("decay_probe", "sigmas", [-1.0]),
    ("decay_probe", "sigmas", [[1.0]]), ("decay_probe", "steps", 1.5),
    ("decay_probe", "reps", 3), ("decay_probe", "rng", "seed"), ("decay_probe", "rng", []),
    ("probe_curves", "optimizer", "Adam"), ("probe_curves", "wd", -0.1),
    ("probe_curves", "wd", 100.0), ("probe_curves", "steps", -2),
    ("draw_probe", "fig", "figure"), ("draw_probe", "data", np.ones((3, 4))),
    ("draw_probe", "optimizer", 3), ("draw_probe", "wd", -1.0),
    ("lr_decay_heatmaps", "grids", {"SGD + L2": np.ones((1, 2))}),
    ("lr_decay_heatmaps", "grids", {"SGD + L2": -np.ones((1, 2)), "SGDW": np.ones((1, 2))}),
    ("lr_decay_heatmaps", "axes_labels", {}),
    ("lr_decay_heatmaps", "title_suffix", "x"),
]


def call(name, **changes):
    kwargs = dict(GOOD[name], **changes)
    if name == "draw_probe" and kwargs["fig"] is None:
        kwargs["fig"] = plt.figure()
    try:
        return getattr(lk.book, name)(**kwargs)
    finally:
        plt.close("all")


@pytest.mark.parametrize("name", sorted(GOOD))
def test_good_arguments_work(name):
    call(name)


@pytest.mark.parametrize("name, param, bad", BAD, ids=[f"{n}-{p}-{i}" for i, (n, p, _)
                                                       in enumerate(BAD)])
def test_bad_arguments_raise_invalid_parameter_error(name, param, bad):
    """Every public function of lkcourse.lr_decay: toy_data, toy_loss_grad, run_grid,
    explained, lr_decay_heatmaps, decay_probe, probe_curves, draw_probe."""
    with pytest.raises(lk.InvalidParameterError, match=rf"^The '{param}' parameter of "
                       rf"{name} must .*Got .* instead"):
        call(name, **{param: bad})


def test_every_public_function_is_validated_here():
    assert set(GOOD) == set(lr_decay.__all__) | set(probe.__all__) == {n for n, _, _ in BAD}
