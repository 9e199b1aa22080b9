"""Label Studio JSON import and export (format "label-studio").

Spec: Label Studio's JSON export / task format (labelstud.io/guide/task_format): a list of
tasks ``{"id", "data": {"text": ...}, "annotations": [{"result": [...]}], "predictions": [...]}``
("completions" before Label Studio 1.0). Result items of a ``<Text>`` object:

* ``{"id", "from_name", "to_name", "type": "labels", "value": {"start", "end", "text", "labels"}}``: a region;
* ``{"type": "relation", "from_id", "to_id", "direction": "right" | "left" | "bi", "labels": [...]}``;
* ``choices`` / ``textarea`` / ``taxonomy`` / ``rating`` / ``number`` / ``datetime`` results:
  per-region when their ``id`` is a region's, about the whole task otherwise.

Offsets: Label Studio's text editor stores **code points** since its emoji fix
(label-studio#1559 / #1662, label-studio-frontend#308, 2021; its "NER - Emoji" tests assert
code points); older versions stored UTF-16 units (label-studio#1347). Option
``offsets="codepoints"`` (default) | ``"utf16"``. A region's ``text`` must equal the text at
its offsets (runs of white space compare as one space: the editor collapses them,
label-studio#3078). See docs/formats/doccano_label_studio.md for the mapping to speakers,
cues and claims.
"""
from __future__ import annotations

import json
import re
from html import escape
from pathlib import Path
from typing import IO

from annotator.core.errors import InputError
from annotator.core.model import CLAIM, SPEAKER, NewDocument, NewEntity, NewSpan, check_fragments
from annotator.core.textfile import parse_json, read_utf8
from annotator.formats.labeling_tools import (
    DOC_FIELDS,
    OFFSET_WORDS,
    Units,
    attribution_links,
    check_options,
    choose,
    default_schema,
    document_fields,
    group_mentions,
    label_mapper,
    link_relations,
    mention_name,
    place,
)
from annotator.formats.registry import ExportItem, ExportReport, Format, register

UNITS = ("codepoints", "utf16")
CLAIM_CHOICES = {"form": "form", "polarity": "polarity", "sentiment": "polarity", "intensity": "intensity"}
VALUE_KEYS = {"choices": "choices", "taxonomy": "taxonomy", "rating": "rating", "number": "number", "datetime": "datetime"}
NOTE_NAMES = ("note", "notes", "comment", "comments")
ENTITY_ANSWERS = (("entity", "textarea"), ("entity_type", "choices"))


def read_label_studio(path: Path, *, offsets: str = "codepoints", mapping: dict | None = None,
                      annotation: int | None = None, data_key: str | None = None, **options) -> list[NewDocument]:
    """Read a Label Studio JSON export (a list of tasks) as one document per task.

    ``annotation``: which annotation of each task (1 = the first; default: the first not
    cancelled, else the first prediction). ``data_key``: the task data field with the text
    (default "text", or the only text field). ``offsets`` and ``mapping`` as for doccano.
    Raises InputError "<file>: task N (id X): ..." for bad JSON (line and column), offsets
    outside the text, a region text that differs from the text, unknown relation ends."""
    path = Path(path)
    check_options("label-studio", options, offsets, UNITS, path.name)
    if isinstance(annotation, str) and annotation.strip().isdigit():
        annotation = int(annotation)
    if annotation is not None and (type(annotation) is not int or annotation < 1):
        raise InputError(f"{path.name}: annotation must be a number from 1, not {annotation!r}")
    mapper = label_mapper(mapping, path.name)
    tasks = parse_json(read_utf8(path), path.name)
    tasks = [tasks] if isinstance(tasks, dict) else tasks
    if not isinstance(tasks, list):
        raise InputError(f"{path.name}: not a Label Studio export (expected a list of tasks)")
    docs: list[NewDocument] = []
    skipped: list[str] = []
    for n, task in enumerate(tasks, 1):
        where = place(path.name, f"task {n}", task.get("id") if isinstance(task, dict) else None)
        if _empty_task(task, data_key):
            skipped.append(f"{where}: an empty task (no text, no annotation), skipped as Label Studio makes them "
                           "from blank lines")
            continue
        docs.append(_task(task, where, f"{path.name}#{n}", offsets, mapper, annotation, data_key))
    if skipped and not docs:
        raise InputError(f"{path.name}: every task is empty (no text): nothing to import")
    if skipped:
        docs[0].notes[:0] = skipped
    return docs


