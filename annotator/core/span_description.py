"""The one-line description of a span that tooltips and the status line show.

Pure Python (no Qt, no store): names come from a function the caller gives."""
from __future__ import annotations

from typing import Callable

from annotator.core.model import Span
from annotator.core.schema import Schema


def describe_span(span: Span, text: str, schema: Schema, name_of: Callable[[int], str], width: int = 60) -> str:
    """One line about a span for tooltips and status lines: label, text (cut at ``width``
    code points), speaker and attributes, e.g. ``Claim: “useful,” — said by Lavrov, direct``."""
    surface = " ".join(span.text(text).split())
    surface = surface if len(surface) <= width else surface[: width - 1] + "…"
    title = schema.label(span.label).title if span.label in schema.label_names else span.label
    extra = []
    if span.entity_id is not None:
        extra.append(f"speaker {name_of(span.entity_id)}")
    if span.speaker_id is not None:
        extra.append(f"said by {name_of(span.speaker_id)}")
    extra += [v for v in (span.form, span.polarity, span.intensity) if v]
    if span.target:
        extra.append(f"about {span.target}")
    return f"{title}: “{surface}”" + (f" — {', '.join(extra)}" if extra else "")
