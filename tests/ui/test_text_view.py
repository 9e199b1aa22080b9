"""Tests for the article view (annotator.ui.text_view) and its highlighter.

Cases B01 (emoji), B03 (Hebrew), B04 (CJK), B05 (CRLF), B18 (many spans) of
/work/shared/cases/known-faults.md; their texts are copied here. Offsets in expectations
are code points; Qt positions (UTF-16) appear only where a test drives a QTextCursor.
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt  # noqa: E402
from PySide6.QtGui import QKeyEvent, QMouseEvent, QTextCharFormat, QTextCursor  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from annotator.core.model import Span  # noqa: E402
from annotator.core.schema import load_schema  # noqa: E402
from annotator.ui.highlighter import SpanHighlighter  # noqa: E402
from annotator.ui.text_view import AnnotatedTextView  # noqa: E402

B01 = '📰 Mayor Jones said: "Taxes will fall 📉 next year."'
B03 = "השר לוי אמר ל-Reuters כי המחיר יעלה ב-5%."
B04 = "外交部发言人王伟表示，会谈取得进展。"
B05_LF = 'LONDON\nThe mayor, Ana Reyes, spoke on Friday.\nShe said: "We will rebuild."\nReporting by Lee Chan\n'
B05_CRLF = 'LONDON\r\nThe mayor, Ana Reyes, spoke on Friday.\r\nShe said: "We will rebuild."\nReporting by Lee Chan\r\n'
SCHEMA = load_schema()
UL = QTextCharFormat.UnderlineStyle


def sp(i: int, label: str, *fragments: tuple[int, int]) -> Span:
    return Span(id=i, document_id=1, label=label, fragments=tuple(fragments))


@pytest.fixture
def make_view(qtbot):
    def make(text: str, spans=(), size=(640, 400)) -> AnnotatedTextView:
        view = AnnotatedTextView()
        qtbot.addWidget(view)
        view.resize(*size)
        view.set_document(text, list(spans), SCHEMA)
        with qtbot.waitExposed(view):
            view.show()
        return view

    return make


# -- helpers: Qt positions and mouse -------------------------------------------------------


def qt_select(view: AnnotatedTextView, anchor: int, position: int) -> None:
    """Select by raw Qt positions (UTF-16), as the user's cursor would."""
    cursor = QTextCursor(view.document())
    cursor.setPosition(anchor)
    cursor.setPosition(position, QTextCursor.MoveMode.KeepAnchor)
    view.setTextCursor(cursor)


def x_at(view: AnnotatedTextView, qt_pos: int) -> QPoint:
    cursor = QTextCursor(view.document())
    cursor.setPosition(qt_pos)
    return view.cursorRect(cursor).center()


def inside(view: AnnotatedTextView, cp: int, frac: float) -> QPoint:
    """A point ``frac`` of the way across the character at code point ``cp``, from its
    logical start edge to its end edge (works in RTL runs too)."""
    a = x_at(view, view._omap.to_qt(cp))
    b = x_at(view, view._omap.to_qt(cp + 1))
    return QPoint(round(a.x() + (b.x() - a.x()) * frac), a.y())


def send_mouse(view, kind, point: QPoint, button, buttons) -> None:
    target = view.viewport()
    event = QMouseEvent(
        kind, QPointF(point), QPointF(target.mapToGlobal(point)), button, buttons, Qt.KeyboardModifier.NoModifier
    )
    QApplication.sendEvent(target, event)


def drag(view: AnnotatedTextView, start: QPoint, end: QPoint) -> None:
    left, none = Qt.MouseButton.LeftButton, Qt.MouseButton.NoButton
    send_mouse(view, QEvent.Type.MouseButtonPress, start, left, left)
    middle = (start + end) / 2
    for point in (middle, end):
        send_mouse(view, QEvent.Type.MouseMove, point, none, left)
    send_mouse(view, QEvent.Type.MouseButtonRelease, end, left, none)


def key(view: AnnotatedTextView, k, modifiers=Qt.KeyboardModifier.NoModifier) -> None:
    for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
        QApplication.sendEvent(view, QKeyEvent(kind, k, modifiers))


