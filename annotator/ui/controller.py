"""The window's logic: the current document and span, and the dispatch of every annotation
action to the core's operations (:mod:`annotator.core.operations`), whose Change goes on the
undo stack (:class:`~annotator.ui.undo.ChangeCommand`) and is announced to the views.

The Controller never calls into a panel. It announces what happened on the window's event
bus (:class:`~annotator.ui.events.ProjectEvents`: store replaced, document opened, change
applied, current annotation, reloaded...) and the text view and each panel connect to it
themselves; adding a dock does not touch this module.

The Controller owns small parts, each in its own module, and delegates public methods to
them: the write path and its error handling (:mod:`annotator.ui.edit_runner`: every write
goes through ``attempt``), the refresh from other windows (:mod:`annotator.ui.sync`),
marking the selection (:mod:`annotator.ui.marking`), speaker numbers and claim links
(:mod:`annotator.ui.attribution`) and the status line (:mod:`annotator.ui.status`).

Offsets are code points of the stored text, as everywhere outside ``text_view``. Each
document keeps its cursor and scroll position for the session.
"""
from __future__ import annotations

from typing import Callable, TypeVar

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoStack

from annotator.core import operations as ops
from annotator.core.errors import ReadOnlyError
from annotator.core.model import CLAIM, SPEAKER, Document, Span
from annotator.core.store import Change, Store
from annotator.ui.attribution import Attribution, NoNumbers, SpeakerNumbers
from annotator.ui.edit_runner import EditRunner
from annotator.ui.events import Current, OpenedDocument, ProjectEvents
from annotator.ui.marking import Marking
from annotator.ui.status import StatusLine
from annotator.ui.sync import ProjectSync
from annotator.ui.text_view import AnnotatedTextView
from annotator.ui.text_view_snippets import mention_in_sentence

T = TypeVar("T")


