"""Tests for lkcourse.optim: hand-computed steps, PyTorch trajectories, invariants."""
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose, assert_array_equal

import lkcourse as lk

W0 = np.array([1.0, -2.0])


def run(opt, grads, w0=W0):
    """Apply opt to {"W1": w0} with the given list of gradients; return the iterates."""
    params = {"W1": np.array(w0, dtype=float)}
    out = []
    for g in grads:
        opt.step(params, {"W1": np.asarray(g, dtype=float)})
        out.append(params["W1"].copy())
    return out


# ---- hand-computed first steps (w0 = [1, -2]) --------------------------------------
def test_sgd_weight_decay_by_hand():
    g = [0.5, -1.0]
    w1, w2 = run(lk.SGD(lr=0.1, weight_decay=0.1), [g, g])
    # d1 = g + 0.1*w0 = [0.6, -1.2];    w1 = w0 - 0.1*d1
    assert_allclose(w1, [0.94, -1.88], rtol=0, atol=1e-15)
    # d2 = g + 0.1*w1 = [0.594, -1.188]; w2 = w1 - 0.1*d2
    assert_allclose(w2, [0.8806, -1.7612], rtol=0, atol=1e-15)


def test_sgd_momentum_buffer_starts_at_the_gradient():
    g = [1.0, -1.0]
    w1, w2, w3 = run(lk.SGD(lr=0.1, momentum=0.9), [g, g, g])
    # buf: g, 0.9g + g = 1.9g, 0.9*1.9g + g = 2.71g
    assert_allclose(w1, [0.9, -1.9], rtol=0, atol=1e-15)
    assert_allclose(w2, [0.71, -1.71], rtol=0, atol=1e-15)
    assert_allclose(w3, [0.439, -1.439], rtol=0, atol=1e-15)


def test_sgd_and_sgdw_with_momentum_by_hand():
    g = [1.0, -1.0]
    # SGD (L2 inside the buffer): d1 = g + 0.5*w0 = [1.5, -2] = buf1, w1 = [0.85, -1.8]
    # d2 = g + 0.5*w1 = [1.425, -1.9], buf2 = 0.9*buf1 + d2 = [2.775, -3.7]
    s1, s2 = run(lk.SGD(lr=0.1, momentum=0.9, weight_decay=0.5), [g, g])
    assert_allclose(s1, [0.85, -1.8], rtol=0, atol=1e-15)
    assert_allclose(s2, [0.5725, -1.43], rtol=0, atol=1e-15)
    # SGDW: buf1 = g, w1 = w0 - 0.1*0.5*w0 - 0.1*g = [0.85, -1.8]
    # buf2 = 1.9g, w2 = w1 - 0.05*w1 - 0.19*g = [0.6175, -1.52]
    d1, d2 = run(lk.SGDW(lr=0.1, momentum=0.9, weight_decay=0.5), [g, g])
    assert_allclose(d1, [0.85, -1.8], rtol=0, atol=1e-15)
    assert_allclose(d2, [0.6175, -1.52], rtol=0, atol=1e-15)


def test_adam_two_steps_by_hand():
    g1, g2 = np.array([1.0, -1.0]), np.array([-1.0, 3.0])
    w1, w2 = run(lk.Adam(lr=0.1), [g1, g2])
    # step 1: mhat = g1, vhat = g1**2, so each coordinate moves by 0.1*|g|/(|g| + eps)
    assert_allclose(w1, [1 - 0.1 / (1 + 1e-8), -2 + 0.1 / (1 + 1e-8)], rtol=0,
                    atol=1e-15)
    # step 2: m = 0.9*0.1*g1 + 0.1*g2 = [-0.01, 0.21]
    #         v = 0.999*0.001*g1**2 + 0.001*g2**2 = [0.001999, 0.009999]
    #         mhat = m / (1 - 0.81), vhat = v / (1 - 0.998001)
    mhat = np.array([-0.01, 0.21]) / 0.19
    vhat = np.array([0.001999, 0.009999]) / 0.001999
    assert_allclose(w2, w1 - 0.1 * mhat / (np.sqrt(vhat) + 1e-8), rtol=0, atol=1e-14)


