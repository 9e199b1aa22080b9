"""Accepting and rejecting suggestions in the core (annotator.core.review)."""
from __future__ import annotations

import pytest

from annotator.core import review
from annotator.core.errors import InputError
from annotator.core.model import NewDocument
from annotator.core.store import Store

TEXT = "The mayor said the bridge “will open soon.”"


def find(needle: str) -> tuple[int, int]:
    start = TEXT.index(needle)
    return start, start + len(needle)


@pytest.fixture
def sugg():
    """A store with one document: a suggested claim with a suggested cue, source mention and
    suggested speaker entity; returns (store, doc, claim, cue, mention, entity)."""
    store = Store.memory()
    store.import_documents([NewDocument(title="t", text=TEXT)])
    doc = store.document_infos()[0].id
    entity = store.add_entity("mayor").created_id("entities")
    store.set_entity_status(entity, "suggested")
    mention = store.add_span(doc, "speaker", [find("The mayor")], status="suggested", origin="rule:x",
                             score=0.8, entity_id=entity).created_id("spans")
    cue = store.add_span(doc, "cue", [find("said")], status="suggested", origin="rule:x").created_id("spans")
    claim = store.add_span(doc, "claim", [find("“will open soon.”")], status="suggested", origin="rule:direct-quote",
                           score=0.9, speaker_id=entity, source_id=mention, cue_id=cue, form="direct").created_id("spans")
    return store, doc, claim, cue, mention, entity


def statuses(store, *ids):
    return [store.span(i).status for i in ids]


def test_accept_takes_the_cue_source_and_speaker_in_one_change(sugg):
    store, doc, claim, cue, mention, entity = sugg
    change = review.accept_suggestion(store, claim)
    assert statuses(store, claim, cue, mention) == ["accepted"] * 3
    assert store.entity(entity).status == "accepted"
    assert store.span(claim).cue_id == cue and store.span(claim).source_id == mention
    store.apply(change.inverted())
    assert statuses(store, claim, cue, mention) == ["suggested"] * 3
    assert store.entity(entity).status == "suggested"


def test_accept_only_the_span_clears_links_to_suggestions(sugg):
    store, doc, claim, cue, mention, entity = sugg
    review.accept_span_only(store, claim)
    span = store.span(claim)
    assert (span.status, span.cue_id, span.source_id, span.speaker_id) == ("accepted", None, None, None)
    assert statuses(store, cue, mention) == ["suggested", "suggested"]
    assert store.entity(entity).status == "suggested"


def test_reject_keeps_the_span_as_rejected_and_hidden(sugg):
    store, doc, claim, *_ = sugg
    review.reject_suggestion(store, claim)
    assert store.span(claim).status == "rejected"
    assert claim not in [s.id for s in store.spans(doc)]
    assert claim in [s.id for s in store.spans(doc, statuses=("rejected",))]
    with pytest.raises(InputError, match="not a suggestion"):
        review.accept_suggestion(store, claim)


def test_accepting_a_claim_drops_a_link_to_a_rejected_cue(sugg):
    store, doc, claim, cue, mention, entity = sugg
    review.reject_suggestion(store, cue)
    review.accept_suggestion(store, claim)
    assert store.span(claim).cue_id is None and store.span(cue).status == "rejected"
    assert store.span(claim).source_id == mention


def test_accept_all_and_score_filter(sugg):
    store, doc, claim, cue, mention, entity = sugg
    assert [s.id for s in review.suggestions(store, doc, min_score=0.85)] == [cue, claim]  # cue has no score
    change = review.accept_all(store, doc)
    assert statuses(store, claim, cue, mention) == ["accepted"] * 3
    assert review.suggestions(store, doc) == []
    assert len(store.spans(doc)) == 3
    store.apply(change.inverted())
    assert len(review.suggestions(store, doc)) == 3


def test_accepting_makes_a_new_document_in_progress_and_nothing_to_accept_is_an_empty_change(sugg):
    store, doc, claim, cue, mention, entity = sugg
    assert store.document(doc).status == "new"
    review.reject_suggestion(store, mention)
    assert store.document(doc).status == "new"  # rejecting is no annotation
    review.accept_all(store, doc)
    assert store.document(doc).status == "in progress"
    assert not review.accept_all(store, doc).items
    assert store.span(mention).status == "rejected"  # accept all leaves rejected spans alone
    assert store.span(claim).source_id is None  # and an accepted claim never links to one


def test_rejecting_a_claim_rejects_its_cue_and_source_in_the_same_change(sugg):
    store, doc, claim, cue, mention, entity = sugg
    change = review.reject_suggestion(store, claim)
    assert statuses(store, claim, cue, mention) == ["rejected"] * 3
    assert review.suggestions(store, doc) == []
    store.apply(change.inverted())  # one undo step brings the three back
    assert statuses(store, claim, cue, mention) == ["suggested"] * 3