def formats_by_pos(view: AnnotatedTextView, block_number: int = 0) -> dict[int, QTextCharFormat]:
    """Qt position in the document -> highlight format, for the given block."""
    block = view.document().findBlockByNumber(block_number)
    out = {}
    for rng in block.layout().formats():
        fmt = QTextCharFormat(rng.format)  # a copy: rng.format dies with the range
        for i in range(rng.start, rng.start + rng.length):
            out[block.position() + i] = fmt
    return out


def has_background(fmt: QTextCharFormat | None) -> bool:
    return fmt is not None and fmt.hasProperty(QTextCharFormat.Property.BackgroundBrush)


# -- loading and conversions ------------------------------------------------------------------


def test_view_is_read_only_with_keyboard_cursor(make_view):
    view = make_view(B01)
    flags = view.textInteractionFlags()
    assert view.isReadOnly()
    assert flags & Qt.TextInteractionFlag.TextSelectableByKeyboard
    assert flags & Qt.TextInteractionFlag.TextSelectableByMouse
    assert not flags & Qt.TextInteractionFlag.TextEditable
    assert view.toPlainText() == B01


def test_b01_emoji_selection_is_code_points(make_view):
    view = make_view(B01, [sp(1, "speaker", (2, 13)), sp(2, "claim", (21, 49))])
    qt_select(view, 3, 14)  # UTF-16 positions of 'Mayor Jones'
    assert view.selection_range() == (2, 13)
    view.select_range(21, 49)
    cursor = view.textCursor()
    assert (cursor.anchor(), cursor.position()) == (22, 51)
    assert view.selection_range() == (21, 49)
    assert B01[21:49] == "Taxes will fall 📉 next year."
    view.set_cursor(38)  # just after the emoji: Qt position 40
    assert view.textCursor().position() == 40 and view.cursor_offset() == 38
    assert [s.id for s in view.spans_at(37)] == [2] and view.span_at(0) is None


def test_b01_half_an_emoji_is_widened(make_view):
    view = make_view(B01)
    view.snap_to_words = False
    qt_select(view, 1, 8)  # from inside the newspaper emoji's surrogate pair
    assert view.selection_range() == (0, 7)


@pytest.mark.parametrize("text, offset", [(B05_LF, 0), (B05_CRLF, 1)])
def test_b05_line_endings(make_view, text, offset):
    """LF text (normalised on import) and, defensively, raw CRLF text."""
    start = text.index("Ana Reyes")
    assert start == 18 + offset
    view = make_view(text, [sp(1, "speaker", (start, start + 9))])
    view.select_range(start, start + 9)
    assert view.textCursor().selectedText() == "Ana Reyes"
    assert view.textCursor().position() == 27  # one Qt position per line break
    assert view.selection_range() == (start, start + 9)
    quote = text.index("We will rebuild.")
    view.select_range(quote, quote + 16)
    assert view.textCursor().selectedText() == "We will rebuild."
    assert formats_by_pos(view, 1).keys() == set(range(18, 27))


def test_b02_selection_never_splits_a_grapheme(make_view):
    text = "👩\U0001f3fd\u200d⚕\ufe0f Nurse Patel thanked Rene\u0301 Dubois."
    view = make_view(text)
    view.snap_to_words = False
    qt_select(view, 0, 2)  # only U+1F469 of the ZWJ sequence
    assert view.selection_range() == (0, 5)
    view.select_range(26, 30)  # 'Rene' without its combining accent at 30
    assert view.selection_range() == (26, 31)


def test_b03_rtl_selection_is_logical(make_view):
    view = make_view(B03, [sp(1, "speaker", (0, 7))])
    qt_select(view, 0, 7)
    assert view.selection_range() == (0, 7)
    qt_select(view, 7, 0)  # backwards
    assert view.selection_range() == (0, 7)
    view.select_range(14, 21)
    assert view.textCursor().selectedText() == "Reuters"


