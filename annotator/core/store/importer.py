"""Checking documents read from files before they are stored (no SQL here).

:class:`ImportPlanner` validates each batch of documents completely before the store writes
it; the store writes every batch of an import inside one transaction, so a bad document
anywhere refuses the whole import (rolled back) with a message naming the file and the span.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Callable, Iterable

from annotator.core.errors import InputError
from annotator.core.model import (
    CLAIM,
    CUE,
    SPEAKER,
    STATUSES,
    NewDocument,
    NewSpan,
    check_fragments,
    check_grapheme_edges,
)
from annotator.core.schema import Schema


@dataclass
class ImportReport:
    """What an import did: ids of the documents added, ids of the documents already in the
    project that the import's annotations joined, one line per document skipped, and the
    readers' notes on what they could not carry over (``NewDocument.notes``) or merged
    (a span listed twice)."""

    added: list[int] = field(default_factory=list)
    joined: list[int] = field(default_factory=list)
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
    join_id: int | None = None  # the existing document (same text) these annotations join


@dataclass
class ImportPlan:
    new_entities: dict[tuple, dict]
    documents: list[PlannedDocument]
    report: ImportReport
    scoped: dict[str, dict[tuple, int | tuple]] = field(default_factory=dict)  # file -> (key, name, type) -> ref
    scoped_refs: dict[str, set] = field(default_factory=dict)  # file -> the refs in scoped[file]


def text_sha256(text: str) -> str:
    """SHA-256 (hex) of the UTF-8 bytes of ``text``: how duplicates are recognised."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def plan_import(docs: Iterable[NewDocument], schema: Schema, existing_sha: dict[str, int], existing_entities: dict[tuple, int],
                annotators_of: Callable[[int], set[str]] = lambda doc_id: set(), default_annotator: str = "") -> ImportPlan:
    """Validate ``docs`` and decide what to write, in one plan: :class:`ImportPlanner` with
    one batch. Raises InputError on the first problem."""
    return ImportPlanner(existing_sha, existing_entities, annotators_of, default_annotator).plan(docs, schema)


class ImportPlanner:
    """Plans an import batch by batch (:meth:`plan`), remembering across batches the texts
    seen, the entities made and each file's entity keys, so that a file streamed in batches
    is planned as if it were one batch. Memory: per document one SHA-256, per entity a few
    keys; never the documents of earlier batches. Time: linear in the documents, spans and
    entities.

    ``existing_sha`` maps the SHA-256 of each text in the project to its document id;
    ``annotators_of(doc_id)`` gives who annotated it. A document already in the project is
    skipped, unless all its annotations are by (non-empty) annotators who have none there
    yet: then they join it. A span's annotator is its own, else the document's
    (``NewDocument.annotator``), else ``default_annotator`` (the store's).

    Entity keys are scoped by each document's ``origin`` file name (the part before ``#``),
    so "e1" in two files are two entities unless their name and type match. A span listed
    twice (same label, same fragments, same attributes) is kept once, with a note.
    """

    def __init__(self, existing_sha: dict[str, int], existing_entities: dict[tuple, int],
                 annotators_of: Callable[[int], set[str]] = lambda doc_id: set(), default_annotator: str = ""):
        self.existing_sha, self.annotators_of, self.default_annotator = existing_sha, annotators_of, default_annotator
        self.report = ImportReport()
        self.seen_sha: set[str] = set()
        self.by_name: dict = dict(existing_entities)
        self.scoped: dict[str, dict[tuple, int | tuple]] = {}
        self.scoped_refs: dict[str, set] = {}  # file -> the refs of ``scoped[file]`` (a set: linear time)

    def plan(self, docs: Iterable[NewDocument], schema: Schema) -> ImportPlan:
        """The plan of one batch: its documents and the entities it makes (those of earlier
        batches are referred to by the same keys). Raises InputError on the first problem."""
        plan = ImportPlan({}, [], self.report, self.scoped)
        plan.scoped_refs = self.scoped_refs
        by_name, seen_sha, existing_sha = self.by_name, self.seen_sha, self.existing_sha
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
            annotator = doc.annotator or self.default_annotator
            join_id = None
            if sha in existing_sha and sha not in seen_sha:
                theirs = {s.annotator if s.annotator is not None else annotator for s in doc.spans}
                if doc.spans and "" not in theirs and not theirs & self.annotators_of(existing_sha[sha]):
                    join_id = existing_sha[sha]
            if join_id is None and (sha in seen_sha or sha in existing_sha):
                plan.report.skipped.append(f"{where}: already in the project")
                continue
            seen_sha.add(sha)
            if doc.status not in schema.document_status:
                raise InputError(f"{where}: status {doc.status!r} is not one of {', '.join(schema.document_status)}")
            if doc.polarity is not None and doc.polarity not in schema.document_polarity:
                raise InputError(f"{where}: polarity {doc.polarity!r} is not one of {', '.join(schema.document_polarity)}")
            scope = (doc.origin or "").split("#")[0]
            entity_refs = _plan_entities(doc, scope, where, schema, plan, by_name)
            spans, aliases = _plan_spans(doc, where, schema, entity_refs, plan, by_name, annotator)
            relations = _plan_relations(doc, where, {s.key for s in spans} | set(aliases), annotator)
            relations = [(row, aliases.get(a, a), aliases.get(b, b)) for row, a, b in relations]
            row = {"title": doc.title or doc.text.strip().split("\n")[0][:200], "text": doc.text, "source": doc.source or "",
                   "status": doc.status, "polarity": doc.polarity, "sha256": sha, "created": doc.created,
                   "modified": doc.modified, "status_annotator": doc.status_annotator, "status_modified": doc.status_modified}
            plan.documents.append(PlannedDocument(row, spans, relations, join_id))
            plan.report.spans += len(spans)
        plan.report.entities_created += len(plan.new_entities)
        return plan


