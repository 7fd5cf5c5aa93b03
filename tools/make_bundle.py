"""Build "Run this book": one zip with everything course-specific a reader needs.

    python tools/make_bundle.py [--out _build/html/lkcourse-book.zip] [--wheelhouse DIR]

`make book` runs it after the HTML build; every page links the zip (book/_ext/lkreader.py)
and tests/test_bundle.py unpacks it into an empty folder, installs it into a fresh venv
with the README's commands and runs a chapter. The zip holds:

    lkcourse-book/README.md          three commands, and what "offline" means here
    lkcourse-book/requirements.txt   the reader's packages at the book's exact versions
    lkcourse-book/constraints.txt    every transitive version, as the book was built
    lkcourse-book/wheels/lkcourse-<version>-py3-none-any.whl
    lkcourse-book/notebooks/*.ipynb  every notebook of the book, without outputs

The course-specific parts (the notebooks and the package) come from the zip alone, no
repository needed. The third-party packages (numpy, JupyterLab, ...) come from PyPI
when the reader installs, or from a local wheelhouse: `--wheelhouse DIR` adds the wheels
in DIR (made with `pip download -r requirements.txt -d DIR` on a machine with network,
for the reader's platform and Python) to the zip, and the README then installs with
`--no-index`, fully offline.
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import tomllib
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TOP = "lkcourse-book"
DEFAULT_OUT = ROOT / "_build" / "html" / "lkcourse-book.zip"

# What a reader needs to run every notebook in JupyterLab (tests/test_reader.py checks
# that every module a notebook imports comes from one of these or from lkcourse's own
# dependencies): the package's dependencies come with its wheel.
READER_PACKAGES = ["numpy", "scipy", "matplotlib", "pillow", "tqdm", "scikit-learn", "sympy",
                   "ipykernel", "ipywidgets", "jupyterlab", "jupyterlab-myst", "myst-nb"]

FIXED_TIME = (2020, 1, 1, 0, 0, 0)          # reproducible zips: same input, same bytes


def _norm(name):
    return re.sub(r"[-_.]+", "-", name).lower()


def pins():
    """{normalized name: version} from requirements.txt and constraints.txt."""
    out = {}
    for f in ("constraints.txt", "requirements.txt"):
        for line in (ROOT / f).read_text().splitlines():
            line = line.split("#")[0].strip()
            if "==" in line and not line.startswith("-"):
                name, version = line.split("==", 1)
                out[_norm(name)] = version.strip()
    return out


def requirements_text(wheel_name):
    p = pins()
    missing = [n for n in READER_PACKAGES if _norm(n) not in p]
    if missing:
        raise SystemExit(f"make_bundle: not pinned in requirements.txt/constraints.txt: {missing}")
    lines = ["# The course's notebooks in JupyterLab, at the versions the book was built with.",
             "# constraints.txt pins every other package the same way.",
             "-c constraints.txt"]
    lines += [f"{n}=={p[_norm(n)]}" for n in READER_PACKAGES]
    lines += ["# the course's own package (numpy, scipy, matplotlib, tqdm, pillow are its deps)",
              f"./wheels/{wheel_name}"]
    return "\n".join(lines) + "\n"


def constraints_text():
    keep = [l for l in (ROOT / "constraints.txt").read_text().splitlines()
            if l.strip() and not l.startswith(("-e", "lkcourse"))]
    return "\n".join(keep) + "\n"


def readme_text(version, python_floor, offline):
    install = (".venv/bin/pip install --no-index --find-links wheelhouse -r requirements.txt"
               if offline else ".venv/bin/pip install -r requirements.txt")
    where = ("from the wheelhouse/ folder in this zip (no network at all; the wheels are "
             "for the platform and Python version the zip was made for)" if offline else
             "from PyPI, so step 2 needs a network connection once")
    return f"""# Run the course: regularization and activations, from L1 to Lk

The notebooks of the book and its package, `lkcourse` {version}. With Python {python_floor}
or newer, in this folder:

