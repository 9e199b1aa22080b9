"""Importing sqlite-utils without numpy and pandas.

``sqlite_utils.db`` imports numpy and pandas when they are installed, only to map their
scalar types to column types when it creates tables from Python values (sqlite-utils 3.x,
``COLUMN_TYPE_MAPPING``). The store never inserts numpy or pandas values, and numpy alone
costs about 0.15 s of every command's start-up (``python -X importtime``; spaCy brings it in
with it, later, only for the commands that need spaCy). So while sqlite-utils is first
imported, the two names are marked as missing (``sys.modules[name] = None``, which makes
``import name`` raise ImportError: the Python import system's documented rule); the marks
are taken away again at once, so a later ``import numpy`` works as usual. When numpy or
pandas is already imported, it is left as it is.
"""
from __future__ import annotations

import sys

_HIDDEN = ("numpy", "pandas")


def load() -> None:
    """Import ``sqlite_utils`` (once) with numpy and pandas hidden from it, if neither is
    imported yet."""
    if "sqlite_utils.db" in sys.modules:
        return
    hidden = [name for name in _HIDDEN if name not in sys.modules]
    for name in hidden:
        sys.modules[name] = None  # type: ignore[assignment]
    try:
        import sqlite_utils.db  # noqa: F401
    finally:
        for name in hidden:
            if sys.modules.get(name, 0) is None:
                del sys.modules[name]
