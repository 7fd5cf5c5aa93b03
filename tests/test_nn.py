"""Tests for lkcourse.nn: whole-network gradients, losses, init, dropout, validation."""
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose, assert_array_equal

import lkcourse as lk

PENALTIES = {"none": None, "l2": lk.L2(0.3), "l1": lk.L1(0.05)}
N_OUT = {"mse": 2, "bce": 1, "ce": 3}


def make_problem(activation, loss, seed, dropout=0.0):
    rng = np.random.default_rng(seed)
    model = lk.MLP([2, 3, 3, N_OUT[loss]], activation, dropout=dropout, rng=seed)
    X = rng.standard_normal((6, 2))
    if loss == "mse":
        y = rng.standard_normal((6, 2))
    else:
        y = rng.integers(0, max(N_OUT[loss], 2), size=6)
    return model, X, y


def flat_loss_and_grad(model, X, y, loss, penalty, **kw):
    """f(theta), df(theta) over all parameters flattened into one vector."""
    names = list(model.params)
    shapes = [model.params[k].shape for k in names]
    sizes = [int(np.prod(s)) for s in shapes]

    def unflatten(theta):
        parts = np.split(theta, np.cumsum(sizes)[:-1])
        return {k: p.reshape(s) for k, p, s in zip(names, parts, shapes)}

    def f(theta):
        model.params = unflatten(theta)
        return model.loss_and_grads(X, y, loss, penalty, **kw)[0]

    def df(theta):
        model.params = unflatten(theta)
        grads = model.loss_and_grads(X, y, loss, penalty, **kw)[1]
        return np.concatenate([grads[k].ravel() for k in names])

    theta = np.concatenate([model.params[k].ravel() for k in names])
    return f, df, theta


@settings(derandomize=True, deadline=None, max_examples=2)
@given(seed=st.integers(0, 2**31 - 1))
@pytest.mark.parametrize("penalty", PENALTIES)
@pytest.mark.parametrize("loss", lk.LOSSES)
@pytest.mark.parametrize("activation", sorted(lk.ACTIVATIONS))
def test_whole_network_gradient_matches_finite_differences(activation, loss, penalty,
                                                           seed):
    model, X, y = make_problem(activation, loss, seed)
    # biases away from 0 so that the finite differences see a nonzero bias gradient
    for k in model.params:
        if k.startswith("b"):
            model.params[k] = np.random.default_rng(seed + 1).normal(
                0, 0.3, model.params[k].shape)
    f, df, theta = flat_loss_and_grad(model, X, y, loss, PENALTIES[penalty])
    lk.check_grad(f, df, theta, eps=1e-6, rtol=1e-5, atol=1e-7)


@pytest.mark.parametrize("loss", lk.LOSSES)
def test_dropout_gradient_with_a_fixed_mask(loss):
    model, X, y = make_problem("tanh", loss, 0, dropout=0.4)
    # the same integer seed gives the same mask on every call
    f, df, theta = flat_loss_and_grad(model, X, y, loss, lk.L2(0.1), train=True, rng=5)
    lk.check_grad(f, df, theta, eps=1e-6, rtol=1e-5, atol=1e-7)
    f_eval = flat_loss_and_grad(model, X, y, loss, lk.L2(0.1))[0]
    assert f(theta) != f_eval(theta)       # the mask really changed the loss


def test_forward_is_affine_then_activation_with_a_linear_last_layer():
    model = lk.MLP([3, 4, 5, 2], "gelu", rng=1)
    X = np.random.default_rng(0).standard_normal((7, 3))
    act = lk.activation("gelu")
    p = model.params
    h = act(X @ p["W1"] + p["b1"])
    h = act(h @ p["W2"] + p["b2"])
    assert_allclose(model.forward(X), h @ p["W3"] + p["b3"], rtol=1e-14, atol=1e-14)


@pytest.mark.parametrize("activation, sk_name", [("relu", "relu"), ("tanh", "tanh"),
                                                 ("sigmoid", "logistic"),
                                                 ("identity", "identity")])
