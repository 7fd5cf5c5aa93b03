"""Activations and softmax: PyTorch's values and kink conventions, gradients, identities,
stability at extreme inputs, and validation.

Tests iterate over ``lk.ACTIVATIONS`` (plus a few non-default parameters), so a new
registry entry is checked the moment it is added; entries it needs an oracle for
(a kink convention, a high-precision definition) fail loudly until they are given one.
"""
import json
import math
import pathlib
import re

import mpmath
import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose, assert_array_equal
from scipy import integrate
from scipy.special import lambertw

import lkcourse as lk

NAMES = sorted(lk.ACTIVATIONS)
VARIANTS = [("leaky_relu", {"negative_slope": 0.2}), ("prelu", {"a": -0.5}),
            ("elu", {"alpha": 2.0}), ("softplus", {"beta": 2.0, "threshold": 10.0}),
            ("swish", {"beta": 2.0}), ("swish", {"beta": -0.5})]
ALL = [lk.ACTIVATIONS[n] for n in NAMES] + [lk.activation(n, **p) for n, p in VARIANTS]
IDS = [repr(a) for a in ALL]
FD = settings(max_examples=40, derandomize=True, deadline=None)

# ---------------------------------------------------------------------------------
# Outside oracle 1: PyTorch, in float64 (torch.nn.functional; swish as
# x * torch.sigmoid(beta * x), which torch has no name for): value y = f(x), derivative
# from torch.autograd.grad(y.sum(), x), and for PReLU the gradient with respect to its
# weight, one input at a time. tools/torch_reference.py regenerates
# tests/data/torch_activations.json (it installs torch on demand; torch is not a
# dependency of the project). None marks the two entries where torch itself returns
# NaN although the true value is finite (its gelu tanh backward squares x = 1e300); the
# stability tests below check those points instead.
# ---------------------------------------------------------------------------------
_TORCH = json.loads((pathlib.Path(__file__).parent / "data" / "torch_activations.json")
                    .read_text())
TORCH_Z = _TORCH["z"]
TORCH_REFERENCE = [(r["name"], r["params"], r["f"], r["df"]) + ((r["da"],) if "da" in r
                                                                 else ())
                   for r in _TORCH["rows"]]
# Registered activations PyTorch has no function for (name -> reason): the
# high-precision MP oracle below still checks them.
NO_TORCH = {}


@pytest.mark.parametrize("row", TORCH_REFERENCE,
                         ids=[f"{r[0]}{r[1] or ''}" for r in TORCH_REFERENCE])
def test_matches_pytorch_reference(row):
    name, params, *expected = row
    a = lk.activation(name, **params)
    z = np.array(TORCH_Z)
    got = [a.f(z), a.df(z)] + ([a.da(z)] if len(expected) == 3 else [])
    for mine, ref in zip(got, expected):
        known = np.array([r is not None for r in ref])
        ref = np.array([np.nan if r is None else r for r in ref])
        # atol only absorbs torch's own cancellation (1 + erf(z) at z = -6 is off by
        # 1e-10 relative in torch; ours uses erfc), nowhere above 1e-15 absolute.
        assert_allclose(mine[known], ref[known], rtol=1e-12, atol=1e-15)
        assert np.all((np.signbit(mine[known]) == np.signbit(ref[known])) | (ref[known] == 0))


def test_pytorch_reference_covers_the_registry():
    assert {row[0] for row in TORCH_REFERENCE} | set(NO_TORCH) == set(lk.ACTIVATIONS), (
        "add a row for the new activation to tools/torch_reference.py and run it")


# PyTorch autograd's choice at each kink, from the table above (z = 0, and softplus's
# switch to the identity at beta*z = threshold, where torch still uses the formula).
KINK_DF = {
    "relu": {0.0: 0.0},
    "leaky_relu": {0.0: 0.01},
    "prelu": {0.0: 0.25},
    "elu": {0.0: 1.0},
    "selu": {0.0: 1.0507009873554804934193349852946 * 1.6732632423543772848170429916717},
    "softplus": {20.0: 0.9999999979388464, 20.000000000000004: 1.0},
}


