"""The annotation operations a user performs, each returning ONE Change (one undo step).

Pure Python (no Qt): the window's controller and the tests call these; the store does the
writing. Offsets are Python code points into the document text, fragments are
``[(start, end), ...]`` half-open ranges (see :mod:`annotator.core.model`).

Heuristics used when linking a claim to its speaker (:func:`attribute_claim`):

* *paragraphs* are separated by blank lines (or by line breaks when the text has no blank
  line);
* the *source* mention is chosen among the entity's mentions in the claim's document:
  mentions outside the claim first, then those in the claim's paragraph, then names before
  pronouns ("his" in "in his first meeting" is rarely who speaks), then mentions before the
  claim, then the nearest by character distance;
* the *cue* is the nearest cue span of the claim's paragraph that no other claim uses; when
  every cue of the paragraph is taken, the nearest one anyway (a cue may introduce several
  claims: "praised the talks as “constructive” and “useful,”"), one of the claim's own
  sentence first; when the paragraph has no cue, the last cue of the previous paragraph
  within ``CUE_REACH`` characters before the claim ("Rathbun stated," then the quote as a
  paragraph of its own), else the first of the next paragraph within that reach after it,
  unless a claim of that paragraph uses the cue or lies between it and the claim;
* a claim's existing cue, and an existing source that is a mention of the same entity, are
  kept (they may have been linked by hand, :func:`link_to_claim`).

Selections (:func:`trim_fragments`): surrounding whitespace is dropped; a selection without
a letter or digit is refused; speaker and cue marks also drop the punctuation a word jump
takes along ("officials." -> "officials"; an abbreviation keeps its period: "Jr.", "U.S.");
claims keep theirs.

Which entity a new mention joins (:func:`mark_speaker`): the one whose name or alias is the
mention's text; else one whose name or alias appears inside it, on word boundaries
("U.S. Secretary of State Antony Blinken" joins Antony Blinken), see :func:`entity_in`.

The first annotation edit of a document whose status is "new" sets it to "in progress",
in the same Change (one undo step).
"""
from __future__ import annotations

import re
from contextlib import contextmanager
from typing import Callable, Iterable, Iterator, Sequence

from annotator.core.errors import InputError
from annotator.core.model import CLAIM, CUE, SPEAKER, Entity, Fragment, Span
from annotator.core.schema import Schema
from annotator.core.store import Change, Store
from annotator.core.tokenize import ABBREVIATIONS

OPENING_QUOTES = "“\"‘«„"
PRONOUNS = frozenset(
    "i me my mine we us our ours you your yours he him his she her hers it its they them their theirs".split()
)
_NAME_STRIP = " \t\n\r\u00a0,;:!?\"'“”‘’«»„()[]"  # after trim_punctuation: "." stays on "Jr."
_LEADING_PUNCT = "([“‘\"（［「『"  # and their full-width / CJK forms
_TRAILING_PUNCT = ",;:!?)]”’\"，；：！？）］」』。、"
_DOTTED_WORD = re.compile(r"(?:[^\W\d_]\.)+[^\W\d_]")  # U.S  p.m  e.g (the final "." is not in it)
_COORDINATION = re.compile(r"(?<!\w)(?:and|or|&)(?!\w)|[,;/]", re.IGNORECASE)
_SENTENCE_END = re.compile(r"[.!?…][\"'”’»)]*\s")
NEW, IN_PROGRESS = "new", "in progress"
CUE_REACH = 200  # characters: how far before (after) a claim the cue of a neighbouring paragraph may be


# --- helpers ------------------------------------------------------------------------------


def trim_fragments(text: str, fragments: Iterable[Sequence[int]], label: str | None = None) -> list[Fragment]:
    """``fragments`` without leading / trailing whitespace; fragments that are only
    whitespace are dropped (a keyboard selection often takes a space with it).

    With ``label`` SPEAKER or CUE, the punctuation a word jump drags along goes too (see
    :func:`trim_punctuation`: "officials." -> "officials", "(AP)" -> "AP", "U.S." kept);
    claims keep theirs (a quote is annotated with its punctuation)."""
    out = []
    for a, b in fragments:
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        if label in (SPEAKER, CUE):
            a, b = trim_punctuation(text, a, b)
        if a < b:
            out.append((a, b))
    return out


def trim_punctuation(text: str, start: int, end: int) -> tuple[int, int]:
    """``text[start:end]`` without leading ``( [ “ ‘ "`` and trailing ``, ; : ! ? ) ] ” ’ "``
    (their full-width forms, 「」『』 and 。、 too; and whitespace), and without a trailing "."
    unless its last word is an abbreviation (:func:`is_abbreviation`: "Jr." "U.S." "J." keep
    it). Only punctuation: ``(start, start)``."""
    a, b = start, end
    while True:
        before = a, b
        while a < b and (text[a] in _LEADING_PUNCT or text[a].isspace()):
            a += 1
        while b > a and (text[b - 1] in _TRAILING_PUNCT or text[b - 1].isspace()):
            b -= 1
        if b > a and text[b - 1] == "." and not is_abbreviation(text, a, b):
            b -= 1
        if (a, b) == before:
            return (a, b) if a < b else (start, start)


