"""Frictions a new user hit (issue 10), each driven through the real widgets: which claim
the digits act on, the speakers' digits, the context menu on the text, the article's
minimum width, the font size, undoing an import, the last mention of a speaker."""
from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from annotator.core.store import Store  # noqa: E402
from ui_keys import CTRL, K, find, press, select_by_keys  # noqa: E402


def test_the_last_claim_marked_stays_the_one_digits_act_on(project_path, make_window):
    """Claim, then a new speaker (S), then a cue (Q), then a digit: the claim is attributed
    (it said "No current claim")."""
    store = Store.open(project_path)
    w = make_window(store)
    text = w.view.text
    select_by_keys(w, *find(text, "The conversation seemed constructive to me"))
    press(w, K.Key_C)
    claim = w.controller.current
    select_by_keys(w, *find(text, "Lavrov", 2))
    press(w, K.Key_S)
    lavrov = store.span(w.controller.current).entity_id
    select_by_keys(w, *find(text, "told"))
    press(w, K.Key_Q)
    assert store.span(w.controller.current).label == "cue"
    digit = w.controller.speaker_numbers.number_of(lavrov)
    press(w, getattr(K, f"Key_{digit}"))
    assert store.span(claim).speaker_id == lavrov
    assert "No current claim" not in w.statusBar().currentMessage()
    # another claim chosen: the digits act on it from then on
    select_by_keys(w, *find(text, "it was no secret that we had our differences"))
    press(w, K.Key_C)
    other = w.controller.current
    w.controller.set_current(claim)
    select_by_keys(w, *find(text, "veteran"))
    press(w, K.Key_Q)
    press(w, getattr(K, f"Key_{digit}"))
    assert store.span(claim).speaker_id == lavrov and store.span(other).speaker_id is None


def test_a_speaker_of_this_document_takes_a_digit_from_another_documents(project_path, make_window):
    from annotator.core import operations as ops
    store = Store.open(project_path)
    others = [ops.new_entity(store, f"Other {n}").created_id("entities") for n in range(1, 10)]
    w = make_window(store)
    numbers = w.controller.speaker_numbers
    assert [numbers.number_of(e) for e in others] == list(range(1, 10))  # all nine digits taken
    text = w.view.text
    select_by_keys(w, *find(text, "Sergey Lavrov"))
    press(w, K.Key_S)
    lavrov = store.span(w.controller.current).entity_id
    assert numbers.number_of(lavrov) == 9 and numbers.number_of(others[-1]) is None
    assert "has no digit" not in w.statusBar().currentMessage()
    select_by_keys(w, *find(text, "Lavrov", 2))
    press(w, K.Key_9)  # a mention of Lavrov, not of "Other 9"
    assert store.span(w.controller.current).entity_id == lavrov
    select_by_keys(w, *find(text, "Antony Blinken"))
    press(w, K.Key_S)
    blinken = store.span(w.controller.current).entity_id
    assert numbers.number_of(blinken) == 8 and numbers.number_of(lavrov) == 9  # this document's keep theirs


def _right_click(w, offset: int, monkeypatch, choose: str | None = None) -> list[str]:
    """Right-click on the character at ``offset`` (a real context-menu event on the
    viewport); returns the menu's entries and triggers the one named ``choose``."""
    from PySide6.QtCore import QPoint
    from PySide6.QtGui import QContextMenuEvent
    from PySide6.QtWidgets import QApplication, QMenu

    shown = []

    def run_menu(menu: QMenu, _at) -> None:  # the user picks ``choose``
        shown.extend(a.text() for a in menu.actions())
        chosen = next((a for a in menu.actions() if a.text() == choose), None)
        if chosen is not None:
            chosen.trigger()
    monkeypatch.setattr(w.text_menu, "run_menu", run_menu)
    w.view.scroll_to(offset)
    cursor = w.view.textCursor()
    cursor.setPosition(w.view._omap.to_qt(offset) + 1)
    rect = w.view.cursorRect(cursor)
    point = QPoint(rect.left() - 2, rect.center().y())
    event = QContextMenuEvent(QContextMenuEvent.Reason.Mouse, point, w.view.viewport().mapToGlobal(point))
    QApplication.sendEvent(w.view.viewport(), event)
    return shown


def test_right_click_offers_labels_link_polarity_delete(project_path, make_window, monkeypatch):
    store = Store.open(project_path)
    w = make_window(store)
    text = w.view.text
    select_by_keys(w, *find(text, "seemed constructive to me"))
    inside = find(text, "seemed constructive to me")[0] + 9  # in "constructive"
    entries = _right_click(w, inside, monkeypatch, choose="Mark as Claim")
    for entry in ("Mark as Speaker", "Mark as Cue", "Mark as Claim", "&Link to Claim", "Polarity: Negative",
                  "&Delete Annotation"):
        assert entry in entries
    assert any("Copy" in e for e in entries)  # the text's own entries stay
    claim = w.controller.current
    assert store.span(claim).label == "claim"
    w.controller.clear_selection()
    _right_click(w, inside, monkeypatch, choose="Polarity: Negative")
    assert store.span(claim).polarity == "negative"  # the claim under the mouse was made current
    w.controller.set_current(None)
    _right_click(w, inside - 7, monkeypatch, choose="&Delete Annotation")  # in "seemed"
    assert store.span(claim) is None


def test_the_article_keeps_a_readable_width_in_a_small_window(project_path, make_window, qtbot):
    w = make_window(Store.open(project_path))
    readable = 28 * w.view.fontMetrics().averageCharWidth()
    for width in (640, 420, 1280):
        w.resize(width, 700)
        qtbot.wait(20)
        assert w.view.width() >= readable, width
    w.resize(1280, 700)
    qtbot.wait(20)
    assert w.documents.width() > 60 and w.speakers.width() > 60  # the docks grew back
