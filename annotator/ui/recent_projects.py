"""File > Open Recent: the projects opened last, remembered in the window settings
(:mod:`annotator.ui.settings`, key :data:`RECENT_KEY`), newest first, at most
:data:`MAX_RECENT`.

A project is remembered when a window shows it (at start and after File > Open or New, a
drop); the menu lists the ones whose file still exists (only ``Path.exists``: the file is
never opened here) and ends with Clear Menu. Paths are absolute; ":memory:" is never kept.
"""
from __future__ import annotations

from pathlib import Path
from typing import Callable

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QWidget

from annotator.ui import settings

RECENT_KEY = "projects/recent"
MAX_RECENT = 10


def recent_projects() -> list[Path]:
    """The remembered projects, newest first (whether or not they still exist)."""
    value = settings.settings().value(RECENT_KEY, [])
    items = [value] if isinstance(value, str) else list(value or [])  # (an INI list of one is a string)
    return [Path(str(item)) for item in items if str(item)]


def remember_project(where: str | Path) -> None:
    """Put project ``where`` first in the list (":memory:" and "" are not kept)."""
    if not where or str(where) == ":memory:":
        return
    path = Path(where).absolute()
    kept = [path, *(p for p in recent_projects() if p != path)][:MAX_RECENT]
    settings.set_value(RECENT_KEY, [str(p) for p in kept])


def forget_projects() -> None:
    """Clear the list (File > Open Recent > Clear Menu)."""
    settings.set_value(RECENT_KEY, [])


class RecentMenu(QMenu):
    """File > Open Recent, rebuilt each time it opens: "&1 name — folder" per project that
    still exists (the full path in its tooltip and status tip), then Clear Menu. Choosing one
    calls ``open_project(path)``. No signals of its own."""

    def __init__(self, open_project: Callable[[Path], None], parent: QWidget | None = None):
        super().__init__("Open &Recent", parent)
        self.setObjectName("recent_menu")
        self.setToolTipsVisible(True)
        self.open_project = open_project
        self.aboutToShow.connect(self.rebuild)
        self.rebuild()

    def rebuild(self) -> None:
        """List the remembered projects that exist now."""
        self.clear()
        shown = [p for p in recent_projects() if p.exists()]
        for n, path in enumerate(shown, 1):
            prefix = f"&{n} " if n < 10 else ""
            action = QAction(f"{prefix}{path.name} — {path.parent}", self)
            action.setObjectName(f"action_recent_{n}")
            action.setToolTip(str(path))
            action.setStatusTip(f"Open {path}")
            action.setData(str(path))
            action.triggered.connect(lambda _checked=False, p=path: self.open_project(p))
            self.addAction(action)
        if not shown:
            empty = self.addAction("No recent projects")
            empty.setEnabled(False)
        self.addSeparator()
        clear = self.addAction("&Clear Menu")
        clear.setObjectName("action_recent_clear")
        clear.setEnabled(bool(shown))
        clear.triggered.connect(lambda: (forget_projects(), self.rebuild()))

    def paths(self) -> list[Path]:
        """The projects the menu lists now, in order."""
        return [Path(a.data()) for a in self.actions() if a.data()]
