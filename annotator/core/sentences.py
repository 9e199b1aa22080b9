"""Sentences over the tokens of :mod:`annotator.core.tokenize`, for the CoNLL and spaCy
exports; pure Python. Offsets are code points; sentences are token-index ranges.

The rules (pySBD's "golden rules" for English, Sadvilkar & Neumann 2020, as far as a
tokeniser that already keeps abbreviations whole needs them; the abbreviation rules live in
the tokeniser, so "approx. 5", "est. in 1990" and "Ph.D. in" end no sentence):

* A sentence ends after a token made of terminals (. ! ? ... and their full-width forms) when
  whitespace follows, with the closing quotation marks and brackets right after the terminal
  (`."`, `!»`, `。」`): they stay with the sentence they close. A closing guillemet or curly
  quotation mark (» ” 」 ...) after a space stays too (French «  C'est bon. » Il part.); a
  straight double quote after a space closes only when the sentence has an odd number of
  them so far (else it opens the next sentence: `This is a sentence. "Don't worry!"`).
* No break when the next word starts with a lower-case letter (`He said "Stop!" and left.`).
* After a full-width 。！？ a sentence ends without a space too (not after 。」 followed by more
  text: a quote inside a sentence).
* A blank line (two line breaks between two tokens) always ends a sentence.

Measured against pySBD and spaCy's sentencizer on the GUM news gold in
``benchmarks/bench_segmenter.py``.
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right

TERMINALS = frozenset(".!?\u2026\u203c\u2047\u2048\u2049\u3002\uff01\uff1f\uff0e")
_WIDE_TERMINALS = frozenset("\u3002\uff01\uff1f\uff0e")  # end a sentence without a following space
CLOSERS = frozenset("\"')]}\u201d\u2019\u00bb\u300d\u300f\uff09\u3011\u3015\u300b\u3009\u203a")
_SPACED_CLOSERS = frozenset(")]}\u201d\u00bb\u300d\u300f\uff09\u3011\u3015\u300b\u3009\u203a")  # never open
_TERMINAL_RUN = re.compile("[%s]+" % re.escape("".join(sorted(TERMINALS))))
_BLANK_LINE = re.compile(r"(?:\r\n|[\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029])[^\S\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]*"
                         r"(?:\r\n|[\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029])")
_HORIZONTAL = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+\Z")

Token = tuple[int, int]


def sentences(text: str, tokens: list[Token]) -> list[tuple[int, int]]:
    """Group ``tokens`` (of :func:`annotator.core.tokenize.tokenize`) into sentences by the
    rules of the module docstring; returns ``(first, end)`` token-index ranges, half-open,
    that cover every token in order (none for no tokens)."""
    n = len(tokens)
    if not n:
        return []
    starts = [a for a, _ in tokens]
    candidates: list[tuple[int, int, bool]] = []  # (char offset, token index, blank line)
    for m in _BLANK_LINE.finditer(text):
        k = bisect_left(starts, m.end())
        if 0 < k < n and tokens[k - 1][1] <= m.start():
            candidates.append((m.start(), k, True))
    for m in _TERMINAL_RUN.finditer(text):
        k = bisect_right(starts, m.start()) - 1
        while 0 <= k < n and tokens[k][0] < m.end():
            a, b = tokens[k]
            if a >= m.start() and b <= m.end():
                candidates.append((a, k, False))
            k += 1
    candidates.sort()
    out: list[tuple[int, int]] = []
    first = 0
    for _, k, blank in candidates:
        if k < first:
            continue
        nxt = k if blank else _next_sentence(text, tokens, k, starts[first])
        if nxt is not None and first < nxt < n:
            out.append((first, nxt))
            first = nxt
    out.append((first, n))
    return out


def _next_sentence(text: str, tokens: list[Token], k: int, sentence_start: int) -> int | None:
    """The index of the token that starts a new sentence after the terminal token ``k``, or
    None if the sentence goes on."""
    n = len(tokens)
    j = k
    while j + 1 < n:
        a, b = tokens[j + 1]
        word = text[a:b]
        if word not in CLOSERS:
            break
        gap = text[tokens[j][1]:a]
        if not gap or (word in _SPACED_CLOSERS and _HORIZONTAL.match(gap)):
            j += 1
        elif word == '"' and _HORIZONTAL.match(gap) and text.count('"', sentence_start, a) % 2 == 1:
            j += 1
        else:
            break
    if j + 1 >= n:
        return None
    a = tokens[j + 1][0]
    gap = text[tokens[j][1]:a]
    if not gap:
        last = text[tokens[k][1] - 1]
        return j + 1 if j == k and last in _WIDE_TERMINALS else None
    if not any(ch.isspace() for ch in gap):
        return None
    if text[a].islower():
        return None
    return j + 1
