"""Tokens and sentences for the token-based exports (CoNLL BIO, spaCy DocBin); pure Python.

Every offset here is a Python code-point offset into the document text, half-open
``[start, end)``; a token is such a pair and ``text[start:end]`` is its surface. Tokens never
split a grapheme cluster (emoji ZWJ sequences, flags, accents: see
:func:`annotator.core.offsets.grapheme_boundaries`), never contain whitespace and are never
empty. The rules (documented with examples in ``docs/formats/conll_spacy.md``):

* Whitespace is ``str.isspace()``: SPACE, TAB, line breaks and NO-BREAK SPACE U+00A0 separate
  tokens. Format characters (Cf: ZERO WIDTH SPACE U+200B, WORD JOINER, BOM, soft hyphen, bidi
  marks) are invisible: between two word characters they join ("#Budget\\u200b2025" is one
  token), elsewhere they separate like whitespace and belong to no token.
* Words are runs of letters, digits and combining marks, kept together across one apostrophe,
  hyphen, underscore, "&" or middle dot between word characters ("face-to-face", "AT&T") and
  across "." "," ":" between digits ("20,000", "3.5", "10:30"). English clitics are split off
  as in the Penn Treebank and spaCy: "Iran's" -> "Iran" "'s" (also 'll 're 've 'd 'm n't).
* Abbreviations keep their period: "Inc." "Mr." "U.S." "p.m." "e.g." and one capital + "."
  ("J."); see ``ABBREVIATIONS``. Every other punctuation mark is its own token; a run of the
  same mark ("...", "--", "!!") is one token. "#" / "@" stay on the word they start
  (hashtags, handles). URLs and e-mail addresses are one token.
* Han, Hiragana, Katakana and Bopomofo (written without spaces) give one token per character,
  as character-level Chinese / Japanese NER corpora do; so do Thai, Lao, Khmer and Myanmar
  (one per grapheme cluster). Hangul words, which are written with spaces, are runs.
* Any other symbol (emoji sequence, "%", "$") is one token per grapheme cluster.

:func:`sentences` groups tokens into sentences; :func:`align_spans` and :func:`keep_first`
put spans on tokens for the exports and word every adjustment for their ``ExportReport``.
"""
from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left, bisect_right
from dataclasses import dataclass

from annotator.core.model import Span
from annotator.core.offsets import grapheme_boundaries
from annotator.core.schema import Schema

Token = tuple[int, int]

ABBREVIATIONS = frozenset(
    "Inc Ltd Corp Co Cos Bros Plc Mr Mrs Ms Mx Dr St Jr Sr Prof Gen Gov Sen Rep Rev Lt Col Capt Sgt Adm "
    "Maj Cmdr Hon Pres Mt Ft No Nos vs etc Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec".split()
)
_SPACE, _INVISIBLE, _WORD, _CHAR, _HANGUL, _PUNCT, _OTHER = range(7)
_JOINERS = frozenset("'\u2019\u02bc-\u2010\u2011_&\u00b7\u05be\u05f3\u05f4")
_APOSTROPHES = "'\u2019\u02bc"
_NUMBER_JOINERS = frozenset(".,:")
_CLITIC = re.compile(r"(?i)(?<=\w)(?:[%s](?:s|ll|re|ve|d|m)|n[%s]t)\Z" % (_APOSTROPHES, _APOSTROPHES))
_DOTTED = re.compile(r"(?:[^\W\d_]\.){2,}(?!\w)")  # U.S.  p.m.  e.g.
_LINK = re.compile(r"(?:https?://|www\.)[!-~]+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_LINK_TAIL = ".,;:!?)]}\"'"
TERMINALS = frozenset(".!?\u2026\u203c\u2047\u2048\u2049\u3002\uff01\uff1f\uff0e")
_WIDE_TERMINALS = frozenset("\u3002\uff01\uff1f\uff0e")  # end a sentence without a following space
CLOSERS = frozenset("\"')]}\u201d\u2019\u00bb\u300d\u300f\uff09\u3011\u3015\u300b\u3009")
_LINE_BREAK = re.compile("\r\n|[\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")


