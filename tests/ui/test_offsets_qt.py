"""annotator.core.offsets checked against a real QPlainTextEdit / QTextDocument.

A stored span [s, e) is selected in the editor with
``setPosition(to_qt(s)); setPosition(to_qt(e), KeepAnchor)``; the selected text
(block separators U+2029 read as "\\n") must equal ``text[s:e]`` with line
breaks normalised the same way. Texts are the known-fault cases B01-B08.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from PySide6.QtGui import QTextCursor  # noqa: E402
from PySide6.QtWidgets import QPlainTextEdit  # noqa: E402

from annotator.core.offsets import OffsetMap, grapheme_boundaries, word_at  # noqa: E402

# The case texts, exactly as in the known-faults file (B05 keeps its CRLF line ends).
CASES_FILE = Path(__file__).parents[1] / "data" / "cases" / "known_faults.json"
CASE_TEXTS = {c["id"]: c["input_text"] for c in json.loads(CASES_FILE.read_text(encoding="utf-8"))}
B01, B02, B03, B04, B05, B07, B08 = (CASE_TEXTS[k] for k in ("B01", "B02", "B03", "B04", "B05", "B07", "B08"))
LINES = "Mayor\u2028Jones 📉\rsaid\u2029\r\r\n\n\"fine\"\r\n🇺🇸 \U00020000x"

CASES = {
    "B01-emoji": (B01, [(2, 13), (21, 49), (0, 1), (38, 39)]),
    "B02-zwj": (B02, [(6, 17), (26, 38), (0, 5)]),
    "B03-rtl": (B03, [(0, 7), (14, 21), (25, 40)]),
    "B04-cjk": (B04, [(0, 3), (6, 8), (11, 17)]),
    "B05-crlf": (B05, [(19, 28), (59, 75), (90, 98), (0, 100), (6, 8), (8, 48)]),
    "B07-nbsp-zwsp": (B07, [(0, 21), (43, 48), (50, 62), (5, 6), (57, 58)]),
    "B08-tab-spaces": (B08, [(15, 31), (24, 41), (36, 41), (22, 24), (35, 36)]),
    "line-separators": (LINES, [(0, 11), (5, 6), (14, 19), (16, 22), (20, 29), (29, 31), (31, len(LINES))]),
}
TEXTS = [text for text, _ in CASES.values()]
FAST = settings(max_examples=200, deadline=None, database=None)


@pytest.fixture(scope="module")
def editor(qapp):
    ed = QPlainTextEdit()
    yield ed
    ed.close()


def as_qt_shows(text: str) -> str:
    """Stored text as QTextCursor.selectedText() returns it (separators read as "\\n")."""
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2029", "\n")


def inside_crlf(text: str, i: int) -> bool:
    """True if offset i points at the "\\n" of a "\\r\\n" (not a Qt position of its own)."""
    return 0 < i < len(text) and text[i - 1 : i + 1] == "\r\n"


def select(editor: QPlainTextEdit, anchor: int, position: int) -> QTextCursor:
    cursor = editor.textCursor()
    cursor.setPosition(anchor)
    cursor.setPosition(position, QTextCursor.MoveMode.KeepAnchor)
    return cursor


def selected(cursor: QTextCursor) -> str:
    return cursor.selectedText().replace("\u2029", "\n")


@pytest.mark.parametrize("text", TEXTS, ids=list(CASES))
def test_qt_length_is_document_length(editor, text):
    editor.setPlainText(text)
    assert OffsetMap(text).qt_length == editor.document().characterCount() - 1
    cursor = editor.textCursor()
    cursor.movePosition(QTextCursor.MoveOperation.End)
    assert cursor.position() == OffsetMap(text).qt_length


@pytest.mark.parametrize(("text", "spans"), list(CASES.values()), ids=list(CASES))
def test_spans_select_their_text(editor, text, spans):
    m = OffsetMap(text)
    editor.setPlainText(text)
    for s, e in spans:
        a, b = m.range_to_qt(s, e)
        forward, backward = select(editor, a, b), select(editor, b, a)
        assert selected(forward) == as_qt_shows(text[s:e])
        assert selected(backward) == as_qt_shows(text[s:e])
        assert backward.anchor() > backward.position() or s == e
        assert m.range_from_qt(forward.anchor(), forward.position()) == (s, e)
        assert m.range_from_qt(backward.anchor(), backward.position()) == (s, e)


@pytest.mark.parametrize("text", TEXTS, ids=list(CASES))
def test_every_qt_position_maps_back(editor, text):
    m = OffsetMap(text)
    editor.setPlainText(text)
    for pos in range(m.qt_length + 1):
        cp = m.from_qt(pos)
        if m.to_qt(cp) == pos:  # not between two surrogates
            assert selected(select(editor, 0, pos)) == as_qt_shows(text[:cp])
            assert selected(select(editor, m.qt_length, pos)) == as_qt_shows(text[cp:])


@pytest.mark.parametrize("text", TEXTS, ids=list(CASES))
def test_grapheme_boundaries_match_qt_cursor_moves(editor, text):
    """Qt's NextCharacter moves by grapheme cluster; our boundaries must agree."""
    m = OffsetMap(text)
    editor.setPlainText(text)
    cursor = editor.textCursor()
    cursor.setPosition(0)
    stops = [0]
    while not cursor.atEnd():
        cursor.movePosition(QTextCursor.MoveOperation.NextCharacter)
        stops.append(cursor.position())
    assert stops == [m.to_qt(b) for b in grapheme_boundaries(text)]


