"""The rule-based suggester: direct quotes, reported speech, "according to" and colon quotes,
each joined to its cue and its speaker.

Order of work for one document (offsets are code points):

1. quotes are paired (:mod:`.quotes`); two quotes of one paragraph separated only by a short
   clause with a cue ("“A,” he said. “B.”") become ONE claim of two fragments;
2. each direct quote takes the nearest cue of its sentence outside the quote (after the quote
   first, then in the gap of an interrupted quote, then before it); its speaker is the subject
   of that cue (:mod:`.speakers`); a quote with no cue continues the last speaker (a quote
   over several paragraphs, or a paragraph of quotation after an attributed one); a quote of
   fewer than four words with no cue in its sentence is a scare quote and is not proposed;
3. each remaining cue with a subject introduces reported speech: the rest of the sentence
   ("Lavrov said both sides understood ...", with "that"), or the part before the comma
   ("Both sides understood ..., Lavrov said."); "according to X" takes the other side of
   its comma;
4. claims never overlap (as in PolNeAR, a word belongs to one attribution at most): an
   earlier rule wins.

The form is set (direct: all inside quotation marks; mixed: partly; indirect: none).
Polarity and intensity are set by :mod:`.sentiment` when VADER is installed.
"""
from __future__ import annotations

import re
from bisect import bisect_left
from typing import Sequence

from annotator.core.suggest.base import (
    CLAIM, CUE, DIRECT, INDIRECT, MIXED, SPEAKER, KnownEntity, SpanSuggestion, Suggestion,
)
from annotator.core.suggest.cues import OBJECT_ONLY, OBJECT_VERBS, PHRASES, Cue, find_cues
from annotator.core.suggest.cues import cue_span as cue_span_of
from annotator.core.suggest.quotes import QUOTE_MARKS, Quote, find_quotes
from annotator.core.suggest.speakers import (
    RELATIVES, SpeakerMemory, match_entity, participle_subject, sentence_subject, subject_after, subject_before,
)
from annotator.core.suggest.text import Analysis, Occupancy

VERSION = "1"
MAX_GAP = 90  # characters of "he said" between two pieces of one interrupted quote
_TIME = re.compile(
    r"\s*(?:,\s*)?(?:(?:on|last|this|late|early)\s+)?(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|"
    r"yesterday|today|week|month|year|night|morning|evening|afternoon)\b|"
    r"\s*in\s+(?:a|an|the)\s+(?:statement|interview|email|e-mail|tweet|speech|letter|release|post)\b", re.I)


class RuleSuggester:
    """The rules of this module behind the :class:`~annotator.core.suggest.base.Suggester`
    interface (``name = "rules"``)."""

    name = "rules"
    version = VERSION

    def __init__(self, origins: Sequence[str] | None = None) -> None:
        """``origins``: keep only claims of these origins (``rule:direct-quote``...); all when None."""
        self.origins = None if origins is None else frozenset(origins)

    def suggest(self, text: str, known_entities: Sequence[KnownEntity] = ()) -> list[Suggestion]:
        found = cached_rules(text, known_entities)
        if self.origins is None:
            return found
        return [s for s in found if s.claim is not None and s.claim.origin in self.origins]


QUOTE_ORIGINS = ("rule:direct-quote", "rule:colon-quote")


_last: tuple[str, tuple, list[Suggestion]] | None = None
_last_analysis: Analysis | None = None


def analysis_of(text: str) -> Analysis:
    """:meth:`Analysis.of` ``text``, remembering the last text (the rules and the learned
    model cut the same text one after the other: it is cut once)."""
    global _last_analysis
    if _last_analysis is None or _last_analysis.text is not text:
        _last_analysis = Analysis.of(text)
    return _last_analysis


