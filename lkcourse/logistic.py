r"""Penalized logistic regression for two classes: (proximal) Newton and FISTA.

Objective (the course's convention: a *mean* data term, the penalty summed):

.. math:: \frac1n\sum_{i=1}^n \Bigl[\log\bigl(1 + e^{z_i}\bigr) - y_i z_i\Bigr] + R(w),
   \qquad z_i = x_i^\top w + b,\quad y_i \in \{0, 1\},

the mean binary cross-entropy of :math:`\operatorname{sigmoid}(z_i)` against the labels
(``lk.MLP``'s ``loss="bce"``) plus any penalty of :mod:`lkcourse.penalties`; the
intercept :math:`b` is never penalized. There is no factor one half in front of the
data term (least squares has one; the log-loss does not).

.. rubric:: Solvers

All three stop when the proximal-gradient residual
:math:`G(\theta) = (\theta - \operatorname{prox}_{R/L}(\theta - \nabla f(\theta)/L))\,L`
has max-norm at most ``tol``, with :math:`\theta = (b, w)`, :math:`f` the mean
log-loss and

.. math:: L = \frac{\lambda_{\max}(A^\top A)}{4n}, \qquad A = [\mathbf 1, X],

a Lipschitz constant of :math:`\nabla f` (the log-loss has curvature at most
:math:`\tfrac14`); for a smooth penalty :math:`G` is the gradient of the objective.

- ``L2(lam)`` with lam > 0 (or ``Lk(2, lam)``): the objective is smooth and strictly
  convex: damped Newton's method (a Newton step, halved until the objective decreases
  enough), usually about ten steps.
- Other convex penalties (``L1``, ``ElasticNet``, ``Lk`` with k > 1, ``LInf``, a user's
  penalty with ``convex = True``): proximal Newton's method (Lee, Sun and Saunders,
  2014; glmnet's approach for the lasso): each step minimizes the penalty plus the
  second-order model of :math:`f` at :math:`\theta`, a problem of the size of the
  Gram matrix solved by FISTA, then backtracks along the step until the objective
  decreases enough. ``n_iter`` counts these outer steps.
- No penalty, or a non-convex one (``L0``, ``Lk`` with k < 1, a user's penalty without
  ``convex = True``): FISTA (Beck and Teboulle, 2009) with step :math:`1/L`, the
  penalty's prox on :math:`w` and a plain step on :math:`b`, and gradient-based restart
  (the momentum resets when it points uphill). For a non-convex penalty a step is kept
  only if it does not increase the objective: the result is then a local solution that
  depends on the start.

Without a penalty on linearly separable data the minimum does not exist (the weights
grow without bound); the solver then stops at ``max_iter`` with a warning.

.. rubric:: Mapping to scikit-learn (n samples)

scikit-learn's ``LogisticRegression(C=C)`` minimizes :math:`C\sum_i \ell_i + r(w)` with
:math:`r(w) = \tfrac12\lVert w\rVert_2^2` (``l1_ratio=0``) or :math:`\lVert
w\rVert_1` (``l1_ratio=1``). Dividing by :math:`Cn` gives this objective, so

================  ==========================================================
``lkcourse``      scikit-learn
================  ==========================================================
``L2(lam)``       ``LogisticRegression(C=1/(2*n*lam), l1_ratio=0)``
``L1(lam)``       ``LogisticRegression(C=1/(n*lam), l1_ratio=1, solver="saga")``
``None``          ``LogisticRegression(C=np.inf)``
================  ==========================================================

(``solver="liblinear"`` also penalizes the intercept: use ``"saga"`` or ``"lbfgs"``.)
"""
from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np

from ._validation import InvalidParameterError, check_array, check_real, fail
from ._shared import sigmoid as _sigmoid
from ._shared import softplus as _softplus
from .linear import ConvergenceWarning
from .penalties import Lk
from .penalty_base import Penalty, as_penalty

__all__ = ["fit_logistic", "LogisticFit"]


