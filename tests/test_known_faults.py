"""The index of the known-fault cases B01-B18 -> tests (one test or group per case).

The cases, with their exact expected values, are read from a copy of the case file,
``tests/data/cases/known_faults.json`` (copied from the shared ``cases/known_faults.json``;
described in its ``known-faults.md``). Every test runs the case's input through the real code
paths of its "feature" and compares with the values of the case file. Labels outside the news
schema: SPEAKER -> speaker, QUOTE -> claim, CLAIM -> claim; every other label (PERSON, ORG,
LOC, TOPIC, ...) is imported as an extra label (``NewDocument.labels``). Offsets are Python
code points, half-open ``[start, end)``.

=====  ===============================================  ==============================================================
case   kind                                             where it is tested (this file; + elsewhere)
=====  ===============================================  ==============================================================
B01    emoji: UTF-16 units stored instead of code       store + native JSON export/re-import, OffsetMap (utf16),
       points                                           relation; UI: tests/ui/test_text_view.py::test_b01_*
B02    ZWJ emoji / combining accent: 3 counts, NFC      OffsetMap (utf16), grapheme_boundaries, snap_to_graphemes
                                                        (forbidden boundaries), read_article + store keep the text
                                                        unnormalised, NFC text remapped; UI: test_text_view.py::
                                                        test_b02_selection_never_splits_a_grapheme
B03    RTL / mixed bidi: visual vs logical offsets      store + JSON (logical offsets), OffsetMap.range_from_qt of a
                                                        backwards drag, snap_to_words; mouse part: tests/ui/
                                                        test_text_view.py::test_b03_rtl_selection_is_logical,
                                                        test_b03_rtl_mouse_drag; test_offsets_qt.py::
                                                        test_rtl_word_under_cursor
B04    CJK: whitespace tokenizer, one CoNLL token       CoNLL writer (exact 18 lines), spaCy writer (ents)
B05    CRLF / mixed line endings: offset drift          read_article (LF text), decode_text (no change), store + JSON/
                                                        JSONL/CoNLL exports, OffsetMap on the raw text (Qt positions)
B06    UTF-8 BOM kept as U+FEFF                         read_article of the raw bytes, store + JSON/CoNLL(/brat) export,
                                                        native JSONL file with a BOM
B07    NBSP / ZWSP: tokenizer, zero-size tokens         read_article keeps them, whitespace_split, tokenize, CoNLL tags,
                                                        JSON span texts, spaCy doc.text
B08    runs of spaces / TAB collapsed in span text      JSON (and Label Studio) span text, OffsetMap (TAB = 1);
                                                        UI: tests/ui/test_offsets_qt.py (B08-tab-spaces)
B09    overlapping spans dropped by token exports       CoNLL multi-column (exact lines), single column reports the
                                                        2 conflicts, JSON keeps 4, spaCy doc.spans / doc.ents
B10    span edge inside a token / leading space         tokenize offsets, CoNLL BIO (token cut at the edge,
                                                        issue 8), leading-space variant trimmed, spaCy (cut too)
B11    zero-length span: malformed standoff line        store refuses with a message (add_span, import), CoNLL report,
                                                        brat import/export (never the offset-less line)
B12    span ending at end of text                       store (end == len ok, len+1 refused naming the span), native
                                                        reader, JSON export end, CoNLL last token; document text
                                                        cannot be edited (no after-edit case)
B13    declared encoding ignored (cp1252 / UTF-8)       decode_text / read_article of the case's cp1252 and UTF-8
                                                        bytes, store + JSON surfaces
B14    batch import silently loses data                 import_paths of a.jsonl + b.jsonl (doccano reader), empty /
                                                        PNG / oversized files, a large JSONL file imported whole;
                                                        --skip-bad imports the good lines: 4 documents, 1 reported
B15    SQLite "database is locked": edit lost silently  two Store.open connections on one file, BEGIN IMMEDIATE, busy
                                                        error, nothing half-applied, retry -> rows_after_retry
B16    delete relation endpoint: dangling relation,     store.delete_span cascade, undo/redo (store.apply), native
       undo                                             JSON relations, brat lines before/after/undo
B17    export -> import not identity, duplicates        native JSON and JSONL: export, import into an empty project,
                                                        export again (identical), re-import skipped; CoNLL/spaCy
                                                        report the overlap; also tests/test_gold_roundtrip.py
B18    thousands of highlights (performance)            correctness only: 2000 repetitions imported, 4000 spans, last
                                                        spans exact in store, SpanIndex and JSON round trip (no time
                                                        asserted); UI: tests/ui/test_text_view.py::
                                                        test_apply_span_changes_touches_only_affected_blocks,
                                                        benchmarks/bench_view.py
=====  ===============================================  ==============================================================
"""
from __future__ import annotations

import io
import json
import re
import sqlite3
import unicodedata
from contextlib import closing
from pathlib import Path

import pytest

from annotator.core import textfile
from annotator.core.errors import AnnotatorError, InputError
from annotator.core.model import Document, NewDocument, NewRelation, NewSpan, Span
from annotator.core.offsets import (
    OffsetMap,
    grapheme_boundaries,
    is_grapheme_boundary,
    snap_to_graphemes,
    snap_to_words,
)
from annotator.core.span_index import SpanIndex
from annotator.core.store import Store
from annotator.core.textfile import decode_text, read_article
from annotator.core.tokenize import tokenize, whitespace_split
from annotator.formats.registry import ExportItem, export_items, formats, get_format
from annotator.services.importing import import_paths

CASE_FILE = Path(__file__).parent / "data" / "cases" / "known_faults.json"
CASES = {case["id"]: case for case in json.loads(CASE_FILE.read_text(encoding="utf-8"))}
LAYERS = {"SPEAKER": "speaker", "QUOTE": "claim", "CLAIM": "claim"}  # the rest: extra labels


# --- helpers ------------------------------------------------------------------------------------


