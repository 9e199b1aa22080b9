"""The engine: order of trust, no overlapping claims, string-matched mentions, VADER
sentiment, spans already in the document; sentences from ../shared/corpus/seed."""
from __future__ import annotations

from annotator.core.suggest.base import CLAIM, CUE, SPEAKER, KnownEntity, SpanSuggestion, Suggester, Suggestion
from annotator.core.suggest.engine import Engine
from annotator.core.suggest.rules import RuleSuggester
from annotator.core.suggest.sentiment import sentiment
from annotator.core.suggest.string_match import StringMatcher

GOOD = "“We believe this is good for our people, good for the Russian people and, in fact, good for the world,” Blinken said."
KILLER = "In March, Biden said he considered Putin a “killer,” prompting Moscow to remember its U.S. ambassador for consultations."


def test_vader_polarity_and_intensity():
    assert sentiment("We believe this is good for our people, good for the Russian people and, in fact, good for the world,") == ("positive", "high")
    polarity, _ = sentiment("We face a dangerous sentence.")  # Wikinews, taxes
    assert polarity == "negative"
    assert sentiment("Lavrov left Reykjavik on Thursday.") == ("neutral", "low")


def test_engine_sets_sentiment_of_claims():
    (s,) = Engine().suggest(GOOD)
    assert s.claim.attr("polarity") == "positive"
    assert s.claim.attr("intensity") == "high"
    (s,) = Engine(sentiment=False).suggest(GOOD)
    assert s.claim.attr("polarity") is None


def test_string_match_proposes_known_names_once_and_not_inside_words():
    # seed, paragraph 1
    text = "Top diplomats Antony Blinken and Sergey Lavrov give optimistic notes since Joe Biden became president. Bidenism."
    known = [KnownEntity(3, "Joe Biden", ("Biden",)), KnownEntity(1, "Antony Blinken")]
    found = StringMatcher().suggest(text, known)
    assert [(text[s.source.start:s.source.end], s.entity_id, s.source.origin) for s in found] == [
        ("Antony Blinken", 1, "string-match"), ("Joe Biden", 3, "string-match")]


def test_engine_string_match_skips_mentions_that_are_sources_already():
    known = [KnownEntity(2, "Antony Blinken", ("Blinken",))]
    found = Engine(sentiment=False).suggest(GOOD + " Blinken left.", known)
    assert len(found) == 2
    assert found[0].entity_id == 2 and found[0].source.origin == "rule:speaker"
    assert found[1].claim is None and found[1].source.origin == "string-match"
    assert GOOD.find("Blinken") == found[0].source.start


class Fixed:
    """A plug-in suggester that proposes one claim over the quote's first words."""

    name, version = "fixed", "1"

    def suggest(self, text, known_entities=()):
        return [Suggestion(SpanSuggestion(CLAIM, ((1, 20),), "model:fixed@1", 0.99))]


def test_first_suggester_wins_and_borrows_cue_and_source_of_the_next():
    assert isinstance(Fixed(), Suggester) and isinstance(RuleSuggester(), Suggester)
    (s,) = Engine([Fixed(), RuleSuggester()], sentiment=False).suggest(GOOD)
    assert s.claim.origin == "model:fixed@1" and s.claim.fragments == ((1, 20),)
    assert GOOD[s.cue.start:s.cue.end] == "said"
    assert GOOD[s.source.start:s.source.end] == "Blinken"


def test_nothing_is_proposed_over_a_span_the_document_has():
    quote = (1, GOOD.index("”"))
    assert Engine(sentiment=False).suggest(GOOD, taken=[(CLAIM, (quote,))]) == []
    said = GOOD.index("said")
    (s,) = Engine(sentiment=False).suggest(GOOD, taken=[(CUE, ((said, said + 4),))])
    assert s.cue is None and s.source is not None


def test_mixed_form_when_the_reported_clause_holds_a_quote():
    # seed: "Biden said he considered Putin a “killer,” prompting Moscow ..."
    (s,) = [x for x in Engine(sentiment=False).suggest(KILLER) if x.claim]
    assert KILLER[s.claim.start:s.claim.end].startswith("he considered Putin a “killer,”")
    assert s.claim.attr("form") == "mixed"
    assert KILLER[s.source.start:s.source.end] == "Biden"
    assert s.speaker == "Biden"


