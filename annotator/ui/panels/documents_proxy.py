"""The Documents table's sorting and filtering, done by the store (issue 10): a
``QSortFilterProxyModel`` asks its source for every row to sort or filter it, which reads all
50,000 documents of a large project and defeats the lazy
:class:`~annotator.ui.panels.documents.DocumentsModel`. :class:`StoreOrderProxy` keeps no
row of its own: unsorted and unfiltered it is the model's order itself; a header click or
the filter bar asks :meth:`Store.document_order` for the ids in their new order (one query)
and maps rows through that list. Qt asks it only for the rows on screen.

Its API is the one of :class:`~annotator.ui.panels.table_filter.TableFilterProxy` that the
panel and the filter bar use (``set_text``, ``set_value``, ``source_row``, ``view_row``).
After an edit rows keep their places until the next sort or filter (no re-sorting per edit).
"""
from __future__ import annotations

from bisect import bisect_left

from PySide6.QtCore import QAbstractProxyModel, QModelIndex, QPersistentModelIndex, Qt

Index = QModelIndex | QPersistentModelIndex
COLUMNS = ("title", "status", "spans")  # the model's columns, as Store.document_order names them


class StoreOrderProxy(QAbstractProxyModel):
    """The Documents model, sorted and filtered by the store. No signals of its own."""

    def __init__(self, source, parent=None):
        super().__init__(parent)
        self._rows: list[int] | None = None  # view row -> model row; None: the model's own order
        self._position: dict[int, int] = {}
        self.sort_column, self.sort_order = -1, Qt.SortOrder.AscendingOrder
        self.text = ""
        self.value: str | None = None
        self.setSourceModel(source)
        source.modelReset.connect(self._source_reset)
        source.dataChanged.connect(self._source_data_changed)

    # --- the order -------------------------------------------------------------------------

    def _recompute(self) -> None:
        source = self.sourceModel()
        if self.sort_column < 0 and not self.text and self.value is None:
            self._rows, self._position = None, {}
            return
        column = COLUMNS[self.sort_column] if self.sort_column >= 0 else "id"
        ids = source.store.document_order(column, self.sort_order == Qt.SortOrder.DescendingOrder,
                                          self.value, self.text)
        all_ids = source.ids_view()
        rows = []
        for doc_id in ids:
            row = bisect_left(all_ids, doc_id)
            if row < len(all_ids) and all_ids[row] == doc_id:
                rows.append(row)
        self._rows = rows
        self._position = {row: n for n, row in enumerate(rows)}

    def _reorder(self) -> None:
        """New order: rows move (``layoutChanged``), the selection and current row follow
        their documents (persistent indexes), a row filtered out loses them."""
        self.layoutAboutToBeChanged.emit()
        persistent = self.persistentIndexList()
        sources = [self.source_row(i) for i in persistent]
        self._recompute()
        moved = []
        for index, source in zip(persistent, sources):
            row = self.view_row(source)
            moved.append(self.index(row, index.column()) if row >= 0 else QModelIndex())
        self.changePersistentIndexList(persistent, moved)
        self.layoutChanged.emit()

    def _source_reset(self) -> None:
        self.beginResetModel()
        self._recompute()
        self.endResetModel()

    def _source_data_changed(self, top: QModelIndex, bottom: QModelIndex, roles=()) -> None:
        for row in range(top.row(), bottom.row() + 1):
            view = self.view_row(row)
            if view >= 0:
                self.dataChanged.emit(self.index(view, top.column()), self.index(view, bottom.column()))

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:  # noqa: D102
        self.sort_column, self.sort_order = column, order
        self._reorder()

    def set_text(self, text: str) -> None:
        """Keep the documents whose title or status holds ``text`` ("" keeps all)."""
        self.text = text.strip()
        self._reorder()

    def set_value(self, value: str | None) -> None:
        """Keep the documents with status ``value`` (None keeps all)."""
        self.value = value
        self._reorder()

    # --- rows ------------------------------------------------------------------------------

    def source_row(self, index: Index) -> int:
        """The model row of a view index (-1 if invalid)."""
        return self.mapToSource(index).row() if index.isValid() else -1

    def view_row(self, row: int) -> int:
        """The view row of model row ``row`` (-1: filtered out or none)."""
        if row < 0:
            return -1
        if self._rows is None:
            return row if row < self.sourceModel().rowCount() else -1
        return self._position.get(row, -1)

    # --- QAbstractProxyModel ------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802 - Qt override
        if parent.isValid():
            return 0
        return self.sourceModel().rowCount() if self._rows is None else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802 - Qt override
        return 0 if parent.isValid() else self.sourceModel().columnCount()

    def index(self, row: int, column: int, parent: Index = QModelIndex()) -> QModelIndex:
        if parent.isValid() or not (0 <= row < self.rowCount() and 0 <= column < self.columnCount()):
            return QModelIndex()
        return self.createIndex(row, column)

    def parent(self, _index: Index = QModelIndex()) -> QModelIndex:  # noqa: D102
        return QModelIndex()

    def mapToSource(self, index: Index) -> QModelIndex:  # noqa: N802 - Qt override
        if not index.isValid():
            return QModelIndex()
        row = index.row() if self._rows is None else self._rows[index.row()]
        return self.sourceModel().index(row, index.column())

    def mapFromSource(self, index: Index) -> QModelIndex:  # noqa: N802 - Qt override
        if not index.isValid():
            return QModelIndex()
        row = self.view_row(index.row())
        return self.index(row, index.column()) if row >= 0 else QModelIndex()

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):  # noqa: N802
        return self.sourceModel().headerData(section, orientation, role)