def _class(cluster: str) -> int:
    """The tokenising class of a grapheme cluster, decided by its first code point."""
    ch = cluster[0]
    if ch.isspace():  # also a space with a stray combining mark or ZWJ on it
        return _SPACE
    cat = unicodedata.category(ch)
    if cat == "Cf":
        return _INVISIBLE
    o = ord(ch)
    if (0x3040 <= o <= 0x30FF or 0x3100 <= o <= 0x312F or 0x31A0 <= o <= 0x31FF or 0x3005 <= o <= 0x3007
            or 0x3400 <= o <= 0x4DBF or 0x4E00 <= o <= 0x9FFF or 0xF900 <= o <= 0xFAFF or 0xFF66 <= o <= 0xFF9F
            or 0x20000 <= o <= 0x3FFFF or 0x0E00 <= o <= 0x0EFF or 0x1000 <= o <= 0x109F or 0x1780 <= o <= 0x17FF):
        return _CHAR  # Han, Kana, Bopomofo; Thai, Lao, Myanmar, Khmer
    if 0xAC00 <= o <= 0xD7FF or 0x1100 <= o <= 0x11FF or 0x3130 <= o <= 0x318F or 0xA960 <= o <= 0xA97F:
        return _HANGUL
    if ch.isalnum() or cat[0] == "M":
        return _WORD
    return _PUNCT if cat[0] == "P" else _OTHER


def whitespace_split(text: str) -> list[Token]:
    """Maximal runs of non-whitespace (``str.isspace()``) code points: NBSP splits, U+200B
    does not. The naive tokeniser of other tools, kept for comparison and tests."""
    return [m.span() for m in re.finditer(r"[^\s]+", text)]


def tokenize(text: str) -> list[Token]:
    """Split ``text`` into tokens by the rules of this module's docstring.

    Returns sorted, non-overlapping, non-empty ``(start, end)`` code-point offsets; the text
    between two tokens is whitespace or invisible format characters only.
    """
    bounds = grapheme_boundaries(text)
    clusters = list(zip(bounds, bounds[1:]))
    kinds = [_class(text[a:b]) for a, b in clusters]
    n = len(clusters)
    tokens: list[Token] = []

    def cluster_text(k: int) -> str:
        return text[clusters[k][0]:clusters[k][1]]

    def joins(k: int) -> bool:
        """Cluster k is one joiner between two word clusters."""
        if not (0 < k < n - 1 and kinds[k - 1] == _WORD and kinds[k + 1] == _WORD):
            return False
        t = cluster_text(k)
        if kinds[k] == _INVISIBLE or t in _JOINERS:
            return True
        return t in _NUMBER_JOINERS and text[clusters[k][0] - 1].isdigit() and text[clusters[k + 1][0]].isdigit()

    def index_after(offset: int, k: int) -> int:
        """The first cluster at or after ``offset`` (a cluster boundary at or after it)."""
        while k < n and clusters[k][0] < offset:
            k += 1
        return k

    i = 0
    while i < n:
        kind = kinds[i]
        start = clusters[i][0]
        if kind in (_SPACE, _INVISIBLE):
            i += 1
            continue
        if kind == _WORD:
            link = _LINK.match(text, start)
            if link:
                end = link.end()
                while end > start + 1 and text[end - 1] in _LINK_TAIL:
                    end -= 1
                i = index_after(end, i)
                tokens.append((start, clusters[i - 1][1]))
                continue
            dotted = _DOTTED.match(text, start)
            if dotted and (i == 0 or kinds[i - 1] != _WORD):
                i = index_after(dotted.end(), i)
                tokens.append((start, clusters[i - 1][1]))
                continue
        if kind == _PUNCT and cluster_text(i) in ("#", "@") and i + 1 < n and kinds[i + 1] == _WORD:
            i += 1  # a hashtag or handle: the word starts here, the token at the sign
            kind = _WORD
        j = i + 1
        if kind == _WORD:
            while j < n:
                if kinds[j] == _WORD:
                    j += 1
                elif joins(j):
                    j += 2
                else:
                    break
            end = clusters[j - 1][1]
            word = text[start:end]
            if j < n and cluster_text(j) == "." and (word in ABBREVIATIONS or (len(word) == 1 and word.isupper())):
                tokens.append((start, clusters[j][1]))
                i = j + 1
                continue
            clitic = _CLITIC.search(word)
            if clitic and text[start + clitic.start() - 1] not in _APOSTROPHES:
                tokens.append((start, start + clitic.start()))
                start += clitic.start()
        elif kind == _HANGUL:
            while j < n and kinds[j] == _HANGUL:
                j += 1
        elif kind == _PUNCT:
            same = cluster_text(i)
            while j < n and cluster_text(j) == same and len(same) == 1:
                j += 1
        tokens.append((start, clusters[j - 1][1]))
        i = j
    return tokens


