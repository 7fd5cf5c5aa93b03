r"""Ready-made explorers for the chapters, each a pure compute function plus a draw.

Every ``*_explorer`` returns an :class:`~lkcourse.Explorer`: the last expression of a
notebook cell shows sliders in Jupyter and a static twin in the book. The data each
one draws comes from a pure, module-level ``compute_*`` function that the tests call
directly; each explorer's compute is one of them with the fixed arguments bound.

=========================  ==========================================  ============
explorer                   controls (default grid)                     chapter
=========================  ==========================================  ============
``polynomial_explorer``    degree, lam                                 1
``path_explorer``          lam (and the penalty if several kinds)      2, 3
``geometry_explorer``      k, lam                                      3, 4
``penalty_explorer``       k, lam                                      4
``trajectory_explorer``    k, lr                                       4
``activation_explorer``    activation name                             6
``boundary_explorer``      lam, dropout (trained nets, precomputed)    7
=========================  ==========================================  ============

One module per explorer (``lkcourse/explorers/penalty.py``, ``trajectory.py``,
``activation.py``, ``geometry.py``, ``polynomial.py``, ``path.py``, ``boundary.py``),
each holding its ``compute_*`` function, next to the ``*_explorer`` that draws it; what
they share (grid checks, the lam label, the once-per-figure setup) is in ``_common.py``.
Every name is importable from here, ``lkcourse.explorers``, and the public ones from
``lkcourse``.

Axis limits are fixed over the whole grid so that frames are comparable; each title
states the values shown. Every draw returns the artists it changed, so frames are
blitted over a background rendered once (see :mod:`lkcourse.explore`). Grids are kept
to a few dozen frames (page weight and build time grow with the number of frames,
about 10-20 kB and 20-40 ms each).
"""
from __future__ import annotations

from .activation import activation_explorer, compute_activation
from .boundary import boundary_explorer, compute_boundary
from .geometry import compute_geometry, geometry_explorer
from .path import compute_path, path_explorer
from .penalty import compute_penalty, penalty_explorer
from .polynomial import compute_polynomial, polynomial_explorer
from .trajectory import compute_trajectory, trajectory_explorer

__all__ = ["polynomial_explorer", "path_explorer", "geometry_explorer",
           "penalty_explorer", "trajectory_explorer", "activation_explorer",
           "boundary_explorer"]

# The public home of every explorer and compute function is this package (the API
# page, pickling and the docs name them lkcourse.explorers.<name>); show_source still
# finds each one's code in its topic module.
for _fn in (activation_explorer, compute_activation, boundary_explorer, compute_boundary,
            compute_geometry, geometry_explorer, compute_path, path_explorer,
            compute_penalty, penalty_explorer, compute_polynomial, polynomial_explorer,
            compute_trajectory, trajectory_explorer):
    _fn.__module__ = __name__
del _fn
