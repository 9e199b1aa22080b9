"""Each annotator scored against a gold layer, and the hardest documents.

The gold is one more annotator name (the adjudicated layer, or a reference annotation);
every other annotator is compared with it by the same measures as in :mod:`.compute`
(pair = (gold, annotator)), which adds precision and recall since one side is the
reference: ``precision = matched / |annotator's spans|``, ``recall = matched / |gold spans|``.

:func:`score_against_gold` returns::

    {"gold": name, "documents": N,
     "annotators": [{"annotator", "documents", "tokens", "kappa",
                     "layers": {layer: {"f1_exact", "f1_overlap", "precision_exact",
                                        "recall_exact", "precision_overlap",
                                        "recall_overlap", "a", "b", "both_exact", ...}}}],
     "per_document": [{"document", "title", "annotators", "tokens", "kappa",
                       "layers": {layer: {"f1_exact", "f1_overlap"}}}],
     "hardest": [the per_document entries of the hardest documents]}

``kappa`` of a document is the mean of the annotators' Cohen's kappa against the gold on its
tokens (``None`` when undefined for all).
"""
from __future__ import annotations

from typing import Iterable

import numpy as np

from annotator.core.agreement.coefficients import cohen_kappa
from annotator.core.agreement.compute import MEASURED, N_LABELS, _layer_f1, _pairs, _prepare_documents
from annotator.core.agreement.data import DocumentAnnotations


def _ratio(matched: int, total: int) -> float | None:
    return matched / total if total else None


def _with_precision(pair: dict) -> dict:
    """A pair entry of :func:`compute._pairs` for (gold, annotator) as an annotator's score."""
    x, y = pair["annotators"]
    layers = pair["layers"]
    for layer in MEASURED:
        c = layers[layer]
        c.update(precision_exact=_ratio(c["both_exact"], c["b"]), recall_exact=_ratio(c["both_exact"], c["a"]),
                 precision_overlap=_ratio(c["both_overlap"], c["b"]), recall_overlap=_ratio(c["both_overlap"], c["a"]))
    return {"annotator": y, **{k: v for k, v in pair.items() if k != "annotators"}}


def hardest_documents(per_document: list[dict], n: int = 10, key: str = "alpha") -> list[dict]:
    """The ``n`` entries of ``per_document`` with the lowest ``key`` ("alpha" for agreement
    between annotators, "kappa" against a gold), then the lowest claim overlap F1; entries
    whose ``key`` is undefined (None) come last."""
    def order(entry):
        value = entry.get(key)
        claim = entry["layers"]["claim"]["f1_overlap"]
        return (value is None, value if value is not None else 0.0, claim if claim is not None else 1.0)
    return sorted(per_document, key=order)[:n]


def score_against_gold(documents: Iterable[DocumentAnnotations], gold: str, hardest: int = 10) -> dict:
    """Every annotator against the annotator ``gold`` on the documents both annotated (shape in
    the module docstring); ``hardest`` documents listed."""
    docs = _prepare_documents(documents, pairs_with=gold)
    per_document = []
    for d in docs:
        kappas = [cohen_kappa(d.sides[gold].labels, d.sides[w].labels, N_LABELS) for w in d.who if w != gold]
        defined = [k for k in kappas if k is not None]
        per_document.append({
            "document": d.doc.key, "title": d.doc.title, "annotators": [w for w in d.who if w != gold],
            "tokens": int(len(d.sides[gold].labels)),
            "kappa": float(np.mean(defined)) if defined else None,
            "layers": _layer_f1(sum(d.counts.values())),
        })
    return {
        "gold": gold,
        "documents": len(docs),
        "annotators": [_with_precision(p) for p in _pairs(docs)],
        "per_document": per_document,
        "hardest": hardest_documents(per_document, hardest, key="kappa"),
    }
