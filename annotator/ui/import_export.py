"""File > Import Articles, Import Folder, Export and Export As: the window's dialogs and the
message boxes that report what they did.

Import is all or nothing, as on the command line: a bad file refuses the whole import (the
project unchanged) and the window offers to import the other files without it. What an
import skipped or noted, and what an export could not carry, is listed in a message box
(grouped: a line repeated N times shows once, with "(×N)"). The format of an export
follows the extension typed in its file dialog (:func:`annotator.ui.files.export_target`).
"""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import QInputDialog, QMenu, QMessageBox

from annotator.core.errors import InputError
from annotator.core.store import ImportReport, Store
from annotator.core.store.file_guard import refuse_project_target
from annotator.formats.registry import Format, formats, get_format
from annotator.services.importing import ExportCancelled, ImportCancelled, export_scope
from annotator.services.layer_export import export_layer
from annotator.ui import file_dialogs, settings, undo
from annotator.ui.background import export_in_background, import_in_background
from annotator.ui.files import (
    cannot_carry_tip,
    export_target,
    file_filter,
    grouped,
    import_filters,
    preview,
    short_description,
)

if TYPE_CHECKING:
    from annotator.ui.main_window import MainWindow

IMPORT_FOLDER, EXPORT_FOLDER = "dialogs/import_folder", "dialogs/export_folder"  # window settings
# What an export writes (File > Export As > Scope): every document, the one shown, those
# selected in the Documents list, or the documents whose status is "done".
SCOPES = {"project": "&Whole project", "document": "&This document", "selected": "&Selected documents",
          "done": "&Done documents only"}
SKIP_AND_IMPORT = "Import the other files and skip this one"