def layer(label: str) -> str:
    return LAYERS.get(label, label)


def stored_spans(spans) -> list[tuple[int, int, str]]:
    """A case's ``[start, end, LABEL]`` list as stored: tuples, labels mapped."""
    return [(a, b, layer(label)) for a, b, label in spans]


def new_doc(text: str, spans, relations=(), title: str = "case", keep_labels: bool = False) -> NewDocument:
    """A NewDocument with the case's spans (keys T1, T2, ... in case order) and relations given
    as ``(type, from index, to index)``; labels mapped unless ``keep_labels``."""
    names = [label if keep_labels else layer(label) for _, _, label in spans]
    return NewDocument(
        title=title, text=text, origin="known_faults.json",
        spans=[NewSpan(f"T{k}", name, ((a, b),)) for k, ((a, b, _), name) in enumerate(zip(spans, names), 1)],
        relations=[NewRelation(f"R{k}", rtype, f"T{i + 1}", f"T{j + 1}") for k, (rtype, i, j) in enumerate(relations, 1)],
        labels=list(dict.fromkeys(n for n in names if n not in ("speaker", "cue", "claim"))))


def store_with(*docs: NewDocument) -> Store:
    store = Store.memory()
    report, _ = store.import_documents(list(docs))
    assert len(report.added) == len(docs), report.skipped
    return store


def spans_of(store: Store, doc_id: int = 1) -> list[tuple[int, int, str]]:
    return [(s.start, s.end, s.label) for s in store.spans(doc_id)]


def by_start(spans) -> list:
    return sorted(spans, key=lambda s: (s[0], s[1]))


def write(store: Store, name: str, **options) -> tuple[str | bytes, list[str]]:
    """Export every document of ``store`` with the registered format ``name`` (stream writer)."""
    fmt = get_format(name)
    stream = io.BytesIO() if fmt.binary else io.StringIO()
    report = fmt.writer(export_items(store), stream, store.schema, **options)
    return stream.getvalue(), report.dropped


def native(store: Store) -> dict:
    return json.loads(write(store, "json")[0])


def reimport(tmp_path: Path, content: str, fmt: str = "json") -> Store:
    """Write ``content`` to a file and import it into a new project with the real import path."""
    path = tmp_path / f"export.{fmt}"
    path.write_text(content, encoding="utf-8")
    store = Store.memory()
    import_paths(store, [path], fmt=fmt)
    return store


def conll_lines(store_or_items, schema=None, **options) -> tuple[list[str], list[str]]:
    """The token lines of a CoNLL export (no -DOCSTART-, no blank lines) and its report."""
    if isinstance(store_or_items, Store):
        items, schema = export_items(store_or_items), store_or_items.schema
    else:
        items = store_or_items
    out = io.StringIO()
    report = get_format("conll").writer(items, out, schema, **options)
    return [line for line in out.getvalue().split("\n") if line and not line.startswith("-DOCSTART-")], report.dropped


def spacy_docs(store: Store, tmp_path: Path):
    """Export with the registered spaCy writer and read the DocBin back with spaCy (skipped
    without spaCy: it is an optional extra)."""
    spacy = pytest.importorskip("spacy")
    data, dropped = write(store, "spacy")
    path = tmp_path / "out.spacy"
    path.write_bytes(data)
    return list(spacy.tokens.DocBin().from_disk(path).get_docs(spacy.blank("xx").vocab)), dropped


def brat():
    """The brat format, or skip (it is being finished by another helper)."""
    if "brat" not in {f.name for f in formats()}:
        pytest.skip("brat format not registered yet (annotator/formats/brat.py in progress)")
    return get_format("brat")


def brat_ann_lines(store: Store, folder: Path, doc_id: int = 1) -> list[str]:
    brat().folder_writer(export_items(store), folder, store.schema)
    return (folder / f"{doc_id}.ann").read_text(encoding="utf-8").splitlines()


def dangling(doc: dict) -> list[dict]:
    """Relations of an exported native document whose ends are not spans of it."""
    ids = {s["id"] for s in doc["spans"]}
    return [r for r in doc["relations"] if r.get("from") not in ids or r.get("to") not in ids]


# --- B01 ----------------------------------------------------------------------------------------


def test_b01_emoji_offsets_are_code_points_in_store_json_and_qt_map(tmp_path):
    case = CASES["B01"]
    text, exp = case["input_text"], case["expected"]
    rel = exp["relation_by_span_index"]
    store = store_with(new_doc(text, case["spans"], [(rel["type"], rel["from"], rel["to"])]))
    assert spans_of(store) == by_start(stored_spans(case["spans"]))

    content, dropped = write(store, "json")
    assert dropped == [] and "\\ud83d" not in content.lower()  # no escaped surrogate halves
    doc = json.loads(content)["documents"][0]
    by_range = {(s["start"], s["end"]): s for s in doc["spans"]}
    assert [(a, b, by_range[(a, b)]["text"]) for a, b, _ in case["spans"]] == [
        (a, b, surface) for (a, b, _), surface in zip(case["spans"], exp["surfaces"])]
    quote = by_range[tuple(case["spans"][1][:2])]["text"]
    assert quote == text[21:49] and quote.count("\U0001f4c9") == 1
    assert not any(0xD800 <= ord(c) <= 0xDFFF for c in quote)
    ends = [by_range[tuple(case["spans"][i][:2])]["id"] for i in (rel["from"], rel["to"])]
    assert [(r["type"], r["from"], r["to"]) for r in doc["relations"]] == [(rel["type"], *ends)]
    utf8 = doc["text"].encode("utf-8")
    assert [utf8[a:b].decode("utf-8") for a, b in exp["utf8_byte_offsets"]] == exp["surfaces"]

    # what QTextCursor gives (UTF-16) is converted, never stored
    qt = OffsetMap(text)
    assert [list(qt.range_to_qt(a, b)) for a, b, _ in case["spans"]] == exp["utf16_offsets"]
    assert [list(qt.range_from_qt(a, b)) for a, b in exp["utf16_offsets"]] == [[a, b] for a, b, _ in case["spans"]]

    again = reimport(tmp_path, content)
    assert spans_of(again) == spans_of(store) and again.document(1).text == text