def test_forward_matches_scikit_learn(activation, sk_name):
    from sklearn.neural_network import MLPRegressor
    model = lk.MLP([3, 6, 5, 2], activation, rng=2)
    X = np.random.default_rng(1).standard_normal((10, 3))
    reg = MLPRegressor(hidden_layer_sizes=(6, 5), activation=sk_name, max_iter=1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        reg.fit(X, np.zeros((10, 2)))
    reg.coefs_ = [model.params[f"W{i}"] for i in (1, 2, 3)]
    reg.intercepts_ = [model.params[f"b{i}"] + 0.1 for i in (1, 2, 3)]
    for i in (1, 2, 3):
        model.params[f"b{i}"] += 0.1
    assert_allclose(model.predict(X), reg.predict(X), rtol=1e-12, atol=1e-12)


def test_losses_against_their_formulas():
    rng = np.random.default_rng(3)
    X = rng.standard_normal((8, 2))
    reg = lk.MLP([2, 4, 2], "tanh", rng=0)
    Y = rng.standard_normal((8, 2))
    out = reg.forward(X)
    assert_allclose(reg.loss_and_grads(X, Y, "mse")[0],
                    np.mean(np.sum(0.5 * (out - Y) ** 2, axis=1)), rtol=1e-14)
    binary = lk.MLP([2, 4, 1], "tanh", rng=0)
    yb = rng.integers(0, 2, 8)
    p = 1 / (1 + np.exp(-binary.forward(X)[:, 0]))
    assert_allclose(binary.loss_and_grads(X, yb, "bce")[0],
                    -np.mean(yb * np.log(p) + (1 - yb) * np.log(1 - p)), rtol=1e-13)
    multi = lk.MLP([2, 4, 3], "tanh", rng=0)
    yc = rng.integers(0, 3, 8)
    z = multi.forward(X)
    probs = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)
    assert_allclose(multi.loss_and_grads(X, yc, "ce")[0],
                    -np.mean(np.log(probs[np.arange(8), yc])), rtol=1e-13)


def test_two_class_cross_entropy_equals_bce_on_the_logit_difference():
    rng = np.random.default_rng(4)
    X, y = rng.standard_normal((9, 2)), rng.integers(0, 2, 9)
    ce = lk.MLP([2, 3, 2], "relu", rng=0)
    bce = lk.MLP([2, 3, 1], "relu", rng=0)
    bce.params["W1"], bce.params["b1"] = ce.params["W1"], ce.params["b1"]
    bce.params["W2"] = ce.params["W2"][:, 1:] - ce.params["W2"][:, :1]
    bce.params["b2"] = ce.params["b2"][1:] - ce.params["b2"][:1]
    assert_allclose(ce.loss_and_grads(X, y, "ce")[0],
                    bce.loss_and_grads(X, y, "bce")[0], rtol=1e-13)
    assert_array_equal(ce.predict_class(X), bce.predict_class(X))
    assert_allclose(ce.predict_proba(X)[:, 1], bce.predict_proba(X), rtol=1e-13)


@pytest.mark.parametrize("scale", [1e3, 1e300])
def test_classification_losses_are_stable_for_huge_logits(scale):
    X = np.array([[1.0], [-1.0]])
    model = lk.MLP([1, 1], "identity", rng=0)
    model.params["W1"][...] = scale
    # the logits are +-scale; labels chosen so that both samples are badly wrong
    loss, grads = model.loss_and_grads(X, [0, 1], "bce")
    assert_allclose(loss, scale, rtol=1e-12)
    assert np.all(np.isfinite(grads["W1"])) and np.all(np.isfinite(grads["b1"]))
    assert_allclose(model.predict_proba(X), [1.0, 0.0])
    multi = lk.MLP([1, 2], "identity", rng=0)
    multi.params["W1"][...] = [[scale, -scale]]
    loss, grads = multi.loss_and_grads(X, [1, 0], "ce")
    assert_allclose(loss, 2 * scale, rtol=1e-12)
    assert np.all(np.isfinite(grads["W1"]))


def test_penalty_applies_to_weight_matrices_only():
    model, X, y = make_problem("relu", "mse", 0)
    pen = lk.L2(0.7)
    base, g0 = model.loss_and_grads(X, y, "mse")
    total, g1 = model.loss_and_grads(X, y, "mse", pen)
    weights = [w for k, w in model.params.items() if k.startswith("W")]
    assert_allclose(total - base, sum(pen.value(w) for w in weights), rtol=1e-12)
    for k in model.params:
        if k.startswith("b"):
            assert_array_equal(g1[k], g0[k])
        else:
            assert_allclose(g1[k], g0[k] + 1.4 * model.params[k], rtol=1e-12)


