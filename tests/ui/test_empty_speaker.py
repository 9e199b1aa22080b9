"""Deleting the last mention of a speaker offers to remove the now empty speaker (issue 10):
Enter removes both in one undo step, "Keep the Speaker" the mention only, Escape nothing."""
from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402

from annotator.core.store import Store  # noqa: E402
from ui_keys import CTRL, K, find, press, select_by_keys  # noqa: E402


def _mark_lavrov(w, nth: int = 0) -> int:
    select_by_keys(w, *find(w.view.text, "Lavrov", nth))
    press(w, K.Key_S)
    return w.controller.current


def _offer(w, qtbot):
    """The open "remove the speaker too?" box, once it has the keyboard (as a user sees it)."""
    from PySide6.QtWidgets import QApplication
    box = w.controller.marking.offer
    assert box is not None
    qtbot.waitUntil(lambda: QApplication.activeWindow() is box)
    return box


def _speaker_names(w) -> list[str]:
    model = w.speakers.model
    return [str(model.data(model.index(row, 1))) for row in range(model.rowCount())]


def test_enter_removes_the_empty_speaker_and_one_undo_brings_both_back(project_path, make_window, qtbot):
    store = Store.open(project_path)
    w = make_window(store)
    mention = _mark_lavrov(w)
    lavrov = store.span(mention).entity_id
    select_by_keys(w, *find(w.view.text, "The conversation seemed constructive to me"))
    press(w, K.Key_C)
    claim = w.controller.current
    press(w, getattr(K, f"Key_{w.controller.speaker_numbers.number_of(lavrov)}"))
    assert store.span(claim).speaker_id == lavrov
    w.controller.set_current(mention)
    count = w.controller.undo_stack.count()
    press(w, K.Key_Delete)
    box = _offer(w, qtbot)
    assert box.isVisible() and "last mention of Lavrov" in box.text()
    assert store.span(mention) is not None  # nothing deleted before the answer
    QTest.keyClick(box, K.Key_Return)  # the keyboard default: remove the speaker too
    assert store.span(mention) is None and store.entity(lavrov) is None
    assert store.span(claim).speaker_id is None and "Lavrov" not in _speaker_names(w)
    assert w.controller.undo_stack.count() == count + 1
    qtbot.waitUntil(w.view.hasFocus)  # the keys act on the article again
    press(w, K.Key_Z, CTRL)
    assert store.span(mention) is not None and store.entity(lavrov) is not None
    assert store.span(claim).speaker_id == lavrov and "Lavrov" in _speaker_names(w)


def test_keep_the_speaker_or_escape(project_path, make_window, qtbot):
    store = Store.open(project_path)
    w = make_window(store)
    mention = _mark_lavrov(w)
    lavrov = store.span(mention).entity_id
    w.controller.set_current(mention)
    press(w, K.Key_Delete)
    QTest.keyClick(_offer(w, qtbot), K.Key_Escape)  # nothing deleted
    assert store.span(mention) is not None and store.entity(lavrov) is not None
    assert w.controller.marking.offer is None
    qtbot.waitUntil(w.view.hasFocus)
    press(w, K.Key_Delete)
    keep = next(b for b in _offer(w, qtbot).buttons() if b.text() == "&Keep the Speaker")
    qtbot.mouseClick(keep, Qt.MouseButton.LeftButton)
    assert store.span(mention) is None and store.entity(lavrov) is not None


def test_a_mention_that_is_not_the_last_is_deleted_without_a_question(project_path, make_window, qtbot):
    store = Store.open(project_path)
    w = make_window(store)
    first = _mark_lavrov(w)
    second = _mark_lavrov(w, 1)
    lavrov = store.span(first).entity_id
    assert store.span(second).entity_id == lavrov
    press(w, K.Key_Delete)
    assert w.controller.marking.offer is None and store.span(second) is None
    assert store.entity(lavrov) is not None
    qtbot.waitUntil(w.view.hasFocus)
    w.controller.set_current(first)
    press(w, K.Key_Delete)  # now it is the last one
    QTest.keyClick(_offer(w, qtbot), K.Key_Escape)
    assert store.span(first) is not None
