"""Annotator's own formats: native JSON ("json") and JSON Lines ("jsonl"). Nothing is lost.

JSON file (version 2; version 1 files, without the authorship keys, still read)::

    {"format": "annotator", "version": 2, "schema": {...the project's schema...},
     "documents": [{"id": "d<N>", "title", "text", "source", "status", "polarity",
                    "created", "modified", "status_annotator", "status_modified",
                    "entities": [{"id": "e<N>", "name", "type", "aliases", "qid", "notes",
                                  "uuid", "status", "annotator", "created", "modified"}],
                    "spans": [{"id": "s<N>", "label", "start", "end", "text", "fragments",
                               ..., "uuid", "status", "annotator", "created", "modified",
                               "origin", "score"}]}]}

* Authorship (version 2): every span, entity and relation carries its ``uuid`` (the same
  in every project it is imported into: importing it where it already is does not add it
  twice), ``status`` (accepted / suggested / rejected), ``annotator`` and ``created`` /
  ``modified`` (ISO 8601 UTC); spans also ``origin`` and ``score`` (suggestions).

* Offsets are Python code points into ``text``, half-open ``[start, end)``; ``fragments`` is
  ``[[start, end], ...]`` (one pair for a continuous span) and ``start`` / ``end`` are the
  start of the first and the end of the last fragment.
* ``text`` of a one-fragment span is exactly ``text[start:end]``. For a discontinuous span it
  is the fragments' texts joined by " … " for people to read: readers must use
  ``fragments`` (the reader ignores ``text`` then).
* Speaker spans have ``"entity"``; claims have ``"speaker"`` (an entity id or null),
  ``"source"`` (the id of a speaker span of the document or null), ``"cue"`` (a cue span),
  ``"form"``, ``"polarity"``, ``"intensity"``, ``"target"``. Every span ends with
  ``"attributes"`` (an object: attributes from other tools' formats) and ``"note"``.
* ``"relations"`` of a document: ``[{"id": "r<N>", "type", "from": "s<N>", "to": "s<N>",
  "attributes"}]``, typed links between its spans beyond a claim's own links.
* Labels beyond the schema's (brought by other tools' formats) are listed in the schema's
  ``"extra_labels"``; a document using some also lists their names in ``"labels"``.
* Entity ids (``e<N>``) are the project's, the same in every document of a file; document
  ids (``d<N>``) are the project's too but are not kept on import (the project numbers
  them). Span ids (``s<N>``) are numbered per document in the order written (by start, end).

JSON Lines file: one document object (as above) per line, no header and no schema.
"""
from __future__ import annotations

import json
import re
from pathlib import Path
from typing import IO, Iterable

from annotator.core.model import CLAIM, SPEAKER
from annotator.core.schema import Schema
from annotator.formats.native_reader import (
    FORMAT_NAME,
    VERSION,
    extra_label_names,
    read_json,
    read_jsonl,
    refuse_options,
)
from annotator.formats.native_stream import iter_json, iter_jsonl
from annotator.formats.registry import ExportItem, ExportReport, Format, register

JOINER = " … "  # between the fragment texts of a discontinuous span's "text"


# --- writing ---------------------------------------------------------------------------------


def document_to_dict(item: ExportItem, report: ExportReport | None = None, extra_labels: tuple[str, ...] = ()) -> dict:
    """One document as its native JSON object (key order fixed). ``extra_labels`` are the
    project's labels beyond its schema. A link to a span that is not in the document (never
    made by the store) is written as null and reported."""
    doc = item.document
    spans = sorted(item.spans, key=lambda s: (s.start, s.end, s.fragments, s.label == CLAIM, s.id))
    local = {span.id: f"s{n}" for n, span in enumerate(spans, 1)}
    entity_ids = {e.id for e in item.entities}
    out_spans = []
    for span in spans:
        row = {"id": local[span.id], "label": span.label, "start": span.start, "end": span.end,
               "text": span.text(doc.text, JOINER), "fragments": [[a, b] for a, b in span.fragments]}
        if span.label == SPEAKER:
            row["entity"] = _entity_key(span.entity_id, entity_ids, report, f"{local[span.id]} of d{doc.id}")
        elif span.label == CLAIM:
            row["speaker"] = _entity_key(span.speaker_id, entity_ids, report, f"{local[span.id]} of d{doc.id}")
            for key, ref in (("source", span.source_id), ("cue", span.cue_id)):
                row[key] = local.get(ref) if ref is not None else None
                if ref is not None and ref not in local and report is not None:
                    report.dropped.append(f"d{doc.id} {local[span.id]}: {key} {ref} is not in the document, written as null")
            row.update(form=span.form, polarity=span.polarity, intensity=span.intensity, target=span.target)
        row.update(attributes=span.attributes, note=span.note, **_authored(span),
                   origin=span.origin, score=span.score)
        out_spans.append(row)
    relations = []
    for n, rel in enumerate(item.relations, 1):
        ends = [local.get(rel.from_id), local.get(rel.to_id)]
        if None in ends:
            if report is not None:
                report.dropped.append(f"d{doc.id}: {rel.type} relation {rel.id} links a span outside the document, not written")
            continue
        relations.append({"id": f"r{n}", "type": rel.type, "from": ends[0], "to": ends[1], "attributes": rel.attributes,
                          **_authored(rel)})
    out = {
        "id": f"d{doc.id}", "title": doc.title, "text": doc.text, "source": doc.source,
        "status": doc.status, "polarity": doc.polarity, "created": doc.created, "modified": doc.modified,
        "status_annotator": doc.status_annotator, "status_modified": doc.status_modified,
        "entities": [{"id": f"e{e.id}", "name": e.name, "type": e.type, "aliases": list(e.aliases),
                      "qid": e.qid, "notes": e.notes, **_authored(e)} for e in item.entities],
        "spans": out_spans, "relations": relations,
    }
    used = {span.label for span in spans}
    if used & set(extra_labels):
        out["labels"] = [name for name in extra_labels if name in used]
    return out


