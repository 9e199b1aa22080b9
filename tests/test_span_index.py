"""Tests for annotator.core.span_index: against hand-made cases and a brute-force model."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from annotator.core.model import Span
from annotator.core.span_index import LONG_FRAGMENT, SpanIndex


def span(i: int, *fragments: tuple[int, int], label: str = "claim") -> Span:
    return Span(id=i, document_id=1, label=label, fragments=tuple(fragments))


def key(s: Span) -> tuple[int, int, int]:
    return (s.start, s.end, s.id)


# B18-like: "Senator Vega said the bill will pass. " with its speaker and claim.
SPEAKER = span(1, (0, 12), label="speaker")
CLAIM = span(2, (18, 36))
# a discontinuous claim with a gap [20, 30) and a cue inside the gap
SPLIT = span(3, (10, 20), (30, 40))
CUE = span(4, (22, 26), label="cue")


def test_empty_index():
    idx = SpanIndex()
    assert len(idx) == 0 and list(idx) == []
    assert idx.overlapping(0, 100) == [] and idx.at(0) == []
    assert idx.next_after(0) is None and idx.previous_before(10) is None
    assert idx.get(1) is None


def test_build_iterates_sorted_and_rejects_duplicate_ids():
    idx = SpanIndex([CLAIM, SPLIT, SPEAKER])
    assert [s.id for s in idx] == [1, 3, 2]
    assert len(idx) == 3 and 3 in idx and idx.get(3) is SPLIT
    with pytest.raises(ValueError):
        SpanIndex([CLAIM, CLAIM])


def test_overlap_is_fragment_level():
    idx = SpanIndex([SPEAKER, CLAIM, SPLIT, CUE])
    assert [s.id for s in idx.overlapping(22, 26)] == [2, 4]  # not SPLIT: its gap
    assert [s.id for s in idx.overlapping(19, 21)] == [3, 2]
    assert [s.id for s in idx.overlapping(12, 18)] == [3]  # half-open: SPEAKER ends at 12
    assert idx.overlapping(5, 5) == [] and idx.overlapping(9, 3) == []
    assert [s.id for s in idx.overlapping(0, 1000)] == [1, 3, 2, 4]


def test_at_is_innermost_first():
    outer = span(10, (0, 40))
    mid = span(11, (5, 30))
    inner = span(12, (8, 12), label="speaker")
    idx = SpanIndex([outer, inner, mid])
    assert [s.id for s in idx.at(9)] == [12, 11, 10]
    assert [s.id for s in idx.at(12)] == [11, 10]  # end is exclusive
    assert idx.at(40) == []


def test_navigation_by_start_then_end_then_id():
    a, b, c = span(5, (10, 20)), span(6, (10, 15)), span(7, (30, 31))
    idx = SpanIndex([a, b, c])
    assert idx.next_after(0) is b  # same start: shorter first
    assert idx.next_after(10) is c and idx.next_after(30) is None
    assert idx.previous_before(31) is c and idx.previous_before(30) is a
    assert idx.previous_before(10) is None
    assert idx.next_span(6) is a and idx.next_span(5) is c and idx.next_span(7) is None
    assert idx.previous_span(5) is b and idx.previous_span(6) is None


def test_add_remove_replace():
    idx = SpanIndex([SPEAKER])
    idx.add(CLAIM)
    with pytest.raises(ValueError):
        idx.add(CLAIM)
    assert [s.id for s in idx.overlapping(20, 21)] == [2]
    assert idx.remove(2) is CLAIM
    with pytest.raises(KeyError):
        idx.remove(2)
    assert idx.overlapping(20, 21) == []
    moved = CLAIM.with_(fragments=((40, 50),))
    assert idx.replace(moved) is None
    assert idx.replace(moved.with_(fragments=((60, 70),))) == moved
    assert idx.overlapping(40, 50) == [] and idx.at(65)[0].id == 2


def test_max_length_bound_shrinks_after_removing_the_longest():
    long_one = span(1, (0, 3000))
    idx = SpanIndex([long_one, span(2, (5000, 5005))])
    assert [s.id for s in idx.overlapping(2999, 3000)] == [1]
    idx.remove(1)
    assert idx._window() == 5  # recomputed lazily
    assert [s.id for s in idx.overlapping(5004, 5010)] == [2]


def test_long_fragments_are_found_without_widening_the_window():
    huge = span(1, (0, LONG_FRAGMENT * 3))
    idx = SpanIndex([huge, span(2, (100, 110))])
    assert idx._window() == 10
    assert [s.id for s in idx.overlapping(LONG_FRAGMENT * 2, LONG_FRAGMENT * 2 + 1)] == [1]
    assert [s.id for s in idx.at(105)] == [2, 1]
    idx.remove(1)
    assert idx._long == [] and [s.id for s in idx.overlapping(0, 10**6)] == [2]


def test_10k_spans_on_1mb_answer_like_brute_force():
    """At article size (speed is measured by benchmarks/bench_view.py, not asserted here)."""
    rng = random.Random(7)
    spans = []
    for i in range(10_000):
        a = rng.randrange(0, 1_000_000 - 600)
        if i % 10 == 0:
            spans.append(span(i, (a, a + 200), (a + 260, a + 500)))
        else:
            spans.append(span(i, (a, a + rng.randrange(1, 300))))
    idx = SpanIndex(spans)
    for j in range(200):
        s = span(20_000 + j, (j * 4000, j * 4000 + 30))
        idx.add(s)
        assert {x.id for x in idx.overlapping(j * 4000, j * 4000 + 500)} == \
            {x.id for x in brute_overlapping([*spans, s], j * 4000, j * 4000 + 500)}
        idx.remove(s.id)


# -- brute force model ---------------------------------------------------------------------


def brute_overlapping(spans, start, end):
    if start >= end:
        return []
    hits = [s for s in spans if any(a < end and b > start for a, b in s.fragments)]
    return sorted(hits, key=key)


@st.composite
def fragments(draw, limit=60):
    cuts = sorted(draw(st.sets(st.integers(0, limit), min_size=2, max_size=6)))
    if len(cuts) % 2:
        cuts = cuts[:-1]
    return tuple(zip(cuts[::2], cuts[1::2]))


class IndexMachine(RuleBasedStateMachine):
    """Random add / remove / replace sequences; every query must match brute force."""

    @initialize(frags=st.lists(fragments(), max_size=8))
    def build(self, frags):
        self.model = {i: span(i, *f) for i, f in enumerate(frags)}
        self.idx = SpanIndex(self.model.values())
        self.next_id = len(frags)

    @rule(frags=fragments(limit=LONG_FRAGMENT + 80))
    def add(self, frags):
        s = span(self.next_id, *frags)
        self.next_id += 1
        self.model[s.id] = s
        self.idx.add(s)

    @precondition(lambda self: self.model)
    @rule(data=st.data())
    def remove(self, data):
        i = data.draw(st.sampled_from(sorted(self.model)))
        assert self.idx.remove(i) == self.model.pop(i)

    @precondition(lambda self: self.model)
    @rule(data=st.data(), frags=fragments())
    def replace(self, data, frags):
        i = data.draw(st.sampled_from(sorted(self.model)))
        self.model[i] = span(i, *frags)
        self.idx.replace(self.model[i])

    @rule(a=st.integers(-5, LONG_FRAGMENT + 90), n=st.integers(0, 70))
    def query(self, a, n):
        spans = list(self.model.values())
        assert self.idx.overlapping(a, a + n) == brute_overlapping(spans, a, a + n)
        at = self.idx.at(a)
        assert sorted(at, key=key) == brute_overlapping(spans, a, a + 1)
        assert [s.end - s.start for s in at] == sorted(s.end - s.start for s in at)
        after = [s for s in sorted(spans, key=key) if s.start > a]
        assert self.idx.next_after(a) == (after[0] if after else None)
        before = [s for s in sorted(spans, key=key) if s.start < a]
        assert self.idx.previous_before(a) == (before[-1] if before else None)

    @invariant()
    def same_content(self):
        assert list(self.idx) == sorted(self.model.values(), key=key)
        assert len(self.idx) == len(self.model)


IndexMachine.TestCase.settings = settings(max_examples=60, stateful_step_count=30, deadline=None)
TestIndexMachine = IndexMachine.TestCase


@given(st.lists(fragments(), max_size=30), st.integers(0, 60), st.integers(0, 60))
def test_overlapping_matches_brute_force(frags, a, b):
    spans = [span(i, *f) for i, f in enumerate(frags)]
    assert SpanIndex(spans).overlapping(a, b) == brute_overlapping(spans, a, b)
