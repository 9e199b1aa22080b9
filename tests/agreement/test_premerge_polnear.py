"""Pre-merge on PolNeAR's brat files (``/work/shared/corpus/polnear/``, read there, never
copied; issue 11): one article imported as ann and as ben, ben's layer then edited as ben
(every third claim loses its first word, every fourth cue deleted). What both made alike goes
into gold with its links; at least 1 takes the union; the measures against the gold follow."""
from __future__ import annotations

from pathlib import Path

import pytest

from annotator.cli_agreement import project_reports
from annotator.core.adjudication import premerge
from annotator.core.store import Store
from annotator.services.importing import import_paths

POLNEAR = Path("/work/shared/corpus/polnear")
ARTICLE = POLNEAR / "breitbart_2015-12-07_clinton-camp-trump-s-islamaphobi.ann"
pytestmark = pytest.mark.skipif(not ARTICLE.exists(), reason="PolNeAR sample not found")


def layer(store, who):
    return [s for s in store.spans(1) if s.annotator == who]


@pytest.fixture
def team(tmp_path):
    store = Store.open(tmp_path / "team.annotator", annotator="ann")
    import_paths(store, [ARTICLE])
    store.annotator = "ben"
    import_paths(store, [ARTICLE])
    text = store.document_text(1)
    moved = deleted = 0
    for n, claim in enumerate(s for s in layer(store, "ben") if s.label == "claim"):
        start, end = claim.fragments[0]
        space = text.find(" ", start, end)
        if n % 3 == 0 and len(claim.fragments) == 1 and 0 < space < end - 1:
            store.update_span(claim.id, fragments=[(space + 1, end)])
            moved += 1
    for n, cue in enumerate(s for s in layer(store, "ben") if s.label == "cue"):
        if n % 4 == 0:
            store.delete_span(cue.id)
            deleted += 1
    store.annotator = "judge"
    yield store, moved, deleted
    store.close()


def test_unanimous_takes_the_untouched_claims_with_their_cue_source_and_speaker(team):
    store, moved, deleted = team
    ann = layer(store, "ann")
    claims = [s for s in ann if s.label == "claim"]
    cues = [s for s in ann if s.label == "cue"]
    assert (len(claims), len(cues), moved, deleted) == (13, 13, 4, 4)
    premerge(store, [1], "unanimous")
    gold = layer(store, "gold")
    assert sum(s.label == "claim" for s in gold) == len(claims) - moved
    assert sum(s.label == "cue" for s in gold) == len(cues) - deleted
    assert sum(s.label == "speaker" for s in gold) == sum(s.label == "speaker" for s in ann)
    by_frags = {(s.label, tuple(map(tuple, s.fragments))): s for s in ann}
    by_id = {s.id: s for s in store.spans(1)}
    for claim in (s for s in gold if s.label == "claim"):
        theirs = by_frags[("claim", tuple(map(tuple, claim.fragments)))]
        assert claim.speaker_id == theirs.speaker_id  # ann and ben linked the same speaker
        if claim.source_id is not None:
            assert by_id[claim.source_id].annotator == "gold"
            assert by_id[claim.source_id].fragments == by_id[theirs.source_id].fragments
        if claim.cue_id is not None:
            assert by_id[claim.cue_id].fragments == by_id[theirs.cue_id].fragments
    # a claim keeps its cue in gold unless ben deleted that cue
    assert sum(s.cue_id is not None for s in gold if s.label == "claim") >= 1
    reports = project_reports(store)
    scored = {a["annotator"]: a for a in reports["gold"]["annotators"]}
    assert scored["ben"]["layers"]["cue"]["precision_exact"] == 1.0  # every cue ben kept is in gold
    assert scored["ann"]["layers"]["claim"]["recall_exact"] == 1.0
    assert reports["between"]["annotators"] == ["ann", "ben"]  # gold is not an annotator


def test_at_least_one_is_the_union(team):
    store, moved, _ = team
    premerge(store, [1], "at-least", 1)
    gold = layer(store, "gold")
    assert sum(s.label == "claim" for s in gold) == 13 + moved  # both boundaries of each moved claim
    assert sum(s.label == "cue" for s in gold) == 13
