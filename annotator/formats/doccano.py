"""doccano JSONL import and export (format "doccano"); shared pieces are in labeling_tools.

Spec: doccano's sequence-labeling export (``backend/data_export``: ``ExportedSpan.to_dict`` /
``to_tuple``, ``ExportedRelation.to_dict``, ``pipeline/factories.create_formatter``), one JSON
object per line:

* plain: ``{"id", "text", "label": [[start, end, "LABEL"], ...], "Comments": [...]}``
* with relation labeling: ``{"id", "text", "entities": [{"id", "label", "start_offset",
  "end_offset"}], "relations": [{"id", "from_id", "to_id", "type"}], "Comments": [...]}``

Other keys are the example's metadata, which doccano keeps through import and export; we use
``title``, ``source``, ``status`` and ``polarity``.

Offsets: doccano 1.5 and later store what their browser editor (v-annotator, doccano PR #1511)
counted, JavaScript string indices, i.e. **UTF-16 code units** (doccano#2290), or grapheme
clusters when the project has "Count grapheme clusters as one character". doccano up to 1.4
(``[...text]`` in EntityItemBox.vue), 0.x (PR #108) and files written by Python scripts count
code points. Option ``offsets="utf16"`` (default) | ``"codepoints"`` | ``"graphemes"``. What
this module hands to the core is in Python code points, half-open.
See docs/formats/doccano_label_studio.md.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import IO

from annotator.core.errors import InputError
from annotator.core.model import CLAIM_ATTRIBUTES, NewDocument, NewSpan, check_fragments
from annotator.core.textfile import parse_json, read_utf8
from annotator.formats.labeling_tools import (
    default_schema,
    Units,
    check_options,
    label_mapper,
    group_mentions,
    link_relations,
    choose,
    document_fields,
    attribution_links,
    place,
    UNITS,
    DOC_FIELDS,
    _LINE_BREAKS,
)
from annotator.formats.registry import ExportItem, ExportReport, Format, register

KNOWN_KEYS = {"id", "text", "entities", "label", "labels", "relations", "cats", "Comments", "comments", *DOC_FIELDS}

# --- reading ----------------------------------------------------------------------------------


def read_doccano(path: Path, *, offsets: str = "utf16", mapping: dict | None = None,
                 bad_records: list[str] | None = None, **options) -> list[NewDocument]:
    """Read a doccano sequence-labeling JSONL export (either shape, see the module docstring).

    ``offsets``: what the file counts ("utf16", doccano 1.x; "codepoints"; "graphemes").
    ``mapping``: {file label: speaker | cue | claim | keep | skip} over SPEAKER/SOURCE ->
    speaker, CUE -> cue, CLAIM/QUOTE/CONTENT -> claim (any case); other labels are kept as
    extra labels. Raises InputError "<file>: line N (id X): ..." for bad JSON, offsets outside
    the text or inside a character, unknown relation ends; with a ``bad_records`` list, such a
    line is skipped and its message appended there instead."""
    path = Path(path)
    check_options("doccano", options, offsets, UNITS, path.name)
    mapper = label_mapper(mapping, path.name)
    docs, empty = [], []
    for n, line in enumerate(read_utf8(path).split("\n"), 1):
        if not line.strip():
            continue
        try:
            doc = _line_document(path, n, line, offsets, mapper)
        except InputError as exc:
            if bad_records is None:
                raise
            bad_records.append(str(exc))
            continue
        if doc.text == "" and not doc.spans:  # an empty example, as doccano exports them
            empty.append(f"{path.name}: line {n}: an empty example (no text, no label), skipped")
        else:
            docs.append(doc)
    if empty and not docs and not bad_records:
        raise InputError(f"{path.name}: every line is an empty example (no text): nothing to import")
    if empty and docs:
        docs[0].notes[:0] = empty
    return docs


def _line_document(path: Path, n: int, line: str, offsets: str, mapper) -> NewDocument:
    data = parse_json(line, f"{path.name}: line {n}", line=n)
    where = place(path.name, f"line {n}", data.get("id") if isinstance(data, dict) else None)
    return _document(data, where, f"{path.name}#{n}", offsets, mapper)


def _document(data: object, where: str, origin: str, unit: str, mapper) -> NewDocument:
    if not isinstance(data, dict):
        raise InputError(f"{where}: a line must be a JSON object")
    text = data.get("text")
    if text == "" and not any(data.get(k) for k in ("entities", "label", "labels", "relations")):
        return NewDocument(title="", text="", origin=origin)  # an empty example: the caller skips it
    if not isinstance(text, str) or not text:
        raise InputError(f"{where}: the line has no \"text\"")
    doc = NewDocument(title="", text=text, origin=origin)
    units, categories = Units(text, unit), []
    keys: set[str] = set()  # the file's entity ids (the span keys)
    skipped: set[str] = set()
    for field in ("entities", "label", "labels"):
        items = data.get(field, [])
        if not isinstance(items, list):
            raise InputError(f"{where}: \"{field}\" must be a list")
        for n, item in enumerate(items, 1):
            if isinstance(item, str):
                categories.append(item)
                continue
            if isinstance(item, dict):
                ident, label = item.get("id", f"{field}{n}"), item.get("label")
                start, end = item.get("start_offset"), item.get("end_offset")
            elif isinstance(item, list) and len(item) == 3:
                (start, end, label), ident = item, f"{field}{n}"
            else:
                raise InputError(f"{where}: {field} item {n} must be [start, end, label] or an object")
            what = f"{where}: entity {ident}"
            if not (isinstance(label, str) and label.strip() and isinstance(ident, (str, int))) or str(ident) in keys | skipped:
                raise InputError(f"{what}: needs a unique id and a label")
            frags = check_fragments([(units.to_cp(start, what), units.to_cp(end, what))], len(text), what=what)
            (skipped if mapper(label) is None else keys).add(str(ident))
            if mapper(label) is not None:
                doc.spans.append(NewSpan(key=str(ident), label=mapper(label), fragments=frags))
    cats = data.get("cats", [])
    _categories(doc, categories + ([c for c in cats if isinstance(c, str)] if isinstance(cats, list) else []), where)
    document_fields(doc, data, where)
    group_mentions(doc)
    link_relations(doc, _relations(data.get("relations", []), keys, skipped, doc, where))
    if skipped:
        doc.notes.append(f"{where}: {len(skipped)} entities skipped as the mapping asks")
    comments = data.get("Comments") or data.get("comments")
    if comments:
        doc.notes.append(f"{where}: doccano comments not imported: {json.dumps(comments, ensure_ascii=False)[:120]}")
    if set(data) - KNOWN_KEYS:
        doc.notes.append(f"{where}: metadata {', '.join(repr(k) for k in data if k not in KNOWN_KEYS)} not imported")
    return doc


def _categories(doc: NewDocument, categories: list[str], where: str) -> None:
    for category in categories:
        polarity = choose(category, default_schema().document_polarity)
        if doc.polarity is None and polarity is not None:
            doc.polarity = polarity
        else:
            doc.notes.append(f"{where}: document category {category!r} not imported")


def _relations(raw: object, keys: set[str], skipped: set[str], doc: NewDocument, where: str) -> list:
    if not isinstance(raw, list):
        raise InputError(f"{where}: \"relations\" must be a list")
    out, seen = [], set()
    for n, rel in enumerate(raw, 1):
        if not isinstance(rel, dict):
            raise InputError(f"{where}: relation {n} must be an object")
        ident, rtype = str(rel.get("id", f"r{n}")), rel.get("type")
        what = f"{where}: relation {ident}"
        if ident in seen or not isinstance(rtype, str) or not rtype.strip():
            raise InputError(f"{what}: needs a unique id and a type")
        seen.add(ident)
        ends = [str(rel.get(k)) for k in ("from_id", "to_id")]
        for end in ends:
            if end not in keys | skipped:
                raise InputError(f"{what}: end {end} is not an entity of the line")
        if skipped.intersection(ends):
            doc.notes.append(f"{what} ({rtype}) not imported: an end was skipped")
        else:
            out.append((ident, rtype, [ends[0]], [ends[1]], {}))
    return out


# --- writing ----------------------------------------------------------------------------------


def write_doccano(items: list[ExportItem], stream: IO[str], schema, *, offsets: str = "utf16",
                  shape: str = "entities", **options) -> ExportReport:
    """Write a doccano JSONL file: ``shape="entities"`` (relation shape, default) or ``"label"``
    (``[[start, end, label]]``, no relations). ``offsets`` as for reading ("utf16" is what
    doccano 1.x expects). Claims' links become relations "source" and "cue". Reports the span
    attributes and notes, split fragments and speaker entities doccano cannot carry."""
    check_options("doccano", options, offsets, UNITS)
    if shape not in ("entities", "label"):
        raise InputError(f"shape must be \"entities\" or \"label\", not {shape!r}")
    report, counter = ExportReport(), 0
    if offsets == "utf16":
        report.notes.append("offsets are UTF-16 code units, as doccano counts them "
                            "(option offsets=codepoints for Python code points)")
    elif offsets == "graphemes":
        report.notes.append("offsets are grapheme clusters, for a doccano project that counts grapheme clusters "
                            "as one character")
    for item in items:
        doc, units = item.document, Units(item.document.text, offsets)
        first: dict[int, int] = {}
        entities = []
        for span in sorted(item.spans, key=lambda s: (s.start, s.end, s.label, s.fragments, s.id)):
            for a, b in span.fragments:
                (ua, exact_a), (ub, exact_b) = units.from_cp(a), units.from_cp(b, end=True)
                if not (exact_a and exact_b):
                    report.dropped.append(f"d{doc.id}: span {span.id} widened to whole grapheme clusters")
                counter += 1
                first.setdefault(span.id, counter)
                entities.append({"id": counter, "label": span.label, "start_offset": ua, "end_offset": ub})
        _report_losses(item, report)
        links = attribution_links(item, report, "doccano")
        row: dict = {"id": doc.id, "text": doc.text}
        if shape == "entities":
            row["entities"] = entities
            row["relations"] = [{"id": n, "from_id": first[a], "to_id": first[b], "type": t}
                                for n, (a, b, t) in enumerate(links, counter + 1)]
            counter += len(links)
        else:
            row["label"] = [[e["start_offset"], e["end_offset"], e["label"]] for e in entities]
            if links:
                report.dropped.append(f"d{doc.id}: the label shape cannot carry {len(links)} relation(s) and claim links")
        row.update({k: getattr(doc, k) for k in DOC_FIELDS if getattr(doc, k)})
        stream.write(_LINE_BREAKS.sub(lambda m: f"\\u{ord(m.group()):04x}", json.dumps(row, ensure_ascii=False)) + "\n")
    return report


def _report_losses(item: ExportItem, report: ExportReport) -> None:
    """One line per kind of loss and document, naming each span (or entity) once."""
    entities = {e.id: e for e in item.entities}
    lost: dict[str, list[str]] = {}
    lost_entities: dict[int, None] = {}  # in order, each once however many mentions it has
    for span in item.spans:
        entity = entities.get(span.entity_id)
        text = " ".join(" ".join(item.document.text[a:b] for a, b in span.fragments).split())
        for what, bad in (
            ("attributes", span.attrs != "{}" or any(getattr(span, k) is not None for k in CLAIM_ATTRIBUTES)),
            ("notes", bool(span.note)),
            ("discontinuous extents (written as one entity each)", len(span.fragments) > 1),
        ):
            if bad:
                lost.setdefault(what, []).append(str(span.id))
        if entity is not None and (entity.name != text or entity.type != "person" or entity.aliases or entity.qid
                                   or entity.notes):
            lost_entities[entity.id] = None
    report.dropped.extend(f"d{item.document.id}: doccano cannot carry span {what}: spans {', '.join(ids)}"
                          for what, ids in lost.items())
    if lost_entities:
        report.dropped.append(f"d{item.document.id}: doccano cannot carry speaker entities (their mentions are grouped "
                              f"by their text on import): entities {', '.join(map(str, lost_entities))}")


def sniff_doccano(path: Path) -> bool:
    """True when the first line is a doccano object: "text" with "label", "labels" or
    "entities", and neither the native format's "spans" nor "format"."""
    try:
        with open(path, "rb") as f:
            data = json.loads(f.readline(1 << 24).decode("utf-8-sig", "ignore"))
    except (OSError, ValueError, RecursionError):
        return False
    return (isinstance(data, dict) and isinstance(data.get("text"), str) and "spans" not in data and "format" not in data
            and any(isinstance(data.get(k), list) for k in ("label", "labels", "entities")))


register(Format(
    name="doccano", description="doccano sequence labeling (JSONL), with relations", extensions=(".jsonl",),
    reader=read_doccano, writer=write_doccano, sniff=sniff_doccano, skips_records=True,
    carries="texts, titles, status, document polarity, spans of every label (overlaps too), relations and claim links",
    cannot_carry="span attributes and notes, discontinuous extents (one entity per fragment), speaker entities "
                 "(mentions are grouped by text)",
))
