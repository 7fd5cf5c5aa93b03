"""One engine: a stack of K networks trains exactly as K separate networks.

A stack (``lk.MLP.stack``) is one model whose parameters carry a leading axis of K. The
tests compare it with K single networks trained alone (``lk.train`` with each network's
own seed: the stack takes one generator per network, so the dropout masks and batches are
the same), for every feature of ``train``: dropout at p != 0.5, penalties per network,
mini-batches, per-network data, validation and early stopping, divergence, all four
optimizers with per-network hyperparameters. The dropout scale is also checked against a
step written out by hand (an implementation independent of the engine).
"""
import warnings

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal

import lkcourse as lk

SIZES = [2, 8, 8, 1]


@pytest.fixture(scope="module")
def data():
    r = np.random.default_rng(0)
    return lk.datasets.moons(48, noise=0.25, rng=r), lk.datasets.moons(60, noise=0.25, rng=r)


def nets(rates, seeds=None):
    seeds = range(len(rates)) if seeds is None else seeds
    return [lk.MLP(SIZES, "relu", dropout=p, rng=s) for p, s in zip(rates, seeds)]


def same_params(stack, singles, atol=1e-12):
    for k, net in enumerate(singles):
        for name in net.params:
            assert_allclose(stack.params[name][k], net.params[name], rtol=0, atol=atol,
                            err_msg=f"network {k}, {name}")


def same_history(h, alone):
    assert (h.epochs_run, h.best_epoch, h.diverged, h.stopped_early) == (
        alone.epochs_run, alone.best_epoch, alone.diverged, alone.stopped_early)
    for name in ("train_loss", "val_loss", "train_acc", "val_acc", "penalty", "weight_norm"):
        assert_allclose(getattr(h, name), getattr(alone, name), rtol=1e-11, atol=1e-14,
                        err_msg=name)


# --------------------------------------------------------- the stack is the networks
@pytest.mark.parametrize("batch_size", [None, 16])
def test_stack_equals_separate_runs_dropout_penalties_early_stopping(data, batch_size):
    (X, y), val = data
    rates = [0.0, 0.2, 0.7, 0.2]       # the dropout scale at p != 0.5
    penalties = [None, lk.L2(1e-2), lk.L1(1e-2), lk.Lk(0.5, 1e-3)]
    seeds = [11, 12, 13, 14]
    stack = lk.MLP.stack(nets(rates))
    h = lk.train(stack, X, y, optimizer=lk.Adam(0.02), loss="bce", penalty=penalties,
                 epochs=60, batch_size=batch_size, validation=val, patience=8, rng=seeds)
    singles = nets(rates)
    for k, net in enumerate(singles):
        alone = lk.train(net, X, y, optimizer=lk.Adam(0.02), loss="bce",
                         penalty=penalties[k], epochs=60, batch_size=batch_size,
                         validation=val, patience=8, rng=seeds[k])
        same_history(h[k], alone)
    same_params(stack, singles)
    assert h.stopped_early.any() and len(set(h.epochs_run.tolist())) > 1


def test_a_stack_of_one_from_one_generator_is_the_network(data):
    (X, y), _ = data
    single, = nets([0.3])
    stack = lk.MLP.stack(nets([0.3]))
    lk.train(single, X, y, optimizer=lk.SGD(0.1, momentum=0.9), loss="bce", epochs=30,
             batch_size=12, rng=5)
    lk.train(stack, X, y, optimizer=lk.SGD(0.1, momentum=0.9), loss="bce", epochs=30,
             batch_size=12, rng=5)
    same_params(stack, [single], atol=0)


def test_a_list_of_models_is_trained_as_a_stack_in_place(data):
    (X, y), _ = data
    models, copies = nets([0.0, 0.5]), nets([0.0, 0.5])
    arrays = [m.params["W1"] for m in models]
    h = lk.train(models, X, y, optimizer=lk.Adam(0.01), loss="bce", epochs=10, rng=[1, 2])
    assert isinstance(h, lk.StackedHistory) and len(h) == 2
    assert all(m.params["W1"] is a for m, a in zip(models, arrays))   # in place
    for model, twin, seed in zip(models, copies, [1, 2]):
        lk.train(twin, X, y, optimizer=lk.Adam(0.01), loss="bce", epochs=10, rng=seed)
        assert_allclose(model.params["W2"], twin.params["W2"], rtol=0, atol=1e-13)


@pytest.mark.parametrize("loss", ["mse", "ce"])
def test_per_network_data_and_every_loss(loss):
    r = np.random.default_rng(3)
    K, n = 3, 30
    X = r.normal(size=(K, n, 2))
    out = 1 if loss == "mse" else 3
    y = r.normal(size=(K, n)) if loss == "mse" else r.integers(0, 3, size=(K, n))
    sizes = [2, 6, out]
    stack = lk.MLP.stack([lk.MLP(sizes, "tanh", rng=s) for s in range(K)])
    lk.train(stack, X, y, optimizer=lk.Adam(0.05), loss=loss, epochs=20, batch_size=10,
             rng=[0, 1, 2], penalty=lk.L2(1e-3))
    for k in range(K):
        net = lk.MLP(sizes, "tanh", rng=k)
        lk.train(net, X[k], y[k], optimizer=lk.Adam(0.05), loss=loss, epochs=20,
                 batch_size=10, rng=k, penalty=lk.L2(1e-3))
        same_params(lk.MLP.stack([net]), [net])
        for name in net.params:
            assert_allclose(stack.params[name][k], net.params[name], atol=1e-12)


