"""Team work in the window, driven by keys through the real widgets (issue 11): the
Agreement dock (computed in a worker thread, the same figures as the command, Enter opens a
hardest document), layers side by side, accept all agreed, pre-merge, editing the gold
directly, and another annotator's span refused."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from tests.ui.ui_keys import CTRL, K, press, select_by_keys

from annotator.cli_agreement import project_reports
from annotator.core.model import NewDocument, NewSpan
from annotator.core.store import Store

from tests.test_premerge import TEXT, three

KEYS = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier


def team(path, annotator="judge") -> Store:
    """three() (ann, ben, cleo on one document) plus a second document by ann and ben that
    they agree on completely."""
    store = Store.open(path, annotator=annotator)
    three(store)
    for who in ("ann", "ben"):
        store.import_documents([NewDocument(title="Second", text="Eve said it rains.", annotator=who, spans=[
            NewSpan(key="c", label="cue", fragments=((4, 8),)), NewSpan(key="a", label="claim", fragments=((9, 17),))])])
    return store


def gold(w, doc_id=1) -> list[tuple[str, int, int]]:
    return sorted((s.label, s.start, s.end) for s in w.store.spans(doc_id) if s.annotator == "gold")


def test_agreement_dock_computes_in_a_worker_thread_the_commands_figures(tmp_path, make_window, qtbot):
    store = team(tmp_path / "team.annotator")
    expected = project_reports(store)
    w = make_window(store)
    dock = w.agreement
    assert not dock.isVisible()
    with qtbot.waitSignal(dock.computed, timeout=30000):
        press(w, K.Key_R, KEYS)
    assert dock.isVisible() and dock.job is not None  # a file project: computed off the GUI thread
    assert dock.reports["between"] == expected["between"] and dock.reports["gold"] is None
    assert dock.summary.text().startswith("3 annotators (ann, ben, cleo) on 2 document(s); token alpha ")
    layers = {dock.layers.verticalHeaderItem(r).text(): [dock.layers.item(r, c).text() for c in range(3)]
              for r in range(dock.layers.rowCount())}
    claim = expected["between"]["layers"]["claim"]
    assert layers["claim"] == [f"{claim['f1_exact']:.3f}", f"{claim['f1_overlap']:.3f}", f"{claim['alpha']:.3f}"]
    assert layers["attribution"][2] == "–" and set(layers) == {"overall", "speaker", "cue", "claim", "attribution"}
    pairs = [dock.pairs.item(r, 0).text() for r in range(dock.pairs.rowCount())]
    assert pairs == ["ann – ben", "ann – cleo", "ben – cleo"]
    # ann and ben agree on the claims of document 1 but one boundary: "only A / only B / both"
    assert dock.pairs.item(0, 9).text() == "0 / 0 / 3"
    assert not dock.tabs.isTabEnabled(3)  # no gold yet


def test_after_a_premerge_each_annotator_is_scored_against_gold_and_enter_opens_the_hardest(tmp_path, make_window, qtbot):
    w = make_window(team(tmp_path / "team.annotator"))
    adjudication = w.adjudication
    adjudication.strategy.setCurrentIndex(1)  # majority
    adjudication.scope.setCurrentIndex(1)  # every document
    press(w, K.Key_M, KEYS)
    assert gold(w) == [("claim", 9, 29), ("claim", 40, 58), ("cue", 4, 8), ("speaker", 0, 3)]
    assert gold(w, 2) == [("claim", 9, 17), ("cue", 4, 8)]
    assert "Pre-merge (majority): 6 span(s) into gold in 2 document(s)" in w.statusBar().currentMessage()
    dock = w.agreement
    with qtbot.waitSignal(dock.computed, timeout=30000):
        press(w, K.Key_R, KEYS)
    assert dock.tabs.isTabEnabled(3)
    scored = {dock.gold.item(r, 0).text(): dock.gold.item(r, 2).text() for r in range(dock.gold.rowCount())}
    assert scored["ann"] == scored["ben"] == "1.000" and float(scored["cleo"]) < 1  # majority = ann and ben
    assert dock.hardest.item(0, 0).text() == "#1 T"  # cleo disagrees in document 1 only
    w.controller.open_document(2)
    dock.tabs.setCurrentWidget(dock.hardest)
    dock.hardest.setFocus()
    dock.hardest.setCurrentCell(0, 0)
    qtbot.keyClick(dock.hardest, K.Key_Return)
    assert w.controller.doc_id == 1
    press(w, K.Key_Z, CTRL)  # the pre-merge is one undo step
    assert gold(w) == [] and gold(w, 2) == []


def test_accept_all_agreed_in_one_key_then_undo(tmp_path, make_window):
    w = make_window(team(tmp_path / "team.annotator"))
    press(w, K.Key_A, KEYS)
    assert gold(w) == [("claim", 9, 29), ("cue", 4, 8)]  # what all three made alike
    claim = next(s for s in w.store.spans(1) if s.annotator == "gold" and s.label == "claim")
    assert w.store.span(claim.cue_id).annotator == "gold" and claim.source_id is None  # cleo linked no source
    assert w.adjudication.isVisible() and "Accepted 2 agreed span(s)" in w.statusBar().currentMessage()
    press(w, K.Key_A, KEYS)
    assert "Nothing new" in w.statusBar().currentMessage()
    press(w, K.Key_Z, CTRL)
    assert gold(w) == []


def test_accepting_a_version_brings_cue_source_speaker_and_polarity(tmp_path, make_window):
    from tests.ui.test_adjudication_dock import team_store  # ann: claim with cue, source, speaker; ben: other boundaries

    w = make_window(team_store(tmp_path / "t.annotator"))
    dock = w.adjudication
    press(w, K.Key_P, KEYS)  # the last difference: the claim's boundaries
    diff = dock.diffs[dock.current_difference()]
    assert diff.label == "claim" and [a for a, _ in diff.versions] == ["ann", "ben"]
    ann = diff.versions[0][1]
    w.store.annotator = "ann"
    w.store.update_span(ann.id, polarity="negative")  # ann's own edit, before the adjudication
    w.store.annotator = "judge"
    press(w, K.Key_1, KEYS)
    claim = next(s for s in w.store.spans(1) if s.annotator == "gold" and s.label == "claim")
    assert (claim.polarity, claim.speaker_id) == ("negative", ann.speaker_id) and claim.speaker_id is not None
    assert (w.store.span(claim.cue_id).label, w.store.span(claim.source_id).label) == ("cue", "speaker")
    assert {w.store.span(claim.cue_id).annotator, w.store.span(claim.source_id).annotator} == {"gold"}


def test_side_by_side_shows_each_layer_in_its_colour_scrolled_together(tmp_path, make_window, qtbot):
    store = team(tmp_path / "team.annotator")
    long_text = "\n\n".join(f"Paragraph {i}: Ann said the bridge will open." for i in range(200))
    for who in ("ann", "ben"):
        store.import_documents([NewDocument(title="Long", text=long_text, annotator=who, spans=[
            NewSpan(key="c", label="claim", fragments=((22, 44),) if who == "ann" else ((18, 44),))])])
    w = make_window(store)
    press(w, K.Key_S, KEYS)
    dock = w.side_by_side
    assert dock.isVisible()
    view = dock.view
    assert [p.name for p in view.panes] == ["ann", "ben", "cleo"]
    assert view.panes[0].header.text() == "ann: 4 spans, 2 claims"
    assert len({p.colour for p in view.panes}) == 3
    assert all(p.text.isReadOnly() and p.text.toPlainText() == TEXT for p in view.panes)
    press(w, K.Key_A, KEYS)  # accept all agreed: a gold pane appears, last, in gold's colour
    assert [p.name for p in view.panes][-1] == "gold" and view.panes[-1].colour == "#B8860B"
    assert view.panes[-1].header.text() == "gold: 2 spans, 1 claim"
    w.controller.open_document(3)
    assert [p.name for p in view.panes] == ["ann", "ben"]
    w.resize(1200, 900)
    dock.resize(1000, 400)
    qtbot.wait(50)
    a, b = (p.text.verticalScrollBar() for p in view.panes)
    assert a.maximum() > 0
    a.setValue(a.maximum() // 2)
    assert abs(b.value() / b.maximum() - 0.5) < 0.05  # scrolled together
    press(w, K.Key_S, KEYS)
    assert not dock.isVisible()


def test_gold_is_edited_directly_and_another_layer_is_refused(tmp_path, make_window, qtbot):
    w = make_window(team(tmp_path / "team.annotator", annotator="cleo"))
    ann_claim = next(s for s in w.store.spans(1) if s.annotator == "ann" and s.label == "claim" and s.start == 9)
    w.controller.set_current(ann_claim.id)
    press(w, K.Key_N)  # the polarity key of "negative" on ann's claim, as cleo
    box = next(b for b in w._boxes if b.objectName() == "message_box")
    assert "this claim is in ann’s layer, not cleo’s" in box.text()
    assert w.store.span(ann_claim.id) == ann_claim
    box.done(QMessageBox.StandardButton.Ok)
    w.layers.choose("gold")
    assert w.store.annotator == "gold"
    start = TEXT.index("Fine")
    select_by_keys(w, start, start + 4)
    press(w, K.Key_C)  # mark as claim: a gold claim
    assert gold(w) == [("claim", start, start + 4)]
    w.layers.choose(None)
    assert w.store.annotator == "cleo"
