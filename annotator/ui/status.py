"""The status line: what the window says about the text under the mouse or the cursor.

It is re-read from the current state after every change applied, undone or redone and after
a reload (:meth:`StatusLine.refresh`), so it never describes an annotation that is gone or a
value that changed.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from annotator.core.model import Span
from annotator.core.selection import has_word, trim_fragments
from annotator.core.span_description import describe_span

if TYPE_CHECKING:
    from annotator.ui.controller import Controller

HINT = "Select words (Shift+arrows or drag), then S speaker · Q cue · C claim · 1-9 speaker #n · F1 all keys"
SELECTION_WIDTH = 90  # code points of a selection shown in the status line (elided in the middle)


class StatusLine:
    """The descriptions of a :class:`~annotator.ui.controller.Controller`, which owns it and
    delegates ``describe``, ``describe_selection`` and ``refresh_description`` to it.

    No signals of its own: every line goes out through the controller's ``described``. It
    follows the event bus (the speakers' names) and the text view's ``selection_changed``, ``hovered`` and ``cursor_moved``, and
    writes the view's span tooltips (``describe_span``)."""

    def __init__(self, controller: Controller):
        self.ctl = controller
        self._names: dict[int, str] | None = None  # entity id -> name; None: read at next use
        controller.events.document_opened.connect(self._forget_names)
        controller.events.change_applied.connect(self._change_applied)
        view = controller.view
        view.describe_span = self.describe
        view.selection_changed.connect(self._selection_changed)
        view.hovered.connect(self._hovered)
        view.cursor_moved.connect(self._cursor_moved)

    def describe(self, span: Span | None) -> str:
        """One line about a span (tooltips, status bar)."""
        if span is None:
            return ""
        return describe_span(span, self.ctl.view.text, self.ctl.store.schema, self.name)

    def _forget_names(self, *_args) -> None:
        self._names = None

    def _change_applied(self, change) -> None:
        if change.entities:
            self._names = None

    def name(self, entity_id: int) -> str:
        """The name of a speaker (as the panels show it), or ``#id``. Read one entity at a
        time (a project may hold 100,000 speakers) and kept until an entity changes."""
        if self._names is None:
            self._names = {}
        if entity_id not in self._names:
            entity = self.ctl.store.entity(entity_id)
            self._names[entity_id] = entity.name if entity is not None else ""
        return self._names[entity_id] or f"#{entity_id}"

    def describe_selection(self) -> str | None:
        """What S / Q / C would mark now, computed as marking computes it
        (``view.selection_range()`` then :func:`~annotator.core.selection.trim_fragments`): "Selection:
        “believe” (S speaker · Q cue · C claim)". None when nothing is selected."""
        ctl, view = self.ctl, self.ctl.view
        if ctl.doc is None or not view.textCursor().hasSelection():
            return None
        rng = view.selection_range()
        frags = trim_fragments(view.text, [rng]) if rng else []
        if not frags:
            return "Selection: only spaces, nothing to mark"
        if not has_word(view.text, frags):
            return "Selection: only punctuation, nothing to mark (select a word)"
        surface = elide(" ".join(" ".join(view.text[a:b] for a, b in frags).split()), SELECTION_WIDTH)
        keys = " · ".join(f"{lab.key} {lab.name}" for lab in ctl.store.schema.labels if lab.key)
        return f"Selection: “{surface}” ({keys})"

    def refresh(self) -> None:
        """Describe what is there now: the selection (what S / Q / C would mark), else the
        current annotation, else what is at the cursor (or the hint)."""
        ctl = self.ctl
        if ctl.doc is None:
            ctl.described.emit(HINT)
        elif not ctl.view.textCursor().hasSelection() and ctl.current_span() is not None:
            self.show_current()
        else:
            self._cursor_moved(ctl.view.cursor_offset())

    def show_current(self) -> None:
        """The current annotation, with what L would do."""
        span = self.ctl.current_span()
        if span is not None:
            self.ctl.described.emit(self.describe(span) + self.ctl.attribution.link_hint([span]))

    def _selection_changed(self) -> None:
        text = self.describe_selection()
        if text is not None:
            self.ctl.described.emit(text)
        else:  # cleared: what is at the cursor
            self._cursor_moved(self.ctl.view.cursor_offset())

    def _hovered(self, offset: int) -> None:
        view = self.ctl.view
        spans = view.spans_at(offset) if offset >= 0 else []
        if spans and not view.textCursor().hasSelection():  # the selection line stays
            self.ctl.described.emit(" | ".join(self.describe(s) for s in spans))

    def _cursor_moved(self, offset: int) -> None:
        ctl = self.ctl
        selection = self.describe_selection()
        if selection is not None:
            ctl.described.emit(selection)
            return
        spans = ctl.view.spans_at(offset) if ctl.doc else []
        ctl.described.emit(" | ".join(self.describe(s) for s in spans) + ctl.attribution.link_hint(spans)
                           if spans else HINT)


def elide(text: str, width: int) -> str:
    """``text`` cut in the middle to ``width`` code points, so both of its ends show."""
    if len(text) <= width:
        return text
    head = (width - 1) // 2
    return text[:head] + "…" + text[len(text) - (width - 1 - head):]
