"""Reading Annotator's native JSON and JSON Lines files (the shape is described in
:mod:`annotator.formats.native`). Every problem raises InputError starting with the file's
name, then the document (number and id), the span or relation id, and the reason.
"""
from __future__ import annotations

import uuid as uuidlib
from pathlib import Path

from annotator.core.errors import InputError
from annotator.core.model import STATUSES, NewDocument, NewEntity, NewRelation, NewSpan, check_fragments
from annotator.core.schema import Schema, load_schema, schema_from_dict
from annotator.core.textfile import parse_json, read_utf8

FORMAT_NAME = "annotator"
VERSION = 2  # 2: uuid, status, annotator, created, modified (and origin, score on spans)
CLAIM_KEYS = ("speaker", "source", "cue", "form", "polarity", "intensity", "target")


def extra_label_names(schema: Schema) -> tuple[str, ...]:
    """Names of the labels a project added beyond its schema (the schema's "extra_labels")."""
    return tuple(e["name"] for e in schema.raw.get("extra_labels", []) if isinstance(e, dict) and "name" in e)


def read_json(path: Path, **options) -> list[NewDocument]:
    """Read a native JSON file. Raises InputError "<file name>: ..." for bad JSON (with line
    and column), a file that is not Annotator's, a newer version, or any bad document or span
    (naming the document's number and id and the span's id)."""
    path = Path(path)
    refuse_options("json", options, path.name)
    text = _read_utf8(path)  # raises InputError itself (a ValueError: not to be caught below)
    data = parse_json(text, path.name)
    if not isinstance(data, dict) or data.get("format") != FORMAT_NAME:
        found = data.get("format") if isinstance(data, dict) else None
        raise InputError(f"{path.name}: not an Annotator JSON file (expected \"format\": \"annotator\""
                         + (f", found {found!r})" if found is not None else ")"))
    version = data.get("version", VERSION)
    if type(version) is not int or version < 1:
        raise InputError(f"{path.name}: \"version\" must be a whole number, not {version!r}")
    if version > VERSION:
        raise InputError(f"{path.name}: written by a newer Annotator (format version {version}; "
                         f"this one reads version {VERSION}); update Annotator to import it")
    raw_schema = data.get("schema")
    if raw_schema is None:
        labels = load_schema().label_names
    elif isinstance(raw_schema, dict):
        schema = schema_from_dict(raw_schema, where=f"{path.name}: schema")
        labels = schema.label_names + tuple(n for n in extra_label_names(schema) if n not in schema.label_names)
    else:
        raise InputError(f"{path.name}: \"schema\" must be an object")
    documents = data.get("documents")
    if not isinstance(documents, list):
        raise InputError(f"{path.name}: \"documents\" must be a list")
    return [document_from_dict(doc, _where(path.name, f"document {n + 1}", doc), labels, origin=f"{path.name}#{n}")
            for n, doc in enumerate(documents)]


def read_jsonl(path: Path, *, bad_records: list[str] | None = None, **options) -> list[NewDocument]:
    """Read a JSON Lines file of document objects (blank lines ignored). Raises InputError
    "<file name>: line N: ..." for a line that is not JSON or not a valid document; with a
    ``bad_records`` list, such a line is skipped and its message appended there instead."""
    path = Path(path)
    refuse_options("jsonl", options, path.name)
    labels = load_schema().label_names
    docs = []
    for n, line in enumerate(_read_utf8(path).split("\n"), 1):
        if not line.strip():
            continue
        try:
            docs.append(_jsonl_document(path, n, line, labels))
        except InputError as exc:
            if bad_records is None:
                raise
            bad_records.append(str(exc))
    return docs


def _jsonl_document(path: Path, n: int, line: str, labels: tuple[str, ...]) -> NewDocument:
    data = parse_json(line, f"{path.name}: line {n}", line=n)
    return document_from_dict(data, _where(path.name, f"line {n}", data), labels, origin=f"{path.name}#{n}")


