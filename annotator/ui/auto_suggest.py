"""Suggesting a document in the background: a document opened for the first time (when the
user turned it on), or the shown one on request (Annotate > Suggestions > Suggest This
Document).

The engine (:class:`annotator.core.suggest.engine.Engine`, the rules with VADER: what
``annotator suggest`` runs without a model) works in a worker thread on plain data (the
text, the known entities, the spans already there), never on the store: the GUI thread reads
those before and writes the result after through the controller's write path
(``Controller.attempt``), :data:`CHUNK` suggestions per store edit with the event loop running
between two (the keys, the repaint), then puts the chunks on the undo stack as ONE command,
so typing and clicking go on meanwhile and one Ctrl+Z takes the suggestions away again. While
they are written the review keys wait (``SuggestionReview.busy``). The worker thread's side
is :mod:`annotator.ui.suggest_worker`. The status bar shows "Suggesting …" with a busy bar
and a Cancel
button while it works; Cancel (or opening another document, or another project) drops the
result (the engine finishes the document it is on, then stops).

Automatic suggesting is a preference of the window (:data:`SETTING`, kept with QSettings
by :mod:`annotator.ui.settings`), OFF by default: pre-annotation anchors annotators to what
is proposed (Fort and Sagot 2010, "Influence of pre-annotation on POS-tagged corpus
development", LAW IV), so each annotator turns it on knowingly. It suggests a document once:

* only a document with status ``new`` that has no suggested or rejected span yet and was
  never suggested in the window before (the project setting ``suggested:<id>``, written
  when the suggestions are stored, or found to be none; undoing them does not clear it);
* never in a read-only project; never twice at once for the same document.

Spans the user made while the engine worked win: a suggestion that overlaps a span of the
same label stored meanwhile is dropped, and a speaker entity removed meanwhile is not linked.

Signals of :class:`AutoSuggest`: ``started(int)`` (the document id), ``finished(int, int)``
(the document id, the number of spans written; -1 when dropped or failed).
"""
from __future__ import annotations

import dataclasses
import sys
from datetime import datetime, timezone

from PySide6.QtCore import QEvent, QObject, Qt, QThread, QTimer, Signal, Slot

from annotator.core.errors import AnnotatorError, ReadOnlyError
from annotator.core.operations import NEW
from annotator.core.store import Change
from annotator.core.suggest import project as bridge
from annotator.ui import settings
from annotator.ui.events import OpenedDocument
from annotator.ui.suggest_worker import SuggestProgress, SuggestWorker
from annotator.ui.undo import ChangeCommand

SETTING = "suggestions/automatic"  # bool, default False: suggest documents opened for the first time
MARK = "suggested:{}"  # project setting: the document was suggested once (UTC time)
SWITCH_INTERVAL = 0.0005  # s: the interpreter's thread switch interval while the engine works
CHUNK = 25  # suggestions written per store edit; the event loop runs between two


def automatic() -> bool:
    """The user's choice: suggest documents opened for the first time (default off)."""
    return settings.get_bool(SETTING, False)


