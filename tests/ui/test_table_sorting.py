"""The Documents and Claims tables sort by any column (a click on its header) and filter by
text and status / polarity, through the real widgets; a row chosen in a sorted or filtered
table is the right document or claim."""
from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QEvent, QPoint, Qt  # noqa: E402
from PySide6.QtGui import QKeyEvent  # noqa: E402
from PySide6.QtWidgets import QApplication, QComboBox, QLineEdit  # noqa: E402

from annotator.core.model import NewDocument, NewEntity, NewSpan  # noqa: E402
from annotator.core.store import Store  # noqa: E402

TEXT = "Ann said yes. Zoë said no. Bob said maybe."


def type_text(widget, text: str) -> None:
    for ch in text:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, Qt.Key.Key_unknown, Qt.KeyboardModifier.NoModifier, ch))


def click_header(qtbot, view, column: int) -> None:
    header = view.horizontalHeader()
    x = header.sectionViewportPosition(column) + header.sectionSize(column) // 2
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, header.height() // 2))


def shown(view, column: int) -> list:
    model = view.model()
    return [model.index(r, column).data() for r in range(model.rowCount())]


def _window(tmp_path, make_window):
    store = Store.open(tmp_path / "t.db")
    store.import_documents([
        NewDocument(title="Beta", text="Short one.", status="done"),
        NewDocument(title="alpha", text=TEXT,
                    entities=[NewEntity("a", "Ann"), NewEntity("z", "Zoë"), NewEntity("b", "Bob")],
                    spans=[NewSpan("c1", "claim", ((9, 12),), speaker="a", polarity="positive"),
                           NewSpan("c2", "claim", ((23, 25),), speaker="z", polarity="negative"),
                           NewSpan("c3", "claim", ((36, 41),), speaker="b", polarity="positive")]),
        NewDocument(title="Über", text="Another short one."),
    ])
    w = make_window(store)
    w.controller.open_document(2)
    return w, store


def test_documents_sort_by_a_header_click_and_back(tmp_path, make_window, qtbot):
    w, _store = _window(tmp_path, make_window)
    view = w.documents.view
    assert shown(view, 0) == ["Beta", "alpha", "Über"]  # import order at first
    click_header(qtbot, view, 0)
    assert shown(view, 0) == ["alpha", "Beta", "Über"]  # case-insensitive
    click_header(qtbot, view, 0)
    assert shown(view, 0) == ["Über", "Beta", "alpha"]
    click_header(qtbot, view, 0)
    assert shown(view, 0) == ["Beta", "alpha", "Über"]  # a third click: the model's order again
    click_header(qtbot, view, 2)
    assert shown(view, 2) == [0, 0, 3]  # numbers as numbers


def test_a_row_of_the_sorted_documents_opens_its_document(tmp_path, make_window, qtbot):
    w, store = _window(tmp_path, make_window)
    view = w.documents.view
    click_header(qtbot, view, 0)  # alpha, Beta, Über
    assert view.currentIndex().row() == 0  # the open document (alpha) is selected where it is shown
    rect = view.visualRect(view.model().index(2, 0))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert w.controller.doc.title == "Über"
    w.controller.next_document(-1)
    assert shown(view, 0)[view.currentIndex().row()] == w.controller.doc.title


def test_documents_filter_by_text_and_status(tmp_path, make_window, qtbot):
    w, _store = _window(tmp_path, make_window)
    view = w.documents.view
    field = w.documents.findChild(QLineEdit, "documents_filter_text")
    combo = w.documents.findChild(QComboBox, "documents_filter_value")
    type_text(field, "uber")  # accents and case ignored
    assert shown(view, 0) == ["Über"]
    field.clear()
    combo.setCurrentIndex(combo.findData("done"))
    assert shown(view, 0) == ["Beta"]
    combo.setCurrentIndex(combo.findData(None))
    assert shown(view, 0) == ["Beta", "alpha", "Über"]


def test_claims_sort_and_filter_and_a_row_is_its_claim(tmp_path, make_window, qtbot):
    w, store = _window(tmp_path, make_window)
    view = w.claims.view
    assert shown(view, 1) == ["Ann", "Zoë", "Bob"]  # text order
    click_header(qtbot, view, 1)
    assert shown(view, 1) == ["Ann", "Bob", "Zoë"]
    rect = view.visualRect(view.model().index(1, 0))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    bob = store.span(w.controller.current)
    assert bob.text(TEXT) == "maybe"
    assert view.currentIndex().row() == 1
    combo = w.claims.findChild(QComboBox, "claims_filter_value")
    combo.setCurrentIndex(combo.findData("negative"))
    assert shown(view, 1) == ["Zoë"]
    w.controller.set_current(bob.id)  # filtered out: nothing selected, no warning
    assert not view.selectionModel().hasSelection()
    combo.setCurrentIndex(combo.findData(None))
    type_text(w.claims.findChild(QLineEdit, "claims_filter_text"), "zoe")
    assert shown(view, 0) == ["no"]
