"""The corpus docks through the real window: Search (Ctrl+Shift+F, Enter opens the document
at the hit), Who Said What (the claim filters), Statistics (charts drawn lazily, saved as PNG
and SVG, themed)."""
from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import subprocess  # noqa: E402
import sys  # noqa: E402

from PySide6.QtCore import QEvent, Qt  # noqa: E402
from PySide6.QtGui import QColor, QKeyEvent, QPalette  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from annotator.core import operations as ops  # noqa: E402
from annotator.core.model import NewDocument, NewEntity, NewSpan  # noqa: E402
from annotator.core.store import Store  # noqa: E402
from annotator.core.store.statistics import figures  # noqa: E402
from ui_keys import CTRL, SHIFT, K  # noqa: E402

FIRST = "Nothing to see in the first article."
SECOND = "😀 Die Bürgermeisterin sagte: „Die Brücke öffnet bald.“ Officials in Köln agreed."


def type_text(widget, text: str) -> None:
    """Type ``text`` as key events carrying each character (works for non-ASCII)."""
    for ch in text:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, Qt.Key.Key_unknown, Qt.KeyboardModifier.NoModifier, ch))


def _store(tmp_path) -> Store:
    store = Store.open(tmp_path / "c.db")
    q = SECOND.index("Die Brücke")
    store.import_documents([
        NewDocument(title="First", text=FIRST),
        NewDocument(title="Köln", text=SECOND,
                    entities=[NewEntity("e1", "Henriette Reker", aliases=("Bürgermeisterin",))],
                    spans=[NewSpan("m1", "speaker", ((6, 21),), entity="e1"),
                           NewSpan("c1", "claim", ((q, q + 24),), speaker="e1", polarity="positive", form="direct")])])
    return store


def test_ctrl_shift_f_searches_and_enter_opens_the_document_at_the_hit(tmp_path, make_window, qtbot):
    store = _store(tmp_path)
    w = make_window(store)
    assert w.controller.doc_id == 1
    QTest.keyClick(w.view, K.Key_F, CTRL | SHIFT)
    panel = w.corpus_docks.search
    assert panel.isVisible() and panel.field.hasFocus()
    type_text(panel.field, "brucke")  # accents ignored
    QTest.keyClick(panel.field, K.Key_Return)
    assert [(h.kind, h.match) for h in panel.model.hits] == [("claim", "Brücke")]
    assert panel.results.hasFocus()
    assert "Henriette Reker" in panel.model.data(panel.model.index(0, 1))
    QTest.keyClick(panel.results, K.Key_Return)
    start = SECOND.index("Brücke")
    assert w.controller.doc_id == 2
    assert w.view.selection_range() == (start, start + 6)  # code points, after the emoji
    assert w.view.hasFocus()


def test_search_finds_speakers_by_alias_and_follows_edits(tmp_path, make_window, qtbot):
    store = _store(tmp_path)
    w = make_window(store)
    panel = w.corpus_docks.search
    w.corpus_docks.show_search()
    type_text(panel.field, "reker")
    panel.run()
    assert [(h.kind, h.speaker) for h in panel.model.hits] == [("speaker", "Henriette Reker")]
    w.controller.run(ops.rename_entity, store.find_entity("Henriette Reker").id, "Mayor Reker-Köln")
    qtbot.waitUntil(lambda: not panel._timer.isActive(), timeout=2000)
    assert [h.speaker for h in panel.model.hits] == ["Mayor Reker-Köln"]
    panel.field.clear()
    type_text(panel.field, "nirgends")
    panel.run()
    assert panel.model.hits == [] and panel.summary.text() == "Nothing found."


