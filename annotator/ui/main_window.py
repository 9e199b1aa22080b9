"""The main window: assembles the article view, the docks, the menus (from
:mod:`annotator.ui.actions`), the status bar and the undo stack. The annotation logic lives
in :class:`~annotator.ui.controller.Controller`; this file only adds the project-level
dialogs (new / open project, import, export, backups, help, about) and the window side of
data safety: the read-only banner, the Retry / Cancel box of a locked project, the poll
that follows other windows, and the backups made on opening and while editing.

Import is all or nothing, as on the command line: a bad file refuses the whole import (the
project unchanged) and the window offers to import the other files without it. What an
import skipped or noted, and what an export could not carry, is listed in a message box
(grouped: a line repeated N times shows once, with "(×N)"). The format of an export
follows the extension typed in its file dialog (:func:`annotator.ui.files.export_target`)."""
from __future__ import annotations

import sqlite3
from html import escape
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import QDialog, QFileDialog, QLabel, QMainWindow, QMenu, QMessageBox, QVBoxLayout, QWidget

from annotator import __version__ as VERSION
from annotator.core.backup import list_backups, make_backup, restore_backup
from annotator.core.errors import AnnotatorError, InputError
from annotator.core.importing import export_to, import_paths
from annotator.core.project import open_project as open_store
from annotator.core.store import ImportReport, Store
from annotator.formats.registry import Format, formats, get_format
from annotator.ui import settings
from annotator.ui.actions import MENUS, action_defs, create_actions
from annotator.ui.backups import BackupsDialog, describe_reason, local_time
from annotator.ui.controller import Controller
from annotator.ui.files import cannot_carry_tip, export_target, file_filter, grouped, preview, short_description
from annotator.ui.help import HelpDialog
from annotator.ui.panels.claims import ClaimsPanel
from annotator.ui.panels.documents import DocumentsPanel
from annotator.ui.panels.sentiment import SentimentPanel
from annotator.ui.panels.speakers import SpeakersPanel
from annotator.ui.text_view import AnnotatedTextView

PROJECT_FILTER = "Annotator projects (*.db *.annotator);;All files (*)"
POLL_MS = 1500  # how often the window looks for changes made by another window
IMPORT_FOLDER, EXPORT_FOLDER = "dialogs/import_folder", "dialogs/export_folder"  # window settings
SKIP_AND_IMPORT = "Import the other files and skip this one"
BACKUP_MINUTES = 10  # an automatic backup this often, when there were edits since the last one
BANNER_STYLE = ("QLabel#read_only_banner { background: #fff3cd; color: #533f03; border-bottom: 1px solid #e0c36a;"
                " padding: 6px 10px; }")


