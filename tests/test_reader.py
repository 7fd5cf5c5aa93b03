"""The chapters as the reader meets them (issue 23): checks on every notebook in book/.

- every exercise shows the question, then the reader's answer and check cells, then the
  (folded) solution, never the solution before the place to write the answer;
- figure captions write their formulas in ``$...$``, not in ASCII;
- no figure text set below the course style's 9 pt minimum;
- the first code cell applies the course's figure style.

``KNOWN`` lists what the chapters still get wrong today (issue 23, for the chapter
authors): those findings are expected failures (xfail, with the list in the reason). A
finding not in ``KNOWN`` fails; so does a ``KNOWN`` entry that is fixed, so that the list
shrinks as the chapters are fixed (delete the entry).
"""
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
import chapter_checks as cc  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted(p for p in (ROOT / "book").glob("*.ipynb") if "_build" not in p.parts)

KNOWN = {
    # exercise labels whose solution comes before the reader's answer/check cells
    "solution_order": {},
    # figure names whose caption writes a formula in ASCII
    "ascii_captions": {},
    # chapters that set figure text below 9 pt (fontsize=8, labelsize=7, ...)
    "small_fonts": set(),
}


def _judge(kind, stem, found, explain):
    """Fail on a new finding or a fixed known one; xfail when exactly the known ones."""
    known = KNOWN[kind].get(stem, set()) if isinstance(KNOWN[kind], dict) else (
        {stem} if stem in KNOWN[kind] else set())
    new, fixed = set(found) - known, known - set(found)
    assert not new, f"{stem}: {explain(new)}"
    assert not fixed, (f"{stem}: fixed, thank you: remove {sorted(fixed)} from "
                       f"KNOWN[{kind!r}] in tests/test_reader.py")
    if known:
        pytest.xfail(f"known (issue 23, chapter authors): {sorted(known)}")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_solution_comes_after_the_readers_cells(path):
    problems = cc.solution_order(cc.load(path))
    by_label = {label: (sol, last) for label, sol, last in problems}
    _judge("solution_order", path.stem, by_label, lambda new: "the solution of " + "; ".join(
        f"{l} (cell {by_label[l][0]}) comes before the reader's cell {by_label[l][1]}: "
        "put it after the answer and check cells" for l in sorted(new)))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_captions_write_formulas_in_math(path):
    found = cc.ascii_math_in_captions(cc.load(path))
    names = {}
    for name, what, ctx in found:
        names.setdefault(name, []).append(f"{what}: ...{ctx}...")
    _judge("ascii_captions", path.stem, names, lambda new: "ASCII formulas in captions "
           "(write them in $...$): " + "; ".join(f"{n}: {names[n][:3]}" for n in sorted(new)))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_no_figure_text_below_the_minimum(path):
    import lkcourse as lk
    found = cc.small_fonts(cc.load(path), lk.MIN_FONT_PT)
    _judge("small_fonts", path.stem, {path.stem} if found else set(),
           lambda new: f"figure text below {lk.MIN_FONT_PT} pt (cell, setting): {found[:8]}")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_first_code_cell_applies_the_course_style(path):
    nb = cc.load(path)
    first = "".join([c for c in nb["cells"] if c["cell_type"] == "code"][0]["source"])
    assert "lk.use_style()" in first, f"{path.name}: add lk.use_style() to the first code cell"


# --- the checks themselves can fail (a planted mistake of each kind) -----------------

def _md(text):
    return {"cell_type": "markdown", "metadata": {}, "source": [text]}


def _code(text, tags=()):
    return {"cell_type": "code", "metadata": {"tags": list(tags)}, "source": [text],
            "outputs": [], "execution_count": None}


def test_solution_order_check_catches_a_solution_before_the_answer_cell():
    ex = "## Exercises\n\n```{exercise}\n:label: ex-a\nWrite f.\n```\n"
    sol = "```{solution} ex-a\n:class: dropdown\nf = 1\n```\n"
    bad = {"cells": [_md(ex + sol), _code("f = ..."), _code("check(f)")]}
    good = {"cells": [_md(ex), _code("f = ..."), _code("check(f)"), _md(sol)]}
    gated = {"cells": [_md(ex), _code("f = ..."), _md("```{solution-start} ex-a\n```\n"),
                       _code("f = 1"), _md("```{solution-end}\n```\n"), _code("x", ["remove-cell"])]}
    assert [p[0] for p in cc.solution_order(bad)] == ["ex-a"]
    assert cc.solution_order(good) == []
    assert cc.solution_order(gated) == []


def test_caption_check_catches_ascii_math_and_passes_real_math():
    def nb(cap):
        return {"cells": [{"cell_type": "code", "source": [""], "outputs": [],
                           "metadata": {"mystnb": {"figure": {"caption": cap, "name": "fig-x"}}}}]}
    for bad in ("the closed form (1 - 2 eta lam)^t", "f' -> 0 on both sides",
                "value 2 sqrt(AB)", "with lam = 0.5"):
        assert cc.ascii_math_in_captions(nb(bad)), bad
    for good in ("the closed form $(1 - 2\\eta\\lambda)^t$", "$f' \\to 0$ on both sides",
                 "`lk.simulate_weight`, the network's weights", "a lambda-free figure"):
        found = cc.ascii_math_in_captions(nb(good))
        assert not found or good == "a lambda-free figure" and found[0][1].startswith("a Greek"), found


def test_small_font_check():
    nb = {"cells": [_code("ax.legend(fontsize=8)"), _code("ax.text(0, 0, 's', fontsize=10)"),
                    _code("ax.legend(fontsize='small')")]}
    assert [i for i, _ in cc.small_fonts(nb)] == [0, 2]
