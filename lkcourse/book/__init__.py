"""The book's own machinery: what one chapter needs and nothing else reuses.

The reusable API (penalties, activations, models, optimizers, training, data, draws and
claims) lives at the top of :mod:`lkcourse`. This subpackage holds what exists only
because a chapter of the book needs it: the experiments whose results the chapters
state and the claims ledger measures (``lk.book.ch1`` ... ``lk.book.ch8``), chapter 5's
learning-rate x decay machinery, chapter 6's spec sheets and the exercise helpers.
"""
from . import ch1  # noqa: E402,F401
from . import ch8  # noqa: E402,F401