def test_spacy_pipeline_plugs_in():
    """An installed pipeline with span labels source / cue / content (here a blank English
    pipeline with an entity ruler: nothing downloaded) gives linked suggestions."""
    import spacy

    from annotator.core.suggest.plugin import SpacySuggester

    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("entity_ruler")
    ruler.add_patterns([{"label": "SOURCE", "pattern": "Blinken"}, {"label": "CUE", "pattern": "said"},
                        {"label": "CONTENT", "pattern": [{"TEXT": "“"}, {"TEXT": {"NOT_IN": ["”"]}, "OP": "+"}, {"TEXT": "”"}]}])
    plugin = SpacySuggester(nlp, name="ruler")
    assert isinstance(plugin, Suggester)
    (s,) = plugin.suggest(GOOD)
    assert GOOD[s.claim.start:s.claim.end] == GOOD[:GOOD.index("”") + 1]
    assert (GOOD[s.cue.start:s.cue.end], GOOD[s.source.start:s.source.end]) == ("said", "Blinken")
    assert s.claim.origin == "model:ruler@" + nlp.meta["version"] and s.claim.attr("form") == "direct"
    assert (s.source.label, s.cue.label) == (SPEAKER, CUE)


TWO_QUOTES = "“It works,” said Professor Eastman. “It is cheap,” said Professor Eastman later."


class _Fixed:
    """A suggester that returns what it is given."""

    name, version = "fixed", "1"

    def __init__(self, found):
        self.found = found

    def suggest(self, text, known_entities=()):
        return list(self.found)


def _at(text, needle, label, score, nth=0):
    start = -1
    for _ in range(nth + 1):
        start = text.index(needle, start + 1)
    return SpanSuggestion(label, ((start, start + len(needle)),), f"rule:{label}", score)


def test_engine_proposes_a_shared_mention_once_with_its_highest_score():
    # one mention, the source of two claims (and proposed alone too): iodine.txt had
    # "Professor Eastman" three times at the same offsets, "Huma Abedin" at 0.7 and 0.6
    t = TWO_QUOTES
    eastman = lambda score: _at(t, "Professor Eastman", SPEAKER, score)  # noqa: E731
    found = Engine([_Fixed([
        Suggestion(_at(t, "“It works,”", CLAIM, 0.9), _at(t, "said", CUE, 0.8), eastman(0.6), "Eastman"),
        Suggestion(_at(t, "“It is cheap,”", CLAIM, 0.9), _at(t, "said", CUE, 0.8, nth=1), eastman(0.7), "Eastman"),
        Suggestion(source=eastman(0.5)),
    ])], sentiment=False, string_match=False).suggest(t)
    assert len(found) == 2
    assert [s.source for s in found] == [eastman(0.7), eastman(0.7)]


def test_written_once_and_never_again_over_an_identical_span():
    from annotator.core.model import NewDocument
    from annotator.core.store import Store
    from annotator.core.suggest.project import write_suggestions

    t = TWO_QUOTES
    store = Store.memory()
    store.import_documents([NewDocument(title="t", text=t)])
    doc = store.document_infos()[0].id
    source = _at(t, "Professor Eastman", SPEAKER, 0.7)
    found = [Suggestion(_at(t, "“It works,”", CLAIM, 0.9), None, source, "Eastman"),
             Suggestion(_at(t, "“It is cheap,”", CLAIM, 0.9), None, source, "Eastman")]
    assert write_suggestions(store, doc, found) == 3
    spans = store.spans(doc, statuses=("suggested",))
    [mention] = [s for s in spans if s.label == SPEAKER]
    assert [s.source_id for s in spans if s.label == CLAIM] == [mention.id, mention.id]
    assert write_suggestions(store, doc, found) == 0  # identical to spans the document has
    assert len(store.spans(doc, statuses=("suggested",))) == 3
