"""Find in the document (Ctrl+F, F3 / Shift+F3), through the real window: the keys go to
the widgets as a user's do; non-ASCII text is typed with QKeyEvents (QTest.keyClicks with
non-ASCII text aborts)."""
from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QEvent, Qt  # noqa: E402
from PySide6.QtGui import QKeyEvent  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from annotator.core.model import NewDocument  # noqa: E402
from annotator.core.store import Store  # noqa: E402
from annotator.core.text_search import find_all  # noqa: E402
from ui_keys import CTRL, NONE, SHIFT, K  # noqa: E402

UNICODE = "Zürich 😀 said ZÜRICH. In Zürichsee, zürich works; 😀😀 Zürich again.\n\nSecond paragraph: Zürich."


def type_text(widget, text: str) -> None:
    """Type ``text`` into ``widget`` one character at a time, as key events carrying it."""
    for ch in text:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, Qt.Key.Key_unknown, Qt.KeyboardModifier.NoModifier, ch))


def key(window, k, modifiers=NONE) -> None:
    QTest.keyClick(QApplication.focusWidget() or window, k, modifiers)


def _window(tmp_path, make_window, text=UNICODE):
    store = Store.open(tmp_path / "f.db")
    store.import_documents([NewDocument(title="Unicode", text=text), NewDocument(title="Other", text="Nothing here.")])
    w = make_window(store)
    w.controller.open_document(w.documents.model.ids()[0])
    w.view.setFocus()
    return w, store


def test_ctrl_f_highlights_every_hit_and_counts_them(tmp_path, make_window):
    w, _store = _window(tmp_path, make_window)
    key(w, K.Key_F, CTRL)
    assert w.find_bar.isVisible() and w.find_bar.field.hasFocus()
    type_text(w.find_bar.field, "zürich")
    hits = find_all(UNICODE, "zürich")
    assert len(hits) == 6
    assert w.find_bar.highlighted() == hits  # extra selections, in code points (after the emoji)
    assert w.view.selection_range() == hits[0]
    assert w.find_bar.count.text() == "1 of 6"
    assert not w.view.document().isModified()  # never written into the document's formats
    assert not w.view.document().isUndoAvailable()


def test_enter_f3_and_shift_f3_go_through_the_hits_and_wrap(tmp_path, make_window):
    w, _store = _window(tmp_path, make_window)
    hits = find_all(UNICODE, "zürich")
    key(w, K.Key_F, CTRL)
    type_text(w.find_bar.field, "Zürich")
    key(w, K.Key_Return)
    assert w.view.selection_range() == hits[1] and w.find_bar.count.text() == "2 of 6"
    key(w, K.Key_Return, SHIFT)
    assert w.view.selection_range() == hits[0]
    key(w, K.Key_F3, SHIFT)  # before the first: wraps to the last
    assert w.view.selection_range() == hits[-1] and w.find_bar.count.text() == "6 of 6"
    key(w, K.Key_F3)
    assert w.view.selection_range() == hits[0]


def test_case_and_whole_word_options(tmp_path, make_window):
    w, _store = _window(tmp_path, make_window)
    key(w, K.Key_F, CTRL)
    type_text(w.find_bar.field, "Zürich")
    w.find_bar.case.setChecked(True)
    assert len(w.find_bar.hits) == 4 and w.find_bar.count.text().endswith("of 4")
    w.find_bar.words.setChecked(True)  # not "Zürichsee"
    assert w.find_bar.hits == find_all(UNICODE, "Zürich", case_sensitive=True, whole_words=True)
    assert len(w.find_bar.hits) == 3
    assert w.find_bar.highlighted() == w.find_bar.hits
    w.find_bar.field.clear()
    type_text(w.find_bar.field, "nowhere")
    assert w.find_bar.count.text() == "no hits" and w.find_bar.highlighted() == []


def test_escape_returns_to_the_article_where_s_marks_the_hit(tmp_path, make_window):
    w, store = _window(tmp_path, make_window)
    key(w, K.Key_F, CTRL)
    type_text(w.find_bar.field, "zürich")
    for _ in range(3):
        key(w, K.Key_F3)  # the fourth hit: "zürich works", after the emoji
    target = find_all(UNICODE, "zürich")[3]
    key(w, K.Key_Escape)
    assert not w.find_bar.isVisible() and w.view.hasFocus()
    assert w.find_bar.highlighted() == []  # the highlights go with the bar
    assert w.view.selection_range() == target
    key(w, K.Key_S)
    spans = [s for s in store.spans(w.controller.doc_id) if s.label == "speaker"]
    assert [s.fragments for s in spans] == [(target,)]


def test_f3_from_the_article_keeps_the_focus_there(tmp_path, make_window):
    w, store = _window(tmp_path, make_window)
    key(w, K.Key_F, CTRL)
    type_text(w.find_bar.field, "said")
    key(w, K.Key_Escape)
    w.view.set_cursor(0)
    key(w, K.Key_F3)
    assert w.view.hasFocus() and w.view.selection_range() == find_all(UNICODE, "said")[0]
    key(w, K.Key_Q)
    assert [s.label for s in store.spans(w.controller.doc_id)] == ["cue"]


def test_the_selection_fills_the_field_and_another_document_is_searched_again(tmp_path, make_window):
    w, _store = _window(tmp_path, make_window)
    w.view.select_range(0, 6)
    key(w, K.Key_F, CTRL)
    assert w.find_bar.field.text() == "Zürich" and len(w.find_bar.hits) == 6
    w.controller.next_document()  # the other article: no hit there
    assert w.find_bar.hits == [] and w.find_bar.count.text() == "no hits"
    w.controller.next_document(-1)
    assert len(w.find_bar.hits) == 6 and w.find_bar.highlighted() == w.find_bar.hits


def test_other_extra_selections_are_kept(tmp_path, make_window):
    from PySide6.QtGui import QTextCursor
    from PySide6.QtWidgets import QTextEdit

    w, _store = _window(tmp_path, make_window)
    other = QTextEdit.ExtraSelection()
    other.cursor = QTextCursor(w.view.document())
    w.view.setExtraSelections([other])
    key(w, K.Key_F, CTRL)
    type_text(w.find_bar.field, "said")
    assert len(w.view.extraSelections()) == 2
    key(w, K.Key_Escape)
    assert len(w.view.extraSelections()) == 1
