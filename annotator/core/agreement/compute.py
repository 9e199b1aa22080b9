"""Agreement between annotators, per layer, per pair and per document (issue 11).

:func:`agreement` takes :class:`~annotator.core.agreement.data.DocumentAnnotations` and
returns the JSON-ready dictionary printed by ``annotator agreement --json``::

    {"documents": N, "annotators": [names],
     "alpha": a,                                  # token-wise, labels none/speaker/cue/claim
     "layers": {"speaker": {"f1_exact", "f1_overlap", "alpha"}, "cue": {...}, "claim": {...},
                "attribution": {"f1_exact", "f1_overlap"}},
     "pairs": [{"annotators": [A, B], "documents", "tokens", "kappa",
                "layers": {layer: {"f1_exact", "f1_overlap", "a", "b", "both_exact",
                                   "both_overlap", "only_a", "only_b"}}}],
     "per_document": [{"document", "title", "annotators", "tokens", "alpha",
                       "layers": {layer: {"f1_exact", "f1_overlap"[, "alpha"]}}}]}

Only documents annotated by at least two annotators are compared (``documents`` counts
them). F1 values are pooled: ``2 * sum(matched) / sum(|A| + |B|)`` over documents and pairs
(see :mod:`.matching` for the matchings, :mod:`.coefficients` for the formulas). Counts in a
pair: ``a``, ``b`` spans of each annotator, ``both_exact`` / ``both_overlap`` pairs matched,
``only_a = a - both_overlap`` (spans of A with no overlapping counterpart in the matching),
``only_b`` likewise. Per layer, a token's value is whether the layer covers it (alpha of
"in the layer or not"); overall, its label (speaker before cue before claim, else none).
Fractions are floats (F1 in [0, 1], alpha and kappa in [-1, 1]) or ``None`` (JSON null)
when undefined (no span on either side; no variation in the labels).
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from itertools import combinations
from typing import Iterable, Sequence

import numpy as np

from annotator.core.agreement.coefficients import alpha_nominal, cohen_kappa, f1, value_counts
from annotator.core.agreement.data import LAYERS, Annotation, DocumentAnnotations
from annotator.core.agreement.matching import (AttributionArrays, MatchingBatch, SpanArrays, attribution_graph,
                                               exact_matches, overlap_graph)
from annotator.core.agreement.tokens import LABELS, layer_coverage, token_labels, token_offsets

ATTRIBUTION = "attribution"
MEASURED = LAYERS + (ATTRIBUTION,)  # span layers, then attributions
N_LABELS = len(LABELS)


@dataclass
class _Side:
    """One annotator's annotation of one document, prepared for comparisons."""

    spans: dict  # layer -> list of fragment tuples
    counters: dict  # layer -> Counter of fragment tuples (for exact matching)
    arrays: dict  # layer -> SpanArrays
    attributions: AttributionArrays
    coverage: np.ndarray  # len(LAYERS) x tokens, bool
    labels: np.ndarray  # tokens, int8


def _fragments(fragments) -> tuple:
    return tuple((int(a), int(b)) for a, b in fragments)


def _prepare(ann: Annotation, starts: np.ndarray, ends: np.ndarray) -> _Side:
    spans = {layer: [_fragments(f) for f in ann.layer(layer)] for layer in LAYERS}
    coverage = layer_coverage(starts, ends, ann)
    return _Side(spans=spans, counters={layer: Counter(v) for layer, v in spans.items()}, arrays={layer: SpanArrays(spans[layer]) for layer in LAYERS},
                 attributions=AttributionArrays(ann.attributions), coverage=coverage,
                 labels=token_labels(coverage))


@dataclass
class _Doc:
    doc: DocumentAnnotations
    who: list[str]
    sides: dict[str, _Side]
    counts: dict[tuple[str, str], np.ndarray]  # pair -> MEASURED x (a, b, exact, overlap)


def _pair_counts(x: _Side, y: _Side, key, batch: MatchingBatch) -> np.ndarray:
    """MEASURED x (a, b, exact, overlap) for one pair in one document; the overlap column is
    filled in from ``batch`` (keys ``(key, row)``) once every graph is added."""
    out = np.zeros((len(MEASURED), 4), dtype=np.int64)
    for row, layer in enumerate(LAYERS):
        out[row, :3] = (len(x.spans[layer]), len(y.spans[layer]), exact_matches(x.counters[layer], y.counters[layer]))
        batch.add((key, row), overlap_graph(x.arrays[layer], y.arrays[layer]))
    out[-1, :3] = (x.attributions.count, y.attributions.count, exact_matches(x.attributions.triples, y.attributions.triples))
    batch.add((key, len(LAYERS)), attribution_graph(x.attributions, y.attributions))
    return out


