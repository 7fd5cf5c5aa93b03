"""lk.over_seeds and lk.Draws: repeated experiments over seeds."""
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from numpy.testing import assert_allclose, assert_array_equal  # noqa: E402

import lkcourse as lk  # noqa: E402


def experiment(seed):
    x = np.random.default_rng(seed).standard_normal(50)
    return {"mean": x.mean(), "max": x.max(), "positive": bool(x.mean() > 0)}


def test_values_match_direct_calls_in_seed_order():
    draws = lk.over_seeds(experiment, seeds=[3, 1, 7])
    assert draws.seeds == (3, 1, 7)
    for i, seed in enumerate([3, 1, 7]):
        expected = experiment(seed)
        assert draws["mean"][i] == expected["mean"]
        assert draws["positive"][i] == float(expected["positive"])


def test_int_seeds_mean_range_and_reproducible():
    a = lk.over_seeds(experiment, seeds=12)
    b = lk.over_seeds(experiment, seeds=12)
    assert a.seeds == tuple(range(12)) and a.n == 12 and len(a) == 12
    for name in a.names:
        assert_array_equal(a[name], b[name])


def test_statistics_equal_numpy():
    d = lk.over_seeds(experiment, seeds=15)
    v = d["max"]
    assert d.mean("max") == pytest.approx(np.mean(v), rel=1e-15)
    assert d.std("max") == pytest.approx(np.std(v, ddof=1), rel=1e-15)
    assert d.min("max") == v.min() and d.max("max") == v.max()
    mask = v > np.median(v)
    assert d.count(mask) == int(mask.sum())
    assert d.frac(mask) == mask.sum() / 15
    assert d.count(lambda dd: dd["max"] > np.median(v)) == int(mask.sum())


def test_single_float_result_and_single_draw_std():
    d = lk.over_seeds(lambda s: float(s) ** 2, seeds=[4])
    assert d.names == ("value",)
    assert d["value"][0] == 16.0
    assert d.std("value") == 0.0


def test_arrays_are_read_only():
    d = lk.over_seeds(experiment, seeds=3)
    with pytest.raises(ValueError):
        d["mean"][0] = 1.0


def test_summary_text_and_html():
    d = lk.Draws([0, 1, 2, 3], {"gain": [1.0, 2.0, -1.0, 4.0], "loss": [0, 0, 1, 1]})
    text = str(d.summary(digits=2))
    lines = text.splitlines()
    assert lines[0].split() == ["4", "draws", "mean", "sd", "min", "max"]
    assert lines[1].split() == ["gain", "1.50", f"{np.std([1, 2, -1, 4], ddof=1):.2f}",
                                "-1.00", "4.00"]
    assert lines[2].split() == ["loss", "0.50", "0.58", "0.00", "1.00"]
    html = d.summary(names=["loss"])._repr_html_()
    assert "<td>loss</td>" in html and "gain" not in html


def test_plot_draws_every_value_and_the_mean():
    d = lk.over_seeds(experiment, seeds=9)
    fig, ax = plt.subplots()
    dots, means = d.plot(["mean", "max"], ax=ax)
    assert len(dots) == 2 and len(means) == 2
    assert_allclose(np.sort(dots[1].get_offsets()[:, 1]), np.sort(d["max"]))
    assert means[0].get_ydata()[0] == pytest.approx(d.mean("mean"))
    assert [t.get_text() for t in ax.get_xticklabels()] == ["mean", "max"]
    plt.close(fig)


@pytest.mark.parametrize("seeds", [0, -3, [], [1, 1], [1.5], ["a"], True])
def test_bad_seeds(seeds):
    with pytest.raises(lk.InvalidParameterError, match="'seeds' parameter of over_seeds"):
        lk.over_seeds(experiment, seeds=seeds)


@pytest.mark.parametrize("n", [0, -3, 2.0, True, None, "5"])
def test_bad_n(n):
    with pytest.raises(lk.InvalidParameterError, match="'n' parameter of over_seeds"):
        lk.over_seeds(experiment, n)


