"""The native JSON / JSON Lines formats: round trips, links, undo (refusals: test_native_refusals.py).

Cases from /work/shared/cases: cli_cases S01/S05/S06/S07/S09/S12, known-faults B01, B02,
B12, B14, B16, B17 (inputs copied here).
"""
from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from annotator.core.errors import InputError
from annotator.core.store import Store
from annotator.formats import registry
from annotator.services.importing import export_to, import_paths

B01_TEXT = "📰 Mayor Jones said: \"Taxes will fall 📉 next year.\""
B02_TEXT = "👩\U0001f3fd\u200d⚕\ufe0f Nurse Patel thanked Rene\u0301 Dubois."
B17_TEXT = "Rep. Kaur (D) said: \"Fine.\"\nPolls close at 8 p.m. 🗳\ufe0f"
S12_TEXT = "\"We will appeal,\" said lawyer Tom Hart, \"and we will win.\""


def native(tmp_path: Path, docs: list[dict], name: str = "in.json", **top) -> Path:
    path = tmp_path / name
    data = {"format": "annotator", "version": 1, **top, "documents": docs}
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


AUTHORSHIP = ("uuid", "status", "annotator", "created", "modified")


def plain(items: list[dict]) -> list[dict]:
    """Entities or relations without their authorship keys (version 2)."""
    return [{k: v for k, v in item.items() if k not in AUTHORSHIP} for item in items]


def export_json(store: Store, tmp_path: Path, name: str = "out.json", fmt: str = "json") -> dict | list:
    out = tmp_path / name
    export_to(store, fmt, out)
    text = out.read_text(encoding="utf-8")
    return json.loads(text) if fmt == "json" else [json.loads(line) for line in text.splitlines()]


def rich_docs() -> list[dict]:
    return [
        {"id": "d1", "title": "Emoji", "text": B01_TEXT, "status": "in progress", "polarity": "positive",
         "source": "https://example.org/1",
         "entities": [{"id": "e1", "name": "Mayor Jones", "type": "person", "aliases": ["Jones"], "qid": "Q1", "notes": "n"}],
         "spans": [
             {"id": "s1", "label": "speaker", "start": 2, "end": 13, "text": "Mayor Jones", "entity": "e1"},
             {"id": "s3", "label": "cue", "start": 14, "end": 18, "text": "said"},
             {"id": "s2", "label": "claim", "start": 21, "end": 49, "text": "Taxes will fall 📉 next year.", "speaker": "e1",
              "source": "s1", "cue": "s3", "form": "direct", "polarity": "positive", "intensity": "high", "target": "taxes"},
         ]},
        {"id": "d2", "title": "Broken quote", "text": S12_TEXT,
         "entities": [{"id": "e1", "name": "Mayor Jones", "type": "person"}, {"id": "e2", "name": "Tom Hart", "type": "person"}],
         "spans": [
             {"id": "a", "label": "speaker", "start": 23, "end": 38, "entity": "e2"},
             {"id": "b", "label": "claim", "start": 1, "end": 56, "fragments": [[1, 15], [41, 56]], "speaker": "e2",
              "source": "a", "form": "direct"},
             {"id": "c", "label": "claim", "start": 1, "end": 15, "speaker": "e1"},
         ]},
        {"id": "d3", "title": "Overlaps", "text": B17_TEXT,
         "entities": [{"id": "e9", "name": "Priya Kaur", "type": "person"}],
         "spans": [
             {"id": "s1", "label": "speaker", "start": 0, "end": 9, "entity": "e9"},
             {"id": "s2", "label": "speaker", "start": 0, "end": 13, "entity": "e9"},
             {"id": "s3", "label": "claim", "start": 21, "end": 26, "speaker": "e9", "source": "s1"},
             {"id": "s4", "label": "claim", "start": 43, "end": 52, "text": "8 p.m. 🗳\ufe0f"},
         ]},
    ]


def test_round_trip_is_identity(tmp_path):
    first_store = Store.memory()
    import_paths(first_store, [native(tmp_path, rich_docs())])
    first = export_json(first_store, tmp_path, "first.json")
    second_store = Store.memory()
    import_paths(second_store, [tmp_path / "first.json"])
    second = export_json(second_store, tmp_path, "second.json")
    assert first == second
    assert (tmp_path / "first.json").read_bytes() == (tmp_path / "second.json").read_bytes()
    assert [d["text"] for d in first["documents"]] == [B01_TEXT, S12_TEXT, B17_TEXT]
    assert first["schema"] == first_store.schema.to_dict()


