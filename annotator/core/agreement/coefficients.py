"""Chance-corrected agreement coefficients over token labels, and the pooled F1.

* Krippendorff's alpha, nominal: ``alpha = 1 - D_o / D_e``, with the coincidence matrix
  ``o_ck`` built from every unit coded by at least two annotators; for nominal data
  ``alpha = 1 - (n - 1) * sum_{c != k} o_ck / sum_{c != k} n_c * n_k``, ``n_c`` the
  pairable values c and ``n`` all pairable values (Krippendorff 2011, "Computing
  Krippendorff's alpha-reliability", Annenberg School for Communication, University of
  Pennsylvania, section C). Computed by the ``krippendorff`` package (Castro 2017,
  https://github.com/pln-fing-udelar/fast-krippendorff) from per-unit value counts; missing
  values (an annotator who did not annotate a document) are allowed.
* Cohen's kappa for two annotators: ``kappa = (p_o - p_e) / (1 - p_e)``, ``p_o`` the
  proportion of tokens with the same label, ``p_e = sum_k p_A(k) * p_B(k)`` (Cohen 1960, "A
  coefficient of agreement for nominal scales", Educational and Psychological Measurement
  20(1) 37-46). Written here (five lines) rather than pulling in scikit-learn for it.
* F1 of two annotators' spans: ``2 * matched / (|A| + |B|)``, pooled (sums over documents
  and pairs before dividing).

Each returns ``None`` when the value is undefined: alpha and kappa when all values are the
same (no expected disagreement: 0 / 0), F1 when neither side has a span. Alpha and kappa lie
in [-1, 1] (below 0: less agreement than chance); F1 in [0, 1].
"""
from __future__ import annotations

import krippendorff
import numpy as np


def alpha_nominal(value_counts: np.ndarray) -> float | None:
    """Krippendorff's alpha (nominal) from ``value_counts`` (units x values: how many
    annotators gave each value to each unit). ``None`` when no unit has two values, or when
    every pairable value is the same."""
    if value_counts.size == 0:
        return None
    pairable = value_counts[value_counts.sum(axis=1) >= 2]
    if len(pairable) == 0 or np.count_nonzero(pairable.sum(axis=0)) < 2:
        return None
    return float(krippendorff.alpha(value_counts=pairable, level_of_measurement="nominal"))


def value_counts(labels: np.ndarray, n_values: int) -> np.ndarray:
    """Units x values counts from ``labels`` (annotators x units, ints in [0, n_values))."""
    return np.stack([(labels == v).sum(axis=0) for v in range(n_values)], axis=1)


def cohen_kappa(a: np.ndarray, b: np.ndarray, n_values: int) -> float | None:
    """Cohen's kappa of two label arrays of the same length (ints in [0, n_values)); ``None``
    for no tokens or when p_e = 1 (both gave one and the same label everywhere)."""
    n = len(a)
    if n == 0:
        return None
    p_o = float(np.count_nonzero(a == b)) / n
    p_e = float(np.dot(np.bincount(a, minlength=n_values), np.bincount(b, minlength=n_values))) / (n * n)
    if p_e >= 1.0:
        return None
    return (p_o - p_e) / (1.0 - p_e)


def f1(matched: int, total: int) -> float | None:
    """``2 * matched / total``, ``total`` = |A| + |B| summed; ``None`` when total is 0."""
    return 2.0 * matched / total if total else None