@pytest.mark.parametrize("activation, init, var", [
    ("relu", "he", lambda i, o: 2 / i), ("elu", "he", lambda i, o: 2 / i),
    ("prelu", "he", lambda i, o: 2 / i), ("leaky_relu", "he", lambda i, o: 2 / i),
    ("selu", "lecun", lambda i, o: 1 / i),
    ("tanh", "glorot", lambda i, o: 2 / (i + o)),
    ("gelu", "glorot", lambda i, o: 2 / (i + o)),
])
def test_initialisation_scheme(activation, init, var):
    model = lk.MLP([300, 200, 100], activation, rng=0)
    assert model.init == init
    for i, (fi, fo) in enumerate([(300, 200), (200, 100)], 1):
        W = model.params[f"W{i}"]
        assert W.shape == (fi, fo)
        assert_allclose(W.var(), var(fi, fo), rtol=0.03)
        assert abs(W.mean()) < 0.01 * np.sqrt(var(fi, fo)) * 3
        assert_array_equal(model.params[f"b{i}"], 0.0)


# torch.nn.init's formulas (PyTorch 2.x docs), with W of shape (fan_in, fan_out):
# kaiming_*_(mode="fan_in", nonlinearity="relu"): gain sqrt(2), std = gain / sqrt(fan_in),
#   uniform bound = gain * sqrt(3 / fan_in); LeCun is kaiming with nonlinearity="linear"
#   (gain 1); xavier_*_(gain=1): std = sqrt(2 / (fan_in + fan_out)), uniform bound =
#   sqrt(6 / (fan_in + fan_out)).
TORCH_INIT = {
    "he_normal": ("std", lambda i, o: np.sqrt(2.0) / np.sqrt(i)),
    "he_uniform": ("bound", lambda i, o: np.sqrt(2.0) * np.sqrt(3.0 / i)),
    "glorot_normal": ("std", lambda i, o: np.sqrt(2.0 / (i + o))),
    "glorot_uniform": ("bound", lambda i, o: np.sqrt(6.0 / (i + o))),
    "xavier_normal": ("std", lambda i, o: np.sqrt(2.0 / (i + o))),
    "xavier_uniform": ("bound", lambda i, o: np.sqrt(6.0 / (i + o))),
    "lecun_normal": ("std", lambda i, o: 1.0 / np.sqrt(i)),
    "lecun_uniform": ("bound", lambda i, o: np.sqrt(3.0 / i)),
}


def test_every_init_name_has_an_oracle():
    assert set(lk.INITS) == set(TORCH_INIT)


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("init", sorted(TORCH_INIT))
def test_init_variances_match_torch_nn_init(init, seed):
    kind, formula = TORCH_INIT[init]
    layers = [(500, 300), (300, 800)]
    model = lk.MLP([500, 300, 800], "tanh", init=init, rng=seed)
    for i, (fi, fo) in enumerate(layers, 1):
        W = model.params[f"W{i}"]
        assert W.shape == (fi, fo)
        assert_array_equal(model.params[f"b{i}"], 0.0)
        a = formula(fi, fo)
        var = a ** 2 if kind == "std" else a ** 2 / 3    # U(-a, a) has variance a^2/3
        # >= 1.5e5 draws: the sample variance has a relative sd below 0.4%, so 3% is
        # more than 7 sd away (and a wrong formula is off by >= 33%)
        assert_allclose(W.var(), var, rtol=0.03)
        assert abs(W.mean()) < 0.05 * np.sqrt(var)
        beyond = np.mean(np.abs(W) > np.sqrt(3 * var))
        if kind == "bound":   # uniform: inside the bound, and filling it
            assert np.abs(W).max() <= a and np.abs(W).max() > 0.99 * a
            assert beyond == 0
        else:                 # normal: P(|z| > sqrt 3) = 0.083
            assert 0.07 < beyond < 0.1


@pytest.mark.parametrize("init, family", [("xavier_normal", "glorot_normal"),
                                          ("xavier_uniform", "glorot_uniform")])
