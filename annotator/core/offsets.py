"""Offsets: code points <-> Qt positions, and selection snapping.

Units used in the whole app
---------------------------
*Stored offsets* are Python code-point indices into the stored document text,
half-open ``[start, end)``, so ``text[start:end]`` is the span's surface.

*Qt positions* are what ``QTextCursor.position()`` / ``anchor()`` and
``QTextDocument`` use after ``QPlainTextEdit.setPlainText(text)``:

* UTF-16 code units, so a character above U+FFFF (emoji, rare Han) takes 2;
* ``"\\r\\n"`` becomes ONE block separator (one position); a lone ``"\\r"``,
  a lone ``"\\n"``, U+2028 and U+2029 take one position each;
* every other character (TAB, NBSP, ZWSP, ...) takes its UTF-16 length.

The largest Qt position is ``QTextDocument.characterCount() - 1``
(:attr:`OffsetMap.qt_length`).

*UTF-16 code units* are what doccano 1.x, WebAnno / INCEpTION TSV and JavaScript tools
count (:class:`Utf16Map`, :func:`utf16_length`): like Qt positions, but "\\r\\n" is two.

This module is THE ONLY place where these units are converted (:class:`OffsetMap`,
:class:`Utf16Map`); the formats call it.
It also holds the pure-Python helpers that widen a selection to grapheme
clusters (:func:`snap_to_graphemes`) and to whole words (:func:`snap_to_words`,
:func:`word_at`). It must not import Qt or ``annotator.ui``.
"""

from __future__ import annotations

import re
import unicodedata
from array import array
from bisect import bisect_left
from operator import index as _as_int

from annotator.core import words

__all__ = [
    "OffsetMap",
    "Utf16Map",
    "utf16_length",
    "grapheme_boundaries",
    "is_grapheme_boundary",
    "snap_to_graphemes",
    "snap_to_words",
    "word_at",
]

_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


def _check_offset(name: str, value: object, upper: int) -> int:
    """Return ``value`` as an int in ``0..upper``; TypeError / ValueError otherwise."""
    value = _as_int(value)  # TypeError for floats, None, str ...
    if not 0 <= value <= upper:
        raise ValueError(f"{name} {value} out of range 0..{upper}")
    return value


def _check_range(text: str, start: object, end: object) -> tuple[int, int]:
    start = _check_offset("start", start, len(text))
    end = _check_offset("end", end, len(text))
    if start > end:
        raise ValueError(f"start {start} > end {end}")
    return start, end


# --------------------------------------------------------------------------
# Code points <-> Qt positions
# --------------------------------------------------------------------------


