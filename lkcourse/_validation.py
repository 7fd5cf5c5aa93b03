"""Validation at the public boundary: one error type, one message format.

Every public entry point of :mod:`lkcourse` checks its arguments with the helpers
below, so that a bad call fails early with a message naming the parameter, the
allowed values and the value received, e.g.::

    The 'k' parameter of Lk must be a float > 0 (or inf). Got -1 instead.
"""
from __future__ import annotations

import difflib
import numbers

import numpy as np

__all__ = ["InvalidParameterError"]


class InvalidParameterError(ValueError):
    """Raised when a public function or class of :mod:`lkcourse` gets a bad argument.

    A subclass of :class:`ValueError`, so ``except ValueError`` also catches it.
    The message names the parameter, the allowed values and what was received.

    Examples
    --------
    >>> import lkcourse as lk
    >>> try:
    ...     lk.check_grad(lambda x: float(x @ x), lambda x: 2 * x, [1.0, 2.0], eps=-1)
    ... except lk.InvalidParameterError as err:
    ...     print(err)
    The 'eps' parameter of check_grad must be a float > 0. Got -1 instead.
    """


def _fmt(value):
    if isinstance(value, np.ndarray):
        return f"an array of shape {value.shape}"
    if isinstance(value, str):
        return repr(value)
    return repr(value)


def fail(name, owner, allowed, value):
    """Raise the standard message for parameter ``name`` of ``owner``."""
    raise InvalidParameterError(
        f"The '{name}' parameter of {owner} must be {allowed}. Got {_fmt(value)} instead."
    )


def check_real(value, name, owner, *, low=None, high=None, low_open=False,
               high_open=False, allow_inf=False, integer=False):
    """Check a real scalar against an interval and return it as float (or int).

    ``low``/``high`` are bounds (None = unbounded); ``*_open`` makes them strict.
    """
    kind = "an int" if integer else "a float"
    parts = []
    if low is not None:
        parts.append(f"{'>' if low_open else '>='} {low}")
    if high is not None:
        parts.append(f"{'<' if high_open else '<='} {high}")
    allowed = kind + (" " + " and ".join(parts) if parts else "")
    if allow_inf:
        allowed += " (or inf)"
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        fail(name, owner, allowed, value)
    if integer and not float(value).is_integer():
        fail(name, owner, allowed, value)
    v = float(value)
    if np.isnan(v) or (np.isinf(v) and not (allow_inf and v > 0)):
        fail(name, owner, allowed, value)
    if not np.isinf(v):
        if low is not None and (v < low or (low_open and v == low)):
            fail(name, owner, allowed, value)
        if high is not None and (v > high or (high_open and v == high)):
            fail(name, owner, allowed, value)
    return int(v) if integer else v


def check_choice(value, name, owner, choices):
    """Check that ``value`` is one of ``choices``; suggest the closest on a miss."""
    choices = list(choices)
    if isinstance(value, str) and value in choices:
        return value
    listed = ", ".join(repr(c) for c in choices)
    msg = (f"The '{name}' parameter of {owner} must be one of {listed}. "
           f"Got {_fmt(value)} instead.")
    if isinstance(value, str):
        close = difflib.get_close_matches(value.lower(), choices, n=1, cutoff=0.5)
        if close:
            msg += f" Did you mean {close[0]!r}?"
    raise InvalidParameterError(msg)


def check_array(value, name, owner, *, ndim=None, finite=True, min_size=1):
    """Convert to a float64 array (a copy is never written to) and check it.

    ``ndim`` may be an int or a tuple of allowed ints. Non-finite entries raise
    when ``finite`` is true.
    """
    try:
        arr = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        fail(name, owner, "array-like of real numbers", value)
    if ndim is not None:
        allowed = (ndim,) if isinstance(ndim, int) else tuple(ndim)
        if arr.ndim not in allowed:
            want = " or ".join(f"{d}-D" for d in allowed)
            hint = ""
            if arr.ndim == 1 and 2 in allowed:
                hint = (" Reshape your data with x.reshape(-1, 1) if it has a single "
                        "feature, or x.reshape(1, -1) if it is a single sample.")
            raise InvalidParameterError(
                f"The '{name}' parameter of {owner} must be a {want} array. "
                f"Got a {arr.ndim}-D array of shape {arr.shape} instead.{hint}")
    if arr.size < min_size:
        raise InvalidParameterError(
            f"The '{name}' parameter of {owner} must have at least {min_size} "
            f"entries. Got an array of shape {arr.shape} instead.")
    if finite and not np.all(np.isfinite(arr)):
        raise InvalidParameterError(
            f"The '{name}' parameter of {owner} must contain only finite values. "
            f"Got an array of shape {arr.shape} with "
            f"{int(np.sum(~np.isfinite(arr)))} NaN or inf entries instead.")
    return arr


def check_same_length(a, b, name_a, name_b, owner):
    """Check that two arrays have the same first dimension."""
    if a.shape[0] != b.shape[0]:
        raise InvalidParameterError(
            f"The '{name_a}' and '{name_b}' parameters of {owner} must have the same "
            f"number of rows. Got {name_a} of shape {a.shape} and {name_b} of shape "
            f"{b.shape} instead.")


def check_flag(value, name, owner):
    """Check that ``value`` is True or False (not 1, not None); return it as bool."""
    if not isinstance(value, (bool, np.bool_)):
        fail(name, owner, "True or False", value)
    return bool(value)


def check_int(value, name, owner, low, allowed=None):
    """Check an int (not a bool, not a float) >= ``low``; return it as int."""
    if (isinstance(value, bool) or not isinstance(value, numbers.Integral)
            or value < low):
        fail(name, owner, allowed or f"an int >= {low}", value)
    return int(value)


def check_seeds(seeds, owner):
    """``n`` (meaning seeds ``0..n-1``) or distinct ints >= 0; returned as a tuple."""
    allowed = ("an int >= 1 (meaning seeds 0..n-1) or a non-empty sequence of distinct "
               "ints >= 0")
    if isinstance(seeds, numbers.Integral) and not isinstance(seeds, bool):
        if seeds < 1:
            fail("seeds", owner, allowed, seeds)
        return tuple(range(int(seeds)))
    try:
        out = tuple(seeds)
    except TypeError:
        fail("seeds", owner, allowed, seeds)
    if (not out or len(set(out)) != len(out) or not all(
            isinstance(s, numbers.Integral) and not isinstance(s, bool) and s >= 0
            for s in out)):
        fail("seeds", owner, allowed, seeds)
    return tuple(int(s) for s in out)


def check_rng(rng, owner, name="rng"):
    """Turn ``None | int | Generator`` into a Generator (never the global state)."""
    if rng is None or isinstance(rng, np.random.Generator):
        return np.random.default_rng(rng)
    if isinstance(rng, numbers.Integral) and not isinstance(rng, bool) and rng >= 0:
        return np.random.default_rng(int(rng))
    fail(name, owner, "None, an int >= 0 or a numpy Generator", rng)
