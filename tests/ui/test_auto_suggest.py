"""Suggesting in the background (annotator.ui.auto_suggest), through the real window: a new
document is suggested when first opened if the user chose so (off by default, kept in the
preferences), off the GUI thread (keys work meanwhile), with progress and Cancel, once per
document, never in a read-only project, and the results appear without moving the caret."""
from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from annotator.core.model import NewDocument
from annotator.core.store import Store
from annotator.core.suggest.base import Suggestion, SpanSuggestion
from annotator.ui import auto_suggest, settings, suggest_worker
from tests.ui.ui_keys import CTRL, SHIFT, K, find, press, select_by_keys

TEXT = "Bridge news\n\nThe mayor said the bridge will open soon. Critics said it would not."
OTHER = "Second story\n\nNobody said anything here."


class FakeEngine:
    """Proposes the mayor's claim with its cue and source, and the critics' claim; waits for
    ``go`` first when ``hold`` is set. Counts its calls (texts seen)."""

    def __init__(self):
        self.hold = False
        self.go = threading.Event()
        self.calls: list[str] = []

    def suggest(self, text, known=(), taken=()):
        self.calls.append(text)
        if self.hold:
            assert self.go.wait(10)
        if "mayor" not in text:
            return []
        span = lambda label, needle, origin: SpanSuggestion(label, (find(text, needle),), origin, 0.8)  # noqa: E731
        return [Suggestion(claim=span("claim", "the bridge will open soon", "rule:reported"),
                           cue=span("cue", "said", "rule:cue"), source=span("speaker", "The mayor", "rule:speaker"),
                           speaker="The mayor"),
                Suggestion(claim=span("claim", "it would not", "rule:reported"))]


@pytest.fixture
def engine(monkeypatch):
    fake = FakeEngine()
    monkeypatch.setattr(suggest_worker, "make_engine", lambda: fake)
    yield fake
    fake.go.set()


@pytest.fixture
def automatic():
    """The preference on for this test (the test preferences live in a temporary folder
    shared by the session: turned off again after)."""
    settings.set_value(auto_suggest.SETTING, True)
    yield
    settings.set_value(auto_suggest.SETTING, False)


def project(tmp_path, *, done_second: bool = False) -> Store:
    store = Store.open(tmp_path / "p.db")
    store.import_documents([NewDocument(title="Bridge news", text=TEXT),
                            NewDocument(title="Second story", text=OTHER, status="done" if done_second else "new")])
    return store


def suggested(store, doc_id=1) -> list[tuple[str, str]]:
    text = store.document_text(doc_id)
    return [(s.label, s.text(text)) for s in store.spans(doc_id, statuses=("suggested",))]


def idle(w) -> bool:
    return w.auto_suggest.job is None


def test_off_by_default_then_on_from_the_menu_kept_in_the_preferences(tmp_path, make_window, engine, qtbot):
    assert auto_suggest.automatic() is False
    w = make_window(project(tmp_path))
    action = w.actions["auto_suggest"]
    assert not action.isChecked() and action.isCheckable()
    assert engine.calls == [] and idle(w)  # a new document, but the user did not ask
    try:
        action.trigger()  # on: the shown new document is suggested now
        assert settings.get_bool(auto_suggest.SETTING) is True
        qtbot.waitUntil(lambda: idle(w) and len(suggested(w.store)) == 4, timeout=5000)
        w2 = make_window(Store.open(tmp_path / "p.db"), active=False)
        assert w2.actions["auto_suggest"].isChecked()  # remembered
    finally:
        action.trigger()
    assert settings.get_bool(auto_suggest.SETTING) is False


