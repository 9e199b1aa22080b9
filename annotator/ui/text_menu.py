"""The article's right-click menu: the labels, link, the claim's fragments, polarity and
delete (the window's own actions, with their keys shown), then the text's Copy and Select All.

A right-click on an annotation without a selection makes it current first (as a click
does) and puts the caret there, so that the menu's link, polarity, delete and Remove
Fragment act on the annotation (and the fragment) under the mouse. Add Selection to Claim
is offered with a selection, Remove Fragment on a span in several fragments.
"""
from __future__ import annotations

from typing import Callable

from PySide6.QtCore import QObject, QPoint, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu

from annotator.core.model import Span
from annotator.ui.text_view import AnnotatedTextView

# the window's action ids offered, in order ("" = a separator); "mark_" and "polarity_" are
# prefixes (one entry per label / polarity value of the schema)
OFFERED = ("mark_", "", "link_to_claim", "clear_links", "", "add_fragment", "remove_fragment", "", "polarity_", "",
           "delete_span", "")


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

    def __init__(self, view: AnnotatedTextView, actions: dict[str, QAction],
                 fragment_holder: Callable[[int], Span | None] = lambda _offset: None):
        super().__init__(view)
        self.view = view
        self.offered = offered_actions(actions)
        self.add_fragment, self.remove_fragment = actions.get("add_fragment"), actions.get("remove_fragment")
        self.fragment_holder = fragment_holder  # the span whose fragment Remove Fragment removes at an offset
        self.last_menu: QMenu | None = None
        view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        view.customContextMenuRequested.connect(self.show_at)

    def build(self, pos: QPoint) -> QMenu:
        """The menu for a right-click at ``pos`` (viewport coordinates)."""
        view = self.view
        selected = view.textCursor().hasSelection()
        offset = view.offset_at_point(pos)
        if not selected and offset is not None:
            span = view.span_at(offset)
            if span is not None:
                view.span_clicked.emit(span.id)
            view.set_cursor(offset)
        rng = view.selection_range() if selected else None
        at = rng[0] if rng is not None else None if selected else offset
        holder = self.fragment_holder(at) if at is not None else None
        hidden = {self.add_fragment: not selected,
                  self.remove_fragment: holder is None or len(holder.fragments) < 2}
        menu = view.createStandardContextMenu(pos)
        menu.setObjectName("text_context_menu")
        first = menu.actions()[0] if menu.actions() else None
        for action in self.offered:
            if action is None:
                menu.insertSeparator(first)
            elif action.isEnabled() and not hidden.get(action, False):
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