def document_from_dict(data: object, where: str, labels: tuple[str, ...], origin: str = "") -> NewDocument:
    """A NewDocument from one native document object; ``where`` starts every error message.
    ``labels`` are the labels the file's schema allows; the document's "labels" adds to them.
    The document's own "id" is not kept. Raises InputError for anything malformed."""
    if not isinstance(data, dict):
        raise InputError(f"{where}: a document must be a JSON object")
    text = data.get("text")
    if not isinstance(text, str) or not text:
        raise InputError(f"{where}: the document has no text")
    doc = NewDocument(title=_str(data, "title", where) or "", text=text, source=_str(data, "source", where) or "",
                      status=_str(data, "status", where) or "new", polarity=_str(data, "polarity", where), origin=origin,
                      created=_str(data, "created", where), modified=_str(data, "modified", where),
                      status_annotator=_str(data, "status_annotator", where),
                      status_modified=_str(data, "status_modified", where))
    doc.entities = _entities(_list(data, "entities", where), where)
    entity_keys = {e.key for e in doc.entities}
    declared = _list(data, "labels", where)
    if not all(isinstance(n, str) and n.strip() for n in declared):
        raise InputError(f"{where}: \"labels\" must be a list of label names")
    raw_spans = _list(data, "spans", where)
    doc.spans = [_span(raw, n, text, where, labels + tuple(declared)) for n, raw in enumerate(raw_spans)]
    base = load_schema().label_names
    doc.labels = list(dict.fromkeys(s.label for s in doc.spans if s.label not in base))
    span_labels = {s.key: s.label for s in doc.spans}
    for span in doc.spans:
        what = f"{where}: span {span.key!r}"
        if span.entity is not None and span.entity not in entity_keys:
            raise InputError(f"{what}: entity {span.entity!r} is not among the document's entities")
        if span.speaker is not None and span.speaker not in entity_keys:
            raise InputError(f"{what}: speaker {span.speaker!r} is not among the document's entities")
        for key, ref in (("source", span.source), ("cue", span.cue)):
            if ref is not None and ref not in span_labels:
                raise InputError(f"{what}: {key} {ref!r} is not a span of the document")
    doc.relations = [_relation(raw, n, where, span_labels) for n, raw in enumerate(_list(data, "relations", where))]
    return doc


def _relation(raw: object, n: int, where: str, span_labels: dict) -> NewRelation:
    if not isinstance(raw, dict):
        raise InputError(f"{where}: relation {n + 1} must be a JSON object")
    what = f"{where}: relation {raw.get('id', n + 1)!r}"
    kind = _str(raw, "type", what)
    if not kind or not kind.strip():
        raise InputError(f"{what}: has no type")
    ends = [_str(raw, key, what) for key in ("from", "to")]
    for key, ref in zip(("from", "to"), ends):
        if ref not in span_labels:
            raise InputError(f"{what}: \"{key}\" {ref!r} is not a span of the document")
    return NewRelation(key=str(raw.get("id", f"#{n + 1}")), type=kind, source=ends[0], target=ends[1],
                       attributes=_mapping(raw, what), **_authored(raw, what))


def _list(data: dict, key: str, where: str) -> list:
    value = data.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        raise InputError(f"{where}: \"{key}\" must be a list")
    return value


def _mapping(data: dict, what: str) -> dict:
    value = data.get("attributes")
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise InputError(f"{what}: \"attributes\" must be an object")
    return value


def _entities(raw: list, where: str) -> list[NewEntity]:
    out, seen = [], set()
    for n, item in enumerate(raw):
        if not isinstance(item, dict) or not isinstance(item.get("id"), str):
            raise InputError(f"{where}: entity {n + 1} must be an object with a text \"id\"")
        what = f"{where}: entity {item['id']!r}"
        if item["id"] in seen:
            raise InputError(f"{what}: the id is used twice")
        seen.add(item["id"])
        aliases = item.get("aliases") or []
        if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
            raise InputError(f"{what}: \"aliases\" must be a list of names")
        name = _str(item, "name", what) or ""
        if not name.strip():
            raise InputError(f"{what}: the entity has no name")
        out.append(NewEntity(key=item["id"], name=name, type=_str(item, "type", what) or "person",
                             aliases=tuple(aliases), qid=_str(item, "qid", what), notes=_str(item, "notes", what) or "",
                             **_authored(item, what)))
    return out


