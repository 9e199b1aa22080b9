"""The tokens of the token-wise agreement and their labels.

A token is a match of the regular expression ``\\w+|[^\\w\\s]`` (Python ``re``, Unicode): a
run of word characters, or one character that is neither a word character nor whitespace.
This is the unit the issue fixes for Krippendorff's alpha and Cohen's kappa; it is not the
tokenisation of the CoNLL and spaCy exports (:mod:`annotator.core.tokenize`), which keeps
abbreviations and numbers together: agreement wants a simple unit that every annotator tool
can reproduce. Tokens are ``(start, end)`` code-point ranges, half-open.

A token is *in a layer* when a span of that layer covers at least one of its characters. Its
label is the first layer it is in, in the order speaker, cue, claim (a speaker mention inside
a claim labels its tokens "speaker"), else "none".
"""
from __future__ import annotations

import re

import numpy as np

from annotator.core.agreement.data import LAYERS, Annotation

TOKEN_RE = re.compile(r"\w+|[^\w\s]")
NONE = 0  # label values: 0 none, 1 speaker, 2 cue, 3 claim (index in LAYERS + 1)
LABELS = ("none",) + LAYERS


def token_offsets(text: str) -> tuple[np.ndarray, np.ndarray]:
    """The tokens of ``text`` as two int64 arrays, starts and ends (code points)."""
    spans = [m.span() for m in TOKEN_RE.finditer(text)]
    if not spans:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    both = np.asarray(spans, dtype=np.int64)
    return both[:, 0], both[:, 1]


def layer_coverage(starts: np.ndarray, ends: np.ndarray, annotation: Annotation) -> np.ndarray:
    """Boolean array (len(LAYERS) x tokens): True where a span of the layer covers at least
    one character of the token. ``starts`` / ``ends`` are sorted token offsets."""
    covered = np.zeros((len(LAYERS), len(starts)), dtype=bool)
    for row, layer in enumerate(LAYERS):
        frags = [f for fragments in annotation.layer(layer) for f in fragments]
        if not frags or not len(starts):
            continue
        a, b = np.asarray(frags, dtype=np.int64).T
        first = np.searchsorted(ends, a, side="right")  # the first token ending after a
        last = np.searchsorted(starts, b, side="left")  # one past the last token starting before b
        depth = np.zeros(len(starts) + 1, dtype=np.int64)
        np.add.at(depth, first, 1)
        np.add.at(depth, last, -1)
        covered[row] = np.cumsum(depth[:-1]) > 0
    return covered


def token_labels(covered: np.ndarray) -> np.ndarray:
    """The label of each token (int8, see ``LABELS``) from :func:`layer_coverage`: the first
    layer covering it (speaker before cue before claim), else 0 (none)."""
    labels = np.zeros(covered.shape[1], dtype=np.int8)
    for row in range(len(LAYERS) - 1, -1, -1):  # the first layer wins: write it last
        labels[covered[row]] = row + 1
    return labels
