"""The real window driven by the keyboard (and a few mouse clicks), checked in the store.

Keys go to the focused article view with QTest.keyClick (ASCII only), so they take the
same path as a user's: the window's shortcut map, then the controller, the store and the
undo stack.
"""
from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402
from PySide6.QtCore import QPoint, Qt, QTimer  # noqa: E402
from PySide6.QtGui import QTextCursor  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication, QMessageBox  # noqa: E402

from annotator.core.store import Store  # noqa: E402
from ui_keys import find, press, select_by_keys  # noqa: E402

K = Qt.Key
SHIFT, CTRL, ALT = Qt.KeyboardModifier.ShiftModifier, Qt.KeyboardModifier.ControlModifier, Qt.KeyboardModifier.AltModifier


def answer_when_asked(title: str, button: QMessageBox.StandardButton) -> None:
    """Click ``button`` in the message box called ``title`` once it is shown (it runs its
    own event loop, so the click is scheduled before it opens)."""
    def answer():
        boxes = [b for b in QApplication.topLevelWidgets()
                 if isinstance(b, QMessageBox) and b.isVisible() and b.windowTitle() == title]
        if boxes:
            boxes[0].button(button).click()
        else:
            QTimer.singleShot(10, answer)

    QTimer.singleShot(0, answer)


def only(spans, label):
    return [s for s in spans if s.label == label]


def test_annotate_the_seed_article_by_keyboard(project_path, make_window):
    store = Store.open(project_path)
    w = make_window(store)
    text, doc = w.view.text, w.controller.doc_id
    assert doc == 1 and "Annotator" in w.windowTitle() and "United States" in w.windowTitle()

    select_by_keys(w, *find(text, "Antony Blinken"))
    press(w, K.Key_S)
    select_by_keys(w, find(text, "Sergey Lavrov")[0] + 2, find(text, "Sergey Lavrov")[1] - 2)  # snaps to words
    press(w, K.Key_S)
    assert [(s.start, s.end) for s in store.spans(doc)] == [find(text, "Antony Blinken"), find(text, "Sergey Lavrov")]
    assert [e.name for e in store.entities()] == ["Antony Blinken", "Sergey Lavrov"]
    assert w.speakers.model.numbered(2).name == "Sergey Lavrov"

    select_by_keys(w, *find(text, "Lavrov", 2))  # "Lavrov praised the talks": a mention of #2
    press(w, K.Key_2)
    select_by_keys(w, *find(text, "said both", length=4))
    press(w, K.Key_Q)
    select_by_keys(w, *find(text, "constructive"))
    press(w, K.Key_C)
    claim = only(store.spans(doc), "claim")[0]
    assert claim.form == "direct" and w.controller.current == claim.id
    assert w.actions["undo"].text() == "&Undo Mark claim"

    press(w, K.Key_2)  # attribute the current claim to speaker #2
    claim = store.span(claim.id)
    lavrov = store.find_entity("Sergey Lavrov").id
    assert claim.speaker_id == lavrov
    assert store.span(claim.source_id).start == find(text, "Lavrov", 2)[0]
    assert store.span(claim.cue_id).label == "cue"
    press(w, K.Key_P)
    assert store.span(claim.id).polarity == "positive"
    press(w, K.Key_P)  # the same key again clears
    assert store.span(claim.id).polarity is None
    press(w, K.Key_N)
    press(w, K.Key_F)
    press(w, K.Key_I)
    assert (store.span(claim.id).polarity, store.span(claim.id).form, store.span(claim.id).intensity) == ("negative", "indirect", "low")
    assert w.claims.model.data(w.claims.model.index(0, 3)) == "negative"
    assert w.sentiment.intensity.currentData() == "low"

    press(w, K.Key_Z, CTRL)
    press(w, K.Key_Z, CTRL)
    assert (store.span(claim.id).form, store.span(claim.id).intensity) == ("direct", None)
    press(w, K.Key_Z, CTRL | SHIFT)
    assert store.span(claim.id).form == "indirect"
    press(w, K.Key_Y, CTRL)
    assert store.span(claim.id).intensity == "low"

    press(w, K.Key_P, SHIFT)
    press(w, K.Key_D, CTRL)
    assert (store.document(doc).polarity, store.document(doc).status) == ("positive", "done")
    assert w.documents.model.data(w.documents.model.index(0, 1)) == "done"
    press(w, K.Key_Escape)
    assert w.controller.current is None and w.sentiment.polarity.isEnabled() is False
    press(w, K.Key_W)
    assert not w.view.snap_to_words and not w.actions["snap_words"].isChecked()
    select_by_keys(w, find(text, "Russian news")[0] + 2, find(text, "Russian news")[0] + 5)
    press(w, K.Key_S)  # without word snapping the mention is exactly what was selected
    assert store.entities()[-1].name == "ssi"


