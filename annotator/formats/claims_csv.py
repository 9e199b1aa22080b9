"""Export the claims as a CSV table for spreadsheets and statistics (format "claims-csv").

One row per claim span, documents in export order and claims in text order, with the
columns of :data:`COLUMNS`:

=================  ===========================================================================
document_id        the project's document id
document_title     the document's title
speaker            the name of the claim's speaker entity ("" if none)
speaker_type       that entity's type (person / organization / other)
source_text        the text of the claim's source mention (PARC 3.0 source), "" if none
cue_text           the text of the claim's cue (PARC 3.0 cue), "" if none
claim_text         the claim's text (PARC 3.0 content); fragments joined with " … "
form               direct / indirect / mixed
polarity           MPQA polarity: positive / negative / neutral / mixed
intensity          MPQA intensity: low / medium / high
target             MPQA target, free text
start, end         code-point offsets (Python str indices) of the claim in the document
                   text, half-open [start, end): start of the first, end of the last fragment
fragments          JSON list of [start, end] pairs, same convention, e.g. [[10, 42], [57, 80]]
claim_id           the project's span id of the claim
=================  ===========================================================================

Encoding and layout (RFC 4180 as written by Python's :mod:`csv`): UTF-8 with a byte-order
mark, so that Excel recognises UTF-8 when the file is opened by double-click (option
``bom=false`` leaves it out); rows end with CRLF, the RFC 4180 line break and the csv
module's default; cells holding the delimiter, a quote or a line break are quoted, quotes
doubled; line breaks inside a cell are "\\n", as in the document text. The delimiter is a
comma (option ``delimiter``: ``,`` ``;`` or ``tab``). Text cells that start with ``=``,
``+``, ``-``, ``@``, a tab or a carriage return get a leading apostrophe so a spreadsheet does
not run them as formulas (CSV injection); option ``excel_safe=false`` writes them raw. The
offsets columns always refer to the unaltered document text.

Not carried (each listed in the ExportReport): the document texts and their status and
polarity, speaker mentions and cues that no claim links to, spans of other labels, generic
relations, extra span attributes and notes, entity aliases, Wikidata ids and notes.
"""
from __future__ import annotations

import csv
import io
import json
from collections import Counter
from typing import IO

from annotator.core.errors import InputError
from annotator.core.model import CLAIM, CUE, SPEAKER
from annotator.core.schema import Schema
from annotator.formats.registry import ExportItem, ExportReport, Format, register

__all__ = ["COLUMNS", "write_claims_csv"]

COLUMNS = (
    "document_id", "document_title", "speaker", "speaker_type", "source_text", "cue_text",
    "claim_text", "form", "polarity", "intensity", "target", "start", "end", "fragments", "claim_id",
)
_TEXT_COLUMNS = frozenset({"document_title", "speaker", "speaker_type", "source_text", "cue_text", "claim_text", "target"})
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_DELIMITERS = {",": ",", ";": ";", "tab": "\t", "\t": "\t"}
_JOINER = " … "


def write_claims_csv(items: list[ExportItem], stream: IO[bytes], schema: Schema, **options) -> ExportReport:
    """Write one CSV row per claim of ``items`` to the binary ``stream`` (format "claims-csv";
    columns, encoding and offsets - code points, half-open - as in the module docstring).

    Options (values may be strings, as given on the command line): ``bom`` (default true),
    ``excel_safe`` (default true), ``delimiter`` (``,`` ``;`` or ``tab``; default ``,``).
    Raises InputError for an unknown option or value. Returns a report listing what the
    table does not carry.
    """
    bom = _flag(options.pop("bom", True), "bom")
    excel_safe = _flag(options.pop("excel_safe", True), "excel_safe")
    delimiter_name = str(options.pop("delimiter", ","))
    if delimiter_name not in _DELIMITERS:
        raise InputError(f"claims-csv: delimiter {delimiter_name!r} is not one of , ; tab")
    if options:
        raise InputError(f"claims-csv: unknown option {', '.join(map(repr, sorted(options)))} (known: bom, excel_safe, delimiter)")

    if isinstance(stream, io.TextIOBase):  # tolerated: a text stream opened with newline=""
        text_stream, wrapper = stream, None
        if bom:
            text_stream.write("\ufeff")
    else:
        wrapper = io.TextIOWrapper(stream, encoding="utf-8-sig" if bom else "utf-8", newline="")
        text_stream = wrapper
    writer = csv.writer(text_stream, delimiter=_DELIMITERS[delimiter_name], lineterminator="\r\n")
    report = ExportReport()
    guarded = 0
    try:
        writer.writerow(COLUMNS)
        for item in items:
            for row in _claim_rows(item):
                if excel_safe:
                    for column in _TEXT_COLUMNS:
                        if row[column].startswith(_FORMULA_STARTS):
                            row[column] = "'" + row[column]
                            guarded += 1
                writer.writerow([row[c] for c in COLUMNS])
    finally:
        if wrapper is not None:
            wrapper.flush()
            wrapper.detach()  # the caller owns and closes the binary stream
    report.dropped.extend(_dropped(items))
    if guarded:
        report.dropped.append(
            f"{guarded} cell{'s' if guarded != 1 else ''} starting with =, +, -, @, tab or carriage return"
            " got a leading ' so spreadsheets do not read them as formulas (option excel_safe=false writes them unchanged)"
        )
    return report


