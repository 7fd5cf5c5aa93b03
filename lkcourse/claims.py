r"""Cross-draw claims and the claims ledger.

A chapter that says "L2 did not lower the test accuracy on most draws" makes a claim
about a distribution. This module gives such a claim three homes that are kept in step:

1. **Where it is defined.** An :class:`Experiment` is a function ``fn(seed) -> dict`` (one
   draw of data, initialisation, dropout masks ...) with a block size ``n``; each
   :meth:`Experiment.claim` names a per-draw statistic (a boolean for a rate, a number
   for a mean), the sentence the prose states, and the section that states it.
   Experiments live in ``lkcourse.book.chN`` (one module per chapter).
2. **Where it is measured.** ``make claims`` runs every experiment on many blocks (at
   least 200 draws) and writes ``lkcourse/book/ledger/chN.json``: the rate or mean over
   all draws with a 95 % interval, the range over the blocks, and the threshold a block
   of ``n`` draws asserts (:mod:`lkcourse.thresholds`). The book's *Claims ledger* page
   is rendered from those files.
3. **Where it is checked.** The notebook runs the experiment on its own block
   (:meth:`Experiment.run`) and calls :func:`check_claims`, which asserts each claim
   against the ledger's threshold. The threshold comes from the ledger, never from the
   notebook, so it does not depend on which block the notebook happens to run.

A ledger file records the SHA-256 of the chapter module it measured; a test fails when
the module changed since (re-measure with ``make claims CHAPTERS=chN``).
"""
from __future__ import annotations

import functools
import hashlib
import json
import math
import numbers
import re
from pathlib import Path

import numpy as np

from ._validation import InvalidParameterError, check_choice, fail
from .seeding import seed_block
from .sweeps import Draws, over_seeds
from .thresholds import ALPHA, mean_threshold, proportion_threshold, wilson_interval

__all__ = ["Experiment", "Claim", "check_claims", "ledger_entry", "LedgerEntry",
           "EXPERIMENTS", "CLAIMS", "LEDGER_DIR", "MIN_LEDGER_DRAWS"]

#: Where the ledger files live (package data, so an installed wheel has them).
LEDGER_DIR = Path(__file__).resolve().parent / "book" / "ledger"
#: Every claim is measured on at least this many draws.
MIN_LEDGER_DRAWS = 200

#: Every experiment, by id (filled as the ``lkcourse.book`` modules are imported).
EXPERIMENTS: dict = {}
#: Every claim, by id.
CLAIMS: dict = {}

_ID = re.compile(r"^ch[0-9]+/[a-z0-9][a-z0-9-]*$")
_KINDS = ("rate", "mean")
_SIDES = ("at_least", "at_most")


def _check_id(value, name, owner):
    if not isinstance(value, str) or not _ID.match(value):
        fail(name, owner, "a str 'chN/lower-case-words' (e.g. 'ch7/l2-keeps-accuracy')",
             value)
    return value


