"""CoNLL-2003 style BIO export (writer only): one token per line, blank lines between
sentences, a ``-DOCSTART-`` line opening each document.

Spec: Tjong Kim Sang & De Meulder 2003, "Introduction to the CoNLL-2003 Shared Task", with
the IOB2 scheme (every chunk starts with ``B-``). Documented with examples in
``docs/formats/conll_spacy.md``. Tokens and sentences come from
:func:`annotator.core.token_align.export_tokens` (the tokeniser's tokens cut at every span
edge, so no span is widened or dropped for tokenisation's sake; sentence breaks by
:mod:`annotator.core.sentences`); span offsets are Python code points, half-open
``[start, end)``. Tags are ``B-LABEL`` / ``I-LABEL`` / ``O`` with the label upper-cased
(spaces as ``_``); labels that would share a tag that way ("Org" / "ORG", "Named Entity" /
"Named_Entity") keep their own case, then a number ("Named_Entity_2"), and the report's
notes say which tag stands for which label (:func:`tag_names`).

Options (``--option KEY=VALUE``):

* ``columns=single`` (default): ``token TAG`` separated by one space, every label in one
  column; overlapping spans cannot share it: the first by start (longer first) is kept and
  each one left out is reported.
* ``columns=multi``: tab-separated ``token<TAB>NER<TAB>SPEAKER<TAB>...``: one column per
  label of the schema used in the export (schema order), after one ``NER`` column shared by the
  labels brought in from other tools (the project's extra labels such as PERSON / ORG, and
  any label outside the schema). Overlaps inside one column are resolved as above.
* ``layer=LABEL``: a single column with that label only; the other spans are reported.

A discontinuous span becomes one chunk per fragment (each starting with ``B-``). No sentence
break is put inside a written chunk. What CoNLL cannot hold (attribution links, attributes,
speaker entities, relations, document polarity) is summed up in the report.
"""
from __future__ import annotations

from typing import IO

from annotator.core.errors import InputError
from annotator.core.model import Span
from annotator.core.schema import Schema
from annotator.core.token_align import align_spans, export_segments, keep_first, label_order
from annotator.formats.registry import ExportItem, ExportReport, Format, register

NER_COLUMN = "NER"
_CLAIM_FIELDS = ("speaker_id", "source_id", "cue_id", "form", "polarity", "intensity", "target")


def tag_name(label: str) -> str:
    """The label as written in a tag: upper case, whitespace as ``_``."""
    return "_".join(label.upper().split())


def tag_names(labels) -> tuple[dict[str, str], list[str]]:
    """A distinct tag for each label of ``labels`` (in their order), and one note per group of
    labels that :func:`tag_name` would write as one tag. Such labels keep their own case
    (whitespace as ``_``: "Org" -> ``Org``, "ORG" -> ``ORG``); those still equal get ``_2``,
    ``_3``... in label order ("Named Entity" -> ``Named_Entity``, "Named_Entity" ->
    ``Named_Entity_2``)."""
    groups: dict[str, list[str]] = {}
    for label in dict.fromkeys(labels):
        groups.setdefault(tag_name(label), []).append(label)
    names: dict[str, str] = {}
    notes: list[str] = []
    taken = {tag for tag, group in groups.items() if len(group) == 1}
    for tag, group in groups.items():
        if len(group) == 1:
            names[group[0]] = tag
            continue
        for label in group:
            name, k = "_".join(label.split()), 1
            while name in taken:
                k += 1
                name = f"{'_'.join(label.split())}_{k}"
            taken.add(name)
            names[label] = name
        listing = ", ".join(f"{label!r} as {names[label]}" for label in group)
        notes.append(f"the labels {' and '.join(map(repr, group))} would be the same tag {tag}; they are kept "
                     f"apart: {listing}")
    return names, notes


