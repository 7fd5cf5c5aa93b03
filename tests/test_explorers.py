"""Tests of the ready-made explorers (lkcourse/explorers/), driven from Python.

Each explorer is moved with ``ex.set(...)`` exactly as a reader would move its
controls; the figure's artists must then hold the output of the module-level
``compute_*`` function for those values (computed here independently of the explorer).
Grids are tiny so the whole file runs in a few seconds.
"""
import json
import re
import warnings

import numpy as np
import pytest
from numpy.testing import assert_allclose

import lkcourse as lk
from lkcourse.explorers import (compute_activation, compute_boundary, compute_geometry,
                                compute_path, compute_penalty, compute_polynomial,
                                compute_trajectory)

A = np.array([[1.0, 0.45], [0.45, 0.5]])
C = np.array([1.2, 0.9])


@pytest.fixture(scope="module")
def poly_data():
    x = np.linspace(0.0, 1.0, 14)
    y = np.sin(3 * x) + 0.1 * np.cos(17 * x)
    return x, y, x[:-1] + 0.03, np.sin(3 * (x[:-1] + 0.03))


@pytest.fixture(scope="module")
def sparse_data():
    return lk.datasets.sparse_regression(50, 5, 2, correlation=0.0, noise=0.1, rng=0)


@pytest.fixture(scope="module")
def moons():
    return lk.datasets.moons(40, noise=0.2, rng=1)


def lines(ex, ax=0):
    return ex.figure.axes[ax].lines


# ------------------------------------------------------------ figure == compute output
@pytest.mark.parametrize("k, lam", [(0.5, 1.0), (1, 0.5), (3, 1.0)])
def test_penalty_explorer_draws_compute_penalty(k, lam):
    ex = lk.penalty_explorer(ks=[0.5, 1, 3], lams=[0.5, 1.0])
    ex.set(k=k, lam=lam)
    ref = compute_penalty(k, lam, w_max=2.0)
    assert ex.values == {"k": k, "lam": lam}
    assert_allclose(lines(ex, 0)[0].get_xdata(), ref["w"], rtol=0, atol=0)
    assert_allclose(lines(ex, 0)[0].get_ydata(), ref["value"], rtol=1e-12, atol=0)
    assert_allclose(lines(ex, 1)[0].get_ydata(), ref["grad"], rtol=1e-12, atol=0)
    # independent oracle: lam |w|^k at the right end
    assert_allclose(ref["value"][-1], lam * 2.0 ** k, rtol=1e-12)


@pytest.mark.parametrize("k, lr", [(0.5, 0.1), (2, 0.5)])
def test_trajectory_explorer_draws_compute_trajectory(k, lr):
    ex = lk.trajectory_explorer(ks=[0.5, 2], lrs=[0.1, 0.5], steps=30)
    ex.set(k=k, lr=lr)
    ref = compute_trajectory(k, lr, lam=0.5, w0=1.0, steps=30)
    assert_allclose(lines(ex, 0)[0].get_xdata(), np.arange(31), rtol=0, atol=0)
    assert_allclose(lines(ex, 0)[0].get_ydata(), np.clip(ref["w"], -1.15, 1.15),
                    rtol=1e-12, atol=0)
    assert_allclose(lines(ex, 1)[0].get_ydata(), np.clip(np.abs(ref["w"]), 1e-6, None),
                    rtol=1e-12, atol=0)
    if k == 2:  # L2 gradient steps: w_t = (1 - 2 lr lam)^t w0
        assert_allclose(ref["w"], (1 - 2 * lr * 0.5) ** np.arange(31), rtol=1e-10)


@pytest.mark.parametrize("name", ["relu", "sigmoid", "tanh"])
def test_activation_explorer_draws_compute_activation(name):
    ex = lk.activation_explorer(["relu", "sigmoid", "tanh"])
    ex.set(name=name)
    ref = compute_activation(name, z_max=5.0)
    assert_allclose(lines(ex, 0)[0].get_ydata(), ref["f"], rtol=1e-12, atol=0)
    assert_allclose(lines(ex, 1)[0].get_ydata(), ref["df"], rtol=1e-12, atol=0)
    assert_allclose(ref["f"], lk.activation(name).f(np.linspace(-5, 5, 401)), rtol=1e-12)