def test_adamw_step_by_hand():
    g = [0.5, -1.0]
    w1, w2 = run(lk.AdamW(lr=0.1, weight_decay=0.5), [g, g])
    # constant gradient: mhat = g and vhat = g**2 at every step
    step = 0.1 * np.array([0.5 / (0.5 + 1e-8), -1 / (1 + 1e-8)])
    assert_allclose(w1, W0 * (1 - 0.05) - step, rtol=0, atol=1e-15)
    assert_allclose(w2, w1 * (1 - 0.05) - step, rtol=0, atol=1e-15)


def test_defaults_are_pytorchs():
    assert (lk.Adam().lr, lk.Adam().betas, lk.Adam().eps, lk.Adam().weight_decay) == (
        1e-3, (0.9, 0.999), 1e-8, 0.0)
    assert lk.AdamW().weight_decay == 1e-2 and lk.AdamW().lr == 1e-3
    assert (lk.SGD(0.1).momentum, lk.SGD(0.1).weight_decay) == (0.0, 0.0)


# ---- outside oracle: PyTorch 2.13.0 ---------------------------------------------------
# Generated once with torch 2.13.0+cpu in a scratch venv (never a dependency), float64:
#   A = {"W": [[2.0, 0.5], [1.5, 0.25]], "b": [1.0, 3.0]}
#   C = {"W": [[-1.0, 0.3], [0.7, -2.0]], "b": [0.5, -0.1]}
#   p = {"W": tensor(INIT_W), "b": tensor(INIT_B)}
#   opt = torch.optim.<Cls>([p["W"], p["b"]], **kwargs)       # "wonly": two param
#   # groups, {"params": [p["b"]], "weight_decay": 0.0} for the bias
#   for t in 1..25: p[k].grad = p[k].detach() * A[k] + C[k] (for k in W, b); opt.step()
# and the iterates after steps 1, 2, 3 and 25 printed with repr(float).
TORCH_A = {"W": np.array([[2.0, 0.5], [1.5, 0.25]]), "b": np.array([1.0, 3.0])}
TORCH_C = {"W": np.array([[-1.0, 0.3], [0.7, -2.0]]), "b": np.array([0.5, -0.1])}
INIT_W, INIT_B = [[1.0, -2.0], [0.5, 3.0]], [0.2, -0.4]
TORCH_CONFIGS = {
    "sgd": lambda d: lk.SGD(lr=0.1, decay=d),
    "sgd_mom_wd": lambda d: lk.SGD(lr=0.1, momentum=0.9, weight_decay=0.05, decay=d),
    "adam": lambda d: lk.Adam(lr=0.01, decay=d),
    "adam_wd": lambda d: lk.Adam(lr=0.05, betas=(0.8, 0.99), eps=1e-6, weight_decay=0.1,
                                 decay=d),
    "adamw": lambda d: lk.AdamW(lr=0.05, weight_decay=0.1, decay=d),
}
TORCH_REF = {
    'sgd': {
        1: {'W': [0.9, -1.93, 0.355, 3.125], 'b': [0.13, -0.26999999999999996]},
        2: {'W': [0.8200000000000001, -1.8635, 0.23174999999999998, 3.246875],
            'b': [0.067, -0.17899999999999996]},
        3: {'W': [0.756, -1.800325, 0.12698749999999998, 3.365703125],
            'b': [0.010300000000000005, -0.11529999999999997]},
        25: {'W': [0.5018889465931478, -0.9883454023705671, -0.4500421171428656,
                   5.344872402590992], 'b': [-0.4497471408615703, 0.03327522035981456]},
    },
    'sgd_mom_wd': {
        1: {'W': [0.895, -1.92, 0.3525, 3.11], 'b': [0.129, -0.26799999999999996]},
        2: {'W': [0.717025, -1.7724, 0.0951125, 3.3157],
            'b': [0.0015550000000000104, -0.057459999999999914]},
        3: {'W': [0.5098573750000001, -1.5720779999999999, -0.2212786875, 3.601359],
            'b': [-0.163308775, 0.15955130000000012]},
        25: {'W': [0.5849097786244625, -0.8897455405017952, -0.6410670061905521,
                   7.2956497496935295], 'b': [-0.5473645632788863, 0.07533714399835927]},
    },
    'sgd_mom_wd_wonly': {
        1: {'W': [0.895, -1.92, 0.3525, 3.11], 'b': [0.13, -0.26999999999999996]},
        2: {'W': [0.717025, -1.7724, 0.0951125, 3.3157],
            'b': [0.003999999999999997, -0.061999999999999944]},
        3: {'W': [0.5098573750000001, -1.5720779999999999, -0.2212786875, 3.601359],
            'b': [-0.15980000000000003, 0.15380000000000005]},
        25: {'W': [0.5849097786244625, -0.8897455405017952, -0.6410670061905521,
                   7.2956497496935295], 'b': [-0.5353813816686313, 0.061774006255001616]},
    },
    'adam': {
        1: {'W': [0.9900000001, -1.990000000142857, 0.4900000000689655, 3.00999999992],
            'b': [0.19000000014285715, -0.3900000000769231]},
        2: {'W': [0.9800057758676809, -1.980001933017024, 0.4800028457382489,
                  3.01999947299479], 'b': [0.18000400943590456, -0.3800067663952431]},
        3: {'W': [0.9700213294056602, -1.970007101042058, 0.4700104675546377,
                  3.029998067908555], 'b': [0.17001477099468643, -0.37002502023796874]},
        25: {'W': [0.7617934926814104, -1.7535137050897853, 0.25531829600859346,
                   3.24908193797917], 'b': [-0.04223821195911683, -0.1642305314310501]},
    },
    'adam_wd': {
        1: {'W': [0.9500000454545041, -1.9500000555554937, 0.4500000333333111,
                  3.0499999473684762], 'b': [0.15000006944434802, -0.350000037313405]},
        2: {'W': [0.900328384414549, -1.9000971912825928, 0.40016411545926545,
                  3.0999484241645137], 'b': [0.10025004953447733, -0.3004191712193845]},
        3: {'W': [0.8512501912527048, -1.8503595615786672, 0.350612589165866,
                  3.1498104210672353], 'b': [0.05094310055161985, -0.2516122793851697]},
        25: {'W': [0.4531284431145408, -0.9283957137858082, -0.4088281401674236,
                   4.165518720348115], 'b': [-0.49919948404258535, 0.027027688101524547]},
    },
    'adamw': {
        1: {'W': [0.9450000005, -1.9400000007142857, 0.44750000034482756,
                  3.0349999995999997], 'b': [0.1490000007142857, -0.3480000003846154]},
        2: {'W': [0.8905109284795806, -1.8803690502828223, 0.3953546986613329,
                  3.069815535812825], 'b': [0.0983891712532981, -0.2965275970476961]},
        3: {'W': [0.836733423861228, -1.821155250367564, 0.34363090960189147,
                  3.1044412235037835], 'b': [0.04827022048386808, -0.24581672383180614]},
        25: {'W': [0.41176272906171624, -0.7498128582878605, -0.4990940823477854,
                   3.808637456342115], 'b': [-0.615972709530596, 0.06925367155150332]},
    },
    'adamw_wonly': {
        1: {'W': [0.9450000005, -1.9400000007142857, 0.44750000034482756,
                  3.0349999995999997], 'b': [0.1500000007142857, -0.35000000038461543]},
        2: {'W': [0.8905109284795806, -1.8803690502828223, 0.3953546986613329,
                  3.069815535812825], 'b': [0.10013073615869819, -0.3002527470947293]},
        3: {'W': [0.836733423861228, -1.821155250367564, 0.34363090960189147,
                  3.1044412235037835], 'b': [0.050495014495862856, -0.2509815727128947]},
        25: {'W': [0.41176272906171624, -0.7498128582878605, -0.4990940823477854,
                   3.808637456342115], 'b': [-0.6411858367477278, 0.07808769993291617]},
    },
}


