"""Tests for lkcourse.training: accuracy, determinism, bookkeeping, divergence, stopping."""
import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal

import lkcourse as lk
from lkcourse import datasets as ds


@pytest.mark.parametrize("data", ["moons", "xor"])
def test_reaches_97_percent_training_accuracy(data):
    X, y = getattr(ds, data)(300, noise=0.1 if data == "moons" else 0.05, rng=0)
    model = lk.MLP([2, 32, 32, 1], "relu", rng=0)
    hist = lk.train(model, X, y, optimizer=lk.Adam(1e-2), loss="bce", epochs=60,
                    batch_size=32, rng=0)
    assert lk.evaluate(model, X, y, loss="bce")["accuracy"] >= 0.97
    assert hist.train_acc[-1] >= 0.97 and not hist.diverged


def test_softmax_classifier_on_three_spirals():
    X, y = ds.spirals(300, noise=0.02, n_classes=3, rng=0)
    model = lk.MLP([2, 64, 64, 3], "tanh", rng=0)
    lk.train(model, X, y, optimizer=lk.Adam(1e-2), loss="ce", epochs=150,
             batch_size=64, rng=0)
    assert np.mean(model.predict_class(X) == y) >= 0.95


def run(seed_model=0, seed_train=0, **kw):
    X, y = ds.moons(120, noise=0.2, rng=1)
    model = lk.MLP([2, 16, 1], "tanh", dropout=0.2, rng=seed_model)
    args = dict(optimizer=lk.SGD(0.1, momentum=0.9), loss="bce", epochs=8,
                batch_size=16, validation=(X[:40], y[:40]), rng=seed_train,
                penalty=lk.L2(1e-3))
    args.update(kw)
    return model, lk.train(model, X, y, **args)


def test_same_seed_identical_history_and_params():
    m1, h1 = run()
    m2, h2 = run()
    assert h1 == h2
    for k in m1.params:
        assert_array_equal(m1.params[k], m2.params[k])
    _, h3 = run(seed_train=1)       # other shuffling and dropout masks
    assert h3.train_loss != h1.train_loss


def test_history_bookkeeping():
    model, h = run()
    assert h.epochs == list(range(1, 9)) and h.epochs_run == 8
    for name in ("train_loss", "val_loss", "train_acc", "val_acc", "penalty",
                 "weight_norm"):
        assert len(getattr(h, name)) == 8, name
    weights = [w for k, w in model.params.items() if k.startswith("W")]
    assert_allclose(h.weight_norm[-1], np.sqrt(sum(np.sum(w**2) for w in weights)),
                    rtol=1e-14)
    assert_allclose(h.penalty[-1], sum(lk.L2(1e-3).value(w) for w in weights),
                    rtol=1e-14)
    X, y = ds.moons(120, noise=0.2, rng=1)
    final = lk.evaluate(model, X[:40], y[:40], loss="bce")
    assert_allclose(h.val_loss[-1], final["loss"], rtol=1e-14)
    assert h.val_acc[-1] == final["accuracy"]
    assert h.best_epoch == int(np.argmin(h.val_loss)) + 1
    assert "History(loss='bce', epochs_run=8" in repr(h)


def test_eval_train_records_the_full_training_set_in_evaluation_mode():
    model, h = run(eval_train=True)
    X, y = ds.moons(120, noise=0.2, rng=1)
    final = lk.evaluate(model, X, y, loss="bce")
    assert_allclose(h.train_loss[-1], final["loss"], rtol=1e-14)
    assert h.train_acc[-1] == final["accuracy"]


def test_full_batch_training_is_plain_gradient_descent():
    X, y, _ = ds.sparse_regression(40, 3, 2, rng=0)
    pen = lk.L1(0.01)
    model = lk.MLP([3, 5, 1], "tanh", rng=0)
    manual = model.copy()
    opt = lk.SGD(0.05)
    h = lk.train(model, X, y, optimizer=lk.SGD(0.05), loss="mse", penalty=pen, epochs=5)
    for epoch in range(5):
        value, grads = manual.loss_and_grads(X, y, "mse")
        # train_loss is the data loss of the batch, before the step
        assert_allclose(h.train_loss[epoch], value, rtol=1e-14)
        grads = manual.loss_and_grads(X, y, "mse", pen)[1]
        opt.step(manual.params, grads)
    for k in model.params:
        assert_array_equal(model.params[k], manual.params[k])
    assert h.train_acc == [] and h.val_loss == []


