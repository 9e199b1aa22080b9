"""The suggestion engine: runs suggesters in order of trust, keeps claims from overlapping,
adds string-matched mentions and sentiment.

:class:`Engine` takes any objects that implement
:class:`~annotator.core.suggest.base.Suggester` (a plug-in such as
:class:`~annotator.core.suggest.plugin.SpacySuggester` over an installed spaCy pipeline, the
:class:`~annotator.core.suggest.rules.RuleSuggester`, the learned
:class:`~annotator.core.suggest.learned.CRFSuggester`: the command line runs the rules first
and lets the CRF add what they miss, the order measured best on PolNeAR). For each document:

1. each suggester in turn proposes suggestions (a source mention loses a trailing
   possessive, "Hillary Clinton’s" -> "Hillary Clinton", and a determiner alone, "The", is
   no source: :func:`tidy_source`); a claim that overlaps a claim kept from an
   earlier suggester (or one in ``taken``: spans already in the document, accepted or
   rejected) is dropped, with its cue and source;
2. the :class:`~annotator.core.suggest.string_match.StringMatcher` proposes mentions of
   known entities that no kept suggestion already covers;
3. each kept claim without a polarity gets VADER's polarity and intensity
   (:mod:`.sentiment`);
4. one span is proposed once (:func:`dedupe`): suggestions that share a mention or cue
   (the same label on the same fragments: "Professor Eastman" as the source of three
   quotes) share one :class:`SpanSuggestion`, the one with the highest score, and a
   suggestion that adds no span of its own is dropped.

Offsets are code points. Suggestions come back sorted by start.
"""
from __future__ import annotations

from bisect import bisect_left, insort
from typing import Sequence

from annotator.core.suggest import sentiment as vader
from annotator.core.suggest.base import KnownEntity, Suggester, Suggestion
from annotator.core.suggest.rules import RuleSuggester
from annotator.core.suggest.speakers import is_determiner, without_possessive
from annotator.core.suggest.string_match import StringMatcher
from annotator.core.suggest.text import Occupancy


