"""From Annotator's model to the agreement input (:mod:`.data`); pure, no store.

A claim is the content of an attribution whose source is the speaker mention it links
(``source_id``) and whose cue is the cue span it links (``cue_id``); a link that is not set
is a missing part. Spans of labels other than speaker, cue and claim are ignored.
"""
from __future__ import annotations

from typing import Callable, Iterable

from annotator.core.agreement.data import LAYERS, Annotation, Attribution
from annotator.core.model import CLAIM, NewDocument, Span


def annotation_from_spans(spans: Iterable[Span], links: dict[int, Span] | None = None) -> Annotation:
    """One annotator's :class:`Annotation` from their spans of one document. ``links`` maps
    span ids to spans for resolving a claim's source and cue (default: ``spans`` themselves)."""
    spans = list(spans)
    by_id = links if links is not None else {s.id: s for s in spans}
    return _annotation(spans, lambda claim: (by_id.get(claim.source_id), by_id.get(claim.cue_id)))


def _annotation(spans, linked: Callable) -> Annotation:
    """The :class:`Annotation` of ``spans`` (stored spans or a file's NewSpans: anything
    with ``label`` and ``fragments``); ``linked(claim)`` gives the claim's ``(source,
    cue)`` spans, either None."""
    layers: dict[str, list] = {layer: [] for layer in LAYERS}
    attributions = []
    for span in spans:
        if span.label not in layers:
            continue
        layers[span.label].append(tuple(span.fragments))
        if span.label == CLAIM:
            source, cue = linked(span)
            attributions.append(Attribution(source=tuple(source.fragments) if source else None,
                                            cue=tuple(cue.fragments) if cue else None,
                                            content=tuple(span.fragments)))
    return Annotation({k: tuple(v) for k, v in layers.items()}, tuple(attributions))


def annotations_by_annotator(spans: Iterable[Span], annotator_of: Callable[[Span], str] | None = None) -> dict[str, Annotation]:
    """The spans of one document grouped by annotator (``span.annotator``, or
    ``annotator_of(span)``): ``{name: Annotation}``. Links are resolved across all the
    document's spans."""
    spans = list(spans)
    who = annotator_of or (lambda s: getattr(s, "annotator", ""))
    groups: dict[str, list[Span]] = {}
    for span in spans:
        groups.setdefault(who(span), []).append(span)
    by_id = {s.id: s for s in spans}
    return {name: annotation_from_spans(group, by_id) for name, group in groups.items()}


def annotation_from_new_document(doc: NewDocument) -> Annotation:
    """The :class:`Annotation` of a document read from a file (``NewDocument``, its spans
    keyed by the file's ids), e.g. one annotator's brat file."""
    by_key = {s.key: s for s in doc.spans}
    return _annotation(doc.spans, lambda claim: (by_key.get(claim.source), by_key.get(claim.cue)))
