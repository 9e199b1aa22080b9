"""Issue 7, fault 3: an undo (or redo) never overwrites another window's edit.

Before the fix the window checked that an undo still applied OUTSIDE the write, and
``Store.apply`` then wrote blindly (Retry after a lock wrote again without checking):
window A checked its undo, window B set the claim's polarity, A applied the undo and B's
edit was lost. Now ``Store.apply`` checks, inside its own write transaction, that every
span, entity, relation and document (and the project's extra labels) is as the change left
it, and raises ChangedElsewhereError otherwise, writing nothing.

Two connections to one project play the two windows (``open_store`` twice with one name).
"""
from __future__ import annotations

import pytest

from annotator.core.errors import ChangedElsewhereError, StoreBusyError
from annotator.core.model import NewDocument, NewEntity, NewSpan
from store_backends import open_store  # noqa: F401 (the fixture)

TEXT = '"We will appeal," said lawyer Tom Hart.'


@pytest.fixture
def windows(open_store):
    a = open_store("shared", annotator="ana")
    a.import_documents([NewDocument(
        title="t", text=TEXT, origin="case.json#0", entities=[NewEntity("e1", "Tom Hart")],
        spans=[NewSpan("s1", "claim", ((1, 15),), speaker="e1", source="s2", polarity="negative"),
               NewSpan("s2", "speaker", ((30, 38),), entity="e1"), NewSpan("s3", "cue", ((18, 22),))])])
    b = open_store("shared", annotator="ana", busy_timeout=0.2)  # the same annotator in a second window (another
    # annotator may not edit ana’s spans at all: issue 11)
    return a, b


def claim_of(store):
    return next(s for s in store.spans(1) if s.label == "claim")


def refused(store, change, b_sees):
    """Applying ``change`` on ``store`` is refused and leaves what ``b_sees()`` returns as it was."""
    kept = b_sees()
    with pytest.raises(ChangedElsewhereError, match="elsewhere"):
        store.apply(change)
    assert b_sees() == kept


def test_undo_after_another_window_set_the_polarity_is_refused_and_keeps_its_edit(windows):
    a, b = windows
    claim = claim_of(a)
    mine = a.update_span(claim.id, polarity="positive")
    b.update_span(claim.id, polarity="neutral")
    refused(a, mine.inverted(), lambda: b.span(claim.id))
    assert b.span(claim.id).polarity == "neutral" and a.span(claim.id).polarity == "neutral"


def test_undo_of_a_deletion_after_another_window_deleted_what_it_linked_to(windows):
    a, b = windows
    claim = claim_of(a)
    mine = a.update_span(claim.id, polarity="positive")
    b.delete_span(claim.id)
    refused(a, mine.inverted(), lambda: b.span(claim.id))
    assert a.span(claim.id) is None


def test_redo_after_another_window_changed_the_span_is_refused(windows):
    a, b = windows
    claim = claim_of(a)
    mine = a.update_span(claim.id, target="the appeal")
    a.apply(mine.inverted())
    b.update_span(claim.id, target="the court")
    refused(a, mine, lambda: b.span(claim.id))
    assert a.span(claim.id).target == "the court"


def test_entity_renamed_elsewhere(windows):
    a, b = windows
    entity = a.entities()[0]
    mine = a.update_entity(entity.id, name="Thomas Hart")
    b.update_entity(entity.id, aliases=["T. Hart"])
    refused(a, mine.inverted(), lambda: b.entity(entity.id))
    assert b.entity(entity.id).aliases == ("T. Hart",) and b.entity(entity.id).name == "Thomas Hart"


def test_relation_deleted_elsewhere(windows):
    a, b = windows
    claim = claim_of(a)
    cue = next(s for s in a.spans(1) if s.label == "cue")
    mine = a.add_relation(1, "about", claim.id, cue.id)
    rel_id = mine.relations.new_id
    b.delete_relation(rel_id)
    b.add_relation(1, "about", cue.id, claim.id)
    refused(a, mine.inverted(), lambda: b.relations(1))
    assert [(r.from_id, r.to_id) for r in a.relations(1)] == [(cue.id, claim.id)]


def test_document_status_set_elsewhere(windows):
    a, b = windows
    mine = a.update_document(1, status="done")
    b.annotator = "ben"  # a document's status is anyone's to set
    b.update_document(1, status="in progress")
    refused(a, mine.inverted(), lambda: b.document(1))
    doc = a.document(1)
    assert doc.status == "in progress" and doc.status_annotator == "ben"


def test_labels_added_elsewhere_refuse_the_undo_of_an_import(windows):
    a, b = windows
    report, mine = a.import_documents([NewDocument(title="x", text="Acme hired Bo.", labels=["ORG"],
                                                   spans=[NewSpan("s1", "ORG", ((0, 4),))])])
    assert mine.labels_added == ["ORG"]
    b.import_documents([NewDocument(title="y", text="Bo left.", labels=["PERSON"], spans=[NewSpan("s1", "PERSON", ((0, 2),))])])
    refused(a, mine.inverted(), lambda: b.document_count())
    a.refresh()
    assert {"ORG", "PERSON"} <= set(a.schema.label_names) and a.document_count() == 3


def test_an_undo_that_still_applies_is_written(windows):
    a, b = windows
    claim = claim_of(a)
    mine = a.update_span(claim.id, polarity="positive")
    b.update_span(claim.id, intensity="high")  # another span field: still a change of the row
    with pytest.raises(ChangedElsewhereError):
        a.apply(mine.inverted())
    other = a.update_document(1, title="new title")  # untouched elsewhere: undone
    a.apply(other.inverted())
    assert b.document(1).title == "t"


def test_retry_after_a_lock_checks_again(windows):
    a, b = windows
    claim = claim_of(a)
    mine = b.update_span(claim.id, polarity="positive")  # B's edit, undone by B below
    with a.compound("A edits while B waits"):
        a.update_span(claim.id, polarity="neutral")
        with pytest.raises(StoreBusyError):  # the lock is A's: B's undo is not applied
            b.apply(mine.inverted())
    with pytest.raises(ChangedElsewhereError):  # Retry: checked again, refused
        b.apply(mine.inverted())
    assert b.span(claim.id).polarity == "neutral"