class MainWindow(QMainWindow):
    """The Annotator window over an open :class:`Store` (it closes the store when closed).

    Attributes for tests and scripts: ``view``, ``controller``, ``actions`` (id -> QAction,
    ids as in :func:`~annotator.ui.actions.action_defs`), ``speakers``, ``claims``,
    ``sentiment``, ``documents``; ``banner`` (the read-only bar above the article),
    ``poll_timer``, ``backup_timer``.

    A read-only project shows the banner with the store's reason, and every action that
    would change the project is off (its key says why in the status bar). Every write goes
    through the controller's ``attempt``; a locked project asks Retry / Cancel.
    """

    backup_minutes = BACKUP_MINUTES

    def __init__(self, store: Store, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("main_window")
        self.resize(1280, 800)
        self.view = AnnotatedTextView(self)
        self.view.setObjectName("text_view")
        self.banner = QLabel(self)
        self.banner.setObjectName("read_only_banner")
        self.banner.setWordWrap(True)
        self.banner.setTextFormat(Qt.TextFormat.RichText)
        self.banner.setStyleSheet(BANNER_STYLE)
        self.banner.hide()
        central = QWidget(self)
        central.setObjectName("central")
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.banner)
        layout.addWidget(self.view, 1)
        self.setCentralWidget(central)
        self.documents = DocumentsPanel(store, self)
        self.speakers = SpeakersPanel(store, self)
        self.sentiment = SentimentPanel(store.schema, self)
        self.claims = ClaimsPanel(store, self)
        self.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, self.documents)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.speakers)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.sentiment)
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.claims)
        self.setCorner(Qt.Corner.BottomRightCorner, Qt.DockWidgetArea.RightDockWidgetArea)
        self.setCorner(Qt.Corner.BottomLeftCorner, Qt.DockWidgetArea.LeftDockWidgetArea)
        self.resizeDocks([self.documents, self.speakers], [230, 380], Qt.Orientation.Horizontal)
        self.resizeDocks([self.speakers, self.sentiment], [430, 270], Qt.Orientation.Vertical)
        self.resizeDocks([self.claims], [210], Qt.Orientation.Vertical)
        self.controller = Controller(store, self.view, self.speakers, self.claims, self.sentiment, self.documents, self)
        self.defs = action_defs(store.schema)
        self.actions = create_actions(self, self.defs, _Targets(self.controller, self), self.view)
        self._build_menus()
        self._help: HelpDialog | None = None
        self._closed = False
        self._boxes: list[QMessageBox] = []
        self.place = QLabel(self)
        self.place.setObjectName("status_label")
        self.statusBar().addWidget(self.place, 1)
        self.controller.described.connect(self.place.setText)
        self.controller.message_posted.connect(lambda text: self.statusBar().showMessage(text, 6000))
        self.controller.error_reported.connect(lambda text: self.show_box(QMessageBox.Icon.Warning, "Annotator", text))
        self.controller.document_opened.connect(self._update_title)
        self.controller.document_changed.connect(self._update_title)
        self.controller.ask_retry = self._ask_retry
        self.controller.read_only_changed.connect(self._set_read_only)
        self.controller.change_applied.connect(self._edited)
        stack = self.controller.undo_stack
        stack.undoTextChanged.connect(lambda t: self.actions["undo"].setText(f"&Undo {t}" if t else "&Undo"))
        stack.redoTextChanged.connect(lambda t: self.actions["redo"].setText(f"&Redo {t}" if t else "&Redo"))
        stack.canUndoChanged.connect(self._update_undo_actions)
        stack.canRedoChanged.connect(self._update_undo_actions)
        self.actions["snap_words"].setChecked(self.view.snap_to_words)
        self.view.setPlaceholderText("No document open: import articles with File > Import Articles (Ctrl+I).")
        self.view.installEventFilter(self)
        for signal in (self.speakers.model.modelReset, self.speakers.model.layoutChanged, self.speakers.model.dataChanged):
            signal.connect(self._name_speaker_actions)
        self._edited_since_backup = False
        self.last_backup: Path | None = None
        self._set_read_only(store.read_only)
        self.controller.open_initial()
        self._backup_on_open()
        self.poll_timer = QTimer(self)
        self.poll_timer.setObjectName("poll_timer")
        self.poll_timer.setInterval(POLL_MS)
        self.poll_timer.timeout.connect(self.controller.poll)
        self.poll_timer.start()
        self.backup_timer = QTimer(self)
        self.backup_timer.setObjectName("backup_timer")
        self.backup_timer.setInterval(int(self.backup_minutes * 60_000))
        self.backup_timer.timeout.connect(self.auto_backup)
        self.backup_timer.start()
        self.view.setFocus()

    @property
    def store(self) -> Store:
        return self.controller.store

    # --- assembly -----------------------------------------------------------------------

    def _build_menus(self) -> None:
        menus: dict[str, QMenu] = {title: self.menuBar().addMenu(f"&{title}") for title in MENUS}
        for d in self.defs:
            top, *sub = d.menu.split("/")
            menu = menus[top]
            for name in sub:
                key = f"{top}/{name}"
                if key not in menus:
                    menus[key] = menu.addMenu(name)
                menu = menus[key]
            if d.separator_before:
                menu.addSeparator()
            menu.addAction(self.actions[d.id])
            if d.id == "export":
                menu.addMenu(self._export_menu())
        view = menus["View"]
        first = view.actions()[0] if view.actions() else None
        for dock in (self.documents, self.speakers, self.claims, self.sentiment):
            view.insertAction(first, dock.toggleViewAction())

    def _export_menu(self) -> QMenu:
        menu = QMenu("Export &As", self)
        menu.setObjectName("export_menu")
        menu.setToolTipsVisible(True)
        for fmt in formats():
            if fmt.can_write:
                kind = "a folder" if fmt.writer is None else ", ".join(fmt.extensions)
                action = QAction(f"{fmt.name} — {short_description(fmt)} ({kind})", menu)
                action.setObjectName(f"action_export_{fmt.name}")
                action.setStatusTip(cannot_carry_tip(fmt))  # the one text on what it loses
                action.setToolTip(cannot_carry_tip(fmt))
                action.triggered.connect(lambda _checked=False, name=fmt.name: self.export(name))
                menu.addAction(action)
        return menu

    def _name_speaker_actions(self, *_args) -> None:
        """"Speaker #1: Antony Blinken" in the Annotate menu, as numbered in the panel."""
        for n in range(1, 10):
            entity = self.speakers.model.numbered(n)
            self.actions[f"speaker_{n}"].setText(f"Speaker #{n}: {entity.name}" if entity else f"Speaker #{n}")

    def _update_title(self, *_args) -> None:
        project = Path(self.store.where).name + (" [read-only]" if self.store.read_only else "")
        doc = self.controller.doc
        self.setWindowTitle(f"{doc.title} — {project} — Annotator" if doc else f"{project} — Annotator")

    # --- read-only projects ------------------------------------------------------------------

    def _set_read_only(self, on: bool) -> None:
        """Show or hide the banner; turn the actions and panel editors that change the
        project off or on."""
        reason = self.store.read_only_reason or "The project cannot be written."
        self.banner.setText(f"<b>Read-only project.</b> {escape(reason)} You can read, navigate, export and back "
                            "it up; marking and every other edit are turned off.")
        self.banner.setToolTip(reason)
        self.banner.setVisible(on)
        for d in self.defs:
            if d.edits:
                self.actions[d.id].setEnabled(not on)
        if self.store.where == ":memory:":
            self.actions["restore_backup"].setEnabled(False)
        self._update_undo_actions()
        self.speakers.set_read_only(on)
        self.claims.set_read_only(on)
        self.sentiment.set_read_only(on)
        self._update_title()

    def _update_undo_actions(self, *_args) -> None:
        stack, writable = self.controller.undo_stack, not self.store.read_only
        self.actions["undo"].setEnabled(writable and stack.canUndo())
        self.actions["redo"].setEnabled(writable and stack.canRedo())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        """In a read-only project, the key of an edit (S, C, Delete...) says why it does nothing."""
        if watched is self.view and event.type() == QEvent.Type.KeyPress and self.store.read_only:
            pressed = QKeySequence(event.keyCombination())
            for d in self.defs:
                if d.edits and pressed in self.actions[d.id].shortcuts():
                    self.statusBar().showMessage(
                        f"Read-only project: {d.text.replace('&', '').rstrip('…')} is turned off. "
                        f"{self.store.read_only_reason or ''}".strip(), 10000)
                    return True
        return super().eventFilter(watched, event)

    # --- locked project, other windows --------------------------------------------------

    def _ask_retry(self, message: str) -> bool:
        """The project is locked by another program: Retry (True) or Cancel (False)."""
        text, _, details = message.partition("\n\n")
        box = QMessageBox(QMessageBox.Icon.Warning, "Project locked", text,
                          QMessageBox.StandardButton.Retry | QMessageBox.StandardButton.Cancel, self)
        box.setObjectName("locked_box")
        box.setInformativeText("Another program or Annotator window is writing to the project. Retry once it is "
                               "done (your edit is kept until then), or Cancel to give this edit up.")
        if details:
            box.setDetailedText(details)
        box.setDefaultButton(QMessageBox.StandardButton.Retry)
        box.exec()
        return box.clickedButton() is box.button(QMessageBox.StandardButton.Retry)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.ActivationChange and self.isActiveWindow() and not getattr(self, "_closed", True):
            self.controller.poll()  # back from another window: show what it did
        super().changeEvent(event)

    # --- backups -------------------------------------------------------------------------

    def _edited(self, _change=None) -> None:
        self._edited_since_backup = True

    def _backup(self, reason: str) -> Path:
        path = make_backup(self.store, reason=reason)
        self.last_backup, self._edited_since_backup = path, False
        return path

    def _backup_on_open(self) -> None:
        """Back the project up as it opens (not a read-only one); a failure never stops
        the opening, the status bar says it."""
        if self.store.read_only or self.store.where == ":memory:":
            return
        try:
            self._backup("open")
        except (AnnotatorError, OSError, sqlite3.Error) as exc:
            self.statusBar().showMessage(f"No backup was made on opening: {exc}", 20000)

    def auto_backup(self) -> Path | None:
        """The timer's backup (every ``backup_minutes``): only when there were edits since
        the last backup. Returns the new backup, or None."""
        if not self._edited_since_backup or self.store.read_only or self.store.where == ":memory:" \
                or self.controller.writing:
            return None
        try:
            return self._backup("auto")
        except (AnnotatorError, OSError, sqlite3.Error) as exc:
            self.statusBar().showMessage(f"The automatic backup failed (it is tried again later): {exc}", 20000)
            return None

    def backup_now(self) -> Path | None:
        """File > Back Up Now."""
        try:
            path = self._backup("manual")
        except (AnnotatorError, OSError, sqlite3.Error) as exc:
            self.show_box(QMessageBox.Icon.Warning, "Back up", f"Could not back up the project: {exc}")
            return None
        self.statusBar().showMessage(f"Backed up to {path}", 10000)
        return path

    def restore_from_backup_dialog(self) -> None:
        """File > Restore from Backup: choose a backup, confirm, restore."""
        if self.store.read_only:
            self.controller.message_posted.emit("Read-only project: it cannot be restored from a backup.")
            return
        if self.store.where == ":memory:":
            self.show_box(QMessageBox.Icon.Information, "Restore from backup", "This project is in memory: it has no backups.")
            return
        project = Path(self.store.where)
        backups = list_backups(project)
        if not backups:
            self.show_box(QMessageBox.Icon.Information, "Restore from backup",
                          f"{project.name} has no backups yet (File > Back Up Now makes one).")
            return
        dialog = BackupsDialog(project, backups, self)
        if dialog.exec() != QDialog.DialogCode.Accepted or dialog.chosen() is None:
            return
        chosen = dialog.chosen()
        documents = "" if chosen.documents is None else f" ({chosen.documents} documents)"
        answer = QMessageBox.question(
            self, "Restore from backup",
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
        if self.store.read_only:
            self.controller.message_posted.emit("Read-only project: it cannot be restored from a backup.")
            return None
        project, backup = Path(self.store.where), Path(backup)
        doc_id = self.controller.doc_id
        self.controller.remember_document()
        self.controller.undo_stack.clear()
        self.store.close()
        before, error = None, None
        try:
            before = restore_backup(backup, project)
        except (AnnotatorError, OSError, sqlite3.Error) as exc:
            error = exc
        try:
            store = open_store(project)
        except AnnotatorError as exc:
            store = _unopenable(project, exc)
        self.controller.set_store(store)
        if doc_id is not None and doc_id != self.controller.doc_id and doc_id in self.documents.model.ids():
            self.controller.open_document(doc_id)
        self._edited_since_backup = False
        self._update_title()
        if error is not None:
            self.show_box(QMessageBox.Icon.Warning, "Restore from backup",
                          f"The backup was not restored: {error}", str(backup))
            return None
        saved = f"The content from before the restore was saved to:\n{before}" if before else ""
        self.show_box(QMessageBox.Icon.Information, "Restore from backup",
                      f"Restored {project.name} from {backup.name}.\n\n{saved}".strip())
        self.statusBar().showMessage(f"Restored from {backup.name}; the previous content is in {before}", 20000)
        return before

    def show_box(self, icon: QMessageBox.Icon, title: str, text: str, details: str = "", informative: str = "",
                 name: str = "message_box") -> QMessageBox:
        """A window-modal message that does not block the caller (kept until closed);
        ``details`` go to its Show Details area."""
        box = QMessageBox(icon, title, text, QMessageBox.StandardButton.Ok, self)
        box.setObjectName(name)
        if informative:
            box.setInformativeText(informative)
        if details:
            box.setDetailedText(details)
        box.finished.connect(lambda _r, b=box: self._boxes.remove(b) if b in self._boxes else None)
        self._boxes.append(box)
        box.open()
        return box

    # --- project-level actions (handlers named in actions.py) ------------------------------

    def new_project(self, path: Path | None = None) -> None:
        if path is None:
            name, _ = QFileDialog.getSaveFileName(self, "New project", "project.annotator.db", PROJECT_FILTER)
            if not name:
                return
            path = Path(name)
        if path.exists():
            self.show_box(QMessageBox.Icon.Warning, "New project", f"{path} already exists; use Open Project.")
            return
        self.open_project(path)

    def open_project(self, path: Path | None = None) -> None:
        if path is None:
            name, _ = QFileDialog.getOpenFileName(self, "Open project", "", PROJECT_FILTER)
            if not name:
                return
            path = Path(name)
        try:
            store = open_store(path)
        except AnnotatorError as exc:  # not a project, damaged, newer; locked or failing disk
            self.show_box(QMessageBox.Icon.Critical, "Open project", str(exc))
            return
        self.controller.set_store(store)
        self._edited_since_backup = False
        self._update_title()
        self.statusBar().showMessage(f"Opened {path}" + (" (read-only)" if store.read_only else ""), 6000)
        self._backup_on_open()

    def import_files(self, paths: list[Path] | None = None) -> None:
        """File > Import Articles: the files ``paths`` (None: ask), all or nothing."""
        if self._refuse_import():
            return
        if paths is None:
            names, _ = QFileDialog.getOpenFileNames(self, "Import articles", settings.folder(IMPORT_FOLDER),
                                                    "Articles and annotations (*);;Text (*.txt *.md)")
            if not names:
                return
            paths = [Path(n) for n in names]
            settings.set_value(IMPORT_FOLDER, str(paths[0].parent))
        self._import(paths)

    def import_folder(self, folder: Path | None = None) -> None:
        """File > Import Folder: every article in a folder and its subfolders, or a brat
        collection (a file dialog cannot choose a folder)."""
        if self._refuse_import():
            return
        if folder is None:
            name = QFileDialog.getExistingDirectory(self, "Import a folder of articles or a brat collection",
                                                    settings.folder(IMPORT_FOLDER))
            if not name:
                return
            folder = Path(name)
            settings.set_value(IMPORT_FOLDER, str(folder.parent))
        self._import([folder])

    def _refuse_import(self) -> bool:
        if self.store.read_only:
            self.controller.message_posted.emit(f"Read-only project: nothing can be imported. {self.store.read_only_reason}")
        return bool(self.store.read_only)

    def _import(self, paths: list[Path]) -> ImportReport | None:
        """Import ``paths`` in one transaction and one undo step. A bad file refuses the
        whole import (the project is unchanged); the window then offers to import the other
        files without it. Returns the report, or None when nothing was imported."""
        store = self.store
        try:
            ok, report = self.controller.attempt(lambda: import_paths(store, paths), "import")
        except InputError as exc:
            if not self._skip_bad_file(paths, exc):
                return None
            try:
                ok, report = self.controller.attempt(lambda: import_paths(store, paths, skip_bad=True), "import")
            except InputError as again:  # pragma: no cover - skip_bad refuses only arguments
                self.show_box(QMessageBox.Icon.Warning, "Import", f"Nothing was imported: {again}")
                return None
        if not ok:
            return None
        change = store.last_change
        if report.added and change:
            self.controller.run(lambda _store: change)
            self.controller.open_document(report.added[0])
        summary = f"Imported {len(report.added)} document(s)"
        if report.skipped:
            summary += f"; {len(report.skipped)} skipped"
        if report.notes:
            summary += f"; {len(report.notes)} note(s) on what could not be carried over"
        self.statusBar().showMessage(summary + ".", 15000)
        if report.skipped or report.notes:
            self._show_import_report(summary + ".", report)
        return report

    def _skip_bad_file(self, paths: list[Path], error: InputError) -> bool:
        """A bad file refused the import. With other files to import (several paths, or a
        folder): ask whether to import them without it (True) or nothing (False). A single
        file: say why, nothing was imported (False)."""
        rule = "An import is all or nothing: nothing was imported, the project is as it was."
        if len(paths) == 1 and not paths[0].is_dir():
            self.show_box(QMessageBox.Icon.Warning, "Import", str(error), informative=rule, name="import_refused_box")
            self.statusBar().showMessage("Nothing was imported.", 10000)
            return False
        box = QMessageBox(QMessageBox.Icon.Warning, "Import", str(error), QMessageBox.StandardButton.NoButton, self)
        box.setObjectName("import_refused_box")
        box.setInformativeText(f"{rule}\n\nImport the other files without this one, or cancel?")
        skip = box.addButton(SKIP_AND_IMPORT, QMessageBox.ButtonRole.AcceptRole)
        cancel = box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(cancel)
        box.exec()
        if box.clickedButton() is skip:
            return True
        self.statusBar().showMessage("Import cancelled: nothing was imported.", 10000)
        return False

    def _show_import_report(self, summary: str, report: ImportReport) -> QMessageBox:
        """What an import skipped and what its readers could not carry over, grouped."""
        skipped, notes = grouped(report.skipped), grouped(report.notes)
        sections = ([f"Skipped ({len(report.skipped)}):", *skipped] if skipped else []) + \
                   ([""] if skipped and notes else []) + \
                   ([f"Notes ({len(report.notes)}):", *notes] if notes else [])
        informative = preview(skipped + notes)
        return self.show_box(QMessageBox.Icon.Information, "Import", summary, "\n".join(sections), informative,
                             name="import_report_box")

    def export(self, fmt_name: str | None = None, path: Path | None = None) -> Path | None:
        """Export every document in ``fmt_name`` to ``path``. Without a path, a file dialog
        asks (a folder dialog for a folder format), and the extension typed there chooses
        the format (:func:`annotator.ui.files.export_target`); without a format either, the
        dialog's filter is the default. The status line says which format was written;
        what it could not carry is listed in a message box. Returns where it wrote."""
        if path is None:
            target = self._ask_export_target(fmt_name)
            if target is None:
                return None
            path, fmt = target
        else:
            try:
                fmt = get_format(fmt_name or "json")
            except InputError as exc:
                self.show_box(QMessageBox.Icon.Warning, "Export", str(exc))
                return None
        try:
            report = export_to(self.store, fmt.name, path)
        except (InputError, OSError) as exc:
            self.show_box(QMessageBox.Icon.Warning, "Export", str(exc))
            return None
        count = self.store.document_count()
        summary = f"Exported {count} document(s) as {fmt.name} to {path}"
        notes = grouped(list(getattr(report, "notes", []) or []))
        self.statusBar().showMessage(summary + (f". Note: {'; '.join(notes)}" if notes else "."), 15000)
        if report.dropped:
            dropped = grouped(report.dropped)
            details = "\n".join(dropped + ([""] + [f"Note: {n}" for n in notes] if notes else []))
            self.show_box(QMessageBox.Icon.Information, "Export",
                          f"{summary}. The {fmt.name} format could not carry {len(report.dropped)} thing(s):",
                          details, preview(dropped))
        return path

    def _ask_export_target(self, fmt_name: str | None) -> tuple[Path, Format] | None:
        """The file dialog of Export (every format) or Export As (one format): where to
        write, and in which format. Starts in the folder used last (else the home folder)."""
        writable = [f for f in formats() if f.can_write and (fmt_name is None or f.name == fmt_name)]
        if not writable:
            return None
        start = settings.folder(EXPORT_FOLDER)
        if len(writable) == 1 and writable[0].writer is None:
            return self._ask_export_folder(writable[0], start)
        filters = [file_filter(f) for f in writable]
        title = "Export" if fmt_name is None else f"Export as {fmt_name}"
        name, picked = QFileDialog.getSaveFileName(self, title, start, ";;".join(filters))
        if not name:
            return None
        selected = writable[filters.index(picked)] if picked in filters else writable[0]
        if selected.writer is None:  # brat, picked in the Export dialog: now the folder
            return self._ask_export_folder(selected, str(Path(name).parent))
        try:
            path, fmt = export_target(name, selected, writable)
        except ValueError as exc:
            self.show_box(QMessageBox.Icon.Warning, "Export", str(exc))
            return None
        if path != Path(name) and path.exists():  # the dialog asked about the name typed, not this one
            answer = QMessageBox.question(self, "Export", f"{path.name} already exists in {path.parent}. Replace it?")
            if answer != QMessageBox.StandardButton.Yes:
                return None
        settings.set_value(EXPORT_FOLDER, str(path.parent))
        return path, fmt

    def _ask_export_folder(self, fmt: Format, start: str) -> tuple[Path, Format] | None:
        name = QFileDialog.getExistingDirectory(self, f"Export as {fmt.name} into a folder", start)
        if not name:
            return None
        settings.set_value(EXPORT_FOLDER, str(Path(name).parent))
        return Path(name), fmt

    def quit(self) -> None:
        self.close()

    def show_help(self) -> None:
        if self._help is None:
            self._help = HelpDialog(self.defs, self.store.schema, self)
        if self._help.isVisible():
            self._help.raise_()
            self._help.activateWindow()
        else:
            self._help.show()

    def show_about(self) -> None:
        self.show_box(QMessageBox.Icon.Information, "About Annotator",
                      f"Annotator {VERSION}\nAnnotate who said what, with what sentiment, in news articles.\n"
                      "Attribution after PARC 3.0, sentiment after MPQA. MIT licence.")

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        if self._help is not None:
            self._help.close()
        if not self._closed:
            self._closed = True
            self.poll_timer.stop()
            self.backup_timer.stop()
            self.controller.remember_document()
            self.controller.undo_stack.clear()
            self.store.close()
        super().closeEvent(event)


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


class _Targets:
    """Looks an action's handler up on the controller, then on the window."""

    def __init__(self, *objects):
        self._objects = objects

    def __getattr__(self, name: str):
        for obj in self._objects:
            if hasattr(obj, name):
                return getattr(obj, name)
        raise AttributeError(name)