def test_jsonl_round_trip(tmp_path):
    store = Store.memory()
    import_paths(store, [native(tmp_path, rich_docs())])
    lines = export_json(store, tmp_path, "out.jsonl", fmt="jsonl")
    assert lines == export_json(store, tmp_path)["documents"]
    again = Store.memory()
    report = import_paths(again, [tmp_path / "out.jsonl"])
    assert len(report.added) == 3
    assert export_json(again, tmp_path, "again.jsonl", fmt="jsonl") == lines


def test_jsonl_escapes_line_separators(tmp_path):
    store = Store.memory()
    import_paths(store, [native(tmp_path, [{"text": "one\u2028two\x85three\u2029"}])])
    raw = (tmp_path / "x.jsonl")
    export_to(store, "jsonl", raw)
    assert len(raw.read_text(encoding="utf-8").splitlines()) == 1
    assert json.loads(raw.read_text(encoding="utf-8"))["text"] == "one\u2028two\x85three\u2029"


def test_spans_offsets_and_links(tmp_path):
    store = Store.memory()
    import_paths(store, [native(tmp_path, rich_docs())])
    d1, d2, d3 = export_json(store, tmp_path)["documents"]
    s = {x["label"] + str(x["start"]): x for x in d1["spans"]}
    assert s["speaker2"]["text"] == "Mayor Jones" and s["speaker2"]["end"] == 13
    claim = s["claim21"]
    assert (claim["end"], claim["text"]) == (49, "Taxes will fall 📉 next year.")  # B01: code points
    assert claim["source"] == s["speaker2"]["id"] and claim["cue"] == s["cue14"]["id"]
    assert (claim["form"], claim["polarity"], claim["intensity"], claim["target"]) == ("direct", "positive", "high", "taxes")
    assert plain(d1["entities"]) == [{"id": d1["entities"][0]["id"], "name": "Mayor Jones", "type": "person",
                               "aliases": ["Jones"], "qid": "Q1", "notes": "n"}]
    assert (d1["status"], d1["polarity"], d1["source"]) == ("in progress", "positive", "https://example.org/1")
    # discontinuous claim: fragments kept, text joined with " … " for reading
    broken = next(x for x in d2["spans"] if len(x["fragments"]) == 2)
    assert broken["fragments"] == [[1, 15], [41, 56]] and (broken["start"], broken["end"]) == (1, 56)
    assert broken["text"] == "We will appeal … and we will win"
    # B17: span ending at the end of the text, emoji + VS16 inside it
    last = max(d3["spans"], key=lambda x: x["end"])
    assert last["end"] == len(B17_TEXT) == 52 and last["text"] == "8 p.m. 🗳\ufe0f"
    for doc in (d1, d2, d3):
        for span in doc["spans"]:
            if len(span["fragments"]) == 1:
                assert span["text"] == doc["text"][span["start"]:span["end"]]


def test_relations_attributes_notes_and_extra_labels_survive(tmp_path):
    doc = {"text": "Acme Bank chief Maria Lopez said profits rose.", "labels": ["ORG"],
           "entities": [{"id": "e1", "name": "Maria Lopez"}],
           "spans": [{"id": "o", "label": "ORG", "start": 0, "end": 9, "attributes": {"confidence": 0.5}, "note": "bank"},
                     {"id": "m", "label": "speaker", "start": 16, "end": 27, "entity": "e1"},
                     {"id": "c", "label": "claim", "start": 33, "end": 45, "speaker": "e1", "attributes": {"checked": True}}],
           "relations": [{"id": "x", "type": "works_for", "from": "m", "to": "o", "attributes": {"since": "2020"}}]}
    store = Store.memory()
    import_paths(store, [native(tmp_path, [doc])])
    first = export_json(store, tmp_path, "first.json")
    assert first["schema"]["extra_labels"][0]["name"] == "ORG"
    out = first["documents"][0]
    assert out["labels"] == ["ORG"]
    by_label = {s["label"]: s for s in out["spans"]}
    assert (by_label["ORG"]["attributes"], by_label["ORG"]["note"]) == ({"confidence": 0.5}, "bank")
    assert by_label["claim"]["attributes"] == {"checked": True} and by_label["claim"]["note"] is None
    assert plain(out["relations"]) == [{"id": "r1", "type": "works_for", "from": by_label["speaker"]["id"],
                                 "to": by_label["ORG"]["id"], "attributes": {"since": "2020"}}]
    for fmt, name in (("json", "first.json"), ("jsonl", "first.jsonl")):
        export_to(store, fmt, tmp_path / name)
        again = Store.memory()
        import_paths(again, [tmp_path / name])
        assert export_json(again, tmp_path, "again.json") == first


