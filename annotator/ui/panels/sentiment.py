"""The Sentiment panel: polarity, intensity and target of the current claim, and the
document's own polarity and status. It shows values it is given and asks for edits by
signals; the controller writes them through the store and the undo stack."""
from __future__ import annotations

from PySide6.QtCore import QRect, Qt, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QComboBox, QDockWidget, QFormLayout, QGroupBox, QLabel, QLineEdit, QSizePolicy, QVBoxLayout, QWidget,
)

from annotator.core.model import Document, Span
from annotator.core.schema import Schema
from annotator.ui.events import Current, OpenedDocument, ProjectEvents

NONE = "—"
EXCERPT_LINES = 3  # lines of the current claim's text shown


class ExcerptLabel(QLabel):
    """A word-wrapped label exactly ``lines`` lines high, its text at the top and cut with
    "…" to fit (the whole text in its tooltip). A plain wrapped QLabel squeezed by the dock
    centred its text vertically and cut its first line in half."""

    def __init__(self, text: str, parent: QWidget | None = None, lines: int = EXCERPT_LINES):
        super().__init__(parent)
        self.lines = lines
        self._full = ""
        self.setWordWrap(True)
        self.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        margins = self.contentsMargins()
        self.setFixedHeight(self.fontMetrics().lineSpacing() * lines + margins.top() + margins.bottom() + 2)
        self.set_full_text(text)

    def full_text(self) -> str:
        return self._full

    def set_full_text(self, text: str) -> None:
        self._full = text
        self._fit()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        self._fit()

    def fits(self, text: str) -> bool:
        width = self.contentsRect().width()
        metrics = self.fontMetrics()
        height = metrics.boundingRect(QRect(0, 0, width, 1_000_000), Qt.TextFlag.TextWordWrap, text).height()
        return height <= metrics.lineSpacing() * self.lines + 1

    def _fit(self) -> None:
        text = self._full if len(self._full) <= 600 else self._full[:600]  # more never fits in a few lines
        if self.contentsRect().width() > 20 and (text != self._full or not self.fits(text)):
            words = text.split(" ")
            low, high = 0, len(words)  # the most words that fit with "…"
            while low < high:
                middle = (low + high + 1) // 2
                if self.fits(" ".join(words[:middle]) + "…"):
                    low = middle
                else:
                    high = middle - 1
            text = " ".join(words[:low]) + "…" if low else text[:40] + "…"
        self.setToolTip(self._full if text != self._full else "")
        if text != self.text():
            self.setText(text)