def test_rejecting_a_claim_keeps_a_cue_another_claim_uses_and_never_touches_accepted_spans(sugg):
    store, doc, claim, cue, mention, entity = sugg
    other = store.add_span(doc, "claim", [find("the bridge")], status="suggested", origin="rule:x",
                           cue_id=cue).created_id("spans")
    review.accept_span_only(store, mention)  # the mention is an annotation now
    review.reject_suggestion(store, claim)
    assert statuses(store, claim, cue, mention, other) == ["rejected", "suggested", "accepted", "suggested"]
    review.reject_suggestion(store, other)  # the last claim of the cue: the cue goes with it
    assert store.span(cue).status == "rejected"


def test_a_cue_kept_by_a_rejected_claim_only_is_rejected_with_the_last_live_claim(sugg):
    store, doc, claim, cue, mention, entity = sugg
    old = store.add_span(doc, "claim", [find("the bridge")], status="rejected", cue_id=cue).created_id("spans")
    review.reject_suggestion(store, claim)
    assert statuses(store, old, cue, mention) == ["rejected"] * 3


def test_rejecting_a_cue_or_mention_rejects_that_span_alone(sugg):
    store, doc, claim, cue, mention, entity = sugg
    review.reject_suggestion(store, mention)
    assert statuses(store, claim, cue, mention) == ["suggested", "suggested", "rejected"]


def test_accept_all_with_a_score_filter_decides_cues_and_mentions_with_their_claim(sugg):
    store, doc, claim, cue, mention, entity = sugg
    low = store.add_span(doc, "claim", [find("bridge")], status="suggested", origin="model:crf@1",
                         score=0.2).created_id("spans")
    low_cue = store.add_span(doc, "cue", [find("mayor")], status="suggested", origin="rule:x",
                             score=0.95).created_id("spans")
    store.update_span(low, cue_id=low_cue)
    change = review.accept_all(store, doc, min_score=0.5)
    assert statuses(store, claim, cue, mention) == ["accepted"] * 3
    # the low claim stays, and so does its cue although the cue passes the filter
    assert statuses(store, low, low_cue) == ["suggested", "suggested"]
    store.apply(change.inverted())
    assert statuses(store, claim, cue, mention, low, low_cue) == ["suggested"] * 5
    review.accept_all(store, doc)  # without a filter: everything
    assert statuses(store, claim, cue, mention, low, low_cue) == ["accepted"] * 5
    assert store.span(low).cue_id == low_cue


NEW_TEXT = "Professor Ann Eastman said the bridge “will open soon.” She said “it is safe.”"


def new_speaker_suggestions():
    """Suggestions as ``annotator suggest`` writes them for speakers of new names: mentions
    with no entity and claims with no speaker; returns (store, doc, claims, mentions)."""
    from annotator.core.suggest.base import Suggestion, SpanSuggestion
    from annotator.core.suggest.project import write_suggestions

    store = Store.memory()
    store.import_documents([NewDocument(title="t", text=NEW_TEXT)])
    doc = store.document_infos()[0].id

    def at(needle, label, nth=0):
        start = NEW_TEXT.index(needle) if not nth else NEW_TEXT.index(needle, NEW_TEXT.index(needle) + 1)
        return SpanSuggestion(label, ((start, start + len(needle)),), "rule:x", 0.8)

    write_suggestions(store, doc, [
        Suggestion(at("“will open soon.”", "claim"), at("said", "cue"), at("Professor Ann Eastman", "speaker"), "Ann Eastman"),
        Suggestion(at("“it is safe.”", "claim"), at("said", "cue", nth=1), at("She", "speaker"), "Ann Eastman"),
    ])
    spans = store.spans(doc, statuses=("suggested",))
    assert not store.entities() and all(s.entity_id is None and s.speaker_id is None for s in spans)
    return store, doc, [s.id for s in spans if s.label == "claim"], [s.id for s in spans if s.label == "speaker"]


def test_accept_all_creates_the_speaker_of_a_new_name_and_gives_claims_their_speaker():
    store, doc, claims, mentions = new_speaker_suggestions()
    review.accept_all(store, doc)
    [entity] = store.entities()
    assert entity.name == "Ann Eastman"
    assert [store.span(m).entity_id for m in mentions] == [entity.id, entity.id]  # "She" joins the named one
    assert [store.span(c).speaker_id for c in claims] == [entity.id, entity.id]


def test_accepting_a_claim_or_a_mention_joins_an_entity_of_that_name():
    store, doc, claims, mentions = new_speaker_suggestions()
    known = store.add_entity("Ann Eastman").created_id("entities")
    review.accept_suggestion(store, claims[0])
    assert store.span(mentions[0]).entity_id == known and store.span(claims[0]).speaker_id == known
    review.accept_suggestion(store, mentions[1])  # the pronoun alone: the last named speaker before it
    assert store.span(mentions[1]).entity_id == known
    assert len(store.entities()) == 1


def test_an_acronym_that_spells_a_pronoun_is_a_name():
    text = "WHO said “iodine matters.”"
    store = Store.memory()
    store.import_documents([NewDocument(title="t", text=text)])
    doc = store.document_infos()[0].id
    store.add_entity("Mu Li")
    mention = store.add_span(doc, "speaker", [(0, 3)], status="suggested").created_id("spans")
    review.accept_suggestion(store, mention)
    assert store.entity(store.span(mention).entity_id).name == "WHO"
