"""Micro-benchmarks of four hot paths fixed in issue 15 (``run.py --only hotpaths``).

Each timing is the best of 7 repeats of a loop (``timeit``), per call. Run it against
another checkout to compare: ``PYTHONPATH=/path/to/old .venv/bin/python
benchmarks/hot_paths.py``. Not a test: the numbers depend on the machine.
"""
from __future__ import annotations

import timeit

import numpy as np


def best(stmt, number):
    return min(timeit.repeat(stmt, number=number, repeat=7)) / number


def bench_hot_paths():
    import lkcourse as lk
    from lkcourse.explorers import compute_penalty

    relu = lk.activation("leaky_relu", negative_slope=0.1)
    z = np.random.default_rng(0).standard_normal((32, 16))
    swish = lk.activation("swish", beta=2.0)
    rng = np.random.default_rng(0)
    X = rng.standard_normal((200, 50))
    y = X[:, :5].sum(axis=1) + rng.standard_normal(200)
    lams = np.geomspace(1.0, 1e-4, 50)
    rows = [
        ("activation call, leaky_relu.f on (32, 16)", lambda: relu.f(z), 20000),
        ("Swish(beta=2).bounds", lambda: swish.bounds, 2000),
        ("compute_penalty(1.5, 1.0) (3 x 401 points)", lambda: compute_penalty(1.5, 1.0),
         50),
        ("regularization_path, L2, 50 lams, X (200, 50)",
         lambda: lk.regularization_path(X, y, lk.L2, lams), 20),
        ("regularization_path, L1, 50 lams, X (200, 50)",
         lambda: lk.regularization_path(X, y, lk.L1, lams, tol=1e-6), 3),
    ]
    print(f"lkcourse from {lk.__file__}")
    for label, fn, number in rows:
        t = best(fn, number)
        print(f"  {label:<50s} {t * 1e6:12.1f} us")


if __name__ == "__main__":
    bench_hot_paths()
