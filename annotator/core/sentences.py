"""Sentences over the tokens of :mod:`annotator.core.tokenize`, for the CoNLL and spaCy
exports. Offsets are code points; sentences are token-index ranges ``(first, end)``.

The segmenter is spaCy's rule-based ``Sentencizer`` (``spacy.pipeline.Sentencizer``, a blank
pipeline: nothing is downloaded) run on a ``Doc`` of OUR tokens, with a small rule layer on
top. Our tokens keep abbreviations whole ("approx.", "est.", "Ph.D.", "Inc.": the tokeniser's
rules), so the Sentencizer sees no terminal in them and "approx. 5", "est. in 1990" and
"Ph.D. in" end no sentence. The Sentencizer starts a sentence at the first token that is
neither punctuation nor a terminal after a terminal token (its ``default_punct_chars``, plus
the runs our tokeniser keeps whole: "...", "!!", "…"). The rule layer (pySBD's "golden rules"
for English, Sadvilkar & Neumann 2020) then moves or vetoes each such start:

* the closing quotation marks and brackets right after the terminal (`."`, `!»`, `。」`) stay
  with the sentence they close; a closing guillemet or curly quotation mark (» ” 」 ...) after
  a space stays too (French «  C'est bon. » Il part.); a straight double quote after a space
  closes only when the sentence has an odd number of them so far, else it opens the next
  sentence (`This is a sentence. "Don't worry!"`: the Sentencizer would keep it in the first);
* no break when the next word starts with a lower-case letter (`He said "Stop!" and left.`:
  the Sentencizer breaks there) or when no whitespace follows (`x.y`), except after a
  full-width 。！？ (not after 。」 followed by more text: a quote inside a sentence);
* a blank line (two line breaks between two tokens) always ends a sentence (titles and
  paragraphs without a final period; the Sentencizer never breaks on whitespace).

Scored against pySBD and spaCy's own tokenizer + Sentencizer on the GUM news gold in
``benchmarks/bench_segmenter.py``. spaCy takes about a second to import and a few
milliseconds per article; :mod:`annotator.core.segments` caches the result per text.
"""
from __future__ import annotations

import re
from bisect import bisect_left

from annotator.core.errors import InputError

TERMINALS = frozenset(".!?\u2026\u203c\u2047\u2048\u2049\u3002\uff01\uff1f\uff0e")
_WIDE_TERMINALS = frozenset("\u3002\uff01\uff1f\uff0e")  # end a sentence without a following space
CLOSERS = frozenset("\"')]}\u201d\u2019\u00bb\u300d\u300f\uff09\u3011\u3015\u300b\u3009\u203a")
_SPACED_CLOSERS = frozenset(")]}\u201d\u00bb\u300d\u300f\uff09\u3011\u3015\u300b\u3009\u203a")  # never open
_BLANK_LINE = re.compile(r"(?:\r\n|[\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029])[^\S\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]*"
                         r"(?:\r\n|[\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029])")
_HORIZONTAL = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+\Z")
RUNS = tuple(mark * k for mark in ".!?\u2026" for k in range(2, 9)) + ("\u2026",)
"""Terminal runs the tokeniser keeps as one token, added to the Sentencizer's punct_chars."""

NEEDS_SPACY = "sentence splitting needs spaCy, a dependency of Annotator: pip install 'spacy>=3.7'"
Token = tuple[int, int]
_SPACY: list = []  # [Sentencizer, Vocab, Doc, punct_chars] once spaCy is imported


def _spacy():
    """``[sentencizer, vocab, Doc, punct_chars]`` of a blank English pipeline (``spacy.blank("en")``:
    its lexical attributes say which tokens are punctuation), made once per process."""
    if not _SPACY:
        try:
            import spacy
            from spacy.pipeline import Sentencizer
            from spacy.tokens import Doc
        except ImportError:
            raise InputError(NEEDS_SPACY) from None
        punct = list(Sentencizer.default_punct_chars) + [run for run in RUNS if run not in Sentencizer.default_punct_chars]
        nlp = spacy.blank("en")
        sentencizer = nlp.add_pipe("sentencizer", config={"punct_chars": punct})
        _SPACY.extend((sentencizer, nlp.vocab, Doc, frozenset(punct)))
    return _SPACY


def sentencizer_starts(text: str, tokens: list[Token]) -> list[int]:
    """The indices into ``tokens`` (0 left out) where spaCy's Sentencizer, run on a ``Doc``
    whose words are these tokens, starts a sentence. (The whitespace between tokens is left
    out of the ``Doc``: the Sentencizer never looks at it, and a start it would put on a
    whitespace token falls on the next token, where the rule layer decides from the
    terminal anyway.) Raises InputError (:data:`NEEDS_SPACY`) without spaCy."""
    sentencizer, vocab, doc_class, _ = _spacy()
    doc = doc_class(vocab, words=[text[a:b] for a, b in tokens])
    guesses = sentencizer.predict([doc])[0]
    return [k for k, start in enumerate(guesses) if start and k]


def sentences(text: str, tokens: list[Token]) -> list[tuple[int, int]]:
    """Group ``tokens`` (of :func:`annotator.core.tokenize.tokenize`) into sentences: spaCy's
    Sentencizer and the rule layer of the module docstring. Returns ``(first, end)``
    token-index ranges, half-open, that cover every token in order (none for no tokens).
    Raises InputError (:data:`NEEDS_SPACY`) without spaCy (a dependency of Annotator)."""
    n = len(tokens)
    if not n:
        return []
    starts = [a for a, _ in tokens]
    candidates: list[tuple[int, int, bool]] = []  # (token index, terminal token index or -1 for a blank line)
    for m in _BLANK_LINE.finditer(text):
        k = bisect_left(starts, m.end())
        if 0 < k < n and tokens[k - 1][1] <= m.start():
            candidates.append((k, -1))
    punct = _spacy()[3]
    for k in sentencizer_starts(text, tokens):
        t = k - 1  # the terminal the Sentencizer saw: the last one before the start
        while t > 0 and text[tokens[t][0]:tokens[t][1]] not in punct:
            t -= 1
        candidates.append((t, t))
    candidates.sort()
    out: list[tuple[int, int]] = []
    first = 0
    for k, terminal in candidates:
        if k < first:
            continue
        nxt = k if terminal < 0 else _next_sentence(text, tokens, terminal, starts[first])
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