def is_abbreviation(text: str, start: int, end: int) -> bool:
    """True when ``text[start:end]`` ends with "." after an abbreviation, by the rule of
    :mod:`annotator.core.tokenize`: one of its ``ABBREVIATIONS`` ("Inc." "Jr." "Mr."), one
    capital letter ("J."), or a dotted one ("U.S." "p.m.")."""
    if end <= start or text[end - 1] != ".":
        return False
    k = end - 1
    while k > start and (text[k - 1].isalnum() or text[k - 1] == "."):
        k -= 1
    word = text[k:end - 1]
    return (word in ABBREVIATIONS or (len(word) == 1 and word.isupper())
            or _DOTTED_WORD.fullmatch(word) is not None)


def has_word(text: str, fragments: Iterable[Sequence[int]]) -> bool:
    """True when the fragments hold a letter or a digit (``str.isalnum``; CJK characters
    are letters): a selection of punctuation only is not a speaker, cue or claim."""
    return any(ch.isalnum() for a, b in fragments for ch in text[a:b])


def mention_name(text: str, fragments: Iterable[Sequence[int]]) -> str:
    """The entity name a mention suggests: its text without surrounding punctuation (as
    :func:`trim_punctuation` trims it: an abbreviation keeps its period, "Jr.")."""
    parts = [text[a:b] for a, b in trim_fragments(text, fragments, SPEAKER)]
    return " ".join(parts).strip(_NAME_STRIP) or "unnamed"


def is_quoted(text: str, start: int, end: int) -> bool:
    """True if ``text[start:end]`` starts with an opening quotation mark or is enclosed by
    one (the character before ``start``, ignoring spaces, opens a quotation)."""
    surface = text[start:end].lstrip()
    if surface and surface[0] in OPENING_QUOTES:
        return True
    before = text[:start].rstrip(" \u00a0")
    return bool(before) and before[-1] in OPENING_QUOTES


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


def _claim(store: Store, claim_id: int) -> Span:
    span = store.span(claim_id)
    if span is None:
        raise InputError(f"no span {claim_id}")
    if span.label != CLAIM:
        raise InputError(f"span {claim_id} is a {span.label}, not a claim")
    return span


def _fragments(store: Store, doc_id: int, fragments, label: str) -> tuple[str, list[Fragment]]:
    """The selection as a span of ``label`` marks it (:func:`trim_fragments`); InputError
    for a selection of whitespace or of punctuation only."""
    text = store.document_text(doc_id)
    trimmed = trim_fragments(text, fragments)
    if not trimmed:
        raise InputError("select some text first")
    if not has_word(text, trimmed):
        raise InputError("select a word, not only punctuation")
    return text, trim_fragments(text, trimmed, label)


@contextmanager
def _annotation_edit(store: Store, doc_id: int, description: str) -> Iterator[None]:
    """One Change for an annotation edit of document ``doc_id``: if the edit changed
    anything and the document's status is still "new", it becomes "in progress" in the same
    Change (undoing the edit makes the document "new" again)."""
    with store.compound(description):
        with store.compound(description):
            yield
        if store.last_change and IN_PROGRESS in store.schema.document_status \
                and store.document(doc_id).status == NEW:
            store.update_document(doc_id, status=IN_PROGRESS)


def _span(store: Store, span_id: int) -> Span:
    span = store.span(span_id)
    if span is None:
        raise InputError(f"no span {span_id}")
    return span


def describe_span(span: Span, text: str, schema: Schema, name_of: Callable[[int], str], width: int = 60) -> str:
    """One line about a span for tooltips and status lines: label, text (cut at ``width``
    code points), speaker and attributes, e.g. ``Claim: “useful,” — said by Lavrov, direct``."""
    surface = " ".join(span.text(text).split())
    surface = surface if len(surface) <= width else surface[: width - 1] + "…"
    title = schema.label(span.label).title if span.label in schema.label_names else span.label
    extra = []
    if span.entity_id is not None:
        extra.append(f"speaker {name_of(span.entity_id)}")
    if span.speaker_id is not None:
        extra.append(f"said by {name_of(span.speaker_id)}")
    extra += [v for v in (span.form, span.polarity, span.intensity) if v]
    if span.target:
        extra.append(f"about {span.target}")
    return f"{title}: “{surface}”" + (f" — {', '.join(extra)}" if extra else "")


# --- spans --------------------------------------------------------------------------------


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


