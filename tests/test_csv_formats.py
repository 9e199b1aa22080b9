"""CSV import (format "csv", annotator/formats/csv_table.py) and the claims table export
(format "claims-csv", annotator/formats/claims_csv.py).

Test files in tests/data/csv/: articles.csv (UTF-8, CRLF rows and CRLF inside quoted cells,
doubled quotes, emoji, a date and an unknown column, a row without title, a row of empty
cells), excel_cp1252_semicolon.csv (as Excel writes "CSV" in a German locale: cp1252,
semicolons, CRLF), tab_separated.csv (tab, body/source columns), and three broken ones.
"""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from annotator.core.errors import InputError
from annotator.core.model import NewDocument, NewEntity, NewSpan
from annotator.core.store import Store
from annotator.formats.claims_csv import COLUMNS, write_claims_csv
from annotator.formats.csv_table import read_csv
from annotator.formats.registry import detect_format, export_items, get_format

DATA = Path(__file__).parent / "data" / "csv"


# --- import ------------------------------------------------------------------------------


def test_articles_csv():
    path = DATA / "articles.csv"
    docs = read_csv(path)
    assert [d.title for d in docs] == [
        "Grain corridor reopens",
        "Mayor opens promenade 🎉",
        "A row without a title: its first line becomes the title.",
    ]
    assert docs[0].text == (
        "ISTANBUL - Negotiators agreed on Thursday to reopen the grain corridor.\n\n"
        '"This is a fragile agreement, but it is an agreement," Sergey Lavrov told reporters.'
    )
    assert docs[1].text == 'The mayor, Dana Levi, said the promenade would "bring the city back to the sea" 🌊.\nResidents complained about parking 😤.'
    assert [d.source for d in docs] == ["https://www.dailyledger.example/world/grain", str(path), "https://example.org/untitled"]
    assert [d.origin for d in docs] == [f"{path}#line 2", f"{path}#line 5", f"{path}#line 7"]
    assert all("\r" not in d.text and not d.text.startswith("\ufeff") for d in docs)
    notes = [n for d in docs for n in d.notes]
    assert notes == [
        f"{path}: the date column (2 rows) was read but not stored (documents have no date yet)",
        f"{path}: columns not imported: Section (2 rows)",
    ]


def test_excel_cp1252_semicolon_csv():
    docs = read_csv(DATA / "excel_cp1252_semicolon.csv")
    assert [d.title for d in docs] == ["Budget vorgestellt", "Opposition skeptisch"]
    assert docs[0].text == "Die Bürgermeisterin, Andrea Müller, stellte ein Budget von 4,2 Mio. € vor. „Wir müssen jetzt handeln“, sagte sie."
    assert docs[1].text == "Der Fraktionschef nannte den Plan „ein Wahlgeschenk – nicht mehr“; er kündigte Änderungsanträge an…"
    assert docs[0].source == "https://stadtanzeiger.example/budget"
    assert docs[1].source == str(DATA / "excel_cp1252_semicolon.csv")
    assert not any(d.notes for d in docs)


def test_tab_separated_with_body_and_source_columns():
    [doc] = read_csv(DATA / "tab_separated.csv")
    assert doc.text == "Text with a comma, and a semicolon; in it."
    assert doc.source == "https://example.org/a"


def test_crlf_and_lone_cr_inside_quoted_cells(tmp_path):
    path = tmp_path / "cells.csv"
    path.write_bytes(b'text,title\r\n"one\r\ntwo\rthree\nfour","A\r\nB"\r\n"  kept  leading space",x\r\n')
    docs = read_csv(path)
    assert docs[0].text == "one\ntwo\nthree\nfour"
    assert docs[0].title == "A B"
    assert docs[1].text == "  kept  leading space"  # cells are not stripped: offsets depend on them
    assert docs[1].origin == f"{path}#line 7"  # the first row spans physical lines 2-6


def test_utf8_bom_header_and_case_insensitive_columns(tmp_path):
    path = tmp_path / "bom.csv"
    path.write_bytes("\ufeffTITLE , Content ,Url\nT,Body text,https://e.example/x\n".encode("utf-8"))
    [doc] = read_csv(path)
    assert (doc.title, doc.text, doc.source) == ("T", "Body text", "https://e.example/x")


def test_unterminated_quote_names_file_and_line():
    path = DATA / "unterminated_quote.csv"
    with pytest.raises(InputError, match=rf"^{path}, line 3: malformed CSV"):
        read_csv(path)


def test_empty_text_cell_names_file_and_line():
    path = DATA / "empty_text.csv"
    with pytest.raises(InputError, match=rf"^{path}, line 3: the text cell is empty"):
        read_csv(path)


