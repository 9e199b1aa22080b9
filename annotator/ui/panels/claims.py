"""The Claims panel: the current document's claims, with editable speaker and attributes,
and the cue each claim is linked to.

:class:`ClaimsModel` is a thin adapter over the claim spans of one document, kept in text
order; it follows Changes row by row (insert / remove / dataChanged), never re-reading the
document. Edits made in its cells are handed to ``edit_requested(claim_id, field, value)``
(the controller turns them into store operations on the undo stack).

A claim without a cue or without a source mention (PARC 3.0 wants both) is *incomplete*: its
Claim cell shows a warning icon and says what is missing in its tooltip, and the filter bar's
"Incomplete" box keeps those claims only.
"""
from __future__ import annotations

from bisect import bisect_left
from typing import Callable

from PySide6.QtCore import QModelIndex, QSortFilterProxyModel, Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QAbstractItemView, QCheckBox, QDockWidget, QHeaderView, QTableView

from annotator.core.model import ACCEPTED, CLAIM, CUE, Span
from annotator.core.store import Change, Store
from annotator.ui.events import Current, OpenedDocument, ProjectEvents
from annotator.ui.panels.delegates import ComboDelegate
from annotator.ui.icons import icon
from annotator.ui.panels.table_filter import TableFilterProxy, with_filter_bar
from annotator.ui.panels.table_model import HeaderedTableModel, Index

POLARITY_TINTS = {"positive": "#d8f0d8", "negative": "#f7d6d6", "neutral": "#e8e8e8", "mixed": "#eadcf5"}


def _key(span: Span) -> tuple[int, int, int]:
    return (span.start, span.end, span.id)


def missing_links(claim: Span) -> list[str]:
    """What an accepted claim lacks to be complete: "cue", "source" (its speaker mention), in
    that order; [] when it has both (PARC 3.0: a claim has a source, a cue and a content)."""
    return [name for name, value in (("cue", claim.cue_id), ("source", claim.source_id)) if value is None]


