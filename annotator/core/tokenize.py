"""Tokens for the token-based exports (CoNLL BIO, spaCy DocBin); pure Python.

Every offset here is a Python code-point offset into the document text, half-open
``[start, end)``; a token is such a pair and ``text[start:end]`` is its surface. Tokens never
split a grapheme cluster (emoji ZWJ sequences, flags, accents: see
:func:`annotator.core.offsets.grapheme_boundaries`), never contain whitespace and are never
empty. What a word is comes from the one word rule, :mod:`annotator.core.words` (the view
snaps selections by the same rule). The rules (with examples in ``docs/formats/conll_spacy.md``):

* Whitespace is ``str.isspace()``: SPACE, TAB, line breaks and NO-BREAK SPACE U+00A0 separate
  tokens. Format characters (Cf: ZERO WIDTH SPACE U+200B, WORD JOINER, BOM, soft hyphen, bidi
  marks) are invisible: between two word characters they join ("#Budget\\u200b2025" is one
  token), elsewhere they separate like whitespace and belong to no token.
* Words are runs of letters, digits and combining marks, kept together across one apostrophe,
  hyphen, underscore, "&" or middle dot between word characters ("face-to-face", "AT&T") and
  across "." "," ":" between digits ("20,000", "3.5", "10:30"). English clitics are split off
  as in the Penn Treebank and spaCy: "Iran's" -> "Iran" "'s" (also 'll 're 've 'd 'm n't).
* Abbreviations keep their period: "Inc." "Mr." "approx." (``ABBREVIATIONS``), one capital
  + "." ("J."), dotted ones "U.S." "p.m." "e.g." "Ph.D." "M.Sc.", and any word of letters
  whose period is followed by a space and a lower-case word or a digit ("est. in 1990",
  "approx. 5"): such a period does not end a sentence (pySBD's "golden rules" say the same).
  Every other punctuation mark is its own token; a run of the same mark ("...", "--", "!!")
  is one token, but not of a bracket or quotation mark ("((" is two). "#" / "@" stay on the word they start (hashtags, handles). URLs and e-mail
  addresses are one token.
* Han, Hiragana and Bopomofo (written without spaces) give one token per character, as
  character-level Chinese / Japanese NER corpora do; so do Thai, Lao, Khmer and Myanmar (one
  per grapheme cluster). A Katakana run (a loan word) and a Hangul word (Korean is written
  with spaces) are one token each.
* Any other symbol (emoji sequence, "%", "$") is one token per grapheme cluster.

Speed: a text made only of characters that are each a grapheme cluster of their own and of
class space, word, punctuation or symbol (Latin, Greek, Cyrillic, general punctuation,
currency... :data:`_FAST_TEXT`) is tokenised by one compiled regular expression; any other
text by the cluster-by-cluster reference (:func:`tokenize_reference`). Both give the same
tokens (tests/test_tokenize.py checks it with hypothesis).

Sentences are in :mod:`annotator.core.sentences`; spans on tokens in
:mod:`annotator.core.token_align` (re-exported here for the exports).
"""
from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right

from annotator.core.offsets import _EXTEND, _PREPEND, _SPACING, _ZWJ, _gcb, grapheme_boundaries, is_grapheme_boundary
from annotator.core.words import (
    APOSTROPHES, CHAR, HANGUL, INVISIBLE, JOINERS, KATAKANA, NUMBER_JOINERS, PUNCT, SPACE, WORD, char_class,
)

Token = tuple[int, int]

ABBREVIATIONS = frozenset(
    "Inc Ltd Corp Co Cos Bros Plc Mr Mrs Ms Mx Dr St Jr Sr Prof Gen Gov Sen Rep Rev Lt Col Capt Sgt Adm "
    "Maj Cmdr Hon Pres Mt Ft No Nos vs etc Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec "
    "approx est dept Dept fig Fig vol Vol ca cf al Ave Blvd Univ Assn Govt Mssrs Messrs".split()
)
_DOTTED = re.compile(r"(?:[^\W\d_]{1,2}\.){2,}(?!\w)")  # U.S.  p.m.  e.g.  Ph.D.  M.Sc.
_LINK = re.compile(r"(?:https?://|www\.)[!-~]+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_LINK_TAIL = ".,;:!?)]}\"'"
_CLITIC = re.compile(r"(?i)(?<=[^\W_])(?:[%s](?:s|ll|re|ve|d|m)|n[%s]t)\Z" % (APOSTROPHES, APOSTROPHES))
_AFTER_PERIOD = re.compile(r"[ \t\u00a0]+(\w)")  # "approx. 5", "est. in": the period is the word's


