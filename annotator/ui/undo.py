"""Undo for the window: one QUndoCommand per store Change (as Orange's canvas has one
small command per edit, each calling only model methods).

A :class:`ChangeCommand` wraps a Change that the store has ALREADY applied, so the first
``redo()`` (the one ``QUndoStack.push`` makes) does nothing. ``undo()`` applies
``change.inverted()``, a later ``redo()`` applies ``change`` again; after either, the
command calls ``on_applied`` with the Change just written, so views redraw from its rows.
"""
from __future__ import annotations

from typing import Callable

from PySide6.QtGui import QUndoCommand

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

    def redo(self) -> None:
        if self._applied:
            return
        self.store.apply(self.change)
        self._applied = True
        self.on_applied(self.change)

    def undo(self) -> None:
        inverse = self.change.inverted()
        self.store.apply(inverse)
        self._applied = False
        self.on_applied(inverse)
