"""The window's event bus: one object announces what happened to the project, and every part
(the text view, each panel, the status line, a new dock) connects to it itself.

The :class:`~annotator.ui.controller.Controller` is the only one that emits; it never calls
into a panel. A new dock (search, suggestions, agreement, statistics) is added by building
it, connecting it to :class:`ProjectEvents` and adding it to the window: neither the
controller's constructor nor ``set_store``, ``open_document``, ``apply_change`` or the
refresh from other windows (:mod:`annotator.ui.sync`) changes. ``tests/ui/test_events.py``
adds such a dock and checks that it hears every event.

Slots are called in the order they were connected (Qt's rule for direct connections); the
window connects the text view first, so that panels which read the view's span index
(the Speakers panel's list of mentions) see it already updated.

Everything here is Qt on the GUI thread; the payloads are plain core objects
(:class:`~annotator.core.store.Store`, :class:`~annotator.core.store.Change`,
:class:`~annotator.core.model.Document`, :class:`~annotator.core.model.Span`) and the two
small frozen records below.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from PySide6.QtCore import QObject, Signal

from annotator.core.model import Document, Span
from annotator.core.schema import Schema


@dataclass(frozen=True)
class OpenedDocument:
    """What ``document_opened`` carries: the document now shown (None: no document), its
    spans as stored (text order not guaranteed) and the project's schema.

    ``reloaded`` is True when the document was (re)opened by a reload after another
    connection changed the project (:meth:`annotator.ui.sync.ProjectSync.reload`): parts
    re-read their project-wide lists too (the Documents panel its list) and may keep what
    the reader had selected until ``reloaded`` is announced."""

    document: Document | None
    spans: list[Span] = field(default_factory=list)
    schema: Schema | None = None
    reloaded: bool = False

    @property
    def id(self) -> int | None:
        return self.document.id if self.document is not None else None

    @property
    def text(self) -> str:
        return self.document.text if self.document is not None else ""


@dataclass(frozen=True)
class Current:
    """What ``current_changed`` carries: the current annotation (None: none), the claim it
    belongs to (itself if it is a claim; for a mention or cue, the claim that links to or
    contains it; None) and the shown document's text.

    ``moved`` is True when another annotation became current (the text view, the Claims
    and Speakers panels select it); False when the same one is announced again after a
    change, because its values (or the claim it belongs to) may have changed (the
    Sentiment panel re-reads them; selections stay where the user put them)."""

    span: Span | None
    claim: Span | None
    text: str = ""
    moved: bool = True

    @property
    def span_id(self) -> int | None:
        return self.span.id if self.span is not None else None

    @property
    def claim_id(self) -> int | None:
        return self.claim.id if self.claim is not None else None


class ProjectEvents(QObject):
    """What happened to the project shown in one window.

    Signals (emitted by the controller only, in this order within one action):

    - ``store_replaced(object)``: a :class:`Store`: another project is shown; the previous
      store is closed. Drop everything read from the old one (``document_opened`` follows).
    - ``read_only_changed(bool)``: the project is (now) read-only, or writable again.
    - ``schema_changed(object)``: a :class:`Schema`: the project's labels or values changed
      (another window's import added labels).
    - ``document_opened(object)``: an :class:`OpenedDocument`: this document (or none) is
      shown now; re-read what you show for it.
    - ``change_applied(object)``: a :class:`Change` that is already in the store (an edit,
      its undo or its redo). Follow it; it may concern another document than the shown one
      (then ``document_opened`` follows).
    - ``document_changed(object)``: the shown :class:`Document` as it is now (its title,
      status or polarity changed).
    - ``current_changed(object)``: a :class:`Current`: the current annotation.
    - ``reloaded()``: a reload is complete (another connection changed the project; the
      views were re-read, with ``document_opened`` carrying ``reloaded=True``).

    Parts that hold an edit in progress (a cell editor, a text field) register a function
    with :meth:`add_editor`; the refresh from other windows waits while :meth:`editing`.
    """

    store_replaced = Signal(object)
    read_only_changed = Signal(bool)
    schema_changed = Signal(object)
    document_opened = Signal(object)
    change_applied = Signal(object)
    document_changed = Signal(object)
    current_changed = Signal(object)
    reloaded = Signal()

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._editors: list[Callable[[], bool]] = []

    def add_editor(self, is_editing: Callable[[], bool]) -> None:
        """Register ``is_editing()``: True while the part holds an edit the user is typing
        that a reload would overwrite."""
        self._editors.append(is_editing)

    def editing(self) -> bool:
        """True while any registered part is being edited."""
        return any(is_editing() for is_editing in self._editors)
