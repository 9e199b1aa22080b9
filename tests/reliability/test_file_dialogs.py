"""Issue 7, fault 1: a file dialog must not make the window lose its edits.

Qt's file dialog, listing the project's folder, used to open and close the project file,
its -wal and its -shm (the MIME database reads their first bytes to tell their type). Closing
those descriptors dropped the window's SQLite locks; the next ``annotator stats`` believed it
was the last connection, checkpointed and deleted the write-ahead log, and every later edit
of the window went into the deleted file: 0 of 6 confirmed edits survived a kill.

Real processes: the window (``window_driver.py``, offscreen) opens and cancels every file
dialog it has on the project's folder; after each, ``annotator stats`` opens and closes the
project in another process, and the window makes edits; the window is killed (SIGKILL) and
every edit it confirmed must be in the project. The window's process also checks after
each dialog that it still holds SQLite's locks and that the files are the ones its
connection writes (the store's file guard), and, when ``strace`` is installed, a traced run
shows that no code but SQLite opens the project's files.
"""
from __future__ import annotations

import os
import re
import shutil

import pytest

from annotator.core.errors import StoreWriteError
from annotator.core.store import Store
from annotator.core.store.file_guard import check_before_write
from reliability_tools import make_project, run_cli
from window_process import Window, answer, entity_names

DIALOGS = ("import_files", "import_folder", "export", "export_brat", "new_project", "open_project")
EDITS_PER_STEP = 2


def test_file_dialogs_then_another_process_then_kill_loses_no_edit(tmp_path):
    project = make_project(tmp_path / "news.db")
    window = Window(project, tmp_path)
    confirmed, lock_reports, refused = [], {}, []
    n = 0
    try:
        for dialog in DIALOGS:
            window.send(f"dialog {dialog}")
            window.expect(f"cancelled {dialog}")
            lock_reports[dialog] = window.expect("locks")
            stats = run_cli("stats", "--project", project)  # another process opens and closes the project
            assert stats.returncode == 0, stats.stderr
            for _ in range(EDITS_PER_STEP):
                n += 1
                window.send(f"edit {n}")
                reply = answer(window, n)
                (confirmed if reply.startswith("done") else refused).append(reply)
    finally:
        window.kill()  # SIGKILL: no clean close, no checkpoint
    names = entity_names(project)
    lost = [line for line in confirmed if f"edit-{line.split()[1]}" not in names]
    assert lost == [], f"{len(lost)} of {len(confirmed)} confirmed edits lost after a kill: {lost}"
    assert lock_reports == {d: "locks ok" for d in DIALOGS}
    assert refused == [] and len(confirmed) == len(DIALOGS) * EDITS_PER_STEP


@pytest.mark.skipif(shutil.which("strace") is None, reason="strace is not installed")
def test_traced_dialogs_never_open_the_project_files(tmp_path):
    """Every openat of the project's files by the window's process is SQLite's own
    (read-write, created if absent); a dialog's read-only open is what dropped the locks."""
    project = make_project(tmp_path / "news.db")
    trace = tmp_path / "trace.txt"
    window = Window(project, tmp_path, prefix=["strace", "-f", "-qq", "-e", "trace=openat", "-o", str(trace)])
    try:
        for dialog in DIALOGS:
            window.send(f"dialog {dialog}")
            window.expect(f"cancelled {dialog}")
            window.expect("locks")
    finally:
        window.kill()
    names = "|".join(re.escape(str(project) + side) for side in ("", "-wal", "-shm", "-journal"))
    opens = [line for line in trace.read_text().splitlines() if re.search(f'"({names})"', line)]
    assert opens, "strace saw no open of the project at all: the trace is not working"
    foreign = [line for line in opens if "O_RDWR|O_CREAT" not in line]
    assert foreign == [], "\n".join(foreign)


def test_the_store_refuses_to_write_after_losing_its_lock(project, tmp_path):
    """The guard behind the dialogs: a descriptor of the project closed outside SQLite
    (what the dialog did) makes the next edit fail with a message, not vanish later."""
    store = Store.open(project)
    try:
        store.add_entity("before")
        check_before_write(store)
        fd = os.open(project, os.O_RDONLY)
        os.close(fd)  # releases every POSIX lock this process held on the file
        with pytest.raises(StoreWriteError, match="lost its lock.*open it again"):
            store.add_entity("after")
    finally:
        store.close()
    assert entity_names(project) >= {"before"} and "after" not in entity_names(project)


def test_the_store_refuses_to_write_into_a_deleted_wal(project, tmp_path):
    """Another process deleted the WAL (it believed it was the last connection): the next
    edit is refused with a message instead of being written into the deleted file."""
    store = Store.open(project)
    try:
        store.add_entity("before")
        os.unlink(f"{project}-wal")
        with pytest.raises(StoreWriteError, match="write-ahead log \\(-wal\\) was deleted"):
            store.add_entity("after")
    finally:
        store.close()


def test_the_store_refuses_to_write_into_a_replaced_project(project, tmp_path):
    store = Store.open(project)
    try:
        store.add_entity("before")
        copy = tmp_path / "copy.db"
        shutil.copyfile(tmp_path / "news.db", copy)
        os.replace(copy, project)
        with pytest.raises(StoreWriteError, match="project file was deleted or replaced"):
            store.add_entity("after")
    finally:
        store.close()


def test_dropping_the_project_files_on_the_window_reads_nothing(project, qtbot):
    """Drag and drop: a file dropped on any widget of the window that accepts drops (the
    window, the read-only article view, the target field) is never opened; the window's
    locks on the project hold afterwards."""
    from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
    from PySide6.QtGui import QDragEnterEvent, QDropEvent
    from PySide6.QtWidgets import QApplication, QWidget

    from annotator.ui.main_window import MainWindow

    window = MainWindow(Store.open(project))
    qtbot.addWidget(window)
    window.show()
    try:
        window.store.add_entity("before the drops")
        targets = [w for w in [window, *window.findChildren(QWidget)] if w.acceptDrops()]
        assert targets
        for widget in targets:
            for side in ("", "-wal", "-shm"):
                data = QMimeData()
                data.setUrls([QUrl.fromLocalFile(f"{project}{side}")])
                centre = widget.rect().center()
                enter = QDragEnterEvent(centre, Qt.DropAction.CopyAction, data, Qt.MouseButton.LeftButton,
                                        Qt.KeyboardModifier.NoModifier)
                QApplication.sendEvent(widget, enter)
                drop = QDropEvent(QPointF(QPoint(centre)), Qt.DropAction.CopyAction, data, Qt.MouseButton.LeftButton,
                                  Qt.KeyboardModifier.NoModifier)
                QApplication.sendEvent(widget, drop)
                check_before_write(window.store)  # raises if a descriptor of the project was closed
        window.store.add_entity("after the drops")
    finally:
        window.close()
    assert {"before the drops", "after the drops"} <= entity_names(project)