class Experiment:
    r"""A repeatable random experiment of a chapter: ``fn(seed) -> dict`` on ``n`` draws.

    Parameters
    ----------
    id : str
        ``"chN/name"``; ``chN`` is the chapter module ``lkcourse.book.chN``.
    fn : callable
        ``fn(seed) -> dict`` of name -> real number, deriving all its randomness from
        ``seed`` (as for :func:`lkcourse.over_seeds`).
    n : int >= 1
        Draws per block: what the notebook runs, and the block size of the ledger.
    doc : str
        The notebook (file name without extension, e.g. ``"07_putting_together"``)
        that runs it.
    register : bool
        Add it (and its claims) to ``lk.EXPERIMENTS``/``lk.CLAIMS``, the registry the
        ledger measures. False for a throw-away experiment.

    Examples
    --------
    >>> import numpy as np, lkcourse as lk
    >>> def coin(seed):
    ...     return {"heads": np.random.default_rng(seed).random() < 0.5}
    >>> exp = lk.Experiment("ch0/coin-doc", coin, n=10, doc="intro", register=False)
    >>> claim = exp.claim("ch0/coin-doc-heads", lambda d: d["heads"] == 1,
    ...                   says="heads comes up sometimes", section="sec-x")
    >>> exp.run().n
    10
    """

    def __init__(self, id, fn, n=20, *, doc, register=True):
        owner = "Experiment"
        self.id = _check_id(id, "id", owner)
        if not callable(fn):
            fail("fn", owner, "a callable fn(seed) -> dict", fn)
        if not isinstance(n, numbers.Integral) or isinstance(n, bool) or n < 1:
            fail("n", owner, "an int >= 1", n)
        if not isinstance(doc, str) or not doc:
            fail("doc", owner, "the notebook's file name without extension", doc)
        self.fn, self.n, self.doc = fn, int(n), doc
        self.claims = []
        self.registered = bool(register)
        if self.registered:
            EXPERIMENTS[self.id] = self

    @property
    def chapter(self):
        """The chapter key, e.g. ``"ch7"``."""
        return self.id.split("/")[0]

    def __repr__(self):
        return f"Experiment({self.id!r}, n={self.n}, claims={len(self.claims)})"

    def claim(self, id, statistic, *, says, section, kind="rate", side="at_least"):
        """Declare a claim about this experiment (see :class:`Claim`) and return it.

        Parameters
        ----------
        id : str
            The claim's id, ``"<chapter>/<name>"``.
        statistic : callable
            ``statistic(draws) -> 1-D array``, one value per draw: booleans for a rate
            claim, finite numbers for a mean claim.
        says : str
            What the chapter states, in words (shown in the ledger).
        section : str
            The label of the section that states it.
        kind : {"rate", "mean"}, default "rate"
            Whether the claim is about how often ``statistic`` holds or about its mean.
        side : {"at_least", "at_most"}, default "at_least"
            Which direction the chapter's statement bounds.

        Returns
        -------
        Claim
            The new claim (registered when the experiment is).

        Examples
        --------
        >>> import numpy as np, lkcourse as lk
        >>> exp = lk.Experiment("ch0/normal-doc", lambda s: {
        ...     "x": np.random.default_rng(s).normal()}, n=20, doc="intro", register=False)
        >>> exp.claim("ch0/positive-doc", lambda d: d["x"] > 0, says="x > 0",
        ...           section="sec-x").kind
        'rate'
        """
        return Claim(id, self, statistic, says=says, section=section, kind=kind,
                     side=side)

    def run(self, *, progress=False, n_jobs=1):
        """Run ``fn`` on the current block's first ``n`` seeds.

        Parameters
        ----------
        progress : bool, default False
            Show a progress bar.
        n_jobs : int >= 1, default 1
            Processes to run the draws in (:func:`lkcourse.over_seeds`): the same
            draws, bit for bit, for any value.

        Returns
        -------
        Draws
            The draws, tagged with this experiment's id (for :func:`check_claims`) and
            the seed block they came from.

        Examples
        --------
        >>> import numpy as np, lkcourse as lk
        >>> exp = lk.Experiment("ch0/normal-doc", lambda s: {
        ...     "x": np.random.default_rng(s).normal()}, n=20, doc="intro", register=False)
        >>> d = exp.run()
        >>> d.n, d.experiment
        (20, 'ch0/normal-doc')
        """
        draws = over_seeds(self.fn, self.n, progress=progress, n_jobs=n_jobs)
        draws.experiment = self.id
        return draws


