"""check_grad, numerical_grad, show_source and the validation helpers."""
import numpy as np
import pytest
from numpy.testing import assert_allclose

import lkcourse as lk


def test_public_names_are_exported_and_documented():
    for name in lk.__all__:
        obj = getattr(lk, name)
        assert obj.__doc__ and obj.__doc__.strip(), f"lk.{name} has no docstring"


def test_numerical_grad_matches_known_gradient():
    f = lambda x: float(np.sum(np.sin(x) * x**2))
    x = np.array([[0.3, -1.2], [2.0, 0.7]])
    exact = np.cos(x) * x**2 + 2 * x * np.sin(x)
    assert_allclose(lk.numerical_grad(f, x), exact, rtol=1e-8, atol=1e-9)


def test_check_grad_accepts_a_correct_gradient_and_returns_error():
    err = lk.check_grad(lambda w: float(w @ w), lambda w: 2 * w, np.array([1.0, -3.0, 0.5]))
    assert 0 <= err < 1e-7


def test_check_grad_rejects_a_wrong_gradient_and_shows_both():
    with pytest.raises(AssertionError) as info:
        lk.check_grad(lambda w: float(w @ w), lambda w: 3 * w, np.array([1.0, -2.0]))
    msg = str(info.value)
    assert "analytic" in msg and "numerical" in msg
    assert "3." in msg and "2." in msg


def test_check_grad_rejects_wrong_shape():
    with pytest.raises(AssertionError, match="shape"):
        lk.check_grad(lambda w: float(w @ w), lambda w: np.zeros(3), np.array([1.0, 2.0]))


def test_check_grad_does_not_mutate_input():
    x = np.array([1.0, 2.0])
    x.setflags(write=False)
    lk.check_grad(lambda w: float(w @ w), lambda w: 2 * w, x)
    assert_allclose(x, [1.0, 2.0])


@pytest.mark.parametrize("kwargs, name", [({"eps": 0}, "eps"), ({"eps": -1e-3}, "eps"),
                                          ({"rtol": -1}, "rtol"), ({"atol": float("nan")}, "atol")])
def test_check_grad_validates_parameters(kwargs, name):
    with pytest.raises(lk.InvalidParameterError, match=f"'{name}' parameter of check_grad"):
        lk.check_grad(lambda w: float(w @ w), lambda w: 2 * w, [1.0], **kwargs)


def test_check_grad_rejects_non_finite_x():
    with pytest.raises(lk.InvalidParameterError, match="'x' parameter of check_grad.*finite"):
        lk.check_grad(lambda w: float(w @ w), lambda w: 2 * w, [1.0, np.nan])


def test_invalid_parameter_error_is_a_value_error():
    assert issubclass(lk.InvalidParameterError, ValueError)


def test_show_source_returns_the_real_code():
    src = lk.show_source(lk.check_grad)
    assert str(src).startswith("def check_grad(")
    assert "numerical_grad" in str(src)
    html = src._repr_html_()
    assert "check_grad" in html and "<" in html
    assert src._repr_markdown_().startswith("```python")


def test_show_source_dedents_methods():
    class Demo:
        def method(self):
            return 1
    assert str(lk.show_source(Demo.method)).startswith("def method(self):")


def test_show_source_rejects_objects_without_source():
    with pytest.raises(lk.InvalidParameterError, match="'obj' parameter of show_source"):
        lk.show_source(42)


def test_show_source_leaves_out_docstrings_by_default():
    short = str(lk.show_source(lk.check_grad))
    full = str(lk.show_source(lk.check_grad, docstring=True))
    assert "Examples" not in short and "Examples" in full
    assert "numerical_grad(f, x, eps=h)" in short
    compile(short, "<short>", "exec")          # still valid Python
    assert len(short.splitlines()) < len(full.splitlines())


def test_show_source_validates_docstring_flag():
    with pytest.raises(lk.InvalidParameterError, match="'docstring' parameter of show_source"):
        lk.show_source(lk.check_grad, docstring="yes")
