"""The mouse over the article view (:class:`~annotator.ui.text_view.AnnotatedTextView`): a
click without drag on a span makes it current (a click on the current span passes to the
next enclosing span at that point), a drag selects (widened to whole words on release with
``snap_to_words``), a double-click selects a word, and hovering reports the code point under
the mouse and shows the spans there in a tooltip."""
from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication, QToolTip

if TYPE_CHECKING:
    from annotator.ui.text_view import AnnotatedTextView


class TextMouse:
    """The mouse behaviour of an AnnotatedTextView, which owns it and hands it its mouse
    events. No signals of its own: it emits the view's ``hovered(int)``,
    ``span_clicked(int)`` and ``clicked(int)``."""

    def __init__(self, view: AnnotatedTextView):
        self.view = view
        self.pressed_at: QPoint | None = None  # where a left press without Shift happened
        self.after_double = False
        self.hover = -1
        self.tip: tuple[int, ...] = ()  # ids of the spans in the tooltip shown

    def forget_hover(self) -> None:
        """Another text is shown: the next move reports the hover and the tooltip afresh."""
        self.hover, self.tip = -1, ()

    def press(self, event: QMouseEvent) -> None:
        """Before Qt's press: a left press without Shift drops the selection, keeping the
        view where it is."""
        view = self.view
        self.pressed_at = None
        self.after_double = False
        if event.button() == Qt.MouseButton.LeftButton and not event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
            self.pressed_at = event.position().toPoint()
            cursor = view.textCursor()
            if cursor.hasSelection():  # a press in a selection would start a text drag
                # setTextCursor scrolls back to an old selection scrolled out of view, and the
                # press would then land on other text: keep the view where the user sees it
                bars = (view.verticalScrollBar(), view.horizontalScrollBar())
                kept = [bar.value() for bar in bars]
                cursor.clearSelection()
                view.setTextCursor(cursor)
                for bar, value in zip(bars, kept):
                    bar.setValue(value)

    def move(self, event: QMouseEvent) -> None:
        """After Qt's move: without a button held, report the hovered offset and show the
        spans there in a tooltip (both only when they change)."""
        view = self.view
        if event.buttons() != Qt.MouseButton.NoButton:
            return
        offset = view.offset_at_point(event.position().toPoint())
        value = -1 if offset is None else offset
        if value != self.hover:
            self.hover = value
            view.hovered.emit(value)
        spans = view.spans_at(offset) if offset is not None else []
        ids = tuple(s.id for s in spans)
        if ids != self.tip:
            self.tip = ids
            if spans:
                tip = "\n".join(view.describe_span(s) for s in spans)
                QToolTip.showText(event.globalPosition().toPoint(), tip, view.viewport())
            else:
                QToolTip.hideText()

    def release(self, event: QMouseEvent) -> None:
        """After Qt's release: snap a dragged selection, or take a click without drag."""
        view = self.view
        if event.button() != Qt.MouseButton.LeftButton:
            return
        press, self.pressed_at = self.pressed_at, None
        if self.after_double:
            self.after_double = False
            return
        point = event.position().toPoint()
        if view.textCursor().hasSelection():
            if view.snap_to_words:
                view.snap_selection()
        elif press is not None and (point - press).manhattanLength() < QApplication.startDragDistance():
            self._click(point)

    def double_click(self, event: QMouseEvent) -> bool:
        """A left double-click selects the word there (True); other buttons are Qt's (False)."""
        if event.button() != Qt.MouseButton.LeftButton:
            return False
        self.view.select_word_at(event.position().toPoint())
        self.after_double = True
        event.accept()
        return True

    def _click(self, point: QPoint) -> None:
        view = self.view
        offset = view.offset_at_point(point)
        spans = view.spans_at(offset) if offset is not None else []
        if spans:
            ids = [s.id for s in spans]
            current = view.highlighter.current_span_id
            sid = ids[(ids.index(current) + 1) % len(ids)] if current in ids else ids[0]
            view.highlighter.set_current(sid)
            view.span_clicked.emit(sid)
        if offset is not None:
            view.clicked.emit(offset)
