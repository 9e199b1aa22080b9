"""The docks: their models (checked with Qt's model tester), cell editors, merge, mentions,
and that every edit made in a panel lands in the store and on the undo stack."""
from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QComboBox  # noqa: E402

from annotator.core import operations as ops  # noqa: E402
from annotator.core.store import Store  # noqa: E402
from ui_keys import find  # noqa: E402


def annotate(store: Store, text: str) -> dict:
    """Two speakers with mentions and two attributed claims, written through the core."""
    blinken = ops.mark_speaker(store, 1, [find(text, "Antony Blinken")]).created_id("entities")
    lavrov = ops.mark_speaker(store, 1, [find(text, "Sergey Lavrov")]).created_id("entities")
    ops.mark_speaker(store, 1, [find(text, "Lavrov", 2)], lavrov)
    first = ops.mark_claim(store, 1, [find(text, "constructive", 1)]).created_id("spans")
    second = ops.mark_claim(store, 1, [find(text, "useful,")]).created_id("spans")
    ops.attribute_claim(store, first, lavrov)
    return {"blinken": blinken, "lavrov": lavrov, "first": first, "second": second}


def test_models_pass_the_model_tester(project_path, make_window, qtmodeltester):
    store = Store.open(project_path)
    annotate(store, store.document(1).text)
    w = make_window(store, active=False)
    for model in (w.speakers.model, w.claims.model, w.documents.model):
        qtmodeltester.check(model, force_py=True)
    assert w.speakers.model.rowCount() == 2 and w.claims.model.rowCount() == 2
    assert w.speakers.model.data(w.speakers.model.index(1, 3)) == "2 / 2"  # Lavrov: mentions here / project
    assert w.documents.model.data(w.documents.model.index(0, 2)) == 5


def test_claims_cell_editor_writes_through_the_undo_stack(project_path, make_window, qtbot):
    store = Store.open(project_path)
    ids = annotate(store, store.document(1).text)
    w = make_window(store)
    view, model = w.claims.view, w.claims.model
    row = model.row_of(ids["second"])
    for column, pick, field, value in ((3, "negative", "polarity", "negative"), (1, "Antony Blinken", "speaker_id", ids["blinken"])):
        index = model.index(row, column)
        view.setCurrentIndex(index)
        view.edit(index)
        combo = view.indexWidget(index)
        assert isinstance(combo, QComboBox)
        at = combo.findText(pick)
        combo.setCurrentIndex(at)
        combo.activated.emit(at)
        qtbot.waitUntil(lambda f=field, v=value: getattr(store.span(ids["second"]), f) == v)
    assert model.data(model.index(row, 1)) == "Antony Blinken"
    assert store.span(ids["second"]).source_id is not None  # linked to Blinken's mention
    assert w.controller.undo_stack.count() == 2
    w.controller.undo()
    assert store.span(ids["second"]).speaker_id is None and model.data(model.index(row, 1)) == "—"


def test_clicking_a_claim_row_jumps_to_it(project_path, make_window, qtbot):
    store = Store.open(project_path)
    ids = annotate(store, store.document(1).text)
    w = make_window(store)
    row = w.claims.model.row_of(ids["second"])
    rect = w.claims.view.visualRect(w.claims.model.index(row, 0))
    qtbot.mouseClick(w.claims.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert w.controller.current == ids["second"]
    assert w.view.cursor_offset() == store.span(ids["second"]).start
    assert w.sentiment.claim_label.text() == "useful,"
    assert w.view.hasFocus()  # a click in the table hands the keys back to the article
    QTest.keyClick(w.view, Qt.Key.Key_O)
    assert store.span(ids["second"]).polarity == "neutral"


def test_speaker_mentions_list_and_merge(project_path, make_window, qtbot):
    store = Store.open(project_path)
    ids = annotate(store, store.document(1).text)
    w = make_window(store)
    panel = w.speakers
    panel.select_entity(ids["lavrov"])
    assert panel.mentions.count() == 2
    item = panel.mentions.item(1)
    panel.mentions.itemClicked.emit(item)
    assert store.span(w.controller.current).entity_id == ids["lavrov"]

    panel.view.selectAll()
    panel.merge_action.trigger()  # Lavrov has more mentions: Blinken merges into him
    assert [e.name for e in store.entities()] == ["Sergey Lavrov"]
    assert store.entities()[0].aliases == ("Antony Blinken",)
    assert panel.model.rowCount() == 1 and panel.model.data(panel.model.index(0, 3)) == "3 / 3"
    w.controller.undo()
    assert len(store.entities()) == 2 and panel.model.rowCount() == 2


def test_new_speaker_from_selection_and_type(project_path, make_window):
    store = Store.open(project_path)
    w = make_window(store)
    w.view.select_range(*find(w.view.text, "Russian news agencies"))
    w.speakers.new_action.trigger()
    entity = store.entities()[0]
    assert (entity.name, entity.type) == ("Russian news agencies", "person")
    w.speakers.select_entity(entity.id)
    w.speakers.retype_requested.emit(entity.id, "organization")
    assert store.entity(entity.id).type == "organization"
    assert w.speakers.model.data(w.speakers.model.index(0, 2)) == "organization"


def test_sentiment_panel_edits(project_path, make_window):
    store = Store.open(project_path)
    ids = annotate(store, store.document(1).text)
    w = make_window(store)
    panel = w.sentiment
    assert not panel.polarity.isEnabled()
    w.controller.set_current(ids["first"])
    panel.intensity.setCurrentIndex(panel.intensity.findData("high"))
    panel.intensity.activated.emit(panel.intensity.currentIndex())
    panel.status.setCurrentIndex(panel.status.findData("in progress"))
    panel.status.activated.emit(panel.status.currentIndex())
    assert store.span(ids["first"]).intensity == "high"
    assert store.document(1).status == "in progress"
    assert w.documents.model.data(w.documents.model.index(0, 1)) == "in progress"


def test_documents_panel_opens_the_chosen_document(project_path, make_window, qtbot):
    w = make_window(Store.open(project_path))
    rect = w.documents.view.visualRect(w.documents.model.index(1, 0))
    qtbot.mouseClick(w.documents.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert w.controller.doc_id == 2 and "Second article" in w.windowTitle()
    QTest.keyClick(w.documents.view, Qt.Key.Key_Up)
    assert w.controller.doc_id == 1


def test_digit_actions_name_the_numbered_speakers(project_path, make_window):
    store = Store.open(project_path)
    annotate(store, store.document(1).text)
    w = make_window(store, active=False)
    assert w.actions["speaker_2"].text() == "Speaker #2: Sergey Lavrov"
    assert w.actions["speaker_3"].text() == "Speaker #3"
    w.controller.run(ops.rename_entity, store.find_entity("Sergey Lavrov").id, "S. Lavrov")
    assert w.actions["speaker_2"].text() == "Speaker #2: S. Lavrov"
