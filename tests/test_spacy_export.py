"""spaCy DocBin export (annotator.formats.spacy_docbin); cases B04, B07, B09, B10, B11, B12,
B17 of the known-faults log. Files are written, then read back with spaCy itself.

spaCy is an optional extra: the tests that need it are skipped without it (install the test
extra, which lists it); the missing-spaCy message is tested either way."""
from __future__ import annotations

import io
import sys

import pytest

from annotator.core.errors import InputError
from annotator.core.model import NewDocument, NewEntity, NewRelation, NewSpan
from annotator.core.schema import load_schema
from annotator.formats.registry import export_items, get_format
from annotator.formats.spacy_docbin import NEEDS_SPACY, doc_words, write_spacy
from export_fixtures import direct, new_doc, stored


@pytest.fixture
def spacy():
    return pytest.importorskip("spacy")


def roundtrip(spacy, items, schema, tmp_path):
    """Write through the registered format to a .spacy file, read it back with spaCy."""
    fmt = get_format("spacy")
    path = tmp_path / "out.spacy"
    with path.open("wb") as stream:
        report = fmt.writer(items, stream, schema)
    nlp = spacy.blank("xx")
    docs = list(spacy.tokens.DocBin().from_disk(path).get_docs(nlp.vocab))
    return docs, report.dropped


def spans_of(doc, group):
    return [(sp.text, sp.label_, sp.start_char, sp.end_char) for sp in doc.spans[group]]


def test_b09_overlaps_kept_in_span_groups_and_reported_for_ents(spacy, tmp_path):
    text = "Acme Bank chief Maria Lopez said profits rose."
    store = stored(new_doc(text, [(0, 27, "speaker"), (0, 9, "ORG"), (16, 27, "PERSON"), (33, 45, "claim")],
                           labels=["ORG", "PERSON"]))
    (doc,), dropped = roundtrip(spacy, export_items(store), store.schema, tmp_path)
    assert doc.text == text
    assert [t.text for t in doc] == ["Acme", "Bank", "chief", "Maria", "Lopez", "said", "profits", "rose", "."]
    assert spans_of(doc, "all") == [("Acme Bank", "ORG", 0, 9), ("Acme Bank chief Maria Lopez", "speaker", 0, 27),
                                    ("Maria Lopez", "PERSON", 16, 27), ("profits rose", "claim", 33, 45)]
    assert list(doc.spans) == ["speaker", "claim", "ORG", "PERSON", "all"]
    assert spans_of(doc, "PERSON") == [("Maria Lopez", "PERSON", 16, 27)]
    assert [(e.text, e.label_) for e in doc.ents] == [("Acme Bank chief Maria Lopez", "speaker"), ("profits rose", "claim")]
    assert len(dropped) == 2
    assert dropped[0].startswith("document 1, ORG span s") and "left out of doc.ents (kept in doc.spans)" in dropped[0]
    assert dropped[1].startswith("document 1, PERSON span s") and "overlaps speaker span" in dropped[1]


def test_kind4_edge_inside_token_cuts_the_token_so_char_span_aligns(spacy, tmp_path):
    text = "Shares of Norwood Inc. fell 4% on Monday."
    (doc,), dropped = roundtrip(spacy, [direct(text, [("ORG", (10, 21))])], load_schema(), tmp_path)
    assert doc.char_span(10, 21).text == "Norwood Inc"  # strict alignment works: "Inc." was cut
    assert spans_of(doc, "ORG") == [("Norwood Inc", "ORG", 10, 21)]
    assert [(e.text, e.label_) for e in doc.ents] == [("Norwood Inc", "ORG")]
    assert dropped == []


