"""Starting the window: ``run(project)`` is what ``annotator`` (no sub-command) calls."""
from __future__ import annotations

import os
import sys
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from annotator.core.errors import AnnotatorError
from annotator.services.projects import open_project
from annotator.ui.annotator_name import window_annotator
from annotator.ui.icons import app_icon
from annotator.ui.theme import apply_saved_theme

APP_ID = "io.github.annotator.Annotator"  # reverse-DNS id of the .desktop, metainfo and icon files (packaging/linux/)

NO_DISPLAY = ("annotator: error: no display to open the window on (neither DISPLAY nor WAYLAND_DISPLAY is set): "
              "run it in a desktop session, or 'xvfb-run annotator', or set QT_QPA_PLATFORM=offscreen for scripts")


def has_display(environ=os.environ, platform: str = sys.platform) -> bool:
    """False on Linux when no X11 or Wayland display is named (``DISPLAY``,
    ``WAYLAND_DISPLAY``) and no Qt platform is chosen (``QT_QPA_PLATFORM``): creating the
    QApplication would then abort the process (Qt's xcb plugin, exit 134). True elsewhere."""
    if not platform.startswith("linux"):
        return True
    return any(environ.get(name) for name in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"))


def run(project: Path | None = None, quit_after_load: bool = False, annotator: str | None = None) -> int:
    """Open ``project`` (None: the default project, seeded with sample articles) in the
    window and run the event loop; returns the exit code (1 if the project cannot be opened:
    not a project, damaged, newer, or locked by another program while it had to be set up).
    ``annotator``: the command line's ``--annotator`` (None: the remembered name, asked on
    the first start, :func:`~annotator.ui.annotator_name.window_annotator`). Returns 2
    after one line on stderr (:data:`NO_DISPLAY`) when there is no display (:func:`has_display`)."""
    if QApplication.instance() is None and not has_display():
        print(NO_DISPLAY, file=sys.stderr)
        return 2
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("Annotator")
    app.setOrganizationName("Annotator")
    app.setApplicationDisplayName("Annotator")
    app.setDesktopFileName(APP_ID)  # the .desktop file's name: Wayland shells find the icon by it
    app.setWindowIcon(app_icon())
    apply_saved_theme()
    name = window_annotator(annotator, ask=not quit_after_load)  # a build check never waits for a dialog
    try:
        store = open_project(project, annotator=name)
    except AnnotatorError as exc:
        QMessageBox.critical(None, "Annotator", f"Cannot open the project:\n{exc}")
        return 1
    from annotator.ui.main_window import MainWindow  # after QApplication exists

    window = MainWindow(store)
    window.resize(1280, 800)
    window.show()
    if quit_after_load:  # checks of a build: the project is shown once the event loop runs
        QTimer.singleShot(0, lambda: _report_and_close(window))
    return app.exec()


def _report_and_close(window) -> None:
    """``--quit-after-load``: one line on stdout saying what the window showed, then quit."""
    doc = window.controller.doc
    print(f"annotator: shown {window.store.document_count()} documents; open: {doc.title if doc else '(none)'}", flush=True)
    window.close()
    QApplication.instance().quit()
