"""Benchmarks for the course: `make bench` (or `.venv/bin/python benchmarks/run.py`).

Five parts, all run by default; pick some with ``--only``:

training   lkcourse's MLP + Adam vs scikit-learn's MLPClassifier, same architecture,
           activation, L2 strength (mapped between conventions), optimizer settings,
           batch size, epochs and data, timed in this one process. About a minute.
notebooks  executes every book/*.ipynb with nbclient (in memory; nothing is written)
           and times each. A few minutes.
build      a clean `jupyter-book build . --all` into a temporary directory, timed.
           A few minutes.
hotpaths   micro-benchmarks of the hot paths fixed in issue 15 (hot_paths.py). Seconds.
stacked    K = 20 networks of chapter 7 trained as one stack with lk.train, beside
           PyTorch CPU float64 batched (if installed) and 20 sequential lk.train calls
           (stacked.py). About a minute.

Nothing here is a test: the figures depend on the machine. Record them in
benchmarks/README.md with the machine description printed first.
"""
from __future__ import annotations

import argparse
import glob
import os
import platform
import subprocess
import sys
import tempfile
import time
import warnings

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PARTS = ("training", "stacked", "notebooks", "build", "hotpaths")


def machine():
    cpu = "unknown"
    try:
        with open("/proc/cpuinfo") as fh:
            for line in fh:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    import sklearn
    return (f"machine: {os.cpu_count()} CPUs ({cpu}), {platform.system()}; "
            f"python {platform.python_version()}, numpy {np.__version__}, "
            f"scikit-learn {sklearn.__version__}")


def bench_training(seeds, repeats, epochs, batch_size, alpha, lr, n, n_test):
    """Time lkcourse vs scikit-learn on the same moons splits, several seeds."""
    import lkcourse as lk
    from sklearn.neural_network import MLPClassifier

    # scikit-learn adds 0.5 * alpha * sum ||W||^2 / n_batch to each batch's mean loss
    # (gradient alpha * W / n_batch); lk.L2(lam) adds lam * sum ||W||^2 (gradient
    # 2 lam W). Equal when lam = alpha / (2 * n_batch); n - n_test is a multiple of
    # batch_size, so every batch has n_batch = batch_size.
    lam = alpha / (2 * batch_size)
    assert (n - n_test) % batch_size == 0

    def run_lk(Xtr, ytr, seed):
        model = lk.MLP([2, 64, 64, 1], "relu", rng=seed)
        lk.train(model, Xtr, ytr, optimizer=lk.Adam(lr), loss="bce",
                 penalty=lk.L2(lam), epochs=epochs, batch_size=batch_size, rng=seed)
        return model.predict_class

    def run_sk(Xtr, ytr, seed):
        clf = MLPClassifier(hidden_layer_sizes=(64, 64), activation="relu",
                            solver="adam", alpha=alpha, batch_size=batch_size,
                            learning_rate_init=lr, beta_1=0.9, beta_2=0.999,
                            epsilon=1e-8, max_iter=epochs, shuffle=True, tol=0.0,
                            n_iter_no_change=epochs + 1, early_stopping=False,
                            random_state=seed)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")      # ConvergenceWarning at max_iter
            clf.fit(Xtr, ytr)
        return clf.predict

    times = {"lkcourse": [], "scikit-learn": []}
    acc = {k: {"train": [], "test": []} for k in times}
    runners = {"lkcourse": run_lk, "scikit-learn": run_sk}
    run_lk(*lk.datasets.moons(64, rng=0), 0)           # warm-up (imports, caches)
    for seed in range(seeds):
        X, y = lk.datasets.moons(n, noise=0.2, rng=seed)
        Xtr, Xte, ytr, yte = lk.datasets.train_test_split(X, y, test_size=n_test,
                                                          rng=seed)
        best, predictors = {name: np.inf for name in runners}, {}
        for rep in range(repeats):             # interleaved; keep each one's best time
            order = list(runners) if rep % 2 == 0 else list(runners)[::-1]
            for name in order:
                t0 = time.perf_counter()
                predictors[name] = runners[name](Xtr, ytr, seed)
                best[name] = min(best[name], time.perf_counter() - t0)
        for name, predict in predictors.items():   # runs are deterministic per seed
            times[name].append(best[name])
            acc[name]["train"].append(np.mean(predict(Xtr) == ytr))
            acc[name]["test"].append(np.mean(predict(Xte) == yte))

    print(f"\n== training: moons (noise 0.2), {n - n_test} train / {n_test} test, "
          f"MLP 2-64-64-1 relu, Adam lr={lr} (betas 0.9/0.999, eps 1e-8), "
          f"batch {batch_size}, {epochs} epochs, L2 alpha={alpha} "
          f"(lk.L2(lam={lam:.3g})), {seeds} seeds, best of {repeats} runs each")
    for name in times:
        t = np.array(times[name])
        print(f"{name:>13}: {t.sum():6.2f} s for {seeds} fits ({t.mean():.2f} s per "
              f"fit)  train acc {np.mean(acc[name]['train']):.4f}  "
              f"test acc {np.mean(acc[name]['test']):.4f}")
    ratio = sum(times["lkcourse"]) / sum(times["scikit-learn"])
    print(f"ratio lkcourse / scikit-learn (total time): {ratio:.2f}")
    return ratio


