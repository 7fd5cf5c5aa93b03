"""lk.train_many: K networks side by side take exactly lk.train's full-batch Adam steps."""
import numpy as np
import pytest

import lkcourse as lk
from lkcourse.batched_training import train_many


@pytest.fixture(scope="module")
def moons():
    r = np.random.default_rng(0)
    return lk.datasets.moons(40, noise=0.25, rng=r), lk.datasets.moons(60, noise=0.25, rng=r)


@pytest.mark.parametrize("penalty", [None, lk.L2(3e-3), lk.L1(1e-2)])
def test_same_steps_as_train(moons, penalty):
    (X, y), _ = moons
    ours = [lk.MLP([2, 8, 8, 1], rng=3), lk.MLP([2, 8, 8, 1], rng=4)]
    train_many(ours, X, y, lr=0.01, epochs=20, penalties=[penalty, penalty])
    for seed, model in zip((3, 4), ours):
        ref = lk.MLP([2, 8, 8, 1], rng=seed)
        lk.train(ref, X, y, optimizer=lk.Adam(lr=0.01), loss="bce", penalty=penalty, epochs=20)
        for name in ref.params:
            np.testing.assert_allclose(model.params[name], ref.params[name], rtol=0, atol=1e-12)


def test_mse_and_per_model_data(moons):
    (X, y), _ = moons
    Xs = np.stack([X, X[::-1]])
    ys = np.stack([y.astype(float), y[::-1] * 2.0 - 1.0])
    ours = [lk.MLP([2, 6, 1], rng=1), lk.MLP([2, 6, 1], rng=1)]
    train_many(ours, Xs, ys, lr=0.02, epochs=15, loss="mse")
    for k, model in enumerate(ours):
        ref = lk.MLP([2, 6, 1], rng=1)
        lk.train(ref, Xs[k], ys[k], optimizer=lk.Adam(lr=0.02), loss="mse", epochs=15)
        for name in ref.params:
            np.testing.assert_allclose(model.params[name], ref.params[name], rtol=0, atol=1e-12)


def test_early_stopping_matches_train(moons):
    (X, y), (Xv, yv) = moons
    ours = [lk.MLP([2, 16, 16, 1], rng=s) for s in (1, 2)]
    out = train_many(ours, X, y, lr=0.05, epochs=120, validation=(Xv, yv), patience=5)
    for k, seed in enumerate((1, 2)):
        ref = lk.MLP([2, 16, 16, 1], rng=seed)
        h = lk.train(ref, X, y, optimizer=lk.Adam(lr=0.05), loss="bce", epochs=120,
                     validation=(Xv, yv), patience=5)
        assert (out["epochs_run"][k], out["best_epoch"][k]) == (h.epochs_run, h.best_epoch)
        np.testing.assert_allclose(out["val_loss"][k, :h.epochs_run], h.val_loss, atol=1e-10)
        for name in ref.params:
            np.testing.assert_allclose(ours[k].params[name], ref.params[name], atol=1e-10)


def test_dropout_masks_and_rate(moons):
    (X, y), _ = moons
    a, b, c = (lk.MLP([2, 16, 1], dropout=d, rng=0) for d in (0.0, 0.5, 0.5))
    train_many([a, b, c], X, y, lr=0.01, epochs=1, rng=0)
    ref = lk.MLP([2, 16, 1], rng=0)
    lk.train(ref, X, y, optimizer=lk.Adam(lr=0.01), loss="bce", epochs=1)
    np.testing.assert_allclose(a.params["W1"], ref.params["W1"], atol=1e-15)   # no dropout
    assert not np.allclose(b.params["W2"], a.params["W2"])                     # masks used
    assert not np.allclose(b.params["W2"], c.params["W2"])                     # and independent


def test_dropout_has_the_law_of_train(moons):
    # One step from the same start: the sign of each first-layer weight's update is a
    # random variable of the masks; its frequency must match lk.train's (drop rate 0.2).
    (X, y), _ = moons
    X, y = X[:6], y[:6]
    draws = 400
    ours = [lk.MLP([2, 8, 1], dropout=0.2, rng=0) for _ in range(draws)]
    train_many(ours, X, y, lr=0.01, epochs=1, rng=1)
    start = lk.MLP([2, 8, 1], rng=0).params["W1"]
    up_ours = np.mean([m.params["W1"] > start for m in ours], axis=0)
    up_ref = []
    for seed in range(draws):
        ref = lk.MLP([2, 8, 1], dropout=0.2, rng=0)
        lk.train(ref, X, y, optimizer=lk.Adam(lr=0.01), loss="bce", epochs=1, rng=seed)
        up_ref.append(ref.params["W1"] > start)
    up_ref = np.mean(up_ref, axis=0)
    assert np.ptp(up_ref) > 0.2                     # the frequencies are informative
    assert np.abs(up_ours - up_ref).max() < 0.12    # about 4 standard errors


@pytest.mark.parametrize("kwargs, match", [
    ({"models": []}, "models"),
    ({"penalties": [lk.Lk(3, 0.1)]}, "penalties"),
    ({"loss": "ce"}, "loss"),
    ({"lr": 0}, "lr"),
    ({"epochs": 0}, "epochs"),
    ({"patience": 3}, "patience"),
    ({"y": np.full(40, 2)}, "y"),
    ({"X": np.zeros((40, 3))}, "X"),
])
def test_bad_input(moons, kwargs, match):
    (X, y), _ = moons
    args = {"models": [lk.MLP([2, 4, 1], rng=0)], "X": X, "y": y, "lr": 0.01, "epochs": 2}
    args.update(kwargs)
    models = args.pop("models")
    with pytest.raises(lk.InvalidParameterError, match=match):
        train_many(models, **args)


def test_architectures_must_match(moons):
    (X, y), _ = moons
    with pytest.raises(lk.InvalidParameterError, match="architecture"):
        train_many([lk.MLP([2, 4, 1], rng=0), lk.MLP([2, 5, 1], rng=0)], X, y, lr=0.1, epochs=1)
