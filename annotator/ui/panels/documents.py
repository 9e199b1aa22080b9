"""The Documents panel: every document of the project with its status and span count.

:class:`DocumentsModel` is a thin adapter over ``store.document_infos()``; it follows
Changes row by row (status / title / polarity of a document, +1 / -1 spans) and only
re-reads the list when documents are added or deleted (an import).
"""
from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtWidgets import QAbstractItemView, QDockWidget, QHeaderView, QTableView

from annotator.core.model import ACCEPTED, DocumentInfo
from annotator.core.store import Change, Store
from annotator.ui.events import OpenedDocument, ProjectEvents
from annotator.ui.panels.table_model import HeaderedTableModel, Index


class DocumentsModel(HeaderedTableModel):
    """Rows: documents in import order. Columns: title, status, spans."""

    HEADERS = ("Title", "Status", "Spans")

    def __init__(self, store: Store, parent=None):
        super().__init__(parent)
        self.store = store
        self._infos: list[DocumentInfo] = store.document_infos()

    def reload(self, store: Store | None = None) -> None:
        """Re-read every document (after an import or when another project opens)."""
        self.beginResetModel()
        self.store = store or self.store
        self._infos = self.store.document_infos()
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._infos)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        info = self._infos[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return (info.title, info.status, info.span_count)[index.column()]
        if role == Qt.ItemDataRole.ToolTipRole:
            polarity = f", polarity {info.polarity}" if info.polarity else ""
            return f"{info.title}\n{info.length} characters, {info.span_count} annotations, {info.status}{polarity}"
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() == 2:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def doc_id(self, row: int) -> int:
        return self._infos[row].id

    def row_of(self, doc_id: int) -> int:
        for row, info in enumerate(self._infos):
            if info.id == doc_id:
                return row
        return -1

    def ids(self) -> list[int]:
        return [info.id for info in self._infos]

    def apply_change(self, change: Change) -> None:
        """Follow ``change``: new or deleted documents re-read the list, other rows update."""
        if change.documents.added or change.documents.removed:
            self.reload()
            return
        deltas: dict[int, int] = {}
        for before, after in change.spans.pairs():  # span_count counts accepted spans
            was, now = before is not None and before.status == ACCEPTED, after is not None and after.status == ACCEPTED
            if was != now:
                doc_id = (after or before).document_id
                deltas[doc_id] = deltas.get(doc_id, 0) + (1 if now else -1)
        fields = {after.id: after for _, after in change.documents.changed}
        for doc_id in set(deltas) | set(fields):
            row = self.row_of(doc_id)
            if row < 0:
                continue
            info = self._infos[row]
            after = fields.get(doc_id)
            if after is not None:
                info = replace(info, title=after.title, status=after.status, polarity=after.polarity)
            self._infos[row] = replace(info, span_count=info.span_count + deltas.get(doc_id, 0))
            self.dataChanged.emit(self.index(row, 0), self.index(row, len(self.HEADERS) - 1))


class DocumentsPanel(QDockWidget):
    """Dock listing the documents; choosing one asks to open it. It follows the window's
    events once :meth:`follow` connected it.

    Signals: ``open_requested(int)`` a document id chosen by click or keys.
    """

    open_requested = Signal(int)

    def __init__(self, store: Store, parent=None):
        super().__init__("Documents", parent)
        self.setObjectName("documents_dock")
        self.model = DocumentsModel(store, self)
        self.view = QTableView(self)
        self.view.setObjectName("documents_view")
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.verticalHeader().hide()
        self.view.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.view.setWordWrap(False)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.setWidget(self.view)
        self._quiet = False
        self.doc_id: int | None = None  # the document shown in the window
        self.view.selectionModel().currentRowChanged.connect(self._row_changed)

    # --- the window's events (annotator.ui.events) ---------------------------------------------

    def follow(self, events: ProjectEvents) -> None:
        """Follow the window's events: another project re-reads the list, an opened document
        is selected (a reload re-reads the list first), a Change updates the rows (and when
        it added or removed documents, the shown one is selected again)."""
        events.store_replaced.connect(self.model.reload)
        events.document_opened.connect(self._document_opened)
        events.change_applied.connect(self._change_applied)

    def _document_opened(self, opened: OpenedDocument) -> None:
        if opened.reloaded:
            self.model.reload()
        self.doc_id = opened.id
        self.show_current(opened.id)

    def _change_applied(self, change: Change) -> None:
        ids = self.model.ids()
        self.model.apply_change(change)
        if self.model.ids() != ids:  # the list was re-read
            self.show_current(self.doc_id)

    def _row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not self._quiet and current.isValid():
            self.open_requested.emit(self.model.doc_id(current.row()))

    def show_current(self, doc_id: int | None) -> None:
        """Select ``doc_id``'s row without asking to open it again."""
        row = self.model.row_of(doc_id) if doc_id is not None else -1
        self._quiet = True
        try:
            if row < 0:
                self.view.clearSelection()
            else:
                self.view.selectRow(row)
                self.view.scrollTo(self.model.index(row, 0))
        finally:
            self._quiet = False
