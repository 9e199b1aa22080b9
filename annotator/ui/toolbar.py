"""The main toolbar, built from the action table of :mod:`annotator.ui.actions` (the same
QActions as the menus, so keys, enabled state and read-only rules are shared).

:data:`TOOLBAR` lists the action ids in order (``None``: a separator); an id the window does
not have is skipped, which is how the search slot waits for a ``search`` (or ``find``) action
to be declared. :func:`install_toolbar` adds the toolbar to a main window, a "Show Toolbar"
toggle at the top of its View menu (remembered in the window settings), and icons on the
actions and on the panels' View-menu toggles. Icons follow the palette (see
:mod:`annotator.ui.icons`): they are redrawn when the palette (the theme) changes.
"""
from __future__ import annotations

from PySide6.QtCore import QEvent, QSize
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMainWindow, QMenu, QToolBar, QWidget

from annotator.ui import settings
from annotator.ui.actions import ActionDef
from annotator.ui.icons import icon

TOOLBAR: tuple[str | tuple[str, ...] | None, ...] = (
    "import", "export", None,
    "mark_speaker", "mark_cue", "mark_claim", None,
    "undo", "redo", None,
    ("search", "find"),  # the first of these ids the window has
)
PANEL_ICONS = {"documents": "documents", "speakers": "speakers", "claims": "claims", "sentiment": "sentiment"}
VISIBLE_KEY = "window/toolbar_visible"


class MainToolBar(QToolBar):
    """The toolbar over ``actions`` (id -> QAction) of ``defs``; no signals of its own.
    ``ids`` lists the action ids it shows, in order."""

    def __init__(self, defs: list[ActionDef], actions: dict[str, QAction], parent: QWidget | None = None):
        super().__init__("Toolbar", parent)
        self.setObjectName("main_toolbar")
        self.setIconSize(QSize(22, 22))
        self._defs, self._actions = defs, actions
        self.ids: list[str] = []
        self.panel_icons: dict[QAction, str] = {}  # a panel's View-menu toggle -> its icon name
        pending_separator = False
        for entry in TOOLBAR:
            if entry is None:
                pending_separator = bool(self.ids)
                continue
            found = next((i for i in ((entry,) if isinstance(entry, str) else entry) if i in actions), None)
            if found is None:
                continue
            if pending_separator:
                self.addSeparator()
                pending_separator = False
            self.addAction(actions[found])
            self.ids.append(found)
        self.refresh_icons()

    def refresh_icons(self) -> None:
        """Draw every action's icon (menus and toolbar) in the palette's current colours."""
        for d in self._defs:
            if d.icon and d.id in self._actions:
                self._actions[d.id].setIcon(icon(d.icon))
        for action, name in self.panel_icons.items():
            action.setIcon(icon(name, "panels"))

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.PaletteChange:
            self.refresh_icons()
        super().changeEvent(event)


def install_toolbar(window: QMainWindow) -> MainToolBar:
    """Add the toolbar to ``window`` (which has ``defs`` and ``actions``, as the main window
    does), its toggle to the View menu, shown or hidden as the user last left it."""
    toolbar = MainToolBar(window.defs, window.actions, window)
    window.addToolBar(toolbar)
    toggle = toolbar.toggleViewAction()
    toggle.setObjectName("action_show_toolbar")
    toggle.setText("Show &Toolbar")
    toggle.setStatusTip("Show or hide the toolbar")
    toggle.triggered.connect(lambda on: settings.set_value(VISIBLE_KEY, bool(on)))
    view = view_menu(window)
    if view is not None:
        view.insertAction(view.actions()[0] if view.actions() else None, toggle)
        for attr, name in PANEL_ICONS.items():
            dock = getattr(window, attr, None)
            if dock is not None:
                toolbar.panel_icons[dock.toggleViewAction()] = name
        toolbar.refresh_icons()
    toolbar.setVisible(settings.get_bool(VISIBLE_KEY, True))
    return toolbar


def view_menu(window: QMainWindow) -> QMenu | None:
    """The window's View menu (None if it has none)."""
    for action in window.menuBar().actions():
        if action.text().replace("&", "") == "View" and action.menu() is not None:
            return action.menu()
    return None
