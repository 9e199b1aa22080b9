"""The window layout remembered: size, position, and where each dock and the toolbar are
(and whether they show), saved in the window settings when the window closes and restored
when the next one opens; View > Reset Layout goes back to the layout a new window has.

Qt's own ``saveGeometry`` / ``saveState`` bytes are kept (keys :data:`GEOMETRY_KEY`,
:data:`STATE_KEY`), with :data:`LAYOUT_VERSION`: a layout saved by another version of the
window's docks is ignored rather than half applied. Docks and toolbars are found by their
``objectName``.
"""
from __future__ import annotations

from PySide6.QtCore import QByteArray
from PySide6.QtWidgets import QMainWindow

from annotator.ui import settings

GEOMETRY_KEY, STATE_KEY = "window/geometry", "window/state"
LAYOUT_VERSION = 1  # raise it when the docks change so much that an old layout would mislead


class WindowLayout:
    """The layout of ``window`` (a QMainWindow whose docks are all added): :meth:`restore`
    once at start, :meth:`save` when it closes, :meth:`reset` for View > Reset Layout. No
    signals."""

    def __init__(self, window: QMainWindow):
        self.window = window
        self.default_state = window.saveState(LAYOUT_VERSION)  # the layout a new window has
        self.default_size = window.size()

    def restore(self) -> bool:
        """Apply the layout saved last, if any (True if the dock layout was restored)."""
        store = settings.settings()
        geometry, state = store.value(GEOMETRY_KEY), store.value(STATE_KEY)
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.window.restoreGeometry(geometry)
        if isinstance(state, QByteArray) and not state.isEmpty():
            return bool(self.window.restoreState(state, LAYOUT_VERSION))
        return False

    def save(self) -> None:
        """Remember the window's size, position and docks for the next start."""
        store = settings.settings()
        store.setValue(GEOMETRY_KEY, self.window.saveGeometry())
        store.setValue(STATE_KEY, self.window.saveState(LAYOUT_VERSION))
        store.sync()

    def reset(self) -> None:
        """Back to the layout of a new window (its docks where they start, its size)."""
        if self.window.isMaximized() or self.window.isFullScreen():
            self.window.showNormal()
        self.window.restoreState(self.default_state, LAYOUT_VERSION)
        self.window.resize(self.default_size)
