"""A claim in several fragments, made and unmade from the keyboard (Shift+C, Shift+Delete)
and the mouse (a drag, then the right-click menu), each one undo step (issue 10)."""
from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402
from PySide6.QtCore import QPoint, Qt  # noqa: E402
from PySide6.QtGui import QContextMenuEvent  # noqa: E402
from PySide6.QtWidgets import QApplication, QMenu  # noqa: E402

from annotator.core.model import NewDocument  # noqa: E402
from annotator.core.store import Store  # noqa: E402
from ui_keys import CTRL, SHIFT, K, find, press, select_by_keys  # noqa: E402

TEXT = ("Grants\n\nInstitutional recipients, said Mauer, are required to report every grant. "
        "Others are not.\n\nMauer left the room.")


@pytest.fixture
def window(tmp_path, make_window):
    store = Store.open(tmp_path / "mauer.annotator")
    store.import_documents([NewDocument(title="Grants", text=TEXT)])
    return make_window(store)


def _point(w, offset: int) -> QPoint:
    """The viewport point in the middle of the character at code point ``offset``."""
    from PySide6.QtGui import QTextCursor
    cursor = QTextCursor(w.view.document())
    cursor.setPosition(w.view._omap.to_qt(offset))
    left = w.view.cursorRect(cursor)
    cursor.setPosition(w.view._omap.to_qt(offset + 1))
    right = w.view.cursorRect(cursor)
    return QPoint((left.left() + right.left()) // 2, left.center().y())


def _right_click(w, offset: int, monkeypatch, choose: str | None = None) -> list[str]:
    """A real context-menu event on the character at ``offset``; returns the menu's entries
    and triggers the one named ``choose``."""
    shown: list[str] = []

    def run_menu(menu: QMenu, _at) -> None:
        shown.extend(a.text() for a in menu.actions())
        chosen = next((a for a in menu.actions() if a.text() == choose), None)
        if chosen is not None:
            chosen.trigger()
    monkeypatch.setattr(w.text_menu, "run_menu", run_menu)
    point = _point(w, offset)
    event = QContextMenuEvent(QContextMenuEvent.Reason.Mouse, point, w.view.viewport().mapToGlobal(point))
    QApplication.sendEvent(w.view.viewport(), event)
    return shown


def _drag(qtbot, w, start: int, end: int) -> None:
    """Select from the character at ``start`` to the one before ``end`` with the mouse."""
    viewport = w.view.viewport()
    qtbot.mousePress(viewport, Qt.MouseButton.LeftButton, pos=_point(w, start))
    qtbot.mouseMove(viewport, _point(w, end - 1))
    qtbot.mouseRelease(viewport, Qt.MouseButton.LeftButton, pos=_point(w, end - 1))


def test_a_claim_around_its_cue_from_the_keyboard(window):
    w, store = window, window.store
    select_by_keys(w, *find(TEXT, "Institutional recipients"))
    press(w, K.Key_C)
    claim = w.controller.current
    select_by_keys(w, *find(TEXT, "said"))
    press(w, K.Key_Q)
    select_by_keys(w, *find(TEXT, "Mauer"))
    press(w, K.Key_S)  # the cue and the source between: the claim stays the one Shift+C extends
    select_by_keys(w, *find(TEXT, "are required to report every grant"))
    press(w, K.Key_C, SHIFT)
    span = store.span(claim)
    assert span.fragments == (find(TEXT, "Institutional recipients"), find(TEXT, "are required to report every grant"))
    assert w.controller.current == claim and "2 fragments" in w.statusBar().currentMessage()
    assert w.view.index.get(claim).fragments == span.fragments  # the view follows
    row = w.claims.model.row_of(claim)
    assert w.claims.model.data(w.claims.model.index(row, 0)) == "Institutional recipients … are required to report every grant"
    stack = w.controller.undo_stack
    press(w, K.Key_Z, CTRL)  # one undo step
    assert store.span(claim).fragments == (find(TEXT, "Institutional recipients"),)
    press(w, K.Key_Z, CTRL | SHIFT)
    assert len(store.span(claim).fragments) == 2
    # the caret in the first fragment: Shift+Delete removes it, the rest stays
    w.view.set_cursor(find(TEXT, "recipients")[0])
    count = stack.count()
    press(w, K.Key_Delete, SHIFT)
    assert store.span(claim).fragments == (find(TEXT, "are required to report every grant"),)
    assert stack.count() == count + 1 and store.span(claim) is not None
    press(w, K.Key_Delete, SHIFT)  # the last fragment stays: the status bar says to delete the claim
    assert store.span(claim) is not None and stack.count() == count + 1
    assert "only this fragment" in w.statusBar().currentMessage() and QApplication.activeModalWidget() is None
    press(w, K.Key_Z, CTRL)
    assert len(store.span(claim).fragments) == 2


def test_shift_c_without_a_claim_or_selection_says_what_to_do(window):
    w = window
    select_by_keys(w, *find(TEXT, "Others are not"))
    press(w, K.Key_C, SHIFT)
    assert "No current claim" in w.statusBar().currentMessage() and len(w.view.index) == 0
    w.controller.clear_selection()
    press(w, K.Key_C, SHIFT)
    assert "Select some text first" in w.statusBar().currentMessage()


def test_a_claim_in_two_fragments_from_the_mouse(window, qtbot, monkeypatch):
    w, store = window, window.store
    _drag(qtbot, w, *find(TEXT, "Institutional recipients"))
    entries = _right_click(w, find(TEXT, "recipients")[0], monkeypatch, choose="Mark as Claim")
    assert "&Add Selection to Claim" in entries and "&Remove Fragment" not in entries
    claim = w.controller.current
    assert store.span(claim).label == "claim"
    _drag(qtbot, w, *find(TEXT, "are required to report"))
    _right_click(w, find(TEXT, "required")[0], monkeypatch, choose="&Add Selection to Claim")
    assert store.span(claim).fragments == (find(TEXT, "Institutional recipients"), find(TEXT, "are required to report"))
    # a right-click on the second fragment without a selection: Remove Fragment removes that one
    w.controller.clear_selection()
    entries = _right_click(w, find(TEXT, "report")[0], monkeypatch, choose="&Remove Fragment")
    assert "&Add Selection to Claim" not in entries
    assert store.span(claim).fragments == (find(TEXT, "Institutional recipients"),)
    entries = _right_click(w, find(TEXT, "recipients")[0], monkeypatch)
    assert "&Remove Fragment" not in entries  # one fragment left: nothing to remove


def test_the_fragment_keys_are_in_the_menu_and_the_help(window):
    from annotator.ui.help import help_html
    w = window
    assert w.actions["add_fragment"].shortcut().toString() == "Shift+C"
    assert w.actions["remove_fragment"].shortcut().toString() == "Shift+Del"
    annotate = next(m for m in w.menuBar().actions() if m.text() == "&Annotate").menu()
    assert w.actions["add_fragment"] in annotate.actions() and w.actions["remove_fragment"] in annotate.actions()
    html = help_html(w.defs, w.store.schema)
    assert "Add Selection to Claim" in html and "Remove Fragment" in html
