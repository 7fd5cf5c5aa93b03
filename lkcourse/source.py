"""Show a library function's source in a notebook, so readers see the tested code."""
from __future__ import annotations

import ast
import html
import inspect
import textwrap

from ._validation import fail

__all__ = ["show_source", "SourceCode"]


class SourceCode:
    """The source text of a Python object, rendered as highlighted code in notebooks.

    ``str(src)`` is the plain text; in Jupyter and in the built book the object
    displays as a syntax-highlighted block (HTML when Pygments is available,
    Markdown otherwise).
    """

    def __init__(self, text, name):
        self.text = text
        self.name = name

    def __str__(self):
        return self.text

    def __repr__(self):
        return self.text

    def _repr_markdown_(self):
        return f"```python\n{self.text}```"

    def _repr_html_(self):
        """Highlighted with the classes of the page's own code blocks (``<div
        class="highlight">``, Pygments' short token classes): the book's theme and
        JupyterLab colour them in light and dark mode alike, as they colour every
        code cell. No inline colours, which would be fixed to one background."""
        try:
            from pygments import highlight
            from pygments.formatters import HtmlFormatter
            from pygments.lexers import PythonLexer
        except ImportError:  # pragma: no cover - pygments ships with Jupyter
            return None
        fmt = HtmlFormatter(cssclass="highlight")
        name = html.escape(self.name, quote=True)
        return (f'<div class="lk-source highlight-python notranslate" '
                f'title="source of {name}">{highlight(self.text, PythonLexer(), fmt)}</div>')


def show_source(obj, *, docstring=False):
    """Return the source code of a function, class or method for display.

    Parameters
    ----------
    obj : function, class or method
        Typically something from :mod:`lkcourse`, e.g. ``lk.check_grad``.
    docstring : bool
        Keep the docstrings (of the object and, for a class, of its methods). By
        default they are left out, so the reader sees the code itself; the API
        reference shows the docstrings.

    Returns
    -------
    SourceCode
        Displays as highlighted code in a notebook; ``str()`` gives the text.

    Raises
    ------
    InvalidParameterError
        If ``obj`` has no Python source (a builtin, a number, ...).

    Examples
    --------
    >>> import lkcourse as lk
    >>> print(str(lk.show_source(lk.show_source)).splitlines()[0])
    def show_source(obj, *, docstring=False):
    """
    try:
        text = inspect.getsource(obj)
    except (TypeError, OSError):
        fail("obj", "show_source", "a function, class or method with Python source", obj)
    name = getattr(obj, "__qualname__", getattr(obj, "__name__", "object"))
    text = textwrap.dedent(text)
    if not isinstance(docstring, bool):
        fail("docstring", "show_source", "True or False", docstring)
    return SourceCode(text if docstring else _strip_docstrings(text), name)


def _strip_docstrings(text):
    """Remove the docstring lines of every function and class defined in ``text``."""
    drop = set()
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            body = node.body
            if (body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant)
                    and isinstance(body[0].value.value, str)):
                drop.update(range(body[0].lineno, body[0].end_lineno + 1))
    lines = text.splitlines(keepends=True)
    return "".join(line for i, line in enumerate(lines, start=1) if i not in drop)
