"""The keyboard adjudication loop through the real widgets (issue 11): walk the differences
between annotators with Ctrl+Alt+N / P, accept one version into gold with one key, undo it."""
from __future__ import annotations

from PySide6.QtCore import Qt

from ui_keys import press

from annotator.core.model import NewDocument, NewEntity, NewSpan
from annotator.core.store import Store

TEXT = "Ann said the bridge will open. Ben said the road is closed. The mayor was quiet."
KEYS = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier


def team_store(path) -> Store:
    store = Store.open(path, annotator="judge")
    store.import_documents([NewDocument(title="T", text=TEXT, annotator="ann", entities=[NewEntity(key="e1", name="Ann")], spans=[
        NewSpan(key="s", label="speaker", fragments=((0, 3),), entity="e1"),
        NewSpan(key="c", label="cue", fragments=((4, 8),)),
        NewSpan(key="a1", label="claim", fragments=((9, 29),), speaker="e1", source="s", cue="c"),
        NewSpan(key="a2", label="claim", fragments=((40, 58),))])])
    store.import_documents([NewDocument(title="T", text=TEXT, annotator="ben", spans=[
        NewSpan(key="b1", label="claim", fragments=((4, 29),)), NewSpan(key="b2", label="claim", fragments=((40, 58),))])])
    return store


def gold(w) -> list[tuple[str, int, int]]:
    return sorted((s.label, s.start, s.end) for s in w.store.spans(w.controller.doc_id) if s.annotator == "gold")


def test_walk_differences_and_accept_a_claim_with_its_cue_and_source_in_one_key(tmp_path, make_window, qtbot):
    w = make_window(team_store(tmp_path / "team.annotator"))
    dock = w.adjudication
    assert not dock.isVisible() and dock.summary.text() == "3 differences between annotators"
    press(w, Qt.Key.Key_N, KEYS)
    assert dock.isVisible() and dock.current_difference() == 0  # ann's speaker mention, ben has none
    press(w, Qt.Key.Key_P, KEYS)
    assert dock.current_difference() == 2  # wraps to the last: the claim's boundaries
    assert [dock.list.item(r).text().split("  ")[2][:4] for r in range(dock.list.count())][-2:] == ["ann:", "ben:"]
    press(w, Qt.Key.Key_1, KEYS)  # ann's version, with her cue and source
    assert gold(w) == [("claim", 9, 29), ("cue", 4, 8), ("speaker", 0, 3)]
    claim = next(s for s in w.store.spans(w.controller.doc_id) if s.annotator == "gold" and s.label == "claim")
    assert w.store.span(claim.cue_id).annotator == "gold" and w.store.span(claim.source_id).annotator == "gold"
    assert w.store.annotator == "judge"
    assert dock.current_difference() == 2  # still on the claim (the list was refreshed in place)
    press(w, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # one undo step takes all three back
    assert gold(w) == []
    press(w, Qt.Key.Key_2, KEYS)  # ben's version instead
    assert gold(w) == [("claim", 4, 29)]


def test_gold_layer_shows_what_was_accepted(tmp_path, make_window, qtbot):
    w = make_window(team_store(tmp_path / "team.annotator"))
    press(w, Qt.Key.Key_N, KEYS)
    press(w, Qt.Key.Key_G, KEYS)  # the selected row: ann's speaker mention
    w.layers.choose("gold")
    assert {(s.label, s.start) for s in w.view.index} == {("speaker", 0)}