@pytest.mark.parametrize("a", ALL, ids=IDS)
def test_kink_values_follow_pytorch(a):
    if a.kinks and a.params == lk.ACTIVATIONS[a.name].params:
        assert a.name in KINK_DF, f"add PyTorch's kink convention of {a.name} to KINK_DF"
    for z, want in KINK_DF.get(a.name, {}).items():
        if a.params == lk.ACTIVATIONS[a.name].params:
            assert a.df(z) == pytest.approx(want, rel=1e-15)
            assert a.df(-0.0 if z == 0 else z) == pytest.approx(want, rel=1e-15)
    # kinks attribute = exactly the points where df jumps
    for k in a.kinks:
        assert abs(a.df(k + 1e-9) - a.df(k - 1e-9)) > 1e-10, (a, k)
    grid = np.linspace(-25, 25, 500_001)
    far = np.all(np.abs(grid[:, None] - np.array(a.kinks + (np.inf,))) > 1e-3, axis=1)
    jumps = np.abs(np.diff(a.df(grid)))[far[1:] & far[:-1]]
    assert jumps.max() < 1e-2


# ---------------------------------------------------------------------------------
# Outside oracle 2: the definitions in 50-digit arithmetic (mpmath), derivatives by
# mpmath's own differentiation, with 700 digits so that tanh(-700) + 1 is still
# resolved. Checks relative accuracy in the tails too.
# ---------------------------------------------------------------------------------
def _mp_sigmoid(x):
    return 1 / (1 + mpmath.exp(-x))


def _mp_softplus(x):
    return x if x > 20 else mpmath.log1p(mpmath.exp(x))


SA, SL = mpmath.mpf("1.6732632423543772848170429916717"), mpmath.mpf(
    "1.0507009873554804934193349852946")
MP = {
    "identity": lambda x: x,
    "sigmoid": _mp_sigmoid,
    "tanh": mpmath.tanh,
    "relu": lambda x: max(x, 0),
    "leaky_relu": lambda x: x if x > 0 else x / 100,
    "prelu": lambda x: x if x > 0 else x / 4,
    "elu": lambda x: x if x > 0 else mpmath.expm1(x),
    "selu": lambda x: SL * (x if x > 0 else SA * mpmath.expm1(x)),
    "softplus": _mp_softplus,
    "gelu": lambda x: x * mpmath.ncdf(x),
    "gelu_tanh": lambda x: x / 2 * (1 + mpmath.tanh(
        mpmath.sqrt(2 / mpmath.pi) * (x + mpmath.mpf("0.044715") * x**3))),
    "silu": lambda x: x * _mp_sigmoid(x),
    "swish": lambda x: x * _mp_sigmoid(x),
    "mish": lambda x: x * mpmath.tanh(mpmath.log1p(mpmath.exp(x))),
}
MP_POINTS = [-700.0, -100.0, -30.0, -6.0, -1.5, -1e-8, 1e-8, 0.7, 3.0, 6.0, 19.0, 30.0,
             100.0]


@pytest.mark.parametrize("name", NAMES)
def test_matches_high_precision_definition(name):
    assert name in MP, f"add a high-precision definition of {name} to MP"
    a, f = lk.ACTIVATIONS[name], MP[name]
    z = np.array(MP_POINTS)
    with mpmath.workdps(700):
        want_f = [float(f(mpmath.mpf(x))) for x in MP_POINTS]
        want_df = [float(mpmath.diff(f, mpmath.mpf(x))) for x in MP_POINTS]
    # 1e-12: scipy's erfc is good to ~1e-13 relative far in the tail (gelu at -30)
    assert_allclose(a.f(z), want_f, rtol=1e-12, atol=1e-300)
    assert_allclose(a.df(z), want_df, rtol=1e-12, atol=1e-300)


# ---------------------------------------------------------------------------------
# Derivatives: central finite differences on both sides of every kink.
# ---------------------------------------------------------------------------------
@st.composite
def points_around_kinks(draw, a):
    anchors = a.kinks + (0.0,)
    xs = []
    for _ in range(draw(st.integers(1, 6))):
        centre = draw(st.sampled_from(anchors))
        offset = draw(st.floats(-12.0, 12.0, allow_nan=False))
        xs.append(centre + offset)
    xs = np.array(xs)
    assume(all(np.all(np.abs(xs - k) > 1e-3) for k in anchors))  # both sides, not on it
    return xs


