"""The project's figures (annotator stats --json and the Statistics panel)."""
from __future__ import annotations

from annotator.core import operations as ops
from annotator.core.model import NewDocument, NewEntity, NewSpan
from annotator.core.store import Store
from annotator.core.store.statistics import figures

TEXT = "Ann said yes. Bob said no. Ann said maybe. Someone said something."


def _store() -> Store:
    store = Store.memory()
    store.import_documents([
        NewDocument(title="One", text=TEXT, entities=[NewEntity("a", "Ann"), NewEntity("b", "Bob")],
                    spans=[NewSpan("c1", "claim", ((9, 12),), speaker="a", polarity="positive"),
                           NewSpan("c2", "claim", ((23, 25),), speaker="b", polarity="negative"),
                           NewSpan("c3", "claim", ((36, 41),), speaker="a"),
                           NewSpan("c4", "claim", ((57, 66),))]),
        NewDocument(title="Two", text="Nothing said here.", status="done")])
    return store


def test_figures_per_speaker_polarity_and_document():
    f = figures(_store())
    assert f["claims_per_speaker"] == {"Ann": 2, "(no speaker)": 1, "Bob": 1}
    assert f["polarity_per_speaker"] == {"Ann": {"positive": 1, "(none)": 1}, "(no speaker)": {"(none)": 1},
                                         "Bob": {"negative": 1}}
    assert [(d["title"], d["status"], d["claims"]) for d in f["claims_per_document"]] == [("One", "new", 4), ("Two", "done", 0)]
    assert f["documents_per_status"] == {"new": 1, "in progress": 0, "done": 1}


def test_done_per_day_counts_documents_by_the_day_they_were_marked_done():
    store = _store()
    assert figures(store)["done_per_day"] == {}  # "Two" came done from its file: no day known
    store.update_document(1, status="done")
    today = store.document(1).status_modified[:10]
    assert figures(store)["done_per_day"] == {today: 1}
    store.db.execute("UPDATE documents SET status_modified = '2026-12-07T23:59:59.000000Z' WHERE id = 1")
    assert figures(store)["done_per_day"] == {"2026-12-07": 1}


def test_figures_follow_an_edit():
    store = _store()
    claim = next(s for s in store.spans(1) if s.polarity == "negative")
    ops.set_claim_attribute(store, claim.id, "polarity", "positive")
    assert figures(store)["polarity_per_speaker"]["Bob"] == {"positive": 1}


def test_suggestions_accepted_rejected_and_waiting_per_label_and_origin():
    from annotator.core import review

    store = _store()
    empty = figures(store)["suggestions"]
    assert empty == {"accepted": 0, "rejected": 0, "suggested": 0, "per_label": {}, "per_origin": {}}
    add = lambda label, at, origin, **kw: store.add_span(  # noqa: E731
        2, label, [at], status="suggested", origin=origin, **kw).created_id("spans")
    cue = add("cue", (8, 12), "rule:cue")
    claim = add("claim", (0, 7), "rule:direct-quote", cue_id=cue)
    lone = add("claim", (13, 17), "model:crf@1")
    add("speaker", (0, 7), None)
    review.accept_suggestion(store, claim)  # with its cue
    review.reject_suggestion(store, lone)
    f = figures(store)["suggestions"]
    assert (f["accepted"], f["rejected"], f["suggested"]) == (2, 1, 1)
    assert f["per_label"] == {"speaker": {"accepted": 0, "rejected": 0, "suggested": 1},
                              "cue": {"accepted": 1, "rejected": 0, "suggested": 0},
                              "claim": {"accepted": 1, "rejected": 1, "suggested": 0}}
    assert list(f["per_origin"]) == ["(unknown)", "model:crf@1", "rule:cue", "rule:direct-quote"]
    assert f["per_origin"]["model:crf@1"] == {"accepted": 0, "rejected": 1, "suggested": 0}
    # the annotations made by hand (accepted, no origin) are not suggestions
    assert figures(store)["spans"]["claim"] == 5