def test_xavier_is_an_alias_of_glorot(init, family):
    a = lk.MLP([3, 4, 2], init=init, rng=7)
    b = lk.MLP([3, 4, 2], init=family, rng=7)
    assert a.init == "glorot" and a.init_scheme == family
    assert all(np.array_equal(a.params[k], b.params[k]) for k in a.params)


def test_default_init_keeps_the_historical_draws():
    """init=None: N(0, var) by activation family, drawn layer by layer from rng."""
    for activation, var in (("relu", lambda i, o: 2 / i), ("selu", lambda i, o: 1 / i),
                            ("tanh", lambda i, o: 2 / (i + o))):
        model = lk.MLP([3, 5, 2], activation, rng=11)
        rng = np.random.default_rng(11)
        for i, (fi, fo) in enumerate([(3, 5), (5, 2)], 1):
            expected = np.sqrt(var(fi, fo)) * rng.standard_normal((fi, fo))
            assert_array_equal(model.params[f"W{i}"], expected)
    # the explicit normal scheme of the same family draws the same numbers
    a, b = lk.MLP([3, 5, 2], rng=3), lk.MLP([3, 5, 2], init="he_normal", rng=3)
    assert a.init_scheme == "he_normal"
    assert all(np.array_equal(a.params[k], b.params[k]) for k in a.params)


def test_bad_init_lists_the_names_and_suggests():
    with pytest.raises(lk.InvalidParameterError,
                       match=r"'init' parameter of MLP must be one of 'he_normal', "
                             r"'he_uniform'.*'lecun_uniform'. Got 'he_normall' instead. "
                             r"Did you mean 'he_normal'\?"):
        lk.MLP([2, 1], init="he_normall")
    for bad in ("he", "kaiming", 3, True):
        with pytest.raises(lk.InvalidParameterError, match="'init'"):
            lk.MLP([2, 1], init=bad)


# ----------------------------------------------------------------- forward_trace
@pytest.mark.parametrize("activation", ["relu", "tanh", "gelu", "selu"])
def test_forward_trace_records_every_layer(activation):
    model = lk.MLP([3, 7, 5, 2], activation, rng=0)
    X = np.random.default_rng(1).standard_normal((9, 3))
    trace = model.forward_trace(X)
    act = lk.activation(activation)
    assert len(trace.pre) == len(trace.post) == len(trace.masks) == 3
    assert [z.shape for z in trace.pre] == [(9, 7), (9, 5), (9, 2)]
    H = X
    for layer in range(3):
        W, b = model.params[f"W{layer + 1}"], model.params[f"b{layer + 1}"]
        assert_allclose(trace.pre[layer], H @ W + b, rtol=1e-12, atol=1e-14)
        if layer < 2:
            assert_array_equal(trace.post[layer], act(trace.pre[layer]))
        assert trace.masks[layer] is None
        H = trace.post[layer]
    assert_array_equal(trace.post[-1], trace.pre[-1])
    assert_array_equal(trace.post[-1], model.forward(X))


def test_forward_trace_with_dropout_matches_forward_with_the_same_rng():
    model = lk.MLP([3, 40, 40, 2], "relu", dropout=0.4, rng=0)
    X = np.random.default_rng(1).standard_normal((6, 3))
    trace = model.forward_trace(X, train=True, rng=5)
    assert_array_equal(trace.post[-1], model.forward(X, train=True, rng=5))
    assert not np.array_equal(trace.post[-1], model.forward(X))
    for layer in range(2):   # post is act(pre); the mask is applied on the way out
        assert_array_equal(trace.post[layer], np.maximum(trace.pre[layer], 0))
        assert set(np.unique(trace.masks[layer])) <= {0.0, 1 / 0.6}
    assert trace.masks[-1] is None
    # evaluation mode ignores dropout
    assert_array_equal(model.forward_trace(X).post[-1], model.forward(X))


def test_copy_deepcopy_and_pickle_round_trip_a_model_and_a_trace():
    import copy
    import pickle

    model = lk.MLP([2, 6, 1], "elu", init="glorot_uniform", dropout=0.3, rng=0)
    X = np.random.default_rng(1).standard_normal((5, 2))
    for clone in (model.copy(), copy.deepcopy(model), pickle.loads(pickle.dumps(model))):
        assert clone.init_scheme == "glorot_uniform" and clone.sizes == model.sizes
        assert all(np.array_equal(clone.params[k], model.params[k]) for k in model.params)
        assert all(clone.params[k] is not model.params[k] for k in model.params)
        # the dropout generator's state is copied too: the same masks come next
        assert_array_equal(clone.forward(X, train=True), model.copy().forward(X, train=True))
    trace = model.forward_trace(X)
    again = pickle.loads(pickle.dumps(trace))
    assert all(np.array_equal(a, b) for a, b in zip(again.post, trace.post))


