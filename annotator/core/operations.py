"""The annotation operations a user performs, each returning ONE Change (one undo step).

Pure Python (no Qt): the window's controller and the tests call these; the store does the
writing. Offsets are Python code points into the document text, fragments are
``[(start, end), ...]`` half-open ranges (see :mod:`annotator.core.model`).

What they decide is written elsewhere, without a store: what a selection marks in
:mod:`annotator.core.selection` (trimming, punctuation, abbreviations), which mention and cue
a claim is linked to and which entity a mention joins in :mod:`annotator.core.attribution`.
Here:

* :func:`attribute_claim` keeps a claim's existing cue, and an existing source that is a
  mention of the same entity (they may have been linked by hand, :func:`link_to_claim`);
* :func:`mark_speaker` joins the entity whose name or alias is the mention's text, else the
  one named inside it (:func:`~annotator.core.attribution.entity_in`);
* the first annotation edit of a document whose status is "new" sets it to "in progress",
  in the same Change (one undo step).
"""
from __future__ import annotations

import re
from contextlib import contextmanager
from typing import Iterator

from annotator.core.attribution import entity_in, nearest_cue, nearest_source
from annotator.core.errors import InputError
from annotator.core.model import CLAIM, CUE, SPEAKER, Entity, Fragment, Span
from annotator.core.schema import Schema
from annotator.core.selection import fragment_at, has_word, is_quoted, mention_name, merge_fragments, trim_fragments
from annotator.core.store import Change, Store

NEW, IN_PROGRESS = "new", "in progress"


# --- helpers ------------------------------------------------------------------------------


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


# --- spans --------------------------------------------------------------------------------


_POSSESSIVE = re.compile(r"\s*[’']s?$")


def entity_name(text: str, fragments) -> str:
    """The name of the entity a speaker mention over ``fragments`` founds: its text
    (:func:`mention_name`) without a trailing possessive ("Clinton’s" -> "Clinton", "Jones'"
    -> "Jones"): the person is not the possessive."""
    name = mention_name(text, fragments)
    return _POSSESSIVE.sub("", name) or name


def mark_speaker(store: Store, doc_id: int, fragments, entity_id: int | None = None) -> Change:
    """Mark a mention of a speaker. Without ``entity_id`` the mention joins the entity whose
    name or alias equals its text, else the entity named inside it (:func:`entity_in`), else
    founds a new person entity named after it (titles and all: rename it with F2; without a
    trailing possessive: :func:`entity_name`)."""
    text, frags = _fragments(store, doc_id, fragments, SPEAKER)
    name = entity_name(text, frags)
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
    name = entity_name(text, frags)
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


def delete_span(store: Store, span_id: int, remove_empty_speaker: bool = False) -> Change:
    """Delete a span; claims linking to it lose the link (same Change). With
    ``remove_empty_speaker``, a speaker mention that was its entity's last one (see
    :func:`last_mention_of`) takes the entity with it, in the same Change (one undo step
    restores both; the entity's claims lose their speaker)."""
    span = _span(store, span_id)
    entity = last_mention_of(store, span_id) if remove_empty_speaker else None
    what = f"Delete {span.label}" if entity is None else f"Delete {span.label} and speaker “{entity.name}”"
    with _annotation_edit(store, span.document_id, what):
        store.delete_span(span_id)
        if entity is not None:
            store.delete_entity(entity.id)
    return store.last_change


def last_mention_of(store: Store, span_id: int) -> Entity | None:
    """The entity that speaker span ``span_id`` is the only mention of in the whole project
    (accepted or suggested mentions), else None (not a mention, or not the last one)."""
    span = _span(store, span_id)
    if span.label != SPEAKER or span.entity_id is None:
        return None
    if store.mention_ids(span.entity_id) != [span_id]:
        return None
    return store.entity(span.entity_id)


def add_fragment(store: Store, span_id: int, fragments) -> Change:
    """Add the selection ``fragments`` to span ``span_id`` as more fragments: "Institutional
    recipients," then "are required to report" make one claim of two fragments, with the
    cue "said" and the source "Mauer" between them. The selection is trimmed as a mark of
    the span's label would be; fragments that overlap, touch or stand only whitespace apart
    join (:func:`~annotator.core.selection.merge_fragments`). InputError if the selection is
    outside the text, only whitespace or punctuation, or adds nothing."""
    span = _span(store, span_id)
    text, added = _fragments(store, span.document_id, fragments, span.label)
    merged = tuple(merge_fragments(text, [*span.fragments, *added]))
    if merged == tuple(span.fragments):
        raise InputError(f"the selection is part of the {span.label} already")
    with _annotation_edit(store, span.document_id, f"Add fragment to {span.label}"):
        store.update_span(span_id, fragments=merged)
    return store.last_change


def remove_fragment(store: Store, span_id: int, offset: int) -> Change:
    """Remove the fragment of span ``span_id`` that holds code point ``offset`` (the caret;
    its end counts). InputError if no fragment holds it, or if it is the span's only
    fragment (a span keeps at least one: delete the span instead)."""
    span = _span(store, span_id)
    at = fragment_at(span.fragments, offset)
    if at is None:
        raise InputError(f"the caret is not in a fragment of the {span.label}")
    if len(span.fragments) == 1:
        raise InputError(f"the {span.label} has only this fragment: delete the {span.label} instead")
    rest = span.fragments[:at] + span.fragments[at + 1:]
    with _annotation_edit(store, span.document_id, f"Remove fragment of {span.label}"):
        store.update_span(span_id, fragments=rest)
    return store.last_change


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
    text = store.document_text(claim.document_id)
    by_id = {s.id: s for s in spans}
    source = by_id.get(claim.source_id)
    if source is None or source.entity_id != entity_id:
        source = nearest_source(text, claim, entity_id, spans)
    cue = by_id.get(claim.cue_id) or nearest_cue(text, claim, spans)
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
