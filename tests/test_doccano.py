"""doccano JSONL: reading both export shapes, offsets (UTF-16 / code points / graphemes),
writing, and round trips through the store.

Cases from /work/shared/cases/known-faults.md: B01 (emoji: UTF-16 offsets), B02 (grapheme
offsets), B09 (overlaps kept), B14 (bad line named), B16 (relation dropped with its end),
B17 (export -> import identity, duplicate skipped). Inputs copied here.
"""
from __future__ import annotations

import io
import json
from dataclasses import replace
from pathlib import Path

import pytest

from annotator.core.errors import InputError
from annotator.core.model import Relation, Span
from annotator.core.store import Store
from annotator.formats import registry
from annotator.formats.doccano import read_doccano, sniff_doccano, write_doccano
from annotator.services.importing import export_to, import_paths

DATA = Path(__file__).parent / "data" / "doccano"
B01_TEXT = "📰 Mayor Jones said: \"Taxes will fall 📉 next year.\""
B02_TEXT = "👩\U0001f3fd\u200d⚕\ufe0f Nurse Patel thanked Rene\u0301 Dubois."
B09_TEXT = "Acme Bank chief Maria Lopez said profits rose."
B16_TEXT = "\"We will appeal,\" said lawyer Tom Hart."
B17_TEXT = "Rep. Kaur (D) said: \"Fine.\"\nPolls close at 8 p.m. 🗳\ufe0f"


def surface(text: str, span) -> str:
    return " … ".join(text[a:b] for a, b in span.fragments)


def write_lines(tmp_path: Path, lines: list, name: str = "in.jsonl") -> Path:
    path = tmp_path / name
    path.write_text("".join(json.dumps(x, ensure_ascii=False) + "\n" for x in lines), encoding="utf-8")
    return path


def export(store: Store, **options) -> tuple[list[dict], list[str]]:
    buffer = io.StringIO(newline="")
    report = write_doccano(registry.export_items(store), buffer, store.schema, **options)
    return [json.loads(line) for line in buffer.getvalue().splitlines()], report.dropped


def b17_store(tmp_path: Path) -> Store:
    store = Store.memory()
    store.import_documents(read_doccano(write_lines(tmp_path, [{"id": 1, "text": B17_TEXT, "entities": [
        {"id": 1, "label": "SPEAKER", "start_offset": 0, "end_offset": 9},
        {"id": 2, "label": "PERSON", "start_offset": 0, "end_offset": 13},
        {"id": 3, "label": "QUOTE", "start_offset": 21, "end_offset": 26},
        {"id": 4, "label": "TIME", "start_offset": 43, "end_offset": 53}],
        "relations": [{"id": 5, "from_id": 3, "to_id": 1, "type": "said_by"}]}], "b17.jsonl")))
    return store


# --- reading ------------------------------------------------------------------------------------


def test_relation_shape_utf16_offsets_become_code_points_and_links():
    doc, overlaps = read_doccano(DATA / "relations.jsonl")
    spans = {s.key: s for s in doc.spans}
    text = doc.text
    assert [(s.label, surface(text, s)) for s in (spans[k] for k in ("11", "12", "13", "14", "15"))] == [
        ("speaker", "Mayor Jones"), ("cue", "said"), ("claim", "Taxes will fall 📉 next year."), ("ORG", "Acme Bank"),
        ("PERSON", "Critics")]
    assert spans["13"].fragments == ((21, 49),)  # B01: UTF-16 [22, 51) in the file
    claim = spans["13"]
    assert (claim.source, claim.cue, claim.speaker) == ("11", "12", spans["11"].entity)
    assert [(e.key, e.name) for e in doc.entities] == [(spans["11"].entity, "Mayor Jones")]
    assert [(r.type, r.source, r.target) for r in doc.relations] == [("works_for", "15", "14")]
    assert doc.labels == ["ORG", "PERSON"]
    assert (doc.title, doc.source, doc.polarity) == ("Taxes", "https://example.org/taxes", "negative")
    assert any("comment" in n and "check the cue" in n for n in doc.notes)
    assert any("'batch'" in n and "line 1 (id 101)" in n for n in doc.notes)
    assert len(overlaps.spans) == 4  # B09: nested and overlapping entities all read


def test_label_shape_with_crlf_lines_and_a_category():
    first, second = read_doccano(DATA / "label_shape.jsonl")
    assert [(s.label, surface(first.text, s)) for s in first.spans] == [
        ("speaker", "Coach Brennan"), ("cue", "said"), ("claim", "the team will win the final")]
    assert second.polarity == "positive" and not second.notes
    assert first.origin == "label_shape.jsonl#1"


