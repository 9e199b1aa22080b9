"""Edits of spans, relations, entities and documents: each returns one Change."""
from __future__ import annotations

import json
from typing import Iterable

from annotator.core.errors import InputError
from annotator.core.model import (
    ACCEPTED,
    CLAIM,
    CLAIM_ATTRIBUTES,
    SPEAKER,
    STATUSES,
    Span,
    check_fragments,
    check_grapheme_edges,
)
from annotator.core.store.changes import Change

SPAN_FIELDS = ("entity_id", "speaker_id", "source_id", "cue_id") + CLAIM_ATTRIBUTES
ENTITY_FIELDS = ("name", "type", "aliases", "qid", "notes")
DOCUMENT_FIELDS = ("title", "status", "polarity", "source")


class EditingMixin:
    """The edit operations of :class:`~annotator.core.store.Store`; they write only through
    its journal (``_edit``, ``_insert``, ``_update``, ``_delete``)."""

    # --- span edits --------------------------------------------------------------------------

    def add_span(self, doc_id: int, label: str, fragments, *, status: str = ACCEPTED, origin: str | None = None,
                 score: float | None = None, **attrs) -> Change:
        """Add a span; ``fragments`` is ``[(start, end), ...]`` in code points. ``attrs`` are
        entity_id (speakers), speaker_id / source_id / cue_id / form / polarity / intensity /
        target (claims). ``status`` is one of accepted / suggested / rejected, ``origin``
        where a suggestion came from (``rule:direct-quote``...), ``score`` its confidence.
        The span is stamped with the store's annotator and the time. Raises InputError for a
        bad label, range, status or value."""
        text_length = self._text_length(doc_id)
        frags = check_fragments(fragments, text_length, what=f"{label} span")
        check_grapheme_edges(self.document_text(doc_id), frags, what=f"{label} span")
        self.schema.label(label)
        self._check_span_attrs(doc_id, label, attrs)
        _check_status(status)
        if score is not None and (isinstance(score, bool) or not isinstance(score, (int, float))):
            raise InputError(f"score {score!r} is not a number")
        with self._edit(f"Add {label}" if status == ACCEPTED else f"Suggest {label}"):
            self._insert("spans", {
                "document_id": doc_id, "label": label, "start": frags[0][0], "end": frags[-1][1],
                "fragments": json.dumps(frags), **{k: attrs.get(k) for k in SPAN_FIELDS},
                "status": status, "origin": origin, "score": None if score is None else float(score),
            })
        return self._done()

    def set_span_status(self, span_id: int, status: str) -> Change:
        """Accept, suggest again or reject a span (stamped with the store's annotator and the
        time). Raises InputError for an unknown span or status. An unchanged status gives an
        empty Change."""
        span = self._own_or_refuse(self._span_or_fail(span_id))
        _check_status(status)
        verb = {ACCEPTED: "Accept", "rejected": "Reject"}.get(status, "Suggest")
        with self._edit(f"{verb} {span.label}"):
            self._update("spans", span_id, {"status": status})
        return self._done()

    def set_entity_status(self, entity_id: int, status: str) -> Change:
        """Accept, suggest again or reject an entity (a suggested speaker). Raises InputError
        for an unknown entity or status. An unchanged status gives an empty Change."""
        if self._row("entities", entity_id) is None:
            raise InputError(f"no entity {entity_id}")
        _check_status(status)
        with self._edit("Accept speaker" if status == ACCEPTED else "Edit speaker status"):
            self._update("entities", entity_id, {"status": status})
        return self._done()

    def update_span(self, span_id: int, **attrs) -> Change:
        """Change a span's attributes or, with ``fragments=...``, its extent. Raises
        InputError for another annotator's span (see :meth:`_own_or_refuse`)."""
        span = self._own_or_refuse(self._span_or_fail(span_id))
        values = {k: v for k, v in attrs.items() if k in SPAN_FIELDS}
        unknown = set(attrs) - set(SPAN_FIELDS) - {"fragments", "attributes", "note"}
        if unknown:
            raise InputError(f"unknown span fields: {', '.join(sorted(unknown))}")
        if "attributes" in attrs:
            values["attrs"] = canonical_json(attrs["attributes"])
        if "note" in attrs:
            values["note"] = attrs["note"] or None
        self._check_span_attrs(span.document_id, span.label, values)
        if "fragments" in attrs:
            frags = check_fragments(attrs["fragments"], self._text_length(span.document_id), what=f"{span.label} span")
            check_grapheme_edges(self.document_text(span.document_id), frags, what=f"{span.label} span")
            values.update(fragments=json.dumps(frags), start=frags[0][0], end=frags[-1][1])
        with self._edit(f"Edit {span.label}"):
            self._update("spans", span_id, values)
        return self._done()

    def delete_span(self, span_id: int) -> Change:
        """Delete a span; claims that named it as source or cue lose that link (in the same
        Change). Raises InputError for another annotator's span (see :meth:`_own_or_refuse`)."""
        span = self._own_or_refuse(self._span_or_fail(span_id))
        with self._edit(f"Delete {span.label}"):
            self._delete_span_rows([span_id])
        return self._done()

    def _delete_span_rows(self, ids: list[int]) -> None:
        if not ids:
            return
        marks = ",".join("?" for _ in ids)
        for (relation_id,) in self.db.execute(
            f"SELECT id FROM relations WHERE from_id IN ({marks}) OR to_id IN ({marks}) ORDER BY id", ids + ids
        ).fetchall():
            self._delete("relations", relation_id)
        for column in ("source_id", "cue_id"):
            for (claim_id,) in self.db.execute(
                f"SELECT id FROM spans WHERE {column} IN ({marks}) AND id NOT IN ({marks})", ids + ids
            ).fetchall():
                self._update("spans", claim_id, {column: None})
        # claims first: they may point at the cues and mentions deleted with them
        rows = self.db.execute(
            f"SELECT id FROM spans WHERE id IN ({marks}) ORDER BY label = 'claim' DESC, id", ids
        ).fetchall()
        for (span_id,) in rows:
            self._delete("spans", span_id)

    def _check_span_attrs(self, doc_id: int, label: str, attrs: dict) -> None:
        for key in CLAIM_ATTRIBUTES[:-1]:
            if attrs.get(key) is not None:
                if label != CLAIM:
                    raise InputError(f"{key} is only for claims, not {label} spans")
                self.schema.check_value(key, attrs[key])
        if attrs.get("target") is not None and label != CLAIM:
            raise InputError(f"target is only for claims, not {label} spans")
        if attrs.get("entity_id") is not None:
            if label != SPEAKER:
                raise InputError(f"only speaker spans belong to an entity, not {label} spans")
            if self._row("entities", attrs["entity_id"]) is None:
                raise InputError(f"no entity {attrs['entity_id']}")
        for key, want in (("speaker_id", None), ("source_id", SPEAKER), ("cue_id", "cue")):
            ref = attrs.get(key)
            if ref is None:
                continue
            if label != CLAIM:
                raise InputError(f"{key[:-3]} is only for claims")
            if want is None:
                if self._row("entities", ref) is None:
                    raise InputError(f"no entity {ref}")
                continue
            target = self._row("spans", ref)
            if target is None or target["label"] != want or target["document_id"] != doc_id:
                raise InputError(f"{key[:-3]} must be a {want} span of the same document")

    def _own_or_refuse(self, span: Span) -> Span:
        """``span`` when the store's annotator may change it, else InputError (issue 11): an
        accepted span of another named annotator is that annotator's layer; an edit would
        silently move it into ours (the stamp) and change their layer. It is changed in
        their own project, or accepted into the gold layer (adjudication) and edited there.
        Suggestions (accepting one makes it ours), unnamed spans (made before annotator
        names) and a store without an annotator (the command line) are not refused."""
        if self.annotator and span.annotator and span.annotator != self.annotator and span.status == ACCEPTED:
            where = ("accept it into the gold layer (View > Adjudication) and edit it there"
                     if span.annotator != "gold" else "show the gold layer (View > Layer > gold) to edit it")
            raise InputError(f"this {span.label} is in {span.annotator}’s layer, not {self.annotator}’s: "
                             f"{where}, or change it in {span.annotator}’s own project (or, if you are {span.annotator}, "
                             f"Edit > Annotator Name…)")
        return span

    def _span_or_fail(self, span_id: int) -> Span:
        span = self.span(span_id)
        if span is None:
            raise InputError(f"no span {span_id}")
        return span

    def _text_length(self, doc_id: int) -> int:
        return len(self.document_text(doc_id))

    # --- relation edits ---------------------------------------------------------------------

    def add_relation(self, doc_id: int, type: str, from_id: int, to_id: int, attributes: dict | None = None) -> Change:
        """Link two spans of document ``doc_id`` with a relation of ``type``."""
        if not isinstance(type, str) or not type.strip():
            raise InputError("a relation needs a type")
        for span_id in (from_id, to_id):
            row = self._row("spans", span_id)
            if row is None or row["document_id"] != doc_id:
                raise InputError(f"relation end {span_id} is not a span of document {doc_id}")
        with self._edit(f"Add {type} relation"):
            self._insert("relations", {"document_id": doc_id, "type": type, "from_id": from_id, "to_id": to_id,
                                       "attrs": canonical_json(attributes or {})})
        return self._done()

    def delete_relation(self, relation_id: int) -> Change:
        with self._edit("Delete relation"):
            self._delete("relations", relation_id)
        return self._done()

    # --- entity edits -----------------------------------------------------------------------

    def add_entity(self, name: str, type: str = "person", aliases: Iterable[str] = (), qid: str | None = None, notes: str = "") -> Change:
        """Add a speaker entity; the new id is ``change.created_id("entities")``."""
        name = name.strip()
        if not name:
            raise InputError("an entity needs a name")
        if type not in self.schema.entity_types:
            raise InputError(f"entity type {type!r} is not one of {', '.join(self.schema.entity_types)}")
        with self._edit("Add speaker"):
            self._insert("entities", {"name": name, "type": type, "aliases": json.dumps(list(aliases)), "qid": qid, "notes": notes})
        return self._done()

    def update_entity(self, entity_id: int, **fields) -> Change:
        """Rename or retype an entity, or set its aliases / qid / notes."""
        if set(fields) - set(ENTITY_FIELDS):
            raise InputError(f"unknown entity fields: {', '.join(sorted(set(fields) - set(ENTITY_FIELDS)))}")
        if "name" in fields:
            fields["name"] = fields["name"].strip()
            if not fields["name"]:
                raise InputError("an entity needs a name")
        if "type" in fields and fields["type"] not in self.schema.entity_types:
            raise InputError(f"entity type {fields['type']!r} is not one of {', '.join(self.schema.entity_types)}")
        if "aliases" in fields:
            fields["aliases"] = json.dumps(list(fields["aliases"]))
        with self._edit("Edit speaker"):
            self._update("entities", entity_id, fields)
        return self._done()

    def delete_entity(self, entity_id: int) -> Change:
        """Delete an entity with its mentions; its claims lose their speaker. One Change."""
        if self._row("entities", entity_id) is None:
            raise InputError(f"no entity {entity_id}")
        with self._edit("Delete speaker"):
            for (claim_id,) in self.db.execute("SELECT id FROM spans WHERE speaker_id = ?", [entity_id]).fetchall():
                self._update("spans", claim_id, {"speaker_id": None})
            mentions = [r[0] for r in self.db.execute("SELECT id FROM spans WHERE entity_id = ?", [entity_id]).fetchall()]
            self._delete_span_rows(mentions)
            self._delete("entities", entity_id)
        return self._done()

    def merge_entities(self, keep_id: int, gone_id: int) -> Change:
        """Merge ``gone_id`` into ``keep_id``: its mentions and claims move over, its name and
        aliases become aliases of ``keep_id``, and it is deleted."""
        keep, gone = self.entity(keep_id), self.entity(gone_id)
        if keep is None or gone is None or keep_id == gone_id:
            raise InputError("merge needs two different entities")
        aliases = list(dict.fromkeys([*keep.aliases, gone.name, *gone.aliases]))
        aliases = [a for a in aliases if a.casefold() != keep.name.casefold()]
        with self._edit("Merge speakers"):
            for column in ("entity_id", "speaker_id"):
                for (span_id,) in self.db.execute(f"SELECT id FROM spans WHERE {column} = ?", [gone_id]).fetchall():
                    self._update("spans", span_id, {column: keep_id})
            self._update("entities", keep_id, {"aliases": json.dumps(aliases)})
            self._delete("entities", gone_id)
        return self._done()

    # --- document edits ---------------------------------------------------------------------

    def update_document(self, doc_id: int, **fields) -> Change:
        """Set a document's title, status, polarity or source."""
        if set(fields) - set(DOCUMENT_FIELDS):
            raise InputError(f"unknown document fields: {', '.join(sorted(set(fields) - set(DOCUMENT_FIELDS)))}")
        if fields.get("status") is not None and fields["status"] not in self.schema.document_status:
            raise InputError(f"status {fields['status']!r} is not one of {', '.join(self.schema.document_status)}")
        if fields.get("polarity") is not None and fields["polarity"] not in self.schema.document_polarity:
            raise InputError(f"polarity {fields['polarity']!r} is not one of {', '.join(self.schema.document_polarity)}")
        with self._edit("Edit document"):
            self._update("documents", doc_id, fields)
        return self._done()

    def delete_document(self, doc_id: int) -> Change:
        """Delete a document and its spans (entities stay in the registry)."""
        with self._edit("Delete document"):
            ids = [r[0] for r in self.db.execute("SELECT id FROM spans WHERE document_id = ?", [doc_id]).fetchall()]
            self._delete_span_rows(ids)
            self._delete("documents", doc_id)
        return self._done()


def _check_status(status: str) -> None:
    if status not in STATUSES:
        raise InputError(f"status {status!r} is not one of {', '.join(STATUSES)}")


def canonical_json(value: dict) -> str:
    """Attributes as stored: JSON with sorted keys; InputError if not a JSON object."""
    if not isinstance(value, dict):
        raise InputError(f"attributes must be a mapping, not {value!r}")
    try:
        return json.dumps(value, sort_keys=True, ensure_ascii=False)
    except (TypeError, ValueError) as exc:
        raise InputError(f"attributes are not plain data: {exc}") from None