def mark_speaker(store: Store, doc_id: int, fragments, entity_id: int | None = None) -> Change:
    """Mark a mention of a speaker. Without ``entity_id`` the mention joins the entity whose
    name or alias equals its text, else the entity named inside it (:func:`entity_in`), else
    founds a new person entity named after it (titles and all: rename it with F2)."""
    text, frags = _fragments(store, doc_id, fragments, SPEAKER)
    name = mention_name(text, frags)
    with _annotation_edit(store, doc_id, f"Mark speaker “{name}”"):
        if entity_id is None:
            found = store.find_entity(name) or entity_in(store.entities(), name)
            entity_id = found.id if found else store.add_entity(name, "person").entities.new_id
        store.add_span(doc_id, SPEAKER, frags, entity_id=entity_id)
    return store.last_change


def mark_new_speaker(store: Store, doc_id: int, fragments, type: str = "person") -> Change:
    """Found a new entity named after the selection (even if one of that name exists) and
    mark the selection as its first mention."""
    text, frags = _fragments(store, doc_id, fragments, SPEAKER)
    name = mention_name(text, frags)
    with _annotation_edit(store, doc_id, f"New speaker “{name}”"):
        entity_id = store.add_entity(name, type).entities.new_id
        store.add_span(doc_id, SPEAKER, frags, entity_id=entity_id)
    return store.last_change


def mark_cue(store: Store, doc_id: int, fragments) -> Change:
    """Mark the words that introduce a claim ("said", "told reporters")."""
    _, frags = _fragments(store, doc_id, fragments, CUE)
    with _annotation_edit(store, doc_id, "Mark cue"):
        store.add_span(doc_id, CUE, frags)
    return store.last_change


def mark_claim(store: Store, doc_id: int, fragments, **attrs) -> Change:
    """Mark a claim; ``attrs`` are speaker_id, source_id, cue_id, form, polarity, intensity,
    target. ``form`` defaults to "direct" when the first fragment is quoted, else "indirect"."""
    text, frags = _fragments(store, doc_id, fragments, CLAIM)
    if attrs.get("form") is None:
        attrs["form"] = "direct" if is_quoted(text, *frags[0]) else "indirect"
    with _annotation_edit(store, doc_id, "Mark claim"):
        store.add_span(doc_id, CLAIM, frags, **attrs)
    return store.last_change


def delete_span(store: Store, span_id: int) -> Change:
    """Delete a span; claims linking to it lose the link (same Change)."""
    span = _span(store, span_id)
    with _annotation_edit(store, span.document_id, f"Delete {span.label}"):
        store.delete_span(span_id)
    return store.last_change


def nearest_source(store: Store, claim: Span, entity_id: int, spans: list[Span] | None = None) -> Span | None:
    """The mention of ``entity_id`` that most likely introduces ``claim`` (module docstring)."""
    text = store.document_text(claim.document_id)
    para = paragraph_bounds(text, claim.start)
    spans = store.spans(claim.document_id) if spans is None else spans
    mentions = [s for s in spans if s.label == SPEAKER and s.entity_id == entity_id]

    def rank(m: Span):
        inside = any(claim.covers(a) for a, _ in m.fragments)
        elsewhere = not (para[0] <= m.start < para[1])
        pronoun = text[m.start:m.end].strip().casefold() in PRONOUNS
        return (inside, elsewhere, pronoun, m.start > claim.start, distance(m, claim), m.start)

    return min(mentions, key=rank, default=None)


def nearest_cue(store: Store, claim: Span, spans: list[Span] | None = None) -> Span | None:
    """The nearest cue of the claim's paragraph not used by another claim; if every one is
    used, the nearest one anyway, one in the claim's sentence first (a cue may introduce
    several claims). When the paragraph has no cue: the last cue of the previous paragraph
    ending at most ``CUE_REACH`` characters before the claim starts ("Rathbun stated," then
    the quote as a paragraph of its own), else the first cue of the next paragraph starting
    at most ``CUE_REACH`` characters after the claim ends; not a cue that a claim of its own
    paragraph uses, nor one with a claim of its paragraph between it and this claim (in
    "Lavrov described it as “very simple.”" the cue introduces that quote, not the next
    paragraph). None when there is none."""
    text = store.document_text(claim.document_id)
    para = paragraph_bounds(text, claim.start)
    spans = store.spans(claim.document_id) if spans is None else spans
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


