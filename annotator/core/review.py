"""Reviewing suggestions: accept, accept only the span, reject, accept all in a document.

Pure Python (no Qt), like :mod:`annotator.core.operations`: each function returns ONE
``Change`` (one undo step, a compound edit of the store). A suggestion is a span with status
``suggested`` (see :data:`annotator.core.model.STATUSES`); a suggested claim may link to a
suggested cue (``cue_id``), a suggested source mention (``source_id``) and a speaker entity
(``speaker_id``, itself possibly ``suggested``).

* :func:`accept_suggestion` accepts the span with what it links to: for a claim its cue,
  its source mention and its speaker entity (and the mention's entity); for a mention its
  entity. A speaker mention without an entity (a suggested speaker of a new name: see
  ``write_suggestions`` in :mod:`annotator.core.suggest.project`) joins, on acceptance, the
  entity of its name (``speakers.name_of``: the proper name without titles or possessive),
  created when there is none, as ``annotator suggest --accept`` does
  (:func:`~annotator.core.suggest.project.speaker_entity`); a pronoun ("he", not "WHO") joins the entity of the
  last accepted named mention before it, else none. A claim accepted with such a source
  gets that entity as its speaker. Links to rejected or deleted spans are cleared, so an accepted claim never points
  at a span that is not accepted.
* :func:`accept_span_only` accepts the span alone: a claim's links to spans and entities that
  are not accepted are cleared (they stay suggestions). A mention still brings its entity
  (an accepted mention belongs to an accepted speaker).
* :func:`reject_suggestion` sets the status to ``rejected``: the span stays stored, hidden
  from the view and from exports, so that a suggester can see that this label on these
  fragments was refused and not propose it again. Rejecting a claim also rejects its
  suggested cue and source mention when no other claim (accepted or suggested) links to
  them: they were proposed for that claim only. Accepted spans are never touched, and a cue
  or mention another claim still uses stays a suggestion.
* :func:`accept_all` accepts every suggestion of a document as :func:`accept_suggestion` does;
  with ``min_score`` only those the score filter shows, and a cue or mention linked to a
  suggested claim is decided with its claim (accepted only when a claim that links to it
  is), so that accepting never leaves a cue or mention of a claim that is still a suggestion.

Like every annotation edit, the first one of a "new" document sets it to "in progress" in the
same Change.
"""
from __future__ import annotations

from annotator.core.errors import InputError
from annotator.core.model import ACCEPTED, CLAIM, REJECTED, SPEAKER, SUGGESTED, Span
from annotator.core.operations import _annotation_edit  # the one rule for "new" documents
from annotator.core.store import Change, Store
from annotator.core.suggest.project import speaker_entity
from annotator.core.suggest.speakers import is_pronoun, name_of

__all__ = ["suggestions", "accept_suggestion", "accept_span_only", "reject_suggestion", "accept_all"]


def suggestions(store: Store, doc_id: int, min_score: float | None = None) -> list[Span]:
    """The suggested spans of document ``doc_id`` in text order (start, end, id); with
    ``min_score``, only those whose score is at least that (a suggestion without a score
    is kept: its suggester gives none)."""
    spans = store.spans(doc_id, statuses=(SUGGESTED,))
    if min_score is not None:
        spans = [s for s in spans if s.score is None or s.score >= min_score]
    return sorted(spans, key=lambda s: (s.start, s.end, s.id))


def _suggestion(store: Store, span_id: int) -> Span:
    span = store.span(span_id)
    if span is None:
        raise InputError(f"no span {span_id}")
    if span.status != SUGGESTED:
        raise InputError(f"span {span_id} is not a suggestion (it is {span.status})")
    return span


def _accept_entity(store: Store, entity_id: int | None) -> bool:
    """Accept a suggested entity; False if there is none or it was rejected."""
    entity = store.entity(entity_id) if entity_id is not None else None
    if entity is None or entity.status == REJECTED:
        return False
    if entity.status != ACCEPTED:
        store.set_entity_status(entity_id, ACCEPTED)
    return True


def _mention_entity(store: Store, span: Span) -> int | None:
    """The entity speaker mention ``span`` joins when accepted without one (module
    docstring); inside an open edit (it may add the entity)."""
    text = store.document_text(span.document_id)
    surface = " ".join(text[a:b] for a, b in span.fragments)
    if is_pronoun(surface, (0, len(surface))) and not (len(surface) > 1 and surface.isupper()):  # "WHO" is a name
        earlier = [m for m in store.spans(span.document_id, statuses=(ACCEPTED,))
                   if m.label == SPEAKER and m.entity_id is not None and m.start < span.start
                   and not is_pronoun(text, (m.start, m.end))]
        return earlier[-1].entity_id if earlier else None
    name = name_of(surface, (0, len(surface))).strip()
    return speaker_entity(store, name) if name else None


