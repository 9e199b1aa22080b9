"""Selection rules: what a selection in the text marks as a span.

Pure Python (no Qt, no store): the operations (:mod:`annotator.core.operations`), the
window's status line and the importers' checks call these. Offsets are Python code points
into the document text, fragments ``[(start, end), ...]`` half-open ranges.

* Surrounding whitespace is dropped (:func:`trim_fragments`); a selection without a letter or
  digit is refused (:func:`has_word`).
* Speaker and cue marks also drop the punctuation a word jump takes along ("officials." ->
  "officials", ", said" -> "said"); an abbreviation keeps its period ("Jr.", "U.S.", by the
  rule of :mod:`annotator.core.tokenize`) (:func:`trim_punctuation`).
* Claims keep their punctuation but not the quotation marks around them: the content of
  “The talks were useful,” is "The talks were useful," (as in the seed article's gold and
  PARC 3.0 content spans), whether the selection took the marks or not (:func:`trim_quotes`).
* A span in several fragments ("Institutional recipients, | said Mauer, | are required...")
  keeps them sorted, apart and each with a word; fragments that overlap, touch, or stand
  only whitespace apart become one (:func:`merge_fragments`).
* A mention suggests the entity name it is trimmed to (:func:`mention_name`); a claim whose
  first fragment opens with (or is enclosed by) a quotation mark is direct (:func:`is_quoted`).
"""
from __future__ import annotations

import re
from typing import Iterable, Sequence

from annotator.core.model import CLAIM, CUE, SPEAKER, Fragment
from annotator.core.tokenize import ABBREVIATIONS

OPENING_QUOTES = "“\"‘«„"
CLOSING_QUOTES = "”\"’»“"  # (“ closes a quotation opened by „ in German)
_CJK_QUOTES = ("「」", "『』")
_NAME_STRIP = " \t\n\r\u00a0,;:!?\"'“”‘’«»„()[]"  # after trim_punctuation: "." stays on "Jr."
_LEADING_PUNCT = "([“‘\"（［「『,;:.!?)]”’»，；：。、！？）］」』…-–—"  # opening marks, and what ends the word before
_TRAILING_PUNCT = ",;:!?)]”’\"，；：！？）］」』。、"
_DOTTED_WORD = re.compile(r"(?:[^\W\d_]\.)+[^\W\d_]")  # U.S  p.m  e.g (the final "." is not in it)


def trim_fragments(text: str, fragments: Iterable[Sequence[int]], label: str | None = None) -> list[Fragment]:
    """``fragments`` without leading / trailing whitespace; fragments that are only
    whitespace are dropped (a keyboard selection often takes a space with it).

    With ``label`` SPEAKER or CUE, the punctuation a word jump drags along goes too (see
    :func:`trim_punctuation`: "officials." -> "officials", "(AP)" -> "AP", "U.S." kept);
    claims keep theirs, but not the quotation marks around them (:func:`trim_quotes`)."""
    out = []
    for a, b in fragments:
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        if label in (SPEAKER, CUE):
            a, b = trim_punctuation(text, a, b)
        elif label == CLAIM:
            a, b = trim_quotes(text, a, b)
        if a < b:
            out.append((a, b))
    return out


def trim_punctuation(text: str, start: int, end: int) -> tuple[int, int]:
    """``text[start:end]`` without leading ``( [ “ ‘ "`` and trailing ``, ; : ! ? ) ] ” ’ "``
    (their full-width forms, 「」『』 and 。、 too; and whitespace), and without a trailing "."
    unless its last word is an abbreviation (:func:`is_abbreviation`: "Jr." "U.S." "J." keep
    it). Only punctuation: ``(start, start)``."""
    a, b = start, end
    while True:
        before = a, b
        while a < b and (text[a] in _LEADING_PUNCT or text[a].isspace()):
            a += 1
        while b > a and (text[b - 1] in _TRAILING_PUNCT or text[b - 1].isspace()):
            b -= 1
        if b > a and text[b - 1] == "." and not is_abbreviation(text, a, b):
            b -= 1
        if (a, b) == before:
            return (a, b) if a < b else (start, start)