class Claim:
    r"""One cross-draw claim: a per-draw statistic of an :class:`Experiment`.

    Parameters
    ----------
    id : str
        ``"chN/name"``, unique in the book.
    experiment : Experiment
        The experiment whose draws the claim is about (same chapter).
    statistic : callable
        ``statistic(draws) -> array`` over the draws: booleans (``kind="rate"``: on how
        many draws the claim holds) or numbers (``kind="mean"``: their mean).
    says : str
        The sentence the prose states (shown on the Claims ledger page).
    section : str
        The MyST label of the section that states it (the ledger page links to it).
    kind : {"rate", "mean"}
    side : {"at_least", "at_most"}
        Whether a block asserts the count (or mean) is at least, or at most, its
        threshold.

    Examples
    --------
    >>> import numpy as np, lkcourse as lk
    >>> exp = lk.Experiment("ch0/normal-doc", lambda s: {
    ...     "x": np.random.default_rng(s).normal()}, n=20, doc="intro", register=False)
    >>> claim = exp.claim("ch0/positive-doc", lambda d: d["x"] > 0,
    ...                   says="x is positive about half the time", section="sec-x")
    >>> claim.kind, claim.block_value(exp.run()) <= 20
    ('rate', True)
    """

    def __init__(self, id, experiment, statistic, *, says, section, kind="rate",
                 side="at_least"):
        owner = "Claim"
        self.id = _check_id(id, "id", owner)
        if not isinstance(experiment, Experiment):
            fail("experiment", owner, "an lk.Experiment", experiment)
        if self.id.split("/")[0] != experiment.chapter:
            fail("id", owner, f"an id in the experiment's chapter ({experiment.chapter}/...)",
                 id)
        if not callable(statistic):
            fail("statistic", owner, "a callable statistic(draws) -> array", statistic)
        for name, value in (("says", says), ("section", section)):
            if not isinstance(value, str) or not value.strip():
                fail(name, owner, "a non-empty str", value)
        self.kind = check_choice(kind, "kind", owner, list(_KINDS))
        self.side = check_choice(side, "side", owner, list(_SIDES))
        self.experiment, self.statistic = experiment, statistic
        self.says, self.section = says, section
        if (experiment.registered and self.id in CLAIMS
                and CLAIMS[self.id].experiment.id != experiment.id):
            raise InvalidParameterError(
                f"The 'id' parameter of Claim must be unique in the book. Got {id!r}, "
                f"already used by experiment {CLAIMS[self.id].experiment.id!r}.")
        experiment.claims = [c for c in experiment.claims if c.id != self.id] + [self]
        if experiment.registered:
            CLAIMS[self.id] = self

    def __repr__(self):
        return f"Claim({self.id!r}, {self.kind}, {self.side})"

    def values(self, draws):
        """The per-draw statistic on ``draws``, checked.

        Parameters
        ----------
        draws : Draws
            Draws of this claim's experiment.

        Returns
        -------
        ndarray of shape (draws.n,)
            Booleans for a rate claim, finite floats for a mean claim.

        Examples
        --------
        >>> import numpy as np, lkcourse as lk
        >>> exp = lk.Experiment("ch0/normal-doc", lambda s: {
        ...     "x": np.random.default_rng(s).normal()}, n=20, doc="intro", register=False)
        >>> claim = exp.claim("ch0/positive-doc", lambda d: d["x"] > 0, says="x > 0",
        ...                   section="sec-x")
        >>> claim.values(exp.run()).dtype
        dtype('bool')
        """
        out = np.asarray(self.statistic(draws))
        if out.shape != (draws.n,):
            raise InvalidParameterError(
                f"The statistic of claim {self.id!r} must return one value per draw "
                f"(shape ({draws.n},)). Got an array of shape {out.shape} instead.")
        if self.kind == "rate":
            if out.dtype != bool:
                raise InvalidParameterError(
                    f"The statistic of rate claim {self.id!r} must return booleans. "
                    f"Got dtype {out.dtype} instead.")
            return out
        out = out.astype(float)
        if not np.all(np.isfinite(out)):
            raise InvalidParameterError(
                f"The statistic of mean claim {self.id!r} must return finite numbers. "
                f"Got {out[~np.isfinite(out)][0]} instead.")
        return out

    def block_value(self, draws):
        """What a block states: the count (rate) or the mean (mean) over ``draws``.

        Parameters
        ----------
        draws : Draws
            Draws of this claim's experiment.

        Returns
        -------
        int or float
            How many draws satisfy a rate claim, or the mean of a mean claim.

        Examples
        --------
        >>> import numpy as np, lkcourse as lk
        >>> exp = lk.Experiment("ch0/normal-doc", lambda s: {
        ...     "x": np.random.default_rng(s).normal()}, n=20, doc="intro", register=False)
        >>> claim = exp.claim("ch0/positive-doc", lambda d: d["x"] > 0, says="x > 0",
        ...                   section="sec-x")
        >>> 0 <= claim.block_value(exp.run()) <= 20
        True
        """
        values = self.values(draws)
        return int(values.sum()) if self.kind == "rate" else float(values.mean())


