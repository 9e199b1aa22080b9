"""Spans on tokens for the token-based exports (CoNLL BIO, spaCy DocBin); pure Python.

A span's edges are made token boundaries by cutting the tokens there (:func:`export_tokens`,
as spaCy users align character offsets with ``Doc.char_span`` after retokenising): two spans
inside "AHU-G1-V-1" stay two spans, a span on "2785708" inside "Kundennummer2785708" stays on
those seven characters. No span is dropped or widened for a tokenisation's sake; the only
change of boundary left is an edge inside a grapheme cluster (which the store refuses, so only
older projects can hold one): expanded to the cluster and reported per span. Offsets are code
points, half-open; token ranges are token-index ranges ``(first, end)``, half-open.
"""
from __future__ import annotations

import unicodedata
from bisect import bisect_left, bisect_right, insort
from typing import NamedTuple

from annotator.core.model import Span
from annotator.core.offsets import is_grapheme_boundary
from annotator.core.schema import Schema

Token = tuple[int, int]


def trim(text: str, start: int, end: int) -> tuple[int, int]:
    """``[start, end)`` without leading / trailing whitespace and invisible format characters;
    ``(start, start)`` if nothing else is left."""
    if start < end and not text[start].isspace() and not text[end - 1].isspace() \
            and unicodedata.category(text[start]) != "Cf" and unicodedata.category(text[end - 1]) != "Cf":
        return start, end
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


def split_tokens(tokens: list[Token], cuts, starts: list[int] | None = None) -> list[Token]:
    """``tokens`` with every token cut at each offset of ``cuts`` that falls strictly inside
    it (a span edge inside a token: "Kundennummer2785708" cut at 12 gives "Kundennummer"
    "2785708"). The caller passes grapheme-cluster boundaries only. Sorted, non-empty;
    ``tokens`` itself when no cut falls inside a token. ``starts``: the tokens' starts, if
    known."""
    if starts is None:
        starts = [a for a, _ in tokens]
    cuts = set(cuts)
    if not cuts:
        return tokens
    cuts.difference_update(starts)  # most cuts are token edges already: dropped in C, not bisected
    cuts.difference_update(b for _, b in tokens)
    inside: dict[int, list[int]] = {}
    for c in cuts:
        k = bisect_right(starts, c) - 1
        if k >= 0 and tokens[k][0] < c < tokens[k][1]:
            inside.setdefault(k, []).append(c)
    if not inside:
        return tokens
    out: list[Token] = []
    for k, (a, b) in enumerate(tokens):
        if k in inside:
            for c in sorted(inside[k]):
                out.append((a, c))
                a = c
        out.append((a, b))
    return out


def export_tokens(text: str, spans: list[Span]) -> tuple[list[Token], list[tuple[int, int]]]:
    """The tokens and sentences of :func:`export_segments`."""
    found = export_segments(text, spans)
    return found.tokens, found.sentences


def export_segments(text: str, spans: list[Span]):
    """The tokens of ``text`` for a token export of ``spans``, and its sentences, as
    :class:`annotator.core.segments.Segments` (tokens, sentences, simple, starts, ends).

    Tokens are :func:`annotator.core.tokenize.tokenize`'s, cut at every trimmed fragment edge
    of ``spans`` that falls inside a token on a grapheme-cluster boundary
    (:func:`split_tokens`). Sentences are found on the uncut tokens
    (:func:`annotator.core.sentences.sentences`, so a cut never makes a sentence break; both
    through the per-text cache of :func:`annotator.core.segments.segment`) and returned as
    token-index ranges ``(first, end)`` of the cut tokens; ``simple`` is
    :func:`annotator.core.tokenize.is_simple` of the text (for :func:`align_spans`)."""
    from annotator.core.segments import Segments, segment

    base = segment(text)
    simple = base.simple
    starts = base.starts
    cuts = []
    for span in spans:
        for a, b in span.fragments:
            if simple and a < b and not text[a].isspace() and not text[b - 1].isspace():
                cuts += (a, b)
                continue
            ta, tb = trim(text, a, b)
            if ta < tb:
                cuts.extend(c for c in (ta, tb) if simple or is_grapheme_boundary(text, c))
    tokens = split_tokens(base.tokens, cuts, starts)
    if tokens is base.tokens:
        return base
    starts = [a for a, _ in tokens]
    firsts = [bisect_left(starts, base.tokens[first][0]) for first, _ in base.sentences]
    return Segments(tokens, [(f, e) for f, e in zip(firsts, firsts[1:] + [len(tokens)])], simple, starts,
                    [b for _, b in tokens])


