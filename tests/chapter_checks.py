"""Checks of chapter content that the reader meets (issue 23), as pure functions.

Used by tests/test_reader.py (and by tests/browser for the built pages); each returns a
list of findings, empty when the chapter is fine, so a test can say exactly what to fix.

- :func:`solution_order`: in every exercise, the solution comes after the reader's own
  cells (the answer cell and the check cell), never between the question and them.
- :func:`ascii_math_in_captions`: figure captions write formulas in ``$...$``, not in
  ASCII (``lam``, ``eta``, ``^``, ``->``, ``sqrt(``, ``f'``).
- :func:`small_fonts`: no figure text below the style's minimum (``fontsize=7``,
  ``"small"``).
"""
import json
import re
from pathlib import Path

# ```{exercise} / ````{solution} label / :::{solution-start} label, in markdown cells
DIRECTIVE = re.compile(r"^(?P<fence>`{3,}|:{3,})\{(?P<kind>exercise|solution|solution-start|"
                       r"solution-end|exercise-start|exercise-end)\}(?P<arg>[^\n]*)$", re.M)
LABEL = re.compile(r"^:label:\s*(\S+)", re.M)
HEADING = re.compile(r"^#{1,6} ", re.M)


def load(path):
    return json.loads(Path(path).read_text())


def _tags(cell):
    return set(cell.get("metadata", {}).get("tags", []))


def _events(nb):
    """(cell index, offset, kind, label) for every exercise/solution directive and every
    heading, in reading order. A heading or a new exercise ends the previous exercise."""
    out = []
    for i, cell in enumerate(nb["cells"]):
        if cell["cell_type"] != "markdown":
            continue
        text = "".join(cell["source"])
        for m in HEADING.finditer(text):
            out.append((i, m.start(), "heading", None))
        for m in DIRECTIVE.finditer(text):
            kind, arg = m.group("kind"), m.group("arg").strip()
            label = arg.split()[0] if kind.startswith("solution") and arg else None
            if kind in ("exercise", "exercise-start"):
                lab = LABEL.search(text, m.end())
                nxt = DIRECTIVE.search(text, m.end())
                label = lab.group(1) if lab and (nxt is None or lab.start() < nxt.start()) else None
            out.append((i, m.start(), kind, label))
    return sorted(out)


def solution_order(nb):
    """Exercises whose solution comes before the reader's answer or check cells.

    The reader's cells of an exercise are the code cells shown in the book (not tagged
    ``remove-cell``) that follow the exercise, up to the next heading or exercise,
    outside any ``solution-start``/``solution-end`` block. A solution placed before the
    last of them shows the answer between the question and the place to write it.
    Returns ``[(exercise label, solution position, last reader cell index)]``.
    """
    events = _events(nb)
    cells = nb["cells"]
    problems = []
    for n, (i, off, kind, label) in enumerate(events):
        if kind not in ("exercise", "exercise-start") or label is None:
            continue
        # where this exercise's territory ends: the next heading or exercise
        end = len(cells)
        for j, _, k2, _ in events[n + 1:]:
            if k2 in ("heading", "exercise", "exercise-start"):
                end = j + (0 if j > i else 1)
                break
        inside, solution_at, reader = False, None, []
        for j in range(i, end):
            cell = cells[j]
            if cell["cell_type"] == "markdown":
                for (ci, coff, k2, lab2) in events:
                    if ci != j or (ci == i and coff <= off):
                        continue
                    if k2 in ("solution", "solution-start") and lab2 == label and solution_at is None:
                        solution_at = (j, coff)
                    if k2 == "solution-start":
                        inside = True
                    elif k2 == "solution-end":
                        inside = False
            elif cell["cell_type"] == "code" and not inside and "remove-cell" not in _tags(cell):
                reader.append(j)
        if solution_at is not None and reader and solution_at[0] <= max(reader):
            problems.append((label, solution_at[0], max(reader)))
    return problems


# --- captions -------------------------------------------------------------------------

def captions(nb):
    """(figure name, caption) of every figure: myst-nb cell metadata and {figure} /
    {glue:figure} directives in markdown cells."""
    out = []
    for i, cell in enumerate(nb["cells"]):
        fig = cell.get("metadata", {}).get("mystnb", {}).get("figure")
        if fig and fig.get("caption"):
            out.append((fig.get("name") or f"cell {i}", fig["caption"]))
        if cell["cell_type"] == "markdown":
            text = "".join(cell["source"])
            for m in re.finditer(r"^(`{3,}|:{3,})\{(?:figure|glue:figure)\}[^\n]*\n(.*?)^\1\s*$",
                                 text, re.M | re.S):
                body = m.group(2)
                name = re.search(r"^:name:\s*(\S+)", body, re.M)
                cap = "\n".join(l for l in body.splitlines() if not l.startswith(":")).strip()
                out.append((name.group(1) if name else f"cell {i}", cap))
    return out


GREEK = ("lam|lambda|eta|alpha|beta|gamma|delta|epsilon|eps|sigma|tau|mu|nu|rho|theta|"
         "phi|Phi|psi|omega|kappa|Lambda|Sigma|Delta")
ASCII_MATH = [
    ("a Greek letter spelled out", re.compile(rf"(?<![\w-])(?:{GREEK})(?![\w])")),
    ("'^' for a power", re.compile(r"\^")),
    ("'->', '<=', '>=' or '!='", re.compile(r"->|<=|>=|!=")),
    ("a function call written in ASCII", re.compile(r"\b(?:sqrt|exp|log|sign|max|min|tanh|sigmoid)\(")),
    ("a prime written as '", re.compile(r"(?<![A-Za-z])[A-Za-z]'(?![A-Za-z])")),
    ("'||' for a norm", re.compile(r"\|\|")),
    ("an underscore subscript", re.compile(r"\b[A-Za-z]+_[A-Za-z0-9{]")),
    ("a number in e-notation", re.compile(r"\b\d+(?:\.\d+)?e[-+]?\d+\b")),
    ("'*' for a product", re.compile(r"\w\s*\*\s*\w")),
]


def _prose(caption):
    """The caption without its math ($...$, $$...$$), code (`...`) and roles."""
    text = re.sub(r"\$\$.*?\$\$", " ", caption, flags=re.S)
    text = re.sub(r"\$[^$]*\$", " ", text)
    text = re.sub(r"\{[\w:-]+\}`[^`]*`", " ", text)
    text = re.sub(r"`[^`]*`", " ", text)
    return text


def ascii_math_in_captions(nb):
    """[(figure name, what, the text around it)] for every formula written in ASCII."""
    found = []
    for name, cap in captions(nb):
        prose = _prose(cap)
        for what, pat in ASCII_MATH:
            for m in pat.finditer(prose):
                ctx = prose[max(0, m.start() - 25):m.end() + 25].replace("\n", " ")
                found.append((name, what, ctx.strip()))
    return found


# --- figure text size -------------------------------------------------------------------

SMALL_FONT = re.compile(
    r"\b(?:fontsize|size|labelsize|title_fontsize)\s*=\s*(?:(?P<num>\d+(?:\.\d+)?)|"
    r"[\"'](?P<word>xx-small|x-small|small)[\"'])")


def small_fonts(nb, minimum=9.0):
    """[(cell index, the setting)] for figure text set below ``minimum`` points."""
    out = []
    for i, cell in enumerate(nb["cells"]):
        if cell["cell_type"] != "code":
            continue
        for m in SMALL_FONT.finditer("".join(cell["source"])):
            if m.group("word") or float(m.group("num")) < minimum:
                out.append((i, m.group(0)))
    return out