@pytest.mark.parametrize("a", ALL, ids=IDS)
def test_df_matches_finite_differences(a):
    @FD
    @given(points_around_kinks(a))
    def check(z):
        lk.check_grad(lambda x: float(np.sum(a.f(x))), a.df, z, eps=1e-5, rtol=1e-6,
                      atol=1e-8)
    check()


@FD
@given(st.lists(st.floats(-10, 10).filter(lambda x: abs(x) > 1e-3), min_size=1,
                max_size=6), st.floats(-2, 2))
def test_prelu_da_matches_finite_differences(zs, slope):
    z = np.array(zs)
    f = lambda s: float(np.sum(lk.activation("prelu", a=float(s[0])).f(z)))
    da = lambda s: np.array([np.sum(lk.activation("prelu", a=float(s[0])).da(z))])
    lk.check_grad(f, da, [slope], eps=1e-5, rtol=1e-7, atol=1e-9)
    assert lk.activation("prelu", a=slope).da(0.0) == 0.0


# ---------------------------------------------------------------------------------
# Identities and published numbers
# ---------------------------------------------------------------------------------
GRID = np.linspace(-20, 20, 40_001)


def test_tanh_is_a_rescaled_sigmoid():
    t, s = lk.ACTIVATIONS["tanh"], lk.ACTIVATIONS["sigmoid"]
    assert_allclose(t(GRID), 2 * s(2 * GRID) - 1, rtol=0, atol=4e-16)
    assert_allclose(t.df(GRID), 4 * s.df(2 * GRID), rtol=1e-14, atol=0)


def test_silu_is_swish_with_beta_one_and_swish_rescales_silu():
    silu = lk.ACTIVATIONS["silu"]
    assert_allclose(lk.activation("swish", beta=1.0)(GRID), silu(GRID), rtol=1e-15, atol=0)
    assert_allclose(lk.activation("swish", beta=1.0).df(GRID), silu.df(GRID), rtol=1e-15,
                    atol=0)
    for beta in (2.5, -0.5):  # swish_beta(z) = silu(beta z) / beta
        sw = lk.activation("swish", beta=beta)
        assert_allclose(sw(GRID), silu(beta * GRID) / beta, rtol=1e-14, atol=1e-300)
        assert_allclose(sw.df(GRID), silu.df(beta * GRID), rtol=1e-14, atol=1e-300)
    assert_allclose(lk.activation("swish", beta=0.0)(GRID), GRID / 2, rtol=0, atol=0)


def test_selu_is_scaled_elu():
    elu = lk.activation("elu", alpha=1.6732632423543772848170429916717)
    scale = 1.0507009873554804934193349852946
    assert_allclose(lk.ACTIVATIONS["selu"](GRID), scale * elu(GRID), rtol=1e-15, atol=0)
    assert_allclose(lk.ACTIVATIONS["selu"].df(GRID), scale * elu.df(GRID), rtol=1e-15)


def test_gelu_tanh_approximation_error():
    z = np.linspace(-6, 6, 1_200_001)
    gap = np.abs(lk.ACTIVATIONS["gelu"](z) - lk.ACTIVATIONS["gelu_tanh"](z))
    # measured 4.73236e-4 at z = +-2.6989 (the difference is even in z)
    assert 4.7323e-4 < gap.max() < 4.7324e-4
    assert abs(abs(z[np.argmax(gap)]) - 2.6989) < 1e-3


def _normal_expectation(g):
    phi = lambda t: math.exp(-t * t / 2) / math.sqrt(2 * math.pi)
    return sum(integrate.quad(lambda t: g(t) * phi(t), lo, hi, epsabs=1e-14,
                              epsrel=1e-12, limit=200)[0] for lo, hi in [(-40, 0), (0, 40)])


def test_selu_fixed_point_mean_zero_variance_one():
    selu = lk.ACTIVATIONS["selu"]
    assert abs(_normal_expectation(selu)) < 1e-12
    assert abs(_normal_expectation(lambda t: selu(t) ** 2) - 1) < 1e-12