@pytest.mark.parametrize("skip_bad", [False, True])
def test_an_import_is_one_undo_step(tmp_path, skip_bad):
    store = Store.memory()
    paths = [native(tmp_path, rich_docs()[:2], "a.json"), native(tmp_path, rich_docs()[2:], "b.json")]
    if skip_bad:
        paths.append(native(tmp_path, [{"text": "x", "status": "archived"}], "bad.json"))
    report = import_paths(store, paths, skip_bad=skip_bad)
    assert len(report.added) == 3 and len(report.skipped) == skip_bad
    store.apply(store.last_change.inverted())
    assert store.document_count() == 0 and store.entities() == []
    store.apply(store.last_change)  # redo
    assert store.document_count() == 3


def test_entity_ids_are_project_ids_and_stable_across_documents(tmp_path):
    store = Store.memory()
    import_paths(store, [native(tmp_path, rich_docs())])
    d1, d2, _ = export_json(store, tmp_path)["documents"]
    jones = next(e for e in store.entities() if e.name == "Mayor Jones")
    assert d1["entities"][0]["id"] == f"e{jones.id}"
    assert f"e{jones.id}" in {e["id"] for e in d2["entities"]}
    assert {x["speaker"] for x in d2["spans"] if x["label"] == "claim"} == {f"e{jones.id}", next(
        e["id"] for e in d2["entities"] if e["name"] == "Tom Hart")}


def test_same_name_two_keys_in_one_file_stay_two_entities(tmp_path):
    doc = {"text": "We said it. We did.", "entities": [{"id": "e1", "name": "we"}, {"id": "e2", "name": "we"}],
           "spans": [{"id": "a", "label": "speaker", "start": 0, "end": 2, "entity": "e1"},
                     {"id": "b", "label": "speaker", "start": 12, "end": 14, "entity": "e2"}]}
    other = {"text": "Then we left.", "entities": [{"id": "e1", "name": "we"}],
             "spans": [{"id": "a", "label": "speaker", "start": 5, "end": 7, "entity": "e1"}]}
    store = Store.memory()
    import_paths(store, [native(tmp_path, [doc, other])])
    exported = export_json(store, tmp_path)["documents"]
    assert len({s["entity"] for s in exported[0]["spans"]}) == 2
    assert exported[1]["spans"][0]["entity"] == exported[0]["spans"][0]["entity"]  # same key in one file: one entity
    assert len(store.entities()) == 2


def test_b14_jsonl_batch_is_all_or_nothing_unless_bad_lines_are_skipped(tmp_path):
    a = tmp_path / "a.jsonl"
    a.write_text('{"id": "a1", "text": "Talks resumed in Geneva."}\n{"id": "a2", "text": "No deal yet, officials said."}\n',
                 encoding="utf-8")
    b = tmp_path / "b.jsonl"
    b.write_text('{"id": "b1", "text": "Minister Sato resigned on Friday.", "spans": [{"id": "s1", "label": "speaker", '
                 '"start": 0, "end": 13}]}\n{"id": "b2", "text": "Broken line, "spans": []}\n'
                 '{"id": "b3", "text": "Markets fell 2%."}\n', encoding="utf-8")
    store = Store.memory()
    with pytest.raises(InputError, match=r"^b\.jsonl: line 2: not valid JSON"):
        import_paths(store, [a, b])
    assert store.document_count() == 0
    report = import_paths(store, [a, b], skip_bad=True)  # only the bad line is left out
    assert len(report.added) == 4 and len(report.skipped) == 1 and report.skipped[0].startswith("b.jsonl: line 2")
    assert [d.title for d in store.document_infos()] == [
        "Talks resumed in Geneva.", "No deal yet, officials said.", "Minister Sato resigned on Friday.", "Markets fell 2%."]


def test_b16_deleting_a_speaker_leaves_no_dangling_link_and_undo_restores_it(tmp_path):
    doc = {"text": "\"We will appeal,\" said lawyer Tom Hart.", "entities": [{"id": "e1", "name": "Tom Hart"}],
           "spans": [{"id": "q", "label": "claim", "start": 1, "end": 15, "speaker": "e1", "source": "m"},
                     {"id": "m", "label": "speaker", "start": 30, "end": 38, "entity": "e1"}],
           "relations": [{"id": "R1", "type": "said_by", "from": "q", "to": "m"}]}
    store = Store.memory()
    import_paths(store, [native(tmp_path, [doc])])
    before = export_json(store, tmp_path, "before.json")
    assert plain(before["documents"][0]["relations"]) == [{"id": "r1", "type": "said_by", "from": "s1", "to": "s2", "attributes": {}}]
    entity = store.entities()[0]
    spans_before = {(s.id, s.start, s.end) for s in store.spans(1)}
    change = store.delete_entity(entity.id)
    after = export_json(store, tmp_path, "after.json")["documents"][0]
    assert [s["label"] for s in after["spans"]] == ["claim"]
    assert after["spans"][0]["speaker"] is None and after["spans"][0]["source"] is None
    assert after["entities"] == [] and after["relations"] == []  # no relation with a missing end
    store.apply(change.inverted())  # undo
    assert export_json(store, tmp_path, "undone.json") == before
    assert {(s.id, s.start, s.end) for s in store.spans(1)} == spans_before
    assert store.entity(entity.id) == entity
    store.apply(change)  # redo
    assert export_json(store, tmp_path, "redone.json")["documents"][0] == after
    store.apply(change.inverted())
    mention = next(s for s in store.spans(1) if s.label == "speaker")
    change = store.delete_span(mention.id)
    deleted = export_json(store, tmp_path, "x.json")["documents"][0]
    assert deleted["spans"][0]["source"] is None and deleted["relations"] == []
    store.apply(change.inverted())
    assert export_json(store, tmp_path, "y.json") == before


