"""``glue``: a value for the prose, without importing myst-nb (every chapter).

``myst_nb.glue`` imports nbformat and, through it, jsonschema, whose format checkers
compile a grammar at import (about 1 s of a chapter's run here, more on a slower
machine). :func:`glue` writes the same output with IPython alone.
"""
from __future__ import annotations

import numpy as np

from .._validation import check_flag, fail

__all__ = ["glue"]

#: The mime-type prefix of a glued value that is not displayed (myst-nb's ``GLUE_PREFIX``).
PREFIX = "application/papermill.record/"


def glue(name, value, display=True):
    """Store ``value`` under ``name`` for the prose, as ``myst_nb.glue`` does.

    The markdown shows it with ``{glue:text}`name``` (or ``{glue}``). The output is a
    display of the value's mime bundle, under the ``application/papermill.record/``
    prefix unless ``display``, with the ``scrapbook`` metadata that the book's build
    reads: the same output as ``myst_nb.glue(name, value, display)``
    (``tests/test_scrapbook.py``), without its imports.

    Parameters
    ----------
    name : str
        The key the markdown refers to (non-empty).
    value : object
        What to store: its displayed forms are stored (for a number, its text). A numpy
        scalar is stored as the Python number it holds (``0.5``, not
        ``np.float64(0.5)``, whose text the build cannot format).
    display : bool, default True
        Also show the value in the notebook (myst-nb's default); False stores it only.

    Examples
    --------
    In a notebook the output is invisible unless ``display``; outside one, IPython
    prints the text of a displayed value:

    >>> import numpy as np, lkcourse as lk
    >>> lk.book.glue("answer", np.float64(0.25), display=False)
    >>> lk.book.glue("answer", np.float64(0.25))
    0.25
    """
    owner = "glue"
    if not isinstance(name, str) or not name.strip():
        fail("name", owner, "a non-empty str", name)
    display = check_flag(display, "display", owner)
    from IPython.core.formatters import format_display_data
    from IPython.display import display as ipy_display
    if isinstance(value, np.generic):
        value = value.item()
    bundle, metadata = format_display_data(value)
    prefix = "" if display else PREFIX
    metadata["scrapbook"] = {"name": name, "mime_prefix": prefix}
    ipy_display({prefix + k: v for k, v in bundle.items()}, raw=True, metadata=metadata)
