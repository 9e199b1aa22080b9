"""Maximum one-to-one matching between two annotators' spans (or attributions).

Two lists of spans A and B, each span given by its fragments (code points, half-open), are
compared as the issue defines it:

* **exact**: a span of A and a span of B match when their fragments are identical. The
  compatibility graph is then a disjoint union of complete bipartite graphs (one per distinct
  fragment tuple), whose maximum matching is the size of the multiset intersection, counted
  directly (:func:`exact_matches`).
* **overlap**: they match when they share at least one character. Here a greedy pairing is
  not enough: with A = [0, 10), [8, 20) and B = [5, 9), [0, 3), pairing the first A span
  with the first overlapping B span leaves one pair unmatched, while the maximum is two. The
  count is the cardinality of a maximum matching of the bipartite overlap graph
  (:func:`maximum_matching`), computed with SciPy's
  ``scipy.sparse.csgraph.maximum_bipartite_matching``, the Hopcroft-Karp algorithm
  (Hopcroft & Karp 1973, SIAM J. Computing 2(4) 225-231), O(E sqrt(V)) on the sparse graph.
  The graph is unweighted (a pair either matches or not), so a maximum-cardinality matching
  is what is asked; ``linear_sum_assignment`` (Hungarian / Jonker-Volgenant, O(n^3) on a
  dense cost matrix) would give the same count for a 0/1 weight matrix but does more work.
  When no span of either side overlaps two spans of the other (the common case), the graph is
  itself a matching and its edges are counted without calling SciPy.

Attributions (source, cue, content) match exactly when all three parts are identical, and
by overlap when each part overlaps its counterpart; a missing part (``None``) matches only a
missing part (:func:`attribution_matches`).
"""
from __future__ import annotations

from collections import Counter
from typing import Sequence

import numpy as np
from scipy.sparse import csr_array
from scipy.sparse.csgraph import maximum_bipartite_matching

from annotator.core.agreement.data import Attribution, Fragments


class SpanArrays:
    """The fragments of a list of spans as arrays, built once and compared with many others:
    ``starts``, ``ends`` (one entry per fragment, spans in order, fragments of a span
    contiguous), ``firsts`` (the index of each span's first fragment) and ``count`` spans.
    ``simple`` is True when every span has one fragment. A ``None`` entry (a missing part of
    an attribution) has no fragment and overlaps nothing; ``present`` marks the others."""

    __slots__ = ("count", "starts", "ends", "firsts", "simple", "present")

    def __init__(self, spans: Sequence[Fragments | None]):
        starts: list[int] = []
        ends: list[int] = []
        firsts: list[int] = []
        present: list[bool] = []
        for fragments in spans:
            firsts.append(len(starts))
            present.append(fragments is not None)
            for a, b in fragments or ((0, 0),):  # a missing part: one empty fragment, overlapping nothing
                starts.append(a)
                ends.append(b)
        self.count = len(firsts)
        self.starts = np.asarray(starts, dtype=np.int64)
        self.ends = np.asarray(ends, dtype=np.int64)
        self.firsts = np.asarray(firsts, dtype=np.int64)
        self.simple = len(starts) == len(firsts)
        self.present = np.asarray(present, dtype=bool)


def overlap_matrix(a: SpanArrays, b: SpanArrays) -> np.ndarray:
    """Boolean matrix (a.count x b.count): True where span i of A and span j of B share at
    least one character (some fragment of one intersects some fragment of the other)."""
    frag = (a.starts[:, None] < b.ends[None, :]) & (b.starts[None, :] < a.ends[:, None])
    if not a.simple:
        frag = np.logical_or.reduceat(frag, a.firsts, axis=0)
    if not b.simple:
        frag = np.logical_or.reduceat(frag, b.firsts, axis=1)
    return frag