# --- B02 ----------------------------------------------------------------------------------------


def test_b02_utf16_and_grapheme_counts_and_no_split_grapheme():
    case = CASES["B02"]
    text, exp = case["input_text"], case["expected"]
    qt = OffsetMap(text)
    assert [list(qt.range_to_qt(a, b)) for a, b, _ in case["spans"]] == exp["utf16_offsets"]
    bounds = grapheme_boundaries(text)
    assert [[bounds.index(a), bounds.index(b)] for a, b, _ in case["spans"]] == exp["grapheme_offsets"]
    for b in exp["forbidden_boundaries"]:
        assert not is_grapheme_boundary(text, b), b
        for start, end in (snap_to_graphemes(text, b, len(text)), snap_to_graphemes(text, 0, b)):
            assert start in bounds and end in bounds and start not in exp["forbidden_boundaries"]
            assert end not in exp["forbidden_boundaries"] and start < b < end


def test_b02_text_is_not_normalised_on_import_and_nfc_offsets_are_remapped(tmp_path):
    case = CASES["B02"]
    text, exp = case["input_text"], case["expected"]
    path = tmp_path / "b02.txt"
    path.write_bytes(text.encode("utf-8"))
    article = read_article(path)
    assert article.text == text and len(article.text) == 39 and article.text != exp["nfc_text"]
    store = store_with(new_doc(article.text, case["spans"]))
    doc = native(store)["documents"][0]
    assert doc["text"] == text
    assert [(s["start"], s["end"], s["text"]) for s in doc["spans"]] == [
        (a, b, surface) for (a, b, _), surface in zip(case["spans"], exp["surfaces"])]
    # a text that arrives NFC-normalised carries the remapped offsets
    nfc = store_with(new_doc(exp["nfc_text"], exp["nfc_spans"]))
    assert unicodedata.normalize("NFC", text) == exp["nfc_text"]
    assert [nfc.document(1).text[a:b] for a, b, _ in spans_of(nfc)] == exp["nfc_surfaces"]
    assert spans_of(nfc) == stored_spans(exp["nfc_spans"])


# --- B03 ----------------------------------------------------------------------------------------


def test_b03_rtl_offsets_are_logical():
    # The mouse part (a drag over the Hebrew word stores [0,7)) is in tests/ui/test_text_view.py
    # (test_b03_rtl_selection_is_logical, test_b03_rtl_mouse_drag); here the core underneath it.
    case = CASES["B03"]
    text, exp = case["input_text"], case["expected"]
    assert [[unicodedata.bidirectional(text[a]), unicodedata.bidirectional(text[b - 1])]
            for a, b, _ in case["spans"]] == exp["bidi_classes_at_span_edges"]
    store = store_with(new_doc(text, case["spans"]))
    assert spans_of(store) == stored_spans(case["spans"])
    doc = native(store)["documents"][0]
    assert [s["text"] for s in doc["spans"]] == exp["surfaces"]
    claim = doc["spans"][2]
    assert (claim["start"], claim["end"], claim["text"]) == (25, 40, text[25:40])
    wrong = tuple(exp["wrong_last_char_only_span"][:2])
    qt = OffsetMap(text)
    # a right-to-left drag gives anchor > position: the logical range, whole
    assert qt.range_from_qt(*reversed(qt.range_to_qt(0, 7))) == (0, 7) != wrong
    # a selection from inside the first to inside the second word snaps to both words
    assert snap_to_words(text, 1, 6) == (0, 7)
    assert snap_to_words(text, *wrong) != wrong  # never the last letter alone


# --- B04 ----------------------------------------------------------------------------------------


def test_b04_cjk_conll_one_line_per_character(tmp_path):
    case = CASES["B04"]
    text, exp = case["input_text"], case["expected"]
    assert [[len(text[:a].encode()), len(text[:b].encode())] for a, b, _ in case["spans"]] == exp["utf8_byte_offsets"]
    store = store_with(new_doc(text, case["spans"]))
    lines, _ = conll_lines(store)
    assert lines == exp["conll_char_level"]
    assert all(len(line.split(" ")[0]) == 1 for line in lines)  # never the 18-character token


def test_b04_cjk_spacy_entities(tmp_path):
    case = CASES["B04"]
    store = store_with(new_doc(case["input_text"], case["spans"]))
    (doc,), _ = spacy_docs(store, tmp_path)
    assert [(e.start_char, e.end_char, e.text) for e in doc.ents] == [
        (a, b, surface) for (a, b, _), surface in zip(case["spans"], case["expected"]["surfaces"])]


# --- B05 ----------------------------------------------------------------------------------------


def test_b05_crlf_normalised_once_and_every_export_agrees(tmp_path):
    case = CASES["B05"]
    raw, exp = case["input_text"], case["expected"]
    path = tmp_path / "b05.txt"
    path.write_bytes(raw.encode("utf-8"))
    assert decode_text(raw.encode("utf-8"), "b05.txt") == raw  # decoding alone changes nothing
    article = read_article(path)
    assert article.text == exp["lf_text"] and "\r" not in article.text
    # the raw offsets shift by the CRLFs before them (1, 2, 2), to the LF offsets
    assert [raw[:a].count("\r\n") for a, _, _ in case["spans"]] == exp["crlf_count_before_each_span"]
    assert [[a - n, b - n, label] for (a, b, label), n in zip(case["spans"], exp["crlf_count_before_each_span"])] == exp["lf_spans"]
    # the editor shows the raw text with one position per CRLF: Qt positions are the LF offsets
    qt = OffsetMap(raw)
    assert [[*qt.range_to_qt(a, b), label] for a, b, label in case["spans"]] == exp["lf_spans"]

    store = store_with(new_doc(article.text, exp["lf_spans"], title=article.title))
    assert spans_of(store) == stored_spans(exp["lf_spans"])
    for name in ("json", "jsonl"):
        content, _ = write(store, name)
        doc = json.loads(content) if name == "jsonl" else json.loads(content)["documents"][0]
        assert doc["text"] == exp["lf_text"]
        assert [(s["start"], s["end"], s["text"]) for s in doc["spans"]] == [
            (a, b, surface) for (a, b, _), surface in zip(exp["lf_spans"], exp["surfaces"])]
        assert [doc["text"][s["start"]:s["end"]] for s in doc["spans"]] == exp["surfaces"]
    lines, _ = conll_lines(store, columns="multi")
    tagged = [line.split("\t")[0] for line in lines if "\tB-" in line or "\tI-" in line]
    assert tagged == " ".join(exp["surfaces"]).replace(".", " .").split()


