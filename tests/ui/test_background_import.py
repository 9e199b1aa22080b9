"""Imports run off the GUI thread (annotator/ui/background.py): the worker's own store
connection, one undo step, the progress dialog's Cancel, the window's close meanwhile, the
event loop kept running, the focus back on the text afterwards."""
from __future__ import annotations

import os
import threading
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402
from PySide6.QtCore import QTimer  # noqa: E402
from PySide6.QtWidgets import QProgressDialog, QPushButton  # noqa: E402

from annotator.core.store import Store  # noqa: E402
from annotator.services import importing  # noqa: E402
from annotator.ui import background  # noqa: E402


@pytest.fixture
def folder(tmp_path):
    out = tmp_path / "articles"
    out.mkdir()
    for i in range(12):
        (out / f"a{i:02d}.txt").write_text(f"Article {i}\n\nThe minister {i} said it was fine.\n", encoding="utf-8")
    return out


@pytest.fixture
def slow_reading(monkeypatch):
    """Each file takes 60 ms to read (in the worker thread), so that the test can act meanwhile."""
    read = importing._read

    def slow(*args, **kwargs):
        time.sleep(0.06)
        return read(*args, **kwargs)
    monkeypatch.setattr(importing, "_read", slow)


def test_an_import_runs_in_a_worker_with_its_own_connection(project_path, make_window, folder, monkeypatch):
    store = Store.open(project_path)
    w = make_window(store)
    opened, threads = [], []

    def own(path, **options):
        opened.append(path)
        threads.append(threading.current_thread())
        return Store.open(path, **options)
    monkeypatch.setattr(background, "open_store", own)
    w.documents.view.setFocus()
    w.import_folder(folder)
    assert opened == [project_path] and threads[0] is not threading.main_thread()
    assert store.document_count() == 14 and w.documents.model.rowCount() == 14
    assert w.controller.undo_stack.count() == 1 and w.controller.doc.title == "Article 0"
    assert w.view.hasFocus()  # the letter keys act on the text again
    w.controller.undo()
    assert store.document_count() == 2 and w.documents.model.rowCount() == 2


def test_cancel_in_the_progress_dialog_stores_nothing(project_path, make_window, folder, slow_reading):
    store = Store.open(project_path)
    w = make_window(store)
    seen = []

    def cancel():
        dialog = w.findChild(QProgressDialog, "import_progress")
        seen.append(dialog.maximum())
        dialog.findChild(QPushButton).click()  # its Cancel button
    QTimer.singleShot(200, cancel)
    assert w.import_export._import([folder]) is None
    assert seen == [12]  # the dialog counted the files
    assert store.document_count() == 2 and w.controller.undo_stack.count() == 0
    assert "cancelled" in w.statusBar().currentMessage()
    assert w.findChild(QProgressDialog, "import_progress") is None or not w.findChild(QProgressDialog, "import_progress").isVisible()


def test_the_window_runs_its_events_and_closes_during_an_import(project_path, make_window, folder, slow_reading, qtbot):
    store = Store.open(project_path)
    w = make_window(store)
    ticks = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
    timer.start(20)
    QTimer.singleShot(250, w.close)
    assert w.import_export._import([folder]) is None
    timer.stop()
    assert len(ticks) >= 5  # the event loop ran while the files were read
    assert not w.isVisible()
    again = Store.open(project_path)
    try:
        assert again.document_count() == 2  # closed before storing: nothing stored
    finally:
        again.close()


def test_a_bad_file_in_the_worker_still_offers_to_skip_it(project_path, make_window, folder, monkeypatch):
    from PySide6.QtWidgets import QMessageBox
    (folder / "bad.json").write_text('{"format": "annotator", "version": 1, "documents": [{"title": 3}]}', encoding="utf-8")
    store = Store.open(project_path)
    w = make_window(store)
    asked = []

    def skip_it(box):  # the box's "import the others" button
        asked.append(box.text())
        box.answer = next(b for b in box.buttons() if box.buttonRole(b) == QMessageBox.ButtonRole.AcceptRole)
        return 0
    monkeypatch.setattr(QMessageBox, "exec", skip_it)
    monkeypatch.setattr(QMessageBox, "clickedButton", lambda box: box.answer)
    report = w.import_export._import([folder])
    assert asked and "bad.json" in asked[0]
    assert report is not None and len(report.added) == 12 and store.document_count() == 14
