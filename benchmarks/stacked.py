"""K = 20 stacked networks with the one engine, beside PyTorch and 20 sequential runs.

``run.py --only stacked`` (part of ``make bench``). The workload is chapter 7's: 20
networks ``lk.MLP([2, 32, 32, 1], "relu")``, full-batch Adam (lr 0.01), binary
cross-entropy on the 40 training points of ``lk.datasets.moons(40, noise=0.25)``, 300
epochs; networks 0-4 carry ``lk.L2(lam)``, 5-9 ``lk.L1(lam)``, 10-14 ``lk.L2(lam)`` with
dropout 0.5, 15-19 no penalty (15, 16 without dropout, 17-19 with dropout 0.5), lam in
(3e-4, 1e-3, 3e-3, 1e-2, 3e-2). Three ways, interleaved in one process, best of
``repeats`` each:

- ``lk.train`` on the stack of 20 (one call; it also records the History: losses,
  accuracies, penalties, weight norms per epoch and network);
- PyTorch CPU, float64, one thread: the same 20 networks batched with ``torch.baddbmm``
  (same initial weights, per-network penalty coefficients and dropout masks),
  ``torch.optim.Adam``, autograd, recording each network's loss per epoch;
- 20 sequential ``lk.train`` calls, one per network.

Times are CPU times of this process (``time.process_time``), which other jobs on the
machine disturb less than wall time; the wall times are printed too. Without torch the
PyTorch row is skipped with a message. As a check that the three do the same thing, the
script prints the largest parameter difference, over the networks without dropout (their
masks differ between the three), between the stack and the sequential runs, and between
the stack and PyTorch.
"""
from __future__ import annotations

import time

import numpy as np

LAMS = (3e-4, 1e-3, 3e-3, 1e-2, 3e-2)


def _specs():
    import lkcourse as lk
    return ([(lk.L2(lam), 0.0) for lam in LAMS] + [(lk.L1(lam), 0.0) for lam in LAMS]
            + [(lk.L2(lam), 0.5) for lam in LAMS]
            + [(None, p) for p in (0.0, 0.0, 0.5, 0.5, 0.5)])


def _nets(specs):
    import lkcourse as lk
    return [lk.MLP([2, 32, 32, 1], "relu", dropout=p, rng=k) for k, (_, p) in enumerate(specs)]


def run_stack(X, y, specs, epochs):
    import lkcourse as lk
    nets = _nets(specs)
    lk.train(nets, X, y, optimizer=lk.Adam(0.01), loss="bce", epochs=epochs,
             penalty=[s[0] for s in specs], rng=0)
    return nets


def run_sequential(X, y, specs, epochs):
    import lkcourse as lk
    nets = _nets(specs)
    for k, (net, (penalty, _)) in enumerate(zip(nets, specs)):
        lk.train(net, X, y, optimizer=lk.Adam(0.01), loss="bce", epochs=epochs,
                 penalty=penalty, rng=k)
    return nets


