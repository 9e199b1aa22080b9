"""Attribution ranking: which mention of a speaker is a claim's source, which cue
introduces it, and which entity a new mention names.

Pure Python on a text and a list of spans, WITHOUT a store: the operations
(:func:`annotator.core.operations.attribute_claim`) call it with what they read, and a
suggester may call it off the GUI thread with spans it proposes. Offsets are Python code
points into the document text.

Heuristics (for attribution after PARC 3.0, Pareti 2016: source, cue, content):

* *paragraphs* are separated by blank lines (or by line breaks when the text has no blank
  line), :func:`paragraph_bounds`;
* the *source* mention is chosen among the entity's mentions in the claim's document
  (:func:`nearest_source`): mentions outside the claim first, then those in the claim's
  paragraph, then names before pronouns ("his" in "in his first meeting" is rarely who
  speaks), then mentions before the claim, then the nearest by character distance;
* the *cue* (:func:`nearest_cue`) is the nearest cue span of the claim's paragraph that no
  other claim uses; when every cue of the paragraph is taken, the nearest one anyway (a cue
  may introduce several claims: "praised the talks as “constructive” and “useful,”"), one of
  the claim's own sentence first; when the paragraph has no cue, the last cue of the
  previous paragraph within ``CUE_REACH`` characters before the claim ("Rathbun stated,"
  then the quote as a paragraph of its own), else the first of the next paragraph within
  that reach after it, unless a claim of that paragraph uses the cue or lies between it and
  the claim;
* a new mention joins the entity whose name or alias appears inside it, on word boundaries
  ("U.S. Secretary of State Antony Blinken" joins Antony Blinken), :func:`entity_in`.
"""
from __future__ import annotations

import re
from typing import Iterable

from annotator.core.model import CLAIM, CUE, SPEAKER, Entity, Span

PRONOUNS = frozenset(
    "i me my mine we us our ours you your yours he him his she her hers it its they them their theirs".split()
)
_COORDINATION = re.compile(r"(?<!\w)(?:and|or|&)(?!\w)|[,;/]", re.IGNORECASE)
_SENTENCE_END = re.compile(r"[.!?…][\"'”’»)]*\s")
CUE_REACH = 200  # characters: how far before (after) a claim the cue of a neighbouring paragraph may be


def paragraph_bounds(text: str, offset: int) -> tuple[int, int]:
    """``(start, end)`` of the paragraph holding ``offset`` (see the module docstring)."""
    sep = re.compile(r"\n[ \t]*\n" if re.search(r"\n[ \t]*\n", text) else r"\n")
    start, end = 0, len(text)
    for match in sep.finditer(text):
        if match.end() <= offset:
            start = match.end()
        elif match.start() >= offset:
            end = match.start()
            break
    return start, end


def distance(a: Span, b: Span) -> int:
    """Characters between two spans (0 when they touch or overlap)."""
    return max(0, max(a.start, b.start) - min(a.end, b.end))


def entity_in(entities: Iterable[Entity], mention: str) -> Entity | None:
    """The entity whose name or alias appears inside ``mention`` (case-insensitive, on word
    boundaries): "Antony Blinken" in "U.S. Secretary of State Antony Blinken".

    Of overlapping matches the longest wins ("Antony Blinken" over an entity "Blinken").
    Matches of different entities side by side: joined by "and", "or", "&" or a comma, the
    mention names a group ("Top diplomats Antony Blinken and Sergey Lavrov"): None, so a
    new entity is founded; otherwise the last one is the head of the phrase and wins
    ("Ned Price" in "State Department spokesman Ned Price"). A possessive is not the person
    ("Lavrov’s aide"). None when nothing matches."""
    matches: list[tuple[int, int, Entity]] = []
    for entity in entities:
        for name in (entity.name, *entity.aliases):
            name = name.strip()
            if not name:
                continue
            for m in re.finditer(rf"(?<!\w){re.escape(name)}(?!\w)(?![’']s(?!\w))", mention, re.IGNORECASE):
                matches.append((m.start(), m.end(), entity))
    if not matches:
        return None
    # the longest of each group of overlapping matches
    matches.sort(key=lambda m: (-(m[1] - m[0]), m[0]))
    kept: list[tuple[int, int, Entity]] = []
    for m in matches:
        if all(m[1] <= k[0] or m[0] >= k[1] for k in kept):
            kept.append(m)
    kept.sort()
    if len({m[2].id for m in kept}) > 1 and any(
        a[2].id != b[2].id and _COORDINATION.search(mention[a[1]:b[0]]) for a, b in zip(kept, kept[1:])
    ):
        return None
    return kept[-1][2]


