"""Suggestions in the window beyond the review keys, through the real widgets: a click makes a
suggestion current (and the dock shows it), the status line counts the suggestions waiting,
the score filter limits what is drawn and accepted, rejecting a claim takes its cue and
source with it, and the Statistics dock charts suggestions accepted vs rejected."""
from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor, QPalette, QTextCharFormat, QTextCursor
from PySide6.QtTest import QTest

from annotator.core.model import NewDocument
from annotator.core.store import Store
from tests.ui.test_suggestions_review import TEXT, dashed, rng
from tests.ui.ui_keys import CTRL, SHIFT, K, press

LEFT, NONE = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier


def build(path, extra: bool = False) -> dict:
    """The project of test_suggestions_review (a suggested claim with suggested cue, mention
    and speaker; a lone low-score claim); ``extra``: a suggested mention "Critics" inside the
    lone claim. Returns the ids."""
    store = Store.open(path)
    store.import_documents([NewDocument(title="Bridge news", text=TEXT)])
    doc = store.document_infos()[0].id
    ids = {"entity": store.add_entity("The mayor").created_id("entities")}
    store.set_entity_status(ids["entity"], "suggested")
    add = lambda label, needle, **kw: store.add_span(doc, label, [rng(needle)], status="suggested", **kw).created_id("spans")  # noqa: E731
    ids["mention"] = add("speaker", "The mayor", origin="rule:speaker", score=0.7, entity_id=ids["entity"])
    ids["cue"] = add("cue", "said", origin="rule:cue", score=0.9)
    ids["claim"] = add("claim", "“will open soon.”", origin="rule:direct-quote", score=0.95, speaker_id=ids["entity"],
                       source_id=ids["mention"], cue_id=ids["cue"], form="direct")
    ids["other"] = add("claim", "Critics doubted it.", origin="model:crf@3", score=0.3, form="indirect")
    if extra:
        ids["critics"] = add("speaker", "Critics", origin="string-match", score=0.8)
    store.close()
    return ids


@pytest.fixture
def setup(tmp_path, make_window):
    ids = build(tmp_path / "s.db")
    return make_window(Store.open(tmp_path / "s.db")), ids


