r"""Spec sheets of the activations: tables generated from their metadata and values.

``lk.book.spec_sheet("formulas")``, ``lk.book.spec_sheet("shape")`` and
``lk.book.spec_sheet("properties")`` build the three tables of chapter 6 from an
activation registry (``lk.ACTIVATIONS`` by default): nothing in them is typed in, so
a new activation appears the moment it is registered. ``lk.book.gaussian_mean`` is the
quadrature behind the "zero-centred" column and behind the variance-propagation
argument for initialisation (:math:`\mathbb E f(Z)^2` for :math:`Z \sim \mathcal N(0, 1)`).
"""
from __future__ import annotations

from collections.abc import Mapping

import numpy as np
from scipy import integrate

from .._validation import InvalidParameterError, check_choice, check_real, fail

__all__ = ["gaussian_mean", "spec_sheet", "SpecSheet", "SPEC_SHEETS"]

#: The table kinds understood by :func:`spec_sheet`.
SPEC_SHEETS = ("formulas", "shape", "properties")


def gaussian_mean(fn, scale=1.0):
    r"""Expectation :math:`\mathbb E\,\mathrm{fn}(sZ)` for :math:`Z \sim \mathcal N(0, 1)`.

    Parameters
    ----------
    fn : callable
        Takes a float (or a 0-d array) and returns a real number, e.g. ``a.f`` of an
        activation or ``lambda z: a.f(z) ** 2``. Must not grow faster than a
        polynomial.
    scale : float > 0
        The standard deviation :math:`s` of the Gaussian input.

    Returns
    -------
    float
        The expectation, by numerical integration.

    Raises
    ------
    InvalidParameterError
        If ``fn`` is not callable or ``scale`` is not a positive finite float.

    Notes
    -----
    Adaptive Gauss-Kronrod quadrature (``scipy.integrate.quad``) of
    :math:`\mathrm{fn}(z)\,\varphi(z/s)/s` on :math:`(-\infty, 0]` and
    :math:`[0, \infty)` separately, so that a kink at 0 (the ReLU family, SELU) lies on
    the boundary of both pieces; the absolute error is about :math:`10^{-12}` for the
    registry's activations and their squares.

    Examples
    --------
    >>> import numpy as np, lkcourse as lk
    >>> relu = lk.ACTIVATIONS["relu"]
    >>> bool(np.isclose(lk.book.gaussian_mean(relu.f), 1 / np.sqrt(2 * np.pi)))
    True
    >>> round(lk.book.gaussian_mean(lambda z: relu.f(z) ** 2), 12)   # He's factor 2 = 1 / 0.5
    0.5
    """
    owner = "gaussian_mean"
    if not callable(fn):
        fail("fn", owner, "a callable taking a float and returning a real number", fn)
    s = check_real(scale, "scale", owner, low=0, low_open=True)

    def integrand(z):
        return float(fn(z)) * np.exp(-0.5 * (z / s) ** 2) / (s * np.sqrt(2 * np.pi))

    opts = dict(epsabs=1e-13, epsrel=1e-12, limit=200)
    left = integrate.quad(integrand, -np.inf, 0.0, **opts)[0]
    right = integrate.quad(integrand, 0.0, np.inf, **opts)[0]
    return left + right


class SpecSheet:
    """A table of strings that Jupyter shows as markdown (``_repr_markdown_``).

    Parameters
    ----------
    kind : str
        One of :data:`SPEC_SHEETS`.
    header : list of str
        The column titles.
    rows : list of list of str
        One row per activation, in registry order, one string per column.

    Attributes
    ----------
    kind, header, rows
        As given (copies of the lists).

    Examples
    --------
    >>> import lkcourse as lk
    >>> sheet = lk.book.SpecSheet("demo", ["a", "b"], [["1", "2"]])
    >>> print(sheet.markdown)
    | a | b |
    |---|---|
    | 1 | 2 |
    """

    def __init__(self, kind, header, rows):
        self.kind, self.header, self.rows = kind, list(header), [list(r) for r in rows]

    @property
    def markdown(self):
        """The table in markdown, a str (MyST roles such as ``{cite}`` included)."""
        def line(cells):
            return "| " + " | ".join(cells) + " |"
        rule = "|" + "---|" * len(self.header)
        return "\n".join([line(self.header), rule] + [line(r) for r in self.rows])

    def _repr_markdown_(self):
        return self.markdown

    def __repr__(self):
        return f"<SpecSheet {self.kind!r}: {len(self.rows)} activations>"


