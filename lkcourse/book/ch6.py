"""Chapter 6 (activation functions): the experiments whose results the chapter states.

Each function takes a seed and returns one draw's measurements; each
:class:`~lkcourse.Experiment` below is what the chapter runs on its block of draws and
what the claims ledger measures on hundreds (``make claims CHAPTERS=ch6``). The
single-draw helpers (:func:`depth_gradients`, :func:`selu_layer_stats`,
:func:`balance_run`, :func:`unit_strengths`) draw the chapter's figures.
"""
from __future__ import annotations

import functools

import numpy as np

from .. import datasets
from ..activations import ACTIVATIONS
from ..claims import Experiment
from ..nn import MLP
from ..optim import SGD, Adam
from ..penalties import L2
from ..training import evaluate, train
from .activation_table import gaussian_mean

__all__ = ["streams", "xor_accuracy", "XOR", "DEPTH_SIZES", "depth_gradients",
           "depth_summary", "DEPTH", "negative_everywhere", "dying_units", "DYING",
           "mean_field_q", "SELU_STARTS", "selu_layer_stats", "selu_summary", "SELU",
           "prelu_shrink", "PRELU", "balance_setup", "balance_run", "unit_strengths"]

DOC = "06_activations"


def streams(seed, k):
    """``k`` independent generators for one draw (data, initial weights, ...)."""
    return [np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(k)]


# ---- a network needs a non-linearity -----------------------------------------------

def xor_accuracy(seed):
    """Training accuracy on one draw of XOR data (200 points) of the same network
    ``2-16-16-1`` without (``identity``) and with ``tanh``, after 100 steps of
    full-batch Adam (learning rate 0.05) from the same initial draw."""
    r_data, r_init = streams(seed, 2)
    X, y = datasets.xor(200, rng=r_data)
    init_seed = int(r_init.integers(2**31))
    acc = {}
    for name in ["identity", "tanh"]:
        model = MLP([2, 16, 16, 1], name, rng=init_seed)
        train(model, X, y, optimizer=Adam(0.05), loss="bce", epochs=100)
        acc[name] = evaluate(model, X, y, loss="bce")["accuracy"]
    return acc


XOR = Experiment("ch6/xor", xor_accuracy, n=10, doc=DOC)
XOR.claim("ch6/xor-tanh-fits", lambda d: d["tanh"] == 1,
          says="with tanh the network fits XOR perfectly (100 % training accuracy)",
          section="sec-act-nonlinear")
XOR.claim("ch6/xor-linear-below-80", lambda d: d["identity"] < 0.8,
          says="without an activation the training accuracy stays below 80 %",
          section="sec-act-nonlinear")
XOR.claim("ch6/xor-linear-mean", lambda d: d["identity"], kind="mean", side="at_most",
          says="without an activation the training accuracy averages about 56 %",
          section="sec-act-nonlinear")


# ---- vanishing gradients through depth ---------------------------------------------

#: Input 16, twenty hidden layers of width 64, one output.
DEPTH_SIZES = [16] + [64] * 20 + [1]


def depth_gradients(seed):
    r"""``{name: ||dL/dW_l||_F for l = 1..21}`` at initialization, for sigmoid, tanh,
    ReLU and GELU networks of :data:`DEPTH_SIZES` (``lk.MLP``'s default
    initialization for each: Glorot, He for ReLU) and a GELU network with He's
    variance, on one batch of 128 standard normal inputs with standard normal
    targets (half mean squared error)."""
    r_data, r_init = streams(seed, 2)
    X, y = r_data.standard_normal((128, 16)), r_data.standard_normal(128)
    init_seed = int(r_init.integers(2**31))
    nets = {name: MLP(DEPTH_SIZES, name, rng=init_seed)
            for name in ["sigmoid", "tanh", "relu", "gelu"]}
    nets["gelu (He init)"] = MLP(DEPTH_SIZES, "gelu", init="he_normal", rng=init_seed)
    norms = {}
    for name, model in nets.items():
        _, grads = model.loss_and_grads(X, y, "mse")
        norms[name] = np.array([np.linalg.norm(grads[f"W{l}"])
                                for l in range(1, model.n_layers + 1)])
    return norms


