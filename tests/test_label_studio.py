"""Label Studio JSON: reading an export (regions, per-region and task choices, textareas,
relations, predictions, legacy UTF-16 offsets), writing, and round trips through the store.

Cases from /work/shared/cases/known-faults.md: B01 (emoji: offsets and region text), B08
(collapsed white space in a region text), B09 (overlaps kept), B16 (relation dropped with its
end), B17 (export -> import identity, duplicate skipped). Inputs copied here.
"""
from __future__ import annotations

import io
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from annotator.core.errors import InputError
from annotator.core.model import Relation
from annotator.core.store import Store
from annotator.formats import registry
from annotator.formats.label_studio import labeling_config, read_label_studio, sniff_label_studio, write_label_studio
from annotator.services.importing import export_to, import_paths

DATA = Path(__file__).parent / "data" / "label_studio"
B01_TEXT = "📰 Mayor Jones said: \"Taxes will fall 📉 next year.\""
B09_TEXT = "Acme Bank chief Maria Lopez said profits rose."
B17_TEXT = "Rep. Kaur (D) said: \"Fine.\"\nPolls close at 8 p.m. 🗳\ufe0f"


def surface(text: str, span) -> str:
    return " … ".join(text[a:b] for a, b in span.fragments)


def region(rid: str, text: str, start: int, end: int, *labels: str) -> dict:
    return {"id": rid, "from_name": "label", "to_name": "text", "type": "labels",
            "value": {"start": start, "end": end, "text": text[start:end], "labels": list(labels)}}


