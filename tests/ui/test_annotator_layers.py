"""Issue 11 in the window: the annotator's name (first start, Edit > Annotator Name…, passed
to the store) and View > Layer (one annotator's layer, gold, or all), through the real widgets."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialogButtonBox

from ui_keys import find, press, select_by_keys

from annotator.core.model import NewDocument, NewSpan
from annotator.core.store import Store
from annotator.ui import annotator_name, app
from annotator.ui.annotator_name import AnnotatorNameDialog, SETTING, saved_name, window_annotator
from annotator.ui.settings import settings

TEXT = "Ann said the bridge will open. Ben said the road is closed. The mayor was quiet."


@pytest.fixture(autouse=True)
def no_saved_name():
    """Every test starts as a first start (no remembered name) and leaves none behind."""
    settings().remove(SETTING)
    yield
    store = settings()
    store.remove(SETTING)
    store.sync()


def _type_name_and(qtbot, name: str, button: QDialogButtonBox.StandardButton, seen: list) -> None:
    """When the name dialog shows: type ``name`` in it and press ``button``."""
    def act():
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, AnnotatorNameDialog):
            QTimer.singleShot(20, act)
            return
        seen.append(dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).isEnabled())
        qtbot.keyClicks(dialog.edit, name)
        seen.append(dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).isEnabled())
        dialog.buttons.button(button).click()
    QTimer.singleShot(0, act)


def test_first_start_asks_the_name_once_and_remembers_it(qtbot):
    seen = []
    _type_name_and(qtbot, "  Ann   Lee ", QDialogButtonBox.StandardButton.Ok, seen)
    assert window_annotator() == "Ann Lee"
    assert seen == [False, True]  # OK only once a name is typed
    assert saved_name() == "Ann Lee"
    assert window_annotator() == "Ann Lee"  # no dialog the second time (it would wait forever)


def test_cancelled_first_start_gives_no_name_and_asks_again_later(qtbot):
    seen = []
    _type_name_and(qtbot, "Ann", QDialogButtonBox.StandardButton.Cancel, seen)
    assert window_annotator() == ""
    assert saved_name() == ""


def test_command_line_name_wins_and_is_not_remembered(qtbot):
    assert window_annotator("Zoe") == "Zoe" and saved_name() == ""
    assert window_annotator(ask=False) == ""  # --quit-after-load: no dialog


def test_gold_is_not_a_name_one_types(qtbot):
    dialog = AnnotatorNameDialog()
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.edit, "Gold")
    assert not dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).isEnabled()


def test_run_passes_the_first_start_name_to_the_store(project_path, qapp, qtbot):
    stamped = []

    def close_all():
        windows = [w for w in QApplication.topLevelWidgets() if w.objectName() == "main_window" and w.isVisible()]
        if not windows:
            QTimer.singleShot(20, close_all)
            return
        stamped.append(windows[0].store.annotator)
        for window in windows:
            window.close()
            window.deleteLater()

    _type_name_and(qtbot, "Cleo", QDialogButtonBox.StandardButton.Ok, [])
    QTimer.singleShot(0, close_all)
    assert app.run(project_path) == 0
    assert stamped == ["Cleo"]


def test_edit_annotator_name_changes_who_writes(project_path, make_window, qtbot):
    w = make_window(Store.open(project_path, annotator="Ann"))
    w.annotator_action.trigger()
    dialog = w.annotator_dialog
    assert dialog.edit.text() == "Ann"
    dialog.edit.selectAll()
    qtbot.keyClicks(dialog.edit, "Ben")
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert w.store.annotator == "Ben" and saved_name() == "Ben"
    select_by_keys(w, *find(w.view.text, "constructive"))
    press(w, Qt.Key.Key_C)
    spans = w.store.spans(w.controller.doc_id)
    assert len(spans) == 1 and spans[0].annotator == "Ben"


def test_another_project_is_opened_with_the_same_annotator(project_path, make_window, tmp_path):
    w = make_window(Store.open(project_path, annotator="Ann"))
    w.open_project(tmp_path / "other.annotator")
    assert w.store.annotator == "Ann"


# --- View > Layer ---------------------------------------------------------------------------


@pytest.fixture
def team_store(tmp_path) -> Store:
    """One document annotated by ann (2 claims) and ben (1 claim), made by imports."""
    store = Store.open(tmp_path / "team.annotator", annotator="ann")
    doc = NewDocument(title="Team", text=TEXT, annotator="ann", spans=[
        NewSpan(key="a1", label="claim", fragments=((9, 29),)), NewSpan(key="a2", label="claim", fragments=((40, 58),))])
    store.import_documents([doc])
    store.import_documents([NewDocument(title="Team", text=TEXT, annotator="ben",
                                        spans=[NewSpan(key="b1", label="claim", fragments=((4, 29),))])])
    return store


def _shown(w) -> set[tuple[str, int]]:
    return {(s.annotator, s.start) for s in w.view.index}


def test_layer_menu_shows_one_annotators_layer_then_all(team_store, make_window, qtbot):
    w = make_window(team_store)
    assert _shown(w) == {("ann", 9), ("ann", 40), ("ben", 4)}
    w.layers.menu.aboutToShow.emit()
    names = [a.text() for a in w.layers.menu.actions() if a.isCheckable()]
    assert names == ["All Layers", "ann", "ben", "gold"]
    w.layers.menu.findChild(type(w.layers.next_action), "action_layer_ben").trigger()
    assert _shown(w) == {("ben", 4)}
    w.layers.menu.aboutToShow.emit()
    assert w.layers.menu.findChild(type(w.layers.next_action), "action_layer_ben").isChecked()
    w.layers.choose("gold")
    assert _shown(w) == set()
    w.layers.choose(None)
    assert _shown(w) == {("ann", 9), ("ann", 40), ("ben", 4)}


def test_next_layer_key_cycles_and_edits_follow_the_layer(team_store, make_window, qtbot):
    w = make_window(team_store)
    next_layer = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier
    press(w, Qt.Key.Key_L, next_layer)
    assert w.layers.layer == "ann" and _shown(w) == {("ann", 9), ("ann", 40)}
    start, end = find(TEXT, "mayor was quiet")
    select_by_keys(w, start, end)  # ann (the window's annotator) marks a claim in her layer: shown
    press(w, Qt.Key.Key_C)
    assert _shown(w) == {("ann", 9), ("ann", 40), ("ann", start)}
    press(w, Qt.Key.Key_L, next_layer)
    assert w.layers.layer == "ben" and _shown(w) == {("ben", 4)}
    select_by_keys(w, *find(TEXT, "Ben said"))  # ann's new claim is hers, not in ben's layer
    press(w, Qt.Key.Key_C)
    assert _shown(w) == {("ben", 4)}
    assert {s.annotator for s in w.store.spans(w.controller.doc_id)} == {"ann", "ben"}
    assert w.view.current_span_id() is None  # the new (hidden) claim is not marked current
    press(w, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # its undo leaves ben's layer as it was
    assert _shown(w) == {("ben", 4)}
