"""spaCy DocBin export (writer only, binary ``.spacy``): training data for spaCy 3.

Spec: spaCy 3 API, ``spacy.tokens.DocBin`` (``DocBin(store_user_data=True)``, ``to_bytes``),
``Doc(vocab, words, spaces)``, span groups ``doc.spans``, ``doc.ents``, ``doc.cats``.
Documented with examples in ``docs/formats/conll_spacy.md``. spaCy is an optional extra
(``pip install 'annotator[spacy]'``) imported only when this writer runs.

Each document becomes one ``Doc`` whose tokens are ours
(:func:`annotator.core.token_align.export_tokens`: the tokeniser's tokens cut at every span
edge, so no span is widened or dropped), so ``doc.text`` equals the stored text exactly: a gap between two tokens that is not one
space (NBSP, line breaks, several spaces, tabs, ZERO WIDTH SPACE) becomes a token of its own,
as spaCy represents extra whitespace. Span offsets are Python code points, half-open
``[start, end)``; every span edge is a token boundary, so ``doc.char_span(start, end)`` of
each span succeeds (only an edge inside a grapheme cluster, which the store refuses, would be
expanded, and reported, by :func:`annotator.core.token_align.align_spans`). Sentence starts
(``token.is_sent_start``) come from :mod:`annotator.core.sentences`.

* ``doc.spans[label]``: every span of that label (overlaps allowed); ``doc.spans["all"]``:
  every span. A discontinuous span gives one spaCy span per fragment. Each spaCy span has
  ``id_`` "s<span id>"; a speaker mention has ``kb_id_`` "e<entity id>".
* ``doc.ents``: the spans that do not overlap (first by start, longer first); each span left
  out of ``doc.ents`` is reported (it stays in ``doc.spans``).
* ``doc.cats``: the document polarity one-hot over the schema's document polarities (absent
  when the document has none).
* ``doc.user_data["annotator"]``: everything else, keyed by span: ``document`` (id, title,
  source, status, polarity, sha256), ``spans`` {"s<id>": label, fragments, entity, speaker,
  source, cue, form, polarity, intensity, target, attributes, note}, ``entities`` {"e<id>":
  name, type, aliases, qid, notes}, ``relations`` [{id, type, from, to, attributes}].
"""
from __future__ import annotations

from typing import IO

from annotator.core.errors import InputError
from annotator.core.schema import Schema
from annotator.core.token_align import align_spans, doc_words, export_segments, keep_first, label_order
from annotator.formats.registry import ExportItem, ExportReport, Format, register

ALL_GROUP = "all"
NEEDS_SPACY = "the spaCy export needs spaCy: pip install 'annotator[spacy]'"


def _user_data(item: ExportItem) -> dict:
    doc = item.document
    ref = lambda prefix, value: None if value is None else f"{prefix}{value}"  # noqa: E731
    return {
        "document": {"id": doc.id, "title": doc.title, "source": doc.source, "status": doc.status,
                     "polarity": doc.polarity, "sha256": doc.sha256},
        "spans": {
            f"s{s.id}": {"label": s.label, "fragments": [list(f) for f in s.fragments],
                         "entity": ref("e", s.entity_id), "speaker": ref("e", s.speaker_id),
                         "source": ref("s", s.source_id), "cue": ref("s", s.cue_id), "form": s.form,
                         "polarity": s.polarity, "intensity": s.intensity, "target": s.target,
                         "attributes": s.attributes, "note": s.note}
            for s in item.spans
        },
        "entities": {f"e{e.id}": {"name": e.name, "type": e.type, "aliases": list(e.aliases), "qid": e.qid,
                                  "notes": e.notes} for e in item.entities},
        "relations": [{"id": f"r{r.id}", "type": r.type, "from": f"s{r.from_id}", "to": f"s{r.to_id}",
                       "attributes": r.attributes} for r in item.relations],
    }


def write_spacy(items: list[ExportItem], stream: IO[bytes], schema: Schema, **options) -> ExportReport:
    """Write ``items`` as one spaCy DocBin to the binary ``stream`` (see the module docstring).

    No options (InputError for any). InputError if spaCy is not installed. Returns the report
    of span edges expanded to tokens, spans left out of ``doc.ents`` and empty spans."""
    if options:
        raise InputError(f"the spaCy export has no option {', '.join(sorted(map(repr, options)))}")
    try:
        import numpy
        from spacy.attrs import SENT_START
        from spacy.tokens import Doc, DocBin
        from spacy.tokens import Span as SpacySpan
        from spacy.vocab import Vocab
    except ImportError:
        raise InputError(NEEDS_SPACY) from None
    vocab = Vocab()
    docbin = DocBin(store_user_data=True)
    report = ExportReport()
    for item in items:
        document = item.document
        text = document.text
        found = export_segments(text, item.spans)
        tokens, sentence_ranges = found.tokens, found.sentences
        words, spaces, index = doc_words(text, tokens)
        doc = Doc(vocab, words=words, spaces=spaces)
        if len(words):  # sentence starts as one array (per token in Python it costs a Token object each)
            starts = numpy.full((len(words), 1), -1, dtype="int64")
            starts[[0] + [index[first] for first, _ in sentence_ranges[1:]], 0] = 1  # leading spaces: in the first
            doc.from_array([SENT_START], starts.astype("uint64"))
        if doc.text != text:  # pragma: no cover - doc_words guarantees it
            raise RuntimeError(f"document {document.id}: spaCy tokens do not give back the text")
        aligned, notes = align_spans(document.id, text, tokens, item.spans, found.simple, found.starts, found.ends)
        report.dropped.extend(notes)

        def spacy_spans(t) -> list:
            kb = "" if t.span.entity_id is None else f"e{t.span.entity_id}"
            return [SpacySpan(doc, index[first], index[end - 1] + 1, label=t.span.label, kb_id=kb,
                              span_id=f"s{t.span.id}") for first, end in t.ranges]

        made = {t.span.id: spacy_spans(t) for t in aligned}
        if any(t.span.label == ALL_GROUP for t in aligned):
            report.dropped.append(f"document {document.id}: the label {ALL_GROUP!r} has no span group of its own "
                                  f"(doc.spans[{ALL_GROUP!r}] holds every span)")
        for label in label_order([t.span.label for t in aligned], schema):
            doc.spans[label] = sorted((sp for t in aligned if t.span.label == label for sp in made[t.span.id]),
                                      key=lambda sp: (sp.start, sp.end))
        doc.spans[ALL_GROUP] = sorted((sp for group in made.values() for sp in group), key=lambda sp: (sp.start, sp.end))
        kept, notes = keep_first(document.id, text, aligned, schema, "left out of doc.ents (kept in doc.spans)")
        report.dropped.extend(notes)
        doc.ents = [sp for t in kept for sp in made[t.span.id]]
        if document.polarity is not None:
            values = list(schema.document_polarity) + [p for p in [document.polarity] if p not in schema.document_polarity]
            doc.cats = {p: 1.0 if p == document.polarity else 0.0 for p in values}
        doc.user_data["annotator"] = _user_data(item)
        docbin.add(doc)
    stream.write(docbin.to_bytes())
    return report


register(Format(
    name="spacy", description="spaCy DocBin (.spacy) training data: span groups, entities, categories",
    extensions=(".spacy",), writer=write_spacy, binary=True,
    carries="exact text on our tokens, every span in doc.spans (overlaps too), non-overlapping spans in "
            "doc.ents, document polarity in doc.cats, links, attributes, entities and relations in doc.user_data",
    cannot_carry="span edges inside a token (expanded), overlapping spans in doc.ents (export only; needs spaCy)",
))
