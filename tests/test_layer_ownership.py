"""An edit of another annotator's span never moves it into the editor's layer (issue 11):
it is refused with a message naming both layers; the gold layer is edited as gold; side
effects on another's span (a link cleared when a cue is deleted) keep its annotator."""
from __future__ import annotations

import pytest

from annotator.core.adjudication import accept_into_gold
from annotator.core.errors import InputError
from annotator.core.store import Store

from tests.test_premerge import three


def span_of(store, who, label, start):
    return next(s for s in store.spans(1) if s.annotator == who and s.label == label and s.start == start)


@pytest.mark.parametrize("edit", [
    lambda st, sid: st.update_span(sid, polarity="negative"),
    lambda st, sid: st.update_span(sid, fragments=[(13, 29)]),
    lambda st, sid: st.delete_span(sid),
    lambda st, sid: st.set_span_status(sid, "rejected"),
])
def test_editing_another_annotators_span_is_refused_and_changes_nothing(edit):
    store = three(Store.memory(annotator="cleo"))
    ann_claim = span_of(store, "ann", "claim", 9)
    with pytest.raises(InputError, match="this claim is in ann’s layer, not cleo’s: accept it into the gold layer"):
        edit(store, ann_claim.id)
    assert store.span(ann_claim.id) == ann_claim
    mine = span_of(store, "cleo", "claim", 9)
    store.update_span(mine.id, polarity="positive")  # her own: allowed, still hers
    assert store.span(mine.id).annotator == "cleo" and store.span(mine.id).polarity == "positive"


def test_gold_is_edited_as_gold_and_side_effects_keep_the_owner():
    store = three(Store.memory(annotator="judge"))
    claim = span_of(store, "ann", "claim", 9)
    accept_into_gold(store, claim.id)
    gold_claim = span_of(store, "gold", "claim", 9)
    with pytest.raises(InputError, match="show the gold layer"):
        store.update_span(gold_claim.id, polarity="negative")  # as judge: refused
    store.annotator = "gold"  # what View > Layer > gold does in the window
    store.update_span(gold_claim.id, fragments=[(13, 29)])
    assert span_of(store, "gold", "claim", 13).annotator == "gold"
    store.annotator = "ann"
    cue = span_of(store, "ann", "cue", 4)
    store.delete_span(cue.id)  # her own cue: her claim loses the link and stays hers
    assert store.span(claim.id).cue_id is None and store.span(claim.id).annotator == "ann"
    # a side effect on another's span keeps its owner: ben's claim loses a link to a span that goes
    store.annotator = "ben"
    ben_claim = span_of(store, "ben", "claim", 9)
    ann_source = span_of(store, "ann", "speaker", 0)
    store.annotator = ""  # the command line (no name) may link across layers
    store.update_span(ben_claim.id, source_id=ann_source.id)
    assert store.span(ben_claim.id).annotator == "ben"
    store.annotator = "ann"
    store.delete_span(ann_source.id)
    after = store.span(ben_claim.id)
    assert after.source_id is None and after.annotator == "ben"
