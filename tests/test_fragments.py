"""Spans in several fragments and deleting a speaker's last mention (annotator.core.operations,
annotator.core.selection): no Qt needed."""
from __future__ import annotations

import pytest

from annotator.core import operations as ops
from annotator.core.errors import InputError
from annotator.core.model import NewDocument
from annotator.core.selection import fragment_at, merge_fragments
from annotator.core.store import Store

TEXT = "Institutional recipients, said Mauer, are required to report every grant.\n\nMauer left."


def find(needle: str, nth: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(nth + 1):
        start = TEXT.index(needle, start + 1)
    return start, start + len(needle)


@pytest.fixture
def doc():
    store = Store.memory()
    report, _ = store.import_documents([NewDocument(title="Mauer", text=TEXT)])
    yield store, report.added[0]
    store.close()


def test_merge_fragments_joins_overlapping_touching_and_whitespace_apart():
    text = "ab cd, ef gh"
    assert merge_fragments(text, [(7, 9), (0, 2)]) == [(0, 2), (7, 9)]  # sorted, kept apart (", " has a comma)
    assert merge_fragments(text, [(0, 2), (3, 5)]) == [(0, 5)]  # only a space between
    assert merge_fragments(text, [(0, 4), (2, 5)]) == [(0, 5)]  # overlapping
    assert merge_fragments(text, [(0, 2), (2, 3)]) == [(0, 3)]  # touching
    assert merge_fragments(text, [(0, 2), (5, 6), (7, 9)]) == [(0, 2), (5, 9)]


def test_fragment_at_counts_the_end_of_a_fragment():
    frags = [(0, 5), (10, 12)]
    assert fragment_at(frags, 0) == 0 and fragment_at(frags, 5) == 0 and fragment_at(frags, 11) == 1
    assert fragment_at(frags, 7) is None and fragment_at(frags, 13) is None


def test_add_fragment_makes_one_claim_around_the_cue_and_undo_restores_it(doc):
    store, doc_id = doc
    claim = ops.mark_claim(store, doc_id, [find("Institutional recipients,")]).spans.new_id
    change = ops.add_fragment(store, claim, [find("are required to report every grant.")])
    assert change.description == "Add fragment to claim"
    assert store.span(claim).fragments == (find("Institutional recipients,"), find("are required to report every grant."))
    store.apply(change.inverted())
    assert store.span(claim).fragments == (find("Institutional recipients,"),)


def test_add_fragment_trims_the_selection_and_refuses_what_adds_nothing(doc):
    store, doc_id = doc
    claim = ops.mark_claim(store, doc_id, [find("Institutional recipients,")]).spans.new_id
    a, b = find("are required")
    ops.add_fragment(store, claim, [(a - 1, b + 1)])  # the spaces around go
    assert store.span(claim).fragments[-1] == (a, b)
    with pytest.raises(InputError, match="part of the claim already"):
        ops.add_fragment(store, claim, [find("required")])
    with pytest.raises(InputError, match="punctuation"):
        ops.add_fragment(store, claim, [find(",", 1)])
    ops.add_fragment(store, claim, [find("to report")])  # a space apart: one fragment
    assert store.span(claim).fragments[-1] == (a, find("to report")[1])


def test_remove_fragment_under_the_caret_keeps_at_least_one(doc):
    store, doc_id = doc
    first, second = find("Institutional recipients,"), find("are required to report every grant.")
    claim = ops.mark_claim(store, doc_id, [first, second]).spans.new_id
    with pytest.raises(InputError, match="not in a fragment"):
        ops.remove_fragment(store, claim, find("said")[0])
    change = ops.remove_fragment(store, claim, first[1])  # the caret after its last character
    assert store.span(claim).fragments == (second,) and change.description == "Remove fragment of claim"
    with pytest.raises(InputError, match="only this fragment"):
        ops.remove_fragment(store, claim, second[0])
    store.apply(change.inverted())
    assert store.span(claim).fragments == (first, second)


def test_deleting_the_last_mention_can_take_its_speaker_in_one_undo_step(doc):
    store, doc_id = doc
    first = ops.mark_speaker(store, doc_id, [find("Mauer")]).spans.new_id
    mauer = store.span(first).entity_id
    second = ops.mark_speaker(store, doc_id, [find("Mauer", 1)]).spans.new_id
    claim = ops.mark_claim(store, doc_id, [find("are required to report every grant.")]).spans.new_id
    ops.attribute_claim(store, claim, mauer)
    assert ops.last_mention_of(store, first) is None  # a second mention remains
    ops.delete_span(store, second, remove_empty_speaker=True)
    assert store.entity(mauer) is not None  # it was not the last one
    assert ops.last_mention_of(store, first).id == mauer
    change = ops.delete_span(store, first, remove_empty_speaker=True)
    assert store.entity(mauer) is None and store.span(claim).speaker_id is None
    assert "speaker “Mauer”" in change.description
    store.apply(change.inverted())
    assert store.entity(mauer) is not None and store.span(first) is not None
    assert store.span(claim).speaker_id == mauer and store.span(claim).source_id == first


def test_deleting_the_last_mention_without_the_flag_leaves_the_speaker(doc):
    store, doc_id = doc
    span = ops.mark_speaker(store, doc_id, [find("Mauer")]).spans.new_id
    entity = store.span(span).entity_id
    ops.delete_span(store, span)
    assert store.entity(entity) is not None
    assert ops.last_mention_of(store, ops.mark_cue(store, doc_id, [find("said")]).spans.new_id) is None