def _claim_rows(item: ExportItem) -> list[dict]:
    """The rows of one document's claims, in span order."""
    doc = item.document
    entities = {e.id: e for e in item.entities}
    spans = {s.id: s for s in item.spans}
    rows = []
    for claim in (s for s in item.spans if s.label == CLAIM):
        speaker = entities.get(claim.speaker_id) if claim.speaker_id is not None else None
        source = spans.get(claim.source_id) if claim.source_id is not None else None
        cue = spans.get(claim.cue_id) if claim.cue_id is not None else None
        rows.append({
            "document_id": doc.id,
            "document_title": doc.title,
            "speaker": speaker.name if speaker else "",
            "speaker_type": speaker.type if speaker else "",
            "source_text": source.text(doc.text, _JOINER) if source else "",
            "cue_text": cue.text(doc.text, _JOINER) if cue else "",
            "claim_text": claim.text(doc.text, _JOINER),
            "form": claim.form or "",
            "polarity": claim.polarity or "",
            "intensity": claim.intensity or "",
            "target": claim.target or "",
            "start": claim.start,
            "end": claim.end,
            "fragments": json.dumps([list(f) for f in claim.fragments]),
            "claim_id": claim.id,
        })
    return rows


def _uncarried(item: ExportItem) -> Counter:
    """What of this document the table does not carry, counted by kind."""
    claims = [s for s in item.spans if s.label == CLAIM]
    linked_sources = {c.source_id for c in claims}
    linked_cues = {c.cue_id for c in claims}
    counts: Counter = Counter()
    for span in item.spans:
        if span.label == SPEAKER and span.id not in linked_sources:
            counts["speaker mentions not linked to a claim"] += 1
        elif span.label == CUE and span.id not in linked_cues:
            counts["cues not linked to a claim"] += 1
        elif span.label not in (SPEAKER, CUE, CLAIM):
            counts[f"{span.label!r} spans"] += 1
        if getattr(span, "attrs", "{}") not in ("{}", "", None):
            counts["spans with extra attributes"] += 1
        if getattr(span, "note", None):
            counts["span notes"] += 1
    counts["relations"] += len(getattr(item, "relations", ()) or ())
    return +counts  # drops zero counts


def _dropped(items: list[ExportItem]) -> list[str]:
    """The report's lines: one per kind of thing not carried, with counts and examples."""
    lines = []
    if items:
        lines.append(f"document texts, status and polarity are not carried ({_n(len(items), 'document')})")
    without = [item.document for item in items if not any(s.label == CLAIM for s in item.spans)]
    if without:
        lines.append(f"{_n(len(without), 'document')} without claims, so without rows: {_examples([f'{d.id} {d.title!r}' for d in without])}")
    totals: Counter = Counter()
    where: dict[str, list[str]] = {}
    for item in items:
        for kind, n in _uncarried(item).items():
            totals[kind] += n
            where.setdefault(kind, []).append(f"document {item.document.id}: {n}")
    for kind, n in totals.items():
        lines.append(f"{kind}, not carried: {n} ({_examples(where[kind])})")
    entities = {e.id: e for item in items for e in item.entities}
    rich = [e for e in entities.values() if e.aliases or e.qid or e.notes]
    if rich:
        lines.append(f"aliases, Wikidata ids and notes of {_n(len(rich), 'entity', 'entities')} are not carried")
    return lines


def _n(count: int, one: str, many: str = "") -> str:
    return f"{count} {one if count == 1 else many or one + 's'}"


def _examples(things: list[str], most: int = 10) -> str:
    shown = ", ".join(things[:most])
    return shown if len(things) <= most else f"{shown} and {len(things) - most} more"


def _flag(value: object, name: str) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("1", "true", "yes", "on"):
        return True
    if text in ("0", "false", "no", "off"):
        return False
    raise InputError(f"claims-csv: option {name} must be true or false, not {value!r}")


register(
    Format(
        name="claims-csv",
        description="Claims as a CSV table (one row per claim; UTF-8 with BOM for Excel)",
        extensions=(".csv",),
        writer=write_claims_csv,
        binary=True,
        carries="each claim with its speaker, source mention, cue, attributes and code-point offsets",
        cannot_carry=(
            "document texts, status and polarity; speaker mentions and cues not linked to a claim;"
            " other labels, relations, extra attributes; entity aliases and ids (export only)"
        ),
    )
)
