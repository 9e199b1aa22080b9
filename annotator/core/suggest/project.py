"""Between the suggestion engine and a project (the store API only, never SQL): the known
entities, training documents from accepted annotations, stored spans seen as suggestions
(to evaluate a project against gold), and writing suggestions into a document.

Writing uses the shared store contract: ``store.add_span(doc_id, label, fragments, *,
status="suggested", origin=..., score=..., **attrs)`` and ``store.spans(doc_id,
statuses=(...))``. A suggestion is written as its source mention (joined to its entity when
one is known or, for accepted annotations, created by name), its cue, then its claim linked to
both, in one compound edit per document (one undo step).
"""
from __future__ import annotations

from typing import Sequence

from annotator.core.suggest.base import CLAIM, CUE, SPEAKER, KnownEntity, SpanSuggestion, Suggestion
from annotator.core.suggest.gold import GoldClaim, GoldDocument

ALL_STATUSES = ("accepted", "suggested", "rejected")


def known_entities(store) -> list[KnownEntity]:
    """The project's entity registry as the suggesters see it."""
    return [KnownEntity(e.id, e.name, tuple(e.aliases)) for e in store.entities()]


def _spans(store, doc_id: int, statuses: Sequence[str]):
    """The document's spans of ``statuses``."""
    return store.spans(doc_id, statuses=tuple(statuses))


def taken(store, doc_id: int) -> list[tuple[str, tuple[tuple[int, int], ...]]]:
    """``(label, fragments)`` of every span of the document, whatever its status: nothing is
    proposed again over an accepted, suggested or rejected span."""
    return [(s.label, s.fragments) for s in _spans(store, doc_id, ALL_STATUSES)]


def stored_as_suggestions(store, doc_id: int, statuses: Sequence[str] = ("accepted", "suggested")) -> list[Suggestion]:
    """The document's claims (with their source and cue) and unlinked mentions, as
    suggestions: what the evaluation compares with gold."""
    spans = _spans(store, doc_id, statuses)
    by_id = {s.id: s for s in spans}
    names = {e.id: e.name for e in store.entities()}
    out, linked = [], set()
    for s in spans:
        if s.label != CLAIM:
            continue
        src, cue = by_id.get(s.source_id), by_id.get(s.cue_id)
        linked.update(x.id for x in (src, cue) if x)
        attrs = {k: v for k, v in (("form", s.form), ("polarity", s.polarity), ("intensity", s.intensity)) if v}
        out.append(Suggestion(
            SpanSuggestion(CLAIM, s.fragments, "project").with_attrs(**attrs),
            SpanSuggestion(CUE, cue.fragments, "project") if cue else None,
            SpanSuggestion(SPEAKER, src.fragments, "project") if src else None,
            names.get(s.speaker_id), s.speaker_id))
    for s in spans:
        if s.label in (SPEAKER, CUE) and s.id not in linked:
            span = SpanSuggestion(s.label, s.fragments, "project")
            out.append(Suggestion(source=span) if s.label == SPEAKER else Suggestion(cue=span))
    return out


def training_documents(store) -> list[GoldDocument]:
    """Documents with at least one accepted claim, as training examples for
    :func:`annotator.core.suggest.learned.train`."""
    docs = []
    for info in store.document_infos():
        spans = _spans(store, info.id, ("accepted",))
        by_id = {s.id: s for s in spans}
        claims = [GoldClaim(s.fragments,
                            by_id[s.source_id].fragments if s.source_id in by_id else None,
                            by_id[s.cue_id].fragments if s.cue_id in by_id else None)
                  for s in spans if s.label == CLAIM]
        if claims:
            docs.append(GoldDocument(str(info.id), store.document_text(info.id), claims,
                                     layers=frozenset({"claims", "cues", "speakers"})))
    return docs


def _new_id(change, kind: str) -> int:
    """The id of the object ``change`` added (``kind``: ``spans`` or ``entities``)."""
    return getattr(change, kind).new_id


def speaker_entity(store, name: str) -> int:
    """The id of the speaker entity named ``name``: one with that name or alias (case
    ignored: ``store.find_entity``), else the one ``speakers.match_entity`` gives (the only
    entity with the same last word: "Eastman" joins "Cres Eastman"), else a new person
    entity of that name. What both
    ``annotator suggest --accept`` and accepting a suggestion in review
    (:mod:`annotator.core.review`) join a speaker mention to; call it inside an edit."""
    from annotator.core.suggest.speakers import match_entity

    found = store.find_entity(name) or match_entity(name, known_entities(store))
    return found.id if found else _new_id(store.add_entity(name), "entities")


def write_suggestions(store, doc_id: int, suggestions: Sequence[Suggestion], status: str = "suggested") -> int:
    """Write ``suggestions`` into document ``doc_id`` with ``status`` (``suggested``, or
    ``accepted`` for batch pre-annotation) in one compound edit; returns the number of spans
    written. Speakers are joined to a known entity (the suggestion's, or one of that name:
    ``store.find_entity``); with ``accepted`` an entity is created for a new name. A
    *suggested* claim of a new speaker gets no entity (the store's ``add_entity`` keeps no
    status, and a rejected suggestion must leave nothing in the registry): whoever accepts it
    makes the entity from the source mention (``speakers.name_of`` gives the name). A span
    identical (label and fragments) to one the document has, in any status, or to one written
    before in this call (suggestions that share a mention: :func:`~annotator.core.suggest.engine.dedupe`)
    is not written again: a claim links to the one there (none if it was rejected). Raises
    InputError (from the store) for a bad status or span."""
    written = 0
    existing = {(x.label, x.fragments): x for x in _spans(store, doc_id, ALL_STATUSES)}
    with store.compound(f"Suggestions ({len(suggestions)})"):
        for s in suggestions:
            entity_id = s.entity_id
            if entity_id is None and s.speaker and status == "accepted":
                entity_id = speaker_entity(store, s.speaker)
            ids = {}
            for span, extra in ((s.source, {"entity_id": entity_id}), (s.cue, {})):
                if span is None:
                    continue
                there = existing.get((span.label, span.fragments))
                if there is None:
                    change = store.add_span(doc_id, span.label, list(span.fragments), status=status,
                                            origin=span.origin, score=span.score, **extra)
                    there = existing[(span.label, span.fragments)] = store.span(_new_id(change, "spans"))
                    written += 1
                if there.status != "rejected":
                    ids[span.label] = there.id
                    if span.label == SPEAKER and entity_id is None:
                        entity_id = there.entity_id
            if s.claim is not None and (CLAIM, s.claim.fragments) not in existing:
                attrs = dict(s.claim.attrs)
                change = store.add_span(doc_id, CLAIM, list(s.claim.fragments), status=status,
                                        origin=s.claim.origin, score=s.claim.score,
                                        speaker_id=entity_id, source_id=ids.get(SPEAKER), cue_id=ids.get(CUE),
                                        **{k: v for k, v in attrs.items() if k in ("form", "polarity", "intensity")})
                existing[(CLAIM, s.claim.fragments)] = store.span(_new_id(change, "spans"))
                written += 1
    return written
