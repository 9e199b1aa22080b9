"""The article view: read-only text with span highlights, selection and a keyboard cursor.

Units: every offset in this API is a code point of the stored text, half-open
``[start, end)``, like :class:`annotator.core.model.Span`. Qt positions (UTF-16 units,
``QTextCursor.position()``) stay inside the view's modules and are converted only through
:class:`annotator.core.offsets.OffsetMap`. Selections are logical (storage order), never
visual, so right-to-left text needs nothing special (case B03); each paragraph is aligned
to its own direction (:class:`~annotator.ui.rtl_layout.BidiLayout`: a Hebrew paragraph to
the right, an English one to the left).

The view's parts: keyboard navigation in :mod:`annotator.ui.text_navigation`, the mouse in
:mod:`annotator.ui.text_mouse`, right-to-left layout in :mod:`annotator.ui.rtl_layout`.
"""

from __future__ import annotations

from typing import Callable, Iterable

from PySide6.QtCore import QPoint, QPointF, Qt, Signal
from PySide6.QtGui import QFont, QFontMetricsF, QKeyEvent, QMouseEvent, QTextCursor, QTextLine, QTextOption
from PySide6.QtWidgets import QPlainTextEdit, QWidget

from annotator.core.model import Span
from annotator.core.offsets import OffsetMap, snap_to_graphemes, snap_to_words, word_at
from annotator.core.schema import Schema
from annotator.core.span_index import SpanIndex
from annotator.ui import settings
from annotator.ui import text_navigation as nav
from annotator.ui.highlighter import SpanHighlighter
from annotator.ui.rtl_layout import BidiLayout, has_rtl, relaid_document
from annotator.ui.text_mouse import TextMouse
from annotator.ui.text_navigation import next_word_stop

__all__ = ["AnnotatedTextView", "BidiLayout", "next_word_stop"]

_TOOLTIP_TEXT = 60  # code points of span text shown in the default description
FONT_SIZE_KEY = "view/text_point_size"
NORMAL_POINT_SIZE, MIN_POINT_SIZE, MAX_POINT_SIZE = 12.0, 7.0, 40.0


