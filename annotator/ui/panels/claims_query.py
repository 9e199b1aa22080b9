"""The Who Said What panel: the project's claims filtered by speaker, polarity, form, status
of the document and text (:func:`annotator.core.store.search.query_claims`, the same query as
``annotator claims``). Enter or a double-click opens the claim's document with the claim
current. The panel follows the controller's signals and queries again after edits."""
from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, Qt, QTimer
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QDockWidget, QFormLayout, QHBoxLayout, QHeaderView,
                               QLabel, QLineEdit, QTableView, QVBoxLayout, QWidget)

from annotator.core.store.search import NO_SPEAKER, ClaimRow, query_claims
from annotator.ui.panels.table_model import HeaderedTableModel, Index

if TYPE_CHECKING:
    from annotator.ui.controller import Controller

LIMIT = 5000  # rows shown at most (the summary says when there are more)
ANY = "(any)"


class ClaimRowsModel(HeaderedTableModel):
    """Rows: claims found. Columns: document, speaker, claim, form, polarity, intensity."""

    HEADERS = ("Document", "Speaker", "Claim", "Form", "Polarity", "Intensity")

    def __init__(self, parent=None):
        super().__init__(parent)
        self.rows: list[ClaimRow] = []

    def set_rows(self, rows: list[ClaimRow]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802 - Qt override
        return 0 if parent.isValid() else len(self.rows)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        r = self.rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return (f"{r.document_id}: {r.title}", r.speaker or "—", " ".join(r.text.split()),
                    r.form or "", r.polarity or "", r.intensity or "")[index.column()]
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{r.title} ({r.document_status})\n[{r.start}, {r.end}) {r.speaker or '(no speaker)'}: {r.text}"
        return None


class ClaimsQueryPanel(QDockWidget):
    """Dock: filters (``speaker``, ``polarity``, ``form``, ``status``, ``text``) over the
    claims found (``model``, shown in ``results``; ``summary`` counts them).

    No signals of its own: a chosen claim is opened through the controller."""

    def __init__(self, controller: Controller, parent=None):
        super().__init__("Who Said What", parent)
        self.setObjectName("claims_query_dock")
        self.controller = controller
        body = QWidget(self)
        self.speaker = QLineEdit(body)
        self.speaker.setPlaceholderText(f"name or alias ('{NO_SPEAKER}': none)")
        self.text = QLineEdit(body)
        self.text.setPlaceholderText("words in the claim")
        self.polarity, self.form, self.status = QComboBox(body), QComboBox(body), QComboBox(body)
        for name, widget in (("speaker", self.speaker), ("text", self.text), ("polarity", self.polarity),
                             ("form", self.form), ("status", self.status)):
            widget.setObjectName(f"claims_query_{name}")
        filters = QFormLayout()
        filters.addRow("&Speaker:", self.speaker)
        filters.addRow("&Text:", self.text)
        combos = QHBoxLayout()
        for label, combo in (("Polarity:", self.polarity), ("Form:", self.form), ("Status:", self.status)):
            combos.addWidget(QLabel(label, body))
            combos.addWidget(combo, 1)
        filters.addRow(combos)
        self.summary = QLabel(body)
        self.summary.setObjectName("claims_query_summary")
        self.model = ClaimRowsModel(self)
        self.results = QTableView(body)
        self.results.setObjectName("claims_query_results")
        self.results.setModel(self.model)
        self.results.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.results.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.results.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.results.verticalHeader().hide()
        self.results.setWordWrap(False)
        header = self.results.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        header.resizeSection(0, 160)
        header.resizeSection(1, 140)
        layout = QVBoxLayout(body)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(filters)
        layout.addWidget(self.summary)
        layout.addWidget(self.results, 1)
        self.setWidget(body)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(250)
        self._timer.timeout.connect(self.run)
        self.fill_choices()
        for field in (self.speaker, self.text):
            field.textChanged.connect(lambda _t: self._timer.start())
        for combo in (self.polarity, self.form, self.status):
            combo.currentIndexChanged.connect(lambda _i: self._timer.start())
        self.results.doubleClicked.connect(lambda index: self.open_claim(index.row()))
        self.results.installEventFilter(self)
        self.visibilityChanged.connect(lambda shown: self._timer.start() if shown else None)
        controller.change_applied.connect(self._project_changed)
        controller.reloaded.connect(self._project_changed)
        controller.read_only_changed.connect(lambda _on: (self.fill_choices(), self._project_changed()))

    def fill_choices(self) -> None:
        """The combo boxes' values from the project's schema ((any), the values, '-' none)."""
        schema = self.controller.store.schema
        for combo, values, none in ((self.polarity, schema.attributes.get("polarity", ()), True),
                                    (self.form, schema.attributes.get("form", ()), True),
                                    (self.status, schema.document_status, False)):
            kept = combo.currentData()
            blocked = combo.blockSignals(True)
            combo.clear()
            combo.addItem(ANY, None)
            for value in values:
                combo.addItem(value, value)
            if none:
                combo.addItem("(none)", NO_SPEAKER)
            combo.setCurrentIndex(max(0, combo.findData(kept)))
            combo.blockSignals(blocked)

    def filters(self) -> dict:
        """The filters as :func:`query_claims` keywords (None: not filtered)."""
        return {"speaker": self.speaker.text().strip() or None, "text": self.text.text().strip() or None,
                "polarity": self.polarity.currentData(), "form": self.form.currentData(),
                "status": self.status.currentData()}

    def run(self) -> None:
        """Query the claims with the filters now."""
        self._timer.stop()
        rows = query_claims(self.controller.store, limit=LIMIT + 1, **self.filters())
        more = len(rows) > LIMIT
        self.model.set_rows(rows[:LIMIT])
        n = len(self.model.rows)
        self.summary.setText(f"{'more than ' if more else ''}{n:,} claim{'s' * (n != 1)}"
                             + (" — Enter opens the claim" if n else ""))

    def open_claim(self, row: int) -> None:
        """Open the document of claim ``row`` with the claim current; the article gets the focus."""
        if not 0 <= row < len(self.model.rows):
            return
        r, ctl = self.model.rows[row], self.controller
        if ctl.doc_id != r.document_id:
            ctl.open_document(r.document_id)
        ctl.set_current(r.span_id)
        ctl.view.setFocus()

    def _project_changed(self, *_args) -> None:
        if self.isVisible():
            self._timer.start()

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt override
        """Enter on a result opens it."""
        if watched is self.results and isinstance(event, QKeyEvent) and event.type() == QKeyEvent.Type.KeyPress \
                and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.open_claim(self.results.currentIndex().row())
            return True
        return super().eventFilter(watched, event)
