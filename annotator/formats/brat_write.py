"""brat standoff, export: one ``<document id>.txt`` + ``.ann`` per document, plus
``annotation.conf`` and ``visual.conf`` (see ``docs/formats/brat.md`` for the mapping).

Offsets are code points into the ``.txt``, which is the stored text written as UTF-8 without
a byte-order mark and with "\\n" newlines. brat needs each annotation on one line, so a span
crossing a line break is written as several fragments split at the break (the break itself
left out), their texts joined by a space as brat joins discontinuous fragments.
"""
from __future__ import annotations

import re
from pathlib import Path

from annotator.core.errors import InputError
from annotator.core.model import CLAIM, CUE, SPEAKER, Entity, Span
from annotator.core.schema import Schema
from annotator.formats.brat_build import ANNOTATOR_DB, RELATION_RESERVED
from annotator.formats.brat_build import CLAIM_FIELDS as IMPORTED_FIELDS, SPAN_RESERVED, WIKIDATA_DB, entity_id_text
from annotator.formats.brat_conf import ConfUsage, annotation_conf, visual_conf
from annotator.formats.registry import ExportItem, ExportReport

LINE_BREAKS = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"  # where str.splitlines (and so brat) breaks
_BREAK_RE = re.compile(f"\\s*[{LINE_BREAKS}]\\s*")  # a line break with the spaces around it (indentation)
CLAIM_FIELDS = ("form", "polarity", "intensity")


def brat_name(name: str) -> str:
    """A type, role or attribute name brat can read: no whitespace, ':' or ';'."""
    return re.sub(r"[\s:;]+", "_", name.strip()) or "_"


def one_line(text: str) -> str:
    """``text`` with its line breaks (and TABs) replaced by spaces."""
    return re.sub(f"[{LINE_BREAKS}\t]+", " ", text)


def free_text(text: str) -> str:
    """``text`` for the free-text column of a brat line (after its second TAB: notes,
    normalisation and comment texts): brat keeps TABs there, so only line breaks become
    spaces. Compare with ``text`` to report a change."""
    return re.sub(f"[{LINE_BREAKS}]+", " ", text)


def type_names(labels) -> tuple[dict[str, str], list[str]]:
    """A distinct brat type for each label (in their order), and one report line per label
    written differently. :func:`brat_name` makes a name brat can read ("Named Entity" ->
    ``Named_Entity``); when that is another label's name or type too ("Named_Entity"), the
    later label in sorted order gets ``_2``, ``_3``... so that reading the files back gives
    two labels, never one."""
    names: dict[str, str] = {}
    lines: list[str] = []
    ordered = sorted(set(labels), key=lambda label: (brat_name(label) != label, label))  # exact names first
    for label in ordered:
        name, k = brat_name(label), 1
        while name in names.values():
            k += 1
            name = f"{brat_name(label)}_{k}"
        names[label] = name
        if name != label:
            clash = [other for other in ordered if other != label and brat_name(other) == brat_name(label)]
            why = f" (kept apart from the label {clash[0]!r})" if clash else ""
            lines.append(f"label {label!r} written as brat type {name!r}{why}")
    return names, lines


def split_fragments(text: str, fragments) -> list[tuple[int, int]]:
    """The fragments cut at line breaks, the breaks and the spaces around them (indentation)
    left out; empty pieces gone."""
    out = []
    for start, end in fragments:
        position = start
        for m in _BREAK_RE.finditer(text, start, end):
            if m.start() > position:
                out.append((position, m.start()))
            position = m.end()
        if end > position:
            out.append((position, end))
    return out


