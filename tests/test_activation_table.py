"""Spec sheets and Gaussian expectations: closed forms, the registry, validation."""
import math

import numpy as np
import pytest
from scipy import integrate

import lkcourse as lk
from lkcourse.book import activation_table as at

# Closed forms of E f(Z) and E f(Z)^2, Z ~ N(0, 1), independent of the quadrature.
SQRT2PI = math.sqrt(2 * math.pi)
CLOSED = {
    "identity": (0.0, 1.0),
    "relu": (1 / SQRT2PI, 0.5),
    "leaky_relu": (0.99 / SQRT2PI, 0.5 * (1 + 0.01 ** 2)),
    "prelu": (0.75 / SQRT2PI, 0.5 * (1 + 0.25 ** 2)),
    "sigmoid": (0.5, None),
    "tanh": (0.0, None),
    "selu": (0.0, 1.0),          # the two equations that define SELU's constants
}


@pytest.mark.parametrize("name", sorted(CLOSED))
def test_gaussian_mean_closed_forms(name):
    a = lk.ACTIVATIONS[name]
    mean, second = CLOSED[name]
    assert abs(at.gaussian_mean(a.f) - mean) < 1e-10
    if second is not None:
        assert abs(at.gaussian_mean(lambda z: a.f(z) ** 2) - second) < 1e-10


@pytest.mark.parametrize("scale", [0.3, 1.0, 2.5])
def test_gaussian_mean_moments_and_scale(scale):
    assert abs(at.gaussian_mean(lambda z: 1.0, scale) - 1) < 1e-12
    assert abs(at.gaussian_mean(lambda z: z ** 2, scale) - scale ** 2) < 1e-10
    assert abs(at.gaussian_mean(lambda z: z ** 4, scale) - 3 * scale ** 4) < 1e-9
    assert abs(at.gaussian_mean(lambda z: abs(z), scale) - scale * math.sqrt(2 / math.pi)) < 1e-10


@pytest.mark.parametrize("name", sorted(lk.ACTIVATIONS))
def test_gaussian_mean_matches_a_grid_oracle(name):
    a = lk.ACTIVATIONS[name]
    z = np.linspace(-40, 40, 400_001)          # kink at a grid point (z = 0)
    phi = np.exp(-z ** 2 / 2) / SQRT2PI
    assert abs(at.gaussian_mean(a.f) - integrate.trapezoid(a.f(z) * phi, z)) < 1e-8


def test_zero_centred_metadata_agrees_with_the_quadrature():
    for name, a in lk.ACTIVATIONS.items():
        assert a.zero_centred == (abs(at.gaussian_mean(a.f)) < 1e-9), name


@pytest.mark.parametrize("kind", at.SPEC_SHEETS)
def test_spec_sheet_has_one_row_per_activation(kind):
    sheet = at.spec_sheet(kind)
    assert [r[0].split("`")[1] for r in sheet.rows] == list(lk.ACTIVATIONS)
    assert all(len(r) == len(sheet.header) for r in sheet.rows)
    md = sheet._repr_markdown_()
    lines = md.splitlines()
    assert len(lines) == 2 + len(lk.ACTIVATIONS)
    assert lines[1] == "|" + "---|" * len(sheet.header)
    assert repr(sheet) == f"<SpecSheet {kind!r}: {len(lk.ACTIVATIONS)} activations>"


def test_spec_sheet_values():
    shape = {r[0]: r for r in at.spec_sheet("shape").rows}
    assert shape["`sigmoid`"][1:] == ["$(0, 1)$", "0.5", "0.25", r"$\to 0$", r"$\to 1$"]
    assert shape["`leaky_relu`"][4:] == [r"$\approx 0.01\,z$", r"$\approx z$"]
    assert shape["`selu`"][3] == "1.758"
    props = {r[0]: r for r in at.spec_sheet("properties").rows}
    assert props["`relu`"][1:4] == ["0.399", "0.500", "no"]
    assert props["`tanh`"][1] == "0.000" and props["`selu`"][1:4] == ["0.000", "1.000", "yes"]
    assert props["`elu`"][4] == "$C^1$" and props["`relu`"][4] == "$C^0$"
    forms = {r[0]: r for r in at.spec_sheet("formulas").rows}
    assert "`gelu` {cite}`hendrycks2016gelu`" in forms
    assert "`sigmoid`" in forms                       # no reference: no citation


def test_spec_sheet_on_a_sub_registry():
    sub = {"relu": lk.ACTIVATIONS["relu"], "wide leaky": lk.activation("leaky_relu",
                                                                       negative_slope=0.2)}
    rows = at.spec_sheet("shape", sub).rows
    assert [r[0] for r in rows] == ["`relu`", "`wide leaky`"] and rows[1][3] == "0.2"


@pytest.mark.parametrize("kwargs, match", [
    (dict(kind="speed"), "'kind' parameter of spec_sheet"),
    (dict(kind="shape", activations=[1, 2]), "'activations' parameter of spec_sheet"),
    (dict(kind="shape", activations={}), "'activations' parameter of spec_sheet"),
    (dict(kind="shape", activations={"x": object()}), "'activations' parameter"),
])
def test_spec_sheet_validation(kwargs, match):
    with pytest.raises(lk.InvalidParameterError, match=match):
        at.spec_sheet(**kwargs)


@pytest.mark.parametrize("fn, scale, match", [
    (3.0, 1.0, "'fn' parameter of gaussian_mean"),
    (abs, 0.0, "'scale' parameter of gaussian_mean"),
    (abs, -1.0, "'scale' parameter of gaussian_mean"),
    (abs, np.inf, "'scale' parameter of gaussian_mean"),
])
def test_gaussian_mean_validation(fn, scale, match):
    with pytest.raises(lk.InvalidParameterError, match=match):
        at.gaussian_mean(fn, scale)
