"""The claims ledger: measure every cross-draw claim of the book on hundreds of draws.

    python tools/claims.py run [--chapters ch1 ch7] [--draws 200] [--jobs N]
    python tools/claims.py render          # book/claims_ledger.md from the ledger files
    python tools/claims.py status          # which chapters are stale or unmeasured

`make claims` runs `run` then `render`. Each experiment (``lkcourse.book.chN``) runs on
seed blocks 0, 1, 2, ... until it has at least ``--draws`` draws; the (experiment,
block) tasks run in parallel processes (joblib) when the machine has more than one
core, and the result does not depend on the number of processes: every block is
computed on its own from its own seeds. Results go to ``lkcourse/book/ledger/chN.json``.
"""
from __future__ import annotations

import argparse
import datetime
import json
import math
import os
import platform
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

import lkcourse as lk  # noqa: E402
from lkcourse import claims as C  # noqa: E402

PAGE = ROOT / "book" / "claims_ledger.md"


def _chapters_with_claims():
    return sorted({e.chapter for e in C.EXPERIMENTS.values() if e.claims},
                  key=lambda c: int(c[2:]))


def _tasks(chapters, draws):
    tasks = []
    for exp in C.EXPERIMENTS.values():
        if exp.chapter in chapters and exp.claims:
            n_blocks = math.ceil(draws / exp.n)
            tasks += [(exp.id, b) for b in range(n_blocks)]
    return tasks


def run(chapters, draws, jobs):
    tasks = _tasks(chapters, draws)
    if not tasks:
        print("claims: no experiment with claims in", chapters)
        return
    print(f"claims: {len(tasks)} (experiment, block) tasks for {', '.join(chapters)}, "
          f"at least {draws} draws each, {jobs} process(es)")
    results = collect(tasks, jobs, progress=True)
    for chapter in chapters:
        _write(chapter, results)


def collect(tasks, jobs, progress=False):
    """``{(experiment id, block): values}`` for the tasks, in ``jobs`` processes.

    Every task seeds itself from its block, so the result is the same for any
    ``jobs`` (tests/test_claims.py checks 1 against 2)."""
    from joblib import Parallel, delayed
    results = {}
    if jobs == 1:
        gen = (_one(exp_id, block) for exp_id, block in tasks)
    else:
        gen = Parallel(n_jobs=jobs, return_as="generator_unordered")(
            delayed(_one)(exp_id, block) for exp_id, block in tasks)
    bar = lk.progress_bar(total=len(tasks), desc="claims", unit="block",
                          timings=True) if progress else None
    for exp_id, block, values in gen:
        results[exp_id, block] = values
        if bar is not None:
            bar.update(1)
    if bar is not None:
        bar.close()
    return results


def _one(exp_id, block):
    return exp_id, block, C.measure_block(exp_id, block)


def _write(chapter, results):
    record = {"chapter": chapter, "module_sha256": C.module_digest(chapter),
              "measured": {"date": datetime.date.today().isoformat(),
                           "python": platform.python_version(),
                           "numpy": np.__version__, "machine": platform.machine()},
              "experiments": {}, "claims": {}}
    for exp in C.EXPERIMENTS.values():
        if exp.chapter != chapter or not exp.claims:
            continue
        blocks = sorted(b for (e, b) in results if e == exp.id)
        record["experiments"][exp.id] = {"n_block": exp.n, "blocks": blocks,
                                         "draws": exp.n * len(blocks)}
        per_block = [(b, results[exp.id, b]) for b in blocks]
        for claim in exp.claims:
            record["claims"][claim.id] = C.summarise(claim, per_block)
    C.LEDGER_DIR.mkdir(parents=True, exist_ok=True)
    path = C.LEDGER_DIR / f"{chapter}.json"
    path.write_text(json.dumps(record, indent=1, sort_keys=True) + "\n")
    print(f"claims: wrote {path.relative_to(ROOT)} ({len(record['claims'])} claims)")
    C.reload_ledger()