class OffsetMap:
    """Converts between code-point offsets and Qt positions for one text.

    Build it once per stored text (``OffsetMap(text)``, O(n), fast C-level
    scans) and rebuild it whenever the text changes. It keeps only the indices
    of astral characters (2 UTF-16 units) and of ``"\\r\\n"`` pairs, in sorted
    ``array('q')`` lists with their Qt positions (8 bytes per entry, nothing
    for plain BMP / LF-only text; the text itself is not kept). Every
    conversion is O(log k) with ``bisect``, k = number of such entries.

    ``"\\r\\n"`` pairs are found left to right, as Qt does: in ``"\\r\\r\\n"``
    the first ``"\\r"`` is alone and the second pairs with the ``"\\n"``.

    Raises TypeError if ``text`` is not a ``str``.
    """

    __slots__ = ("_n", "_astral_cp", "_astral_qt", "_crlf_cp", "_crlf_qt")

    def __init__(self, text: str) -> None:
        if not isinstance(text, str):
            raise TypeError(f"OffsetMap needs a str, not {type(text).__name__}")
        self._n = len(text)
        astral: list[int] = []
        if not text.isascii() and len(text.encode("utf-16-le", "surrogatepass")) != 2 * self._n:
            astral = [m.start() for m in _ASTRAL.finditer(text)]
        crlf: list[int] = []  # index of the "\r" of each "\r\n" pair
        i = text.find("\r\n")
        while i != -1:
            crlf.append(i)
            i = text.find("\r\n", i + 2)
        # Qt position of each special character; linear merge of the two lists.
        astral_qt, crlf_qt = array("q"), array("q")
        j = 0
        for k, a in enumerate(astral):
            while j < len(crlf) and crlf[j] < a:
                j += 1
            astral_qt.append(a + k - j)
        k = 0
        for j, r in enumerate(crlf):
            while k < len(astral) and astral[k] < r:
                k += 1
            crlf_qt.append(r + k - j)
        self._astral_cp, self._astral_qt = array("q", astral), astral_qt
        self._crlf_cp, self._crlf_qt = array("q", crlf), crlf_qt

    @property
    def cp_length(self) -> int:
        """Length of the text in code points (``len(text)``)."""
        return self._n

    @property
    def qt_length(self) -> int:
        """Largest Qt position: ``QTextDocument.characterCount() - 1`` after setPlainText."""
        return self._n + len(self._astral_cp) - len(self._crlf_cp)

    def to_qt(self, cp: int) -> int:
        """Code-point offset ``cp`` (0..len(text)) -> Qt position (0..qt_length).

        A ``cp`` at the ``"\\n"`` of a ``"\\r\\n"`` pair lies inside Qt's one
        block separator and maps to the same position as the ``"\\r"``.
        Monotonic (non-decreasing). Raises ValueError if ``cp`` is out of
        range, TypeError if it is not an integer.
        """
        cp = _check_offset("code-point offset", cp, self._n)
        return cp + bisect_left(self._astral_cp, cp) - bisect_left(self._crlf_cp, cp)

    def from_qt(self, pos: int) -> int:
        """Qt position ``pos`` (0..qt_length) -> code-point offset (0..len(text)).

        A position between the two surrogates of an astral character (inside
        one code point) rounds DOWN to that character's start. The position of
        a ``"\\r\\n"`` separator gives the index of its ``"\\r"``. For every
        other position ``from_qt(to_qt(cp)) == cp``. Raises ValueError if
        ``pos`` is out of range, TypeError if it is not an integer.
        """
        pos = _check_offset("Qt position", pos, self.qt_length)
        return pos - bisect_left(self._astral_qt, pos) + bisect_left(self._crlf_qt, pos)

    def range_to_qt(self, start: int, end: int) -> tuple[int, int]:
        """Code-point span ``[start, end)`` -> Qt ``(start, end)``; both ints.

        Raises ValueError if either end is out of range or ``start > end``.
        """
        if _as_int(start) > _as_int(end):
            raise ValueError(f"start {start} > end {end}")
        return self.to_qt(start), self.to_qt(end)

    def range_from_qt(self, a: int, b: int) -> tuple[int, int]:
        """Qt selection ends (anchor, position in any order) -> code-point ``(start, end)``.

        Returns ``start <= end``, so a backwards selection (anchor > position)
        works. The range is widened, never shrunk: a start inside a surrogate
        pair rounds down and an end inside one rounds up, so a partly selected
        astral character is included whole. Raises ValueError if either
        position is out of range.
        """
        lo, hi = sorted((_as_int(a), _as_int(b)))
        start, end = self.from_qt(lo), self.from_qt(hi)
        if self.to_qt(end) != hi:  # hi was inside a surrogate pair
            end += 1
        return start, end


def utf16_length(text: str) -> int:
    """Length of ``text`` in UTF-16 code units (a character above U+FFFF counts 2)."""
    return len(text) if text.isascii() else len(text.encode("utf-16-le", "surrogatepass")) // 2