def test_b17_reimport_into_same_project_is_recognised(tmp_path):
    store = Store.memory()
    import_paths(store, [native(tmp_path, rich_docs())])
    export_json(store, tmp_path, "out.json")
    report = import_paths(store, [tmp_path / "out.json"])
    assert report.added == [] and len(report.skipped) == 3
    assert all("out.json#" in line and "already in the project" in line for line in report.skipped)
    assert store.document_count() == 3


def test_b12_end_of_text(tmp_path):
    text = "The council approved the budget"
    store = Store.memory()
    import_paths(store, [native(tmp_path, [{"text": text, "spans": [
        {"id": "t", "label": "cue", "start": 25, "end": 31}, {"id": "c", "label": "claim", "start": 0, "end": 31}]}])])
    spans = export_json(store, tmp_path)["documents"][0]["spans"]
    assert [(s["start"], s["end"], s["text"]) for s in spans] == [(0, 31, text), (25, 31, "budget")]
    bad = native(tmp_path, [{"text": text + ".", "spans": [{"id": "late", "label": "claim", "start": 25, "end": 33}]}], "b12.json")
    with pytest.raises(InputError, match=r"b12\.json: document 1: span 'late': \[25, 33\) is outside the text \(length 32\)"):
        import_paths(store, [bad])


@pytest.mark.parametrize("text, spans", [
    (B01_TEXT, [(2, 13, "Mayor Jones"), (21, 49, "Taxes will fall 📉 next year.")]),
    (B02_TEXT, [(6, 17, "Nurse Patel"), (26, 38, "Rene\u0301 Dubois")]),
])
def test_b01_b02_code_point_offsets_survive(tmp_path, text, spans):
    doc = {"text": text, "spans": [{"id": f"s{n}", "label": "claim", "start": a, "end": b, "text": t}
                                   for n, (a, b, t) in enumerate(spans)]}
    store = Store.memory()
    import_paths(store, [native(tmp_path, [doc])])
    out = export_json(store, tmp_path)["documents"][0]
    assert out["text"] == text  # no normalisation (B02: NFC would shorten it)
    assert [(s["start"], s["end"], s["text"]) for s in out["spans"]] == spans
    raw = (tmp_path / "out.json").read_text(encoding="utf-8")
    assert "\\u" not in raw and json.dumps(text, ensure_ascii=False) in raw  # characters written as themselves, never as surrogate escapes


def test_unknown_options_are_refused(tmp_path):
    store = Store.memory()
    with pytest.raises(InputError, match="no option 'mapping'"):
        import_paths(store, [native(tmp_path, [{"text": "abc"}])], options={"mapping": "x"})
    with pytest.raises(InputError, match="no option 'layer'"):
        export_to(store, "json", tmp_path / "x.json", options={"layer": "claim"})


def test_failed_export_leaves_no_file(tmp_path, monkeypatch):
    store = Store.memory()
    import_paths(store, [native(tmp_path, [{"text": "abc"}])])
    out = tmp_path / "out" / "x.json"
    out.parent.mkdir()
    out.write_text("old", encoding="utf-8")

    def boom(items, stream, schema, **options):
        stream.write("partial")
        raise OSError("disk full")

    monkeypatch.setitem(registry._FORMATS, "json", dataclasses.replace(registry.get_format("json"), writer=boom))
    with pytest.raises(OSError, match="disk full"):
        export_to(store, "json", out)
    assert out.read_text(encoding="utf-8") == "old"
    assert [p.name for p in out.parent.iterdir()] == ["x.json"]


def test_registry_knows_native_formats(tmp_path):
    assert {"json", "jsonl", "text"} <= {f.name for f in registry.formats()}
    assert registry.detect_format(native(tmp_path, [])).name == "json"
    assert registry.detect_format(tmp_path / "x.jsonl").name == "jsonl"
    assert registry.detect_format(tmp_path / "x.md").name == "text"