def test_kind4_two_spans_inside_one_token_and_a_number_glued_to_a_word(spacy, tmp_path):
    text = "Check AHU-G1-V-1 for Kundennummer2785708."
    spans = [("UNIT", (6, 9)), ("PART", (10, 12)), ("ID", (33, 40))]
    (doc,), dropped = roundtrip(spacy, [direct(text, spans)], load_schema(), tmp_path)
    assert doc.text == text
    assert [(e.text, e.start_char, e.end_char) for e in doc.ents] == [("AHU", 6, 9), ("G1", 10, 12), ("2785708", 33, 40)]
    assert dropped == []


def test_sentence_starts_come_from_the_segmenter(spacy, tmp_path):
    text = 'She holds a Ph.D. in law. He said "Stop!" and left.'
    (doc,), _ = roundtrip(spacy, [direct(text, [])], load_schema(), tmp_path)
    assert [s.text for s in doc.sents] == ["She holds a Ph.D. in law.", 'He said "Stop!" and left.']


def test_b07_text_is_kept_exactly_with_nbsp_zwsp_and_odd_gaps(spacy, tmp_path):
    text = "  Prime\u00a0Minister Okafor said  talks\tresume\n\non 3\u00a0May. #Budget\u200b2025 \u200b "
    (doc,), dropped = roundtrip(spacy, [direct(text, [("speaker", (2, 23)), ("DATE", (47, 52))])], load_schema(), tmp_path)
    assert doc.text == text and doc.text.encode("utf-8") == text.encode("utf-8")
    assert spans_of(doc, "speaker") == [("Prime\u00a0Minister Okafor", "speaker", 2, 23)]
    assert spans_of(doc, "DATE") == [("3\u00a0May", "DATE", 47, 52)]
    assert "#Budget\u200b2025" in [t.text for t in doc]
    assert dropped == []


def test_b04_cjk_spans(spacy, tmp_path):
    text = "外交部发言人王伟表示，会谈取得进展。"
    (doc,), dropped = roundtrip(spacy, [direct(text, [("ORG", (0, 3)), ("speaker", (6, 8)), ("claim", (11, 17))])],
                                load_schema(), tmp_path)
    assert len(doc) == 18
    assert [(sp.text, sp.label_) for sp in doc.spans["all"]] == [("外交部", "ORG"), ("王伟", "speaker"), ("会谈取得进展", "claim")]
    assert dropped == []


def test_b17_emoji_newline_overlap_and_end_of_text(spacy, tmp_path):
    text = "Rep. Kaur (D) said: \"Fine.\"\nPolls close at 8 p.m. \U0001f5f3\ufe0f"
    store = stored(new_doc(text, [(0, 9, "speaker"), (0, 13, "PERSON"), (21, 26, "QUOTE"), (43, 52, "TIME")],
                           labels=["PERSON", "QUOTE", "TIME"]))
    items = export_items(store)
    (doc,), dropped = roundtrip(spacy, items, store.schema, tmp_path)
    assert doc.text == text
    by_id = {s.id: s for s in items[0].spans}
    for sp in doc.spans["all"]:
        assert sp.text == by_id[int(sp.id_[1:])].text(text)
    assert spans_of(doc, "TIME") == [("8 p.m. \U0001f5f3\ufe0f", "TIME", 43, 52)]
    assert [e.label_ for e in doc.ents] == ["PERSON", "QUOTE", "TIME"]
    assert len(dropped) == 1 and dropped[0].startswith("document 1, speaker span") and "overlaps PERSON span" in dropped[0]


def test_b11_b12_zero_length_reported_and_span_at_end(spacy, tmp_path):
    items = [direct("Police said the suspect fled before dawn.", [("IMPLICIT_SOURCE", (12, 12)), ("claim", (12, 40))]),
             direct("The council approved the budget", [("TOPIC", (25, 31))], doc_id=2)]
    (first, second), dropped = roundtrip(spacy, items, load_schema(), tmp_path)
    assert spans_of(first, "all") == [("the suspect fled before dawn", "claim", 12, 40)]
    assert spans_of(second, "TOPIC") == [("budget", "TOPIC", 25, 31)]
    assert dropped == ["document 1, IMPLICIT_SOURCE span s1 [12,12) '' is empty or only whitespace: not written"]


