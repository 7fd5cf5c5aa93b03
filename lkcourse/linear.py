r"""Penalized linear regression: closed forms, proximal gradient, regularization paths.

Objective (the course's convention, as in scikit-learn's ``Lasso``):

.. math:: \frac{1}{2n}\|y - X\beta - b\|^2 + R(\beta),

with the intercept :math:`b` never penalized. With ``fit_intercept=True`` the columns
of X and y are centred, the problem is solved for :math:`\beta` without intercept, and
:math:`b = \bar y - \bar x^\top \beta`.

.. rubric:: Solvers

- ``penalty=None``: least squares by the SVD; with a rank-deficient X the minimum-norm
  solution (pseudo-inverse).
- ``L2(lam)`` (and ``Lk(2, lam)``): closed form. Setting the gradient
  :math:`-\frac1n X^\top(y - X\beta) + 2\lambda\beta` to zero gives

  .. math:: (X^\top X + 2n\lambda I)\,\beta = X^\top y, \qquad
     \beta = V \operatorname{diag}\Big(\frac{s_i}{s_i^2 + 2n\lambda}\Big) U^\top y

  with :math:`X = U \operatorname{diag}(s) V^\top`. A text that writes
  :math:`(X^\top X + n\lambda' I)^{-1} X^\top y` uses the penalty
  :math:`\frac{\lambda'}{2}\|\beta\|^2`, i.e. ``L2(lam'/2)`` here.
- Convex penalties (``L1``, ``ElasticNet``, ``LInf``, ``Lk`` with k > 1): FISTA (Beck and
  Teboulle, 2009) with step :math:`1/L`, :math:`L = s_{\max}^2 / n` the largest
  eigenvalue of :math:`X^\top X / n`, and gradient-based restart (O'Donoghue and
  Candès, 2015): the momentum resets whenever it points uphill.
- Non-convex penalties (``L0``, ``Lk`` with k < 1): the same accelerated proximal
  gradient from ``coef0`` with the exact global prox and a monotone safeguard: a step
  from the extrapolated point is kept only if it does not increase the objective,
  otherwise the iteration takes a plain proximal-gradient step from the current point
  and resets the momentum. The objective never increases, and the result is a *local*
  solution (a fixed point of the proximal-gradient map) that depends on the start.

Both iterative methods stop when the proximal-gradient residual
:math:`G(z) = (z - \operatorname{prox}_{R/L}(z - \nabla f(z)/L))\,L` at the point
:math:`z` where the step was taken has :math:`\|G(z)\|_\infty \le` ``tol`` (it is 0
exactly at a stationary point), and return the new iterate.

.. rubric:: Mapping to scikit-learn (n samples)

========================  ================================================================
``lkcourse``              scikit-learn
========================  ================================================================
``L1(lam)``               ``Lasso(alpha=lam)``
``ElasticNet(l1, l2)``    ``ElasticNet(alpha=l1 + 2*l2, l1_ratio=l1 / (l1 + 2*l2))``
``L2(lam)``               ``Ridge(alpha=2*n*lam)`` (Ridge's data term is ``||y-Xw||**2``)
``None``                  ``LinearRegression()``
========================  ================================================================
"""
from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np

from ._validation import (InvalidParameterError, check_array, check_choice, check_real,
                          check_same_length, fail)
from .penalties import Lk
from .penalty_base import Penalty, as_penalty

__all__ = ["fit_linear", "LinearFit", "ConvergenceWarning", "regularization_path",
           "regularization_path_fits", "polynomial_features"]


class ConvergenceWarning(UserWarning):
    """Warning raised when an iterative solver stops at ``max_iter`` before ``tol``."""