@pytest.mark.parametrize("key", TORCH_REF)
def test_trajectories_match_pytorch(key):
    base = key.removesuffix("_wonly")
    decay = (lambda name, w: name == "W") if key.endswith("_wonly") else None
    opt = TORCH_CONFIGS[base](decay)
    params = {"W": np.array(INIT_W), "b": np.array(INIT_B)}
    for t in range(1, 26):
        opt.step(params, {k: params[k] * TORCH_A[k] + TORCH_C[k] for k in params})
        if t in TORCH_REF[key]:
            for k in params:
                # agreement to a few ulps (PyTorch's kernels may fuse multiply-adds)
                assert_allclose(params[k].ravel(), TORCH_REF[key][t][k], rtol=0,
                                atol=2e-15, err_msg=f"{key} step {t} {k}")


# ---- invariants ----------------------------------------------------------------------
def quadratic_grads(params):
    """Gradients of a fixed convex quadratic, a function of the current params."""
    return {"W1": 3.0 * params["W1"] - 1.0, "b1": 0.5 * params["b1"] + 2.0}


def trajectory(opt, steps=100):
    params = {"W1": np.array([[1.0, -2.0], [0.5, 0.3]]), "b1": np.array([0.4, -0.7])}
    out = []
    for _ in range(steps):
        opt.step(params, quadratic_grads(params))
        out.append({k: v.copy() for k, v in params.items()})
    return out


