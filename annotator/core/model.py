"""The annotation model: documents, entities, spans; plain data, no storage, no Qt.

Offsets are Python code-point offsets into the stored document text, half-open
``[start, end)``. A span has one or more *fragments* (a discontinuous claim, such as a quote
broken by "he said", is one span with two fragments); its ``start`` / ``end`` are the start
of its first and the end of its last fragment.

Terms: a speaker span is a *mention* of a speaker *entity* (PARC 3.0 source); a cue span is
the PARC 3.0 cue; a claim span is the PARC 3.0 content, linked to its speaker entity and
optionally to its source mention and cue (the attribution *relation*), with MPQA
polarity / intensity / target.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from typing import Sequence

from annotator.core.errors import InputError
from annotator.core.offsets import is_grapheme_boundary

Fragment = tuple[int, int]

SPEAKER, CUE, CLAIM = "speaker", "cue", "claim"
CLAIM_ATTRIBUTES = ("form", "polarity", "intensity", "target")

# The state of a span, entity or relation: made or confirmed by a person (``accepted``), proposed
# by a suggester and waiting for a person's decision (``suggested``), or turned down (``rejected``).
ACCEPTED, SUGGESTED, REJECTED = "accepted", "suggested", "rejected"
STATUSES = (ACCEPTED, SUGGESTED, REJECTED)


@dataclass(frozen=True)
class Entity:
    """A speaker entity of the project-wide registry (a coreference chain's referent)."""

    id: int
    name: str
    type: str = "person"
    aliases: tuple[str, ...] = ()
    qid: str | None = None
    notes: str = ""
    uuid: str | None = None
    status: str = ACCEPTED
    annotator: str = ""
    created: str | None = None
    modified: str | None = None


@dataclass(frozen=True)
class Span:
    """One annotation of a document. ``fragments`` is a sorted tuple of non-overlapping
    ``(start, end)`` code-point ranges. Only speakers use ``entity_id``; only claims use
    ``speaker_id`` (an entity), ``source_id`` (a speaker span), ``cue_id`` (a cue span) and
    the claim attributes.

    Authorship and state (every span, entity and relation): ``uuid`` a uuid4 string that
    stays the same through export and import; ``status`` one of :data:`STATUSES`;
    ``annotator`` who made it ('' = unknown, before annotator names); ``created`` /
    ``modified`` ISO 8601 UTC times (``2026-12-08T01:30:00.123456Z``; None for rows made
    before times were kept). Spans only: ``origin`` where a suggestion came from
    (``rule:direct-quote``, ``string-match``, ``model:crf@3``; None for hand-made spans)
    and ``score`` the suggester's confidence (None if none)."""

    id: int
    document_id: int
    label: str
    fragments: tuple[Fragment, ...]
    entity_id: int | None = None
    speaker_id: int | None = None
    source_id: int | None = None
    cue_id: int | None = None
    form: str | None = None
    polarity: str | None = None
    intensity: str | None = None
    target: str | None = None
    attrs: str = "{}"  # other attributes (from peer formats) as canonical JSON; see ``attributes``
    note: str | None = None
    uuid: str | None = None
    status: str = ACCEPTED
    annotator: str = ""
    created: str | None = None
    modified: str | None = None
    origin: str | None = None
    score: float | None = None

    @property
    def attributes(self) -> dict:
        """Attributes beyond the schema's (brat attributes and normalizations, Label Studio
        choices...): ``{name: value}`` with JSON values."""
        return json.loads(self.attrs)

    @property
    def start(self) -> int:
        return self.fragments[0][0]

    @property
    def end(self) -> int:
        return self.fragments[-1][1]

    def text(self, document_text: str, joiner: str = " … ") -> str:
        """The covered text; fragments joined by ``joiner``."""
        return joiner.join(document_text[a:b] for a, b in self.fragments)

    def covers(self, offset: int) -> bool:
        return any(a <= offset < b for a, b in self.fragments)

    def with_(self, **changes) -> "Span":
        return replace(self, **changes)


@dataclass(frozen=True)
class Relation:
    """A typed, directed link between two spans of one document, beyond the attribution links
    a claim carries itself (brat relations and event arguments, Label Studio relations).
    ``attrs`` is canonical JSON of further attributes."""

    id: int
    document_id: int
    type: str
    from_id: int
    to_id: int
    attrs: str = "{}"
    uuid: str | None = None
    status: str = ACCEPTED
    annotator: str = ""
    created: str | None = None
    modified: str | None = None

    @property
    def attributes(self) -> dict:
        return json.loads(self.attrs)


@dataclass(frozen=True)
class Document:
    """A stored article. ``text`` is exactly what the view shows and every export carries.
    ``created`` / ``modified`` are ISO 8601 UTC times; ``status_annotator`` and
    ``status_modified`` say who set ``status`` and when (None: never set by a person)."""

    id: int
    title: str
    text: str
    source: str = ""
    status: str = "new"
    polarity: str | None = None
    sha256: str = ""
    created: str | None = None
    modified: str | None = None
    status_annotator: str | None = None
    status_modified: str | None = None


@dataclass(frozen=True)
class DocumentInfo:
    """A document's row in lists: no text, with its number of spans."""

    id: int
    title: str
    status: str
    polarity: str | None
    span_count: int
    length: int


def check_fragments(fragments: Sequence[Sequence[int]], text_length: int, what: str = "span") -> tuple[Fragment, ...]:
    """Validate and normalise fragments: each ``[start, end)`` with ``0 <= start < end <= text_length``,
    sorted, not overlapping. Returns them as a tuple of int pairs.

    Raises InputError naming ``what`` for an empty list, a zero-length or reversed fragment,
    one outside the text, a non-integer offset, or overlapping fragments.
    """
    if not fragments:
        raise InputError(f"{what} has no offsets")
    out: list[Fragment] = []
    for frag in fragments:
        try:
            a, b = frag
        except (TypeError, ValueError):
            raise InputError(f"{what}: fragment {frag!r} is not a [start, end] pair") from None
        if not (type(a) is int and type(b) is int):
            raise InputError(f"{what}: offsets {frag!r} are not whole numbers")
        if a == b:
            raise InputError(f"{what}: zero-length span [{a}, {b}) is not allowed")
        if a > b:
            raise InputError(f"{what}: start {a} is after end {b}")
        if a < 0 or b > text_length:
            raise InputError(f"{what}: [{a}, {b}) is outside the text (length {text_length})")
        out.append((a, b))
    out.sort()
    for (a1, b1), (a2, b2) in zip(out, out[1:]):
        if a2 < b1:
            raise InputError(f"{what}: fragments [{a1}, {b1}) and [{a2}, {b2}) overlap")
    return tuple(out)


def check_grapheme_edges(text: str, fragments: Sequence[Fragment], what: str = "span") -> None:
    """Raise InputError when a fragment starts or ends inside a grapheme cluster (between an
    emoji and its skin tone or joiner, between a letter and its combining accent: case B02),
    where no view can show a boundary. ``fragments`` are valid code-point ranges of ``text``."""
    for a, b in fragments:
        for edge in (a, b):
            if not is_grapheme_boundary(text, edge):
                raise InputError(f"{what}: [{a}, {b}) cuts a character in two at {edge} (inside an emoji "
                                 "sequence or between a letter and its accent)")


# --- Documents to import: file-local keys instead of project ids -----------------------------


@dataclass
class NewEntity:
    """An entity read from a file; ``key`` is the file's id for it (e.g. "e1")."""

    key: str
    name: str
    type: str = "person"
    aliases: tuple[str, ...] = ()
    qid: str | None = None
    notes: str = ""
    uuid: str | None = None
    status: str = ACCEPTED
    annotator: str | None = None  # None: the import's annotator
    created: str | None = None
    modified: str | None = None


@dataclass
class NewSpan:
    """A span read from a file; ``key``, ``entity``, ``speaker``, ``source`` and ``cue`` are
    the file's ids (entity keys for entity/speaker, span keys for source/cue)."""

    key: str
    label: str
    fragments: tuple[Fragment, ...]
    entity: str | None = None
    speaker: str | None = None
    source: str | None = None
    cue: str | None = None
    form: str | None = None
    polarity: str | None = None
    intensity: str | None = None
    target: str | None = None
    attributes: dict = field(default_factory=dict)
    note: str | None = None
    uuid: str | None = None
    status: str = ACCEPTED
    annotator: str | None = None  # None: the import's annotator
    created: str | None = None
    modified: str | None = None
    origin: str | None = None
    score: float | None = None


@dataclass
class NewRelation:
    """A relation read from a file; ``source`` and ``target`` are span keys of the document."""

    key: str
    type: str
    source: str
    target: str
    attributes: dict = field(default_factory=dict)
    uuid: str | None = None
    status: str = ACCEPTED
    annotator: str | None = None  # None: the import's annotator
    created: str | None = None
    modified: str | None = None


@dataclass
class NewDocument:
    """A document read from a file, ready for ``Store.import_documents``."""

    title: str
    text: str
    source: str = ""
    status: str = "new"
    polarity: str | None = None
    entities: list[NewEntity] = field(default_factory=list)
    spans: list[NewSpan] = field(default_factory=list)
    relations: list[NewRelation] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)  # labels beyond the schema this document uses
    origin: str = ""  # the file (and place in it) the document came from, for messages
    notes: list[str] = field(default_factory=list)  # what the reader could not carry over
    annotator: str = ""  # who made the annotations ('' = the importing store's annotator)
    created: str | None = None  # ISO 8601 UTC times from the file (None: now)
    modified: str | None = None
    status_annotator: str | None = None
    status_modified: str | None = None