class ClaimsModel(HeaderedTableModel):
    """Rows: claims by position. Columns: text, speaker, form, polarity, intensity, cue (the
    text of the cue span the claim is linked to, "—" without one). The Claim cell of an
    incomplete claim (:func:`missing_links`) has a warning icon and a tooltip that says what
    is missing; ``INCOMPLETE_ROLE`` gives True for it."""

    HEADERS = ("Claim", "Speaker", "Form", "Polarity", "Intensity", "Cue")
    FIELDS = (None, "speaker", "form", "polarity", "intensity", None)
    CUE_COLUMN = 5
    INCOMPLETE_ROLE = Qt.ItemDataRole.UserRole + 1

    def __init__(self, parent=None):
        super().__init__(parent)
        self.text = ""
        self.doc_id: int | None = None
        self._claims: list[Span] = []
        self.names: dict[int, str] = {}
        self.cues: dict[int, Span] = {}  # the document's cue spans by id
        self._incomplete_icon = None
        self.read_only = False  # a read-only project: no cell is editable
        self.applying = False  # rows are being inserted / removed by apply_change
        self.edit_requested: Callable[[int, str, object], None] = lambda *_: None

    def set_document(self, doc_id: int | None, text: str, spans: list[Span], names: dict[int, str]) -> None:
        self.beginResetModel()
        self.doc_id, self.text, self.names = doc_id, text, dict(names)
        self._claims = sorted((s for s in spans if s.label == CLAIM), key=_key)
        self.cues = {s.id: s for s in spans if s.label == CUE}
        self.endResetModel()

    def apply_change(self, change: Change) -> None:
        """Follow the rows of ``change`` that concern this document's claims or entity names.
        While it runs, ``applying`` is True: the table's current row moves when rows go,
        and that move is no choice of the user's."""
        self.applying = True
        try:
            self._apply(change)
        finally:
            self.applying = False

    def _apply(self, change: Change) -> None:
        for before, after in change.entities.pairs():
            if after is None:
                self.names.pop(before.id, None)
            else:
                self.names[after.id] = after.name
        if change.entities and self._claims:
            self.dataChanged.emit(self.index(0, 1), self.index(len(self._claims) - 1, 1))
        cues_changed = False
        for before, after in change.spans.pairs():
            span = after or before
            if span.label == CUE and span.document_id == self.doc_id:
                self.cues.pop(span.id, None)
                if after is not None:
                    self.cues[after.id] = after
                cues_changed = True
            if span.label != CLAIM or span.document_id != self.doc_id:
                continue
            old = self.row_of(span.id)
            new = after if after is not None and after.status == ACCEPTED else None  # the list shows accepted claims
            if old >= 0 and new is not None and _key(self._claims[old]) == _key(new):
                self._claims[old] = new
                self.dataChanged.emit(self.index(old, 0), self.index(old, len(self.HEADERS) - 1))
                continue
            if old >= 0:
                self.beginRemoveRows(QModelIndex(), old, old)
                del self._claims[old]
                self.endRemoveRows()
            if new is not None:
                at = bisect_left([_key(s) for s in self._claims], _key(new))
                self.beginInsertRows(QModelIndex(), at, at)
                self._claims.insert(at, new)
                self.endInsertRows()
        if cues_changed and self._claims:  # a cue's text changed, or it came back with an undo
            self.dataChanged.emit(self.index(0, self.CUE_COLUMN), self.index(len(self._claims) - 1, self.CUE_COLUMN))

    # --- Qt model ---------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._claims)

    def flags(self, index: Index) -> Qt.ItemFlag:
        flags = super().flags(index)
        editable = self.FIELDS[index.column()] is not None and not self.read_only
        return flags | Qt.ItemFlag.ItemIsEditable if editable else flags

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        claim = self._claims[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 0:
                return " ".join(claim.text(self.text).split())
            if column == 1:
                return self.names.get(claim.speaker_id, "—") if claim.speaker_id is not None else "—"
            if column == self.CUE_COLUMN:
                cue = self.cues.get(claim.cue_id) if claim.cue_id is not None else None
                return " ".join(cue.text(self.text).split()) if cue is not None else "—"
            return getattr(claim, self.FIELDS[column]) or ""
        if role == Qt.ItemDataRole.EditRole:
            if column == self.CUE_COLUMN:
                return None
            return claim.speaker_id if column == 1 else getattr(claim, self.FIELDS[column]) if column else None
        if role == self.INCOMPLETE_ROLE:
            return bool(missing_links(claim))
        if role == Qt.ItemDataRole.DecorationRole and column == 0 and missing_links(claim):
            if self._incomplete_icon is None:
                self._incomplete_icon = icon("incomplete", "panels")
            return self._incomplete_icon
        if role == Qt.ItemDataRole.ToolTipRole and column == 0:
            target = f"\ntarget: {claim.target}" if claim.target else ""
            missing = missing_links(claim)
            incomplete = (f"\nIncomplete: no {' and no '.join(missing)} linked (select it, then press L "
                          "on its cue or speaker mention)") if missing else ""
            return f"{claim.text(self.text)}{target}{incomplete}"
        if role == Qt.ItemDataRole.ToolTipRole and column == self.CUE_COLUMN and claim.cue_id is None:
            return "No cue linked: make the cue current, then press L"
        if role == Qt.ItemDataRole.BackgroundRole and column == 3 and claim.polarity in POLARITY_TINTS:
            return QBrush(QColor(POLARITY_TINTS[claim.polarity]))
        return None

    def setData(self, index: Index, value, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or self.FIELDS[index.column()] is None:
            return False
        claim = self._claims[index.row()]
        if value != self.data(index, Qt.ItemDataRole.EditRole):
            self.edit_requested(claim.id, self.FIELDS[index.column()], value)
        return True

    # --- lookups ----------------------------------------------------------------------

    def claim_at(self, row: int) -> Span | None:
        return self._claims[row] if 0 <= row < len(self._claims) else None

    def row_of(self, claim_id: int) -> int:
        return next((row for row, c in enumerate(self._claims) if c.id == claim_id), -1)


class ClaimsPanel(QDockWidget):
    """Dock with the claims table. Double-click (or F2) a cell to change it. It follows the
    window's events once :meth:`follow` connected it.

    Signals: ``claim_activated(int)`` a claim id clicked or chosen by keys (never when the
    current row moves because rows were removed: an undo must not make another claim current);
    ``edit_requested(int, str, object)`` claim id, field (speaker, form, polarity,
    intensity) and new value (an entity id for speaker; None clears).
    """

    claim_activated = Signal(int)
    edit_requested = Signal(int, str, object)

    def __init__(self, store: Store, parent=None):
        super().__init__("Claims", parent)
        self.setObjectName("claims_dock")
        self.store = store
        self.model = ClaimsModel(self)
        self.model.edit_requested = self.edit_requested.emit
        self.view = QTableView(self)
        self.view.setObjectName("claims_view")
        self.proxy = ClaimsProxy(self.model, value_column=3, parent=self.view)  # sort, filter (polarity, incomplete)
        _sortable(self.view, self.proxy)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked | QAbstractItemView.EditTrigger.EditKeyPressed)
        self.view.verticalHeader().hide()
        self.view.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.view.setWordWrap(False)
        self.view.setItemDelegateForColumn(1, ComboDelegate(self._speaker_choices, self.view))
        for column in (2, 3, 4):
            name = ClaimsModel.FIELDS[column]
            self.view.setItemDelegateForColumn(column, ComboDelegate(
                lambda _i, n=name: [("—", None)] + [(v, v) for v in self.store.schema.attributes.get(n, ())], self.view))
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        box = with_filter_bar(self.view, self.proxy, store.schema.attributes.get("polarity", ()), "claims")
        self.incomplete = QCheckBox("Inco&mplete", box)
        self.incomplete.setObjectName("claims_filter_incomplete")
        self.incomplete.setToolTip("Show only the claims without a cue or a source mention")
        self.incomplete.toggled.connect(self.proxy.set_incomplete_only)
        box.layout().itemAt(0).layout().addWidget(self.incomplete)  # the filter bar, after its text and value
        self.setWidget(box)
        self._quiet = False
        self.view.selectionModel().currentRowChanged.connect(self._row_changed)
        self.view.clicked.connect(lambda index: self._activate(self.proxy.source_row(index)))

    # --- the window's events (annotator.ui.events) ---------------------------------------------

    def follow(self, events: ProjectEvents) -> None:
        """Follow the window's events: another project, an opened document (its claims and
        the project's speaker names), each Change, the current claim (selected), the
        read-only state; a cell being edited holds a reload back."""
        events.store_replaced.connect(self._store_replaced)
        events.document_opened.connect(self._document_opened)
        events.change_applied.connect(self.model.apply_change)
        events.current_changed.connect(self._current_changed)
        events.read_only_changed.connect(self.set_read_only)
        events.add_editor(lambda: self.view.state() == QAbstractItemView.State.EditingState)

    def _store_replaced(self, store: Store) -> None:
        self.store = store

    def _document_opened(self, opened: OpenedDocument) -> None:
        self.model.set_document(opened.id, opened.text, opened.spans, {e.id: e.name for e in self.store.entities()})

    def _current_changed(self, current: Current) -> None:
        if current.moved:
            self.show_current(current.claim_id)

    def set_read_only(self, on: bool) -> None:
        """A read-only project: the cells cannot be edited (the list still navigates)."""
        self.model.read_only = on
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers if on else
                                  QAbstractItemView.EditTrigger.DoubleClicked | QAbstractItemView.EditTrigger.EditKeyPressed)

    def _speaker_choices(self, _index) -> list[tuple[str, object]]:
        return [("—", None)] + [(e.name, e.id) for e in self.store.entities()]

    def _row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid() and not self.model.applying:  # (removed rows move the current row)
            self._activate(self.proxy.source_row(current))

    def _activate(self, row: int) -> None:
        claim = self.model.claim_at(row)
        if claim is not None and not self._quiet:
            self.claim_activated.emit(claim.id)

    def show_current(self, span_id: int | None) -> None:
        """Select the claim ``span_id`` (or nothing) without re-announcing it."""
        row = self.proxy.view_row(self.model.row_of(span_id) if span_id is not None else -1)
        self._quiet = True
        try:
            if row < 0:
                self.view.clearSelection()
            elif self.view.currentIndex().row() != row:
                self.view.setCurrentIndex(self.proxy.index(row, 0))
                self.view.scrollTo(self.proxy.index(row, 0))
        finally:
            self._quiet = False


class ClaimsProxy(TableFilterProxy):
    """The claims table's sorting and filtering (:class:`TableFilterProxy`), which can also
    keep only the incomplete claims (:meth:`set_incomplete_only`). No signals of its own."""

    incomplete_only = False

    def set_incomplete_only(self, on: bool) -> None:
        """Keep only the claims without a cue or a source (False: all)."""
        self.beginFilterChange()
        self.incomplete_only = bool(on)
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, row: int, parent) -> bool:  # noqa: N802 - Qt override
        if self.incomplete_only and not self.sourceModel().index(row, 0, parent).data(ClaimsModel.INCOMPLETE_ROLE):
            return False
        return super().filterAcceptsRow(row, parent)


def _sortable(view: QTableView, proxy: ClaimsProxy) -> None:
    """Show ``proxy`` in ``view``, sorted by a click on a header (as
    :func:`~annotator.ui.panels.table_filter.sortable` does with its own proxy)."""
    view.setModel(proxy)
    header = view.horizontalHeader()
    header.setSortIndicatorClearable(True)
    header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
    view.setSortingEnabled(True)