class Utf16Map:
    """Code points <-> UTF-16 code units of one text (doccano 1.x, WebAnno TSV, JavaScript).

    ``length`` is the text's length in UTF-16 units. O(number of astral characters) memory;
    conversions are O(log n).
    """

    __slots__ = ("_n", "_astral_cp", "_astral_u16", "length")

    def __init__(self, text: str) -> None:
        self._n = len(text)
        astral = [m.start() for m in _ASTRAL.finditer(text)] if utf16_length(text) != len(text) else []
        self._astral_cp = array("q", astral)
        self._astral_u16 = array("q", (a + k for k, a in enumerate(astral)))
        self.length = self._n + len(astral)

    def to_utf16(self, cp: int) -> int:
        """Code-point offset ``cp`` (0..len(text)) -> UTF-16 offset. ValueError if out of range."""
        cp = _check_offset("code-point offset", cp, self._n)
        return cp + bisect_left(self._astral_cp, cp)

    def to_cp(self, unit: int) -> int | None:
        """UTF-16 offset ``unit`` (0..length) -> code-point offset; None when it falls between
        the two units (surrogates) of one character. ValueError if out of range."""
        unit = _check_offset("UTF-16 offset", unit, self.length)
        k = bisect_left(self._astral_u16, unit)
        if k and self._astral_u16[k - 1] + 1 == unit:
            return None
        return unit - k


# --------------------------------------------------------------------------
# Grapheme clusters (simplified UAX #29 extended grapheme clusters)
# --------------------------------------------------------------------------

_CR, _LF, _CONTROL, _EXTEND, _ZWJ, _RI, _PREPEND, _SPACING = range(8)
_L, _V, _T, _LV, _LVT, _OTHER_G, _SUR_HIGH, _SUR_LOW = range(8, 16)
_PREPEND_CPS = frozenset(
    (0x600, 0x601, 0x602, 0x603, 0x604, 0x605, 0x6DD, 0x70F, 0x890, 0x891, 0x8E2, 0x110BD, 0x110CD)
)


def _gcb(ch: str) -> int:
    """Simplified Grapheme_Cluster_Break property of one code point."""
    o = ord(ch)
    if o < 0x7F:
        return _CR if o == 0x0D else _LF if o == 0x0A else _CONTROL if o < 0x20 else _OTHER_G
    if o == 0x200D:
        return _ZWJ
    if 0x1F1E6 <= o <= 0x1F1FF:
        return _RI
    if o == 0x200C or 0x1F3FB <= o <= 0x1F3FF or 0xE0020 <= o <= 0xE007F:
        return _EXTEND  # ZWNJ, emoji skin-tone modifiers, emoji tag characters
    if o in _PREPEND_CPS:
        return _PREPEND
    if 0x1100 <= o <= 0x115F or 0xA960 <= o <= 0xA97C:
        return _L
    if 0x1160 <= o <= 0x11A7 or 0xD7B0 <= o <= 0xD7C6:
        return _V
    if 0x11A8 <= o <= 0x11FF or 0xD7CB <= o <= 0xD7FB:
        return _T
    if 0xAC00 <= o <= 0xD7A3:
        return _LV if (o - 0xAC00) % 28 == 0 else _LVT
    cat = unicodedata.category(ch)
    if cat in ("Mn", "Me"):  # includes variation selectors U+FE00..FE0F
        return _EXTEND
    if cat == "Mc":
        return _SPACING
    if cat in ("Cc", "Cf", "Zl", "Zp"):  # Cf: ZWSP, BOM, soft hyphen, ...
        return _CONTROL
    if cat == "Cs":
        return _SUR_HIGH if o < 0xDC00 else _SUR_LOW
    return _OTHER_G  # letters, digits, symbols, spaces, unassigned (newer emoji)