@dataclass(frozen=True)
class LinearFit:
    """Result of :func:`fit_linear` (a frozen dataclass: fields and ``coef`` read-only).

    Its fields:

    - ``coef``: the fitted coefficients, a read-only array of shape ``(n_features,)``
      (``fit.coef.copy()`` gives a writable one);
    - ``intercept``: the fitted intercept b, a float (0.0 when ``fit_intercept=False``);
    - ``n_iter``: proximal-gradient iterations, an int (0 for the closed forms);
    - ``converged``: whether the stopping rule was met (always True for closed forms);
    - ``objective``: ``(1/(2n))*||y - X @ coef - intercept||**2 + penalty(coef)`` at the
      solution.
    """

    coef: np.ndarray
    intercept: float
    n_iter: int
    converged: bool
    objective: float

    def __post_init__(self):
        coef = np.array(self.coef, dtype=np.float64)  # a copy the caller cannot reach
        coef.flags.writeable = False
        object.__setattr__(self, "coef", coef)

    def __reduce__(self):  # unpickling goes through __init__, so coef stays read-only
        return (LinearFit, (self.coef, self.intercept, self.n_iter, self.converged,
                            self.objective))

    def predict(self, X):
        """Predict the targets of new rows: ``X @ coef + intercept``.

        Parameters
        ----------
        X : array_like of shape (n, n_features)
            The rows, finite, with ``len(coef)`` columns.

        Returns
        -------
        ndarray of shape (n,)
            The predictions.

        Examples
        --------
        >>> import numpy as np, lkcourse as lk
        >>> X = np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
        >>> fit = lk.fit_linear(X, X @ [1.0, 2.0] + 3.0)
        >>> np.round(fit.predict([[1.0, 1.0]]), 6)
        array([6.])
        """
        X = check_array(X, "X", "LinearFit.predict", ndim=2)
        if X.shape[1] != self.coef.size:
            fail("X", "LinearFit.predict", f"an array with {self.coef.size} columns", X)
        return X @ self.coef + self.intercept


class _Design:
    """Validated (centred) data and its SVD, computed once per X and reused by every
    fit of a regularization path."""

    def __init__(self, X, y, fit_intercept):
        n, p = X.shape
        if fit_intercept:
            self.x_mean, self.y_mean = X.mean(axis=0), float(y.mean())
            self.Xc, self.yc = X - self.x_mean, y - self.y_mean
        else:
            self.x_mean, self.y_mean, self.Xc, self.yc = np.zeros(p), 0.0, X, y
        self.X, self.y, self.fit_intercept = X, y, fit_intercept
        self.U, self.s, self.Vt = np.linalg.svd(self.Xc, full_matrices=False)
        self.Uty = self.U.T @ self.yc
        self._gram = None

    @property
    def gram(self):
        """``(X^T X / n, X^T y / n)`` of the centred data (only used when p <= n)."""
        if self._gram is None:
            n = self.Xc.shape[0]
            self._gram = (self.Xc.T @ self.Xc / n, self.Xc.T @ self.yc / n)
        return self._gram


def _least_squares(design, lam):
    """Minimizer of (1/(2n))||y - X beta||^2 + lam*||beta||^2 by the SVD (lam >= 0).

    For lam = 0 the minimum-norm least-squares solution (pseudo-inverse).
    """
    X, s = design.Xc, design.s
    n = X.shape[0]
    if lam == 0:
        keep = s > max(X.shape) * np.finfo(float).eps * (s[0] if s.size else 0.0)
        d = np.where(keep, 1.0 / np.where(keep, s, 1.0), 0.0)
    else:
        d = s / (s ** 2 + 2.0 * n * lam)
    return design.Vt.T @ (d * design.Uty)


def _proximal_gradient(design, penalty, coef, max_iter, tol):
    """FISTA with restart; for a non-convex penalty with a monotone safeguard."""
    X, y = design.Xc, design.yc
    n, p = X.shape
    L = (design.s[0] ** 2 if design.s.size else 0.0) / n  # largest eigenvalue of X^T X/n
    if L == 0:  # the data term is constant: the minimizer of R, which is 0
        return np.zeros(p), 0, True
    step = 1.0 / L
    if p <= n:
        gram, xty = design.gram
        def grad(w): return gram @ w - xty  # noqa: E306,E704
    else:
        def grad(w): return X.T @ (X @ w - y) / n  # noqa: E306,E704

    def objective(w):
        r = X @ w - y
        return r @ r / (2 * n) + float(penalty.value(w))

    t = step * penalty.factor(p)  # arrays are checked once, here: call the hook directly

    def prox(v):
        return penalty.unit_prox(v, t)

    convex = penalty.convex is True  # an adapted object: False unless it says so
    x, z, theta = coef, coef, 1.0
    f_x = None if convex else objective(x)
    for it in range(1, max_iter + 1):
        x_new = prox(z - step * grad(z))
        if np.max(np.abs(z - x_new)) / step <= tol:
            return x_new, it, True
        if convex:  # restart when the momentum points uphill
            restart = (z - x_new) @ (x_new - x) > 0
        else:  # keep only steps that do not increase the objective
            f_new = objective(x_new)
            restart = f_new > f_x
            if restart and z is not x:  # fall back to a plain step from x
                x_new = prox(x - step * grad(x))
                f_new = objective(x_new)
            f_x = f_new
        if restart:
            z, theta = x_new, 1.0
        else:
            theta_new = 0.5 * (1.0 + np.sqrt(1.0 + 4.0 * theta ** 2))
            z = x_new + (theta - 1.0) / theta_new * (x_new - x)
            theta = theta_new
        x = x_new
    return x, max_iter, False


