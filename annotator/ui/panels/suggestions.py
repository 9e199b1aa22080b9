"""The Suggestions dock: the shown document's suggestions (label, text, origin, score) with a
score filter and the count of suggestions, apart from the annotations' counts.

It reads :class:`~annotator.ui.suggestions.SuggestionReview` (which follows the event bus)
and asks it to go to a row: Enter (or a double click) on a row makes that suggestion current
in the article and gives the article the focus, where A / Shift+A / R decide it. The current
suggestion (reached by . , or a click in the article) is the selected row, in bold, scrolled
into view.

:class:`SuggestionCount` is the status bar's "3 suggestions waiting" (hidden when there are none).
"""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDockWidget,
    QDoubleSpinBox,
    QHBoxLayout,
    QLabel,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from annotator.ui.suggestions import SuggestionReview

ID_ROLE = Qt.ItemDataRole.UserRole


class SuggestionsDock(QDockWidget):
    """Lists ``review.shown()``; ``list`` is the QTreeWidget (columns Label, Text, Origin,
    Score), ``min_score`` the filter (0 = every suggestion), ``count`` the line "N suggested"."""

    def __init__(self, review: SuggestionReview, parent: QWidget | None = None):
        super().__init__("Suggestions", parent)
        self.setObjectName("suggestions_dock")
        self.review = review
        body = QWidget(self)
        layout = QVBoxLayout(body)
        layout.setContentsMargins(4, 4, 4, 4)
        row = QHBoxLayout()
        row.addWidget(QLabel("Score at least:", body))
        self.min_score = QDoubleSpinBox(body)
        self.min_score.setObjectName("suggestions_min_score")
        self.min_score.setRange(0.0, 1.0)
        self.min_score.setSingleStep(0.05)
        self.min_score.setDecimals(2)
        self.min_score.setSpecialValueText("any")
        self.min_score.setToolTip("Show only suggestions whose score is at least this (suggestions without a score stay)")
        row.addWidget(self.min_score)
        row.addStretch(1)
        layout.addLayout(row)
        self.count = QLabel(body)
        self.count.setObjectName("suggestions_count")
        layout.addWidget(self.count)
        self.list = QTreeWidget(body)
        self.list.setObjectName("suggestions_list")
        self.list.setHeaderLabels(["Label", "Text", "Origin", "Score"])
        self.list.setRootIsDecorated(False)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.itemActivated.connect(self._activated)
        layout.addWidget(self.list, 1)
        self.setWidget(body)
        self.min_score.valueChanged.connect(lambda v: review.set_min_score(v or None))
        review.changed.connect(self.refresh)
        review.current_changed.connect(self._select)
        self.refresh()

    def refresh(self) -> None:
        """Re-list the suggestions (a document's list is short: rebuilt whole)."""
        shown, total = self.review.shown(), len(self.review.index)
        text = self.review.controller.view.text
        self.list.clear()
        for span in shown:
            surface = " ".join(span.text(text).split())
            item = QTreeWidgetItem([span.label, surface[:80], span.origin or "",
                                    "" if span.score is None else f"{span.score:.2f}"])
            item.setData(0, ID_ROLE, span.id)
            item.setToolTip(1, surface)
            self.list.addTopLevelItem(item)
        hidden = total - len(shown)
        self.count.setText(f"{total} suggested" + (f" ({hidden} below the score filter)" if hidden else ""))
        self.setWindowTitle(f"Suggestions ({total})" if total else "Suggestions")
        self._select(self.review.current if self.review.current is not None else -1)

    def _select(self, span_id: int) -> None:
        """Select, embolden and scroll to the row of suggestion ``span_id`` (-1: none)."""
        found = None
        for i in range(self.list.topLevelItemCount()):
            item = self.list.topLevelItem(i)
            mine = item.data(0, ID_ROLE) == span_id
            font = item.font(0)
            if font.bold() != mine:
                font.setBold(mine)
                for column in range(self.list.columnCount()):
                    item.setFont(column, font)
            if mine:
                found = item
        if found is not None:
            self.list.setCurrentItem(found)
            self.list.scrollToItem(found)
        else:
            self.list.clearSelection()
            self.list.setCurrentItem(None)

    def _activated(self, item: QTreeWidgetItem, _column: int = 0) -> None:
        self.review.go_to(item.data(0, ID_ROLE))
        self.review.controller.view.setFocus()


class SuggestionCount(QLabel):
    """The status bar's count of the shown document's suggestions waiting for review
    (:meth:`SuggestionReview.waiting_text`), updated when they change (a new document,
    accept, reject, undo, the score filter); hidden when there are none."""

    def __init__(self, review: SuggestionReview, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("suggestions_waiting")
        self.setToolTip("Suggestions of this document not yet accepted or rejected: . goes to the next, "
                        "A accepts, R rejects")
        self.review = review
        review.changed.connect(self.refresh)
        self.refresh()

    def refresh(self) -> None:
        text = self.review.waiting_text()
        self.setText(text)
        self.setVisible(bool(text))
