"""doccano JSONL import and export (format "doccano"), and the helpers label_studio shares.

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
import re
from bisect import bisect_left, bisect_right
from functools import lru_cache
from pathlib import Path
from typing import IO

from annotator.core.errors import InputError
from annotator.core.model import (
    CLAIM,
    CLAIM_ATTRIBUTES,
    CUE,
    SPEAKER,
    NewDocument,
    NewEntity,
    NewRelation,
    NewSpan,
    check_fragments,
)
from annotator.core.offsets import grapheme_boundaries
from annotator.core.schema import load_schema
from annotator.formats.registry import ExportItem, ExportReport, Format, register

UNITS = ("utf16", "codepoints", "graphemes")
LAYERS = (SPEAKER, CUE, CLAIM)
# file label (any case) -> layer, as brat's defaults: PARC 3.0 names and the QUOTE of quote corpora
DEFAULT_MAPPING = {"speaker": SPEAKER, "source": SPEAKER, "cue": CUE, "claim": CLAIM, "quote": CLAIM, "content": CLAIM}
MAPPING_VALUES = (SPEAKER, CUE, CLAIM, "keep", "skip")
ATTRIBUTION_TYPES = frozenset({"said_by", "speaker", "source"})  # claim <-> speaker mention: the claim's source
CUE_TYPES = frozenset({"cue"})  # claim <-> cue: the claim's cue
DOC_FIELDS = ("title", "source", "status", "polarity")
KNOWN_KEYS = {"id", "text", "entities", "label", "labels", "relations", "cats", "Comments", "comments", *DOC_FIELDS}
_LINE_BREAKS = re.compile("[\x85\u2028\u2029]")

# --- shared with label_studio ---------------------------------------------------------------------


@lru_cache(maxsize=1)
def default_schema():
    """The default (news) schema readers map to; read from disk once."""
    return load_schema()


class Units:
    """Offsets of one text counted in ``unit`` ("codepoints", "utf16", "graphemes") <-> code points."""

    def __init__(self, text: str, unit: str):
        self.unit = unit
        self._cp_of: list[int | None] | None = None  # unit offset -> code point (None: inside a character)
        self._unit_of: list[int] | None = None  # code point -> unit offset (utf16 only)
        if unit == "utf16" and len(text.encode("utf-16-le", "surrogatepass")) != 2 * len(text):
            self._cp_of, self._unit_of = [], []
            for i, ch in enumerate(text):
                self._unit_of.append(len(self._cp_of))
                self._cp_of.extend((i, None) if ord(ch) > 0xFFFF else (i,))
            self._unit_of.append(len(self._cp_of))
            self._cp_of.append(len(text))
        elif unit == "graphemes":
            self._cp_of = grapheme_boundaries(text)
        self.length = len(self._cp_of) - 1 if self._cp_of is not None else len(text)

    def to_cp(self, offset: object, what: str) -> int:
        """The code point at ``offset``; InputError (starting with ``what``) when it is outside
        the text or between the two UTF-16 units of one character."""
        if not (type(offset) is int and 0 <= offset <= self.length):
            raise InputError(f"{what}: offset {offset!r} is outside the text (length {self.length} in {self.unit})")
        cp = offset if self._cp_of is None else self._cp_of[offset]
        if cp is None:
            raise InputError(f"{what}: offset {offset} falls between the two UTF-16 units of one character; "
                             "the offsets are not UTF-16 (try the option offsets=\"codepoints\")")
        return cp

    def from_cp(self, cp: int, end: bool = False) -> tuple[int, bool]:
        """``cp`` in this unit, and whether it is exact (grapheme units widen a span)."""
        if self._cp_of is None:
            return cp, True
        if self._unit_of is not None:
            return self._unit_of[cp], True
        i = bisect_left(self._cp_of, cp)
        if i < len(self._cp_of) and self._cp_of[i] == cp:
            return i, True
        return (i if end else bisect_right(self._cp_of, cp) - 1), False


def check_options(fmt: str, options: dict, offsets: object, units: tuple[str, ...], name: str = "") -> None:
    """InputError for an unknown option or an ``offsets`` value not in ``units``."""
    where = f"{name}: " if name else ""
    if options:
        raise InputError(f"{where}the {fmt} format has no option {', '.join(map(repr, options))}")
    if offsets not in units:
        raise InputError(f"{where}offsets must be one of {', '.join(units)}, not {offsets!r}")


def label_mapper(mapping: object, name: str = ""):
    """``mapping`` {file label: "speaker" | "cue" | "claim" | "keep" | "skip"} (as brat's: exact
    name, then any case; or as text, from the command line: a JSON object or
    ``QUOTE:claim,Person:skip``) over :data:`DEFAULT_MAPPING`; other labels are kept as extra
    labels. Returns ``label -> stored label``, None for a label to skip."""
    if isinstance(mapping, str):
        try:
            mapping = json.loads(mapping) if mapping.strip().startswith("{") else \
                dict(pair.rsplit(":", 1) for pair in filter(str.strip, mapping.split(",")))
        except ValueError:
            raise InputError(f"{name + ': ' if name else ''}mapping {mapping!r}: expected Label:layer,Label:layer "
                             "or a JSON object") from None
        mapping = {k.strip(): v.strip() if isinstance(v, str) else v for k, v in mapping.items()}
    user = dict(mapping or {}) if isinstance(mapping, dict) or mapping is None else None
    if user is None or any(not isinstance(k, str) or v not in MAPPING_VALUES for k, v in user.items()):
        raise InputError(f"{name + ': ' if name else ''}mapping must map label names to one of {', '.join(MAPPING_VALUES)}")
    folded = {k.casefold(): v for k, v in user.items()}

    def mapped(label: str) -> str | None:
        choice = user.get(label) or folded.get(label.casefold()) or DEFAULT_MAPPING.get(label.strip().casefold(), "keep")
        return None if choice == "skip" else label if choice == "keep" else choice
    return mapped


def mention_name(text: str, span: NewSpan) -> str:
    return " ".join(" ".join(text[a:b] for a, b in span.fragments).split()) or "unnamed"


def group_mentions(doc: NewDocument) -> None:
    """Give every speaker span without an entity the entity named by its text (key
    ``"person:<name>"``: one entity per name in the whole file), so claims can name it."""
    known = {e.key for e in doc.entities}
    for span in doc.spans:
        if span.label == SPEAKER and span.entity is None:
            span.entity = f"person:{mention_name(doc.text, span)}"
            if span.entity not in known:
                known.add(span.entity)
                doc.entities.append(NewEntity(key=span.entity, name=mention_name(doc.text, span)))


def link_relations(doc: NewDocument, raw: list[tuple[str, str, list[str], list[str], dict]]) -> None:
    """Turn ``(key, type, source keys, target keys, attributes)`` into the document's links: a
    said_by / speaker / source relation between a claim and a speaker mention (either way) is
    the claim's attribution (``source`` + its speaker entity), a cue relation between a claim
    and a cue its cue; the rest become generic relations (between the first keys)."""
    spans = {s.key: s for s in doc.spans}
    for key, rtype, sources, targets, attributes in raw:
        kind = rtype.strip().casefold()
        want = SPEAKER if kind in ATTRIBUTION_TYPES else CUE if kind in CUE_TYPES else None
        if want and _attach(want, sources, targets, spans):
            continue
        doc.relations.append(NewRelation(key=key, type=rtype, source=sources[0], target=targets[0], attributes=attributes))
    doc.labels = [label for label in dict.fromkeys(s.label for s in doc.spans) if label not in LAYERS]


def _attach(want: str, a_keys: list[str], b_keys: list[str], spans: dict) -> bool:
    for one, other in ((a_keys, b_keys), (b_keys, a_keys)):
        claim = next((spans[k] for k in one if spans[k].label == CLAIM), None)
        end = next((spans[k] for k in other if spans[k].label == want), None)
        if claim is not None and end is not None and (claim.source if want == SPEAKER else claim.cue) is None:
            if want == SPEAKER:
                claim.source, claim.speaker = end.key, end.entity
            else:
                claim.cue = end.key
            return True
    return False


def choose(value: object, allowed: tuple[str, ...]) -> str | None:
    """The allowed value equal to ``value`` in any case, else None."""
    return next((v for v in allowed if isinstance(value, str) and v.casefold() == value.strip().casefold()), None)


def document_fields(doc: NewDocument, values: dict, where: str) -> None:
    """Set title / source / status / polarity from ``values``; a value that is not text, or a
    status or polarity the schema does not know (any case), goes to the notes."""
    allowed = {"status": default_schema().document_status, "polarity": default_schema().document_polarity}
    for key, value in ((k, values.get(k)) for k in DOC_FIELDS):
        if value is not None:
            value = choose(value, allowed[key]) if key in allowed else value if isinstance(value, str) else None
            if value is None:
                doc.notes.append(f"{where}: document {key} {values[key]!r} not imported")
            else:
                setattr(doc, key, value)


def attribution_links(item: ExportItem, report: ExportReport, fmt: str) -> list[tuple[int, int, str]]:
    """The item's links as ``(from span id, to span id, type)``: each claim's source ("source")
    and cue ("cue"), then its generic relations. Reports what has no span to point at."""
    ids = {s.id: s for s in item.spans}
    out, lost = [], []
    for span in item.spans:
        if span.source_id in ids:
            out.append((span.id, span.source_id, "source"))
        if span.speaker_id is not None and (span.source_id not in ids or ids[span.source_id].entity_id != span.speaker_id):
            lost.append(f"the speaker entity {span.speaker_id} of claim {span.id} (only its source mention is linked)")
        if span.cue_id in ids:
            out.append((span.id, span.cue_id, "cue"))
    for rel in item.relations:
        if rel.from_id in ids and rel.to_id in ids:
            out.append((rel.from_id, rel.to_id, rel.type))
        else:
            lost.append(f"relation {rel.id} ({rel.type}): an end is not in the document")
    report.dropped.extend(f"d{item.document.id}: {fmt} cannot carry {what}" for what in lost)
    return out


def read_utf8(path: Path) -> str:
    """The file's text (UTF-8, a BOM ignored); InputError naming the file otherwise."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path.name}: cannot read the file ({exc.strerror or exc.__class__.__name__})") from None
    if not data.strip():
        raise InputError(f"{path.name}: the file is empty")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"{path.name}: not UTF-8 (bad bytes at {exc.start})") from None