def char_point(w, offset: int) -> QPoint:
    """Viewport point in the middle of the character at ``offset`` (BMP text)."""
    points = []
    for at in (offset, offset + 1):
        cursor = QTextCursor(w.view.document())
        cursor.setPosition(at)
        points.append(w.view.cursorRect(cursor).center())
    return QPoint((points[0].x() + points[1].x()) // 2, points[0].y())


def click(w, offset: int) -> None:
    QTest.mouseClick(w.view.viewport(), LEFT, NONE, char_point(w, offset))


def status(w, span_id: int) -> str:
    return w.store.span(span_id).status


def dock_current(w) -> int | None:
    item = w.suggestions.list.currentItem()
    return None if item is None else item.data(0, Qt.ItemDataRole.UserRole)


def waiting(w) -> str:
    label = w.findChild(type(w.place), "suggestions_waiting")
    return label.text() if label.isVisible() else ""


# --- a click --------------------------------------------------------------------------------


def test_a_click_on_a_suggestion_makes_it_current_and_the_dock_shows_it(setup):
    w, ids = setup
    at = rng("doubted")[0] + 2
    click(w, at)
    assert w.review.current == ids["other"]
    assert dock_current(w) == ids["other"] and w.suggestions.list.currentItem().font(0).bold()
    assert w.view.cursor_offset() == at  # the caret stays where the click put it
    assert "model:crf@3" in w.statusBar().currentMessage() and "score 0.30" in w.statusBar().currentMessage()
    press(w, K.Key_A)  # A acts on the suggestion clicked
    assert status(w, ids["other"]) == "accepted"
    click(w, rng("said")[0] + 1)
    assert w.review.current == ids["cue"] and dock_current(w) == ids["cue"]
    click(w, rng("Bridge")[0] + 1)  # no suggestion there: none is current
    assert w.review.current is None and dock_current(w) is None
    press(w, K.Key_R)
    assert status(w, ids["cue"]) == "suggested"  # R had nothing to reject


def test_clicks_on_nested_suggestions_go_from_the_innermost_outwards(tmp_path, make_window):
    ids = build(tmp_path / "s.db", extra=True)
    w = make_window(Store.open(tmp_path / "s.db"))
    at = rng("Critics")[0] + 1
    click(w, at)
    assert w.review.current == ids["critics"]
    click(w, at)
    assert w.review.current == ids["other"]
    click(w, at)
    assert w.review.current == ids["critics"]
    assert w.suggestions.list.currentItem().text(2) == "string-match"


# --- the status line --------------------------------------------------------------------------


def test_the_status_line_counts_the_suggestions_waiting_and_follows_accept_reject_undo(setup):
    w, ids = setup
    assert waiting(w) == "4 suggestions waiting"
    w.review.go_to(ids["other"])
    press(w, K.Key_R)
    assert waiting(w) == "3 suggestions waiting"
    press(w, K.Key_Z, CTRL)
    assert waiting(w) == "4 suggestions waiting"
    w.review.go_to(ids["cue"])
    press(w, K.Key_A)
    assert waiting(w) == "3 suggestions waiting"
    w.suggestions.min_score.setValue(0.5)
    assert waiting(w) == "3 suggestions waiting, 1 below the score filter"
    w.suggestions.min_score.setValue(0.0)
    press(w, K.Key_A, CTRL | SHIFT)
    assert waiting(w) == ""  # none left: the count is hidden
    press(w, K.Key_Z, CTRL)
    assert waiting(w) == "3 suggestions waiting"


# --- rejecting a claim ------------------------------------------------------------------------


def test_r_on_a_claim_rejects_its_cue_and_source_mention_in_one_undo_step(setup):
    w, ids = setup
    w.review.go_to(ids["claim"])
    press(w, K.Key_R)
    assert [status(w, ids[k]) for k in ("claim", "cue", "mention", "other")] == ["rejected"] * 3 + ["suggested"]
    assert not dashed(w, rng("The mayor")[0]) and not dashed(w, rng("said")[0])
    assert w.suggestions.count.text() == "1 suggested"
    press(w, K.Key_Z, CTRL)
    assert [status(w, ids[k]) for k in ("claim", "cue", "mention")] == ["suggested"] * 3
    assert dashed(w, rng("The mayor")[0]) and dashed(w, rng("said")[0])


def test_r_on_a_claim_leaves_an_accepted_cue_alone(setup):
    w, ids = setup
    w.review.go_to(ids["cue"])
    press(w, K.Key_A)  # the cue alone is an annotation now
    w.review.go_to(ids["claim"])
    press(w, K.Key_R)
    assert [status(w, ids[k]) for k in ("claim", "cue", "mention")] == ["rejected", "accepted", "rejected"]


# --- the score filter -------------------------------------------------------------------------


def test_the_score_filter_hides_low_suggestions_from_the_text_the_keys_and_accept_all(setup):
    w, ids = setup
    assert dashed(w, rng("Critics")[0])
    w.suggestions.min_score.setValue(0.5)
    assert not dashed(w, rng("Critics")[0]) and dashed(w, rng("The mayor")[0])
    click(w, rng("Critics")[0] + 1)
    assert w.review.current is None  # a hidden suggestion is not reached by a click
    w.view.set_cursor(rng("the bridge")[0])
    press(w, K.Key_Period)
    assert w.review.current == ids["claim"]
    press(w, K.Key_Period)
    assert w.review.current == ids["claim"]  # the low claim is skipped: no more this way
    press(w, K.Key_A, CTRL | SHIFT)
    assert [status(w, ids[k]) for k in ("claim", "cue", "mention", "other")] == ["accepted"] * 3 + ["suggested"]
    assert "1 below the score filter left" in w.statusBar().currentMessage()
    w.suggestions.min_score.setValue(0.0)  # "any": drawn again
    assert dashed(w, rng("Critics")[0]) and w.suggestions.list.topLevelItemCount() == 1


def test_suggestions_are_drawn_dashed_and_paler_than_annotations(setup):
    w, ids = setup
    from tests.ui.test_suggestions_review import fmt_at

    at = rng("Critics")[0]
    pale = fmt_at(w, at).background().color()
    w.review.go_to(ids["other"])
    current = fmt_at(w, at).background().color()
    press(w, K.Key_A)
    accepted = fmt_at(w, at)
    # the tint is mixed with white: lighter is paler. A suggestion is paler than the same
    # label as an annotation; the current suggestion stands out from the others
    assert pale.lightness() > accepted.background().color().lightness()
    assert pale.lightness() > current.lightness()
    assert accepted.underlineStyle() != QTextCharFormat.UnderlineStyle.DashUnderline
    assert dashed(w, rng("The mayor")[0])


# --- the statistics dock ----------------------------------------------------------------------


def bars(chart) -> dict[str, list[float]]:
    (series,) = chart.series()
    return {b.label(): [b.at(i) for i in range(b.count())] for b in series.barSets()}


def test_statistics_chart_suggestions_accepted_rejected_and_waiting(setup, qtbot, tmp_path):
    w, ids = setup
    panel = w.corpus_docks.statistics
    w.corpus_docks.show_statistics()
    titles = [panel.tabs.tabText(i) for i in range(panel.tabs.count())]
    assert titles[-1] == "Suggestions"
    panel.tabs.setCurrentIndex(len(titles) - 1)
    chart = panel.current_view().chart()
    assert chart.title() == "Suggestions: 0 accepted, 0 rejected, 4 waiting"
    # categories from the bottom: claim, cue, speaker (the schema's first label at the top)
    assert bars(chart) == {"accepted": [0, 0, 0], "rejected": [0, 0, 0], "waiting": [2, 1, 1]}
    w.review.go_to(ids["other"])
    press(w, K.Key_R)
    w.review.go_to(ids["claim"])
    press(w, K.Key_A)
    qtbot.waitUntil(lambda: panel.figures["suggestions"]["suggested"] == 0, timeout=3000)
    chart = panel.current_view().chart()
    assert panel.tabs.tabText(panel.tabs.currentIndex()) == "Suggestions"  # the tab stays
    assert chart.title() == "Suggestions: 3 accepted, 1 rejected (75% of those decided), 0 waiting"
    assert bars(chart) == {"accepted": [1, 1, 1], "rejected": [1, 0, 0], "waiting": [0, 0, 0]}
    png, svg = panel.save(tmp_path / "s.png"), panel.save(tmp_path / "s.svg")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "Suggestions: 3 accepted" in svg.read_text(encoding="utf-8")
    dark = QPalette(panel.palette())
    for role in (QPalette.ColorRole.Window, QPalette.ColorRole.Base):
        dark.setColor(role, QColor(30, 30, 30))
    panel.setPalette(dark)
    from PySide6.QtCharts import QChart

    chart = panel.current_view().chart()
    assert chart.theme() == QChart.ChartTheme.ChartThemeDark
    (series,) = chart.series()
    assert [b.color().name() for b in series.barSets()] == ["#4caf50", "#e05252", "#b0b0b0"]  # kept


def test_no_suggestions_chart_in_a_project_without_suggestions(tmp_path, make_window):
    store = Store.open(tmp_path / "p.db")
    store.import_documents([NewDocument(title="t", text="Nothing here.")])
    w = make_window(store)
    w.corpus_docks.show_statistics()
    tabs = w.corpus_docks.statistics.tabs
    assert "Suggestions" not in [tabs.tabText(i) for i in range(tabs.count())]
    assert w.findChild(type(w.place), "suggestions_waiting").isHidden()


# --- the review loop: A / R repeatedly, . skips ----------------------------------------------


def test_a_and_r_go_on_to_the_next_suggestion_and_period_skips_it_as_the_readme_says(setup):
    from pathlib import Path

    w, ids = setup
    w.view.set_cursor(0)
    press(w, K.Key_Period)  # once, to reach the first suggestion
    assert w.review.current == ids["mention"]
    press(w, K.Key_A)
    assert status(w, ids["mention"]) == "accepted" and w.review.current == ids["cue"]
    assert w.statusBar().currentMessage().endswith("R reject, . skip)")  # the hint says what . does now
    press(w, K.Key_A)  # A again acts on the suggestion A made current: none is passed over
    assert status(w, ids["cue"]) == "accepted" and w.review.current == ids["claim"]
    press(w, K.Key_Period)  # skips the claim, which stays a suggestion
    assert w.review.current == ids["other"] and status(w, ids["claim"]) == "suggested"
    press(w, K.Key_R)
    assert status(w, ids["other"]) == "rejected" and w.review.current is None
    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    section = readme.split("### Reviewing suggestions")[1].split("\n### ")[0]
    assert "then `A`/`R` repeatedly; `.` skips the current" in " ".join(section.split())
