"""Chapter 7: the experiments whose results the chapter states (see lkcourse.book.ch1)."""
from __future__ import annotations

__all__: list[str] = []
