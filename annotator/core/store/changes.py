"""What an edit changed, row by row: the unit of undo and of view updates.

Every edit of the store returns a :class:`Change`; applying ``change.inverted()`` undoes it,
applying ``change`` again redoes it (rows come back with the same ids). Views read the rows
to decide what to redraw (after Anki's "operations return what changed").
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Iterator

from annotator.core.model import Document, Entity, Relation, Span


@dataclass(frozen=True)
class RowChange:
    """One row of ``table`` (documents, entities or spans) going from ``before`` to ``after``
    (full rows as stored; ``None`` means the row does not exist on that side)."""

    table: str
    id: int
    before: dict | None
    after: dict | None

    def inverted(self) -> "RowChange":
        return RowChange(self.table, self.id, self.after, self.before)


@dataclass(frozen=True)
class Change:
    """A whole edit: a description for the Edit menu ("Add claim") and its rows, in the
    order they were written."""

    description: str
    rows: tuple[RowChange, ...]

    def inverted(self) -> "Change":
        return Change(self.description, tuple(r.inverted() for r in reversed(self.rows)))

    def __bool__(self) -> bool:
        return bool(self.rows)

    def of(self, table: str) -> Iterator[RowChange]:
        return (r for r in self.rows if r.table == table)

    @property
    def touches_relations(self) -> bool:
        return any(True for _ in self.of("relations"))

    def span_rows(self) -> Iterator[dict]:
        """Every before and after state of the spans touched (to find ranges to redraw)."""
        for r in self.of("spans"):
            for row in (r.before, r.after):
                if row is not None:
                    yield row

    def document_ids(self) -> set[int]:
        """Ids of documents whose spans or own fields changed."""
        ids = {row["document_id"] for row in self.span_rows()}
        ids.update(r.id for r in self.of("documents"))
        return ids

    @property
    def touches_entities(self) -> bool:
        return any(True for _ in self.of("entities"))

    def created_id(self, table: str) -> int | None:
        """The id of the first row this change created in ``table``."""
        for r in self.of(table):
            if r.before is None and r.after is not None:
                return r.id
        return None


def span_from_row(row: dict) -> Span:
    """A Span from a ``spans`` row (fragments stored as JSON ``[[start, end], ...]``)."""
    return Span(
        id=row["id"],
        document_id=row["document_id"],
        label=row["label"],
        fragments=tuple((a, b) for a, b in json.loads(row["fragments"])),
        entity_id=row["entity_id"],
        speaker_id=row["speaker_id"],
        source_id=row["source_id"],
        cue_id=row["cue_id"],
        form=row["form"],
        polarity=row["polarity"],
        intensity=row["intensity"],
        target=row["target"],
        attrs=row.get("attrs", "{}"),
        note=row.get("note"),
    )


def relation_from_row(row: dict) -> Relation:
    return Relation(id=row["id"], document_id=row["document_id"], type=row["type"],
                    from_id=row["from_id"], to_id=row["to_id"], attrs=row["attrs"])


def entity_from_row(row: dict) -> Entity:
    return Entity(
        id=row["id"],
        name=row["name"],
        type=row["type"],
        aliases=tuple(json.loads(row["aliases"] or "[]")),
        qid=row["qid"],
        notes=row["notes"] or "",
    )


def document_from_row(row: dict) -> Document:
    return Document(
        id=row["id"],
        title=row["title"],
        text=row["text"],
        source=row["source"] or "",
        status=row["status"],
        polarity=row["polarity"],
        sha256=row["sha256"],
    )