@pytest.mark.parametrize("cls", [lk.SGD, lk.SGDW, lk.Adam, lk.AdamW])
def test_every_optimizer_with_per_network_hyperparameters(data, cls):
    (X, y), _ = data
    lrs, wds = np.array([0.01, 0.03, 0.1]), np.array([0.0, 0.1, 0.5])
    extra = {"momentum": 0.9} if cls in (lk.SGD, lk.SGDW) else {}
    stack = lk.MLP.stack(nets([0.0] * 3))
    lk.train(stack, X, y, optimizer=cls(lrs, weight_decay=wds, decay=lk.decay_weights_only,
                                        **extra), loss="bce", epochs=15)
    singles = nets([0.0] * 3)
    for net, lr, wd in zip(singles, lrs, wds):
        lk.train(net, X, y, optimizer=cls(float(lr), weight_decay=float(wd),
                                          decay=lk.decay_weights_only, **extra),
                 loss="bce", epochs=15)
    same_params(stack, singles, atol=1e-13)


def test_a_diverging_network_stops_alone(data):
    (X, y), _ = data
    target = X[:, 0] * 3.0
    lrs = np.array([0.05, 50.0, 0.05])      # network 1 blows up
    stack = lk.MLP.stack(nets([0.0, 0.0, 0.5]))
    with pytest.warns(UserWarning, match="network 1 became non-finite .* at epoch"):
        h = lk.train(stack, X, target, optimizer=lk.SGD(lrs), loss="mse", epochs=40,
                     rng=[0, 1, 2])
    assert h.diverged.tolist() == [False, True, False]
    singles = nets([0.0, 0.0, 0.5])
    for k, (net, lr) in enumerate(zip(singles, lrs)):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            alone = lk.train(net, X, target, optimizer=lk.SGD(float(lr)), loss="mse",
                             epochs=40, rng=k)
        assert h[k].epochs_run == alone.epochs_run and h[k].diverged == alone.diverged
    same_params(stack, singles, atol=1e-10)
    assert np.all(np.isfinite(stack.params["W1"][1]))


# ------------------------------------------------- dropout: an independent check
def written_out_loss_and_grads(model, X, y, rates, seed):
    """The train-mode step of a 2-hidden-layer relu stack, written out with numpy:
    masks keep with probability 1 - p and scale the kept units by 1 / (1 - p)."""
    r = np.random.default_rng(seed)
    P = model.params
    drop = [k for k, p in enumerate(rates) if p > 0]
    keep = np.array([1 - rates[k] for k in drop])[:, None, None]

    def masks(shape):
        m = np.ones(shape)
        u = r.random((len(drop),) + shape[1:])
        m[drop] = np.where(u < keep, 1.0 / keep, 0.0)
        return m

    Z1 = X @ P["W1"] + P["b1"][:, None, :]
    M1 = masks(Z1.shape)
    H1 = np.maximum(Z1, 0) * M1
    Z2 = H1 @ P["W2"] + P["b2"][:, None, :]
    M2 = masks(Z2.shape)
    H2 = np.maximum(Z2, 0) * M2
    Z3 = H2 @ P["W3"] + P["b3"][:, None, :]
    t = y[None, :, None]
    loss = np.mean(np.logaddexp(0, Z3) - t * Z3, axis=(1, 2))
    d3 = (1 / (1 + np.exp(-Z3)) - t) / len(y)
    d2 = (d3 @ np.swapaxes(P["W3"], 1, 2)) * M2 * (Z2 > 0)
    d1 = (d2 @ np.swapaxes(P["W2"], 1, 2)) * M1 * (Z1 > 0)
    grads = {"W3": np.swapaxes(H2, 1, 2) @ d3, "W2": np.swapaxes(H1, 1, 2) @ d2,
             "W1": X.T @ d1}
    return loss, grads


def test_the_dropout_step_is_the_written_out_step(data):
    (X, y), _ = data
    rates = [0.2, 0.0, 0.7]
    stack = lk.MLP.stack(nets(rates))
    loss, grads = stack.loss_and_grads(X, y, "bce", train=True, rng=9)
    ref_loss, ref_grads = written_out_loss_and_grads(stack, X, y, rates, 9)
    assert_allclose(loss, ref_loss, rtol=1e-12)
    for name, g in ref_grads.items():
        assert_allclose(grads[name], g, rtol=1e-10, atol=1e-14, err_msg=name)


