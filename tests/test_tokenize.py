"""The tokeniser of the token-based exports (annotator.core.tokenize); cases B04, B07, B10,
B11, B12, B17 of the known-faults log, with their exact expected values."""
from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.core.model import Span
from annotator.core.offsets import grapheme_boundaries, is_grapheme_boundary
from annotator.core.tokenize import align_spans, sentences, token_range, tokenize, trim, whitespace_split


def words(text: str) -> list[str]:
    return [text[a:b] for a, b in tokenize(text)]


def sentence_words(text: str) -> list[list[str]]:
    tokens = tokenize(text)
    return [[text[a:b] for a, b in tokens[i:j]] for i, j in sentences(text, tokens)]


def test_b10_token_offsets_keep_inc_and_split_percent():
    text = "Shares of Norwood Inc. fell 4% on Monday."
    assert tokenize(text) == [(0, 6), (7, 9), (10, 17), (18, 22), (23, 27), (28, 29), (29, 30), (31, 33), (34, 40), (40, 41)]
    assert words(text) == ["Shares", "of", "Norwood", "Inc.", "fell", "4", "%", "on", "Monday", "."]


def test_b04_cjk_one_token_per_character():
    text = "外交部发言人王伟表示，会谈取得进展。"
    tokens = tokenize(text)
    assert len(tokens) == 18
    assert tokens == [(k, k + 1) for k in range(18)]
    assert words(text)[10] == "，" and words(text)[17] == "。"


def test_b07_whitespace_split_nbsp_splits_zwsp_does_not():
    text = "Prime\u00a0Minister Okafor said talks resume on 3\u00a0May. #Budget\u200b2025"
    assert [text[a:b] for a, b in whitespace_split(text)] == [
        "Prime", "Minister", "Okafor", "said", "talks", "resume", "on", "3", "May.", "#Budget\u200b2025"]


def test_b07_tokens_have_no_nbsp_and_no_empty_token():
    text = "Prime\u00a0Minister Okafor said talks resume on 3\u00a0May. #Budget\u200b2025"
    assert words(text) == ["Prime", "Minister", "Okafor", "said", "talks", "resume", "on", "3", "May", ".",
                           "#Budget\u200b2025"]
    assert all(a < b for a, b in tokenize(text))
    assert token_range(tokenize(text), 0, 21) == (0, 3)  # SPEAKER [0,21) is exactly three tokens


def test_b17_abbreviations_emoji_and_span_at_end():
    text = "Rep. Kaur (D) said: \"Fine.\"\nPolls close at 8 p.m. \U0001f5f3\ufe0f"
    assert words(text) == ["Rep.", "Kaur", "(", "D", ")", "said", ":", '"', "Fine", ".", '"', "Polls", "close",
                           "at", "8", "p.m.", "\U0001f5f3\ufe0f"]
    tokens = tokenize(text)
    first, end = token_range(tokens, 43, 52)
    assert (tokens[first][0], tokens[end - 1][1]) == (43, 52)  # TIME ends at the end of the text
    assert sentence_words(text)[1] == ["Polls", "close", "at", "8", "p.m.", "\U0001f5f3\ufe0f"]


def test_b02_emoji_sequence_and_combining_accent_stay_whole():
    text = "\U0001f469\U0001f3fd\u200d\u2695\ufe0f Nurse Patel thanked Rene\u0301 Dubois."
    assert words(text) == ["\U0001f469\U0001f3fd\u200d\u2695\ufe0f", "Nurse", "Patel", "thanked", "Rene\u0301",
                           "Dubois", "."]


@pytest.mark.parametrize("text, expected", [
    ("20,000 troops, 3.5% and 10:30", ["20,000", "troops", ",", "3.5", "%", "and", "10:30"]),
    ("Iran\u2019s face-to-face talks don't", ["Iran", "\u2019s", "face-to-face", "talks", "do", "n't"]),
    ("O'Brien's R&D Mr. Smith, Ltd. J. K. Rowling", ["O'Brien", "'s", "R&D", "Mr.", "Smith", ",", "Ltd.", "J.", "K.",
                                                   "Rowling"]),
    ("U.S. e.g. 4 a.m. etc. Monday.", ["U.S.", "e.g.", "4", "a.m.", "etc.", "Monday", "."]),
    ("Wait... what?! -- no", ["Wait", "...", "what", "?", "!", "--", "no"]),
    ("see https://example.com/a-b?x=1. or a.b@example.org!", ["see", "https://example.com/a-b?x=1", ".", "or",
                                                              "a.b@example.org", "!"]),
    ("#Budget2025 @okafor_news (\u201cquoted\u201d)", ["#Budget2025", "@okafor_news", "(", "\u201c", "quoted", "\u201d",
                                                     ")"]),
    ("\U0001f600\U0001f600 \U0001f1fa\U0001f1f8!", ["\U0001f600", "\U0001f600", "\U0001f1fa\U0001f1f8", "!"]),
    ("トランプ氏は2021年に", ["トランプ", "氏", "は", "2021", "年", "に"]),  # one word rule: Katakana runs
    ("삼성전자는 오늘 발표했다.", ["삼성전자는", "오늘", "발표했다", "."]),
    ("\u200bhello\u200b world\ufeff", ["hello", "world"]),
    ("co\u00adoperate", ["co\u00adoperate"]),
    ("", []),
    (" \n\t\u00a0", []),
])
def test_tokenize_rules(text, expected):
    assert words(text) == expected


