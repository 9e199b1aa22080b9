"""Tests of annotator.core.offsets (pure Python, no Qt).

Texts and expected values are copied from the shared known-faults cases
(B01, B02, B03, B04, B05, B07, B08). The Qt side is checked against a real
QPlainTextEdit in tests/ui/test_offsets_qt.py.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import annotator.core.offsets as offsets_module
from annotator.core.offsets import (
    OffsetMap,
    grapheme_boundaries,
    is_grapheme_boundary,
    snap_to_graphemes,
    snap_to_words,
    word_at,
)

# The case texts, exactly as in the known-faults file (B05 keeps its CRLF line ends).
CASES_FILE = Path(__file__).parent / "data" / "cases" / "known_faults.json"
CASE_TEXTS = {c["id"]: c["input_text"] for c in json.loads(CASES_FILE.read_text(encoding="utf-8"))}
B01, B02, B03, B04, B05, B07, B08 = (CASE_TEXTS[k] for k in ("B01", "B02", "B03", "B04", "B05", "B07", "B08"))

FAST = settings(max_examples=200, deadline=None, database=None)


def reference_positions(text: str) -> list[int]:
    """Qt position of every code-point offset 0..len(text), counted char by char."""
    out, pos, i = [], 0, 0
    while i < len(text):
        out.append(pos)
        if text[i] == "\r" and text[i + 1 : i + 2] == "\n":
            out.append(pos)  # the "\n" is inside the same block separator
            pos, i = pos + 1, i + 2
            continue
        pos += 2 if ord(text[i]) > 0xFFFF else 1
        i += 1
    out.append(pos)
    return out


def is_crlf_lf(text: str, i: int) -> bool:
    """True if offset i points at the "\\n" of a "\\r\\n" pair."""
    return 0 < i < len(text) and text[i - 1 : i + 1] == "\r\n"


# ---------------------------------------------------------------- known cases


@pytest.mark.parametrize(
    ("text", "spans", "qt_spans"),
    [
        (B01, [(2, 13), (21, 49)], [(3, 14), (22, 51)]),
        (B02, [(6, 17), (26, 38)], [(8, 19), (28, 40)]),
        # CRLF: Qt sees the same document as the LF text, so the Qt spans are B05's lf_spans.
        (B05, [(19, 28), (59, 75), (90, 98)], [(18, 27), (57, 73), (88, 96)]),
        (B03, [(0, 7), (14, 21), (25, 40)], [(0, 7), (14, 21), (25, 40)]),
        (B04, [(0, 3), (6, 8), (11, 17)], [(0, 3), (6, 8), (11, 17)]),
    ],
    ids=["B01-emoji", "B02-zwj", "B05-crlf", "B03-rtl", "B04-cjk"],
)
def test_known_spans_both_directions(text, spans, qt_spans):
    m = OffsetMap(text)
    assert [m.range_to_qt(s, e) for s, e in spans] == qt_spans
    assert [m.range_from_qt(a, b) for a, b in qt_spans] == spans
    assert [m.range_from_qt(b, a) for a, b in qt_spans] == spans  # backwards selection


def test_qt_length():
    assert OffsetMap("").qt_length == 0
    assert OffsetMap(B01).qt_length == len(B01) + 2
    assert OffsetMap(B02).qt_length == len(B02) + 2
    assert OffsetMap(B05).qt_length == len(B05) - 3
    assert OffsetMap(B05.replace("\r\n", "\n")).qt_length == len(B05) - 3
    assert OffsetMap("a\r\r\nb").qt_length == 4  # lone "\r", then a pair
    assert OffsetMap("a\n\rb").qt_length == 4  # "\n\r" is not a pair


def test_crlf_newline_maps_to_separator_start():
    text = "LONDON\r\nThe mayor"
    m = OffsetMap(text)
    assert m.to_qt(6) == m.to_qt(7) == 6  # "\r" and "\n" are inside one separator
    assert m.to_qt(8) == 7  # "T"
    assert m.from_qt(6) == 6
    assert m.from_qt(7) == 8
    assert m.range_from_qt(0, 6) == (0, 6)  # "LONDON"
    assert m.range_from_qt(7, 10) == (8, 11)  # "The"


@pytest.mark.parametrize("sep", ["\u2028", "\u2029", "\r", "\n", "\t", "\u00a0", "\u200b"])
def test_one_position_characters(sep):
    text = f"Mayor{sep}Jones 📉 said"
    m = OffsetMap(text)
    assert [m.to_qt(i) for i in range(len(text) + 1)] == reference_positions(text)
    assert m.range_to_qt(6, 11) == (6, 11)
    assert m.range_to_qt(12, 13) == (12, 14)
    assert m.range_to_qt(14, 18) == (15, 19)


def test_inside_surrogate_pair_rounds_down():
    m = OffsetMap("x📰b")
    assert m.from_qt(2) == 1  # between the surrogates of U+1F4F0
    assert m.from_qt(3) == 2
    assert m.range_from_qt(2, 2) == (1, 2)  # a range is widened, never shrunk
    assert m.range_from_qt(0, 2) == (0, 2)
    assert m.range_from_qt(2, 4) == (1, 3)


@pytest.mark.parametrize("bad", [-1, 51, 10**9])
def test_to_qt_out_of_range(bad):
    with pytest.raises(ValueError):
        OffsetMap(B01).to_qt(bad)


@pytest.mark.parametrize("bad", [-1, 53])
def test_from_qt_out_of_range(bad):
    with pytest.raises(ValueError):
        OffsetMap(B01).from_qt(bad)


def test_bad_types_and_ranges():
    m = OffsetMap(B01)
    with pytest.raises(TypeError):
        m.to_qt(1.0)
    with pytest.raises(TypeError):
        OffsetMap(b"bytes")
    with pytest.raises(ValueError):
        m.range_to_qt(5, 4)
    with pytest.raises(ValueError):
        m.range_from_qt(0, 53)
    with pytest.raises(ValueError):
        snap_to_words(B01, 5, 4)
    with pytest.raises(ValueError):
        snap_to_graphemes(B01, 0, 51)
    with pytest.raises(ValueError):
        word_at(B01, -1)
    with pytest.raises(ValueError):
        is_grapheme_boundary(B01, 51)


# ----------------------------------------------------------- property tests

PIECES = [
    "a", "Z", " ", "é", "e\u0301", "\u0301", "\r\n", "\r", "\n", "\u2028", "\u2029", "\t",
    "\u00a0", "\u200b", "\u200d", "\ufe0f", "📰", "\U0001f3fd", "🇺🇸", "ש", "王", "\U00020000",
]  # fmt: skip
texts = st.lists(st.one_of(st.sampled_from(PIECES), st.characters()), max_size=40).map("".join)


@FAST
@given(texts)
def test_offset_map_matches_reference(text):
    m = OffsetMap(text)
    ref = reference_positions(text)
    assert m.qt_length == ref[-1]
    assert [m.to_qt(i) for i in range(len(text) + 1)] == ref
    for pos in range(m.qt_length + 1):
        exact = [i for i, q in enumerate(ref) if q == pos]
        expected = exact[0] if exact else max(i for i, q in enumerate(ref) if q < pos)
        assert m.from_qt(pos) == expected


@FAST
@given(texts)
def test_round_trip_and_monotonic(text):
    m = OffsetMap(text)
    qt = [m.to_qt(i) for i in range(len(text) + 1)]
    assert qt == sorted(qt)
    for i in range(len(text) + 1):
        if is_crlf_lf(text, i):
            assert qt[i] == qt[i - 1]
        else:
            assert m.from_qt(qt[i]) == i


@FAST
@given(texts, st.data())
def test_range_from_qt_covers_selection(text, data):
    m = OffsetMap(text)
    a = data.draw(st.integers(0, m.qt_length))
    b = data.draw(st.integers(0, m.qt_length))
    s, e = m.range_from_qt(a, b)
    assert 0 <= s <= e <= len(text)
    assert m.to_qt(s) <= min(a, b) and m.to_qt(e) >= max(a, b)
    assert (s, e) == m.range_from_qt(b, a)


# ----------------------------------------------------------------- graphemes


def test_b02_forbidden_boundaries():
    assert [i for i in range(len(B02) + 1) if not is_grapheme_boundary(B02, i)] == [1, 2, 3, 4, 30]
    bounds = grapheme_boundaries(B02)
    # grapheme offsets of the two spans, from the case file
    assert [(bounds.index(s), bounds.index(e)) for s, e in [(6, 17), (26, 38)]] == [(2, 13), (22, 33)]


@pytest.mark.parametrize(
    ("text", "bounds"),
    [
        ("", [0]),
        ("🇺🇸🇬🇧🇫", [0, 2, 4, 5]),  # regional indicators pair from the left
        ("a\r\nb", [0, 1, 3, 4]),
        ("\u1100\u1161\u11a8\uac00x", [0, 3, 4, 5]),  # Hangul jamo L V T, then LV
        ("👍🏿👍\ufe0e!", [0, 2, 4, 5]),  # skin tone, text variation selector
        ("🏴\U000e0067\U000e0062\U000e0065\U000e006e\U000e0067\U000e007fx", [0, 7, 8]),  # tag flag
        ("a\u200bb", [0, 1, 2, 3]),  # ZWSP is its own cluster
        ("a\u200d b", [0, 2, 3, 4]),  # ZWJ does not swallow a space
        ("\ud83d\udcf0x", [0, 2, 3]),  # a surrogate pair held as two code points
        ("क्षि", [0, 2, 4]),  # Devanagari: virama and vowel sign are marks
        ("\u0600123", [0, 2, 3, 4]),  # Arabic number sign prepends
    ],
)
def test_grapheme_boundaries(text, bounds):
    assert grapheme_boundaries(text) == bounds


def test_snap_to_graphemes():
    assert snap_to_graphemes(B02, 2, 3) == (0, 5)
    assert snap_to_graphemes(B02, 6, 17) == (6, 17)
    assert snap_to_graphemes(B02, 27, 30) == (27, 31)  # "ene\u0301"
    assert snap_to_graphemes(B02, 3, 3) == (0, 0)
    assert snap_to_graphemes("a\r\nb", 2, 2) == (1, 1)


@FAST
@given(texts, st.data())
def test_snap_to_graphemes_properties(text, data):
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    s, e = snap_to_graphemes(text, start, end)
    assert s <= start and (e >= end if start < end else e == s)
    assert is_grapheme_boundary(text, s) and is_grapheme_boundary(text, e)
    assert snap_to_graphemes(text, s, e) == (s, e)
    for i in range(1, len(text)):
        mark = unicodedata.category(text[i]) in ("Mn", "Me")
        if mark and text[i - 1] not in "\r\n" and unicodedata.category(text[i - 1]) not in ("Cc", "Cf", "Zl", "Zp"):
            assert not is_grapheme_boundary(text, i)


# --------------------------------------------------------------------- words


@pytest.mark.parametrize(
    ("text", "sel", "expected"),
    [
        (B01, (4, 10), (2, 13)),  # "yor Jo" -> "Mayor Jones"
        (B01, (1, 14), (2, 13)),  # spaces trimmed
        (B01, (21, 49), (21, 49)),
        (B01, (0, 1), (0, 1)),  # the emoji alone
        (B02, (1, 2), (0, 5)),  # inside the ZWJ emoji
        (B02, (27, 30), (26, 31)),  # "ene" of "Rene\u0301"
        (B03, (0, 7), (0, 7)),  # SPEAKER 'השר לוי'
        (B03, (1, 6), (0, 7)),
        (B03, (0, 8), (0, 7)),
        (B03, (6, 7), (4, 7)),  # a last letter widens to its word, not more
        (B03, (14, 21), (14, 21)),  # ORG Reuters after the 'ל-' prefix stays
        (B03, (15, 20), (14, 21)),
        (B03, (25, 40), (25, 40)),  # CLAIM ending in '-5%'
        (B04, (6, 8), (6, 8)),  # 王伟 inside a Han run
        (B04, (0, 3), (0, 3)),
        (B07, (0, 21), (0, 21)),
        (B07, (4, 22), (0, 21)),
        (B07, (43, 48), (43, 48)),  # "3\u00a0May"
        (B07, (5, 6), (5, 5)),  # NBSP alone: nothing
        (B07, (57, 58), (57, 58)),  # ZWSP is not whitespace: kept
        (B07, (52, 59), (51, 62)),
        (B08, (15, 31), (15, 31)),
        (B08, (16, 29), (15, 31)),
        (B08, (22, 24), (22, 22)),  # the double space: nothing
        (B08, (24, 41), (24, 41)),
        (B08, (35, 36), (35, 35)),  # the TAB: nothing
        (B05, (20, 26), (19, 28)),  # "na Rey" -> "Ana Reyes"
        (B05, (18, 30), (19, 29)),  # " Ana Reyes, " -> "Ana Reyes," (punctuation is kept)
        (B05, (6, 11), (8, 11)),  # "\r\nThe": line break trimmed
        ("Iran’s talks", (0, 3), (0, 4)),
        ("Iran’s talks", (0, 4), (0, 4)),  # "Iran" stays selectable
        ("Iran’s talks", (2, 6), (0, 6)),
        ("face-to-face", (1, 7), (0, 7)),
        ("x", (0, 0), (0, 0)),
        ("   ", (0, 3), (0, 0)),
        (" \u0301 ", (0, 3), (0, 2)),  # a mark on a space is visible: kept
        ("a\r\nb", (1, 2), (1, 1)),
    ],
)
def test_snap_to_words(text, sel, expected):
    assert snap_to_words(text, *sel) == expected


@pytest.mark.parametrize(
    ("text", "i", "expected"),
    [
        (B03, 0, (0, 3)),
        (B03, 5, (4, 7)),
        (B03, 15, (12, 21)),  # double click joins 'ל-Reuters'
        (B03, 38, (36, 39)),  # 'ב-5'
        (B03, 40, (40, 41)),  # '.'
        (B04, 6, (6, 7)),  # one Han character
        (B04, 10, (10, 11)),  # full-width comma
        (B02, 0, (0, 5)),
        (B02, 3, (0, 5)),
        (B02, 29, (26, 31)),
        (B07, 2, (0, 5)),  # NBSP separates words
        (B07, 55, (51, 62)),  # the one word rule: a ZWSP between word characters joins them (as a token)
        (B07, 57, (51, 62)),
        (B08, 23, (23, 23)),  # between two spaces: nothing
        (B08, 22, (21, 22)),  # caret after "Berlin,": the "," before it
        (B08, 20, (15, 21)),
        ("Iran’s talks", 4, (0, 6)),
        ("face-to-face.", 7, (0, 12)),
        ("face-to-face.", 12, (12, 13)),
        ("rose 2,000 units", 7, (5, 10)),
        ("end.", 4, (3, 4)),
        ("トランプ大統領", 1, (0, 4)),
        ("トランプ大統領", 5, (5, 6)),
        ("문재인은 말했다", 1, (0, 4)),
        ("", 0, (0, 0)),
        ("word ", 4, (0, 4)),  # caret at a word's end
        ("word ", 5, (5, 5)),  # after the space: nothing
    ],
)
def test_word_at(text, i, expected):
    assert word_at(text, i) == expected


@FAST
@given(texts, st.data())
def test_snap_to_words_properties(text, data):
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    s, e = snap_to_words(text, start, end)
    non_space = [i for i in range(start, end) if not text[i].isspace()]
    if s == e:
        assert s == start and not non_space
    else:
        assert s <= non_space[0] and e > non_space[-1]
        assert is_grapheme_boundary(text, s) and is_grapheme_boundary(text, e)
        bounds = grapheme_boundaries(text)
        first_end, last_start = bounds[bounds.index(s) + 1], bounds[bounds.index(e) - 1]
        assert not text[s:first_end].isspace() and not text[last_start:e].isspace()
        assert snap_to_words(text, s, e) == (s, e)  # idempotent


@FAST
@given(texts, st.data())
def test_word_at_properties(text, data):
    i = data.draw(st.integers(0, len(text)))
    s, e = word_at(text, i)
    if s == e:
        assert s == i
    else:
        caret = snap_to_graphemes(text, i, i)[0]
        assert s <= caret <= e
        assert is_grapheme_boundary(text, s) and is_grapheme_boundary(text, e)
        assert not text[s:e].isspace()


# -------------------------------------------------------- size and purity
# (speed is measured by benchmarks/bench_view.py, not asserted in a timed test)


def test_a_2mb_ascii_text_maps_to_itself():
    text = ("The mayor said taxes will fall next year. " * 50_000)[:2_000_000]
    m = OffsetMap(text)
    assert m.qt_length == len(text)
    assert all(m.to_qt(i) == i and m.from_qt(i) == i for i in range(0, len(text) + 1, 9_973))


def test_large_mixed_text_is_correct():
    block = "Mayor 📉 said:\r\n\"Taxes fall\u2028soon.\" 王伟 👩\U0001f3fd\u200d⚕\ufe0f\n"
    text = block * 20_000  # ~ 1 MB
    m = OffsetMap(text)
    ref = reference_positions(block)
    per_block = ref[-1]
    assert m.qt_length == per_block * 20_000
    for k in range(0, 20_000, 7):
        for i in (0, 7, 16, 30, len(block) - 1):
            q = m.to_qt(k * len(block) + i)
            assert q == k * per_block + ref[i]
            assert m.from_qt(q) == k * len(block) + i


def test_module_does_not_import_qt():
    tree = ast.parse(Path(offsets_module.__file__).read_text(encoding="utf-8"))
    names = [a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names]
    names += [n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)]
    assert not [n for n in names if n.startswith(("PySide6", "shiboken6", "annotator.ui"))]
    code = (
        "import sys, annotator.core.offsets\n"
        "print(sorted(m for m in sys.modules if m.startswith(('PySide6', 'shiboken6', 'annotator.ui'))))"
    )
    root = Path(offsets_module.__file__).resolve().parents[2]
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=root)
    assert out.stdout.strip() == "[]"


# --- one word rule for the view and the tokeniser (issue 7), UTF-16 in one place --------------


@pytest.mark.parametrize("text", ["AT&T said", "R&D costs", "le_monde a", "ข่าวนี้ดีมาก วันนี้", "トランプ大統領",
                                  "Prime\u00a0Minister #Budget\u200b2025", "O'Brien face-to-face 2,000 10:30"])
def test_double_click_selects_exactly_a_token(text):
    """word_at (double click, word jumps) and the tokeniser of the exports agree (the tokeniser
    then splits English clitics off a word, "Iran’s" -> "Iran" "’s", as the Penn Treebank does)."""
    from annotator.core.tokenize import tokenize
    tokens = set(tokenize(text))
    for a, b in tokens:
        if text[a:b].isalnum() or any(ch.isalnum() for ch in text[a:b]) and not text[a:b].startswith(("#", "'", "’")):
            assert word_at(text, a) == (a, b), (text[a:b], word_at(text, a))


def test_at_and_t_is_one_word_and_thai_one_cluster_at_a_time():
    assert word_at("AT&T said", 1) == (0, 4)
    assert word_at("AT&T said", 2) == (0, 4)  # on the joiner
    thai = "ข่าวดี"
    assert word_at(thai, 0) == (0, 2)  # ข + mai ek: one grapheme cluster
    assert word_at(thai, 3) == (3, 4)
    assert snap_to_words(thai, 1, 4) == (0, 4)  # edges widened to clusters, not to the whole run


def test_utf16_map_round_trips_and_refuses_the_middle_of_a_pair():
    from annotator.core.offsets import Utf16Map, utf16_length
    text = "a\U0001f600b\U0001f1fa\U0001f1f8c"
    m = Utf16Map(text)
    assert m.length == utf16_length(text) == 9
    assert [m.to_utf16(i) for i in range(len(text) + 1)] == [0, 1, 3, 4, 6, 8, 9]
    assert [m.to_cp(u) for u in range(10)] == [0, 1, None, 2, 3, None, 4, None, 5, 6]
    with pytest.raises(ValueError):
        m.to_cp(10)