def test_b03_rtl_mouse_drag(make_view):
    view = make_view(B03)
    drag(view, inside(view, 0, 0.3), inside(view, 6, 0.7))
    assert view.selection_range() == (0, 7)
    assert B03[0:7] == "השר לוי"
    cursor = view.textCursor()  # the visible selection was snapped too
    assert sorted((cursor.anchor(), cursor.position())) == [0, 7]


def test_b04_cjk_selection_and_double_click(make_view, qtbot):
    view = make_view(B04, [sp(1, "speaker", (6, 8))])
    qt_select(view, 6, 8)
    assert view.selection_range() == (6, 8)  # no spaces: each Han character is a word edge
    drag(view, inside(view, 6, 0.2), inside(view, 7, 0.8))
    assert view.selection_range() == (6, 8)
    qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=inside(view, 3, 0.5))
    assert view.selection_range() == (3, 4)


# -- mouse ----------------------------------------------------------------------------------


def test_drag_over_emoji_text_with_and_without_snapping(make_view):
    view = make_view(B01)
    view.snap_to_words = False
    drag(view, inside(view, 3, 0.2), inside(view, 10, 0.8))  # 'ayor Jon'
    assert view.selection_range() == (3, 11)
    view.snap_to_words = True
    drag(view, inside(view, 3, 0.2), inside(view, 10, 0.8))
    assert view.selection_range() == (2, 13)
    cursor = view.textCursor()
    assert (cursor.anchor(), cursor.position()) == (3, 14)  # widened on screen, in Qt units


def test_real_qtest_drag(make_view, qtbot):
    view = make_view(B01)
    start, end = inside(view, 3, 0.2), inside(view, 10, 0.8)
    qtbot.mousePress(view.viewport(), Qt.MouseButton.LeftButton, pos=start)
    QTest.mouseMove(view.viewport(), (start + end) / 2)
    QTest.mouseMove(view.viewport(), end)
    qtbot.mouseRelease(view.viewport(), Qt.MouseButton.LeftButton, pos=end)
    assert view.selection_range() == (2, 13)


def test_drag_backwards_keeps_direction(make_view):
    view = make_view(B01)
    drag(view, inside(view, 10, 0.8), inside(view, 3, 0.2))
    assert view.selection_range() == (2, 13)
    cursor = view.textCursor()
    assert (cursor.anchor(), cursor.position()) == (14, 3)


def test_snapping_on_and_off_programmatic(make_view):
    view = make_view(B01)
    qt_select(view, 4, 12)  # 'yor Jon'
    assert view.selection_range() == (2, 13)
    view.snap_to_words = False
    assert view.selection_range() == (3, 11)
    qt_select(view, 14, 15)  # the space after "Jones"
    assert view.selection_range() is None
    view.set_cursor(5)
    assert view.selection_range() is None


def test_double_click_selects_a_word(make_view, qtbot):
    view = make_view(B01)
    with qtbot.waitSignal(view.selection_changed):
        qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=inside(view, 10, 0.5))
    assert view.selection_range() == (8, 13)


def test_click_on_span_makes_it_current_and_cycles_outwards(make_view, qtbot):
    speaker, claim = sp(1, "speaker", (2, 13)), sp(2, "claim", (2, 19))
    view = make_view(B01, [speaker, claim])
    with qtbot.waitSignal(view.span_clicked) as blocker:
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=inside(view, 5, 0.5))
    assert blocker.args == [1] and view.current_span_id() == 1
    qtbot.wait(QApplication.doubleClickInterval() + 50)  # not a double click
    with qtbot.waitSignal(view.span_clicked) as blocker:
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=inside(view, 5, 0.5))
    assert blocker.args == [2]
    qtbot.wait(QApplication.doubleClickInterval() + 50)
    with qtbot.assertNotEmitted(view.span_clicked):
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=inside(view, 40, 0.5))
    assert view.current_span_id() == 2


def test_drag_does_not_click(make_view, qtbot):
    view = make_view(B01, [sp(1, "speaker", (2, 13))])
    with qtbot.assertNotEmitted(view.span_clicked):
        drag(view, inside(view, 3, 0.2), inside(view, 10, 0.8))


