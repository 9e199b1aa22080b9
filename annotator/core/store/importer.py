"""Checking documents read from files before they are stored (no SQL here).

:func:`plan_import` validates every document completely before the store writes anything,
so a bad file is refused whole with a message naming the file and the span, and the store
only has to write the plan.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field

from annotator.core.errors import InputError
from annotator.core.model import CLAIM, CUE, SPEAKER, NewDocument, NewSpan, check_fragments, check_grapheme_edges
from annotator.core.schema import Schema


@dataclass
class ImportReport:
    """What an import did: ids of the documents added, one line per document skipped, and
    the readers' notes on what they could not carry over (``NewDocument.notes``)."""

    added: list[int] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    entities_created: int = 0
    spans: int = 0


@dataclass
class PlannedSpan:
    key: str
    row: dict
    entity_refs: dict  # column -> existing entity id (int) or new entity key (tuple)
    span_refs: dict  # column -> key of a span of the same document


@dataclass
class PlannedDocument:
    row: dict
    spans: list[PlannedSpan]
    relations: list[tuple[dict, str, str]] = field(default_factory=list)  # row, from key, to key


@dataclass
class ImportPlan:
    new_entities: dict[tuple, dict]
    documents: list[PlannedDocument]
    report: ImportReport
    scoped: dict[str, dict[tuple, int | tuple]] = field(default_factory=dict)  # file -> (key, name, type) -> ref