def _plan_entities(doc: NewDocument, scope: str, where: str, schema: Schema, plan: ImportPlan, by_name: dict) -> dict:
    refs: dict[str, int | tuple] = {}
    for entity in doc.entities:
        if not isinstance(entity.name, str) or not entity.name.strip():
            raise InputError(f"{where}: entity {entity.key!r} has no name")
        if entity.type not in schema.entity_types:
            raise InputError(f"{where}: entity {entity.key!r} has type {entity.type!r}, not one of {', '.join(schema.entity_types)}")
        if entity.status not in STATUSES:
            raise InputError(f"{where}: entity {entity.key!r} has status {entity.status!r}, not one of {', '.join(STATUSES)}")
        refs[entity.key] = _entity_ref(entity.name.strip(), entity.type, plan, by_name,
                                       aliases=entity.aliases, qid=entity.qid, notes=entity.notes, scope=(scope, entity.key),
                                       authored={"uuid": entity.uuid, "status": entity.status,
                                                 "annotator": entity.annotator if entity.annotator is not None else doc.annotator or None,
                                                 "created": entity.created, "modified": entity.modified})
    return refs


def _entity_ref(name: str, type: str, plan: ImportPlan, by_name: dict, aliases=(), qid=None, notes="", scope=None,
                authored: dict | None = None):
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
    refs = plan.scoped_refs.setdefault(file, set())
    if (key, name, type) in mine:
        return mine[(key, name, type)]
    ref = by_name.get(ident)
    if ref is None or ref in refs:  # no such entity yet, or another key of this file has it
        ref = (file, key, name, type)
        plan.new_entities[ref] = {"name": name, "type": type, "aliases": json.dumps(list(aliases)),
                                  "qid": qid, "notes": notes or "", **(authored or {})}
        by_name.setdefault(ident, ref)
    mine[(key, name, type)] = ref
    refs.add(ref)
    return ref