def run_torch(X, y, specs, epochs):
    import lkcourse as lk
    import torch
    nets = _nets(specs)
    K = len(nets)
    params = [torch.tensor(np.stack([m.params[name] for m in nets]), requires_grad=True)
              for name in nets[0].params]
    Ws, bs = params[0::2], params[1::2]
    l2 = torch.tensor([p.lam if type(p) is lk.L2 else 0.0 for p, _ in specs],
                      dtype=torch.float64)[:, None, None]
    l1 = torch.tensor([p.lam if type(p) is lk.L1 else 0.0 for p, _ in specs],
                      dtype=torch.float64)[:, None, None]
    drop = torch.tensor([k for k, (_, p) in enumerate(specs) if p > 0])
    keep = torch.tensor([1 - p for _, p in specs if p > 0], dtype=torch.float64)[:, None, None]
    gen = torch.Generator().manual_seed(0)
    Xt = torch.tensor(X).expand(K, -1, -1)
    yt = torch.tensor(y, dtype=torch.float64).expand(K, -1)
    opt = torch.optim.Adam(params, lr=0.01)
    losses = []
    for _ in range(epochs):
        opt.zero_grad()
        H = Xt
        for i, (W, b) in enumerate(zip(Ws, bs)):
            Z = torch.baddbmm(b[:, None, :], H, W)
            if i < len(Ws) - 1:
                H = torch.relu(Z)
                u = torch.rand((len(drop),) + tuple(H.shape[1:]), generator=gen,
                               dtype=torch.float64)
                scale = torch.ones_like(H)
                scale[drop] = (u < keep) / keep
                H = H * scale
        per_net = torch.nn.functional.binary_cross_entropy_with_logits(
            Z[..., 0], yt, reduction="none").mean(dim=1)
        loss = per_net.sum() + sum((l2 * W * W).sum() + (l1 * W.abs()).sum() for W in Ws)
        loss.backward()
        opt.step()
        losses.append(per_net.detach())
    return [{name: p[k].detach().numpy() for name, p in zip(nets[0].params, params)}
            for k in range(K)]


def _gap(a, b, which):
    return max(float(np.max(np.abs(a[k][name] - b[k][name])))
               for k in which for name in a[k])


def bench_stacked(repeats=3, epochs=300):
    import lkcourse as lk
    try:
        import torch
        torch.set_num_threads(1)
        torch_version = torch.__version__
    except ImportError:
        torch = None
    X, y = lk.datasets.moons(40, noise=0.25, rng=0)
    specs = _specs()
    runners = {"lk.train, stack of 20": run_stack,
               "20 sequential lk.train": run_sequential}
    if torch is not None:
        runners["PyTorch CPU float64, batched"] = run_torch
    cpu = {name: [] for name in runners}
    wall = {name: [] for name in runners}
    results = {}
    for name, fn in runners.items():          # warm-up (imports, caches)
        fn(X, y, specs, 5)
    for rep in range(repeats):                # interleaved; keep each one's best
        order = list(runners) if rep % 2 == 0 else list(runners)[::-1]
        for name in order:
            t0, c0 = time.perf_counter(), time.process_time()
            results[name] = runners[name](X, y, specs, epochs)
            cpu[name].append(time.process_time() - c0)
            wall[name].append(time.perf_counter() - t0)
    print(f"\n== stacked: K = {len(specs)} networks MLP 2-32-32-1 relu, moons(40, noise "
          f"0.25), full-batch Adam lr 0.01, {epochs} epochs, L2/L1/dropout 0.5 mixed; "
          f"best of {repeats}, interleaved")
    if torch is None:
        print("PyTorch is not installed: its row is skipped (pip install torch==2.13.0 "
              "to compare; the book never needs it)")
    else:
        print(f"PyTorch {torch_version}, 1 thread")
    for name in runners:
        print(f"{name:>30}: CPU {min(cpu[name]):6.3f} s  (wall {min(wall[name]):6.3f} s)")
    stack = min(cpu["lk.train, stack of 20"])
    seq = min(cpu["20 sequential lk.train"])
    print(f"sequential / stack: {seq / stack:.2f}x (the stack is that many times faster)")
    plain = [k for k, (_, p) in enumerate(specs) if p == 0]
    as_dicts = {name: [getattr(n, "params", n) for n in nets] for name, nets in results.items()}
    print("largest parameter gap, networks without dropout: stack vs sequential "
          f"{_gap(as_dicts['lk.train, stack of 20'], as_dicts['20 sequential lk.train'], plain):.1e}",
          end="")
    if torch is not None:
        ratio = stack / min(cpu["PyTorch CPU float64, batched"])
        print(", stack vs PyTorch "
              f"{_gap(as_dicts['lk.train, stack of 20'], as_dicts['PyTorch CPU float64, batched'], plain):.1e}")
        print(f"stack / PyTorch: {ratio:.2f}x PyTorch's time")
    else:
        print()
    return cpu


if __name__ == "__main__":
    bench_stacked()