class Controller(QObject):
    """Connects the text view, the store, the undo stack and the window's event bus
    ``events`` (a :class:`~annotator.ui.events.ProjectEvents`, made here unless given).

    Signals, for the window itself (title, status bar, message boxes); the views follow
    ``events`` instead: ``document_opened(int)`` a document is shown (-1: none);
    ``document_changed()`` the shown document's title, status or polarity changed;
    ``current_span_changed(int)`` (-1: none); ``change_applied(object)`` a Change was done,
    undone or redone (after every view followed it); ``message_posted(str)`` a passing
    status-bar message (feedback, hints); ``described(str)`` what is under the mouse or the
    cursor, what S / Q / C would mark while there is a selection, the current annotation
    (with the L hint), or a hint; ``error_reported(str)`` an InputError's message, for a
    message box; ``read_only_changed(bool)`` the project is (now) read-only, or writable
    again (another project), passed on to ``events``; ``reloaded()`` the views were re-read
    from the store (another connection changed the project); ``target_edit_requested()``
    the T key: the window puts the keyboard in the Sentiment panel's target field.

    ``ask_retry(message) -> bool`` is asked when the project is locked by another program:
    True repeats the write (the window sets it to a Retry / Cancel message box).
    ``speaker_numbers`` gives the digits 1-9 (:class:`SpeakerNumbers`; the window sets it
    to the Speakers panel's model; by default nobody has a digit). ``mentions_of`` lists a
    speaker's mentions in the shown document (for the Speakers panel).
    """

    document_opened = Signal(int)
    document_changed = Signal()
    current_span_changed = Signal(int)
    change_applied = Signal(object)
    message_posted = Signal(str)
    described = Signal(str)
    error_reported = Signal(str)
    read_only_changed = Signal(bool)
    reloaded = Signal()
    target_edit_requested = Signal()

    def __init__(self, store: Store, view: AnnotatedTextView, events: ProjectEvents | None = None,
                 parent: QObject | None = None):
        super().__init__(parent)
        self.store = store
        self.view = view
        self.events = events if events is not None else ProjectEvents(self)
        self.undo_stack = QUndoStack(self)
        self.doc: Document | None = None
        self.doc_ids: list[int] = self._read_doc_ids()  # the project's documents in import order
        self.current: int | None = None
        self.last_claim: int | None = None  # the claim L links to: the last claim made current
        self.places: dict[int, tuple[int, int, int]] = {}  # document -> view.place(), this session
        self.ask_retry: Callable[[str], bool] = lambda _message: False
        self.speaker_numbers: SpeakerNumbers = NoNumbers()
        self.read_only_changed.connect(self.events.read_only_changed)
        self.edits, self.sync = EditRunner(self), ProjectSync(self)
        self.status, self.marking, self.attribution = StatusLine(self), Marking(self), Attribution(self)
        view.span_clicked.connect(self.set_current)

    @property
    def doc_id(self) -> int | None:
        return self.doc.id if self.doc else None

    # --- project and documents --------------------------------------------------------

    @property
    def read_only(self) -> bool:
        return bool(self.store.read_only)

    @property
    def writing(self) -> bool:
        """A write is under way (maybe waiting in the Retry / Cancel box)."""
        return self.edits.writing

    def set_store(self, store: Store) -> None:
        """Show another project (the previous store is closed; the undo history cleared)."""
        if store is not self.store:
            self.remember_document()
        old, self.store = self.store, store
        self.undo_stack.clear()
        self.places.clear()  # another project: its document ids are other documents
        self.doc, self.doc_ids = None, self._read_doc_ids()
        self.events.store_replaced.emit(store)
        if old is not store:
            old.close()
        self.sync.mark_seen()
        self.read_only_changed.emit(self.read_only)
        self.open_initial()

    def _read_doc_ids(self) -> list[int]:
        return self.store.document_ids()

    def remember_document(self) -> None:
        """Store the shown document as the project's ``last_document`` (opened first next
        time). Written when the window closes or shows another project, not at every change
        of document: a setting is a commit, which other windows would see as a change of
        the project. Never in a read-only project; a locked or failing project just does
        not remember it (it is a setting, not an edit: whatever the store raises is let go)."""
        if self.doc_id is None or self.read_only:
            return
        try:
            if self.store.meta("last_document") != str(self.doc_id):
                self.store.set_meta("last_document", str(self.doc_id))
        except ReadOnlyError:
            self.read_only_changed.emit(True)
        except Exception:  # noqa: BLE001 - locked, failing or closed: a setting is not worth an error
            pass
        self.sync.mark_seen()

    def open_initial(self) -> None:
        """Open the document shown last time in this project, else the first one."""
        ids = self.doc_ids
        last = self.store.meta("last_document")
        wanted = int(last) if last and last.isdigit() and int(last) in ids else (ids[0] if ids else None)
        self.open_document(wanted)

    def open_document(self, doc_id: int | None, reloaded: bool = False) -> None:
        """Show ``doc_id`` (None: nothing) in the view and the panels (``document_opened`` on
        the event bus), with the cursor and scroll position it had when it was last shown in
        this session (else at its start). ``reloaded``: opened by a reload (:mod:`~annotator.ui.sync`)."""
        if self.doc is not None and doc_id != self.doc_id:
            self.places[self.doc.id] = self.view.place()
        self.doc = self.store.document(doc_id) if doc_id is not None else None
        spans = self.store.spans(doc_id) if doc_id is not None else []
        self.current = self.last_claim = None
        self.events.document_opened.emit(OpenedDocument(self.doc, spans, self.store.schema, reloaded))
        place = self.places.get(doc_id) if doc_id is not None else None
        if place is not None:
            self.view.restore_place(place)
        else:
            self.view.set_cursor(0)
        self.document_opened.emit(-1 if doc_id is None else doc_id)
        self.refresh_description()

    def next_document(self, step: int = 1) -> None:
        ids = self.doc_ids
        if not ids:
            return
        at = ids.index(self.doc_id) if self.doc_id in ids else -step
        if 0 <= at + step < len(ids):
            self.open_document(ids[at + step])
        else:
            self.message_posted.emit("This is the last document." if step > 0 else "This is the first document.")

    # --- edits (the write path: edit_runner.py) ---------------------------------------------

    def attempt(self, write: Callable[[], T], what: str = "edit") -> tuple[bool, T | None]:
        """Run ``write`` through the write path: :meth:`EditRunner.attempt`."""
        return self.edits.attempt(write, what)

    def run(self, operation: Callable[..., Change], *args) -> Change | None:
        """Apply an annotating operation as one undoable edit: :meth:`EditRunner.run`."""
        return self.edits.run(operation, *args)

    def undo(self) -> None:
        self.edits.undo()

    def redo(self) -> None:
        self.edits.redo()

    def apply_change(self, change: Change) -> None:
        """Announce ``change`` (already in the store) on the event bus, then follow it: show
        the document an undo or redo in another document changed, or another one when the
        shown document was removed; re-announce the shown document and the current claim."""
        if documents_added_or_removed(change):
            self.doc_ids = self._read_doc_ids()
        ids = self.doc_ids
        known = self._id_set()  # (a set kept per list: 50,000 ids, per keystroke)
        docs = {d for d in change.document_ids() if d in known}
        if len(docs) == 1 and self.doc_id not in docs and not change.document_ids() - docs:
            self.events.change_applied.emit(change)
            self.open_document(docs.pop())  # undo / redo in another document: show it there
            self.change_applied.emit(change)
            return
        if self.doc_id is not None and self.doc_id not in known:
            self.open_document(ids[0] if ids else None)  # the shown document was removed
        self.events.change_applied.emit(change)
        if self.doc_id is not None and self.doc_id in documents_changed(change):
            self.doc = self.store.document(self.doc_id)  # (the change carries no text)
            self.events.document_changed.emit(self.doc)
            self.document_changed.emit()
        if self.current is not None and self.current not in self.view.index:  # removed
            self.set_current(None)
        else:
            self.events.current_changed.emit(Current(self.current_span(), self.current_claim(), self.view.text, moved=False))
        self.refresh_description()
        self.change_applied.emit(change)

    def _id_set(self) -> set[int]:
        """``set(self.doc_ids)``, made again only when the list is another one."""
        cached = getattr(self, "_ids_cache", None)
        if cached is None or cached[0] is not self.doc_ids:
            cached = self._ids_cache = (self.doc_ids, set(self.doc_ids))
        return cached[1]

    # --- other windows (sync.py) ------------------------------------------------------------

    def poll(self) -> bool:
        """Reload if another connection changed the project: :meth:`ProjectSync.poll`."""
        return self.sync.poll()

    def reload(self) -> None:
        """Re-read the views from the store, keeping the reader's place: :meth:`ProjectSync.reload`."""
        self.sync.reload()

    # --- the current span -------------------------------------------------------------

    def set_current(self, span_id: int | None) -> None:
        """Make ``span_id`` the current annotation (None: none) everywhere
        (``current_changed`` on the event bus)."""
        if span_id is not None and self.view.index.get(span_id) is None:
            span_id = None
        self.current = span_id
        span = self.current_span()
        self.events.current_changed.emit(Current(span, self.current_claim(), self.view.text))
        if span is not None:
            if span.label == CLAIM:
                self.last_claim = span.id
            self.status.show_current()
        self.current_span_changed.emit(-1 if span_id is None else span_id)

    def current_span(self) -> Span | None:
        return self.view.index.get(self.current) if self.current is not None else None

    def current_claim(self) -> Span | None:
        """The current span if it is a claim; for a current mention or cue, the claim that
        links to or contains it."""
        span = self.current_span()
        if span is None or span.label == CLAIM:
            return span
        index = self.view.index
        linked = [index.get(i) for i in self.store.claims_linked_to(span.id) if index.get(i) is not None]
        inside = [s for s in index.at(span.start) if s.label == CLAIM]
        return (linked or inside or [None])[0]

    def claim_or_hint(self) -> Span | None:
        """The current claim (:meth:`current_claim`), or None with a hint in the status bar."""
        claim = self.current_claim()
        if claim is None:
            self.message_posted.emit("No current claim: click one, or press ] to reach it.")
        return claim

    def clear_selection(self) -> None:
        cursor = self.view.textCursor()
        cursor.clearSelection()
        self.view.setTextCursor(cursor)
        self.set_current(None)

    def next_annotation(self, step: int = 1) -> None:
        index, span = self.view.index, self.current_span()
        if span is not None:
            found = index.next_span(span.id) if step > 0 else index.previous_span(span.id)
        else:
            offset = self.view.cursor_offset()
            found = index.next_after(offset - 1) if step > 0 else index.previous_before(offset)
        if found is None:
            self.message_posted.emit("No more annotations this way.")
        else:
            self.set_current(found.id)

    # --- annotation actions (marking.py, attribution.py) -------------------------------------

    def mark(self, label: str) -> None:
        """Mark the selection as a span of ``label``: :meth:`Marking.mark`."""
        self.marking.mark(label)

    def new_speaker(self) -> None:
        """Mark the selection as a new speaker: :meth:`Marking.new_speaker`."""
        self.marking.new_speaker()

    def speaker_number(self, n: int) -> None:
        """Mark a mention of speaker #n or attribute the claim: :meth:`Attribution.speaker_number`."""
        self.attribution.speaker_number(n)

    def link_claim(self) -> Span | None:
        """The claim L links to: :meth:`Attribution.link_claim`."""
        return self.attribution.link_claim()

    def link_pair(self) -> tuple[Span, Span] | None:
        """What L would link: :meth:`Attribution.link_pair`."""
        return self.attribution.link_pair()

    def link_to_claim(self) -> None:
        """L: :meth:`Attribution.link_to_claim`."""
        self.attribution.link_to_claim()

    def clear_links(self) -> None:
        """Shift+L: :meth:`Attribution.clear_links`."""
        self.attribution.clear_links()

    def set_polarity(self, value: str) -> None:
        """Set the current claim's polarity; the same value again clears it."""
        claim = self.claim_or_hint()
        if claim is not None:
            self.run(ops.set_claim_attribute, claim.id, "polarity", None if claim.polarity == value else value)

    def cycle(self, name: str) -> None:
        claim = self.claim_or_hint()
        if claim is not None:
            value = ops.cycle_value(self.store.schema, name, getattr(claim, name))
            if self.run(ops.set_claim_attribute, claim.id, name, value):
                self.message_posted.emit(f"{name.title()}: {value or 'none'}")

    def edit_target(self) -> None:
        if self.claim_or_hint() is not None:
            self.target_edit_requested.emit()

    def delete_current(self) -> None:
        """Delete the current span (the last mention of a speaker offers to remove the
        speaker too): :meth:`Marking.delete_current`."""
        self.marking.delete_current()

    def set_document_polarity(self, value: str) -> None:
        if self.doc is not None:
            self.run(ops.set_document_polarity, self.doc.id, None if self.doc.polarity == value else value)

    def toggle_done(self) -> None:
        if self.doc is not None and self.run(ops.toggle_done, self.doc.id):
            self.message_posted.emit(f"Document status: {self.doc.status}")

    def set_snap_to_words(self, on: bool) -> None:
        self.view.snap_to_words = on
        self.message_posted.emit("Selections snap to whole words." if on else "Selections follow characters exactly.")

    # --- the panels (their requests: panel_requests.py) -----------------------------------------

    def mentions_of(self, entity_id: int) -> list[tuple[int, str]]:
        """``(span id, line)`` for each mention of the entity in the shown document, the line
        being the mention in its sentence (:func:`~annotator.ui.text_view_snippets.mention_in_sentence`)."""
        return [(s.id, mention_in_sentence(self.view.text, s.start, s.end))
                for s in self.view.index if s.label == SPEAKER and s.entity_id == entity_id]

    # --- descriptions (status.py) -------------------------------------------------------------

    def describe(self, span: Span | None) -> str:
        """One line about a span (tooltips, status bar): :meth:`StatusLine.describe`."""
        return self.status.describe(span)

    def describe_selection(self) -> str | None:
        """What S / Q / C would mark now: :meth:`StatusLine.describe_selection`."""
        return self.status.describe_selection()

    def refresh_description(self) -> None:
        """Describe in the status line what is there now: :meth:`StatusLine.refresh`."""
        self.status.refresh()


# --- what the controller reads of a Change (the views read the rest themselves) ---------------


def documents_added_or_removed(change: Change) -> bool:
    """True if ``change`` adds or removes documents (an import, its undo)."""
    docs = change.documents  # (a Delta of Documents, not the Documents panel)
    return bool(docs.added or docs.removed)


def documents_changed(change: Change) -> set[int]:
    """Ids of the documents whose own fields (title, status, polarity) ``change`` changed
    or added."""
    docs = change.documents
    return {after.id for _, after in docs.pairs() if after is not None}
