"""Generate book/api.md from the package: one section per module, every public name.

Run `python tools/gen_api.py` after adding a public name; tests/test_repository.py fails
when book/api.md is out of date.
"""
import importlib
import inspect
from pathlib import Path

import lkcourse as lk

SECTIONS = [
    ("Penalties and proximal operators", ["penalties", "prox", "dynamics"]),
    ("Penalized linear models", ["linear", "logistic"]),
    ("Activations", ["activations", "activation_table"]),
    ("Networks", ["nn"]),
    ("Optimizers", ["optim", "updates"]),
    ("Training", ["training", "batched_training", "progress"]),
    ("Draws, seeds and claims", ["seeding", "sweeps", "thresholds", "claims"]),
    ("Learning rate and weight decay experiments", ["lr_decay", "probe"]),
    ("Data sets", ["datasets"]),
    ("Metrics and model selection", ["metrics"]),
    ("Explorers", ["explore", "explorers"]),
    ("Errors, gradient checks and source display", ["_validation", "gradcheck", "source"]),
    ("Auto-checked exercises", ["exercises"]),
]
HEAD = """(api-reference)=
# The `lkcourse` API reference

Everything the notebooks call is public and importable as `import lkcourse as lk`
(e.g. `lk.L1`, `lk.fit_linear`, `lk.AdamW`; the data sets as `lk.datasets.moons`). The
sections below are generated from the package's docstrings, so they cannot drift from the
code, and every *Examples* section runs as a doctest in `make test`. Each module's
introduction holds its convention table (penalty scaling, values at kinks, optimizer
update rules), which the {ref}`notation` page summarizes.

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
    return "\n".join(out) + "\n", seen


if __name__ == "__main__":
    text, names = render()
    Path(__file__).resolve().parents[1].joinpath("book", "api.md").write_text(text)
    print("documented", len(names), "names")