def attribute_claim(store: Store, claim_id: int, entity_id: int | None) -> Change:
    """Say who made a claim: set its speaker, link its source to the nearest mention of that
    entity and its cue to the nearest cue of its paragraph (module docstring); a cue it has,
    and a source that is a mention of that entity, are kept. ``None`` clears all three."""
    claim = _claim(store, claim_id)
    if entity_id is None:
        with _annotation_edit(store, claim.document_id, "Clear claim speaker"):
            store.update_span(claim_id, speaker_id=None, source_id=None, cue_id=None)
        return store.last_change
    entity = store.entity(entity_id)
    if entity is None:
        raise InputError(f"no entity {entity_id}")
    spans = store.spans(claim.document_id)
    by_id = {s.id: s for s in spans}
    source = by_id.get(claim.source_id)
    if source is None or source.entity_id != entity_id:
        source = nearest_source(store, claim, entity_id, spans)
    cue = by_id.get(claim.cue_id) or nearest_cue(store, claim, spans)
    with _annotation_edit(store, claim.document_id, f"Attribute claim to {entity.name}"):
        store.update_span(claim_id, speaker_id=entity_id, source_id=source.id if source else None,
                          cue_id=cue.id if cue else None)
    return store.last_change


def link_to_claim(store: Store, claim_id: int, span_id: int) -> Change:
    """Link a span to a claim by hand: a speaker mention becomes its source (and the
    mention's entity its speaker), a cue its cue. Linking what is linked already changes
    nothing (an empty Change). A cue may be the cue of several claims."""
    claim = _claim(store, claim_id)
    span = _span(store, span_id)
    if span.document_id != claim.document_id:
        raise InputError("a claim can only be linked to a span of its own document")
    surface = " ".join(span.text(store.document_text(span.document_id)).split())
    if span.label == SPEAKER:
        attrs = {"source_id": span.id}
        if span.entity_id is not None:
            attrs["speaker_id"] = span.entity_id
        description = f"Link source “{surface}”"
    elif span.label == CUE:
        attrs, description = {"cue_id": span.id}, f"Link cue “{surface}”"
    else:
        raise InputError(f"only a speaker mention or a cue can be linked to a claim, not a {span.label} span")
    with _annotation_edit(store, claim.document_id, description):
        store.update_span(claim_id, **attrs)
    return store.last_change


def clear_links(store: Store, claim_id: int) -> Change:
    """Clear a claim's source and cue links (its speaker stays)."""
    claim = _claim(store, claim_id)
    with _annotation_edit(store, claim.document_id, "Unlink source and cue"):
        store.update_span(claim_id, source_id=None, cue_id=None)
    return store.last_change


def set_claim_attribute(store: Store, claim_id: int, name: str, value: str | None) -> Change:
    """Set a claim's form, polarity, intensity or target (``None`` clears it)."""
    claim = _claim(store, claim_id)
    if name not in ("form", "polarity", "intensity", "target"):
        raise InputError(f"claims have no attribute {name!r}")
    if name == "target" and value is not None:
        value = value.strip() or None
    with _annotation_edit(store, claim.document_id, f"Set {name}" if value is not None else f"Clear {name}"):
        store.update_span(claim_id, **{name: value})
    return store.last_change


def cycle_value(schema: Schema, name: str, current: str | None) -> str | None:
    """The value after ``current`` in the schema's list for attribute ``name``; after the
    last comes None (unset), after None the first."""
    values = (None, *schema.attributes.get(name, ()))
    if len(values) == 1:
        raise InputError(f"unknown attribute {name!r}")
    try:
        return values[(values.index(current) + 1) % len(values)]
    except ValueError:
        return values[1]


# --- entities (pass through, with menu descriptions) --------------------------------------


def new_entity(store: Store, name: str, type: str = "person") -> Change:
    """Add a speaker entity; its id is ``change.entities.new_id``."""
    return store.add_entity(name, type)


def rename_entity(store: Store, entity_id: int, name: str) -> Change:
    return store.update_entity(entity_id, name=name)


def set_entity_type(store: Store, entity_id: int, type: str) -> Change:
    return store.update_entity(entity_id, type=type)


def merge_entities(store: Store, keep_id: int, gone_id: int) -> Change:
    """Merge ``gone_id`` into ``keep_id`` (mentions, claims, name as alias)."""
    return store.merge_entities(keep_id, gone_id)


def delete_entity(store: Store, entity_id: int) -> Change:
    """Delete an entity with its mentions; its claims lose their speaker. One Change."""
    return store.delete_entity(entity_id)


# --- documents ----------------------------------------------------------------------------


def set_document_polarity(store: Store, doc_id: int, polarity: str | None) -> Change:
    with _annotation_edit(store, doc_id, "Set document polarity"):
        store.update_document(doc_id, polarity=polarity)
    return store.last_change


def set_document_status(store: Store, doc_id: int, status: str) -> Change:
    with store.compound(f"Mark document {status}"):
        store.update_document(doc_id, status=status)
    return store.last_change


def toggle_done(store: Store, doc_id: int) -> Change:
    """Status "done" ↔ "in progress" (a "new" document becomes "done")."""
    done = store.document(doc_id).status == "done"
    return set_document_status(store, doc_id, "in progress" if done else "done")