def depth_summary(seed):
    """One draw of :func:`depth_gradients`, summarized: for the sigmoid, layer 1's
    gradient over layer 20's (log10) and the factor per layer; for the others the
    spread max/min over the 20 hidden layers; for GELU with Glorot's variance the
    smallest and largest gradient (log10)."""
    g = depth_gradients(seed)
    depth = len(DEPTH_SIZES) - 2
    ratio = g["sigmoid"][0] / g["sigmoid"][depth - 1]
    out = {"sigmoid: log10(layer 1 / layer 20)": np.log10(ratio),
           "sigmoid: factor per layer": ratio ** (1 / (depth - 1))}
    for name in ["tanh", "relu", "gelu (He init)", "gelu"]:
        hidden = g[name][:depth]
        out[f"{name}: max / min"] = hidden.max() / hidden.min()
    out["gelu: log10 smallest"] = np.log10(g["gelu"].min())
    out["gelu: log10 largest"] = np.log10(g["gelu"].max())
    return out


DEPTH = Experiment("ch6/depth", depth_summary, n=10, doc=DOC)
DEPTH.claim("ch6/sigmoid-gain", lambda d: d["sigmoid: log10(layer 1 / layer 20)"],
            kind="mean", side="at_most",
            says="through the sigmoid network, layer 1's gradient is about 10^-12.6 times "
                 "layer 20's (log10 averaged over draws)", section="sec-act-depth")
DEPTH.claim("ch6/sigmoid-vanishes", lambda d: d["sigmoid: log10(layer 1 / layer 20)"] < -10,
            says="through the sigmoid network, layer 1's gradient is less than 10^-10 "
                 "times layer 20's", section="sec-act-depth")
DEPTH.claim("ch6/sigmoid-factor-below-quarter",
            lambda d: d["sigmoid: factor per layer"] < 0.25,
            says="the sigmoid's factor per layer is below the typical ceiling 1/4",
            section="sec-act-depth")
DEPTH.claim("ch6/relu-within-20", lambda d: d["relu: max / min"] < 20,
            says="ReLU keeps every hidden layer's gradient within a factor 20 of the others",
            section="sec-act-depth")
DEPTH.claim("ch6/relu-within-50", lambda d: d["relu: max / min"] < 50,
            says="ReLU keeps every hidden layer's gradient within a factor 50 of the others",
            section="sec-act-depth")
DEPTH.claim("ch6/tanh-within-5", lambda d: d["tanh: max / min"] < 5,
            says="tanh keeps every hidden layer's gradient within a factor 5 of the others",
            section="sec-act-depth")
DEPTH.claim("ch6/gelu-he-within-20", lambda d: d["gelu (He init): max / min"] < 20,
            says="GELU with He's variance keeps every hidden layer's gradient within a "
                 "factor 20 of the others", section="sec-act-depth")
DEPTH.claim("ch6/gelu-glorot-tiny",
            lambda d: (d["gelu: log10 smallest"] > -7) & (d["gelu: log10 largest"] < -5),
            says="GELU with Glorot's variance has every layer's gradient between 10^-7 and "
                 "10^-5", section="sec-act-depth")


# ---- dying ReLU ----------------------------------------------------------------------

def negative_everywhere(model, X):
    """Per hidden layer, per unit: is its pre-activation <= 0 on every row of X?
    A list of boolean arrays, one per hidden layer."""
    return [np.all(Z <= 0, axis=0) for Z in model.forward_trace(X).pre[:-1]]