def plan_columns(items: list[ExportItem], schema: Schema, layer: str | None, columns: str) -> list[tuple[str, list[str]]]:
    """The tag columns as ``(name, labels)`` pairs, in file order. See the module docstring."""
    used = label_order([s.label for item in items for s in item.spans], schema)
    if layer is not None:
        return [(tag_name(layer), [layer])]
    if columns == "single":
        return [("TAG", used)]
    extra = {e.get("name") for e in schema.raw.get("extra_labels", [])}
    own = [name for name in used if name in schema.label_names and name not in extra]
    shared = [name for name in used if name not in own]
    return ([(NER_COLUMN, shared)] if shared or not own else []) + [(tag_name(name), [name]) for name in own]


def _check_options(items: list[ExportItem], schema: Schema, options: dict) -> tuple[str | None, str]:
    unknown = set(options) - {"layer", "columns"}
    if unknown:
        raise InputError(f"the CoNLL export has no option {', '.join(sorted(map(repr, unknown)))} (options: layer, columns)")
    columns = options.get("columns") or "single"
    if columns not in ("single", "multi"):
        raise InputError(f"CoNLL export: columns must be 'single' or 'multi', not {columns!r}")
    layer = options.get("layer") or None
    if layer is not None:
        if columns == "multi":
            raise InputError("CoNLL export: 'layer' writes one column; it cannot go with columns=multi")
        known = label_order(list(schema.label_names) + [s.label for item in items for s in item.spans], schema)
        matches = [name for name in known if name == layer] or [name for name in known if name.casefold() == str(layer).casefold()]
        if not matches:
            raise InputError(f"CoNLL export: no label {layer!r} (labels: {', '.join(known)})")
        layer = matches[0]
    return layer, columns


def write_conll(items: list[ExportItem], stream: IO[str], schema: Schema, **options) -> ExportReport:
    """Write ``items`` as CoNLL-2003 style BIO lines to the text ``stream``.

    Options ``columns`` ("single" / "multi") and ``layer`` (a label name), see the module
    docstring; an unknown option or value raises InputError. Returns the report of what was
    left out or cannot be carried, with a note for labels that had to be told apart."""
    layer, columns = _check_options(items, schema, options)
    plan = plan_columns(items, schema, layer, columns)
    report = ExportReport()
    tags_of, notes = tag_names(name for _, labels in plan for name in labels)
    report.notes.extend(notes)
    if len(plan) > 1:
        column_names, notes = tag_names(name for name, _ in plan)
        plan = [(column_names[name], labels) for name, labels in plan]
    sep = "\t" if columns == "multi" else " "
    written: list[Span] = []
    wanted = {name for _, labels in plan for name in labels}
    head = sep.join(["-DOCSTART-"] + ["O"] * len(plan)) + "\n\n"
    # Each tag is stored with the separator before it (" B-ORG"), made once per label, so a
    # line is the token's text plus its column strings (C-level map over str.__add__).
    begins = {label: f"{sep}B-{tag}" for label, tag in tags_of.items()}
    insides = {label: f"{sep}I-{tag}" for label, tag in tags_of.items()}
    outside = sep + "O"
    add = str.__add__
    counts = {"others": [], "relations": 0, "polar": 0}  # for the summary, gathered in this one pass
    for item in items:
        doc = item.document
        text = doc.text
        spans = [s for s in item.spans if s.label in wanted]
        written.extend(spans)
        if layer is not None:
            counts["others"].extend(s.label for s in item.spans if s.label != layer)
        counts["relations"] += len(item.relations)
        counts["polar"] += doc.polarity is not None
        found = export_segments(text, spans)
        tokens, sentence_ranges = found.tokens, found.sentences
        aligned, notes = align_spans(doc.id, text, tokens, spans, found.simple, found.starts, found.ends)
        report.dropped.extend(notes)
        tags = [[outside] * len(tokens) for _ in plan]
        for column, (name, labels) in zip(tags, plan):
            mine = [t for t in aligned if t.span.label in labels]
            if not mine:
                continue
            where = "dropped from the CoNLL column" if len(plan) == 1 else f"dropped from the CoNLL {name} column"
            kept, notes = keep_first(doc.id, text, mine, schema, where)
            report.dropped.extend(notes)
            for t in kept:
                label = t.span.label
                begin, inside = begins[label], insides[label]
                for first, end in t.ranges:
                    column[first] = begin
                    if end - first > 1:
                        column[first + 1:end] = [inside] * (end - first - 1)
        stream.write(_document_lines(text, found.starts, found.ends, sentence_ranges, tags, head, add))
    report.dropped.extend(_summary(counts, written, layer))
    return report


