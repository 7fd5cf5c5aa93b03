r"""One course-wide seed source: every random draw of the book comes from here.

A notebook never writes a seed. It asks for *slot* ``k`` (``lk.seed(k)``,
``lk.rng(k)``) and the package turns the slot into a seed of the current **seed
block**. Block 0 is the book as printed; block ``b`` moves every draw of every chapter
(data, initialisations, dropout masks, sweeps over seeds) to seeds no other block uses,
so a claim checked on block 0 can be re-checked on draws the book never saw:

.. code-block:: bash

    LKCOURSE_SEED_BLOCK=7 make nbval     # every chapter on block 7

or, inside a notebook, one call at the top: ``lk.use_seed_block(7)``.

Slot ``k`` of block ``b`` is the integer seed ``b * SLOTS_PER_BLOCK + k``, so block 0's
seeds are the slot numbers themselves and two blocks never share a seed (slots are
below :data:`SLOTS_PER_BLOCK`).
"""
from __future__ import annotations

import numbers
import os

import numpy as np

from ._validation import InvalidParameterError, fail

__all__ = ["seed", "rng", "seeds", "seed_block", "use_seed_block", "SLOTS_PER_BLOCK",
           "SEED_BLOCK_ENV"]

#: Number of seed slots in one block; slot ``k`` must satisfy ``0 <= k < SLOTS_PER_BLOCK``.
SLOTS_PER_BLOCK = 100_000
#: The environment variable that chooses the block (default 0).
SEED_BLOCK_ENV = "LKCOURSE_SEED_BLOCK"
# numpy seeds are unsigned 32-bit here, so blocks stop below 2**32 / SLOTS_PER_BLOCK.
_MAX_BLOCK = (2**32) // SLOTS_PER_BLOCK - 1

_override = None        # set by use_seed_block; None means "read the environment"


def _is_int(value):
    return isinstance(value, numbers.Integral) and not isinstance(value, (bool, np.bool_))


def _check_block(block, owner, name="block"):
    if not _is_int(block) or not 0 <= block <= _MAX_BLOCK:
        fail(name, owner, f"an int between 0 and {_MAX_BLOCK}", block)
    return int(block)


def _check_slot(k, owner, name="k"):
    if not _is_int(k) or not 0 <= k < SLOTS_PER_BLOCK:
        fail(name, owner, f"an int slot between 0 and {SLOTS_PER_BLOCK - 1}", k)
    return int(k)


def seed_block():
    """The current seed block: the last :func:`use_seed_block`, else the environment.

    Returns
    -------
    int
        ``use_seed_block``'s block if one is in force, else the value of the
        environment variable ``LKCOURSE_SEED_BLOCK``, else 0.

    Raises
    ------
    InvalidParameterError
        If ``LKCOURSE_SEED_BLOCK`` is set to something other than an int in range.

    Examples
    --------
    >>> import lkcourse as lk
    >>> with lk.use_seed_block(3):
    ...     lk.seed_block()
    3
    """
    if _override is not None:
        return _override
    raw = os.environ.get(SEED_BLOCK_ENV, "").strip()
    if not raw:
        return 0
    try:
        value = int(raw)
    except ValueError:
        value = raw
    if not _is_int(value) or not 0 <= value <= _MAX_BLOCK:
        raise InvalidParameterError(
            f"The environment variable {SEED_BLOCK_ENV} must be an int between 0 and "
            f"{_MAX_BLOCK}. Got {raw!r} instead.")
    return value


class use_seed_block:  # noqa: N801  (used like a function: lk.use_seed_block(3))
    """Move every draw to seed block ``block`` (a call, or a ``with`` block).

    Parameters
    ----------
    block : int, 0 <= block < 42949, or None
        The block; None goes back to the environment's (``LKCOURSE_SEED_BLOCK``, or 0).

    Notes
    -----
    Called as a function, the block stays in force for the rest of the process (put
    it at the top of a notebook, before any draw: "try another draw"). Used as a
    context manager, the previous block comes back on exit.

    Examples
    --------
    >>> import lkcourse as lk
    >>> with lk.use_seed_block(2):
    ...     lk.seed(5)
    200005
    >>> lk.seed(5) == 5 + lk.SLOTS_PER_BLOCK * lk.seed_block()
    True
    """

    def __init__(self, block):
        global _override
        self.previous = _override
        _override = None if block is None else _check_block(block, "use_seed_block")
        self.block = seed_block()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        global _override
        _override = self.previous
        return False

    def __repr__(self):
        return f"use_seed_block({self.block})"


def seed(k=0):
    """The integer seed of slot ``k`` in the current block.

    Parameters
    ----------
    k : int, 0 <= k < SLOTS_PER_BLOCK
        The slot. A chapter numbers its draws 0, 1, 2, ...; the block decides which
        seeds they get.

    Returns
    -------
    int
        ``seed_block() * SLOTS_PER_BLOCK + k``.

    Raises
    ------
    InvalidParameterError
        If ``k`` is not an int slot in range.

    Examples
    --------
    >>> import lkcourse as lk
    >>> with lk.use_seed_block(0):
    ...     lk.seed(0), lk.seed(7)
    (0, 7)
    >>> with lk.use_seed_block(1):
    ...     lk.seed(7)
    100007
    """
    return seed_block() * SLOTS_PER_BLOCK + _check_slot(k, "seed")


def rng(k=0):
    """A new numpy Generator seeded with :func:`seed` ``(k)``.

    Parameters
    ----------
    k : int, 0 <= k < SLOTS_PER_BLOCK
        The slot.

    Returns
    -------
    numpy.random.Generator
        ``np.random.default_rng(lk.seed(k))``: the same stream for the same slot and
        block, a stream of another block's seed otherwise.

    Raises
    ------
    InvalidParameterError
        If ``k`` is not an int slot in range.

    Examples
    --------
    >>> import numpy as np, lkcourse as lk
    >>> a, b = lk.rng(3).standard_normal(2), lk.rng(3).standard_normal(2)
    >>> bool(np.array_equal(a, b))
    True
    """
    return np.random.default_rng(seed(k))


def seeds(n, start=0):
    """The seeds of slots ``start, start + 1, ..., start + n - 1`` in the current block.

    Parameters
    ----------
    n : int >= 1
        How many.
    start : int >= 0
        The first slot (``start + n <= SLOTS_PER_BLOCK``).

    Returns
    -------
    tuple of int
        ``(seed(start), ..., seed(start + n - 1))``.

    Raises
    ------
    InvalidParameterError
        If ``n`` or ``start`` is not an int in range.

    Examples
    --------
    >>> import lkcourse as lk
    >>> with lk.use_seed_block(0):
    ...     lk.seeds(3), lk.seeds(2, start=10)
    ((0, 1, 2), (10, 11))
    """
    owner = "seeds"
    if not _is_int(n) or not 1 <= n <= SLOTS_PER_BLOCK:
        fail("n", owner, f"an int between 1 and {SLOTS_PER_BLOCK}", n)
    if not _is_int(start) or not 0 <= start <= SLOTS_PER_BLOCK - n:
        fail("start", owner, f"an int between 0 and {SLOTS_PER_BLOCK - n} (start + n "
             f"slots must fit in a block of {SLOTS_PER_BLOCK})", start)
    base = seed_block() * SLOTS_PER_BLOCK + int(start)
    return tuple(range(base, base + int(n)))