def write_tasks(tmp_path: Path, tasks: list, name: str = "tasks.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(tasks, ensure_ascii=False), encoding="utf-8")
    return path


def export(store: Store, **options) -> tuple[list[dict], list[str]]:
    buffer = io.StringIO(newline="")
    report = write_label_studio(registry.export_items(store), buffer, store.schema, **options)
    return json.loads(buffer.getvalue()), report.dropped


def rich_store() -> Store:
    """Attribution with entity, cue and claim attributes, a discontinuous claim, extra labels
    with attributes, a note, a generic relation, document polarity."""
    store = Store.memory()
    store.import_documents(read_label_studio(DATA / "export.json"))
    doc_id = store.document_infos()[0].id
    spans = {s.label: s for s in store.spans(doc_id)}
    store.update_entity(spans["speaker"].entity_id, name="Ana Jones", type="person", qid="Q42")
    store.update_span(spans["claim"].id, intensity="high", target="taxes")
    store.update_span(spans["PERSON"].id, attributes={"score": 2, "tags": ["a", "b"], "odd": {"x": 1}}, note="who?")
    store.update_document(doc_id, status="done")
    doc2 = store.document_infos()[1].id
    store.add_span(doc2, "claim", [(0, 8), (14, 22)], form="indirect")
    return store


# --- reading ------------------------------------------------------------------------------------


def test_reads_a_label_studio_export():
    doc, predicted = read_label_studio(DATA / "export.json")
    spans = {s.key: s for s in doc.spans}
    assert [(spans[k].label, surface(doc.text, spans[k])) for k in ("Ab1", "Ab2", "Ab3", "Ab4", "Ab5")] == [
        ("speaker", "Mayor Jones"), ("cue", "said"), ("claim", "Taxes will fall 📉 next year."), ("ORG", "Acme Bank"),
        ("PERSON", "Critics")]
    assert spans["Ab3"].fragments == ((21, 49),)  # B01: code points after an emoji
    claim = spans["Ab3"]
    assert (claim.source, claim.cue, claim.speaker) == ("Ab1", "Ab2", spans["Ab1"].entity)  # "Source"; cue with direction left
    assert (claim.polarity, claim.form, claim.note) == ("negative", "direct", "a forecast, not a promise")
    assert spans["Ab4"].attributes == {"org_kind": ["bank", "lender"]}
    assert [(r.type, r.source, r.target) for r in doc.relations] == [("works_for", "Ab5", "Ab4")]
    assert (doc.title, doc.polarity, doc.labels) == ("Taxes", "negative", ["ORG", "PERSON"])
    notes = "\n".join(doc.notes)
    assert "export.json: task 1 (id 41): 1 more annotation(s) not imported" in notes  # the cancelled one is not counted
    assert "'remarks' about the whole task not imported" in notes and "'ref_id'" in notes
    assert [(s.label, surface(predicted.text, s)) for s in predicted.spans] == [("PERSON", "Minister Sato")]
    assert "prediction 'ner-v2' was imported" in predicted.notes[0]


def test_annotation_option_picks_another_annotation():
    doc, _ = read_label_studio(DATA / "export.json", annotation=3)
    assert [(s.key, s.label) for s in doc.spans] == [("Zz1", "speaker")]
    with pytest.raises(InputError, match=r"task 1 \(id 41\): has 3 annotation\(s\), not 4"):
        read_label_studio(DATA / "export.json", annotation=4)


def test_legacy_utf16_offsets_completions_and_another_data_key():
    (doc,) = read_label_studio(DATA / "legacy_utf16.json", offsets="utf16")
    assert [(s.label, s.fragments) for s in doc.spans] == [("speaker", ((2, 13),)), ("claim", ((21, 49),))]
    with pytest.raises(InputError, match=r"^legacy_utf16\.json: task 1 \(id 1\): region a: .*offsets=\"utf16\""):
        read_label_studio(DATA / "legacy_utf16.json")


@pytest.mark.parametrize("result, message", [
    (region("r1", B01_TEXT, 2, 90, "SPEAKER"), r"region r1: offset 90 is outside the text"),
    ({**region("r1", B01_TEXT, 2, 13, "SPEAKER"), "value": {"start": 2, "end": 13, "text": "Mayor Joans", "labels": ["SPEAKER"]}},
     r"region r1: \"text\" 'Mayor Joans' differs from the document's text at \[2, 13\)"),
    ({"from_id": "r1", "to_id": "nope", "type": "relation", "labels": ["said_by"]}, r"relation \d \(r1 -> nope\): nope is not"),
])
def test_malformed_tasks_are_refused_naming_file_and_task(tmp_path, result, message):
    results = [region("r1", B01_TEXT, 2, 13, "SPEAKER"), result] if "from_id" in result else [result]
    path = write_tasks(tmp_path, [{"id": 5, "data": {"text": "Fine."}}, {"id": 77, "data": {"text": B01_TEXT},
                                                                        "annotations": [{"result": results}]}])
    with pytest.raises(InputError, match=r"^tasks\.json: task 2 \(id 77\): " + message):
        read_label_studio(path)


def test_bad_json_names_line_and_column(tmp_path):
    path = tmp_path / "broken.json"
    path.write_text('[\n {"data": {"text": "x"},\n  "annotations": [}\n]', encoding="utf-8")
    with pytest.raises(InputError, match=r"^broken\.json: not valid JSON: .* at line 3, column 19"):
        read_label_studio(path)
    path.write_text('{"documents": 1}', encoding="utf-8")
    with pytest.raises(InputError, match=r"^broken\.json: task 1: no text"):
        read_label_studio(path)


def test_b08_collapsed_white_space_in_region_text_is_accepted(tmp_path):
    text = "The minister  said\tno."
    result = region("r1", text, 4, 22, "QUOTE")
    result["value"]["text"] = "minister said no."
    (doc,) = read_label_studio(write_tasks(tmp_path, [{"data": {"text": text}, "annotations": [{"result": [result]}]}]))
    assert doc.spans[0].fragments == ((4, 22),)


def test_sniff_tells_label_studio_from_native_json(tmp_path):
    assert sniff_label_studio(DATA / "export.json") and sniff_label_studio(DATA / "legacy_utf16.json")
    native = tmp_path / "native.json"
    native.write_text(json.dumps({"format": "annotator", "version": 1, "documents": []}), encoding="utf-8")
    assert not sniff_label_studio(native)
    assert registry.detect_format(DATA / "export.json").name == "label-studio"
    assert registry.detect_format(native).name == "json"


def test_options_are_checked():
    with pytest.raises(InputError, match="no option 'shape'"):
        read_label_studio(DATA / "export.json", shape="x")
    with pytest.raises(InputError, match="offsets must be one of codepoints, utf16"):
        read_label_studio(DATA / "export.json", offsets="graphemes")
    with pytest.raises(InputError, match="annotation must be a number"):
        read_label_studio(DATA / "export.json", annotation=0)


# --- writing ------------------------------------------------------------------------------------


def test_b01_export_offsets_and_region_text(tmp_path):
    store = Store.memory()
    store.import_documents(read_label_studio(DATA / "legacy_utf16.json", offsets="utf16"))
    out = tmp_path / "ls.json"
    export_to(store, "label-studio", out)
    raw = out.read_text(encoding="utf-8")
    assert "📉" in raw and "\\ud83d" not in raw.lower()
    task = json.loads(raw)[0]
    regions = [r for r in task["annotations"][0]["result"] if r["type"] == "labels"]
    assert [(r["value"]["start"], r["value"]["end"]) for r in regions] == [(2, 13), (21, 49)]
    assert regions[1]["value"]["text"] == B01_TEXT[21:49]
    tasks, _ = export(store, offsets="utf16")
    assert [(r["value"]["start"], r["value"]["end"]) for r in tasks[0]["annotations"][0]["result"] if r["type"] == "labels"] == [
        (3, 14), (22, 51)]


def test_export_writes_links_choices_and_reports_losses():
    store = rich_store()
    tasks, dropped = export(store)
    results = tasks[0]["annotations"][0]["result"]
    ids = {r["value"]["labels"][0]: r["id"] for r in results if r["type"] == "labels"}
    relations = {(r["from_id"], r["to_id"], r["labels"][0]) for r in results if r["type"] == "relation"}
    assert relations == {(ids["claim"], ids["speaker"], "source"), (ids["claim"], ids["cue"], "cue"),
                         (ids["PERSON"], ids["ORG"], "works_for")}
    per_claim = {r["from_name"]: r["value"] for r in results if r.get("id") == ids["claim"] and r["type"] != "labels"}
    assert {k: v.get("choices", v.get("text")) for k, v in per_claim.items()} == {
        "form": ["direct"], "polarity": ["negative"], "intensity": ["high"], "target": ["taxes"],
        "note": ["a forecast, not a promise"]}
    assert {"from_name": "document_polarity", "type": "choices", "value": {"choices": ["negative"]}}.items() <= \
        next(r for r in results if r.get("from_name") == "document_polarity").items()
    assert tasks[0]["data"]["status"] == "done"
    text = "\n".join(dropped)
    assert "label-studio cannot carry the QID of entity" in text and 'attribute odd={"x": 1}' in text
    assert "d2: label-studio cannot carry discontinuous span" in text and "regions s2, s2-2" in text


def test_labeling_config_names_what_the_export_uses():
    store = rich_store()
    root = ET.fromstring(labeling_config(store.schema))
    names = {e.get("name") for e in root.iter() if e.get("name")}
    tasks, _ = export(store)
    used = {r["from_name"] for t in tasks for r in t["annotations"][0]["result"] if "from_name" in r}
    assert used - {"score", "tags", "org_kind"} <= names  # attributes from other tools are not in the schema
    assert {"PERSON", "ORG", "speaker"} <= {e.get("value") for e in root.iter("Label")}


# --- round trips through the store ---------------------------------------------------------------


def snapshot(store: Store) -> list:
    entities = {e.id: (e.name, e.type) for e in store.entities()}
    out = []
    for info in store.document_infos():
        doc, spans = store.document(info.id), store.spans(info.id)
        key = {s.id: (s.label, s.fragments) for s in spans}
        out.append((doc.text, doc.title, doc.status, doc.polarity, sorted(
            (s.label, s.fragments, entities.get(s.entity_id), entities.get(s.speaker_id), key.get(s.source_id), key.get(s.cue_id),
             s.form, s.polarity, s.intensity, s.target, s.attrs, s.note) for s in spans),
            sorted((r.type, key[r.from_id], key[r.to_id]) for r in store.relations(info.id))))
    return out


def test_round_trip_keeps_everything_label_studio_carries(tmp_path):
    store = rich_store()
    first = tmp_path / "first.json"
    export_to(store, "label-studio", first)
    again = Store.memory()
    import_paths(again, [first])
    before, after = snapshot(store), snapshot(again)
    lost = '{"odd": {"x": 1}, "score": 2, "tags": ["a", "b"]}'
    expected = [s[:10] + ('{"score": 2, "tags": ["a", "b"]}' if s[10] == lost else s[10],) + s[11:] for s in before[0][4]]
    assert after[0][:4] == before[0][:4] and after[0][5] == before[0][5]
    assert after[0][4] == expected  # all but the attribute Label Studio cannot carry
    assert after[0][4][[s[0] for s in after[0][4]].index("speaker")][2] == ("Ana Jones", "person")
    assert [s[1] for s in after[1][4] if s[0] == "claim"] == [((0, 8),), ((14, 22),)]  # split in two regions


def test_b17_round_trip_is_identity_and_reimport_is_skipped(tmp_path):
    path = write_tasks(tmp_path, [{"id": 1, "data": {"text": B17_TEXT}, "annotations": [{"result": [
        region("a", B17_TEXT, 0, 9, "SPEAKER"), region("b", B17_TEXT, 0, 13, "PERSON"), region("c", B17_TEXT, 21, 26, "QUOTE"),
        region("d", B17_TEXT, 43, 52, "TIME"), {"from_id": "c", "to_id": "a", "type": "relation", "direction": "right",
                                                "labels": ["said_by"]}]}]}])
    store = rich_store()
    import_paths(store, [path])
    first, second = tmp_path / "first.json", tmp_path / "second.json"
    export_to(store, "label-studio", first)
    again = Store.memory()
    import_paths(again, [first])
    export_to(again, "label-studio", second)
    tasks1, tasks2 = (json.loads(p.read_text(encoding="utf-8")) for p in (first, second))
    assert tasks1[2] == tasks2[2] and tasks1[0] == tasks2[0]  # task 2 had a discontinuous claim: two regions, then two claims
    assert snapshot(again)[2] == snapshot(store)[2]
    assert tasks1[2]["data"]["text"] == B17_TEXT
    report = import_paths(store, [first])
    assert report.added == [] and len(report.skipped) == 3


def test_b09_overlaps_survive(tmp_path):
    path = write_tasks(tmp_path, [{"data": {"text": B09_TEXT}, "annotations": [{"result": [
        region("a", B09_TEXT, 0, 27, "SPEAKER"), region("b", B09_TEXT, 0, 9, "ORG"), region("c", B09_TEXT, 16, 27, "PERSON"),
        region("d", B09_TEXT, 33, 45, "CLAIM")]}]}])
    store = Store.memory()
    import_paths(store, [path])
    tasks, dropped = export(store)
    assert len([r for r in tasks[0]["annotations"][0]["result"] if r["type"] == "labels"]) == 4 and not dropped


def test_b16_relation_goes_with_its_end():
    store = Store.memory()
    store.import_documents(read_label_studio(DATA / "export.json"))
    doc_id = store.document_infos()[0].id
    person = next(s for s in store.spans(doc_id) if s.label == "PERSON")
    store.delete_span(person.id)
    tasks, dropped = export(store)
    assert {r["labels"][0] for r in tasks[0]["annotations"][0]["result"] if r["type"] == "relation"} == {"source", "cue"}
    item = registry.export_items(store, [doc_id])[0]
    item.relations.append(Relation(99, doc_id, "works_for", person.id, item.spans[0].id))
    report = write_label_studio([item], io.StringIO(), store.schema)
    assert report.dropped == [f"d{doc_id}: label-studio cannot carry relation 99 (works_for): an end is not in the document"]


def test_entity_type_alone_bidirectional_attribution_and_answers_on_skipped_regions(tmp_path):
    text = "Acme Corp said profits rose. Rivals said nothing."
    results = [region("a", text, 0, 9, "SPEAKER"), region("b", text, 15, 27, "QUOTE"), region("c", text, 29, 35, "NOISE"),
               {"id": "a", "from_name": "entity_type", "to_name": "text", "type": "choices",
                "value": {"choices": ["Organization"]}},
               {"from_id": "b", "to_id": "a", "type": "relation", "direction": "bi", "labels": ["said_by"]},
               {"id": "c", "from_name": "flag", "to_name": "text", "type": "choices", "value": {"choices": ["neutral"]}}]
    (doc,) = read_label_studio(write_tasks(tmp_path, [{"data": {"text": text}, "annotations": [{"result": results}]}]),
                               mapping={"noise": "skip"})
    speaker, claim = doc.spans
    assert [(e.name, e.type) for e in doc.entities] == [("Acme Corp", "organization")] and speaker.entity == doc.entities[0].key
    assert (claim.source, claim.speaker, doc.relations) == ("a", speaker.entity, [])
    assert doc.polarity is None  # the answer about the skipped region is not a document answer
    assert any("region c: not imported (skipped" in n for n in doc.notes)


def test_annotation_option_as_text_from_the_command_line():
    doc, _ = read_label_studio(DATA / "export.json", annotation="3", mapping="Speaker:keep")
    assert [(s.key, s.label) for s in doc.spans] == [("Zz1", "Speaker")]


def test_an_entity_is_reported_once_however_many_mentions_it_has():
    """The new user's export printed "cannot carry … notes of entity 16" 45 times, once per
    mention: one line per entity now, none about offsets (code points, Label Studio's own)."""
    from annotator.core.model import NewDocument

    store = Store.memory()
    text = "Acme said no. Acme said yes. Acme said maybe. Bob said so.\n"
    doc = store.import_documents([NewDocument(title="t", text=text)])[0].added[0]
    acme = store.add_entity("Acme", "organization").created_id("entities")
    bob = store.add_entity("Bob", "person").created_id("entities")
    store.update_entity(acme, notes="Wikipedia: Acme_Corporation", aliases=["ACME"])
    for start in (0, 14, 29):
        store.add_span(doc, "speaker", [(start, start + 4)], entity_id=acme)
    store.add_span(doc, "speaker", [(46, 49)], entity_id=bob)
    report = write_label_studio(registry.export_items(store), io.StringIO(newline=""), store.schema)
    assert report.dropped == [f"label-studio cannot carry the aliases and notes of entity {acme} (Acme)"]
    assert report.notes == []
    report = write_label_studio(registry.export_items(store), io.StringIO(newline=""), store.schema, offsets="utf16")
    assert len(report.notes) == 1 and "UTF-16 code units" in report.notes[0]