class AutoSuggest(QObject):
    """Suggests documents in a worker thread for ``window`` (its controller, events and
    status bar); see the module docstring. ``job`` is the document being suggested (None:
    idle); ``progress`` the status bar widget."""

    requested = Signal(int, str, object, object)  # to the worker: job, text, known, taken
    started = Signal(int)
    finished = Signal(int, int)

    def __init__(self, window, parent: QObject | None = None):
        super().__init__(parent)
        self.window = window
        self.controller = window.controller
        self.job: tuple[int, int, bool] | None = None  # (job number, document id, automatic)
        self.taken: list = []  # the job's document's spans when it started (bridge.taken)
        self._jobs = 0
        self.progress = SuggestProgress(window)
        window.statusBar().addPermanentWidget(self.progress)
        self.progress.cancel.clicked.connect(self.cancel)
        self.thread = QThread(self)  # started with the first job, stopped when the window closes
        self.thread.setObjectName("suggest_thread")
        self.worker = SuggestWorker()
        self.worker.moveToThread(self.thread)
        self.requested.connect(self.worker.run, Qt.ConnectionType.QueuedConnection)
        self.worker.done.connect(self._done, Qt.ConnectionType.QueuedConnection)
        self.worker.failed.connect(self._failed, Qt.ConnectionType.QueuedConnection)
        self._closed = False
        self._switch: float | None = None  # the switch interval to restore when the job ends
        self.writing: _Writing | None = None  # the result being written, chunk by chunk
        window.events.document_opened.connect(self._document_opened)
        window.events.store_replaced.connect(lambda _store: self.cancel())
        window.installEventFilter(self)

    # --- when ------------------------------------------------------------------------------

    def eligible(self, doc_id: int | None) -> bool:
        """True if document ``doc_id`` is to be suggested automatically now (see the module
        docstring); reads the store."""
        store = self.controller.store
        if doc_id is None or store.read_only or (self.job is not None and self.job[1] == doc_id):
            return False
        doc = store.document(doc_id)
        if doc is None or doc.status != NEW or store.meta(MARK.format(doc_id)) is not None:
            return False
        return not store.spans(doc_id, statuses=("suggested", "rejected"))

    def _document_opened(self, opened: OpenedDocument) -> None:
        if self.job is not None and self.job[1] != opened.id:
            self.cancel()  # its result belongs to a document no longer shown
        if automatic() and self.eligible(opened.id):
            self.start(opened.id, automatic=True)

    def set_automatic(self, on: bool) -> None:
        """Turn automatic suggesting on or off (kept in the preferences); turned on, the
        shown document is suggested now if it qualifies."""
        settings.set_value(SETTING, bool(on))
        self.controller.message_posted.emit(
            "New documents will be suggested when first opened." if on else "New documents will not be suggested.")
        if on and self.eligible(self.controller.doc_id):
            self.start(self.controller.doc_id, automatic=True)

    def suggest_document(self) -> None:
        """Suggest the shown document now (whatever the preference; what is there stays)."""
        ctl = self.controller
        if ctl.doc_id is None:
            ctl.message_posted.emit("No document to suggest.")
        elif ctl.read_only:
            ctl.edits.refuse_read_only("suggestions")
        elif self.job is not None and self.job[1] == ctl.doc_id:
            ctl.message_posted.emit("This document is being suggested already.")
        else:
            self.start(ctl.doc_id, automatic=False)

    # --- the job ---------------------------------------------------------------------------

    def start(self, doc_id: int, automatic: bool) -> None:
        """Hand document ``doc_id`` to the worker (a job under way is cancelled first)."""
        if self.job is not None:
            self.cancel()
        if self._closed:
            return
        if not self.thread.isRunning():
            self.thread.start()
        store = self.controller.store
        self._jobs += 1
        self.job = (self._jobs, doc_id, automatic)
        title = store.document(doc_id).title
        self.progress.label.setText(f"Suggesting {title[:40]}…" if title else "Suggesting…")
        self.progress.show()
        if self._switch is None:  # the GUI thread waits less for the interpreter lock
            self._switch = sys.getswitchinterval()
            sys.setswitchinterval(SWITCH_INTERVAL)
        self.taken = bridge.taken(store, doc_id)
        self.started.emit(doc_id)
        self.requested.emit(self._jobs, store.document_text(doc_id), bridge.known_entities(store), self.taken)

    def stop_suggesting(self) -> None:
        """Annotate > Suggestions > Stop Suggesting: :meth:`cancel`, or say there is nothing to stop."""
        if self.job is None:
            self.controller.message_posted.emit("Nothing is being suggested.")
        else:
            self.cancel()

    def cancel(self) -> None:
        """Drop the job under way: its result is not written, or, if it is being written,
        the rest is not (what was written stays, one undo step); nothing if idle."""
        if self.job is None:
            return
        job, doc_id, _ = self.job
        self.worker.cancel(job)
        written = self._end_writing()
        self._finish(doc_id, -1)
        self.controller.message_posted.emit(
            f"Suggesting stopped: {written} suggested spans were written (Ctrl+Z removes them)." if written
            else "Suggesting cancelled: nothing was written.")

    def _finish(self, doc_id: int, written: int) -> None:
        self.job = None
        if self._switch is not None:
            sys.setswitchinterval(self._switch)
            self._switch = None
        self.progress.hide()
        self.finished.emit(doc_id, written)

    @Slot(int, str)
    def _failed(self, job: int, message: str) -> None:
        if self.job is not None and self.job[0] == job:
            self._finish(self.job[1], -1)
            self.controller.error_reported.emit(f"Could not suggest this document: {message}")

    @Slot(int, object)
    def _done(self, job: int, found: list) -> None:
        """The worker's result for ``job``: written into the shown document as one edit,
        unless the job was cancelled, the document is no longer shown, or the project turned
        read-only."""
        if self.job is None or self.job[0] != job:
            return  # cancelled: dropped
        _, doc_id, _ = self.job
        ctl = self.controller
        if ctl.doc_id != doc_id or ctl.read_only:
            self._finish(doc_id, -1)
            return
        if ctl.writing:  # a write waits in its Retry / Cancel box: come back after it
            QTimer.singleShot(200, lambda: self._done(job, found))
            return
        self.writing = _Writing(job, doc_id, list(found), list(self.taken))
        self.window.review.busy = True
        self._write_next()

    def _write_next(self) -> None:
        """Write the next :data:`CHUNK` suggestions (one store edit, shown at once), then let
        the event loop run (keys, repaint) before the next chunk; after the last, push the
        chunks on the undo stack as ONE command and remember the document as suggested."""
        w = self.writing
        if w is None:
            return
        ctl = self.controller
        if ctl.doc_id != w.doc_id or ctl.read_only:
            self.cancel()
            return
        if ctl.writing:  # a write waits in its Retry / Cancel box: come back after it
            QTimer.singleShot(200, self._write_next)
            return
        chunk = still_free(ctl.store, w.doc_id, w.todo[:CHUNK], w.before)
        del w.todo[:CHUNK]
        if chunk:
            try:
                ok, change = ctl.attempt(lambda: _writer(chunk)(ctl.store, w.doc_id), "suggestions")
            except AnnotatorError as exc:
                ctl.error_reported.emit(str(exc))
                ok, change = False, None
            if not ok:  # locked and cancelled, failed, read-only: what is written stays, not marked
                self.cancel()
                return
            if change:
                w.changes.append(change)
                w.before += [(span.label, span.fragments) for span in change.spans.added]
                ctl.apply_change(change)
        if w.todo:
            QTimer.singleShot(0, self._write_next)
            return
        written = self._end_writing()
        self._mark(w.doc_id)
        self._finish(w.doc_id, written)
        ctl.message_posted.emit(f"{written} suggestion{'s' * (written != 1)} in this document: . goes to the "
                                "first, A accepts, R rejects." if written else "No suggestions for this document.")

    def _end_writing(self) -> int:
        """Stop writing; the chunks written go on the undo stack as one command. Returns
        the number of spans written."""
        w, self.writing = self.writing, None
        if w is None:
            return 0
        self.window.review.busy = False
        if not w.changes:
            return 0
        merged = Change(f"Suggestions ({len(w.found)})", tuple(i for c in w.changes for i in c.items))
        ctl = self.controller
        ctl.undo_stack.push(ChangeCommand(ctl.store, merged, ctl.apply_change))  # already applied
        return len(merged.spans.added)

    def _mark(self, doc_id: int) -> None:
        """Remember in the project that ``doc_id`` was suggested (a setting, not an edit)."""
        ctl = self.controller
        try:
            ctl.store.set_meta(MARK.format(doc_id), datetime.now(timezone.utc).isoformat(timespec="seconds"))
        except ReadOnlyError:
            ctl.read_only_changed.emit(True)
        except AnnotatorError:  # locked or failing: a setting is not worth an error
            pass
        ctl.sync.mark_seen()

    # --- closing ---------------------------------------------------------------------------

    def shutdown(self) -> None:
        """Stop the worker thread (waits for the document it is on)."""
        self._closed = True
        self.writing = None  # the store closes with the window: no more chunks
        if self.job is not None:
            self.worker.cancel(self.job[0])
            self.job = None
        if self.thread.isRunning():
            self.thread.quit()
            self.thread.wait()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if watched is self.window and event.type() == QEvent.Type.Close:
            self.shutdown()
        return False