def dying_units(seed):
    """Hidden units negative on every training input, before, during and after
    training a ``2-32-32-32-1`` network on 200 moons points (Adam, learning rate
    0.05, 30 epochs of mini-batches of 50) with ReLU, leaky ReLU and ELU.

    For ReLU it also counts, per layer, the units that were negative everywhere after
    one of the epochs 10 to 20 and are no longer at the end ("revived")."""
    r_data, r_init, r_train = streams(seed, 3)
    X, y = datasets.moons(200, noise=0.15, rng=r_data)
    init_seed, train_seed = int(r_init.integers(2**31)), int(r_train.integers(2**31))
    out = {}
    for name in ["relu", "leaky_relu", "elu"]:
        model = MLP([2, 32, 32, 32, 1], name, rng=init_seed)
        out[f"{name}: negative at init"] = np.concatenate(
            negative_everywhere(model, X)).mean()
        dead_mid = [np.zeros(32, bool) for _ in range(3)]   # dead after epoch 10..20

        def record(epoch, m, history):
            if 10 <= epoch <= 20:
                for layer, neg in zip(dead_mid, negative_everywhere(m, X)):
                    layer |= neg

        hist = train(model, X, y, optimizer=Adam(0.05), loss="bce", epochs=30,
                     batch_size=50, rng=train_seed,
                     callback=record if name == "relu" else None)
        neg_layers = negative_everywhere(model, X)
        neg = np.concatenate(neg_layers)
        _, g = model.loss_and_grads(X, y, "bce")
        zero = np.concatenate([np.all(g[f"W{l}"] == 0, axis=0) & (g[f"b{l}"] == 0)
                               for l in (1, 2, 3)])
        out[f"{name}: negative after training"] = neg.mean()
        out[f"{name}: all negative units have zero gradient"] = bool(np.all(zero[neg]))
        out[f"{name}: no negative unit has zero gradient"] = not np.any(zero[neg])
        out[f"{name}: train accuracy"] = hist.train_acc[-1]
        if name == "relu":
            revived = [np.sum(d & ~n) for d, n in zip(dead_mid, neg_layers)]
            out["relu: layer 1 dead in epochs 10-20"] = dead_mid[0].sum()
            out["relu: layer 1 revived by epoch 30"] = revived[0]
            out["relu: layers 2-3 dead in epochs 10-20"] = dead_mid[1].sum() + dead_mid[2].sum()
            out["relu: layers 2-3 revived by epoch 30"] = revived[1] + revived[2]
    return out


DYING = Experiment("ch6/dying", dying_units, n=10, doc=DOC)
DYING.claim("ch6/relu-dead-at-init", lambda d: d["relu: negative at init"] > 0,
            says="some ReLU units are negative on every input already at initialization",
            section="sec-act-dying")
DYING.claim("ch6/relu-dead-after", lambda d: d["relu: negative after training"],
            kind="mean", side="at_least",
            says="about a quarter of the ReLU units are negative on every input after "
                 "training", section="sec-act-dying")
DYING.claim("ch6/dead-relu-zero-gradient",
            lambda d: d["relu: all negative units have zero gradient"] == 1,
            says="every ReLU unit that is negative on every input has an exactly zero "
                 "gradient", section="sec-act-dying")
DYING.claim("ch6/first-layer-dead-for-good",
            lambda d: d["relu: layer 1 revived by epoch 30"] == 0,
            says="a first-layer ReLU unit that is dead after one of the epochs 10-20 is "
                 "still dead at the end", section="sec-act-dying")
DYING.claim("ch6/deeper-units-revive",
            lambda d: d["relu: layers 2-3 revived by epoch 30"] > 0,
            says="some units of layers 2-3 that were dead after one of the epochs 10-20 "
                 "are alive again at the end", section="sec-act-dying")
DYING.claim("ch6/leaky-fewer",
            lambda d: d["leaky_relu: negative after training"]
            < d["relu: negative after training"],
            says="leaky ReLU ends with fewer units negative on every input than ReLU",
            section="sec-act-dying")
