"""Exports run off the GUI thread (annotator/ui/background.py) with a progress dialog that
can cancel (no file is left at the target); the export scope (File > Export As > Scope);
undoing an import asks first; after an import the letter keys act on the text."""
from __future__ import annotations

import json
import os
import threading
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402
from PySide6.QtCore import QItemSelectionModel, Qt, QTimer  # noqa: E402
from PySide6.QtWidgets import QMessageBox, QProgressDialog, QPushButton  # noqa: E402

from annotator.core.model import NewDocument  # noqa: E402
from annotator.core.store import Store  # noqa: E402
from annotator.formats import registry  # noqa: E402
from annotator.ui import background, undo  # noqa: E402

REAL_ASK = undo.ask_yes_no  # conftest answers Yes for every other test


@pytest.fixture
def folder(tmp_path):
    out = tmp_path / "articles"
    out.mkdir()
    for i in range(12):
        (out / f"a{i:02d}.txt").write_text(f"Article {i}\n\nThe minister {i} said it was fine.\n", encoding="utf-8")
    return out


@pytest.fixture
def slow_export(monkeypatch):
    """Each document takes 40 ms to read for the export (in the worker thread)."""
    items = registry.ExportItems.__iter__

    def slow(self):
        for item in items(self):
            time.sleep(0.04)
            yield item
    monkeypatch.setattr(registry.ExportItems, "__iter__", slow)


def titles(path) -> list[str]:
    return [json.loads(line)["title"] for line in path.read_text(encoding="utf-8").splitlines()]


def test_an_export_runs_in_a_worker_with_its_own_connection(project_path, make_window, tmp_path, monkeypatch):
    store = Store.open(project_path)
    w = make_window(store)
    threads = []

    def own(path, **options):
        threads.append(threading.current_thread())
        return Store.open(path, **options)
    monkeypatch.setattr(background, "open_store", own)
    target = tmp_path / "out.jsonl"
    assert w.import_export.export("jsonl", target) == target
    assert threads and threads[0] is not threading.main_thread()
    assert len(titles(target)) == 2 and "Exported 2 document(s)" in w.statusBar().currentMessage()


def test_cancel_in_the_export_dialog_leaves_no_file(project_path, make_window, tmp_path, slow_export, folder):
    store = Store.open(project_path)
    w = make_window(store)
    store.import_documents(NewDocument(title=f"A{i}", text=f"Article {i}\n\nMore {i}.") for i in range(30))
    seen = []

    def cancel():
        dialog = w.findChild(QProgressDialog, "export_progress")
        seen.append(dialog.maximum())
        dialog.findChild(QPushButton).click()
    QTimer.singleShot(300, cancel)
    out = tmp_path / "exports"
    out.mkdir()
    assert w.import_export.export("json", out / "all.json") is None
    assert seen == [32]  # the dialog counts documents
    assert list(out.iterdir()) == []  # neither the file nor its temporary file
    assert "Export cancelled" in w.statusBar().currentMessage()


def test_the_window_repaints_and_closes_during_an_export(project_path, make_window, tmp_path, slow_export):
    store = Store.open(project_path)
    store.import_documents(NewDocument(title=f"A{i}", text=f"Article {i}\n\nMore {i}.") for i in range(30))
    w = make_window(store)
    ticks = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
    timer.start(20)
    QTimer.singleShot(300, w.close)
    out = tmp_path / "exports"
    out.mkdir()
    assert w.import_export.export("jsonl", out / "all.jsonl") is None
    timer.stop()
    assert len(ticks) >= 5 and not w.isVisible()
    assert list(out.iterdir()) == []


