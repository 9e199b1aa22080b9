"""The Statistics panel's charts, drawn with Qt's own QtCharts (PySide6-Addons).

Imported only when the panel is first shown (:mod:`annotator.ui.panels.statistics`), so the
window's start-up never loads QtCharts. Chosen over pyqtgraph and matplotlib's Qt backend
by start-up cost (``benchmarks/bench_chart_libraries.py``: a window with one bar chart
costs 1.3x a bare window with QtCharts, 5x with pyqtgraph, 12x with matplotlib, in the same
run) and look: native Qt widgets with light and dark chart themes, antialiased, vector
output through QSvgGenerator.

Each ``*_chart(figures)`` builds a QChart from :func:`annotator.core.store.statistics.figures`;
:func:`charts_for` says which to show (the suggestions chart once suggestions exist).
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCharts import (QBarCategoryAxis, QBarSeries, QBarSet, QChart, QChartView, QHorizontalBarSeries,
                              QHorizontalStackedBarSeries, QValueAxis)
from PySide6.QtCore import QMargins, QRect, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPalette
from PySide6.QtSvg import QSvgGenerator
from PySide6.QtWidgets import QWidget

TOP_SPEAKERS = 12  # speakers shown (the others summed in one bar)
TOP_DOCUMENTS = 30  # documents shown one bar each; more: a histogram
POLARITY_COLOURS = {"positive": "#4caf50", "negative": "#e05252", "neutral": "#9e9e9e", "mixed": "#9c6ade",
                    "(none)": "#c8c8c8"}
OTHERS = "(others)"


def is_dark(palette: QPalette) -> bool:
    """True when the palette's ``Base`` colour, which a chart is drawn on, is dark: Annotator's
    own dark theme keeps ``Base`` light (its charts are light, with dark labels)."""
    return palette.color(QPalette.ColorRole.Base).lightness() < 128


def themed(chart: QChart, palette: QPalette) -> QChart:
    """Apply the light or dark chart theme after ``palette``, keep the series' own colours."""
    colours = [(s, [b.color() for b in s.barSets()]) for s in chart.series() if hasattr(s, "barSets")]
    chart.setTheme(QChart.ChartTheme.ChartThemeDark if is_dark(palette) else QChart.ChartTheme.ChartThemeLight)
    for series, kept in colours:
        if series.property("own_colours"):
            for bar_set, colour in zip(series.barSets(), kept):
                bar_set.setColor(colour)
    chart.setBackgroundBrush(palette.color(QPalette.ColorRole.Base))
    chart.setBackgroundRoundness(0)
    chart.setMargins(QMargins(4, 4, 4, 4))
    return chart


def _top(counts: dict[str, int], n: int = TOP_SPEAKERS) -> list[tuple[str, int]]:
    items = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    if len(items) > n:
        items = items[:n - 1] + [(OTHERS, sum(v for _, v in items[n - 1:]))]
    return items


def _short(text: str, width: int = 24) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[:width - 1] + "…"


def _axes(chart: QChart, series, categories: list[str], horizontal: bool, value_title: str, top: float) -> None:
    """Category and value axes (0 to ``top``, rounded up to nice numbers) for a bar series."""
    category_axis, value_axis = QBarCategoryAxis(), QValueAxis()
    if categories:
        category_axis.append(categories)
    category_axis.setTruncateLabels(False)  # a name elided to "..." says nothing
    value_axis.setLabelFormat("%d")
    value_axis.setTitleText(value_title)
    value_axis.setRange(0, max(1, top))
    chart.addSeries(series)
    cat_side, value_side = ((Qt.AlignmentFlag.AlignLeft, Qt.AlignmentFlag.AlignBottom) if horizontal
                            else (Qt.AlignmentFlag.AlignBottom, Qt.AlignmentFlag.AlignLeft))
    chart.addAxis(category_axis, cat_side)
    chart.addAxis(value_axis, value_side)
    series.attachAxis(category_axis)
    series.attachAxis(value_axis)
    value_axis.setRange(0, max(1, top))
    value_axis.applyNiceNumbers()
    if value_axis.max() <= 10:
        value_axis.setTickCount(int(value_axis.max()) + 1)  # whole numbers only
    if not horizontal and len(categories) > 8:
        category_axis.setLabelsAngle(-60)


