"""The window's logic: current document and span, and the dispatch of every annotation
action to :mod:`annotator.core.annotating`, whose Change goes on the undo stack
(:class:`~annotator.ui.undo.ChangeCommand`) and is handed to the views, which update from
its rows (the text view re-highlights only the spans in it).

Offsets are code points of the stored text, as everywhere outside ``text_view``.

Data safety: every write the window makes goes through :meth:`Controller.attempt` (edits
through :meth:`Controller.run`, undo and redo through :meth:`Controller.undo` /
:meth:`Controller.redo`). A locked project asks Retry / Cancel and repeats the same write
until it succeeds or the user cancels (never a silent drop); a failed write (disk full,
input/output error) is reported and nothing changes; a project that turns out read-only
switches the window to read-only. :meth:`Controller.poll` notices commits of other
connections (a second window, the command line) and reloads the views.

The status line (``described``) is re-read from the current state after every change
applied, undone or redone and after a reload, so it never describes an annotation that is
gone or a value that changed. An undo or redo never makes another annotation current and
never scrolls away: the view moves only when the change is out of sight, to the change.
Each document keeps its cursor and scroll position for the session.
"""
from __future__ import annotations

import sqlite3
from typing import Callable, TypeVar

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QTextCursor, QUndoStack
from PySide6.QtWidgets import QAbstractItemView

from annotator.core import annotating as ops
from annotator.core.errors import AnnotatorError, InputError, ReadOnlyError, StoreBusyError, StoreWriteError
from annotator.core.model import CLAIM, CUE, SPEAKER, Document, Span
from annotator.core.store import Change, Store
from annotator.core.store.changes import RowChange, entity_from_row, relation_from_row, span_from_row
from annotator.ui.panels.claims import ClaimsPanel
from annotator.ui.panels.documents import DocumentsPanel
from annotator.ui.panels.sentiment import SentimentPanel
from annotator.ui.panels.speakers import SpeakersPanel
from annotator.ui.text_view import AnnotatedTextView
from annotator.ui.undo import ChangeCommand

HINT = "Select words (Shift+arrows or drag), then S speaker · Q cue · C claim · 1-9 speaker #n · F1 all keys"
SELECTION_WIDTH = 90  # code points of a selection shown in the status line (elided in the middle)
LOCKED = "The project is locked by another program; your {what} was not applied."
CHANGED_ELSEWHERE = ("Could not {verb}: the project was changed elsewhere (another window or program). "
                     "The window now shows the project as it is, and the undo history was cleared.")
RELOADED = "The project was changed by another window; reloaded"
T = TypeVar("T")