def _span(raw: object, n: int, text: str, where: str, labels: tuple[str, ...]) -> NewSpan:
    if not isinstance(raw, dict):
        raise InputError(f"{where}: span {n + 1} must be a JSON object")
    key = raw.get("id", f"#{n + 1}")
    if isinstance(key, int) and not isinstance(key, bool):
        key = str(key)
    if not isinstance(key, str):
        raise InputError(f"{where}: span {n + 1}: \"id\" must be text")
    what = f"{where}: span {key!r}"
    label = raw.get("label")
    if label not in labels:
        raise InputError(f"{what}: unknown label {label!r} (expected {', '.join(labels)})")
    frags = raw.get("fragments")
    if frags is None:
        if "start" not in raw or "end" not in raw:
            raise InputError(f"{what}: needs \"start\" and \"end\" (or \"fragments\")")
        frags = [[raw["start"], raw["end"]]]
    elif not isinstance(frags, list):
        raise InputError(f"{what}: \"fragments\" must be a list of [start, end] pairs")
    frags = check_fragments(frags, len(text), what=what)
    for key_, want in (("start", frags[0][0]), ("end", frags[-1][1])):
        if key_ in raw and raw[key_] != want:
            raise InputError(f"{what}: \"{key_}\" {raw[key_]!r} disagrees with its fragments ({want})")
    surface = raw.get("text")
    if surface is not None:
        if not isinstance(surface, str):
            raise InputError(f"{what}: \"text\" must be text")
        a, b = frags[0]
        if len(frags) == 1 and surface != text[a:b]:
            raise InputError(f"{what}: \"text\" {_short(surface)} differs from the document's text at [{a}, {b}): {_short(text[a:b])}")
    values = {k: _str(raw, k, what) for k in ("entity", *CLAIM_KEYS, "note", "origin")}
    score = raw.get("score")
    if score is not None and (isinstance(score, bool) or not isinstance(score, (int, float))):
        raise InputError(f"{what}: \"score\" must be a number or null, not {score!r}")
    return NewSpan(key=key, label=label, fragments=frags, attributes=_mapping(raw, what), score=score,
                   **values, **_authored(raw, what))


def _authored(raw: dict, what: str) -> dict:
    """uuid, status, annotator, created, modified of a span, entity or relation (version 2;
    absent in version 1: a new uuid, accepted, the importing annotator, now)."""
    out = {k: _str(raw, k, what) for k in ("uuid", "annotator", "created", "modified")}
    if out["uuid"] is not None:
        try:
            out["uuid"] = str(uuidlib.UUID(out["uuid"]))
        except ValueError:
            raise InputError(f"{what}: \"uuid\" {out['uuid']!r} is not a UUID") from None
    status = _str(raw, "status", what) or "accepted"
    if status not in STATUSES:
        raise InputError(f"{what}: \"status\" {status!r} is not one of {', '.join(STATUSES)}")
    return {**out, "status": status}


def _str(data: dict, key: str, what: str) -> str | None:
    value = data.get(key)
    if value is not None and not isinstance(value, str):
        raise InputError(f"{what}: \"{key}\" must be text or null, not {value!r}")
    return value


def _where(name: str, place: str, doc: object) -> str:
    ident = doc.get("id") if isinstance(doc, dict) else None
    return f"{name}: {place}" + (f" ({ident})" if isinstance(ident, (str, int)) and not isinstance(ident, bool) else "")


def _short(s: str, limit: int = 60) -> str:
    return repr(s if len(s) <= limit else s[:limit] + "…")


def _read_utf8(path: Path) -> str:
    return read_utf8(path, hint="; JSON files must be UTF-8")


def refuse_options(fmt: str, options: dict, name: str = "") -> None:
    """Raise InputError when a format without options is given some."""
    if options:
        raise InputError(f"{name + ': ' if name else ''}the {fmt} format has no option {', '.join(map(repr, options))}")