def place(name: str, where: str, ident: object) -> str:
    """"<file>: line 3 (id 7)" for messages."""
    shown = isinstance(ident, (str, int)) and not isinstance(ident, bool)
    return f"{name}: {where}" + (f" (id {ident})" if shown else "")


# --- reading ----------------------------------------------------------------------------------


def read_doccano(path: Path, *, offsets: str = "utf16", mapping: dict | None = None, **options) -> list[NewDocument]:
    """Read a doccano sequence-labeling JSONL export (either shape, see the module docstring).

    ``offsets``: what the file counts ("utf16", doccano 1.x; "codepoints"; "graphemes").
    ``mapping``: {file label: speaker | cue | claim | keep | skip} over SPEAKER/SOURCE ->
    speaker, CUE -> cue, CLAIM/QUOTE/CONTENT -> claim (any case); other labels are kept as
    extra labels. Raises InputError "<file>: line N (id X): ..." for bad JSON, offsets outside
    the text or inside a character, unknown relation ends."""
    path = Path(path)
    check_options("doccano", options, offsets, UNITS, path.name)
    mapper = label_mapper(mapping, path.name)
    docs = []
    for n, line in enumerate(read_utf8(path).split("\n"), 1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(f"{path.name}: line {n}: not valid JSON: {exc.msg} (column {exc.colno})") from None
        except RecursionError:
            raise InputError(f"{path.name}: line {n}: JSON nested too deeply") from None
        where = place(path.name, f"line {n}", data.get("id") if isinstance(data, dict) else None)
        docs.append(_document(data, where, f"{path.name}#{n}", offsets, mapper))
    return docs


def _document(data: object, where: str, origin: str, unit: str, mapper) -> NewDocument:
    if not isinstance(data, dict):
        raise InputError(f"{where}: a line must be a JSON object")
    text = data.get("text")
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
    entities = {e.id: e for e in item.entities}
    lost: dict[str, list[str]] = {}
    for span in item.spans:
        entity = entities.get(span.entity_id)
        text = " ".join(" ".join(item.document.text[a:b] for a, b in span.fragments).split())
        for what, bad in (
            ("attributes", span.attrs != "{}" or any(getattr(span, k) is not None for k in CLAIM_ATTRIBUTES)),
            ("notes", bool(span.note)),
            ("discontinuous extents (written as one entity each)", len(span.fragments) > 1),
            ("entities (mentions are grouped by their text on import)", entity is not None and (
                entity.name != text or entity.type != "person" or entity.aliases or entity.qid or entity.notes)),
        ):
            if bad:
                lost.setdefault(what, []).append(str(span.id))
    report.dropped.extend(f"d{item.document.id}: doccano cannot carry span {what}: spans {', '.join(ids)}"
                          for what, ids in lost.items())


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
    reader=read_doccano, writer=write_doccano, sniff=sniff_doccano,
    carries="texts, titles, status, document polarity, spans of every label (overlaps too), relations and claim links",
    cannot_carry="span attributes and notes, discontinuous extents (one entity per fragment), speaker entities "
                 "(mentions are grouped by text)",
))
