"""Native JSON version 2: uuid, status, annotator, times, origin and score survive export
and import; a second annotator's annotations of a text already in the project join its
document; an import that brings a span the document already has (same uuid) does not
add it twice; a version 1 file still reads; identical spans listed twice are stored once
(issue 8, kind 1); undoing an import removes the labels it added (issue 8, kind 7)."""
from __future__ import annotations

import json
from pathlib import Path

from annotator.services.importing import export_to, import_paths
from annotator.core.model import NewDocument, NewSpan
from annotator.core.store import Store

TEXT = '"We will appeal," said lawyer Tom Hart.'
V1 = {"format": "annotator", "version": 1, "documents": [{
    "id": "d1", "title": "t", "text": TEXT, "entities": [{"id": "e1", "name": "Tom Hart", "type": "person"}],
    "spans": [{"id": "s1", "label": "speaker", "start": 30, "end": 38, "entity": "e1"},
              {"id": "s2", "label": "claim", "start": 1, "end": 15, "speaker": "e1", "source": "s1"}]}]}


def write(path: Path, data: dict) -> Path:
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def export(store: Store, path: Path) -> dict:
    export_to(store, "json", path)
    return json.loads(path.read_text(encoding="utf-8"))


def test_a_version_1_file_reads_and_exports_as_version_2(tmp_path):
    store = Store.memory(annotator="ana")
    report = import_paths(store, [write(tmp_path / "v1.json", V1)])
    assert len(report.added) == 1
    data = export(store, tmp_path / "out.json")
    assert data["version"] == 2
    span = data["documents"][0]["spans"][0]
    assert (span["status"], span["annotator"], span["origin"], span["score"]) == ("accepted", "ana", None, None)
    assert len(span["uuid"]) == 36 and span["created"].endswith("Z")
    entity = data["documents"][0]["entities"][0]
    assert entity["annotator"] == "ana" and len(entity["uuid"]) == 36


def test_uuids_and_authorship_survive_export_and_import(tmp_path):
    first = Store.memory(annotator="ana")
    import_paths(first, [write(tmp_path / "v1.json", V1)])
    first.add_span(1, "cue", [(18, 22)], status="suggested", origin="rule:cue-verb", score=0.5)
    out = export(first, tmp_path / "first.json")
    spans = {s["uuid"]: s for s in out["documents"][0]["spans"]}
    second = Store.memory(annotator="ben")
    import_paths(second, [tmp_path / "first.json"])
    again = export(second, tmp_path / "second.json")
    assert {s["uuid"]: s for s in again["documents"][0]["spans"]} == spans
    assert all(s.annotator == "ana" for s in second.spans(1))
    assert [e.uuid for e in second.entities()] == [e.uuid for e in first.entities()]


def test_suggested_spans_keep_status_origin_and_score_through_the_file(tmp_path):
    data = json.loads(json.dumps(V1))
    data["version"] = 2
    data["documents"][0]["spans"].append({"id": "s3", "label": "cue", "start": 18, "end": 22, "status": "suggested",
                                          "origin": "rule:cue-verb", "score": 0.25, "annotator": "bot"})
    store = Store.memory()
    import_paths(store, [write(tmp_path / "v2.json", data)])
    cue, = store.spans(1, statuses=("suggested",))
    assert (cue.origin, cue.score, cue.annotator) == ("rule:cue-verb", 0.25, "bot")
    assert len(store.spans(1)) == 2  # accepted only


def test_another_annotators_annotations_of_the_same_text_join_its_document(tmp_path):
    ana = Store.memory(annotator="ana")
    import_paths(ana, [write(tmp_path / "v1.json", V1)])
    export(ana, tmp_path / "ana.json")
    project = Store.memory(annotator="ben")
    project.import_documents([NewDocument(title="t", text=TEXT, spans=[NewSpan("c", "cue", ((18, 22),))])])
    report = import_paths(project, [tmp_path / "ana.json"])
    assert (report.added, report.joined, report.skipped) == ([], [1], [])
    assert project.document_count() == 1
    assert sorted((s.label, s.annotator) for s in project.spans(1)) == [("claim", "ana"), ("cue", "ben"), ("speaker", "ana")]
    # the same file again: ana has annotations there now, so it is skipped as before
    again = import_paths(project, [tmp_path / "ana.json"])
    assert again.joined == [] and len(again.skipped) == 1 and len(project.spans(1)) == 3


def test_an_import_does_not_duplicate_a_span_the_document_already_has(tmp_path):
    ana = Store.memory(annotator="ana")
    import_paths(ana, [write(tmp_path / "v1.json", V1)])
    data = export(ana, tmp_path / "ana.json")
    project = Store.memory()
    import_paths(project, [tmp_path / "ana.json"])
    # a second annotator's file holding a copy of one of ana's spans (same uuid) and one of hers
    copy = dict(next(s for s in data["documents"][0]["spans"] if s["label"] == "speaker"))
    mine = {"id": "x", "label": "cue", "start": 18, "end": 22, "annotator": "cleo"}
    copy["annotator"] = "cleo"
    data["documents"][0]["spans"] = [copy, mine]
    report = import_paths(project, [write(tmp_path / "cleo.json", data)])
    assert report.joined == [1]
    uuids = [s.uuid for s in project.spans(1)]
    assert len(uuids) == len(set(uuids)) == 3


def test_a_span_listed_twice_is_stored_once_with_a_note(tmp_path):
    store = Store.memory()
    report, change = store.import_documents([NewDocument(title="t", text=TEXT, origin="dup.jsonl#1", spans=[
        NewSpan("a", "cue", ((18, 22),)), NewSpan("b", "cue", ((18, 22),)), NewSpan("c", "claim", ((1, 15),), cue="b")])])
    assert [s.label for s in store.spans(1)] == ["claim", "cue"]
    assert any("duplicate" in n and "'b'" in n for n in report.notes)
    claim = next(s for s in store.spans(1) if s.label == "claim")
    assert store.span(claim.cue_id).label == "cue"  # the link to the duplicate goes to the span kept


def test_undo_of_an_import_removes_the_labels_it_added():
    store = Store.memory()
    _, change = store.import_documents([NewDocument(title="x", text="Acme hired Bo.", labels=["ORG"],
                                                    spans=[NewSpan("s1", "ORG", ((0, 4),))])])
    assert change.labels_added == ["ORG"] and "ORG" in store.schema.label_names
    store.apply(change.inverted())
    assert "ORG" not in store.schema.label_names and store.extra_labels() == ()
    assert store.document_count() == 0
    store.apply(change)  # redo brings them back
    assert "ORG" in store.schema.label_names and store.document_count() == 1