def still_free(store, doc_id: int, found: list, before: list) -> list:
    """``found`` without the suggestions that a span stored meanwhile makes stale (one of
    whose spans overlaps a span of the same label that is in the document now and was not
    in ``before``, the document's ``bridge.taken`` when the engine started), and with an
    entity link dropped when that entity is gone. Cost: the spans found times the spans
    stored meanwhile (usually none)."""
    taken: dict[str, list[tuple[int, int]]] = {}
    old = set(before)
    for label, frags in bridge.taken(store, doc_id):
        if (label, frags) not in old:
            taken.setdefault(label, []).extend(frags)
    entities = {e.id for e in store.entities()} if any(s.entity_id is not None for s in found) else set()

    def clashes(span) -> bool:
        return any(a < d and c < b for a, b in span.fragments for c, d in taken.get(span.label, ()))

    kept = []
    for s in found:
        if any(clashes(span) for span in s.spans()):
            continue
        if s.entity_id is not None and s.entity_id not in entities:
            s = dataclasses.replace(s, entity_id=None)
        kept.append(s)
    return kept


@dataclasses.dataclass
class _Writing:
    """A result being written: ``todo`` the suggestions left, ``before`` the document's
    ``(label, fragments)`` known not to clash (at the start, then what the chunks wrote),
    ``changes`` the chunks' Changes."""

    job: int
    doc_id: int
    found: list
    before: list
    changes: list = dataclasses.field(default_factory=list)

    def __post_init__(self) -> None:
        self.todo = list(self.found)


def _writer(found: list):
    """An operation for ``Controller.run``: write ``found`` into a document, one Change."""
    def write(store, doc_id: int):
        bridge.write_suggestions(store, doc_id, found)
        return store.last_change
    return write