@pytest.mark.parametrize("a", ALL, ids=IDS)
def test_zero_centred_means_zero_mean_under_standard_normal(a):
    mean = _normal_expectation(a)
    assert (abs(mean) < 1e-12) == a.zero_centred, (a, mean)
    if not a.zero_centred:
        assert abs(mean) > 1e-3


def test_sigmoid_derivative_peaks_at_a_quarter():
    d = lk.ACTIVATIONS["sigmoid"].df(GRID)
    assert d.max() == 0.25 and GRID[np.argmax(d)] == 0.0
    assert np.all(d[GRID != 0] < 0.25)


def test_negative_minima():
    # SiLU: f'(z) = 0 gives z* = -1 - W(1/e), and f(z*) = z* + 1 (Lambert W, scipy)
    z_star = -1 - lambertw(1 / np.e).real
    assert_allclose(lk.ACTIVATIONS["silu"].minimum, (z_star, z_star + 1), rtol=1e-12)
    # published: GELU min ~ -0.17 near -0.75, Mish min ~ -0.3088 near -1.19
    expected = {"gelu": (-0.7518, -0.1700), "gelu_tanh": (-0.7525, -0.1700),
                "mish": (-1.1924, -0.3088)}
    for name, (z0, f0) in expected.items():
        a = lk.ACTIVATIONS[name]
        assert_allclose(a.minimum, (z0, f0), atol=1e-4)
        assert abs(a.df(a.minimum[0])) < 1e-12
        assert a(GRID).min() >= a.minimum[1]


@pytest.mark.parametrize("a", ALL, ids=IDS)
def test_metadata_agrees_with_the_function(a):
    z = np.linspace(-60, 60, 240_001)
    f, d = a(z), a.df(z)
    low, high = a.bounds
    assert np.all((f >= low - 1e-12) & (f <= high + 1e-12))
    far = a(np.array([-1e300, 1e300]))
    assert (far.min() < -1e200) if np.isinf(low) else abs(f.min() - low) < 1e-6  # tight
    assert (far.max() > 1e200) if np.isinf(high) else abs(f.max() - high) < 1e-6
    assert a.monotonic == bool(np.all(d >= 0))
    flat = (abs(a.df(-200.0)) < 1e-12, abs(a.df(200.0)) < 1e-12)
    assert a.saturates == {(True, True): "both", (True, False): "left",
                           (False, True): "right", (False, False): "none"}[flat]
    assert (a.minimum is not None) == (not a.monotonic and a.saturates == "left")
    assert a.smooth == (a.smoothness == "C^inf")
    if a.kinks and a.name != "softplus":  # softplus: smooth maths, torch's switch
        assert a.smoothness.startswith("C^0")
    assert re.fullmatch(r"[\[(]-?[\d.]+|[\[(]-inf", a.range.split(",")[0])
    bib = open("book/references.bib").read() if a.reference else ""
    assert a.reference is None or "{" + a.reference + "," in bib
    assert set(a.spec()) >= {"name", "formula", "derivative", "range", "zero_centred",
                             "smoothness", "monotonic", "cost", "reference"}
    assert a.formula and a.derivative and a.cost


def test_references_of_the_papers():
    refs = {n: a.reference for n, a in lk.ACTIVATIONS.items()}
    assert refs == {
        "identity": None, "sigmoid": None, "tanh": None, "relu": "nair2010relu",
        "leaky_relu": "maas2013leaky", "prelu": "he2015prelu", "elu": "clevert2016elu",
        "selu": "klambauer2017selu", "softplus": "dugas2001softplus",
        "gelu": "hendrycks2016gelu", "gelu_tanh": "hendrycks2016gelu",
        "silu": "elfwing2018silu", "swish": "ramachandran2017swish",
        "mish": "misra2019mish"}


# ---------------------------------------------------------------------------------
# Stability: finite where the truth is finite, no warning, NaN in -> NaN out
# ---------------------------------------------------------------------------------
TINY = np.finfo(np.float64).tiny
EXTREME = np.array([-1e300, -1e4, -745.0, -TINY, -5e-324, 0.0, 5e-324, TINY, 1e-300,
                    745.0, 1e4, 1e300])


