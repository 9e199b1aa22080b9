"""Attribution: who said a claim. The digits 1-9 attribute the current claim to a numbered
speaker (or, with a selection, mark a mention of them); L links a speaker mention (its
source, and its speaker) or a cue to a claim (:meth:`Attribution.link_pair` says which);
Shift+L clears those links. The status line shows what L would do (:meth:`link_hint`).
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from annotator.core import operations as ops
from annotator.core.model import CLAIM, CUE, SPEAKER, Entity, Span
from annotator.ui.status import elide

if TYPE_CHECKING:
    from annotator.ui.controller import Controller


class SpeakerNumbers(Protocol):
    """Where the digits 1-9 come from (the Speakers panel's model): ``numbered(n)`` is
    speaker #n, ``number_of(entity_id)`` its digit, ``document_only`` whether only this
    document's speakers are numbered."""

    document_only: bool

    def numbered(self, n: int) -> Entity | None: ...

    def number_of(self, entity_id: int) -> int | None: ...


class NoNumbers:
    """Nobody has a digit (a controller without a Speakers panel)."""

    document_only = False

    def numbered(self, n: int) -> Entity | None:
        return None

    def number_of(self, entity_id: int) -> int | None:
        return None


class Attribution:
    """The attribution actions of a :class:`~annotator.ui.controller.Controller`, which owns
    it and delegates ``speaker_number``, ``link_claim``, ``link_pair``, ``link_to_claim`` and
    ``clear_links`` to it.

    No signals of its own: it reports through the controller's ``message_posted``."""

    def __init__(self, controller: Controller):
        self.ctl = controller

    def speaker_number(self, n: int) -> None:
        """Selection: mark it as a mention of speaker #n; else attribute the current claim."""
        ctl = self.ctl
        entity = ctl.speaker_numbers.numbered(n)
        if entity is None:
            ctl.message_posted.emit(f"There is no speaker #{n}: mark a mention with S first.")
            return
        rng = ctl.view.selection_range() if ctl.doc else None
        if rng is not None:
            ctl.marking.mark_mention(rng, entity)
            return
        claim = self.acted_on()
        if claim is not None and ctl.run(ops.attribute_claim, claim.id, entity.id):
            ctl.message_posted.emit(f"Claim attributed to {entity.name}.")

    def acted_on(self) -> Span | None:
        """The claim the digits and Shift+L act on: the last claim marked or chosen (made
        current), while it exists, even after a mention, a new speaker or a cue was marked
        since; without one, the claim of the current mention or cue
        (:meth:`Controller.current_claim`). None, with a hint in the status bar, if neither."""
        claim = self.link_claim() or self.ctl.current_claim()
        if claim is None:
            self.ctl.message_posted.emit("No current claim: click one, or press ] to reach it.")
        return claim

    def link_claim(self) -> Span | None:
        """The claim L links to: the last claim that was current, if it still exists."""
        ctl = self.ctl
        return ctl.view.index.get(ctl.last_claim) if ctl.last_claim is not None else None

    def link_pair(self) -> tuple[Span, Span] | None:
        """What L would link: ``(mention or cue, claim)``. With a mention or cue current, that
        span and the claim that was current before it; otherwise the innermost mention or cue
        at the cursor (moved there by the arrow keys) and the current claim (or, without one,
        the last). None when either is missing."""
        view = self.ctl.view
        span = self.ctl.current_span()
        if span is not None and span.label in (SPEAKER, CUE):
            claim = self.link_claim()
        else:
            claim = span if span is not None and span.label == CLAIM else self.link_claim()
            at = [] if view.textCursor().hasSelection() else view.spans_at(view.cursor_offset())
            span = next((s for s in at if s.label in (SPEAKER, CUE)), None)
        return (span, claim) if span is not None and claim is not None else None

    def link_to_claim(self) -> None:
        """L: a speaker mention becomes the source (and its entity the speaker), a cue the
        cue, of a claim; which ones: :meth:`link_pair`."""
        ctl = self.ctl
        pair = self.link_pair()
        if pair is None:
            current = ctl.current_span()
            if current is not None and current.label in (SPEAKER, CUE):
                ctl.message_posted.emit("No claim to link to: make the claim current first (a click, or ] / [), "
                                        "then this mention or cue, and press L.")
            else:
                ctl.message_posted.emit("L links a speaker mention or cue to a claim: make the claim current, then "
                                        "the mention or cue (] / [, a click, or the cursor on it), then press L.")
            return
        span, claim = pair
        change = ctl.run(ops.link_to_claim, claim.id, span.id)
        if change is None:
            return
        role = "source" if span.label == SPEAKER else "cue"
        surface = elide(" ".join(span.text(ctl.view.text).split()), 40)
        quoted = elide(" ".join(claim.text(ctl.view.text).split()), 40)
        ctl.message_posted.emit(f"“{surface}” is {'now' if change else 'already'} the {role} of claim “{quoted}”.")
        ctl.status.show_current()

    def clear_links(self) -> None:
        """Shift+L: clear the current claim's source and cue links (its speaker stays)."""
        ctl = self.ctl
        claim = self.acted_on()
        if claim is None:
            return
        change = ctl.run(ops.clear_links, claim.id)
        if change:
            ctl.message_posted.emit("Source and cue links cleared.")
        elif change is not None:
            ctl.message_posted.emit("This claim has no source or cue link.")
        ctl.status.show_current()

    def link_hint(self, shown: list[Span]) -> str:
        """What L would do, if it would act on one of the ``shown`` spans (for the status line)."""
        pair = self.link_pair()
        if pair is None or pair[0].id not in {s.id for s in shown}:
            return ""
        span, claim = pair
        text = self.ctl.view.text
        quoted = f"claim “{elide(' '.join(claim.text(text).split()), 40)}”"
        role = "source" if span.label == SPEAKER else "cue"
        if span.id == (claim.source_id if span.label == SPEAKER else claim.cue_id) and (
                span.label == CUE or span.entity_id in (None, claim.speaker_id)):
            return f"  ·  {role} of {quoted}"
        if len(shown) > 1:
            surface = elide(" ".join(span.text(text).split()), 30)
            return f"  ·  L: link “{surface}” to {quoted}"
        return f"  ·  L: link this to {quoted}"
