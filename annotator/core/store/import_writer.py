"""Writing an import: documents are planned (:mod:`importer`) and written batch by batch
inside ONE write transaction, so that an import is all or nothing, two imports started
together see each other's documents and entities (no document twice, one entity per
speaker name) and the later one waits for the earlier one's lock (up to the busy timeout)
instead of failing.

Memory stays flat in the size of the import: the documents are read from an iterable
(a streaming reader) :data:`BATCH` at a time, the rows of a batch are written with
``executemany`` under ids given here, and the documents the import creates are journalled
by id (:class:`~annotator.core.store.changes.ImportedDocuments`), not row by row.
"""
from __future__ import annotations

from contextlib import contextmanager
from itertools import islice
from typing import Callable, Iterable

from annotator.core.model import CLAIM, NewDocument
from annotator.core.schema import extra_label, with_extra_labels
from annotator.core.store.changes import Change
from annotator.core.store.importer import ImportPlan, ImportPlanner, ImportReport
from annotator.core.store.journal import _CHUNK, _q, new_uuid, utc_now
from annotator.core.store.search import _index_pending as index_pending

BATCH = 200  # documents planned and written at a time

SPAN_COLUMNS = ("id", "document_id", "label", "start", "end", "fragments", "entity_id", "speaker_id", "source_id", "cue_id",
                "form", "polarity", "intensity", "target", "attrs", "note", "uuid", "status", "annotator", "created",
                "modified", "origin", "score")
RELATION_COLUMNS = ("id", "document_id", "type", "from_id", "to_id", "attrs", "uuid", "status", "annotator", "created",
                    "modified")
DOCUMENT_COLUMNS = ("id", "title", "text", "source", "status", "polarity", "sha256", "created", "modified",
                    "status_annotator", "status_modified")


def _insert_sql(table: str, columns: tuple[str, ...]) -> str:
    return f"INSERT INTO {table} ({', '.join(_q(c) for c in columns)}) VALUES ({', '.join('?' for _ in columns)})"


