"""The Adjudication dock (issue 11, first step): for the shown document, the places where
annotators' layers differ (:func:`annotator.core.adjudication.differences`), one row per
annotator's version, walked from the keyboard; one key accepts a version into the gold layer
(:func:`annotator.core.adjudication.accept_into_gold`: a claim with its cue, source and
speaker, one undo step). It follows the event bus like every dock (docs/architecture.md).

Keys (window-wide, declared in :mod:`annotator.ui.actions`): Ctrl+Alt+N / Ctrl+Alt+P next /
previous difference; Ctrl+Alt+1…9 accept the 1st…9th version of the current difference;
Ctrl+Alt+G accept the selected row; Ctrl+Alt+A accept all agreed; Ctrl+Alt+M pre-merge with
the strategy and scope chosen in the dock's bottom row (unanimous, majority, at least N; this
document or every document).
"""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QComboBox, QDockWidget, QHBoxLayout, QLabel, QListWidget, QListWidgetItem, QSpinBox,
                               QVBoxLayout, QWidget)

from annotator.core.adjudication import AT_LEAST, STRATEGIES, Difference, accept_into_gold, differences, premerge
from annotator.ui.events import OpenedDocument, ProjectEvents

EXCERPT_CHARS = 60


class AdjudicationDock(QDockWidget):
    """Lists the shown document's differences. Signals: ``show_requested(start, end)`` (code
    points: show that place), ``accept_requested(span_id)`` (accept that span into gold) and
    ``premerge_requested(doc_ids, strategy, n)`` (pre-merge those documents into gold)."""

    show_requested = Signal(int, int)
    accept_requested = Signal(int)
    premerge_requested = Signal(list, str, object)  # document ids, strategy, N (at-least) or None

    def __init__(self, events: ProjectEvents, store, parent: QWidget | None = None):
        super().__init__("Adjudication", parent)
        self.setObjectName("adjudication_dock")
        self.store = store
        self.doc_id: int | None = None
        self.text = ""
        self.diffs: list[Difference] = []
        body = QWidget(self)
        layout = QVBoxLayout(body)
        layout.setContentsMargins(4, 4, 4, 4)
        self.summary = QLabel(body)
        self.summary.setObjectName("adjudication_summary")
        self.list = QListWidget(body)
        self.list.setObjectName("adjudication_list")
        self.list.itemActivated.connect(lambda item: self.accept_requested.emit(item.data(Qt.ItemDataRole.UserRole)[1]))
        self.list.currentItemChanged.connect(self._row_changed)
        layout.addWidget(self.summary)
        layout.addWidget(self.list, 1)
        row = QHBoxLayout()
        self.strategy = QComboBox(body)
        self.strategy.setObjectName("premerge_strategy")
        self.strategy.addItems(["unanimous", "majority", "at least"])
        self.strategy.setToolTip("Pre-merge (Ctrl+Alt+M): what enough annotators agree on goes into gold")
        self.at_least = QSpinBox(body)
        self.at_least.setObjectName("premerge_at_least")
        self.at_least.setRange(1, 99)
        self.at_least.setValue(2)
        self.at_least.setPrefix("N = ")
        self.scope = QComboBox(body)
        self.scope.setObjectName("premerge_scope")
        self.scope.addItems(["this document", "every document"])
        self.strategy.currentIndexChanged.connect(lambda i: self.at_least.setEnabled(i == 2))
        self.at_least.setEnabled(False)
        label = QLabel("Pre-merge:", body)
        label.setBuddy(self.strategy)
        for widget in (label, self.strategy, self.at_least, self.scope):
            row.addWidget(widget)
        row.addStretch(1)
        layout.addLayout(row)
        self.setWidget(body)
        events.store_replaced.connect(self._store_replaced)
        events.document_opened.connect(self._document_opened)
        # hidden (its default), an edit only marks it stale: 12 ms per keystroke otherwise (issue 10)
        self._stale = False
        events.change_applied.connect(lambda _change: self.refresh() if self.isVisible() else self._mark_stale())
        self.visibilityChanged.connect(lambda shown: self.refresh() if shown and self._stale else None)
        events.reloaded.connect(self.refresh)

    # --- following the project -----------------------------------------------------------------

    def _store_replaced(self, store) -> None:
        self.store = store

    def _document_opened(self, opened: OpenedDocument) -> None:
        self.doc_id, self.text = opened.id, opened.text if opened.document is not None else ""
        self.refresh()

    def _mark_stale(self) -> None:
        self._stale = True

    def refresh(self) -> None:
        """Read the differences of the shown document again, keeping the current difference's place."""
        self._stale = False
        at = self.current_difference()
        here = _place(self.diffs[at]) if at is not None else None
        self.diffs = differences(self.store.spans(self.doc_id)) if self.doc_id is not None else []
        self.list.blockSignals(True)
        self.list.clear()
        for n, diff in enumerate(self.diffs):
            for k, (annotator, span) in enumerate(diff.versions, 1):
                excerpt = " ".join(self.text[span.start:span.end].split())
                if len(excerpt) > EXCERPT_CHARS:
                    excerpt = excerpt[:EXCERPT_CHARS - 1] + "…"
                item = QListWidgetItem(f"{n + 1}.{k}  {diff.label}  {annotator or '(no annotator)'}: “{excerpt}”")
                item.setData(Qt.ItemDataRole.UserRole, (n, span.id))
                tip = f"Ctrl+Alt+{k}: accept into gold" if k <= 9 else ""
                if diff.missing:
                    tip += f"\nNo {diff.label} here by: {', '.join(a or '(no annotator)' for a in diff.missing)}"
                item.setToolTip(tip.strip())
                self.list.addItem(item)
        self.list.blockSignals(False)
        self.summary.setText(f"{len(self.diffs)} difference{'s' * (len(self.diffs) != 1)} between annotators"
                             if self.doc_id is not None else "No document")
        if here is not None and self.diffs:
            self.go_to(next((i for i, d in enumerate(self.diffs) if _place(d) >= here), len(self.diffs) - 1), announce=False)

    # --- walking and accepting -----------------------------------------------------------------

    def current_difference(self) -> int | None:
        item = self.list.currentItem()
        return item.data(Qt.ItemDataRole.UserRole)[0] if item is not None else None

    def first_row(self, diff_index: int) -> int:
        return next(r for r in range(self.list.count()) if self.list.item(r).data(Qt.ItemDataRole.UserRole)[0] == diff_index)

    def go_to(self, diff_index: int, announce: bool = True) -> None:
        if not 0 <= diff_index < len(self.diffs):
            return
        if not announce:
            self.list.blockSignals(True)
        self.list.setCurrentRow(self.first_row(diff_index))
        self.list.blockSignals(False)

    def step(self, by: int) -> None:
        """Next (``by`` = 1) or previous (-1) difference; wraps around."""
        if not self.diffs:
            return
        at = self.current_difference()
        self.go_to(0 if at is None and by > 0 else ((len(self.diffs) - 1 if at is None else at + by) % len(self.diffs)))

    def accept_version(self, k: int) -> None:
        """Accept the ``k``-th (1-based) version of the current difference."""
        at = self.current_difference()
        if at is not None and 1 <= k <= len(self.diffs[at].versions):
            self.accept_requested.emit(self.diffs[at].versions[k - 1][1].id)

    def accept_selected(self) -> None:
        item = self.list.currentItem()
        if item is not None:
            self.accept_requested.emit(item.data(Qt.ItemDataRole.UserRole)[1])

    def premerge(self) -> None:
        """Ask for the pre-merge chosen in the bottom row (``premerge_requested``)."""
        strategy = STRATEGIES[self.strategy.currentIndex()]
        every = self.scope.currentIndex() == 1
        doc_ids = self.store.document_ids() if every else ([self.doc_id] if self.doc_id is not None else [])
        if doc_ids:
            self.premerge_requested.emit(doc_ids, strategy, self.at_least.value() if strategy == AT_LEAST else None)

    def _row_changed(self, item, _previous) -> None:
        if item is not None:
            diff = self.diffs[item.data(Qt.ItemDataRole.UserRole)[0]]
            self.show_requested.emit(diff.start, diff.end)