def test_sgd_l2_equals_sgdw_without_momentum():
    a = trajectory(lk.SGD(lr=0.05, weight_decay=0.3))
    b = trajectory(lk.SGDW(lr=0.05, weight_decay=0.3))
    for pa, pb in zip(a, b):
        for k in pa:
            assert_allclose(pa[k], pb[k], rtol=1e-13, atol=1e-15)


def test_sgd_l2_differs_from_sgdw_with_momentum():
    a = trajectory(lk.SGD(lr=0.05, momentum=0.9, weight_decay=0.3), steps=10)
    b = trajectory(lk.SGDW(lr=0.05, momentum=0.9, weight_decay=0.3), steps=10)
    assert_allclose(a[0]["W1"], b[0]["W1"], rtol=0, atol=1e-15)  # first step: same
    assert np.max(np.abs(a[-1]["W1"] - b[-1]["W1"])) > 1e-3


def test_adam_l2_differs_from_adamw():
    a = trajectory(lk.Adam(lr=0.05, weight_decay=0.3), steps=3)
    b = trajectory(lk.AdamW(lr=0.05, weight_decay=0.3), steps=3)
    for pa, pb in zip(a, b):
        assert np.max(np.abs(pa["W1"] - pb["W1"])) > 1e-3


@settings(derandomize=True, deadline=None, max_examples=50)
@given(g=st.lists(st.floats(1e-3, 1e3) | st.floats(-1e3, -1e-3), min_size=2,
                  max_size=5),
       lr=st.floats(1e-4, 1.0))
def test_adam_first_step_moves_each_coordinate_by_about_lr(g, lr):
    g = np.array(g)
    w0 = np.linspace(-1, 1, g.size)
    (w1,) = run(lk.Adam(lr=lr), [g], w0=w0)
    delta = w1 - w0
    assert_array_equal(np.sign(delta), -np.sign(g))
    assert_allclose(np.abs(delta), lr, rtol=1e-5)


@pytest.mark.parametrize("make", [
    lambda d: lk.SGD(0.1, momentum=0.9, weight_decay=0.5, decay=d),
    lambda d: lk.SGDW(0.1, momentum=0.9, weight_decay=0.5, decay=d),
    lambda d: lk.Adam(0.1, weight_decay=0.5, decay=d),
    lambda d: lk.AdamW(0.1, weight_decay=0.5, decay=d),
], ids=["SGD", "SGDW", "Adam", "AdamW"])
def test_decay_predicate_leaves_excluded_params_bit_identical(make):
    with_pred = trajectory(make(lk.decay_weights_only), steps=20)
    no_decay = trajectory(make(lambda name, w: False), steps=20)
    all_decay = trajectory(make(None), steps=20)
    for a, b, c in zip(with_pred, no_decay, all_decay):
        assert_array_equal(a["b1"], b["b1"])       # bias: exactly as without decay
        assert_array_equal(a["W1"], c["W1"])       # weight: exactly as with decay
    assert not np.array_equal(with_pred[-1]["b1"], all_decay[-1]["b1"])


