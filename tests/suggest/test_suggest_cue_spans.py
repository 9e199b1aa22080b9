"""Cue spans as PARC 3.0 corpora mark them (auxiliaries, negation, adverbs, "to" before the
verb; colon, particle, day and setting after it), and cues proposed without a claim, with
sentences quoted from ../shared/corpus/polnear (the gold cue of each is in the comment)."""
from __future__ import annotations

import pytest
from helpers import span_text

from annotator.core.suggest.cues import cue_span, find_cues
from annotator.core.suggest.rules import suggest_rules
from annotator.core.suggest.text import Analysis


def _cue(text: str, verb: str) -> str:
    an = Analysis.of(text)
    (cue,) = [c for c in find_cues(an) if text[c.verb_start:c.end] == verb]
    a, b = cue_span(an, cue)
    return text[a:b]


@pytest.mark.parametrize("text, verb, gold", [
    # breitbart_2015-12-07: gold cue "saying:"
    ("The 3:16 a.m. email highlights Hillary Clinton’s right-hand woman — the one who is often spotted by "
     "Clinton’s side — saying: “We have to be ready to stop him.”", "saying", "saying:"),
    # nyt_2016-04-25: gold cue "said in an interview"
    ("“It’s a great plane,” Mr. Trump said in an interview, “but I don’t use it much.”", "said", "said in an interview"),
    # politico_2016-01-27: gold cue "said Tuesday"
    ("Cruz himself said Tuesday that “the only way to win the state of Iowa is to go and ask.”", "said", "said Tuesday"),
    # wash-post_2015-11-24: gold cue "calling on"
    ("Democratic candidate Hillary Clinton said in a statement, calling on Congress to act.", "calling", "calling on"),
    # wash-post_2016-04-23: gold cue "actually thinks"
    ("Trump says that he actually thinks she's done a \"serviceable job.\"", "thinks", "actually thinks"),
    # nyt_2016-03-12: gold cue "later said" (the adverb before the verb)
    ("The woman later said she had been shoved.", "said", "later said"),
    # usa-today_2016-04-28 style: "hasn't said" (a negated auxiliary)
    ("Sanders hasn't said whether he will stay in the race.", "said", "hasn't said"),
    # wash-post_2016-08-09: gold cue "released a statement saying"
    ("At the time, she released a statement saying, \"G-III has distinguished itself.\"", "saying",
     "released a statement saying"),
])
def test_cue_span_takes_what_parc_counts_as_the_cue(text, verb, gold):
    assert _cue(text, verb) == gold


def test_according_to_stays_as_it_is():
    # nyt_2016-08-18: gold cue "according to"
    text = "He will be part of efforts to prepare Mr. Trump, according to three people briefed on the discussions."
    assert _cue(text, "according to") == "according to"


def test_a_cue_whose_claim_no_rule_finds_is_proposed_with_its_subject():
    # breitbart_2016-06-05: gold cue "knew", source "Elliott’s father, the Rev. Charles Elliott Jr.,"; a
    # thought verb with an object and no clause: no rule finds its content, the cue and its subject
    # are still proposed
    text = "Elliott’s father, the Rev. Charles Elliott Jr., knew Muhammad Ali for decades."
    (s,) = suggest_rules(text)
    assert s.claim is None
    assert span_text(text, s.cue) == "knew"
    assert span_text(text, s.source) == "Elliott’s father"


def test_no_lone_cue_without_a_subject():
    # a lexicon verb with no noun phrase before it proposes nothing on its own
    assert suggest_rules("Asked about it, nothing more.") == []


@pytest.mark.parametrize("text, verb", [
    # PolNeAR gold cues "endorsed", "declined", "referring to", "citing", "prefers"
    ("Ryan endorsed Trump in early June.", "endorsed"),
    ("A spokesman for the campaign declined to comment.", "declined"),
    ("Trump said it was a joke, referring to his remarks about the judge.", "referring to"),
    ("Members of the Trump family long ago soured on Lewandowski, the Post reported, citing another anonymous source.",
     "citing"),
    ("Clinton prefers a more cautious approach.", "prefers"),
])
def test_lexicon_has_verbs_of_stance_that_polnear_marks_as_cues(text, verb):
    assert _cue(text, verb) == verb


def test_a_quote_takes_a_verb_of_saying_before_a_verb_of_thought():
    # PolNeAR west-journal_2015-11-25: gold cue "According to", source "Phil Kerpen"; "appears" is not
    # the quote's cue
    text = ("According to Phil Kerpen, it appears that the “done” was in reference to a tweet Labott posted "
            "on January 23 at 4:01 PM.")
    (s,) = [x for x in suggest_rules(text) if x.claim is not None]
    assert span_text(text, s.cue) == "According to"
    assert span_text(text, s.source) == "Phil Kerpen"