def whitespace_split(text: str) -> list[Token]:
    """Maximal runs of non-whitespace (``str.isspace()``) code points: NBSP splits, U+200B
    does not. The naive tokeniser of other tools, kept for comparison and tests."""
    return [m.span() for m in re.finditer(r"[^\s]+", text)]


def keeps_period(text: str, word: str, end: int) -> bool:
    """True if the period at ``text[end]`` belongs to ``word`` (the word run ending at
    ``end``): an abbreviation of the module docstring's rule."""
    if word in ABBREVIATIONS or (len(word) == 1 and word.isupper()):
        return True
    if not word.isalpha():
        return False
    nxt = _AFTER_PERIOD.match(text, end + 1)
    return nxt is not None and (nxt.group(1).islower() or nxt.group(1).isdigit())


def _clitic_split(text: str, start: int, end: int, tokens: list[Token]) -> None:
    """Append the word ``[start, end)`` to ``tokens``, its English clitic ("'s", "n't") apart."""
    clitic = _CLITIC.search(text[start:end])
    if clitic and text[start + clitic.start() - 1] not in APOSTROPHES:
        tokens.append((start, start + clitic.start()))
        start += clitic.start()
    tokens.append((start, end))


def tokenize(text: str) -> list[Token]:
    """Split ``text`` into tokens by the rules of this module's docstring.

    Returns sorted, non-overlapping, non-empty ``(start, end)`` code-point offsets; the text
    between two tokens is whitespace or invisible format characters only.
    """
    if _FAST_TEXT.fullmatch(text) is None:
        return tokenize_reference(text)
    pattern = _FAST if ("@" in text or "://" in text or "www." in text) else _FAST_NO_LINK
    tokens = [m.span() for m in pattern.finditer(text)]
    if pattern is _FAST and ("'" in text or "\u2019" in text or "\u02bc" in text):
        tokens = _split_clitics(text, tokens, pattern)  # the no-link pattern splits clitics itself
    return tokens


def is_simple(text: str) -> bool:
    """True if every code point of ``text`` is a grapheme cluster of its own and of a class
    the fast path handles (so every offset is a cluster boundary)."""
    return _FAST_TEXT.fullmatch(text) is not None


def _split_clitics(text: str, tokens: list[Token], pattern: re.Pattern) -> list[Token]:
    """``tokens`` of the fast path with the English clitics of word tokens split off."""
    starts = [a for a, _ in tokens]
    fixed: dict[int, list[Token]] = {}
    for m in _CLITIC_HIT.finditer(text):
        k = bisect_right(starts, m.start()) - 1
        if k < 0 or k in fixed:
            continue
        a, b = tokens[k]
        if b < m.end() or pattern.match(text, a).lastgroup not in ("word", "plain"):
            continue
        parts: list[Token] = []
        _clitic_split(text, a, b, parts)
        if len(parts) > 1:
            fixed[k] = parts
    if not fixed:
        return tokens
    out: list[Token] = []
    for k, token in enumerate(tokens):
        if k in fixed:
            out.extend(fixed[k])
        else:
            out.append(token)
    return out


