"""The annotation operations (annotator.core.operations): no Qt needed."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotator.core import operations as ops
from annotator.core.attribution import CUE_REACH, entity_in, paragraph_bounds
from annotator.core.errors import InputError
from annotator.core.model import NewDocument
from annotator.core.selection import mention_name
from annotator.core.span_description import describe_span
from annotator.core.store import Store

SEED = Path(__file__).parent / "data" / "seed"


@pytest.fixture
def seeded():
    """(store, doc_id, text) with the seed article."""
    store = Store.memory()
    text = (SEED / "us_russia_talks.txt").read_text(encoding="utf-8")
    report, _ = store.import_documents([NewDocument(title=text.split("\n")[0], text=text)])
    yield store, report.added[0], text
    store.close()


def find(text: str, needle: str, nth: int = 0, length: int | None = None) -> tuple[int, int]:
    """The ``nth`` occurrence of ``needle``, or its first ``length`` characters."""
    start = -1
    for _ in range(nth + 1):
        start = text.index(needle, start + 1)
    return start, start + (len(needle) if length is None else length)


def test_mark_speaker_founds_then_joins_an_entity(seeded):
    store, doc, text = seeded
    change = ops.mark_speaker(store, doc, [find(text, "Sergey Lavrov")])
    assert change.created_id("entities") is not None
    lavrov = store.find_entity("Sergey Lavrov")
    assert lavrov.type == "person"
    ops.rename_entity(store, lavrov.id, "Sergey Lavrov")
    store.update_entity(lavrov.id, aliases=["Lavrov"])
    second = ops.mark_speaker(store, doc, [find(text, "Lavrov", 3)])
    assert second.created_id("entities") is None
    assert [s.entity_id for s in store.spans(doc)] == [lavrov.id, lavrov.id]


def test_mark_speaker_is_one_undo_step(seeded):
    store, doc, text = seeded
    change = ops.mark_speaker(store, doc, [find(text, " Joe Biden ")])  # whitespace trimmed
    assert store.spans(doc)[0].fragments == (find(text, "Joe Biden"),)
    store.apply(change.inverted())
    assert store.spans(doc) == [] and store.entities() == []
    store.apply(change)
    assert store.find_entity("joe biden") is not None and len(store.spans(doc)) == 1


def test_mark_speaker_with_a_given_entity_and_punctuation_in_the_name(seeded):
    store, doc, text = seeded
    eid = ops.new_entity(store, "Ned Price").created_id("entities")
    ops.mark_speaker(store, doc, [find(text, "Price said")], entity_id=eid)
    assert store.entity_counts(doc) == {eid: (1, 0)}
    ops.mark_speaker(store, doc, [find(text, "Lavrov,")])
    assert store.find_entity("Lavrov") is not None


def test_empty_or_blank_selection_is_refused(seeded):
    store, doc, text = seeded
    space = text.index(" ")
    with pytest.raises(InputError, match="select"):
        ops.mark_cue(store, doc, [(space, space + 1)])
    with pytest.raises(InputError):
        ops.mark_claim(store, doc, [])


@pytest.mark.parametrize("needle, form", [
    ("serious differences", "direct"),  # enclosed by “ ”
    ("“The conversation seemed constructive to me,”", "direct"),  # starts with “
    ("both sides understood the need to repair the ties", "indirect"),
])
def test_claim_form_default(seeded, needle, form):
    store, doc, text = seeded
    change = ops.mark_claim(store, doc, [find(text, needle)])
    assert store.span(change.created_id("spans")).form == form


def test_claim_form_given_and_attributes(seeded):
    store, doc, text = seeded
    claim = ops.mark_claim(store, doc, [find(text, "killer,")], form="mixed", polarity="negative").created_id("spans")
    span = store.span(claim)
    assert (span.form, span.polarity) == ("mixed", "negative")
    ops.set_claim_attribute(store, claim, "intensity", "high")
    ops.set_claim_attribute(store, claim, "target", "  Putin ")
    assert (store.span(claim).intensity, store.span(claim).target) == ("high", "Putin")
    with pytest.raises(InputError):
        ops.set_claim_attribute(store, claim, "polarity", "furious")
    with pytest.raises(InputError):
        ops.set_claim_attribute(store, claim, "colour", "red")
    cue = ops.mark_cue(store, doc, [find(text, "said", 0)]).created_id("spans")
    with pytest.raises(InputError):
        ops.set_claim_attribute(store, cue, "polarity", "positive")


def test_cycle_value(seeded):
    schema = seeded[0].schema
    assert ops.cycle_value(schema, "intensity", None) == "low"
    assert ops.cycle_value(schema, "intensity", "low") == "medium"
    assert ops.cycle_value(schema, "intensity", "high") is None
    assert ops.cycle_value(schema, "form", "direct") == "indirect"
    assert ops.cycle_value(schema, "form", "bogus") == "direct"
    with pytest.raises(InputError):
        ops.cycle_value(schema, "colour", None)


def test_attribution_follows_the_gold_file(seeded):
    """Every gold quote, attributed to its gold entity, gets the gold source mention."""
    store, doc, text = seeded
    gold = json.loads((SEED / "us_russia_talks.gold.json").read_text(encoding="utf-8"))
    entities = {e["id"]: ops.new_entity(store, e["name"] + " " + e["id"], e["type"]).created_id("entities")
                for e in gold["entities"]}
    mention_ids = [ops.mark_speaker(store, doc, [(m["start"], m["end"])], entities[m["entity"]]).created_id("spans")
                   for m in gold["mentions"]]
    for attribution in gold["attributions"]:
        quote = gold["quotes"][attribution["quote"]]
        claim = ops.mark_claim(store, doc, [(quote["start"], quote["end"])]).created_id("spans")
        assert store.span(claim).form == "direct"
        ops.attribute_claim(store, claim, entities[attribution["entity"]])
        span = store.span(claim)
        assert span.speaker_id == entities[attribution["entity"]]
        if attribution["mention"] is not None:
            assert span.source_id == mention_ids[attribution["mention"]], quote["text"]


def test_attribution_links_the_nearest_free_cue_of_the_paragraph(seeded):
    store, doc, text = seeded
    blinken = ops.mark_speaker(store, doc, [find(text, "Blinken said Biden", length=7)])
    eid = blinken.created_id("entities")
    said1 = ops.mark_cue(store, doc, [find(text, "said Biden", length=4)]).created_id("spans")
    said2 = ops.mark_cue(store, doc, [find(text, "said the two", length=4)]).created_id("spans")
    other_cue = ops.mark_cue(store, doc, [find(text, "told Russian", length=4)]).created_id("spans")
    first = ops.mark_claim(store, doc, [find(text, "the two countries could work together")]).created_id("spans")
    second = ops.mark_claim(store, doc, [find(text, "a stable and predictable relationship with Russia")]).created_id("spans")
    ops.attribute_claim(store, first, eid)
    assert (store.span(first).cue_id, store.span(first).source_id) == (said2, blinken.created_id("spans"))
    ops.attribute_claim(store, second, eid)
    assert store.span(second).cue_id == said1  # said2 is nearer but taken by the first claim
    ops.attribute_claim(store, first, eid)  # again: keeps its own cue
    assert store.span(first).cue_id == said2
    assert other_cue not in {store.span(first).cue_id, store.span(second).cue_id}
    lone = ops.mark_claim(store, doc, [find(text, "The envoy has not yet returned.")]).created_id("spans")
    ops.attribute_claim(store, lone, eid)
    span = store.span(lone)
    assert span.cue_id is None and span.source_id == blinken.created_id("spans")  # other paragraph
    ops.attribute_claim(store, lone, None)
    assert (store.span(lone).speaker_id, store.span(lone).source_id) == (None, None)


def test_delete_entity_then_undo_restores_mentions_and_attributions(seeded):
    store, doc, text = seeded
    eid = ops.mark_speaker(store, doc, [find(text, "Lavrov", 2)]).created_id("entities")
    ops.mark_speaker(store, doc, [find(text, "Lavrov", 3)], eid)
    claim = ops.mark_claim(store, doc, [find(text, "constructive", 1)]).created_id("spans")
    ops.attribute_claim(store, claim, eid)
    before = store.spans(doc)
    change = ops.delete_entity(store, eid)
    assert [s.label for s in store.spans(doc)] == ["claim"] and store.span(claim).speaker_id is None
    store.apply(change.inverted())
    assert store.spans(doc) == before and store.entity(eid) is not None


def test_merge_and_delete_span(seeded):
    store, doc, text = seeded
    a = ops.mark_speaker(store, doc, [find(text, "Sergey Lavrov")]).created_id("entities")
    b = ops.mark_speaker(store, doc, [find(text, "Lavrov", 2)]).created_id("entities")
    ops.merge_entities(store, a, b)
    assert store.entity(a).aliases == ("Lavrov",) and store.entity(b) is None
    ops.set_entity_type(store, a, "organization")
    assert store.entity(a).type == "organization"
    span = store.spans(doc)[0]
    ops.delete_span(store, span.id)
    assert store.span(span.id) is None


def test_document_polarity_and_status(seeded):
    store, doc, _ = seeded
    ops.set_document_polarity(store, doc, "mixed")
    assert store.document(doc).polarity == "mixed"
    ops.toggle_done(store, doc)
    assert store.document(doc).status == "done"
    change = ops.toggle_done(store, doc)
    assert store.document(doc).status == "in progress" and change.description == "Mark document in progress"


def test_paragraph_bounds():
    assert paragraph_bounds("a b\n\nc d\n\ne", 6) == (5, 8)
    assert paragraph_bounds("a\nb\nc", 2) == (2, 3)
    assert paragraph_bounds("abc", 1) == (0, 3)


def test_mark_new_speaker_founds_a_second_entity_of_the_same_name(seeded):
    store, doc, text = seeded
    ops.mark_speaker(store, doc, [find(text, "Blinken", 0)])
    change = ops.mark_new_speaker(store, doc, [find(text, "Blinken", 1)], "organization")
    assert [e.name for e in store.entities()] == ["Blinken", "Blinken"]
    store.apply(change.inverted())
    assert len(store.entities()) == 1 and len(store.spans(doc)) == 1


def test_set_meta(seeded):
    store = seeded[0]
    store.set_meta("last_document", "3")
    store.set_meta("last_document", "4")
    assert store.meta("last_document") == "4"


def test_describe_span(seeded):
    store, doc, text = seeded
    eid = ops.mark_speaker(store, doc, [find(text, "Sergey Lavrov")]).created_id("entities")
    claim = ops.mark_claim(store, doc, [find(text, "useful,")], polarity="positive").created_id("spans")
    ops.attribute_claim(store, claim, eid)
    names = {eid: "Sergey Lavrov"}.get
    assert describe_span(store.span(claim), text, store.schema, names) == \
        "Claim: “useful,” — said by Sergey Lavrov, direct, positive"
    assert describe_span(store.spans(doc)[0], text, store.schema, names, width=6) == \
        "Speaker: “Serge…” — speaker Sergey Lavrov"


def test_mark_speaker_joins_the_entity_named_inside_the_mention(seeded):
    store, doc, text = seeded
    blinken = ops.mark_speaker(store, doc, [find(text, "Antony Blinken")]).created_id("entities")
    change = ops.mark_speaker(store, doc, [find(text, "U.S. Secretary of State Antony Blinken")])
    assert change.created_id("entities") is None
    assert store.span(change.created_id("spans")).entity_id == blinken
    lavrov = ops.mark_speaker(store, doc, [find(text, "Sergey Lavrov")]).created_id("entities")
    store.update_entity(lavrov, aliases=["Lavrov"])
    # nothing inside on word boundaries: a new entity named after the whole mention, title kept
    change = ops.mark_speaker(store, doc, [find(text, "Russian Deputy Foreign Minister Sergey Ryabkov")])
    assert store.entity(change.created_id("entities")).name == "Russian Deputy Foreign Minister Sergey Ryabkov"
    # the longest match wins: an entity "sergey" loses to "Sergey Lavrov"; case-insensitive
    ops.new_entity(store, "sergey")
    change = ops.mark_speaker(store, doc, [find(text, "Russian Foreign Minister Sergey Lavrov")])
    assert store.span(change.created_id("spans")).entity_id == lavrov
    # two known speakers side by side, "and" between: a group, a new entity of that name
    change = ops.mark_speaker(store, doc, [find(text, "Top diplomats Antony Blinken and Sergey Lavrov")])
    group = change.created_id("entities")
    assert store.entity(group).name == "Top diplomats Antony Blinken and Sergey Lavrov"


def test_entity_in():
    from annotator.core.model import Entity

    known = [Entity(1, "Antony Blinken"), Entity(2, "Sergey Lavrov", aliases=("Lavrov",)),
             Entity(3, "State Department", "organization"), Entity(4, "Ned Price"), Entity(5, "Blinken")]
    assert entity_in(known, "U.S. Secretary of State ANTONY BLINKEN").id == 1  # longest, any case
    assert entity_in(known, "Blinken").id == 5
    assert entity_in(known, "State Department spokesman Ned Price").id == 4  # the head of the phrase
    assert entity_in(known, "Blinken, Lavrov and their teams") is None  # a group
    assert entity_in(known, "Lavrov’s aide") is None  # a possessive is someone else
    assert entity_in(known, "the Blinkens") is None  # word boundaries
    assert entity_in(known, "the minister") is None


def test_a_cue_may_serve_several_claims(seeded):
    """"Lavrov praised the talks as “constructive” and “useful,”": a free cue first, then
    the nearest one even if used; none from another paragraph."""
    store, doc, text = seeded
    eid = ops.mark_speaker(store, doc, [find(text, "Lavrov", 2)]).created_id("entities")
    praised = ops.mark_cue(store, doc, [find(text, "praised")]).created_id("spans")
    constructive = ops.mark_claim(store, doc, [find(text, "constructive")]).created_id("spans")
    useful = ops.mark_claim(store, doc, [find(text, "useful,")]).created_id("spans")
    ops.attribute_claim(store, constructive, eid)
    ops.attribute_claim(store, useful, eid)
    assert store.span(constructive).cue_id == praised == store.span(useful).cue_id
    said = ops.mark_cue(store, doc, [find(text, "said both", length=4)]).created_id("spans")
    need = ops.mark_claim(store, doc, [find(text, "the need to repair the ties")]).created_id("spans")
    ops.attribute_claim(store, need, eid)
    assert store.span(need).cue_id == said  # the free one, though "praised" is in the paragraph too


def test_link_to_claim_and_clear_links(seeded):
    store, doc, text = seeded
    blinken = ops.mark_speaker(store, doc, [find(text, "Blinken said Biden", length=7)])
    eid, mention = blinken.created_id("entities"), blinken.created_id("spans")
    said1 = ops.mark_cue(store, doc, [find(text, "said Biden", length=4)]).created_id("spans")
    said2 = ops.mark_cue(store, doc, [find(text, "said the two", length=4)]).created_id("spans")
    claim = ops.mark_claim(store, doc, [find(text, "the two countries could work together")]).created_id("spans")
    change = ops.link_to_claim(store, claim, said1)  # by hand: the farther cue
    assert change.description == "Link cue “said”" and store.span(claim).cue_id == said1
    change = ops.link_to_claim(store, claim, mention)
    span = store.span(claim)
    assert (span.source_id, span.speaker_id) == (mention, eid) and change.description == "Link source “Blinken”"
    assert len(change.spans.changed) == 1 and len(change.items) == 1  # one row: one undo step
    assert not ops.link_to_claim(store, claim, mention)  # linked already: an empty Change
    ops.attribute_claim(store, claim, eid)  # the digit again keeps the links made by hand
    assert (store.span(claim).cue_id, store.span(claim).source_id) == (said1, mention)
    other = ops.mark_claim(store, doc, [find(text, "a stable and predictable relationship with Russia")]).created_id("spans")
    ops.link_to_claim(store, other, said1)  # a cue may serve several claims
    assert store.span(other).cue_id == said1 == store.span(claim).cue_id
    change = ops.clear_links(store, claim)
    span = store.span(claim)
    assert (span.source_id, span.cue_id, span.speaker_id) == (None, None, eid)
    store.apply(change.inverted())
    assert (store.span(claim).source_id, store.span(claim).cue_id) == (mention, said1)
    with pytest.raises(InputError):
        ops.link_to_claim(store, claim, other)  # a claim is neither mention nor cue
    with pytest.raises(InputError):
        ops.link_to_claim(store, said2, mention)  # not a claim
    second = store.import_documents([NewDocument(title="B", text="B said so.")])[0].added[0]
    cue_b = ops.mark_cue(store, second, [(2, 6)]).created_id("spans")
    with pytest.raises(InputError):
        ops.link_to_claim(store, claim, cue_b)  # another document


def test_first_annotation_edit_sets_in_progress_in_the_same_change(seeded):
    store, doc, text = seeded
    assert store.document(doc).status == "new"
    change = ops.mark_cue(store, doc, [find(text, "said", 0)])
    assert store.document(doc).status == "in progress"
    assert change.description == "Mark cue"
    assert [i.kind for i in change.items] == ["spans", "documents"]
    store.apply(change.inverted())  # one undo step takes back both
    assert store.spans(doc) == [] and store.document(doc).status == "new"
    store.apply(change)
    claim = ops.mark_claim(store, doc, [find(text, "useful,")])
    assert not claim.documents  # in progress already: the document is not touched
    assert not ops.set_claim_attribute(store, claim.created_id("spans"), "polarity", None)  # no edit, no status
    ops.toggle_done(store, doc)
    ops.set_claim_attribute(store, claim.created_id("spans"), "polarity", "positive")
    assert store.document(doc).status == "done"  # only "new" moves on by itself


def test_any_annotation_edit_of_a_new_document_counts(seeded):
    store, doc, text = seeded
    for operation, args in ((ops.set_document_polarity, (doc, "mixed")),
                            (ops.mark_speaker, (doc, [find(text, "Joe Biden")])),
                            (ops.mark_claim, (doc, [find(text, "killer,")]))):
        change = operation(store, *args)
        assert store.document(doc).status == "in progress"
        store.apply(change.inverted())
        assert store.document(doc).status == "new"


# --- the new user's report: punctuation in selections, cues across a paragraph break ---------


@pytest.mark.parametrize("mark, needle", [
    (ops.mark_speaker, ", "), (ops.mark_speaker, "“"), (ops.mark_cue, "."), (ops.mark_claim, "."),
    (ops.mark_new_speaker, "’"), (ops.mark_claim, "” "),
])
def test_a_selection_of_punctuation_only_is_refused(seeded, mark, needle):
    store, doc, text = seeded
    with pytest.raises(InputError, match="select a word, not only punctuation"):
        mark(store, doc, [find(text, needle)])
    assert store.spans(doc) == [] and store.entities() == []


def test_a_cjk_character_is_a_word():
    store = Store.memory()
    doc = store.import_documents([NewDocument(title="中", text="习近平说：“好。”")])[0].added[0]
    change = ops.mark_speaker(store, doc, [(0, 3)])  # "习近平": letters
    assert store.entity(change.created_id("entities")).name == "习近平"
    cue = ops.mark_cue(store, doc, [(3, 5)]).created_id("spans")  # "说：" -> "说"
    assert store.span(cue).fragments == ((3, 4),)
    with pytest.raises(InputError, match="not only punctuation"):
        ops.mark_claim(store, doc, [(4, 6)])  # "：“"


@pytest.mark.parametrize("selected, marked, name", [
    ("officials.", "officials", "officials"),
    ("(Reuters)", "Reuters", "Reuters"),
    ("“Smith,”", "Smith", "Smith"),
    ("[Smith];", "Smith", "Smith"),
    ("Smith Jr.", "Smith Jr.", "Smith Jr."),  # an abbreviation keeps its period
    ("the U.S.", "the U.S.", "the U.S."),
    ("Acme Inc.)", "Acme Inc.", "Acme Inc."),
    ("George W.", "George W.", "George W."),
    ("officials...", "officials", "officials"),
    ("Smith!?\"", "Smith", "Smith"),
])
def test_speaker_marks_drop_the_punctuation_a_word_jump_takes_along(selected, marked, name):
    store = Store.memory()
    text = f"Before {selected} after"
    doc = store.import_documents([NewDocument(title="t", text=text)])[0].added[0]
    start = text.index(selected)
    change = ops.mark_speaker(store, doc, [(start, start + len(selected))])
    span = store.span(change.created_id("spans"))
    assert span.text(text) == marked
    assert store.entity(span.entity_id).name == name


def test_cue_marks_drop_trailing_punctuation_but_claims_keep_it_inside_their_quotation_marks(seeded):
    store, doc, text = seeded
    cue = ops.mark_cue(store, doc, [find(text, "Price said. ")])
    assert store.span(cue.created_id("spans")).fragments == (find(text, "Price said"),)
    cue = ops.mark_cue(store, doc, [find(text, "summing up Russia’s position on the United States, described")])
    assert store.span(cue.created_id("spans")).text(text).startswith("summing")  # inner commas stay
    told = ops.mark_cue(store, doc, [find(text, "told Russian news agencies after talks in Reykjavik.")])
    assert store.span(told.created_id("spans")).text(text) == "told Russian news agencies after talks in Reykjavik"
    claim = ops.mark_claim(store, doc, [find(text, "useful,")])
    assert store.span(claim.created_id("spans")).text(text) == "useful,"
    killer = ops.mark_claim(store, doc, [find(text, "“killer,”")])  # the marks go (issue 10), the comma stays
    assert store.span(killer.created_id("spans")).text(text) == "killer,"
    assert store.span(killer.created_id("spans")).form == "direct"


def test_mention_name_keeps_an_abbreviation_period():
    text = "Officials. Martin Luther King Jr. (AP)"
    assert mention_name(text, [(0, 10)]) == "Officials"
    assert mention_name(text, [(11, 33)]) == "Martin Luther King Jr."
    assert mention_name(text, [(34, 38)]) == "AP"
    assert mention_name(text, [(9, 10)]) == "unnamed"


RATHBUN = ("According to Rathbun, a detective was provided with material to build a case against Montalvo. "
           "Rathbun stated,\n\n"
           "\"Daniel was picked up by an investigator in a black car.\"\n\n"
           "Montalvo told the press he was innocent.\n")


def test_a_quote_paragraph_gets_the_cue_ending_the_previous_paragraph():
    store = Store.memory()
    doc = store.import_documents([NewDocument(title="t", text=RATHBUN)])[0].added[0]
    eid = ops.mark_speaker(store, doc, [find(RATHBUN, "Rathbun", 1)]).created_id("entities")
    stated = ops.mark_cue(store, doc, [find(RATHBUN, "stated,")]).created_id("spans")
    quote = ops.mark_claim(store, doc, [find(RATHBUN, "\"Daniel was picked up by an investigator in a black car.\"")])
    claim = quote.created_id("spans")
    ops.attribute_claim(store, claim, eid)
    span = store.span(claim)
    assert store.span(stated).text(RATHBUN) == "stated"
    assert (span.cue_id, span.speaker_id) == (stated, eid) and span.source_id is not None


def test_a_cue_of_the_next_paragraph_and_the_limits_of_the_reach():
    text = ("\"We will win,\"\n\nsaid the coach.\n\n"
            "The mayor praised the plan as \u201cbold.\u201d\n\n"
            "\u201cIt is the best plan.\u201d\n\n"
            + "Filler words here. " * 12 + "Jones said,\n\n\u201cFar away.\u201d\n")
    store = Store.memory()
    doc = store.import_documents([NewDocument(title="t", text=text)])[0].added[0]
    eid = ops.new_entity(store, "Somebody").created_id("entities")
    said = ops.mark_cue(store, doc, [find(text, "said the coach", length=4)]).created_id("spans")
    win = ops.mark_claim(store, doc, [find(text, "\"We will win,\"")]).created_id("spans")
    ops.attribute_claim(store, win, eid)
    assert store.span(win).cue_id == said  # the first cue of the next paragraph
    praised = ops.mark_cue(store, doc, [find(text, "praised")]).created_id("spans")
    bold = ops.mark_claim(store, doc, [find(text, "bold.")]).created_id("spans")
    ops.attribute_claim(store, bold, eid)
    assert store.span(bold).cue_id == praised
    best = ops.mark_claim(store, doc, [find(text, "It is the best plan.")]).created_id("spans")
    ops.attribute_claim(store, best, eid)
    assert store.span(best).cue_id is None  # "praised" introduces "bold.", a claim between them
    jones = ops.mark_cue(store, doc, [find(text, "said,")]).created_id("spans")
    far = ops.mark_claim(store, doc, [find(text, "Far away.")]).created_id("spans")
    ops.attribute_claim(store, far, eid)
    assert store.span(far).cue_id == jones
    assert store.span(jones).text(text) == "said"
    # more than CUE_REACH characters away: not linked
    assert CUE_REACH == 200
    long_text = "Rathbun stated,\n\n" + "x" * 10 + " \u201c" + "y " * 150 + "\u201d\n"
    doc2 = store.import_documents([NewDocument(title="u", text=long_text)])[0].added[0]
    ops.mark_cue(store, doc2, [(8, 14)])
    start = long_text.index("y")
    near = ops.mark_claim(store, doc2, [(start, start + 20)]).created_id("spans")
    ops.attribute_claim(store, near, eid)
    assert store.span(near).cue_id is not None
    start = long_text.rindex("y")
    far2 = ops.mark_claim(store, doc2, [(start - 10, start + 1)]).created_id("spans")
    ops.attribute_claim(store, far2, eid)
    assert store.span(far2).cue_id is None
