"""The input of the agreement measures: plain data, no store, no Qt.

Offsets are Python code points into the document text, half-open ``[start, end)``, as
everywhere in Annotator. A span is given by its fragments only (a tuple of ``(start, end)``
pairs, sorted, not overlapping); labels, entities and attributes play no part in agreement.

* :class:`Attribution`: one attribution after PARC 3.0 (Pareti 2016), the triple
  (source, cue, content); each part is a span's fragments or ``None`` when it is missing
  (an attribution without an explicit source, for example).
* :class:`Annotation`: what one annotator marked in one document: the spans of each layer
  (``speaker``, ``cue``, ``claim``) and the attributions.
* :class:`DocumentAnnotations`: one document, its text (for the tokens) and the annotation of
  each annotator who annotated it.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping

from annotator.core.errors import InputError
from annotator.core.model import CLAIM, CUE, SPEAKER, Fragment

LAYERS = (SPEAKER, CUE, CLAIM)  # in the order of precedence of the token labels
Fragments = tuple[Fragment, ...]


@dataclass(frozen=True)
class Attribution:
    """(source, cue, content), each a span's fragments or ``None`` when the part is missing."""

    source: Fragments | None = None
    cue: Fragments | None = None
    content: Fragments | None = None

    def parts(self) -> tuple[Fragments | None, Fragments | None, Fragments | None]:
        return (self.source, self.cue, self.content)


@dataclass(frozen=True)
class Annotation:
    """One annotator's annotation of one document. ``spans`` maps a layer name (see
    ``LAYERS``; other names are ignored) to the fragments of each of its spans."""

    spans: Mapping[str, tuple[Fragments, ...]] = field(default_factory=dict)
    attributions: tuple[Attribution, ...] = ()

    def layer(self, name: str) -> tuple[Fragments, ...]:
        return tuple(self.spans.get(name, ()))


@dataclass(frozen=True)
class DocumentAnnotations:
    """One document: ``key`` identifies it in reports (the project's document id, a file
    name), ``title`` is shown with it, ``annotations`` maps an annotator name to what that
    annotator marked. An annotator absent from ``annotations`` did not annotate the document
    (their values are missing, not "none")."""

    key: str | int
    title: str
    text: str
    annotations: Mapping[str, Annotation]

    def check(self) -> None:
        """Raise InputError naming the document and the annotator when a fragment is not a
        ``(start, end)`` pair with ``0 <= start < end <= len(text)``."""
        n = len(self.text)
        for who, ann in self.annotations.items():
            groups = [ann.layer(layer) for layer in LAYERS]
            groups.append(tuple(p for a in ann.attributions for p in a.parts() if p is not None))
            for spans in groups:
                for fragments in spans:
                    for frag in fragments:
                        if len(frag) != 2 or not (0 <= frag[0] < frag[1] <= n):
                            raise InputError(f"document {self.key!r} ({self.title}), annotator {who!r}: fragment "
                                             f"{tuple(frag)!r} is not inside the text (length {n})")