def cached_rules(text: str, known_entities: Sequence[KnownEntity] | None = (),
                 analysis: Analysis | None = None) -> list[Suggestion]:
    """:func:`suggest_rules`, remembering the last text (the learned model's features and
    the rule suggester run the rules on the same text one after the other).
    ``known_entities=None``: any entities will do (the spans do not depend on them, only the
    speakers' entity ids: the learned model's features take the last result for the text)."""
    global _last
    key = tuple(known_entities or ())
    if _last is not None and _last[0] is text and (known_entities is None or _last[1] == key):
        return list(_last[2])
    found = suggest_rules(text, known_entities or (), analysis or analysis_of(text))
    _last = (text, key, found)
    return list(found)


def _span(label: str, frags, origin: str, score: float, **attrs) -> SpanSuggestion:
    s = SpanSuggestion(label, tuple(frags), origin, score)
    return s.with_attrs(**attrs) if attrs else s


def _merge_interrupted(an: Analysis, quotes: list[Quote], cues: list[Cue]) -> list[tuple[Quote, Cue | None]]:
    """Join quotes separated by a short cue clause; returns (quote, cue in the gap)."""
    text = an.text
    out: list[tuple[Quote, Cue | None]] = []
    speech = [c for c in cues if c.speech]
    starts = [c.start for c in speech]
    for q in quotes:
        if out:
            prev, prev_cue = out[-1]
            gap_a, gap_b = prev.outer_end, q.open_at
            if (prev.close_at is not None and 0 < gap_b - gap_a <= MAX_GAP and prev_cue is None
                    and _words(text, prev.fragments) >= 3  # not a scare quote: “reporter,” saying, “…”
                    and an.paragraph_index(gap_a) == an.paragraph_index(gap_b)
                    and not any(ch in QUOTE_MARKS for ch in text[gap_a:gap_b])):
                inside = [c for c in speech[bisect_left(starts, gap_a):bisect_left(starts, gap_b)] if c.end <= gap_b]
                if inside:
                    out[-1] = (Quote(prev.fragments + q.fragments, prev.open_at, q.close_at), inside[0])
                    continue
        out.append((q, None))
    return out


def _words(text: str, frags) -> int:
    return sum(len(text[a:b].split()) for a, b in frags)


def _trim_end(text: str, a: int, b: int) -> tuple[int, int]:
    while b > a and (text[b - 1].isspace() or text[b - 1] in ".!?;:,"):
        b -= 1
    while a < b and text[a].isspace():
        a += 1
    return a, b


def _form(text: str, frags) -> str:
    inside = "".join(text[a:b] for a, b in frags)
    return MIXED if any(ch in "“”\"«»„" for ch in inside) else INDIRECT


