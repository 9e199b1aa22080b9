"""The handlers of the team actions declared in :mod:`annotator.ui.actions` (issue 11):
walking and accepting differences, accepting everything agreed, pre-merging into gold,
the Agreement dock and the side-by-side layers. The window looks handlers up on this object
(after the controller); the docks are made after the actions, so they are looked up when a
key is pressed. No logic of its own beyond showing the dock a key is about."""
from __future__ import annotations

from annotator.core.adjudication import accept_agreed


class TeamHandlers:
    """Handlers for ``window`` (a :class:`~annotator.ui.main_window.MainWindow`) with its
    ``adjudication``, ``agreement`` and ``side_by_side`` docks."""

    def __init__(self, window):
        self.window = window

    def merge_projects(self, paths=None) -> None:
        """File > Merge Projects: :func:`annotator.ui.merge_projects.merge_projects`."""
        from annotator.ui.merge_projects import merge_projects

        merge_projects(self.window, paths)

    def _adjudication(self):
        dock = self.window.adjudication
        dock.show()
        dock.raise_()
        if dock._stale:  # edits made while it was hidden only marked it stale
            dock.refresh()
        return dock

    def next_difference(self) -> None:
        self._adjudication().step(1)

    def previous_difference(self) -> None:
        self._adjudication().step(-1)

    def accept_version(self, k: int) -> None:
        self._adjudication().accept_version(k)

    def accept_selected_version(self) -> None:
        self._adjudication().accept_selected()

    def accept_agreed(self) -> None:
        """Everything the document's annotators all made alike into gold (one undo step)."""
        controller = self.window.controller
        if controller.doc_id is None:
            return
        self._adjudication()
        change = controller.run(accept_agreed, controller.doc_id)
        text = (f"Accepted {len(change.spans.added)} agreed span(s) into gold" if change
                else "Nothing new that every annotator agrees on")
        self.window.statusBar().showMessage(text, 6000)

    def premerge(self) -> None:
        self._adjudication().premerge()

    def show_agreement(self) -> None:
        dock = self.window.agreement
        dock.show()
        dock.raise_()
        dock.compute()

    def toggle_side_by_side(self) -> None:
        dock = self.window.side_by_side
        dock.setVisible(not dock.isVisible())
        if dock.isVisible():
            dock.raise_()

    def next_layer(self) -> None:
        self.window.layers.next_layer()