class CountingSGD(lk.SGD):
    def __init__(self, *a, **kw):
        super().__init__(*a, **kw)
        self.batch_sizes = []

    def step(self, params, grads):
        super().step(params, grads)
        self.batch_sizes.append(None)


def test_number_of_steps_and_shuffling():
    X, y = ds.xor(50, rng=0)
    opt = CountingSGD(0.1)
    lk.train(lk.MLP([2, 4, 1], rng=0), X, y, optimizer=opt, loss="bce", epochs=3,
             batch_size=16)
    assert len(opt.batch_sizes) == 3 * 4          # ceil(50 / 16) = 4 batches per epoch
    # batch_size larger than n: one full batch per epoch
    opt = CountingSGD(0.1)
    lk.train(lk.MLP([2, 4, 1], rng=0), X, y, optimizer=opt, loss="bce", epochs=3,
             batch_size=500)
    assert len(opt.batch_sizes) == 3


def test_l2_penalty_equals_sgd_weight_decay_on_a_real_mlp():
    X, y = ds.moons(100, noise=0.2, rng=0)
    lam = 3e-3
    a = lk.MLP([2, 16, 16, 1], "tanh", rng=0)
    b = a.copy()
    lk.train(a, X, y, optimizer=lk.SGD(0.2), loss="bce", penalty=lk.L2(lam),
             epochs=20, batch_size=10, rng=0)
    # the penalty never touches biases, so the decay must skip them too
    lk.train(b, X, y, optimizer=lk.SGD(0.2, weight_decay=2 * lam,
                                       decay=lk.decay_weights_only),
             loss="bce", epochs=20, batch_size=10, rng=0)
    moved = np.max(np.abs(a.params["W2"] - lk.MLP([2, 16, 16, 1], "tanh",
                                                  rng=0).params["W2"]))
    assert moved > 0.1                            # 200 steps really changed the weights
    for k in a.params:
        assert_allclose(a.params[k], b.params[k], rtol=0, atol=1e-13)


def test_divergence_sets_the_flag_and_warns_instead_of_raising():
    X, y, _ = ds.sparse_regression(50, 3, 2, rng=0)
    model = lk.MLP([3, 20, 1], "relu", rng=0)
    with pytest.warns(UserWarning, match=r"non-finite .* at epoch \d+"):
        h = lk.train(model, X, 1e6 * y, optimizer=lk.SGD(10.0), loss="mse", epochs=500)
    assert h.diverged and h.epochs_run < 500
    assert len(h.train_loss) == h.epochs_run
    assert all(np.isfinite(h.train_loss))


def test_early_stopping_restores_the_best_parameters():
    X, y = ds.moons(60, noise=0.35, rng=0)
    Xv, yv = ds.moons(60, noise=0.35, rng=1)
    snapshots = {}

    def remember(epoch, model, history):
        snapshots[epoch] = {k: v.copy() for k, v in model.params.items()}

    model = lk.MLP([2, 64, 64, 1], "relu", rng=0)
    h = lk.train(model, X, y, optimizer=lk.Adam(2e-2), loss="bce", epochs=300,
                 validation=(Xv, yv), patience=10, callback=remember, rng=0)
    assert h.stopped_early and h.epochs_run == h.best_epoch + 10 < 300
    assert h.val_loss[h.best_epoch - 1] == min(h.val_loss)
    for k in model.params:
        assert_array_equal(model.params[k], snapshots[h.best_epoch][k])
    # restore_best=False keeps the last parameters
    model = lk.MLP([2, 64, 64, 1], "relu", rng=0)
    lk.train(model, X, y, optimizer=lk.Adam(2e-2), loss="bce", epochs=300,
             validation=(Xv, yv), patience=10, restore_best=False, rng=0)
    assert_array_equal(model.params["W1"], snapshots[h.epochs_run]["W1"])


def test_callback_can_stop_training():
    _, h = run(callback=lambda epoch, model, hist: epoch == 3)
    assert h.epochs_run == 3 and h.stopped_early