def test_a_new_document_is_suggested_in_the_background_while_the_keys_work(tmp_path, make_window, engine, automatic, qtbot):
    engine.hold = True
    w = make_window(project(tmp_path))
    qtbot.waitUntil(lambda: len(engine.calls) == 1, timeout=5000)  # the worker has the text
    progress = w.auto_suggest.progress
    assert progress.isVisible() and "Suggesting Bridge news" in progress.label.text()
    # the engine is busy: the article still takes keys (a claim marked by hand over "it would not")
    select_by_keys(w, *find(TEXT, "it would not"))
    press(w, K.Key_C)
    assert [s.label for s in w.store.spans(1)] == ["claim"]
    w.view.set_cursor(find(TEXT, "Critics")[0])
    caret = w.view.cursor_offset()
    engine.go.set()
    qtbot.waitUntil(lambda: idle(w), timeout=5000)
    assert not progress.isVisible()
    # written, except the suggested claim that overlaps the claim made meanwhile
    assert sorted(suggested(w.store)) == [("claim", "the bridge will open soon"), ("cue", "said"),
                                          ("speaker", "The mayor")]
    assert w.view.cursor_offset() == caret and w.review.current is None  # the caret did not move
    assert w.suggestions.count.text() == "3 suggested"
    assert "3 suggestions in this document" in w.statusBar().currentMessage()
    claim = next(s for s in w.store.spans(1, statuses=("suggested",)) if s.label == "claim")
    assert claim.cue_id is not None and claim.source_id is not None
    assert w.store.document(1).status == "in progress"  # from the claim marked by hand, not from suggesting
    press(w, K.Key_Z, CTRL)  # one undo step takes the suggestions away
    assert suggested(w.store) == [] and [s.label for s in w.store.spans(1)] == ["claim"]


def test_suggested_once_only_and_never_a_done_document(tmp_path, make_window, engine, automatic, qtbot):
    w = make_window(project(tmp_path, done_second=True))
    qtbot.waitUntil(lambda: idle(w) and len(engine.calls) == 1, timeout=5000)
    assert len(suggested(w.store)) == 4
    w.review.go_to(w.review.shown()[0].id)
    press(w, K.Key_R)  # rejecting some, undoing all: the document was suggested all the same
    press(w, K.Key_Z, CTRL)
    press(w, K.Key_Z, CTRL)
    assert suggested(w.store) == []
    press(w, K.Key_PageDown, CTRL)  # the done document: not suggested
    assert w.controller.doc_id == 2
    press(w, K.Key_PageUp, CTRL)  # back to the first: suggested before, not again
    QTest.qWait(100)
    assert idle(w) and engine.calls == [TEXT]
    w.close()
    w2 = make_window(Store.open(tmp_path / "p.db"))  # nor in a later session
    QTest.qWait(100)
    assert idle(w2) and engine.calls == [TEXT]


def test_never_in_a_read_only_project(tmp_path, make_window, engine, automatic):
    project(tmp_path).close()
    w = make_window(Store.open(tmp_path / "p.db", read_only=True))
    QTest.qWait(100)
    assert w.store.read_only and idle(w) and engine.calls == []
    press(w, K.Key_G, CTRL | SHIFT)  # Suggest This Document is turned off too
    QTest.qWait(50)
    assert engine.calls == [] and "Read-only" in w.statusBar().currentMessage()


def test_cancel_writes_nothing_and_leaves_the_document_to_be_suggested_on_request(tmp_path, make_window, engine, automatic, qtbot):
    engine.hold = True
    w = make_window(project(tmp_path))
    qtbot.waitUntil(lambda: len(engine.calls) == 1, timeout=5000)
    QTest.mouseClick(w.auto_suggest.progress.cancel, Qt.MouseButton.LeftButton)
    assert idle(w) and not w.auto_suggest.progress.isVisible()
    assert "cancelled" in w.statusBar().currentMessage()
    engine.go.set()
    QTest.qWait(100)
    assert suggested(w.store) == [] and w.controller.undo_stack.count() == 0
    engine.hold, engine.go = True, threading.Event()
    press(w, K.Key_G, CTRL | SHIFT)
    qtbot.waitUntil(lambda: len(engine.calls) == 2, timeout=5000)
    w.actions["stop_suggesting"].trigger()  # the same from the menu
    assert idle(w) and not w.auto_suggest.progress.isVisible()
    engine.go.set()
    QTest.qWait(100)
    assert suggested(w.store) == []
    w.actions["stop_suggesting"].trigger()
    assert w.statusBar().currentMessage() == "Nothing is being suggested."
    engine.hold = False
    press(w, K.Key_G, CTRL | SHIFT)  # Annotate > Suggestions > Suggest This Document
    qtbot.waitUntil(lambda: idle(w) and len(suggested(w.store)) == 4, timeout=5000)


def test_opening_another_document_drops_the_result_for_the_one_left(tmp_path, make_window, engine, automatic, qtbot):
    engine.hold = True
    w = make_window(project(tmp_path))
    qtbot.waitUntil(lambda: len(engine.calls) == 1, timeout=5000)
    press(w, K.Key_PageDown, CTRL)
    engine.go.set()
    qtbot.waitUntil(lambda: idle(w) and len(engine.calls) == 2, timeout=5000)  # the second one's turn
    assert w.controller.doc_id == 2 and suggested(w.store, 1) == []
    press(w, K.Key_PageUp, CTRL)  # the first was not suggested: it is now
    qtbot.waitUntil(lambda: idle(w) and len(suggested(w.store, 1)) == 4, timeout=5000)
    assert w.controller.doc_id == 1


