"""The docks about the whole corpus, put into the main window in one step: Search
(:mod:`~annotator.ui.panels.search`), Who Said What (:mod:`~annotator.ui.panels.claims_query`)
and Statistics (:mod:`~annotator.ui.panels.statistics`, whose charts are built, and the
charting library imported, only when it is first shown).

They start hidden, tabbed with the Claims panel; the View menu shows them, Ctrl+Shift+F
opens Search (handlers named in :mod:`annotator.ui.actions`)."""
from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDockWidget

from annotator.ui.panels.claims_query import ClaimsQueryPanel
from annotator.ui.panels.search import SearchPanel
from annotator.ui.panels.statistics import StatisticsPanel

if TYPE_CHECKING:
    from annotator.ui.main_window import MainWindow


class CorpusDocks:
    """Creates the corpus docks of ``window`` (after its controller) and holds them:
    ``search``, ``claims_query``, ``statistics``; ``docks`` lists them for the View menu.

    No signals of its own."""

    def __init__(self, window: MainWindow):
        self.window = window
        controller = window.controller
        self.search = SearchPanel(controller, window)
        self.claims_query = ClaimsQueryPanel(controller, window)
        self.statistics = StatisticsPanel(controller, window)
        self.docks: tuple[QDockWidget, ...] = (self.search, self.claims_query, self.statistics)
        for dock in self.docks:
            window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, dock)
            window.tabifyDockWidget(window.claims, dock)
            dock.hide()
        window.claims.raise_()

    def show_search(self) -> None:
        """Ctrl+Shift+F: the Search panel, its field focused."""
        self.search.show_search()

    def show_statistics(self) -> None:
        """The Statistics panel (its charts drawn on first showing)."""
        self.statistics.show()
        self.statistics.raise_()