def test_same_seed_same_weights_and_copy_is_independent():
    a, b = lk.MLP([2, 3, 1], rng=4), lk.MLP([2, 3, 1], rng=4)
    c = lk.MLP([2, 3, 1], rng=5)
    assert_array_equal(a.params["W1"], b.params["W1"])
    assert not np.array_equal(a.params["W1"], c.params["W1"])
    d = a.copy()
    d.params["W1"] += 1
    assert not np.array_equal(a.params["W1"], d.params["W1"])
    assert a.n_params == 2 * 3 + 3 + 3 + 1
    assert repr(a) == "MLP(sizes=[2, 3, 1], activation='relu', dropout=0.0)"


def test_dropout_is_off_in_evaluation_mode_and_unbiased_in_training_mode():
    model = lk.MLP([2, 50, 1], "relu", dropout=0.5, rng=0)
    X = np.random.default_rng(1).standard_normal((4, 2))
    eval_out = model.forward(X)
    assert_array_equal(eval_out, model.forward(X))
    assert_array_equal(model.predict(X), eval_out[:, 0])
    # one hidden layer: the output is linear in the mask, so E[train] = eval
    runs = np.stack([model.forward(X, train=True, rng=s) for s in range(4000)])
    assert not np.allclose(runs[0], eval_out)
    sem = runs.std(axis=0) / np.sqrt(len(runs))
    assert np.all(np.abs(runs.mean(axis=0) - eval_out) < 5 * sem)
    # seeded: same rng, same mask
    assert_array_equal(model.forward(X, train=True, rng=3), runs[3])


def test_dropout_mask_zeroes_about_p_and_scales_survivors():
    model = lk.MLP([1, 2000, 1], "identity", dropout=0.3, rng=0)
    model.params["W1"][...] = 1.0
    trace = model.forward_trace(np.ones((5, 1)), train=True, rng=0)
    mask = trace.masks[0]
    assert_allclose(np.mean(mask == 0), 0.3, atol=0.01)
    assert_allclose(np.unique(mask), [0.0, 1 / 0.7])
    # the output is the last layer applied to the dropped activations
    assert_allclose(trace.post[-1], (trace.post[0] * mask) @ model.params["W2"]
                    + model.params["b2"], rtol=1e-12)


def test_no_dropout_means_training_mode_equals_evaluation_mode():
    model, X, y = make_problem("silu", "ce", 1)
    assert_array_equal(model.forward(X, train=True), model.forward(X))
    la, ga = model.loss_and_grads(X, y, "ce", train=True)
    lb, gb = model.loss_and_grads(X, y, "ce")
    assert la == lb and all(np.array_equal(ga[k], gb[k]) for k in ga)


def test_predict_helpers_shapes():
    X = np.random.default_rng(0).standard_normal((5, 2))
    one, many = lk.MLP([2, 3, 1], rng=0), lk.MLP([2, 3, 4], rng=0)
    assert one.predict(X).shape == (5,) and many.predict(X).shape == (5, 4)
    p1, pk = one.predict_proba(X), many.predict_proba(X)
    assert p1.shape == (5,) and np.all((p1 > 0) & (p1 < 1))
    assert_allclose(pk.sum(axis=1), 1.0, rtol=1e-14)
    assert_array_equal(one.predict_class(X), (one.predict(X) > 0).astype(int))
    assert_array_equal(many.predict_class(X), np.argmax(pk, axis=1))


def test_inputs_are_not_mutated():
    model, X, y = make_problem("relu", "mse", 0, dropout=0.2)
    X0, y0 = X.copy(), y.copy()
    model.loss_and_grads(X, y, "mse", lk.L1(0.1), train=True)
    model.forward(X, train=True)
    model.forward_trace(X, train=True)
    assert_array_equal(X, X0)
    assert_array_equal(y, y0)