@pytest.mark.parametrize("k, lam", [(1, 0.7), (2, 0.2)])
def test_geometry_explorer_draws_compute_geometry(k, lam):
    ex = lk.geometry_explorer(ks=[1, 2], lams=[0.2, 0.7])
    ex.set(k=k, lam=lam)
    ref = compute_geometry(k, lam, A=A, center=C)
    ax = ex.figure.axes[0]
    dot = [ln for ln in ax.lines if ln.get_label() == "w*"][0]
    assert_allclose([dot.get_xdata()[0], dot.get_ydata()[0]], ref["w"], rtol=1e-12, atol=0)
    ell = [ln for ln in ax.lines if ln.get_label() == "loss level through w*"][0]
    assert_allclose(ell.get_xdata(), ref["ellipse"][0], rtol=1e-12, atol=1e-15)
    ball = ax.patches[0].get_xy()
    assert_allclose(ball[:ref["ball"].shape[1]], ref["ball"].T, rtol=1e-12, atol=1e-15)
    vline = ex.figure.axes[1].lines[2]  # after the w1* and w2* curves
    assert_allclose(vline.get_xdata(), [lam, lam], rtol=0, atol=0)


def test_geometry_l1_gives_an_exact_zero_and_l2_does_not():
    w1 = compute_geometry(1, 0.7, A=A, center=C)["w"]
    w2 = compute_geometry(2, 0.7, A=A, center=C)["w"]
    assert np.sum(w1 == 0) == 1
    assert np.all(w2 != 0)
    # oracle for k = 2: (A + 2 lam I) w = A c
    assert_allclose(w2, np.linalg.solve(A + 1.4 * np.eye(2), A @ C), rtol=1e-6, atol=1e-8)


@pytest.mark.parametrize("degree, lam", [(1, 0.0), (5, 1e-3)])
def test_polynomial_explorer_draws_compute_polynomial(poly_data, degree, lam):
    ex = lk.polynomial_explorer(*poly_data, degrees=[1, 3, 5], lams=[0.0, 1e-3])
    ex.set(degree=degree, lam=lam)
    ref = compute_polynomial(degree, lam, *poly_data)
    curve = [ln for ln in lines(ex, 0) if ln.get_label() == "fit"][0]
    assert_allclose(curve.get_xdata(), ref["x_grid"], rtol=0, atol=0)
    assert_allclose(curve.get_ydata(), ref["y_grid"], rtol=1e-12, atol=1e-12)
    train, val = lines(ex, 1)[:2]
    expect = [compute_polynomial(d, lam, *poly_data) for d in (1, 3, 5)]
    assert_allclose(train.get_ydata(), [e["train_mse"] for e in expect], rtol=1e-12)
    assert_allclose(val.get_ydata(), [e["val_mse"] for e in expect], rtol=1e-12)
    assert f"degree {degree}" in ex.figure.texts[0].get_text()


def test_polynomial_degree_one_without_penalty_is_least_squares(poly_data):
    x, y = poly_data[:2]
    ref = compute_polynomial(1, 0.0, *poly_data)
    slope, intercept = np.polyfit(x, y, 1)
    assert_allclose(ref["y_grid"], slope * ref["x_grid"] + intercept, rtol=1e-8, atol=1e-10)


@pytest.mark.parametrize("kind", ["lasso", "ridge"])
def test_path_explorer_draws_compute_path(sparse_data, kind):
    X, y, coef = sparse_data
    lams = [1.0, 0.1, 0.01]
    ex = lk.path_explorer(X, y, ["lasso", "ridge"], lams=lams, coef_true=coef)
    ex.set(lam=0.1, kind=kind)
    P = compute_path(X, y, kind, lams)
    assert P.shape == (3, 5)
    heights = [b.get_height() for b in ex.figure.axes[1].patches]
    assert_allclose(heights, P[1], rtol=1e-12, atol=0)
    for j, line in enumerate(lines(ex, 0)[:5]):
        assert_allclose(line.get_ydata(), P[:, j], rtol=1e-12, atol=0)
    assert kind in ex.figure.texts[0].get_text()