DYING.claim("ch6/leaky-dead-after", lambda d: d["leaky_relu: negative after training"],
            kind="mean", side="at_least",
            says="about one leaky ReLU unit in six is negative on every input after "
                 "training", section="sec-act-dying")
DYING.claim("ch6/leaky-still-negative",
            lambda d: d["leaky_relu: negative after training"] > 0.05,
            says="with leaky ReLU more than 5 % of the units end negative on every input",
            section="sec-act-dying")
DYING.claim("ch6/leaky-elu-keep-gradient",
            lambda d: (d["leaky_relu: no negative unit has zero gradient"] == 1)
            & (d["elu: no negative unit has zero gradient"] == 1),
            says="no leaky ReLU or ELU unit has a zero gradient", section="sec-act-dying")
DYING.claim("ch6/elu-fewest",
            lambda d: d["elu: negative after training"]
            < d["leaky_relu: negative after training"],
            says="ELU ends with fewer units negative on every input than leaky ReLU",
            section="sec-act-dying")
DYING.claim("ch6/elu-few", lambda d: d["elu: negative after training"] <= 0.05,
            says="with ELU at most 5 % of the units end negative on every input",
            section="sec-act-dying")
DYING.claim("ch6/all-fit",
            lambda d: np.minimum(np.minimum(d["relu: train accuracy"],
                                            d["leaky_relu: train accuracy"]),
                                 d["elu: train accuracy"]) >= 0.95,
            says="all three networks reach at least 95 % training accuracy",
            section="sec-act-dying")


# ---- SELU's fixed point (and tanh's decay) -----------------------------------------

@functools.lru_cache(maxsize=None)
def mean_field_q(name, q0, layers):
    r"""The mean-field second moments :math:`q_0, \dots, q_{\text{layers}}` of
    :math:`q_{l+1} = \mathbb E\,\phi(\sqrt{q_l} Z)^2` (weight variance
    :math:`1/n_{\text{in}}`, biases 0) for activation ``name``."""
    phi = ACTIVATIONS[name]
    q = [float(q0)]
    for _ in range(layers):
        q.append(gaussian_mean(lambda z: phi.f(z) ** 2, np.sqrt(q[-1])))
    q = np.array(q)
    q.flags.writeable = False          # cached: shared by every caller
    return q


#: The three input distributions (mean, standard deviation) of the SELU section.
SELU_STARTS = {"mean 0, var 1": (0.0, 1.0), "mean 1, var 4": (1.0, 2.0),
               "mean -0.5, var 0.09": (-0.5, 0.3)}


def selu_layer_stats(seed, width=256, activation="selu", starts=None):
    """Array ``(start, layer 0..20, [mean, variance, second moment])`` of the units of
    one network of 20 layers of ``width`` (``lk.MLP``'s initialization: LeCun for
    SELU, Glorot for tanh, both variance ``1/width``), the activation applied after
    all 20 layers, for a batch of 128 inputs from each start: ``(mean, sd)`` pairs,
    by default the values of :data:`SELU_STARTS`."""
    starts = list(SELU_STARTS.values()) if starts is None else list(starts)
    r_init, r_data = streams(seed, 2)
    net = MLP([width] * 21, activation, rng=int(r_init.integers(2**31)))
    phi = ACTIVATIONS[activation]
    stats = np.empty((len(starts), 21, 3))
    for k, (mu, sd) in enumerate(starts):
        X = mu + sd * r_data.standard_normal((128, width))
        trace = net.forward_trace(X)
        layers = [X, *trace.post[:-1], phi.f(trace.pre[-1])]
        stats[k] = [(H.mean(), H.var(), np.mean(H ** 2)) for H in layers]
    return stats