def _authored(item) -> dict:
    """The authorship keys of a span, entity or relation (version 2)."""
    return {"uuid": item.uuid, "status": item.status, "annotator": item.annotator,
            "created": item.created, "modified": item.modified}


def _entity_key(entity_id: int | None, known: set[int], report: ExportReport | None, what: str) -> str | None:
    if entity_id is None:
        return None
    if entity_id not in known and report is not None:
        report.dropped.append(f"{what}: entity {entity_id} is not among the document's entities")
    return f"e{entity_id}"


def write_json(items: Iterable[ExportItem], stream: IO[str], schema: Schema, **options) -> ExportReport:
    """Write ``items`` as one native JSON file, streamed: the header keys and the schema
    indented by 2, then each document on a line of its own (compact, UTF-8 characters
    unescaped), written as it is read. Memory holds one document; ``json.dumps`` without
    ``indent`` takes Python's C encoder (``indent=2`` would take the pure-Python one)."""
    refuse_options("json", options)
    report = ExportReport()
    extra = extra_label_names(schema)
    head = json.dumps({"format": FORMAT_NAME, "version": VERSION, "schema": schema.to_dict()}, ensure_ascii=False, indent=2)
    stream.write(head[:-2] + ',\n  "documents": [')
    first = True
    for item in items:
        line = json.dumps(document_to_dict(item, report, extra), ensure_ascii=False)
        stream.write(("\n    " if first else ",\n    ") + line)
        first = False
    stream.write("\n  ]\n}\n" if not first else "]\n}\n")
    return report


# Characters str.splitlines() splits on that json.dumps leaves unescaped: escaped in JSON
# Lines so that no line-splitting reader cuts a document in two.
_LINE_BREAKS = re.compile("[\x85\u2028\u2029]")


def write_jsonl(items: list[ExportItem], stream: IO[str], schema: Schema, **options) -> ExportReport:
    """Write ``items`` as JSON Lines: one document object per line ("\\n" ends each line)."""
    refuse_options("jsonl", options)
    report = ExportReport()
    for item in items:
        line = json.dumps(document_to_dict(item, report, extra_label_names(schema)), ensure_ascii=False)
        stream.write(_LINE_BREAKS.sub(lambda m: f"\\u{ord(m.group()):04x}", line) + "\n")
    return report


def _sniff_json(path: Path) -> bool:
    """True when the file starts like a native JSON file ("format": "annotator")."""
    try:
        with open(path, "rb") as f:
            head = f.read(65536).decode("utf-8", "ignore")
    except OSError:
        return False
    return re.search(r'"format"\s*:\s*"annotator"', head) is not None


CARRIES = ("everything: texts, titles, status, polarity, speakers, cues, claims with fragments, links and attributes, "
           "relations, extra labels, span notes")
register(Format(
    name="json", description="Annotator JSON: the whole project, nothing lost", extensions=(".json",),
    reader=read_json, writer=write_json, carries=CARRIES + ", the schema", sniff=_sniff_json, stream_reader=iter_json,
    cannot_carry="speaker entities that no exported span uses",
))
register(Format(
    name="jsonl", description="Annotator JSON Lines: one document per line", extensions=(".jsonl",),
    reader=read_jsonl, writer=write_jsonl, carries=CARRIES, skips_records=True, stream_reader=iter_jsonl,
    cannot_carry="the schema (the project's is used); speaker entities that no exported span uses",
))
