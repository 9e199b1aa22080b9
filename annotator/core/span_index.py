"""An in-memory index of one document's spans for the text view (pure Python, no Qt).

All offsets are code points of the stored document text, half-open ``[start, end)``,
like :class:`annotator.core.model.Span`.

Two sorted lists of keys, kept with :mod:`bisect`:

* span keys ``(start, end, id)``: iteration order and next / previous navigation;
* fragment keys ``(fragment_start, fragment_end, id)``: overlap queries. A fragment that
  overlaps ``[s, e)`` starts before ``e`` and after ``s - L``, where ``L`` is the longest
  fragment, so a query bisects to that window and filters it. ``L`` comes from a count of
  fragment lengths, recomputed lazily after the longest fragment is removed.

Fragments longer than :data:`LONG_FRAGMENT` (a claim over several paragraphs) are kept in a
separate short list that every query scans, so one huge span does not widen the window
for all queries.

Costs with n spans: build O(n log n); add / remove / replace O(log n) searches plus a list
insert / delete (a memmove, microseconds at n = 10,000); ``overlapping`` O(log n + w + k)
with w the fragments starting in the window and k the long fragments.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right, insort
from collections import Counter
from typing import Iterable, Iterator

from annotator.core.model import Span

__all__ = ["SpanIndex", "LONG_FRAGMENT"]

LONG_FRAGMENT = 4096
"""Fragments longer than this many code points go to the always-scanned long list."""


class SpanIndex:
    """The spans of one document, indexed by id, position and fragment.

    ``SpanIndex(spans)`` builds it; ids must be unique (ValueError otherwise). Iteration
    yields the spans sorted by ``(start, end, id)``.
    """

    __slots__ = ("_spans", "_keys", "_frags", "_long", "_lengths", "_max_len")

    def __init__(self, spans: Iterable[Span] = ()) -> None:
        self._spans: dict[int, Span] = {}
        for span in spans:
            if span.id in self._spans:
                raise ValueError(f"duplicate span id {span.id}")
            self._spans[span.id] = span
        self._keys = sorted((s.start, s.end, s.id) for s in self._spans.values())
        self._frags: list[tuple[int, int, int]] = []
        self._long: list[tuple[int, int, int]] = []
        self._lengths: Counter[int] = Counter()
        for span in self._spans.values():
            for a, b in span.fragments:
                if b - a > LONG_FRAGMENT:
                    self._long.append((a, b, span.id))
                else:
                    self._frags.append((a, b, span.id))
                    self._lengths[b - a] += 1
        self._frags.sort()
        self._max_len: int | None = max(self._lengths, default=0)

    # -- container ------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self._spans)

    def __iter__(self) -> Iterator[Span]:
        spans = self._spans
        return (spans[k[2]] for k in list(self._keys))

    def __contains__(self, span_id: object) -> bool:
        return span_id in self._spans

    def get(self, span_id: int) -> Span | None:
        """The span with this id, or None."""
        return self._spans.get(span_id)

    # -- edits ----------------------------------------------------------------------

    def add(self, span: Span) -> None:
        """Add a span; ValueError if its id is already present."""
        if span.id in self._spans:
            raise ValueError(f"span id {span.id} is already in the index")
        self._spans[span.id] = span
        insort(self._keys, (span.start, span.end, span.id))
        for a, b in span.fragments:
            if b - a > LONG_FRAGMENT:
                self._long.append((a, b, span.id))
            else:
                insort(self._frags, (a, b, span.id))
                self._lengths[b - a] += 1
                if self._max_len is not None and b - a > self._max_len:
                    self._max_len = b - a

    def remove(self, span_id: int) -> Span:
        """Remove and return the span with this id; KeyError if absent."""
        span = self._spans.pop(span_id)
        _delete(self._keys, (span.start, span.end, span.id))
        for a, b in span.fragments:
            if b - a > LONG_FRAGMENT:
                self._long.remove((a, b, span.id))
                continue
            _delete(self._frags, (a, b, span.id))
            n = b - a
            self._lengths[n] -= 1
            if not self._lengths[n]:
                del self._lengths[n]
                if n == self._max_len:
                    self._max_len = None  # recomputed by the next query
        return span

    def replace(self, span: Span) -> Span | None:
        """Put ``span`` in place of the span with the same id (or add it); returns the old one."""
        old = self.remove(span.id) if span.id in self._spans else None
        self.add(span)
        return old

    # -- queries --------------------------------------------------------------------

    def _window(self) -> int:
        if self._max_len is None:
            self._max_len = max(self._lengths, default=0)
        return self._max_len

    def overlapping(self, start: int, end: int) -> list[Span]:
        """Spans with a fragment overlapping code points ``[start, end)``, sorted by
        ``(start, end, id)``. A fragment ``[a, b)`` overlaps when ``a < end and b > start``,
        so the gap of a discontinuous span overlaps nothing, and an empty range
        (``start >= end``) gives ``[]``."""
        if start >= end:
            return []
        frags = self._frags
        # b > start and b - a <= L  =>  a > start - L
        lo = bisect_left(frags, (start - self._window() + 1,))
        hi = bisect_left(frags, (end,))
        ids = {sid for a, b, sid in frags[lo:hi] if b > start}
        ids.update(sid for a, b, sid in self._long if a < end and b > start)
        spans = [self._spans[i] for i in ids]
        spans.sort(key=_sort_key)
        return spans

    def at(self, offset: int) -> list[Span]:
        """Spans with a fragment covering code point ``offset`` (``a <= offset < b``),
        innermost first: shortest extent (``end - start``), then by ``(start, id)``."""
        spans = self.overlapping(offset, offset + 1)
        spans.sort(key=lambda s: (s.end - s.start, s.start, s.id))
        return spans

    def next_after(self, offset: int) -> Span | None:
        """The first span (in ``(start, end, id)`` order) starting after ``offset``, or None."""
        i = bisect_left(self._keys, (offset + 1,))
        return self._spans[self._keys[i][2]] if i < len(self._keys) else None

    def previous_before(self, offset: int) -> Span | None:
        """The last span (in ``(start, end, id)`` order) starting before ``offset``, or None."""
        i = bisect_left(self._keys, (offset,))
        return self._spans[self._keys[i - 1][2]] if i > 0 else None

    def next_span(self, span_id: int) -> Span | None:
        """The span after this one in ``(start, end, id)`` order (steps through spans that
        share a start, unlike :meth:`next_after`); None at the end. KeyError if absent."""
        s = self._spans[span_id]
        i = bisect_right(self._keys, (s.start, s.end, s.id))
        return self._spans[self._keys[i][2]] if i < len(self._keys) else None

    def previous_span(self, span_id: int) -> Span | None:
        """The span before this one in ``(start, end, id)`` order; None at the start."""
        s = self._spans[span_id]
        i = bisect_left(self._keys, (s.start, s.end, s.id))
        return self._spans[self._keys[i - 1][2]] if i > 0 else None


def _sort_key(span: Span) -> tuple[int, int, int]:
    return (span.start, span.end, span.id)


def _delete(keys: list, key: tuple) -> None:
    i = bisect_left(keys, key)
    if i == len(keys) or keys[i] != key:
        raise KeyError(key)  # pragma: no cover - the dict and the lists disagree
    del keys[i]