def test_path_explorer_default_grid_starts_at_lam_max(sparse_data):
    X, y, _ = sparse_data
    ex = lk.path_explorer(X, y, "lasso")
    lam_max = np.max(np.abs((X - X.mean(0)).T @ (y - y.mean()))) / len(y)
    assert len(ex.grids["lam"]) == 16
    assert_allclose(ex.grids["lam"][0], lam_max, rtol=1e-12)
    ex.set(lam=ex.grids["lam"][0])
    assert np.all(ex.data["coef"] == 0)


def test_boundary_explorer_draws_compute_boundary(moons):
    X, y = moons
    ex = lk.boundary_explorer(X, y, lams=[0.0, 1e-2], dropouts=[0.0], hidden=(4,),
                              epochs=5, grid_size=10, rng=3)
    ex.set(lam=1e-2)
    img = ex.figure.axes[0].images[0].get_array()
    # the explorer trains every point with one seed drawn from rng
    seed = int(np.random.default_rng(3).integers(2**31))
    lo, hi = X.min(0), X.max(0)
    pad = 0.15 * (hi - lo)
    box = (lo[0] - pad[0], hi[0] + pad[0], lo[1] - pad[1], hi[1] + pad[1])
    ref = compute_boundary(1e-2, 0.0, X, y, hidden=(4,), epochs=5, rng=seed, grid=box,
                           grid_size=10)
    assert img.shape == (10, 10)
    assert_allclose(img, ref["prob"], rtol=1e-12, atol=1e-15)
    assert np.all((ref["prob"] >= 0) & (ref["prob"] <= 1))


def test_compute_boundary_takes_rng_like_every_random_function(moons):
    X, y = moons
    kw = dict(hidden=(3,), epochs=3, grid_size=10)
    seed = int(np.random.default_rng(5).integers(2**31))
    by_int = compute_boundary(0.0, 0.0, X, y, rng=seed, **kw)
    by_gen = compute_boundary(0.0, 0.0, X, y, rng=np.random.default_rng(5), **kw)
    assert_allclose(by_gen["prob"], by_int["prob"], rtol=0, atol=0)
    with pytest.raises(lk.InvalidParameterError, match="'rng' parameter of compute_boundary"):
        compute_boundary(0.0, 0.0, X, y, rng=-1, **kw)


# ------------------------------------------------------------------------- layout
EXPLORERS = ["polynomial_explorer", "path_explorer", "geometry_explorer",
             "penalty_explorer", "trajectory_explorer", "activation_explorer",
             "boundary_explorer"]


@pytest.mark.parametrize("name", EXPLORERS)
def test_every_explorer_is_public_and_its_source_is_one_hop_away(name):
    import lkcourse.explorers as explorers

    fn = getattr(lk, name)
    assert fn is getattr(explorers, name) and name in explorers.__all__
    assert fn.__module__ == "lkcourse.explorers"     # its documented home
    src = str(lk.show_source(fn))
    # the draw code (artists updated in place, returned for blitting) is in the source
    assert src.startswith(f"def {name}(") and "def draw(fig, data" in src
    assert "return Explorer(" in src
    compute = "compute_" + name.removesuffix("_explorer")
    assert compute in src and str(lk.show_source(getattr(explorers, compute))).startswith(
        f"def {compute}(")


def test_explorer_modules_stay_small():
    import pathlib

    import lkcourse

    root = pathlib.Path(lkcourse.__file__).parent
    paths = [*root.glob("explore/*.py"), *root.glob("explorers/*.py")]
    # one module per explorer plus the shared helper; the Explorer's twin, widget and
    # frame cache in modules of their own
    assert {p.stem for p in root.glob("explorers/*.py")} >= {
        "penalty", "trajectory", "activation", "geometry", "polynomial", "path",
        "boundary", "_common"}
    assert {p.stem for p in root.glob("explore/*.py")} >= {"twin", "widget", "frames"}
    for path in paths:
        assert len(path.read_text().splitlines()) <= 400, path


# ---------------------------------------------------------------------- static twin
def twin_spec(html):
    m = re.search(r'<script type="application/json" id="[^"]+">(.*?)</script>', html, re.S)
    return json.loads(m.group(1))