def test_zero_weight_decay_matches_no_decay_exactly():
    for cls in (lk.SGD, lk.SGDW, lk.Adam, lk.AdamW):
        a = trajectory(cls(0.1, weight_decay=0.0), steps=5)
        b = trajectory(cls(0.1, weight_decay=0.5, decay=lambda n, w: False), steps=5)
        assert_array_equal(a[-1]["W1"], b[-1]["W1"])


def test_pure_update_functions_do_not_mutate_inputs():
    w, g = np.array([1.0, -2.0]), np.array([0.5, 0.5])
    buf, m, v = np.array([0.1, 0.1]), np.zeros(2), np.zeros(2)
    copies = [a.copy() for a in (w, g, buf, m, v)]
    lk.sgd_update(w, g, buf, lr=0.1, momentum=0.9, weight_decay=0.1)
    lk.sgd_update(w, g, buf, lr=0.1, momentum=0.9, weight_decay=0.1, decoupled=True)
    lk.adam_update(w, g, m, v, 1, lr=0.1, weight_decay=0.1)
    lk.adam_update(w, g, m, v, 1, lr=0.1, weight_decay=0.1, decoupled=True)
    for a, c in zip((w, g, buf, m, v), copies):
        assert_array_equal(a, c)


def test_step_updates_in_place_and_reset_forgets_state():
    params = {"W1": np.array([1.0, 2.0])}
    ref = params["W1"]
    opt = lk.SGD(0.1, momentum=0.9)
    opt.step(params, {"W1": np.ones(2)})
    assert params["W1"] is ref and "W1" in opt.state
    opt.reset()
    assert opt.state == {}
    assert "SGD(lr=0.1, momentum=0.9" in repr(opt)


@pytest.mark.parametrize("call, name", [
    (lambda: lk.SGD(0.0), "lr"),
    (lambda: lk.SGD(-1.0), "lr"),
    (lambda: lk.SGD(0.1, momentum=1.0), "momentum"),
    (lambda: lk.SGDW(0.1, weight_decay=-0.1), "weight_decay"),
    (lambda: lk.SGD(0.1, decay="biases"), "decay"),
    (lambda: lk.Adam(betas=(0.9, 1.0)), r"betas\[1\]"),
    (lambda: lk.Adam(betas=(-0.1, 0.9)), r"betas\[0\]"),
    (lambda: lk.Adam(betas=0.9), "betas"),
    (lambda: lk.AdamW(eps=0.0), "eps"),
    (lambda: lk.AdamW(lr=float("nan")), "lr"),
    (lambda: lk.Adam().step({"W1": np.ones(2)}, {"W2": np.ones(2)}), "grads"),
    (lambda: lk.Adam().step({"W1": np.ones(2)}, {"W1": np.ones(3)}), "grads"),
])
def test_validation_names_the_parameter(call, name):
    with pytest.raises(lk.InvalidParameterError, match=f"'{name}'"):
        call()