def selu_summary(seed):
    """One draw of a SELU network of width 256 and one of width 64 (and a tanh
    network of width 256 from the centred start), summarized against the mean-field
    prediction."""
    q_selu = np.array([mean_field_q("selu", mu ** 2 + sd ** 2, 20)
                       for mu, sd in SELU_STARTS.values()])
    q_tanh = mean_field_q("tanh", 1.0, 20)
    s_wide, s_narrow = streams(seed, 2)
    out = {}
    for label, s, width in [("256", s_wide, 256), ("64", s_narrow, 64)]:
        st = selu_layer_stats(int(s.integers(2**31)), width)
        out[f"width {label}: centred start, max |mean|, layers 5-20"] = np.abs(
            st[0, 5:, 0]).max()
        out[f"width {label}: shifted starts, max |mean|, layers 5-20"] = np.abs(
            st[1:, 5:, 0]).max()
        out[f"width {label}: max |variance - 1|, layers 15-20"] = np.abs(
            st[:, 15:, 1] - 1).max()
        out[f"width {label}: max |E h^2 / q - 1|, layers 1-20"] = np.max(np.abs(
            st[:, 1:, 2] / q_selu[:, 1:] - 1))
    st_tanh = selu_layer_stats(int(s_wide.integers(2**31)), 256, "tanh", [(0.0, 1.0)])
    out["tanh: max |E h^2 / q - 1|, layers 1-20"] = np.max(np.abs(
        st_tanh[0, 1:, 2] / q_tanh[1:] - 1))
    return out


SELU = Experiment("ch6/selu", selu_summary, n=10, doc=DOC)
SELU.claim("ch6/selu-mean-field", lambda d: d["width 256: max |E h^2 / q - 1|, layers 1-20"],
           kind="mean", side="at_most",
           says="at width 256 the second moment follows the mean-field prediction: its "
                "largest relative deviation over 20 layers and 3 starts is about 15 %",
           section="sec-act-selu")
SELU.claim("ch6/selu-mean-field-35",
           lambda d: d["width 256: max |E h^2 / q - 1|, layers 1-20"] < 0.35,
           says="at width 256 the second moment stays within 35 % of the mean-field "
                "prediction at every layer", section="sec-act-selu")
SELU.claim("ch6/selu-variance", lambda d: d["width 256: max |variance - 1|, layers 15-20"] < 0.25,
           says="at width 256 the variance is within 0.25 of 1 from layer 15 on, from all "
                "three starts", section="sec-act-selu")
SELU.claim("ch6/selu-centred-mean",
           lambda d: d["width 256: centred start, max |mean|, layers 5-20"] < 0.04,
           says="from the centred start the layer mean stays within 0.04 of 0 from layer 5 "
                "on (width 256)", section="sec-act-selu")
SELU.claim("ch6/selu-shifted-mean",
           lambda d: d["width 256: shifted starts, max |mean|, layers 5-20"],
           kind="mean", side="at_least",
           says="from the shifted starts the layer mean wanders, by about 0.1 (width 256)",
           section="sec-act-selu")
SELU.claim("ch6/selu-narrow-wanders-more",
           lambda d: d["width 64: shifted starts, max |mean|, layers 5-20"]
           > d["width 256: shifted starts, max |mean|, layers 5-20"],
           says="from the shifted starts the mean wanders more at width 64 than at 256",
           section="sec-act-selu")
SELU.claim("ch6/tanh-mean-field",
           lambda d: d["tanh: max |E h^2 / q - 1|, layers 1-20"] < 0.25,
           says="a tanh network of width 256 follows the mean-field decay of q within 25 % "
                "at every layer", section="sec-act-selu")


# ---- PReLU's slope under weight decay ----------------------------------------------

def prelu_shrink(seed, lam=0.1, n=200):
    r"""The factor :math:`a^*(\lambda)/a^*(0) = \overline{m^2}/(\overline{m^2} +
    2\lambda)`, :math:`m_i = \min(x_i, 0)`, for ``n`` standard normal inputs."""
    m = np.minimum(np.random.default_rng(seed).standard_normal(n), 0)
    return {"a*(0.1) / a*(0)": np.mean(m ** 2) / (np.mean(m ** 2) + 2 * lam)}