class DocumentWriter:
    """The ``.ann`` lines of one ExportItem; what cannot be written goes to ``report``."""

    def __init__(self, item: ExportItem, usage: ConfUsage, report: ExportReport, types: dict[str, str] | None = None):
        self.item, self.usage, self.report = item, usage, report
        self.type_of = types if types is not None else type_names(s.label for s in item.spans)[0]
        self.doc = item.document
        self.where = f"document {self.doc.id}"
        self.entities: dict[int, Entity] = {e.id: e for e in item.entities}
        self.spans = sorted(item.spans, key=lambda s: (s.start, s.end, s.fragments, s.label == CLAIM, s.id))
        self.by_id = {s.id: s for s in self.spans}
        self.relations = list(getattr(item, "relations", []))
        self.roles: dict[int, list] = {}  # event span id -> its role relations
        self.events: set[int] = set()
        self.ref: dict[int, str] = {}  # span id -> T or E id
        self.types: dict[int, str] = {}
        self.out: dict[str, list[str]] = {k: [] for k in "TERA*N#"}
        self.counters: dict[str, int] = {}

    def new_id(self, prefix: str) -> str:
        self.counters[prefix] = self.counters.get(prefix, 0) + 1
        return f"{prefix}{self.counters[prefix]}"

    def drop(self, text: str, once: bool = False) -> None:
        """Report ``text``; with ``once``, for the whole export rather than this document."""
        line = text if once else f"{self.where}: {text}"
        if not once or line not in self.report.dropped:
            self.report.dropped.append(line)

    def lines(self) -> list[str]:
        for span in self.spans:
            self.textbound(span)
        events = [s for s in self.spans if s.id in self.ref and s.attributes.get("brat_event")]
        self.events = {s.id for s in events}
        for rel in self.relations:
            if rel.attributes.get("brat_role") and rel.from_id in self.events:
                self.roles.setdefault(rel.from_id, []).append(rel)
        triggers = {span.id: self.ref[span.id] for span in events}
        for span in events:  # every event's id first: an argument may be a later event
            self.ref[span.id] = self.new_id("E")
        for span in events:
            self.event(span, triggers[span.id])
        for span in self.spans:
            if span.label == CLAIM and span.id in self.ref:
                for other, rtype in ((span.source_id, "Source"), (span.cue_id, "Cue")):
                    if other is not None:
                        self.relation(rtype, ("Arg1", "Arg2"), span.id, other, {})
        for rel in self.relations:  # (a role whose event is gone is written as a relation)
            if not rel.attributes.get("brat_equiv") and not (rel.attributes.get("brat_role") and rel.from_id in self.events):
                args = rel.attributes.get("brat_args") or ["Arg1", "Arg2"]
                self.relation(rel.type, tuple(brat_name(a) for a in args[:2]), rel.from_id, rel.to_id, rel.attributes)
        self.equivalences()
        for span in self.spans:
            if span.id in self.ref:
                self.modifiers(span)
        return [line for kind in "TER*AN#" for line in self.out[kind]]

    def textbound(self, span: Span) -> None:
        pieces = split_fragments(self.doc.text, span.fragments)
        if not pieces:
            self.drop(f"{span.label} span {span.start}-{span.end} covers only line breaks; brat cannot hold it")
            return
        if pieces != list(span.fragments):
            self.drop(f"{span.label} span {span.start}-{span.end} crosses a line break: written as {len(pieces)} "
                      f"fragment{'s' * (len(pieces) != 1)} {' '.join(f'[{a},{b})' for a, b in pieces)}, without the break "
                      "and the spaces around it")
        btype = self.type_of[span.label]
        tid = self.new_id("T")
        offsets = ";".join(f"{a} {b}" for a, b in pieces)
        self.out["T"].append(f"{tid}\t{btype} {offsets}\t{' '.join(self.doc.text[a:b] for a, b in pieces)}")
        self.usage.entities[btype] = span.label
        self.ref[span.id], self.types[span.id] = tid, btype

    def event(self, span: Span, tid: str) -> None:
        eid, etype = self.ref[span.id], self.types[span.id]
        roles = self.usage.events.setdefault(etype, {})
        args = []
        for rel in self.roles.get(span.id, []):
            target = self.ref.get(rel.to_id)
            if target is None:
                self.drop(f"role {rel.type} of event {etype} at {span.start}: its argument was not written")
                continue
            role = brat_name(rel.type)
            args.append(f"{role}:{target}")
            base = role.rstrip("0123456789") or role
            roles.setdefault(base, set()).add(self.types[rel.to_id])
            self.rest_of_relation(rel.attributes, ("brat_role",), f"role {rel.type}")
        self.out["E"].append(f"{eid}\t{etype}:{tid}" + (" " + " ".join(args) if args else ""))

    def relation(self, rtype: str, labels: tuple[str, str], one: int, two: int, attributes: dict) -> None:
        ends = [self.ref.get(one), self.ref.get(two)]
        if None in ends or labels[0] == labels[1]:
            self.drop(f"{rtype} relation {one}->{two}: " + ("an end was not written" if None in ends else "its argument labels are equal"))
            return
        btype = brat_name(rtype)
        rid = self.new_id("R")
        self.out["R"].append(f"{rid}\t{btype} {labels[0]}:{ends[0]} {labels[1]}:{ends[1]}")
        self.usage.relation(btype, labels, self.types[one], self.types[two])
        rest = self.rest_of_relation(attributes, ("brat_args",), f"{rtype} relation")
        self.attributes(rid, btype, rest)
        note = attributes.get("note")
        if isinstance(note, str) and note.strip():
            for line in note.splitlines():
                if line.strip():
                    self.out["#"].append(f"{self.new_id('#')}\tAnnotatorNotes {rid}\t{one_line(line).strip()}")
        self.normalizations(rid, attributes.get("normalizations"))
        self.comments(rid, attributes.get("brat_comments"))

    def rest_of_relation(self, attributes: dict, handled: tuple, what: str) -> dict:
        rest = {k: v for k, v in attributes.items() if k not in RELATION_RESERVED}
        if "brat_role" in handled and (rest or attributes.get("note")):
            self.drop(f"{what}: brat has no attributes or notes on event roles; {', '.join(sorted(rest)) or 'note'} not written")
        return rest

    def equivalences(self) -> None:
        parent: dict[tuple[str, int], tuple[str, int]] = {}

        def find(node):
            while parent.setdefault(node, node) != node:
                node = parent[node]
            return node
        for rel in self.relations:
            if rel.attributes.get("brat_equiv"):
                if rel.from_id not in self.ref or rel.to_id not in self.ref:
                    self.drop(f"{rel.type} equivalence: a member was not written")
                    continue
                parent[find((rel.type, rel.from_id))] = find((rel.type, rel.to_id))
        groups: dict[tuple[str, int], list[int]] = {}
        for rtype, span_id in list(parent):
            groups.setdefault(find((rtype, span_id)), []).append(span_id)
        order = {s.id: n for n, s in enumerate(self.spans)}
        for (rtype, _), members in sorted(groups.items(), key=lambda g: min(order[m] for m in g[1])):
            members.sort(key=order.get)
            self.out["*"].append(f"*\t{brat_name(rtype)} {' '.join(self.ref[m] for m in members)}")
            self.usage.equivs.setdefault(brat_name(rtype), set()).update(self.types[m] for m in members)

    def modifiers(self, span: Span) -> None:
        target, attrs = self.ref[span.id], span.attributes
        if span.label == CLAIM:
            for name in CLAIM_FIELDS:
                if getattr(span, name) is not None:
                    self.attribute(target, self.types[span.id], name.title(), getattr(span, name))
            clash = [k for k, v in attrs.items() if _reads_as_claim_field(k, v)]
            if clash:
                self.drop(f"claim at {span.start}: attribute {', '.join(clash)} would be read back as the claim's own; not written")
                attrs = {k: v for k, v in attrs.items() if k not in clash}
        self.attributes(target, self.types[span.id], {k: v for k, v in attrs.items() if k not in SPAN_RESERVED})
        self.entity_norms(span, target)
        self.normalizations(target, attrs.get("normalizations"))
        if span.note:
            lines = [line for line in span.note.splitlines() if line.strip()]
            for line in lines:
                self.out["#"].append(f"{self.new_id('#')}\tAnnotatorNotes {target}\t{line.strip(' ')}")
            if "\n".join(line.strip(" ") for line in lines) != span.note:
                self.drop(f"the note of {target} {span.note!r} is written as {len(lines)} AnnotatorNotes line(s) "
                          f"(brat notes are one line each; blank lines and spaces at their ends are not kept)")
        if span.label == CLAIM and span.target:
            self.free_line("Target", target, span.target, "the target")
        self.comments(target, attrs.get("brat_comments"))

    def free_line(self, head: str, target: str | None, text: str, what: str, kind: str = "#") -> None:
        """A line whose last column is free text (a note, a comment, a normalisation's
        text): TABs stay (brat keeps everything after the second TAB); a line break becomes a
        space, reported."""
        written = free_text(text).strip(" ")
        if written != text.strip(" "):
            self.drop(f"{what} of {target or head} {text!r} is written on one line as {written!r}")
        self.out[kind].append(f"{self.new_id(kind)}\t{head}{'' if target is None else ' ' + target}\t{written}")

    def attributes(self, target: str, target_type: str, attrs: dict) -> None:
        for name, value in attrs.items():
            for one in value if isinstance(value, list) else [value]:
                self.attribute(target, target_type, name, one)

    def attribute(self, target: str, target_type: str, name: str, value) -> None:
        """An A line; ``target_type`` (the brat type of the target) is for annotation.conf."""
        bname = brat_name(name)
        if value is True:
            self.out["A"].append(f"{self.new_id('A')}\t{bname} {target}")
        elif isinstance(value, (str, int, float)) and not isinstance(value, bool) and one_line(str(value)).strip():
            text = one_line(str(value))
            if text != value:
                self.drop(f"attribute {name} of {target}: value {value!r} written as the text {text!r}")
            self.out["A"].append(f"{self.new_id('A')}\t{bname} {target} {text}")
        else:
            self.drop(f"attribute {name} of {target}: brat cannot hold the value {value!r}")
            return
        self.usage.attribute(bname, target_type, True if value is True else one_line(str(value)))

    def entity_norms(self, span: Span, target: str) -> None:
        entity_id = span.entity_id if span.label == SPEAKER else span.speaker_id if span.label == CLAIM else None
        if entity_id is None:
            return
        if span.label == CLAIM and span.source_id is not None and self.by_id.get(span.source_id) is not None \
                and self.by_id[span.source_id].entity_id == entity_id and span.source_id in self.ref:
            return  # the Source relation says who speaks
        entity = self.entities.get(entity_id)
        if entity is None:
            self.drop(f"{span.label} at {span.start}: its speaker entity {entity_id} is not in the export")
            return
        name = free_text(entity.name).strip(" ")
        if name != entity.name.strip(" "):
            self.drop(f"the name of speaker {entity.name!r} is written on one line as {name!r}", once=True)
        self.out["N"].append(f"{self.new_id('N')}\tReference {target} {ANNOTATOR_DB}:{entity_id_text(entity.type, entity.id)}\t{name}")
        if span.label == SPEAKER and entity.qid:
            self.out["N"].append(f"{self.new_id('N')}\tReference {target} {WIKIDATA_DB}:{entity.qid}\t{name}")

    def normalizations(self, target: str, entries) -> None:
        for entry in entries or []:
            ok = isinstance(entry, list) and len(entry) in (3, 4) and all(isinstance(x, str) for x in entry)
            if not ok or not re.fullmatch(r"[^\s:]+", entry[0]) or not re.fullmatch(r"\S+", entry[1]):
                self.drop(f"normalization {entry!r} of {target}: not a DB:ID brat can write")
                continue
            ntype = brat_name(entry[3]) if len(entry) == 4 else "Reference"
            self.free_line(f"{ntype} {target} {entry[0]}:{entry[1]}", None, entry[2], "the normalization text", "N")

    def comments(self, target: str, entries) -> None:
        for entry in entries or []:
            if isinstance(entry, list) and len(entry) == 2 and all(isinstance(x, str) for x in entry):
                self.free_line(brat_name(entry[0]), target, entry[1], "the comment")
            else:
                self.drop(f"comment {entry!r} of {target}: not a [type, text] pair")