@pytest.mark.parametrize("a", ALL, ids=IDS)
def test_stable_at_extreme_inputs(a):
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        f, d = a.f(EXTREME), a.df(EXTREME)
    assert np.all(np.isfinite(f)) and np.all(np.isfinite(d))
    # in the tails the derivative has reached its limit already at |z| = 1e4
    assert_array_equal(a.df(np.array([-1e300, 1e300])), a.df(np.array([-1e4, 1e4])))
    # tiny inputs: f(z) = f'(0) z with no loss of relative accuracy when f(0) = 0
    if a.f(0.0) == 0:
        assert_allclose(a.f(np.array([-1e-300, 1e-300])),
                        np.array([-1e-300, 1e-300]) * a.df(np.array([-1e-300, 1e-300])),
                        rtol=1e-15, atol=0)


@pytest.mark.parametrize("a", ALL, ids=IDS)
def test_nan_in_nan_out_and_shapes(a):
    z = np.array([[np.nan, 1.0], [-2.0, np.nan]])
    for out in (a(z), a.f(z), a.df(z)):
        assert out.shape == z.shape and out.dtype == np.float64
        assert_array_equal(np.isnan(out), np.isnan(z))
    assert isinstance(a(0.5), float) and isinstance(a.df([0.5, 1.0]), np.ndarray)


@pytest.mark.parametrize("a", ALL, ids=IDS)
def test_inputs_are_not_mutated(a):
    z = np.linspace(-3, 3, 7)
    z.flags.writeable = False
    before = z.copy()
    a(z), a.df(z)
    assert_array_equal(z, before)
    assert a(z) is not z


# ---------------------------------------------------------------------------------
# Softmax
# ---------------------------------------------------------------------------------
@FD
@given(st.lists(st.floats(-50, 50), min_size=1, max_size=8), st.floats(-1e5, 1e5))
def test_softmax_sums_to_one_and_is_shift_invariant(zs, c):
    z = np.array(zs)
    s = lk.softmax(z)
    assert abs(s.sum() - 1) < 1e-14 and np.all(s >= 0)
    assert_allclose(lk.softmax(z + c), s, rtol=1e-10, atol=1e-15)
    assert_allclose(s, np.exp(z) / np.exp(z).sum(), rtol=1e-13)  # naive is safe here
    assert_allclose(lk.log_softmax(z), np.log(s), rtol=1e-13, atol=1e-13)


def test_softmax_along_an_axis():
    z = np.arange(12.0).reshape(3, 4) ** 1.5
    for axis in (0, 1, -1, -2):
        assert_allclose(lk.softmax(z, axis=axis).sum(axis=axis), 1, rtol=1e-14)
        assert_allclose(np.exp(lk.log_softmax(z, axis=axis)), lk.softmax(z, axis=axis),
                        rtol=1e-14)
    assert_allclose(lk.softmax(z, axis=0)[:, 1], lk.softmax(z[:, 1]), rtol=1e-15)


def test_softmax_extremes():
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        assert_array_equal(lk.softmax([1e300, 0.0, -1e300]), [1.0, 0.0, 0.0])
        assert_allclose(lk.log_softmax([0.0, -1000.0]), [0.0, -1000.0], rtol=1e-15)
        assert_allclose(lk.softmax([-np.inf, 0.0, 0.0]), [0.0, 0.5, 0.5])
        assert_array_equal(lk.log_softmax([-np.inf, 0.0]), [-np.inf, 0.0])
    assert np.isnan(lk.softmax([np.nan, 1.0])).all()


@FD
@given(st.lists(st.floats(-8, 8), min_size=1, max_size=6))
def test_softmax_jacobian_matches_finite_differences(zs):
    z = np.array(zs)
    J = lk.softmax_jacobian(z)
    num = np.array([lk.numerical_grad(lambda x: lk.softmax(x)[i], z) for i in range(z.size)])
    assert_allclose(J, num, rtol=1e-6, atol=1e-9)
    assert_allclose(J.sum(axis=1), 0, atol=1e-15)
    assert_array_equal(J, J.T)