# ---- the ledger --------------------------------------------------------------------

def module_digest(chapter):
    """SHA-256 of the source of ``lkcourse/book/<chapter>.py`` (what the ledger measured)."""
    path = LEDGER_DIR.parent / f"{chapter}.py"
    return hashlib.sha256(path.read_bytes()).hexdigest()


@functools.lru_cache(maxsize=None)
def _ledger_file(chapter):
    path = LEDGER_DIR / f"{chapter}.json"
    if not path.exists():
        return None
    return json.loads(path.read_text())


def reload_ledger():
    """Forget the ledger files read so far (after ``make claims`` rewrote them)."""
    _ledger_file.cache_clear()


class LedgerEntry:
    """One claim as the ledger measured it (read from ``lkcourse/book/ledger``).

    Parameters
    ----------
    record : dict
        The claim's record in the ledger file, plus its ``id``.

    Attributes
    ----------
    id, kind, side, says, section, doc : str
    n : int
        Draws measured (at least ``MIN_LEDGER_DRAWS``).
    n_block : int
        Draws per block (the notebook's block size).
    k : int or None
        Rate claims: draws on which the claim held.
    value : float
        The rate ``k / n``, or the mean.
    lo, hi : float
        95 % interval: Wilson for a rate, mean +- 1.96 standard errors for a mean.
    sd : float or None
        Mean claims: the sample standard deviation over the draws.
    block_min, block_max : float
        Smallest and largest block count (rate) or block mean (mean).
    threshold : float
        What a block of ``n_block`` draws asserts (:meth:`threshold_for`).

    Examples
    --------
    >>> import lkcourse as lk
    >>> e = lk.ledger_entry("ch1/degree-10-never-best")
    >>> e.threshold_for(20) == e.threshold
    True
    """

    def __init__(self, record):
        self.__dict__.update(record)

    def __repr__(self):
        return f"LedgerEntry({self.id!r}: {self.text()})"

    def threshold_for(self, n_block):
        """The threshold a block of ``n_block`` draws asserts (``alpha = 1e-4``).

        Parameters
        ----------
        n_block : int
            The number of draws in the block.

        Returns
        -------
        int or float
            The least count (or mean) an ``"at_least"`` claim accepts, or the largest an
            ``"at_most"`` claim accepts.

        Examples
        --------
        >>> import lkcourse as lk
        >>> e = lk.ledger_entry("ch1/degree-10-never-best")
        >>> e.threshold_for(20) == e.threshold
        True
        """
        if self.kind == "rate":
            return proportion_threshold(self.k, self.n, n_block, side=self.side,
                                        alpha=ALPHA)
        return mean_threshold(self.value, self.sd, self.n, n_block, side=self.side,
                              alpha=ALPHA)

    def vacuous_for(self, n_block):
        """Whether no count on ``n_block`` draws could fail the threshold.

        Parameters
        ----------
        n_block : int
            The number of draws in the block.

        Returns
        -------
        bool
            True when the assert on a block of that size could not fail.

        Examples
        --------
        >>> import lkcourse as lk
        >>> lk.ledger_entry("ch1/degree-10-never-best").vacuous_for(20)
        False
        """
        if self.kind != "rate":
            return False
        t = self.threshold_for(n_block)
        return t <= 0 if self.side == "at_least" else t >= n_block

    def percent(self, digits=0):
        """The rate as a percentage string, e.g. ``"88 %"`` (rate claims).

        Parameters
        ----------
        digits : int, default 0
            Digits after the decimal point.

        Returns
        -------
        str
            The percentage followed by ``" %"``.

        Examples
        --------
        >>> import lkcourse as lk
        >>> lk.ledger_entry("ch1/degree-10-never-best").percent().endswith(" %")
        True

        A rate that is not all or nothing never prints as 100 % or 0 %: 199 of 200 is
        "99.5 %", not "100 %".
        """
        text = f"{100 * self.value:.{digits}f}"
        if self.kind == "rate" and 0 < self.value < 1:
            while float(text) in (0.0, 100.0) and digits < 6:
                digits += 1
                text = f"{100 * self.value:.{digits}f}"
        return f"{text} %"

    def text(self, digits=2):
        """One-line summary of the measurement.

        Parameters
        ----------
        digits : int, default 2
            Digits after the decimal point of a mean claim's numbers.

        Returns
        -------
        str
            ``"176 of 200 draws (88 %, 95 % interval 83-92 %)"`` for a rate claim,
            ``"mean 1.23 (95 % interval 1.01-1.45) over 200 draws"`` for a mean claim.

        Examples
        --------
        >>> import lkcourse as lk
        >>> "draws" in lk.ledger_entry("ch1/degree-10-never-best").text()
        True
        """
        if self.kind == "rate":
            return (f"{self.k} of {self.n} draws ({100 * self.value:.0f} %, 95 % "
                    f"interval {100 * self.lo:.0f}\u2013{100 * self.hi:.0f} %)")
        return (f"mean {self.value:.{digits}f} (95 % interval {self.lo:.{digits}f}"
                f"\u2013{self.hi:.{digits}f}) over {self.n} draws")


