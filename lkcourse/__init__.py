"""lkcourse: the helper package of the course on weight regularization and activations.

``import lkcourse as lk`` gives the whole reusable API at the top level, e.g.
``lk.L1``, ``lk.fit_linear``, ``lk.activation``, ``lk.MLP``, ``lk.AdamW``,
``lk.train``, ``lk.datasets``, ``lk.Explorer``, ``lk.check_grad``. Implementation lives
in one module per concept; each module's ``__all__`` lists what it exports, and this
file re-exports them all. What only one chapter of the book needs (its experiments,
chapter 5's grid and probe, chapter 6's spec sheets, the exercise helpers) is in the
subpackage :mod:`lkcourse.book`, reached as ``lk.book.<name>``.

Extension points: subclass :class:`Penalty` (three hooks, see
:mod:`lkcourse.penalty_base`) or :class:`Activation` (``f`` and ``df``, see
:mod:`lkcourse.activation_base`), check the result with :func:`check_penalty` or
:func:`check_activation`, and register it with :func:`register_penalty` or
:func:`register_activation`.
"""
from importlib.metadata import PackageNotFoundError, version as _version

from . import (_validation, activation_base, activations, checks, claims, datasets, dynamics,
               explore, explorers, gradcheck, history, linear, logistic, losses, metrics, nn, optim,
               penalties, penalty_base, progress, prox, seeding, source, sweeps, thresholds,
               training, updates)
from ._validation import *  # noqa: F401,F403
from .activation_base import *  # noqa: F401,F403
from .activations import *  # noqa: F401,F403
from .checks import *  # noqa: F401,F403
from .claims import *  # noqa: F401,F403
from .dynamics import *  # noqa: F401,F403
from .explore import *  # noqa: F401,F403
from .explorers import *  # noqa: F401,F403
from .gradcheck import *  # noqa: F401,F403
from .history import *  # noqa: F401,F403
from .linear import *  # noqa: F401,F403
from .logistic import *  # noqa: F401,F403
from .metrics import *  # noqa: F401,F403
from .nn import *  # noqa: F401,F403
from .optim import *  # noqa: F401,F403
from .penalties import *  # noqa: F401,F403
from .penalty_base import *  # noqa: F401,F403
from .progress import *  # noqa: F401,F403
from .prox import *  # noqa: F401,F403
from .seeding import *  # noqa: F401,F403
from .source import *  # noqa: F401,F403
from .sweeps import *  # noqa: F401,F403
from .thresholds import *  # noqa: F401,F403
from .training import *  # noqa: F401,F403
from .updates import *  # noqa: F401,F403
from . import style  # noqa: E402  the course's figure style (issue 23)
from .style import *  # noqa: F401,F403,E402
from . import book  # noqa: E402  (the chapters' machinery and experiments: lk.book.<name>)

try:  # the one source of the version: pyproject.toml, through the installed metadata
    __version__ = _version("lkcourse")
except PackageNotFoundError:  # pragma: no cover - a source tree that was not installed
    __version__ = "unknown"

__all__ = ["datasets"] + [
    name
    for module in (_validation, activation_base, activations, checks, claims, dynamics,
                   explore, explorers, gradcheck, history, linear, logistic, metrics, nn, optim,
                   penalties, penalty_base, progress, prox, seeding, source, style, sweeps,
                   thresholds, training, updates)
    for name in module.__all__
]
