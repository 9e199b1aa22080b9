"""The main window: assembles the article view, the docks, the menus (from
:mod:`annotator.ui.actions`), the status bar and the undo stack. The annotation logic lives
in :class:`~annotator.ui.controller.Controller`; this file only adds the project-level
dialogs (new / open project, import, export, help, about)."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QCloseEvent
from PySide6.QtWidgets import QFileDialog, QLabel, QMainWindow, QMenu, QMessageBox, QWidget

from annotator import __version__ as VERSION
from annotator.core.errors import InputError
from annotator.core.importing import export_to, import_paths
from annotator.core.project import open_project as open_store
from annotator.core.store import Store
from annotator.formats.registry import formats
from annotator.ui.actions import MENUS, action_defs, create_actions
from annotator.ui.controller import Controller
from annotator.ui.help import HelpDialog
from annotator.ui.panels.claims import ClaimsPanel
from annotator.ui.panels.documents import DocumentsPanel
from annotator.ui.panels.sentiment import SentimentPanel
from annotator.ui.panels.speakers import SpeakersPanel
from annotator.ui.text_view import AnnotatedTextView

PROJECT_FILTER = "Annotator projects (*.db *.annotator);;All files (*)"


class MainWindow(QMainWindow):
    """The Annotator window over an open :class:`Store` (it closes the store when closed).

    Attributes for tests and scripts: ``view``, ``controller``, ``actions`` (id -> QAction,
    ids as in :func:`~annotator.ui.actions.action_defs`), ``speakers``, ``claims``,
    ``sentiment``, ``documents``.
    """

    def __init__(self, store: Store, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("main_window")
        self.resize(1280, 800)
        self.view = AnnotatedTextView(self)
        self.view.setObjectName("text_view")
        self.setCentralWidget(self.view)
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
        stack = self.controller.undo_stack
        stack.undoTextChanged.connect(lambda t: self.actions["undo"].setText(f"&Undo {t}" if t else "&Undo"))
        stack.redoTextChanged.connect(lambda t: self.actions["redo"].setText(f"&Redo {t}" if t else "&Redo"))
        stack.canUndoChanged.connect(self.actions["undo"].setEnabled)
        stack.canRedoChanged.connect(self.actions["redo"].setEnabled)
        self.actions["undo"].setEnabled(False)
        self.actions["redo"].setEnabled(False)
        self.actions["snap_words"].setChecked(self.view.snap_to_words)
        self.view.setPlaceholderText("No document open: import articles with File > Import Articles (Ctrl+I).")
        for signal in (self.speakers.model.modelReset, self.speakers.model.layoutChanged, self.speakers.model.dataChanged):
            signal.connect(self._name_speaker_actions)
        self.controller.open_initial()
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
        for fmt in formats():
            if fmt.can_write:
                action = QAction(f"{fmt.name} — {fmt.description}", menu)
                action.setObjectName(f"action_export_{fmt.name}")
                action.setStatusTip(fmt.cannot_carry and f"Cannot carry: {fmt.cannot_carry}")
                action.triggered.connect(lambda _checked=False, name=fmt.name: self.export(name))
                menu.addAction(action)
        return menu

    def _name_speaker_actions(self, *_args) -> None:
        """"Speaker #1: Antony Blinken" in the Annotate menu, as numbered in the panel."""
        for n in range(1, 10):
            entity = self.speakers.model.numbered(n)
            self.actions[f"speaker_{n}"].setText(f"Speaker #{n}: {entity.name}" if entity else f"Speaker #{n}")

    def _update_title(self, *_args) -> None:
        project = Path(self.store.where).name
        doc = self.controller.doc
        self.setWindowTitle(f"{doc.title} — {project} — Annotator" if doc else f"{project} — Annotator")

    def show_box(self, icon: QMessageBox.Icon, title: str, text: str, details: str = "") -> QMessageBox:
        """A window-modal message that does not block the caller (kept until closed)."""
        box = QMessageBox(icon, title, text, QMessageBox.StandardButton.Ok, self)
        box.setObjectName("message_box")
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
        except InputError as exc:
            self.show_box(QMessageBox.Icon.Critical, "Open project", str(exc))
            return
        self.controller.set_store(store)
        self._update_title()
        self.statusBar().showMessage(f"Opened {path}", 6000)

    def import_files(self, paths: list[Path] | None = None) -> None:
        if paths is None:
            names, _ = QFileDialog.getOpenFileNames(self, "Import articles", "", "Articles and annotations (*);;Text (*.txt *.md)")
            if not names:
                return
            paths = [Path(n) for n in names]
        store = self.store
        try:
            report = import_paths(store, paths, skip_bad=True)
        except InputError as exc:
            self.show_box(QMessageBox.Icon.Warning, "Import", str(exc))
            return
        change = store.last_change
        if report.added and change:
            self.controller.run(lambda _store: change)
            self.controller.open_document(report.added[0])
        text = f"Imported {len(report.added)} document(s)."
        if report.skipped:
            self.show_box(QMessageBox.Icon.Information, "Import", f"{text} {len(report.skipped)} skipped.",
                          "\n".join(report.skipped))
        else:
            self.statusBar().showMessage(text, 6000)

    def export(self, fmt_name: str | None = None, path: Path | None = None) -> None:
        """Export every document in ``fmt_name`` (None: chosen by the file type) to ``path``
        (None: ask). What the format cannot carry is listed in a message box."""
        writable = [f for f in formats() if f.can_write and (fmt_name is None or f.name == fmt_name)]
        if path is None:
            if len(writable) == 1 and writable[0].writer is None:
                name = QFileDialog.getExistingDirectory(self, f"Export as {writable[0].name} into folder")
                chosen = writable[0]
            else:
                writable = [f for f in writable if f.writer is not None]
                filters = [f"{f.name}: {f.description} ({' '.join('*' + e for e in f.extensions) or '*'})" for f in writable]
                name, picked = QFileDialog.getSaveFileName(self, "Export", "", ";;".join(filters))
                chosen = writable[filters.index(picked)] if picked in filters else (writable[0] if writable else None)
            if not name or chosen is None:
                return
            path, fmt_name = Path(name), chosen.name
        try:
            report = export_to(self.store, fmt_name or "json", path)
        except (InputError, OSError) as exc:
            self.show_box(QMessageBox.Icon.Warning, "Export", str(exc))
            return
        if report.dropped:
            self.show_box(QMessageBox.Icon.Information, "Export",
                          f"Exported to {path}. The format could not carry {len(report.dropped)} thing(s):",
                          "\n".join(report.dropped))
        else:
            self.statusBar().showMessage(f"Exported to {path}", 6000)

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
            self.controller.undo_stack.clear()
            self.store.close()
        super().closeEvent(event)


class _Targets:
    """Looks an action's handler up on the controller, then on the window."""

    def __init__(self, *objects):
        self._objects = objects

    def __getattr__(self, name: str):
        for obj in self._objects:
            if hasattr(obj, name):
                return getattr(obj, name)
        raise AttributeError(name)