def bench_notebooks():
    import nbformat
    from nbclient import NotebookClient

    print("\n== notebooks: execution time with nbclient (kernel python3)")
    total = 0.0
    for path in sorted(glob.glob(os.path.join(ROOT, "book", "*.ipynb"))):
        nb = nbformat.read(path, as_version=4)
        client = NotebookClient(nb, timeout=600, kernel_name="python3",
                                resources={"metadata": {"path": os.path.dirname(path)}})
        t0 = time.perf_counter()
        try:
            client.execute()
            status = "ok"
        except Exception as err:           # report and go on with the next notebook
            status = f"FAILED ({type(err).__name__})"
        dt = time.perf_counter() - t0
        total += dt
        print(f"{os.path.basename(path):>28}: {dt:6.1f} s  {status}")
    print(f"{'total':>28}: {total:6.1f} s")


def bench_build():
    env = dict(os.environ)
    env.pop("MPLBACKEND", None)            # figures must not vanish from the book
    jb = os.path.join(os.path.dirname(sys.executable), "jupyter-book")
    with tempfile.TemporaryDirectory() as out:
        t0 = time.perf_counter()
        proc = subprocess.run([jb, "build", ".", "--all", "--path-output", out],
                              cwd=ROOT, env=env, capture_output=True, text=True)
        dt = time.perf_counter() - t0
    status = "ok" if proc.returncode == 0 else f"FAILED (exit {proc.returncode})"
    print(f"\n== build: clean `jupyter-book build . --all` into a temp dir: "
          f"{dt:.1f} s  {status}")
    if proc.returncode != 0:
        print(proc.stdout[-2000:], proc.stderr[-2000:], sep="\n")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="+", choices=PARTS, default=list(PARTS),
                        help="parts to run (default: all)")
    parser.add_argument("--seeds", type=int, default=5,
                        help="data/initialisation seeds (accuracies are averaged)")
    parser.add_argument("--repeats", type=int, default=3,
                        help="timed runs per seed and library (the best is kept)")
    parser.add_argument("--epochs", type=int, default=50)
    parser.add_argument("--batch-size", type=int, default=64)
    args = parser.parse_args(argv)
    print(machine())
    if "training" in args.only:
        bench_training(args.seeds, args.repeats, args.epochs, args.batch_size,
                       alpha=1e-3, lr=3e-3, n=2560, n_test=512)
    if "stacked" in args.only:
        sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
        from stacked import bench_stacked
        bench_stacked(repeats=args.repeats)
    if "notebooks" in args.only:
        bench_notebooks()
    if "build" in args.only:
        bench_build()
    if "hotpaths" in args.only:
        sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
        from hot_paths import bench_hot_paths
        bench_hot_paths()


if __name__ == "__main__":
    main()
