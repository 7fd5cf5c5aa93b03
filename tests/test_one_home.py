"""One home per rule: the package does not re-derive a rule it already defines.

Each rule below has one definition (its "home"); a copy anywhere else in
``lkcourse/`` fails this test, which names the file and line and the function to call
instead. The chapters follow the same rule (``lk.decay_weights_only``,
``lk.soft_threshold``, ``lk.accuracy``, ``lk.activation("sigmoid")``).
"""
import pathlib
import re

import pytest

PACKAGE = pathlib.Path(__file__).resolve().parents[1] / "lkcourse"

RULES = {  # rule -> (regex of an inline copy, its home, what to call instead)
    "is-a-weight": (r"""startswith\(\s*["']W["']\s*\)|\[0\]\s*==\s*["']W["']""",
                    "nn.py", "decay_weights_only(name, array) or model.weight_names()"),
    "soft-threshold": (r"np\.sign\([^)]*\)\s*\*\s*np\.maximum\(\s*np\.abs\(",
                       "_shared.py", "_shared.soft (or lk.soft_threshold)"),
    "stable sigmoid": (r"np\.exp\(\s*np\.minimum\([^)]*\)\s*-|1(\.0)?\s*/\s*\(1(\.0)?\s*\+\s*"
                       r"np\.exp\(", "_shared.py",
                       "_shared.sigmoid (or lk.activation('sigmoid'))"),
    # (a comparison with a literal 0 is the fraction of exact zeros, not an accuracy)
    "accuracy": (r"np\.mean\(\s*\(?[^()]*(\([^()]*\))?[^()]*\)?\s*==(?!\s*0(\.0)?\s*\))",
                 "metrics.py",
                 "metrics.accuracy / _shared.n_equal with _shared.labels"),
}


# Copies in modules owned by someone else, reported to the lead; listed by (rule, file)
# so that no new copy slips in. Delete the entry when the copy goes.
KNOWN_COPIES = {}


def copies_of(rule):
    pattern, home, _ = RULES[rule]
    out = []
    for path in sorted(PACKAGE.rglob("*.py")):
        for lineno, line in enumerate(path.read_text().splitlines(), 1):
            code = line.split("#", 1)[0]
            if re.search(pattern, code) and path.name != home:
                out.append((path.name, f"{path.relative_to(PACKAGE)}:{lineno}: "
                                       f"{line.strip()}"))
    return out


@pytest.mark.parametrize("rule", RULES)
def test_each_rule_has_one_home(rule):
    _, home, instead = RULES[rule]
    copies = [where for name, where in copies_of(rule) if (rule, name) not in KNOWN_COPIES]
    assert not copies, (f"the {rule} rule is written again (its home is {home}; call "
                        f"{instead}):\n" + "\n".join(copies))


@pytest.mark.parametrize("rule", RULES)
def test_each_home_writes_its_rule_once(rule):
    pattern, home, _ = RULES[rule]
    lines = [line for path in PACKAGE.rglob(home)
             for line in path.read_text().splitlines()
             if re.search(pattern, line.split("#", 1)[0])]
    assert len(lines) <= 1, lines


@pytest.mark.parametrize("rule, name", sorted(KNOWN_COPIES))
def test_known_copies_are_still_there(rule, name):
    assert any(n == name for n, _ in copies_of(rule)), (
        f"{name} no longer copies the {rule} rule: delete its KNOWN_COPIES entry")


@pytest.mark.parametrize("line, rule", [
    ('if name.startswith("W")', "is-a-weight"),
    ("if k[0] == 'W':", "is-a-weight"),
    ("return np.sign(v) * np.maximum(np.abs(v) - t, 0.0)", "soft-threshold"),
    ("np.exp(np.minimum(z, 0) - np.log1p(np.exp(-np.abs(z))))", "stable sigmoid"),
    ("sig = 1 / (1 + np.exp(-z))", "stable sigmoid"),
    ("return float(np.mean((model.predict(Xa) > 0) == (ya == 1)))", "accuracy"),
])
def test_the_patterns_catch_the_copies_issue_15_found(line, rule):
    assert re.search(RULES[rule][0], line)
