"""Evaluation measures on hand-worked cases, and the gold readers."""
from __future__ import annotations

import json

import pytest

from annotator.core.errors import InputError
from annotator.core.suggest.base import CLAIM, CUE, SPEAKER, SpanSuggestion, Suggestion
from annotator.core.suggest.evaluate import evaluate_document, normalise, passages, score_units
from annotator.core.suggest.gold import GoldClaim, GoldDocument, read_brat, read_gold_folder, read_gold_json

TEXT = "“The conversation seemed constructive to me,” Lavrov told Russian news agencies after talks."
#       0123456789...


def test_normalise_trims_marks_and_joins_fragments_split_at_spaces():
    # PolNeAR keeps the marks and the comma; the seed does not: both give the same unit
    assert normalise(TEXT, [(0, 45)]) == ((1, 43),)
    assert normalise(TEXT, [(1, 43)]) == ((1, 43),)
    assert normalise(TEXT, [(1, 17), (18, 45)]) == ((1, 43),)
    assert normalise(TEXT, [(0, 1)]) == ()


def test_passages_inside_marks():
    text = "Biden said that Putin was a “killer” and “a threat"
    assert [text[a:b] for a, b in passages(text, ((11, len(text)),))] == ["killer", "a threat"]


def test_scores_by_hand():
    gold = [((0, 10),), ((20, 30),), ((40, 50),)]
    pred = [((0, 10),), ((22, 28),), ((60, 70),), ((80, 90),)]
    s = score_units(pred, gold)
    # exact: 1 of 4 predicted right, 1 of 3 gold found
    assert (s.precision(), s.recall()) == (0.25, 1 / 3)
    assert s.f1() == pytest.approx(2 * 0.25 * (1 / 3) / (0.25 + 1 / 3))
    # overlap: 2 of 4, 2 of 3
    assert (s.precision("overlap"), s.recall("overlap")) == (0.5, 2 / 3)
    # a prediction on an ignored range (a scare quote) that matches no gold is not counted
    s = score_units(pred, gold, ignore=[(85, 88)])
    assert (s.pred, s.precision()) == (3, 1 / 3)
    empty = score_units([], [])
    assert (empty.precision(), empty.recall(), empty.f1()) == (1.0, 1.0, 1.0)


def _sug(claim, cue=None, source=None, form="direct", speaker=None):
    return Suggestion(SpanSuggestion(CLAIM, claim, "t").with_attrs(form=form),
                      SpanSuggestion(CUE, cue, "t") if cue else None,
                      SpanSuggestion(SPEAKER, source, "t") if source else None, speaker)


def test_document_measures_and_attribution_by_hand():
    lavrov, told = ((46, 52),), ((53, 57),)
    gold = GoldDocument("d", TEXT, [GoldClaim(((0, 45),), lavrov, told)],
                        layers=frozenset({"claims", "direct", "cues", "speakers", "attribution"}))
    right = evaluate_document(gold, [_sug(((1, 43),), told, lavrov)])
    for m in ("claims", "direct", "cues", "speakers"):
        assert right.scores[m].f1() == 1.0, m
    assert (right.attribution.direct, right.attribution.end_to_end) == (1.0, 1.0)
    # the wrong source: claims still right, attribution wrong; a cue one word too long is not exact
    wrong = evaluate_document(gold, [_sug(((1, 43),), ((53, 62),), ((58, 62),))])
    assert wrong.scores["claims"].f1() == 1.0
    assert wrong.scores["cues"].f1() == 0.0 and wrong.scores["cues"].f1("overlap") == 1.0
    assert wrong.scores["speakers"].f1("overlap") == 0.0
    assert (wrong.attribution.direct, wrong.attribution.end_to_end) == (0.0, 0.0)


def test_seed_attribution_by_entity_name():
    gold = GoldDocument("d", TEXT, [GoldClaim(((1, 43),), None, None, "Sergey Lavrov", (((46, 52),),), True)],
                        layers=frozenset({"direct", "speakers", "attribution"}))
    ev = evaluate_document(gold, [_sug(((1, 43),), speaker="Lavrov")])
    assert ev.attribution.direct == 1.0
    ev = evaluate_document(gold, [_sug(((1, 43),), speaker="Blinken")])
    assert ev.attribution.direct == 0.0


def test_gold_json_groups_pieces_and_ignores_q(tmp_path):
    text = 'He said, "One. Two." A "scare" word.\n'
    (tmp_path / "a.txt").write_text(text, encoding="utf-8")
    quotes = [{"start": 9, "end": 14, "text": '"One.', "tag": "quote", "group": 0},
              {"start": 15, "end": 20, "text": 'Two."', "tag": "quote", "group": 0},
              {"start": 23, "end": 30, "text": '"scare"', "tag": "q", "group": 1}]
    (tmp_path / "a.gold.json").write_text(json.dumps({"quotes": quotes, "mentions": [], "entities": []}), encoding="utf-8")
    doc = read_gold_json(tmp_path / "a.gold.json")
    assert [c.fragments for c in doc.claims] == [((9, 14), (15, 20))]
    assert doc.ignore == [(23, 30)] and doc.layers == {"direct"}


def test_brat_events(tmp_path):
    (tmp_path / "b.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "b.ann").write_text(
        "T1\tContent 0 45\t“The conversation seemed constructive to me,”\nT2\tSource 46 52\tLavrov\n"
        "T3\tCue 53 57\ttold\nT4\tAttribution 53 57\ttold\nE1\tAttribution:T4 Content:T1 Cue:T3 Source:T2\n", encoding="utf-8")
    (doc,) = read_gold_folder(tmp_path)
    (claim,) = doc.claims
    assert (claim.fragments, claim.source, claim.cue, claim.speaker) == (((0, 45),), ((46, 52),), ((53, 57),), "Lavrov")


def test_bad_gold_is_refused_with_the_file_named(tmp_path):
    with pytest.raises(InputError, match="no gold documents"):
        read_gold_folder(tmp_path)
    (tmp_path / "b.txt").write_text("short", encoding="utf-8")
    (tmp_path / "b.ann").write_text("T1\tContent 0 99\tx\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"b\.ann: line 1: bad offsets"):
        read_gold_folder(tmp_path)


def test_gold_of_quotations_only_does_not_judge_reported_speech():
    text = TEXT + " Lavrov said both sides understood the need."
    gold = GoldDocument("d", text, [GoldClaim(((1, 43),), ((46, 52),), None, "Sergey Lavrov", (((46, 52),),), True)],
                        layers=frozenset({"direct", "speakers", "attribution"}))
    reported = _sug(((107, 138),), ((102, 106),), ((95, 101),), form="indirect", speaker="Lavrov")
    ev = evaluate_document(gold, [_sug(((1, 43),), ((53, 57),), ((46, 52),), speaker="Lavrov"), reported])
    assert ev.scores["speakers"].precision("overlap") == 1.0  # the reported claim's "Lavrov" is not counted
    assert (ev.attribution.pred_claims, ev.attribution.end_to_end) == (1, 1.0)


def test_a_passage_keeps_the_language_marker_after_its_closing_mark():
    # Wikinews, taxes: the gold quotation is `dangerous" ((it))`, as a direct quote keeps it
    from annotator.core.suggest.evaluate import passages

    text = 'has called the sentence "dangerous" ((it)) and "ideological" ((it)): and “a b” c'
    assert [text[a:b] for a, b in passages(text, ((0, len(text)),))] == [
        'dangerous" ((it))', 'ideological" ((it))', "a b"]