@dataclass(frozen=True)
class LogisticFit:
    """Result of :func:`fit_logistic` (a frozen dataclass; ``coef`` is read-only).

    Attributes
    ----------
    coef : ndarray of shape (n_features,)
        The weights :math:`w` (read-only; ``fit.coef.copy()`` gives a writable one).
    intercept : float
        The intercept :math:`b` (0.0 when ``fit_intercept=False``).
    n_iter : int
        Iterations taken: Newton or proximal Newton steps, or FISTA steps (see the
        module docstring for which solver a penalty gets).
    converged : bool
        Whether the stopping rule was met before ``max_iter``.
    objective : float
        Mean log-loss plus penalty at the solution.
    """

    coef: np.ndarray
    intercept: float
    n_iter: int
    converged: bool
    objective: float

    def __post_init__(self):
        coef = np.array(self.coef, dtype=np.float64)
        coef.flags.writeable = False
        object.__setattr__(self, "coef", coef)

    def __reduce__(self):  # unpickling goes through __init__, so coef stays read-only
        return (LogisticFit, (self.coef, self.intercept, self.n_iter, self.converged,
                              self.objective))

    def _logits(self, X, method):
        """``X @ coef + intercept`` of checked inputs (``method`` names the caller)."""
        X = check_array(X, "X", f"LogisticFit.{method}", ndim=2)
        if X.shape[1] != self.coef.size:
            fail("X", f"LogisticFit.{method}", f"an array with {self.coef.size} columns",
                 X)
        return X @ self.coef + self.intercept

    def decision_function(self, X):
        """Return the logits :math:`z = Xw + b`.

        Parameters
        ----------
        X : array_like of shape (n, len(coef))
            The inputs, one row per example.

        Returns
        -------
        ndarray of shape (n,)
            The logit of each row.

        Examples
        --------
        >>> import numpy as np, lkcourse as lk
        >>> fit = lk.LogisticFit(coef=np.array([1.0, -2.0]), intercept=0.5, n_iter=1,
        ...                      converged=True, objective=0.0)
        >>> X = np.array([[1.0, 0.0], [0.0, 1.0]])
        >>> fit.decision_function(X)
        array([ 1.5, -1.5])
        """
        return self._logits(X, "decision_function")

    def predict_proba(self, X):
        r"""Return the probabilities :math:`P(y=1 \mid x) = \operatorname{sigmoid}(x^\top w + b)`.

        Parameters
        ----------
        X : array_like of shape (n, len(coef))
            The inputs, one row per example.

        Returns
        -------
        ndarray of shape (n,)
            The probability of class 1 for each row.

        Examples
        --------
        >>> import numpy as np, lkcourse as lk
        >>> fit = lk.LogisticFit(coef=np.array([1.0, -2.0]), intercept=0.5, n_iter=1,
        ...                      converged=True, objective=0.0)
        >>> X = np.array([[1.0, 0.0], [0.0, 1.0]])
        >>> np.round(fit.predict_proba(X), 3)
        array([0.818, 0.182])
        """
        return _sigmoid(self._logits(X, "predict_proba"))

    def predict(self, X):
        """Return the predicted labels: 1 where the logit is positive, else 0.

        Parameters
        ----------
        X : array_like of shape (n, len(coef))
            The inputs, one row per example.

        Returns
        -------
        ndarray of int, shape (n,)
            The label of each row.

        Examples
        --------
        >>> import numpy as np, lkcourse as lk
        >>> fit = lk.LogisticFit(coef=np.array([1.0, -2.0]), intercept=0.5, n_iter=1,
        ...                      converged=True, objective=0.0)
        >>> X = np.array([[1.0, 0.0], [0.0, 1.0]])
        >>> fit.predict(X)
        array([1, 0])
        """
        return (self._logits(X, "predict") > 0).astype(np.int64)


def _mean_log_loss(z, y):
    return float(np.mean(_softplus(z) - y * z))


def _check_labels(y, owner):
    y = check_array(y, "y", owner, ndim=1)
    bad = (y != 0) & (y != 1)
    if np.any(bad):
        raise InvalidParameterError(
            f"The 'y' parameter of {owner} must be an array of labels 0 and 1. Got an "
            f"array of shape {y.shape} holding {float(y[bad][0])!r} instead.")
    return y


