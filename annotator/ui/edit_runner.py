"""The window's write path and its error handling.

Every write the window makes goes through :meth:`EditRunner.attempt` (edits through
:meth:`EditRunner.run`, undo and redo through :meth:`EditRunner.undo` /
:meth:`EditRunner.redo`). A locked project asks Retry / Cancel and repeats the same write
until it succeeds or the user cancels (never a silent drop); a failed write (disk full,
input/output error) is reported and nothing changes; a project that turns out read-only
switches the window to read-only.

An undo or redo is written before the undo stack moves, and never over rows changed
elsewhere: ``Store.apply`` checks that inside its write transaction and raises
ChangedElsewhereError (also on Retry after a lock). It never makes another annotation current and never
scrolls away: the view moves only when the change is out of sight, to the change.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Callable, TypeVar

from annotator.core.errors import AnnotatorError, ChangedElsewhereError, ReadOnlyError, StoreBusyError, StoreWriteError
from annotator.core.store import Change
from annotator.ui.undo import ChangeCommand, confirm_undo

if TYPE_CHECKING:
    from annotator.ui.controller import Controller

LOCKED = "The project is locked by another program; your {what} was not applied."
CHANGED_ELSEWHERE = ("Could not {verb}: the project was changed elsewhere (another window or program). "
                     "The window now shows the project as it is, and the undo history was cleared.")
T = TypeVar("T")


class EditRunner:
    """The write path of a :class:`~annotator.ui.controller.Controller`, which owns it and
    delegates ``attempt``, ``run``, ``undo`` and ``redo`` to it.

    No signals of its own: it reports through the controller's ``message_posted``,
    ``error_reported`` and ``read_only_changed``, and asks the controller's ``ask_retry``
    when the project is locked. ``writing`` is True while a write (and maybe its Retry /
    Cancel box) is under way."""

    def __init__(self, controller: Controller):
        self.ctl = controller
        self.writing = False

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
        ctl = self.ctl
        if ctl.read_only:
            self.refuse_read_only(what)
            return False, None
        self.writing = True
        try:
            while True:
                try:
                    return True, write()
                except StoreBusyError as exc:
                    if not ctl.ask_retry(f"{LOCKED.format(what=what)}\n\n{exc}"):
                        ctl.message_posted.emit(f"Not applied: the project is locked by another program; "
                                                f"your {what} was cancelled.")
                        return False, None
                except StoreWriteError as exc:
                    ctl.error_reported.emit(f"Could not save your {what}: {exc}")
                    return False, None
                except ReadOnlyError as exc:
                    ctl.message_posted.emit(f"Not applied: {exc}")
                    ctl.read_only_changed.emit(True)
                    return False, None
        finally:
            self.writing = False

    def refuse_read_only(self, what: str) -> None:
        store = self.ctl.store
        self.ctl.message_posted.emit(f"Read-only project: your {what} was not applied. {store.read_only_reason or ''}".strip())

    def run(self, operation: Callable[..., Change], *args) -> Change | None:
        """Run an annotating operation (through :meth:`attempt`), push its Change on the undo
        stack and update the views. An InputError (or another failure, after which the store
        is unchanged) becomes ``error_reported``; returns None when nothing was applied."""
        ctl = self.ctl
        try:
            ok, change = self.attempt(lambda: operation(ctl.store, *args))
        except AnnotatorError as exc:
            ctl.error_reported.emit(str(exc))
            return None
        if not ok:
            return None
        if change:
            ctl.undo_stack.push(ChangeCommand(ctl.store, change, ctl.apply_change))
            ctl.apply_change(change)
        return change

    def undo(self) -> None:
        self._step(undo=True)

    def redo(self) -> None:
        self._step(undo=False)

    def _step(self, undo: bool) -> None:
        """Undo or redo one command, written through :meth:`attempt` BEFORE the undo stack
        moves, so a locked or failing project leaves the stack, the store and the views as
        they were. A command whose rows were changed elsewhere (another window, or the
        project reloaded) is never applied over those changes (the store checks it inside
        the write and raises ChangedElsewhereError): the views are reloaded and the undo
        history cleared, with a message."""
        ctl = self.ctl
        stack, verb = ctl.undo_stack, "undo" if undo else "redo"
        if not (stack.canUndo() if undo else stack.canRedo()):
            ctl.message_posted.emit(f"Nothing to {verb}.")
            return
        if ctl.read_only:
            self.refuse_read_only(verb)
            return
        ctl.poll()  # show what another connection committed
        command = stack.command(stack.index() - 1 if undo else stack.index())
        text = command.text()
        if undo and not confirm_undo(ctl.view.window(), command.change):  # an import: asked first
            ctl.message_posted.emit(f"Not undone: {text}")
            return
        change = command.change.inverted() if undo else command.change
        try:
            ok, _ = self.attempt(lambda: command.write(undo), verb)
        except ChangedElsewhereError:  # checked by the store inside the write: nothing was written
            self._changed_elsewhere(verb)
            return
        except AnnotatorError as exc:
            ctl.error_reported.emit(f"Could not {verb}: {exc}")
            return
        if not ok:
            return
        if undo:  # the command sees that its write is done: it only updates the views
            stack.undo()
        else:
            stack.redo()
        self._reveal(change)
        ctl.message_posted.emit(f"{'Undone' if undo else 'Redone'}: {text}")

    def _reveal(self, change: Change) -> None:
        """After an undo or redo: if none of the text ``change`` touched in the shown
        document is on screen, put the cursor at its start and show it there; else leave
        the cursor and the view alone."""
        ctl = self.ctl
        extents = [(span.start, span.end) for span in change.spans.touched() if span.document_id == ctl.doc_id]
        if not extents:
            return
        start, end = min(a for a, _ in extents), max(b for _, b in extents)
        if not ctl.view.shows_range(start, end):
            ctl.view.set_cursor(start)

    def _changed_elsewhere(self, verb: str) -> None:
        ctl = self.ctl
        ctl.undo_stack.clear()
        ctl.reload()
        ctl.sync.mark_seen()
        ctl.error_reported.emit(CHANGED_ELSEWHERE.format(verb=verb))