# --- B06 ----------------------------------------------------------------------------------------


def test_b06_bom_is_dropped_on_text_import_and_never_exported(tmp_path):
    case = CASES["B06"]
    text, exp = case["input_text"], case["expected"]
    raw = bytes.fromhex(exp["raw_file_hex"])
    assert raw.startswith(b"\xef\xbb\xbf") and len(raw.decode("utf-8")) == exp["bom_kept_text_len"]
    path = tmp_path / "b06.txt"
    path.write_bytes(raw)
    article = read_article(path)
    assert article.text == text and article.text[0] == "S" and len(article.text) == exp["bom_kept_text_len"] - 1
    assert article.title == text
    (a, b, _), = case["spans"]
    assert [[a + 1, b + 1, "SPEAKER"]] == exp["bom_kept_spans"]  # what a kept BOM would make of it

    store = store_with(new_doc(article.text, case["spans"]))
    doc = native(store)["documents"][0]
    assert not doc["text"].startswith("\ufeff") and doc["spans"][0]["text"] == exp["surfaces"][0]
    lines, _ = conll_lines(store)
    assert lines[0] == "Senator B-SPEAKER"


def test_b06_native_jsonl_file_with_a_bom_parses_its_first_line(tmp_path):
    case = CASES["B06"]
    store = store_with(new_doc(case["input_text"], case["spans"]))
    line, _ = write(store, "jsonl")
    path = tmp_path / "bom.jsonl"
    path.write_bytes(b"\xef\xbb\xbf" + line.encode("utf-8"))
    again = Store.memory()
    import_paths(again, [path], fmt="jsonl")
    assert again.document(1).text == case["input_text"] and spans_of(again) == stored_spans(case["spans"])


def test_b06_brat_text_file_has_no_bom(tmp_path):
    case = CASES["B06"]
    store = store_with(new_doc(case["input_text"], case["spans"]))
    lines = brat_ann_lines(store, tmp_path / "out")
    assert (tmp_path / "out" / "1.txt").read_bytes() == bytes.fromhex(case["expected"]["raw_file_hex"])[3:]
    assert lines[0] == "T1\tspeaker 0 11\tSenator Kim"


# --- B07 ----------------------------------------------------------------------------------------


def test_b07_nbsp_and_zwsp_are_kept_and_tokenised_without_empty_tokens(tmp_path):
    case = CASES["B07"]
    text, exp = case["input_text"], case["expected"]
    path = tmp_path / "b07.txt"
    path.write_bytes(text.encode("utf-8"))
    stored = read_article(path).text
    assert stored == text
    assert [i for i, c in enumerate(stored) if c == "\u00a0"] == exp["nbsp_positions"]
    assert [i for i, c in enumerate(stored) if c == "\u200b"] == exp["zwsp_positions"]
    assert [stored[a:b] for a, b in whitespace_split(stored)] == exp["whitespace_tokens"]
    tokens = tokenize(stored)
    assert all(a < b for a, b in tokens)
    assert not any(stored[p] in stored[a:b] for a, b in tokens for p in exp["nbsp_positions"])
    assert exp["surfaces"][2] in [stored[a:b] for a, b in tokens]  # '#Budget\u200b2025' is one token

    store = store_with(new_doc(stored, case["spans"]))
    doc = native(store)["documents"][0]
    assert [s["text"] for s in doc["spans"]] == exp["surfaces"]
    utf8 = doc["text"].encode("utf-8")
    assert [utf8[a:b].decode() for a, b in exp["utf8_byte_offsets"]] == exp["surfaces"]
    lines, _ = conll_lines(store)
    tagged = [line for line in lines if not line.endswith(" O")]
    assert tagged == ["Prime B-SPEAKER", "Minister I-SPEAKER", "Okafor I-SPEAKER", "3 B-DATE", "May I-DATE",
                      f"{exp['surfaces'][2]} B-HASHTAG"]


def test_b07_spacy_doc_text_is_exact(tmp_path):
    case = CASES["B07"]
    store = store_with(new_doc(case["input_text"], case["spans"]))
    (doc,), _ = spacy_docs(store, tmp_path)
    assert doc.text == case["input_text"]
    assert [e.text for e in doc.ents] == case["expected"]["surfaces"]


# --- B08 ----------------------------------------------------------------------------------------


def test_b08_span_text_keeps_space_runs_and_tab():
    case = CASES["B08"]
    text, exp = case["input_text"], case["expected"]
    store = store_with(new_doc(text, case["spans"]))
    doc = native(store)["documents"][0]
    assert [(s["start"], s["end"], s["text"]) for s in doc["spans"]] == [
        (a, b, surface) for (a, b, _), surface in zip(case["spans"], exp["surfaces"])]
    assert doc["spans"][0]["text"] != exp["wrong_collapsed_text_for_first_span"]
    assert "\t" in doc["spans"][1]["text"]
    assert OffsetMap(text).range_to_qt(36, 41) == (36, 41)  # a TAB is one position however wide it is drawn