def _accept_one(store: Store, span: Span, with_links: bool) -> None:
    """Accept ``span`` (inside an open compound edit); see the module docstring."""
    if span.label == SPEAKER:
        entity_id = span.entity_id
        if entity_id is not None and not _accept_entity(store, entity_id):
            entity_id = None
        if entity_id is None:
            entity_id = _mention_entity(store, span)
        if entity_id != span.entity_id:
            store.update_span(span.id, entity_id=entity_id)
    if span.label == CLAIM:
        cleared: dict[str, None] = {}
        for key in ("cue_id", "source_id"):
            ref = getattr(span, key)
            linked = store.span(ref) if ref is not None else None
            if linked is None:
                continue
            if linked.status == SUGGESTED and with_links:
                _accept_one(store, linked, with_links=False)
            elif linked.status != ACCEPTED:
                cleared[key] = None
        if span.speaker_id is not None:
            entity = store.entity(span.speaker_id)
            keep = entity is not None and (entity.status == ACCEPTED or (with_links and _accept_entity(store, entity.id)))
            if not keep:
                cleared["speaker_id"] = None
        source = store.span(span.source_id) if span.source_id is not None and "source_id" not in cleared else None
        if (span.speaker_id is None or "speaker_id" in cleared) and source is not None and source.status == ACCEPTED \
                and source.entity_id is not None:
            cleared["speaker_id"] = source.entity_id  # the speaker of the source accepted with it
        if cleared:
            store.update_span(span.id, **cleared)
    store.set_span_status(span.id, ACCEPTED)


def accept_suggestion(store: Store, span_id: int) -> Change:
    """Accept suggestion ``span_id`` with its cue, source mention and speaker (one Change).
    Raises InputError if ``span_id`` is not a suggested span."""
    span = _suggestion(store, span_id)
    with _annotation_edit(store, span.document_id, f"Accept {span.label}"):
        _accept_one(store, span, with_links=True)
    return store.last_change


def accept_span_only(store: Store, span_id: int) -> Change:
    """Accept suggestion ``span_id`` alone; a claim's links to what is not accepted are
    cleared (one Change). Raises InputError if ``span_id`` is not a suggested span."""
    span = _suggestion(store, span_id)
    with _annotation_edit(store, span.document_id, f"Accept {span.label} only"):
        _accept_one(store, span, with_links=False)
    return store.last_change


def reject_suggestion(store: Store, span_id: int) -> Change:
    """Set suggestion ``span_id`` to ``rejected`` (kept, hidden, not exported; one Change).
    A claim's suggested cue and source mention that no other accepted or suggested claim
    links to are rejected with it, in the same Change.
    Raises InputError if ``span_id`` is not a suggested span."""
    span = _suggestion(store, span_id)
    with store.compound(f"Reject {span.label}"):
        store.set_span_status(span.id, REJECTED)
        for linked in _linked_only_to(store, span):
            store.set_span_status(linked.id, REJECTED)
    return store.last_change


def _linked_only_to(store: Store, claim: Span) -> list[Span]:
    """The suggested cue and source mention of ``claim`` (a claim span; none for another
    label) that no other accepted or suggested claim links to."""
    if claim.label != CLAIM:
        return []
    out = []
    for ref in dict.fromkeys(r for r in (claim.cue_id, claim.source_id) if r is not None):
        linked = store.span(ref)
        if linked is None or linked.status != SUGGESTED:
            continue
        others = [store.span(i) for i in store.claims_linked_to(ref) if i != claim.id]
        if not any(o is not None and o.status in (ACCEPTED, SUGGESTED) for o in others):
            out.append(linked)
    return out


def accept_all(store: Store, doc_id: int, min_score: float | None = None) -> Change:
    """Accept the suggestions of document ``doc_id`` with their links, claims first (one
    Change; an empty Change when there is none). With ``min_score``, only the claims and
    the cues and mentions that the score filter lets through (:func:`suggestions`); a cue or
    mention that a claim still suggested links to stays a suggestion (it is decided with its
    claim), whatever the filter."""
    todo = sorted(suggestions(store, doc_id, min_score), key=lambda s: (s.label != CLAIM, s.start, s.id))
    with _annotation_edit(store, doc_id, "Accept all suggestions"):
        for span in todo:
            now = store.span(span.id)
            if now is None or now.status != SUGGESTED:  # a claim accepted it already
                continue
            if now.label != CLAIM and _waits_for_a_claim(store, now.id):
                continue
            _accept_one(store, now, with_links=True)
    return store.last_change


def _waits_for_a_claim(store: Store, span_id: int) -> bool:
    """True if a suggested claim links to span ``span_id`` (as its cue or source)."""
    return any(c is not None and c.status == SUGGESTED for c in map(store.span, store.claims_linked_to(span_id)))
