"""Direct quotes: marks, nesting, quotes over paragraphs, interrupted quotes, scare quotes.
Sentences are quoted from ../shared/corpus (seed, Wikinews, PolNeAR); guillemets and low-9
marks appear in none of them, so those tests take a seed sentence with its marks changed."""
from __future__ import annotations

import pytest
from helpers import claims, span_text

from annotator.core.suggest.quotes import find_quotes

SEED = "“The conversation seemed constructive to me,” Lavrov told Russian news agencies after talks in Reykjavik."


def test_curly_quote_with_cue_and_speaker_after_it():
    found = claims(SEED)
    s = found["The conversation seemed constructive to me,"]
    assert s.claim.attr("form") == "direct"
    assert s.claim.origin == "rule:direct-quote"
    assert span_text(SEED, s.cue) == "told"
    assert span_text(SEED, s.source) == "Lavrov"
    assert s.speaker == "Lavrov"


@pytest.mark.parametrize("opening, closing", [("«", "»"), ("»", "«"), ("„", "“"), ("„", "”"), ('"', '"')])
def test_other_quotation_marks(opening, closing):
    text = SEED.replace("“", opening).replace("”", closing)
    found = claims(text)
    assert list(found) == ["The conversation seemed constructive to me,"]
    assert span_text(text, found["The conversation seemed constructive to me,"].source) == "Lavrov"


def test_nested_single_quote_belongs_to_the_outer_quote():
    # PolNeAR, west-journal_2016-08-18 (the straight apostrophe closes the nested quote)
    text = ("“As a statement made by a sitting vice president of the United States, it was unprecedented "
            "in its ‘insensitivity,'” the column noted.")
    found = claims(text)
    quote = ("As a statement made by a sitting vice president of the United States, it was unprecedented "
             "in its ‘insensitivity,'")
    assert list(found) == [quote]
    assert span_text(text, found[quote].cue) == "noted"
    assert span_text(text, found[quote].source) == "the column"


def test_quote_interrupted_by_he_said_is_one_claim_of_two_fragments():
    # PolNeAR, huff-post_2016-08-05 (PolNeAR annotates it as one content of two fragments)
    text = ("“Until you’ve sat at that desk, you don’t know what it’s like to manage a global crisis or send "
            "young people to war,” he will say. “But Hillary’s been in the room; she’s been part of those decisions.”")
    (key, s), = claims(text).items()
    assert len(s.claim.fragments) == 2
    assert key.endswith("send young people to war, | But Hillary’s been in the room; she’s been part of those decisions.")
    assert span_text(text, s.cue) == "will say"
    assert span_text(text, s.source) == "he"


def test_quote_over_paragraphs_that_open_without_closing():
    # Wikinews, questionnaire: the first paragraph of the quote opens and does not close
    text = ("It quoted critics like immigration barrister Colin Yeo, and Joint Council for the Welfare of "
            "Immigrants campaigner Caitlin Boswell, with Boswell stating: \"People fleeing desperate circumstances "
            "clearly need this government to make quicker and fairer asylum decisions, but this latest move from "
            "government is clumsy, unthinking and could put people’s safety at risk.\n\n"
            "\"No one’s right to refuge should be jeopardised because they weren't able to fill in an unwieldy "
            "form in a language they don’t speak.\"\n")
    (key, s), = claims(text).items()
    first, second = key.split(" | ")
    assert first.startswith("People fleeing") and first.endswith("safety at risk.")
    assert second.startswith("No one’s right") and second.endswith("they don’t speak.")
    assert len(s.claim.fragments) == 2
    assert span_text(text, s.cue) == "stating:"  # the colon that opens the quote is part of the cue (PARC 3.0)
    assert span_text(text, s.source) == "Boswell"


def test_straight_quote_that_runs_on_to_a_paragraph_without_marks():
    # Wikinews, soccer: Harry Kane's quote opens in one paragraph and closes in the next
    text = ('Harry Kane won the Budweiser Man of the Match award. He said, "In the first half it felt good out there.\n\n'
            "We could've scored two or three goals in the first half and put the game to bed early.\" After the match, "
            "Tunisia's coach Nabil Maaloul said, \"We were playing against a highly-skilled team.\"")
    found = claims(text)
    assert "In the first half it felt good out there. | We could've scored two or three goals in the first half and put the game to bed early." in found
    assert "We were playing against a highly-skilled team." in found


def test_scare_quote_without_cue_is_not_a_claim_but_a_praised_one_is_part_of_one():
    # seed: "serious differences" in the title has no cue; "constructive" is praised by Lavrov
    title = "The United States and Russia recognize “serious differences” but tensions dialogue Politics news"
    assert claims(title) == {}
    text = "Lavrov praised the talks as “constructive” and “useful,” and said both sides understood the need to repair the ties."
    found = claims(text)
    praised = found["the talks as “constructive” and “useful,”"]  # the quotes inside the praise
    assert praised.claim.attr("form") == "mixed"
    assert (span_text(text, praised.cue), praised.speaker) == ("praised", "Lavrov")
    said = found["both sides understood the need to repair the ties"]
    assert (span_text(text, said.cue), said.speaker) == ("said", "Lavrov")


def test_two_apostrophes_are_a_double_mark():
    # PolNeAR, nyt_2015-12-01 (The New York Times texts quote with '')
    text = "''Guarantees are good when you have a good venture,'' said Melba Acosta Febo, the president and chairwoman of the bank."
    (key, s), = claims(text).items()
    assert key == "Guarantees are good when you have a good venture,"
    assert span_text(text, s.cue) == "said"
    assert span_text(text, s.source) == "Melba Acosta Febo"


def test_cue_in_the_short_sentence_after_the_quote():
    # PolNeAR, breitbart_2016-07-27: the quote ends its sentence, "Trump said." follows
    text = "“Russia, if you’re listening, I hope you’re able to find the 30,000 emails that are missing.” Trump said."
    (key, s), = claims(text).items()
    assert (span_text(text, s.cue), span_text(text, s.source)) == ("said", "Trump")


def test_language_marker_after_a_quote_belongs_to_it():
    # Wikinews, taxes: a translated quotation is followed by its language, ((it)); the gold counts it in
    text = ("Matteo Renzi called the sentence \"dangerous\" ((it)) and asked for a \"more general reflection\" "
            "((it)) on the matter, a minister said.")
    an_quotes = [text[a:b] for q in find_quotes(text, [(0, len(text))]) for a, b in q.fragments]
    assert an_quotes == ['dangerous" ((it))', 'more general reflection" ((it))']