PRELU = Experiment("ch6/prelu-shrink", prelu_shrink, n=20, doc=DOC)
PRELU.claim("ch6/prelu-shrink", lambda d: d["a*(0.1) / a*(0)"], kind="mean",
            side="at_most",
            says="lambda = 0.1 shrinks PReLU's fitted slope by a factor of about 0.71",
            section="sec-act-prelu")


# ---- ReLU balance (single draws) ---------------------------------------------------

def balance_setup(seed):
    """The data (300 moons points) and the ``2-32-1`` ReLU network (He
    initialization) of :func:`balance_run`: ``(X, y, model)``."""
    r_data, r_init = streams(seed, 2)
    X, y = datasets.moons(300, noise=0.15, rng=r_data)
    return X, y, MLP([2, 32, 1], "relu", rng=int(r_init.integers(2**31)))


def balance_run(seed, *, lam=0.01, lr=0.1, steps=1000):
    r"""Train the network of :func:`balance_setup` on its data by full-batch gradient
    descent, once without a penalty and once with ``L2(lam)``, from the same initial
    weights; record the layer imbalance
    :math:`D = \lVert W_1\rVert_F^2 + \lVert b_1\rVert^2 - \lVert W_2\rVert_F^2`
    and :math:`\lVert b_1\rVert^2` after every step.

    Returns a dict: ``"A"``, ``"B"`` (initial squared norms of ``W1``, ``W2``),
    ``"net"`` (the initial model), ``"X"``, ``"y"``, and per ``lam`` in
    ``(0.0, lam)``: ``"D"`` (steps + 1 values, starting at ``A - B``), ``"bsq"``,
    ``"w"``, ``"v"`` (per-unit incoming and outgoing norms at the end)."""
    X, y, net = balance_setup(seed)
    A, B = float(np.sum(net.params["W1"] ** 2)), float(np.sum(net.params["W2"] ** 2))
    out = {"A": A, "B": B, "net": net, "X": X, "y": y}
    for penalty_lam in (0.0, lam):
        model, D, bsq = net.copy(), [A - B], [0.0]

        def record(epoch, m, history):
            bsq.append(float(np.sum(m.params["b1"] ** 2)))
            D.append(float(np.sum(m.params["W1"] ** 2)) + bsq[-1]
                     - float(np.sum(m.params["W2"] ** 2)))

        train(model, X, y, optimizer=SGD(lr), loss="bce", epochs=steps,
              penalty=L2(penalty_lam) if penalty_lam else None, callback=record)
        out[penalty_lam] = {"D": np.array(D), "bsq": np.array(bsq),
                            "w": np.linalg.norm(model.params["W1"], axis=0),
                            "v": np.abs(model.params["W2"][:, 0])}
    return out


def unit_strengths(seed, lams=(0.0, 0.01, 0.03), *, lr=0.01, epochs=1000):
    r"""Train one ``2-32-1`` ReLU network per L2 strength in ``lams`` (same data, 200
    moons points, same initial weights) with full-batch Adam; return
    ``{lam: (strength, n_zero)}`` with ``strength[j] = ||w_j|| |v_j|`` per hidden
    unit (sorted, largest first) and ``n_zero`` the number of weights that are
    exactly 0."""
    r_data, r_init = streams(seed, 2)
    X, y = datasets.moons(200, noise=0.15, rng=r_data)
    base = MLP([2, 32, 1], "relu", rng=int(r_init.integers(2**31)))
    models = [base.copy() for _ in lams]
    train(models, X, y, optimizer=Adam(lr), loss="bce", epochs=epochs,
          penalty=[L2(lam) if lam else None for lam in lams])
    out = {}
    for lam, m in zip(lams, models):
        s = np.linalg.norm(m.params["W1"], axis=0) * np.abs(m.params["W2"][:, 0])
        n_zero = int(np.sum(m.params["W1"] == 0) + np.sum(m.params["W2"] == 0))
        out[lam] = (np.sort(s)[::-1], n_zero)
    return out