def suggest_rules(text: str, known_entities: Sequence[KnownEntity] = (), analysis: Analysis | None = None) -> list[Suggestion]:
    """All rule suggestions for ``text`` (see the module doc), sorted by claim start.
    ``known_entities`` are joined to speakers by name (:func:`.speakers.match_entity`)."""
    an = analysis or Analysis.of(text)
    cues = find_cues(an)
    quotes = _merge_interrupted(an, find_quotes(text, an.paragraphs), cues)
    memory = SpeakerMemory()
    taken_ranges = Occupancy()  # every claimed (start, end) range, for overlaps
    cue_starts = [c.start for c in cues]

    def cues_between(a: int, b: int) -> list[Cue]:
        return cues[bisect_left(cue_starts, a):bisect_left(cue_starts, b)]
    used_cues: set[int] = set()
    out: list[Suggestion] = []
    reported: list[tuple[Cue, tuple]] = []  # (cue, (claim, source, origin)) of reported speech

    def free(a: int, b: int) -> bool:
        return not taken_ranges.overlaps(a, b)

    def speaker_of(src: tuple[int, int] | None, at: int) -> tuple[str | None, int | None]:
        name = memory.resolve(text, src, at)
        entity = match_entity(name, known_entities) if name else None
        return (entity.name if entity else name), (entity.id if entity else None)

    # pass 0: the named subject of every cue, in text order, for pronouns and cue-less quotes
    for cue in cues:
        subj = subject_before(an, cue.start, an.sentence_at(cue.start)[0])
        if subj is not None:
            memory.note(text, subj)
    # pass 1: direct quotes; pass 2: reported speech with the cues left
    for q, gap_cue in quotes:
        sent_open = an.sentence_at(q.open_at)
        sent_close = an.sentence_at(q.close_at if q.close_at is not None else q.end - 1)
        outside = lambda c: not any(a <= c.start < b for a, b in q.fragments) and c.start not in used_cues
        limit = sent_close[1]
        if limit <= q.outer_end + 1 and an.paragraph_index(limit) == an.paragraph_index(q.start):
            following = an.sentence_at(limit + 1)  # “... missing.” Trump said.
            if following[0] > q.outer_end and len(an.tokens_in(*following)) <= 5:
                limit = following[1]
        ends_clause = re.match(r"\s*,", text[q.outer_end:q.outer_end + 3]) or text[q.end - 1:q.end] == ","
        # after a quote that ends its clause ("…,” X, a long title, said) the cue may lie further
        reach, most = (limit, 30) if ends_clause else (min(limit, q.outer_end + 61), 6)
        after = [c for c in cues_between(q.outer_end, reach) if outside(c)
                 and len(an.tokens_in(q.outer_end, c.start)) <= most
                 and not any(ch in QUOTE_MARKS for ch in text[q.outer_end:c.start])]
        if _words(text, q.fragments) < 4:  # a scare quote leaves a cue that opens the next quote to it
            after = [c for c in after if not any(ch in QUOTE_MARKS for ch in text[c.end:limit])]
        before = [c for c in cues_between(sent_open[0], q.open_at) if c.end <= q.open_at and outside(c)]
        colon = re.search(r"(\S)\s*:\s*$", text[sent_open[0]:q.open_at]) if not before else None
        after = [c for c in after if c.speech] or after  # a verb of saying before a verb of thought
        before = [c for c in before if c.speech] or before
        first, second = (after, before) if ends_clause or not before else (before[::-1], after)
        cue = gap_cue or (first[0] if first else None) or (second[0] if second else None)
        if cue is None and _words(text, q.fragments) < 4:
            continue  # a scare quote, a title or a word in quotation marks
        if not free(q.start, q.end):
            continue
        if cue is not None and cue.end <= q.open_at and cue is not gap_cue:
            mixed = _reported(an, cue, free)
            if mixed is not None and mixed[0][0] <= q.start and q.end <= mixed[0][1] + 1:
                outside = text[mixed[0][0]:q.open_at] + text[q.outer_end:mixed[0][1]]
                if len(re.sub(r"\bthat\b|[^\w]", "", outside)) >= 6:  # words outside the marks
                    reported.append((cue, mixed))
                    used_cues.add(cue.start)
                    taken_ranges.add(*mixed[0])
                    continue
        src = None
        cue_span = None
        if cue is not None:
            used_cues.add(cue.start)
            cue_span = _span(CUE, [cue_span_of(an, cue)], "rule:cue", 0.8)
            if cue.start >= q.start:  # after the quote or in its gap
                floor = max([q.open_at + 1] + [f[1] + 1 for f in q.fragments if f[1] <= cue.start])
                src = subject_before(an, cue.start, floor) or subject_after(an, cue.end, an.sentence_at(cue.start)[1])
            else:
                src = cue_subject_before_quote(an, cue, sent_open[0], q.open_at)
        elif colon is not None:
            colon_at = sent_open[0] + colon.end() - 1
            while text[colon_at] != ":":
                colon_at -= 1
            src = subject_before(an, colon_at, sent_open[0])
            if src is not None:
                cue_span = _span(CUE, [(colon_at, colon_at + 1)], "rule:colon-quote", 0.6)
        source = _span(SPEAKER, [src], "rule:speaker", 0.7) if src else None
        if source is None and cue is None:
            source = memory.last_source(q.open_at)
        speaker, entity_id = speaker_of(src, q.open_at)
        origin = "rule:colon-quote" if cue is None and cue_span is not None else "rule:direct-quote"
        claim = _span(CLAIM, q.fragments, origin, 0.9 if cue is not None else 0.6, form=DIRECT)
        taken_ranges.add(q.start, q.end)
        out.append(Suggestion(claim, cue_span, source, speaker, entity_id))
        if source is not None and src is not None:
            memory.note(text, src, source)
    parts = Occupancy(x for s in out for span in (s.cue, s.source) if span for x in span.fragments)
    for _, (_, src, _) in reported:
        if src:
            parts.add(*src)

    def free_of_all(a: int, b: int) -> bool:  # a token has one role at most (PolNeAR is univocal)
        return free(a, b) and not parts.overlaps(a, b)
    for cue in cues:
        if cue.start in used_cues or not free(cue.start, cue.end):  # not a cue inside a claim
            continue
        found = _reported(an, cue, free_of_all)
        if found is None:
            continue
        used_cues.add(cue.start)
        taken_ranges.add(*found[0])
        parts.add(cue.start, cue.end)
        if found[1]:
            parts.add(*found[1])
        reported.append((cue, found))
    spans_taken = Occupancy(x for s in out for span in (s.cue, s.source) if span for x in span.fragments)
    for _, (_, src, _) in reported:
        if src:
            spans_taken.add(*src)
    for cue in cues:  # a cue whose claim no rule found: the cue and its subject alone
        if cue.start in used_cues or cue.lemma in PHRASES or not free(cue.start, cue.end) or spans_taken.overlaps(cue.start, cue.end):
            continue
        subj = subject_before(an, cue.start, an.sentence_at(cue.start)[0])
        if subj is None or not free(*subj) or spans_taken.overlaps(*subj):
            continue
        speaker, entity_id = speaker_of(subj, cue.start)
        out.append(Suggestion(None, _span(CUE, [cue_span_of(an, cue)], "rule:cue", 0.5),
                              _span(SPEAKER, [subj], "rule:speaker", 0.5), speaker, entity_id))
    for cue, (claim, src, origin) in reported:
        speaker, entity_id = speaker_of(src, cue.start)
        source = _span(SPEAKER, [src], "rule:speaker", 0.6) if src else None
        out.append(Suggestion(
            _span(CLAIM, [claim], origin, 0.6, form=_form(text, [claim])),
            _span(CUE, [cue_span_of(an, cue)], "rule:cue", 0.7), source, speaker, entity_id))
    out.sort(key=lambda s: min(x.start for x in s.spans()))
    return out