def fit_linear(X, y, penalty=None, *, fit_intercept=True, max_iter=10_000, tol=1e-8,
               coef0=None):
    r"""Fit a penalized linear regression.

    Minimizes :math:`\frac{1}{2n}\|y - X\beta - b\|^2 + R(\beta)`; see the module
    docstring for the solvers, the L2 closed form and the mapping to scikit-learn.

    Parameters
    ----------
    X : array_like of shape (n_samples, n_features)
        Design matrix, finite. A single feature must be shaped ``(n, 1)``.
    y : array_like of shape (n_samples,)
        Targets, finite.
    penalty : penalty object or None
        For example ``lk.L1(0.1)``. None means ordinary least squares. Any penalty
        works (a subclass of ``lk.Penalty``, or any object with ``value(w)`` and
        ``prox(v, step)``, the ones ``lk.MLP`` and ``lk.train`` accept); a penalty
        that is not convex (``convex = False``, the default of a plain object) gets
        the monotone safeguard.
    fit_intercept : bool
        Fit an unpenalized intercept (by centring X and y).
    max_iter : int, >= 1
        Iteration cap of the proximal-gradient solvers.
    tol : float, >= 0
        Stop when the proximal-gradient residual has max-norm <= tol.
    coef0 : array_like of shape (n_features,) or None
        Starting coefficients of the iterative solvers (default zeros); used for warm
        starts and, for non-convex penalties, decides which local solution is found.

    Returns
    -------
    LinearFit
        With ``coef``, ``intercept``, ``n_iter``, ``converged``, ``objective`` and a
        ``predict(X)`` method.

    Raises
    ------
    InvalidParameterError
        For a non-2-D X, a non-1-D y, mismatched lengths, NaN/inf in the data, a
        penalty without ``value`` and ``prox``, or a bad option.

    Warns
    -----
    ConvergenceWarning
        If ``max_iter`` is reached first (``converged`` is then False).

    Examples
    --------
    >>> import numpy as np, lkcourse as lk
    >>> rng = np.random.default_rng(0)
    >>> X = rng.normal(size=(50, 3))
    >>> y = X @ np.array([2.0, 0.0, -1.0]) + 0.5
    >>> fit = lk.fit_linear(X, y)
    >>> np.round(fit.coef, 6), round(fit.intercept, 6)
    (array([ 2.,  0., -1.]), 0.5)
    >>> fit = lk.fit_linear(X, y, lk.L1(0.1))
    >>> fit.converged, np.round(fit.coef, 2)
    (True, array([ 1.9 ,  0.  , -0.84]))
    """
    owner = "fit_linear"
    X, y = _check_data(X, y, owner)
    penalty = _check_linear_penalty(penalty, owner)
    fit_intercept, max_iter, tol = _check_options(fit_intercept, max_iter, tol, owner)
    coef0 = _check_coef0(coef0, X.shape[1], owner)
    return _fit(_Design(X, y, fit_intercept), penalty, max_iter, tol, coef0)


def _check_data(X, y, owner):
    X = check_array(X, "X", owner, ndim=2)
    y = check_array(y, "y", owner, ndim=(1, 2))
    if y.ndim == 2:
        raise InvalidParameterError(
            f"The 'y' parameter of {owner} must be a 1-D array. Got a 2-D array of shape "
            f"{y.shape} instead. Use y.ravel() for a single target; fit several targets "
            "one at a time.")
    check_same_length(X, y, "X", "y", owner)
    return X, y


