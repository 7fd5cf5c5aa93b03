"""lk.book.glue writes what myst_nb.glue writes (the build reads it the same way)."""
import numpy as np
import pytest

import lkcourse as lk


def _captured(monkeypatch, glue_fn, target, *args, **kwargs):
    calls = []
    monkeypatch.setattr(target[0], target[1],
                        lambda *a, **k: calls.append((a, k)))
    glue_fn(*args, **kwargs)
    assert len(calls) == 1
    return calls[0]


@pytest.mark.parametrize("value", [0.25, 3, -1e-12, "text", True, [1, 2]])
@pytest.mark.parametrize("display", [True, False])
def test_same_output_as_myst_nb(monkeypatch, value, display):
    import IPython.display
    from myst_nb.ext import glue as myst_glue
    ours = _captured(monkeypatch, lk.book.glue, (IPython.display, "display"),
                     "key", value, display=display)
    theirs = _captured(monkeypatch, myst_glue.glue, (myst_glue, "ipy_display"),
                       "key", value, display=display)
    assert ours == theirs


def test_numpy_scalars_are_stored_as_python_numbers(monkeypatch):
    """numpy 2 writes ``np.float64(0.25)`` as the text of a numpy scalar; the build
    could not format it (``{glue:text}`key:.2f```)."""
    import IPython.display
    for value, text in [(np.float64(0.25), "0.25"), (np.int64(7), "7"),
                        (np.bool_(True), "True")]:
        (bundle,), _ = _captured(monkeypatch, lk.book.glue, (IPython.display, "display"),
                                 "key", value, display=False)
        assert bundle == {"application/papermill.record/text/plain": text}


@pytest.mark.parametrize("kwargs, named, shown", [
    (dict(name=3), "name", "3"), (dict(name=""), "name", "''"),
    (dict(name=None), "name", "None"), (dict(display=1), "display", "1"),
    (dict(display="no"), "display", "'no'")])
def test_bad_arguments_are_named(kwargs, named, shown):
    args = dict(name="key", value=0.5, display=False) | kwargs
    with pytest.raises(lk.InvalidParameterError) as err:
        lk.book.glue(**args)
    assert f"'{named}'" in str(err.value) and shown in str(err.value)