def test_code_point_and_grapheme_offsets(tmp_path):
    path = write_lines(tmp_path, [{"text": B01_TEXT, "label": [[2, 13, "SPEAKER"], [21, 49, "QUOTE"]]}])
    (doc,) = read_doccano(path, offsets="codepoints")
    assert [s.fragments for s in doc.spans] == [((2, 13),), ((21, 49),)]
    path = write_lines(tmp_path, [{"text": B02_TEXT, "label": [[2, 13, "SPEAKER"], [22, 33, "PERSON"]]}], "g.jsonl")
    (doc,) = read_doccano(path, offsets="graphemes")
    assert [surface(doc.text, s) for s in doc.spans] == ["Nurse Patel", "Rene\u0301 Dubois"]
    assert [s.fragments for s in doc.spans] == [((6, 17),), ((26, 38),)]


def test_code_point_offsets_read_as_utf16_are_refused_when_they_split_a_character(tmp_path):
    path = write_lines(tmp_path, [{"id": "x1", "text": B01_TEXT, "label": [[1, 13, "SPEAKER"]]}])
    with pytest.raises(InputError, match=r"in\.jsonl: line 1 \(id x1\): .*UTF-16.*offsets=\"codepoints\""):
        read_doccano(path)


@pytest.mark.parametrize("line, message", [
    ({"id": 3, "text": "Short text.", "label": [[4, 40, "CLAIM"]]},
     r"line 2 \(id 3\): entity label1: offset 40 is outside the text"),
    ({"id": 4, "text": "Short text.", "entities": [{"id": 1, "label": "CUE", "start_offset": 5, "end_offset": 5}]},
     r"line 2 \(id 4\): entity 1: zero-length"),
    ({"id": 5, "text": "Short text.", "entities": [{"id": 1, "label": "CUE", "start_offset": 0, "end_offset": 5}],
      "relations": [{"id": 2, "from_id": 1, "to_id": 9, "type": "said_by"}]},
     r"line 2 \(id 5\): relation 2: end 9 is not an entity"),
    ({"id": 6, "label": []}, r"line 2 \(id 6\): the line has no \"text\""),
    ({"id": 7, "text": "Short text.", "label": [[0, 5]]}, r"line 2 \(id 7\): label item 1 must be"),
])
def test_malformed_lines_are_refused_naming_file_and_line(tmp_path, line, message):
    path = write_lines(tmp_path, [{"text": "Fine.", "label": []}, line])
    with pytest.raises(InputError, match=r"^in\.jsonl: " + message):
        read_doccano(path)


def test_bad_json_line_names_file_and_line():  # B14
    with pytest.raises(InputError, match=r"^bad_line\.jsonl: line 2: not valid JSON"):
        read_doccano(DATA / "bad_line.jsonl")


def test_options_are_checked(tmp_path):
    path = DATA / "label_shape.jsonl"
    with pytest.raises(InputError, match="no option 'layer'"):
        read_doccano(path, layer="x")
    with pytest.raises(InputError, match="offsets must be one of"):
        read_doccano(path, offsets="bytes")
    with pytest.raises(InputError, match="mapping must map"):
        read_doccano(path, mapping={"CUE": "verb"})
    with pytest.raises(InputError, match="shape must be"):
        write_doccano([], io.StringIO(), None, shape="tuples")


def test_mapping_keeps_and_skips_labels(tmp_path):
    path = write_lines(tmp_path, [{"text": B16_TEXT, "entities": [
        {"id": 1, "label": "QUOTE", "start_offset": 1, "end_offset": 15},
        {"id": 2, "label": "SPEAKER", "start_offset": 30, "end_offset": 38},
        {"id": 3, "label": "ROLE", "start_offset": 23, "end_offset": 29}],
        "relations": [{"id": 4, "from_id": 1, "to_id": 2, "type": "said_by"},
                      {"id": 5, "from_id": 3, "to_id": 2, "type": "of"}]}])
    (doc,) = read_doccano(path, mapping={"quote": "keep", "Role": "skip"})
    assert [s.label for s in doc.spans] == ["QUOTE", "speaker"]
    assert [(r.type, r.source, r.target) for r in doc.relations] == [("said_by", "1", "2")]  # not a claim: kept as a relation
    assert any("relation 5" in n and "skipped" in n for n in doc.notes)