def test_sentences_split_after_terminals_and_blank_lines():
    text = 'He said "We will win." Then he left!\nShares of Norwood Inc. fell.\n\nA title\n\nNext one'
    assert sentence_words(text) == [
        ["He", "said", '"', "We", "will", "win", ".", '"'],
        ["Then", "he", "left", "!"],
        ["Shares", "of", "Norwood", "Inc.", "fell", "."],
        ["A", "title"],
        ["Next", "one"],
    ]


def test_sentences_cjk_without_spaces():
    text = "会谈取得进展。他说：「会谈成功。」然后离开。"
    assert ["".join(s) for s in sentence_words(text)] == ["会谈取得进展。", "他说：「会谈成功。」然后离开。"]


def test_sentences_of_nothing():
    assert sentences("", []) == []
    assert sentences("one", [(0, 3)]) == [(0, 1)]


def test_trim_and_token_range():
    text = "Shares of Norwood Inc. fell"
    assert trim(text, 9, 21) == (10, 21)
    assert trim(text, 9, 10) == (9, 9)
    assert trim("\u200b a \u00a0", 0, 5) == (2, 3)
    tokens = tokenize(text)
    assert token_range(tokens, 10, 21) == (2, 4)  # expands into "Inc."
    assert token_range(tokens, 6, 7) is None  # only the gap
    assert token_range(tokens, 12, 12) is None


def test_align_spans_expands_trims_and_reports():
    text = "Shares of Norwood Inc. fell 4% on Monday."
    tokens = tokenize(text)
    spans = [Span(5, 1, "ORG", ((10, 21),)), Span(6, 1, "ORG", ((9, 21),)), Span(7, 1, "ORG", ((10, 17),))]
    aligned, notes = align_spans(1, text, tokens, spans)
    assert [t.ranges for t in aligned] == [((2, 4),), ((2, 4),), ((2, 3),)]
    assert notes == [
        "document 1, span s5 'Norwood Inc' [10,21) expanded to token boundaries [10,22) 'Norwood Inc.'",
        "document 1, span s6 ' Norwood Inc' [9,21) expanded to token boundaries [10,22) 'Norwood Inc.'",
    ]


def test_align_spans_b11_zero_length_and_b12_end_of_text():
    text = "Police said the suspect fled before dawn."
    aligned, notes = align_spans(3, text, tokenize(text), [Span(1, 3, "IMPLICIT_SOURCE", ((12, 12),)),
                                                          Span(2, 3, "claim", ((12, 40),))])
    assert [t.span.id for t in aligned] == [2]
    assert notes == ["document 3, IMPLICIT_SOURCE span s1 [12,12) '' is empty or only whitespace: not written"]
    text = "The council approved the budget"
    tokens = tokenize(text)
    aligned, notes = align_spans(1, text, tokens, [Span(1, 1, "TOPIC", ((25, 31),))])
    assert notes == [] and aligned[0].ranges == ((4, 5),) and tokens[-1] == (25, 31)


def test_fragments_meeting_in_one_token_are_merged():
    text = "Norwood Inc. fell"
    aligned, notes = align_spans(1, text, tokenize(text), [Span(1, 1, "claim", ((0, 10), (11, 17)))])
    assert aligned[0].ranges == ((0, 3),) and len(notes) == 2


ALPHABET = st.sampled_from(list("ab Z9.,'-’%$#@\n\t\u00a0\u200b\u200d\u0301()\"。王トㄱ한") +
                           ["\U0001f600", "\U0001f3fd", "\ufe0f", "\r\n", "\U0001f1fa"])