def tokenize_reference(text: str) -> list[Token]:
    """:func:`tokenize`, one grapheme cluster at a time: for any text (emoji sequences,
    combining marks, scripts without spaces, invisible format characters)."""
    bounds = grapheme_boundaries(text)
    clusters = list(zip(bounds, bounds[1:]))
    kinds = [char_class(text[a:b]) for a, b in clusters]
    n = len(clusters)
    tokens: list[Token] = []

    def cluster_text(k: int) -> str:
        return text[clusters[k][0]:clusters[k][1]]

    def joins(k: int) -> bool:
        """Cluster k is one joiner between two word clusters."""
        if not (0 < k < n - 1 and kinds[k - 1] == WORD and kinds[k + 1] == WORD):
            return False
        t = cluster_text(k)
        if kinds[k] == INVISIBLE or t in JOINERS:
            return True
        return t in NUMBER_JOINERS and text[clusters[k][0] - 1].isdigit() and text[clusters[k + 1][0]].isdigit()

    def index_after(offset: int, k: int) -> int:
        """The first cluster at or after ``offset`` (a cluster boundary at or after it)."""
        while k < n and clusters[k][0] < offset:
            k += 1
        return k

    i = 0
    while i < n:
        kind = kinds[i]
        start = clusters[i][0]
        if kind in (SPACE, INVISIBLE):
            i += 1
            continue
        if kind == WORD:
            link = _LINK.match(text, start)
            if link:
                end = link.end()
                while end > start + 1 and text[end - 1] in _LINK_TAIL:
                    end -= 1
                i = index_after(end, i)
                tokens.append((start, clusters[i - 1][1]))
                continue
            dotted = _DOTTED.match(text, start)
            if dotted and (i == 0 or kinds[i - 1] != WORD):
                i = index_after(dotted.end(), i)
                tokens.append((start, clusters[i - 1][1]))
                continue
        if kind == PUNCT and cluster_text(i) in ("#", "@") and i + 1 < n and kinds[i + 1] == WORD:
            i += 1  # a hashtag or handle: the word starts here, the token at the sign
            kind = WORD
        j = i + 1
        if kind == WORD:
            while j < n:
                if kinds[j] == WORD:
                    j += 1
                elif joins(j):
                    j += 2
                else:
                    break
            end = clusters[j - 1][1]
            if j < n and cluster_text(j) == "." and keeps_period(text, text[start:end], end):
                tokens.append((start, clusters[j][1]))
                i = j + 1
                continue
            _clitic_split(text, start, end, tokens)
            i = j
            continue
        if kind in (HANGUL, KATAKANA):
            while j < n and kinds[j] == kind:
                j += 1
        elif kind == PUNCT and _runs(cluster_text(i)):
            same = cluster_text(i)
            while j < n and cluster_text(j) == same:
                j += 1
        tokens.append((start, clusters[j - 1][1]))
        i = j
    return tokens


def _runs(mark: str) -> bool:
    """True for a punctuation mark whose run is one token ("...", "--", "!!"): one code point,
    not a bracket or quotation mark ("((" is two tokens, as in the Penn Treebank and UD)."""
    return len(mark) == 1 and unicodedata.category(mark) not in ("Ps", "Pe", "Pi", "Pf") and mark not in "\"'"


# --- the fast path: one regular expression for texts of simple characters ---------------------


def _ranges(chars: list[int]) -> str:
    """A regex character-class body for the code points ``chars`` (sorted)."""
    parts, k = [], 0
    while k < len(chars):
        j = k
        while j + 1 < len(chars) and chars[j + 1] == chars[j] + 1:
            j += 1
        a, b = chars[k], chars[j]
        parts.append(re.escape(chr(a)) if a == b else f"{re.escape(chr(a))}-{re.escape(chr(b))}")
        k = j + 1
    return "".join(parts)


# Grapheme_Cluster_Break values that join a code point to its neighbour letter: "a" + ch + "a"
# has a cluster boundary on both sides of ch (offsets.is_grapheme_boundary) for every other
# value (GB9, GB9a, GB9b and GB11's ZWJ). Tested against is_grapheme_boundary in test_tokenize.
_JOINS_NEIGHBOUR = frozenset((_EXTEND, _ZWJ, _SPACING, _PREPEND))