def fit_logistic(X, y, penalty=None, *, fit_intercept=True, max_iter=10_000, tol=1e-8,
                 coef0=None, intercept0=0.0):
    r"""Fit a penalized logistic regression for two classes.

    Minimizes :math:`\frac1n\sum_i[\log(1 + e^{z_i}) - y_i z_i] + R(w)` with
    :math:`z_i = x_i^\top w + b`; see the module docstring for the solver and the
    mapping to scikit-learn's ``LogisticRegression``.

    Parameters
    ----------
    X : array_like of shape (n_samples, n_features)
        Design matrix, finite.
    y : array_like of shape (n_samples,)
        Labels 0 and 1.
    penalty : penalty object or None
        For example ``lk.L1(0.01)`` or ``lk.L2(0.01)``; any object with ``value(w)`` and
        ``prox(v, step)`` (treated as non-convex unless it has ``convex = True``). None:
        no penalty.
    fit_intercept : bool
        Fit an unpenalized intercept.
    max_iter : int, >= 1
        Iteration cap.
    tol : float, >= 0
        Stop when the proximal-gradient residual (for L2 the gradient) has max-norm
        <= tol.
    coef0 : array_like of shape (n_features,) or None
        Starting weights (default zeros): warm starts along a path of penalties.
    intercept0 : float
        Starting intercept (ignored without an intercept).

    Returns
    -------
    LogisticFit
        With ``coef``, ``intercept``, ``n_iter``, ``converged``, ``objective`` and the
        methods ``decision_function``, ``predict_proba`` and ``predict``.

    Raises
    ------
    InvalidParameterError
        For a non-2-D X, labels other than 0 and 1, mismatched lengths, NaN or inf in the
        data, a penalty without ``value`` and ``prox``, or a bad option.

    Warns
    -----
    ConvergenceWarning
        If ``max_iter`` is reached first (``converged`` is then False), for example
        without a penalty on separable data, where no minimizer exists.

    Notes
    -----
    The gradient of the data term is :math:`\frac1n X^\top(\operatorname{sigmoid}(z) -
    y)` for :math:`w` and the mean of :math:`\operatorname{sigmoid}(z) - y` for
    :math:`b`. Its Hessian is :math:`\frac1n A^\top D A` with :math:`D =
    \operatorname{diag}(p_i(1 - p_i)) \preceq \tfrac14 I`, which gives the step size.

    Examples
    --------
    >>> import numpy as np, lkcourse as lk
    >>> rng = np.random.default_rng(0)
    >>> X = rng.normal(size=(200, 3))
    >>> y = (X @ np.array([2.0, 0.0, -1.0]) + rng.normal(size=200) > 0).astype(int)
    >>> fit = lk.fit_logistic(X, y, lk.L1(0.05))
    >>> fit.converged, int(np.sum(fit.coef == 0))
    (True, 1)
    >>> lk.accuracy(y, fit.predict(X)) > 0.8
    True
    """
    owner = "fit_logistic"
    X = check_array(X, "X", owner, ndim=2)
    y = _check_labels(y, owner)
    if X.shape[0] != y.shape[0]:
        raise InvalidParameterError(
            f"The 'X' and 'y' parameters of {owner} must have the same number of rows. "
            f"Got X of shape {X.shape} and y of shape {y.shape} instead.")
    penalty = as_penalty(penalty, owner, needs=("value", "prox"))
    if not isinstance(fit_intercept, (bool, np.bool_)):
        fail("fit_intercept", owner, "True or False", fit_intercept)
    max_iter = check_real(max_iter, "max_iter", owner, low=1, integer=True)
    tol = check_real(tol, "tol", owner, low=0)
    n, p = X.shape
    if coef0 is None:
        w0 = np.zeros(p)
    else:
        w0 = check_array(coef0, "coef0", owner, ndim=1).copy()
        if w0.size != p:
            fail("coef0", owner, f"None or an array of shape ({p},) like X's columns",
                 coef0)
    b0 = check_real(intercept0, "intercept0", owner) if fit_intercept else 0.0
    if _ridge_lam(penalty) is not None:
        solve = _newton
    elif penalty is not None and getattr(penalty, "convex", False) is True:
        solve = _prox_newton
    else:
        solve = _solve
    coef, intercept, n_iter, converged = solve(X, y, penalty, bool(fit_intercept), w0,
                                               b0, max_iter, tol)
    if not converged:
        warnings.warn(
            f"fit_logistic did not converge in max_iter={max_iter} iterations "
            f"(tol={tol:g}, penalty {penalty!r}). Without a penalty on separable data "
            "no minimizer exists; otherwise increase max_iter or tol.",
            ConvergenceWarning, stacklevel=2)
    objective = _mean_log_loss(X @ coef + intercept, y)
    if penalty is not None:
        objective += float(penalty.value(coef))
    return LogisticFit(coef=coef, intercept=float(intercept), n_iter=int(n_iter),
                       converged=bool(converged), objective=objective)


