"""Who said a quote: the cue after a long source, participle cues, a cue before the quote,
the subject among commas; sentences quoted from ../shared/corpus (PolNeAR and the seed)."""
from __future__ import annotations

from helpers import claims, span_text


def test_quote_ending_its_clause_takes_the_cue_after_a_long_source():
    # PolNeAR wash-post_2016-03-10: gold source "Sarah Warbelow, legal director for the gay rights group
    # Human Rights Campaign,", gold cue "said"
    text = ("\"Discrimination against LGBT people should never be sanctioned by the state,\" Sarah Warbelow, "
            "legal director for the gay rights group Human Rights Campaign, said in a statement.")
    (s,) = claims(text).values()
    assert span_text(text, s.cue) == "said in a statement"
    assert span_text(text, s.source) == "Sarah Warbelow"


def test_participle_cue_takes_the_subject_of_its_clause():
    # PolNeAR west-journal_2015-11-25: gold source "she", gold cue "sent an email saying"
    text = ("And that wasn’t all. Minutes later, she sent an email saying, “done with the first part of "
            "the plan.”")
    (s,) = claims(text).values()
    assert span_text(text, s.source) == "she"
    assert span_text(text, s.cue) == "sent an email saying"


def test_participle_cue_after_a_name_and_its_object():
    # PolNeAR west-journal_2015-11-25: gold source "Kerpen"
    text = "Kerpen needled the CNN “reporter,” saying, “A reporter who Tweets on request!”"
    found = claims(text)
    s = found["A reporter who Tweets on request!"]
    assert span_text(text, s.source) == "Kerpen"


def test_cue_before_a_quote_does_not_take_its_object_as_the_source():
    # PolNeAR politico_2015-12-06: gold source "The Democratic presidential front-runner and former
    # secretary of state"; "the U.S." is what was said, not who said it
    text = ("The Democratic presidential front-runner and former secretary of state said the U.S. “clearly” "
            "needed a more robust air campaign against the Islamic State.")
    (s,) = claims(text).values()
    assert s.source is not None
    assert span_text(text, s.source).startswith("The Democratic")


def test_subject_among_commas_is_the_nearest_named_chunk():
    # seed us_russia_talks: the speaker is Biden, not "March"
    text = ("Ties between the two countries have been full since March, when Biden, not long after his "
            "presidency, said he considered Putin a “killer,” prompting Moscow to act.")
    (s,) = claims(text).values()
    assert span_text(text, s.source) == "Biden"


def test_source_with_a_parenthesis_before_the_cue():
    # PolNeAR wash-post_2015-11-24: gold source "Senate Minority Leader Harry M. Reid (D-Nev.)"
    text = ("\"By nominally moving overseas, Pfizer is gaming the system,\" Senate Minority Leader Harry M. Reid "
            "(D-Nev.) said in a statement.")
    (s,) = claims(text).values()
    assert span_text(text, s.source) == "Senate Minority Leader Harry M. Reid (D-Nev.)"


def test_inverted_cue_at_the_start_of_a_sentence():
    # PolNeAR breitbart_2016-06-05: gold source "Dorothy Poynter, who grew up with Ali in the neighborhood,"
    text = ("The small pink home on Grand Avenue was recently renovated and turned into a museum. Said Dorothy "
            "Poynter, who grew up with Ali in the neighborhood, “We were all so proud of him.”")
    (s,) = claims(text).values()
    assert span_text(text, s.source) == "Dorothy Poynter"


def test_source_after_the_cue_may_open_with_a_number_word():
    # PolNeAR nyt_2015-12-01: gold source "one person with knowledge of the governor's dilemma"
    text = ("''The decision matrix is like choosing whether you want to die by cyanide or by hanging,'' said one "
            "person with knowledge of the governor's dilemma.")
    (s,) = claims(text).values()
    assert span_text(text, s.source) == "one person with knowledge of the governor's dilemma"


def test_participle_takes_the_subject_after_an_introductory_phrase_and_a_dateline():
    # PolNeAR breitbart_2015-12-07: gold source "Hillary Clinton’s right-hand woman", not the dateline
    text = ("WASHINGTON, Dec. 8 (UPI) — In response to Donald Trump’s proposal to bar Muslims from entering the "
            "United States, Hillary Clinton’s right-hand woman rallied supporters, saying: “We have to be ready "
            "to stop him.”")
    (s,) = claims(text).values()
    assert span_text(text, s.source).startswith("Hillary Clinton")