def text_sha256(text: str) -> str:
    """SHA-256 (hex) of the UTF-8 bytes of ``text``: how duplicates are recognised."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def plan_import(docs: list[NewDocument], schema: Schema, existing_sha: set[str], existing_entities: dict[tuple, int]) -> ImportPlan:
    """Validate ``docs`` and decide what to write. Raises InputError on the first problem.

    Entity keys are scoped by each document's ``origin`` file name (the part before ``#``),
    so "e1" in two files are two entities unless their name and type match.
    """
    plan = ImportPlan({}, [], ImportReport())
    seen_sha = set(existing_sha)
    by_name = dict(existing_entities)
    for doc in docs:
        where = doc.origin or doc.title or "document"
        if not isinstance(doc.text, str) or not doc.text:
            raise InputError(f"{where}: the document has no text")
        try:
            doc.text.encode("utf-8")
        except UnicodeEncodeError:
            raise InputError(f"{where}: the text contains lone surrogate characters") from None
        plan.report.notes.extend(doc.notes)
        sha = text_sha256(doc.text)
        if sha in seen_sha:
            plan.report.skipped.append(f"{where}: already in the project")
            continue
        seen_sha.add(sha)
        if doc.status not in schema.document_status:
            raise InputError(f"{where}: status {doc.status!r} is not one of {', '.join(schema.document_status)}")
        if doc.polarity is not None and doc.polarity not in schema.document_polarity:
            raise InputError(f"{where}: polarity {doc.polarity!r} is not one of {', '.join(schema.document_polarity)}")
        scope = (doc.origin or "").split("#")[0]
        entity_refs = _plan_entities(doc, scope, where, schema, plan, by_name)
        spans = _plan_spans(doc, where, schema, entity_refs, plan, by_name)
        relations = _plan_relations(doc, where, {s.key for s in spans})
        row = {"title": doc.title or doc.text.strip().split("\n")[0][:200], "text": doc.text, "source": doc.source or "",
               "status": doc.status, "polarity": doc.polarity, "sha256": sha}
        plan.documents.append(PlannedDocument(row, spans, relations))
        plan.report.spans += len(spans)
    plan.report.entities_created = len(plan.new_entities)
    return plan


def _plan_entities(doc: NewDocument, scope: str, where: str, schema: Schema, plan: ImportPlan, by_name: dict) -> dict:
    refs: dict[str, int | tuple] = {}
    for entity in doc.entities:
        if not isinstance(entity.name, str) or not entity.name.strip():
            raise InputError(f"{where}: entity {entity.key!r} has no name")
        if entity.type not in schema.entity_types:
            raise InputError(f"{where}: entity {entity.key!r} has type {entity.type!r}, not one of {', '.join(schema.entity_types)}")
        refs[entity.key] = _entity_ref(entity.name.strip(), entity.type, plan, by_name,
                                       aliases=entity.aliases, qid=entity.qid, notes=entity.notes, scope=(scope, entity.key))
    return refs


def _entity_ref(name: str, type: str, plan: ImportPlan, by_name: dict, aliases=(), qid=None, notes="", scope=None):
    """The entity a file's entity (``scope`` = (file, key)) or an entity-less mention
    (``scope`` None) refers to: an existing id (int) or the key of a new entity (tuple).

    Within one file a key with the same name and type is one entity in every document, and
    two different keys are two entities even when their names match ("we" of two chains);
    across files and for mentions, the same name and type join the same entity."""
    ident = (name, type)
    if scope is None:
        if ident not in by_name:
            by_name[ident] = ("", name, type)
            plan.new_entities.setdefault(by_name[ident], {"name": name, "type": type, "aliases": "[]", "qid": None, "notes": ""})
        return by_name[ident]
    file, key = scope
    mine = plan.scoped.setdefault(file, {})
    if (key, name, type) in mine:
        return mine[(key, name, type)]
    ref = by_name.get(ident)
    if ref is None or ref in mine.values():  # no such entity yet, or another key of this file has it
        ref = (file, key, name, type)
        plan.new_entities[ref] = {"name": name, "type": type, "aliases": json.dumps(list(aliases)),
                                  "qid": qid, "notes": notes or ""}
        by_name.setdefault(ident, ref)
    mine[(key, name, type)] = ref
    return ref


def _plan_spans(doc: NewDocument, where: str, schema: Schema, entity_refs: dict, plan: ImportPlan, by_name: dict) -> list[PlannedSpan]:
    labels = {}
    keys = set()
    for span in doc.spans:
        if span.key in keys:
            raise InputError(f"{where}: span id {span.key!r} is used twice")
        keys.add(span.key)
        labels[span.key] = span.label
    planned = []
    for span in doc.spans:
        what = f"{where}: span {span.key!r}"
        if span.label not in schema.label_names:
            raise InputError(f"{what}: unknown label {span.label!r} (expected {', '.join(schema.label_names)})")
        frags = check_fragments(span.fragments, len(doc.text), what=what)
        check_grapheme_edges(doc.text, frags, what=what)
        planned.append(_plan_span(span, frags, what, schema, entity_refs, labels, doc.text, plan, by_name))
    # a span must be written after the spans it links to: mentions and cues before claims
    planned.sort(key=lambda p: p.row["label"] == CLAIM)
    return planned


def _plan_span(span: NewSpan, frags, what: str, schema: Schema, entity_refs: dict, labels: dict, text: str, plan, by_name) -> PlannedSpan:
    if not isinstance(span.attributes, dict):
        raise InputError(f"{what}: attributes must be a mapping")
    if span.note is not None and not isinstance(span.note, str):
        raise InputError(f"{what}: note must be text")
    row = {"label": span.label, "start": frags[0][0], "end": frags[-1][1], "fragments": json.dumps(frags),
           "entity_id": None, "speaker_id": None, "source_id": None, "cue_id": None,
           "form": None, "polarity": None, "intensity": None, "target": None,
           "attrs": json.dumps(span.attributes, sort_keys=True, ensure_ascii=False), "note": span.note or None}
    ent: dict = {}
    links: dict = {}
    if span.label != CLAIM:
        extra = [k for k in ("speaker", "source", "cue", "form", "polarity", "intensity", "target") if getattr(span, k) is not None]
        if extra:
            raise InputError(f"{what}: {', '.join(extra)} can only be set on claims, not on a {span.label}")
    if span.label != SPEAKER and span.entity is not None:
        raise InputError(f"{what}: only speaker spans belong to an entity")
    if span.label == SPEAKER:
        if span.entity is None:  # a mention without an entity joins or founds one by its text
            name = " ".join(text[a:b] for a, b in frags).strip() or "unnamed"
            ent["entity_id"] = _entity_ref(name, "person", plan, by_name)
        elif span.entity not in entity_refs:
            raise InputError(f"{what}: entity {span.entity!r} is not among the document's entities")
        else:
            ent["entity_id"] = entity_refs[span.entity]
    if span.label == CLAIM:
        if span.speaker is not None:
            if span.speaker not in entity_refs:
                raise InputError(f"{what}: speaker {span.speaker!r} is not among the document's entities")
            ent["speaker_id"] = entity_refs[span.speaker]
        for column, key, want in (("source_id", span.source, SPEAKER), ("cue_id", span.cue, CUE)):
            if key is None:
                continue
            if labels.get(key) != want:
                raise InputError(f"{what}: {column[:-3]} {key!r} is not a {want} span of the document")
            links[column] = key
        for attribute in ("form", "polarity", "intensity"):
            value = getattr(span, attribute)
            if value is not None and value not in schema.attributes.get(attribute, ()):
                raise InputError(f"{what}: {attribute} {value!r} is not one of {', '.join(schema.attributes.get(attribute, ()))}")
            row[attribute] = value
        if span.target is not None and not isinstance(span.target, str):
            raise InputError(f"{what}: target must be text")
        row["target"] = span.target
    return PlannedSpan(span.key, row, ent, links)


def _plan_relations(doc: NewDocument, where: str, span_keys: set[str]) -> list[tuple[dict, str, str]]:
    out = []
    seen = set()
    for rel in doc.relations:
        what = f"{where}: relation {rel.key!r}"
        if rel.key in seen:
            raise InputError(f"{what}: id used twice")
        seen.add(rel.key)
        if not isinstance(rel.type, str) or not rel.type.strip():
            raise InputError(f"{what}: has no type")
        for end in (rel.source, rel.target):
            if end not in span_keys:
                raise InputError(f"{what}: end {end!r} is not a span of the document")
        if not isinstance(rel.attributes, dict):
            raise InputError(f"{what}: attributes must be a mapping")
        row = {"type": rel.type, "attrs": json.dumps(rel.attributes, sort_keys=True, ensure_ascii=False)}
        out.append((row, rel.source, rel.target))
    return out