def test_hover_reports_offset_and_tooltip(make_view, qtbot, monkeypatch):
    view = make_view(B01, [sp(1, "speaker", (2, 13))])
    shown = []
    monkeypatch.setattr("annotator.ui.text_mouse.QToolTip.showText", lambda *a: shown.append(a[1]))
    monkeypatch.setattr("annotator.ui.text_mouse.QToolTip.hideText", lambda: shown.append(None))
    view.describe_span = lambda s: f"{s.label} #{s.id}"
    none = Qt.MouseButton.NoButton
    with qtbot.waitSignal(view.hovered) as blocker:
        send_mouse(view, QEvent.Type.MouseMove, inside(view, 9, 0.5), none, none)
    assert blocker.args == [9] and shown == ["speaker #1"]
    with qtbot.waitSignal(view.hovered) as blocker:
        send_mouse(view, QEvent.Type.MouseMove, inside(view, 40, 0.5), none, none)
    assert blocker.args == [40] and shown[-1] is None
    with qtbot.waitSignal(view.hovered) as blocker:
        send_mouse(view, QEvent.Type.MouseMove, QPoint(630, 390), none, none)  # below the text
    assert blocker.args == [-1]


def test_default_description_names_label_and_text(make_view):
    view = make_view(B01, [sp(1, "speaker", (2, 13))])
    assert view.describe_span(view.index.get(1)) == "Speaker: Mayor Jones"


# -- keyboard ---------------------------------------------------------------------------------


def test_shift_right_extends_selection_over_emoji(make_view):
    view = make_view(B01)
    view.snap_to_words = False
    view.setFocus()
    view.set_cursor(0)
    key(view, Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier)
    assert view.textCursor().position() == 2  # one emoji = two UTF-16 units
    assert view.selection_range() == (0, 1)
    key(view, Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier)
    key(view, Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier)
    assert view.selection_range() == (0, 3)
    key(view, Qt.Key.Key_End)
    assert view.selection_range() is None and view.cursor_offset() == len(B01)


def test_keyboard_moves_emit_cursor_moved(make_view, qtbot):
    view = make_view(B01)
    view.set_cursor(2)
    with qtbot.waitSignal(view.cursor_moved) as blocker:
        key(view, Qt.Key.Key_Right, Qt.KeyboardModifier.ControlModifier)
    assert blocker.args[0] in (7, 8)  # word end or next word start, depending on platform
    with qtbot.waitSignal(view.selection_changed):
        key(view, Qt.Key.Key_Right, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)


# -- highlighting ------------------------------------------------------------------------------

SENTENCE = "Acme Bank chief Maria Lopez said profits rose."


def test_claim_background_with_speaker_underline_inside(make_view):
    spans = [sp(1, "claim", (0, 45)), sp(2, "speaker", (16, 27)), sp(3, "cue", (28, 32))]
    view = make_view(SENTENCE, spans)
    fmts = formats_by_pos(view)
    assert set(fmts) == set(range(0, 45))
    assert all(has_background(fmts[i]) for i in range(45))
    assert all(fmts[i].underlineStyle() == UL.SingleUnderline for i in range(16, 27))
    assert fmts[15].underlineStyle() == UL.NoUnderline and fmts[27].underlineStyle() == UL.NoUnderline
    assert fmts[29].fontWeight() > 400 and fmts[10].fontWeight() <= 400
    assert fmts[20].background() == fmts[5].background()  # the claim shows through the speaker
    assert not view.document().isModified() and not view.document().isUndoAvailable()


def test_b01_highlight_is_on_utf16_positions(make_view):
    view = make_view(B01, [sp(1, "speaker", (2, 13)), sp(2, "claim", (21, 49))])
    fmts = formats_by_pos(view)
    under = {i for i, f in fmts.items() if f.underlineStyle() != UL.NoUnderline}
    back = {i for i, f in fmts.items() if has_background(f)}
    assert under == set(range(3, 14)) and back == set(range(22, 51))


def test_discontinuous_claim_leaves_its_gap_plain(make_view):
    view = make_view(SENTENCE, [sp(1, "claim", (0, 15), (33, 45))])
    assert set(formats_by_pos(view)) == set(range(0, 15)) | set(range(33, 45))