def claims_per_speaker_chart(figures: dict) -> QChart:
    """Horizontal bars: claims per speaker, most first (the top 12; the rest as "(others)")."""
    items = _top(figures["claims_per_speaker"])[::-1]  # the largest at the top
    bar_set = QBarSet("claims")
    bar_set.append([v for _, v in items])
    series = QHorizontalBarSeries()
    series.append(bar_set)
    series.setLabelsVisible(True)
    chart = QChart()
    chart.setTitle("Claims per speaker")
    _axes(chart, series, [_short(k) for k, _ in items], True, "claims", max((v for _, v in items), default=0))
    chart.legend().hide()
    return chart


def polarity_per_speaker_chart(figures: dict) -> QChart:
    """Stacked horizontal bars: each speaker's claims by polarity (the top 11 speakers)."""
    per = figures["polarity_per_speaker"]
    names = [k for k, _ in _top(figures["claims_per_speaker"]) if k != OTHERS][::-1]
    polarities = [p for p in POLARITY_COLOURS if any(p in per.get(n, {}) for n in names)]
    polarities += sorted({p for n in names for p in per.get(n, {})} - set(polarities))
    series = QHorizontalStackedBarSeries()
    series.setProperty("own_colours", True)
    for polarity in polarities:
        bar_set = QBarSet(polarity)
        bar_set.append([per.get(n, {}).get(polarity, 0) for n in names])
        bar_set.setColor(QColor(POLARITY_COLOURS.get(polarity, "#7aa6d8")))
        series.append(bar_set)
    chart = QChart()
    chart.setTitle("Polarity per speaker")
    _axes(chart, series, [_short(n) for n in names], True, "claims",
          max((sum(per.get(n, {}).values()) for n in names), default=0))
    chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
    return chart