def trim_quotes(text: str, start: int, end: int) -> tuple[int, int]:
    """``text[start:end]`` without the quotation marks at its ends (and whitespace): an
    opening mark at the start (“ „ « ‘ " 「 『), a closing one at the end (” » " 」 』, and ’
    when a ‘ opens the quotation), and the punctuation after a closing mark ("”," at the end of
    a selection: the comma belongs to the sentence around the quote). Punctuation inside the
    marks stays ("me,”" -> "me,"). Nothing but marks: ``(start, start)``."""
    a, b = start, end
    while True:
        before = a, b
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        if a < b and (text[a] in OPENING_QUOTES or text[a] in "「『"):
            a += 1
        if b - 1 > a and text[b - 1] in ",.;:" and _closes_quote(text, start, b - 2):
            b -= 1  # "useful,”," -> the comma after the closing mark goes first
        if b > a and _closes_quote(text, start, b - 1):
            b -= 1
        if (a, b) == before:
            return (a, b) if a < b else (start, start)


def _closes_quote(text: str, start: int, at: int) -> bool:
    """True if ``text[at]`` is a closing quotation mark (’ only when a ‘ opened the quotation
    at or just before ``start``: else it is an apostrophe, "the players’")."""
    if at < 0 or at >= len(text):
        return False
    ch = text[at]
    if ch == "’":
        return "‘" in text[max(start - 1, 0):at]
    return ch in CLOSING_QUOTES or ch in "」』"


def is_abbreviation(text: str, start: int, end: int) -> bool:
    """True when ``text[start:end]`` ends with "." after an abbreviation, by the rule of
    :mod:`annotator.core.tokenize`: one of its ``ABBREVIATIONS`` ("Inc." "Jr." "Mr."), one
    capital letter ("J."), or a dotted one ("U.S." "p.m.")."""
    if end <= start or text[end - 1] != ".":
        return False
    k = end - 1
    while k > start and (text[k - 1].isalnum() or text[k - 1] == "."):
        k -= 1
    word = text[k:end - 1]
    return (word in ABBREVIATIONS or (len(word) == 1 and word.isupper())
            or _DOTTED_WORD.fullmatch(word) is not None)


def has_word(text: str, fragments: Iterable[Sequence[int]]) -> bool:
    """True when the fragments hold a letter or a digit (``str.isalnum``; CJK characters
    are letters): a selection of punctuation only is not a speaker, cue or claim."""
    return any(ch.isalnum() for a, b in fragments for ch in text[a:b])


def mention_name(text: str, fragments: Iterable[Sequence[int]]) -> str:
    """The entity name a mention suggests: its text without surrounding punctuation (as
    :func:`trim_punctuation` trims it: an abbreviation keeps its period, "Jr.")."""
    parts = [text[a:b] for a, b in trim_fragments(text, fragments, SPEAKER)]
    return " ".join(parts).strip(_NAME_STRIP) or "unnamed"


def is_quoted(text: str, start: int, end: int) -> bool:
    """True if ``text[start:end]`` starts with an opening quotation mark or is enclosed by
    one (the character before ``start``, ignoring spaces, opens a quotation)."""
    surface = text[start:end].lstrip()
    if surface and surface[0] in OPENING_QUOTES:
        return True
    before = text[:start].rstrip(" \u00a0")
    return bool(before) and before[-1] in OPENING_QUOTES


def merge_fragments(text: str, fragments: Iterable[Sequence[int]]) -> list[Fragment]:
    """``fragments`` sorted, with those that overlap, touch or have only whitespace between
    them joined into one: ``[(0, 24), (25, 30)]`` over "Institutional recipients, said"
    gives ``[(0, 30)]``. Offsets are code points of ``text``; the result is what
    :func:`annotator.core.model.check_fragments` accepts (sorted, not overlapping)."""
    out: list[list[int]] = []
    for a, b in sorted((int(a), int(b)) for a, b in fragments):
        if out and (a <= out[-1][1] or not text[out[-1][1]:a].strip()):
            out[-1][1] = max(out[-1][1], b)
        else:
            out.append([a, b])
    return [(a, b) for a, b in out]


def fragment_at(fragments: Sequence[Sequence[int]], offset: int) -> int | None:
    """The index of the fragment holding code point ``offset`` (its end counts too: the caret
    after the fragment's last character), else None. The first one wins where two touch."""
    for i, (a, b) in enumerate(fragments):
        if a <= offset <= b:
            return i
    return None
