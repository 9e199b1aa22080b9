"""The Statistics panel: the project's figures as charts (claims per speaker, polarity per
speaker, claims per document, progress over time, and suggestions accepted vs rejected once
the project has suggestions), saved as PNG or SVG, in the light or dark theme of the
window's palette.

The figures come from :func:`annotator.core.store.statistics.figures`, the same as
``annotator stats --json``. The charts (:mod:`annotator.ui.panels.charts`, QtCharts) are
built when the panel is first shown: until then neither QtCharts nor the figures are
loaded, so the window's start-up pays nothing for them. After that, the panel follows the
controller's signals and redraws (after a short pause) when the project changes.
"""
from __future__ import annotations

import importlib
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QTimer
from PySide6.QtWidgets import (QDockWidget, QFileDialog, QHBoxLayout, QLabel, QMessageBox, QPushButton, QTabWidget,
                               QVBoxLayout, QWidget)

from annotator.core.store.statistics import figures

if TYPE_CHECKING:
    from annotator.ui.controller import Controller

REDRAW_MS = 400  # pause after an edit before the charts are drawn again


class StatisticsPanel(QDockWidget):
    """Dock with one tab per chart and Save PNG / Save SVG buttons (the chart shown).

    ``charts`` is None until the panel is first shown (then the module
    :mod:`~annotator.ui.panels.charts`); ``tabs`` holds a QChartView per chart; ``figures``
    the last figures drawn. No signals of its own."""

    def __init__(self, controller: Controller, parent=None):
        super().__init__("Statistics", parent)
        self.setObjectName("statistics_dock")
        self.controller = controller
        self.charts = None
        self.figures: dict | None = None
        self.tabs: QTabWidget | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(REDRAW_MS)
        self._timer.timeout.connect(self.redraw)
        self.setWidget(QLabel("The charts are drawn when this panel is shown.", self))
        self.visibilityChanged.connect(self._visibility_changed)
        controller.change_applied.connect(self._project_changed)
        controller.reloaded.connect(self._project_changed)
        controller.read_only_changed.connect(lambda _on: self._project_changed())

    def _visibility_changed(self, shown: bool) -> None:
        if shown and (self.charts is None or self._timer.isActive() or self.figures is None):
            self.redraw()

    def _project_changed(self, *_args) -> None:
        if self.charts is not None:
            if self.isVisible():
                self._timer.start()
            else:
                self.figures = None  # drawn again when shown

    def _build(self) -> None:
        self.charts = importlib.import_module("annotator.ui.panels.charts")
        body = QWidget(self)
        self.tabs = QTabWidget(body)
        self.tabs.setObjectName("statistics_tabs")
        self.tabs.setDocumentMode(True)
        save_png = QPushButton("Save &PNG…", body)
        save_png.setObjectName("statistics_save_png")
        save_svg = QPushButton("Save S&VG…", body)
        save_svg.setObjectName("statistics_save_svg")
        save_png.clicked.connect(lambda: self.save_dialog("png"))
        save_svg.clicked.connect(lambda: self.save_dialog("svg"))
        self.summary = QLabel(body)
        self.summary.setObjectName("statistics_summary")
        buttons = QHBoxLayout()
        buttons.addWidget(self.summary, 1)
        buttons.addWidget(save_png)
        buttons.addWidget(save_svg)
        layout = QVBoxLayout(body)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.tabs, 1)
        layout.addLayout(buttons)
        self.setWidget(body)

    def redraw(self) -> None:
        """Read the figures and draw every chart again (keeping the tab shown)."""
        self._timer.stop()
        if self.charts is None:
            self._build()
        self.figures = figures(self.controller.store)
        current = max(0, self.tabs.currentIndex())
        palette = self.palette()
        while self.tabs.count():
            widget = self.tabs.widget(0)
            self.tabs.removeTab(0)
            widget.deleteLater()
        for title, build in self.charts.charts_for(self.figures):
            view = self.charts.chart_view(self.charts.themed(build(self.figures), palette), self.tabs)
            view.setObjectName(f"chart_{title.lower().replace(' ', '_')}")
            self.tabs.addTab(view, title)
        self.tabs.setCurrentIndex(min(current, self.tabs.count() - 1))
        f = self.figures
        claims = f["spans"].get("claim", 0)
        done = f["documents_per_status"].get("done", 0)
        self.summary.setText(f"{f['documents']:,} documents ({done:,} done), {claims:,} claims, "
                             f"{len(f['claims_per_speaker']):,} speakers")

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        """A new palette (light / dark theme): the charts take it."""
        if event.type() == QEvent.Type.PaletteChange and self.tabs is not None:
            for i in range(self.tabs.count()):
                self.charts.themed(self.tabs.widget(i).chart(), self.palette())
        super().changeEvent(event)

    # --- saving ----------------------------------------------------------------------------

    def current_view(self):
        """The QChartView of the tab shown (None before the panel was shown)."""
        return self.tabs.currentWidget() if self.tabs is not None else None

    def save(self, path: Path) -> Path:
        """Save the chart shown as ``path`` (.png or .svg, by its extension). OSError if it
        cannot be written; ValueError for another extension."""
        if self.tabs is None:
            self.redraw()
        path = Path(path)
        kind = path.suffix.lower()
        if kind == ".png":
            self.charts.save_png(self.current_view(), path)
        elif kind == ".svg":
            self.charts.save_svg(self.current_view(), path)
        else:
            raise ValueError(f"{path}: save a chart as .png or .svg")
        return path

    def save_dialog(self, kind: str) -> Path | None:
        """Ask where to save the chart shown as ``kind`` (png or svg), then save it."""
        title = self.tabs.tabText(self.tabs.currentIndex()) if self.tabs is not None else "chart"
        start = f"{title.lower().replace(' ', '-')}.{kind}"
        name, _ = QFileDialog.getSaveFileName(self, f"Save chart as {kind.upper()}", start,
                                              f"{kind.upper()} image (*.{kind})")
        if not name:
            return None
        path = Path(name) if name.lower().endswith(f".{kind}") else Path(f"{name}.{kind}")
        try:
            return self.save(path)
        except OSError as exc:
            QMessageBox.warning(self, "Save chart", str(exc))
            return None
