"""Label Studio and doccano interchange, issue 8 kinds 8 and 9: relation direction and
unlabelled relations survive a round trip; empty tasks / examples are skipped with a note."""
from __future__ import annotations

import io
import json

import pytest

from annotator.core.errors import InputError
from annotator.core.store import Store
from annotator.formats.doccano import read_doccano
from annotator.formats.label_studio import read_label_studio, write_label_studio
from annotator.formats.registry import export_items

TEXT = "Mayor Ruiz met Chief Obi in Lagos on Friday."


def region(rid, start, end, label):
    return {"id": rid, "from_name": "label", "to_name": "text", "type": "labels",
            "value": {"start": start, "end": end, "text": TEXT[start:end], "labels": [label]}}


def test_kind8_direction_bi_and_an_unlabelled_relation_come_back_as_they_were(tmp_path):
    results = [region("a", 0, 10, "PERSON"), region("b", 15, 24, "PERSON"), region("c", 28, 33, "GPE"),
               {"from_id": "a", "to_id": "b", "type": "relation", "direction": "bi", "labels": ["met"]},
               {"from_id": "b", "to_id": "c", "type": "relation", "direction": "right", "labels": []}]
    path = tmp_path / "ls.json"
    path.write_text(json.dumps([{"id": 1, "data": {"text": TEXT}, "annotations": [{"result": results}]}]), "utf-8")
    store = Store.memory()
    store.import_documents(read_label_studio(path))
    out = io.StringIO()
    report = write_label_studio(export_items(store), out, store.schema)
    written = [r for r in json.loads(out.getvalue())[0]["annotations"][0]["result"] if r["type"] == "relation"]
    assert [(r["direction"], r["labels"]) for r in written] == [("bi", ["met"]), ("right", [])]
    assert not any("relation" in line for line in report.dropped)


def test_kind9_an_empty_task_is_skipped_with_a_note(tmp_path):
    path = tmp_path / "ls.json"
    path.write_text(json.dumps([{"id": 1, "data": {"text": ""}, "annotations": [{"result": []}]},
                                {"id": 2, "data": {"text": TEXT}, "annotations": [{"result": [region("a", 0, 10, "speaker")]}]}]),
                    "utf-8")
    docs = read_label_studio(path)
    assert [(d.text, [(s.label, s.fragments) for s in d.spans]) for d in docs] == [(TEXT, [("speaker", ((0, 10),))])]
    assert docs[0].notes[0] == "ls.json: task 1 (id 1): an empty task (no text, no annotation), skipped as Label Studio " \
                               "makes them from blank lines"


def test_kind9_only_empty_tasks_is_refused_and_a_task_without_text_still_is(tmp_path):
    path = tmp_path / "ls.json"
    path.write_text(json.dumps([{"id": 1, "data": {"text": ""}}]), "utf-8")
    with pytest.raises(InputError, match=r"^ls\.json: every task is empty"):
        read_label_studio(path)
    path.write_text(json.dumps([{"id": 1, "data": {"body": 3}}]), "utf-8")
    with pytest.raises(InputError, match=r"^ls\.json: task 1 \(id 1\): no text"):
        read_label_studio(path)


def test_kind9_an_empty_doccano_example_is_skipped_with_a_note(tmp_path):
    path = tmp_path / "d.jsonl"
    path.write_text('{"id": 1, "text": "", "label": []}\n{"id": 2, "text": "Hello there.", "label": [[0, 5, "X"]]}\n',
                    "utf-8")
    docs = read_doccano(path)
    assert [d.text for d in docs] == ["Hello there."]
    assert docs[0].notes[0] == "d.jsonl: line 1: an empty example (no text, no label), skipped"