def _empty_task(task: object, data_key: str | None) -> bool:
    """True for a task whose text is "" or missing and that has no result (what Label Studio
    makes of a blank line in an imported text file): skipped with a note, not refused."""
    if not isinstance(task, dict) or not isinstance(task.get("data", task), dict):
        return False
    data = task.get("data", task)
    if data.get(data_key or "text") != "":
        return False
    runs = [a for key in ("annotations", "completions", "predictions") for a in task.get(key) or []]
    return not any(isinstance(a, dict) and a.get("result") for a in runs)


def _task(task: object, where: str, origin: str, unit: str, mapper, pick: int | None, data_key: str | None) -> NewDocument:
    if not isinstance(task, dict) or not isinstance(task.get("data", task), dict):
        raise InputError(f"{where}: a task must be a JSON object with a \"data\" object")
    data = task.get("data", task)
    texts = [k for k, v in data.items() if isinstance(v, str)]
    key = data_key or ("text" if "text" in data or len(texts) != 1 else texts[0])
    text = data.get(key)
    if not isinstance(text, str) or not text:
        raise InputError(f"{where}: no text in data[{key!r}] (data has {', '.join(map(repr, data)) or 'nothing'}; "
                         "see the option data_key)")
    doc = NewDocument(title="", text=text, origin=origin)
    document_fields(doc, data, where)
    if set(data) - {key, *DOC_FIELDS}:
        doc.notes.append(f"{where}: task data {', '.join(repr(k) for k in data if k not in (key, *DOC_FIELDS))} not imported")
    results = _results(task, doc, where, pick)
    units = Units(text, unit)
    regions: dict[str, list[NewSpan]] = {}
    for result in results:
        if result["type"] == "labels":
            _region(result, regions, doc, units, mapper, where)
        elif result["type"].endswith("labels"):
            doc.notes.append(f"{where}: a {result['type']} result not imported (only Text labels are)")
    raw, entities = [], {}
    for n, result in enumerate(results, 1):
        rid = str(result.get("id"))
        if result["type"] == "relation":
            raw.extend(_relation(result, n, regions, doc, where))
        elif result["type"].endswith("labels") or regions.get(rid) == []:
            continue  # a region, or an answer about a region that was not imported
        elif rid in regions:
            _per_region(result, regions[rid], entities, doc, where)
        else:
            _about_document(result, doc, where)
    _entities(doc, entities)
    group_mentions(doc)
    link_relations(doc, raw)
    return doc


def _results(task: dict, doc: NewDocument, where: str, pick: int | None) -> list[dict]:
    annotations = task.get("annotations", task.get("completions", [])) or []
    if not isinstance(annotations, list) or not all(isinstance(a, dict) for a in annotations):
        raise InputError(f"{where}: \"annotations\" must be a list of objects")
    valid = [a for a in annotations if not a.get("was_cancelled")]
    predictions = [p for p in task.get("predictions") or [] if isinstance(p, dict)]
    if pick is not None and annotations:
        if pick > len(annotations):
            raise InputError(f"{where}: has {len(annotations)} annotation(s), not {pick}")
        chosen = annotations[pick - 1]
    elif valid:
        chosen = valid[0]
        if len(valid) > 1:
            doc.notes.append(f"{where}: {len(valid) - 1} more annotation(s) not imported (option annotation=N picks another)")
    else:
        chosen = predictions[0] if predictions else {}
        if chosen:
            doc.notes.append(f"{where}: no annotation; the prediction {chosen.get('model_version', '')!r} was imported")
    result = chosen.get("result", [])
    if not isinstance(result, list) or not all(isinstance(r, dict) and isinstance(r.get("type"), str) for r in result):
        raise InputError(f"{where}: an annotation's \"result\" must be a list of objects with a type")
    return result