@settings(max_examples=300, deadline=None)
@given(st.lists(ALPHABET, max_size=40).map("".join))
def test_tokens_are_sorted_nonempty_visible_and_whole_clusters(text):
    tokens = tokenize(text)
    in_token = [False] * len(text)
    previous = 0
    for a, b in tokens:
        assert previous <= a < b
        assert is_grapheme_boundary(text, a) and is_grapheme_boundary(text, b)
        assert not any(ch.isspace() for ch in text[a:b])
        in_token[a:b] = [True] * (b - a)
        previous = b
    bounds = grapheme_boundaries(text)
    for a, b in zip(bounds, bounds[1:]):  # what no token holds is whitespace or invisible
        if not in_token[a]:
            assert text[a].isspace() or unicodedata.category(text[a]) == "Cf"
    spans = sentences(text, tokens)
    assert [k for i, j in spans for k in range(i, j)] == list(range(len(tokens)))


# --- the fast path equals the reference, and the rules of issue 8 kind 3 ----------------------

_PIECES = ["Inc", "Mr", "approx", "est", "Ph", "D", "U", "S", "e", "g", "www", "http://x.y", "a@b.co", "n't", "'s",
           "’s", "AT", "T", "20", "3", "face", "to", "Kundennummer2785708", "in", "5", "The", "é", "Ω", "Жук"]
_GLUE = [" ", ".", ",", ":", "-", "&", "_", "'", "’", "\"", "«", "»", "!", "?", "...", "\n", "\n\n", "\t", "\u00a0",
         "#", "@", "%", "$", "(", ")", "/", "—", "‘", "“", "”"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(_PIECES), st.sampled_from(_GLUE),
                          st.text(alphabet=st.characters(max_codepoint=0x2FFF), max_size=4)), max_size=25))
def test_fast_tokenizer_equals_the_reference(parts):
    from annotator.core.tokenize import tokenize_reference
    text = "".join(parts)
    assert tokenize(text) == tokenize_reference(text)


@pytest.mark.parametrize("text, expected", [
    ("Costs rose approx. 5 percent, said Dr. Vale.", [["Costs", "rose", "approx.", "5", "percent", ",", "said", "Dr.",
                                                      "Vale", "."]]),
    ("The fund, est. in 1990, grew fast.", [["The", "fund", ",", "est.", "in", "1990", ",", "grew", "fast", "."]]),
    ("She holds a Ph.D. in law from Yale.", [["She", "holds", "a", "Ph.D.", "in", "law", "from", "Yale", "."]]),
    ('He said "Stop!" and left.', [["He", "said", '"', "Stop", "!", '"', "and", "left", "."]]),
    ('This is it. "Dont worry!", he said.', [["This", "is", "it", "."], ['"', "Dont", "worry", "!", '"', ",", "he",
                                                                        "said", "."]]),
    ("Er sagte: «Das ist gut.» Dann ging er.", [["Er", "sagte", ":", "«", "Das", "ist", "gut", ".", "»"],
                                               ["Dann", "ging", "er", "."]]),
    ("« C'est bon. » Il part.", [["«", "C'est", "bon", ".", "»"], ["Il", "part", "."]]),
    ('He said "Go." "Yes," she said.', [["He", "said", '"', "Go", ".", '"'], ['"', "Yes", ",", '"', "she", "said",
                                                                              "."]]),
    ("He won the M.Sc. in 2010. It was cold.", [["He", "won", "the", "M.Sc.", "in", "2010", "."],
                                                ["It", "was", "cold", "."]]),
])
def test_kind3_sentence_breaks(text, expected):
    assert sentence_words(text) == expected


def test_brackets_and_quotes_never_run():
    assert words("((a)) ''b'' !!") == ["(", "(", "a", ")", ")", "'", "'", "b", "'", "'", "!!"]


def test_fast_pattern_cluster_shortcut_matches_is_grapheme_boundary():
    """The fast path's builder decides "ch is a cluster of its own between two letters" from
    the Grapheme_Cluster_Break value; it must agree with is_grapheme_boundary on both sides."""
    from annotator.core.offsets import _gcb, is_grapheme_boundary
    from annotator.core.tokenize import _JOINS_NEIGHBOUR

    for o in list(range(0x09, 0x0D)) + list(range(0x20, 0x3000)):
        ch = chr(o)
        own = is_grapheme_boundary("a" + ch + "a", 1) and is_grapheme_boundary("a" + ch + "a", 2)
        assert own == (_gcb(ch) not in _JOINS_NEIGHBOUR), hex(o)
