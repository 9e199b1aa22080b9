"""Undo for the window: one QUndoCommand per store Change (as Orange's canvas has one
small command per edit, each calling only model methods).

A :class:`ChangeCommand` wraps a Change that the store has ALREADY applied, so the first
``redo()`` (the one ``QUndoStack.push`` makes) does nothing. ``undo()`` applies
``change.inverted()``, a later ``redo()`` applies ``change`` again; after either, the
command calls ``on_applied`` with the Change just written, so views redraw from its rows.

The controller writes first, with :meth:`ChangeCommand.write` (which may fail: a locked
project, a full disk, a row changed elsewhere), and only then moves the stack: the
``undo()`` / ``redo()`` that follows a successful ``write`` only updates the views, and a
failed one leaves the stack where it was.
"""
from __future__ import annotations

from typing import Callable

from PySide6.QtGui import QUndoCommand
from PySide6.QtWidgets import QMessageBox, QWidget

from annotator.core.store import Change, Store


class ChangeCommand(QUndoCommand):
    """Undo / redo of one applied :class:`Change`; its text is the change's description
    (shown as "Undo Add claim" in the Edit menu)."""

    def __init__(self, store: Store, change: Change, on_applied: Callable[[Change], None]):
        super().__init__(change.description or "Edit")
        self.store = store
        self.change = change
        self.on_applied = on_applied
        self._applied = True  # the store already holds the change
        self._written = False  # write() did the store's part of the next undo / redo

    def write(self, undo: bool) -> Change:
        """Write the next ``undo()`` (or ``redo()``) to the store now; raises as the store
        does, and then nothing was written. Returns the Change written."""
        change = self.change.inverted() if undo else self.change
        self.store.apply(change)
        self._written = True
        return change

    def redo(self) -> None:
        if self._applied:
            return
        if not self._written:
            self.store.apply(self.change)
        self._written, self._applied = False, True
        self.on_applied(self.change)

    def undo(self) -> None:
        inverse = self.change.inverted()
        if not self._written:
            self.store.apply(inverse)
        self._written, self._applied = False, False
        self.on_applied(inverse)


def undo_question(change: Change) -> str | None:
    """What to ask before undoing ``change``, or None to undo at once: undoing an import
    removes whole documents ("Undo the import of 12 documents?")."""
    n = change.imported_documents
    if n <= 0:
        return None
    return f"Undo the import of {n} document{'s' * (n != 1)}?"


def ask_yes_no(parent: QWidget, title: str, text: str) -> bool:
    """A Yes / No question box (No is the default); True for Yes."""
    answer = QMessageBox.question(parent, title, text, QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                                  QMessageBox.StandardButton.No)
    return answer == QMessageBox.StandardButton.Yes


def confirm_undo(parent: QWidget, change: Change) -> bool:
    """Ask :func:`undo_question` (:func:`ask_yes_no`) when there is one; True to go on
    with the undo."""
    question = undo_question(change)
    if question is None:
        return True
    return ask_yes_no(parent, "Undo import", f"{question}\n\nThe imported documents and their annotations are "
                      "removed from the project (Redo brings them back).")