def ledger_entry(id):
    """The ledger's measurement of claim ``id`` (a :class:`LedgerEntry`).

    Parameters
    ----------
    id : str
        A claim id, e.g. ``"ch7/l2-keeps-accuracy"``.

    Returns
    -------
    LedgerEntry
        The claim's measurement: rate or mean, interval, block range, threshold.

    Raises
    ------
    InvalidParameterError
        If no claim or no ledger measurement has that id (run ``make claims``).

    Examples
    --------
    >>> import lkcourse as lk
    >>> e = lk.ledger_entry("ch1/degree-10-never-best")
    >>> e.kind, e.n >= lk.MIN_LEDGER_DRAWS
    ('rate', True)
    """
    owner = "ledger_entry"
    _check_id(id, "id", owner)
    chapter = id.split("/")[0]
    data = _ledger_file(chapter)
    if data is None or id not in data["claims"]:
        known = sorted(data["claims"]) if data else []
        raise InvalidParameterError(
            f"The 'id' parameter of {owner} must be a claim measured in the ledger "
            f"(lkcourse/book/ledger/{chapter}.json; run `make claims CHAPTERS={chapter}`). "
            f"Got {id!r} instead; measured: {known}.")
    return LedgerEntry(dict(data["claims"][id], id=id))


def check_claims(draws, ids):
    """Assert claims on a notebook's block of draws, against the ledger's thresholds.

    Parameters
    ----------
    draws : Draws
        From :meth:`Experiment.run` (the block the notebook ran).
    ids : str or sequence of str
        Claim ids of that experiment.

    Returns
    -------
    list of str
        One line per claim: its id, the block's value and the threshold.

    Raises
    ------
    AssertionError
        If a claim misses its threshold on this block; the message gives the block's
        value, the threshold and the ledger's measurement.
    InvalidParameterError
        If ``draws`` did not come from the claims' experiment, an id is unknown or not
        measured, or the threshold is vacuous for this block size (the check could not
        fail: measure more draws per block, or state the claim from the ledger only).

    Examples
    --------
    >>> import lkcourse as lk
    >>> draws = lk.book.ch1.DEGREE.run()
    >>> print(lk.check_claims(draws, "ch1/degree-10-never-best")[0])
    ch1/degree-10-never-best: 20 of 20 (block 0), asserted >= 16
    """
    owner = "check_claims"
    if not isinstance(draws, Draws):
        fail("draws", owner, "an lk.Draws from Experiment.run()", draws)
    if isinstance(ids, str):
        ids = [ids]
    lines = []
    for id in ids:
        if id not in CLAIMS:
            check_choice(id, "ids", owner, sorted(CLAIMS))
        claim = CLAIMS[id]
        if getattr(draws, "experiment", None) != claim.experiment.id:
            raise InvalidParameterError(
                f"The 'draws' parameter of {owner} must come from experiment "
                f"{claim.experiment.id!r} (claim {id!r}). Got draws of "
                f"{getattr(draws, 'experiment', None)!r} instead.")
        entry = ledger_entry(id)
        if entry.vacuous_for(draws.n):
            raise InvalidParameterError(
                f"Claim {id!r} cannot be checked on {draws.n} draws: the ledger "
                f"({entry.text()}) gives a threshold that every block meets. State it "
                "from the ledger only, or check it on more draws.")
        t = entry.threshold_for(draws.n)
        got = claim.block_value(draws)
        ok = got >= t if claim.side == "at_least" else got <= t
        rel = ">=" if claim.side == "at_least" else "<="
        shown = f"{got} of {draws.n}" if claim.kind == "rate" else f"mean {got:.4g}"
        tshown = f"{t}" if claim.kind == "rate" else f"{t:.4g}"
        block = draws.block if draws.block is not None else seed_block()
        line = f"{id}: {shown} (block {block}), asserted {rel} {tshown}"
        if not ok:
            raise AssertionError(
                f"Claim {id!r} ({claim.says}) fails on seed block {block}: "
                f"{shown}, but the ledger's threshold is {rel} {tshown} (ledger: "
                f"{entry.text()}). Either the code changed what the claim measures "
                "(re-run `make claims`) or the claim does not hold.")
        lines.append(line)
    return lines


