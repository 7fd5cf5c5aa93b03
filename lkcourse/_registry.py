"""The one registry type of :mod:`lkcourse`, and the pickling helper of immutable objects.

A registry is a read-only mapping ``name -> object`` (``lk.ACTIVATIONS``: the
activation objects with default parameters; ``lk.PENALTIES``: the penalty classes,
since ``Lk`` has no default exponent). Tests iterate over a registry, so a new entry is
tested the moment it is added.
"""
from __future__ import annotations

import types
from collections.abc import Mapping

__all__: list[str] = []


class Registry(Mapping):
    """Read-only mapping ``name -> object``, shown as ``NAME({'a': ..., ...})``.

    Parameters
    ----------
    title : str
        The name shown by ``repr`` (e.g. ``"ACTIVATIONS"``).
    items : mapping or iterable of (str, object) pairs
        The entries, in display order.
    show : {"repr", "type"}
        How ``repr`` shows each value: its ``repr``, or the name of its class (the
        value's own name when it is a class).
    """

    def __init__(self, title, items, show="repr"):
        self._title = title
        self._items = types.MappingProxyType(dict(items))
        self._show = show

    def __getitem__(self, name):
        return self._items[name]

    def __iter__(self):
        return iter(self._items)

    def __len__(self):
        return len(self._items)

    def __repr__(self):
        def shown(v):
            if self._show == "repr":
                return repr(v)
            return v.__name__ if isinstance(v, type) else type(v).__name__
        body = ", ".join(f"{k!r}: {shown(v)}" for k, v in self._items.items())
        return f"{self._title}({{{body}}})"

    def __reduce__(self):
        return (Registry, (self._title, dict(self._items), self._show))


def rebuild(cls, params):
    """``cls(**params)``: how the immutable objects (activations, penalties) unpickle.

    Copying or unpickling rebuilds the object through its constructor, so the
    parameters are validated again and the object is as immutable as the original.
    """
    return cls(**params)
