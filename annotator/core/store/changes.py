"""What an edit changed, in the model's terms: the unit of undo and of view updates.

Every edit of the store returns a :class:`Change`: the spans, entities, relations and
documents it added, changed (before, after) and removed, as model objects
(:class:`~annotator.core.model.Span`...), and the labels it added to the project.
``change.inverted()`` undoes it and ``Store.apply(change.inverted())`` writes that undo,
after checking, inside the same write transaction, that every object is still as the
change left it (:class:`~annotator.core.errors.ChangedElsewhereError` otherwise).
Applying ``change`` again redoes it (objects come back with the same ids). Views read
``change.spans.added`` and the like to decide what to redraw (after Anki's "operations
return what changed").

A document changed by an edit (title, status...) is carried without its text
(``Document.text == ""``): texts never change, and the undo history stays small.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from typing import Generic, Iterator, TypeVar, Union

from annotator.core.model import Document, Entity, Relation, Span
from annotator.core.schema import LabelDef

Item = Union[Span, Entity, Relation, Document]
T = TypeVar("T", Span, Entity, Relation, Document)

KIND_OF = {Span: "spans", Entity: "entities", Relation: "relations", Document: "documents"}


@dataclass(frozen=True)
class ItemChange:
    """One span, entity, relation or document going from ``before`` to ``after`` (None
    means it does not exist on that side)."""

    before: Item | None
    after: Item | None

    @property
    def kind(self) -> str:
        """"spans", "entities", "relations" or "documents"."""
        return KIND_OF[type(self.before if self.before is not None else self.after)]

    @property
    def id(self) -> int:
        return (self.before if self.before is not None else self.after).id

    def inverted(self) -> "ItemChange":
        return ItemChange(self.after, self.before)


@dataclass(frozen=True)
class Delta(Generic[T]):
    """The net change of one kind of object in a Change: each object once, with its first
    ``before`` and its last ``after`` (an object added then removed in one edit is absent)."""

    added: tuple = ()
    changed: tuple = ()  # (before, after) pairs
    removed: tuple = ()

    def __bool__(self) -> bool:
        return bool(self.added or self.changed or self.removed)

    def pairs(self) -> Iterator[tuple]:
        """Every object as ``(before, after)``, None on the side where it does not exist."""
        for item in self.added:
            yield None, item
        yield from self.changed
        for item in self.removed:
            yield item, None

    def touched(self) -> Iterator:
        """Every before and after state (to find the ranges to redraw)."""
        for before, after in self.pairs():
            if before is not None:
                yield before
            if after is not None:
                yield after

    def ids(self) -> set[int]:
        return {item.id for item in self.touched()}

    @property
    def new_id(self) -> int | None:
        """The id of the first object added (the mention of ``mark_speaker``...), or None."""
        return self.added[0].id if self.added else None


@dataclass(frozen=True)
class LabelsChange:
    """The project's labels beyond its schema (brought by imports) before and after."""

    before: tuple[LabelDef, ...]
    after: tuple[LabelDef, ...]

    def inverted(self) -> "LabelsChange":
        return LabelsChange(self.after, self.before)


@dataclass(frozen=True)
class ImportedDocuments:
    """The documents an import created, journalled by id instead of row by row (an import of
    50,000 documents would otherwise keep every row in memory for undo).

    ``ids``: the documents' ids; ``fingerprint``: for the documents, their spans and their
    relations, ``(count, sum of ids, latest modified, sum of the modified times' seconds and
    microseconds)``, read when the import ended; an undo refuses (ChangedElsewhereError)
    when it differs, since every later edit of such a row stamps its ``modified``.
    ``removes``: True on the inverted side (undo removes them). ``saved``: a holder shared
    by both sides, where an undo keeps the removed rows for a redo when they are few
    (:data:`~annotator.core.store.journal.REDO_ROWS`); a larger import cannot be redone."""

    ids: tuple[int, ...]
    fingerprint: tuple = ()
    removes: bool = False
    saved: dict = field(default_factory=dict, compare=False, repr=False)

    def inverted(self) -> "ImportedDocuments":
        return replace(self, removes=not self.removes)