class MatchingBatch:
    """Maximum matchings of many bipartite graphs with one call of SciPy's Hopcroft-Karp.

    ``add(key, graph)`` takes a boolean matrix (rows: one side, columns: the other; True: an
    edge). Edges whose two ends have no other edge are counted at once; the rest of each graph
    is placed on the diagonal of one large sparse matrix, whose maximum matching
    :meth:`solve` computes. A maximum matching of a disjoint union of graphs is a maximum
    matching of each, so its edges are counted back per graph. ``solve()`` returns
    ``{key: matching size}`` (summed when a key is added more than once)."""

    def __init__(self) -> None:
        self.counts: dict = {}
        self._rows: list[np.ndarray] = []
        self._cols: list[np.ndarray] = []
        self._blocks: list[tuple] = []  # (key, number of rows)
        self._n_rows = self._n_cols = 0

    def add(self, key, graph: np.ndarray) -> None:
        self.counts.setdefault(key, 0)
        if graph.size == 0:
            return
        row_degree, col_degree = graph.sum(axis=1), graph.sum(axis=0)
        lone = graph & (row_degree == 1)[:, None] & (col_degree == 1)[None, :]
        count = int(lone.sum())
        self.counts[key] += count
        if count == int(row_degree.sum()):
            return  # the graph is itself a matching
        rows = np.flatnonzero((row_degree > 0) & ~lone.any(axis=1))
        cols = np.flatnonzero((col_degree > 0) & ~lone.any(axis=0))
        r, c = np.nonzero(graph[np.ix_(rows, cols)])  # row-major: sorted by row
        self._rows.append(r + self._n_rows)
        self._cols.append(c + self._n_cols)
        self._blocks.append((key, len(rows)))
        self._n_rows += len(rows)
        self._n_cols += len(cols)

    def solve(self) -> dict:
        if self._blocks:
            rows, cols = np.concatenate(self._rows), np.concatenate(self._cols)
            indptr = np.concatenate(([0], np.cumsum(np.bincount(rows, minlength=self._n_rows))))
            graph = csr_array((np.ones(len(cols), dtype=np.int8), cols, indptr), shape=(self._n_rows, self._n_cols))
            matched = maximum_bipartite_matching(graph, perm_type="column") >= 0
            start = 0
            for key, n in self._blocks:
                self.counts[key] += int(matched[start:start + n].sum())
                start += n
            self._rows, self._cols, self._blocks = [], [], []
            self._n_rows = self._n_cols = 0
        return self.counts


def maximum_matching(graph: np.ndarray) -> int:
    """Cardinality of a maximum matching of the bipartite graph given as a boolean matrix
    (rows: one side, columns: the other; True: an edge)."""
    batch = MatchingBatch()
    batch.add(0, graph)
    return batch.solve()[0]


def exact_matches(a: Sequence[Fragments] | Counter, b: Sequence[Fragments] | Counter) -> int:
    """Number of pairs in a maximum one-to-one matching of identical spans: the size of the
    multiset intersection of the two lists of fragment tuples (or of their Counters)."""
    if not a or not b:
        return 0
    a = a if isinstance(a, Counter) else Counter(map(tuple, a))
    b = b if isinstance(b, Counter) else Counter(map(tuple, b))
    if len(b) < len(a):
        a, b = b, a
    return sum(min(n, b[f]) for f, n in a.items() if f in b)


def overlap_matches(a: SpanArrays, b: SpanArrays) -> int:
    """Number of pairs in a maximum one-to-one matching of spans sharing a character."""
    if not a.count or not b.count:
        return 0
    return maximum_matching(overlap_matrix(a, b))


def overlap_graph(a: SpanArrays, b: SpanArrays) -> np.ndarray:
    """The bipartite overlap graph of two lists of spans (see :func:`overlap_matrix`), an
    empty matrix when either list is empty."""
    if not a.count or not b.count:
        return np.zeros((a.count, b.count), dtype=bool)
    return overlap_matrix(a, b)


class AttributionArrays:
    """The three parts of a list of attributions as :class:`SpanArrays`, and the attributions
    themselves as hashable triples for the exact comparison."""

    __slots__ = ("count", "parts", "triples")

    def __init__(self, attributions: Sequence[Attribution]):
        self.count = len(attributions)
        triples = [tuple(None if p is None else tuple((int(x), int(y)) for x, y in p) for p in a.parts())
                   for a in attributions]
        self.triples = Counter(triples)
        self.parts = [SpanArrays([t[i] for t in triples]) for i in range(3)]


def attribution_graph(a: AttributionArrays, b: AttributionArrays) -> np.ndarray:
    """Boolean matrix (a.count x b.count): True where attribution i of A and j of B match by
    overlap (each part overlaps its counterpart; a missing part matches only a missing one)."""
    graph = np.ones((a.count, b.count), dtype=bool)
    if not a.count or not b.count:
        return graph
    for pa, pb in zip(a.parts, b.parts):
        both_missing = ~pa.present[:, None] & ~pb.present[None, :]
        graph &= both_missing | overlap_matrix(pa, pb)  # a missing part overlaps nothing
    return graph


def attribution_matches(a: AttributionArrays, b: AttributionArrays) -> tuple[int, int]:
    """(exact, overlap): the numbers of pairs in maximum one-to-one matchings of attributions
    whose three parts are identical (exact), or each overlap their counterpart, a missing
    part matching only a missing part (overlap)."""
    if not a.count or not b.count:
        return 0, 0
    return exact_matches(a.triples, b.triples), maximum_matching(attribution_graph(a, b))
