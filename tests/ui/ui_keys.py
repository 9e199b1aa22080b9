"""Driving the article view from the keyboard in tests: keys go to the focused view with
QTest.keyClick (ASCII only: qtbot.keyClicks with non-ASCII text aborts the process), the
same path as a user's (shortcut map, controller, store, undo stack)."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

K = Qt.Key
NONE = Qt.KeyboardModifier.NoModifier
SHIFT, CTRL, ALT = Qt.KeyboardModifier.ShiftModifier, Qt.KeyboardModifier.ControlModifier, Qt.KeyboardModifier.AltModifier


def find(text: str, needle: str, nth: int = 0, length: int | None = None) -> tuple[int, int]:
    """The code-point range of the ``nth`` occurrence of ``needle`` (or of its first
    ``length`` characters)."""
    start = -1
    for _ in range(nth + 1):
        start = text.index(needle, start + 1)
    return start, start + (len(needle) if length is None else length)


def press(window, key, modifiers=NONE, times: int = 1) -> None:
    """Press ``key`` ``times`` times in the window's article view."""
    for _ in range(times):
        QTest.keyClick(window.view, key, modifiers)


def select_by_keys(window, start: int, end: int) -> None:
    """Put the cursor at ``start`` and extend the selection with Shift+Right to ``end``."""
    window.view.set_cursor(start)
    press(window, K.Key_Right, SHIFT, times=end - start)