def test_draws_remember_their_block():
    with lk.use_seed_block(4):
        d = lk.over_seeds(experiment, 2)
    assert d.block == 4 and d.seeds == (400000, 400001)
    assert lk.over_seeds(experiment, seeds=[1, 2]).block is None


@pytest.mark.parametrize("fn, match", [
    (None, "'fn' parameter"),
    (lambda s: "x", "must return a dict"),
    (lambda s: {"a": np.ones(2)}, "real numbers"),
    (lambda s: {1: 1.0}, "keys are strings"),
    (lambda s: {"a": 1.0} if s == 0 else {"b": 1.0}, "same names"),
])
def test_bad_fn(fn, match):
    with pytest.raises(lk.InvalidParameterError, match=match):
        lk.over_seeds(fn, seeds=2)


def test_bad_queries():
    d = lk.over_seeds(experiment, seeds=4)
    with pytest.raises(lk.InvalidParameterError, match="Did you mean 'mean'"):
        d["meen"]
    with pytest.raises(lk.InvalidParameterError, match="'mask' parameter"):
        d.count([True, False])
    with pytest.raises(lk.InvalidParameterError, match="'digits' parameter"):
        d.summary(digits=-1)
    with pytest.raises(lk.InvalidParameterError, match="'progress' parameter"):
        lk.over_seeds(experiment, seeds=2, progress="yes")


@pytest.fixture
def no_workers_left():
    """Shut joblib's reusable worker pool after each test: its processes keep the
    sys.path they started with (tests/test_claims.py imports tools/ by path)."""
    yield
    from joblib.externals.loky import get_reusable_executor
    get_reusable_executor().shutdown(wait=True)


def _training_draw(seed):
    """A draw with a network's training in it (float work that a worker process
    must reproduce bit for bit)."""
    X, y = lk.datasets.moons(30, noise=0.3, rng=seed)
    net = lk.MLP([2, 8, 1], "relu", dropout=0.2, rng=seed)
    h = lk.train(net, X, y, optimizer=lk.Adam(0.01), loss="bce", epochs=20, rng=seed)
    return {"loss": h.train_loss[-1], "w": float(net.params["W1"][0, 0])}


def test_worker_processes_give_the_same_draws_bit_for_bit(no_workers_left):
    serial = lk.over_seeds(_training_draw, seeds=[5, 2, 9, 4])
    parallel = lk.over_seeds(_training_draw, seeds=[5, 2, 9, 4], n_jobs=2, progress=True)
    assert parallel.seeds == serial.seeds and parallel.names == serial.names
    for name in serial.names:
        assert_array_equal(parallel[name], serial[name])          # exactly, not close
    # the chapter 7 experiment the notebook runs in two processes
    from lkcourse.book import ch7
    one = lk.over_seeds(ch7.compare_methods, 2)
    two = lk.over_seeds(ch7.compare_methods, 2, n_jobs=2)
    assert {k: list(one[k]) for k in one.names} == {k: list(two[k]) for k in two.names}


def _block_draw(seed):
    return {"x": lk.rng(3).random() + seed}


def test_workers_use_this_process_s_seed_block(no_workers_left):
    with lk.use_seed_block(5):
        serial = lk.over_seeds(_block_draw, 3)
        parallel = lk.over_seeds(_block_draw, 3, n_jobs=2)
    assert_array_equal(parallel["x"], serial["x"])
    assert serial.seeds[0] == 5 * lk.SLOTS_PER_BLOCK


def test_worker_results_are_checked_like_serial_ones(no_workers_left):
    with pytest.raises(lk.InvalidParameterError, match="same names"):
        lk.over_seeds(_names_change, seeds=[0, 1], n_jobs=2)


def _names_change(seed):
    return {"a": 1.0} if seed == 0 else {"b": 1.0}


@pytest.mark.parametrize("n_jobs", [0, -1, 2.5, "2", None, True])
def test_bad_n_jobs(n_jobs):
    with pytest.raises(lk.InvalidParameterError, match="'n_jobs' parameter of over_seeds"):
        lk.over_seeds(experiment, 3, n_jobs=n_jobs)