def test_sniff_tells_doccano_from_native_jsonl(tmp_path):
    assert sniff_doccano(DATA / "relations.jsonl") and sniff_doccano(DATA / "label_shape.jsonl")
    native = write_lines(tmp_path, [{"id": "d1", "title": "t", "text": "Hello.", "entities": [], "spans": []}], "native.jsonl")
    assert not sniff_doccano(native)
    assert registry.detect_format(DATA / "relations.jsonl").name == "doccano"
    assert registry.detect_format(native).name == "jsonl"


# --- writing ------------------------------------------------------------------------------------


def test_b01_export_offsets_are_utf16_by_default_and_code_points_on_request():
    store = Store.memory()
    store.import_documents(read_doccano(DATA / "relations.jsonl"))
    lines, _ = export(store)
    taxes = next(line for line in lines if line["text"].startswith("📰"))
    by_label = {e["label"]: (e["start_offset"], e["end_offset"]) for e in taxes["entities"]}
    assert (by_label["speaker"], by_label["claim"]) == ((3, 14), (22, 51))  # B01 utf16_offsets
    ids = {e["label"]: e["id"] for e in taxes["entities"]}
    assert {(r["from_id"], r["to_id"], r["type"]) for r in taxes["relations"]} == {
        (ids["claim"], ids["speaker"], "source"), (ids["claim"], ids["cue"], "cue"), (ids["PERSON"], ids["ORG"], "works_for")}
    assert (taxes["title"], taxes["polarity"]) == ("Taxes", "negative")
    lines, _ = export(store, offsets="codepoints", shape="label")
    taxes = next(line for line in lines if line["text"].startswith("📰"))
    assert [2, 13, "speaker"] in taxes["label"] and [21, 49, "claim"] in taxes["label"] and "relations" not in taxes


def test_export_reports_what_doccano_cannot_carry():
    store = Store.memory()
    store.import_documents(read_doccano(DATA / "label_shape.jsonl"))
    doc_id = store.document_infos()[0].id
    claim = next(s for s in store.spans(doc_id) if s.label == "claim")
    speaker = next(s for s in store.spans(doc_id) if s.label == "speaker")
    store.update_span(claim.id, polarity="negative", note="check", fragments=[(19, 27), (33, 46)], source_id=speaker.id)
    store.update_entity(speaker.entity_id, name="Tom Brennan")
    lines, dropped = export(store, shape="label")
    assert sum(1 for e in lines[0]["label"] if e[2] == "claim") == 2  # one entity per fragment
    text = "\n".join(dropped)
    for what in ("attributes", "notes", "discontinuous", "entities", "relation"):
        assert what in text, what
    assert all(line.startswith(f"d{doc_id}: ") for line in dropped)


def test_export_to_file_and_import_paths_detects_the_format(tmp_path):
    store = Store.memory()
    import_paths(store, [DATA / "relations.jsonl"])
    out = tmp_path / "out.jsonl"
    export_to(store, "doccano", out)
    assert registry.detect_format(out).name == "doccano"
    again = Store.memory()
    report = import_paths(again, [out])
    assert len(report.added) == 2


# --- round trips through the store ---------------------------------------------------------------


def snapshot(store: Store) -> list:
    out = []
    for info in store.document_infos():
        spans = store.spans(info.id)
        key = {s.id: (s.label, s.fragments) for s in spans}
        out.append((store.document(info.id).text, info.title, info.polarity,
                    sorted((s.label, s.fragments, key.get(s.source_id), key.get(s.cue_id)) for s in spans),
                    sorted((r.type, key[r.from_id], key[r.to_id]) for r in store.relations(info.id))))
    return out


def test_b17_round_trip_is_identity_and_reimport_is_skipped(tmp_path):
    store = b17_store(tmp_path)
    store.import_documents(read_doccano(DATA / "relations.jsonl"))
    first = tmp_path / "first.jsonl"
    export_to(store, "doccano", first)
    again = Store.memory()
    again.import_documents(read_doccano(first))
    second = tmp_path / "second.jsonl"
    export_to(again, "doccano", second)
    assert first.read_bytes() == second.read_bytes()
    assert snapshot(again) == snapshot(store)
    assert "\n" in json.loads(first.read_text(encoding="utf-8").splitlines()[0])["text"]
    report, _ = store.import_documents(read_doccano(first))
    assert report.added == [] and len(report.skipped) == 3


def test_b09_overlaps_survive_both_shapes():
    store = Store.memory()
    store.import_documents(read_doccano(DATA / "relations.jsonl"))
    for shape in ("entities", "label"):
        lines, _ = export(store, shape=shape)
        acme = next(line for line in lines if line["text"] == B09_TEXT)
        assert len(acme["entities" if shape == "entities" else "label"]) == 4


