"""Lint of the test suite itself: no statement that looks like a check but checks nothing.

``assert_array_equal(a, b) and c == d`` as a bare statement never asserts ``c == d``:
``assert_*`` returns None, so ``and`` stops at once (and ``or`` discards the result of
the next operand). A bare expression statement of ``and``/``or`` with an ``assert_*``
call among its operands is always such a mistake; so is ``assert_*(...) is None``.
"""
import ast
import pathlib

import pytest

TESTS = pathlib.Path(__file__).parent
FILES = sorted(TESTS.rglob("*.py"))


def _is_assert_call(node):
    if not isinstance(node, ast.Call):
        return False
    f = node.func
    name = f.id if isinstance(f, ast.Name) else f.attr if isinstance(f, ast.Attribute) else ""
    return name.startswith("assert_")


def _operands(node):
    """The leaves of nested and/or, and both sides of comparisons."""
    if isinstance(node, ast.BoolOp):
        for v in node.values:
            yield from _operands(v)
    elif isinstance(node, ast.Compare):
        yield node.left
        yield from node.comparators
    else:
        yield node


def dead_checks(source, filename="<test>"):
    """Line numbers of expression statements that combine ``assert_*`` calls with
    ``and``/``or`` or compare their (None) result."""
    out = []
    for node in ast.walk(ast.parse(source, filename)):
        if not isinstance(node, ast.Expr):
            continue
        value = node.value
        if isinstance(value, (ast.BoolOp, ast.Compare)) and any(
                _is_assert_call(op) for op in _operands(value)):
            out.append(node.lineno)
    return out


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(TESTS)))
def test_no_assert_call_joined_by_and_or(path):
    lines = dead_checks(path.read_text(), str(path))
    assert not lines, (f"{path.name}: lines {lines} join assert_* calls with and/or (or "
                       "compare their None result): the later checks never run. Write "
                       "one check per statement.")


@pytest.mark.parametrize("line", [
    # the three lines issue 15 found (they checked nothing after the first call)
    "assert_array_equal(X, X0) and assert_array_equal(y, y0) is None",
    "assert_array_equal(fit.coef, 0.0) and fit.converged",
    "assert_array_equal(X_tr, X[y_tr]) and y_tr.dtype == y.dtype",
    "np.testing.assert_allclose(a, b) or c",
    "assert_allclose(a, b) is None",
])
def test_the_lint_catches_the_old_lines(line):
    assert dead_checks(f"def test():\n    {line}\n") == [2]


@pytest.mark.parametrize("line", [
    "assert_array_equal(X, X0)",
    "assert a and b",
    "assert_allclose(a, b, atol=1e-12)",
    "x = assert_allclose(a, b) or 1",
    "f(a) and g(b)",
])
def test_the_lint_accepts_real_checks(line):
    assert dead_checks(f"def test():\n    {line}\n") == []