def _reads_as_claim_field(name: str, value) -> bool:
    """Whether an A line ``name value`` on a claim would be read back as the claim's form /
    polarity / intensity / target rather than as an attribute."""
    values = [v for v in (value if isinstance(value, list) else [value]) if isinstance(v, str)]
    if name.casefold() == "target":
        return bool(values)
    allowed = IMPORTED_FIELDS.get(name.casefold(), ())
    return any(v.casefold() in allowed for v in values)


def document_files(item: ExportItem, usage: ConfUsage, report: ExportReport,
                   types: dict[str, str] | None = None) -> tuple[str, str]:
    """The ``.txt`` and ``.ann`` contents of one document (``types``: label -> brat type,
    from :func:`type_names` over the whole export)."""
    lines = DocumentWriter(item, usage, report, types).lines()
    doc = item.document
    first = next((line.strip() for line in doc.text.split("\n") if line.strip()), "")[:200]
    lost = [f"title {doc.title!r}" if doc.title.strip() != first else "",
            f"status {doc.status!r}" if doc.status != "new" else "",
            f"polarity {doc.polarity!r}" if doc.polarity is not None else ""]
    if any(lost):
        report.dropped.append(f"document {doc.id}: brat has no place for the document's {', '.join(x for x in lost if x)}")
    return doc.text, "".join(line + "\n" for line in lines)


