"""Adjudication, first step (issue 11), Qt-free: where annotators' layers differ in one
document, and accepting one annotator's claim into the gold layer.

A *difference* is a group of spans of one label, by annotators other than
:data:`~annotator.core.layers.GOLD`, whose extents overlap (transitively), unless every
annotator of the document made exactly the same fragments there. Spans are compared by
label and fragments only (attributes are not compared yet).
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
    for label, group in by_label.items():
        group.sort(key=lambda s: (s.start, s.end, s.id))
        cluster: list[Span] = []
        end = -1
        for span in [*group, None]:
            if span is None or (cluster and span.start >= end):
                if cluster and not _unanimous(cluster, annotators):
                    versions = tuple(sorted(((s.annotator, s) for s in cluster), key=lambda p: (p[0], p[1].start, p[1].id)))
                    missing = tuple(a for a in annotators if a not in {s.annotator for s in cluster})
                    out.append(Difference(label, cluster[0].start, end, versions, missing))
                cluster, end = [], -1
            if span is not None:
                cluster.append(span)
                end = max(end, span.end)
    out.sort(key=lambda d: (d.start, d.end, d.label))
    return out


def _unanimous(cluster: list[Span], annotators: list[str]) -> bool:
    """True when every annotator has exactly one span in ``cluster`` and all have the same fragments."""
    if len(cluster) != len(annotators) or {s.annotator for s in cluster} != set(annotators):
        return False
    return len({tuple(map(tuple, s.fragments)) for s in cluster}) == 1


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
