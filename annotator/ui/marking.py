"""Marking: the selection becomes a span. S / Q / C mark a speaker mention, a cue or a claim
(:meth:`Marking.mark`), New in the Speakers panel a mention of a new speaker, a digit a
mention of a numbered speaker (:meth:`Marking.mark_mention`). A selection that is exactly a
span of that label already makes that span current instead of adding a twin.

A claim in several fragments ("Institutional recipients, | said Mauer, | are required..."):
Shift+C adds the selection to the claim marked or chosen last (:meth:`Marking.add_fragment`),
Shift+Delete removes the fragment under the caret (:meth:`Marking.remove_fragment`); each is
one undo step.

Delete (:meth:`Marking.delete_current`) deletes the current span; when it is the last mention
of its speaker in the project, a box offers to remove the speaker too (Enter: yes, in the
same undo step; Escape: nothing is deleted).

Offsets are code points of the stored text.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QMessageBox

from annotator.core import operations as ops
from annotator.core.model import CLAIM, SPEAKER, Entity, Span
from annotator.core.selection import fragment_at, mention_name, trim_fragments
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
        self.offer: QMessageBox | None = None  # the "remove the speaker too?" box while it is open

    def delete_current(self) -> None:
        """Delete the current span (Delete). The last mention of a speaker asks first whether
        the now empty speaker goes too (:meth:`offer_speaker_removal`)."""
        ctl = self.ctl
        if ctl.current is None:
            ctl.message_posted.emit("No current annotation: click one, or press ] to reach it.")
            return
        entity = ops.last_mention_of(ctl.store, ctl.current) if not ctl.read_only else None
        if entity is None:
            ctl.run(ops.delete_span, ctl.current)
        else:
            self.offer_speaker_removal(ctl.current, entity)

    def offer_speaker_removal(self, span_id: int, entity: Entity) -> QMessageBox:
        """Ask, in a window-modal box that does not block the caller, whether deleting mention
        ``span_id`` (the last of ``entity``) removes the speaker too: Enter (the default)
        deletes both in one undo step, "Keep the Speaker" the mention only, Escape nothing."""
        box = QMessageBox(QMessageBox.Icon.Question, "Delete mention",
                          f"This is the last mention of {entity.name}. Remove the speaker too?",
                          QMessageBox.StandardButton.NoButton, self.ctl.view.window())
        box.setObjectName("remove_speaker_box")
        box.setInformativeText("Claims attributed to the speaker lose their speaker. Ctrl+Z brings back both.")
        both = box.addButton("&Remove Speaker Too", QMessageBox.ButtonRole.AcceptRole)
        mention = box.addButton("&Keep the Speaker", QMessageBox.ButtonRole.NoRole)
        cancel = box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(both)
        box.setEscapeButton(cancel)

        def answered(_result: int) -> None:
            self.offer = None
            clicked = box.clickedButton()
            if clicked is both or clicked is mention:
                self.ctl.run(ops.delete_span, span_id, clicked is both)
            self.ctl.view.window().activateWindow()  # the letter keys act on the article again
            self.ctl.view.setFocus()
            box.deleteLater()
        box.finished.connect(answered)
        self.offer = box
        box.open()
        return box

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

    def add_fragment(self) -> None:
        """Add the selection to the claim the digits act on (the claim marked or chosen last,
        :meth:`~annotator.ui.attribution.Attribution.acted_on`) as another fragment; the claim
        stays current and the caret goes to the selection's end."""
        ctl = self.ctl
        rng = self._selection("press Shift+C to add it to the claim marked last")
        if rng is None:
            return
        claim = ctl.attribution.acted_on()
        if claim is None:
            return
        change = ctl.run(ops.add_fragment, claim.id, [rng])
        if change:
            self._marked(change, rng[1], claim.id)
            count = len(ctl.view.index.get(claim.id).fragments)
            ctl.message_posted.emit(f"The claim has {count} fragments." if count > 1 else
                                    "Added to the claim (its fragment grew: only spaces were between).")

    def remove_fragment(self) -> None:
        """Remove the fragment under the caret (at the selection's start, if any) from the
        current span, else from the claim marked or chosen last, else from a span in several
        fragments there (:meth:`fragment_holder`)."""
        ctl = self.ctl
        if ctl.doc is None:
            return
        rng = ctl.view.selection_range()
        offset = rng[0] if rng is not None else ctl.view.cursor_offset()
        span = self.fragment_holder(offset)
        if span is None:
            ctl.message_posted.emit("No fragment under the caret: put it in the fragment to remove "
                                    "(of the current claim), then press Shift+Delete.")
            return
        if len(span.fragments) == 1:
            ctl.message_posted.emit(f"The {span.label} has only this fragment: Delete deletes the {span.label}.")
            return
        change = ctl.run(ops.remove_fragment, span.id, offset)
        if change:
            ctl.set_current(span.id)
            ctl.status.show_current()
            left = len(ctl.view.index.get(span.id).fragments)
            ctl.message_posted.emit(f"Fragment removed: the {span.label} has {left} fragment{'s' if left > 1 else ''} left.")

    def fragment_holder(self, offset: int) -> Span | None:
        """The span whose fragment Shift+Delete at ``offset`` removes: the current span, else
        the claim marked or chosen last, if one of their fragments holds ``offset``; else
        a span in several fragments holding it; else the current span or the last claim if
        they hold it in a single fragment (the core refuses then, with a message)."""
        ctl = self.ctl
        own = [s for s in (ctl.current_span(), ctl.link_claim()) if s is not None]
        holding = [s for s in own if fragment_at(s.fragments, offset) is not None]
        several = [s for s in holding if len(s.fragments) > 1]
        near = {s.id: s for s in (*ctl.view.spans_at(offset), *ctl.view.spans_at(max(offset - 1, 0)))}
        others = [s for s in near.values() if len(s.fragments) > 1 and fragment_at(s.fragments, offset) is not None]
        return (several or others or holding or [None])[0]

    def _selection(self, what: str) -> tuple[int, int] | None:
        ctl = self.ctl
        rng = ctl.view.selection_range() if ctl.doc else None
        if rng is None:
            ctl.message_posted.emit(f"Select some text first, then {what}.")
        return rng

    def _marked(self, change: Change | None, end: int, span_id: int | None = None) -> None:
        if change:
            self.ctl.set_current(span_id if span_id is not None else change.spans.new_id)
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
