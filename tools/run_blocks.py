"""Run notebooks on several seed blocks, in parallel: does every claim hold on draws
the book never saw?

    python tools/run_blocks.py book/07_putting_together.ipynb --blocks 1001 1002 1003
    python tools/run_blocks.py book --blocks 2000-2009 --alt --jobs 2

Each (notebook, block) runs under nbval (``pytest --nbval-lax``) with
``LKCOURSE_SEED_BLOCK`` set; ``--alt`` uses the alt numerical environment of
``make nbval-alt``. Prints one line per run and a table at the end; exits 1 if any run
failed (the failing assert is printed).
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PY = ROOT / ".venv" / "bin" / "python"
ALT = {"NPY_DISABLE_CPU_FEATURES": "X86_V3 X86_V4 AVX512_ICL AVX512_SPR",
       "OPENBLAS_CORETYPE": "Nehalem"}


def _blocks(specs):
    out = []
    for spec in specs:
        if "-" in spec:
            a, b = spec.split("-")
            out += list(range(int(a), int(b) + 1))
        else:
            out.append(int(spec))
    return out


def _one(nb, block, alt):
    env = dict(os.environ, LKCOURSE_SEED_BLOCK=str(block), OPENBLAS_NUM_THREADS="1",
               OMP_NUM_THREADS="1")
    env.pop("MPLBACKEND", None)
    if alt:
        env.update(ALT)
    cmd = [str(PY if PY.exists() else sys.executable), "-m", "pytest", "--nbval-lax",
           "--nbval-current-env", "-p", "no:cacheprovider", "-o", "addopts=", "-q", "-x",
           str(nb)]
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True)
    dt = time.perf_counter() - t0
    return nb, block, proc.returncode == 0, dt, proc.stdout[-3000:]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("paths", nargs="+", help="notebooks or folders")
    parser.add_argument("--blocks", nargs="+", required=True, help="e.g. 1001 1002 or 2000-2009")
    parser.add_argument("--alt", action="store_true", help="the alt SIMD/BLAS path")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args(argv)
    notebooks = []
    for p in args.paths:
        p = Path(p)
        notebooks += sorted(p.glob("*.ipynb")) if p.is_dir() else [p]
    runs = [(nb, b) for b in _blocks(args.blocks) for nb in notebooks]
    failed = []
    with ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        futures = [pool.submit(_one, nb, b, args.alt) for nb, b in runs]
        for f in futures:
            nb, block, ok, dt, out = f.result()
            print(f"{'pass' if ok else 'FAIL'}  block {block:>5}  {nb.name}  {dt:5.1f} s",
                  flush=True)
            if not ok:
                failed.append((nb, block, out))
    for nb, block, out in failed:
        print(f"\n==== {nb.name}, block {block} ====\n{out}")
    print(f"\n{len(runs) - len(failed)} of {len(runs)} runs passed"
          f"{' (alt path)' if args.alt else ''}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
