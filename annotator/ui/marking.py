"""Marking: the selection becomes a span. S / Q / C mark a speaker mention, a cue or a claim
(:meth:`Marking.mark`), New in the Speakers panel a mention of a new speaker, a digit a
mention of a numbered speaker (:meth:`Marking.mark_mention`). A selection that is exactly a
span of that label already makes that span current instead of adding a twin.

Offsets are code points of the stored text.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from annotator.core import operations as ops
from annotator.core.model import CLAIM, SPEAKER, Entity
from annotator.core.selection import mention_name, trim_fragments
from annotator.core.store import Change

if TYPE_CHECKING:
    from annotator.ui.controller import Controller


class Marking:
    """The marking actions of a :class:`~annotator.ui.controller.Controller`, which owns it
    and delegates ``mark`` and ``new_speaker`` to it.

    No signals of its own: it reports through the controller's ``message_posted`` and makes
    the new span current (``set_current``)."""

    def __init__(self, controller: Controller):
        self.ctl = controller

    def mark(self, label: str) -> None:
        """Mark the selection as a span of ``label`` (speaker / cue / claim); a selection that
        is exactly a span of that label already makes that span current."""
        ctl = self.ctl
        rng = self._selection(f"press {ctl.store.schema.label(label).key} to mark it as a {label}")
        if rng is None or self._already_marked(label, rng):
            return
        operation = {SPEAKER: ops.mark_speaker, CLAIM: ops.mark_claim}.get(label, ops.mark_cue)
        change = ctl.run(operation, ctl.doc.id, [rng])
        self._marked(change, rng[1])
        if change and label == SPEAKER:
            if change.entities.new_id is None:
                self._joined(change)
            self._without_digit(change)

    def new_speaker(self) -> None:
        """Mark the selection as the first mention of a new speaker."""
        ctl = self.ctl
        rng = self._selection("press New to make a speaker of it")
        if rng is not None:
            change = ctl.run(ops.mark_new_speaker, ctl.doc.id, [rng])
            self._marked(change, rng[1])
            if change:
                self._without_digit(change)

    def mark_mention(self, rng: tuple[int, int], entity: Entity) -> None:
        """Mark code points ``rng`` as a mention of ``entity`` (a digit with a selection)."""
        if not self._already_marked(SPEAKER, rng, entity.id):
            self._marked(self.ctl.run(ops.mark_speaker, self.ctl.doc.id, [rng], entity.id), rng[1])

    def _selection(self, what: str) -> tuple[int, int] | None:
        ctl = self.ctl
        rng = ctl.view.selection_range() if ctl.doc else None
        if rng is None:
            ctl.message_posted.emit(f"Select some text first, then {what}.")
        return rng

    def _marked(self, change: Change | None, end: int) -> None:
        if change:
            self.ctl.set_current(change.spans.new_id)
            self.ctl.view.set_cursor(end)
            self.ctl.status.show_current()  # the cursor moved: describe the new span again

    def _already_marked(self, label: str, rng: tuple[int, int], entity_id: int | None = None) -> bool:
        """If a span of ``label`` covers exactly ``rng`` (and, given ``entity_id``, is a mention of
        that entity), make it current instead of adding a twin (C pressed twice, a key repeat)."""
        ctl, view = self.ctl, self.ctl.view
        frags = tuple(trim_fragments(view.text, [rng], label))  # trimmed as marking trims it
        twin = next((s for s in (view.index.at(frags[0][0]) if frags else [])
                     if s.label == label and tuple(s.fragments) == frags
                     and (entity_id is None or s.entity_id == entity_id)), None)
        if twin is None:
            return False
        ctl.set_current(twin.id)
        view.set_cursor(twin.end)
        ctl.status.show_current()
        ctl.message_posted.emit(f"Already marked: {ctl.describe(twin)}")
        return True

    def _without_digit(self, change: Change) -> None:
        """Say so when the speaker of a new mention has no digit (all nine were given when
        the document opened)."""
        ctl = self.ctl
        span = ctl.view.index.get(change.spans.new_id)
        model = ctl.speaker_numbers
        if span is not None and span.entity_id is not None and model.number_of(span.entity_id) is None:
            hint = "" if model.document_only else \
                " Tick “This document only” in the Speakers panel to number only this document's speakers."
            ctl.message_posted.emit(f"{ctl.status.name(span.entity_id)} has no digit: #1–#9 are taken while this "
                                    f"document is open.{hint}")

    def _joined(self, change: Change) -> None:
        """Say which speaker a new mention joined when its text is not that speaker's name
        ("U.S. Secretary of State Antony Blinken" joins Antony Blinken)."""
        ctl = self.ctl
        span = ctl.store.span(change.spans.new_id)
        entity = ctl.store.entity(span.entity_id) if span and span.entity_id is not None else None
        if entity is None:
            return
        mention = mention_name(ctl.view.text, span.fragments)
        if mention.casefold() not in {n.casefold() for n in (entity.name, *entity.aliases)}:
            digit = ctl.speaker_numbers.number_of(entity.id)
            number = f" (#{digit})" if digit is not None else ""
            ctl.message_posted.emit(f"“{mention}” is a mention of {entity.name}{number}, named in it. "
                                    "Someone else? Ctrl+Z, then New in the Speakers panel.")
