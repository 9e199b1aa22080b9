"""The window's own preferences (not the project's): the folders the file dialogs last used,
the Speakers panel's "This document only", whether new documents are suggested when first
opened (``suggestions/automatic``, off by default: :mod:`annotator.ui.auto_suggest`). Kept
with QSettings.

With ``ANNOTATOR_DATA_DIR`` set (the tests set it), they live in an INI file in that folder
instead of the user's configuration, so a test never reads or changes the user's choices.
The variable is read at every call.
"""
from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QSettings

from annotator.core.project import DATA_DIR_ENV

SETTINGS_FILE = "window-settings.ini"


def settings() -> QSettings:
    """The preferences store (write with ``setValue``; it is saved when dropped)."""
    folder = os.environ.get(DATA_DIR_ENV)
    if folder:
        return QSettings(str(Path(folder) / SETTINGS_FILE), QSettings.Format.IniFormat)
    return QSettings("Annotator", "Annotator")


def get_bool(key: str, default: bool = False) -> bool:
    value = settings().value(key, default)
    return value if isinstance(value, bool) else str(value).lower() in ("true", "1", "yes")


def set_value(key: str, value) -> None:
    store = settings()
    store.setValue(key, value)
    store.sync()


def folder(key: str) -> str:
    """A remembered folder that still exists, else the user's home folder."""
    value = settings().value(key, "")
    path = Path(str(value)) if value else None
    return str(path) if path is not None and path.is_dir() else str(Path.home())