def test_export_scope_this_document_selected_documents_and_done_ones(project_path, make_window, tmp_path):
    store = Store.open(project_path)
    report, _ = store.import_documents(NewDocument(title=f"A{i}", text=f"Article {i}\n\nMore {i}.") for i in range(3))
    store.update_document(report.added[1], status="done")
    w = make_window(store)
    ie = w.import_export
    w.controller.open_document(report.added[2])
    menu = ie.export_menu()
    menu.findChild(type(menu.actions()[0]), "action_export_scope_document").trigger()
    assert ie.scope == "document"
    assert titles(ie.export("jsonl", tmp_path / "one.jsonl")) == ["A2"]
    assert titles(ie.export("jsonl", tmp_path / "done.jsonl", scope="done")) == ["A1"]
    view, proxy, model = w.documents.view, w.documents.proxy, w.documents.model
    selection = view.selectionModel()
    selection.clearSelection()
    for doc_id in (report.added[0], report.added[2]):
        index = proxy.index(proxy.view_row(model.row_of(doc_id)), 0)
        selection.select(index, QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows)
    assert titles(ie.export("jsonl", tmp_path / "selected.jsonl", scope="selected")) == ["A0", "A2"]
    assert len(titles(ie.export("jsonl", tmp_path / "all.jsonl", scope="project"))) == 5


def test_an_empty_scope_is_refused_with_a_message(project_path, make_window, tmp_path, monkeypatch):
    store = Store.open(project_path)
    w = make_window(store)
    shown = []
    monkeypatch.setattr(w, "show_box", lambda icon, title, text, *a, **k: shown.append(text))
    assert w.import_export.export("jsonl", tmp_path / "x.jsonl", scope="done") is None
    assert shown == ["Nothing to export: no document is done."] and not (tmp_path / "x.jsonl").exists()


def test_undoing_an_import_asks_first_and_no_keeps_it(project_path, make_window, folder, monkeypatch):
    store = Store.open(project_path)
    w = make_window(store)
    w.import_folder(folder)
    assert store.document_count() == 14
    asked = []

    def answer(reply):
        def question(_parent, _title, text, *args, **kwargs):
            asked.append(text.split("\n")[0])
            return reply
        return question
    monkeypatch.setattr(undo, "ask_yes_no", REAL_ASK)
    monkeypatch.setattr(QMessageBox, "question", answer(QMessageBox.StandardButton.No))
    w.controller.undo()
    assert asked == ["Undo the import of 12 documents?"] and store.document_count() == 14
    assert w.controller.undo_stack.index() == 1 and "Not undone" in w.statusBar().currentMessage()
    monkeypatch.setattr(QMessageBox, "question", answer(QMessageBox.StandardButton.Yes))
    w.controller.undo()
    assert store.document_count() == 2 and len(asked) == 2
    w.controller.redo()  # no question to redo
    assert store.document_count() == 14 and len(asked) == 2


def test_after_an_import_a_letter_key_marks_on_the_text(project_path, make_window, folder, qtbot, monkeypatch):
    store = Store.open(project_path)
    w = make_window(store)
    w.documents.view.setFocus()
    w.import_folder(folder)
    assert w.view.hasFocus()
    doc_id = w.controller.doc_id
    before = len(store.spans(doc_id))
    cursor = w.view.textCursor()
    cursor.setPosition(0)
    cursor.setPosition(7, cursor.MoveMode.KeepAnchor)  # "Article"
    w.view.setTextCursor(cursor)
    qtbot.keyClick(w.view, Qt.Key.Key_S)  # S: mark a speaker mention
    assert len(store.spans(doc_id)) == before + 1


def test_a_folder_export_into_a_folder_with_files_asks_first(project_path, make_window, tmp_path, monkeypatch):
    """brat into a folder that holds files: the window asks; No exports nothing, Yes replaces."""
    w = make_window(Store.open(project_path))
    out = tmp_path / "brat"
    out.mkdir()
    (out / "1.txt").write_text("my precious notes", encoding="utf-8")
    asked = []
    monkeypatch.setattr(undo, "ask_yes_no", lambda _parent, _title, text: asked.append(text) or False)
    assert w.import_export.export("brat", out) is None
    assert asked and "1.txt" in asked[0] and (out / "1.txt").read_text(encoding="utf-8") == "my precious notes"
    monkeypatch.setattr(undo, "ask_yes_no", lambda *_args: True)
    assert w.import_export.export("brat", out) == out
    assert (out / "1.txt").read_text(encoding="utf-8") != "my precious notes" and (out / "1.ann").exists()
