"""Exporting one annotator's layer (issue 11: ``annotator export --annotator NAME``).

A service: it narrows the :class:`~annotator.formats.registry.ExportItem` list that every
writer takes, so no format changes. Pure Python (never imports Qt).
"""
from __future__ import annotations

from dataclasses import replace
from typing import Iterable

from annotator.core.layers import layer_spans
from annotator.formats.registry import ExportItem


def layer_items(items: Iterable[ExportItem], layer: str) -> list[ExportItem]:
    """``items`` with only ``layer``'s annotations: the spans made by annotator ``layer``,
    the entities those spans refer to (speaker mentions, claims' speakers) and the relations
    made by ``layer`` between two of those spans. A claim's ``source_id`` / ``cue_id`` naming
    a span of another layer is cleared (an export never points outside itself). Every
    document is kept, with no spans when ``layer`` did not annotate it."""
    out = []
    for item in items:
        spans = layer_spans(item.spans, layer)
        ids = {s.id for s in spans}
        spans = [s if (s.source_id in ids or s.source_id is None) and (s.cue_id in ids or s.cue_id is None)
                 else replace(s, source_id=s.source_id if s.source_id in ids else None,
                              cue_id=s.cue_id if s.cue_id in ids else None) for s in spans]
        used = {s.entity_id for s in spans} | {s.speaker_id for s in spans}
        relations = [r for r in item.relations if r.annotator == layer and r.from_id in ids and r.to_id in ids]
        out.append(replace(item, spans=spans, entities=[e for e in item.entities if e.id in used], relations=relations))
    return out


ALL_LAYERS = "all"  # ``export --annotator all``: every layer, even when a gold layer exists


def export_layer(store, requested: str | None) -> str | None:
    """The layer an export takes: ``requested`` (an annotator's name) when given, every
    layer for :data:`ALL_LAYERS` (None is returned), else the gold layer when the project
    has one (``store.has_layer``), else every layer (None). An annotator literally named
    "all" cannot be exported alone. ``store``: a :class:`~annotator.core.store.Store`."""
    from annotator.core.layers import GOLD

    if requested == ALL_LAYERS:
        return None
    if requested is not None:
        return requested
    return GOLD if store.has_layer(GOLD) else None
