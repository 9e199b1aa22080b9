"""Finding words in a stored text, in code points: the Python half of search (no SQL, no Qt).

SQLite's FTS5 index (:mod:`annotator.core.store.search`) says WHICH documents, claims and
speakers match a query, but not WHERE: it gives no offsets. The offsets are found here,
over the stored text, so that they are code points of that text, half-open ``[start, end)``.

Matching mirrors the index's tokenizers so that the two agree:

* words (``unicode61 remove_diacritics 2``, SQLite's FTS5 documentation): a token is a run
  of letters and digits; case and diacritics are ignored ("Pekin" finds "Pékin", "SAID"
  finds "said"); a query word matches whole tokens only ("said" does not find "unsaid"),
  except a word ending in ``*``, a prefix ("presid*" finds "president", the whole word); several words
  written together ("U.S.", or quoted ``"said on Monday"``) are a phrase: the same tokens
  in a row, whatever separates them.
* CJK (Chinese, Japanese kana, Korean Hangul: :data:`CJK`): words are not separated by
  spaces, so a query part holding CJK characters is a substring (the ``trigram`` index).

Also the find bar's plain matching (:func:`find_all`): exact or case-insensitive, optionally
whole words only.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from annotator.core.offsets import snap_to_graphemes

# Hiragana, Katakana, CJK Extension A, CJK Unified Ideographs, Hangul syllables, CJK
# compatibility ideographs. The same ranges are written as an SQLite GLOB class in search.py.
CJK_RANGES = (("\u3040", "\u30ff"), ("\u3400", "\u4dbf"), ("\u4e00", "\u9fff"), ("\uac00", "\ud7af"),
              ("\uf900", "\ufaff"))
CJK = re.compile("[" + "".join(f"{a}-{b}" for a, b in CJK_RANGES) + "]")
_TOKEN = re.compile(r"[^\W_]+")  # letters and digits (unicode61's token characters)
_PART = re.compile(r'"([^"]*)"\*?|(\S+)')
NOT_TOKEN_BEFORE, NOT_TOKEN_AFTER = r"(?<![^\W_])", r"(?![^\W_])"


@lru_cache(maxsize=4096)
def fold_char(ch: str) -> str:
    """``ch`` lower-cased without its diacritics ("É" -> "e", "ﬁ" -> "ﬁ"); may be ""
    (a combining accent) or longer than one character ("İ" -> "i")."""
    if ch.isascii():
        return ch.lower()
    kept = "".join(c for c in unicodedata.normalize("NFD", ch.lower()) if not unicodedata.combining(c))
    return unicodedata.normalize("NFC", kept)  # Hangul syllables decompose into letters: put them back


def fold(text: str) -> str:
    """The text as the index sees it: lower case, without diacritics."""
    return text.lower() if text.isascii() else "".join(map(fold_char, text))


def fold_with_origin(text: str) -> tuple[str, list[int] | None]:
    """``(folded, origin)``: ``folded[i]`` comes from ``text[origin[i]]``; ``origin`` is
    None when the two line up one to one (every character folds to one: nearly always, and
    then the fold is one ``str.translate``). O(n)."""
    if text.isascii():
        return text.lower(), None
    table = {ord(c): fold_char(c) for c in set(text) if not c.isascii() or c.isupper()}
    if all(len(f) == 1 for f in table.values()):
        return text.translate(table), None
    parts: list[str] = []
    origin: list[int] = []
    for i, ch in enumerate(text):
        f = fold_char(ch)
        parts.append(f)
        origin.extend([i] * len(f))
    return "".join(parts), origin


@dataclass(frozen=True)
class Term:
    """One part of a query. ``tokens``: folded tokens in a row (a phrase of one or more);
    ``prefix``: the last token may continue; ``cjk``: a substring (``tokens`` holds it
    whole)."""

    tokens: tuple[str, ...]
    prefix: bool = False
    cjk: bool = False

    def fts(self) -> str:
        """The term in FTS5 query syntax (a quoted phrase, ``*`` for a prefix)."""
        return '"' + " ".join(self.tokens).replace('"', '""') + '"' + ("*" if self.prefix else "")

    def pattern(self) -> str:
        """A regular expression over folded text finding the term."""
        if self.cjk:
            return re.escape(self.tokens[0])
        body = r"[\W_]+".join(re.escape(t) for t in self.tokens)
        return NOT_TOKEN_BEFORE + body + (r"[^\W_]*" if self.prefix else NOT_TOKEN_AFTER)


def parse_query(query: str) -> list[Term]:
    """The terms of ``query``: space-separated parts, a part in double quotes is one phrase,
    a part ending in ``*`` a prefix. Parts without a letter or digit are ignored. A part with
    CJK characters is a substring term."""
    terms: list[Term] = []
    for match in _PART.finditer(query):
        raw = match.group(1) if match.group(1) is not None else match.group(2)
        prefix = match.group(0).endswith("*")
        folded = fold(raw.strip().rstrip("*"))
        if CJK.search(folded):
            text = " ".join(folded.split())
            if text:
                terms.append(Term((text,), cjk=True))
            continue
        tokens = tuple(_TOKEN.findall(folded))
        if tokens:
            terms.append(Term(tokens, prefix=prefix))
    return terms


def find_terms(text: str, terms: list[Term], limit: int | None = None) -> list[tuple[int, int]]:
    """Code-point ranges ``[start, end)`` of every occurrence of any of ``terms`` in ``text``,
    sorted, overlaps merged, at most ``limit``. Edges are widened to whole grapheme clusters
    (an accent after its letter stays with it)."""
    if not terms or not text:
        return []
    folded, origin = fold_with_origin(text)
    pattern = re.compile("|".join(f"(?:{t.pattern()})" for t in terms))
    out: list[tuple[int, int]] = []
    for m in pattern.finditer(folded):
        if m.end() == m.start():
            continue
        if origin is None:
            a, b = m.start(), m.end()
        else:
            a, b = origin[m.start()], origin[m.end() - 1] + 1
        if not (text[max(0, a - 1):a + 1] + text[max(0, b - 1):b + 1]).isascii():
            a, b = snap_to_graphemes(text, a, b)  # only needed next to a non-ASCII character
        if out and a < out[-1][1]:
            out[-1] = (out[-1][0], max(b, out[-1][1]))
            continue
        out.append((a, b))
        if limit is not None and len(out) >= limit:
            break
    return out


def find_all(text: str, needle: str, case_sensitive: bool = False, whole_words: bool = False,
             limit: int | None = None) -> list[tuple[int, int]]:
    """Code-point ranges ``[start, end)`` of ``needle`` in ``text``, left to right, not
    overlapping (the find bar). Case-insensitive unless ``case_sensitive`` (Python's
    ``re.IGNORECASE``: simple case folding, so lengths never change); ``whole_words``: not
    inside a longer run of letters and digits. Accents count ("e" does not find "é")."""
    if not needle:
        return []
    body = re.escape(needle)
    if whole_words:
        body = NOT_TOKEN_BEFORE + body + NOT_TOKEN_AFTER
    flags = 0 if case_sensitive else re.IGNORECASE
    out = []
    for m in re.finditer(body, text, flags):
        if m.end() > m.start():
            out.append((m.start(), m.end()))
            if limit is not None and len(out) >= limit:
                break
    return out


def context(text: str, start: int, end: int, width: int = 40) -> tuple[str, str, str]:
    """``(before, match, after)`` around ``text[start:end]``: up to ``width`` code points
    either side, cut at a space where one is near, runs of whitespace (line ends) shown as
    one space. ``match`` is cut to 200 code points."""
    a = max(0, start - width)
    if a > 0:
        space = text.find(" ", a, start)
        if 0 <= space < a + width // 3:
            a = space + 1
    b = min(len(text), end + width)
    if b < len(text):
        space = text.rfind(" ", end, b)
        if space > b - width // 3:
            b = space

    def flat(s: str) -> str:
        return " ".join(s.split()) if s.strip() else (" " if s else "")

    before, match, after = text[a:start], text[start:end], text[end:b]
    lead = ("…" if a > 0 else "") + (" ".join(before.split()) + (" " if before[-1:].isspace() else "") if before else "")
    tail = ((" " if after[:1].isspace() else "") + " ".join(after.split()) if after else "") + ("…" if b < len(text) else "")
    match = flat(match) if len(match) <= 200 else flat(match[:200]) + "…"
    return lead, match, tail
