"""A suggester over a spaCy pipeline that the user has installed (none is downloaded).

The pipeline must put spans labelled ``speaker``, ``cue`` and ``claim`` (or the PARC names
``source``, ``cue``, ``content``; case ignored) in ``doc.spans[spans_key]`` (a trained
``spancat``) or in ``doc.ents`` (a trained ``ner``). Spans are linked by
:func:`annotator.core.suggest.learned.link` (nearest cue, nearest source). spaCy's character
offsets are code points, like ours.
"""
from __future__ import annotations

from typing import Sequence

from annotator.core.suggest.base import KnownEntity, Suggestion

_TAGS = {"speaker": "S", "source": "S", "cue": "Q", "claim": "C", "content": "C"}


class SpacySuggester:
    """Suggestions from ``nlp`` (a loaded ``spacy.Language``; ``spacy.load(name)`` of an
    installed package or folder). ``name`` defaults to the pipeline's name."""

    version = "1"

    def __init__(self, nlp, spans_key: str = "sc", name: str | None = None) -> None:
        self.nlp = nlp
        self.spans_key = spans_key
        self.name = name or f"spacy-{nlp.meta.get('name', 'pipeline')}"
        self.version = str(nlp.meta.get("version", "1"))

    def suggest(self, text: str, known_entities: Sequence[KnownEntity] = ()) -> list[Suggestion]:
        from annotator.core.suggest.learned import link
        from annotator.core.suggest.text import Analysis

        doc = self.nlp(text)
        found = list(doc.spans.get(self.spans_key, [])) if self.spans_key in doc.spans else []
        found += list(doc.ents)
        spans = []
        for span in found:
            tag = _TAGS.get(span.label_.lower())
            if tag is not None:
                score = 0.5
                spans.append((tag, span.start_char, span.end_char, score))
        return link(Analysis.of(text), spans, f"model:{self.name}@{self.version}", known_entities)