class _Either:
    """Two occupancies seen as one."""

    def __init__(self, a: Occupancy, b: Occupancy) -> None:
        self.a, self.b = a, b

    def overlaps_any(self, frags) -> bool:
        return self.a.overlaps_any(frags) or self.b.overlaps_any(frags)

    def add_all(self, frags) -> None:
        self.a.add_all(frags)


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
        taken_by: dict[str, Occupancy] = {}
        for label, frags in taken:
            taken_by.setdefault(label, Occupancy()).add_all(frags)
        claims = Occupancy()
        claims_of = taken_by.get("claim")
        used = Occupancy()  # every span of a kept suggestion
        kept: list[Suggestion] = []
        frags_sorted: list[tuple[int, int, int]] = []  # kept claims' fragments: (start, end, index in kept)
        claim_index = Occupancy()
        loose: list[Suggestion] = []
        for suggester in self.suggesters:
            for s in suggester.suggest(text, known_entities):
                s = tidy_source(text, s)
                if s.claim is None:  # a cue (with its source) that introduces no claim found
                    if s.spans() and not any(used.overlaps_any(x.fragments) for x in s.spans()):
                        loose.append(s)
                    continue
                if claim_index.overlaps_any(s.claim.fragments):  # lend a kept claim what it lacks
                    hit = self._find(frags_sorted, s.claim.fragments)
                    if hit is not None:
                        before = kept[hit]
                        kept[hit] = self._completed(before, s, used)
                        for x in (kept[hit].cue, kept[hit].source):
                            if x is not None and x not in (before.cue, before.source):
                                used.add_all(x.fragments)
                    continue
                if claims_of is not None and claims_of.overlaps_any(s.claim.fragments):
                    continue
                s = self._without_taken(s, taken_by)
                for a, b in s.claim.fragments:
                    insort(frags_sorted, (a, b, len(kept)))
                claim_index.add_all(s.claim.fragments)
                for x in s.spans():
                    used.add_all(x.fragments)
                kept.append(s)
        kept += [s for s in loose if not any(claim_index.overlaps_any(x.fragments) for x in s.spans())]
        if self.matcher is not None and known_entities:
            sources = Occupancy()
            for s in kept:
                if s.source:
                    sources.add_all(s.source.fragments)
            if "speaker" in taken_by:
                sources = _Either(sources, taken_by["speaker"])
            for s in self.matcher.suggest(text, known_entities):
                if not sources.overlaps_any(s.source.fragments):
                    kept.append(s)
                    sources.add_all(s.source.fragments)
        if self.sentiment:
            kept = [self._with_sentiment(text, s) for s in kept]
        kept.sort(key=lambda s: min(x.start for x in s.spans()))
        return dedupe(kept)

    @staticmethod
    def _find(frags_sorted: list[tuple[int, int, int]], frags) -> int | None:
        """Index in ``kept`` of the claim one of whose fragments overlaps ``frags``. Kept
        claims never overlap, so their fragments sorted by start are sorted by end too: the
        last one starting before ``b`` is the only candidate for ``[a, b)``."""
        for a, b in frags:
            i = bisect_left(frags_sorted, (b, -1, -1)) - 1
            if i >= 0 and frags_sorted[i][1] > a:
                return frags_sorted[i][2]
        return None

    @staticmethod
    def _completed(k: Suggestion, other: Suggestion, used: Occupancy) -> Suggestion:
        """``k`` with the cue and source of ``other`` where ``k`` has none and no kept
        suggestion uses them."""
        from dataclasses import replace

        if k.cue is None and other.cue is not None and not used.overlaps_any(other.cue.fragments):
            k = replace(k, cue=other.cue)
        if k.source is None and other.source is not None and not used.overlaps_any(other.source.fragments):
            k = replace(k, source=other.source, speaker=other.speaker, entity_id=other.entity_id)
        return k

    @staticmethod
    def _without_taken(s: Suggestion, taken_by: dict) -> Suggestion:
        from dataclasses import replace

        if s.cue and "cue" in taken_by and taken_by["cue"].overlaps_any(s.cue.fragments):
            s = replace(s, cue=None)
        if s.source and "speaker" in taken_by and taken_by["speaker"].overlaps_any(s.source.fragments):
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


def tidy_source(text: str, s: Suggestion) -> Suggestion:
    """``s`` with a source mention that names the person: without a trailing possessive
    ("Hillary Clinton’s" -> "Hillary Clinton"), and none (nor a speaker name) when the
    mention or the name is a determiner alone ("The")."""
    from dataclasses import replace

    src = s.source
    if src is not None:
        frags = (*src.fragments[:-1], without_possessive(text, src.fragments[-1]))
        if frags != src.fragments:
            src = replace(src, fragments=frags)
        if is_determiner(text, (src.start, src.end)):
            return replace(s, source=None, speaker=None, entity_id=None)
        s = replace(s, source=src)
    if s.speaker is not None and is_determiner(s.speaker, (0, len(s.speaker))):
        s = replace(s, speaker=None)
    return s


def dedupe(suggestions: Sequence[Suggestion]) -> list[Suggestion]:
    """``suggestions`` with each span (label and fragments) proposed once: every suggestion
    that has it points at the same :class:`SpanSuggestion`, the one of the highest score
    (the first of equal ones); a suggestion without a claim whose spans all belong to an
    earlier suggestion is dropped. Order is kept. ``write_suggestions``
    (:mod:`annotator.core.suggest.project`) writes a shared span once and links each claim
    to it."""
    from dataclasses import replace

    best: dict[tuple, SpanSuggestion] = {}
    for s in suggestions:
        for x in s.spans():
            key = (x.label, x.fragments)
            if key not in best or x.score > best[key].score:
                best[key] = x
    out: list[Suggestion] = []
    seen: set[tuple] = set()
    for s in suggestions:
        keys = [(x.label, x.fragments) for x in s.spans()]
        if s.claim is None and all(k in seen for k in keys):
            continue
        seen.update(keys)
        out.append(replace(s, **{part: best[(x.label, x.fragments)] for part in ("claim", "cue", "source")
                                 if (x := getattr(s, part)) is not None}))
    return out
