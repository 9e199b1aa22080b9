"""Sorting and filtering for the panels' tables (Documents, Claims): a
``QSortFilterProxyModel`` between the table model and its view, and a filter bar above it
(text in any column, case and accents ignored; a value of one column, e.g. the status).

A click on a column header sorts by it (again: the other way; a third time: back to the
model's own order). The panels keep talking in their model's rows; they map a view index
with :meth:`TableFilterProxy.source_row` and a model row with :meth:`TableFilterProxy.view_row`.
"""
from __future__ import annotations

from typing import Sequence

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLineEdit, QTableView, QVBoxLayout, QWidget

from annotator.core.text_search import fold

ANY = "(all)"


class TableFilterProxy(QSortFilterProxyModel):
    """Sorts by any column (numbers as numbers, text case-insensitively; unsorted: the
    model's order) and keeps the rows whose text holds :attr:`text` in some column and whose
    ``value_column`` equals :attr:`value` (when set). No signals of its own."""

    def __init__(self, source, value_column: int | None = None, parent=None):
        super().__init__(parent)
        self.setSourceModel(source)
        self.setSortCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setDynamicSortFilter(True)
        self.value_column = value_column
        self.text = ""
        self.value: str | None = None

    def set_text(self, text: str) -> None:
        """Keep the rows holding ``text`` in some column ("" keeps all)."""
        self.beginFilterChange()
        self.text = fold(text.strip())
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def set_value(self, value: str | None) -> None:
        """Keep the rows whose ``value_column`` shows ``value`` (None keeps all)."""
        self.beginFilterChange()
        self.value = value
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, row: int, parent: QModelIndex | QPersistentModelIndex) -> bool:  # noqa: N802
        source = self.sourceModel()
        if self.value is not None and self.value_column is not None:
            if str(source.index(row, self.value_column, parent).data() or "") != self.value:
                return False
        if not self.text:
            return True
        return any(self.text in fold(str(source.index(row, c, parent).data() or ""))
                   for c in range(source.columnCount(parent)))

    def source_row(self, index: QModelIndex | QPersistentModelIndex) -> int:
        """The model row of a view index (-1 if invalid)."""
        return self.mapToSource(index).row() if index.isValid() else -1

    def view_row(self, row: int) -> int:
        """The view row of model row ``row`` (-1: filtered out or none)."""
        if row < 0:
            return -1
        return self.mapFromSource(self.sourceModel().index(row, 0)).row()


def sortable(view: QTableView, source, value_column: int | None = None) -> TableFilterProxy:
    """Put a :class:`TableFilterProxy` between ``source`` and ``view`` and turn header-click
    sorting on (no column sorted at first). Returns the proxy."""
    proxy = TableFilterProxy(source, value_column, view)
    view.setModel(proxy)
    header = view.horizontalHeader()
    header.setSortIndicatorClearable(True)
    header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
    view.setSortingEnabled(True)
    return proxy


def with_filter_bar(view: QTableView, proxy: TableFilterProxy, values: Sequence[str] = (),
                    name: str = "table") -> QWidget:
    """A widget holding a filter bar (a text field, and a combo box of ``values`` when
    given) above ``view``. The widgets are named ``<name>_filter_text`` / ``_filter_value``."""
    box = QWidget()
    text = QLineEdit(box)
    text.setObjectName(f"{name}_filter_text")
    text.setPlaceholderText("Filter")
    text.setClearButtonEnabled(True)
    text.textChanged.connect(proxy.set_text)
    bar = QHBoxLayout()
    bar.setContentsMargins(0, 0, 0, 0)
    bar.addWidget(text, 1)
    if values:
        combo = QComboBox(box)
        combo.setObjectName(f"{name}_filter_value")
        combo.addItem(ANY, None)
        for value in values:
            combo.addItem(value, value)
        combo.currentIndexChanged.connect(lambda _i: proxy.set_value(combo.currentData()))
        bar.addWidget(combo)
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(2)
    layout.addLayout(bar)
    layout.addWidget(view, 1)
    return box
