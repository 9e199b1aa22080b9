"""The action table, the menus and help sheet built from it, export, and starting the app."""
from __future__ import annotations

import json
import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt, QTimer  # noqa: E402
from PySide6.QtGui import QKeySequence  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication, QMessageBox  # noqa: E402

from annotator.core import operations as ops  # noqa: E402
from annotator.core.schema import load_schema  # noqa: E402
from annotator.core.store import Store  # noqa: E402
from annotator.ui import app  # noqa: E402
from annotator.ui.actions import action_defs, shortcut_text  # noqa: E402
from annotator.ui.help import help_html  # noqa: E402

SCHEMA = load_schema()


def test_every_key_is_unique_and_comes_from_the_schema():
    defs = action_defs(SCHEMA)
    keys = [QKeySequence(s).toString() for d in defs for s in d.shortcuts]
    assert len(keys) == len(set(keys))
    by_id = {d.id: d for d in defs}
    assert [by_id[f"mark_{lab.name}"].shortcuts for lab in SCHEMA.labels] == [("S",), ("Q",), ("C",)]
    assert by_id["polarity_mixed"].shortcuts == ("M",) and by_id["doc_polarity_negative"].shortcuts == ("Shift+N",)
    assert by_id["redo"].shortcuts == ("Ctrl+Shift+Z", "Ctrl+Y")
    assert all(d.help and d.text for d in defs)
    assert by_id["mark_speaker"].text_scope and not by_id["undo"].text_scope and not by_id["help"].text_scope


def test_actions_are_wired_and_scoped(project_path, make_window):
    w = make_window(Store.open(project_path), active=False)
    for d in action_defs(w.store.schema):
        action = w.actions[d.id]
        assert callable(getattr(w.handlers, d.handler, None)), d.handler
        context = Qt.ShortcutContext.WidgetWithChildrenShortcut if d.text_scope else Qt.ShortcutContext.WindowShortcut
        assert action.shortcutContext() == context
        assert (action in w.view.actions()) == d.text_scope
    titles = [a.text() for a in w.menuBar().actions()]
    assert titles == ["&File", "&Edit", "&Annotate", "&Navigate", "&View", "&Help"]
    export_menu = w.findChild(type(w.menuBar().actions()[0].menu()), "export_menu")
    assert {a.objectName() for a in export_menu.actions()} >= {"action_export_json", "action_export_jsonl"}


def test_help_sheet_lists_every_action(project_path, make_window, qtbot):
    defs = action_defs(SCHEMA)
    html = help_html(defs, SCHEMA)
    for d in defs:
        assert d.text.replace("&", "") in html and shortcut_text(d).split(",")[0] in html
    w = make_window(Store.open(project_path))
    QTest.keyClick(w.view, Qt.Key.Key_F1)
    assert w._help is not None and w._help.isVisible()
    assert "How to annotate" in w._help.browser.toPlainText()


def test_export_reports_what_the_format_drops(project_path, make_window, tmp_path):
    store = Store.open(project_path)
    text = store.document(1).text
    ops.mark_speaker(store, 1, [(text.index("Sergey Lavrov"), text.index("Sergey Lavrov") + 13)])
    w = make_window(store, active=False)
    out = tmp_path / "out.json"
    w.export("json", out)
    data = json.loads(out.read_text(encoding="utf-8"))
    assert [len(d["spans"]) for d in data["documents"]] == [1, 0]
    w.export("claims-csv", tmp_path / "claims.csv")
    box = w.findChild(QMessageBox, "message_box")
    assert box is not None and box.isVisible() and "could not carry" in box.text()
    assert box.detailedText()
    box.close()


def test_import_is_one_undo_step(project_path, make_window, tmp_path):
    article = tmp_path / "new.txt"
    article.write_text("A new article\n\nThe minister said it was fine.\n", encoding="utf-8")
    w = make_window(Store.open(project_path), active=False)
    w.import_files([article])
    assert w.documents.model.rowCount() == 3 and w.controller.doc.title == "A new article"
    w.controller.undo()
    assert w.documents.model.rowCount() == 2 and w.controller.doc_id in (1, 2)


def test_open_and_new_project(project_path, make_window, tmp_path):
    w = make_window(Store.open(project_path), active=False)
    w.new_project(tmp_path / "empty.db")
    assert w.documents.model.rowCount() == 0 and w.controller.doc is None and "empty.db" in w.windowTitle()
    w.open_project(project_path)
    assert w.documents.model.rowCount() == 2 and w.controller.doc_id == 1
    w.open_project(tmp_path)  # a folder: refused with a message, the project stays
    box = w.findChild(QMessageBox, "message_box")
    assert box is not None and "folder" in box.text()
    box.close()
    assert w.documents.model.rowCount() == 2


def test_run_refuses_a_bad_project(tmp_path, monkeypatch, qapp):
    shown = []
    monkeypatch.setattr(app.QMessageBox, "critical", lambda *args: shown.append(args[2]))
    assert app.run(tmp_path, annotator="") == 1  # a name given: no first-start dialog
    assert "folder" in shown[0]


def test_run_shows_the_window(project_path, qapp):
    def close_all():
        windows = [w for w in QApplication.topLevelWidgets() if w.objectName() == "main_window" and w.isVisible()]
        assert windows and windows[0].controller.doc_id == 1 and QApplication.applicationName() == "Annotator"
        for window in windows:  # closing the last window ends app.exec()
            window.close()
            window.deleteLater()

    QTimer.singleShot(0, close_all)
    assert app.run(project_path, annotator="") == 0