class ImportExport:
    """The import and export of a :class:`~annotator.ui.main_window.MainWindow`, which owns
    it and delegates ``import_files``, ``import_folder`` and ``export`` to it.

    No signals: it reports in the window's status bar and message boxes (``show_box``);
    an import is written through the controller's ``attempt`` and undone in one step."""

    def __init__(self, window: MainWindow):
        self.window = window
        self.scope = "project"  # one of SCOPES: what the next export writes

    @property
    def store(self) -> Store:
        return self.window.store

    def export_menu(self) -> QMenu:
        """File > Export As: one entry per format that can be written, with what it loses."""
        menu = QMenu("Export &As", self.window)
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
        menu.addSeparator()
        scope = menu.addMenu("&Scope")
        scope.setObjectName("export_scope_menu")
        group = QActionGroup(scope)
        for key, title in SCOPES.items():
            action = QAction(title, scope, checkable=True)
            action.setObjectName(f"action_export_scope_{key}")
            action.setStatusTip("What Export and Export As write: " + title.replace("&", "").lower())
            action.setChecked(key == self.scope)
            action.triggered.connect(lambda _checked=False, key=key: setattr(self, "scope", key))
            group.addAction(action)
            scope.addAction(action)
        return menu

    def scope_ids(self, scope: str | None = None) -> list[int]:
        """The ids of the documents the export of ``scope`` (default: the one chosen in
        File > Export As > Scope) writes. Raises InputError when it is empty ("no document
        is open", "no document is selected", "no document is done")."""
        scope = scope or self.scope
        window, store = self.window, self.store
        if scope == "document":
            ids = [window.controller.doc_id] if window.controller.doc_id is not None else []
        elif scope == "selected":
            panel = window.documents
            rows = sorted({panel.proxy.source_row(i) for i in panel.view.selectionModel().selectedRows()})
            ids = [panel.model.doc_id(r) for r in rows]
        else:
            ids = export_scope(store, None, "done" if scope == "done" else None)
        if not ids and scope != "project":
            what = {"document": "no document is open", "selected": "no document is selected in the Documents list",
                    "done": "no document is done"}[scope]
            raise InputError(f"Nothing to export: {what}.")
        return ids

    # --- import ---------------------------------------------------------------------------

    def import_files(self, paths: list[Path] | None = None) -> None:
        """File > Import Articles: the files ``paths`` (None: ask), all or nothing."""
        if self._refuse_import():
            return
        if paths is None:
            names = file_dialogs.get_open_file_names(self.window, "Import articles", settings.folder(IMPORT_FOLDER),
                                                     import_filters([f for f in formats() if f.can_read]))
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
            name = file_dialogs.get_existing_directory(self.window, "Import a folder of articles or a brat collection",
                                                    settings.folder(IMPORT_FOLDER))
            if not name:
                return
            folder = Path(name)
            settings.set_value(IMPORT_FOLDER, str(folder.parent))
        self._import([folder])

    def _refuse_import(self) -> bool:
        if self.store.read_only:
            self.window.controller.message_posted.emit(
                f"Read-only project: nothing can be imported. {self.store.read_only_reason}")
        return bool(self.store.read_only)

    def _import(self, paths: list[Path]) -> ImportReport | None:
        """Import ``paths`` in one transaction and one undo step. A bad file refuses the
        whole import (the project is unchanged); the window then offers to import the other
        files without it. Returns the report, or None when nothing was imported."""
        window, controller, store = self.window, self.window.controller, self.store
        try:  # reading the project's own files would release its locks (issue 7)
            for path in paths:
                refuse_project_target(path, store.where, "import")
        except InputError as exc:
            window.show_box(QMessageBox.Icon.Warning, "Import", str(exc), name="import_refused_box")
            return None
        try:
            try:
                ok, done = controller.attempt(lambda: import_in_background(window, paths), "import")
            except InputError as exc:
                if not self._skip_bad_file(paths, exc):
                    return None
                try:
                    ok, done = controller.attempt(lambda: import_in_background(window, paths, True), "import")
                except InputError as again:  # pragma: no cover - skip_bad refuses only arguments
                    window.show_box(QMessageBox.Icon.Warning, "Import", f"Nothing was imported: {again}")
                    return None
        except ImportCancelled:
            window.statusBar().showMessage("Import cancelled: nothing was imported.", 10000)
            return None
        if not ok:
            return None
        report, change = done
        if (report.added or report.joined) and change:
            controller.run(lambda _store: change)
            controller.open_document((report.added or report.joined)[0])
        window.view.setFocus()  # the letter keys act on the text again
        summary = f"Imported {len(report.added)} document(s)"
        if report.skipped:
            summary += f"; {len(report.skipped)} skipped"
        if report.notes:
            summary += f"; {len(report.notes)} note(s) on what could not be carried over"
        window.statusBar().showMessage(summary + ".", 15000)
        if report.skipped or report.notes:
            self._show_import_report(summary + ".", report)
        return report

    def _skip_bad_file(self, paths: list[Path], error: InputError) -> bool:
        """A bad file refused the import. With other files to import (several paths, or a
        folder): ask whether to import them without it (True) or nothing (False). A single
        file: say why, nothing was imported (False)."""
        window = self.window
        rule = "An import is all or nothing: nothing was imported, the project is as it was."
        if len(paths) == 1 and not paths[0].is_dir():
            window.show_box(QMessageBox.Icon.Warning, "Import", str(error), informative=rule, name="import_refused_box")
            window.statusBar().showMessage("Nothing was imported.", 10000)
            return False
        box = QMessageBox(QMessageBox.Icon.Warning, "Import", str(error), QMessageBox.StandardButton.NoButton, window)
        box.setObjectName("import_refused_box")
        box.setInformativeText(f"{rule}\n\nImport the other files without this one, or cancel?")
        skip = box.addButton(SKIP_AND_IMPORT, QMessageBox.ButtonRole.AcceptRole)
        cancel = box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(cancel)
        box.exec()
        if box.clickedButton() is skip:
            return True
        window.statusBar().showMessage("Import cancelled: nothing was imported.", 10000)
        return False

    def _show_import_report(self, summary: str, report: ImportReport) -> QMessageBox:
        """What an import skipped and what its readers could not carry over, grouped."""
        skipped, notes = grouped(report.skipped), grouped(report.notes)
        sections = ([f"Skipped ({len(report.skipped)}):", *skipped] if skipped else []) + \
                   ([""] if skipped and notes else []) + \
                   ([f"Notes ({len(report.notes)}):", *notes] if notes else [])
        informative = preview(skipped + notes)
        return self.window.show_box(QMessageBox.Icon.Information, "Import", summary, "\n".join(sections), informative,
                                    name="import_report_box")

    # --- export ---------------------------------------------------------------------------

    def _ask_options(self, fmt: Format) -> dict | None:
        """The options a format needs chosen: CoNLL's layer (all labels in one column, one
        column per label, or one label). None when the user cancels."""
        if fmt.name != "conll":
            return {}
        labels = list(self.store.schema.label_names)
        choices = ["all labels, one column", "all labels, one column per label"] + [f"only {n}" for n in labels]
        choice, ok = QInputDialog.getItem(self.window, "Export CoNLL", "Which layer?", choices, 0, False)
        if not ok:
            return None
        if choice == choices[1]:
            return {"columns": "multi"}
        return {"layer": choice[len("only "):]} if choice.startswith("only ") else {}

    def export(self, fmt_name: str | None = None, path: Path | None = None,
               options: dict | None = None, scope: str | None = None) -> Path | None:
        """Export the documents of ``scope`` (default: File > Export As > Scope, the whole
        project unless chosen otherwise; see :meth:`scope_ids`) in ``fmt_name`` to ``path``,
        in a worker thread with a progress dialog that can cancel
        (:func:`~annotator.ui.background.export_in_background`). Without a path, a file dialog
        asks (a folder dialog for a folder format), and the extension typed there chooses
        the format (:func:`annotator.ui.files.export_target`); without a format either, the
        dialog's filter is the default. The status line says which format was written;
        what it could not carry is listed in a message box. Returns where it wrote."""
        window = self.window
        if path is None:
            target = self._ask_export_target(fmt_name)
            if target is None:
                return None
            path, fmt = target
            options = self._ask_options(fmt) if options is None else options
            if options is None:
                return None
        else:
            try:
                fmt = get_format(fmt_name or "json")
            except InputError as exc:
                window.show_box(QMessageBox.Icon.Warning, "Export", str(exc))
                return None
        try:
            refuse_project_target(path, self.store.where, "export")  # never over the project or a backup
            ids = None if (scope or self.scope) == "project" else self.scope_ids(scope)  # None: all, streamed
            layer = export_layer(self.store, window.view_events.layer)  # View > Layer's, else gold when there is one
            replace = fmt.writer is None and self._may_replace_files_in(Path(path))
            if replace is None:
                return None
            report, count = export_in_background(window, fmt.name, path, ids, options or {}, layer, bool(replace))
        except ExportCancelled:
            window.statusBar().showMessage("Export cancelled: no file was written.", 10000)
            return None
        except (InputError, OSError) as exc:
            window.show_box(QMessageBox.Icon.Warning, "Export", str(exc))
            return None
        summary = f"Exported {count} document(s) as {fmt.name} to {path}" + (f" ({layer or 'no annotator'}’s layer)" if layer is not None else "")
        notes = grouped(list(getattr(report, "notes", []) or []))
        window.statusBar().showMessage(summary + (f". Note: {'; '.join(notes)}" if notes else "."), 15000)
        if report.dropped:
            dropped = grouped(report.dropped)
            details = "\n".join(dropped + ([""] + [f"Note: {n}" for n in notes] if notes else []))
            window.show_box(QMessageBox.Icon.Information, "Export",
                            f"{summary}. The {fmt.name} format could not carry {len(report.dropped)} thing(s):",
                            details, preview(dropped))
        return path

    def _may_replace_files_in(self, folder: Path) -> bool | None:
        """For a folder format: True when ``folder`` holds files (not hidden ones) and the
        person agrees that the export replaces those of the same names, None when they do
        not (nothing is exported), False for an empty or new folder."""
        try:
            names = [p.name for p in folder.iterdir() if not p.name.startswith(".")] if folder.is_dir() else []
        except OSError:
            names = []
        if not names:
            return False
        question = (f"{folder} already holds {len(names)} file(s) ({', '.join(sorted(names)[:3])}"
                    f"{', ...' if len(names) > 3 else ''}). Files of the export with the same names replace them. "
                    "Export into this folder?")
        return True if undo.ask_yes_no(self.window, "Export", question) else None

    def _ask_export_target(self, fmt_name: str | None) -> tuple[Path, Format] | None:
        """The file dialog of Export (every format) or Export As (one format): where to
        write, and in which format. Starts in the folder used last (else the home folder)."""
        window = self.window
        writable = [f for f in formats() if f.can_write and (fmt_name is None or f.name == fmt_name)]
        if not writable:
            return None
        start = settings.folder(EXPORT_FOLDER)
        if len(writable) == 1 and writable[0].writer is None:
            return self._ask_export_folder(writable[0], start)
        filters = [file_filter(f) for f in writable]
        title = "Export" if fmt_name is None else f"Export as {fmt_name}"
        name, picked = file_dialogs.get_save_file_name(window, title, start, ";;".join(filters))
        if not name:
            return None
        selected = writable[filters.index(picked)] if picked in filters else writable[0]
        if selected.writer is None:  # brat, picked in the Export dialog: now the folder
            return self._ask_export_folder(selected, str(Path(name).parent))
        try:
            path, fmt = export_target(name, selected, writable)
        except ValueError as exc:
            window.show_box(QMessageBox.Icon.Warning, "Export", str(exc))
            return None
        if path != Path(name) and path.exists():  # the dialog asked about the name typed, not this one
            answer = QMessageBox.question(window, "Export", f"{path.name} already exists in {path.parent}. Replace it?")
            if answer != QMessageBox.StandardButton.Yes:
                return None
        settings.set_value(EXPORT_FOLDER, str(path.parent))
        return path, fmt

    def _ask_export_folder(self, fmt: Format, start: str) -> tuple[Path, Format] | None:
        name = file_dialogs.get_existing_directory(self.window, f"Export as {fmt.name} into a folder", start)
        if not name:
            return None
        settings.set_value(EXPORT_FOLDER, str(Path(name).parent))
        return Path(name), fmt
