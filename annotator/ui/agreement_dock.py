"""The Agreement dock (issue 11): the measures of ``annotator agreement`` in the window.

Per layer (speaker, cue, claim, attribution) and overall, per pair of annotators, per
document and in total: span F1 exact and overlap, attribution F1, token-wise Krippendorff's
alpha, Cohen's kappa and the spans only one of a pair has (:func:`annotator.cli_agreement.project_reports`,
the same functions as the command; the gold layer is not an annotator there). When the
project has a gold layer, each annotator is also scored against it (precision, recall, F1,
kappa). The hardest documents are listed (the lowest kappa against the gold, else the
lowest alpha between the annotators); Enter (or a double click) on a document opens it.

The computation runs in a worker thread on its own connection to the project
(:func:`annotator.ui.background.open_store`, read-only), so the window stays responsive on
a large project; an in-memory project (tests) is computed at once. A result that arrives
after the project was replaced is dropped. Ctrl+Alt+R (View > Agreement) shows the dock and
computes.
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, QObject, Qt, QThread, Signal
from PySide6.QtWidgets import (QAbstractItemView, QDockWidget, QHBoxLayout, QLabel, QPushButton, QTableWidget,
                               QTableWidgetItem, QTabWidget, QVBoxLayout, QWidget)

from annotator.cli_agreement import project_reports
from annotator.ui import background

LAYER_ROWS = ("speaker", "cue", "claim", "attribution")
UNNAMED = "(unnamed)"


def fmt(value) -> str:
    """A measure as shown: three decimals, "–" when undefined (None)."""
    return "–" if value is None else f"{value:.3f}"


class _Job(QThread):
    """Computes :func:`project_reports` on its own read-only connection to ``path``;
    ``finished_with(result)``: the reports, or the exception raised."""

    finished_with = Signal(object)

    def __init__(self, path: Path, parent: QObject | None = None):
        super().__init__(parent)
        self.path = path

    def run(self) -> None:
        store = None
        try:
            store = background.open_store(self.path, read_only=True)
            result = project_reports(store)
        except Exception as exc:  # noqa: BLE001 - shown in the dock, in the GUI thread
            result = exc
        finally:
            if store is not None:
                store.close()
        self.finished_with.emit(result)


class AgreementDock(QDockWidget):
    """Signals: ``computed(reports)`` when a computation's result is shown (the dict of
    :func:`project_reports`, or an exception); ``open_requested(doc_id)`` Enter on a document."""

    computed = Signal(object)
    open_requested = Signal(int)

    def __init__(self, events, store, parent: QWidget | None = None):
        super().__init__("Agreement", parent)
        self.setObjectName("agreement_dock")
        self.store = store
        self.reports: dict | None = None
        self.job: _Job | None = None
        self._generation = 0
        body = QWidget(self)
        layout = QVBoxLayout(body)
        layout.setContentsMargins(4, 4, 4, 4)
        top = QHBoxLayout()
        self.summary = QLabel("Press Ctrl+Alt+R (View > Agreement) to measure the agreement.", body)
        self.summary.setObjectName("agreement_summary")
        self.summary.setWordWrap(True)
        self.button = QPushButton("&Compute", body)
        self.button.setObjectName("agreement_compute")
        self.button.setToolTip("Measure again (Ctrl+Alt+R)")
        self.button.clicked.connect(self.compute)
        top.addWidget(self.summary, 1)
        top.addWidget(self.button)
        layout.addLayout(top)
        self.tabs = QTabWidget(body)
        self.tabs.setObjectName("agreement_tabs")
        self.layers = self._table("agreement_layers", ["F1 exact", "F1 overlap", "alpha"])
        self.pairs = self._table("agreement_pairs", ["annotators", "docs", "kappa", "claim F1 exact", "claim F1 overlap",
                                                     "cue F1", "speaker F1", "attribution F1 exact",
                                                     "attribution F1 overlap", "claims only A / only B / both"])
        self.documents = self._table("agreement_documents", ["document", "annotators", "alpha", "claim F1 exact",
                                                             "claim F1 overlap", "cue F1", "attribution F1 overlap"])
        self.gold = self._table("agreement_gold", ["annotator", "docs", "kappa", "claim P / R / F1 (overlap)",
                                                   "claim F1 exact", "cue F1", "speaker F1", "attribution F1 overlap"])
        self.hardest = self._table("agreement_hardest", ["document", "kappa / alpha", "claim F1 overlap"])
        for table, title in ((self.layers, "&Layers"), (self.pairs, "&Pairs"), (self.documents, "&Documents"),
                             (self.gold, "Against &Gold"), (self.hardest, "&Hardest")):
            self.tabs.addTab(table, title)
        for table in (self.documents, self.hardest):
            table.activated.connect(lambda index, t=table: self._open(t, index.row()))
        layout.addWidget(self.tabs, 1)
        self.setWidget(body)
        events.store_replaced.connect(self._store_replaced)

    def _table(self, name: str, columns: list[str]) -> QTableWidget:
        table = QTableWidget(0, len(columns), self)
        table.setObjectName(name)
        table.setHorizontalHeaderLabels(columns)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.horizontalHeader().setStretchLastSection(False)
        return table

    # --- computing ------------------------------------------------------------------------------

    def _store_replaced(self, store) -> None:
        self.store = store
        self._generation += 1  # a running job's result is about the old project: dropped
        self.reports = None
        self._fill(None)
        self.summary.setText("Another project: press Ctrl+Alt+R to measure its agreement.")

    def compute(self) -> None:
        """Measure the project's agreement (in a worker thread for a project file)."""
        if self.job is not None and self.job.isRunning():
            return  # the running computation's result will be shown
        self._generation += 1
        generation = self._generation
        self.summary.setText("Measuring the agreement…")
        self.button.setEnabled(False)
        where = Path(self.store.where) if not self.store.where.startswith(":") else None
        if where is None or not where.exists():
            try:
                result = project_reports(self.store)
            except Exception as exc:  # noqa: BLE001 - shown in the dock
                result = exc
            self._done(result, generation)
            return
        self.job = _Job(where, self)
        self.job.finished_with.connect(lambda result, g=generation: self._done(result, g))
        self.job.start()

    def wait(self) -> None:
        """Wait for a running computation (the window's close)."""
        if self.job is not None:
            self.job.wait()

    def _done(self, result, generation: int) -> None:
        self.button.setEnabled(True)
        if generation != self._generation:
            return
        if isinstance(result, Exception):
            self.summary.setText(f"The agreement could not be measured: {result}")
            self.computed.emit(result)
            return
        self.reports = result
        self._fill(result)
        self.computed.emit(result)

    # --- showing --------------------------------------------------------------------------------

    def _fill(self, reports: dict | None) -> None:
        between = (reports or {}).get("between") or {"documents": 0, "annotators": [], "alpha": None, "layers": {},
                                                     "pairs": [], "per_document": []}
        gold = (reports or {}).get("gold")
        if reports is not None:
            names = ", ".join(a or UNNAMED for a in between["annotators"]) or "none"
            text = (f"{len(between['annotators'])} annotators ({names}) on {between['documents']} document(s); "
                    f"token alpha {fmt(between['alpha'])}")
            if reports.get("left_out"):
                text += f"; {reports['left_out']} document(s) with one annotator left out"
            if gold is not None:
                text += f". Against the gold layer: {gold['documents']} document(s)"
            if not between["documents"] and gold is None:
                text = ("No document has annotations of two annotators: import each one's files with "
                        "--annotator NAME, or merge their projects.")
            self.summary.setText(text)
        rows = [("overall", [None, None, between["alpha"]])] if reports is not None else []
        rows += [(layer, [m.get("f1_exact"), m.get("f1_overlap"), m.get("alpha")])
                 for layer, m in between["layers"].items()]
        self._rows(self.layers, [[fmt(v) for v in values] for _, values in rows], [name for name, _ in rows])
        pair_rows = []
        for p in between["pairs"]:
            L = p["layers"]
            claim = L["claim"]
            pair_rows.append([" – ".join(a or UNNAMED for a in p["annotators"]), str(p["documents"]), fmt(p["kappa"]),
                              fmt(claim["f1_exact"]), fmt(claim["f1_overlap"]), fmt(L["cue"]["f1_exact"]),
                              fmt(L["speaker"]["f1_exact"]), fmt(L["attribution"]["f1_exact"]),
                              fmt(L["attribution"]["f1_overlap"]), f"{claim['only_a']} / {claim['only_b']} / {claim['both_overlap']}"])
        self._rows(self.pairs, pair_rows)
        doc_rows, doc_keys = [], []
        for d in sorted(between["per_document"], key=lambda d: (d["alpha"] is None, d["alpha"] or 0.0)):
            L = d["layers"]
            doc_rows.append([f"#{d['document']} {d['title']}", ", ".join(a or UNNAMED for a in d["annotators"]),
                             fmt(d["alpha"]), fmt(L["claim"]["f1_exact"]), fmt(L["claim"]["f1_overlap"]),
                             fmt(L["cue"]["f1_exact"]), fmt(L["attribution"]["f1_overlap"])])
            doc_keys.append(d["document"])
        self._rows(self.documents, doc_rows, keys=doc_keys)
        gold_rows = []
        for a in (gold or {}).get("annotators", []):
            L = a["layers"]
            c = L["claim"]
            gold_rows.append([a["annotator"] or UNNAMED, str(a["documents"]), fmt(a["kappa"]),
                              f"{fmt(c['precision_overlap'])} / {fmt(c['recall_overlap'])} / {fmt(c['f1_overlap'])}",
                              fmt(c["f1_exact"]), fmt(L["cue"]["f1_exact"]), fmt(L["speaker"]["f1_exact"]),
                              fmt(L["attribution"]["f1_overlap"])])
        self._rows(self.gold, gold_rows)
        self.tabs.setTabEnabled(3, gold is not None)
        if gold is not None:
            hardest = [(d, d["kappa"]) for d in gold["hardest"]]
        else:
            from annotator.core.agreement import hardest_documents

            hardest = [(d, d["alpha"]) for d in hardest_documents(between["per_document"], 10)]
        self.hardest.setHorizontalHeaderLabels(["document", "kappa against gold" if gold is not None else "alpha",
                                                "claim F1 overlap"])
        self._rows(self.hardest, [[f"#{d['document']} {d['title']}", fmt(value), fmt(d["layers"]["claim"]["f1_overlap"])]
                                  for d, value in hardest], keys=[d["document"] for d, _ in hardest])

    def _rows(self, table: QTableWidget, rows: list[list[str]], headers: list[str] | None = None,
              keys: list | None = None) -> None:
        table.setRowCount(len(rows))
        for r, row in enumerate(rows):
            for c, text in enumerate(row):
                item = QTableWidgetItem(text)
                if c > 0 or headers is not None:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                if keys is not None:
                    item.setData(Qt.ItemDataRole.UserRole, keys[r])
                table.setItem(r, c, item)
        if headers is not None:
            table.setVerticalHeaderLabels(headers)
        table.resizeColumnsToContents()

    def _open(self, table: QTableWidget, row: int) -> None:
        item = table.item(row, 0)
        if item is not None and item.data(Qt.ItemDataRole.UserRole) is not None:
            self.open_requested.emit(int(item.data(Qt.ItemDataRole.UserRole)))


class _CloseWaiter(QObject):
    """Waits for the dock's computation when the window closes (its store goes away)."""

    def __init__(self, dock: AgreementDock):
        super().__init__(dock)
        self.dock = dock

    def eventFilter(self, _obj, event) -> bool:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.Close:
            self.dock.wait()
        return False


def install_agreement(window) -> AgreementDock:
    """Add the (hidden) Agreement dock to ``window`` (a MainWindow), at the bottom; Enter on
    a document opens it in the window."""
    dock = AgreementDock(window.events, window.store, window)
    window.add_dock(dock, Qt.DockWidgetArea.BottomDockWidgetArea)
    dock.hide()
    dock.open_requested.connect(lambda doc_id: (window.controller.open_document(doc_id), window.view.setFocus()))
    dock.waiter = _CloseWaiter(dock)
    window.installEventFilter(dock.waiter)
    return dock
