"""The window on a project, driven through stdin; the subject of test_file_dialogs.py and
test_restore_window.py (not a test itself).

    python window_driver.py PROJECT

Runs the real window (``MainWindow`` over ``open_project(PROJECT)``, offscreen) and reads
one command a line from stdin; each answer is one line on stdout (flushed at once, so that
the lines written before a SIGKILL reach the test):

    dialog NAME     open one of the window's file dialogs and cancel it once it has listed
                    the project's folder in its detail view (the folder of every dialog is
                    the project's: the working folder and the remembered folders are set to
                    it); NAME is import_files, import_folder, export, export_brat,
                    new_project or open_project. Answers ``cancelled NAME`` and then
                    ``locks ok`` or ``locks lost: <why>`` (this process's SQLite locks and
                    files checked by the store's file guard, without strace).
    edit N          add the speaker entity "edit-N" (one committed write); answers ``done N``
                    once committed, ``refused N <message>`` when the store refused.
    restore PATH    File > Restore from Backup with the backup PATH (no dialog); answers
                    ``restored`` or ``not restored <message box text>``.
    quit            close the window (as the user does); answers ``closed``.

Prints ``ready <pid>`` when the window is shown.
"""
from __future__ import annotations

import faulthandler
import os
import queue
import signal
import sys
import threading
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox  # noqa: E402

from annotator.core.errors import AnnotatorError  # noqa: E402
from annotator.services.projects import open_project  # noqa: E402
from annotator.core.store import file_guard  # noqa: E402
from annotator.ui import import_export, settings  # noqa: E402

DIALOGS = {
    "import_files": lambda w: w.import_files(),
    "import_folder": lambda w: w.import_folder(),
    "export": lambda w: w.export(),
    "export_brat": lambda w: w.export("brat"),
    "new_project": lambda w: w.new_project(),
    "open_project": lambda w: w.open_project(),
}
LIST_MS = 1500  # how long a dialog shows the folder before it is cancelled


def say(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def cancel_when_listed(app: QApplication) -> None:
    """Find the open file dialog, show its detail view (icons and types of every file),
    select the project file, then cancel it after LIST_MS."""
    dialog = app.activeModalWidget()
    if not isinstance(dialog, QFileDialog):
        QTimer.singleShot(20, lambda: cancel_when_listed(app))
        return
    dialog.setViewMode(QFileDialog.ViewMode.Detail)
    QTimer.singleShot(LIST_MS, dialog.reject)


def main(project: Path) -> None:
    faulthandler.register(signal.SIGUSR1)  # a test that waits in vain asks where the window is
    app = QApplication.instance() or QApplication(sys.argv[:1])
    os.chdir(project.parent)  # the open / new project dialogs start in the working folder
    for key in (import_export.IMPORT_FOLDER, import_export.EXPORT_FOLDER):
        settings.set_value(key, str(project.parent))
    from annotator.ui.main_window import MainWindow

    window = MainWindow(open_project(project))
    window.show()
    lines: queue.Queue[str | None] = queue.Queue()

    def read_stdin() -> None:
        for line in sys.stdin:
            lines.put(line.strip())
        lines.put(None)

    threading.Thread(target=read_stdin, daemon=True).start()

    def step() -> None:
        try:
            line = lines.get_nowait()
        except queue.Empty:
            return
        if line is None or line == "quit":
            window.close()
            say("closed")
            app.quit()
            return
        command, _, arg = line.partition(" ")
        if command == "dialog":
            QTimer.singleShot(20, lambda: cancel_when_listed(app))
            DIALOGS[arg](window)
            say(f"cancelled {arg}")
            try:
                file_guard.check_before_write(window.store)
            except AnnotatorError as exc:
                say(f"locks lost: {' '.join(str(exc).split())}")
            else:
                say("locks ok")
        elif command == "edit":
            try:
                window.store.add_entity(f"edit-{arg}")
            except AnnotatorError as exc:
                say(f"refused {arg} {' '.join(str(exc).split())}")
            else:
                say(f"done {arg}")
        elif command == "restore":
            before = window.restore_from_backup(Path(arg))
            boxes = [b for b in window.findChildren(QMessageBox) if b.isVisible()]
            text = " ".join(boxes[-1].text().split()) if boxes else ""
            for box in boxes:
                box.close()
            say("restored" if before is not None else f"not restored {text}")

    timer = QTimer()
    timer.timeout.connect(step)
    timer.start(20)
    say(f"ready {os.getpid()}")
    app.exec()


if __name__ == "__main__":
    main(Path(sys.argv[1]).absolute())