def doc_words(text: str, tokens: list[Token]) -> tuple[list[str], list[bool], list[int]]:
    """``words`` and ``spaces`` for ``spacy.tokens.Doc`` giving back ``text`` exactly, and the
    spaCy token index of each of ``tokens``. One space after a token is its ``space``; any
    other gap (or the rest of one) is a word of its own."""
    words: list[str] = []
    spaces: list[bool] = []
    index: list[int] = []

    def gap(chars: str) -> None:
        if chars[:1] == " " and words and not spaces[-1]:
            spaces[-1] = True
            chars = chars[1:]
        if chars:
            words.append(chars)
            spaces.append(False)

    pos = 0
    for a, b in tokens:
        if a != pos:
            if a - pos == 1 and text[pos] == " " and words:  # the usual gap: one space after a token
                spaces[-1] = True
            else:
                gap(text[pos:a])
        index.append(len(words))
        words.append(text[a:b])
        spaces.append(False)
        pos = b
    gap(text[pos:])
    return words, spaces, index


class TokenSpan(NamedTuple):
    """A span aligned to tokens: ``ranges`` are token-index ranges ``(first, end)``, half-open,
    one per fragment (fragments that meet on a shared token are merged into one range).
    (A named tuple: made once per span of an export, it costs a third of a frozen dataclass.)"""

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


def align_spans(doc_id: int, text: str, tokens: list[Token], spans: list[Span], simple: bool | None = None,
                starts: list[int] | None = None, ends: list[int] | None = None) -> tuple[list[TokenSpan], list[str]]:
    """Align ``spans`` to ``tokens`` (best those of :func:`export_tokens`, whose boundaries
    include every span edge). Returns the aligned spans (input order) and one report line per
    adjustment, never silently:

    * each fragment is first trimmed of whitespace and invisible format characters
      (" Norwood Inc" [9,21) -> [10,21)); this alone is not reported;
    * an edge that is still inside a token (inside a grapheme cluster, or tokens not cut
      for these spans) is *expanded* to that token's boundary, reported as "document 1, span
      s5 'Norwood Inc' [10,21) expanded to token boundaries [10,22) 'Norwood Inc.'";
    * a span with nothing left (zero-length, whitespace only) is left out and reported.

    ``simple`` (:func:`annotator.core.tokenize.is_simple` of the text), ``starts`` and ``ends``
    (the tokens' offsets) may be given when known (:func:`export_segments`): the result is
    the same.
    """
    out: list[TokenSpan] = []
    notes: list[str] = []
    if starts is None or ends is None:
        starts = [a for a, _ in tokens]
        ends = [b for _, b in tokens]
    if simple is None:
        from annotator.core.tokenize import is_simple

        simple = is_simple(text)  # no invisible format characters: trimming is whitespace only
    for span in spans:
        fragments = span.fragments
        if simple and len(fragments) == 1:  # the common case: one fragment whose edges are token edges
            a, b = fragments[0]
            if a < b and not text[a].isspace() and not text[b - 1].isspace():
                first, end = bisect_right(ends, a), bisect_left(starts, b)
                if first < end and starts[first] == a and ends[end - 1] == b:
                    out.append(TokenSpan(span, ((first, end),)))
                    continue
        ranges: list[list[int]] = []
        for a, b in span.fragments:
            if simple and a < b and not text[a].isspace() and not text[b - 1].isspace():
                ta, tb = a, b  # trim() would leave it as it is
            else:
                ta, tb = trim(text, a, b)
            if ta >= tb:
                continue
            first, end = bisect_right(ends, ta), bisect_left(starts, tb)
            if first >= end:
                continue
            ea, eb = starts[first], ends[end - 1]
            if ea != ta or eb != tb:
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
    keys = [((s := t.span).fragments[0][0], s.fragments[0][0] - s.fragments[-1][1], rank[s.label], s.id)
            for t in aligned]  # (start, -length, label rank, id)
    order = [aligned[k] for k in sorted(range(len(aligned)), key=keys.__getitem__)]
    owner: dict[int, TokenSpan] = {}  # by the first token of each kept range
    ranges: list[tuple[int, int]] = []  # kept ranges, sorted by first token
    kept: list[TokenSpan] = []
    notes: list[str] = []
    for item in order:
        other = None
        for f, e in item.ranges:
            k = bisect_right(ranges, (f, len(text) + 1))  # kept ranges that start at or before f ...
            if k and ranges[k - 1][1] > f:
                other = owner[ranges[k - 1][0]]
            elif k < len(ranges) and ranges[k][0] < e:  # ... or inside [f, e)
                other = owner[ranges[k][0]]
            if other is not None:
                break
        if other is not None:
            span, o = item.span, other.span
            notes.append(f"document {doc_id}, {span.label} span s{span.id} {quote(span.text(text))} "
                         f"[{span.start},{span.end}) {dropped_how}: it overlaps {o.label} span s{o.id} "
                         f"{quote(o.text(text))} [{o.start},{o.end})")
            continue
        kept.append(item)
        for f, e in item.ranges:
            insort(ranges, (f, e))
            owner[f] = item
    kept.sort(key=lambda t: (t.ranges[0], t.span.id))
    return kept, notes