def make(name, poly_data, sparse_data, moons):
    X, y, _ = sparse_data
    return {
        "penalty": lambda: lk.penalty_explorer(ks=[1, 2], lams=[0.5, 1.0, 2.0]),
        "trajectory": lambda: lk.trajectory_explorer(ks=[1, 2], lrs=[0.1], steps=10),
        "activation": lambda: lk.activation_explorer(["relu", "tanh"]),
        "geometry": lambda: lk.geometry_explorer(ks=[1, 2], lams=[0.1, 0.5]),
        "polynomial": lambda: lk.polynomial_explorer(*poly_data, degrees=[1, 3],
                                                     lams=[0.0]),
        "path": lambda: lk.path_explorer(X, y, "lasso", lams=[1.0, 0.1, 0.01]),
        "boundary": lambda: lk.boundary_explorer(*moons, lams=[0.0], dropouts=[0.0, 0.2],
                                                 hidden=(4,), epochs=3, grid_size=10),
    }[name]()


@pytest.mark.parametrize("name", ["penalty", "trajectory", "activation", "geometry",
                                  "polynomial", "path", "boundary"])
def test_twin_has_one_frame_per_grid_point_and_no_network(name, poly_data, sparse_data,
                                                          moons):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no matplotlib warning on any frame
        ex = make(name, poly_data, sparse_data, moons)
        html = ex.to_html()
    n = int(np.prod([len(g) for g in ex.grids.values()]))
    spec = twin_spec(html)
    assert len(spec["frames"]) == n == len(ex.grid)
    assert len(set(spec["frames"])) == n  # every frame differs
    assert spec["sizes"] == [len(g) for g in ex.grids.values()]
    assert all(f.startswith("iVBORw0KGgo") for f in spec["frames"])  # PNG
    assert "http" not in html  # no external script, image, or link
    assert not re.search(r"<script[^>]*\bsrc=", html)
    assert not re.search(r"\bsrc=\"(?!data:)", html)
    n_numeric = sum(not isinstance(g[0], str) for g in ex.grids.values())
    assert html.count('<input type="range"') == n_numeric
    assert html.count("<select") == len(ex.grids) - n_numeric
    assert "$" not in html.split("<script")[0]  # nothing for MathJax to typeset


def _signature(artist):
    """What a render of ``artist`` depends on, as a hashable-free comparable tuple."""
    from matplotlib.image import AxesImage
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch
    from matplotlib.text import Text

    sig = [artist.get_visible()]
    if isinstance(artist, Line2D):
        sig += [np.asarray(artist.get_xdata(), float).tolist(),
                np.asarray(artist.get_ydata(), float).tolist()]
    elif isinstance(artist, Text):
        sig += [artist.get_text(), tuple(artist.get_position())]
    elif isinstance(artist, Patch):
        sig += [artist.get_path().vertices.tolist(), artist.get_transform().get_matrix().tolist()
                if hasattr(artist.get_transform(), "get_matrix") else None]
    elif isinstance(artist, AxesImage):
        sig += [np.asarray(artist.get_array()).tolist()]
    return sig


@pytest.mark.parametrize("name", ["penalty", "trajectory", "activation", "geometry",
                                  "polynomial", "path", "boundary"])
def test_blitting_contract_every_changing_artist_is_redrawn(name, poly_data, sparse_data,
                                                           moons):
    """Each draw reports its changed artists (blitting over a background rendered once):
    every artist that changes between frames, or appears anew, must be among them, or
    the frames would show a stale background. And the frames look like full renders."""
    import io

    from PIL import Image

    ex = make(name, poly_data, sparse_data, moons)
    frames = ex.frames()
    ex.set(**frames[0][0])
    fig = ex.figure
    first = {id(a): (a, _signature(a)) for a in fig.findobj()}
    for values, data in frames[::-1]:  # reverse order: every control moves
        ex.set(**values)
        fig = ex.figure
        covered = {id(c) for a in ex.changed_artists for c in a.findobj()}
        for a in fig.findobj():
            old = first.get(id(a))
            changed = old is None or old[1] != _signature(a)
            assert not changed or id(a) in covered, (
                f"{name}: {a!r} changed at {values} but draw() did not return it")
        fig.canvas.draw()
        full = np.asarray(fig.canvas.buffer_rgba())[..., :3].astype(float)
        shown = np.asarray(Image.open(io.BytesIO(data)).convert("RGB"), dtype=float)
        differ = (np.abs(shown - full).max(axis=-1) > 80).mean()
        assert differ < 0.005, (values, differ)  # z-order blends of thin lines only