_INVERTED = re.compile(r"(?:[,“”\"'’:]|'')\s*$")


def cue_subject_before_quote(an: Analysis, cue: Cue, floor: int, ceiling: int) -> tuple[int, int] | None:
    """The source of a quote whose cue comes before it (``floor``: the sentence start,
    ``ceiling``: the opening mark): a participle ("…, saying") takes the subject of its
    clause (:func:`.speakers.participle_subject`); another cue the noun phrase before it,
    else the one after it when the cue opens its clause ("…, said Dino Spencer: “…”"), else
    the subject at the start of the sentence."""
    text = an.text
    if text[cue.verb_start:cue.end].lower().endswith("ing"):
        src = subject_before(an, cue.start, floor)
        if src is not None and text[src[0]].isupper() and src[1] == an.tokens_in(floor, cue.start)[-1][1]:
            return src  # "with Boswell stating:": a name right before the participle is its subject
        return participle_subject(an, floor, cue.start) or src
    src = subject_before(an, cue.start, floor)
    if src is None and (not text[floor:cue.start].strip() or _INVERTED.search(text, floor, cue.start)):
        src = subject_after(an, cue.end, ceiling)
    return src or sentence_subject(an, floor, cue.start)


def _reported(an: Analysis, cue: Cue, free) -> tuple[tuple[int, int], tuple[int, int] | None, str] | None:
    """Reported speech or "according to" around ``cue``: (claim, source, origin) or None."""
    text = an.text
    s_start, s_end = an.sentence_at(cue.start)
    if cue.lemma == "according to":
        src = subject_after(an, cue.end, s_end)
        if src is None:
            return None
        head = text[s_start:cue.start].strip()
        if not head:  # "According to X, CONTENT."
            comma = text.find(",", src[1], s_end)
            if comma < 0:
                return None
            claim = _trim_end(text, comma + 1, s_end)
        else:  # "CONTENT, according to X."
            claim = _trim_end(text, s_start, cue.start)
        if claim[1] - claim[0] < 8 or not free(*claim):
            return None
        return claim, src, "rule:according-to"
    subject = subject_before(an, cue.start, s_start)
    if subject is None and (text[cue.start:cue.end].endswith("ing") and re.search(r",\s*$", text[s_start:cue.start])
                            or re.search(r"\band\s+(?:also\s+)?$", text[s_start:cue.start])):
        # "Pence spoke about ..., saying that ...", "Lavrov praised ... and said ...": the clause's subject
        subject = sentence_subject(an, s_start, cue.start)
    rest = text[cue.end:s_end]
    at_end = re.fullmatch(r"\s*[.!?]?\s*|\s+(?:on|in|at|last|this)\b[^,]*[.!?]?\s*", rest)
    if subject is not None and not at_end:
        # SUBJECT CUE [object] [that] CONTENT
        k = cue.end
        if cue.lemma in OBJECT_VERBS or text[cue.start:cue.end].lower() in OBJECT_VERBS:
            obj = subject_after(an, cue.end, s_end)
            if obj is None:
                return None
            k = obj[1]
        m = _TIME.match(text, k)
        while m:
            k = m.end()
            m = _TIME.match(text, k)
        m = re.match(r"\s*,?\s*", text[k:s_end])
        k += m.end() if m else 0
        first = re.match(r"[\w“\"‘']+", text[k:s_end])
        if first is None:
            return None
        word = first.group(0).lower()
        if cue.lemma in OBJECT_ONLY:  # "McCain called it a “Chinese menu”": the object and what it is called
            stop = re.search(r",[”\"’»]?(?=\s)|\s—|;", text[k:s_end])
            claim = _trim_end(text, k, k + stop.end() if stop else s_end)
            if len(text[claim[0]:claim[1]].split()) < 2 or not free(*claim):
                return None
            return claim, subject, "rule:reported-speech"
        if word != "that" and (not cue.speech or word in _NOT_CLAUSE or text[k] in "“\"‘'"):
            return None
        end = s_end
        if text[subject[0]:subject[1]].lower() in RELATIVES:  # "X, who said Y, did Z": Y ends at the comma
            comma = text.find(", ", k, s_end)
            end = comma if comma > 0 else s_end
        claim = _trim_end(text, k, end)
        if claim[1] - claim[0] < 12 or not free(*claim):
            return None
        return claim, subject, "rule:reported-speech"
    # CONTENT, SUBJECT CUE.  /  CONTENT, CUE SUBJECT.
    if not cue.speech or not at_end:
        return None
    head = text[s_start:cue.start]
    comma = head.rfind(",")
    if comma < 0:
        return None
    between = text[s_start + comma + 1:cue.start]
    if subject is None or subject[0] < s_start + comma:
        subject = subject_after(an, cue.end, s_end) if not between.strip() else None
        if subject is None:
            return None
    claim = _trim_end(text, s_start, s_start + comma)
    if claim[1] - claim[0] < 12 or not free(*claim):
        return None
    return claim, subject, "rule:reported-speech"


_NOT_CLAUSE = frozenset(
    "in on at to for of with about from by as into during after before since through over under "
    "and or but so yet if when while because than which who whom".split()
)
