r"""Repeated experiments over seeds: run a function for many draws and summarise them.

A claim about random data, a random initialisation or dropout masks is a claim about a
distribution, so the book makes it over many draws: :func:`over_seeds` runs an
experiment once per seed and returns a :class:`Draws` object that holds every
measurement, summarises it (mean, standard deviation, min, max, "k of n") in a table
with a deterministic text and HTML form, and draws it as a strip plot.
"""
from __future__ import annotations

import html
import numbers

import numpy as np

from ._validation import InvalidParameterError, check_choice, check_seeds, fail
from . import seeding as _seeds
from .progress import progress_bar

__all__ = ["over_seeds", "Draws", "DrawsSummary"]


def _as_record(result, seed):
    """One draw's result as a dict name -> float."""
    if isinstance(result, dict):
        items = result.items()
    elif isinstance(result, numbers.Real) and not isinstance(result, bool):
        items = [("value", result)]
    else:
        raise InvalidParameterError(
            "The 'fn' parameter of over_seeds must return a dict of name -> real number "
            f"or a single real number. Got {type(result).__name__} for seed {seed} instead.")
    record = {}
    for name, value in items:
        if not isinstance(name, str):
            raise InvalidParameterError(
                "The 'fn' parameter of over_seeds must return a dict whose keys are "
                f"strings. Got key {name!r} for seed {seed} instead.")
        if isinstance(value, (bool, np.bool_)):
            value = float(value)
        if not isinstance(value, (numbers.Real, np.number)) or np.ndim(value) != 0:
            raise InvalidParameterError(
                "The 'fn' parameter of over_seeds must return real numbers. Got "
                f"{type(value).__name__} for {name!r} at seed {seed} instead.")
        record[name] = float(value)
    return record


def over_seeds(fn, n=20, *, start=0, seeds=None, progress=False, n_jobs=1):
    r"""Run ``fn(seed)`` for ``n`` seeds of the current seed block and collect the results.

    Parameters
    ----------
    fn : callable
        ``fn(seed) -> dict`` mapping measurement names to real numbers (booleans count
        as 0/1), or a single real number (stored under the name ``"value"``). Every
        call must return the same names. ``fn`` should derive all its randomness from
        ``seed`` so that the sweep is reproducible.
    n : int >= 1
        Number of draws: the seeds of slots ``start .. start + n - 1`` of the current
        block (:func:`lkcourse.seeds`), so ``LKCOURSE_SEED_BLOCK`` or
        :func:`lkcourse.use_seed_block` moves the whole sweep to other draws.
    start : int >= 0
        First slot (a second, independent sweep in the same chapter can start at
        ``start=1000``).
    seeds : None or sequence of distinct ints >= 0
        Explicit seeds instead of ``n`` and ``start`` (for tools; a chapter never
        writes seeds). An int here is read as ``n``.
    progress : bool
        Show a progress bar over the seeds.
    n_jobs : int >= 1, default 1
        Processes to run the draws in. 1: one after another, in this process. More:
        that many worker processes (joblib's loky), stopped at the end; worth it for
        an ``fn`` that takes a second or more per draw. The draws are independent, so
        the result is the same, bit for bit, as with 1 (``tests/test_sweeps.py``
        checks it). The workers get this process's seed block and environment, and
        import ``fn``'s module afresh: a module constant you changed in this session
        (say ``lk.book.ch7.EPOCHS``) is not changed there, so run with ``n_jobs=1``
        after such a change.

    Returns
    -------
    Draws
        The measurements, one row per seed.

    Raises
    ------
    InvalidParameterError
        If ``fn`` is not callable, ``n``, ``start``, ``seeds`` or ``n_jobs`` is not
        valid, or ``fn`` returns something other than real numbers or different names
        for different seeds.

    Notes
    -----
    Each draw depends on its seed only: the result does not depend on ``n_jobs`` or on
    the number of cores. A claim the book makes "on k of n draws" is measured by the
    claims ledger (:mod:`lkcourse.claims`) on hundreds of draws; the notebook checks it
    on its block with :func:`lkcourse.check_claims`.

    Examples
    --------
    >>> import numpy as np
    >>> import lkcourse as lk
    >>> def experiment(seed):
    ...     x = np.random.default_rng(seed).standard_normal(1000)
    ...     return {"mean": x.mean(), "positive": x.mean() > 0}
    >>> draws = lk.over_seeds(experiment, 10)
    >>> draws.n, draws.names
    (10, ('mean', 'positive'))
    >>> draws.seeds == lk.seeds(10)
    True
    >>> bool(abs(draws.mean("mean")) < 0.1)
    True
    >>> draws.count(draws["positive"] == 1) + draws.count(draws["positive"] == 0)
    10
    """
    owner = "over_seeds"
    if not callable(fn):
        fail("fn", owner, "a callable fn(seed) -> dict of name -> float", fn)
    if seeds is None or (isinstance(seeds, numbers.Integral) and not isinstance(seeds, bool)):
        count = n if seeds is None else seeds
        if (not isinstance(count, numbers.Integral) or isinstance(count, bool)
                or not 1 <= count <= _seeds.SLOTS_PER_BLOCK):
            fail("seeds" if seeds is not None else "n", owner,
                 f"an int between 1 and {_seeds.SLOTS_PER_BLOCK}", count)
        if (not isinstance(start, numbers.Integral) or isinstance(start, bool)
                or not 0 <= start <= _seeds.SLOTS_PER_BLOCK - count):
            fail("start", owner, f"an int between 0 and {_seeds.SLOTS_PER_BLOCK - count}",
                 start)
        seeds = _seeds.seeds(int(count), int(start))
        block = _seeds.seed_block()
    else:
        seeds = check_seeds(seeds, owner)
        block = None
    if not isinstance(progress, (bool, np.bool_)):
        fail("progress", owner, "True or False", progress)
    if (not isinstance(n_jobs, numbers.Integral) or isinstance(n_jobs, (bool, np.bool_))
            or n_jobs < 1):
        fail("n_jobs", owner, "an int >= 1", n_jobs)
    if n_jobs == 1:
        results = (fn(seed) for seed in seeds)
    else:
        results = _workers(min(int(n_jobs), len(seeds))).map(fn, seeds)   # in seed order
    bar = progress_bar(total=len(seeds), desc="seeds", unit="seed") if progress else None
    records = []
    try:
        for seed, result in zip(seeds, results):
            if bar is not None:
                bar.update(1)
            record = _as_record(result, seed)
            if records and record.keys() != records[0].keys():
                raise InvalidParameterError(
                    "The 'fn' parameter of over_seeds must return the same names for "
                    f"every seed. Got {sorted(record)} for seed {seed} instead of "
                    f"{sorted(records[0])}.")
            records.append(record)
    finally:
        if bar is not None:
            bar.close()
        if n_jobs > 1:
            _stop_workers()
    names = tuple(records[0])
    values = {name: np.array([r[name] for r in records]) for name in names}
    draws = Draws(seeds, values)
    draws.block = block
    return draws


