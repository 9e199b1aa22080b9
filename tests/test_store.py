"""The store: edits, their Changes (undo / redo), integrity, opening bad files."""
from __future__ import annotations

import sqlite3

import pytest

from annotator.core.errors import InputError
from annotator.core.model import NewDocument, NewEntity, NewRelation, NewSpan
from annotator.core.store import Store
from store_backends import open_store  # noqa: F401 (the fixture)

TEXT = '"We will appeal," said lawyer Tom Hart.'


def snapshot(store: Store) -> tuple:
    """Everything an edit may touch, to compare before and after undo."""
    return tuple(store.db.execute(f"SELECT * FROM {t} ORDER BY id").fetchall() for t in ("documents", "entities", "spans", "relations"))


@pytest.fixture
def store(open_store) -> Store:
    s = open_store()
    s.import_documents([NewDocument(
        title="t", text=TEXT, origin="case.json#0",
        entities=[NewEntity("e1", "Tom Hart")],
        spans=[NewSpan("s1", "claim", ((1, 15),), speaker="e1", source="s2", cue="s3", polarity="negative"),
               NewSpan("s2", "speaker", ((30, 38),), entity="e1"),
               NewSpan("s3", "cue", ((18, 22),))],
    )])
    return s


def by_label(store: Store, label: str):
    return [s for s in store.spans(1) if s.label == label]


def test_import_links_claim_to_source_and_cue(store):
    claim, = by_label(store, "claim")
    speaker, = by_label(store, "speaker")
    cue, = by_label(store, "cue")
    assert (claim.source_id, claim.cue_id, claim.speaker_id) == (speaker.id, cue.id, speaker.entity_id)
    assert TEXT[claim.start:claim.end] == "We will appeal"


def test_delete_source_mention_unlinks_claim_and_undo_restores_same_ids(store):
    before = snapshot(store)
    speaker, = by_label(store, "speaker")
    change = store.delete_span(speaker.id)
    claim, = by_label(store, "claim")
    assert claim.source_id is None and not by_label(store, "speaker")
    store.apply(change.inverted())
    assert snapshot(store) == before
    store.apply(change)
    assert by_label(store, "claim")[0].source_id is None


def test_delete_entity_removes_mentions_and_attributions_and_undo_brings_them_back(store):
    before = snapshot(store)
    entity, = store.entities()
    change = store.delete_entity(entity.id)
    assert store.entities() == [] and by_label(store, "speaker") == []
    claim, = by_label(store, "claim")
    assert claim.speaker_id is None and claim.source_id is None
    assert store.db.execute("PRAGMA foreign_key_check").fetchall() == []
    store.apply(change.inverted())
    assert snapshot(store) == before


def test_merge_entities_moves_mentions_and_claims(store):
    change = store.add_entity("T. Hart")
    other = change.created_id("entities")
    speaker, = by_label(store, "speaker")
    store.add_span(1, "speaker", [(23, 29)], entity_id=other)
    keep = speaker.entity_id
    store.merge_entities(keep, other)
    assert {s.entity_id for s in by_label(store, "speaker")} == {keep}
    assert store.entity(keep).aliases == ("T. Hart",)
    assert store.entity(other) is None


@pytest.mark.parametrize("fragments, message", [
    ([(5, 5)], "zero-length"),
    ([(30, 40)], "outside the text"),
    ([(-1, 3)], "outside the text"),
    ([(8, 3)], "after end"),
    ([(1, 10), (5, 12)], "overlap"),
    ([], "no offsets"),
])
def test_bad_spans_are_refused_and_nothing_changes(store, fragments, message):
    before = snapshot(store)
    with pytest.raises(InputError, match=message):
        store.add_span(1, "claim", fragments)
    assert snapshot(store) == before


def test_span_may_end_at_end_of_text(store):
    change = store.add_span(1, "claim", [(0, len(TEXT))])
    assert store.span(change.created_id("spans")).end == len(TEXT)


