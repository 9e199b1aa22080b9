"""The window's backups of its project: one as the project opens, one every few minutes
while there are edits, one as it closes when it changed, File > Back Up Now, and File > Restore from Backup (which closes the
project, restores it and opens it again in the same window).

The backups themselves are made and restored by :mod:`annotator.core.store.backup` (which also decides which are kept); the dialog
that lists them is :class:`annotator.ui.backups.BackupsDialog`.
"""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QDialog, QMessageBox

from annotator.core.store.backup import list_backups, make_backup, newest_backup_holds, restore_backup
from annotator.core.errors import AnnotatorError
from annotator.core.store import Store
from annotator.services.projects import open_project as open_store
from annotator.ui.backups import BackupsDialog, describe_reason, local_time

if TYPE_CHECKING:
    from annotator.ui.main_window import MainWindow


class ProjectBackups:
    """The backups of a :class:`~annotator.ui.main_window.MainWindow`, which owns it, calls
    :meth:`edited` after every change and :meth:`backup_on_open` when a project opens, and
    delegates ``auto_backup`` (its timer), ``backup_now``, ``restore_from_backup_dialog`` and
    ``restore_from_backup`` to it.

    No signals: it reports in the window's status bar and message boxes (``show_box``).
    ``last_backup`` is the backup made last (None: none yet); ``edited_since_backup`` says
    whether the project changed since."""

    def __init__(self, window: MainWindow):
        self.window = window
        self.edited_since_backup = False
        self.last_backup: Path | None = None

    @property
    def store(self) -> Store:
        return self.window.store

    def edited(self, _change=None) -> None:
        self.edited_since_backup = True

    def _backup(self, reason: str) -> Path:
        path = make_backup(self.store, reason=reason)
        self.last_backup, self.edited_since_backup = path, False
        return path

    def backup_on_open(self) -> None:
        """Back the project up as it opens (not a read-only one); a failure never stops
        the opening, the status bar says it."""
        if self.store.read_only or self.store.where == ":memory:":
            return
        if newest_backup_holds(self.store):  # a large project unchanged since its newest backup
            return
        try:
            self._backup("open")
        except AnnotatorError as exc:
            self.window.statusBar().showMessage(f"No backup was made on opening: {exc}", 20000)

    def backup_on_close(self) -> Path | None:
        """Back the project up as it closes (the window closes, or another project replaces
        it), when it changed since the last backup; a failure never stops the closing, the
        status bar says it. Returns the new backup, or None."""
        if not self.edited_since_backup or self.store.read_only or self.store.where == ":memory:":
            return None
        try:
            return self._backup("close")
        except AnnotatorError as exc:
            self.window.statusBar().showMessage(f"No backup was made on closing: {exc}", 20000)
            return None

    def auto_backup(self) -> Path | None:
        """The timer's backup (every ``backup_minutes``): only when there were edits since
        the last backup. Returns the new backup, or None."""
        if not self.edited_since_backup or self.store.read_only or self.store.where == ":memory:" \
                or self.window.controller.writing:
            return None
        try:
            return self._backup("auto")
        except AnnotatorError as exc:
            self.window.statusBar().showMessage(f"The automatic backup failed (it is tried again later): {exc}", 20000)
            return None

    def backup_now(self) -> Path | None:
        """File > Back Up Now."""
        try:
            path = self._backup("manual")
        except AnnotatorError as exc:
            self.window.show_box(QMessageBox.Icon.Warning, "Back up", f"Could not back up the project: {exc}")
            return None
        self.window.statusBar().showMessage(f"Backed up to {path}", 10000)
        return path

    def restore_from_backup_dialog(self) -> None:
        """File > Restore from Backup: choose a backup, confirm, restore."""
        window = self.window
        if self.store.read_only:
            window.controller.message_posted.emit("Read-only project: it cannot be restored from a backup.")
            return
        if self.store.where == ":memory:":
            window.show_box(QMessageBox.Icon.Information, "Restore from backup",
                            "This project is in memory: it has no backups.")
            return
        project = Path(self.store.where)
        backups = list_backups(project)
        if not backups:
            window.show_box(QMessageBox.Icon.Information, "Restore from backup",
                            f"{project.name} has no backups yet (File > Back Up Now makes one).")
            return
        dialog = BackupsDialog(project, backups, window)
        if dialog.exec() != QDialog.DialogCode.Accepted or dialog.chosen() is None:
            return
        chosen = dialog.chosen()
        documents = "" if chosen.documents is None else f" ({chosen.documents} documents)"
        answer = QMessageBox.question(
            window, "Restore from backup",
            f"Replace the content of {project.name} by the backup made {local_time(chosen)}, "
            f"{describe_reason(chosen.reason)}{documents}?\n\n"
            "The project as it is now is backed up first; the undo history is cleared.")
        if answer == QMessageBox.StandardButton.Yes:
            self.restore_from_backup(chosen.path)

    def restore_from_backup(self, backup: Path) -> Path | None:
        """Restore the project from ``backup`` (no dialog): close the store, restore, reopen
        the project in this window (on the same document when it is still there). Returns
        where the content from before the restore was saved (None if nothing was restored);
        a message box says it."""
        window, controller = self.window, self.window.controller
        if self.store.read_only:
            controller.message_posted.emit("Read-only project: it cannot be restored from a backup.")
            return None
        project, backup = Path(self.store.where), Path(backup)
        doc_id = controller.doc_id
        controller.remember_document()
        controller.undo_stack.clear()
        self.store.close()
        before, error = None, None
        try:
            before = restore_backup(backup, project)
        except AnnotatorError as exc:
            error = exc
        try:
            store = open_store(project)
        except AnnotatorError as exc:
            store = _unopenable(project, exc)
        controller.set_store(store)
        if doc_id is not None and doc_id != controller.doc_id and doc_id in window.documents.model.ids():
            controller.open_document(doc_id)
        self.edited_since_backup = False
        window.update_title()
        if error is not None:
            window.show_box(QMessageBox.Icon.Warning, "Restore from backup",
                            f"The backup was not restored: {error}", str(backup))
            return None
        saved = f"The content from before the restore was saved to:\n{before}" if before else ""
        window.show_box(QMessageBox.Icon.Information, "Restore from backup",
                        f"Restored {project.name} from {backup.name}.\n\n{saved}".strip())
        window.statusBar().showMessage(f"Restored from {backup.name}; the previous content is in {before}", 20000)
        return before


def _unopenable(project: Path, error: Exception) -> Store:
    """The project could not be reopened (after a restore): read-only if possible, else an
    empty read-only stand-in whose banner says what happened."""
    try:
        return Store.open(project, read_only=True)
    except AnnotatorError:
        store = Store.memory()
        store.read_only = True
        store.read_only_reason = f"{project} could not be opened again: {error}."
        return store
