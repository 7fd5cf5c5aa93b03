"""Penalties and prox functions, checked against independent oracles.

The instances under test are built from the registry ``lk.PENALTIES`` (every name, with
several exponents for ``"lk"``), so a new entry is tested the moment it is added. The
oracles: the formulas of API.md, central finite differences, one-sided difference
quotients at kinks, the subgradient inequality, brute-force 1-D minimization on a grid,
the Moreau decomposition, firm non-expansiveness and the L1-ball variational inequality.
"""
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from numpy.testing import assert_allclose, assert_array_equal

import lkcourse as lk

SETTINGS = settings(max_examples=50, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.too_slow])
LK_EXPONENTS = [0.3, 0.5, 1.5, 3.0, 4.0]
LAM = 0.7


def registry_instances():
    out = []
    for name in lk.PENALTIES:
        if name == "lk":
            out += [lk.penalty("lk", k=k, lam=LAM) for k in LK_EXPONENTS]
        elif name == "elasticnet":
            out.append(lk.penalty(name, l1=0.6, l2=0.4))
        else:
            out.append(lk.penalty(name, lam=LAM))
    return out


PENALTIES = registry_instances()
CONVEX = [p for p in PENALTIES if p.convex]
SEPARABLE = [p for p in PENALTIES if not isinstance(p, lk.LInf)]


def elementwise(p, u):
    """R of each scalar u, from the formulas of API.md (independent of the classes)."""
    a = np.abs(u)
    if isinstance(p, lk.LInf):
        return p.lam * a
    if isinstance(p, lk.Lk):
        return p.lam * a ** p.k
    if isinstance(p, lk.L0):
        return p.lam * (u != 0)
    if isinstance(p, lk.ElasticNet):
        return p.l1 * a + p.l2 * u ** 2
    raise AssertionError(f"add a reference formula for {p!r} to the tests")


def reference_value(p, w):
    w = np.asarray(w, dtype=float)
    if isinstance(p, lk.LInf):
        return p.lam * np.max(np.abs(w))
    return float(np.sum(elementwise(p, w)))


def rescaled(p, factor, reduction="sum"):
    """Same penalty with every strength multiplied by factor."""
    if isinstance(p, lk.ElasticNet):
        return lk.ElasticNet(l1=p.l1 * factor, l2=p.l2 * factor, reduction=reduction)
    if type(p) is lk.Lk:
        return lk.Lk(p.k, p.lam * factor, reduction=reduction)
    return type(p)(p.lam * factor, reduction=reduction)


def ids(p):
    return repr(p)


def signed(margin, hi=4.0, shape=st.integers(1, 6)):
    """Arrays whose entries lie on both sides of 0, at least `margin` away from it."""
    mags = arrays(np.float64, shape, elements=st.floats(margin, hi))
    signs = arrays(np.float64, shape, elements=st.sampled_from([-1.0, 1.0]))
    return st.tuples(mags, signs).filter(lambda t: t[0].shape == t[1].shape).map(
        lambda t: t[0] * t[1])


def paired(shape_strategy=st.integers(1, 6)):
    return shape_strategy.flatmap(lambda n: st.tuples(
        arrays(np.float64, n, elements=st.floats(-4, 4)),
        arrays(np.float64, n, elements=st.floats(-4, 4))))


# ---------------------------------------------------------------- values and gradients
@pytest.mark.parametrize("p", PENALTIES, ids=ids)
def test_value_matches_api_formula_for_any_shape(p):
    rng = np.random.default_rng(0)
    for shape in [(), (5,), (3, 4), (2, 3, 2)]:
        w = rng.normal(size=shape)
        if w.ndim:
            w.flat[0] = 0.0  # an exact zero entry
        got = p.value(w)
        assert isinstance(got, float)
        assert got == p(w)
        assert_allclose(got, reference_value(p, w), rtol=1e-13)


