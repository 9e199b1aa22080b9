"""Issue 10 friction: the article's text size could not be changed. Ctrl+Plus / Ctrl+Minus /
Ctrl+0 (View menu, F1 sheet) change it, and the size is remembered."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtTest import QTest

from annotator.core.store import Store
from annotator.ui.actions import action_defs
from annotator.ui.main_window import MainWindow
from annotator.ui.text_view import NORMAL_POINT_SIZE


def test_keys_change_the_text_size_and_it_is_remembered(qtbot):
    window = MainWindow(Store.memory())
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    view = window.view
    assert view.point_size() == NORMAL_POINT_SIZE
    QTest.keyClick(view, Qt.Key.Key_Plus, Qt.KeyboardModifier.ControlModifier)
    bigger = view.point_size()
    assert bigger > NORMAL_POINT_SIZE
    height = view.fontMetrics().height()
    QTest.keyClick(view, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    QTest.keyClick(view, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    assert view.point_size() < NORMAL_POINT_SIZE and view.fontMetrics().height() < height
    smaller = view.point_size()
    window.close()

    again = MainWindow(Store.memory())  # the next session
    qtbot.addWidget(again)
    assert again.view.point_size() == smaller
    again.actions["text_normal"].trigger()
    assert again.view.point_size() == NORMAL_POINT_SIZE


def test_the_keys_are_declared_in_the_view_menu():
    from annotator.core.schema import load_schema

    defs = {d.id: d for d in action_defs(load_schema())}
    assert defs["text_bigger"].menu == "View" and "Ctrl++" in defs["text_bigger"].shortcuts
    assert defs["text_smaller"].shortcuts == ("Ctrl+-",) and defs["text_normal"].shortcuts == ("Ctrl+0",)
    assert not defs["text_bigger"].text_scope