def nearest_source(text: str, claim: Span, entity_id: int, spans: Iterable[Span]) -> Span | None:
    """The mention of ``entity_id`` among ``spans`` (the spans of ``claim``'s document, whose
    text is ``text``) that most likely introduces ``claim`` (module docstring); None when
    the entity has no mention there."""
    para = paragraph_bounds(text, claim.start)
    mentions = [s for s in spans if s.label == SPEAKER and s.entity_id == entity_id]

    def rank(m: Span):
        inside = any(claim.covers(a) for a, _ in m.fragments)
        elsewhere = not (para[0] <= m.start < para[1])
        pronoun = text[m.start:m.end].strip().casefold() in PRONOUNS
        return (inside, elsewhere, pronoun, m.start > claim.start, distance(m, claim), m.start)

    return min(mentions, key=rank, default=None)


def nearest_cue(text: str, claim: Span, spans: Iterable[Span]) -> Span | None:
    """The nearest cue of the claim's paragraph not used by another claim; if every one is
    used, the nearest one anyway, one in the claim's sentence first (a cue may introduce
    several claims). When the paragraph has no cue: the last cue of the previous paragraph
    ending at most ``CUE_REACH`` characters before the claim starts ("Rathbun stated," then
    the quote as a paragraph of its own), else the first cue of the next paragraph starting
    at most ``CUE_REACH`` characters after the claim ends; not a cue that a claim of its own
    paragraph uses, nor one with a claim of its paragraph between it and this claim (in
    "Lavrov described it as “very simple.”" the cue introduces that quote, not the next
    paragraph). ``spans`` are the spans of the claim's document, whose text is ``text``;
    the claim itself may be among them. None when there is none."""
    para = paragraph_bounds(text, claim.start)
    spans = list(spans)
    used = {s.cue_id for s in spans if s.label == CLAIM and s.id != claim.id}
    all_cues = [s for s in spans if s.label == CUE]
    cues = [s for s in all_cues if para[0] <= s.start < para[1]]
    if not cues:
        claims = [s for s in spans if s.label == CLAIM and s.id != claim.id]

        def free(c: Span, bounds: tuple[int, int], between) -> bool:
            """No claim of the cue's own paragraph uses it or lies between it and the claim."""
            return not any(bounds[0] <= o.start < bounds[1] and (o.cue_id == c.id or between(o)) for o in claims)

        before = len(text[:para[0]].rstrip())
        prev = paragraph_bounds(text, before - 1) if before > 0 else (0, 0)
        cues = [c for c in all_cues if prev[0] <= c.start < prev[1] and c.end <= claim.start
                and claim.start - c.end <= CUE_REACH and free(c, prev, lambda o, c=c: o.start >= c.end)]
        after = para[1] + len(text[para[1]:]) - len(text[para[1]:].lstrip())
        nxt = paragraph_bounds(text, after) if after < len(text) else (len(text), len(text))
        cues = cues or [c for c in all_cues if nxt[0] <= c.start < nxt[1] and c.start >= claim.end
                        and c.start - claim.end <= CUE_REACH and free(c, nxt, lambda o, c=c: o.start < c.start)]

    def rank(c: Span):
        gap = text[min(c.end, claim.end):max(c.start, claim.start)]
        return (c.id in used, bool(_SENTENCE_END.search(gap)), distance(c, claim), c.start)

    return min(cues, key=rank, default=None)