def declare_layers(usage: ConfUsage, schema: Schema) -> None:
    """Declare claims' Form / Polarity / Intensity with every value of the schema, and the
    Source / Cue relations, so that the exported collection can be annotated on in brat."""
    if CLAIM not in usage.entities:
        return
    for name in CLAIM_FIELDS:
        for value in schema.attributes.get(name, ()):
            usage.attribute(name.title(), CLAIM, value)
    for rtype, other in (("Source", SPEAKER), ("Cue", CUE)):
        if other in usage.entities:
            usage.relation(rtype, ("Arg1", "Arg2"), CLAIM, other)


def write_brat_folder(items: list[ExportItem], folder, schema: Schema, **options) -> ExportReport:
    """Write brat standoff into ``folder`` (created if missing): ``<id>.txt`` and
    ``<id>.ann`` per document, then ``annotation.conf`` and ``visual.conf``. Offsets are
    code points into the ``.txt`` (UTF-8, no BOM, LF newlines). Returns what brat cannot
    carry; raises InputError for an unknown option or a folder that cannot be written."""
    folder = Path(folder)
    if options:
        raise InputError(f"{folder}: the brat format has no option {', '.join(map(repr, options))}")
    report, usage = ExportReport(), ConfUsage()
    files: dict[str, str] = {}
    types, lines = type_names(s.label for item in items for s in item.spans)
    report.dropped.extend(lines)
    for item in items:
        text, ann = document_files(item, usage, report, types)
        files[f"{item.document.id}.txt"], files[f"{item.document.id}.ann"] = text, ann
    seen_entities = {e.id: e for item in items for e in item.entities}
    for entity in seen_entities.values():
        if entity.aliases or entity.notes:
            report.dropped.append(f"speaker {entity.name!r}: brat has no place for its aliases and notes")
    declare_layers(usage, schema)
    files["annotation.conf"] = annotation_conf(usage)
    files["visual.conf"] = visual_conf(usage, schema)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for name, content in files.items():
            (folder / name).write_bytes(content.encode("utf-8"))
    except OSError as exc:
        raise InputError(f"{folder}: cannot write the brat files ({exc.strerror or exc.__class__.__name__})") from None
    return report