def test_current_span_gets_a_stronger_mark_and_the_cursor(make_view):
    view = make_view(SENTENCE, [sp(1, "claim", (0, 45)), sp(2, "speaker", (16, 27))])
    before = formats_by_pos(view)[5].background().color()
    view.set_current_span(1)
    after = formats_by_pos(view)[5].background().color()
    assert after.lightness() < before.lightness()
    assert view.cursor_offset() == 0 and not view.textCursor().hasSelection()
    view.set_current_span(2)
    fmts = formats_by_pos(view)
    assert fmts[20].underlineStyle() == UL.WaveUnderline
    assert fmts[5].background().color() == before and view.cursor_offset() == 16
    view.set_current_span(None)
    assert formats_by_pos(view)[20].underlineStyle() == UL.SingleUnderline
    with pytest.raises(KeyError):
        view.set_current_span(99)


def test_unknown_label_and_bad_spans(make_view):
    view = make_view(SENTENCE, [sp(1, "PERSON", (16, 27))])
    assert has_background(formats_by_pos(view)[20])
    with pytest.raises(ValueError):
        view.set_document("short", [sp(1, "claim", (0, 9))], SCHEMA)
    with pytest.raises(ValueError):
        view.apply_span_changes((), [sp(2, "claim", (0, 999))])


class CountingHighlighter(SpanHighlighter):
    def __init__(self, document):
        super().__init__(document)
        self.blocks: list[int] = []

    def highlightBlock(self, text):  # noqa: N802
        self.blocks.append(self.currentBlock().blockNumber())
        super().highlightBlock(text)


class CountingView(AnnotatedTextView):
    highlighter_class = CountingHighlighter


def paragraphs(n: int) -> tuple[str, list[int]]:
    line = "Senator Vega said the bill will pass, and 📰 the mayor agreed."
    text = "\n".join(f"{i}: {line}" for i in range(n))
    starts, pos = [], 0
    for part in text.split("\n"):
        starts.append(pos)
        pos += len(part) + 1
    return text, starts


def test_apply_span_changes_touches_only_affected_blocks(qtbot):
    text, starts = paragraphs(400)
    view = CountingView()
    qtbot.addWidget(view)
    view.set_document(text, [sp(i, "speaker", (s + 5, s + 17)) for i, s in enumerate(starts)], SCHEMA)
    hl = view.highlighter
    assert len(hl.blocks) >= 400
    far = formats_by_pos(view, 5)
    hl.blocks.clear()
    claim = sp(1000, "claim", (starts[300] + 23, starts[300] + 60))
    view.apply_span_changes((), [claim])
    assert hl.blocks == [300]
    assert any(has_background(f) for f in formats_by_pos(view, 300).values())
    hl.blocks.clear()
    view.apply_span_changes((), [claim.with_(fragments=((starts[10] + 23, starts[12] + 4),))])
    assert sorted(hl.blocks) == [10, 11, 12, 300]
    assert not any(has_background(f) for f in formats_by_pos(view, 300).values())
    hl.blocks.clear()
    view.apply_span_changes([1000, 424242], ())
    assert sorted(hl.blocks) == [10, 11, 12]
    assert formats_by_pos(view, 5) == far
    assert not view.document().isModified() and not view.document().isUndoAvailable()


def test_clear_document(make_view):
    view = make_view(B01, [sp(1, "speaker", (2, 13))])
    view.clear_document()
    assert view.toPlainText() == "" and len(view.index) == 0 and view.selection_range() is None


def test_scroll_to_keeps_the_cursor_and_current_span_scrolls(make_view):
    text, starts = paragraphs(600)
    view = make_view(text, [sp(1, "claim", (starts[500] + 3, starts[500] + 20))])
    view.set_cursor(5)
    view.scroll_to(starts[450])
    assert view.cursor_offset() == 5
    target = QTextCursor(view.document())
    target.setPosition(view._omap.to_qt(starts[450]))
    assert view.viewport().rect().contains(view.cursorRect(target))
    view.set_current_span(1)
    assert view.cursor_offset() == starts[500] + 3
    assert view.viewport().rect().contains(view.cursorRect())