def test_who_said_what_filters_and_opens_the_claim(tmp_path, make_window, qtbot):
    store = _store(tmp_path)
    w = make_window(store)
    panel = w.corpus_docks.claims_query
    panel.show()
    panel.run()
    assert len(panel.model.rows) == 1
    type_text(panel.speaker, "bürgermeisterin")  # an alias, typed with its umlaut
    panel.run()
    assert [r.speaker for r in panel.model.rows] == ["Henriette Reker"]
    panel.polarity.setCurrentIndex(panel.polarity.findData("negative"))
    panel.run()
    assert panel.model.rows == [] and panel.summary.text() == "0 claims"
    panel.polarity.setCurrentIndex(panel.polarity.findData("positive"))
    panel.status.setCurrentIndex(panel.status.findData("new"))
    type_text(panel.text, "öffnet")
    panel.run()
    (row,) = panel.model.rows
    panel.results.setFocus()
    panel.results.setCurrentIndex(panel.model.index(0, 0))
    QTest.keyClick(panel.results, K.Key_Return)
    assert w.controller.doc_id == 2 and w.controller.current == row.span_id
    w.controller.toggle_done()  # the document is done now: the status filter drops it
    qtbot.waitUntil(lambda: not panel._timer.isActive(), timeout=2000)
    assert panel.model.rows == []


def test_statistics_are_drawn_when_first_shown_and_follow_edits(tmp_path, make_window, qtbot):
    store = _store(tmp_path)
    w = make_window(store)
    panel = w.corpus_docks.statistics
    assert panel.charts is None and panel.tabs is None  # nothing built before it is shown
    w.corpus_docks.show_statistics()
    assert panel.charts is not None
    assert [panel.tabs.tabText(i) for i in range(panel.tabs.count())] == [
        "Claims per speaker", "Polarity per speaker", "Claims per document", "Progress"]
    assert panel.figures == figures(store)
    chart = panel.current_view().chart()
    (series,) = chart.series()
    assert [series.barSets()[0].at(i) for i in range(series.barSets()[0].count())] == [1]
    w.controller.open_document(2)
    claim = next(s for s in store.spans(2) if s.label == "claim")
    w.controller.run(ops.set_claim_attribute, claim.id, "polarity", "negative")
    qtbot.waitUntil(lambda: panel.figures["polarity_per_speaker"] == {"Henriette Reker": {"negative": 1}}, timeout=3000)
    polarity = panel.tabs.widget(1).chart().series()[0]
    assert [(b.label(), b.at(0)) for b in polarity.barSets()] == [("negative", 1.0)]


def test_charts_save_as_png_and_svg(tmp_path, make_window):
    w = make_window(_store(tmp_path))
    panel = w.corpus_docks.statistics
    w.corpus_docks.show_statistics()
    png, svg = panel.save(tmp_path / "chart.png"), panel.save(tmp_path / "chart.svg")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    text = svg.read_text(encoding="utf-8")
    assert text.lstrip().startswith("<?xml") and "<svg" in text and "Claims per speaker" in text
    try:
        panel.save(tmp_path / "chart.gif")
    except ValueError as exc:
        assert "chart.gif" in str(exc)
    else:
        raise AssertionError("a .gif was accepted")


def test_charts_follow_a_dark_palette(tmp_path, make_window):
    from PySide6.QtCharts import QChart

    w = make_window(_store(tmp_path))
    panel = w.corpus_docks.statistics
    w.corpus_docks.show_statistics()
    assert panel.current_view().chart().theme() == QChart.ChartTheme.ChartThemeLight
    dark = QPalette(panel.palette())
    for role in (QPalette.ColorRole.Window, QPalette.ColorRole.Base):
        dark.setColor(role, QColor(30, 30, 30))
    dark.setColor(QPalette.ColorRole.WindowText, QColor(230, 230, 230))
    panel.setPalette(dark)
    chart = panel.current_view().chart()
    assert chart.theme() == QChart.ChartTheme.ChartThemeDark
    assert chart.backgroundBrush().color() == QColor(30, 30, 30)


def test_the_window_starts_without_qtcharts(tmp_path):
    """Start-up pays nothing for the charting library: QtCharts is loaded on first showing."""
    code = (
        "import os, sys; os.environ['QT_QPA_PLATFORM'] = 'offscreen'\n"
        "from PySide6.QtWidgets import QApplication; app = QApplication([])\n"
        "from annotator.core.store import Store; from annotator.ui.main_window import MainWindow\n"
        f"w = MainWindow(Store.open({str(tmp_path / 's.db')!r})); w.show(); app.processEvents()\n"
        "before = 'PySide6.QtCharts' in sys.modules\n"
        "w.corpus_docks.show_statistics(); app.processEvents()\n"
        "print(before, 'PySide6.QtCharts' in sys.modules); w.close()\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.stdout.split() == ["False", "True"], out.stderr