def _check_linear_penalty(penalty, owner, name="penalty"):
    """None, or the penalty (adapted) from an object with ``value(w)`` and
    ``prox(v, step)``."""
    return as_penalty(penalty, owner, needs=("value", "prox"), name=name)


def _check_options(fit_intercept, max_iter, tol, owner):
    if not isinstance(fit_intercept, (bool, np.bool_)):
        fail("fit_intercept", owner, "True or False", fit_intercept)
    max_iter = check_real(max_iter, "max_iter", owner, low=1, integer=True)
    tol = check_real(tol, "tol", owner, low=0)
    return bool(fit_intercept), max_iter, tol


def _check_coef0(coef0, p, owner):
    if coef0 is None:
        return np.zeros(p)
    coef0 = check_array(coef0, "coef0", owner, ndim=1).copy()
    if coef0.size != p:
        fail("coef0", owner, f"None or an array of shape ({p},) like X's columns", coef0)
    return coef0


def _fit(design, penalty, max_iter, tol, coef0, stacklevel=3):
    """fit_linear on checked inputs, with the data's SVD already computed.

    ``stacklevel`` of the ConvergenceWarning: 3 points at fit_linear's caller."""
    X, y, n, p = design.X, design.y, design.X.shape[0], design.X.shape[1]
    if penalty is None or (isinstance(penalty, Lk) and penalty.k == 2):
        lam = 0.0 if penalty is None else penalty.factor(p)
        coef, n_iter, converged = _least_squares(design, lam), 0, True
    else:
        coef, n_iter, converged = _proximal_gradient(design, penalty, coef0, max_iter, tol)
        if not converged:
            warnings.warn(
                f"fit_linear did not converge in max_iter={max_iter} iterations "
                f"(tol={tol:g}, penalty {penalty!r}). Increase max_iter or tol; "
                "check the result.", ConvergenceWarning, stacklevel=stacklevel)
    intercept = design.y_mean - float(design.x_mean @ coef) if design.fit_intercept else 0.0
    resid = y - X @ coef - intercept
    objective = float(resid @ resid) / (2 * n)
    if penalty is not None:
        objective += float(penalty.value(coef))
    return LinearFit(coef=coef, intercept=intercept, n_iter=int(n_iter),
                     converged=bool(converged), objective=objective)


_PATH_OPTIONS = ["fit_intercept", "max_iter", "tol", "coef0"]


def regularization_path(X, y, penalty_factory, lams, *, warm_start=True, **fit_kwargs):
    """Compute the coefficients of :func:`fit_linear` along a sequence of strengths.

    Parameters
    ----------
    X, y : array_like
        As in :func:`fit_linear`.
    penalty_factory : callable
        ``lam -> penalty``, e.g. ``lk.L1`` or ``lambda lam: lk.Lk(0.5, lam)``; it may
        return any penalty object :func:`fit_linear` accepts.
    lams : array_like of shape (n_lams,)
        Finite strengths, solved in the given order (decreasing is the usual choice:
        from the all-zero solution toward less regularization).
    warm_start : bool
        Start each fit from the previous solution (``coef0`` of ``fit_kwargs``, if
        given, starts the first one). Saves iterations; for non-convex penalties it
        also makes the path follow one local solution continuously.
    **fit_kwargs
        Passed to :func:`fit_linear` (``fit_intercept``, ``max_iter``, ``tol``,
        ``coef0``).

    Returns
    -------
    ndarray of shape (n_lams, n_features)
        Row i holds the coefficients for ``lams[i]``. Always this one type: the
        intercepts, iteration counts and objectives are in the :class:`LinearFit`
        results of :func:`regularization_path_fits`.

    Notes
    -----
    The data are centred and decomposed (SVD) once for the whole path.

    Examples
    --------
    >>> import numpy as np, lkcourse as lk
    >>> rng = np.random.default_rng(0)
    >>> X = rng.normal(size=(40, 3))
    >>> y = X @ np.array([1.0, 0.0, -2.0]) + 0.1 * rng.normal(size=40)
    >>> path = lk.regularization_path(X, y, lk.L1, [3.0, 1.0, 0.3, 0.0])
    >>> path.shape, np.count_nonzero(path, axis=1)
    ((4, 3), array([0, 1, 2, 3]))
    """
    fits = _path(X, y, penalty_factory, lams, warm_start, fit_kwargs,
                 "regularization_path")
    return np.array([fit.coef for fit in fits])  # lams has >= 1 entry