def _region(result: dict, regions: dict, doc: NewDocument, units: Units, mapper, where: str) -> None:
    rid = str(result.get("id", f"#{len(regions) + 1}"))
    what, value, text = f"{where}: region {rid}", result.get("value"), doc.text
    if not isinstance(value, dict) or not isinstance(value.get("labels", []), list):
        raise InputError(f"{what}: needs a \"value\" with start, end and labels")
    frags = check_fragments([(units.to_cp(value.get("start"), what), units.to_cp(value.get("end"), what))], len(text), what=what)
    (a, b), surface = frags[0], value.get("text")
    if surface is not None and surface != text[a:b] and " ".join(str(surface).split()) != " ".join(text[a:b].split()):
        hint = "; the offsets look like UTF-16 units (try the option offsets=\"utf16\")" if \
            units.unit == "codepoints" and _fits_utf16(text, value, surface) else ""
        raise InputError(f"{what}: \"text\" {str(surface)[:60]!r} differs from the document's text at [{a}, {b}): "
                         f"{text[a:b][:60]!r}{hint}")
    labels = [x for x in value.get("labels", []) if isinstance(x, str) and x.strip()]
    spans = regions.setdefault(rid, [])
    for label in labels:
        if mapper(label) is not None:
            spans.append(NewSpan(key=rid if not spans else f"{rid}#{len(spans) + 1}", label=mapper(label), fragments=frags))
            doc.spans.append(spans[-1])
    if not spans:
        doc.notes.append(f"{what}: not imported ({'skipped as the mapping asks' if labels else 'no label'})")


def _fits_utf16(text: str, value: dict, surface: object) -> bool:
    try:
        units = Units(text, "utf16")
        return text[units.to_cp(value["start"], ""):units.to_cp(value["end"], "")] == surface
    except InputError:
        return False


def _relation(result: dict, n: int, regions: dict, doc: NewDocument, where: str) -> list:
    ends = [str(result.get(k)) for k in ("from_id", "to_id")]
    what = f"{where}: relation {n} ({ends[0]} -> {ends[1]})"
    for end in ends:
        if end not in regions:
            raise InputError(f"{what}: {end} is not a labelled region of the task")
    if not (regions[ends[0]] and regions[ends[1]]):
        doc.notes.append(f"{what}: not imported, an end was not imported")
        return []
    direction = result.get("direction", "right")
    if direction == "left":
        ends.reverse()
    labels = [x for x in result.get("labels") or [] if isinstance(x, str) and x.strip()]
    attributes = {"direction": "bi"} if direction == "bi" else {}
    if not labels:  # an unlabelled relation: typed "relation", written back with no labels
        labels, attributes = ["relation"], {**attributes, "labels": []}
    sources, targets = ([s.key for s in regions[end]] for end in ends)
    return [(f"r{n}" + (f".{k}" if k else ""), label, sources, targets, attributes) for k, label in enumerate(labels)]


def _answer(result: dict):
    """The result's answer: one choice as text (several as a list), a number, text lines;
    None when there is none."""
    value = result.get("value") if isinstance(result.get("value"), dict) else {}
    if result["type"] == "textarea":
        lines = value.get("text", [])
        return "\n".join(map(str, lines)) if isinstance(lines, list) else str(lines)
    answer = value.get(VALUE_KEYS.get(result["type"], ""))
    return answer[0] if isinstance(answer, list) and len(answer) == 1 and isinstance(answer[0], str) else answer


def _per_region(result: dict, spans: list[NewSpan], entities: dict, doc: NewDocument, where: str) -> None:
    """A region's answer: form / polarity (sentiment) / intensity choices and a "target"
    textarea on claims set those attributes when the value fits the schema; "entity" /
    "entity_type" on speakers name the entity; other textareas are notes; the rest are
    attributes named after the control."""
    name, answer, rtype = str(result.get("from_name", result["type"])), _answer(result), result["type"]
    if answer is None:
        doc.notes.append(f"{where}: region {result.get('id')}: a {rtype} result {name!r} not imported")
        return
    for span in spans:
        field = CLAIM_CHOICES.get(name.casefold()) if span.label == CLAIM and rtype == "choices" else None
        value = choose(answer, default_schema().attributes.get(field or "", ()))
        if value is not None:
            setattr(span, field, value)
        elif span.label == CLAIM and rtype == "textarea" and name.casefold() == "target":
            span.target = answer
        elif span.label == SPEAKER and (name.casefold(), rtype) in ENTITY_ANSWERS and isinstance(answer, str) and answer.strip():
            entities.setdefault(span.key, {})[name.casefold()] = answer.strip()
        elif rtype == "textarea":
            line = answer if name.casefold() in NOTE_NAMES else f"{name}: {answer}"
            span.note = f"{span.note}\n{line}" if span.note else line
        else:
            span.attributes[name] = answer


