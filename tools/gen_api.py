"""Generate book/api.md from the package: one section per module, every public name.

Run `python tools/gen_api.py` after adding a public name; tests/test_repository.py fails
when book/api.md is out of date.
"""
import importlib
import inspect
from pathlib import Path

import lkcourse as lk

SECTIONS = [
    ("Penalties and proximal operators", ["penalties", "penalty_base", "prox", "dynamics"]),
    ("Penalized linear models", ["linear", "logistic"]),
    ("Activations", ["activations", "activation_base"]),
    ("Networks", ["nn"]),
    ("Optimizers", ["optim", "updates"]),
    ("Training", ["training", "history", "progress"]),
    ("Checking a new penalty or activation", ["checks"]),
    ("Draws, seeds and claims", ["seeding", "sweeps", "thresholds", "claims"]),
    ("Data sets", ["datasets"]),
    ("Metrics and model selection", ["metrics"]),
    ("Explorers", ["explore", "explore.explorer", "explorers"]),
    ("Errors, gradient checks and source display", ["_validation", "gradcheck", "source"]),
    ("The figure style", ["style"]),
]
# The chapters' own machinery, lk.book.<name> (lkcourse/book/): one section per module.
BOOK_SECTIONS = [
    ("Chapter 5: learning rate and weight decay experiments", ["lr_decay", "probe"]),
    ("Chapter 6: activation spec sheets", ["activation_table"]),
    ("Auto-checked exercises", ["exercises"]),
    ("Values glued into the prose", ["scrapbook"]),
]
HEAD = """(api-reference)=
# The `lkcourse` API reference

Everything the notebooks call is public and importable as `import lkcourse as lk`
(e.g. `lk.L1`, `lk.fit_linear`, `lk.AdamW`; the data sets as `lk.datasets.moons`); what
only one chapter needs is in `lk.book` (e.g. `lk.book.run_grid`), documented at the end.
The sections below are generated from the package's docstrings, so they cannot drift
from the code, and every *Examples* section runs as a doctest in `make test`. Each
module's introduction holds its convention table (penalty scaling, values at kinks,
optimizer update rules), which the {ref}`notation` page summarizes.

```{eval-rst}
.. automodule:: lkcourse
   :no-members:
```
"""
def _home(obj):
    """Module that defines a class or function; None for data (e.g. a registry instance,
    whose class lives elsewhere), which is documented where its module exports it."""
    if inspect.isclass(obj) or inspect.isroutine(obj):
        return getattr(obj, "__module__", None)
    return None


def render():
    """Return the text of book/api.md and the set of documented names."""
    out = [HEAD]
    seen = set()
    for title, mods in SECTIONS:
        out.append(f"\n## {title}\n\n```{{eval-rst}}")
        for m in mods:
            mod = importlib.import_module(f"lkcourse.{m}")
            if m == "datasets":
                fns = [n for n, f in vars(mod).items() if inspect.isfunction(f) and not n.startswith("_")
                       and f.__module__ == mod.__name__]
                out.append(".. automodule:: lkcourse.datasets\n   :members: " + ", ".join(fns) + "\n")
                continue
            names = [n for n in getattr(mod, "__all__", []) if n not in seen and hasattr(lk, n)]
            names = [n for n in names if _home(getattr(lk, n)) in (f"lkcourse.{m}", None)]
            if m == "_validation":
                out.append(".. autoclass:: lkcourse.InvalidParameterError\n")
                seen.add("InvalidParameterError")
                continue
            seen.update(names)
            out.append(f".. automodule:: lkcourse.{m}\n   :members: {', '.join(names)}\n")
        out.append("```")
    out.append("\n## The chapters' machinery: `lk.book`\n\n```{eval-rst}\n"
               ".. automodule:: lkcourse.book\n   :no-members:\n```")
    for title, mods in BOOK_SECTIONS:
        out.append(f"\n### {title}\n\n```{{eval-rst}}")
        for m in mods:
            mod = importlib.import_module(f"lkcourse.book.{m}")
            names = [n for n in mod.__all__ if hasattr(lk.book, n)
                     and _home(getattr(lk.book, n)) in (f"lkcourse.book.{m}", None)]
            seen.update(f"book.{n}" for n in names)
            out.append(f".. automodule:: lkcourse.book.{m}\n   :members: {', '.join(names)}\n")
        out.append("```")
    return "\n".join(out) + "\n", seen


if __name__ == "__main__":
    text, names = render()
    Path(__file__).resolve().parents[1].joinpath("book", "api.md").write_text(text)
    print("documented", len(names), "names")