def regularization_path_fits(X, y, penalty_factory, lams, *, warm_start=True,
                             **fit_kwargs):
    """The full :class:`LinearFit` of every point of a regularization path.

    The same fits as :func:`regularization_path` (same parameters, same warm starts),
    returned whole: ``[fit.intercept for fit in fits]`` gives the intercepts,
    ``fit.n_iter`` and ``fit.objective`` the cost and value of each solve.

    Parameters
    ----------
    X, y : array_like
        As in :func:`fit_linear`.
    penalty_factory : callable
        ``lam -> penalty``, e.g. ``lk.L1``.
    lams : array_like of shape (n_lams,)
        Finite strengths, solved in the given order.
    warm_start : bool
        Start each fit from the previous solution.
    **fit_kwargs
        Passed to :func:`fit_linear` (``fit_intercept``, ``max_iter``, ``tol``,
        ``coef0``).

    Returns
    -------
    list of LinearFit
        One per entry of ``lams``, in order.

    Examples
    --------
    >>> import numpy as np, lkcourse as lk
    >>> rng = np.random.default_rng(0)
    >>> X = rng.normal(size=(40, 3))
    >>> y = X @ np.array([1.0, 0.0, -2.0]) + 5.0
    >>> fits = lk.regularization_path_fits(X, y, lk.L1, [3.0, 0.0])
    >>> [round(fit.intercept, 3) for fit in fits][1]
    5.0
    """
    return _path(X, y, penalty_factory, lams, warm_start, fit_kwargs,
                 "regularization_path_fits")


def _path(X, y, penalty_factory, lams, warm_start, fit_kwargs, owner):
    X, y = _check_data(X, y, owner)
    if not callable(penalty_factory) or isinstance(penalty_factory, Penalty):
        fail("penalty_factory", owner, "a callable lam -> penalty, such as lk.L1",
             penalty_factory)
    lams = check_array(lams, "lams", owner, ndim=1)
    if not isinstance(warm_start, (bool, np.bool_)):
        fail("warm_start", owner, "True or False", warm_start)
    for key in fit_kwargs:
        check_choice(key, "**fit_kwargs", owner, _PATH_OPTIONS)
    fit_intercept, max_iter, tol = _check_options(
        fit_kwargs.get("fit_intercept", True), fit_kwargs.get("max_iter", 10_000),
        fit_kwargs.get("tol", 1e-8), owner)
    coef0 = _check_coef0(fit_kwargs.get("coef0"), X.shape[1], owner)
    design = _Design(X, y, fit_intercept)  # one centring and one SVD for the whole path
    fits = []
    for lam in lams:
        pen = penalty_factory(float(lam))
        try:
            pen = _check_linear_penalty(pen, owner)
        except InvalidParameterError:
            fail("penalty_factory", owner,
                 "a callable returning a penalty object (such as lk.L1)", penalty_factory)
        fit = _fit(design, pen, max_iter, tol, coef0, stacklevel=4)  # the caller
        fits.append(fit)
        if warm_start:
            coef0 = fit.coef.copy()
    return fits


def polynomial_features(x, degree):
    """Polynomial features ``[x, x**2, ..., x**degree]`` of a 1-D input.

    Parameters
    ----------
    x : array_like of shape (n,)
        Finite inputs. For high degrees rescale x to [-1, 1] first (e.g.
        ``2 * (x - x.min()) / (x.max() - x.min()) - 1``): otherwise the columns differ
        by orders of magnitude, the design is badly conditioned and a penalty treats
        the coefficients very unequally.
    degree : int, >= 1
        Highest power.

    Returns
    -------
    ndarray of shape (n, degree)
        Column j is ``x**(j+1)``. No constant column: the intercept is fit separately
        (and is not penalized).

    Examples
    --------
    >>> import lkcourse as lk
    >>> lk.polynomial_features([1.0, 2.0, -1.0], 3)
    array([[ 1.,  1.,  1.],
           [ 2.,  4.,  8.],
           [-1.,  1., -1.]])
    """
    x = check_array(x, "x", "polynomial_features", ndim=1)
    degree = check_real(degree, "degree", "polynomial_features", low=1, integer=True)
    return x[:, None] ** np.arange(1, degree + 1)
