"""The controls of an explorer: grids of values, their validation and their readout.

A control is a parameter name with a finite grid of distinct values, all numbers (a
slider) or all strings (toggle buttons or a dropdown). These helpers are shared by the
:class:`~lkcourse.Explorer` state, its static twin and its widget.
"""
from __future__ import annotations

import numbers

import numpy as np

from .._validation import check_choice, fail

OWNER = "Explorer"


def normalize(value):
    """Turn numpy scalars into Python ones; keep str, int and float (None if invalid)."""
    if isinstance(value, str):
        return value
    if isinstance(value, (bool, np.bool_)):
        return None
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real) and np.isfinite(float(value)):
        return float(value)
    return None


def format_value(value):
    """The readout of one control value: ``0.001``, ``1e-05``, ``3``, ``'relu'``."""
    if isinstance(value, str):
        return value
    if isinstance(value, int):
        return str(value)
    return f"{value:.4g}"


def check_controls(controls):
    """Validate ``{name: values}``; return ``{name: tuple of normalized values}``."""
    if not isinstance(controls, dict) or not controls:
        fail("controls", OWNER, "a non-empty dict name -> list of values", controls)
    grids = {}
    for name, values in controls.items():
        if not (isinstance(name, str) and name.isidentifier()):
            fail("controls", OWNER, "a dict whose keys are parameter names", name)
        if isinstance(values, (str, bytes)) or not hasattr(values, "__iter__"):
            fail(f"controls[{name!r}]", OWNER, "a non-empty list of values", values)
        vals = [normalize(v) for v in values]
        kinds = {isinstance(v, str) for v in vals}
        if not vals or None in vals or len(kinds) != 1:
            fail(f"controls[{name!r}]", OWNER,
                 "a non-empty list of finite numbers, or of strings", list(values))
        if len(set(vals)) != len(vals):
            fail(f"controls[{name!r}]", OWNER, "a list of distinct values", vals)
        grids[name] = tuple(vals)
    return grids


def check_values(grids, values, what="values"):
    """Check ``{name: value}`` against the grids; return the grid's own values.

    ``what`` names the argument in messages: ``"values"`` (from ``set``) or
    ``"initial"`` (from the constructor)."""
    names = list(grids)
    out = {}
    for name, value in values.items():
        check_choice(name, "name", f"{OWNER}.set" if what == "values" else OWNER, names)
        v = normalize(value)
        grid = grids[name]
        if v is None or v not in grid:
            listed = ", ".join(format_value(g) for g in grid)
            fail(name if what == "values" else f"{what}[{name!r}]", OWNER,
                 f"one of the grid values [{listed}]", value)
        out[name] = grid[grid.index(v)]
    return out