def test_b08_label_studio_region_text_is_exact():
    if "label-studio" not in {f.name for f in formats()}:
        pytest.skip("label-studio format not registered yet")
    case = CASES["B08"]
    store = store_with(new_doc(case["input_text"], case["spans"]))
    content, _ = write(store, "label-studio")
    regions = [r for r in json.loads(content)[0]["annotations"][0]["result"] if r["type"] == "labels"]
    assert sorted((r["value"]["start"], r["value"]["end"], r["value"]["text"]) for r in regions) == sorted(
        (a, b, surface) for (a, b, _), surface in zip(case["spans"], case["expected"]["surfaces"]))


# --- B09 ----------------------------------------------------------------------------------------


def test_b09_overlaps_multicolumn_conll_exact_and_single_column_reports(tmp_path):
    case = CASES["B09"]
    text, exp = case["input_text"], case["expected"]
    store = store_with(new_doc(text, case["spans"]))
    assert len(native(store)["documents"][0]["spans"]) == 4  # JSON keeps every span
    lines, dropped = conll_lines(store, columns="multi")
    assert lines == exp["conll_multicolumn"]
    assert [line.split("\t")[0] for line in lines] == exp["tokens"]
    assert not any("dropped" in d for d in dropped)
    lines, dropped = conll_lines(store)
    conflicts = [tuple(m.group(1, 2)) for d in dropped
                 for m in [re.search(r"(\S+) span s\d+ .* dropped from the CoNLL column: it overlaps (\S+) span", d)] if m]
    assert [(a.upper(), b.upper()) for a, b in conflicts] == [tuple(c) for c in exp["conflicts_single_column"]]


def test_b09_spacy_keeps_overlaps_in_span_groups(tmp_path):
    case = CASES["B09"]
    store = store_with(new_doc(case["input_text"], case["spans"]))
    (doc,), dropped = spacy_docs(store, tmp_path)
    assert sorted(sp.text for sp in doc.spans["all"]) == sorted(case["expected"]["surfaces"])
    assert [e.text for e in doc.ents] == [case["expected"]["surfaces"][0], case["expected"]["surfaces"][3]]
    assert sum("left out of doc.ents" in d for d in dropped) == len(case["expected"]["conflicts_single_column"])


# --- B10 ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("variant", ["span", "leading_space_variant"])
def test_b10_edge_inside_token_cuts_the_token(variant):
    """Issue 8 kind 4 replaced the expand policy: the token "Inc." is cut at the span's end,
    so the span keeps exactly its characters and nothing needs reporting."""
    case = CASES["B10"]
    text, exp = case["input_text"], case["expected"]
    assert [list(t) for t in tokenize(text)] == exp["token_char_offsets"]
    assert [text[a:b] for a, b in tokenize(text)] == exp["tokens"]
    spans = case["spans"] if variant == "span" else [exp["leading_space_variant"]]
    if variant != "span":
        assert text[spans[0][0]:spans[0][1]] == exp["leading_space_surface"]
    store = store_with(new_doc(text, spans))
    lines, dropped = conll_lines(store)
    assert [line.split(" ")[0] for line in lines] == ["Shares", "of", "Norwood", "Inc", ".", "fell", "4", "%", "on",
                                                      "Monday", "."]
    assert [line.split(" ")[1] for line in lines] == ["O", "O", "B-ORG", "I-ORG"] + ["O"] * 7
    assert not any("expanded" in d for d in dropped)


def test_b10_spacy_cuts_the_token_instead_of_expanding(tmp_path):
    case = CASES["B10"]
    store = store_with(new_doc(case["input_text"], case["spans"]))
    (doc,), dropped = spacy_docs(store, tmp_path)
    a, b, label = case["spans"][0]
    assert doc.text == case["input_text"]
    assert [(e.start_char, e.end_char, e.text, e.label_) for e in doc.ents] == [(a, b, "Norwood Inc", label)]
    assert not any("expanded" in d for d in dropped)


# --- B11 ----------------------------------------------------------------------------------------


def test_b11_zero_length_span_is_refused_with_a_message():
    # Annotator refuses empty spans (the first policy of the case); the window's message:
    # tests/test_annotating.py::test_empty_or_blank_selection_is_refused.
    case = CASES["B11"]
    text = case["input_text"]
    with pytest.raises(InputError, match=r"span 'T1'.*zero-length span \[12, 12\)"):
        Store.memory().import_documents([new_doc(text, case["spans"])])
    store = store_with(new_doc(text, case["spans"][1:]))
    store.add_labels(["IMPLICIT_SOURCE"])
    with pytest.raises(InputError, match=r"IMPLICIT_SOURCE span: zero-length span \[12, 12\)"):
        store.add_span(1, "IMPLICIT_SOURCE", [(12, 12)])
    assert spans_of(store) == [(12, 40, "claim")]
    assert native(store)["documents"][0]["spans"][0]["text"] == case["expected"]["surfaces"][1]


def test_b11_zero_length_span_from_elsewhere_is_reported_by_conll_not_a_crash():
    case = CASES["B11"]
    text = case["input_text"]
    items = [ExportItem(Document(1, "t", text), [Span(k, 1, layer(label), ((a, b),))
                                                 for k, (a, b, label) in enumerate(case["spans"], 1)], [])]
    lines, dropped = conll_lines(items, Store.memory().schema)
    assert any("IMPLICIT_SOURCE span s1 [12,12)" in d and "not written" in d for d in dropped)
    assert [line.split(" ")[0] for line in lines if " B-" in line or " I-" in line] == case["expected"]["surfaces"][1].split()