def _about_document(result: dict, doc: NewDocument, where: str) -> None:
    """An answer about the whole task: a choice that is a document polarity sets it (the first
    one); anything else goes to the notes."""
    answer, polarity = _answer(result), choose(_answer(result), default_schema().document_polarity)
    if result["type"] == "choices" and doc.polarity is None and polarity is not None:
        doc.polarity = polarity
    else:
        name = result.get("from_name", result["type"])
        doc.notes.append(f"{where}: {result['type']} {name!r} about the whole task not imported: "
                         f"{json.dumps(answer, ensure_ascii=False)[:80]}")


def _entities(doc: NewDocument, given: dict) -> None:
    """Speaker regions with an "entity" answer (the name) or "entity_type" belong to that
    entity (named by the mention's text when only the type is given)."""
    known = {e.key for e in doc.entities}
    for span in doc.spans:
        if span.key in given:
            kind = choose(given[span.key].get("entity_type", "person"), default_schema().entity_types) or "person"
            name = given[span.key].get("entity") or mention_name(doc.text, span)
            span.entity = f"{kind}:{name}"
            if span.entity not in known:
                known.add(span.entity)
                doc.entities.append(NewEntity(key=span.entity, name=name, type=kind))


# --- writing ----------------------------------------------------------------------------------


def write_label_studio(items: list[ExportItem], stream: IO[str], schema, *, offsets: str = "codepoints",
                       **options) -> ExportReport:
    """Write Label Studio tasks (one per document, one annotation each) for the labeling config
    of :func:`labeling_config`: regions "label" on "text", claim links as relations "source" /
    "cue", per-region choices form / polarity / intensity / entity_type and textareas target /
    entity / note, document polarity as choices "document_polarity". A discontinuous span is
    written as one region per fragment (reported)."""
    check_options("label-studio", options, offsets, UNITS)
    report, tasks = ExportReport(), []
    if offsets != "codepoints":
        report.notes.append(f"offsets are {OFFSET_WORDS[offsets]}, as Label Studio before 1.0 counted them "
                            "(the default, offsets=codepoints, is what Label Studio counts now)")
    for item in items:
        doc, units = item.document, Units(item.document.text, offsets)
        entities = {e.id: e for e in item.entities}
        region: dict[int, str] = {}
        results: list[dict] = []
        for n, span in enumerate(sorted(item.spans, key=lambda s: (s.start, s.end, s.label, s.fragments, s.id)), 1):
            region[span.id] = f"s{n}"
            for k, (a, b) in enumerate(span.fragments):
                value = {"start": units.from_cp(a)[0], "end": units.from_cp(b)[0], "text": doc.text[a:b], "labels": [span.label]}
                results.append(_result(f"s{n}" + (f"-{k + 1}" if k else ""), "label", "labels", value))
            if len(span.fragments) > 1:
                report.dropped.append(f"d{doc.id}: label-studio cannot carry discontinuous span {span.id}: "
                                      f"{len(span.fragments)} fragments written as regions s{n}, s{n}-2...")
            where = {"start": units.from_cp(span.start)[0], "end": units.from_cp(span.fragments[0][1])[0]}
            results.extend(_answers(span, f"s{n}", where, entities.get(span.entity_id), report, doc.id))
        generic = {(r.from_id, r.to_id, r.type): r for r in item.relations}
        for a, b, rtype in attribution_links(item, report, "label-studio"):
            attrs = generic[(a, b, rtype)].attributes if (a, b, rtype) in generic else {}
            direction = attrs.get("direction") if attrs.get("direction") in ("right", "left", "bi") else "right"
            results.append({"from_id": region[a], "to_id": region[b], "type": "relation", "direction": direction,
                            "labels": [] if attrs.get("labels") == [] else [rtype]})
        report.dropped.extend(f"d{doc.id}: label-studio cannot carry the attributes of relation {r.id} "
                              f"({', '.join(sorted(set(r.attributes) - {'direction', 'labels'}))})"
                              for r in item.relations if set(r.attributes) - {"direction", "labels"})
        if doc.polarity:
            results.append(_result(f"d{doc.id}", "document_polarity", "choices", {"choices": [doc.polarity]}))
        data = {"text": doc.text, **{k: getattr(doc, k) for k in DOC_FIELDS if k != "polarity" and getattr(doc, k)}}
        annotation = {"id": doc.id, "result": results, "was_cancelled": False, "ground_truth": False}
        tasks.append({"id": doc.id, "data": data, "annotations": [annotation], "predictions": []})
    # one task a line: json's C encoder (indent= runs the pure-Python one, 4x slower) and a file
    # about half the size, still one task per line to read
    stream.write("[\n" + ",\n".join(json.dumps(task, ensure_ascii=False) for task in tasks) + "\n]\n")
    return report


