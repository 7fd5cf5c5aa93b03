"""lkcourse: the helper package of the course on weight regularization and activations.

``import lkcourse as lk`` gives the whole public API at the top level, e.g.
``lk.L1``, ``lk.fit_linear``, ``lk.activation``, ``lk.MLP``, ``lk.AdamW``,
``lk.train``, ``lk.datasets``, ``lk.Explorer``, ``lk.check_grad``.
Implementation lives in one module per concept; each module's ``__all__`` lists
what it exports, and this file re-exports them all.
"""
from . import (_validation, activation_table, activations, batched_training, claims,
               datasets, exercises, explore, explorers, gradcheck, linear, logistic,
               lr_decay, metrics, nn, optim, penalties, probe, progress, seeding, source,
               sweeps, thresholds, training, updates)
from ._validation import *  # noqa: F401,F403
from .activation_table import *  # noqa: F401,F403
from .activations import *  # noqa: F401,F403
from .batched_training import *  # noqa: F401,F403
from .claims import *  # noqa: F401,F403
from .exercises import *  # noqa: F401,F403
from .explore import *  # noqa: F401,F403
from .explorers import *  # noqa: F401,F403
from .gradcheck import *  # noqa: F401,F403
from .linear import *  # noqa: F401,F403
from .logistic import *  # noqa: F401,F403
from .lr_decay import *  # noqa: F401,F403
from .metrics import *  # noqa: F401,F403
from .nn import *  # noqa: F401,F403
from .optim import *  # noqa: F401,F403
from .penalties import *  # noqa: F401,F403
from .probe import *  # noqa: F401,F403
from .progress import *  # noqa: F401,F403
from .seeding import *  # noqa: F401,F403
from .source import *  # noqa: F401,F403
from .sweeps import *  # noqa: F401,F403
from .thresholds import *  # noqa: F401,F403
from .training import *  # noqa: F401,F403
from .updates import *  # noqa: F401,F403

from . import book  # noqa: E402  (the chapters' experiments register their claims)

__version__ = "0.1.0"

__all__ = ["datasets"] + [
    name
    for module in (_validation, activation_table, activations, batched_training, claims,
                   exercises, explore, explorers, gradcheck, linear, logistic,
                   lr_decay, metrics, nn, optim, penalties, probe, progress, seeding, source,
                   sweeps, thresholds, training, updates)
    for name in module.__all__
]