def test_b11_brat_zero_length_line_is_reported_and_never_written(tmp_path):
    fmt = brat()
    case = CASES["B11"]
    exp = case["expected"]
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "b11.txt").write_text(case["input_text"], encoding="utf-8")
    (folder / "b11.ann").write_text("\n".join(exp["brat_lines"]) + "\n", encoding="utf-8")
    docs = fmt.reader(folder / "b11.ann")
    store = Store.memory()
    report, _ = store.import_documents(docs)
    assert spans_of(store) == [(12, 40, "claim")]
    assert any("zero-length" in n for n in report.notes)
    lines = brat_ann_lines(store, tmp_path / "out")
    assert exp["malformed_brat_line_never_write"] not in lines
    assert all(re.fullmatch(r"T\d+\t\S+ \d+ \d+(;\d+ \d+)*\t.*", line) for line in lines if line.startswith("T"))
    assert lines == ["T1\tclaim 12 40\t" + exp["surfaces"][1]]


# --- B12 ----------------------------------------------------------------------------------------


def test_b12_span_may_end_at_the_end_of_the_text_not_after_it(tmp_path):
    case = CASES["B12"]
    text, exp = case["input_text"], case["expected"]
    assert len(text) == exp["text_len"]
    store = store_with(new_doc(text, case["spans"]))
    doc = native(store)["documents"][0]
    assert sorted((s["start"], s["end"], s["text"]) for s in doc["spans"]) == sorted(
        (a, b, surface) for (a, b, _), surface in zip(case["spans"], exp["surfaces"]))
    assert max(s["end"] for s in doc["spans"]) == exp["text_len"]
    assert [s["end"] for s in doc["spans"]] == [exp["text_len"]] * 2 != exp["inclusive_end_would_be"]
    lines, _ = conll_lines(store, columns="multi")
    assert lines[-1] == "budget\tB-TOPIC\tI-CLAIM"

    bad = [[25, exp["invalid_end"], "TOPIC"]]
    with pytest.raises(InputError, match=rf"span 'T1'.*\[25, {exp['invalid_end']}\) is outside the text \(length 31\)"):
        Store.memory().import_documents([new_doc(text, bad)])
    with pytest.raises(InputError, match=rf"TOPIC span: \[25, {exp['invalid_end']}\) is outside the text"):
        store.add_span(1, "TOPIC", [(25, exp["invalid_end"])])
    assert len(store.spans(1)) == 2
    raw = json.loads(write(store, "json")[0])
    raw["documents"][0]["spans"][-1].update(end=exp["invalid_end"], fragments=[[25, exp["invalid_end"]]], text=None)
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(raw, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(InputError, match=rf"span 's\d'.*\[25, {exp['invalid_end']}\) is outside the text"):
        import_paths(Store.memory(), [path])
    # after_edit_*: document text cannot be edited in Annotator, so spans are never shifted or lost by it
    with pytest.raises(InputError, match="unknown document fields: text"):
        store.update_document(1, text=exp["after_edit_text"])


# --- B13 ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["cp1252", "utf8"])
def test_b13_bytes_are_decoded_with_their_encoding(tmp_path, encoding):
    case = CASES["B13"]
    text, exp = case["input_text"], case["expected"]
    data = bytes.fromhex(exp[f"{encoding}_hex"])
    if encoding == "cp1252":
        with pytest.raises(UnicodeDecodeError) as info:
            data.decode("utf-8")
        assert info.value.start == exp["utf8_strict_on_cp1252_error_byte_index"]
    else:
        assert data.decode("latin-1") == exp["latin1_mojibake_text"]
        assert [exp["latin1_mojibake_text"][a:b] for a, b, _ in exp["latin1_mojibake_spans"]] == exp["surfaces"]
    assert decode_text(data, "b13.txt") == text
    path = tmp_path / "b13.txt"
    path.write_bytes(data)
    article = read_article(path)
    assert article.text == text and article.text != exp["latin1_mojibake_text"]
    store = store_with(new_doc(article.text, case["spans"]))
    assert [s["text"] for s in native(store)["documents"][0]["spans"]] == exp["surfaces"]


# --- B14 ----------------------------------------------------------------------------------------


def b14_files(tmp_path: Path) -> list[Path]:
    """The case's a.jsonl and b.jsonl as doccano JSONL (their "spans" [[start, end, LABEL]] is
    doccano's "label" shape; offsets are code points)."""
    exp = CASES["B14"]["expected"]
    paths = []
    for name in ("a", "b"):
        path = tmp_path / f"{name}.jsonl"
        path.write_text(exp[f"file_{name}_jsonl"].replace('"spans": ', '"label": '), encoding="utf-8")
        paths.append(path)
    return paths


def b14_texts() -> dict[str, str]:
    exp = CASES["B14"]["expected"]
    out = {}
    for line in (exp["file_a_jsonl"] + exp["file_b_jsonl"]).splitlines():
        try:
            data = json.loads(line)
        except ValueError:
            continue
        out[data["id"]] = data["text"]
    return out


B14_OPTIONS = {"offsets": "codepoints"}


def test_b14_a_bad_line_is_named_and_nothing_is_lost_silently(tmp_path):
    exp = CASES["B14"]["expected"]
    (bad_file, bad_line), = exp["expected_errors"]
    store = Store.memory()
    with pytest.raises(InputError, match=rf"^{re.escape(bad_file)}: line {bad_line}: not valid JSON"):
        import_paths(store, b14_files(tmp_path), fmt="doccano", options=B14_OPTIONS)
    assert store.document_count() == 0  # refused whole, not truncated
    report = import_paths(store, b14_files(tmp_path), fmt="doccano", skip_bad=True, options=B14_OPTIONS)
    assert len(report.skipped) == 1 and report.skipped[0].startswith(f"{bad_file}: line {bad_line}:")
    texts = [store.document(i).text for i in report.added]
    a_ids = [i for i in exp["expected_doc_ids"] if i.startswith("a")]
    assert texts[:len(a_ids)] == [b14_texts()[i] for i in a_ids]  # a.jsonl whole, although b.jsonl came later
    geneva = exp["other_docs_spans_check"][0]
    spans = {store.document(i).text: spans_of(store, i) for i in report.added}
    assert spans[geneva[0]] == [(geneva[1], geneva[2], "LOC")] and geneva[0][geneva[1]:geneva[2]] == geneva[3]


def test_b14_good_lines_of_a_file_with_a_bad_line_are_imported(tmp_path):
    case = CASES["B14"]
    exp = case["expected"]
    store = Store.memory()
    report = import_paths(store, b14_files(tmp_path), fmt="doccano", skip_bad=True, options=B14_OPTIONS)
    texts = b14_texts()
    assert [store.document(i).text for i in report.added] == [texts[i] for i in exp["expected_doc_ids"]]
    assert [(f, int(n)) for f, n in (re.match(r"(\S+): line (\d+)", s).groups() for s in report.skipped)] == [
        tuple(e) for e in exp["expected_errors"]]
    spans = {store.document(i).text: spans_of(store, i) for i in report.added}
    assert spans[case["input_text"]] == stored_spans(case["spans"])
    for text, a, b, surface in exp["other_docs_spans_check"]:
        assert [text[s:e] for s, e, _ in spans[text]] == [surface] and spans[text][0][:2] == (a, b)


@pytest.mark.parametrize("data, message", [
    (b"", r"the file is empty"),
    (b"\x89PNG\r\n\x1a\n" + bytes(range(256)), r"this is a PNG image, not a text file"),
])
def test_b14_empty_and_binary_files_get_an_explicit_message(tmp_path, data, message):
    path = tmp_path / "article.txt"
    path.write_bytes(data)
    with pytest.raises(InputError, match=rf"article\.txt: {message}"):
        read_article(path)
    with pytest.raises(InputError, match=rf"article\.txt: {message}"):
        import_paths(Store.memory(), [path])


def test_b14_oversized_file_is_refused_whole_and_a_large_one_imported_whole(tmp_path, monkeypatch):
    text = CASES["B14"]["input_text"]
    path = tmp_path / "big.txt"
    path.write_text(text * 10, encoding="utf-8")
    with monkeypatch.context() as limit:
        limit.setattr(textfile, "MAX_FILE_BYTES", len(text) * 10 - 1)
        with pytest.raises(InputError, match=r"big\.txt: the file is too large"):
            read_article(path)
    lines = [json.dumps({"text": f"{n}: {text}", "spans": [{"label": "PERSON", "start": len(str(n)) + 2,
                                                              "end": len(str(n)) + 15}], "labels": ["PERSON"]})
             for n in range(3000)]
    big = tmp_path / "big.jsonl"
    big.write_text("\n".join(lines) + "\n", encoding="utf-8")
    store = Store.memory()
    report = import_paths(store, [big], fmt="jsonl")
    assert store.document_count() == len(lines) == len(report.added)
    assert [store.document(i).text[s:e] for i in report.added[-1:] for s, e, _ in spans_of(store, i)] == ["Minister Sato"]


# --- B15 ----------------------------------------------------------------------------------------


def test_b15_locked_database_raises_applies_nothing_and_retry_persists(tmp_path):
    case = CASES["B15"]
    text, exp = case["input_text"], case["expected"]
    path = tmp_path / "project.annotator"
    holder = Store.open(path)
    report, _ = holder.import_documents([NewDocument(title="b15", text=text)])
    doc_id, = report.added
    editor = Store.open(path, busy_timeout=0.1)
    (sa, sb, slabel), (ca, cb, clabel) = case["spans"]

    def save() -> None:  # one edit: both spans and the CLAIM -> SPEAKER relation
        with editor.compound("Save"):
            speaker = editor.add_span(doc_id, layer(slabel), [(sa, sb)]).created_id("spans")
            claim = editor.add_span(doc_id, layer(clabel), [(ca, cb)]).created_id("spans")
            editor.add_relation(doc_id, "said_by", claim, speaker)

    def rows() -> dict:  # read by a third connection: what is really in the file
        with closing(sqlite3.connect(path)) as conn:
            return {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("spans", "relations")}

    try:
        holder.db.conn.execute("BEGIN IMMEDIATE")
        with pytest.raises((sqlite3.OperationalError, AnnotatorError)) as info:
            save()
        assert exp["sqlite_error_message"] in str(info.value)
        assert not editor.db.conn.in_transaction and not editor.last_change
        holder.db.conn.execute("COMMIT")
        assert rows() == {"spans": 0, "relations": 0}  # nothing half-applied
        save()
        assert rows() == exp["rows_after_retry"]
        assert spans_of(holder, doc_id) == stored_spans(case["spans"])
        assert [holder.document(doc_id).text[a:b] for a, b, _ in spans_of(holder, doc_id)] == exp["surfaces"]
    finally:
        if holder.db.conn.in_transaction:
            holder.db.conn.execute("ROLLBACK")
        editor.close()
        holder.close()


# --- B16 ----------------------------------------------------------------------------------------


def native_id(brat_id: str) -> str:
    """The native JSON id of the case's brat id: spans T<n> -> s<n>, relations R<n> -> r<n> (the
    case's spans are in text order, as native span ids are)."""
    return {"T": "s", "R": "r"}[brat_id[0]] + brat_id[1:]


@pytest.mark.parametrize("labels", ["kept", "mapped"])
def test_b16_delete_endpoint_cascades_and_undo_restores_the_relation(tmp_path, labels):
    case = CASES["B16"]
    text, exp = case["input_text"], case["expected"]
    store = store_with(new_doc(text, case["spans"], [("said_by", 0, 1)], keep_labels=labels == "kept"))
    before_spans = store.spans(1)
    speaker = next(s for s in before_spans if s.start == case["spans"][1][0])

    def relations() -> list[dict]:
        doc = native(store)["documents"][0]
        assert dangling(doc) == []
        return [{k: r[k] for k in ("id", "type", "from", "to")} for r in doc["relations"]]

    undo_expected = [{k: native_id(v) if k in ("id", "from", "to") else v for k, v in r.items()}
                     for r in exp["json_relations_after_undo"]]
    assert relations() == undo_expected
    change = store.delete_span(speaker.id)
    assert relations() == exp["json_relations_after_delete"] and store.relations(1) == []
    store.apply(change.inverted())  # undo
    assert store.spans(1) == before_spans  # same ids and offsets
    assert relations() == undo_expected
    store.apply(change)  # redo
    assert relations() == exp["json_relations_after_delete"]
    store.apply(change.inverted())
    if labels == "kept":
        ann = tmp_path / "brat"
        assert brat_ann_lines(store, ann / "undone") == exp["brat_before_delete"]
        store.apply(change)
        assert brat_ann_lines(store, ann / "deleted") == exp["brat_after_delete"]


# --- B17 ----------------------------------------------------------------------------------------


def canonical(content: str, fmt: str) -> str:
    data = [json.loads(line) for line in content.splitlines()] if fmt == "jsonl" else json.loads(content)
    return json.dumps(data, sort_keys=True, ensure_ascii=False)


@pytest.mark.parametrize("fmt", ["json", "jsonl"])
def test_b17_export_import_export_is_identity_and_reimport_is_skipped(tmp_path, fmt):
    case = CASES["B17"]
    text, exp = case["input_text"], case["expected"]
    store = store_with(new_doc(text, case["spans"], [("said_by", 2, 0)]))
    assert [list(OffsetMap(text).range_to_qt(a, b)) for a, b, _ in case["spans"]] == exp["utf16_offsets"]
    first, _ = write(store, fmt)
    fresh = reimport(tmp_path, first, fmt)
    second, _ = write(fresh, fmt)
    assert canonical(second, fmt) == canonical(first, fmt)
    doc = json.loads(first.splitlines()[0]) if fmt == "jsonl" else json.loads(first)["documents"][0]
    assert doc["text"].encode("utf-8") == text.encode("utf-8") and "\n" in doc["text"] and doc["text"].endswith("\ufe0f")
    assert sorted((s["start"], s["end"], s["text"]) for s in doc["spans"]) == sorted(
        (a, b, surface) for (a, b, _), surface in zip(case["spans"], exp["surfaces"]))
    assert max(s["end"] for s in doc["spans"]) == len(text)
    # the same export into the original project: recognised, not a second copy
    path = tmp_path / f"again.{fmt}"
    path.write_text(first, encoding="utf-8")
    report = import_paths(store, [path], fmt=fmt)
    assert report.added == [] and len(report.skipped) == 1 and store.document_count() == 1


def test_b17_lossy_targets_say_what_they_drop(tmp_path):
    case = CASES["B17"]
    store = store_with(new_doc(case["input_text"], case["spans"]))
    _, dropped = conll_lines(store)
    assert any(re.search(r"speaker span s\d+ 'Rep\. Kaur' \[0,9\) dropped .* overlaps PERSON span", d) for d in dropped)
    pytest.importorskip("spacy")
    _, dropped = spacy_docs(store, tmp_path)
    assert any("'Rep. Kaur' [0,9) left out of doc.ents" in d for d in dropped)


# --- B18 ----------------------------------------------------------------------------------------


def test_b18_two_thousand_repetitions_last_spans_exact(tmp_path):
    # Correctness only (no time is asserted). Highlight visibility and incremental repaint:
    # tests/ui/test_text_view.py::test_apply_span_changes_touches_only_affected_blocks;
    # timings: benchmarks/bench_view.py, benchmarks/bench_import_export.py.
    case = CASES["B18"]
    exp = case["expected"]
    repeat, size = exp["generator"]["repeat"], exp["generator"]["template_len"]
    assert len(case["input_text"]) == size
    text = case["input_text"] * repeat
    spans = [[a + size * r, b + size * r, label] for r in range(repeat) for a, b, label in case["spans"]]
    store = store_with(new_doc(text, spans))
    assert len(store.document(1).text) == exp["doc_len"]
    stored = spans_of(store)
    assert len(stored) == 2 * repeat and stored[-2:] == stored_spans(exp["last_spans"])
    assert [text[a:b] for a, b, _ in stored[-2:]] == exp["surfaces"]
    index = SpanIndex(store.spans(1))
    last = exp["last_spans"]
    assert [(s.start, s.end, s.label) for s in index.overlapping(last[0][0], last[1][1])] == stored_spans(last)
    # a new span at the end is found at once (what the view asks to draw it)
    change = store.add_span(1, "cue", [(last[0][1] + 1, last[0][1] + 5)])
    new = store.span(change.created_id("spans"))
    index.add(new)
    assert new in index.at(last[0][1] + 1)
    content, dropped = write(store, "json")
    again = reimport(tmp_path, content)
    assert spans_of(again) == spans_of(store) and len(again.spans(1)) == 2 * repeat + 1


def test_b02_no_stored_span_may_split_a_grapheme():
    """B02: "A selection must never split a grapheme" holds for the store itself (edits and
    imports), not only for the view's snapping."""
    case = CASES["B02"]
    text, forbidden = case["input_text"], case["expected"]["forbidden_boundaries"]
    store = Store.memory()
    store.import_documents([NewDocument(title="b02", text=text)])
    for edge in forbidden:
        start, end = (edge, 17) if edge < 17 else (6, edge)
        with pytest.raises(InputError, match="cuts a character in two"):
            store.add_span(1, "speaker", [(start, end)])
        with pytest.raises(InputError, match="cuts a character in two"):
            store.import_documents([NewDocument(title="x", text=text + " ", spans=[NewSpan("s", "claim", ((start, end),))])])
    assert store.spans(1) == [] and store.document_count() == 1
    for start, end, label in case["spans"]:  # the case's own spans are on grapheme boundaries
        store.add_span(1, "speaker" if label == "SPEAKER" else "claim", [(start, end)])
    assert len(store.spans(1)) == 2
