"""The review loop over suggestions, driven by KEYBOARD through the real window: . , to go,
A accept (claim with cue, source, speaker), Shift+A accept only the span, R reject,
Ctrl+Z / Ctrl+Shift+Z, Ctrl+Shift+A accept all; the store and what the view draws are
checked after each key."""
from __future__ import annotations

import pytest
from PySide6.QtGui import QTextCharFormat

from annotator.core.model import NewDocument
from annotator.core.store import Store
from tests.ui.ui_keys import CTRL, SHIFT, K, press

TEXT = "Bridge news\n\nThe mayor said the bridge “will open soon.” Critics doubted it."


def rng(needle: str) -> tuple[int, int]:
    start = TEXT.index(needle)
    return start, start + len(needle)


@pytest.fixture
def setup(tmp_path, make_window):
    """A window over one document with a suggested claim (with suggested cue, source mention
    and speaker entity) and a lone suggested claim with a low score."""
    path = tmp_path / "s.db"
    store = Store.open(path)
    store.import_documents([NewDocument(title="Bridge news", text=TEXT)])
    doc = store.document_infos()[0].id
    entity = store.add_entity("The mayor").created_id("entities")
    store.set_entity_status(entity, "suggested")
    ids = {}
    ids["mention"] = store.add_span(doc, "speaker", [rng("The mayor")], status="suggested", origin="rule:speaker",
                                    score=0.7, entity_id=entity).created_id("spans")
    ids["cue"] = store.add_span(doc, "cue", [rng("said")], status="suggested", origin="rule:cue",
                                score=0.9).created_id("spans")
    ids["claim"] = store.add_span(doc, "claim", [rng("“will open soon.”")], status="suggested",
                                  origin="rule:direct-quote", score=0.95, speaker_id=entity,
                                  source_id=ids["mention"], cue_id=ids["cue"], form="direct").created_id("spans")
    ids["other"] = store.add_span(doc, "claim", [rng("Critics doubted it.")], status="suggested",
                                  origin="model:crf@3", score=0.3, form="indirect").created_id("spans")
    ids["entity"] = entity
    store.close()
    window = make_window(Store.open(path))
    return window, ids


def status(window, span_id: int) -> str:
    return window.store.span(span_id).status


def fmt_at(window, offset: int) -> QTextCharFormat | None:
    """The highlight format at code point ``offset`` (the text is ASCII before the quote)."""
    pos = window.view._omap.to_qt(offset)
    block = window.view.document().findBlock(pos)
    for r in block.layout().formats():
        if r.start <= pos - block.position() < r.start + r.length:
            return QTextCharFormat(r.format)
    return None


def dashed(window, offset: int) -> bool:
    fmt = fmt_at(window, offset)
    return fmt is not None and fmt.underlineStyle() == QTextCharFormat.UnderlineStyle.DashUnderline


def test_suggestions_are_drawn_apart_and_counted_apart(setup):
    w, ids = setup
    assert len(w.view.index) == 0  # no annotation: suggestions are not in the view's spans
    assert dashed(w, rng("The mayor")[0]) and dashed(w, rng("Critics")[0])
    assert w.suggestions.count.text() == "4 suggested"
    assert [w.suggestions.list.topLevelItem(i).text(2) for i in range(4)] == \
        ["rule:speaker", "rule:cue", "rule:direct-quote", "model:crf@3"]
    w.suggestions.min_score.setValue(0.5)
    assert w.suggestions.list.topLevelItemCount() == 3
    assert w.suggestions.count.text() == "4 suggested (1 below the score filter)"


