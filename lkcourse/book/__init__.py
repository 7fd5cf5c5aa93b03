"""The book's own machinery: what one chapter needs and nothing else reuses.

The reusable API (penalties, activations, models, optimizers, training, data, draws and
claims) lives at the top of :mod:`lkcourse`. This subpackage holds what exists only
because a chapter of the book needs it: the experiments whose results the chapters
state and the claims ledger measures (``lk.book.ch1`` ... ``lk.book.ch8``), chapter 5's
learning-rate x decay machinery, chapter 6's spec sheets and the exercise helpers.

Every public name of the modules below is re-exported here, flatly: a chapter writes
``lk.book.run_grid(...)``, ``lk.book.spec_sheet("shape")``,
``lk.book.check_answer(...)``. Nothing here is re-exported at the top level of
:mod:`lkcourse`, and no module of the reusable API imports from this subpackage
(``tests/test_architecture.py``).

- ``lr_decay`` (chapter 5): the scale-invariant toy, the learning rate x decay grid,
  the explained-variance statistic, the heatmaps;
- ``probe`` (chapter 5): the decay probe, what the decay alone does to a weight;
- ``activation_table`` (chapter 6): the activation spec sheets, generated from the
  registry;
- ``exercises`` (every chapter): auto-checked exercises, ``check_answer`` and
  ``prove_check``;
- ``scrapbook`` (every chapter): ``glue(name, value)``, myst-nb's glue without its imports.
"""
from . import activation_table, exercises, lr_decay, probe, scrapbook
from .activation_table import *  # noqa: F401,F403
from .exercises import *  # noqa: F401,F403
from .scrapbook import *  # noqa: F401,F403
from .lr_decay import *  # noqa: F401,F403
from .probe import *  # noqa: F401,F403
from . import ch1, ch2, ch3, ch4, ch5, ch6, ch7, ch8  # noqa: F401,E402  (register the experiments)

__all__ = [name for module in (activation_table, exercises, lr_decay, probe)
           for name in module.__all__] + scrapbook.__all__