def test_missing_text_column_lists_the_columns_found():
    path = DATA / "no_text_column.csv"
    with pytest.raises(InputError) as err:
        read_csv(path)
    message = str(err.value)
    assert message.startswith(f"{path}, line 1: no text column")
    assert "'headline', 'article', 'link'" in message


@pytest.mark.parametrize(
    "data, match",
    [
        (b"title,text\nA,b,c\n", r"line 2: the row has 3 cells but the header has 2 columns"),
        (b"title,text\n", r"a header but no rows"),
        (b"text,Text\na,b\n", r"line 1: two columns are called 'Text'"),
        (b'title,text\n"A"x,b\n', r"line 2: malformed CSV"),
        (b"\n\n", r"empty"),
    ],
)
def test_malformed_tables_are_refused(tmp_path, data, match):
    path = tmp_path / "bad.csv"
    path.write_bytes(data)
    with pytest.raises(InputError, match=rf"^{path}.*{match}"):
        read_csv(path)


def test_trailing_empty_cells_and_blank_lines_are_fine(tmp_path):
    path = tmp_path / "excel.csv"
    path.write_bytes(b"\ntitle,text,,\nA,b,,\n\n,,,\n")
    [doc] = read_csv(path)
    assert (doc.title, doc.text, doc.notes) == ("A", "b", [])


def test_big_cells_and_field_size_limit_restored(tmp_path):
    before = csv.field_size_limit()
    big = "word " * 100_000  # 500 000 characters, beyond the csv module's default limit
    path = tmp_path / "big.csv"
    path.write_text(f'text\n"{big}"\n', encoding="utf-8")
    [doc] = read_csv(path)
    assert doc.text == big
    assert csv.field_size_limit() == before


def test_unknown_option_is_refused():
    with pytest.raises(InputError, match="no options"):
        read_csv(DATA / "articles.csv", delimiter=";")


def test_round_trip_csv_store_native_json():
    docs = read_csv(DATA / "articles.csv") + read_csv(DATA / "excel_cp1252_semicolon.csv")
    store = Store.memory()
    report, _ = store.import_documents(docs)
    assert len(report.added) == 5
    buffer = io.StringIO(newline="")
    get_format("json").writer(export_items(store), buffer, store.schema)
    exported = json.loads(buffer.getvalue())
    texts = [value for value in _strings(exported) if value in {d.text for d in docs}]
    assert sorted(texts) == sorted(d.text for d in docs)


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)


def test_registry():
    assert detect_format(Path("table.CSV")).name == "csv"
    assert get_format("csv").can_read and not get_format("csv").can_write
    claims = get_format("claims-csv")
    assert claims.can_write and not claims.can_read and claims.binary and claims.extensions == (".csv",)


# --- claims export -------------------------------------------------------------------------

TEXT = (
    "🎉 Party news.\n\n"
    '"We will rebuild," the mayor, Ana Reyes, said on Friday, "and we will do it fast."\n\n'
    "-5% growth is expected, analysts said. =SUM(A1) is not a formula."
)


def _span(key, label, needle, *, nth=0, **kw):
    start = -1
    for _ in range(nth + 1):
        start = TEXT.index(needle, start + 1)
    return NewSpan(key, label, ((start, start + len(needle)),), **kw)


def _frag(needle):
    start = TEXT.index(needle)
    return (start, start + len(needle))


@pytest.fixture
def store():
    store = Store.memory()
    claim = NewSpan(
        "c1", "claim", (_frag("We will rebuild,"), _frag("and we will do it fast.")),
        speaker="e1", source="s1", cue="q1", form="direct", polarity="positive", intensity="high", target="the city",
    )
    doc = NewDocument(
        title="=Mayor speaks", text=TEXT, status="done", polarity="positive",
        entities=[NewEntity("e1", "Ana Reyes", "person", aliases=("the mayor",)), NewEntity("e2", "analysts", "other")],
        spans=[
            _span("s1", "speaker", "Ana Reyes", entity="e1"),
            _span("s2", "speaker", "the mayor", entity="e1"),  # not linked to a claim
            _span("q1", "cue", "said", entity=None),
            _span("q2", "cue", "said", nth=1),
            claim,
            _span("c2", "claim", "-5% growth is expected", speaker="e2", cue="q2", form="indirect"),
            _span("c3", "claim", "=SUM(A1) is not a formula."),
        ],
    )
    other = NewDocument(title="No claims here", text="Nothing was said.")
    report, _ = store.import_documents([doc, other])
    assert len(report.added) == 2
    return store


def _export(store, **options):
    out = io.BytesIO()
    report = write_claims_csv(export_items(store), out, store.schema, **options)
    return out.getvalue(), report