@pytest.mark.parametrize(
    ("i", "word"), [(1, "השר"), (5, "לוי"), (9, "אמר"), (16, "Reuters"), (29, "המחיר")]
)
def test_rtl_word_under_cursor(editor, i, word):
    """B03: Qt's own word selection in Hebrew maps back to the logical range."""
    m = OffsetMap(B03)
    editor.setPlainText(B03)
    cursor = editor.textCursor()
    cursor.setPosition(m.to_qt(i))
    cursor.select(QTextCursor.SelectionType.WordUnderCursor)
    s, e = m.range_from_qt(cursor.anchor(), cursor.position())
    assert B03[s:e] == word
    ours = word_at(B03, i)
    assert B03[ours[0] : ours[1]].endswith(word)  # ours joins the 'ל-' prefix


def test_widget_text_is_not_the_stored_text(editor):
    """Qt quirk: toPlainText() rewrites NBSP, U+2028 and CRLF; never store it."""
    editor.setPlainText(B07 + "\u2028" + B05)
    shown = editor.toPlainText()
    assert "\u00a0" not in shown and "\u2028" not in shown and "\r" not in shown
    assert len(shown) == len(B07) + 1 + len(B05) - 3


@st.composite
def text_and_span(draw, texts=st.sampled_from(TEXTS)):
    text = draw(texts)
    valid = [i for i in range(len(text) + 1) if not inside_crlf(text, i)]
    s, e = sorted((draw(st.sampled_from(valid)), draw(st.sampled_from(valid))))
    return text, s, e


@FAST
@given(text_and_span())
def test_random_slices_of_case_texts(editor, case):
    text, s, e = case
    m = OffsetMap(text)
    editor.setPlainText(text)
    a, b = m.range_to_qt(s, e)
    assert selected(select(editor, b, a)) == as_qt_shows(text[s:e])
    assert m.range_from_qt(b, a) == (s, e)


PIECES = ["a", " ", "é", "e\u0301", "\r\n", "\r", "\n", "\u2028", "\u2029", "\t", "\u00a0", "\u200b",
          "📰", "👩\U0001f3fd\u200d⚕\ufe0f", "🇺🇸", "ש", "王", "\U00020000"]  # fmt: skip


@FAST
@given(text_and_span(st.lists(st.sampled_from(PIECES), max_size=30).map("".join)))
def test_random_texts(editor, case):
    text, s, e = case
    m = OffsetMap(text)
    editor.setPlainText(text)
    assert m.qt_length == editor.document().characterCount() - 1
    a, b = m.range_to_qt(s, e)
    assert selected(select(editor, a, b)) == as_qt_shows(text[s:e])