def test_cats_user_data_links_and_discontinuous_claim(spacy, tmp_path):
    text = "\"Prices will fall,\" Lavrov said, \"next year.\""
    doc = NewDocument(
        title="Talks", text=text, polarity="negative", status="done", origin="a.json",
        entities=[NewEntity("e1", "Sergey Lavrov", qid="Q131")],
        spans=[NewSpan("m1", "speaker", ((20, 26),), entity="e1"), NewSpan("c1", "cue", ((27, 31),)),
               NewSpan("q1", "claim", ((1, 17), (34, 43)), speaker="e1", source="m1", cue="c1", form="direct",
                       polarity="negative", intensity="low", target="prices", attributes={"certainty": "high"}, note="check")],
        relations=[NewRelation("r1", "said_by", "q1", "m1")])
    store = stored(doc, new_doc("No polarity here.", []))
    items = export_items(store)
    (first, second), dropped = roundtrip(spacy, items, store.schema, tmp_path)
    assert first.cats == {"positive": 0.0, "negative": 1.0, "neutral": 0.0, "mixed": 0.0}
    assert second.cats == {} and second.text == "No polarity here."
    claim = next(s for s in items[0].spans if s.label == "claim")
    mention = next(s for s in items[0].spans if s.label == "speaker")
    assert [(sp.text, sp.id_) for sp in first.spans["claim"]] == [("Prices will fall", f"s{claim.id}"),
                                                                   ("next year", f"s{claim.id}")]
    assert [(sp.text, sp.kb_id_) for sp in first.spans["speaker"]] == [("Lavrov", f"e{mention.entity_id}")]
    data = first.user_data["annotator"]
    assert data["document"]["status"] == "done" and data["document"]["title"] == "Talks"
    attrs = data["spans"][f"s{claim.id}"]
    assert [list(f) for f in attrs["fragments"]] == [[1, 17], [34, 43]]
    assert (attrs["speaker"], attrs["source"], attrs["form"], attrs["polarity"], attrs["intensity"], attrs["target"]) == (
        f"e{mention.entity_id}", f"s{mention.id}", "direct", "negative", "low", "prices")
    assert attrs["attributes"] == {"certainty": "high"} and attrs["note"] == "check"
    assert data["entities"][f"e{mention.entity_id}"]["name"] == "Sergey Lavrov"
    assert data["entities"][f"e{mention.entity_id}"]["qid"] == "Q131"
    assert [(r["type"], r["from"], r["to"]) for r in data["relations"]] == [("said_by", f"s{claim.id}", f"s{mention.id}")]
    assert dropped == []


def test_doc_words_give_back_the_text():
    text = " a  b\u00a0c\n"
    words, spaces, index = doc_words(text, [(1, 2), (4, 5), (6, 7)])
    assert words == [" ", "a", " ", "b", "\u00a0", "c", "\n"]
    assert spaces == [False, True, False, False, False, False, False]
    assert index == [1, 3, 5]
    assert "".join(w + (" " if s else "") for w, s in zip(words, spaces)) == text


def test_options_are_refused(spacy):
    with pytest.raises(InputError, match="no option 'ents'"):
        write_spacy([], io.BytesIO(), load_schema(), ents="no")


def test_without_spacy_the_message_says_how_to_install(monkeypatch):
    for name in ("spacy", "spacy.tokens", "spacy.vocab"):
        monkeypatch.setitem(sys.modules, name, None)
    with pytest.raises(InputError) as caught:
        write_spacy([direct("A claim.", [("claim", (0, 7))])], io.BytesIO(), load_schema())
    assert str(caught.value) == NEEDS_SPACY == "the spaCy export needs spaCy: pip install 'annotator[spacy]'"


def test_registered_as_binary_writer():
    fmt = get_format("spacy")
    assert fmt.writer is write_spacy and fmt.binary and fmt.extensions == (".spacy",) and not fmt.can_read
