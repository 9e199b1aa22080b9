"""The Search panel: find text, claims and speakers in the whole project (Ctrl+Shift+F).

The query goes to :func:`annotator.core.store.search.search` (the project's FTS5 index);
each hit is a row with its document, what it is (text, claim by whom, speaker, title) and
the hit in context, the match in bold. Enter or a double-click opens the document with the
hit selected (S / Q / C then mark it). The panel follows the controller's signals (another
project, edits) and searches again when they could change what it shows.
"""
from __future__ import annotations

import html
from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, QRectF, QSize, Qt, QTimer
from PySide6.QtGui import QAbstractTextDocumentLayout, QKeyEvent, QPalette, QTextDocument
from PySide6.QtWidgets import (QAbstractItemView, QApplication, QDockWidget, QHeaderView, QLabel, QLineEdit,
                               QStyle, QStyledItemDelegate, QStyleOptionViewItem, QTableView, QVBoxLayout, QWidget)

from annotator.core.store.search import SearchHit, search
from annotator.ui.panels.table_model import HeaderedTableModel, Index

if TYPE_CHECKING:
    from annotator.ui.controller import Controller

CONTEXT_ROLE = Qt.ItemDataRole.UserRole + 1  # (before, match, after) of a hit
DELAY_MS = 250  # typing pause before searching


class SearchModel(HeaderedTableModel):
    """Rows: the hits of the last search. Columns: document, what, hit in context."""

    HEADERS = ("Document", "What", "Hit")

    def __init__(self, parent=None):
        super().__init__(parent)
        self.hits: list[SearchHit] = []

    def set_hits(self, hits: list[SearchHit]) -> None:
        self.beginResetModel()
        self.hits = list(hits)
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802 - Qt override
        return 0 if parent.isValid() else len(self.hits)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        hit, column = self.hits[index.row()], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 0:
                return f"{hit.document_id}: {hit.title}" if hit.document_id is not None else "(no mention)"
            if column == 1:
                return {"speaker": f"speaker {hit.speaker}", "claim": f"claim by {hit.speaker or '(no speaker)'}",
                        "title": "title", "text": "text"}[hit.kind]
            return f"{hit.before}{hit.match}{hit.after}"
        if role == CONTEXT_ROLE and column == 2:
            return hit.before, hit.match, hit.after
        if role == Qt.ItemDataRole.ToolTipRole:
            where = "in the title" if hit.kind == "title" else "in the text"
            return f"{hit.title}\n[{hit.start}, {hit.end}) {where}: {hit.before}{hit.match}{hit.after}"
        return None


class ContextDelegate(QStyledItemDelegate):
    """Draws a hit in context with the match in bold (the view's palette: light or dark)."""

    def paint(self, painter, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        parts = index.data(CONTEXT_ROLE)
        if parts is None:
            super().paint(painter, option, index)
            return
        self.initStyleOption(option, index)
        style = option.widget.style() if option.widget else QApplication.style()
        option.text = ""
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, option, painter, option.widget)
        doc = _document(parts, option.font)
        context = QAbstractTextDocumentLayout.PaintContext()
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        context.palette.setColor(QPalette.ColorRole.Text, option.palette.color(role))
        rect = style.subElementRect(QStyle.SubElement.SE_ItemViewItemText, option, option.widget)
        painter.save()
        painter.translate(rect.left(), rect.top() + (rect.height() - doc.size().height()) / 2)
        painter.setClipRect(QRectF(0, 0, rect.width(), rect.height()))
        doc.documentLayout().draw(painter, context)
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex) -> QSize:
        parts = index.data(CONTEXT_ROLE)
        if parts is None:
            return super().sizeHint(option, index)
        doc = _document(parts, option.font)
        return QSize(int(doc.idealWidth()), int(doc.size().height()))


def _document(parts: tuple[str, str, str], font) -> QTextDocument:
    before, match, after = (html.escape(p) for p in parts)
    doc = QTextDocument()
    doc.setDefaultFont(font)
    doc.setDocumentMargin(0)
    doc.setHtml(f"<span style='white-space:pre'>{before}<b>{match}</b>{after}</span>")
    return doc