def claims_per_document_chart(figures: dict) -> QChart:
    """Bars: claims in each document (up to 30 documents), else how many documents have
    0, 1, 2... claims (a histogram)."""
    docs = figures["claims_per_document"]
    chart = QChart()
    bar_set = QBarSet("claims")
    if len(docs) <= TOP_DOCUMENTS:
        categories = [f"{d['id']}: {_short(d['title'], 18)}" for d in docs]
        bar_set.append([d["claims"] for d in docs])
        chart.setTitle("Claims per document")
        value_title = "claims"
    else:
        counts: dict[int, int] = {}
        for d in docs:
            counts[d["claims"]] = counts.get(d["claims"], 0) + 1
        top = max(counts)
        step = max(1, (top + 1 + 24) // 25)  # at most 25 bins
        bins = [sum(counts.get(k, 0) for k in range(a, a + step)) for a in range(0, top + 1, step)]
        categories = [str(a) if step == 1 else f"{a}-{a + step - 1}" for a in range(0, top + 1, step)]
        bar_set.append(bins)
        chart.setTitle(f"Documents by number of claims ({len(docs):,} documents)")
        value_title = "documents"
    series = QBarSeries()
    series.append(bar_set)
    _axes(chart, series, categories, False, value_title, max((bar_set.at(i) for i in range(bar_set.count())), default=0))
    chart.legend().hide()
    return chart


def progress_chart(figures: dict) -> QChart:
    """Bars: documents marked done per day (UTC), the last 30 days with any."""
    per_day = figures["done_per_day"]
    chart = QChart()
    bar_set = QBarSet("documents done")
    series = QBarSeries()
    done = figures["documents_per_status"].get("done", 0)
    chart.setTitle(f"Documents done per day ({done:,} of {figures['documents']:,} done)")
    categories = list(per_day)[-30:]
    bar_set.append([per_day[d] for d in categories])
    series.append(bar_set)
    series.setLabelsVisible(True)
    _axes(chart, series, categories, False, "documents", max(per_day.values(), default=0) if per_day else 0)
    chart.legend().hide()
    return chart


SUGGESTION_COLOURS = {"accepted": "#4caf50", "rejected": "#e05252", "suggested": "#b0b0b0"}
SUGGESTION_NAMES = {"accepted": "accepted", "rejected": "rejected", "suggested": "waiting"}


def suggestions_chart(figures: dict) -> QChart:
    """Stacked horizontal bars: per label, the suggestions accepted, rejected and still
    waiting for review (``figures["suggestions"]``); the title gives the totals and the
    share accepted of those decided."""
    fates = figures["suggestions"]
    per_label = fates["per_label"]
    labels = list(per_label)[::-1]  # the schema's first label at the top
    series = QHorizontalStackedBarSeries()
    series.setProperty("own_colours", True)
    for fate, colour in SUGGESTION_COLOURS.items():
        bar_set = QBarSet(SUGGESTION_NAMES[fate])
        bar_set.append([per_label[label][fate] for label in labels])
        bar_set.setColor(QColor(colour))
        series.append(bar_set)
    series.setLabelsVisible(True)
    decided = fates["accepted"] + fates["rejected"]
    share = f" ({fates['accepted'] / decided:.0%} of those decided)" if decided else ""
    chart = QChart()
    chart.setTitle(f"Suggestions: {fates['accepted']:,} accepted, {fates['rejected']:,} rejected{share}, "
                   f"{fates['suggested']:,} waiting")
    _axes(chart, series, labels, True, "spans", max((sum(per_label[label].values()) for label in labels), default=0))
    chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
    return chart


def has_suggestions(figures: dict) -> bool:
    """True once the project has suggestions (any accepted, rejected or waiting)."""
    fates = figures.get("suggestions") or {}
    return any(fates.get(k) for k in SUGGESTION_COLOURS)


CHARTS = (("Claims per speaker", claims_per_speaker_chart), ("Polarity per speaker", polarity_per_speaker_chart),
          ("Claims per document", claims_per_document_chart), ("Progress", progress_chart))
SUGGESTIONS_CHART = ("Suggestions", suggestions_chart)  # shown once suggestions exist (issue 10)


def charts_for(figures: dict) -> list[tuple[str, object]]:
    """The ``(tab title, builder)`` of the charts to show for ``figures``: :data:`CHARTS`,
    and the suggestions chart once the project has suggestions."""
    return [*CHARTS, SUGGESTIONS_CHART] if has_suggestions(figures) else list(CHARTS)


def chart_view(chart: QChart, parent: QWidget | None = None) -> QChartView:
    view = QChartView(chart, parent)
    view.setRenderHint(QPainter.RenderHint.Antialiasing)
    return view


def save_png(view: QChartView, path: Path, scale: float = 2.0) -> None:
    """Write the chart as a PNG at ``scale`` times its size on screen. OSError if it cannot."""
    size = view.size() * scale
    from PySide6.QtGui import QImage

    image = QImage(size, QImage.Format.Format_ARGB32)
    image.fill(view.chart().backgroundBrush().color())
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    view.render(painter, QRect(0, 0, size.width(), size.height()))
    painter.end()
    if not image.save(str(path), "PNG"):
        raise OSError(f"{path}: could not write the PNG file")


def save_svg(view: QChartView, path: Path) -> None:
    """Write the chart as an SVG file (vector). OSError if it cannot."""
    generator = QSvgGenerator()
    generator.setFileName(str(path))
    generator.setSize(QSize(view.width(), view.height()))
    generator.setViewBox(QRect(0, 0, view.width(), view.height()))
    generator.setTitle(view.chart().title())
    painter = QPainter()
    if not painter.begin(generator):
        raise OSError(f"{path}: could not write the SVG file")
    view.render(painter)
    painter.end()
    if not path.exists():
        raise OSError(f"{path}: could not write the SVG file")