# ---- every public parameter of the optimizers is validated ---------------------------
VALID = {
    "SGD": dict(lr=0.1, momentum=0.5, weight_decay=0.1, decay=None),
    "SGDW": dict(lr=0.1, momentum=0.5, weight_decay=0.1, decay=None),
    "Adam": dict(lr=0.1, betas=(0.9, 0.99), eps=1e-8, weight_decay=0.1, decay=None),
    "AdamW": dict(lr=0.1, betas=(0.9, 0.99), eps=1e-8, weight_decay=0.1, decay=None),
    "sgd_update": dict(w=[1.0, 2.0], g=[0.5, 0.5], buf=[0.1, 0.1], lr=0.1, momentum=0.5,
                       weight_decay=0.1, decoupled=False),
    "adam_update": dict(w=[1.0, 2.0], g=[0.5, 0.5], m=[0.0, 0.0], v=[0.0, 0.0], t=1,
                        lr=0.1, betas=(0.9, 0.99), eps=1e-8, weight_decay=0.1,
                        decoupled=True),
}
BAD = {
    "lr": [0, -0.1, np.nan, np.inf, "0.1", None],
    "momentum": [-0.1, 1.0, np.nan, "0"],
    "weight_decay": [-1e-3, np.nan, np.inf, None],
    "decay": ["W", 3],
    "betas": [(0.9, 1.0), (1.0, 0.9), (-0.1, 0.9), 0.9, (0.9,), None],
    "eps": [0, -1e-8, np.nan],
    "decoupled": [1, "yes", None],
    "t": [0, 1.5, -1],
    "w": ["abc", [[1.0], [1.0, 2.0]]],
    "g": [[1.0, 2.0, 3.0], "abc"], "buf": [[1.0]], "m": [[1.0]], "v": [[1.0, 2.0, 3.0]],
}


def test_every_public_optimizer_parameter_has_bad_values():
    import inspect
    for name, valid in VALID.items():
        params = set(inspect.signature(getattr(lk, name)).parameters)
        assert params == set(valid), name
        assert params <= set(BAD), (name, params - set(BAD))
    assert set(VALID) == set(lk.optim.__all__) | set(lk.updates.__all__)


@pytest.mark.parametrize("target, param, bad", [
    (target, param, bad) for target, valid in VALID.items() for param in valid
    for bad in BAD[param]])
def test_bad_value_raises_naming_the_parameter(target, param, bad):
    kwargs = dict(VALID[target], **{param: bad})
    name = r"betas(\[[01]\])?" if param == "betas" else param
    with pytest.raises(lk.InvalidParameterError, match=f"The '{name}' parameter"):
        getattr(lk, target)(**kwargs)


# ------------------------------------------------- state belongs to the parameter arrays
@pytest.mark.parametrize("make", [lambda: lk.SGD(0.1, momentum=0.9),
                                  lambda: lk.SGDW(0.1, momentum=0.9, weight_decay=0.1),
                                  lambda: lk.Adam(0.05), lambda: lk.AdamW(0.05)],
                         ids=["SGD", "SGDW", "Adam", "AdamW"])
def test_reused_optimizer_starts_fresh_state_for_a_second_model(make):
    # issue 15: the second model's first step used the first model's momentum (1.9 g)
    g = {"W1": np.array([1.0, -2.0]), "b1": np.array([0.5])}
    first = {"W1": np.array([1.0, 1.0]), "b1": np.array([0.0])}
    opt = make()
    for _ in range(2):
        opt.step(first, g)
    second = {"W1": np.array([1.0, 1.0]), "b1": np.array([0.0])}
    fresh = {k: v.copy() for k, v in second.items()}
    opt.step(second, g)
    make().step(fresh, g)
    for k in second:
        assert_array_equal(second[k], fresh[k])       # as a new optimizer would do


def test_interleaved_models_keep_their_own_state_like_pytorch():
    g = {"W1": np.array([1.0, -2.0])}
    a, b = {"W1": np.zeros(2)}, {"W1": np.zeros(2)}
    shared = lk.SGD(0.1, momentum=0.9)
    own_a, own_b = lk.SGD(0.1, momentum=0.9), lk.SGD(0.1, momentum=0.9)
    a2, b2 = {"W1": np.zeros(2)}, {"W1": np.zeros(2)}
    for _ in range(3):
        shared.step(a, g)
        shared.step(b, g)
        own_a.step(a2, g)
        own_b.step(b2, g)
    assert_array_equal(a["W1"], a2["W1"])
    assert_array_equal(b["W1"], b2["W1"])