class SearchPanel(QDockWidget):
    """Dock: a query field over the list of hits. ``model`` holds the hits, ``field`` the
    query, ``results`` the table, ``summary`` the line saying how many were found.

    No signals of its own: a chosen hit is opened through ``controller.open_document`` and
    selected in the view."""

    def __init__(self, controller: Controller, parent=None):
        super().__init__("Search", parent)
        self.setObjectName("search_dock")
        self.controller = controller
        body = QWidget(self)
        layout = QVBoxLayout(body)
        layout.setContentsMargins(4, 4, 4, 4)
        self.field = QLineEdit(body)
        self.field.setObjectName("search_field")
        self.field.setPlaceholderText("Search the project: words, \"a phrase\", prefix*, speakers…")
        self.field.setClearButtonEnabled(True)
        self.summary = QLabel(body)
        self.summary.setObjectName("search_summary")
        self.model = SearchModel(self)
        self.results = QTableView(body)
        self.results.setObjectName("search_results")
        self.results.setModel(self.model)
        self.results.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.results.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.results.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.results.verticalHeader().hide()
        self.results.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.results.setWordWrap(False)
        self.results.setItemDelegateForColumn(2, ContextDelegate(self.results))
        header = self.results.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        header.resizeSection(0, 200)
        header.resizeSection(1, 170)
        for widget in (self.field, self.summary, self.results):
            layout.addWidget(widget)
        layout.setStretch(2, 1)
        self.setWidget(body)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DELAY_MS)
        self._timer.timeout.connect(self.run)
        self.field.textChanged.connect(lambda _t: self._timer.start())
        self.field.returnPressed.connect(self._enter_in_field)
        self.results.doubleClicked.connect(lambda index: self.open_hit(index.row()))
        self.results.installEventFilter(self)
        controller.change_applied.connect(self._project_changed)
        controller.reloaded.connect(self._project_changed)
        controller.read_only_changed.connect(lambda _on: self._project_changed())

    # --- actions -------------------------------------------------------------------------

    def show_search(self) -> None:
        """Ctrl+Shift+F: show the panel, the focus in its field (with the selected text)."""
        selected = self.controller.view.selection_range()
        if selected is not None:
            text = self.controller.view.text[selected[0]:selected[1]]
            if "\n" not in text and len(text) <= 100:
                self.field.setText(text)
        self.show()
        self.raise_()
        self.field.setFocus()
        self.field.selectAll()

    def run(self) -> None:
        """Search the project for the field's text now."""
        self._timer.stop()
        query = self.field.text()
        hits = search(self.controller.store, query) if query.strip() else []
        self.model.set_hits(hits)
        docs = len({h.document_id for h in hits if h.document_id is not None})
        self.summary.setText("" if not query.strip() else "Nothing found." if not hits else
                             f"{len(hits):,} hit{'s' * (len(hits) != 1)} in {docs:,} document{'s' * (docs != 1)}"
                             " — Enter opens the document at the hit")
        if hits:
            self.results.setCurrentIndex(self.model.index(0, 0))

    def open_hit(self, row: int) -> None:
        """Open the document of hit ``row`` with the hit selected; the article gets the focus."""
        if not 0 <= row < len(self.model.hits):
            return
        hit = self.model.hits[row]
        if hit.document_id is None:
            self.controller.message_posted.emit(f"{hit.speaker} has no mention in the project.")
            return
        ctl = self.controller
        if ctl.doc_id != hit.document_id:
            ctl.open_document(hit.document_id)
        if hit.kind == "title":
            ctl.view.set_cursor(0)
        else:
            ctl.view.select_range(hit.start, hit.end)
        ctl.view.setFocus()

    def _enter_in_field(self) -> None:
        if self._timer.isActive() or not self.model.hits:
            self.run()
        if self.model.hits:
            self.results.setFocus()

    def _project_changed(self, *_args) -> None:
        if self.field.text().strip() and self.isVisible():
            self._timer.start()

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt override
        """Enter on a result opens it."""
        if watched is self.results and isinstance(event, QKeyEvent) and event.type() == QKeyEvent.Type.KeyPress \
                and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.open_hit(self.results.currentIndex().row())
            return True
        return super().eventFilter(watched, event)
