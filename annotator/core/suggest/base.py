"""What every suggester returns and the interface a suggester (or a plug-in) implements.

Offsets are Python code points into the document text, half-open ``[start, end)``, as
everywhere in Annotator. A :class:`Suggestion` is one proposed attribution: a claim (PARC 3.0
content) with its cue and its source mention, and the speaker entity's name; any of the three
spans may be absent (a string match proposes a mention alone). Each proposed span says where
it came from (``origin``: ``rule:direct-quote``, ``string-match``, ``model:crf@1``...) and,
where one exists, a ``score`` in ``[0, 1]``.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Protocol, Sequence, runtime_checkable

Fragment = tuple[int, int]

SPEAKER, CUE, CLAIM = "speaker", "cue", "claim"
DIRECT, INDIRECT, MIXED = "direct", "indirect", "mixed"


@dataclass(frozen=True)
class SpanSuggestion:
    """One proposed span: ``label`` (speaker / cue / claim), sorted non-overlapping
    ``fragments``, ``origin`` and ``score``; ``attrs`` holds claim attributes
    (``form``, ``polarity``, ``intensity``) as a sorted tuple of pairs."""

    label: str
    fragments: tuple[Fragment, ...]
    origin: str
    score: float = 0.5
    attrs: tuple[tuple[str, str], ...] = ()

    @property
    def start(self) -> int:
        return self.fragments[0][0]

    @property
    def end(self) -> int:
        return self.fragments[-1][1]

    def attr(self, name: str) -> str | None:
        return dict(self.attrs).get(name)

    def with_attrs(self, **values: str | None) -> "SpanSuggestion":
        merged = dict(self.attrs)
        merged.update({k: v for k, v in values.items() if v is not None})
        return replace(self, attrs=tuple(sorted(merged.items())))

    def text(self, text: str, joiner: str = " … ") -> str:
        return joiner.join(text[a:b] for a, b in self.fragments)


@dataclass(frozen=True)
class Suggestion:
    """One proposed attribution: ``claim`` linked to its ``source`` mention and ``cue``,
    said by the entity named ``speaker`` (``entity_id`` when it is a known entity of the
    project registry, else None: a new entity of that name)."""

    claim: SpanSuggestion | None = None
    cue: SpanSuggestion | None = None
    source: SpanSuggestion | None = None
    speaker: str | None = None
    entity_id: int | None = None

    def spans(self) -> list[SpanSuggestion]:
        return [s for s in (self.source, self.cue, self.claim) if s is not None]


@dataclass(frozen=True)
class KnownEntity:
    """An entity of the project registry as suggesters see it: id, name and aliases."""

    id: int
    name: str
    aliases: tuple[str, ...] = ()

    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


@runtime_checkable
class Suggester(Protocol):
    """A source of suggestions. ``name`` and ``version`` make the ``origin`` of what it
    proposes (``f"{kind}:{name}@{version}"``); ``suggest`` must not change ``text`` or
    ``known_entities`` and returns suggestions in any order (the caller sorts and
    removes overlaps)."""

    name: str
    version: str

    def suggest(self, text: str, known_entities: Sequence[KnownEntity] = ()) -> list[Suggestion]:
        ...