def _tex(s):
    return "$" + s.replace("inf", r"\infty") + "$"


def _tail(a, z):
    """The asymptote at ``z`` (= -1000 or 1000): a constant or a slope."""
    slope, value = float(a.df(z)), float(a.f(z))
    if abs(slope) < 1e-12:
        return rf"$\to {value + 0.0:.4g}$"
    return r"$\approx z$" if slope == 1 else rf"$\approx {slope:.4g}\,z$"


def _yes_no(flag):
    return "yes" if flag else "no"


def _formula_row(name, a):
    ref = getattr(a, "reference", None)
    label = f"`{name}` {{cite}}`{ref}`" if ref else f"`{name}`"
    return [label, f"$f(z) = {a.formula}$<br>$f'(z) = {a.derivative}$"]


def _shape_row(name, a):
    return [f"`{name}`", _tex(a.range), f"{float(a.f(0.0)):.4g}", f"{float(a.df(0.0)):.4g}",
            _tail(a, -1e3), _tail(a, 1e3)]


def _property_row(name, a):
    mean = gaussian_mean(a.f)
    second = gaussian_mean(lambda z: float(a.f(z)) ** 2)
    return [f"`{name}`", f"{round(mean, 3) + 0.0:.3f}", f"{second:.3f}", _yes_no(a.zero_centred),
            _tex(a.smoothness.split(" ")[0]), _yes_no(a.monotonic), a.saturates, a.cost]


_SHEETS = {
    "formulas": (["activation", "formula and derivative"], _formula_row),
    "shape": (["activation", "range", "$f(0)$", "$f'(0)$", r"$z\to-\infty$",
               r"$z\to\infty$"], _shape_row),
    "properties": (["activation", r"$\mathbb E f(Z)$", r"$\mathbb E f(Z)^2$",
                    "zero-centred", "smoothness", "monotonic", "saturates", "cost"],
                   _property_row),
}


def spec_sheet(kind, activations=None):
    r"""One of the activation spec sheets, generated from the registry.

    Parameters
    ----------
    kind : {"formulas", "shape", "properties"}
        ``"formulas"``: name (with its citation) and LaTeX for :math:`f` and
        :math:`f'`. ``"shape"``: range, :math:`f(0)`, :math:`f'(0)` and the two
        asymptotes, read off at :math:`z = \mp 1000` (a constant where
        :math:`f' = 0` there, else the slope). ``"properties"``:
        :math:`\mathbb E f(Z)` and :math:`\mathbb E f(Z)^2` for
        :math:`Z \sim \mathcal N(0, 1)` (by :func:`gaussian_mean`), zero-centring,
        smoothness class, monotonicity, saturating sides and the costliest primitive.
    activations : mapping of name -> activation, optional
        Defaults to ``lk.ACTIVATIONS``. Each value needs ``f``, ``df`` and the spec
        metadata of :class:`lkcourse.Activation`.

    Returns
    -------
    SpecSheet
        Shown as a markdown table in Jupyter; ``.rows`` holds the strings.

    Raises
    ------
    InvalidParameterError
        For an unknown ``kind`` or an ``activations`` that is not a mapping.

    Examples
    --------
    >>> import lkcourse as lk
    >>> sheet = lk.book.spec_sheet("shape")
    >>> sheet.header[:3], sheet.rows[3][:4]
    (['activation', 'range', '$f(0)$'], ['`relu`', '$[0, \\infty)$', '0', '0'])
    """
    owner = "spec_sheet"
    kind = check_choice(kind, "kind", owner, SPEC_SHEETS)
    if activations is None:
        from ..activations import ACTIVATIONS as activations
    if not isinstance(activations, Mapping) or not activations:
        fail("activations", owner, "a non-empty mapping of name -> activation",
             activations)
    header, make_row = _SHEETS[kind]
    rows = []
    for name, a in activations.items():
        try:
            rows.append(make_row(name, a))
        except AttributeError as err:
            raise InvalidParameterError(
                f"The 'activations' parameter of {owner} must map names to activation "
                f"objects with f, df and spec metadata. Got {a!r} for {name!r} "
                f"instead ({err}).") from None
    return SpecSheet(kind, header, rows)