def _document_lines(text: str, starts: list[int], ends: list[int], sentence_ranges: list[tuple[int, int]],
                    tags: list[list[str]], head: str, add) -> str:
    """One document's lines: ``head`` (the ``-DOCSTART-`` line and a blank line), then each
    sentence's token lines (``text[start:end]`` followed by each column's separator-prefixed
    tag) and a blank line. A sentence whose first token continues a chunk (an ``I-`` tag in
    some column) is joined to the one before it: no break inside a written chunk."""
    rows = list(map(text.__getitem__, map(slice, starts, ends)))
    for column in tags:
        rows = list(map(add, rows, column))
    if not rows or not sentence_ranges:
        return head
    if (sentence_ranges[0][0] != 0 or sentence_ranges[-1][1] != len(rows) or any(first >= end for first, end in sentence_ranges)
            or any(end != first for (_, end), (first, _) in zip(sentence_ranges, sentence_ranges[1:]))):
        # sentences that do not tile the tokens (never made by export_segments): line by line
        out = [head]
        for first, end in sentence_ranges:
            if first and any(column[first][1] == "I" for column in tags):
                out[-1] = out[-1][:-1]
            out.append("\n".join(rows[first:end]) + "\n\n")
        return "".join(out)
    for first, end in sentence_ranges[1:]:  # a blank line after the sentence before, unless a chunk runs on
        if not any(column[first][1] == "I" for column in tags):
            rows[first - 1] += "\n"
    return head + "\n".join(rows) + "\n\n"


def _summary(counts: dict, written: list[Span], layer: str | None) -> list[str]:
    """One line per kind of information CoNLL cannot hold, with counts (none if absent).
    ``counts``: the labels of spans outside ``layer`` (``others``), the number of
    ``relations`` and of documents with a polarity (``polar``), gathered while writing, so
    that the documents are not read again."""
    lines = []
    if layer is not None:
        others = counts["others"]
        if others:
            labels = ", ".join(sorted(set(others)))
            lines.append(f"only the {layer} layer is written: {len(others)} spans of other labels ({labels}) are not carried")
    claims = sum(1 for s in written if s.speaker_id is not None or s.source_id is not None or s.cue_id is not None
                 or s.form is not None or s.polarity is not None or s.intensity is not None or s.target is not None)
    if claims:
        lines.append(f"attribution links and attributes are not carried: {claims} claims")
    mentions = [s.entity_id for s in written if s.entity_id is not None]
    if mentions:
        lines.append(f"speaker entities are not carried: {len(mentions)} mentions of {len(set(mentions))} speakers")
    extra = sum(1 for s in written if s.attrs not in ("", "{}") or s.note)
    if extra:
        lines.append(f"span attributes and notes are not carried: {extra} spans")
    relations = counts["relations"]
    if relations:
        lines.append(f"relations are not carried: {relations} relations")
    split = sum(1 for s in written if len(s.fragments) > 1)
    if split:
        lines.append(f"discontinuous spans are written as one chunk per fragment: {split} spans")
    polar = counts["polar"]
    if polar:
        lines.append(f"document polarity is not carried: {polar} documents")
    return lines


register(Format(
    name="conll", description="CoNLL-2003 style BIO tags, one token per line (training data)",
    extensions=(".conll",), writer=write_conll,
    carries="tokens and span labels as BIO tags (options: columns=single|multi, layer=LABEL)",
    cannot_carry="exact whitespace, titles, overlapping spans in one column, attribution links, "
                 "attributes, speaker entities, relations, document status and polarity (export only)",
))