class Controller(QObject):
    """Connects the text view, the panels, the store and the undo stack.

    Signals: ``document_opened(int)`` a document is shown (-1: none); ``document_changed()``
    the shown document's title, status or polarity changed; ``current_span_changed(int)``
    (-1: none); ``change_applied(object)`` a Change was done, undone or redone;
    ``message_posted(str)`` a passing status-bar message (feedback, hints);
    ``described(str)`` what is under the mouse or the cursor, what S / Q / C would mark while
    there is a selection, the current annotation (with the L hint), or a hint;
    ``error_reported(str)`` an InputError's message, for a message box;
    ``read_only_changed(bool)`` the project is (now) read-only, or writable again (another
    project); ``reloaded()`` the views were re-read from the store (another connection
    changed the project).

    ``ask_retry(message) -> bool`` is asked when the project is locked by another program:
    True repeats the write (the window sets it to a Retry / Cancel message box).
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

    def __init__(self, store: Store, view: AnnotatedTextView, speakers: SpeakersPanel, claims: ClaimsPanel,
                 sentiment: SentimentPanel, documents: DocumentsPanel, parent: QObject | None = None):
        super().__init__(parent)
        self.store = store
        self.view, self.speakers, self.claims = view, speakers, claims
        self.sentiment, self.documents = sentiment, documents
        self.undo_stack = QUndoStack(self)
        self.doc: Document | None = None
        self.current: int | None = None
        self.last_claim: int | None = None  # the claim L links to: the last claim made current
        self.places: dict[int, tuple[int, int, int]] = {}  # document -> view.place(), this session
        self.ask_retry: Callable[[str], bool] = lambda _message: False
        self._writing = False  # a write (and maybe its Retry / Cancel box) is under way
        self._data_version = self._version()
        view.describe_span = self.describe
        view.selection_changed.connect(self._selection_changed)
        view.span_clicked.connect(self.set_current)
        view.hovered.connect(self._hovered)
        view.cursor_moved.connect(self._cursor_moved)
        speakers.mentions_of = self.mentions_of
        speakers.new_requested.connect(self.new_speaker)
        speakers.rename_requested.connect(lambda eid, name: self.run(ops.rename_entity, eid, name))
        speakers.retype_requested.connect(lambda eid, kind: self.run(ops.set_entity_type, eid, kind))
        speakers.merge_requested.connect(lambda keep, gone: self.run(ops.merge_entities, keep, gone))
        speakers.delete_requested.connect(lambda eid: self.run(ops.delete_entity, eid))
        speakers.mention_activated.connect(self.set_current)
        claims.claim_activated.connect(self.set_current)
        claims.edit_requested.connect(self._claim_cell_edited)
        sentiment.claim_edit_requested.connect(self._sentiment_edited)
        sentiment.document_edit_requested.connect(self._document_edited)
        sentiment.target.returnPressed.connect(self.view.setFocus)
        for clicked in (claims.view.clicked, speakers.mentions.itemClicked):
            clicked.connect(lambda *_: self.view.setFocus())  # so the single keys act on it
        documents.open_requested.connect(self.open_document)

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
        return self._writing

    def set_store(self, store: Store) -> None:
        """Show another project (the previous store is closed; the undo history cleared)."""
        if store is not self.store:
            self.remember_document()
        old, self.store = self.store, store
        self.undo_stack.clear()
        self.places.clear()  # another project: its document ids are other documents
        self.claims.store = store
        self.sentiment.set_schema(store.schema)
        self.documents.model.reload(store)
        self.speakers.model.reload(store, None)
        self.doc = None
        if old is not store:
            old.close()
        self._data_version = self._version()
        self.read_only_changed.emit(self.read_only)
        self.open_initial()

    def remember_document(self) -> None:
        """Store the shown document as the project's ``last_document`` (opened first next
        time). Written when the window closes or shows another project, not at every change
        of document: a setting is a commit, which other windows would see as a change of
        the project. Never in a read-only project; a locked or failing project just does
        not remember it (it is a setting, not an edit)."""
        if self.doc_id is None or self.read_only:
            return
        try:
            if self.store.meta("last_document") != str(self.doc_id):
                self.store.set_meta("last_document", str(self.doc_id))
        except ReadOnlyError:
            self.read_only_changed.emit(True)
        except (AnnotatorError, sqlite3.Error):
            pass
        self._data_version = self._version()

    def open_initial(self) -> None:
        """Open the document shown last time in this project, else the first one."""
        ids = self.documents.model.ids()
        last = self.store.meta("last_document")
        wanted = int(last) if last and last.isdigit() and int(last) in ids else (ids[0] if ids else None)
        self.open_document(wanted)

    def open_document(self, doc_id: int | None) -> None:
        """Show ``doc_id`` (None: nothing) in the view and the panels, with the cursor and
        scroll position it had when it was last shown in this session (else at its start)."""
        if self.doc is not None and doc_id != self.doc_id:
            self.places[self.doc.id] = self.view.place()
        self.doc = self.store.document(doc_id) if doc_id is not None else None
        spans = self.store.spans(doc_id) if doc_id is not None else []
        text = self.doc.text if self.doc else ""
        self.current = self.last_claim = None
        self.view.set_document(text, spans, self.store.schema)
        self.claims.model.set_document(doc_id, text, spans, {e.id: e.name for e in self.store.entities()})
        self.speakers.model.reload(self.store, doc_id)
        self.sentiment.show_document(self.doc)
        self.sentiment.show_claim(None, text)
        self.documents.show_current(doc_id)
        place = self.places.get(doc_id) if doc_id is not None else None
        if place is not None:
            self.view.restore_place(place)
        else:
            self.view.set_cursor(0)
        self.document_opened.emit(-1 if doc_id is None else doc_id)
        self.refresh_description()

    def next_document(self, step: int = 1) -> None:
        ids = self.documents.model.ids()
        if not ids:
            return
        at = ids.index(self.doc_id) if self.doc_id in ids else -step
        if 0 <= at + step < len(ids):
            self.open_document(ids[at + step])
        else:
            self.message_posted.emit("This is the last document." if step > 0 else "This is the first document.")

    # --- edits ------------------------------------------------------------------------------

    def attempt(self, write: Callable[[], T], what: str = "edit") -> tuple[bool, T | None]:
        """Run ``write`` (a function that writes to the store): the one place where the
        window's writes meet the store's failures. Returns ``(True, its result)``, or
        ``(False, None)`` when it was not applied:

        - read-only project: refused at once, the status bar says why;
        - StoreBusyError (another program holds the project): ``ask_retry`` decides;
          Retry runs ``write`` again, until it succeeds or the user cancels;
        - StoreWriteError (disk full, input/output error): ``error_reported``; the store
          rolled the write back, so the views stay as they are;
        - ReadOnlyError (the file became read-only): the window turns read-only.

        Other errors (InputError...) are the caller's."""
        if self.read_only:
            self._refuse_read_only(what)
            return False, None
        self._writing = True
        try:
            while True:
                try:
                    return True, write()
                except StoreBusyError as exc:
                    if not self.ask_retry(f"{LOCKED.format(what=what)}\n\n{exc}"):
                        self.message_posted.emit(f"Not applied: the project is locked by another program; "
                                                 f"your {what} was cancelled.")
                        return False, None
                except StoreWriteError as exc:
                    self.error_reported.emit(f"Could not save your {what}: {exc}")
                    return False, None
                except ReadOnlyError as exc:
                    self.message_posted.emit(f"Not applied: {exc}")
                    self.read_only_changed.emit(True)
                    return False, None
        finally:
            self._writing = False

    def _refuse_read_only(self, what: str) -> None:
        self.message_posted.emit(f"Read-only project: your {what} was not applied. {self.store.read_only_reason or ''}".strip())

    def run(self, operation: Callable[..., Change], *args) -> Change | None:
        """Run an annotating operation (through :meth:`attempt`), push its Change on the undo
        stack and update the views. An InputError (or another failure, after which the store
        is unchanged) becomes ``error_reported``; returns None when nothing was applied."""
        try:
            ok, change = self.attempt(lambda: operation(self.store, *args))
        except AnnotatorError as exc:
            self.error_reported.emit(str(exc))
            return None
        except sqlite3.Error as exc:
            self.error_reported.emit(f"The edit failed and was not applied: {exc}")
            return None
        if not ok:
            return None
        if change:
            self.undo_stack.push(ChangeCommand(self.store, change, self.apply_change))
            self.apply_change(change)
        return change

    def apply_change(self, change: Change) -> None:
        """Update every view from the rows of ``change`` (already in the store)."""
        self.documents.model.apply_change(change)
        ids = self.documents.model.ids()
        docs = change.document_ids() & set(ids)
        if len(docs) == 1 and self.doc_id not in docs and not change.document_ids() - docs:
            self.open_document(docs.pop())  # undo / redo in another document: show it there
            self.change_applied.emit(change)
            return
        if self.doc_id is not None and self.doc_id not in ids:
            self.open_document(ids[0] if ids else None)  # the shown document was removed
        elif any(r.before is None or r.after is None for r in change.of("documents")):
            self.documents.show_current(self.doc_id)  # the list was re-read
        removed, changed = [], []
        for r in change.of("spans"):
            if (r.after or r.before)["document_id"] != self.doc_id:
                continue
            if r.after is None:
                removed.append(r.id)
            else:
                changed.append(span_from_row(r.after))
        self.view.apply_span_changes(removed, changed)
        self.claims.model.apply_change(change)
        self.speakers.model.apply_change(change)
        for r in change.of("documents"):
            if r.id == self.doc_id and r.after is not None:
                self.doc = self.store.document(r.id)  # the change's row has no text
                self.sentiment.show_document(self.doc)
                self.document_changed.emit()
        if self.current is not None and self.current in removed:
            self.set_current(None)
        else:
            self.sentiment.show_claim(self.current_claim(), self.view.text)
        self.speakers.show_mentions()
        self.refresh_description()
        self.change_applied.emit(change)

    def undo(self) -> None:
        self._step(undo=True)

    def redo(self) -> None:
        self._step(undo=False)

    def _step(self, undo: bool) -> None:
        """Undo or redo one command, written through :meth:`attempt` BEFORE the undo stack
        moves, so a locked or failing project leaves the stack, the store and the views as
        they were. A command whose rows were changed elsewhere (another window, or the
        project reloaded) is never applied over those changes: the views are reloaded and
        the undo history cleared, with a message."""
        stack, verb = self.undo_stack, "undo" if undo else "redo"
        if not (stack.canUndo() if undo else stack.canRedo()):
            self.message_posted.emit(f"Nothing to {verb}.")
            return
        if self.read_only:
            self._refuse_read_only(verb)
            return
        if self.poll():  # another connection committed: the history was cleared
            self.error_reported.emit(CHANGED_ELSEWHERE.format(verb=verb))
            return
        command = stack.command(stack.index() - 1 if undo else stack.index())
        text = command.text()
        change = command.change.inverted() if undo else command.change
        try:
            if not self._still_applies(change):
                raise InputError("the rows of this edit were changed")
            ok, _ = self.attempt(lambda: command.write(undo), verb)
        except (AnnotatorError, sqlite3.Error):  # a row deleted or changed elsewhere, a broken link
            self._changed_elsewhere(verb)
            return
        if not ok:
            return
        if undo:  # the command sees that its write is done: it only updates the views
            stack.undo()
        else:
            stack.redo()
        self._reveal(change)
        self.message_posted.emit(f"{'Undone' if undo else 'Redone'}: {text}")

    def _reveal(self, change: Change) -> None:
        """After an undo or redo: if none of the text ``change`` touched in the shown
        document is on screen, put the cursor at its start and show it there; else leave
        the cursor and the view alone."""
        extents = [(row["start"], row["end"]) for row in change.span_rows() if row["document_id"] == self.doc_id]
        if not extents:
            return
        start, end = min(a for a, _ in extents), max(b for _, b in extents)
        if not self.view.shows_range(start, end):
            self.view.set_cursor(start)

    def _still_applies(self, change: Change) -> bool:
        """True if every row ``change`` writes is, in the store, as ``change`` expects it
        (its ``before``): then applying it restores exactly what the undo stack recorded."""
        expected: dict[tuple[str, int], RowChange] = {}
        for r in change.rows:
            expected.setdefault((r.table, r.id), r)  # the first state the change meets
        return all(self._row_is(r) for r in expected.values())

    def _row_is(self, r: RowChange) -> bool:
        want = r.before
        store = self.store
        if r.table == "spans":
            return store.span(r.id) == (span_from_row(want) if want else None)
        if r.table == "entities":
            return store.entity(r.id) == (entity_from_row(want) if want else None)
        if r.table == "documents":  # an edit's document rows leave the (unchanging) text out
            try:
                have = store.document(r.id)
            except InputError:
                return want is None
            return want is not None and all(
                getattr(have, k) == (want[k] or "" if k == "source" else want[k])
                for k in ("title", "status", "polarity", "source") if k in want)
        if r.table == "relations":
            doc_id = (r.before or r.after)["document_id"]
            have = next((rel for rel in store.relations(doc_id) if rel.id == r.id), None)
            return have == (relation_from_row(want) if want else None)
        return True

    def _changed_elsewhere(self, verb: str) -> None:
        self.undo_stack.clear()
        self.reload()
        self._data_version = self._version()
        self.error_reported.emit(CHANGED_ELSEWHERE.format(verb=verb))

    # --- other windows ------------------------------------------------------------------

    def _version(self) -> int | None:
        try:
            return self.store.data_version()
        except (sqlite3.Error, AnnotatorError):  # closed, or unreadable: nothing to compare
            return None

    def poll(self) -> bool:
        """Reload the views if another connection (a second window, the command line)
        committed a change since the last look (``PRAGMA data_version``); the undo stack is
        cleared then, since its changes may no longer apply. Returns True if it reloaded.
        Waits while a write is under way or a cell or field of a panel is being edited."""
        if self._writing or self._editing():
            return False
        version = self._version()
        if version is None or version == self._data_version:
            return False
        self._data_version = version
        had_history = self.undo_stack.count() > 0
        self.undo_stack.clear()
        self.reload()
        self.message_posted.emit(RELOADED + ("; the undo history was cleared (its edits may no longer apply)."
                                             if had_history else "."))
        return True

    def _editing(self) -> bool:
        views = (self.claims.view, self.speakers.view)
        return self.sentiment.target.hasFocus() or any(
            v.state() == QAbstractItemView.State.EditingState for v in views)

    def reload(self) -> None:
        """Re-read the document list, the shown document's spans and the panels from the
        store, keeping the document, the cursor (and selection), the scroll position, the
        current annotation and the selected speaker where they still exist."""
        doc_id, view = self.doc_id, self.view
        cursor = view.textCursor()
        anchor, position = cursor.anchor(), cursor.position()
        scroll = view.verticalScrollBar().value()
        current, last_claim, speakers = self.current, self.last_claim, self.speakers.selected_ids()
        self._reload_schema()  # also forgets the store's cached texts (a restore elsewhere can
                               # bring back document ids with other texts)
        self.documents.model.reload(self.store)
        ids = self.documents.model.ids()
        if doc_id not in ids:
            self.open_document(ids[0] if ids else None)
            self.reloaded.emit()
            return
        self.open_document(doc_id)
        if current is not None and current in view.index:
            self.set_current(current)
        self.last_claim = last_claim if last_claim is not None and last_claim in view.index else None
        if speakers and self.speakers.model.row_of(speakers[0]) >= 0:
            self.speakers.select_entity(speakers[0])
        end = view.document().characterCount() - 1
        restored = QTextCursor(view.document())
        restored.setPosition(min(anchor, end))
        restored.setPosition(min(position, end), QTextCursor.MoveMode.KeepAnchor)
        view.setTextCursor(restored)
        view.verticalScrollBar().setValue(scroll)
        self.refresh_description()
        self.reloaded.emit()

    def _reload_schema(self) -> None:
        """Labels another window's import added to the project (the store reads its schema
        once, when opened)."""
        try:
            changed = self.store.refresh()
        except (AnnotatorError, sqlite3.Error, ValueError):
            return
        if changed:
            self.sentiment.set_schema(self.store.schema)

    # --- the current span -------------------------------------------------------------

    def set_current(self, span_id: int | None) -> None:
        """Make ``span_id`` the current annotation (None: none) everywhere."""
        if span_id is not None and self.view.index.get(span_id) is None:
            span_id = None
        self.current = span_id
        self.view.set_current_span(span_id)
        claim = self.current_claim()
        self.claims.show_current(claim.id if claim else None)
        self.sentiment.show_claim(claim, self.view.text)
        if span_id is not None:
            span = self.view.index.get(span_id)
            if span.label == CLAIM:
                self.last_claim = span.id
            self._show_current()
            entity = span.entity_id if span.entity_id is not None else (claim.speaker_id if claim else None)
            if entity is not None:
                self.speakers.select_entity(entity)
        self.current_span_changed.emit(-1 if span_id is None else span_id)

    def current_span(self) -> Span | None:
        return self.view.index.get(self.current) if self.current is not None else None

    def link_claim(self) -> Span | None:
        """The claim L links to: the last claim that was current, if it still exists."""
        return self.view.index.get(self.last_claim) if self.last_claim is not None else None

    def link_pair(self) -> tuple[Span, Span] | None:
        """What L would link: ``(mention or cue, claim)``. With a mention or cue current, that
        span and the claim that was current before it; otherwise the innermost mention or cue
        at the cursor (moved there by the arrow keys) and the current claim (or, without one,
        the last). None when either is missing."""
        span = self.current_span()
        if span is not None and span.label in (SPEAKER, CUE):
            claim = self.link_claim()
        else:
            claim = span if span is not None and span.label == CLAIM else self.link_claim()
            at = [] if self.view.textCursor().hasSelection() else self.view.spans_at(self.view.cursor_offset())
            span = next((s for s in at if s.label in (SPEAKER, CUE)), None)
        return (span, claim) if span is not None and claim is not None else None

    def refresh_description(self) -> None:
        """Describe in the status line what is there now: the selection (what S / Q / C
        would mark), else the current annotation, else what is at the cursor (or the hint)."""
        if self.doc is None:
            self.described.emit(HINT)
        elif not self.view.textCursor().hasSelection() and self.current_span() is not None:
            self._show_current()
        else:
            self._cursor_moved(self.view.cursor_offset())

    def _show_current(self) -> None:
        """The current annotation in the status line, with what L would do."""
        span = self.current_span()
        if span is not None:
            self.described.emit(self.describe(span) + self._link_hint([span]))

    def _link_hint(self, shown: list[Span]) -> str:
        """What L would do, if it would act on one of the ``shown`` spans."""
        pair = self.link_pair()
        if pair is None or pair[0].id not in {s.id for s in shown}:
            return ""
        span, claim = pair
        quoted = f"claim “{_elide(' '.join(claim.text(self.view.text).split()), 40)}”"
        role = "source" if span.label == SPEAKER else "cue"
        if span.id == (claim.source_id if span.label == SPEAKER else claim.cue_id) and (
                span.label == CUE or span.entity_id in (None, claim.speaker_id)):
            return f"  ·  {role} of {quoted}"
        if len(shown) > 1:
            surface = _elide(" ".join(span.text(self.view.text).split()), 30)
            return f"  ·  L: link “{surface}” to {quoted}"
        return f"  ·  L: link this to {quoted}"

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

    # --- annotation actions ---------------------------------------------------------------

    def _selection(self, what: str) -> tuple[int, int] | None:
        rng = self.view.selection_range() if self.doc else None
        if rng is None:
            self.message_posted.emit(f"Select some text first, then {what}.")
        return rng

    def _marked(self, change: Change | None, end: int) -> None:
        if change:
            self.set_current(change.created_id("spans"))
            self.view.set_cursor(end)
            self._show_current()  # the cursor moved: describe the new span again

    def _already_marked(self, label: str, rng: tuple[int, int], entity_id: int | None = None) -> bool:
        """If a span of ``label`` covers exactly ``rng`` (and, given ``entity_id``, is a mention of
        that entity), make it current instead of adding a twin (C pressed twice, a key repeat)."""
        frags = tuple(ops.trim_fragments(self.view.text, [rng]))
        twin = next((s for s in (self.view.index.at(frags[0][0]) if frags else [])
                     if s.label == label and tuple(s.fragments) == frags
                     and (entity_id is None or s.entity_id == entity_id)), None)
        if twin is None:
            return False
        self.set_current(twin.id)
        self.view.set_cursor(twin.end)
        self._show_current()
        self.message_posted.emit(f"Already marked: {self.describe(twin)}")
        return True

    def mark(self, label: str) -> None:
        """Mark the selection as a span of ``label`` (speaker / cue / claim); a selection that
        is exactly a span of that label already makes that span current."""
        rng = self._selection(f"press {self.store.schema.label(label).key} to mark it as a {label}")
        if rng is None or self._already_marked(label, rng):
            return
        operation = {SPEAKER: ops.mark_speaker, CLAIM: ops.mark_claim}.get(label, ops.mark_cue)
        change = self.run(operation, self.doc.id, [rng])
        self._marked(change, rng[1])
        if change and label == SPEAKER:
            if change.created_id("entities") is None:
                self._joined(change)
            self._without_digit(change)

    def _without_digit(self, change: Change) -> None:
        """Say so when the speaker of a new mention has no digit (all nine were given when
        the document opened)."""
        span = self.view.index.get(change.created_id("spans"))
        model = self.speakers.model
        if span is not None and span.entity_id is not None and model.number_of(span.entity_id) is None:
            hint = "" if model.document_only else \
                " Tick “This document only” in the Speakers panel to number only this document's speakers."
            self.message_posted.emit(f"{self._name(span.entity_id)} has no digit: #1–#9 are taken while this "
                                     f"document is open.{hint}")

    def _joined(self, change: Change) -> None:
        """Say which speaker a new mention joined when its text is not that speaker's name
        ("U.S. Secretary of State Antony Blinken" joins Antony Blinken)."""
        span = self.store.span(change.created_id("spans"))
        entity = self.store.entity(span.entity_id) if span and span.entity_id is not None else None
        if entity is None:
            return
        mention = ops.mention_name(self.view.text, span.fragments)
        if mention.casefold() not in {n.casefold() for n in (entity.name, *entity.aliases)}:
            digit = self.speakers.model.number_of(entity.id)
            number = f" (#{digit})" if digit is not None else ""
            self.message_posted.emit(f"“{mention}” is a mention of {entity.name}{number}, named in it. "
                                     "Someone else? Ctrl+Z, then New in the Speakers panel.")

    def new_speaker(self) -> None:
        rng = self._selection("press New to make a speaker of it")
        if rng is not None:
            change = self.run(ops.mark_new_speaker, self.doc.id, [rng])
            self._marked(change, rng[1])
            if change:
                self._without_digit(change)

    def speaker_number(self, n: int) -> None:
        """Selection: mark it as a mention of speaker #n; else attribute the current claim."""
        entity = self.speakers.model.numbered(n)
        if entity is None:
            self.message_posted.emit(f"There is no speaker #{n}: mark a mention with S first.")
            return
        rng = self.view.selection_range() if self.doc else None
        if rng is not None:
            if not self._already_marked(SPEAKER, rng, entity.id):
                self._marked(self.run(ops.mark_speaker, self.doc.id, [rng], entity.id), rng[1])
            return
        claim = self._claim_or_hint()
        if claim is not None and self.run(ops.attribute_claim, claim.id, entity.id):
            self.message_posted.emit(f"Claim attributed to {entity.name}.")

    def _claim_or_hint(self) -> Span | None:
        claim = self.current_claim()
        if claim is None:
            self.message_posted.emit("No current claim: click one, or press ] to reach it.")
        return claim

    def set_polarity(self, value: str) -> None:
        """Set the current claim's polarity; the same value again clears it."""
        claim = self._claim_or_hint()
        if claim is not None:
            self.run(ops.set_claim_attribute, claim.id, "polarity", None if claim.polarity == value else value)

    def cycle(self, name: str) -> None:
        claim = self._claim_or_hint()
        if claim is not None:
            value = ops.cycle_value(self.store.schema, name, getattr(claim, name))
            if self.run(ops.set_claim_attribute, claim.id, name, value):
                self.message_posted.emit(f"{name.title()}: {value or 'none'}")

    def link_to_claim(self) -> None:
        """L: a speaker mention becomes the source (and its entity the speaker), a cue the
        cue, of a claim; which ones: :meth:`link_pair`."""
        pair = self.link_pair()
        if pair is None:
            current = self.current_span()
            if current is not None and current.label in (SPEAKER, CUE):
                self.message_posted.emit("No claim to link to: make the claim current first (a click, or ] / [), "
                                         "then this mention or cue, and press L.")
            else:
                self.message_posted.emit("L links a speaker mention or cue to a claim: make the claim current, then "
                                         "the mention or cue (] / [, a click, or the cursor on it), then press L.")
            return
        span, claim = pair
        change = self.run(ops.link_to_claim, claim.id, span.id)
        if change is None:
            return
        role = "source" if span.label == SPEAKER else "cue"
        surface = _elide(" ".join(span.text(self.view.text).split()), 40)
        quoted = _elide(" ".join(claim.text(self.view.text).split()), 40)
        self.message_posted.emit(f"“{surface}” is {'now' if change else 'already'} the {role} of claim “{quoted}”.")
        self._show_current()

    def clear_links(self) -> None:
        """Shift+L: clear the current claim's source and cue links (its speaker stays)."""
        claim = self._claim_or_hint()
        if claim is None:
            return
        change = self.run(ops.clear_links, claim.id)
        if change:
            self.message_posted.emit("Source and cue links cleared.")
        elif change is not None:
            self.message_posted.emit("This claim has no source or cue link.")
        self._show_current()

    def edit_target(self) -> None:
        if self._claim_or_hint() is not None:
            self.sentiment.focus_target()

    def delete_current(self) -> None:
        if self.current is None:
            self.message_posted.emit("No current annotation: click one, or press ] to reach it.")
        else:
            self.run(ops.delete_span, self.current)

    def set_document_polarity(self, value: str) -> None:
        if self.doc is not None:
            self.run(ops.set_document_polarity, self.doc.id, None if self.doc.polarity == value else value)

    def toggle_done(self) -> None:
        if self.doc is not None and self.run(ops.toggle_done, self.doc.id):
            self.message_posted.emit(f"Document status: {self.doc.status}")

    def set_snap_to_words(self, on: bool) -> None:
        self.view.snap_to_words = on
        self.message_posted.emit("Selections snap to whole words." if on else "Selections follow characters exactly.")

    # --- panel requests ---------------------------------------------------------------------

    def _claim_cell_edited(self, claim_id: int, field: str, value) -> None:
        if field == "speaker":
            self.run(ops.attribute_claim, claim_id, value)
        else:
            self.run(ops.set_claim_attribute, claim_id, field, value)

    def _sentiment_edited(self, name: str, value) -> None:
        claim = self.current_claim()
        if claim is not None:
            self.run(ops.set_claim_attribute, claim.id, name, value)

    def _document_edited(self, field: str, value) -> None:
        if self.doc is not None:
            operation = ops.set_document_status if field == "status" else ops.set_document_polarity
            self.run(operation, self.doc.id, value)

    def mentions_of(self, entity_id: int) -> list[tuple[int, str]]:
        """``(span id, line)`` for each mention of the entity in the shown document."""
        return [(s.id, f"{' '.join(s.text(self.view.text).split())}  — at {s.start}")
                for s in self.view.index if s.label == SPEAKER and s.entity_id == entity_id]

    # --- descriptions -------------------------------------------------------------------------

    def describe(self, span: Span | None) -> str:
        """One line about a span (tooltips, status bar)."""
        if span is None:
            return ""
        return ops.describe_span(span, self.view.text, self.store.schema, self._name)

    def _name(self, entity_id: int) -> str:
        return self.claims.model.names.get(entity_id) or f"#{entity_id}"

    def describe_selection(self) -> str | None:
        """What S / Q / C would mark now, computed as marking computes it
        (``view.selection_range()`` then :func:`annotating.trim_fragments`): "Selection:
        “believe” (S speaker · Q cue · C claim)". None when nothing is selected."""
        if self.doc is None or not self.view.textCursor().hasSelection():
            return None
        rng = self.view.selection_range()
        frags = ops.trim_fragments(self.view.text, [rng]) if rng else []
        if not frags:
            return "Selection: only spaces, nothing to mark"
        surface = _elide(" ".join(" ".join(self.view.text[a:b] for a, b in frags).split()), SELECTION_WIDTH)
        keys = " · ".join(f"{lab.key} {lab.name}" for lab in self.store.schema.labels if lab.key)
        return f"Selection: “{surface}” ({keys})"

    def _selection_changed(self) -> None:
        text = self.describe_selection()
        if text is not None:
            self.described.emit(text)
        else:  # cleared: what is at the cursor
            self._cursor_moved(self.view.cursor_offset())

    def _hovered(self, offset: int) -> None:
        spans = self.view.spans_at(offset) if offset >= 0 else []
        if spans and not self.view.textCursor().hasSelection():  # the selection line stays
            self.described.emit(" | ".join(self.describe(s) for s in spans))

    def _cursor_moved(self, offset: int) -> None:
        selection = self.describe_selection()
        if selection is not None:
            self.described.emit(selection)
            return
        spans = self.view.spans_at(offset) if self.doc else []
        self.described.emit(" | ".join(self.describe(s) for s in spans) + self._link_hint(spans) if spans else HINT)


def _elide(text: str, width: int) -> str:
    """``text`` cut in the middle to ``width`` code points, so both of its ends show."""
    if len(text) <= width:
        return text
    head = (width - 1) // 2
    return text[:head] + "…" + text[len(text) - (width - 1 - head):]
