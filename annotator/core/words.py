"""The one word rule: what a word is, for the tokeniser of the token exports
(:mod:`annotator.core.tokenize`) and for snapping a selection to words in the view
(:func:`annotator.core.offsets.snap_to_words`, :func:`annotator.core.offsets.word_at`).

Both used to carry their own rule and disagreed ("AT&T" was one token but two words in the
view; Thai was one token per grapheme cluster but one word per run in the view). Now:

* a grapheme cluster has the class of its first code point (:func:`char_class`): whitespace
  (``str.isspace()``: SPACE, TAB, line breaks, NBSP), invisible format characters (Cf: ZERO
  WIDTH SPACE, WORD JOINER, BOM, soft hyphen, bidi marks), a word character (letters, digits,
  combining marks, any script written with spaces), a character of a script written without
  spaces (Han, Hiragana, Bopomofo, Thai, Lao, Khmer, Myanmar: one word per grapheme cluster,
  as character-level CJK / Thai NER corpora count them: without a dictionary no rule finds
  Thai words, and a run up to the next space is a phrase that a selection could then not
  cut), Katakana (a run is one word: a loan word, "コンピューター"), Hangul (written with
  spaces: a run is one word), punctuation, or another symbol;
* a word is a run of word characters, kept together across ONE joiner between two word
  characters (:data:`JOINERS`: apostrophes, hyphens, underscore, "&", middle dot, Hebrew
  maqaf / geresh / gershayim: "AT&T", "face-to-face", "O'Brien", "ל-Reuters") and across one
  of :data:`NUMBER_JOINERS` between two digits ("20,000", "3.5", "10:30");
* an invisible format character between two word characters joins them too.

Pure Python, no Qt. Sources: Unicode UAX #29 (word boundaries, rules WB6/WB7 for MidLetter,
WB11/WB12 for MidNum) simplified as described above.
"""
from __future__ import annotations

import unicodedata

SPACE, INVISIBLE, WORD, CHAR, HANGUL, PUNCT, OTHER, KATAKANA = range(8)

JOINERS = frozenset("'\u2019\u02bc-\u2010\u2011_&\u00b7\u05be\u05f3\u05f4")
"""Single characters that join two word characters into one word."""
APOSTROPHES = "'\u2019\u02bc"
NUMBER_JOINERS = frozenset(".,:\u066b\u066c")
"""Single characters that join two digits into one word ("2,000", "3.5", "10:30", Arabic ٫ ٬)."""


def is_char_script(o: int) -> bool:
    """True for a code point of a script written without spaces between words: Han,
    Hiragana, Katakana, Bopomofo, Thai, Lao, Myanmar, Khmer (Katakana: see :func:`is_katakana`)."""
    return (0x3040 <= o <= 0x30FF or 0x3100 <= o <= 0x312F or 0x31A0 <= o <= 0x31FF or 0x3005 <= o <= 0x3007
            or 0x3400 <= o <= 0x4DBF or 0x4E00 <= o <= 0x9FFF or 0xF900 <= o <= 0xFAFF or 0xFF66 <= o <= 0xFF9F
            or 0x20000 <= o <= 0x3FFFF or 0x0E00 <= o <= 0x0EFF or 0x1000 <= o <= 0x109F or 0x1780 <= o <= 0x17FF)


def is_katakana(o: int) -> bool:
    """True for a Katakana code point (full-width, phonetic extensions, half-width)."""
    return 0x30A0 <= o <= 0x30FF or 0x31F0 <= o <= 0x31FF or 0xFF66 <= o <= 0xFF9F


def is_hangul(o: int) -> bool:
    """True for a Hangul syllable or jamo code point (Korean: words are runs)."""
    return 0xAC00 <= o <= 0xD7FF or 0x1100 <= o <= 0x11FF or 0x3130 <= o <= 0x318F or 0xA960 <= o <= 0xA97F


def char_class(cluster: str) -> int:
    """The word class (SPACE, INVISIBLE, WORD, CHAR, KATAKANA, HANGUL, PUNCT, OTHER) of a grapheme
    cluster (or one code point), decided by its first code point. ``cluster`` must not be empty."""
    ch = cluster[0]
    if ch.isspace():  # also a space with a stray combining mark or ZWJ on it
        return SPACE
    cat = unicodedata.category(ch)
    if cat == "Cf":
        return INVISIBLE
    o = ord(ch)
    if is_katakana(o):
        return KATAKANA
    if is_char_script(o):
        return CHAR
    if is_hangul(o):
        return HANGUL
    if ch.isalnum() or cat[0] == "M":
        return WORD
    return PUNCT if cat[0] == "P" else OTHER


def joins(before: str, joiner: str, after: str) -> bool:
    """True if the cluster ``joiner`` between the clusters ``before`` and ``after`` (both
    of class WORD) keeps them in one word: a :data:`JOINERS` character, an invisible format
    character, or a :data:`NUMBER_JOINERS` character between two digits."""
    if joiner in JOINERS or char_class(joiner) == INVISIBLE:
        return True
    return joiner in NUMBER_JOINERS and before[-1].isdigit() and after[0].isdigit()