def test_b16_relation_goes_with_its_end():
    store = Store.memory()
    store.import_documents(read_doccano(DATA / "relations.jsonl"))
    doc_id = store.document_infos()[0].id
    person = next(s for s in store.spans(doc_id) if s.label == "PERSON")
    store.delete_span(person.id)
    lines, dropped = export(store)
    assert {r["type"] for r in lines[0]["relations"]} == {"source", "cue"} and not dropped
    item = registry.export_items(store, [doc_id])[0]
    item.relations.append(Relation(99, doc_id, "works_for", person.id, item.spans[0].id))
    report = write_doccano([item], io.StringIO(), store.schema)
    assert report.dropped == [f"d{doc_id}: doccano cannot carry relation 99 (works_for): an end is not in the document"]


def test_grapheme_export_widens_a_span_that_splits_a_cluster(tmp_path):
    store = Store.memory()
    path = write_lines(tmp_path, [{"text": B02_TEXT, "label": [[6, 17, "SPEAKER"], [1, 5, "ICON"]]}])
    with pytest.raises(InputError, match="cuts a character in two"):  # B02: [1, 5) is inside the emoji cluster [0, 5)
        store.import_documents(read_doccano(path, offsets="codepoints"))
    store.import_documents(read_doccano(write_lines(tmp_path, [{"text": B02_TEXT, "label": [[6, 17, "SPEAKER"]]}]),
                                        offsets="codepoints"))
    item, = registry.export_items(store)
    icon = Span(id=99, document_id=item.document.id, label="ICON", fragments=((1, 5),))  # stored before the rule
    buffer = io.StringIO(newline="")
    report = write_doccano([replace(item, spans=[icon, *item.spans])], buffer, store.schema, offsets="graphemes", shape="label")
    assert json.loads(buffer.getvalue())["label"] == [[0, 1, "ICON"], [2, 13, "speaker"]]
    assert report.dropped == ["d1: span 99 widened to whole grapheme clusters"]


def test_command_line_options_come_as_text(tmp_path):
    path = write_lines(tmp_path, [{"text": B16_TEXT, "label": [[1, 15, "QUOTE"], [30, 38, "SPEAKER"], [23, 29, "ROLE"]]}])
    (doc,) = read_doccano(path, mapping="QUOTE:keep, ROLE:skip", offsets="codepoints")
    assert [s.label for s in doc.spans] == ["QUOTE", "speaker"]
    (doc,) = read_doccano(path, mapping='{"role": "cue"}')
    assert [s.label for s in doc.spans] == ["claim", "speaker", "cue"]
    with pytest.raises(InputError, match=r"^in\.jsonl: mapping 'QUOTE': expected Label:layer"):
        read_doccano(path, mapping="QUOTE")
    store = Store.memory()
    import_paths(store, [path], options={"mapping": "QUOTE:keep"})
    out = tmp_path / "out.jsonl"
    export_to(store, "doccano", out, options={"offsets": "codepoints", "shape": "label"})
    assert json.loads(out.read_text(encoding="utf-8"))["label"][0] == [1, 15, "QUOTE"]


def test_the_export_report_notes_the_offset_unit_and_names_each_entity_once():
    """doccano counts UTF-16 code units (its default here too): the report says so, as a
    note, not as something lost; entities whose mentions doccano regroups by text are named
    once each, not once per mention."""
    from annotator.core.model import NewDocument

    store = Store.memory()
    text = "Mayor Jones said no. Jones said yes. The mayor said maybe.\n"
    doc = store.import_documents([NewDocument(title="t", text=text)])[0].added[0]
    jones = store.add_entity("Mayor Jones", "person").created_id("entities")
    for a, b in ((0, 11), (21, 26), (37, 46)):
        store.add_span(doc, "speaker", [(a, b)], entity_id=jones)
    report = write_doccano(registry.export_items(store), io.StringIO(newline=""), store.schema)
    assert report.notes == ["offsets are UTF-16 code units, as doccano counts them "
                            "(option offsets=codepoints for Python code points)"]
    assert report.dropped == [f"d{doc}: doccano cannot carry speaker entities (their mentions are grouped by their "
                              f"text on import): entities {jones}"]
    report = write_doccano(registry.export_items(store), io.StringIO(newline=""), store.schema, offsets="codepoints")
    assert report.notes == []
    assert registry.ExportReport().notes == []