@pytest.mark.parametrize("rates", [[0.2], [0.2, 0.7, 0.0]])
def test_masks_are_zero_or_one_over_keep_with_the_right_rate(rates):
    X = np.random.default_rng(1).normal(size=(4000, 2))
    model = (nets(rates)[0] if len(rates) == 1 else lk.MLP.stack(nets(rates)))
    trace = model.forward_trace(X, train=True, rng=0)
    for mask in trace.masks[:-1]:
        mask = mask[None] if len(rates) == 1 else mask
        for k, p in enumerate(rates):
            values = np.unique(mask[k])
            want = [1.0] if p == 0 else [0.0, 1.0 / (1.0 - p)]
            assert_allclose(values, want, rtol=1e-15)
            kept = np.mean(mask[k] != 0)
            assert abs(kept - (1 - p)) < 4 * np.sqrt(p * (1 - p) / mask[k].size) + 1e-12
    # inverted dropout keeps the expectation: the mean over the masks of the dropped
    # hidden output is the evaluation-mode output
    one = nets([0.2])[0]
    post = one.forward_trace(X[:1], train=False).post[0]
    means = np.mean([one.forward_trace(np.repeat(X[:1], 20000, axis=0), train=True,
                                       rng=s).masks[0].mean(axis=0) for s in range(3)],
                    axis=0)
    assert_allclose(means * post[0], post[0], rtol=0.02)


# ----------------------------------------------------------------- the stack API
def test_stack_loss_and_grads_and_predictions_per_network(data):
    (X, y), _ = data
    singles = nets([0.0, 0.0, 0.0])
    stack = lk.MLP.stack(singles)
    penalties = [lk.L1(0.1), None, lk.LInf(0.2)]
    loss, grads = stack.loss_and_grads(X, y, "bce", penalties)
    for k, net in enumerate(singles):
        l_k, g_k = net.loss_and_grads(X, y, "bce", penalties[k])
        assert loss[k] == pytest.approx(l_k, rel=1e-14)
        for name in g_k:
            assert_allclose(grads[name][k], g_k[name], rtol=1e-13, atol=1e-16)
        assert_allclose(stack.predict_proba(X)[k], net.predict_proba(X), rtol=1e-14)
        assert_array_equal(stack.predict_class(X)[k], net.predict_class(X))
        assert_allclose(stack.weight_entries()[k], net.weight_entries())
    ev = lk.evaluate(stack, X, y, loss="bce", penalty=penalties)
    assert ev["loss"] == pytest.approx(loss, rel=1e-14) and ev["accuracy"].shape == (3,)


def test_stack_unstack_round_trip_and_errors():
    singles = nets([0.0, 0.5])
    stack = lk.MLP.stack(singles)
    assert stack.n_networks == 2 and stack.n_params == singles[0].n_params
    assert "n_networks=2" in repr(stack)
    for net, back in zip(singles, stack.unstack()):
        assert back.n_networks is None and back.dropout == net.dropout
        for name in net.params:
            assert_array_equal(back.params[name], net.params[name])
    with pytest.raises(lk.InvalidParameterError, match="'models'"):
        lk.MLP.stack([lk.MLP([2, 4, 1], rng=0), lk.MLP([2, 5, 1], rng=0)])
    with pytest.raises(lk.InvalidParameterError, match="'models'"):
        lk.MLP.stack([stack])
    with pytest.raises(lk.InvalidParameterError, match="'models'"):
        lk.MLP.stack([])
    with pytest.raises(lk.InvalidParameterError, match="'penalty'"):
        lk.train(stack, np.ones((3, 2)), [0, 1, 1], optimizer=lk.SGD(0.1), loss="bce",
                 epochs=1, penalty=[None])
    with pytest.raises(lk.InvalidParameterError, match="'rng'"):
        lk.train(stack, np.ones((3, 2)), [0, 1, 1], optimizer=lk.SGD(0.1), loss="bce",
                 epochs=1, rng=[1, 2, 3])
    with pytest.raises(lk.InvalidParameterError, match="'X'"):
        lk.train(stack, np.ones((3, 3, 2)), [0, 1, 1], optimizer=lk.SGD(0.1), loss="bce",
                 epochs=1)
    with pytest.raises(lk.InvalidParameterError, match="'lr'.*leading axes"):
        lk.train(stack, np.ones((3, 2)), [0, 1, 1], optimizer=lk.SGD([0.1, 0.2, 0.3]),
                 loss="bce", epochs=1)


def test_stacked_history_and_callback(data):
    (X, y), val = data
    seen = []

    def callback(epoch, model, history):
        seen.append((epoch, history.train_loss.shape))
        return epoch == 5

    h = lk.train(lk.MLP.stack(nets([0.0, 0.4])), X, y, optimizer=lk.Adam(0.01),
                 loss="bce", epochs=20, validation=val, callback=callback)
    assert seen[-1] == (5, (2, 5)) and h.stopped_early.all()
    assert h.epochs == [1, 2, 3, 4, 5] and [len(x.val_loss) for x in h] == [5, 5]
    assert h.penalty.shape == (2, 0) and h[0].penalty == []
    assert h.best_epoch.shape == (2,) and "networks=2" in repr(h)
    with pytest.raises(IndexError):
        h[2]