def test_quiet_by_default_and_progress_bar_on_request(capsys):
    run()
    out = capsys.readouterr()
    assert out.out == "" and out.err == ""
    run(progress=True)
    assert "8/8" in capsys.readouterr().err


def test_inputs_are_not_mutated():
    X, y = ds.moons(40, rng=0)
    X0, y0 = X.copy(), y.copy()
    lk.train(lk.MLP([2, 4, 1], rng=0), X, y, optimizer=lk.Adam(), loss="bce", epochs=2,
             batch_size=8, rng=0)
    assert_array_equal(X, X0)
    assert_array_equal(y, y0)


@pytest.mark.parametrize("kw, name", [
    (dict(model="mlp"), "model"),
    (dict(optimizer="adam"), "optimizer"),
    (dict(loss="bse"), "loss"),
    (dict(epochs=0), "epochs"),
    (dict(batch_size=0), "batch_size"),
    (dict(validation=np.ones(3)), "validation"),
    (dict(validation=(np.ones((3, 3)), np.ones(3))), "X_val"),
    (dict(validation=None, patience=3), "patience"),
    (dict(patience=0), "patience"),
    (dict(callback=3), "callback"),
    (dict(penalty=2.0), "penalty"),
    (dict(rng=1.5), "rng"),
    (dict(y=np.arange(10)), "y"),
    (dict(optimizer=lk.Adam), "optimizer"),
    (dict(progress="yes"), "progress"),
    (dict(restore_best=1), "restore_best"),
    (dict(eval_train=None), "eval_train"),
])
def test_validation_names_the_parameter(kw, name):
    X, y = ds.moons(10, rng=0)
    args = dict(model=lk.MLP([2, 3, 1], rng=0), X=X, y=y, optimizer=lk.SGD(0.1),
                loss="bce", epochs=2, validation=(X, y))
    args.update(kw)
    with pytest.raises(lk.InvalidParameterError, match=f"'{name}'"):
        lk.train(args.pop("model"), args.pop("X"), args.pop("y"), **args)


# ------------------------------------------------------------- proximal training
def soft(v, t):
    """Soft-thresholding written out here (an oracle independent of lk.soft_threshold)."""
    return np.where(v > t, v - t, np.where(v < -t, v + t, 0.0))


def test_prox_mode_converges_to_fit_linears_lasso():
    """A [d, 1] identity network is a linear model: its half-MSE is fit_linear's
    (1/(2n))||y - Xw - b||^2, the bias its unpenalized intercept. Full-batch SGD with
    lr = 1/L and the L1 prox is ISTA, so it converges to fit_linear's FISTA solution."""
    X, y, _ = ds.sparse_regression(80, 8, 3, correlation=0.3, noise=0.5, rng=0)
    lam = 0.1
    ref = lk.fit_linear(X, y, lk.L1(lam), tol=1e-12, max_iter=100_000)
    assert ref.converged
    Xb = np.column_stack([X, np.ones(len(X))])
    L = np.linalg.eigvalsh(Xb.T @ Xb / len(X)).max()   # Lipschitz constant of the gradient
    model = lk.MLP([8, 1], "identity", rng=0)
    h = lk.train(model, X, y, optimizer=lk.SGD(1 / L), loss="mse", penalty=lk.L1(lam),
                 penalty_mode="prox", epochs=3000)
    coef, intercept = model.params["W1"][:, 0], model.params["b1"][0]
    assert_allclose(coef, ref.coef, rtol=0, atol=1e-7)
    assert_allclose(intercept, ref.intercept, rtol=0, atol=1e-7)
    assert 0 < np.sum(ref.coef == 0) < 8
    assert_array_equal(coef == 0, ref.coef == 0)          # the same exact zeros
    # History: data loss (before the last step) + penalty (after it) = the objective
    objective = 0.5 * np.mean((y - X @ ref.coef - ref.intercept) ** 2) + lam * np.sum(
        np.abs(ref.coef))
    assert_allclose(h.train_loss[-1] + h.penalty[-1], objective, rtol=1e-9)
    assert_allclose(h.penalty[-1], lam * np.sum(np.abs(coef)), rtol=1e-12)


