"""Progress bars that read well live in Jupyter, in the terminal, and in the built book.

:func:`progress_bar` wraps ``tqdm.auto``. In a Jupyter kernel it shows tqdm's widget bar,
and when the bar closes it re-publishes the bar under the same display id, so the
notebook file (and therefore the static HTML book, which cannot render widgets) keeps
the *final* text of the bar, ``100%|##########| 15/15``, instead of the ``0%`` that was
current when the bar first appeared. Elsewhere it is tqdm's ordinary text bar on stderr.
By default the bar shows no timings, so a notebook run twice stores the same text.
IPython (declared with ipywidgets in the ``widgets`` extra of ``pyproject.toml``) is
imported only inside a Jupyter kernel; elsewhere the text bar is used.
"""
from __future__ import annotations

from ._validation import check_real, fail

__all__ = ["progress_bar"]

_PLAIN = "{l_bar}{bar}| {n_fmt}/{total_fmt}"


def _notebook_class():
    """tqdm's notebook bar, if tqdm.auto chose it (a Jupyter kernel with ipywidgets)."""
    from tqdm.auto import tqdm as auto_tqdm
    try:
        from tqdm.notebook import tqdm as nb_tqdm
    except ImportError:  # pragma: no cover - ipywidgets missing
        return None
    return nb_tqdm if issubclass(auto_tqdm, nb_tqdm) else None


def progress_bar(iterable=None, *, total=None, desc=None, unit="it", timings=False):
    """A ``tqdm`` progress bar over ``iterable`` (or updated by hand with ``total``).

    Parameters
    ----------
    iterable : iterable, optional
        What to iterate over; its ``len`` gives the total when it has one.
    total : int >= 0, optional
        Number of steps, for a bar driven with ``bar.update(1)``.
    desc : str, optional
        Label in front of the bar.
    unit : str
        Name of one step (shown by tqdm's rate when ``timings`` is true).
    timings : bool
        Also show elapsed time and rate. Off by default, so that stored notebook
        outputs are the same on every run.

    Returns
    -------
    tqdm.tqdm
        Iterate over it, or call ``update``/``close`` (or use it as a context manager).

    Examples
    --------
    >>> import io, lkcourse as lk
    >>> sum(lk.progress_bar(range(4), desc="demo"))
    6
    """
    if total is not None:
        total = check_real(total, "total", "progress_bar", low=0, integer=True)
    if desc is not None and not isinstance(desc, str):
        fail("desc", "progress_bar", "None or a str", desc)
    if not isinstance(timings, bool):
        fail("timings", "progress_bar", "True or False", timings)
    if iterable is not None and not hasattr(iterable, "__iter__"):
        fail("iterable", "progress_bar", "None or an iterable", iterable)
    if not isinstance(unit, str):
        fail("unit", "progress_bar", "a str", unit)
    kwargs = dict(total=total, desc=desc, unit=unit)
    if not timings:
        kwargs["bar_format"] = _PLAIN
    nb_tqdm = _notebook_class()
    if nb_tqdm is None:
        from tqdm.auto import tqdm
        return tqdm(iterable, **kwargs)
    try:  # tqdm chose its notebook bar, so a kernel (IPython) runs us; say it if not
        from IPython.display import display
    except ImportError:  # pragma: no cover - tqdm.notebook itself needs IPython
        from tqdm.std import tqdm
        return tqdm(iterable, **kwargs)

    class _FinalStateBar(nb_tqdm):
        def close(self):
            if self.disable:
                return
            super().close()
            # replace the stored output (captured at 0%) by the final state
            self._lk_handle.update(self.container)

    bar = _FinalStateBar(iterable, display=False, **kwargs)
    bar._lk_handle = display(bar.container, display_id=True)
    return bar