# ---- measuring (used by tools/claims.py) -------------------------------------------

def measure_block(experiment_id, block):
    """Run a registered experiment on one seed block: ``{name: list of floats}``."""
    return measure_block_of(EXPERIMENTS[experiment_id], block)


def measure_block_of(experiment, block):
    """Run ``experiment`` on seed block ``block``: ``{name: list of floats}`` per draw."""
    from .seeding import use_seed_block
    with use_seed_block(block):
        draws = experiment.run()
    return {name: draws[name].tolist() for name in draws.names}


def summarise(claim, blocks):
    """Ledger record of ``claim`` from ``blocks``: a list of ``(block, values)``, where
    ``values`` is ``measure_block``'s dict for that block."""
    per_block = []
    for block, values in blocks:
        d = Draws(range(len(next(iter(values.values())))), values)
        d.experiment = claim.experiment.id
        per_block.append((block, claim.values(d)))
    allv = np.concatenate([v for _, v in per_block])
    n, n_block = int(allv.size), claim.experiment.n
    record = {"kind": claim.kind, "side": claim.side, "says": claim.says,
              "section": claim.section, "doc": claim.experiment.doc,
              "experiment": claim.experiment.id, "n": n, "n_block": n_block}
    if claim.kind == "rate":
        k = int(allv.sum())
        lo, hi = wilson_interval(k, n)
        counts = [int(v.sum()) for _, v in per_block]
        record.update(k=k, value=k / n, lo=lo, hi=hi, sd=None,
                      block_min=min(counts), block_max=max(counts),
                      threshold=proportion_threshold(k, n, n_block, side=claim.side))
    else:
        mean, sd = float(allv.mean()), float(allv.std(ddof=1))
        half = 1.959963984540054 * sd / math.sqrt(n)
        means = [float(v.mean()) for _, v in per_block]
        record.update(k=None, value=mean, lo=mean - half, hi=mean + half, sd=sd,
                      block_min=min(means), block_max=max(means),
                      threshold=mean_threshold(mean, sd, n, n_block, side=claim.side))
    return record