@dataclass(frozen=True)
class Change:
    """A whole edit: a description for the Edit menu ("Add claim"), its objects in the
    order they were written, the extra labels it added (None if none), and the documents
    an import created (:class:`ImportedDocuments`, None if none; they are not among
    ``items``, the documents Delta lists them without their fields: ``Document(id, "", "")``)."""

    description: str
    items: tuple[ItemChange, ...]
    labels: LabelsChange | None = None
    imported: ImportedDocuments | None = None
    _deltas: dict = field(default_factory=dict, init=False, repr=False, compare=False, hash=False)

    def inverted(self) -> "Change":
        return Change(self.description, tuple(i.inverted() for i in reversed(self.items)),
                      self.labels.inverted() if self.labels is not None else None,
                      self.imported.inverted() if self.imported is not None else None)

    def __bool__(self) -> bool:
        return bool(self.items) or self.labels is not None or bool(self.imported and self.imported.ids)

    @property
    def imported_documents(self) -> int:
        """How many documents this change imports (negative: removes, an undone import)."""
        if self.imported is None:
            return 0
        return -len(self.imported.ids) if self.imported.removes else len(self.imported.ids)

    def _delta(self, kind: str) -> Delta:
        if kind not in self._deltas:
            first: dict[int, Item | None] = {}
            last: dict[int, Item | None] = {}
            for item in self.items:
                if item.kind == kind:
                    first.setdefault(item.id, item.before)
                    last[item.id] = item.after
            added, changed, removed = [], [], []
            for id, before in first.items():
                after = last[id]
                if before is None and after is not None:
                    added.append(after)
                elif after is None and before is not None:
                    removed.append(before)
                elif before is not None and before != after:
                    changed.append((before, after))
            if kind == "documents" and self.imported is not None:
                stubs = [Document(id, "", "") for id in self.imported.ids]
                (removed if self.imported.removes else added).extend(stubs)
            self._deltas[kind] = Delta(tuple(added), tuple(changed), tuple(removed))
        return self._deltas[kind]

    @property
    def spans(self) -> Delta[Span]:
        return self._delta("spans")

    @property
    def entities(self) -> Delta[Entity]:
        return self._delta("entities")

    @property
    def relations(self) -> Delta[Relation]:
        return self._delta("relations")

    @property
    def documents(self) -> Delta[Document]:
        return self._delta("documents")

    @property
    def labels_added(self) -> list[str]:
        """Names of the labels this change added to the project."""
        if self.labels is None:
            return []
        had = {label.name for label in self.labels.before}
        return [label.name for label in self.labels.after if label.name not in had]

    def document_ids(self) -> set[int]:
        """Ids of documents whose spans or own fields changed."""
        ids = {span.document_id for span in self.spans.touched()}
        ids.update(self.documents.ids())
        return ids

    def created_id(self, kind: str) -> int | None:
        """The id of the first object of ``kind`` ("spans", "entities"...) this change
        created; the same as ``change.spans.new_id``."""
        return self._delta(kind).new_id


# --- rows <-> model objects (used by the SQLite backend) -------------------------------------


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
        uuid=row.get("uuid"),
        status=row.get("status", "accepted"),
        annotator=row.get("annotator", ""),
        created=row.get("created"),
        modified=row.get("modified"),
        origin=row.get("origin"),
        score=row.get("score"),
    )


def span_to_row(span: Span) -> dict:
    return {
        "id": span.id, "document_id": span.document_id, "label": span.label, "start": span.start, "end": span.end,
        "fragments": json.dumps([list(f) for f in span.fragments]), "entity_id": span.entity_id,
        "speaker_id": span.speaker_id, "source_id": span.source_id, "cue_id": span.cue_id, "form": span.form,
        "polarity": span.polarity, "intensity": span.intensity, "target": span.target, "attrs": span.attrs,
        "note": span.note, "uuid": span.uuid, "status": span.status, "annotator": span.annotator,
        "created": span.created, "modified": span.modified, "origin": span.origin, "score": span.score,
    }


def relation_from_row(row: dict) -> Relation:
    return Relation(id=row["id"], document_id=row["document_id"], type=row["type"],
                    from_id=row["from_id"], to_id=row["to_id"], attrs=row["attrs"],
                    uuid=row.get("uuid"), status=row.get("status", "accepted"), annotator=row.get("annotator", ""),
                    created=row.get("created"), modified=row.get("modified"))


def relation_to_row(rel: Relation) -> dict:
    return {"id": rel.id, "document_id": rel.document_id, "type": rel.type, "from_id": rel.from_id,
            "to_id": rel.to_id, "attrs": rel.attrs, "uuid": rel.uuid, "status": rel.status,
            "annotator": rel.annotator, "created": rel.created, "modified": rel.modified}


def entity_from_row(row: dict) -> Entity:
    return Entity(
        id=row["id"],
        name=row["name"],
        type=row["type"],
        aliases=tuple(json.loads(row["aliases"] or "[]")),
        qid=row["qid"],
        notes=row["notes"] or "",
        uuid=row.get("uuid"),
        status=row.get("status", "accepted"),
        annotator=row.get("annotator", ""),
        created=row.get("created"),
        modified=row.get("modified"),
    )


def entity_to_row(entity: Entity) -> dict:
    return {"id": entity.id, "name": entity.name, "type": entity.type, "aliases": json.dumps(list(entity.aliases)),
            "qid": entity.qid, "notes": entity.notes, "uuid": entity.uuid, "status": entity.status,
            "annotator": entity.annotator, "created": entity.created, "modified": entity.modified}


def document_from_row(row: dict) -> Document:
    return Document(
        id=row["id"],
        title=row["title"],
        text=row.get("text", ""),
        source=row["source"] or "",
        status=row["status"],
        polarity=row["polarity"],
        sha256=row["sha256"],
        created=row.get("created"),
        modified=row.get("modified"),
        status_annotator=row.get("status_annotator"),
        status_modified=row.get("status_modified"),
    )


def document_to_row(doc: Document, with_text: bool = True) -> dict:
    row = {"id": doc.id, "title": doc.title, "source": doc.source, "status": doc.status, "polarity": doc.polarity,
           "sha256": doc.sha256, "created": doc.created, "modified": doc.modified,
           "status_annotator": doc.status_annotator, "status_modified": doc.status_modified}
    if with_text:
        row["text"] = doc.text
    return row


FROM_ROW = {"spans": span_from_row, "entities": entity_from_row, "relations": relation_from_row,
            "documents": document_from_row}
TO_ROW = {"spans": span_to_row, "entities": entity_to_row, "relations": relation_to_row,
          "documents": document_to_row}