def _workers(n):
    """``n`` worker processes (loky's, as joblib uses; they take functions defined in a
    notebook too) with this process's environment and seed block (an ``fn`` that calls
    ``lk.rng(k)`` gets the same draws). A BLAS thread count this process does not set
    is ``cpu_count // n`` there, as joblib sets it, so the workers do not oversubscribe
    the cores."""
    import os
    from joblib.externals.loky import get_reusable_executor
    threads = str(max(1, (os.cpu_count() or 1) // n))
    env = {var: threads for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS",
                                    "MKL_NUM_THREADS") if var not in os.environ}
    env[_seeds.SEED_BLOCK_ENV] = str(_seeds.seed_block())
    return get_reusable_executor(max_workers=n, env=env)


def _stop_workers():
    """Stop the worker processes and the two resource trackers they started.

    Left running, these children delay a Jupyter kernel's shutdown by about 2 s (it
    signals its children and waits; the trackers ignore SIGTERM). Each restarts on
    demand. ``_stop`` is the trackers' own shutdown (CPython's and loky's); where a
    version lacks it, only the delay remains."""
    import multiprocessing.resource_tracker as mp_tracker
    from joblib.externals.loky import get_reusable_executor
    from joblib.externals.loky.backend import resource_tracker as loky_tracker
    get_reusable_executor(reuse=True).shutdown(wait=True)
    for module in (loky_tracker, mp_tracker):
        stop = getattr(getattr(module, "_resource_tracker", None), "_stop", None)
        if stop is not None:
            try:
                stop()
            except Exception:  # pragma: no cover (a tracker that is gone already)
                pass


class Draws:
    r"""Measurements of one experiment over many seeds (built by :func:`over_seeds`).

    Parameters
    ----------
    seeds : sequence of int
        The seeds, one per draw.
    values : dict of str -> array_like
        One 1-D array per measurement name, of length ``len(seeds)``.

    Notes
    -----
    ``draws[name]`` is a read-only float array over the draws, in seed order.
    :meth:`std` is the sample standard deviation (``ddof=1``; 0 for one draw).

    Examples
    --------
    >>> import lkcourse as lk
    >>> d = lk.Draws([0, 1, 2, 3], {"gain": [1.0, 2.0, -1.0, 4.0]})
    >>> d.mean("gain"), d.count(d["gain"] > 0), d.frac(d["gain"] > 0)
    (1.5, 3, 0.75)
    >>> print(d.summary())
    4 draws     mean     sd    min    max
    gain       1.500  2.082 -1.000  4.000
    """

    def __init__(self, seeds, values):
        owner = "Draws"
        self.seeds = check_seeds(seeds, owner)
        #: The id of the :class:`lkcourse.Experiment` that made these draws, or None.
        self.experiment = None
        #: The seed block the draws came from (:func:`lkcourse.seed_block`), or None.
        self.block = None
        if not isinstance(values, dict) or not values:
            fail("values", owner, "a non-empty dict of name -> 1-D array", values)
        self._values = {}
        for name, v in values.items():
            arr = np.array(v, dtype=float)
            if not isinstance(name, str) or arr.shape != (len(self.seeds),):
                fail("values", owner,
                     f"a dict of str -> 1-D arrays of length {len(self.seeds)}",
                     values)
            arr.flags.writeable = False
            self._values[name] = arr

    @property
    def n(self):
        """Number of draws."""
        return len(self.seeds)

    @property
    def names(self):
        """Measurement names, in the order ``fn`` returned them."""
        return tuple(self._values)

    def __getitem__(self, name):
        if name not in self._values:
            check_choice(name, "name", "Draws", self.names)
        return self._values[name]

    def __len__(self):
        return self.n

    def __repr__(self):
        return f"Draws(n={self.n}, names={list(self.names)})"

    def mean(self, name):
        """Compute the mean of a measurement over the draws.

        Parameters
        ----------
        name : str
            One of :attr:`names`.

        Returns
        -------
        float
            The mean of ``self[name]``.

        Examples
        --------
        >>> import lkcourse as lk
        >>> lk.Draws([0, 1], {"gain": [1.0, 2.0]}).mean("gain")
        1.5
        """
        return float(np.mean(self[name]))

    def std(self, name):
        """Compute the sample standard deviation (``ddof=1``) of a measurement.

        Parameters
        ----------
        name : str
            One of :attr:`names`.

        Returns
        -------
        float
            The standard deviation over the draws; 0.0 for a single draw.

        Examples
        --------
        >>> import lkcourse as lk
        >>> round(lk.Draws([0, 1], {"gain": [1.0, 3.0]}).std("gain") ** 2, 12)
        2.0
        """
        return float(np.std(self[name], ddof=1)) if self.n > 1 else 0.0

    def min(self, name):
        """Find the smallest value of a measurement over the draws.

        Parameters
        ----------
        name : str
            One of :attr:`names`.

        Returns
        -------
        float
            The minimum of ``self[name]``.

        Examples
        --------
        >>> import lkcourse as lk
        >>> lk.Draws([0, 1], {"gain": [1.0, -2.0]}).min("gain")
        -2.0
        """
        return float(np.min(self[name]))

    def max(self, name):
        """Find the largest value of a measurement over the draws.

        Parameters
        ----------
        name : str
            One of :attr:`names`.

        Returns
        -------
        float
            The maximum of ``self[name]``.

        Examples
        --------
        >>> import lkcourse as lk
        >>> lk.Draws([0, 1], {"gain": [1.0, -2.0]}).max("gain")
        1.0
        """
        return float(np.max(self[name]))

    def _mask(self, mask):
        if callable(mask):
            mask = mask(self)
        arr = np.asarray(mask)
        if arr.shape != (self.n,) or arr.dtype != bool:
            fail("mask", "Draws.count", f"a boolean array of length {self.n} or a "
                 "callable(draws) returning one", mask)
        return arr

    def count(self, mask):
        """Count the draws on which a condition holds.

        Parameters
        ----------
        mask : ndarray of bool or callable
            A boolean array over the draws, or ``mask(draws)`` returning one.

        Returns
        -------
        int
            The number of draws where ``mask`` is True ("k" of "k of n").

        Examples
        --------
        >>> import lkcourse as lk
        >>> d = lk.Draws([0, 1, 2], {"gain": [1.0, -2.0, 3.0]})
        >>> d.count(d["gain"] > 0), d.count(lambda d: d["gain"] > 2)
        (2, 1)
        """
        return int(np.count_nonzero(self._mask(mask)))

    def frac(self, mask):
        """Compute the fraction of the draws on which a condition holds.

        Parameters
        ----------
        mask : ndarray of bool or callable
            As for :meth:`count`.

        Returns
        -------
        float
            ``count(mask) / n``.

        Examples
        --------
        >>> import lkcourse as lk
        >>> d = lk.Draws([0, 1, 2, 3], {"gain": [1.0, -2.0, 3.0, 4.0]})
        >>> d.frac(d["gain"] > 0)
        0.75
        """
        return self.count(mask) / self.n

    def summary(self, names=None, digits=3):
        """Summarise the measurements in a table: mean, sd, min, max per name.

        Parameters
        ----------
        names : str, list of str or None
            The measurements to show (default: all, in order).
        digits : int, 0 to 12
            Decimals of every number.

        Returns
        -------
        DrawsSummary
            The table, with deterministic text and HTML forms.

        Examples
        --------
        >>> import lkcourse as lk
        >>> print(lk.Draws([0, 1], {"gain": [1.0, 3.0]}).summary(digits=1))
        2 draws mean  sd min max
        gain     2.0 1.4 1.0 3.0
        """
        names = self._names(names, "Draws.summary")
        if (not isinstance(digits, numbers.Integral) or isinstance(digits, bool)
                or not 0 <= digits <= 12):
            fail("digits", "Draws.summary", "an int between 0 and 12", digits)
        rows = [(name, self.mean(name), self.std(name), self.min(name), self.max(name))
                for name in names]
        return DrawsSummary(self.n, rows, int(digits))

    def _names(self, names, owner):
        if names is None:
            return self.names
        if isinstance(names, str):
            names = [names]
        names = list(names)
        for name in names:
            if name not in self._values:
                check_choice(name, "names", owner, self.names)
        if not names:
            fail("names", owner, "None or a non-empty list of measurement names", names)
        return names

    def plot(self, names=None, ax=None, *, labels=None, color="C0"):
        """Draw a strip plot: one dot per draw for each name, the mean as a black bar.

        Parameters
        ----------
        names : str, list of str or None
            The measurements, one column each (default: all).
        ax : matplotlib Axes or None
            Where to draw (default ``plt.gca()``); nothing else is changed.
        labels : list of str or None
            Tick labels, one per name (default: the names).
        color : str
            Colour of the dots.

        Returns
        -------
        tuple of list
            ``(dots, means)``: the scatter and line artists.

        Examples
        --------
        >>> import matplotlib.pyplot as plt, lkcourse as lk
        >>> fig, ax = plt.subplots()
        >>> dots, means = lk.Draws([0, 1, 2], {"a": [1.0, 2.0, 3.0]}).plot(ax=ax)
        >>> len(dots), float(means[0].get_ydata()[0])
        (1, 2.0)
        >>> plt.close(fig)
        """
        import matplotlib.pyplot as plt
        names = self._names(names, "Draws.plot")
        if labels is None:
            labels = names
        elif len(labels) != len(names):
            fail("labels", "Draws.plot", f"None or {len(names)} labels", labels)
        ax = plt.gca() if ax is None else ax
        offsets = (np.arange(self.n) / max(self.n - 1, 1) - 0.5) * 0.3
        dots, means = [], []
        for i, name in enumerate(names):
            dots.append(ax.scatter(i + offsets, self[name], s=14, color=color,
                                   alpha=0.7, zorder=2))
            means.extend(ax.plot([i - 0.25, i + 0.25], [self.mean(name)] * 2,
                                 color="black", lw=2, zorder=3))
        ax.set_xticks(range(len(names)), labels)
        ax.set_xlim(-0.6, len(names) - 0.4)
        return dots, means


class DrawsSummary:
    """Summary table of a :class:`Draws` object, as returned by :meth:`Draws.summary`.

    ``rows`` holds one ``(name, mean, sd, min, max)`` tuple per measurement; the table
    prints as aligned text and renders as HTML in notebooks.
    """

    def __init__(self, n, rows, digits):
        self.n, self.rows, self.digits = n, list(rows), digits

    def _cells(self):
        return [[name] + [f"{v:.{self.digits}f}" for v in stats]
                for name, *stats in self.rows]

    def __str__(self):
        header = [f"{self.n} draws", "mean", "sd", "min", "max"]
        cells = self._cells()
        widths = [max(len(r[j]) for r in [header] + cells) for j in range(5)]
        def fmt(row):
            return " ".join([row[0].ljust(widths[0])]
                            + [row[j].rjust(widths[j]) for j in range(1, 5)])
        return "\n".join(fmt(r) for r in [header] + cells)

    __repr__ = __str__

    def _repr_html_(self):
        head = "".join(f"<th>{h}</th>" for h in
                       [f"{self.n} draws", "mean", "sd", "min", "max"])
        body = "".join(
            "<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in row) + "</tr>"
            for row in self._cells())
        return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