def test_one_prox_step_is_a_gradient_step_then_soft_thresholding():
    X, y, _ = ds.sparse_regression(30, 3, 2, rng=1)
    lr, lam = 0.3, 0.05
    model = lk.MLP([3, 6, 1], "tanh", rng=0)
    before = {k: v.copy() for k, v in model.params.items()}
    _, grads = model.copy().loss_and_grads(X, y, "mse")       # data loss only
    h = lk.train(model, X, y, optimizer=lk.SGD(lr), loss="mse", penalty=lk.L1(lam),
                 penalty_mode="prox", epochs=1)
    zeros = []
    for k, w in before.items():
        stepped = w - lr * grads[k]
        if k.startswith("W"):     # weights: soft-threshold at lr * lam
            expected = soft(stepped, lr * lam)
            zeros += list(expected.ravel() == 0)
        else:                     # biases: the plain gradient step
            expected = stepped
        assert_allclose(model.params[k], expected, rtol=1e-13, atol=1e-15)
    assert 0 < sum(zeros) < len(zeros)          # the threshold bit on some weights
    assert h.epochs_run == 1 and len(h.penalty) == 1


def test_prox_mode_keeps_the_penalty_out_of_the_gradient():
    """With L2 and plain SGD, "grad" is w - lr(g + 2 lam w); "prox" is
    (w - lr g) / (1 + 2 lr lam): different, each by its own formula."""
    X, y, _ = ds.sparse_regression(20, 2, 2, rng=2)
    lr, lam = 0.2, 0.4
    start = lk.MLP([2, 1], "identity", rng=0)
    g = start.loss_and_grads(X, y, "mse")[1]["W1"]
    w0 = start.params["W1"]
    out = {}
    for mode in ("grad", "prox"):
        m = start.copy()
        lk.train(m, X, y, optimizer=lk.SGD(lr), loss="mse", penalty=lk.L2(lam),
                 penalty_mode=mode, epochs=1)
        out[mode] = m.params["W1"]
    assert_allclose(out["grad"], w0 - lr * (g + 2 * lam * w0), rtol=1e-13)
    assert_allclose(out["prox"], (w0 - lr * g) / (1 + 2 * lr * lam), rtol=1e-13)


class ValueGradOnly:
    def value(self, w):
        return float(np.sum(w ** 2))

    def grad(self, w):
        return 2 * w


class NoLr:
    def step(self, params, grads):
        pass


@pytest.mark.parametrize("kw, match", [
    (dict(penalty_mode="proxy"), r"'penalty_mode' parameter of train must be one of "
                                 r"'grad', 'prox'. Got 'proxy' instead. Did you mean "),
    (dict(penalty_mode=None), "'penalty_mode'"),
    (dict(penalty_mode="prox"), r"'penalty_mode' parameter of train must be 'grad' when "
                                r"penalty is None"),
    (dict(penalty_mode="prox", penalty=ValueGradOnly()), r"'penalty' .* prox\(v, step\)"),
    (dict(penalty_mode="prox", penalty=lk.L1(0.1), optimizer=NoLr()),
     r"'optimizer' .* learning rate"),
])
def test_penalty_mode_validation(kw, match):
    X, y = ds.moons(10, rng=0)
    args = dict(optimizer=lk.SGD(0.1), loss="bce", epochs=1)
    args.update(kw)
    with pytest.raises(lk.InvalidParameterError, match=match):
        lk.train(lk.MLP([2, 3, 1], rng=0), X, y, **args)


def test_an_out_of_range_label_is_named_in_the_error():
    X = np.zeros((5, 2))
    model = lk.MLP([2, 4, 3], rng=0)
    with pytest.raises(lk.InvalidParameterError, match=r"Got the label 7 at index 3 .*shape \(5,\)"):
        lk.train(model, X, [0, 1, 2, 7, 1], optimizer=lk.SGD(0.1), loss="ce", epochs=1)
    with pytest.raises(lk.InvalidParameterError, match=r"label 0.5 at index 0"):
        lk.MLP([2, 4, 1], rng=0).loss_and_grads(X, [0.5, 1, 0, 1, 0], "bce")
    stack = lk.MLP.stack([model, model])
    with pytest.raises(lk.InvalidParameterError, match=r"label -1 at index \(1, 2\)"):
        lk.evaluate(stack, X, [[0, 1, 2, 0, 1], [0, 1, -1, 0, 1]], loss="ce")