def sentences(text: str, tokens: list[Token]) -> list[tuple[int, int]]:
    """Group ``tokens`` into sentences; returns ``(first, end)`` token-index ranges, half-open,
    that cover every token in order (none for no tokens).

    A sentence ends after a token made of . ! ? … (or a run of them) -- or after the closing
    quotes and brackets right after it -- when whitespace or the end of the text follows; right
    after a full-width 。！？ also without a space (not after 。」 : a quote inside a sentence). It also ends at a blank line (two line breaks in
    the gap between two tokens). Abbreviations ("Inc.", "U.S.") end no sentence.
    """
    out: list[tuple[int, int]] = []
    first = 0
    for k, (a, b) in enumerate(tokens):
        last = k == len(tokens) - 1
        gap = "" if last else text[b:tokens[k + 1][0]]
        if last or len(_LINE_BREAK.findall(gap)) >= 2 or _ends_sentence(text, tokens, k, gap):
            out.append((first, k + 1))
            first = k + 1
    return out


def _ends_sentence(text: str, tokens: list[Token], k: int, gap: str) -> bool:
    nxt = tokens[k + 1]
    if not gap and text[nxt[0]:nxt[1]] in CLOSERS:
        return False  # 。」 or ." : the closer belongs to this sentence
    j = k
    while j > 0 and text[tokens[j][0]:tokens[j][1]] in CLOSERS and tokens[j - 1][1] == tokens[j][0]:
        j -= 1
    word = text[tokens[j][0]:tokens[j][1]]
    if not word or any(ch not in TERMINALS for ch in word):
        return False
    return any(ch.isspace() for ch in gap) or (j == k and word[-1] in _WIDE_TERMINALS)


def trim(text: str, start: int, end: int) -> tuple[int, int]:
    """``[start, end)`` without leading / trailing whitespace and invisible format characters;
    ``(start, start)`` if nothing else is left."""
    a, b = start, end
    while a < b and (text[a].isspace() or unicodedata.category(text[a]) == "Cf"):
        a += 1
    while b > a and (text[b - 1].isspace() or unicodedata.category(text[b - 1]) == "Cf"):
        b -= 1
    return (a, b) if a < b else (start, start)


def token_range(tokens: list[Token], start: int, end: int) -> tuple[int, int] | None:
    """The token-index range ``(first, end)`` of the tokens that overlap the characters
    ``[start, end)`` (a partly covered token counts: the range is *expanded*); None if no
    token overlaps (an empty range, or one in a gap between tokens)."""
    if start >= end:
        return None
    first = bisect_right(tokens, start, key=lambda t: t[1])
    last = bisect_left(tokens, end, key=lambda t: t[0])
    return (first, last) if first < last else None


# --- Spans on tokens, for the token-based exports --------------------------------------------


@dataclass(frozen=True)
class TokenSpan:
    """A span aligned to tokens: ``ranges`` are token-index ranges ``(first, end)``, half-open,
    one per fragment (fragments that expand onto a shared token are merged into one range)."""

    span: Span
    ranges: tuple[tuple[int, int], ...]


