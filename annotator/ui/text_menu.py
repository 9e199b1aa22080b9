"""The article's right-click menu: the labels, link, polarity and delete (the window's own
actions, with their keys shown), then the text's Copy and Select All.

A right-click on an annotation without a selection makes it current first (as a click
does), so that the menu's link, polarity and delete act on the annotation under the mouse.
"""
from __future__ import annotations

from PySide6.QtCore import QObject, QPoint, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu

from annotator.ui.text_view import AnnotatedTextView

# the window's action ids offered, in order ("" = a separator); "mark_" and "polarity_" are
# prefixes (one entry per label / polarity value of the schema)
OFFERED = ("mark_", "", "link_to_claim", "clear_links", "", "polarity_", "", "delete_span", "")


def offered_actions(actions: dict[str, QAction]) -> list[QAction | None]:
    """The actions of ``actions`` (id -> QAction) the menu offers, None for a separator."""
    out: list[QAction | None] = []
    for entry in OFFERED:
        if not entry:
            out.append(None)
        elif entry.endswith("_"):
            out += [a for key, a in actions.items() if key.startswith(entry)]
        elif entry in actions:
            out.append(actions[entry])
    return out


class TextContextMenu(QObject):
    """Gives ``view`` its right-click menu built from ``actions`` (the window's, by id).
    No signals of its own; the menu's actions are the window's, so they run the same
    handlers as their keys. ``last_menu`` is the menu shown last."""

    def __init__(self, view: AnnotatedTextView, actions: dict[str, QAction]):
        super().__init__(view)
        self.view = view
        self.offered = offered_actions(actions)
        self.last_menu: QMenu | None = None
        view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        view.customContextMenuRequested.connect(self.show_at)

    def build(self, pos: QPoint) -> QMenu:
        """The menu for a right-click at ``pos`` (viewport coordinates)."""
        view = self.view
        if not view.textCursor().hasSelection():
            offset = view.offset_at_point(pos)
            span = view.span_at(offset) if offset is not None else None
            if span is not None:
                view.span_clicked.emit(span.id)
        menu = view.createStandardContextMenu(pos)
        menu.setObjectName("text_context_menu")
        first = menu.actions()[0] if menu.actions() else None
        for action in self.offered:
            if action is None:
                menu.insertSeparator(first)
            elif action.isEnabled():
                menu.insertAction(first, action)
        return menu

    def show_at(self, pos: QPoint) -> None:
        menu = self.last_menu = self.build(pos)
        self.run_menu(menu, self.view.viewport().mapToGlobal(pos))
        menu.deleteLater()

    @staticmethod
    def run_menu(menu: QMenu, at: QPoint) -> None:
        """Show ``menu`` at ``at`` (global coordinates) until it closes (tests replace it)."""
        menu.exec(at)
