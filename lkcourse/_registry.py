"""The one registry type of :mod:`lkcourse`, and the pickling helper of immutable objects.

A registry is a mapping ``name -> object`` (``lk.ACTIVATIONS``: the activation objects
with default parameters; ``lk.PENALTIES``: the penalty classes, since ``Lk`` has no
default exponent), read-only except through its ``register`` method, which
``lk.register_penalty`` and ``lk.register_activation`` call. Tests iterate over a
registry, so a new entry is tested the moment it is added.
"""
from __future__ import annotations

import types
from collections.abc import Mapping

from ._validation import InvalidParameterError

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
    protected : iterable of str
        Names that ``register`` may never replace (the package's own entries).
    """

    def __init__(self, title, items, show="repr", protected=()):
        self._title = title
        self._dict = dict(items)
        self._items = types.MappingProxyType(self._dict)
        self._show = show
        self._protected = frozenset(protected)

    def register(self, name, obj, *, replace=False, owner=None):
        """Add ``name -> obj``; an existing name only with ``replace`` (never a
        protected one). ``owner`` names the public function in error messages."""
        owner = owner or f"{self._title}.register"
        if name in self._protected:
            raise InvalidParameterError(
                f"The 'name' parameter of {owner} must not be a built-in name "
                f"({', '.join(repr(k) for k in sorted(self._protected))}). "
                f"Got {name!r} instead.")
        if name in self._dict and not replace:
            raise InvalidParameterError(
                f"The 'name' parameter of {owner} must be a new name (or pass "
                f"replace=True). Got {name!r} instead, already registered.")
        self._dict[name] = obj

    def unregister(self, name):
        """Remove an entry added with ``register`` (protected names stay)."""
        if name in self._protected or name not in self._dict:
            raise InvalidParameterError(
                f"The 'name' parameter of {self._title}.unregister must be a registered, "
                f"non-built-in name. Got {name!r} instead.")
        del self._dict[name]

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
        return (Registry, (self._title, dict(self._items), self._show, self._protected))


def rebuild(cls, params):
    """``cls(**params)``: how the immutable objects (activations, penalties) unpickle.

    Copying or unpickling rebuilds the object through its constructor, so the
    parameters are validated again and the object is as immutable as the original.
    """
    return cls(**params)
