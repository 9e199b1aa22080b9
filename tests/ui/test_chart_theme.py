"""The statistics charts in the window's own dark theme (View > Theme > Dark), which keeps the
content light: the chart is light with dark labels (it was a light background with light
labels, unreadable, seen on docs/statistics-dark.png)."""
from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtGui import QAction, QPalette  # noqa: E402

from annotator.core.model import NewDocument  # noqa: E402
from annotator.core.store import Store  # noqa: E402
from annotator.ui import theme  # noqa: E402


def test_charts_in_the_dark_theme_keep_dark_labels_on_their_light_background(tmp_path, make_window, qtbot):
    from PySide6.QtCharts import QChart

    store = Store.open(tmp_path / "p.annotator")
    store.import_documents([NewDocument(title="A", text="A\n\nThe mayor said the bridge will open.")])
    w = make_window(store)
    w.corpus_docks.show_statistics()
    try:
        w.findChild(QAction, "action_theme_dark").trigger()
        panel = w.corpus_docks.statistics
        qtbot.waitUntil(lambda: panel.palette().color(QPalette.ColorRole.Window).lightnessF() < 0.3)
        qtbot.wait(20)  # the palette change reaches the charts as an event
        chart = panel.current_view().chart()
        background = chart.backgroundBrush().color()
        labels = chart.axes()[0].labelsBrush().color()
        assert chart.theme() == QChart.ChartTheme.ChartThemeLight and background.lightnessF() > 0.9
        assert labels.lightnessF() < 0.5  # readable on the light background
    finally:
        theme.choose_theme("system")