def _place(diff: Difference) -> tuple[int, int, str]:
    return diff.start, diff.end, diff.label  # the order of differences()


def install_adjudication(window) -> AdjudicationDock:
    """Add the (hidden) Adjudication dock to ``window`` (a MainWindow); its keys are
    declared in :mod:`annotator.ui.actions` (handlers: :mod:`annotator.ui.team`), its
    requests go through the controller, so an acceptance is one undo step."""
    dock = AdjudicationDock(window.events, window.store, window)
    window.add_dock(dock)
    dock.hide()
    dock.show_requested.connect(lambda start, end: window.view.scroll_to(start))
    dock.accept_requested.connect(lambda span_id: window.controller.run(accept_into_gold, span_id))
    dock.premerge_requested.connect(lambda doc_ids, strategy, n: _premerge(window, doc_ids, strategy, n))
    return dock


def _premerge(window, doc_ids: list, strategy: str, n) -> None:
    change = window.controller.run(premerge, doc_ids, strategy, n)
    text = (f"Pre-merge ({strategy}{f' {n}' if strategy == AT_LEAST else ''}): {len(change.spans.added)} span(s) "
            f"into gold in {len({s.document_id for s in change.spans.added})} document(s)" if change
            else f"Pre-merge ({strategy}): nothing new to take into gold")
    window.statusBar().showMessage(text, 8000)