def test_state_of_is_a_read_only_snapshot_with_pytorch_names():
    params = {"W1": np.array([1.0, -2.0]), "b1": np.array([0.5])}
    sgd = lk.SGD(0.1, momentum=0.9)
    adam = lk.Adam(0.1)
    for _ in range(2):
        sgd.step(params, {"W1": np.ones(2), "b1": np.ones(1)})
        adam.step(params, {"W1": np.ones(2), "b1": np.ones(1)})
    st = sgd.state_of("W1")
    assert list(st) == ["momentum_buffer"]
    assert_array_equal(st["momentum_buffer"], [1.9, 1.9])
    st_adam = adam.state_of("b1")
    assert list(st_adam) == ["step", "m", "v"] and st_adam["step"] == 2
    assert_allclose(st_adam["m"], [1 - 0.9 ** 2])
    assert_allclose(st_adam["v"], [1 - 0.999 ** 2])
    with pytest.raises(TypeError):
        st["momentum_buffer"] = None                   # the mapping is read-only
    with pytest.raises(ValueError):
        st["momentum_buffer"][0] = 0.0                 # so are its arrays
    sgd.step(params, {"W1": np.ones(2), "b1": np.ones(1)})
    assert_array_equal(st["momentum_buffer"], [1.9, 1.9])     # a snapshot (a copy)
    assert lk.SGD(0.1).state_of.__doc__
    plain = lk.SGD(0.1)
    plain.step(params, {"W1": np.ones(2), "b1": np.ones(1)})
    assert plain.state_of("W1")["momentum_buffer"] is None     # as PyTorch, momentum 0


def test_state_of_names_the_known_parameters():
    opt = lk.Adam()
    with pytest.raises(lk.InvalidParameterError, match="none yet"):
        opt.state_of("W1")
    opt.step({"W1": np.ones(2)}, {"W1": np.ones(2)})
    with pytest.raises(lk.InvalidParameterError, match=r"'name' parameter.*'W1'.*'W2'"):
        opt.state_of("W2")


def test_train_twice_on_the_same_model_continues_the_state():
    X, y = lk.datasets.moons(40, rng=0)
    one, two = lk.MLP([2, 4, 1], rng=0), lk.MLP([2, 4, 1], rng=0)
    opt_one, opt_two = lk.Adam(0.01), lk.Adam(0.01)
    lk.train(one, X, y, optimizer=opt_one, loss="bce", epochs=4)
    lk.train(two, X, y, optimizer=opt_two, loss="bce", epochs=2)
    lk.train(two, X, y, optimizer=opt_two, loss="bce", epochs=2)
    assert opt_two.state_of("W1")["step"] == 4
    for k in one.params:
        assert_array_equal(one.params[k], two.params[k])


@pytest.mark.parametrize("cls, extra", [(lk.SGD, {"momentum": 0.9}), (lk.SGD, {}),
                                        (lk.SGDW, {"momentum": 0.5}), (lk.Adam, {}),
                                        (lk.AdamW, {})])
def test_objects_step_in_place_with_the_pure_functions_bits(cls, extra):
    """The optimizer objects update their own arrays in place; the pure functions
    allocate. Both run the same float operations in the same order: the same bits."""
    r = np.random.default_rng(0)
    w = r.normal(size=(3, 4))
    opt = cls(0.05, weight_decay=0.3, **extra)
    params, state = {"W1": w.copy()}, {"m": np.zeros_like(w), "v": np.zeros_like(w),
                                       "buf": None}
    pure = w.copy()
    for t in range(1, 8):
        g = r.normal(size=w.shape)
        opt.step(params, {"W1": g})
        if cls in (lk.SGD, lk.SGDW):
            pure, state["buf"] = lk.sgd_update(pure, g, state["buf"], lr=0.05,
                                               weight_decay=0.3, decoupled=cls is lk.SGDW,
                                               **extra)
        else:
            pure, state["m"], state["v"] = lk.adam_update(
                pure, g, state["m"], state["v"], t, lr=0.05, weight_decay=0.3,
                decoupled=cls is lk.AdamW)
        assert_array_equal(params["W1"], pure)
