"""Adjudication, first step (issue 11), Qt-free: where annotators' layers differ in one
document, and accepting one annotator's claim into the gold layer.

A *difference* is a group of spans of one label, by annotators other than
:data:`~annotator.core.layers.GOLD`, whose extents overlap (transitively), unless every
annotator of the document made exactly the same span there: the same fragments and, for a
claim, the same form, polarity, intensity and target and a cue and a source mention of the
same fragments (two claims of the same words attributed differently are a difference: the
attribution is what adjudication is about). Speaker entities are not compared (each
annotator's registry names them apart).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

from annotator.core.layers import GOLD
from annotator.core.model import CLAIM, CLAIM_ATTRIBUTES, Span


@dataclass(frozen=True)
class Difference:
    """Spans of one ``label`` over ``start``–``end`` (code points, half-open) on which the
    annotators differ: ``versions`` are ``(annotator, span)`` pairs sorted by annotator then
    start; ``missing`` the annotators of the document with no span there."""

    label: str
    start: int
    end: int
    versions: tuple[tuple[str, Span], ...]
    missing: tuple[str, ...]


def differences(spans: Iterable[Span]) -> list[Difference]:
    """The differences between the layers of one document's ``spans`` (any annotators;
    gold spans are left out), in text order. O(n log n) in the number of spans."""
    layered = [s for s in spans if s.annotator != GOLD]
    annotators = sorted({s.annotator for s in layered})
    out: list[Difference] = []
    by_label: dict[str, list[Span]] = {}
    for span in layered:
        by_label.setdefault(span.label, []).append(span)
    by_id = {s.id: s for s in layered}
    for label, group in by_label.items():
        group.sort(key=lambda s: (s.start, s.end, s.id))
        cluster: list[Span] = []
        end = -1
        for span in [*group, None]:
            if span is None or (cluster and span.start >= end):
                if cluster and not _unanimous(cluster, annotators, by_id):
                    versions = tuple(sorted(((s.annotator, s) for s in cluster), key=lambda p: (p[0], p[1].start, p[1].id)))
                    missing = tuple(a for a in annotators if a not in {s.annotator for s in cluster})
                    out.append(Difference(label, cluster[0].start, end, versions, missing))
                cluster, end = [], -1
            if span is not None:
                cluster.append(span)
                end = max(end, span.end)
    out.sort(key=lambda d: (d.start, d.end, d.label))
    return out


def _unanimous(cluster: list[Span], annotators: list[str], by_id: dict[int, Span]) -> bool:
    """True when every annotator has exactly one span in ``cluster`` and all are the same
    (:func:`_what_counts`)."""
    if len(cluster) != len(annotators) or {s.annotator for s in cluster} != set(annotators):
        return False
    return len({_what_counts(s, by_id) for s in cluster}) == 1


def _what_counts(span: Span, by_id: dict[int, Span]) -> tuple:
    """What two annotators' versions must share to agree: the fragments and, for a claim,
    its attributes and the fragments of its cue and source mention (ids differ between
    layers, extents do not)."""
    frags = _frags(span)
    if span.label != CLAIM:
        return frags
    linked = tuple(_frags(by_id[i]) if i in by_id else None for i in (span.cue_id, span.source_id))
    return frags, tuple(getattr(span, name) for name in CLAIM_ATTRIBUTES), linked


def accept_into_gold(store, span_id: int):
    """Copy span ``span_id`` into the gold layer as ONE edit (one undo step) and return its
    ``Change``: for a claim, its cue and its source span too (a gold span with the same label
    and fragments is reused instead of a copy), with its speaker, form, polarity, intensity
    and target. Everything is stamped with annotator :data:`GOLD` (whoever adjudicates).
    ``store`` is a :class:`~annotator.core.store.Store`. Raises InputError for an unknown span
    or a span already in gold; returns None when gold already has the same span."""
    from annotator.core.errors import InputError

    span = store.span(span_id)
    if span is None:
        raise InputError(f"no span {span_id}")
    if span.annotator == GOLD:
        raise InputError("this span is already in the gold layer")
    gold = [s for s in store.spans(span.document_id) if s.annotator == GOLD]
    if _twin(gold, span) is not None and (span.label != CLAIM or _same_parts(store, gold, span)):
        return None
    before = store.annotator
    store.annotator = GOLD
    try:
        with store.compound(f"Accept {span.label} into gold"):
            attrs: dict = {"entity_id": span.entity_id} if span.entity_id is not None else {}
            if span.label == CLAIM:
                attrs = {k: getattr(span, k) for k in CLAIM_ATTRIBUTES if getattr(span, k) is not None}
                attrs["speaker_id"] = span.speaker_id
                for part in ("cue_id", "source_id"):
                    part_id = getattr(span, part)
                    if part_id is not None:
                        attrs[part] = _gold_copy(store, gold, store.span(part_id))
            twin = _twin(gold, span)
            if twin is not None:
                store.update_span(twin.id, **attrs)
            else:
                store.add_span(span.document_id, span.label, [tuple(f) for f in span.fragments], **attrs)
    finally:
        store.annotator = before
    return store.last_change


def _twin(gold: list[Span], span: Span) -> Span | None:
    frags = [tuple(f) for f in span.fragments]
    return next((g for g in gold if g.label == span.label and [tuple(f) for f in g.fragments] == frags), None)


def _same_parts(store, gold: list[Span], claim: Span) -> bool:
    twin = _twin(gold, claim)
    for part in ("cue_id", "source_id"):
        mine, theirs = getattr(claim, part), getattr(twin, part)
        if (mine is None) != (theirs is None):
            return False
        if mine is not None and _twin([store.span(theirs)], store.span(mine)) is None:
            return False
    return all(getattr(claim, k) == getattr(twin, k) for k in (*CLAIM_ATTRIBUTES, "speaker_id"))


def _gold_copy(store, gold: list[Span], part: Span) -> int:
    """The id of ``part``'s gold twin, added (inside the caller's compound edit) when absent."""
    twin = _twin(gold, part)
    if twin is not None:
        return twin.id
    extra = {"entity_id": part.entity_id} if part.entity_id is not None else {}
    store.add_span(part.document_id, part.label, [tuple(f) for f in part.fragments], **extra)
    new = store.last_change.spans.added[-1]
    gold.append(new)
    return new.id


# --- pre-merge strategies ----------------------------------------------------------------------

UNANIMOUS, MAJORITY, AT_LEAST = "unanimous", "majority", "at-least"
STRATEGIES = (UNANIMOUS, MAJORITY, AT_LEAST)
_LINKED = ("entity_id", "speaker_id", *CLAIM_ATTRIBUTES)  # values voted on like the spans


def needed_votes(strategy: str, annotators: int, n: int | None = None) -> int | None:
    """How many of a document's ``annotators`` must agree on an element for ``strategy``
    to take it into gold: ``unanimous`` all of them, ``majority`` more than half
    (``annotators // 2 + 1``), ``at-least`` ``n``. None when the document cannot be
    pre-merged (unanimity or majority of fewer than two annotators: one annotator is no
    agreement). Raises InputError for an unknown strategy or an ``n`` below 1."""
    from annotator.core.errors import InputError

    if strategy not in STRATEGIES:
        raise InputError(f"strategy {strategy!r} is not one of {', '.join(STRATEGIES)}")
    if strategy == AT_LEAST:
        if n is None or isinstance(n, bool) or not isinstance(n, int) or n < 1:
            raise InputError(f"at-least needs a number of annotators of 1 or more, not {n!r}")
        return n
    if annotators < 2:
        return None
    return annotators if strategy == UNANIMOUS else annotators // 2 + 1


@dataclass(frozen=True)
class GoldSpan:
    """One span a pre-merge puts into gold: ``label`` and ``fragments`` (code points,
    half-open) agreed by ``votes`` annotators; ``attrs`` the values enough of them agree on
    (entity_id, speaker_id, form, polarity, intensity, target); for a claim, ``cue`` and
    ``source`` the fragments of the cue and source span enough of them link (None: no
    agreement, or not linked)."""

    label: str
    fragments: tuple[tuple[int, int], ...]
    votes: int
    attrs: tuple[tuple[str, object], ...] = ()
    cue: tuple[tuple[int, int], ...] | None = None
    source: tuple[tuple[int, int], ...] | None = None


def plan_premerge(spans: Iterable[Span], strategy: str, n: int | None = None) -> list[GoldSpan]:
    """What ``strategy`` takes into gold from one document's ``spans`` (every layer; gold
    spans and spans of annotators other than the document's are left out; only accepted
    spans should be given). The rule is the same at every level: an element is taken when
    at least :func:`needed_votes` of the document's annotators made it: a span (same label,
    same fragments), then, for each span taken, each value of an attribute or link (a
    claim's speaker, its form, polarity, intensity and target, the fragments of its cue and
    of its source; a speaker mention's entity). A cue or source is only linked when it is
    itself taken. Spans already in gold (same label and fragments) are not planned again.
    Pure; O(n) in the number of spans. In text order."""
    spans = list(spans)
    gold = {(s.label, _frags(s)) for s in spans if s.annotator == GOLD}
    layered = [s for s in spans if s.annotator != GOLD]
    need = needed_votes(strategy, len({s.annotator for s in layered}), n)
    if need is None:
        return []
    by_id = {s.id: s for s in spans}
    groups: dict[tuple, dict[str, Span]] = {}
    for span in layered:  # one vote per annotator: their first span with these fragments
        groups.setdefault((span.label, _frags(span)), {}).setdefault(span.annotator, span)
    taken = {key for key, versions in groups.items() if len(versions) >= need}
    out = []
    for key in sorted(taken - gold, key=lambda k: (k[1][0][0], k[1][-1][1], k[0])):
        versions = list(groups[key].values())
        attrs = tuple((name, value) for name in _LINKED
                      if (value := _agreed([getattr(v, name) for v in versions], need)) is not None)
        parts = {}
        for part in ("cue_id", "source_id"):
            linked = [_frags(by_id[i]) if (i := getattr(v, part)) in by_id else None for v in versions]
            frags = _agreed(linked, need)
            label = "cue" if part == "cue_id" else "speaker"
            parts[part] = frags if frags is not None and ((label, frags) in taken or (label, frags) in gold) else None
        out.append(GoldSpan(key[0], key[1], len(versions), attrs, parts["cue_id"], parts["source_id"]))
    return out


def _frags(span: Span) -> tuple[tuple[int, int], ...]:
    return tuple((int(a), int(b)) for a, b in span.fragments)


def _agreed(values: list, need: int):
    """The value (not None) that at least ``need`` of ``values`` have, else None."""
    counts: dict = {}
    for value in values:
        if value is not None:
            counts[value] = counts.get(value, 0) + 1
    best = max(counts.items(), key=lambda kv: kv[1], default=(None, 0))
    return best[0] if best[1] >= need else None


def premerge(store, doc_ids: Iterable[int], strategy: str, n: int | None = None,
             description: str | None = None):
    """Write :func:`plan_premerge` of each document of ``doc_ids`` into the gold layer, as
    ONE edit (one undo step), stamped :data:`GOLD`; returns its ``Change``, or None when
    nothing was added (everything agreed is in gold already, or nothing is agreed).
    Mentions and cues are written before the claims that link them; a gold span with the
    same label and fragments is reused, never changed. ``store`` is a
    :class:`~annotator.core.store.Store`. Raises InputError for a bad strategy or ``n``."""
    needed_votes(strategy, 2, n)  # check the arguments before anything is written
    plans = {doc_id: plan_premerge(store.spans(doc_id), strategy, n) for doc_id in doc_ids}
    plans = {doc_id: plan for doc_id, plan in plans.items() if plan}
    if not plans:
        return None
    before = store.annotator
    store.annotator = GOLD
    try:
        with store.compound(description or f"Pre-merge into gold ({strategy}{f' {n}' if strategy == AT_LEAST else ''})"):
            for doc_id, plan in plans.items():
                ids = {(s.label, _frags(s)): s.id for s in store.spans(doc_id) if s.annotator == GOLD}
                for item in sorted(plan, key=lambda g: g.label == CLAIM):  # parts before the claims
                    attrs = dict(item.attrs)
                    for part, frags, label in (("cue_id", item.cue, "cue"), ("source_id", item.source, "speaker")):
                        if frags is not None and (label, frags) in ids:
                            attrs[part] = ids[(label, frags)]
                    store.add_span(doc_id, item.label, [tuple(f) for f in item.fragments], **attrs)
                    ids[(item.label, item.fragments)] = store.last_change.spans.added[-1].id
    finally:
        store.annotator = before
    return store.last_change


def accept_agreed(store, doc_id: int):
    """Accept into gold everything every annotator of document ``doc_id`` agrees on (the
    unanimous pre-merge of one document): one undo step; None when there is nothing new."""
    return premerge(store, [doc_id], UNANIMOUS, description="Accept all agreed into gold")