def _ridge_lam(penalty):
    """The lam of an L2 penalty with lam > 0 (summed, or Lk with k = 2), else None."""
    if isinstance(penalty, Lk) and penalty.k == 2 and penalty.lam > 0:
        return penalty.lam
    return None


def _newton(X, y, penalty, fit_intercept, w, b, max_iter, tol):
    """Damped Newton's method for the smooth, strictly convex L2 case."""
    n, p = X.shape
    A = np.column_stack([np.ones(n), X]) if fit_intercept else X
    k = 1 if fit_intercept else 0
    c = 2.0 * penalty.factor(p)   # 2 lam (over p for "mean"): the penalty's gradient is c w
    pen = np.full(A.shape[1], c)
    pen[:k] = 0.0

    def objective(theta):
        return _mean_log_loss(A @ theta, y) + 0.5 * float(theta @ (pen * theta))

    theta = np.concatenate([[b], w]) if fit_intercept else w.astype(np.float64)
    f = objective(theta)
    with np.errstate(over="ignore", under="ignore"):
        for it in range(1, max_iter + 1):
            prob = _sigmoid(A @ theta)
            g = A.T @ (prob - y) / n + pen * theta
            if np.max(np.abs(g)) <= tol:
                return theta[k:], (theta[0] if fit_intercept else 0.0), it, True
            H = (A.T * (prob * (1 - prob))) @ A / n + np.diag(pen)
            d = np.linalg.solve(H, -g)
            t = 1.0                                 # backtracking (Armijo) line search
            while True:
                f_new = objective(theta + t * d)
                if f_new <= f + 1e-4 * t * float(g @ d) or t < 1e-10:
                    break
                t *= 0.5
            theta, f = theta + t * d, f_new
    return theta[k:], (theta[0] if fit_intercept else 0.0), max_iter, False


def _prox_theta(penalty, k, p):
    """``(v, step) -> v`` with the penalty's prox applied to the weights ``v[k:]`` (no
    penalty: left as they are)."""
    if penalty is None:
        def prox(v, step): return v                                    # noqa: E306,E704
    elif isinstance(penalty, Penalty):    # arrays are checked here once: skip prox's checks
        scale = penalty.factor(p)
        def prox(v, step): return penalty.unit_prox(v, step * scale)   # noqa: E306,E704
    else:
        def prox(v, step): return np.asarray(penalty.prox(v, step), dtype=np.float64)  # noqa

    def prox_theta(v, step):
        out = v.copy()
        out[k:] = prox(v[k:], step)
        return out
    return prox_theta


