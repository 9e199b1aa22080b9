"""Maximum one-to-one matching of spans and attributions (exact and overlap)."""
from __future__ import annotations

import itertools
import random

import numpy as np

from annotator.core.agreement import Annotation, Attribution, DocumentAnnotations, agreement
from annotator.core.agreement.matching import (AttributionArrays, SpanArrays, attribution_matches, exact_matches,
                                               maximum_matching, overlap_matches, overlap_matrix)


def spans(*ranges):
    """Single-fragment spans from (start, end) pairs."""
    return [((a, b),) for a, b in ranges]


def test_one_long_span_overlapping_two_matches_only_one():
    a, b = spans((0, 20)), spans((0, 5), (10, 15))
    assert overlap_matches(SpanArrays(a), SpanArrays(b)) == 1
    # F1 overlap = 2 * 1 / (1 + 2)
    report = agreement([DocumentAnnotations(1, "d", "x" * 30, {"a": Annotation({"claim": tuple(a)}),
                                                               "b": Annotation({"claim": tuple(b)})})])
    assert report["layers"]["claim"]["f1_overlap"] == 2 / 3
    assert report["pairs"][0]["layers"]["claim"]["only_b"] == 1


def test_the_matching_is_maximum_where_greedy_is_not():
    # a1 = [0, 10) overlaps b1 = [5, 9) and b2 = [0, 3); a2 = [8, 20) overlaps b1 only.
    # Pairing a1 with the first overlapping span (b1) leaves a2 alone: 1; the maximum is 2.
    a, b = SpanArrays(spans((0, 10), (8, 20))), SpanArrays(spans((5, 9), (0, 3)))
    assert overlap_matches(a, b) == 2
    assert overlap_matches(b, a) == 2


def test_touching_spans_do_not_overlap_and_one_shared_character_does():
    assert overlap_matches(SpanArrays(spans((0, 5))), SpanArrays(spans((5, 9)))) == 0
    assert overlap_matches(SpanArrays(spans((0, 5))), SpanArrays(spans((4, 9)))) == 1


def test_discontinuous_spans_overlap_through_any_fragment():
    quote = [((0, 10), (20, 30))]  # a quote broken by "he said"
    assert overlap_matrix(SpanArrays(quote), SpanArrays(spans((12, 18), (25, 26), (40, 41)))).tolist() == [[False, True, False]]
    assert overlap_matrix(SpanArrays(spans((12, 18), (25, 26))), SpanArrays(quote)).tolist() == [[False], [True]]
    # exact: identical fragments only, not the same start and end
    assert exact_matches(quote, [((0, 30),)]) == 0
    assert exact_matches(quote, [((0, 10), (20, 30))]) == 1


def test_exact_matching_is_one_to_one_with_duplicates():
    assert exact_matches(spans((0, 5), (0, 5), (6, 9)), spans((0, 5), (6, 9), (6, 9))) == 2


def _brute_force(graph: np.ndarray) -> int:
    n, m = graph.shape
    best = 0
    for k in range(min(n, m), 0, -1):
        for rows in itertools.combinations(range(n), k):
            for cols in itertools.permutations(range(m), k):
                if all(graph[r, c] for r, c in zip(rows, cols)):
                    return k
    return best


def test_maximum_matching_equals_brute_force_on_random_graphs():
    rng = random.Random(11)
    for _ in range(300):
        n, m = rng.randint(0, 5), rng.randint(0, 5)
        graph = np.array([[rng.random() < 0.35 for _ in range(m)] for _ in range(n)], dtype=bool).reshape(n, m)
        assert maximum_matching(graph) == _brute_force(graph), graph.astype(int).tolist()


S, Q, C = ((0, 5),), ((6, 10),), ((11, 21),)


def test_attribution_exact_needs_all_three_parts_identical():
    a = AttributionArrays([Attribution(S, Q, C)])
    assert attribution_matches(a, AttributionArrays([Attribution(S, Q, C)])) == (1, 1)
    assert attribution_matches(a, AttributionArrays([Attribution(S, Q, ((11, 15),))])) == (0, 1)
    # the source does not overlap its counterpart: no overlap match either
    assert attribution_matches(a, AttributionArrays([Attribution(((30, 35),), Q, C)])) == (0, 0)


def test_a_missing_part_matches_only_a_missing_part():
    no_source = Attribution(None, Q, C)
    assert attribution_matches(AttributionArrays([no_source]), AttributionArrays([Attribution(None, Q, C)])) == (1, 1)
    assert attribution_matches(AttributionArrays([no_source]), AttributionArrays([Attribution(None, Q, ((15, 25),))])) == (0, 1)
    assert attribution_matches(AttributionArrays([no_source]), AttributionArrays([Attribution(S, Q, C)])) == (0, 0)
    assert attribution_matches(AttributionArrays([Attribution(S, Q, C)]), AttributionArrays([no_source])) == (0, 0)


def test_attributions_are_matched_one_to_one():
    # two attributions of A share source and cue; B has one that overlaps both: one match
    a = AttributionArrays([Attribution(S, Q, ((11, 15),)), Attribution(S, Q, ((16, 21),))])
    b = AttributionArrays([Attribution(S, Q, C)])
    assert attribution_matches(a, b) == (0, 1)


def test_one_batch_of_many_graphs_counts_each_graph_as_alone():
    from annotator.core.agreement.matching import MatchingBatch

    rng = random.Random(7)
    graphs = []
    for _ in range(60):
        n, m = rng.randint(0, 5), rng.randint(0, 5)
        graphs.append(np.array([[rng.random() < 0.5 for _ in range(m)] for _ in range(n)], dtype=bool).reshape(n, m))
    batch = MatchingBatch()
    for i, g in enumerate(graphs):
        batch.add(i, g)
    batch.add(0, graphs[0])  # a key added twice: the sum
    counts = batch.solve()
    assert counts == {i: _brute_force(g) * (2 if i == 0 else 1) for i, g in enumerate(graphs)}


def test_lists_are_taken_as_well_as_tuples():
    # data read from JSON has lists: [[start, end], ...]
    a = AttributionArrays([Attribution([[0, 5]], [[6, 10]], [[11, 21]])])
    assert attribution_matches(a, AttributionArrays([Attribution(S, Q, C)])) == (1, 1)
    report = agreement([DocumentAnnotations(1, "d", "x" * 30, {"a": Annotation({"claim": [[[0, 5]]]}),
                                                               "b": Annotation({"claim": (((0, 5),),)})})])
    assert report["layers"]["claim"]["f1_exact"] == 1.0