@pytest.mark.parametrize("call, name", [
    (lambda: lk.MLP([2]), "sizes"),
    (lambda: lk.MLP([2, 0, 1]), "sizes"),
    (lambda: lk.MLP([2, 2.5, 1]), "sizes"),
    (lambda: lk.MLP(3), "sizes"),
    (lambda: lk.MLP([2, 1], "rleu"), "activation"),
    (lambda: lk.MLP("31"), "sizes"),
    (lambda: lk.MLP([2, 1]).forward(np.ones((3, 2)), train=1), "train"),
    (lambda: lk.MLP([2, 1]).forward(np.ones((3, 2)), rng=-1), "rng"),
    (lambda: lk.MLP([2, 1]).loss_and_grads(np.ones((3, 2)), np.ones(3), rng="0"), "rng"),
    (lambda: lk.MLP([2, 1]).loss_and_grads(np.ones((3, 2)), np.ones(3), train=None),
     "train"),
    (lambda: lk.MLP([2, 1], 3.0), "activation"),
    (lambda: lk.MLP([2, 1], dropout=1.0), "dropout"),
    (lambda: lk.MLP([2, 1], rng=-3), "rng"),
    (lambda: lk.MLP([2, 1], init="glorot"), "init"),
    (lambda: lk.MLP([2, 1]).forward_trace(np.ones(2)), "X"),
    (lambda: lk.MLP([2, 1]).forward_trace(np.ones((3, 2)), train="yes"), "train"),
    (lambda: lk.MLP([2, 4, 1], dropout=0.5).forward_trace(np.ones((3, 2)), train=True,
                                                          rng=-1), "rng"),
    (lambda: lk.MLP([2, 1]).forward(np.ones(2)), "X"),
    (lambda: lk.MLP([2, 1]).forward(np.ones((3, 3))), "X"),
    (lambda: lk.MLP([2, 1]).forward([[1.0, np.nan]]), "X"),
    (lambda: lk.MLP([2, 1]).loss_and_grads(np.ones((3, 2)), np.ones(3), "mes"), "loss"),
    (lambda: lk.MLP([2, 1]).loss_and_grads(np.ones((3, 2)), np.ones(4)), "y"),
    (lambda: lk.MLP([2, 2]).loss_and_grads(np.ones((3, 2)), np.ones(3)), "y"),
    (lambda: lk.MLP([2, 2]).loss_and_grads(np.ones((3, 2)), [0, 1, 1], "bce"), "loss"),
    (lambda: lk.MLP([2, 1]).loss_and_grads(np.ones((3, 2)), [0, 1, 1], "ce"), "loss"),
    (lambda: lk.MLP([2, 1]).loss_and_grads(np.ones((3, 2)), [0, 2, 1], "bce"), "y"),
    (lambda: lk.MLP([2, 3]).loss_and_grads(np.ones((3, 2)), [0, 3, 1], "ce"), "y"),
    (lambda: lk.MLP([2, 3]).loss_and_grads(np.ones((3, 2)), [0, 0.5, 1], "ce"), "y"),
    (lambda: lk.MLP([2, 1]).loss_and_grads(np.ones((3, 2)), np.ones(3), "mse",
                                           penalty="l2"), "penalty"),
])
def test_validation_names_the_parameter(call, name):
    with pytest.raises(lk.InvalidParameterError, match=f"'{name}'"):
        call()


def test_unknown_loss_lists_choices_and_suggests():
    with pytest.raises(lk.InvalidParameterError,
                       match=r"'mse', 'bce', 'ce'.*Did you mean 'mse'\?"):
        lk.MLP([2, 1]).loss_and_grads(np.ones((3, 2)), np.ones(3), "mes")


def test_weight_entries_are_the_weight_matrices_only_in_layer_order():
    model = lk.MLP([3, 4, 2, 1], rng=5)
    for name in model.params:
        if name.startswith("b"):
            model.params[name][...] = 99.0           # biases must not appear
    got = model.weight_entries()
    want = np.concatenate([model.params[f"W{i}"].ravel() for i in (1, 2, 3)])
    np.testing.assert_array_equal(got, want)
    assert got.size == 3 * 4 + 4 * 2 + 2 * 1 and not np.any(got == 99.0)
    got[0] = -1.0                                     # a copy, not a view
    assert model.params["W1"].ravel()[0] != -1.0
