"""The Documents panel: every document of the project with its status and span count.

:class:`DocumentsModel` is a thin adapter over ``store.document_infos()``; it follows
Changes row by row (status / title / polarity of a document, +1 / -1 spans) and only
re-reads the list when documents are added or deleted (an import).
"""
from __future__ import annotations

from bisect import bisect_left
from dataclasses import replace

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtWidgets import QAbstractItemView, QDockWidget, QHeaderView, QTableView

from annotator.core.model import ACCEPTED, DocumentInfo
from annotator.core.store import Change, Store
from annotator.ui.events import OpenedDocument, ProjectEvents
from annotator.ui.panels.documents_proxy import StoreOrderProxy
from annotator.ui.panels.table_filter import with_filter_bar
from annotator.ui.panels.table_model import HeaderedTableModel, Index


class DocumentsModel(HeaderedTableModel):
    """Rows: documents in import order. Columns: title, status, spans.

    Lazy over the store: it holds every document id (one cheap query) and reads the rows
    shown, :data:`PAGE` at a time (``store.document_infos(ids)``), keeping the last
    :data:`PAGES` pages. So a project of 50,000 documents opens without reading them, and a
    view only asks for the rows on screen."""

    HEADERS = ("Title", "Status", "Spans")
    PAGE = 200
    PAGES = 32

    def __init__(self, store: Store, parent=None):
        super().__init__(parent)
        self.store = store
        self._ids: list[int] = store.document_ids()
        self._pages: dict[int, list[DocumentInfo]] = {}
        self.pages_read = 0  # pages read from the store since the model was made (tests)

    def reload(self, store: Store | None = None) -> None:
        """Re-read the ids and forget the rows (after an import or when another project opens)."""
        self.beginResetModel()
        self.store = store or self.store
        self._ids = self.store.document_ids()
        self._pages.clear()
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802 - Qt override
        return 0 if parent.isValid() else len(self._ids)

    def info(self, row: int) -> DocumentInfo:
        """The row ``row`` (0 <= row < rowCount), read with its page when not in memory."""
        page_no, at = divmod(row, self.PAGE)
        page = self._pages.get(page_no)
        if page is None:
            ids = self._ids[page_no * self.PAGE:(page_no + 1) * self.PAGE]
            found = {info.id: info for info in self.store.document_infos(doc_ids=ids)}
            # a document deleted by another connection since: an empty row until the reload
            page = [found.get(i) or DocumentInfo(i, "", "", None, 0, 0) for i in ids]
            if len(self._pages) >= self.PAGES:
                self._pages.pop(next(iter(self._pages)))
            self._pages[page_no] = page
            self.pages_read += 1
        return page[at]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            info = self.info(index.row())
            return (info.title, info.status, info.span_count)[index.column()]
        if role == Qt.ItemDataRole.ToolTipRole:
            info = self.info(index.row())
            polarity = f", polarity {info.polarity}" if info.polarity else ""
            return f"{info.title}\n{info.length} characters, {info.span_count} annotations, {info.status}{polarity}"
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() == 2:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def doc_id(self, row: int) -> int:
        return self._ids[row]

    def row_of(self, doc_id: int) -> int:
        row = bisect_left(self._ids, doc_id)
        return row if row < len(self._ids) and self._ids[row] == doc_id else -1

    def ids(self) -> list[int]:
        return list(self._ids)

    def ids_view(self) -> list[int]:
        """The ids in row order, not copied (read-only use: sorting and filtering)."""
        return self._ids

    def apply_change(self, change: Change) -> None:
        """Follow ``change``: new or deleted documents re-read the ids, rows in memory update
        (the others are read as they are when shown)."""
        docs = change.documents
        if docs.added or docs.removed:
            self.reload()
            return
        deltas: dict[int, int] = {}
        for before, after in change.spans.pairs():  # span_count counts accepted spans
            was, now = before is not None and before.status == ACCEPTED, after is not None and after.status == ACCEPTED
            if was != now:
                doc_id = (after or before).document_id
                deltas[doc_id] = deltas.get(doc_id, 0) + (1 if now else -1)
        fields = {after.id: after for _, after in docs.changed}
        for doc_id in set(deltas) | set(fields):
            row = self.row_of(doc_id)
            if row < 0:
                continue
            page = self._pages.get(row // self.PAGE)
            if page is not None:
                info = page[row % self.PAGE]
                after = fields.get(doc_id)
                if after is not None:
                    info = replace(info, title=after.title, status=after.status, polarity=after.polarity)
                page[row % self.PAGE] = replace(info, span_count=info.span_count + deltas.get(doc_id, 0))
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
        # sort by any column and filter, done by the store (never a Qt proxy over every row)
        self.proxy = StoreOrderProxy(self.model, self.view)
        self.view.setModel(self.proxy)
        header = self.view.horizontalHeader()
        header.setSortIndicatorClearable(True)
        header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.view.setSortingEnabled(True)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)  # File > Export As > Scope
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.verticalHeader().hide()
        self.view.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.view.setWordWrap(False)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        # Fixed widths measured once from the status names and the header: a column sized to
        # its contents re-measures every row at each dataChanged (55 ms per edit at 1,000
        # documents), and would read every row of the lazy model.
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Interactive)
        self._size_columns(store)
        self.setWidget(with_filter_bar(self.view, self.proxy, store.schema.document_status, "documents"))
        self._quiet = False
        self.doc_id: int | None = None  # the document shown in the window
        self.view.selectionModel().currentRowChanged.connect(self._row_changed)

    def _size_columns(self, store: Store) -> None:
        """Width of the Status column: its widest status name or header; Spans: "Spans" or
        six digits, whichever is wider; plus the cell margins."""
        metrics = self.view.fontMetrics()
        header = self.view.horizontalHeader()
        pad = 2 * self.view.style().pixelMetric(self.view.style().PixelMetric.PM_FocusFrameHMargin) + 16
        statuses = list(store.schema.document_status) or ["in progress"]
        for column, samples in ((1, statuses), (2, ["000000"])):
            title = self.model.HEADERS[column]
            text_width = max(metrics.horizontalAdvance(t) for t in samples)
            header_width = header.fontMetrics().horizontalAdvance(title) + 16
            header.resizeSection(column, max(text_width + pad, header_width))

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
        ids = self.model.ids_view()
        self.model.apply_change(change)
        if self.model.ids_view() is not ids and self.model.ids_view() != ids:  # the list was re-read
            self.show_current(self.doc_id)

    def _row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not self._quiet and current.isValid():
            self.open_requested.emit(self.model.doc_id(self.proxy.source_row(current)))

    def show_current(self, doc_id: int | None) -> None:
        """Select ``doc_id``'s row without asking to open it again."""
        row = self.proxy.view_row(self.model.row_of(doc_id) if doc_id is not None else -1)
        self._quiet = True
        try:
            if row < 0:
                self.view.clearSelection()
            else:
                self.view.selectRow(row)
                self.view.scrollTo(self.proxy.index(row, 0))
        finally:
            self._quiet = False