def test_claims_csv_rows(store):
    data, report = _export(store)
    assert data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8-sig")
    assert text.endswith("\r\n") and text.split("\r\n", 1)[0] == ",".join(COLUMNS)
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    assert len(rows) == 3
    first = rows[0]
    doc = store.document(int(first["document_id"]))
    assert first["document_title"] == "'=Mayor speaks"  # guarded against formula injection
    assert (first["speaker"], first["speaker_type"], first["source_text"], first["cue_text"]) == ("Ana Reyes", "person", "Ana Reyes", "said")
    assert first["claim_text"] == "We will rebuild, … and we will do it fast."
    assert (first["form"], first["polarity"], first["intensity"], first["target"]) == ("direct", "positive", "high", "the city")
    fragments = json.loads(first["fragments"])
    assert fragments == [list(_frag("We will rebuild,")), list(_frag("and we will do it fast."))]
    assert (int(first["start"]), int(first["end"])) == (fragments[0][0], fragments[-1][1])
    assert [doc.text[a:b] for a, b in fragments] == ["We will rebuild,", "and we will do it fast."]  # code points: after 🎉
    assert int(first["claim_id"]) in {s.id for s in store.spans(doc.id)}
    assert rows[1]["claim_text"] == "'-5% growth is expected" and rows[1]["speaker"] == "analysts" and rows[1]["source_text"] == ""
    assert rows[2]["claim_text"] == "'=SUM(A1) is not a formula." and rows[2]["speaker"] == ""
    for row in rows:
        a, b = int(row["start"]), int(row["end"])
        assert doc.text[a:b].startswith(row["claim_text"].lstrip("'").split(" … ")[0])

    dropped = "\n".join(report.dropped)
    doc_ids = [d.id for d in store.document_infos()]
    assert f"speaker mentions not linked to a claim, not carried: 1 (document {doc_ids[0]}: 1)" in dropped
    assert f"1 document without claims, so without rows: {doc_ids[1]} 'No claims here'" in dropped
    assert "document texts, status and polarity are not carried (2 documents)" in dropped
    assert "aliases, Wikidata ids and notes of 1 entity" in dropped
    assert "5 cells starting with" in dropped


def test_claims_csv_options(store):
    data, report = _export(store, bom="false", excel_safe=False, delimiter=";")
    assert not data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8"), newline=""), delimiter=";"))
    assert rows[0]["document_title"] == "=Mayor speaks"
    assert rows[2]["claim_text"] == "=SUM(A1) is not a formula."
    assert not any("formulas" in line for line in report.dropped)
    data, _ = _export(store, delimiter="tab")
    assert data.decode("utf-8-sig").split("\r\n", 1)[0] == "\t".join(COLUMNS)


@pytest.mark.parametrize("options, match", [({"sep": ","}, "unknown option"), ({"bom": "maybe"}, "true or false"), ({"delimiter": "|"}, "delimiter")])
def test_claims_csv_bad_options(store, options, match):
    with pytest.raises(InputError, match=match):
        _export(store, **options)


def test_claims_csv_text_stream_and_multiline_claims():
    store = Store.memory()
    text = "He said:\n\"First line.\r\nSecond line.\""
    store.import_documents([NewDocument(title="t", text=text.replace("\r\n", "\n"),
                                        spans=[NewSpan("c", "claim", ((10, 34),))])])
    out = io.StringIO(newline="")
    write_claims_csv(export_items(store), out, store.schema, bom=False)
    [row] = list(csv.DictReader(io.StringIO(out.getvalue(), newline="")))
    assert row["claim_text"] == "First line.\nSecond line."


# --- issue 8 kind 10: Excel's "sep=" line -------------------------------------------------------


@pytest.mark.parametrize("sep_line, delimiter", [("sep=;\r\n", ";"), ("SEP=|\n", "|"), ("sep=,\r\n", ",")])
def test_kind10_an_excel_sep_line_names_the_delimiter(tmp_path, sep_line, delimiter):
    from annotator.formats.csv_table import read_csv
    path = tmp_path / "excel.csv"
    rows = [["title", "text"], ["Budget", "Talks resume; the minister, who spoke, agreed."], ["Two", "Second text."]]
    body = "".join(delimiter.join(f'"{c}"' if delimiter in c or "," in c or ";" in c else c for c in row) + "\r\n"
                   for row in rows)
    path.write_bytes(("\ufeff" + sep_line + body).encode("utf-8"))
    docs = read_csv(path)
    assert [(d.title, d.text) for d in docs] == [("Budget", "Talks resume; the minister, who spoke, agreed."),
                                                 ("Two", "Second text.")]


def test_kind10_line_numbers_count_the_sep_line(tmp_path):
    from annotator.formats.csv_table import read_csv
    path = tmp_path / "excel.csv"
    path.write_text("sep=;\ntitle;text\nA;\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"excel\.csv, line 3: the text cell is empty"):
        read_csv(path)
