"""lk.book.check_answer and lk.book.prove_check: the machinery of the auto-checked exercises."""
import pytest

import lkcourse as lk


def check_square(f):
    assert f(3) == 9, f"f(3) = {f(3)}, expected 9"
    assert f(-2) == 4, f"f(-2) = {f(-2)}, expected 4"


def stub(x):
    raise NotImplementedError("your code here")


def test_stub_and_none_are_not_answered(capsys):
    assert lk.book.check_answer(stub, check_square, name="my_square") is None
    assert lk.book.check_answer(None, check_square) is None
    out = capsys.readouterr().out.splitlines()
    assert out == ["Not answered yet: write my_square above, then run this cell again.",
                   "Not answered yet: write your answer above, then run this cell again."]


def test_right_answer_passes_and_says_so(capsys):
    assert lk.book.check_answer(lambda x: x * x, check_square, name="my_square") is True
    assert capsys.readouterr().out == "Correct: my_square passes the check.\n"


def test_wrong_answer_raises_the_checks_message(capsys):
    with pytest.raises(AssertionError, match=r"f\(3\) = 6, expected 9"):
        lk.book.check_answer(lambda x: 2 * x, check_square)
    assert "Correct" not in capsys.readouterr().out


def test_prove_check_counts_rejected_wrong_answers():
    assert lk.book.prove_check(check_square, lambda x: x * x,
                          wrong=[lambda x: 2 * x, abs, lambda x: x ** 3]) == 3


def test_prove_check_fails_when_the_reference_is_rejected():
    with pytest.raises(AssertionError, match="rejects the reference solution: f\\(3\\) = 10"):
        lk.book.prove_check(check_square, lambda x: x + 7, wrong=[abs])


def test_prove_check_fails_on_a_check_that_cannot_fail():
    def lenient(f):
        assert f(3) >= 0

    with pytest.raises(AssertionError, match=r"accepted wrong answer 1 \(abs\)"):
        lk.book.prove_check(lenient, lambda x: x * x, wrong=[lambda x: -1, abs])


def test_prove_check_counts_a_crash_on_a_malformed_answer_as_rejection():
    assert lk.book.prove_check(check_square, lambda x: x * x, wrong=["not a function"]) == 1


@pytest.mark.parametrize("call, match", [
    (lambda: lk.book.check_answer(None, "check"), "'check' parameter of check_answer"),
    (lambda: lk.book.check_answer(None, check_square, name=3), "'name' parameter of check_answer"),
    (lambda: lk.book.prove_check(None, abs, wrong=[abs]), "'check' parameter of prove_check"),
    (lambda: lk.book.prove_check(check_square, abs, wrong=[]), "'wrong' parameter of prove_check"),
    (lambda: lk.book.prove_check(check_square, abs, wrong=5), "'wrong' parameter of prove_check"),
])
def test_bad_arguments(call, match):
    with pytest.raises(lk.InvalidParameterError, match=match):
        call()