def _result(rid: str, name: str, rtype: str, value: dict) -> dict:
    return {"id": rid, "from_name": name, "to_name": "text", "type": rtype, "value": value}


def _answers(span, rid: str, where: dict, entity, report: ExportReport, doc_id: int) -> list[dict]:
    answers: list[tuple[str, str, object]] = [(k, "choices", [getattr(span, k)])
                                              for k in ("form", "polarity", "intensity") if getattr(span, k)]
    if span.target:
        answers.append(("target", "textarea", [span.target]))
    if entity is not None:
        answers.append(("entity", "textarea", [entity.name]))
        if entity.type != "person":
            answers.append(("entity_type", "choices", [entity.type]))
        lost = [what for what, has in (("aliases", entity.aliases), ("QID", entity.qid), ("notes", entity.notes)) if has]
        if lost:  # once per entity, not per mention
            report.drop(f"label-studio cannot carry the {' and '.join(lost)} of entity {entity.id} ({entity.name})")
    for name, value in sorted(span.attributes.items()):
        if isinstance(value, str) or isinstance(value, list) and value and all(isinstance(v, str) for v in value):
            answers.append((name, "choices", [value] if isinstance(value, str) else value))
        elif isinstance(value, (int, float)) and not isinstance(value, bool):
            answers.append((name, "number", value))
        else:
            report.dropped.append(f"d{doc_id}: label-studio cannot carry attribute {name}={json.dumps(value)} of span {span.id}")
    if span.note:
        answers.append(("note", "textarea", [span.note]))
    key = {"choices": "choices", "textarea": "text", "number": "number"}
    return [_result(rid, name, rtype, dict(where, **{key[rtype]: value})) for name, rtype, value in answers]


def labeling_config(schema, relation_types: tuple[str, ...] = ()) -> str:
    """A Label Studio labeling config (XML) for what :func:`write_label_studio` writes (add the
    types of generic relations in ``relation_types``)."""
    def q(value: str) -> str:
        return f'"{escape(value, quote=True)}"'

    def options(values) -> str:
        return "".join(f"<Choice value={q(v)}/>" for v in values)
    relations = "".join(f"<Relation value={q(t)}/>" for t in dict.fromkeys(("source", "cue", *relation_types)))
    labels = "".join(f"\n    <Label value={q(label.name)} background={q(label.color)}/>" for label in schema.labels)
    per_region = [f'<Choices name={q(name)} toName="text" perRegion="true">{options(values)}</Choices>'
                  for name, values in schema.attributes.items()]
    per_region += [f'<TextArea name="{name}" toName="text" perRegion="true" maxSubmissions="1"/>'
                   for name in ("target", "entity", "note")]
    per_region.append(f'<Choices name="entity_type" toName="text" perRegion="true">{options(schema.entity_types)}</Choices>')
    return (f'<View>\n  <Relations>{relations}</Relations>\n  <Labels name="label" toName="text">{labels}\n  </Labels>\n'
            f'  <Text name="text" value="$text"/>\n  <View visibleWhen="region-selected">'
            + "".join(f"\n    {line}" for line in per_region) + "\n  </View>\n"
            f'  <Choices name="document_polarity" toName="text">{options(schema.document_polarity)}</Choices>\n</View>\n')


def sniff_label_studio(path: Path) -> bool:
    """True when the file starts like a list of tasks with "data" and annotations or predictions."""
    try:
        with open(path, "rb") as f:
            head = f.read(1 << 20).decode("utf-8-sig", "ignore").lstrip()
    except OSError:
        return False
    return (head.startswith("[") and re.search(r'"data"\s*:\s*\{', head) is not None
            and re.search(r'"(annotations|completions|predictions)"\s*:', head) is not None)


register(Format(
    name="label-studio", description="Label Studio JSON tasks (text labeling, relations, choices)", extensions=(".json",),
    reader=read_label_studio, writer=write_label_studio, sniff=sniff_label_studio,
    carries="texts, titles, status, document polarity, spans of every label (overlaps too), claim links and relations, "
            "claim attributes, span attributes (text and numbers), notes, speaker entities (name and type)",
    cannot_carry="discontinuous spans (one region per fragment), entity aliases / QIDs / notes, relation attributes",
))
