"""Adjudication's Qt-free core (issue 11): differences between layers, and accepting one
annotator's claim with its cue, source and speaker into the gold layer in one undo step."""
from __future__ import annotations

import pytest

from annotator.core.adjudication import accept_into_gold, differences
from annotator.core.errors import InputError
from annotator.core.model import NewDocument, NewEntity, NewSpan
from annotator.core.store import Store

TEXT = "Ann said the bridge will open. Ben said the road is closed. The mayor was quiet."


def team_store() -> Store:
    """ann: a claim (9, 29) with cue 'said' (4, 8) and source 'Ann' (0, 3) of entity Ann, and a
    claim (40, 58); ben: the claim (4, 29) only (a boundary difference) and the same (40, 58)."""
    store = Store.memory(annotator="me")
    store.import_documents([NewDocument(title="T", text=TEXT, annotator="ann", entities=[NewEntity(key="e1", name="Ann")], spans=[
        NewSpan(key="s", label="speaker", fragments=((0, 3),), entity="e1"),
        NewSpan(key="c", label="cue", fragments=((4, 8),)),
        NewSpan(key="a1", label="claim", fragments=((9, 29),), speaker="e1", source="s", cue="c", polarity="positive"),
        NewSpan(key="a2", label="claim", fragments=((40, 58),))])])
    store.import_documents([NewDocument(title="T", text=TEXT, annotator="ben", spans=[
        NewSpan(key="b1", label="claim", fragments=((4, 29),)), NewSpan(key="b2", label="claim", fragments=((40, 58),))])])
    return store


def test_differences_list_disagreements_only_in_text_order():
    store = team_store()
    diffs = differences(store.spans(1))
    assert [(d.label, d.start, d.end, d.missing) for d in diffs] == [
        ("speaker", 0, 3, ("ben",)), ("cue", 4, 8, ("ben",)), ("claim", 4, 29, ())]  # (40, 58): agreed
    assert [(a, s.start) for a, s in diffs[2].versions] == [("ann", 9), ("ben", 4)]


def test_accepting_a_claim_brings_its_cue_source_and_speaker_in_one_undo_step():
    store = team_store()
    claim = next(s for s in store.spans(1) if s.annotator == "ann" and s.start == 9)
    change = accept_into_gold(store, claim.id)
    gold = {s.label: s for s in store.spans(1) if s.annotator == "gold"}
    assert set(gold) == {"claim", "cue", "speaker"} and len(change.spans.added) == 3
    assert list(map(tuple, gold["claim"].fragments)) == [(9, 29)]
    assert gold["claim"].cue_id == gold["cue"].id and gold["claim"].source_id == gold["speaker"].id
    assert gold["claim"].speaker_id == claim.speaker_id and gold["claim"].polarity == "positive"
    assert gold["speaker"].entity_id == next(s for s in store.spans(1) if s.id == claim.source_id).entity_id
    assert store.annotator == "me"  # the window's annotator is back
    assert accept_into_gold(store, claim.id) is None  # already in gold: nothing to do
    store.apply(change.inverted())  # one undo step removes all three
    assert not [s for s in store.spans(1) if s.annotator == "gold"]


def test_accepting_the_other_version_reuses_a_gold_cue_and_refuses_gold_spans():
    store = team_store()
    ben = next(s for s in store.spans(1) if s.annotator == "ben" and s.start == 4)
    accept_into_gold(store, ben.id)
    gold = [s for s in store.spans(1) if s.annotator == "gold"]
    assert [(s.label, s.start) for s in gold] == [("claim", 4)]
    with pytest.raises(InputError):
        accept_into_gold(store, gold[0].id)
    assert differences(store.spans(1))  # gold spans are not a layer that differs


def test_claims_of_the_same_words_attributed_differently_are_a_difference():
    """Found in review: two annotators' claims of the same fragments with a different
    polarity, or a different cue, were not listed (fragments only were compared)."""
    text = "Ann said it was a good day for all of us."
    store = Store.memory(annotator="me")

    def layer(who, cue, polarity):
        return NewDocument(title="T", text=text, annotator=who, spans=[
            NewSpan(key="s", label="speaker", fragments=((0, 3),)),
            NewSpan(key="c", label="cue", fragments=(cue,)),
            NewSpan(key="a", label="claim", fragments=((9, 40),), source="s", cue="c", polarity=polarity)])
    store.import_documents([layer("ann", (4, 8), "positive")])
    store.import_documents([layer("ben", (4, 8), "positive")])
    assert differences(store.spans(1)) == []  # the same claim, cue, source and polarity
    store.import_documents([layer("cat", (4, 8), "negative")])
    assert [(d.label, d.start) for d in differences(store.spans(1))] == [("claim", 9)]
