"""The main window: assembles the article view, the docks, the menus (from
:mod:`annotator.ui.actions`), the status bar and the undo stack. The annotation logic lives
in :class:`~annotator.ui.controller.Controller`; the window owns the parts of its File menu,
:class:`~annotator.ui.import_export.ImportExport` (import and export dialogs and reports)
and :class:`~annotator.ui.project_backups.ProjectBackups` (backups on opening and while
editing, Back Up Now, Restore from Backup), and keeps the new / open project dialogs, help,
about and the window side of data safety: the read-only banner
(:class:`~annotator.ui.read_only_banner.ReadOnlyBanner`), the Retry / Cancel box of a locked
project and the poll that follows other windows."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QCloseEvent, QKeySequence
from PySide6.QtWidgets import QDockWidget, QLabel, QMainWindow, QMenu, QMessageBox, QVBoxLayout, QWidget

from annotator.core.errors import AnnotatorError
from annotator.core.store import Store
from annotator.services.projects import open_project as open_store
from annotator.ui import file_dialogs
from annotator.ui.about import AboutDialog
from annotator.ui.adjudication_dock import install_adjudication
from annotator.ui.agreement_dock import install_agreement
from annotator.ui.annotator_name import install_annotator_action
from annotator.ui.actions import MENUS, action_defs, create_actions
from annotator.ui.auto_suggest import AutoSuggest, automatic
from annotator.ui.controller import Controller
from annotator.ui.corpus_docks import CorpusDocks
from annotator.ui.events import ProjectEvents
from annotator.ui.file_drops import FileDrops
from annotator.ui.find_bar import FindBar
from annotator.ui.help import HelpDialog
from annotator.ui.import_export import ImportExport
from annotator.ui.layer_choice import install_layer_menu
from annotator.ui.side_by_side import install_side_by_side
from annotator.ui.panels.claims import ClaimsPanel
from annotator.ui.panels.documents import DocumentsPanel
from annotator.ui.panels.sentiment import SentimentPanel
from annotator.ui.panel_requests import PanelRequests
from annotator.ui.panels.speakers import SpeakersPanel
from annotator.ui.panels.suggestions import SuggestionCount, SuggestionsDock
from annotator.ui.project_backups import ProjectBackups
from annotator.ui.read_only_banner import ReadOnlyBanner
from annotator.ui.recent_projects import RecentMenu, remember_project
from annotator.ui.suggestions import SuggestionReview
from annotator.ui.text_menu import TextContextMenu
from annotator.ui.text_view import AnnotatedTextView
from annotator.ui.text_view_events import TextViewEvents
from annotator.ui.team import TeamHandlers
from annotator.ui.theme import install_theme_menu
from annotator.ui.toolbar import install_toolbar
from annotator.ui.window_layout import WindowLayout

PROJECT_FILTER = "Annotator projects (*.annotator *.db);;All files (*)"
POLL_MS = 1500  # how often the window looks for changes made by another window
BACKUP_MINUTES = 10  # an automatic backup this often, when there were edits since the last one


class MainWindow(QMainWindow):
    """The Annotator window over an open :class:`Store` (it closes the store when closed).

    Attributes for tests and scripts: ``view``, ``controller``, ``actions`` (id -> QAction,
    ids as in :func:`~annotator.ui.actions.action_defs`), ``speakers``, ``claims``,
    ``sentiment``, ``documents``, ``suggestions`` (the Suggestions dock) and ``review`` (its
    :class:`~annotator.ui.suggestions.SuggestionReview`, handler of the review keys); ``events`` (the :class:`~annotator.ui.events.ProjectEvents`
    every part follows: a new dock connects to it, nothing else changes); ``banner`` (the read-only bar above the article),
    ``poll_timer``, ``backup_timer``; ``recent_menu`` (File > Open Recent,
    :mod:`~annotator.ui.recent_projects`), ``drops`` (files dropped on the window,
    :mod:`~annotator.ui.file_drops`) and ``window_layout`` (the layout remembered,
    :mod:`~annotator.ui.window_layout`).

    A read-only project shows the banner with the store's reason, and every action that
    would change the project is off (its key says why in the status bar). Every write goes
    through the controller's ``attempt``; a locked project asks Retry / Cancel.

    No signals of its own: the window follows the controller's (see
    :class:`~annotator.ui.controller.Controller`).
    """

    backup_minutes = BACKUP_MINUTES

    def __init__(self, store: Store, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("main_window")
        self.resize(1280, 800)
        self.view = AnnotatedTextView(self)
        self.view.setMinimumWidth(28 * self.view.fontMetrics().averageCharWidth())  # docks give way first
        self.view.setObjectName("text_view")
        self.banner = ReadOnlyBanner(self)
        central = QWidget(self)
        central.setObjectName("central")
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.banner)
        layout.addWidget(self.view, 1)
        self.find_bar = FindBar(self.view, self)
        layout.addWidget(self.find_bar)
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
        self.events = ProjectEvents(self)  # the parts follow the project through it
        self.view_events = TextViewEvents(self.view, self.events)  # first: panels read the view's spans
        for part in (self.documents, self.speakers, self.sentiment, self.claims):
            part.follow(self.events)
        self.controller = Controller(store, self.view, self.events, self)
        self.controller.speaker_numbers = self.speakers.model
        self.panel_requests = PanelRequests(self.controller, self.speakers, self.claims, self.sentiment, self.documents)
        self.import_export, self.backups = ImportExport(self), ProjectBackups(self)
        self.corpus_docks = CorpusDocks(self)  # Search, Who Said What, Statistics
        self.review = SuggestionReview(self.controller, self.events, self)
        self.auto_suggest = AutoSuggest(self, self)  # suggests in the background (annotator.ui.auto_suggest)
        self.defs = action_defs(store.schema)
        self.team = TeamHandlers(self)  # adjudication, agreement, side by side (issue 11)
        self.handlers = _Targets(self.controller, self, self.find_bar, self.corpus_docks, self.review,
                                 self.controller.marking, self.auto_suggest, self.team, self.view)  # where the actions' handlers are
        self.actions = create_actions(self, self.defs, self.handlers, self.view)
        self.recent_menu = RecentMenu(self.open_project, self)  # File > Open Recent
        self.text_menu = TextContextMenu(self.view, self.actions, self.controller.marking.fragment_holder)  # right-click on the text
        self._build_menus()
        self.suggestions = SuggestionsDock(self.review, self)
        self.add_dock(self.suggestions)
        self.toolbar = install_toolbar(self)  # after the menus: adds View > Show Toolbar
        install_theme_menu(self)
        self.annotator_action, self.layers = install_annotator_action(self), install_layer_menu(self)
        self.adjudication = install_adjudication(self)
        self.agreement, self.side_by_side = install_agreement(self), install_side_by_side(self)
        self._help: HelpDialog | None = None
        self._closed = False
        self._boxes: list[QMessageBox] = []
        self.place = QLabel(self)
        self.place.setObjectName("status_label")
        self.statusBar().addWidget(self.place, 1)
        self.statusBar().addPermanentWidget(SuggestionCount(self.review, self))  # "3 suggestions waiting"
        self.actions["auto_suggest"].setChecked(automatic())
        self.controller.described.connect(self.place.setText)
        self.controller.message_posted.connect(lambda text: self.statusBar().showMessage(text, 6000))
        # a new selection is what the user looks at now: its description replaces an old message
        self.view.selection_changed.connect(self.statusBar().clearMessage)
        self.controller.error_reported.connect(lambda text: self.show_box(QMessageBox.Icon.Warning, "Annotator", text))
        self.controller.document_opened.connect(self.update_title)
        self.controller.document_changed.connect(self.update_title)
        self.controller.ask_retry = self._ask_retry
        self.controller.read_only_changed.connect(self._set_read_only)
        self.controller.change_applied.connect(self.backups.edited)
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
        self.controller.read_only_changed.emit(store.read_only)  # the window and the parts
        self.controller.open_initial()
        self.backups.backup_on_open()
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
        self.drops = FileDrops(self)  # a project dropped opens, articles and folders import
        remember_project(store.where)  # File > Open Recent
        self.window_layout = WindowLayout(self)  # after every dock: its default is the layout so far
        self.window_layout.restore()
        self.view.setFocus()

    @property
    def store(self) -> Store:
        return self.controller.store

    @property
    def last_backup(self) -> Path | None:
        """The backup made last by this window (None: none yet)."""
        return self.backups.last_backup

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
                menu.addMenu(self.import_export.export_menu())
            if d.id == "open_project":
                menu.addMenu(self.recent_menu)
        self._view_menu = view = menus["View"]
        self._after_docks = view.actions()[0] if view.actions() else None  # docks are listed first
        for dock in (self.documents, self.speakers, self.claims, self.sentiment, *self.corpus_docks.docks):
            view.insertAction(self._after_docks, dock.toggleViewAction())

    def add_dock(self, dock: QDockWidget, area: Qt.DockWidgetArea = Qt.DockWidgetArea.RightDockWidgetArea) -> None:
        """Add a dock that follows :attr:`events` (built with them) to the window and list it in
        the View menu: all a new dock (search, suggestions, agreement) needs from the window."""
        self.addDockWidget(area, dock)
        self._view_menu.insertAction(self._after_docks, dock.toggleViewAction())

    def _name_speaker_actions(self, *_args) -> None:
        """"Speaker #1: Antony Blinken" in the Annotate menu, as numbered in the panel."""
        for n in range(1, 10):
            entity = self.speakers.model.numbered(n)
            self.actions[f"speaker_{n}"].setText(f"Speaker #{n}: {entity.name}" if entity else f"Speaker #{n}")

    def update_title(self, *_args) -> None:
        project = Path(self.store.where).name + (" [read-only]" if self.store.read_only else "")
        doc = self.controller.doc
        self.setWindowTitle(f"{doc.title} — {project} — Annotator" if doc else f"{project} — Annotator")

    # --- read-only projects ------------------------------------------------------------------

    def _set_read_only(self, on: bool) -> None:
        """Show or hide the banner; turn the actions that change the project off or on
        (the panels follow ``read_only_changed`` on the event bus themselves)."""
        self.banner.show_reason(on, self.store.read_only_reason)
        for d in self.defs:
            if d.edits:
                self.actions[d.id].setEnabled(not on)
        if self.store.where == ":memory:":
            self.actions["restore_backup"].setEnabled(False)
        self._update_undo_actions()
        self.update_title()

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

    # --- message boxes ----------------------------------------------------------------------

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
            name, _ = file_dialogs.get_save_file_name(self, "New project", "project.annotator", PROJECT_FILTER)
            if not name:
                return
            path = Path(name)
        if path.exists():
            self.show_box(QMessageBox.Icon.Warning, "New project", f"{path} already exists; use Open Project.")
            return
        self.open_project(path)

    def open_project(self, path: Path | None = None) -> None:
        if path is None:
            name = file_dialogs.get_open_file_name(self, "Open project", "", PROJECT_FILTER)
            if not name:
                return
            path = Path(name)
        try:
            store = open_store(path, annotator=self.store.annotator)  # the same annotator writes
        except AnnotatorError as exc:  # not a project, damaged, newer; locked or failing disk
            self.show_box(QMessageBox.Icon.Critical, "Open project", str(exc))
            return
        self.backups.backup_on_close()  # of the project this one replaces
        self.controller.set_store(store)
        self.backups.edited_since_backup = False
        self.update_title()
        remember_project(store.where)
        self.statusBar().showMessage(f"Opened {path}" + (" (read-only)" if store.read_only else ""), 6000)
        self.backups.backup_on_open()

    def import_files(self, paths: list[Path] | None = None) -> None:
        """File > Import Articles: :meth:`ImportExport.import_files`."""
        self.import_export.import_files(paths)

    def import_folder(self, folder: Path | None = None) -> None:
        """File > Import Folder: :meth:`ImportExport.import_folder`."""
        self.import_export.import_folder(folder)

    def export(self, fmt_name: str | None = None, path: Path | None = None, options: dict | None = None) -> Path | None:
        """File > Export and Export As: :meth:`ImportExport.export`."""
        return self.import_export.export(fmt_name, path, options)

    def auto_backup(self) -> Path | None:
        """The backup timer's: :meth:`ProjectBackups.auto_backup`."""
        return self.backups.auto_backup()

    def backup_now(self) -> Path | None:
        """File > Back Up Now: :meth:`ProjectBackups.backup_now`."""
        return self.backups.backup_now()

    def restore_from_backup_dialog(self) -> None:
        """File > Restore from Backup: :meth:`ProjectBackups.restore_from_backup_dialog`."""
        self.backups.restore_from_backup_dialog()

    def restore_from_backup(self, backup: Path) -> Path | None:
        """Restore without a dialog: :meth:`ProjectBackups.restore_from_backup`."""
        return self.backups.restore_from_backup(backup)

    def reset_layout(self) -> None:
        """View > Reset Layout: :meth:`WindowLayout.reset`."""
        self.window_layout.reset()

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
        self.about = AboutDialog(self)  # version, licence, libraries, sample credits (annotator.ui.about)
        self.about.open()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        if self._help is not None:
            self._help.close()
        if not self._closed:
            self._closed = True
            self.window_layout.save()  # restored by the next window
            self.poll_timer.stop()
            self.backup_timer.stop()
            self.controller.remember_document()
            self.controller.undo_stack.clear()
            self.backups.backup_on_close()
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