def _prepare_documents(documents: Iterable[DocumentAnnotations], pairs_with: str | None = None) -> list[_Doc]:
    """Prepare every document annotated by two annotators or more (with ``pairs_with``: by
    that annotator and at least one other; pairs are then (pairs_with, other) only)."""
    out = []
    batch = MatchingBatch()
    for doc in documents:
        who = sorted(doc.annotations)
        if len(who) < 2 or (pairs_with is not None and pairs_with not in who):
            continue
        doc.check()
        starts, ends = token_offsets(doc.text)
        sides = {w: _prepare(doc.annotations[w], starts, ends) for w in who}
        if pairs_with is None:
            pairs = list(combinations(who, 2))
        else:
            pairs = [(pairs_with, w) for w in who if w != pairs_with]
        index = len(out)
        out.append(_Doc(doc, who, sides, {p: _pair_counts(sides[p[0]], sides[p[1]], (index, p), batch) for p in pairs}))
    for ((index, pair), row), matched in batch.solve().items():
        out[index].counts[pair][row, 3] = matched
    return out


def _layer_f1(counts: np.ndarray) -> dict:
    """{layer: {"f1_exact", "f1_overlap"}} from summed MEASURED x (a, b, exact, overlap)."""
    return {layer: {"f1_exact": f1(int(c[2]), int(c[0] + c[1])), "f1_overlap": f1(int(c[3]), int(c[0] + c[1]))}
            for layer, c in zip(MEASURED, counts)}


def _pair_layers(counts: np.ndarray) -> dict:
    out = _layer_f1(counts)
    for layer, c in zip(MEASURED, counts):
        a, b, exact, overlap = (int(v) for v in c)
        out[layer].update(a=a, b=b, both_exact=exact, both_overlap=overlap, only_a=a - overlap, only_b=b - overlap)
    return out


def _alphas(docs: Sequence[_Doc], who_of=lambda d: d.who) -> tuple[float | None, dict]:
    """Overall token alpha and alpha per layer over ``docs`` (annotators of each: ``who_of``)."""
    overall, per_layer = [], [[] for _ in LAYERS]
    for d in docs:
        sides = [d.sides[w] for w in who_of(d)]
        overall.append(value_counts(np.stack([s.labels for s in sides]), N_LABELS))
        inside = np.stack([s.coverage for s in sides]).sum(axis=0)  # layers x tokens: annotators covering
        for row in range(len(LAYERS)):
            per_layer[row].append(np.stack([len(sides) - inside[row], inside[row]], axis=1))
    whole = alpha_nominal(np.concatenate(overall)) if overall else None
    return whole, {layer: (alpha_nominal(np.concatenate(v)) if v else None) for layer, v in zip(LAYERS, per_layer)}


def _layers(counts: np.ndarray, alphas: dict) -> dict:
    out = _layer_f1(counts)
    for layer in LAYERS:
        out[layer]["alpha"] = alphas[layer]
    return out


def _pairs(docs: Sequence[_Doc]) -> list[dict]:
    by_pair: dict[tuple[str, str], list[_Doc]] = {}
    for d in docs:
        for pair in d.counts:
            by_pair.setdefault(pair, []).append(d)
    out = []
    for (x, y), shared in sorted(by_pair.items()):
        la = np.concatenate([d.sides[x].labels for d in shared])
        lb = np.concatenate([d.sides[y].labels for d in shared])
        out.append({
            "annotators": [x, y], "documents": len(shared), "tokens": int(len(la)),
            "kappa": cohen_kappa(la, lb, N_LABELS),
            "layers": _pair_layers(sum(d.counts[(x, y)] for d in shared)),
        })
    return out


def _per_document(d: _Doc) -> dict:
    alpha, layer_alphas = _alphas([d])
    return {"document": d.doc.key, "title": d.doc.title, "annotators": d.who,
            "tokens": int(len(d.sides[d.who[0]].labels)), "alpha": alpha,
            "layers": _layers(sum(d.counts.values()), layer_alphas)}


def agreement(documents: Iterable[DocumentAnnotations]) -> dict:
    """The agreement report (shape in the module docstring) over the documents that at
    least two annotators annotated. Raises InputError (naming the document and annotator)
    for a fragment outside its document's text."""
    docs = _prepare_documents(documents)
    alpha, layer_alphas = _alphas(docs)
    total = sum((c for d in docs for c in d.counts.values()), np.zeros((len(MEASURED), 4), dtype=np.int64))
    return {
        "documents": len(docs),
        "annotators": sorted({w for d in docs for w in d.who}),
        "alpha": alpha,
        "layers": _layers(total, layer_alphas),
        "pairs": _pairs(docs),
        "per_document": [_per_document(d) for d in docs],
    }


def single_annotator_documents(documents: Iterable[DocumentAnnotations]) -> list[DocumentAnnotations]:
    """The documents :func:`agreement` leaves out: annotated by fewer than two annotators."""
    return [d for d in documents if len(d.annotations) < 2]