def is_grapheme_boundary(text: str, i: int) -> bool:
    """True if code-point offset ``i`` (0..len(text)) is between two grapheme clusters.

    0 and ``len(text)`` are always boundaries. Approximates UAX #29 extended
    grapheme clusters with ``unicodedata`` only; no break: inside ``"\\r\\n"``,
    before combining / enclosing / spacing marks, variation selectors,
    skin-tone modifiers, ZWNJ and ZWJ, after a ZWJ unless the next character
    is whitespace or a control, inside a regional-indicator pair (flags),
    inside Hangul syllable sequences, after prepended concatenation marks,
    between a high and a low surrogate. Always a break around controls
    (Cc, Cf such as U+200B, U+2028, U+2029). Raises ValueError if ``i`` is out
    of range.
    """
    i = _check_offset("offset", i, len(text))
    if i == 0 or i == len(text):
        return True
    a, b = _gcb(text[i - 1]), _gcb(text[i])
    if a == _CR and b == _LF:
        return False
    if a == _SUR_HIGH and b == _SUR_LOW:
        return False
    if a in (_CR, _LF, _CONTROL, _SUR_HIGH, _SUR_LOW) or b in (_CR, _LF, _CONTROL, _SUR_HIGH, _SUR_LOW):
        return True
    if b in (_EXTEND, _ZWJ, _SPACING) or a == _PREPEND:
        return False
    if (a == _L and b in (_L, _V, _LV, _LVT)) or (a in (_LV, _V) and b in (_V, _T)) or (
        a in (_LVT, _T) and b == _T
    ):
        return False
    if a == _ZWJ:
        return text[i].isspace()
    if a == _RI and b == _RI:
        run = 0  # regional indicators pair up from the start of their run
        while i - run - 1 >= 0 and _gcb(text[i - run - 1]) == _RI:
            run += 1
        return run % 2 == 0
    return True


def grapheme_boundaries(text: str) -> list[int]:
    """All grapheme-cluster boundaries of ``text`` as sorted code-point offsets.

    Includes 0 and ``len(text)`` (just ``[0]`` for ``""``). O(n) calls into
    ``unicodedata``: use the snap functions for single selections.
    """
    return [i for i in range(len(text) + 1) if is_grapheme_boundary(text, i)]


def _cluster_start(text: str, i: int) -> int:
    """Start of the cluster that ends at boundary ``i`` (``i > 0``)."""
    i -= 1
    while not is_grapheme_boundary(text, i):
        i -= 1
    return i


def _cluster_end(text: str, i: int) -> int:
    """End of the cluster that starts at boundary ``i`` (``i < len(text)``)."""
    i += 1
    while not is_grapheme_boundary(text, i):
        i += 1
    return i


def snap_to_graphemes(text: str, start: int, end: int) -> tuple[int, int]:
    """Widen code-point range ``[start, end)`` to grapheme-cluster boundaries.

    ``start`` moves back and ``end`` moves forward to the nearest boundary, so
    no emoji sequence, accented letter or ``"\\r\\n"`` is split. An empty
    range stays empty (both ends move back). Returns ``(start, end)`` code
    points. Raises ValueError if out of range or ``start > end``.
    """
    s, e = _check_range(text, start, end)
    while not is_grapheme_boundary(text, s):
        s -= 1
    if start == end:
        return s, s
    while not is_grapheme_boundary(text, e):
        e += 1
    return s, e


# --------------------------------------------------------------------------
# Words
# --------------------------------------------------------------------------

_SPACE, _WORD, _IDEO, _KATA, _HANGUL, _OTHER = range(6)
# The word rule is annotator.core.words (shared with the tokeniser of the token exports).
_FROM_RULE = {words.SPACE: _SPACE, words.WORD: _WORD, words.CHAR: _IDEO, words.KATAKANA: _KATA,
              words.HANGUL: _HANGUL}


def _word_class(ch: str) -> int:
    """Word class of a grapheme cluster, decided by its first code point, by the one word
    rule (:func:`annotator.core.words.char_class`): invisible format characters,
    punctuation and symbols are ``_OTHER`` here (an invisible one between two word
    characters still joins them, see :func:`_is_joiner`)."""
    return _FROM_RULE.get(words.char_class(ch), _OTHER)


def _class_before(text: str, i: int) -> int:
    return _word_class(text[_cluster_start(text, i)]) if i > 0 else _SPACE


def _class_at(text: str, i: int) -> int:
    return _word_class(text[i]) if i < len(text) else _SPACE


def _is_joiner(text: str, i: int) -> bool:
    """True if the cluster at ``i`` is one joiner character between two word clusters."""
    if i == 0 or i >= len(text) - 1 or not is_grapheme_boundary(text, i + 1):
        return False
    if _class_before(text, i) != _WORD or _class_at(text, i + 1) != _WORD:
        return False
    return words.joins(text[_cluster_start(text, i)], text[i], text[i + 1])


