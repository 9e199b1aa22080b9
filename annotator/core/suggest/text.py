"""Fast word tokens, sentences and paragraphs for the suggesters (regular expressions only).

The suggesters must handle 1,000 articles in seconds, so they do not use the exports'
careful tokenizer (:mod:`annotator.core.tokenize`, about 3 ms per kB); this one is about ten
times faster and is good enough to find cue verbs and names. Offsets are code points into
the text, half-open. A token is ``(start, end)``; ``text[start:end]`` is its surface: a word
(letters, digits, inner apostrophes, hyphens and dots: "U.S.", "don't", "face-to-face") or a
single other character (punctuation, quote mark).
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass

Token = tuple[int, int]

_TOKEN = re.compile(r"[^\W_]+(?:[.'’\-&][^\W_]+)*|[^\w\s]")
_SENTENCE_END = re.compile(r"[.!?…]+[\"'”’»)\]]*(?=\s+[\"'“‘«„(\[]?[A-Z0-9])|\n\s*")
ABBREVIATIONS = frozenset(
    "mr mrs ms dr st jr sr prof gen gov sen rep rev lt col capt sgt adm maj cmdr hon pres mt ft no "
    "inc ltd corp co vs etc jan feb mar apr jun jul aug sep sept oct nov dec u.s u.k u.n".split()
)


def tokens(text: str, start: int = 0, end: int | None = None) -> list[Token]:
    """The tokens of ``text[start:end]`` as absolute ``(start, end)`` offsets."""
    return [m.span() for m in _TOKEN.finditer(text, start, len(text) if end is None else end)]


def paragraphs(text: str) -> list[tuple[int, int]]:
    """Non-empty lines (a paragraph is a line: news texts put one paragraph per line), with
    surrounding whitespace trimmed, as ``(start, end)``."""
    out = []
    for m in re.finditer(r"[^\n]+", text):
        a, b = m.span()
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        if a < b:
            out.append((a, b))
    return out


def sentences(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Sentences of the paragraph ``text[start:end]``: a break after ``.!?…`` (and closing
    marks) followed by space and a capital or digit, except after a known abbreviation or a
    single capital ("Mr.", "J.")."""
    out, a = [], start
    for m in _SENTENCE_END.finditer(text, start, end):
        word = re.search(r"([\w.]+)\.$", text[max(a, m.start() - 12):m.start() + 1])
        if word and (word.group(1).lower() in ABBREVIATIONS or len(word.group(1)) == 1) and text[m.start()] == ".":
            continue
        b = m.end()
        while b > a and text[b - 1].isspace():
            b -= 1
        if b > a:
            out.append((a, b))
        a = m.end()
        while a < end and text[a].isspace():
            a += 1
    if a < end:
        out.append((a, end))
    return out


@dataclass
class Analysis:
    """One document cut up for the rules: ``paragraphs`` and ``sentences`` (``(start, end)``
    lists in text order) and ``tokens``; :meth:`sentence_at` finds the sentence holding an
    offset in O(log n)."""

    text: str
    paragraphs: list[tuple[int, int]]
    sentences: list[tuple[int, int]]
    tokens: list[Token]

    @classmethod
    def of(cls, text: str) -> "Analysis":
        paras = paragraphs(text)
        sents = [s for a, b in paras for s in sentences(text, a, b)]
        return cls(text, paras, sents, tokens(text))

    def sentence_at(self, offset: int) -> tuple[int, int]:
        i = bisect_right(self.sentences, (offset, len(self.text) + 1)) - 1
        return self.sentences[max(i, 0)] if self.sentences else (0, len(self.text))

    def paragraph_index(self, offset: int) -> int:
        return max(bisect_right(self.paragraphs, (offset, len(self.text) + 1)) - 1, 0)

    def tokens_in(self, start: int, end: int) -> list[Token]:
        i = bisect_left(self.tokens, (start, -1))
        j = bisect_left(self.tokens, (end, -1))
        return self.tokens[i:j]


class Occupancy:
    """Ranges taken so far, for overlap tests in about constant time on long texts: each
    ``(start, end)`` is filed under the 512-code-point buckets it touches."""

    BUCKET = 512

    def __init__(self, ranges=()) -> None:
        self._buckets: dict[int, list[tuple[int, int]]] = {}
        for a, b in ranges:
            self.add(a, b)

    def add(self, a: int, b: int) -> None:
        for k in range(a // self.BUCKET, (b - 1) // self.BUCKET + 1):
            self._buckets.setdefault(k, []).append((a, b))

    def add_all(self, frags) -> None:
        for a, b in frags:
            self.add(a, b)

    def overlaps(self, a: int, b: int) -> bool:
        for k in range(a // self.BUCKET, (b - 1) // self.BUCKET + 1):
            for x, y in self._buckets.get(k, ()):
                if x < b and a < y:
                    return True
        return False

    def overlaps_any(self, frags) -> bool:
        return any(self.overlaps(a, b) for a, b in frags)