def test_twin_frame_matches_the_figure_after_set():
    ex = lk.penalty_explorer(ks=[1, 2], lams=[0.5, 1.0])
    ex.set(k=2, lam=1.0)
    frames = dict((tuple(v.values()), b) for v, b in ex.frames())
    assert frames[(2.0, 1.0)] == ex.image()
    assert frames[(1.0, 1.0)] != ex.image()


# ------------------------------------------------------------------------ validation
@pytest.mark.parametrize("factory, kwargs, match", [
    (lk.penalty_explorer, {"ks": []}, "'ks' parameter"),
    (lk.penalty_explorer, {"ks": [0, 1]}, "'ks' parameter"),
    (lk.penalty_explorer, {"lams": [-1.0]}, "'lams' parameter"),
    (lk.penalty_explorer, {"ks": "12"}, "'ks' parameter"),
    (lk.penalty_explorer, {"ks": [1, 1]}, "distinct"),
    (lk.penalty_explorer, {"ks": [1, 2], "initial": {"k": 5}}, "grid values"),
    (lk.penalty_explorer, {"ks": list(np.arange(1, 50.0)), "lams": [1.0, 2.0, 3.0]},
     "max_frames"),
    (lk.trajectory_explorer, {"lrs": [0.0]}, "'lrs' parameter"),
    (lk.trajectory_explorer, {"w0": 0.0}, "'w0' parameter"),
    (lk.trajectory_explorer, {"method": "adam"}, "'method' parameter"),
    (lk.activation_explorer, {"names": ["relu", "nope"]}, "'names' parameter"),
    (lk.activation_explorer, {"names": []}, "'names' parameter"),
    (lk.geometry_explorer, {"A": [[1.0, 2.0], [2.0, 1.0]]}, "'A' parameter"),
    (lk.geometry_explorer, {"center": [1.0, 2.0, 3.0]}, "'center' parameter"),
])
def test_bad_grids_and_arguments_raise(factory, kwargs, match):
    with pytest.raises(lk.InvalidParameterError, match=match):
        factory(**kwargs)


def test_data_explorers_reject_bad_inputs(poly_data, sparse_data, moons):
    X, y, _ = sparse_data
    with pytest.raises(lk.InvalidParameterError, match="'kind' parameter"):
        lk.path_explorer(X, y, "lassso")
    with pytest.raises(lk.InvalidParameterError, match="'lams' parameter"):
        lk.path_explorer(X, y, "lasso", lams=[1.0, 0.0])
    with pytest.raises(lk.InvalidParameterError, match="'coef_true' parameter"):
        lk.path_explorer(X, y, "lasso", coef_true=np.zeros(3))
    with pytest.raises(lk.InvalidParameterError, match="'degrees' parameter"):
        lk.polynomial_explorer(*poly_data, degrees=[0, 1])
    with pytest.raises(lk.InvalidParameterError):
        lk.polynomial_explorer(poly_data[0], poly_data[1][:-1], *poly_data[2:])
    Xm, ym = moons
    with pytest.raises(lk.InvalidParameterError, match="'dropouts' parameter"):
        lk.boundary_explorer(Xm, ym, dropouts=[0.0, 1.0])
    with pytest.raises(lk.InvalidParameterError, match="'X' parameter"):
        lk.boundary_explorer(np.column_stack([Xm, Xm[:, 0]]), ym)


def test_set_rejects_off_grid_values():
    ex = lk.penalty_explorer(ks=[1, 2], lams=[1.0])
    with pytest.raises(lk.InvalidParameterError, match="grid values"):
        ex.set(k=1.5)
    assert ex.values == {"k": 1.0, "lam": 1.0}