# ---------------------------------------------------------------------------------
# Validation and the registry
# ---------------------------------------------------------------------------------
def test_unknown_name_lists_valid_names_and_suggests():
    with pytest.raises(lk.InvalidParameterError) as info:
        lk.activation("gelu_tahn")
    msg = str(info.value)
    assert all(repr(n) in msg for n in lk.ACTIVATIONS)
    assert "'name'" in msg and "Did you mean 'gelu_tanh'?" in msg
    with pytest.raises(ValueError, match="Did you mean 'leaky_relu'"):
        lk.activation("LeakyReLU")
    with pytest.raises(lk.InvalidParameterError):
        lk.activation(None)


@pytest.mark.parametrize("name, params, pattern", [
    ("leaky_relu", {"slope": 0.1}, r"'params' .* 'negative_slope'.* Did you mean"),
    ("elu", {"beta": 1.0}, r"one of 'alpha'\. Got 'beta'"),
    ("relu", {"alpha": 1.0},
     r"The 'alpha' parameter of activation\('relu'\) must not be given: 'relu' takes no"),
    ("selu", {"alpha": 1.0}, "takes no parameters"),
    ("elu", {"alpha": -1.0}, r"'alpha' parameter of activation\('elu'\) must be a float >= 0"),
    ("softplus", {"beta": 0.0}, r"'beta' .* > 0\. Got 0\.0"),
    ("softplus", {"threshold": -1.0}, "'threshold'"),
    ("leaky_relu", {"negative_slope": np.nan}, "'negative_slope'"),
    ("prelu", {"a": "0.25"}, "'a'"),
    ("swish", {"beta": np.inf}, "'beta'"),
])
def test_bad_parameters(name, params, pattern):
    with pytest.raises(lk.InvalidParameterError, match=pattern):
        lk.activation(name, **params)


def test_bad_inputs():
    with pytest.raises(lk.InvalidParameterError, match="'z'"):
        lk.ACTIVATIONS["relu"](["a", "b"])
    with pytest.raises(lk.InvalidParameterError, match="'axis'"):
        lk.softmax(np.ones((2, 3)), axis=2)
    with pytest.raises(lk.InvalidParameterError, match="'axis'"):
        lk.log_softmax(np.ones(3), axis=0.5)
    with pytest.raises(lk.InvalidParameterError, match="at least one dimension"):
        lk.softmax(1.0)
    with pytest.raises(lk.InvalidParameterError, match="1-D"):
        lk.softmax_jacobian(np.ones((2, 2)))
    z = np.array([1.0, 2.0])
    z.flags.writeable = False
    lk.softmax(z), lk.log_softmax(z), lk.softmax_jacobian(z)


def test_registry_is_read_only_and_complete():
    assert list(lk.ACTIVATIONS) == ["identity", "sigmoid", "tanh", "relu", "leaky_relu",
                                    "prelu", "elu", "selu", "softplus", "gelu",
                                    "gelu_tanh", "silu", "swish", "mish"]
    with pytest.raises(TypeError):
        lk.ACTIVATIONS["relu"] = lk.activation("elu")
    with pytest.raises(AttributeError):
        lk.ACTIVATIONS["elu"].alpha = 2.0
    a = lk.ACTIVATIONS["leaky_relu"]
    a.params["negative_slope"] = 5.0  # a copy
    assert a.negative_slope == 0.01


@pytest.mark.parametrize("a", ALL, ids=IDS)
def test_repr_rebuilds_the_object(a):
    b = eval(repr(a), {"activation": lk.activation})
    assert type(b) is type(a) and b.params == a.params and b.name == a.name
    assert_array_equal(b(GRID[::100]), a(GRID[::100]))


def test_defaults_are_pytorchs():
    assert lk.ACTIVATIONS["leaky_relu"].negative_slope == 0.01
    assert lk.ACTIVATIONS["prelu"].a == 0.25 and lk.ACTIVATIONS["prelu"].learnable == ("a",)
    assert lk.ACTIVATIONS["elu"].alpha == 1.0
    assert lk.ACTIVATIONS["softplus"].params == {"beta": 1.0, "threshold": 20.0}
    assert lk.ACTIVATIONS["swish"].beta == 1.0