def test_next_previous_annotation_and_delete(project_path, make_window):
    store = Store.open(project_path)
    w = make_window(store)
    text = w.view.text
    for needle in ("Antony Blinken", "Sergey Lavrov", "Joe Biden"):
        select_by_keys(w, *find(text, needle))
        press(w, K.Key_S)
    w.view.set_cursor(0)
    press(w, K.Key_Escape)
    press(w, K.Key_BracketRight)
    assert w.controller.current_span().start == find(text, "Antony Blinken")[0]
    press(w, K.Key_BracketRight)
    press(w, K.Key_BracketRight)
    assert w.controller.current_span().start == find(text, "Joe Biden")[0]
    press(w, K.Key_BracketLeft)
    current = w.controller.current
    assert store.span(current).start == find(text, "Sergey Lavrov")[0]
    press(w, K.Key_Delete)  # Lavrov's last mention: Enter removes the speaker too (test_empty_speaker.py)
    QTest.keyClick(w.controller.marking.offer, K.Key_Return)
    assert store.span(current) is None and w.controller.current is None
    assert current not in w.view.index
    press(w, K.Key_Z, CTRL)
    assert store.span(current) is not None and current in w.view.index


def test_documents_by_keyboard_and_last_document_remembered(project_path, make_window):
    w = make_window(Store.open(project_path))
    press(w, K.Key_PageDown, CTRL)
    assert w.controller.doc_id == 2 and w.view.text.startswith("Second article")
    select_by_keys(w, *find(w.view.text, "will open soon."))
    press(w, K.Key_C)
    press(w, K.Key_Up, ALT)
    assert w.controller.doc_id == 1
    press(w, K.Key_Z, CTRL)  # undo in the other document shows that document
    assert w.controller.doc_id == 2 and not w.view.index
    press(w, K.Key_Z, CTRL | SHIFT)
    assert len(w.view.index) == 1 and w.documents.model.data(w.documents.model.index(1, 2)) == 1
    w.close()
    again = make_window(Store.open(project_path))
    assert again.controller.doc_id == 2
    assert [s.form for s in again.view.index] == ["direct"]
    assert again.claims.model.rowCount() == 1


def test_delete_speaker_then_undo_restores_mentions_and_attributions(project_path, make_window, qtbot):
    store = Store.open(project_path)
    w = make_window(store)
    text, doc = w.view.text, w.controller.doc_id
    for needle, nth in (("Sergey Lavrov", 0), ("Lavrov", 2)):
        select_by_keys(w, *find(text, needle, nth))
        press(w, K.Key_1 if nth else K.Key_S)
    select_by_keys(w, *find(text, "useful,"))
    press(w, K.Key_C)
    press(w, K.Key_1)
    before = store.spans(doc)
    assert len(only(before, "speaker")) == 2 and only(before, "claim")[0].speaker_id is not None

    w.speakers.view.selectRow(0)
    assert w.speakers.mentions.count() == 2

    answer_when_asked("Delete speaker", QMessageBox.StandardButton.Yes)
    w.speakers.delete_action.trigger()
    assert store.entities() == [] and only(store.spans(doc), "speaker") == []
    assert only(store.spans(doc), "claim")[0].speaker_id is None
    assert w.speakers.model.rowCount() == 0 and w.claims.model.data(w.claims.model.index(0, 1)) == "—"

    with qtbot.waitActive(w):  # the offscreen platform does not give it back after the box
        w.activateWindow()
    w.view.setFocus()
    press(w, K.Key_Z, CTRL)
    assert store.spans(doc) == before and len(store.entities()) == 1
    assert len(w.view.index) == 3 and w.speakers.model.rowCount() == 1
    assert w.claims.model.data(w.claims.model.index(0, 1)) == "Sergey Lavrov"


