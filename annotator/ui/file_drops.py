"""Files and folders dropped on the window: one project file (``*.annotator``) opens, articles,
annotated files and folders are imported through File > Import's path (one import, all or
nothing, with its reports), anything else is refused in the status bar. What a drop does is
decided without Qt (:func:`annotator.ui.files.drop_plan`).

The drop is taken wherever it lands in the window (the article, a panel): those widgets
leave file drops to the window, which this event filter watches.
"""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QMimeData, QObject, QTimer

from annotator.ui.files import IMPORT, OPEN, drop_plan

if TYPE_CHECKING:
    from annotator.ui.main_window import MainWindow


def dropped_paths(mime: QMimeData) -> list[Path]:
    """The local files and folders of a drag ([] for text, web addresses...)."""
    if not mime.hasUrls():
        return []
    return [Path(url.toLocalFile()) for url in mime.urls() if url.isLocalFile() and url.toLocalFile()]


class FileDrops(QObject):
    """Makes ``window`` take file drops (installs itself as its event filter). No signals:
    a drop calls the window's ``open_project`` or ``import_files`` once the drop is over
    (the file manager is not kept waiting by an import), or says in the status bar why not.
    ``last_plan`` is what the last drop did, for tests."""

    def __init__(self, window: MainWindow):
        super().__init__(window)
        self.window = window
        self.last_plan: tuple[str, list[Path], str] | None = None
        window.setAcceptDrops(True)
        window.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if watched is self.window and event.type() in (QEvent.Type.DragEnter, QEvent.Type.DragMove):
            if dropped_paths(event.mimeData()):
                event.acceptProposedAction()
                return True
        if watched is self.window and event.type() == QEvent.Type.Drop:
            paths = dropped_paths(event.mimeData())
            if paths:
                event.acceptProposedAction()
                QTimer.singleShot(0, lambda: self.take(paths))
                return True
        return super().eventFilter(watched, event)

    def take(self, paths: list[Path]) -> None:
        """Open or import ``paths`` as :func:`~annotator.ui.files.drop_plan` says."""
        window = self.window
        self.last_plan = action, chosen, message = drop_plan(paths)
        if action == OPEN:
            if _same_file(chosen[0], window.store.where):
                window.statusBar().showMessage(f"{chosen[0].name} is the project open in this window.", 6000)
            else:
                window.open_project(chosen[0])
        elif action == IMPORT:
            window.import_files(chosen)
        else:
            window.statusBar().showMessage(message, 10000)


def _same_file(path: Path, where: str) -> bool:
    """True if ``path`` names the project file ``where`` (by path, not by opening it)."""
    if where == ":memory:":
        return False
    try:
        return path.resolve() == Path(where).resolve()
    except OSError:
        return False