def snap_to_words(text: str, start: int, end: int) -> tuple[int, int]:
    """Widen code-point range ``[start, end)`` to whole words, then trim whitespace.

    Steps: widen to grapheme clusters; if ``start`` lies inside a word move it
    back to the word start; if ``end`` lies inside a word move it forward to
    the word end; drop leading and trailing whitespace clusters
    (``str.isspace()``: includes NBSP U+00A0, TAB, line breaks; U+200B is not
    whitespace and is kept).

    "Inside a word" means between two word-character clusters (first code
    point ``isalnum()`` or a combining mark; any script but CJK). These are
    NOT inside a word, so a selection edge there is kept as is:

    * next to a joiner (apostrophe / hyphen): "Iran" in "Iran’s", "Reuters"
      in Hebrew "ל-Reuters" (case B03) and "face" in "face-to-face" stay
      selectable (:func:`word_at` does treat those as one word);
    * between two Han, Kana or Hangul characters: CJK has no spaces, so each
      character is a word boundary ("王伟" inside "外交部发言人王伟表示").

    Returns ``(start, end)`` code points. A non-empty result always keeps every
    non-whitespace character of the input. An empty or all-whitespace input
    returns ``(start, start)``, meaning "nothing selected". Logical (storage)
    order throughout, so RTL text needs nothing special. Raises ValueError if
    out of range or ``start > end``.
    """
    start, end = _check_range(text, start, end)
    if start == end or text[start:end].isspace():
        return start, start
    s, e = snap_to_graphemes(text, start, end)
    while 0 < s < len(text) and _class_at(text, s) == _WORD and _class_before(text, s) == _WORD:
        s = _cluster_start(text, s)
    while 0 < e < len(text) and _class_at(text, e) == _WORD and _class_before(text, e) == _WORD:
        e = _cluster_end(text, e)
    while s < e and text[s : (nxt := _cluster_end(text, s))].isspace():
        s = nxt
    while s < e and text[(prev := _cluster_start(text, e)) : e].isspace():
        e = prev
    return (s, e) if s < e else (start, start)


def word_at(text: str, i: int) -> tuple[int, int]:
    """The word at code-point offset ``i`` (for a double click) as ``(start, end)``.

    Uses the grapheme cluster starting at (or containing) ``i``; if that is
    whitespace or ``i == len(text)``, the cluster just before ``i`` instead
    (``i`` at a word's end). Result by the cluster's class:

    * letters/digits/marks: the whole run, joined across single apostrophes
      and hyphens between word characters ("Iran’s", "face-to-face",
      "ל-Reuters") and across "." / "," between digits ("2,000"), also when
      ``i`` is on the joiner itself;
    * Han, Hiragana, Bopomofo: that one character (no segmenter);
    * Katakana, Hangul: the run of that script (e.g. a loan word, a Korean
      word with its particles);
    * anything else (punctuation, emoji sequence, ZWSP): that one cluster;
    * whitespace on both sides, or empty text: ``(i, i)``.

    Returns code points, logical order. Raises ValueError if ``i`` is out of
    range.
    """
    i = _check_offset("offset", i, len(text))
    s, _ = snap_to_graphemes(text, i, i)
    if s == len(text) or _word_class(text[s]) == _SPACE:
        if s == 0 or _class_before(text, s) == _SPACE:
            return i, i
        s = _cluster_start(text, s)
    e = _cluster_end(text, s)
    cls = _WORD if _is_joiner(text, s) else _word_class(text[s])
    if cls in (_KATA, _HANGUL):
        while s > 0 and _class_before(text, s) == cls:
            s = _cluster_start(text, s)
        while e < len(text) and _class_at(text, e) == cls:
            e = _cluster_end(text, e)
    elif cls == _WORD:
        while s > 0:
            prev = _cluster_start(text, s)
            if _word_class(text[prev]) == _WORD:
                s = prev
            elif _is_joiner(text, prev):
                s = _cluster_start(text, prev)
            else:
                break
        while e < len(text):
            if _class_at(text, e) == _WORD:
                e = _cluster_end(text, e)
            elif _is_joiner(text, e):
                e = _cluster_end(text, e + 1)
            else:
                break
    return s, e
