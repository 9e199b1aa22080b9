"""Annotators' layers of a document, Qt-free: which spans the view shows for one layer.

A layer is the set of spans made by one annotator (``Span.annotator``); the gold layer is
the annotator named :data:`GOLD` (what adjudication accepts). ``None`` stands for every
layer at once (the view as it was before annotator names).
"""
from __future__ import annotations

from typing import Iterable

from annotator.core.model import Span

GOLD = "gold"  # the annotator name of the gold (adjudicated) layer


def in_layer(span: Span, layer: str | None) -> bool:
    """True when ``span`` belongs to ``layer`` (None: every layer)."""
    return layer is None or span.annotator == layer


def layer_spans(spans: Iterable[Span], layer: str | None) -> list[Span]:
    """The spans of ``spans`` in ``layer`` (None: all of them), in their order."""
    return [s for s in spans if in_layer(s, layer)]


def layer_names(spans: Iterable[Span], *also: str) -> list[str]:
    """The annotators of ``spans`` plus ``also`` (blank names dropped), sorted by name
    (case-insensitive) with :data:`GOLD` last. '' (spans made before annotator names) is
    listed as '' only when such spans exist."""
    names = {s.annotator for s in spans} | {a for a in also if a}
    return sorted(names - {GOLD}, key=lambda n: (n.casefold(), n)) + ([GOLD] if GOLD in names else [])