```bash
python3 -m venv .venv
{install}
.venv/bin/jupyter lab notebooks
```

On Windows: `py -m venv .venv`, then `.venv\\Scripts\\pip ...` and `.venv\\Scripts\\jupyter ...`.

Open a chapter and run it from the top (Run > Run All Cells): each takes a few seconds.
Change a number and rerun; the explorers are live sliders; the exercises' check cells
tell you whether your answer is right. The solutions are folded under each exercise
(JupyterLab renders the book's MyST markup through `jupyterlab-myst`).

## What needs a network

- **Nothing course-specific.** The notebooks and the `lkcourse` wheel are in this zip;
  nothing is fetched from the course's repository or any other site, and the notebooks
  read and download no data.
- **The third-party packages** (numpy, scipy, matplotlib, JupyterLab, ...) install {where}.
  To install on a machine with no network: on a connected machine with the same
  operating system and Python version, run
  `pip download -r requirements.txt -d wheelhouse`, copy the `wheelhouse` folder here, and
  install with `.venv/bin/pip install --no-index --find-links wheelhouse -r requirements.txt`.
- **After installing**, everything runs offline, JupyterLab included.

`requirements.txt` pins the versions the book was built and tested with;
`constraints.txt` pins everything they depend on.
"""


def build_wheel(dest):
    """A wheel of lkcourse, built from a copy of the sources (the repository stays clean)
    with the venv's own setuptools: no network, no build isolation."""
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "src"
        src.mkdir()
        for f in ("pyproject.toml", "README.md"):
            shutil.copy2(ROOT / f, src / f)
        shutil.copytree(ROOT / "lkcourse", src / "lkcourse",
                        ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        env = dict(os.environ, PIP_DISABLE_PIP_VERSION_CHECK="1", SOURCE_DATE_EPOCH="1577836800")
        subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
                        "--no-index", "-q", "-w", str(dest), str(src)], check=True, env=env)
    wheels = sorted(Path(dest).glob("lkcourse-*.whl"))
    if len(wheels) != 1:
        raise SystemExit(f"make_bundle: expected one lkcourse wheel, got {wheels}")
    return wheels[0]


def notebooks():
    return sorted(p for p in (ROOT / "book").glob("*.ipynb"))


def _add(zf, name, data):
    info = zipfile.ZipInfo(f"{TOP}/{name}", date_time=FIXED_TIME)
    info.external_attr = 0o644 << 16
    info.compress_type = zipfile.ZIP_DEFLATED
    zf.writestr(info, data)


def build(out=DEFAULT_OUT, wheelhouse=None):
    meta = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    floor = re.search(r">=\s*([\d.]+)", meta["requires-python"]).group(1)
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        wheel = build_wheel(tmp)
        part = out.with_suffix(".zip.part")
        with zipfile.ZipFile(part, "w") as zf:
            _add(zf, "README.md", readme_text(meta["version"], floor, wheelhouse is not None))
            _add(zf, "requirements.txt", requirements_text(wheel.name))
            _add(zf, "constraints.txt", constraints_text())
            _add(zf, f"wheels/{wheel.name}", wheel.read_bytes())
            for nb in notebooks():
                _add(zf, f"notebooks/{nb.name}", nb.read_bytes())
            if wheelhouse is not None:
                for w in sorted(Path(wheelhouse).glob("*.whl")):
                    _add(zf, f"wheelhouse/{w.name}", w.read_bytes())
        part.replace(out)
    return out


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", default=str(DEFAULT_OUT))
    ap.add_argument("--wheelhouse", default=None,
                    help="a folder of wheels (pip download -r requirements.txt -d DIR) to ship")
    args = ap.parse_args(argv)
    out = build(args.out, args.wheelhouse)
    with zipfile.ZipFile(out) as zf:
        n = len(zf.namelist())
    print(f"make_bundle: {out} ({out.stat().st_size / 1e6:.1f} MB, {n} files)")


if __name__ == "__main__":
    main()