class ImportingMixin:
    """:meth:`import_documents` of :class:`~annotator.core.store.Store`."""

    def import_documents(self, docs: Iterable[NewDocument], progress: Callable[[int], None] | None = None,
                         ) -> tuple[ImportReport, Change]:
        """Add documents with their annotations in one transaction: all or nothing.

        ``docs`` may be any iterable (a streaming reader's generator): they are planned and
        written :data:`BATCH` at a time; an InputError raised by the iterable or by the
        checks rolls the whole import back. ``progress(n)`` is called after each batch with
        the number of documents read so far.

        Entity keys are scoped by ``doc.origin`` file (see :mod:`importer`); an entity whose
        name and type match an existing one (or whose uuid is already in the project) joins
        it. A document whose text is already in the project (same SHA-256) is skipped and
        reported, unless its annotations are by annotators who have none on that document
        yet (``NewDocument.annotator``, a span's own ``annotator``, else the store's): then
        they join the existing document, without the spans whose uuid it already has.
        Labels the import adds are part of its Change (undoing the import removes them);
        the documents it creates are in ``change.imported`` (by id). Raises InputError,
        naming the file and the span, for anything invalid; the project is then unchanged
        (inside a :meth:`compound` edit, this import's part is rolled back alone).
        Busy: StoreBusyError after the busy timeout.
        """
        nested = self._journal is not None
        marks = (len(self._journal), len(self._imported)) if nested else (0, 0)
        try:
            with self._edit("Import"), self._writing():
                report = self._import_batches(iter(docs), progress)
        except BaseException:
            if nested:  # the savepoint rolled this part back: so does the outer journal
                del self._journal[marks[0]:]
                del self._imported[marks[1]:]
                self.schema = self._load_schema()
            raise
        return report, self._done()

    def _import_batches(self, docs, progress) -> ImportReport:
        self.schema = self._load_schema()  # labels another process added meanwhile
        existing_sha = dict(self.db.execute("SELECT sha256, id FROM documents").fetchall())
        existing_entities = {(e.name, e.type): e.id for e in self.entities()}
        planner = ImportPlanner(existing_sha, existing_entities, annotators_of=self._annotators_of,
                                default_annotator=self.annotator)
        entity_ids: dict[tuple, int] = {}
        read = 0
        with self._claims_indexed_in_bulk():
            while True:
                batch = list(islice(docs, BATCH))
                if not batch:
                    break
                read += len(batch)
                self._import_batch(batch, planner, entity_ids)
                del batch
                if progress is not None:
                    progress(read)
        return planner.report

    def _import_batch(self, batch: list[NewDocument], planner: ImportPlanner, entity_ids: dict[tuple, int]) -> None:
        new_labels = [n for d in batch for n in d.labels if n not in self.schema.label_names]
        planning_schema = with_extra_labels(self.schema, [extra_label(n, 0) for n in dict.fromkeys(new_labels)])
        plan = planner.plan(batch, planning_schema)
        used = {s.row["label"] for d in plan.documents for s in d.spans}
        self.add_labels(n for n in dict.fromkeys(new_labels) if n in used)
        self._write_plan(plan, entity_ids)

    @contextmanager
    def _claims_indexed_in_bulk(self):
        """While the import writes, the search index's per-row claim triggers are dropped
        (inside the transaction: a rollback brings them back) and the new claims are queued
        in ``fts_claims_pending`` (:meth:`_queue_claims`); at the end they are indexed with one statement and the
        triggers made again. Measured on 300 documents / 29,500 spans: writing the spans
        7.9-8.8 s with the triggers, 2.5-3.6 s plus 0.2-0.4 s of bulk indexing without."""
        conn = self.db.conn
        triggers = conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name IN "
                                "('fts_claims_ai', 'fts_claims_ai_far')").fetchall()
        for name, _sql in triggers:
            conn.execute(f"DROP TRIGGER {name}")
        self._claims_in_bulk = bool(triggers)
        try:
            yield
            if triggers:
                for _name, sql in triggers:
                    conn.execute(sql)
                index_pending(self.db)
        finally:
            self._claims_in_bulk = False

    def _queue_claims(self, ids: list[int]) -> None:
        if getattr(self, "_claims_in_bulk", False) and ids:
            self.db.conn.executemany("INSERT OR IGNORE INTO fts_claims_pending(span_id) VALUES (?)", [(i,) for i in ids])

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

    def _uuids_taken(self, table: str, uuids: list[str]) -> set[str]:
        """Which of ``uuids`` rows of ``table`` already have (one query per 500)."""
        taken: set[str] = set()
        for k in range(0, len(uuids), _CHUNK):
            chunk = uuids[k:k + _CHUNK]
            taken.update(r[0] for r in self.db.execute(
                f"SELECT uuid FROM {table} WHERE uuid IN ({', '.join('?' * len(chunk))})", chunk).fetchall())
        return taken

    def _next_id(self, table: str) -> int:
        """The id the next row of ``table`` gets (AUTOINCREMENT: above every id ever used)."""
        seq = self.db.execute("SELECT seq FROM sqlite_sequence WHERE name = ?", [table]).fetchone()
        top = self.db.execute(f"SELECT max(id) FROM {table}").fetchone()[0]
        return max(seq[0] if seq else 0, top or 0) + 1

    def _write_plan(self, plan: ImportPlan, entity_ids: dict[tuple, int]) -> None:
        """Write one batch's plan: new entities and the spans of joined documents row by row
        (journalled), new documents with their spans and relations in bulk (journalled by
        document id)."""
        for key, entity in plan.new_entities.items():
            owner = self._uuid_owner("entities", entity.get("uuid"))
            entity_ids[key] = owner[0] if owner else self._insert("entities", entity)
        new = [item for item in plan.documents if item.join_id is None]
        for item in plan.documents:
            if item.join_id is not None:
                self._write_joined(item, entity_ids, plan.report)
        if new:
            self._write_new(new, entity_ids, plan.report)

    def _write_joined(self, item, entity_ids: dict[tuple, int], report: ImportReport) -> None:
        """Another annotator's annotations of a document already in the project, row by row."""
        doc_id = item.join_id
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
            if row["label"] == CLAIM:
                self._queue_claims([span_ids[span.key]])
            kept += 1
        for row, source, target in item.relations:
            row = dict(row, document_id=doc_id, from_id=span_ids[source], to_id=span_ids[target])
            owner = self._uuid_owner("relations", row.get("uuid"))
            if owner is not None:
                if owner[1] == doc_id:
                    continue
                row["uuid"] = new_uuid()
            self._insert("relations", row)
        report.joined.append(doc_id)
        report.spans -= len(item.spans) - kept

    def _write_new(self, items: list, entity_ids: dict[tuple, int], report: ImportReport) -> None:
        """New documents with their spans and relations: ids given here, rows stamped as
        :meth:`_insert` stamps them, three ``executemany`` calls; a span or relation whose
        uuid is already in the project (a copy of another document's) gets a new one."""
        now, annotator = utc_now(), self.annotator
        taken = {"spans": self._uuids_taken("spans", [s.row["uuid"] for d in items for s in d.spans if s.row["uuid"]]),
                 "relations": self._uuids_taken("relations", [r["uuid"] for d in items for r, _, _ in d.relations
                                                              if r["uuid"]])}
        doc_id, span_id, rel_id = self._next_id("documents"), self._next_id("spans"), self._next_id("relations")
        doc_rows, span_rows, rel_rows = [], [], []
        for item in items:
            row = dict(item.row, id=doc_id)
            row["created"] = row.get("created") or now
            row["modified"] = row.get("modified") or row["created"]
            doc_rows.append(tuple(row[c] for c in DOCUMENT_COLUMNS))
            span_ids: dict[str, int] = {}
            for span in item.spans:  # speakers and cues before the claims that link them
                row = dict(span.row, id=span_id, document_id=doc_id)
                for column, ref in span.entity_refs.items():
                    row[column] = ref if isinstance(ref, int) else entity_ids[ref]
                for column, ref in span.span_refs.items():
                    row[column] = span_ids[ref]
                span_rows.append(_stamped(row, SPAN_COLUMNS, taken["spans"], annotator, now))
                span_ids[span.key] = span_id
                span_id += 1
            for rel, source, target in item.relations:
                row = dict(rel, id=rel_id, document_id=doc_id, from_id=span_ids[source], to_id=span_ids[target])
                rel_rows.append(_stamped(row, RELATION_COLUMNS, taken["relations"], annotator, now))
                rel_id += 1
            report.added.append(doc_id)
            self._imported.append(doc_id)
            doc_id += 1
        self._insert_many("documents", DOCUMENT_COLUMNS, doc_rows)
        self._insert_many("spans", SPAN_COLUMNS, span_rows)
        self._insert_many("relations", RELATION_COLUMNS, rel_rows)
        self._queue_claims([row[0] for row in span_rows if row[2] == CLAIM])

    def _insert_many(self, table: str, columns: tuple[str, ...], rows: list[tuple]) -> None:
        """Insert ``rows`` (tuples of ``columns``) into ``table`` with one ``executemany``."""
        if rows:
            self.db.conn.executemany(_insert_sql(table, columns), rows)


def _stamped(row: dict, columns: tuple[str, ...], taken: set[str], annotator: str, now: str) -> tuple:
    """``row`` as a tuple of ``columns``, stamped: a uuid (a new one when ``taken``, which
    then holds it, so that a uuid twice in one batch is kept once), the store's annotator
    unless the row names one, created / modified unless it brings them."""
    uuid = row.get("uuid")
    if not uuid or uuid in taken:
        uuid = new_uuid()
    taken.add(uuid)
    row["uuid"] = uuid
    if row.get("annotator") is None:
        row["annotator"] = annotator
    row["created"] = row.get("created") or now
    row["modified"] = row.get("modified") or row["created"]
    return tuple(row.get(c) for c in columns)