# ---- the page ---------------------------------------------------------------------

def _title(doc):
    nb = json.loads((ROOT / "book" / f"{doc}.ipynb").read_text())
    for cell in nb["cells"]:
        if cell["cell_type"] == "markdown":
            for line in "".join(cell["source"]).splitlines():
                if line.startswith("# "):
                    return line[2:].strip()
    return doc


def _label(doc):
    nb = json.loads((ROOT / "book" / f"{doc}.ipynb").read_text())
    first = "".join(nb["cells"][0]["source"]) if nb["cells"] else ""
    m = re.match(r"\(([^)]+)\)=", first.strip())
    return m.group(1) if m else None


TEX_TO_TEXT = {r"\lambda": "\u03bb", r"\eta": "\u03b7", r"\sigma": "\u03c3",
               r"\ell": "\u2113", r"\infty": "\u221e", r"\le": "\u2264",
               r"\ge": "\u2265", r"\times": "\u00d7", r"\alpha": "\u03b1",
               r"\delta": "\u03b4", r"\rho": "\u03c1", r"\tau": "\u03c4"}


def _plain(title):
    """A heading as plain text for a link: Sphinx shows a {ref}'s title as text, so the
    math in it ($\\lambda$) would appear as TeX source."""
    def math(m):
        t = m.group(1)
        for tex, uni in sorted(TEX_TO_TEXT.items(), key=lambda kv: -len(kv[0])):
            t = re.sub(re.escape(tex) + r"(?![A-Za-z])", uni, t)
        return re.sub(r"[\\{}]", "", t).replace("_", "").replace("^", "")
    return re.sub(r"\$([^$]+)\$", math, title).replace("`", "").replace("<", "").strip()


def _section_ref(doc, label):
    """``{ref}`title <label>``` with the section's heading as plain text."""
    nb = json.loads((ROOT / "book" / f"{doc}.ipynb").read_text())
    for cell in nb["cells"]:
        lines = "".join(cell["source"]).splitlines() if cell["cell_type"] == "markdown" else []
        for i, line in enumerate(lines):
            if line.strip() == f"({label})=":
                for nxt in lines[i + 1:]:
                    if nxt.startswith("#"):
                        return f"{{ref}}`{_plain(nxt.lstrip('#').strip())} <{label}>`"
    return f"{{ref}}`{label}`"


def _measured(e):
    if e.kind == "rate":
        return (f"{e.k} of {e.n} ({e.percent()}; "
                f"{100 * e.lo:.0f}\u2013{100 * e.hi:.0f} %)")
    digits = 3 if max(abs(e.lo), abs(e.hi)) < 10 else 1
    return (f"mean {e.value:.{digits}f} ({e.lo:.{digits}f}\u2013{e.hi:.{digits}f}), "
            f"{e.n} draws")


def _blocks(e):
    if e.kind == "rate":
        return f"{e.block_min}\u2013{e.block_max} of {e.n_block}"
    digits = 3 if max(abs(e.block_min), abs(e.block_max)) < 10 else 1
    return f"{e.block_min:.{digits}f} to {e.block_max:.{digits}f}"


def _asserted(e):
    rel = "\u2265" if e.side == "at_least" else "\u2264"
    if e.kind == "rate":
        if e.vacuous_for(e.n_block):
            return "none (ledger only)"
        return f"{rel} {e.threshold} of {e.n_block}"
    digits = 3 if abs(e.threshold) < 10 else 1
    return f"mean {rel} {e.threshold:.{digits}f}"


