"""The suggestion engine: runs suggesters in order of trust, keeps claims from overlapping,
adds string-matched mentions and sentiment.

:class:`Engine` takes any objects that implement
:class:`~annotator.core.suggest.base.Suggester` (a plug-in such as
:class:`~annotator.core.suggest.plugin.SpacySuggester` over an installed spaCy pipeline, the
learned :class:`~annotator.core.suggest.learned.CRFSuggester`, the
:class:`~annotator.core.suggest.rules.RuleSuggester`). For each document:

1. each suggester in turn proposes suggestions; a claim that overlaps a claim kept from an
   earlier suggester (or one in ``taken``: spans already in the document, accepted or
   rejected) is dropped, with its cue and source;
2. the :class:`~annotator.core.suggest.string_match.StringMatcher` proposes mentions of
   known entities that no kept suggestion already covers;
3. each kept claim without a polarity gets VADER's polarity and intensity
   (:mod:`.sentiment`).

Offsets are code points. Suggestions come back sorted by start.
"""
from __future__ import annotations

from typing import Sequence

from annotator.core.suggest import sentiment as vader
from annotator.core.suggest.base import KnownEntity, Suggester, Suggestion
from annotator.core.suggest.rules import RuleSuggester
from annotator.core.suggest.string_match import StringMatcher


def _overlaps(x, y) -> bool:
    return any(a < d and c < b for a, b in x for c, d in y)


class Engine:
    """Suggesters run in the given order (the first is trusted most); ``sentiment`` and
    ``string_match`` switch those steps."""

    def __init__(self, suggesters: Sequence[Suggester] | None = None, sentiment: bool = True, string_match: bool = True) -> None:
        self.suggesters = list(suggesters) if suggesters is not None else [RuleSuggester()]
        self.sentiment = sentiment
        self.matcher = StringMatcher() if string_match else None

    def suggest(self, text: str, known_entities: Sequence[KnownEntity] = (),
                taken: Sequence[tuple[str, tuple[tuple[int, int], ...]]] = ()) -> list[Suggestion]:
        """Suggestions for ``text``. ``taken``: ``(label, fragments)`` of spans the document
        already has (any status); nothing overlapping a taken span of the same label is
        proposed again."""
        taken_by = {}
        for label, frags in taken:
            taken_by.setdefault(label, []).append(tuple(frags))
        claims = list(taken_by.get("claim", []))
        kept: list[Suggestion] = []
        loose: list[Suggestion] = []
        for suggester in self.suggesters:
            for s in suggester.suggest(text, known_entities):
                if s.claim is None:  # a cue (with its source) that introduces no claim found
                    spans = [x.fragments for k in kept for x in k.spans()]
                    if s.spans() and not any(_overlaps(x.fragments, f) for x in s.spans() for f in spans):
                        loose.append(s)
                    continue
                hit = next((i for i, k in enumerate(kept) if _overlaps(s.claim.fragments, k.claim.fragments)), None)
                if hit is not None:  # a claim kept already: lend it the cue / source it lacks
                    kept[hit] = self._completed(kept[hit], s, kept)
                    continue
                if any(_overlaps(s.claim.fragments, c) for c in claims):
                    continue
                claims.append(s.claim.fragments)
                kept.append(self._without_taken(s, taken_by))
        claim_spans = [x.fragments for k in kept for x in k.spans()]
        kept += [s for s in loose if not any(_overlaps(x.fragments, f) for x in s.spans() for f in claim_spans)]
        if self.matcher is not None and known_entities:
            sources = [s.source.fragments for s in kept if s.source] + taken_by.get("speaker", [])
            for s in self.matcher.suggest(text, known_entities):
                if not any(_overlaps(s.source.fragments, f) for f in sources):
                    kept.append(s)
                    sources.append(s.source.fragments)
        if self.sentiment:
            kept = [self._with_sentiment(text, s) for s in kept]
        kept.sort(key=lambda s: min(x.start for x in s.spans()))
        return kept

    @staticmethod
    def _completed(k: Suggestion, other: Suggestion, kept: Sequence[Suggestion]) -> Suggestion:
        """``k`` with the cue and source of ``other`` where ``k`` has none and no kept
        suggestion uses them."""
        from dataclasses import replace

        used = [x.fragments for s in kept for x in (s.cue, s.source) if x is not None]
        if k.cue is None and other.cue is not None and not any(_overlaps(other.cue.fragments, f) for f in used):
            k = replace(k, cue=other.cue)
        if k.source is None and other.source is not None and not any(_overlaps(other.source.fragments, f) for f in used):
            k = replace(k, source=other.source, speaker=other.speaker, entity_id=other.entity_id)
        return k

    @staticmethod
    def _without_taken(s: Suggestion, taken_by: dict) -> Suggestion:
        from dataclasses import replace

        if s.cue and any(_overlaps(s.cue.fragments, f) for f in taken_by.get("cue", [])):
            s = replace(s, cue=None)
        if s.source and any(_overlaps(s.source.fragments, f) for f in taken_by.get("speaker", [])):
            s = replace(s, source=None)
        return s

    @staticmethod
    def _with_sentiment(text: str, s: Suggestion) -> Suggestion:
        from dataclasses import replace

        if s.claim is None or s.claim.attr("polarity"):
            return s
        found = vader.sentiment(s.claim.text(text, " "))
        if found is None:
            return s
        polarity, intensity = found
        return replace(s, claim=s.claim.with_attrs(polarity=polarity, intensity=intensity))
