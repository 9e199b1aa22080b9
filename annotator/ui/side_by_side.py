"""Layers side by side (issue 11): the shown document once per layer (each annotator's,
then the gold layer), read-only, in a splitter, each under a header in its annotator's
colour with the name and the number of spans, scrolled together.

A widget of its own in a dock (View > Layers Side by Side, Ctrl+Alt+S) so the main text
view stays as it is; each pane draws with the main view's
:class:`~annotator.ui.highlighter.SpanHighlighter` (label colours as in the main view; the
annotator's colour is the pane's header and frame). It follows the event bus (the shown
document, every change, another project). Scrolling one pane scrolls the others to the
same fraction of the text; :meth:`SideBySide.scroll_to` shows one place in every pane
(the Adjudication dock's current difference).
"""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QTextCursor
from PySide6.QtWidgets import QDockWidget, QFrame, QLabel, QPlainTextEdit, QSplitter, QVBoxLayout, QWidget

from annotator.core.layers import GOLD, layer_names, layer_spans
from annotator.core.offsets import OffsetMap
from annotator.core.span_index import SpanIndex
from annotator.ui.events import OpenedDocument
from annotator.ui.highlighter import SpanHighlighter, tint

# Okabe & Ito (2008), "Color Universal Design": told apart with every common colour vision deficiency
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#56B4E9", "#E69F00", "#000000", "#F0E442")
GOLD_COLOUR = "#B8860B"
MAX_PANES = 8


def annotator_colour(name: str, names: list[str]) -> str:
    """The colour of ``name`` among the layers ``names`` (in their order): gold's own, else
    the palette in order, repeating after :data:`PALETTE`'s eight colours."""
    if name == GOLD:
        return GOLD_COLOUR
    others = [n for n in names if n != GOLD]
    return PALETTE[others.index(name) % len(PALETTE)] if name in others else PALETTE[-1]


class LayerPane(QFrame):
    """One layer: a header (``header``) and a read-only text (``text``) drawn by a SpanHighlighter."""

    def __init__(self, name: str, colour: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.name, self.colour = name, colour
        self.setObjectName(f"layer_pane_{name or 'unnamed'}")
        self.setStyleSheet(f"QFrame#{self.objectName()} {{ border: 2px solid {colour}; }}")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.setSpacing(2)
        self.header = QLabel(self)
        self.header.setObjectName("layer_header")
        light = tint(QColor(colour), 0.25).name()
        self.header.setStyleSheet(f"background: {light}; color: black; border-left: 8px solid {colour}; padding: 2px 4px;")
        self.text = QPlainTextEdit(self)
        self.text.setObjectName("layer_text")
        self.text.setReadOnly(True)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByKeyboard
                                          | Qt.TextInteractionFlag.TextSelectableByMouse)
        self.highlighter = SpanHighlighter(self.text.document())
        self.omap = OffsetMap("")
        self.index = SpanIndex()
        layout.addWidget(self.header)
        layout.addWidget(self.text, 1)

    def show_layer(self, text: str, spans: list, schema) -> None:
        self.index, self.omap = SpanIndex(spans), OffsetMap(text)
        self.highlighter.set_source(self.index, self.omap, schema)
        if self.text.toPlainText() != text:
            self.text.setPlainText(text)
        else:
            self.highlighter.rehighlight()
        claims = sum(1 for s in spans if s.label == "claim")
        self.header.setText(f"{self.name or '(no annotator)'}: {len(spans)} span{'s' * (len(spans) != 1)}, "
                            f"{claims} claim{'s' * (claims != 1)}")

    def scroll_to(self, offset: int) -> None:
        cursor = QTextCursor(self.text.document())
        cursor.setPosition(self.omap.to_qt(max(0, min(offset, self.omap.cp_length))))
        self.text.setTextCursor(cursor)
        self.text.centerCursor()


class SideBySide(QWidget):
    """The panes of the shown document's layers in a horizontal splitter (``panes``)."""

    def __init__(self, events, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("side_by_side")
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setChildrenCollapsible(False)
        self.note = QLabel("No document with annotations", self)
        self.note.setObjectName("side_by_side_note")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.note)
        layout.addWidget(self.splitter, 1)
        self.panes: list[LayerPane] = []
        self.text, self.spans, self.schema, self.doc_id = "", [], None, None
        self._syncing = False
        events.document_opened.connect(self._opened)
        events.change_applied.connect(lambda _change: self.refresh())
        events.store_replaced.connect(self._store_replaced)
        events.reloaded.connect(self.refresh)
        self.store = None

    def _store_replaced(self, store) -> None:
        self.store = store

    def _opened(self, opened: OpenedDocument) -> None:
        doc = opened.document
        self.doc_id = doc.id if doc is not None else None
        self.text, self.schema = (doc.text if doc is not None else ""), opened.schema
        self.spans = list(opened.spans)
        if self.isVisible():
            self.rebuild()

    def refresh(self) -> None:
        """Read the shown document's spans again and redraw (after an edit)."""
        if self.store is not None and self.doc_id is not None:
            self.spans = self.store.spans(self.doc_id)
        if self.isVisible():
            self.rebuild()

    def showEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        self.refresh()

    def layer_names(self) -> list[str]:
        return layer_names(self.spans)[:MAX_PANES]

    def rebuild(self) -> None:
        """One pane per layer of the shown document (reused when the layers are the same)."""
        names = self.layer_names()
        if [p.name for p in self.panes] != names:
            for pane in self.panes:
                pane.setParent(None)
                pane.deleteLater()
            self.panes = []
            for name in names:
                pane = LayerPane(name, annotator_colour(name, names), self.splitter)
                pane.text.verticalScrollBar().valueChanged.connect(lambda _v, p=pane: self._scrolled(p))
                self.splitter.addWidget(pane)
                self.panes.append(pane)
        for pane in self.panes:
            pane.show_layer(self.text, layer_spans(self.spans, pane.name), self.schema)
        self.note.setVisible(not self.panes)

    def _scrolled(self, source: LayerPane) -> None:
        if self._syncing:
            return
        bar = source.text.verticalScrollBar()
        fraction = bar.value() / bar.maximum() if bar.maximum() else 0.0
        self._syncing = True
        try:
            for pane in self.panes:
                if pane is not source:
                    other = pane.text.verticalScrollBar()
                    other.setValue(round(fraction * other.maximum()))
        finally:
            self._syncing = False

    def scroll_to(self, offset: int) -> None:
        """Show code point ``offset`` in every pane."""
        self._syncing = True
        try:
            for pane in self.panes:
                pane.scroll_to(offset)
        finally:
            self._syncing = False


def install_side_by_side(window) -> QDockWidget:
    """Add the (hidden) Layers Side by Side dock to ``window`` (a MainWindow), at the top;
    the Adjudication dock's current difference is shown in it too."""
    dock = QDockWidget("Layers Side by Side", window)
    dock.setObjectName("side_by_side_dock")
    dock.view = SideBySide(window.events, dock)
    dock.view.store = window.store
    dock.setWidget(dock.view)
    window.add_dock(dock, Qt.DockWidgetArea.TopDockWidgetArea)
    dock.hide()
    window.adjudication.show_requested.connect(lambda start, _end: dock.view.scroll_to(start))
    return dock