def test_relations_go_with_their_spans_and_come_back_on_undo(store):
    claim, = by_label(store, "claim")
    speaker, = by_label(store, "speaker")
    store.add_relation(1, "said_by", claim.id, speaker.id)
    before = snapshot(store)
    change = store.delete_span(speaker.id)
    assert store.relations(1) == []
    store.apply(change.inverted())
    assert snapshot(store) == before


def test_import_is_all_or_nothing(store):
    before = snapshot(store)
    good = NewDocument(title="good", text="A good text.")
    bad = NewDocument(title="bad", text="Short.", origin="bad.json#0", spans=[NewSpan("s1", "claim", ((0, 99),))])
    with pytest.raises(InputError, match="bad.json"):
        store.import_documents([good, bad])
    assert snapshot(store) == before


def test_extra_labels_relations_and_attributes_are_kept(open_store):
    s = open_store()
    doc = NewDocument(title="t", text="Acme Bank chief Maria Lopez said profits rose.", labels=["ORG", "PERSON"],
                      spans=[NewSpan("T1", "ORG", ((0, 9),), attributes={"Negation": True}, note="check"),
                             NewSpan("T2", "PERSON", ((16, 27),))],
                      relations=[NewRelation("R1", "Employment", "T2", "T1")])
    s.import_documents([doc])
    assert s.schema.label_names[-2:] == ("ORG", "PERSON")
    org = next(x for x in s.spans(1) if x.label == "ORG")
    assert org.attributes == {"Negation": True} and org.note == "check"
    rel, = s.relations(1)
    assert (rel.type, s.span(rel.from_id).label, s.span(rel.to_id).label) == ("Employment", "PERSON", "ORG")


def test_unknown_label_without_declaration_is_refused(store):
    with pytest.raises(InputError, match="unknown label"):
        store.import_documents([NewDocument(title="x", text="abc", spans=[NewSpan("a", "LOC", ((0, 1),))])])


def test_same_text_twice_is_one_document(store):
    report, _ = store.import_documents([NewDocument(title="again", text=TEXT, origin="again.txt")])
    assert report.added == [] and "again.txt" in report.skipped[0]
    assert store.document_count() == 1


def test_project_file_survives_reopen(tmp_path):
    path = tmp_path / "p.db"
    s = Store.open(path)
    s.import_documents([NewDocument(title="t", text=TEXT)])
    s.add_span(1, "cue", [(18, 22)])
    s.close()
    s = Store.open(path)
    assert [x.label for x in s.spans(1)] == ["cue"]
    assert s.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert s.db.execute("PRAGMA foreign_keys").fetchone()[0] == 1


def test_not_a_project_is_refused(tmp_path):
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not sqlite at all" * 100)
    with pytest.raises(InputError, match="junk.db"):
        Store.open(junk)
    other = tmp_path / "other.db"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()
    with pytest.raises(InputError, match="not an Annotator project"):
        Store.open(other)


def test_newer_project_is_refused(tmp_path):
    path = tmp_path / "new.db"
    Store.open(path).close()
    conn = sqlite3.connect(path)
    conn.execute("INSERT INTO _sqlite_migrations (migration_set, name, applied_at) VALUES ('annotator', 'm999_future', 'now')")
    conn.commit()
    conn.close()
    with pytest.raises(InputError, match="newer version"):
        Store.open(path)


def test_document_edits_keep_the_text_out_of_the_undo_history(store):
    change = store.update_document(1, polarity="mixed", status="done")
    (before, after), = change.documents.changed
    assert before.text == after.text == ""  # the change carries the document without its text
    store.apply(change.inverted())
    doc = store.document(1)
    assert (doc.polarity, doc.status, doc.text) == (None, "new", TEXT)
    store.apply(change)
    assert store.document(1).status == "done" and store.document_text(1) == TEXT


def test_claims_linked_to_a_mention_or_cue(store):
    claim, = by_label(store, "claim")
    assert store.claims_linked_to(claim.source_id) == [claim.id] == store.claims_linked_to(claim.cue_id)
