"""Starting the window: ``run(project)`` is what ``annotator`` (no sub-command) calls."""
from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtWidgets import QApplication, QMessageBox

from annotator.core.errors import AnnotatorError
from annotator.services.projects import open_project


def run(project: Path | None = None) -> int:
    """Open ``project`` (None: the default project, seeded with sample articles) in the
    window and run the event loop; returns the exit code (1 if the project cannot be opened:
    not a project, damaged, newer, or locked by another program while it had to be set up)."""
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("Annotator")
    app.setOrganizationName("Annotator")
    app.setApplicationDisplayName("Annotator")
    try:
        store = open_project(project)
    except AnnotatorError as exc:
        QMessageBox.critical(None, "Annotator", f"Cannot open the project:\n{exc}")
        return 1
    from annotator.ui.main_window import MainWindow  # after QApplication exists

    window = MainWindow(store)
    window.resize(1280, 800)
    window.show()
    return app.exec()