def test_the_real_engine_by_key(tmp_path, make_window, qtbot):
    """Ctrl+Shift+G with the engine of ``annotator suggest`` (rules, VADER) on a real sentence."""
    store = Store.open(tmp_path / "p.db")
    text = "Bridge news\n\nThe mayor said: “The bridge will open soon.”"
    store.import_documents([NewDocument(title="Bridge news", text=text)])
    w = make_window(store)
    press(w, K.Key_G, CTRL | SHIFT)
    qtbot.waitUntil(lambda: idle(w), timeout=20000)
    found = {(s.label, s.text(text)) for s in w.store.spans(1, statuses=("suggested",))}
    assert any(label == "claim" and "The bridge will open soon" in part for label, part in found)
    assert ("speaker", "The mayor") in found
    assert w.suggestions.list.topLevelItemCount() == len(found)
    press(w, K.Key_Period)  # the first suggestion: the mayor
    assert w.store.span(w.review.current).label == "speaker"
    press(w, K.Key_A, CTRL | SHIFT)
    assert {s.label for s in w.store.spans(1)} == {"speaker", "cue", "claim"} and not w.review.index


def test_closing_the_window_while_the_engine_works_waits_for_it_and_writes_nothing(tmp_path, make_window, engine, automatic, qtbot):
    engine.hold = True
    w = make_window(project(tmp_path))
    qtbot.waitUntil(lambda: len(engine.calls) == 1, timeout=5000)
    threading.Timer(0.3, engine.go.set).start()  # the engine ends while the window waits for it
    w.close()
    assert not w.auto_suggest.thread.isRunning()
    store = Store.open(tmp_path / "p.db")
    assert suggested(store) == [] and store.meta(auto_suggest.MARK.format(1)) is None
    store.close()


def test_a_result_is_written_in_chunks_with_keys_between_them_as_one_undo_step(tmp_path, make_window, engine, monkeypatch, qtbot):
    from PySide6.QtCore import QTimer

    monkeypatch.setattr(auto_suggest, "CHUNK", 1)  # the mayor's suggestion, then the critics' claim
    w = make_window(project(tmp_path))
    seen = []

    def act():  # between the two chunks, as a user's keys would be
        w.review.go_to(w.review.shown()[0].id)
        press(w, K.Key_R)
        seen.append(w.statusBar().currentMessage())
        select_by_keys(w, *find(TEXT, "it would not"))
        press(w, K.Key_C)

    def between(_change):
        if w.auto_suggest.writing is not None and not seen:
            seen.append("first chunk")
            QTimer.singleShot(0, act)

    w.events.change_applied.connect(between)
    press(w, K.Key_G, CTRL | SHIFT)
    qtbot.waitUntil(lambda: idle(w), timeout=5000)
    assert "being written" in seen[1]  # R waited: nothing rejected
    assert sorted(suggested(w.store)) == [("claim", "the bridge will open soon"), ("cue", "said"), ("speaker", "The mayor")]
    stack = w.controller.undo_stack
    assert stack.count() == 2 and stack.text(1) == "Suggestions (2)"  # the claim marked, then the chunks as one
    press(w, K.Key_Z, CTRL)
    assert suggested(w.store) == [] and [s.label for s in w.store.spans(1)] == ["claim"]


def test_cancel_while_writing_keeps_what_was_written_as_one_undo_step(tmp_path, make_window, engine, monkeypatch, qtbot):
    from PySide6.QtCore import QTimer

    monkeypatch.setattr(auto_suggest, "CHUNK", 1)
    w = make_window(project(tmp_path))
    w.events.change_applied.connect(
        lambda _c: QTimer.singleShot(0, w.auto_suggest.stop_suggesting) if w.auto_suggest.writing else None)
    press(w, K.Key_G, CTRL | SHIFT)
    qtbot.waitUntil(lambda: idle(w), timeout=5000)
    assert "3 suggested spans were written" in w.statusBar().currentMessage()
    assert len(suggested(w.store)) == 3 and w.store.meta(auto_suggest.MARK.format(1)) is None
    assert w.controller.undo_stack.count() == 1 and not w.review.busy
    press(w, K.Key_Z, CTRL)
    assert suggested(w.store) == []