def test_accept_by_key_takes_cue_source_and_speaker_then_undo_redo(setup):
    w, ids = setup
    w.view.set_cursor(rng("the bridge")[0])
    press(w, K.Key_Period)  # the next suggestion after the cursor: the quoted claim
    assert w.review.current == ids["claim"]
    press(w, K.Key_A)
    assert [status(w, ids[k]) for k in ("claim", "cue", "mention")] == ["accepted"] * 3
    assert w.store.entity(ids["entity"]).status == "accepted"
    claim = w.store.span(ids["claim"])
    assert (claim.cue_id, claim.source_id, claim.speaker_id) == (ids["cue"], ids["mention"], ids["entity"])
    assert {s.id for s in w.view.index} == {ids["claim"], ids["cue"], ids["mention"]}
    assert not dashed(w, rng("The mayor")[0]) and fmt_at(w, rng("The mayor")[0]).underlineStyle() == \
        QTextCharFormat.UnderlineStyle.SingleUnderline  # drawn as an annotation now
    assert w.review.current == ids["other"]  # on to the next suggestion
    assert w.suggestions.count.text() == "1 suggested"
    press(w, K.Key_Z, CTRL)  # one undo step
    assert [status(w, ids[k]) for k in ("claim", "cue", "mention")] == ["suggested"] * 3
    assert w.store.entity(ids["entity"]).status == "suggested"
    assert len(w.view.index) == 0 and dashed(w, rng("The mayor")[0])
    assert w.suggestions.count.text() == "4 suggested"
    press(w, K.Key_Z, CTRL | SHIFT)
    assert [status(w, ids[k]) for k in ("claim", "cue", "mention")] == ["accepted"] * 3
    assert len(w.view.index) == 3


def test_accept_only_the_span_by_key(setup):
    w, ids = setup
    w.review.go_to(ids["claim"])
    press(w, K.Key_A, SHIFT)
    claim = w.store.span(ids["claim"])
    assert (claim.status, claim.cue_id, claim.source_id, claim.speaker_id) == ("accepted", None, None, None)
    assert status(w, ids["cue"]) == status(w, ids["mention"]) == "suggested"
    assert {s.id for s in w.view.index} == {ids["claim"]}
    assert dashed(w, rng("said")[0])
    press(w, K.Key_Z, CTRL)
    assert w.store.span(ids["claim"]).cue_id == ids["cue"] and status(w, ids["claim"]) == "suggested"


def test_reject_by_key_keeps_it_rejected_and_hidden(setup):
    w, ids = setup
    w.view.set_cursor(len(TEXT))
    press(w, K.Key_Comma)  # previous from the end: the last suggestion
    assert w.review.current == ids["other"]
    press(w, K.Key_R)
    assert status(w, ids["other"]) == "rejected"
    assert fmt_at(w, rng("Critics")[0]) is None  # not drawn
    assert ids["other"] not in w.review.index and w.suggestions.count.text() == "3 suggested"
    assert ids["other"] not in {s.id for s in w.store.spans(w.controller.doc_id)}  # not exported
    press(w, K.Key_Z, CTRL)
    assert status(w, ids["other"]) == "suggested" and dashed(w, rng("Critics")[0])
    press(w, K.Key_Y, CTRL)
    assert status(w, ids["other"]) == "rejected"


def test_accept_all_by_key_is_one_undo_step(setup):
    w, ids = setup
    press(w, K.Key_A, CTRL | SHIFT)
    assert all(status(w, ids[k]) == "accepted" for k in ("claim", "cue", "mention", "other"))
    assert len(w.view.index) == 4 and w.suggestions.count.text() == "0 suggested"
    assert not dashed(w, rng("Critics")[0])
    press(w, K.Key_Z, CTRL)
    assert all(status(w, ids[k]) == "suggested" for k in ("claim", "cue", "mention", "other"))
    assert len(w.view.index) == 0 and w.suggestions.count.text() == "4 suggested"


def test_enter_in_the_dock_goes_to_the_suggestion(setup, qtbot):
    w, ids = setup
    lst = w.suggestions.list
    lst.setFocus()
    lst.setCurrentItem(lst.topLevelItem(3))
    from PySide6.QtTest import QTest
    QTest.keyClick(lst, K.Key_Return)
    assert w.review.current == ids["other"]
    assert w.view.cursor_offset() == rng("Critics")[0]
    qtbot.waitUntil(w.view.hasFocus)
    press(w, K.Key_A)
    assert status(w, ids["other"]) == "accepted"
