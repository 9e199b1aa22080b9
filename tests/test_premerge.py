"""Pre-merge strategies into the gold layer (issue 11), Qt-free: unanimous, majority, at
least N annotators; the same vote on spans, links and attributes; one undo step."""
from __future__ import annotations

import pytest

from annotator.core.adjudication import accept_agreed, needed_votes, plan_premerge, premerge
from annotator.core.errors import InputError
from annotator.core.model import NewDocument, NewEntity, NewSpan
from annotator.core.store import Store

#       0         1         2         3         4         5         6
#       0123456789012345678901234567890123456789012345678901234567890123456
TEXT = "Ann said the bridge will open. Ben said the road is closed. Fine."


def three(store: Store | None = None) -> Store:
    """ann, ben, cleo on one document:
    - claim (9, 29) by all three; cue 'said' (4, 8) by all three, linked by all three;
      source 'Ann' (0, 3) by ann and ben only (linked by them); polarity positive by ann and ben,
      negative by cleo;
    - claim (40, 58) by ann and ben; cleo marks (44, 58) instead;
    - claim (60, 64) by cleo alone."""
    store = store or Store.memory(annotator="judge")
    for who in ("ann", "ben", "cleo"):
        spans = [NewSpan(key="c", label="cue", fragments=((4, 8),))]
        if who != "cleo":
            spans.append(NewSpan(key="s", label="speaker", fragments=((0, 3),), entity="e1"))
        spans.append(NewSpan(key="a1", label="claim", fragments=((9, 29),), cue="c", speaker="e1",
                             source="s" if who != "cleo" else None,
                             polarity="negative" if who == "cleo" else "positive"))
        spans.append(NewSpan(key="a2", label="claim", fragments=((44, 58),) if who == "cleo" else ((40, 58),)))
        if who == "cleo":
            spans.append(NewSpan(key="a3", label="claim", fragments=((60, 64),)))
        store.import_documents([NewDocument(title="T", text=TEXT, annotator=who,
                                            entities=[NewEntity(key="e1", name="Ann")], spans=spans)])
    return store


def gold(store: Store) -> list[tuple]:
    spans = [s for s in store.spans(1) if s.annotator == "gold"]
    by_id = {s.id: s for s in spans}
    return sorted((s.label, s.start, s.end, s.polarity,
                   (by_id[s.cue_id].start, by_id[s.cue_id].end) if s.cue_id else None,
                   (by_id[s.source_id].start, by_id[s.source_id].end) if s.source_id else None) for s in spans)


def test_needed_votes_per_strategy():
    assert [needed_votes("unanimous", k) for k in (1, 2, 3, 4)] == [None, 2, 3, 4]
    assert [needed_votes("majority", k) for k in (1, 2, 3, 4, 5)] == [None, 2, 2, 3, 3]
    assert needed_votes("at-least", 6, 2) == 2
    for bad in (("at-least", 3, 0), ("at-least", 3, None), ("most", 3, None)):
        with pytest.raises(InputError):
            needed_votes(*bad)


def test_unanimous_takes_what_all_three_made_with_the_links_all_three_made():
    store = three()
    assert len({s.annotator for s in store.spans(1)}) == 3
    premerge(store, [1], "unanimous")
    # the claim and cue all made; no source (cleo has none), no polarity (cleo differs)
    assert gold(store) == [("claim", 9, 29, None, (4, 8), None), ("cue", 4, 8, None, None, None)]


def test_majority_takes_two_of_three_with_their_source_and_polarity():
    store = three()
    change = premerge(store, [1], "majority")
    assert gold(store) == [("claim", 9, 29, "positive", (4, 8), (0, 3)), ("claim", 40, 58, None, None, None),
                           ("cue", 4, 8, None, None, None), ("speaker", 0, 3, None, None, None)]
    claim = next(s for s in store.spans(1) if s.annotator == "gold" and s.start == 9)
    mention = store.span(claim.source_id)
    assert claim.speaker_id == mention.entity_id is not None
    assert store.annotator == "judge"
    assert premerge(store, [1], "majority") is None  # a second run adds nothing
    store.apply(change.inverted())  # one undo step
    assert gold(store) == []


def test_at_least_one_takes_every_span_and_reuses_gold():
    store = three()
    premerge(store, [1], "at-least", 3)
    assert len(gold(store)) == 2
    premerge(store, [1], "at-least", 1)
    assert [(g[0], g[1], g[2]) for g in gold(store)] == [
        ("claim", 9, 29), ("claim", 40, 58), ("claim", 44, 58), ("claim", 60, 64), ("cue", 4, 8), ("speaker", 0, 3)]
    # the gold cue of the first run was reused, not doubled
    assert sum(1 for s in store.spans(1) if s.annotator == "gold" and s.label == "cue") == 1


def test_accept_agreed_is_the_unanimous_premerge_of_one_document():
    store = three()
    accept_agreed(store, 1)
    assert [(g[0], g[1]) for g in gold(store)] == [("claim", 9), ("cue", 4)]
    assert accept_agreed(store, 1) is None


def test_plan_of_one_annotator_is_empty_for_unanimous_and_majority():
    store = Store.memory(annotator="ann")
    store.import_documents([NewDocument(title="T", text=TEXT, spans=[NewSpan(key="c", label="cue", fragments=((4, 8),))])])
    spans = store.spans(1)
    assert plan_premerge(spans, "unanimous") == [] and plan_premerge(spans, "majority") == []
    assert [g.fragments for g in plan_premerge(spans, "at-least", 1)] == [((4, 8),)]