def render():
    lines = [
        "(claims-ledger)=",
        "# Claims ledger",
        "",
        "Every statement in this book about random data, random initial weights or",
        "dropout masks is a statement about a distribution, and is measured here on at",
        f"least {C.MIN_LEDGER_DRAWS} draws: `make claims` runs each experiment on seed",
        "blocks 0, 1, 2, ... (block 0 is the one the chapters show; see",
        "{ref}`running-seed-blocks`) and this page is rendered from the result",
        "(`lkcourse/book/ledger/`).",
        "",
        "For each claim: the sentence the chapter states; what the draws show, as the",
        "number of draws on which it held (with a 95 % Wilson interval) or as a mean (with",
        "mean \u00b1 1.96 standard errors); the range of that number over the blocks; and",
        "the threshold the chapter asserts on its own block. That threshold is computed",
        "from the interval's pessimistic end so that a block the book never saw misses it",
        "with probability below 1/10,000 (`lk.proportion_threshold`,",
        "`lk.mean_threshold`), which is why it is looser than the measured rate: the",
        "chapter's check guards against a claim that stopped holding, and the sentence",
        "reports the measurement.",
        "",
    ]
    for chapter in _chapters_with_claims():
        exps = [e for e in C.EXPERIMENTS.values() if e.chapter == chapter and e.claims]
        doc = exps[0].doc
        label = _label(doc)
        title = f"{{ref}}`{label}`" if label else _title(doc)
        lines += [f"## {_title(doc)}", "", f"Chapter: {title}.", "",
                  "| claim | measured | over the blocks | asserted on a block |",
                  "|---|---|---|---|"]
        for exp in exps:
            for claim in exp.claims:
                try:
                    e = C.ledger_entry(claim.id)
                except lk.InvalidParameterError:
                    lines.append(f"| {_section_ref(doc, claim.section)}: {claim.says} | "
                                 "not measured | | |")
                    continue
                says = claim.says.replace("|", "\\|")
                lines.append(f"| {_section_ref(doc, claim.section)}: {says} | {_measured(e)} | "
                             f"{_blocks(e)} | {_asserted(e)} |")
        lines.append("")
    return "\n".join(lines)


def status():
    stale = []
    for chapter in _chapters_with_claims():
        path = C.LEDGER_DIR / f"{chapter}.json"
        if not path.exists():
            stale.append(f"{chapter}: not measured")
            continue
        data = json.loads(path.read_text())
        if data["module_sha256"] != C.module_digest(chapter):
            stale.append(f"{chapter}: lkcourse/book/{chapter}.py changed since measured")
        missing = [c.id for e in C.EXPERIMENTS.values() if e.chapter == chapter
                   for c in e.claims if c.id not in data["claims"]]
        if missing:
            stale.append(f"{chapter}: claims not measured: {missing}")
    return stale


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="cmd", required=True)
    r = sub.add_parser("run", help="measure the claims and render the page")
    r.add_argument("--chapters", nargs="*", default=None,
                   help="chapter keys (ch1 ...); default: every chapter with claims")
    r.add_argument("--draws", type=int, default=C.MIN_LEDGER_DRAWS)
    r.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    r.add_argument("--stale", action="store_true", help="only stale or unmeasured chapters")
    sub.add_parser("render", help="write book/claims_ledger.md")
    sub.add_parser("status", help="list stale or unmeasured chapters (exit 1 if any)")
    args = parser.parse_args(argv)
    if args.cmd == "run":
        if args.draws < C.MIN_LEDGER_DRAWS:
            parser.error(f"--draws must be at least {C.MIN_LEDGER_DRAWS}")
        chapters = args.chapters or _chapters_with_claims()
        if args.stale:
            chapters = [c for c in chapters if any(s.startswith(c + ":") for s in status())]
        run(chapters, args.draws, max(1, args.jobs))
        PAGE.write_text(render())
        print(f"claims: wrote {PAGE.relative_to(ROOT)}")
    elif args.cmd == "render":
        PAGE.write_text(render())
        print(f"claims: wrote {PAGE.relative_to(ROOT)}")
    else:
        problems = status()
        print("\n".join(problems) if problems else "claims: ledger up to date")
        return 1 if problems else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
