r"""Auto-checked exercises: one way to check a reader's answer, and to prove the check.

Every chapter's auto-checked exercise has the same three cells:

1. the reader's cell, a stub: a function whose body is
   ``raise NotImplementedError("your code here")`` (or a value left at ``None``);
2. a visible check cell, ``lk.book.check_answer(my_answer, check_my_answer)``, which says
   "not answered yet" for the stub, "correct" for a right answer and raises
   :class:`AssertionError` with the check's message for a wrong one;
3. a hidden cell, ``lk.book.prove_check(check_my_answer, reference, wrong=[...])``, which
   nbval runs to prove that the check accepts the reference solution and rejects each
   of the wrong answers, so that a check that cannot fail fails the build.
"""
from __future__ import annotations

from .._validation import fail

__all__ = ["check_answer", "prove_check"]


def _check_callable(check, owner):
    if not callable(check):
        fail("check", owner, "a callable check(answer) that raises AssertionError on a "
             "wrong answer", check)


def check_answer(answer, check, *, name="your answer"):
    r"""Check a reader's answer to an auto-checked exercise and say the result.

    Parameters
    ----------
    answer : object
        What the reader wrote: usually a function, or a value. ``None``, or a function
        that raises :class:`NotImplementedError` (the stub), counts as not answered.
    check : callable
        ``check(answer)`` returns normally for a right answer and raises
        :class:`AssertionError` with an explanation for a wrong one.
    name : str
        How the message refers to the answer.

    Returns
    -------
    bool or None
        True if the answer passed, None if it is not answered yet. A wrong answer
        does not return: the check's :class:`AssertionError` propagates, so the cell
        shows what is wrong.

    Raises
    ------
    AssertionError
        From ``check``, for a wrong answer.
    InvalidParameterError
        If ``check`` is not callable or ``name`` is not a string.

    Examples
    --------
    >>> import lkcourse as lk
    >>> def check_square(f):
    ...     assert f(3) == 9, f"f(3) = {f(3)}, expected 9"
    >>> def my_square(x):
    ...     raise NotImplementedError("your code here")
    >>> lk.book.check_answer(my_square, check_square, name="my_square")
    Not answered yet: write my_square above, then run this cell again.
    >>> lk.book.check_answer(lambda x: x * x, check_square, name="my_square")
    Correct: my_square passes the check.
    True
    >>> lk.book.check_answer(lambda x: 2 * x, check_square)
    Traceback (most recent call last):
    ...
    AssertionError: f(3) = 6, expected 9
    """
    owner = "check_answer"
    _check_callable(check, owner)
    if not isinstance(name, str):
        fail("name", owner, "a string", name)
    not_yet = f"Not answered yet: write {name} above, then run this cell again."
    if answer is None:
        print(not_yet)
        return None
    try:
        check(answer)
    except NotImplementedError:
        print(not_yet)
        return None
    print(f"Correct: {name} passes the check.")
    return True


def prove_check(check, reference, wrong):
    r"""Prove that an exercise's check accepts the reference and rejects wrong answers.

    Parameters
    ----------
    check : callable
        The exercise's check, as for :func:`check_answer`.
    reference : object
        The reference solution (the one the solution block shows).
    wrong : sequence
        At least one wrong answer (typical mistakes: an off-by-one, a missing factor,
        the other convention). Each must make ``check`` raise (an
        :class:`AssertionError` with a message, or any exception for a malformed answer).

    Returns
    -------
    int
        The number of wrong answers rejected.

    Raises
    ------
    AssertionError
        If the check rejects the reference (with the check's message) or accepts one of
        the wrong answers (naming which).
    InvalidParameterError
        If ``check`` is not callable or ``wrong`` is empty or not a sequence.

    Examples
    --------
    >>> import lkcourse as lk
    >>> def check_square(f):
    ...     assert f(3) == 9 and f(-2) == 4, "not the square"
    >>> lk.book.prove_check(check_square, lambda x: x * x, wrong=[lambda x: 2 * x, abs])
    2
    >>> lk.book.prove_check(lambda f: None, lambda x: x * x, wrong=[abs])
    Traceback (most recent call last):
    ...
    AssertionError: the check accepted wrong answer 0 (abs): it cannot fail
    """
    owner = "prove_check"
    _check_callable(check, owner)
    try:
        wrong = list(wrong)
    except TypeError:
        fail("wrong", owner, "a non-empty sequence of wrong answers", wrong)
    if not wrong:
        fail("wrong", owner, "a non-empty sequence of wrong answers", wrong)
    try:
        check(reference)
    except AssertionError as err:
        raise AssertionError(f"the check rejects the reference solution: {err}") from err
    for i, answer in enumerate(wrong):
        try:
            check(answer)
        except Exception:       # AssertionError, or the check failing on a malformed answer
            continue
        label = getattr(answer, "__name__", type(answer).__name__)
        raise AssertionError(
            f"the check accepted wrong answer {i} ({label}): it cannot fail")
    return len(wrong)
