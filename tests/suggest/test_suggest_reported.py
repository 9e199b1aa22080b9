"""Reported speech, "according to", colon quotes, cues and speakers, with sentences quoted
from ../shared/corpus (seed and PolNeAR)."""
from __future__ import annotations

from helpers import claims, span_text

from annotator.core.suggest.base import KnownEntity
from annotator.core.suggest.rules import suggest_rules
from annotator.core.suggest.speakers import match_entity, name_of


def test_reported_speech_with_a_reported_clause_and_according_to():
    # seed
    text = ("Lavrov said diplomats would prepare proposals for a possible meeting between Biden and Russian "
            "President Vladimir Putin as early as June, according to Russian state media.")
    found = claims(text)
    claim = ("diplomats would prepare proposals for a possible meeting between Biden and Russian President "
             "Vladimir Putin as early as June, according to Russian state media")
    s = found[claim]
    assert s.claim.attr("form") == "indirect"
    assert s.claim.origin == "rule:reported-speech"
    assert span_text(text, s.cue) == "said"
    assert span_text(text, s.source) == "Lavrov"


def test_reported_speech_with_that_and_a_told_object():
    # PolNeAR, breitbart_2016-04-12: gold content "that the journalist had not been called on"
    text = "Trump shot back that the journalist had not been called on."
    (key, s), = claims(text).items()
    assert key == "that the journalist had not been called on"
    assert span_text(text, s.cue) == "shot back"
    assert span_text(text, s.source) == "Trump"
    text = "Lavrov told Russian news agencies that the talks were useful."  # the seed's cue "told" with "that"
    (key, s), = claims(text).items()
    assert key == "that the talks were useful"
    assert span_text(text, s.cue) == "told"


def test_content_before_the_cue():
    # seed: "... is that they are not going anywhere, Price said."
    text = "The Russians are not going anywhere, Price said."
    (key, s), = claims(text).items()
    assert key == "The Russians are not going anywhere"
    assert span_text(text, s.source) == "Price"


def test_according_to_at_the_start():
    # PolNeAR-style; the sentence is the seed's with "according to" moved to the front
    text = "According to Russian state media, diplomats would prepare proposals for a possible meeting."
    (key, s), = claims(text).items()
    assert key == "diplomats would prepare proposals for a possible meeting"
    assert s.claim.origin == "rule:according-to"
    assert span_text(text, s.cue) == "According to"
    assert span_text(text, s.source) == "Russian state media"


def test_colon_quotes():
    # PolNeAR, usa-today_2015-12-01: gold cue ":" and sources "Clinton", "Bush"
    text = ('Clinton: "Our goal is not to deter or contain ISIS, but to defeat and destroy ISIS." '
            'Bush: "The mission is to destroy ISIS -- not to contain it."')
    found = claims(text)
    a = found["Our goal is not to deter or contain ISIS, but to defeat and destroy ISIS."]
    b = found["The mission is to destroy ISIS -- not to contain it."]
    assert (span_text(text, a.cue), span_text(text, a.source)) == (":", "Clinton")
    assert (span_text(text, b.cue), span_text(text, b.source)) == (":", "Bush")
    assert a.claim.origin == b.claim.origin == "rule:colon-quote"


def test_speaker_with_title_and_parenthetical_and_pronoun():
    # seed: the subject is before the parenthetical commas; "he" is the last named speaker
    text = ("U.S. Secretary of State Antony Blinken, in his first meeting Wednesday with Russian Foreign Minister "
            "Sergey Lavrov, a veteran diplomat, said that “it was no secret that we had our differences,” but "
            "that the world would be safer.\n\n"
            "“But I perceived the determination of Antony Blinken and his team to do so,” he said.")
    found = claims(text)
    first = found["that “it was no secret that we had our differences,” but that the world would be safer"]
    assert first.claim.attr("form") == "mixed"
    assert span_text(text, first.source) == "U.S. Secretary of State Antony Blinken"
    assert first.speaker == "Antony Blinken"
    second = found["But I perceived the determination of Antony Blinken and his team to do so,"]
    assert span_text(text, second.source) == "he"
    assert second.speaker == "Antony Blinken"  # the last named speaker before it


def test_names_and_known_entities():
    assert name_of("Russian Foreign Minister Sergey Lavrov", (0, 38)) == "Sergey Lavrov"
    assert name_of("a veteran diplomat", (0, 18)) == "a veteran diplomat"
    lavrov, blinken = KnownEntity(1, "Sergey Lavrov"), KnownEntity(2, "Antony Blinken", ("Tony",))
    assert match_entity("Lavrov", [lavrov, blinken]) is lavrov
    assert match_entity("tony", [lavrov, blinken]) is blinken
    assert match_entity("Vladimir Putin", [lavrov, blinken]) is None
    text = "“The conversation seemed constructive to me,” Lavrov told Russian news agencies after talks in Reykjavik."
    (s,) = suggest_rules(text, [lavrov, blinken])
    assert (s.speaker, s.entity_id) == ("Sergey Lavrov", 1)


def test_verb_with_an_object_and_its_complement():
    # PolNeAR, politico_2016-02-23: gold cue "called", content "it a “Chinese menu”"
    text = "Sen. John McCain called it a “Chinese menu” of options, and said he would wait."
    s = claims(text)["it a “Chinese menu” of options"]
    assert (span_text(text, s.cue), span_text(text, s.source)) == ("called", "Sen. John McCain")
    assert s.claim.attr("form") == "mixed"


def test_relative_pronoun_is_the_source():
    # PolNeAR, west-journal_2016-01-18 (PARC marks "who" as the source)
    text = "Broaddrick, who said Clinton raped her in 1978, recounted the incident on Aaron Klein Investigative Radio."
    s = claims(text)["Clinton raped her in 1978"]
    assert span_text(text, s.source) == "who"
    assert span_text(text, s.cue) == "said"
