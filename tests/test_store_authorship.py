"""Status, annotator, uuid and times on spans, entities, relations and documents; the
migration of a project made before them."""
from __future__ import annotations

import re
import sqlite3

import pytest
from sqlite_utils import Database

from annotator.core.store.backup import list_backups
from annotator.core.errors import InputError
from annotator.core.model import NewDocument, NewEntity, NewRelation, NewSpan, Span
from annotator.core.store import Store
from annotator.core.store.migrations import migrations

TEXT = '"We will appeal," said lawyer Tom Hart.'
ISO = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$")


def doc(annotator: str = "", spans=None) -> NewDocument:
    return NewDocument(title="t", text=TEXT, origin="case.json#0", annotator=annotator,
                       entities=[NewEntity("e1", "Tom Hart")],
                       spans=spans if spans is not None else [
                           NewSpan("s1", "claim", ((1, 15),), speaker="e1", source="s2", polarity="negative"),
                           NewSpan("s2", "speaker", ((30, 38),), entity="e1")],
                       relations=[NewRelation("r1", "says", "s2", "s1")])


def test_a_new_span_is_stamped_with_annotator_uuid_and_times():
    store = Store.memory(annotator="ana")
    store.import_documents([doc()])
    change = store.add_span(1, "cue", [(18, 22)])
    span = change.spans.added[0]
    assert (span.annotator, span.status, span.origin, span.score) == ("ana", "accepted", None, None)
    assert len(span.uuid) == 36 and ISO.match(span.created) and span.modified == span.created
    assert store.span(span.id) == span
    assert all(s.annotator == "ana" and s.uuid for s in store.spans(1))
    assert all(e.annotator == "ana" and e.uuid for e in store.entities())
    assert all(r.annotator == "ana" and r.uuid for r in store.relations(1))
    created = store.document(1).created
    assert ISO.match(created)


def test_an_edit_stamps_modified_and_the_editor_and_document_status_its_setter():
    store = Store.memory(annotator="ana")
    store.import_documents([doc()])
    claim = next(s for s in store.spans(1) if s.label == "claim")
    (before, after), = store.update_span(claim.id, polarity="positive").spans.changed
    assert (before.annotator, after.annotator) == ("ana", "ana") and after.modified > before.modified
    assert after.created == before.created and after.uuid == before.uuid
    store.annotator = "ben"  # ana's claim is ana's layer: ben's edit is refused (issue 11)
    with pytest.raises(InputError, match="in ana’s layer, not ben’s"):
        store.update_span(claim.id, polarity="negative")
    store.update_document(1, status="done")
    document = store.document(1)
    assert document.status_annotator == "ben" and ISO.match(document.status_modified)


def test_suggested_spans_wait_outside_views_stats_and_exports():
    store = Store.memory()
    store.import_documents([doc()])
    suggestion = store.add_span(1, "cue", [(18, 22)], status="suggested", origin="rule:cue-verb", score=0.75)
    span = store.span(suggestion.spans.new_id)
    assert (span.status, span.origin, span.score) == ("suggested", "rule:cue-verb", 0.75)
    assert "cue" not in {s.label for s in store.spans(1)}
    assert [s.id for s in store.spans(1, statuses=("suggested",))] == [span.id]
    assert len(store.spans(1, statuses=None)) == 3
    assert store.stats()["spans"]["cue"] == 0 and store.stats(statuses=None)["spans"]["cue"] == 1
    assert store.document_infos()[0].span_count == 2
    _, exported, _ = next(store.export_documents())
    assert span.id not in {s.id for s in exported}
    accept = store.set_span_status(span.id, "accepted")
    assert accept.description == "Accept cue" and store.stats()["spans"]["cue"] == 1
    store.apply(accept.inverted())
    assert store.span(span.id).status == "suggested"


def test_bad_status_and_score_are_refused():
    store = Store.memory()
    store.import_documents([doc()])
    with pytest.raises(InputError, match="status 'maybe'"):
        store.add_span(1, "cue", [(18, 22)], status="maybe")
    with pytest.raises(InputError, match="score"):
        store.add_span(1, "cue", [(18, 22)], score="high")
    with pytest.raises(InputError, match="status"):
        store.set_span_status(1, "")
    with pytest.raises(InputError, match="status 'x'"):
        store.import_documents([NewDocument(title="t", text="other text", spans=[NewSpan("s", "cue", ((0, 5),), status="x")])])


def test_model_defaults_keep_old_constructors():
    span = Span(1, 1, "cue", ((0, 2),))
    assert (span.status, span.annotator, span.uuid, span.origin, span.score) == ("accepted", "", None, None, None)


def make_old_project(path) -> None:
    """A project as Annotator wrote it before status / annotator / uuid (migrations m001, m002)."""
    db = Database(sqlite3.connect(str(path), isolation_level=None))
    migrations.apply(db, stop_before="m003_status_annotator_uuid")
    db.execute("INSERT INTO meta (key, value) VALUES ('schema', 'news')")
    db.execute("INSERT INTO documents (title, text, sha256) VALUES ('old', ?, 'x')", [TEXT])
    db.execute("INSERT INTO entities (name) VALUES ('Tom Hart')")
    for a, b, label in ((30, 38, "speaker"), (1, 15, "claim"), (18, 22, "cue")):
        db.execute('INSERT INTO spans (document_id, label, start, "end", fragments, entity_id) VALUES (1, ?, ?, ?, ?, ?)',
                   [label, a, b, f"[[{a}, {b}]]", 1 if label == "speaker" else None])
    db.execute("INSERT INTO relations (document_id, type, from_id, to_id) VALUES (1, 'says', 1, 2)")
    db.conn.close()


def test_an_old_project_is_backed_up_then_migrated_and_its_rows_get_uuids(tmp_path):
    path = tmp_path / "old.db"
    make_old_project(path)
    store = Store.open(path, annotator="ana")
    assert [b.reason for b in list_backups(path)] == ["before-migration"]
    spans = store.spans(1)
    assert len(spans) == 3 and all(s.status == "accepted" and s.annotator == "" and s.created is None for s in spans)
    uuids = {s.uuid for s in spans} | {e.uuid for e in store.entities()} | {r.uuid for r in store.relations(1)}
    assert len(uuids) == 5 and all(len(u) == 36 for u in uuids)
    assert re.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", store.document(1).created)  # ISO 8601 UTC now
    store.close()
    again = Store.open(path)
    assert {s.uuid for s in again.spans(1)} == {s.uuid for s in spans}  # once only
    assert len(list_backups(path)) >= 1
    again.close()