def _plan_spans(doc: NewDocument, where: str, schema: Schema, entity_refs: dict, plan: ImportPlan, by_name: dict,
                annotator: str) -> tuple[list[PlannedSpan], dict[str, str]]:
    """The document's spans, checked, mentions and cues first; and ``{key of a span listed
    twice: key of the span kept}`` (identical spans are stored once, with a note)."""
    labels = {}
    keys = set()
    for span in doc.spans:
        if span.key in keys:
            raise InputError(f"{where}: span id {span.key!r} is used twice")
        keys.add(span.key)
        labels[span.key] = span.label
    planned = []
    aliases: dict[str, str] = {}
    seen: dict[tuple, str] = {}
    for span in doc.spans:
        what = f"{where}: span {span.key!r}"
        if span.label not in schema.label_names:
            raise InputError(f"{what}: unknown label {span.label!r} (expected {', '.join(schema.label_names)})")
        frags = check_fragments(span.fragments, len(doc.text), what=what)
        check_grapheme_edges(doc.text, frags, what=what)
        p = _plan_span(span, frags, what, schema, entity_refs, labels, doc.text, plan, by_name, annotator)
        same = _identity(p)
        if same in seen:  # identical to a span listed before (doccano, Label Studio exports do it)
            aliases[span.key] = seen[same]
            plan.report.notes.append(f"{where}: span {span.key!r} ({span.label} at "
                                     f"{', '.join(f'[{a}, {b})' for a, b in frags)}) is a duplicate of span "
                                     f"{seen[same]!r}: stored once")
            continue
        seen[same] = span.key
        planned.append(p)
    for p in planned:  # links to a duplicate go to the span kept
        p.span_refs = {column: aliases.get(ref, ref) for column, ref in p.span_refs.items()}
    # a span must be written after the spans it links to: mentions and cues before claims
    planned.sort(key=lambda p: p.row["label"] == CLAIM)
    return planned, aliases


def _attributes_json(attributes: dict, what: str) -> str:
    """``attributes`` as stored (JSON, keys sorted). InputError when they are nested deeper
    than the encoder can go at this depth of the stack (a reader accepts a little deeper)."""
    try:
        return json.dumps(attributes, sort_keys=True, ensure_ascii=False)
    except RecursionError:
        raise InputError(f"{what}: attributes nested too deeply") from None


_NOT_CONTENT = ("uuid", "created", "modified", "annotator")


def _identity(p: PlannedSpan) -> tuple:
    """What makes two planned spans the same annotation: every stored field but the ids,
    times and author, and what they link to (rows are built by :func:`_plan_span` with
    their keys in one order, so no sorting is needed)."""
    refs = p.entity_refs
    return (tuple(v for k, v in p.row.items() if k not in _NOT_CONTENT),
            tuple(refs.items()) if len(refs) < 2 else tuple(sorted(refs.items(), key=repr)),
            tuple(sorted(p.span_refs.items())))


def _plan_span(span: NewSpan, frags, what: str, schema: Schema, entity_refs: dict, labels: dict, text: str, plan, by_name,
               annotator: str) -> PlannedSpan:
    if not isinstance(span.attributes, dict):
        raise InputError(f"{what}: attributes must be a mapping")
    if span.status not in STATUSES:
        raise InputError(f"{what}: status {span.status!r} is not one of {', '.join(STATUSES)}")
    if span.score is not None and (isinstance(span.score, bool) or not isinstance(span.score, (int, float))):
        raise InputError(f"{what}: score {span.score!r} is not a number")
    if span.origin is not None and not isinstance(span.origin, str):
        raise InputError(f"{what}: origin must be text")
    if span.note is not None and not isinstance(span.note, str):
        raise InputError(f"{what}: note must be text")
    row = {"label": span.label, "start": frags[0][0], "end": frags[-1][1], "fragments": json.dumps(frags),
           "entity_id": None, "speaker_id": None, "source_id": None, "cue_id": None,
           "form": None, "polarity": None, "intensity": None, "target": None,
           "attrs": _attributes_json(span.attributes, what), "note": span.note or None,
           "uuid": span.uuid, "status": span.status,
           "annotator": span.annotator if span.annotator is not None else annotator,
           "created": span.created, "modified": span.modified, "origin": span.origin, "score": span.score}
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


def _plan_relations(doc: NewDocument, where: str, span_keys: set[str], annotator: str) -> list[tuple[dict, str, str]]:
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
        if rel.status not in STATUSES:
            raise InputError(f"{what}: status {rel.status!r} is not one of {', '.join(STATUSES)}")
        row = {"type": rel.type, "attrs": _attributes_json(rel.attributes, what),
               "uuid": rel.uuid, "status": rel.status,
               "annotator": rel.annotator if rel.annotator is not None else annotator,
               "created": rel.created, "modified": rel.modified}
        out.append((row, rel.source, rel.target))
    return out
