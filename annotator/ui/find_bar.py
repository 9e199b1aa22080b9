"""Find in the document (Ctrl+F, F3 / Shift+F3): a bar under the article view.

Every hit is highlighted with ``QTextEdit.ExtraSelection`` (never in the document's
formats, which would enter the text's undo history and mark it modified); the hit moved to
is the view's selection, so S / Q / C mark it as usual once the article has the focus
(Escape closes the bar and gives it back; F3 / Shift+F3 keep it there). Matching is
:func:`annotator.core.text_search.find_all` over the stored text, in code points; Qt
positions come only from :class:`~annotator.core.offsets.OffsetMap`.
"""
from __future__ import annotations

from bisect import bisect_left, bisect_right

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QKeyEvent, QTextCharFormat, QTextCursor, QTextFormat
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLabel, QLineEdit, QTextEdit, QToolButton, QWidget

from annotator.core.offsets import OffsetMap
from annotator.core.text_search import find_all
from annotator.ui.text_view import AnnotatedTextView

MAX_SHOWN = 5000  # hits highlighted at most (all are counted and reachable)
_MINE = QTextFormat.Property.UserProperty + 710  # marks our extra selections among others'
HIT, CURRENT = QColor(255, 226, 122), QColor(255, 160, 60)


class FindBar(QWidget):
    """The find bar of an :class:`AnnotatedTextView` (hidden until :meth:`show_find`).

    ``hits`` are the code-point ranges found, ``current`` the index of the one selected
    (-1: none yet). Signals: ``moved(int, int)`` the selection moved to a hit (its start and
    end in code points)."""

    moved = Signal(int, int)

    def __init__(self, view: AnnotatedTextView, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("find_bar")
        self.view = view
        self.hits: list[tuple[int, int]] = []
        self._starts: list[int] = []
        self.current = -1
        self._omap: tuple[str, OffsetMap] | None = None
        self.field = QLineEdit(self)
        self.field.setObjectName("find_field")
        self.field.setPlaceholderText("Find in the document")
        self.field.setClearButtonEnabled(True)
        self.count = QLabel(self)
        self.count.setObjectName("find_count")
        self.count.setMinimumWidth(self.fontMetrics().horizontalAdvance("10,000 of 10,000 "))
        self.case = QCheckBox("Match &case", self)
        self.case.setObjectName("find_case")
        self.words = QCheckBox("&Whole words", self)
        self.words.setObjectName("find_words")
        self.previous_button = self._button("▲", "Previous hit (Shift+F3, Shift+Enter)", "find_previous_button", self.find_previous)
        self.next_button = self._button("▼", "Next hit (F3, Enter)", "find_next_button", self.find_next)
        close = self._button("✕", "Close (Escape)", "find_close", self.close_bar)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 3, 6, 3)
        for widget in (QLabel("Find:", self), self.field, self.count, self.previous_button, self.next_button,
                       self.case, self.words):
            layout.addWidget(widget)
        layout.addStretch(1)
        layout.addWidget(close)
        self.field.textChanged.connect(lambda _t: self.refresh(move=True))
        self.case.toggled.connect(lambda _on: self.refresh(move=True))
        self.words.toggled.connect(lambda _on: self.refresh(move=True))
        self.field.installEventFilter(self)
        view.textChanged.connect(self._document_replaced)
        self.hide()

    def _button(self, text: str, tip: str, name: str, slot) -> QToolButton:
        button = QToolButton(self)
        button.setText(text)
        button.setToolTip(tip)
        button.setObjectName(name)
        button.setAutoRaise(True)
        button.clicked.connect(lambda _checked=False: slot())
        return button

    # --- actions (named in actions.py) ---------------------------------------------------

    def show_find(self) -> None:
        """Ctrl+F: show the bar with the focus in its field (holding the selected text, when
        the selection is on one line)."""
        selected = self.view.selection_range()
        if selected is not None:
            text = self.view.text[selected[0]:selected[1]]
            if "\n" not in text and len(text) <= 200:
                self.field.setText(text)
        self.show()
        self.field.setFocus()
        self.field.selectAll()
        self.refresh(move=False)

    def find_next(self) -> None:
        """F3: select the next hit after the cursor (wrapping around at the end)."""
        self._step(1)

    def find_previous(self) -> None:
        """Shift+F3: select the hit before the cursor (wrapping around at the start)."""
        self._step(-1)

    def close_bar(self) -> None:
        """Escape: hide the bar and its highlights; the article gets the focus, with the hit
        still selected (ready for S / Q / C)."""
        self.hide()
        self._highlight()
        self.view.setFocus()

    # --- finding -------------------------------------------------------------------------

    def refresh(self, move: bool = False) -> None:
        """Find the field's text again; with ``move``, select the first hit from the cursor on
        (as one types)."""
        text = self.view.text
        self.hits = find_all(text, self.field.text(), self.case.isChecked(), self.words.isChecked())
        self._starts = [a for a, _ in self.hits]
        self.current = -1
        if move and self.hits:
            at = bisect_left(self._starts, self._from())
            self._go(at % len(self.hits))
        else:
            self._highlight()
            self._show_count()

    def _from(self) -> int:
        selected = self.view.selection_range()
        return selected[0] if selected is not None else self.view.cursor_offset()

    def _raw_selection(self) -> tuple[int, int]:
        """The view's selection in code points as it is (not snapped to words)."""
        cursor = self.view.textCursor()
        a, b = sorted((cursor.anchor(), cursor.position()))
        return self._map().range_from_qt(a, b)

    def _step(self, step: int) -> None:
        if not self.isVisible() and not self.field.text():
            self.show_find()
            return
        if not self.hits:
            self.refresh(move=False)
            if not self.hits:
                return
        if 0 <= self.current < len(self.hits) and self._raw_selection() == self.hits[self.current]:
            at = self.current + step
        else:  # the cursor moved since: go from where it is now
            offset = self._from()
            at = bisect_right(self._starts, offset) if step > 0 else bisect_left(self._starts, offset) - 1
        self._go(at % len(self.hits))

    def _go(self, index: int) -> None:
        self.current = index
        start, end = self.hits[index]
        self.view.select_range(start, end)
        self._highlight()
        self._show_count()
        self.moved.emit(start, end)

    def _show_count(self) -> None:
        if not self.field.text():
            self.count.setText("")
        elif not self.hits:
            self.count.setText("no hits")
        elif self.current < 0:
            self.count.setText(f"{len(self.hits):,} hit{'s' * (len(self.hits) != 1)}")
        else:
            self.count.setText(f"{self.current + 1:,} of {len(self.hits):,}")

    def _document_replaced(self) -> None:
        if self.isVisible():
            self.refresh(move=False)

    # --- highlights ------------------------------------------------------------------------

    def _map(self) -> OffsetMap:
        text = self.view.text
        if self._omap is None or self._omap[0] is not text:
            self._omap = (text, OffsetMap(text))
        return self._omap[1]

    def _highlight(self) -> None:
        """Put our extra selections (every hit; the current one stronger) among the view's
        others, or remove them while the bar is hidden."""
        others = [s for s in self.view.extraSelections() if not s.format.hasProperty(_MINE)]
        mine = []
        if self.isVisible() and self.hits:
            omap, document = self._map(), self.view.document()
            shown = self.hits[:MAX_SHOWN]
            if 0 <= self.current < len(self.hits) and self.current >= MAX_SHOWN:
                shown = shown + [self.hits[self.current]]
            for i, (a, b) in enumerate(shown):
                qa, qb = omap.range_to_qt(a, b)
                selection = QTextEdit.ExtraSelection()
                cursor = QTextCursor(document)
                cursor.setPosition(qa)
                cursor.setPosition(qb, QTextCursor.MoveMode.KeepAnchor)
                selection.cursor = cursor
                fmt = QTextCharFormat()
                fmt.setBackground(CURRENT if (a, b) == self._current_range() else HIT)
                fmt.setForeground(QColor(Qt.GlobalColor.black))
                fmt.setProperty(_MINE, True)
                selection.format = fmt
                mine.append(selection)
        self.view.setExtraSelections(others + mine)

    def _current_range(self) -> tuple[int, int] | None:
        return self.hits[self.current] if 0 <= self.current < len(self.hits) else None

    def highlighted(self) -> list[tuple[int, int]]:
        """The code-point ranges highlighted now (for tests and the status line)."""
        omap = self._map()
        return [omap.range_from_qt(s.cursor.anchor(), s.cursor.position()) for s in self.view.extraSelections()
                if s.format.hasProperty(_MINE)]

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt override
        """In the field: Enter next, Shift+Enter previous, Escape closes."""
        if watched is self.field and isinstance(event, QKeyEvent) and event.type() == QKeyEvent.Type.KeyPress:
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self._step(-1 if event.modifiers() & Qt.KeyboardModifier.ShiftModifier else 1)
                return True
            if event.key() == Qt.Key.Key_Escape:
                self.close_bar()
                return True
        return super().eventFilter(watched, event)