class SentimentPanel(QDockWidget):
    """Dock with the current claim's sentiment and the document's polarity and status.

    Signals: ``claim_edit_requested(str, object)`` attribute name (polarity, intensity,
    target) and value (None clears); ``document_edit_requested(str, object)`` field
    (polarity, status) and value.

    It follows the window's events once :meth:`follow` connected it.
    """

    claim_edit_requested = Signal(str, object)
    document_edit_requested = Signal(str, object)

    def __init__(self, schema: Schema, parent=None):
        super().__init__("Sentiment", parent)
        self.setObjectName("sentiment_dock")
        box = QWidget(self)
        layout = QVBoxLayout(box)
        claim_box = QGroupBox("Current claim", box)
        form = QFormLayout(claim_box)
        self.claim_label = ExcerptLabel("No claim selected: click one, or press ] to go to the next annotation.", claim_box)
        self.claim_label.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        form.addRow(self.claim_label)
        self.polarity = self._combo("polarity_combo")
        self.intensity = self._combo("intensity_combo")
        self.target = QLineEdit(claim_box)
        self.target.setObjectName("target_edit")
        self.target.setPlaceholderText("what or whom the sentiment is about")
        self.target.setClearButtonEnabled(True)
        form.addRow("&Polarity", self.polarity)
        form.addRow("&Intensity", self.intensity)
        form.addRow("&Target", self.target)
        doc_box = QGroupBox("Document", box)
        doc_form = QFormLayout(doc_box)
        self.doc_polarity = self._combo("document_polarity_combo")
        self.status = self._combo("document_status_combo")
        doc_form.addRow("P&olarity", self.doc_polarity)
        doc_form.addRow("&Status", self.status)
        layout.addWidget(claim_box)
        layout.addWidget(doc_box)
        layout.addStretch(1)
        self.setWidget(box)
        self._claim: Span | None = None
        self._document: Document | None = None
        self._text = ""
        self.read_only = False  # a read-only project: the values show, nothing can be changed
        self.set_schema(schema)
        self.polarity.activated.connect(lambda _i: self.claim_edit_requested.emit("polarity", self.polarity.currentData()))
        self.intensity.activated.connect(lambda _i: self.claim_edit_requested.emit("intensity", self.intensity.currentData()))
        self.target.editingFinished.connect(self._target_edited)
        self.doc_polarity.activated.connect(lambda _i: self.document_edit_requested.emit("polarity", self.doc_polarity.currentData()))
        self.status.activated.connect(lambda _i: self.document_edit_requested.emit("status", self.status.currentData()))
        self.show_claim(None, "")
        self.show_document(None)

    # --- the window's events (annotator.ui.events) ---------------------------------------------

    def follow(self, events: ProjectEvents) -> None:
        """Follow the window's events: the schema of another project (or one that changed),
        an opened document (no claim yet), the shown document's values, the current claim,
        the read-only state; typing a target holds a reload back."""
        events.store_replaced.connect(lambda store: self.set_schema(store.schema))
        events.schema_changed.connect(self.set_schema)
        events.document_opened.connect(self._document_opened)
        events.document_changed.connect(self.show_document)
        events.current_changed.connect(self._current_changed)
        events.read_only_changed.connect(self.set_read_only)
        events.add_editor(self.target.hasFocus)

    def _document_opened(self, opened: OpenedDocument) -> None:
        self.show_document(opened.document)
        self.show_claim(None, opened.text)

    def _current_changed(self, current: Current) -> None:
        self.show_claim(current.claim, current.text)

    def _combo(self, name: str) -> QComboBox:
        combo = QComboBox(self)
        combo.setObjectName(name)
        return combo

    def set_schema(self, schema: Schema) -> None:
        for combo, values, blank in (
            (self.polarity, schema.attributes.get("polarity", ()), True),
            (self.intensity, schema.attributes.get("intensity", ()), True),
            (self.doc_polarity, schema.document_polarity, True),
            (self.status, schema.document_status, False),
        ):
            combo.clear()
            if blank:
                combo.addItem(NONE, None)
            for value in values:
                combo.addItem(value, value)

    def show_claim(self, claim: Span | None, text: str) -> None:
        """Show ``claim``'s values (``text`` is the document text), or disable the fields."""
        same = claim is not None and self._claim is not None and claim.id == self._claim.id
        self._claim, self._text = claim, text
        for widget in (self.polarity, self.intensity):
            widget.setEnabled(claim is not None and not self.read_only)
        self.target.setEnabled(claim is not None)
        self.target.setReadOnly(self.read_only)  # still readable and selectable
        if claim is None:
            self.claim_label.set_full_text("No claim selected: click one in the text or the Claims panel.")
            _select(self.polarity, None)
            _select(self.intensity, None)
            self.target.setText("")
            return
        self.claim_label.set_full_text(" ".join(claim.text(text).split()))
        _select(self.polarity, claim.polarity)
        _select(self.intensity, claim.intensity)
        if not (same and self.target.hasFocus()):  # never overwrite what is being typed
            self.target.setText(claim.target or "")

    def show_document(self, document: Document | None) -> None:
        self._document = document
        self.doc_polarity.setEnabled(document is not None and not self.read_only)
        self.status.setEnabled(document is not None and not self.read_only)
        _select(self.doc_polarity, document.polarity if document else None)
        _select(self.status, document.status if document else None)

    def set_read_only(self, on: bool) -> None:
        """A read-only project: the values show but cannot be changed."""
        self.read_only = on
        self.show_claim(self._claim, self._text)
        self.show_document(self._document)

    def focus_target(self) -> None:
        """Show the panel and put the keyboard in the target field (Enter saves it)."""
        self.show()
        self.raise_()
        self.target.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.target.selectAll()

    def _target_edited(self) -> None:
        if self._claim is None or self.read_only:
            return
        value = self.target.text().strip() or None
        if value != self._claim.target:
            self.claim_edit_requested.emit("target", value)


def _select(combo: QComboBox, value) -> None:
    for i in range(combo.count()):
        if combo.itemData(i) == value:
            combo.setCurrentIndex(i)
            return
    combo.setCurrentIndex(-1)