def _fast_pattern() -> tuple[re.Pattern, re.Pattern, re.Pattern]:
    """The simple-text check, the token pattern, and the same without links and e-mail
    addresses (for a text with no "@", "://" or "www.": a third faster)."""
    simple, word, punct, digit = [], [], [], []
    for o in list(range(0x09, 0x0D)) + list(range(0x20, 0x3000)):
        ch = chr(o)
        if not (0 < o < 0xFFFF and ch != "\r" and _gcb(ch) not in _JOINS_NEIGHBOUR):
            continue
        kind = char_class(ch)
        if kind in (CHAR, HANGUL, KATAKANA, INVISIBLE) or ch in JOINERS - set(APOSTROPHES + "-_&\u00b7\u2010\u2011"):
            continue
        simple.append(o)
        if kind == WORD:
            word.append(o)
            if ch.isdigit():
                digit.append(o)
        elif kind == PUNCT:
            punct.append(o)
    runs = [o for o in punct if _runs(chr(o))]
    single = [o for o in punct if not _runs(chr(o))]
    W, D, J = _ranges(word), _ranges(digit), _ranges(sorted(map(ord, JOINERS)))
    upper = _ranges([o for o in word if chr(o).isupper()])
    alpha = _ranges([o for o in word if chr(o).isalpha()])
    lowdig = _ranges([o for o in word if chr(o).islower() or chr(o).isdigit()])
    apostrophes = _ranges(sorted(map(ord, APOSTROPHES)))
    clitic = rf"(?i:[{apostrophes}](?:s|ll|re|ve|d|m)|n[{apostrophes}]t)(?![{W}]|[{J}][{W}])"  # ends the word run
    abbreviations = "|".join(sorted(map(re.escape, ABBREVIATIONS), key=len, reverse=True))
    nontail = _ranges([o for o in range(0x21, 0x7F) if chr(o) not in _LINK_TAIL])
    numj = _ranges(sorted(map(ord, NUMBER_JOINERS)))
    stops = _ranges(sorted({ord(ch) for ch in JOINERS | NUMBER_JOINERS | set(".#@")}))
    pattern = (
        rf"(?P<link>https?://(?=[!-~])(?:[!-~]*[{nontail}])?|www(?=\.[!-~])(?:[!-~]*[{nontail}])?"
        rf"|(?=[{W}])[\w.+-]+@[\w-]+(?:\.[\w-]+)+)"
        rf"|(?P<dotted>(?<![{W}])(?=[^\W\d_]{{1,2}}\.)(?:[^\W\d_]{{1,2}}\.){{2,}}(?!\w))"
        rf"|(?P<abbr>(?=[{alpha}]+\.)(?:{abbreviations}|[{upper}]|[{alpha}]+(?=\.[ \t\u00a0]+[{lowdig}]))\.)"
        rf"|(?P<cword>(?:[#@](?=[{W}]))?[{W}]+(?:(?:[{J}]|(?<=[{D}])[{numj}](?=[{D}]))[{W}]+)*?(?={clitic}))"
        rf"|(?P<clitic>(?<=[{W}]){clitic})"
        rf"|(?P<word>(?:[#@](?=[{W}]))?[{W}]+(?:(?:[{J}]|(?<=[{D}])[{numj}](?=[{D}]))[{W}]+)*)"
        rf"|(?P<punct>(?P<mark>[{_ranges(runs)}])(?P=mark)*|[{_ranges(single)}])"
        rf"|(?P<other>\S)"
    )
    # A plain word (a run of word characters, possessive, followed by nothing that could join,
    # end an abbreviation or start a clitic) is the commonest token: matched first, it spares
    # the other alternatives (each would scan the run again); every other case falls through
    # to them, so the tokens are the same.
    plain = rf"(?P<plain>[{W}]++(?![{stops}]))|"
    no_link = plain + pattern[pattern.index("|(?P<dotted>") + 1:]
    links = pattern.index("|(?P<dotted>") + 1
    with_links = pattern[:links] + plain + pattern[links:pattern.index("|(?P<cword>")] + pattern[pattern.index("|(?P<word>"):]
    return re.compile(f"[{_ranges(simple)}]*"), re.compile(with_links), re.compile(no_link)


_FAST_TEXT, _FAST, _FAST_NO_LINK = _fast_pattern()
_CLITIC_HIT = re.compile(r"(?i)(?:[%s](?:s|ll|re|ve|d|m)|n[%s]t)" % (APOSTROPHES, APOSTROPHES))

from annotator.core.token_align import (  # noqa: E402  (re-exported for the exports)
    TokenSpan, align_spans, keep_first, label_order, quote, split_tokens, token_range, trim,
)
from annotator.core.sentences import CLOSERS, TERMINALS, sentences  # noqa: E402

__all__ = ["ABBREVIATIONS", "CLOSERS", "TERMINALS", "Token", "TokenSpan", "align_spans", "keep_first",
           "is_simple", "keeps_period", "label_order", "quote", "sentences", "split_tokens", "token_range", "tokenize",
           "tokenize_reference", "trim", "whitespace_split"]