@pytest.mark.parametrize("p", PENALTIES, ids=ids)
@SETTINGS
@given(w=signed(margin=0.1))
def test_grad_matches_finite_differences_away_from_kinks(p, w):
    if isinstance(p, lk.LInf):  # the kinks of LInf are ties of the largest entry
        i = np.argmax(np.abs(w))
        w[i] += 0.1 * np.sign(w[i])
    lk.check_grad(p.value, p.grad, w, eps=1e-6, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("p", SEPARABLE, ids=ids)
@pytest.mark.parametrize("h", [1e-4, 1e-7])
def test_grad_at_zero_is_the_minimum_norm_element_between_one_sided_slopes(p, h):
    # At w_i = 0 the one-sided difference quotients bracket the (Clarke) subdifferential;
    # the documented convention is its element of least magnitude.
    left = (p.value([0.0]) - p.value([-h])) / h
    right = (p.value([h]) - p.value([0.0])) / h
    g = float(p.grad([0.0])[0])
    assert left <= g <= right and g == np.clip(0.0, left, right)
    assert p.grad([0.0, 1.3, -0.4])[0] == g  # the other entries do not matter


def test_l1_and_lk_small_k_gradients_at_zero_are_documented_zero():
    assert_array_equal(lk.L1(2.0).grad([0.0, -3.0]), [0.0, -2.0])
    assert_array_equal(lk.Lk(0.5).grad(np.zeros((2, 2))), np.zeros((2, 2)))
    assert_array_equal(lk.L0(5.0).grad([0.0, 2.0]), [0.0, 0.0])
    assert_array_equal(lk.ElasticNet(l1=1.0, l2=3.0).grad([0.0, 1.0]), [0.0, 7.0])


@pytest.mark.parametrize("w, expected", [
    ([2.0, -2.0, 1.0], [0.5, -0.5, 0.0]),
    ([-3.0, 3.0, 3.0, 0.0], [-1 / 3, 1 / 3, 1 / 3, 0.0]),
    ([[0.0, 1.0], [-1.0, 0.5]], [[0.0, 0.5], [-0.5, 0.0]]),
    ([0.0, 0.0], [0.0, 0.0]),
    ([4.0, 1.0], [1.0, 0.0]),
])
def test_linf_grad_shares_the_sign_equally_among_tied_maxima(w, expected):
    assert_allclose(lk.LInf(1.5).grad(w), 1.5 * np.array(expected), rtol=1e-15)


def test_linf_grad_at_a_tie_is_the_minimum_norm_subgradient():
    # The subdifferential at a tie is the convex hull of lam*sign(w_j)*e_j over the tied
    # j; on that segment the norm is smallest at equal weights.
    p, w = lk.LInf(1.0), np.array([2.0, -2.0, 0.5])
    g = p.grad(w)
    for a in np.linspace(0, 1, 11):
        other = np.array([a, -(1 - a), 0.0])
        assert np.linalg.norm(g) <= np.linalg.norm(other) + 1e-15


@pytest.mark.parametrize("p", CONVEX, ids=ids)
@SETTINGS
@given(data=st.data())
def test_grad_is_a_subgradient_everywhere_including_kinks(p, data):
    n = data.draw(st.integers(1, 5))
    # entries from a small lattice, so zeros and ties of the largest entry are common
    w = data.draw(arrays(np.float64, n, elements=st.sampled_from([-2.0, -1.0, 0.0, 1.0, 2.0])))
    zs = data.draw(arrays(np.float64, (8, n), elements=st.floats(-3, 3)))
    g = p.grad(w)
    for z in zs:
        assert p.value(z) >= p.value(w) + g @ (z - w) - 1e-12


# ------------------------------------------------------------------------------ prox
def brute_force_prox(p, v, step):
    """Global minimizer of step*R(u) + (u - v)**2/2 over scalar u by grid refinement."""
    def obj(u):
        return step * elementwise(p, u) + 0.5 * (u - v) ** 2

    grid = np.linspace(-abs(v) - 1, abs(v) + 1, 20001)  # odd: contains 0 exactly
    best = grid[np.argmin(obj(grid))]
    h = grid[1] - grid[0]
    for _ in range(3):
        grid = np.append(np.linspace(best - 2 * h, best + 2 * h, 2001), 0.0)
        best = grid[np.argmin(obj(grid))]
        h = 4 * h / 2000
    return best, obj(best), obj


@pytest.mark.parametrize("p", PENALTIES, ids=ids)
@SETTINGS
@given(v=st.floats(-5, 5), step=st.floats(0.05, 3.0))
def test_prox_of_a_scalar_is_the_global_minimizer_on_a_fine_grid(p, v, step):
    u = float(p.prox(v, step))
    u_bf, obj_bf, obj = brute_force_prox(p, v, step)
    assert obj(u) <= obj_bf + 1e-12 * (1 + abs(obj_bf))  # nothing on the grid is lower
    if abs(obj(0.0) - obj(u_bf)) > 1e-9 or p.convex:  # no near-tie of two minimizers
        assert_allclose(u, u_bf, atol=1e-6)


@pytest.mark.parametrize("p", PENALTIES, ids=ids)
@SETTINGS
@given(v=arrays(np.float64, st.tuples(st.integers(1, 3), st.integers(1, 4)),
                elements=st.floats(-5, 5)),
       step=st.floats(0.05, 3.0))
def test_prox_optimality_condition(p, v, step):
    u = p.prox(v, step)
    assert u.shape == v.shape
    if p.convex:
        # (v - u)/step is a subgradient of R at u: R(z) >= R(u) + <(v-u)/step, z-u>
        g = (v - u) / step
        rng = np.random.default_rng(0)
        for z in rng.normal(scale=3, size=(20,) + v.shape):
            assert p.value(z) >= p.value(u) + np.sum(g * (z - u)) - 1e-10
    if isinstance(p, (lk.Lk, lk.ElasticNet)):
        # where u != 0, R is differentiable: 0 = (u - v)/step + grad R(u)
        nz = u != 0
        assert_allclose(((u - v) / step + p.grad(u))[nz], 0.0, atol=1e-10 * (1 + step))
    if isinstance(p, lk.L0):
        assert np.all((u == 0) | (u == v))
    if isinstance(p, lk.Lk) and not p.convex:  # separable: equals the scalar problems
        flat = [float(p.prox(x, step)) for x in v.ravel()]
        assert_allclose(u.ravel(), flat, rtol=0, atol=0)


@pytest.mark.parametrize("p", CONVEX, ids=ids)
@SETTINGS
@given(xy=paired(), step=st.floats(0.05, 3.0))
def test_prox_is_firmly_nonexpansive_for_convex_penalties(p, xy, step):
    x, y = xy
    px, py = p.prox(x, step), p.prox(y, step)
    assert (px - py) @ (x - y) >= (px - py) @ (px - py) - 1e-12


@SETTINGS
@given(v=arrays(np.float64, st.integers(1, 8), elements=st.floats(-5, 5)),
       step=st.floats(0.05, 3.0), lam=st.floats(0.01, 2.0))
def test_moreau_decomposition_pairs_l1_and_linf(v, step, lam):
    t = step * lam
    # L1 <-> projection on the L-infinity ball of radius t (a clip, independent code)
    assert_allclose(lk.L1(lam).prox(v, step) + np.clip(v, -t, t), v, atol=1e-12)
    # L-infinity <-> projection on the L1 ball of radius t
    assert_allclose(lk.LInf(lam).prox(v, step) + lk.project_l1_ball(v, t), v, atol=1e-12)


@SETTINGS
@given(v=arrays(np.float64, st.integers(1, 8), elements=st.floats(-5, 5)),
       radius=st.floats(0.0, 6.0))
def test_project_l1_ball_satisfies_its_variational_inequality(v, radius):
    # P is the projection iff P is in the ball and <v - P, z - P> <= 0 for every z in
    # the ball; the left side is linear in z, so checking the 2n vertices suffices.
    P = lk.project_l1_ball(v, radius)
    assert np.abs(P).sum() <= radius * (1 + 1e-12) + 1e-12
    vertices = radius * np.vstack([np.eye(v.size), -np.eye(v.size)])
    assert np.all((vertices - P) @ (v - P) <= 1e-10)
    if np.abs(v).sum() <= radius:
        assert_array_equal(P, v)


def test_project_l1_ball_edge_cases():
    assert_array_equal(lk.project_l1_ball([3.0, -4.0], 0.0), [0.0, 0.0])
    assert_array_equal(lk.project_l1_ball([3.0, -4.0], np.inf), [3.0, -4.0])
    assert_array_equal(lk.project_l1_ball([1e6, 1.0], 1.0), [1.0, 0.0])
    # radius below the round-off of the largest entry: still a point of the ball, within
    # eps * max|v| of the exact projection [1, 0] (no IndexError on an empty support)
    P = lk.project_l1_ball([1e20, 1.0], 1.0)
    assert np.abs(P).sum() <= 1.0 and np.all(np.abs(P - [1.0, 0.0]) <= 1e20 * 1e-15)
    assert_allclose(lk.project_l1_ball([[2.0, 0.0], [0.0, -2.0]], 2.0),
                    [[1.0, 0.0], [0.0, -1.0]])


@SETTINGS
@given(v=arrays(np.float64, st.integers(1, 20), elements=st.floats(-50, 50)),
       t=st.floats(1e-3, 20.0))
def test_half_threshold_closed_form_equals_the_generic_global_solve(v, t):
    assert_allclose(lk.half_threshold(v, t), lk.prox_lk(v, t, 0.5), rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize("k", [0.1, 0.3, 0.5, 0.9])
def test_small_k_prox_jumps_at_the_threshold_and_returns_zero_below(k):
    t = 0.8
    thr = (2 - k) / (2 * (1 - k)) * (2 * t * (1 - k)) ** (1 / (2 - k))
    below, above = lk.prox_lk([thr * (1 - 1e-7)], t, k), lk.prox_lk([thr * (1 + 1e-7)], t, k)
    assert below[0] == 0.0
    # above the threshold the solution is bounded away from 0: u >= 2(1-k)/(2-k) * thr
    assert above[0] >= 2 * (1 - k) / (2 - k) * thr * (1 - 1e-5)
    at = float(lk.prox_lk(thr, t, k))
    obj = lambda u: t * abs(u) ** k + 0.5 * (u - thr) ** 2  # noqa: E731
    assert at == 0.0 or abs(obj(at) - obj(0.0)) <= 1e-12  # a tie: both are minimizers


def test_l0_prox_returns_zero_on_an_exact_tie():
    p = lk.L0(1.0)  # threshold sqrt(2 * step * lam) = 2 exactly for step = 2
    assert_array_equal(p.prox([2.0, -2.0, np.nextafter(2.0, 3.0)], 2.0),
                       [0.0, 0.0, np.nextafter(2.0, 3.0)])
    assert_array_equal(lk.hard_threshold([1.0, -1.0, 1.5], 1.0), [0.0, 0.0, 1.5])


@pytest.mark.parametrize("p", PENALTIES, ids=ids)
def test_zero_strength_prox_is_the_identity(p):
    v = np.array([-2.0, 0.3, 5.0])
    assert_array_equal(rescaled(p, 0.0).prox(v, 1.7), v)
    assert rescaled(p, 0.0).value(v) == 0.0


def test_pure_thresholds_match_their_formulas():
    v = np.array([-3.0, -1.0, -0.2, 0.0, 0.5, 2.0])
    assert_array_equal(lk.soft_threshold(v, 1.0), [-2.0, 0.0, 0.0, 0.0, 0.0, 1.0])
    assert_allclose(lk.L2(0.5).prox(v, 2.0), v / 3.0, rtol=1e-15)
    assert_allclose(lk.ElasticNet(l1=1.0, l2=0.25).prox(v, 2.0),
                    lk.soft_threshold(v, 2.0) / 2.0, rtol=1e-15)
    assert_allclose(lk.prox_lk(v, 0.5, 1.0), lk.soft_threshold(v, 0.5), rtol=0)
    assert_allclose(lk.prox_lk(v, 0.5, 2.0), v / 2.0, rtol=1e-14)


# --------------------------------------------------------------- reduction and shapes
@pytest.mark.parametrize("p", PENALTIES, ids=ids)
@pytest.mark.parametrize("shape", [(6,), (2, 5)])
def test_mean_reduction_equals_sum_with_lam_divided_by_size(p, shape):
    w = np.random.default_rng(1).normal(size=shape)
    w.flat[0] = 0.0
    mean, scaled = rescaled(p, 1.0, "mean"), rescaled(p, 1.0 / w.size)
    assert mean.reduction == "mean"
    assert_allclose(mean.value(w), p.value(w) / w.size, rtol=1e-14)
    assert_allclose(mean.value(w), scaled.value(w), rtol=1e-14)
    assert_allclose(mean.grad(w), scaled.grad(w), rtol=1e-14)
    assert_allclose(mean.prox(3 * w, 0.9), scaled.prox(3 * w, 0.9), rtol=1e-14)


@pytest.mark.parametrize("p", PENALTIES, ids=ids)
def test_scalars_give_zero_d_arrays_and_matrices_keep_their_shape(p):
    assert p.grad(1.5).shape == () and p.prox(1.5, 0.3).shape == ()
    assert isinstance(p.value(1.5), float)
    W = np.arange(12.0).reshape(3, 4) - 5
    assert p.grad(W).shape == W.shape and p.prox(W, 0.1).shape == W.shape


def test_matrix_l2_is_squared_frobenius_and_linf_is_the_max_entry():
    W = np.array([[1.0, -2.0], [3.0, 0.5]])
    assert_allclose(lk.L2(0.1).value(W), 0.1 * np.linalg.norm(W, "fro") ** 2, rtol=1e-15)
    assert lk.LInf(2.0).value(W) == 6.0


@pytest.mark.parametrize("p", PENALTIES, ids=ids)
def test_inputs_are_never_written_and_outputs_do_not_alias_them(p):
    v = np.array([[1.5, -0.2], [0.0, 3.0]])
    v.setflags(write=False)
    before = v.copy()
    p.value(v), p.grad(v)
    out = p.prox(v, 0.5)
    assert_array_equal(v, before)
    assert not np.shares_memory(out, v)
    assert not np.shares_memory(rescaled(p, 0.0).prox(v, 0.5), v)


# ------------------------------------------------------------------ stability, NaN
@pytest.mark.parametrize("p", PENALTIES, ids=ids)
@pytest.mark.parametrize("scale", [1e-300, 1e-150, 1e150, 1e300])
def test_huge_and_tiny_values_give_no_warnings_and_sane_prox(p, scale):
    # pytest turns RuntimeWarnings into errors, so overflow must be handled quietly
    v = scale * np.array([1.0, -2.0, 0.5])
    p.value(v), p.grad(v)
    u = p.prox(v, 0.5)
    assert np.all(np.isfinite(u))
    assert np.all(np.abs(u) <= np.abs(v)) and np.all(np.sign(u) * np.sign(v) >= 0)
    if isinstance(p, lk.Lk) and p.k > 1 and scale > 1:
        # stationarity, relative: u + step*lam*k*|u|**(k-1)*sign(u) = v
        lhs = u + 0.5 * p.lam * p.k * np.sign(u) * np.abs(u) ** (p.k - 1)
        assert_allclose(lhs, v, rtol=1e-12)


def test_huge_values_overflow_to_inf_quietly():
    assert lk.Lk(3).value([1e200]) == np.inf
    assert lk.L2().grad([1e308])[0] == np.inf


@pytest.mark.parametrize("p", PENALTIES, ids=ids)
def test_nan_in_nan_out(p):
    w = np.array([1.0, np.nan, 0.0])
    assert np.isnan(p.value(w))
    g, u = p.grad(w), p.prox(w, 0.5)
    assert np.isnan(g[1]) and np.isnan(u[1])
    if not isinstance(p, lk.LInf):  # separable: the other entries are unaffected
        assert_array_equal(g[[0, 2]], p.grad([1.0, 0.0]))
        assert_array_equal(u[[0, 2]], p.prox([1.0, 0.0], 0.5))


def test_prox_lk_passes_infinities_through():
    assert_array_equal(lk.prox_lk([np.inf, -np.inf, np.nan], 1.0, 3.0)[:2], [np.inf, -np.inf])
    assert_array_equal(lk.soft_threshold([np.inf], 1.0), [np.inf])


# ------------------------------------------------------------- construction, registry
def test_registry_is_read_only_and_names_build_their_class():
    with pytest.raises(TypeError):
        lk.PENALTIES["l9"] = lk.L1
    assert set(lk.PENALTIES) == {"l0", "l1", "l2", "lk", "linf", "elasticnet"}
    for name, cls in lk.PENALTIES.items():
        params = {"k": 3.0} if name == "lk" else {}
        assert isinstance(lk.penalty(name, **params), cls)


def test_lk_dispatch_and_equalities():
    assert isinstance(lk.Lk(np.inf, 2.0), lk.LInf) and lk.Lk(np.inf, 2.0).lam == 2.0
    assert isinstance(lk.Lk(k=float("inf"), lam=3.0, reduction="mean"), lk.LInf)
    assert lk.Lk(1, 0.5) == lk.L1(0.5) and lk.Lk(2.0, 0.5) == lk.L2(0.5)
    assert lk.L1(0.5) != lk.L1(0.6) and lk.L1(0.5) != lk.L1(0.5, reduction="mean")
    assert len({lk.L1(0.5), lk.Lk(1, 0.5)}) == 1
    assert lk.L1().convex and lk.L2().k == 2 and not lk.Lk(0.5).convex and not lk.L0().convex


@pytest.mark.parametrize("p", PENALTIES + [lk.L1(0.1, reduction="mean")], ids=ids)
def test_repr_evaluates_back_to_an_equal_penalty(p):
    namespace = {name: getattr(lk, name) for name in lk.__all__}
    assert eval(repr(p), namespace) == p


def test_penalties_are_immutable():
    p = lk.L1(0.5)
    with pytest.raises(AttributeError, match="immutable"):
        p.lam = 2.0
    assert p.lam == 0.5


def test_penalty_by_name_reports_valid_names_and_suggestion():
    with pytest.raises(lk.InvalidParameterError) as info:
        lk.penalty("elastic_net")
    msg = str(info.value)
    assert "'l0', 'l1', 'l2', 'lk', 'linf', 'elasticnet'" in msg
    assert "Did you mean 'elasticnet'?" in msg
    with pytest.raises(lk.InvalidParameterError, match="'k' parameter of penalty\\('lk'\\)"):
        lk.penalty("lk", lam=1.0)


# -------------------------------------------------------------------- simulate_weight
def test_simulate_weight_l2_gd_is_geometric():
    w = lk.simulate_weight(lk.L2(0.1), 2.0, lr=0.5, steps=50)
    assert w.shape == (51,)
    assert_allclose(w, 2.0 * 0.9 ** np.arange(51), rtol=1e-13)


def test_simulate_weight_l1_prox_reaches_zero_exactly_and_gd_jitters():
    prox = lk.simulate_weight(lk.L1(0.5), 1.3, lr=0.1, steps=40, method="prox")
    first_zero = int(np.argmax(prox == 0))
    assert first_zero == int(np.ceil(1.3 / 0.05)) and np.all(prox[first_zero:] == 0)
    gd = lk.simulate_weight(lk.L1(0.5), 1.3, lr=0.1, steps=40)
    assert np.all(gd != 0) and np.all(np.abs(gd[30:]) <= 0.05 + 1e-12)
    assert np.any(gd[30:] > 0) and np.any(gd[30:] < 0)  # oscillates around 0


def test_simulate_weight_half_norm_gd_flips_sign_and_l3_stalls():
    half = lk.simulate_weight(lk.Lk(0.5, 0.5), 0.05, lr=0.1, steps=20)
    assert np.sum(np.diff(np.sign(half)) != 0) >= 5
    cubic = lk.simulate_weight(lk.Lk(3, 1.0), 1.0, lr=0.1, steps=200)
    sq = lk.simulate_weight(lk.L2(1.0), 1.0, lr=0.1, steps=200)
    # L3: w <- w - 0.3 w**2, so 1/w grows about linearly (1/w_t ~ 1 + 0.3 t): slow
    # polynomial decay; L2: w <- 0.8 w, geometric
    assert 60 < 1 / cubic[-1] < 65
    assert_allclose(sq[-1], 0.8 ** 200, rtol=1e-12)


@pytest.mark.parametrize("method", ["gd", "prox"])
def test_simulate_weight_with_target_converges_to_the_penalized_optimum(method):
    # minimizer of 0.5*(w - 3)**2 + 0.25*w**2 is w = 3 / 1.5 = 2
    w = lk.simulate_weight(lk.L2(0.25), -1.0, lr=0.3, steps=200, target=3.0, method=method)
    assert_allclose(w[-1], 2.0, rtol=1e-12)
    manual = [-1.0]
    for _ in range(200):
        x = manual[-1]
        if method == "gd":
            manual.append(x - 0.3 * ((x - 3.0) + 0.5 * x))
        else:
            manual.append((x - 0.3 * (x - 3.0)) / (1 + 2 * 0.3 * 0.25))
    assert_allclose(w, manual, rtol=1e-14)


def test_simulate_weight_zero_steps_and_divergence_is_quiet():
    assert_array_equal(lk.simulate_weight(lk.L1(), 0.7, lr=0.1, steps=0), [0.7])
    w = lk.simulate_weight(lk.Lk(4, 1.0), 10.0, lr=1.0, steps=30)
    assert not np.all(np.isfinite(w))


@pytest.mark.parametrize("k", [0.01, 0.3, 0.99, 1.001, 1.01, 1.5, 10.0, 100.0])
def test_prox_lk_solves_the_stationarity_equation_to_round_off_for_extreme_k(k):
    # u + t*k*|u|**(k-1)*sign(u) = v where u != 0; roots in the subnormal range (k
    # within 1e-3 of 1) are only as accurate as the subnormal spacing, so skip them
    v = np.random.default_rng(2).normal(scale=3, size=5000)
    u = lk.prox_lk(v, 0.7, k)
    assert np.all(np.abs(u) <= np.abs(v)) and np.all(u * v >= 0)
    ok = np.abs(u) >= np.finfo(float).tiny
    lhs = u[ok] + 0.7 * k * np.sign(u[ok]) * np.abs(u[ok]) ** (k - 1)
    # evaluating |u|**(k-1) amplifies u's last-bit error about k times
    assert_allclose(lhs, v[ok], rtol=4e-15 * max(1.0, k))
    if k > 1:
        assert ok.mean() > 0.9


def test_reduction_mean_inside_an_mlp_is_a_per_layer_mean_summed():
    # the documented meaning: lam * sum_l mean(W_l**2), not a mean over all weights
    model = lk.MLP([3, 7, 2], "tanh", rng=0)
    X, y = np.ones((4, 3)), np.zeros((4, 2))
    plain, _ = model.loss_and_grads(X, y, "mse")
    with_pen, _ = model.loss_and_grads(X, y, "mse", lk.L2(0.5, reduction="mean"))
    W1, W2 = model.params["W1"], model.params["W2"]
    assert with_pen - plain == pytest.approx(0.5 * (np.mean(W1 ** 2) + np.mean(W2 ** 2)),
                                             rel=1e-12)
    all_w = np.concatenate([W1.ravel(), W2.ravel()])
    assert with_pen - plain != pytest.approx(0.5 * np.mean(all_w ** 2), rel=1e-3)
