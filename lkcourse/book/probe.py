r"""The decay probe: weights fed pure-noise gradients, whose average moves only by the
weight decay, under SGD+L2, SGDW, Adam+L2 and AdamW (chapter 5's "who gets decayed").

:func:`decay_probe` runs it for any optimizer object; :func:`probe_curves` and
:func:`draw_probe` are the compute and draw functions of the chapter's explorer.
"""
from __future__ import annotations

import numpy as np

from .._validation import check_array, check_choice, check_int, check_real, check_rng, fail
from ..optim import SGD, SGDW, Adam, AdamW

__all__ = ["decay_probe", "probe_curves", "draw_probe"]

_PROBE_LR = 1e-2
_PROBE_SIGMAS = np.array([0.01, 0.1, 1.0, 10.0, 100.0])
_PROBE_OPTS = {"SGD + L2": SGD, "SGDW": SGDW, "Adam + L2": Adam, "AdamW": AdamW}


def decay_probe(optimizer, sigmas, *, steps=300, reps=200, rng=None):
    r"""Average weights under pure-noise gradients: what the decay alone does.

    Every weight starts at 1; weight ``i`` receives the gradient
    :math:`\sigma_i\,\xi` with :math:`\xi \sim \mathcal N(0, 1)`, in ``reps`` replicas
    drawn in antithetic pairs :math:`\xi, -\xi`. The noise has mean zero, so the
    average weight over the replicas moves only by the decay (exactly so for
    optimizers whose noise part is odd in :math:`\xi`: SGD, SGDW, AdamW).

    Parameters
    ----------
    optimizer : SGD, SGDW, Adam or AdamW
        A fresh optimizer (its ``step`` is called ``steps`` times).
    sigmas : array_like, shape (k,)
        Noise scale of each weight (>= 0).
    steps : int
        Number of steps (>= 0).
    reps : int
        Replicas per weight (an even int >= 2).
    rng : None, int, numpy.random.Generator, or a list of them
        The noise; a list gives one independent stream (and one row) per entry.

    Returns
    -------
    ndarray of shape (steps + 1, streams, k)
        The replica mean of every weight after each step (row 0: the start).

    Examples
    --------
    >>> import numpy as np, lkcourse as lk
    >>> out = lk.book.decay_probe(lk.AdamW(1e-2, weight_decay=1.0), [0.1, 10.0], steps=100,
    ...                      reps=20, rng=[0, 1])
    >>> out.shape
    (101, 2, 2)
    >>> bool(np.allclose(out[-1], 0.99 ** 100))    # decoupled: the nominal decay
    True
    """
    owner = "decay_probe"
    if not all(callable(getattr(optimizer, a, None)) for a in ("step", "state_of")):
        fail("optimizer", owner, "an optimizer object (lk.SGD, lk.SGDW, lk.Adam, "
             "lk.AdamW)", optimizer)
    sigmas = check_array(sigmas, "sigmas", owner, ndim=1)
    if np.any(sigmas < 0):
        fail("sigmas", owner, "a 1-D array of noise scales >= 0", sigmas)
    steps = check_int(steps, "steps", owner, 0)
    reps = check_int(reps, "reps", owner, 2, "an even int >= 2")
    if reps % 2:
        fail("reps", owner, "an even int >= 2", reps)
    streams = rng if isinstance(rng, (list, tuple, range)) else [rng]
    if not streams:
        fail("rng", owner, "None, an int >= 0, a numpy Generator or a non-empty list "
             "of them", rng)
    noise = [check_rng(r, owner) for r in streams]        # one stream per entry
    params = {"W": np.ones((len(noise), reps, len(sigmas)))}
    means = [params["W"].mean(axis=1)]
    for _ in range(steps):
        z = np.stack([n.standard_normal((reps // 2, len(sigmas))) for n in noise])
        optimizer.step(params, {"W": sigmas * np.concatenate([z, -z], axis=1)})
        means.append(params["W"].mean(axis=1))
    return np.array(means)


def probe_curves(optimizer, wd, *, steps=300):
    r"""The explorer's probe: five weights, noise scales 0.01 to 100, learning rate 0.01.

    :func:`decay_probe` with ``lk.<optimizer>(0.01, weight_decay=wd)``, 200 replicas
    and noise ``rng=0``; the compute function of the "who gets decayed" explorer.

    Parameters
    ----------
    optimizer : {"SGD + L2", "SGDW", "Adam + L2", "AdamW"}
        ``lk.SGD``, ``lk.SGDW``, ``lk.Adam`` or ``lk.AdamW``.
    wd : float
        ``weight_decay`` of the optimizer (>= 0, below 100).
    steps : int
        Number of steps (>= 0).

    Returns
    -------
    ndarray of shape (steps + 1, 5)
        Average of each weight (noise scales 0.01, 0.1, 1, 10, 100) after each step.

    Examples
    --------
    >>> import numpy as np, lkcourse as lk
    >>> out = lk.book.probe_curves("SGDW", 0.3, steps=10)
    >>> out.shape, bool(np.allclose(out[-1], (1 - 3e-3) ** 10))
    ((11, 5), True)
    """
    owner = "probe_curves"
    optimizer = check_choice(optimizer, "optimizer", owner, list(_PROBE_OPTS))
    wd = check_real(wd, "wd", owner, low=0, high=1 / _PROBE_LR, high_open=True)
    steps = check_int(steps, "steps", owner, 0)
    opt = _PROBE_OPTS[optimizer](_PROBE_LR, weight_decay=wd)
    # the explorer's frame must not change when only the slider moves
    return decay_probe(opt, _PROBE_SIGMAS, steps=steps, rng=0)[:, 0]  # fixed draw: frame


def draw_probe(fig, data, optimizer, wd):
    r"""Draw (or update) the explorer's frame: the average weights of :func:`probe_curves`.

    The first call creates the artists (a dashed nominal decay
    :math:`(1 - 0.01\,\mathrm{wd})^t`, one line per noise scale, a label); later calls
    only set their data, as :class:`Explorer` expects.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        The explorer's figure (empty on the first call).
    data : ndarray of shape (steps + 1, 5)
        Output of :func:`probe_curves`.
    optimizer : str
        Name shown in the label.
    wd : float
        ``weight_decay`` (>= 0), for the nominal curve and the label.

    Returns
    -------
    list
        The artists changed.

    Examples
    --------
    >>> import matplotlib.pyplot as plt, lkcourse as lk
    >>> fig = plt.figure()
    >>> artists = lk.book.draw_probe(fig, lk.book.probe_curves("AdamW", 0.3, steps=5), "AdamW", 0.3)
    >>> len(artists), fig.axes[0].texts[0].get_text()
    (7, 'AdamW, weight_decay = 0.3')
    """
    import matplotlib.pyplot as plt

    owner = "draw_probe"
    if not hasattr(fig, "add_subplot"):
        fail("fig", owner, "a matplotlib Figure", fig)
    data = check_array(data, "data", owner, ndim=2)
    if data.shape[1] != len(_PROBE_SIGMAS):
        fail("data", owner, f"an array of shape (steps + 1, {len(_PROBE_SIGMAS)})",
             data)
    if not isinstance(optimizer, str):
        fail("optimizer", owner, "a string", optimizer)
    wd = check_real(wd, "wd", owner, low=0)
    ax = fig.axes[0] if fig.axes else fig.add_subplot()
    t = np.arange(len(data))
    if not ax.lines:                  # first frame: create the artists
        ax.plot(t, 0 * t, "k--", lw=1, label="nominal")
        for k, s_ in enumerate(_PROBE_SIGMAS):
            ax.plot(t, 0 * t, color=plt.cm.viridis(k / 4), label=f"σ = {s_:g}")
        ax.set(xlabel="step", ylabel="average weight", ylim=(0, 1.05),
               xlim=(0, max(t[-1], 1)))
        ax.legend(fontsize=9, loc="lower left")
        ax.text(0.98, 0.62, "", transform=ax.transAxes, ha="right",
                va="center", bbox={"fc": "white", "ec": "0.8"})
    ax.lines[0].set_ydata((1 - _PROBE_LR * wd) ** t)
    for k in range(len(_PROBE_SIGMAS)):
        ax.lines[k + 1].set_ydata(data[:, k])
    ax.texts[0].set_text(f"{optimizer}, weight_decay = {wd:g}")
    return list(ax.lines) + [ax.texts[0]]    # the changed artists

