"""Reading every document for an export (Store.export_documents() with no ids): two streamed
queries (documents by id, spans by the spans_document index) give what the read by chunks
of ids gives, with the same statuses filter."""
from __future__ import annotations

from annotator.core.model import NewDocument, NewEntity, NewSpan
from annotator.core.store import Store

TEXT = '"We will appeal," said lawyer Tom Hart. "Never."'


def project() -> Store:
    """Four documents: spans in any order of start, a discontinuous claim, spans sharing a
    start, a document with no span, and spans of every status."""
    store = Store.memory()
    docs = []
    for k in range(4):
        spans = [] if k == 2 else [
            NewSpan("s1", "claim", ((1, 15), (40, 46)), speaker="e1", polarity="negative"),
            NewSpan("s2", "speaker", ((30, 38),), entity="e1"),
            NewSpan("s3", "cue", ((17, 21),)),
            NewSpan("s4", "claim", ((1, 7),)),
            NewSpan("s5", "speaker", ((30, 33),)),
        ]
        docs.append(NewDocument(title=f"t{k}", text=f"{TEXT} ({k})", origin=f"case.json#{k}",
                                entities=[NewEntity("e1", "Tom Hart")], spans=spans))
    store.import_documents(docs)
    store.add_span(1, "cue", [(17, 21)], status="suggested")
    store.add_span(4, "cue", [(23, 29)], status="rejected")
    store.add_span(3, "speaker", [(30, 33)], status="suggested")
    return store


def test_all_documents_read_streamed_equal_the_read_by_ids():
    store = project()
    ids = store.document_ids()
    for statuses in [("accepted",), ("suggested",), ("accepted", "rejected"), None]:
        streamed = list(store.export_documents(statuses=statuses))
        by_ids = list(store.export_documents(ids, statuses=statuses))
        assert streamed == by_ids
    assert [d.id for d, _, _ in streamed] == ids


def test_streamed_spans_are_sorted_and_filtered():
    store = project()
    read = {d.id: spans for d, spans, _ in store.export_documents()}
    assert [(s.start, s.end) for s in read[1]] == [(1, 7), (1, 46), (17, 21), (30, 33), (30, 38)]
    assert read[1][1].fragments == ((1, 15), (40, 46))
    assert read[3] == []  # no span, still exported
    assert all(s.status == "accepted" for spans in read.values() for s in spans)
    assert store.spans(1) == read[1]
    suggested = {d.id: spans for d, spans, _ in store.export_documents(statuses=("suggested",))}
    assert [len(suggested[k]) for k in (1, 2, 3, 4)] == [1, 0, 1, 0]


def test_spans_in_document_order_use_the_document_index():
    store = project()
    groups = list(store.spans_in_document_order())
    assert [doc_id for doc_id, _ in groups] == [1, 2, 4]
    plan = " ".join(row[3] for row in store.db.execute(
        'EXPLAIN QUERY PLAN SELECT id FROM spans WHERE 1 AND +status IN (?) ORDER BY document_id, start, "end", id',
        ["accepted"]))
    assert "spans_document" in plan and "spans_status" not in plan
    assert "B-TREE" not in plan  # the index gives the order: no sort (migration m101)


def test_an_old_project_gets_the_wider_index_and_reads_the_same(tmp_path):
    """A project made before migration m101 (by the migrations before it) is migrated when
    opened: its spans_document index then gives the reading order with no sort."""
    import sqlite3

    from sqlite_utils import Database

    from annotator.core.store.migrations import migrations

    path = tmp_path / "old.db"
    db = Database(sqlite3.connect(str(path), isolation_level=None))
    migrations.apply(db, stop_before="m101_spans_document_order")
    db.conn.close()
    store = Store.open(path)
    store.import_documents([NewDocument(title="t", text=TEXT, origin="case.json#0", spans=[
        NewSpan("s1", "claim", ((1, 15),)), NewSpan("s2", "claim", ((1, 7),)), NewSpan("s3", "speaker", ((30, 38),))])])
    spans = next(iter(store.export_documents()))[1]
    assert [(s.start, s.end) for s in spans] == [(1, 7), (1, 15), (30, 38)]
    plan = " ".join(row[3] for row in store.db.execute(
        'EXPLAIN QUERY PLAN SELECT id FROM spans WHERE 1 AND +status IN (?) ORDER BY document_id, start, "end", id',
        ["accepted"]))
    assert "spans_document" in plan and "B-TREE" not in plan
    store.close()
