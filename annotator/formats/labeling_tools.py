"""What the doccano and Label Studio formats share: offset units (UTF-16, code points,
graphemes), the mapping of a tool's labels to our layers, attribution relations, document
fields and file reading. See docs/formats/doccano_label_studio.md."""
from __future__ import annotations

import json
import re
from bisect import bisect_left, bisect_right
from functools import lru_cache

from annotator.core.errors import InputError
from annotator.core.model import (
    CLAIM,
    CUE,
    SPEAKER,
    NewDocument,
    NewEntity,
    NewRelation,
    NewSpan,
)
from annotator.core.offsets import Utf16Map, grapheme_boundaries, utf16_length
from annotator.core.schema import load_schema
from annotator.formats.registry import ExportItem, ExportReport

UNITS = ("utf16", "codepoints", "graphemes")
OFFSET_WORDS = {"utf16": "UTF-16 code units", "codepoints": "Python code points", "graphemes": "grapheme clusters"}
LAYERS = (SPEAKER, CUE, CLAIM)
# file label (any case) -> layer, as brat's defaults: PARC 3.0 names and the QUOTE of quote corpora
DEFAULT_MAPPING = {"speaker": SPEAKER, "source": SPEAKER, "cue": CUE, "claim": CLAIM, "quote": CLAIM, "content": CLAIM}
MAPPING_VALUES = (SPEAKER, CUE, CLAIM, "keep", "skip")
ATTRIBUTION_TYPES = frozenset({"said_by", "speaker", "source"})  # claim <-> speaker mention: the claim's source
CUE_TYPES = frozenset({"cue"})  # claim <-> cue: the claim's cue
DOC_FIELDS = ("title", "source", "status", "polarity")
_LINE_BREAKS = re.compile("[\x85\u2028\u2029]")



@lru_cache(maxsize=1)
def default_schema():
    """The default (news) schema readers map to; read from disk once."""
    return load_schema()


class Units:
    """Offsets of one text counted in ``unit`` ("codepoints", "utf16", "graphemes") <-> code points."""

    def __init__(self, text: str, unit: str):
        self.unit = unit
        self._cp_of: list[int] | None = None  # grapheme index -> code point (graphemes only)
        self._u16: Utf16Map | None = None  # UTF-16 <-> code points, from annotator.core.offsets
        self.length = len(text)
        if unit == "utf16" and utf16_length(text) != len(text):
            self._u16 = Utf16Map(text)
            self.length = self._u16.length
        elif unit == "graphemes":
            self._cp_of = grapheme_boundaries(text)
            self.length = len(self._cp_of) - 1

    def to_cp(self, offset: object, what: str) -> int:
        """The code point at ``offset``; InputError (starting with ``what``) when it is outside
        the text or between the two UTF-16 units of one character."""
        if not (type(offset) is int and 0 <= offset <= self.length):
            raise InputError(f"{what}: offset {offset!r} is outside the text (length {self.length} in {self.unit})")
        if self._u16 is not None:
            cp = self._u16.to_cp(offset)
        else:
            cp = offset if self._cp_of is None else self._cp_of[offset]
        if cp is None:
            raise InputError(f"{what}: offset {offset} falls between the two UTF-16 units of one character; "
                             "the offsets are not UTF-16 (try the option offsets=\"codepoints\")")
        return cp

    def from_cp(self, cp: int, end: bool = False) -> tuple[int, bool]:
        """``cp`` in this unit, and whether it is exact (grapheme units widen a span)."""
        if self._u16 is not None:
            return self._u16.to_utf16(cp), True
        if self._cp_of is None:
            return cp, True
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


def place(name: str, where: str, ident: object) -> str:
    """"<file>: line 3 (id 7)" for messages."""
    shown = isinstance(ident, (str, int)) and not isinstance(ident, bool)
    return f"{name}: {where}" + (f" (id {ident})" if shown else "")