@pytest.mark.qt_log_ignore("This plugin does not support raise")  # the hover tooltip, offscreen
def test_click_on_a_claim_makes_it_current(project_path, make_window, qtbot):
    store = Store.open(project_path)
    w = make_window(store)
    text = w.view.text
    select_by_keys(w, *find(text, "it was no secret"))
    press(w, K.Key_C)
    claim_id = w.controller.current
    press(w, K.Key_Escape)
    w.view.set_cursor(0)  # (it may scroll: the keys kept the caret clear of the bottom edge)
    at = QTextCursor(w.view.document())
    at.setPosition(find(text, "no secret")[0])
    rect = w.view.cursorRect(at)
    point = QPoint(rect.center().x() + 4, rect.center().y())
    qtbot.mouseClick(w.view.viewport(), Qt.MouseButton.LeftButton, pos=point)
    assert w.controller.current == claim_id
    assert w.claims.view.currentIndex().row() == 0
    assert w.sentiment.polarity.isEnabled()
    qtbot.mouseMove(w.view.viewport(), point)
    qtbot.waitUntil(lambda: "Claim" in w.place.text())


def test_single_keys_type_into_editors_and_work_in_the_article(project_path, make_window, qtbot):
    store = Store.open(project_path)
    w = make_window(store)
    text = w.view.text
    select_by_keys(w, *find(text, "killer,"))
    press(w, K.Key_C)
    claim_id = w.controller.current
    press(w, K.Key_T)
    assert w.sentiment.target.hasFocus()
    QTest.keyClicks(w.sentiment.target, "Putin SQC 12 PN")
    QTest.keyClick(w.sentiment.target, K.Key_Return)
    span = store.span(claim_id)
    assert (span.target, span.polarity) == ("Putin SQC 12 PN", None)
    assert len(store.spans(1)) == 1 and w.view.hasFocus()
    press(w, K.Key_M)  # back in the article: the key is a shortcut again
    assert store.span(claim_id).polarity == "mixed"


def test_rename_speaker_with_f2(project_path, make_window, qtbot):
    store = Store.open(project_path)
    w = make_window(store)
    select_by_keys(w, *find(w.view.text, "Lavrov", 2))
    press(w, K.Key_S)
    w.speakers.view.setFocus()
    w.speakers.view.setCurrentIndex(w.speakers.model.index(0, 1))
    QTest.keyClick(w.speakers.view, K.Key_F2)
    editor = QApplication.focusWidget()
    editor.selectAll()
    QTest.keyClicks(editor, "Sergey Lavrov 2")
    QTest.keyClick(editor, K.Key_Return)  # the delegate commits in a queued call
    qtbot.waitUntil(lambda: [e.name for e in store.entities()] == ["Sergey Lavrov 2"])
    assert len(store.spans(1)) == 1
    w.view.setFocus()
    press(w, K.Key_Z, CTRL)
    assert store.entities()[0].name == "Lavrov"
    assert w.speakers.model.data(w.speakers.model.index(0, 1)) == "Lavrov"


def test_input_errors_become_message_boxes(project_path, make_window, qtbot):
    from annotator.core import operations as ops

    store = Store.open(project_path)
    w = make_window(store)
    eid = ops.new_entity(store, "Somebody").created_id("entities")
    assert w.controller.run(ops.rename_entity, eid, "   ") is None
    box = w.findChild(QMessageBox, "message_box")
    assert box is not None and box.isVisible() and "needs a name" in box.text()
    box.close()
    press(w, K.Key_C)  # no selection: a hint, no error
    assert "Select some text" in w.statusBar().currentMessage()