def quote(text: str, limit: int = 60) -> str:
    """``text`` in single quotes for a report line: line breaks shown as \\n, long text cut."""
    text = text.replace("\r", "\\r").replace("\n", "\\n")
    return "'" + (text if len(text) <= limit else text[: limit - 1] + "\u2026") + "'"


def label_order(labels, schema: Schema) -> list[str]:
    """``labels`` (deduplicated) in the schema's label order, then the others alphabetically."""
    rank = {name: k for k, name in enumerate(schema.label_names)}
    return sorted(set(labels), key=lambda name: (rank.get(name, len(rank)), name))


def align_spans(doc_id: int, text: str, tokens: list[Token], spans: list[Span]) -> tuple[list[TokenSpan], list[str]]:
    """Align ``spans`` to ``tokens`` for a token-based export. Returns the aligned spans (input
    order) and one report line per adjustment, never silently:

    * each fragment is first trimmed of whitespace and invisible format characters
      (" Norwood Inc" [9,21) -> [10,21)); this alone is not reported;
    * an edge inside a token is *expanded* to that token's boundary (spaCy's
      ``alignment_mode="expand"``), reported as "document 1, span s5 'Norwood Inc' [10,21)
      expanded to token boundaries [10,22) 'Norwood Inc.'";
    * a span with nothing left (zero-length, whitespace only) is left out and reported.
    """
    out: list[TokenSpan] = []
    notes: list[str] = []
    for span in spans:
        ranges: list[list[int]] = []
        for a, b in span.fragments:
            ta, tb = trim(text, a, b)
            found = token_range(tokens, ta, tb) if ta < tb else None
            if found is None:
                continue
            first, end = found
            ea, eb = tokens[first][0], tokens[end - 1][1]
            if (ea, eb) != (ta, tb):
                notes.append(f"document {doc_id}, span s{span.id} {quote(text[a:b])} [{a},{b}) expanded to token "
                             f"boundaries [{ea},{eb}) {quote(text[ea:eb])}")
            if ranges and first < ranges[-1][1]:
                ranges[-1][1] = max(ranges[-1][1], end)
            else:
                ranges.append([first, end])
        if ranges:
            out.append(TokenSpan(span, tuple((f, e) for f, e in ranges)))
        else:
            notes.append(f"document {doc_id}, {span.label} span s{span.id} [{span.start},{span.end}) "
                         f"{quote(span.text(text))} is empty or only whitespace: not written")
    return out, notes


def keep_first(doc_id: int, text: str, aligned: list[TokenSpan], schema: Schema, dropped_how: str) -> tuple[list[TokenSpan], list[str]]:
    """Resolve overlaps for a target that holds one span per token (a CoNLL column, spaCy
    ``doc.ents``): spans are taken by start, longer first (then label order, then id); a span
    any of whose tokens is already taken is left out, with a report line saying which span it
    overlaps and ``dropped_how`` ("dropped from the CoNLL column"). Returns kept spans in
    text order and the report lines."""
    rank = {name: k for k, name in enumerate(label_order([t.span.label for t in aligned], schema))}
    order = sorted(aligned, key=lambda t: (t.span.start, t.span.start - t.span.end, rank[t.span.label], t.span.id))
    owner: dict[int, TokenSpan] = {}
    kept: list[TokenSpan] = []
    notes: list[str] = []
    for item in order:
        taken = [owner[k] for f, e in item.ranges for k in range(f, e) if k in owner]
        if taken:
            other = taken[0].span
            span = item.span
            notes.append(f"document {doc_id}, {span.label} span s{span.id} {quote(span.text(text))} "
                         f"[{span.start},{span.end}) {dropped_how}: it overlaps {other.label} span s{other.id} "
                         f"{quote(other.text(text))} [{other.start},{other.end})")
            continue
        kept.append(item)
        for f, e in item.ranges:
            owner.update((k, item) for k in range(f, e))
    kept.sort(key=lambda t: (t.ranges[0], t.span.id))
    return kept, notes
