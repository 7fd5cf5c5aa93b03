"""Regenerate the PyTorch reference rows of the activation tests.

``tests/test_activations.py`` compares every activation of ``lk.ACTIVATIONS`` (values,
derivatives, and PReLU's weight gradient) with PyTorch at the points ``Z`` below, read
from ``tests/data/torch_activations.json``. This script writes that file:

    .venv/bin/python tools/torch_reference.py            # writes the JSON
    .venv/bin/python tools/torch_reference.py --check    # compares, writes nothing

PyTorch is installed on demand (``pip install torch==2.13.0`` into the running
environment) if it is missing; it is never a dependency of the book or the package.
Everything is computed in float64 on the CPU: the value ``y = f(x)``, the derivative from
``torch.autograd.grad(y.sum(), x)`` (the value autograd returns at a kink), and for
PReLU the gradient with respect to its weight, one input at a time. A ``null`` marks an
entry where PyTorch itself returns NaN although the true value is finite (its
``gelu(approximate="tanh")`` backward squares x = 1e300); the stability tests check those
points instead.

**Adding an activation**: add one line to ``ROWS`` (its registry name, parameters, and
the PyTorch expression of the same function of a tensor ``x``, with ``p`` the
parameters) and run the script. An activation PyTorch does not have goes in
``tests/test_activations.py::NO_TORCH`` with the reason (the high-precision ``MP``
oracle still checks it).
"""
from __future__ import annotations

import argparse
import importlib
import json
import math
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "tests" / "data" / "torch_activations.json"
TORCH_VERSION = "2.13.0"

Z = [-1e300, -1e4, -50.0, -6.0, -1.5, -0.5, -1e-300, -0.0, 0.0, 1e-300, 0.5, 1.5, 5.0,
     5.000000000000001, 6.0, 20.0, 20.000000000000004, 50.0, 1e4, 1e300]

# name, parameters, PyTorch expression of f(x) (F = torch.nn.functional, p = parameters)
ROWS = [
    ("identity", {}, "x * 1"),
    ("sigmoid", {}, "torch.sigmoid(x)"),
    ("tanh", {}, "torch.tanh(x)"),
    ("relu", {}, "F.relu(x)"),
    ("leaky_relu", {}, "F.leaky_relu(x)"),
    ("leaky_relu", {"negative_slope": 0.2}, "F.leaky_relu(x, p['negative_slope'])"),
    ("prelu", {}, "PRELU"),
    ("prelu", {"a": -0.5}, "PRELU"),
    ("elu", {}, "F.elu(x)"),
    ("elu", {"alpha": 2.0}, "F.elu(x, p['alpha'])"),
    ("selu", {}, "F.selu(x)"),
    ("softplus", {}, "F.softplus(x)"),
    ("softplus", {"beta": 2.0, "threshold": 10.0},
     "F.softplus(x, beta=p['beta'], threshold=p['threshold'])"),
    ("gelu", {}, "F.gelu(x)"),
    ("gelu_tanh", {}, "F.gelu(x, approximate='tanh')"),
    ("silu", {}, "F.silu(x)"),
    ("swish", {}, "x * torch.sigmoid(x)"),
    ("swish", {"beta": 2.0}, "x * torch.sigmoid(p['beta'] * x)"),
    ("mish", {}, "F.mish(x)"),
]


def _torch():
    """Import torch, installing the pinned CPU wheel first if it is missing."""
    try:
        return importlib.import_module("torch")
    except ImportError:
        print(f"torch is not installed: pip install torch=={TORCH_VERSION} (once; the "
              "book never needs it)")
        subprocess.run([sys.executable, "-m", "pip", "install", f"torch=={TORCH_VERSION}"],
                       check=True)
        importlib.invalidate_caches()
        return importlib.import_module("torch")


def _clean(values):
    """Floats for JSON; None where torch gives NaN (see the module docstring)."""
    return [None if math.isnan(v) else v for v in values]


def row(torch, name, params, expr):
    F = torch.nn.functional
    out = {"name": name, "params": params}
    x = torch.tensor(Z, dtype=torch.float64, requires_grad=True)
    if expr == "PRELU":
        weight = torch.tensor([params.get("a", 0.25)], dtype=torch.float64,
                              requires_grad=True)
        y = F.prelu(x, weight)
        (dx,) = torch.autograd.grad(y.sum(), x)
        da = []
        for z in Z:   # the weight gradient of each input on its own
            xi = torch.tensor([z], dtype=torch.float64)
            wi = torch.tensor([params.get("a", 0.25)], dtype=torch.float64,
                              requires_grad=True)
            (g,) = torch.autograd.grad(F.prelu(xi, wi).sum(), wi)
            da.append(float(g[0]))
        out["da"] = _clean(da)
    else:
        y = eval(expr, {"torch": torch, "F": F, "x": x, "p": params})  # noqa: S307
        (dx,) = torch.autograd.grad(y.sum(), x)
    out["f"] = _clean([float(v) for v in y.detach()])
    out["df"] = _clean([float(v) for v in dx])
    return out


def build():
    torch = _torch()
    return {"torch": torch.__version__, "z": Z,
            "rows": [row(torch, *spec) for spec in ROWS]}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true",
                        help="compare with the stored file instead of writing it")
    args = parser.parse_args(argv)
    data = build()
    text = json.dumps(data, indent=1) + "\n"
    if args.check:
        same = OUT.exists() and json.loads(OUT.read_text()) == json.loads(text)
        print("tests/data/torch_activations.json is", "current" if same else "OUT OF DATE")
        return 0 if same else 1
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(text)
    print(f"wrote {OUT.relative_to(ROOT)}: {len(data['rows'])} rows, torch {data['torch']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
