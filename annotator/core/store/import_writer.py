"""Writing an import: the plan (:mod:`importer`) is made and written inside ONE write
transaction, so that two imports started together see each other's documents and
entities (no document twice, one entity per speaker name) and the later one waits for
the earlier one's lock (up to the busy timeout) instead of failing."""
from __future__ import annotations

from annotator.core.model import NewDocument
from annotator.core.schema import extra_label, with_extra_labels
from annotator.core.store.changes import Change
from annotator.core.store.importer import ImportReport, plan_import
from annotator.core.store.journal import new_uuid


class ImportingMixin:
    """:meth:`import_documents` of :class:`~annotator.core.store.Store`."""

    def import_documents(self, docs: list[NewDocument]) -> tuple[ImportReport, Change]:
        """Add documents with their annotations in one transaction: all or nothing.

        Entity keys are scoped by ``doc.origin`` file (see :mod:`importer`); an entity whose
        name and type match an existing one (or whose uuid is already in the project) joins
        it. A document whose text is already in the project (same SHA-256) is skipped and
        reported, unless its annotations are by annotators who have none on that document
        yet (``NewDocument.annotator``, a span's own ``annotator``, else the store's): then
        they join the existing document, without the spans whose uuid it already has.
        Labels the import adds are part of its Change (undoing the import removes them).
        Raises InputError, naming the file and the span, for anything invalid; the project
        is then unchanged. Busy: StoreBusyError after the busy timeout.
        """
        with self._edit("Import"):
            self.schema = self._load_schema()  # labels another process added meanwhile
            new_labels = [n for d in docs for n in d.labels if n not in self.schema.label_names]
            planning_schema = with_extra_labels(self.schema, [extra_label(n, 0) for n in dict.fromkeys(new_labels)])
            existing_sha = dict(self.db.execute("SELECT sha256, id FROM documents").fetchall())
            existing_entities = {(e.name, e.type): e.id for e in self.entities()}
            plan = plan_import(docs, planning_schema, existing_sha, existing_entities,
                               annotators_of=self._annotators_of, default_annotator=self.annotator)
            used = {s.row["label"] for d in plan.documents for s in d.spans}
            self.add_labels(n for n in dict.fromkeys(new_labels) if n in used)
            self._write_plan(plan)
        return plan.report, self._done()

    def _annotators_of(self, doc_id: int) -> set[str]:
        """Who annotated document ``doc_id`` (any status)."""
        return {r[0] for r in self.db.execute(
            "SELECT DISTINCT annotator FROM spans WHERE document_id = ? UNION "
            "SELECT DISTINCT annotator FROM relations WHERE document_id = ?", [doc_id, doc_id]).fetchall()}

    def _uuid_owner(self, table: str, uuid: str | None) -> tuple[int, int | None] | None:
        """``(id, document id)`` of the row of ``table`` with ``uuid``, or None."""
        if not uuid:
            return None
        doc = "NULL" if table == "entities" else "document_id"
        return self.db.execute(f"SELECT id, {doc} FROM {table} WHERE uuid = ?", [uuid]).fetchone()

    def _write_plan(self, plan) -> None:
        entity_ids: dict[tuple, int] = {}
        for key, entity in plan.new_entities.items():
            owner = self._uuid_owner("entities", entity.get("uuid"))
            entity_ids[key] = owner[0] if owner else self._insert("entities", entity)
        for item in plan.documents:
            if item.join_id is not None:
                doc_id = item.join_id
            else:
                doc_id = self._insert("documents", item.row)
            span_ids: dict[str, int] = {}
            kept = 0
            for span in item.spans:  # speakers and cues before the claims that link them
                row = dict(span.row, document_id=doc_id)
                owner = self._uuid_owner("spans", row.get("uuid"))
                if owner is not None:
                    if owner[1] == doc_id:  # already here (an export imported again): not twice
                        span_ids[span.key] = owner[0]
                        continue
                    row["uuid"] = new_uuid()  # a copy of a span of another document
                for column, ref in span.entity_refs.items():
                    row[column] = ref if isinstance(ref, int) else entity_ids[ref]
                for column, ref in span.span_refs.items():
                    row[column] = span_ids[ref]
                span_ids[span.key] = self._insert("spans", row)
                kept += 1
            for row, source, target in item.relations:
                row = dict(row, document_id=doc_id, from_id=span_ids[source], to_id=span_ids[target])
                owner = self._uuid_owner("relations", row.get("uuid"))
                if owner is not None:
                    if owner[1] == doc_id:
                        continue
                    row["uuid"] = new_uuid()
                self._insert("relations", row)
            if item.join_id is not None:
                plan.report.joined.append(doc_id)
                plan.report.spans -= len(item.spans) - kept
            else:
                plan.report.added.append(doc_id)