def _prox_newton(X, y, penalty, fit_intercept, w, b, max_iter, tol):
    """Proximal Newton's method for a convex penalty: each step minimizes the penalty
    plus the quadratic model of the log-loss (by FISTA on the small Gram-sized problem),
    then a backtracking line search along the step; stops on FISTA's residual."""
    n, p = X.shape
    A = np.column_stack([np.ones(n), X]) if fit_intercept else X
    k = 1 if fit_intercept else 0
    L = np.linalg.norm(A, 2) ** 2 / (4 * n)
    if L == 0:
        return np.zeros(p), 0.0, 0, True
    step = 1.0 / L
    prox_theta = _prox_theta(penalty, k, p)

    def R(theta):
        return float(penalty.value(theta[k:]))

    theta = np.concatenate([[b], w]) if fit_intercept else w.astype(np.float64)
    F = _mean_log_loss(A @ theta, y) + R(theta)
    with np.errstate(over="ignore", under="ignore"):
        for it in range(1, max_iter + 1):
            prob = _sigmoid(A @ theta)
            g = A.T @ (prob - y) / n
            residual = np.max(np.abs(theta - prox_theta(theta - step * g, step))) / step
            if residual <= tol:
                return theta[k:], (theta[0] if fit_intercept else 0.0), it, True
            H = (A.T * (prob * (1 - prob))) @ A / n
            u = _quadratic_prox_min(H, g - H @ theta, theta, prox_theta,
                                    0.1 * min(residual, 1.0))
            d = u - theta
            decrease = float(g @ d) + R(u) - R(theta)      # < 0 unless theta is optimal
            t = 1.0
            while True:                                    # backtracking (Armijo)
                F_new = _mean_log_loss(A @ (theta + t * d), y) + R(theta + t * d)
                if F_new <= F + 1e-4 * t * min(decrease, 0.0) or t < 1e-10:
                    break
                t *= 0.5
            theta, F = theta + t * d, F_new
    return theta[k:], (theta[0] if fit_intercept else 0.0), max_iter, False


def _momentum(x, x_new, t, restart):
    """FISTA's next extrapolated point and momentum ``(z, t)`` after the step ``x ->
    x_new``; a restart resets the momentum (``z = x_new``, ``t = 1``)."""
    if restart:
        return x_new, 1.0
    t_new = 0.5 * (1.0 + np.sqrt(1.0 + 4.0 * t * t))
    return x_new + (t - 1.0) / t_new * (x_new - x), t_new


def _quadratic_prox_min(H, c, start, prox_theta, tol, max_iter=20_000):
    """FISTA with restart for min_u 0.5 u'Hu + c'u + R(u) (H positive semidefinite)."""
    L = float(np.linalg.eigvalsh(H)[-1])
    if L <= 0:
        return start
    step = 1.0 / L
    x, z, t = start, start, 1.0
    for _ in range(max_iter):
        x_new = prox_theta(z - step * (H @ z + c), step)
        if np.max(np.abs(z - x_new)) / step <= tol:
            return x_new
        z, t = _momentum(x, x_new, t, restart=(z - x_new) @ (x_new - x) > 0)
        x = x_new
    return x


def _solve(X, y, penalty, fit_intercept, w, b, max_iter, tol):
    """FISTA with restart (monotone safeguard for a non-convex penalty)."""
    n, p = X.shape
    A = np.column_stack([np.ones(n), X]) if fit_intercept else X
    L = np.linalg.norm(A, 2) ** 2 / (4 * n)
    if L == 0:          # X is all zeros and no intercept: the minimizer of R, 0
        return np.zeros(p), 0.0, 0, True
    step = 1.0 / L
    k = 1 if fit_intercept else 0          # theta = (b, w) or w

    prox_step = _prox_theta(penalty, k, p)

    def prox_theta(v):
        return prox_step(v, step)

    def grad(theta):
        return A.T @ (_sigmoid(A @ theta) - y) / n

    def objective(theta):
        value = _mean_log_loss(A @ theta, y)
        return value + (float(penalty.value(theta[k:])) if penalty is not None else 0.0)

    convex = penalty is None or getattr(penalty, "convex", False) is True
    x = np.concatenate([[b], w]) if fit_intercept else w.astype(np.float64)
    z, t = x, 1.0
    f_x = None if convex else objective(x)
    with np.errstate(over="ignore", under="ignore"):
        for it in range(1, max_iter + 1):
            x_new = prox_theta(z - step * grad(z))
            if np.max(np.abs(z - x_new)) / step <= tol:
                return x_new[k:], (x_new[0] if fit_intercept else 0.0), it, True
            if convex:
                restart = (z - x_new) @ (x_new - x) > 0
            else:
                f_new = objective(x_new)
                restart = f_new > f_x
                if restart and z is not x:
                    x_new = prox_theta(x - step * grad(x))
                    f_new = objective(x_new)
                f_x = f_new
            z, t = _momentum(x, x_new, t, restart)
            x = x_new
    return x[k:], (x[0] if fit_intercept else 0.0), max_iter, False