class AnnotatedTextView(QPlainTextEdit):
    """Shows one document's text with its spans highlighted; the user selects text to
    annotate and clicks spans to make them current.

    Read-only, but the cursor is visible and moves with the keyboard (arrows, Home/End,
    PageUp/Down, with Shift to select, Ctrl to go by words: :func:`.text_navigation.next_word_stop`). Lines
    wrap at the widget width; each paragraph is aligned to its own direction. The line of
    the cursor is kept clear of the view's top and bottom edges (``caret_margin`` pixels)
    when the keys move it (:meth:`set_cursor` and :meth:`select_range` centre a caret that
    is not wholly in view).

    Signals:
        selection_changed(): the selection changed; read it with :meth:`selection_range`.
        span_clicked(int): a click without drag on a span made it current (its id). A
            click on the current span passes to the next enclosing span at that point.
        clicked(int): a click without drag at this code-point offset (after span_clicked,
            if any; with or without a span there): the suggestions review follows it.
        cursor_moved(int): the cursor moved; its code-point offset.
        hovered(int): the mouse moved over the character at this code-point offset, or
            off the text (-1); emitted when the value changes.

    ``describe_span`` (a callable ``Span -> str``) writes the hover tooltip line of a
    span; the window sets it to name the speaker. ``snap_to_words`` (default True)
    widens selections to whole words.
    """

    selection_changed = Signal()
    span_clicked = Signal(int)
    clicked = Signal(int)
    cursor_moved = Signal(int)
    hovered = Signal(int)

    highlighter_class = SpanHighlighter  # tests may substitute a subclass

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setReadOnly(True)
        self.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.setWordWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        self._apply_point_size(_remembered_point_size())  # margins, tab width, cursor: comfortable reading
        self.setCursorWidth(2)
        doc = self.document()
        doc.setDocumentMargin(18)
        # Keep undo/redo enabled: with it disabled, Qt marks the document modified on every
        # QSyntaxHighlighter.rehighlightBlock. The stack stays empty (setPlainText clears it).
        self.viewport().setMouseTracking(True)

        self._text, self._omap, self._index = "", OffsetMap(""), SpanIndex()
        self._schema: Schema | None = None
        self._snap = True
        self._mouse = TextMouse(self)
        self.describe_span: Callable[[Span], str] = self._describe
        self._highlighter = self.highlighter_class(doc)
        self._highlighter.setParent(self)  # not the document's child: set_document may replace the document
        self.selectionChanged.connect(self.selection_changed)
        self.cursorPositionChanged.connect(self._on_cursor_moved)

    # -- text size (View > Larger Text / Smaller Text / Normal Text Size) --------------------

    def point_size(self) -> float:
        """The article's font size in points."""
        return self.font().pointSizeF()

    def zoom_text(self, step: int) -> None:
        """Ctrl+Plus (``step`` 1) / Ctrl+Minus (-1): one size larger or smaller (by about a
        tenth, between 7 and 40 points); Ctrl+0 (0): the normal 12 points. Remembered in the
        window settings for the next session."""
        size = self.point_size()
        if step == 0:
            size = NORMAL_POINT_SIZE
        else:
            size = round(size * (1.1 if step > 0 else 1 / 1.1) * 2) / 2  # half points
            if size == self.point_size():
                size += 0.5 if step > 0 else -0.5
        size = min(MAX_POINT_SIZE, max(MIN_POINT_SIZE, size))
        place = self.place()
        self._apply_point_size(size)
        self.restore_place(place[:2] + (self.verticalScrollBar().value(),))
        self.ensureCursorVisible()
        settings.set_value(FONT_SIZE_KEY, size)

    def _apply_point_size(self, size: float) -> None:
        font = QFont(self.font())
        font.setPointSizeF(size)
        self.setFont(font)
        self.setTabStopDistance(QFontMetricsF(font).horizontalAdvance(" ") * 4)
        self.caret_margin = nav.caret_margin(font)

    # -- document ---------------------------------------------------------------------------

    @property
    def highlighter(self) -> SpanHighlighter:
        return self._highlighter

    @property
    def index(self) -> SpanIndex:
        """The spans shown (read-only use; change them with :meth:`apply_span_changes`)."""
        return self._index

    @property
    def text(self) -> str:
        return self._text

    def set_document(self, text: str, spans: Iterable[Span], schema: Schema | None) -> None:
        """Show ``text`` (the stored text) with ``spans`` styled after ``schema``.

        ValueError if a span ends beyond the text or two spans share an id."""
        spans = list(spans)
        _check_extent(spans, len(text))
        index = SpanIndex(spans)
        cursor = self.textCursor()
        if cursor.hasSelection():  # drop it while the old text's offsets still apply (else
            cursor.clearSelection()  # setPlainText announces the change with position -1)
            self.setTextCursor(cursor)
        self._highlighter.set_current(None)  # repaints on the old text, still consistent
        self._text, self._omap, self._index, self._schema = text, OffsetMap(text), index, schema
        self._use_bidi_layout(has_rtl(text))
        self._highlighter.set_source(index, self._omap, schema)
        self._mouse.forget_hover()
        self.setPlainText(text)  # Qt highlights every block during this call

    def _use_bidi_layout(self, bidi: bool) -> None:
        """Lay the text out with :class:`BidiLayout` (``bidi``) or Qt's own layout: a new,
        empty document with the same settings when the kind changes."""
        document = relaid_document(self.document(), bidi, self)
        if document is None:
            return
        self._highlighter.setDocument(document)
        self.setDocument(document)  # the old one, a child of the view, is deleted
        self.setTabStopDistance(QFontMetricsF(self.font()).horizontalAdvance(" ") * 4)

    def clear_document(self) -> None:
        """Show nothing; forget the spans."""
        self.set_document("", [], self._schema)

    def apply_span_changes(self, removed_ids: Iterable[int], added_or_changed: Iterable[Span]) -> None:
        """Update the shown spans: drop ``removed_ids`` (unknown ids are ignored), add or
        replace ``added_or_changed`` (by id), then rehighlight only the old and new
        extents. ValueError (before any change) if a span ends beyond the text."""
        changed = list(added_or_changed)
        _check_extent(changed, len(self._text))
        dirty: list[Span] = []
        gone: list[Span] = []
        for sid in removed_ids:
            if sid in self._index:
                span = self._index.remove(sid)
                dirty.append(span)
                gone.append(span)
                if sid == self._highlighter.current_span_id:
                    self._highlighter.set_current(None)
        for span in changed:
            old = self._index.replace(span)
            dirty.extend((span,) if old is None else (old, span))
            if old is not None:
                gone.append(old)
        for span in dirty:
            self._highlighter.rehighlight_span(span)
        self._highlighter.spans_changed(gone, changed)  # links of the current span redrawn

    # -- spans ------------------------------------------------------------------------------

    def span_at(self, offset: int) -> Span | None:
        """The innermost span covering code point ``offset``, or None."""
        spans = self._index.at(offset)
        return spans[0] if spans else None

    def spans_at(self, offset: int) -> list[Span]:
        """All spans covering code point ``offset``, innermost first."""
        return self._index.at(offset)

    def current_span_id(self) -> int | None:
        return self._highlighter.current_span_id

    def set_current_span(self, span_id: int | None) -> None:
        """Mark the span as current (None: no current span), scroll to it and put the
        cursor at its start without selecting. KeyError for an unknown id."""
        span = None if span_id is None else self._index.get(span_id)
        if span_id is not None and span is None:
            raise KeyError(span_id)
        self._highlighter.set_current(span_id)
        if span is not None:
            self.set_cursor(span.start)

    # -- selection and cursor -----------------------------------------------------------------

    @property
    def snap_to_words(self) -> bool:
        """Widen selections to whole words (default True); grapheme snapping is always on."""
        return self._snap

    @snap_to_words.setter
    def snap_to_words(self, value: bool) -> None:
        self._snap = bool(value)

    def selection_range(self) -> tuple[int, int] | None:
        """The selection as code points ``(start, end)``, snapped to graphemes and, with
        ``snap_to_words``, to whole words without surrounding whitespace. None when
        nothing, or only whitespace, is selected."""
        cursor = self.textCursor()
        if not cursor.hasSelection():
            return None
        start, end = self._omap.range_from_qt(cursor.anchor(), cursor.position())
        if self._snap:
            start, end = snap_to_words(self._text, start, end)
        else:
            start, end = snap_to_graphemes(self._text, start, end)
        if start >= end or self._text[start:end].isspace():
            return None
        return start, end

    def select_range(self, start: int, end: int) -> None:
        """Select code points ``[start, end)`` (cursor at ``end``) and make it visible."""
        qa, qb = self._omap.range_to_qt(start, end)
        cursor = QTextCursor(self.document())
        cursor.setPosition(qa)
        cursor.setPosition(qb, QTextCursor.MoveMode.KeepAnchor)
        self._show_cursor(cursor)

    def set_cursor(self, offset: int) -> None:
        """Put the cursor at code point ``offset`` (no selection) and make it visible."""
        cursor = QTextCursor(self.document())
        cursor.setPosition(self._omap.to_qt(offset))
        self._show_cursor(cursor)

    def cursor_offset(self) -> int:
        """The cursor's code-point offset."""
        return self._omap.from_qt(self.textCursor().position())

    def scroll_to(self, offset: int) -> None:
        """Scroll so code point ``offset`` is visible (centred if it was not); the cursor
        and selection stay where they are."""
        target = QTextCursor(self.document())
        target.setPosition(self._omap.to_qt(offset))
        if self.viewport().rect().contains(self.cursorRect(target)):
            return
        keep = self.textCursor()
        blocked = self.blockSignals(True)
        try:
            self.setTextCursor(target)
            self.centerCursor()
            vbar, hbar = self.verticalScrollBar().value(), self.horizontalScrollBar().value()
            self.setTextCursor(keep)
            self.verticalScrollBar().setValue(vbar)
            self.horizontalScrollBar().setValue(hbar)
        finally:
            self.blockSignals(blocked)

    def visible_range(self) -> tuple[int, int]:
        """The code points ``(first, last)`` of the text on screen (of the lines at least
        partly in view)."""
        rect = self.viewport().rect()
        first = self.cursorForPosition(rect.topLeft()).position()
        last = self.cursorForPosition(rect.bottomRight()).position()
        return self._omap.from_qt(first), self._omap.from_qt(last)

    def shows_range(self, start: int, end: int) -> bool:
        """True if some of code points ``[start, end)`` is on screen."""
        first, last = self.visible_range()
        return start <= last and max(start, end) >= first

    def place(self) -> tuple[int, int, int]:
        """Where the reader is: ``(anchor, cursor, scroll position)``, code points and the
        vertical scroll bar's value; :meth:`restore_place` goes back there."""
        cursor = self.textCursor()
        return (self._omap.from_qt(cursor.anchor()), self._omap.from_qt(cursor.position()),
                self.verticalScrollBar().value())

    def restore_place(self, place: tuple[int, int, int]) -> None:
        """Put the selection and the scroll position back as :meth:`place` returned them
        (clamped to this text)."""
        anchor, position, scroll = place
        n = self._omap.cp_length
        cursor = QTextCursor(self.document())
        cursor.setPosition(self._omap.to_qt(min(anchor, n)))
        cursor.setPosition(self._omap.to_qt(min(position, n)), QTextCursor.MoveMode.KeepAnchor)
        self.setTextCursor(cursor)
        self.verticalScrollBar().setValue(scroll)

    def offset_at_point(self, point: QPoint) -> int | None:
        """Code point of the character under ``point`` (viewport coordinates), or None
        when the point is not on a character (margins, past a line's end)."""
        block = self.cursorForPosition(point).block()
        layout = block.layout()
        if not block.isValid() or layout is None:
            return None
        local = QPointF(point) - self.blockBoundingGeometry(block).translated(self.contentOffset()).topLeft()
        for i in range(layout.lineCount()):
            line = layout.lineAt(i)
            rect = line.naturalTextRect()
            if rect.top() <= local.y() < rect.bottom():
                if not rect.left() <= local.x() < rect.right():
                    return None
                pos = line.xToCursor(local.x(), QTextLine.CursorPosition.CursorOnCharacter)
                if pos >= block.length() - 1:
                    return None
                return self._omap.from_qt(block.position() + pos)
        return None

    def snap_selection(self) -> None:
        """Widen the visible selection to what :meth:`selection_range` returns."""
        cursor = self.textCursor()
        backwards = cursor.anchor() > cursor.position()
        rng = self.selection_range()
        if rng is None:
            cursor.clearSelection()
            return self.setTextCursor(cursor)
        qa, qb = self._omap.range_to_qt(*rng)
        if backwards:
            qa, qb = qb, qa
        if (cursor.anchor(), cursor.position()) != (qa, qb):
            cursor.setPosition(qa)
            cursor.setPosition(qb, QTextCursor.MoveMode.KeepAnchor)
            self.setTextCursor(cursor)

    def select_word_at(self, point: QPoint) -> None:
        """Select the word under ``point`` (viewport coordinates), else the word where a
        click there puts the cursor."""
        offset = self.offset_at_point(point)
        offset = self._omap.from_qt(self.cursorForPosition(point).position()) if offset is None else offset
        start, end = word_at(self._text, offset)
        if start < end:
            self.select_range(start, end)

    # -- internals --------------------------------------------------------------------------

    def _show_cursor(self, cursor: QTextCursor) -> None:
        visible = self.viewport().rect().contains(self.cursorRect(cursor))
        self.setTextCursor(cursor)
        if not visible:  # a caret only partly in view is centred too
            self.centerCursor()

    def keep_caret_clear(self) -> None:
        """Scroll by whole lines until the cursor's line is ``caret_margin`` pixels away
        from the bottom and the top of the view: :func:`.text_navigation.keep_caret_clear`."""
        nav.keep_caret_clear(self, self.caret_margin)

    def _on_cursor_moved(self) -> None:
        self.cursor_moved.emit(self._omap.from_qt(self.textCursor().position()))

    def _describe(self, span: Span) -> str:
        title = span.label
        if self._schema is not None and span.label in self._schema.label_names:
            title = self._schema.label(span.label).title
        text = " ".join(span.text(self._text).split())
        if len(text) > _TOOLTIP_TEXT:
            text = text[: _TOOLTIP_TEXT - 1] + "…"
        return f"{title}: {text}"

    # -- events (keys: text_navigation.py, the mouse: text_mouse.py) ------------------------

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        cursor = self.textCursor()
        before = (cursor.anchor(), cursor.position())
        if not nav.word_jump(self, event, self._text, self._omap):
            super().keyPressEvent(event)
        cursor = self.textCursor()
        if (cursor.anchor(), cursor.position()) != before:
            self.keep_caret_clear()

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt override
        self._mouse.press(event)
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt override
        super().mouseMoveEvent(event)
        self._mouse.move(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt override
        super().mouseReleaseEvent(event)
        self._mouse.release(event)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt override
        if not self._mouse.double_click(event):
            super().mouseDoubleClickEvent(event)


def _remembered_point_size() -> float:
    try:
        size = float(settings.settings().value(FONT_SIZE_KEY, NORMAL_POINT_SIZE))
    except (TypeError, ValueError):
        return NORMAL_POINT_SIZE
    return min(MAX_POINT_SIZE, max(MIN_POINT_SIZE, size))


def _check_extent(spans: list[Span], length: int) -> None:
    for span in spans:
        if span.start < 0 or span.end > length:
            raise ValueError(f"span {span.id} [{span.start}, {span.end}) is outside the text (length {length})")
