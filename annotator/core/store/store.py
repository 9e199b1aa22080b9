"""The project store: one SQLite file, written through sqlite-utils. All SQL lives here.

Every edit is committed when it is made and returns a :class:`Change` that undoes it.
The database runs in WAL mode with foreign keys on and a 5 s busy timeout.

Every write is one transaction (``BEGIN IMMEDIATE``): it happens whole or not at all. A
failed write raises (never silently): :class:`StoreBusyError` when another program holds
the project, :class:`StoreWriteError` for a full disk or an input/output error,
:class:`ReadOnlyError` when the project was opened read-only; the project is then as it
was before. A file that is not a project, is damaged or is newer is refused with InputError.
"""
from __future__ import annotations

import json
import os
import sqlite3
from collections import Counter
from contextlib import contextmanager
from pathlib import Path
from typing import Iterable, Iterator

from sqlite_utils import Database

from annotator.core.errors import InputError, ReadOnlyError, StoreBusyError, StoreWriteError
from annotator.core.model import (
    CLAIM,
    CLAIM_ATTRIBUTES,
    SPEAKER,
    Document,
    DocumentInfo,
    Entity,
    NewDocument,
    Relation,
    Span,
    check_fragments,
)
from annotator.core.schema import DEFAULT_SCHEMA, Schema, extra_label, load_schema, with_extra_labels
from annotator.core.store.changes import (
    Change,
    RowChange,
    document_from_row,
    entity_from_row,
    relation_from_row,
    span_from_row,
)
from annotator.core.store.importer import ImportReport, plan_import
from annotator.core.store.migrations import MIGRATION_SET, check_not_newer, migrations

TABLES = ("documents", "entities", "spans", "relations")
# SQLite's primary result codes (the sqlite3 module names them only from Python 3.11)
SQLITE_PERM, SQLITE_BUSY, SQLITE_LOCKED, SQLITE_READONLY, SQLITE_IOERR = 3, 5, 6, 8, 10
SQLITE_CORRUPT, SQLITE_FULL, SQLITE_CANTOPEN, SQLITE_NOTADB = 11, 13, 14, 26
SPAN_FIELDS = ("entity_id", "speaker_id", "source_id", "cue_id") + CLAIM_ATTRIBUTES
ENTITY_FIELDS = ("name", "type", "aliases", "qid", "notes")
DOCUMENT_FIELDS = ("title", "status", "polarity", "source")


class Store:
    """An open project. Construct with :meth:`open` (a file) or :meth:`memory` (tests).

    Raises InputError (naming the file) when the file is not an Annotator project, is
    damaged, or was written by a newer version.

    ``read_only`` is True when the project could not be opened for writing (then
    ``read_only_reason`` is a sentence naming the file): every edit raises ReadOnlyError.
    """

    def __init__(self, db: Database, where: str):
        self.db = db
        self.where = where
        self.read_only = False
        self.read_only_reason: str | None = None
        self._journal: list[RowChange] | None = None
        self._last = Change("", ())
        self.schema: Schema = self._load_schema()

    def _load_schema(self) -> Schema:
        base = load_schema(self.meta("schema") or DEFAULT_SCHEMA)
        return with_extra_labels(base, json.loads(self.meta("extra_labels") or "[]"))

    # --- opening ---------------------------------------------------------------------------

    @classmethod
    def open(cls, path: str | Path, read_only: bool = False, busy_timeout: float = 5.0) -> "Store":
        """Open the project at ``path``, creating it (and its folder) if absent.

        When the file or its folder cannot be written (or ``read_only``), the project is
        opened read-only: :attr:`read_only` is True and :attr:`read_only_reason` says why.
        ``busy_timeout`` (seconds) is how long an edit waits for another program's write
        lock before raising StoreBusyError. A project of an older version is backed up
        (reason "before-migration") before it is migrated.
        """
        path = Path(path)
        if path.is_dir():
            raise InputError(f"{path}: is a folder, not a project file")
        reason = f"{path} was opened read-only on request." if read_only else _read_only_reason(path)
        if reason is None:
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise InputError(f"{path}: cannot create the project's folder ({exc.strerror or exc})") from None
            _refuse_emptied(path)
            conn = None
            try:
                conn = _connect(str(path), busy_timeout)
                return cls._setup(Database(conn), str(path), wal=True, busy_timeout=busy_timeout, path=path)
            except (_CannotWrite, sqlite3.OperationalError) as exc:
                if conn is not None:
                    conn.close()
                reason = f"{path} is read-only: it cannot be written ({exc})."
            except BaseException:
                if conn is not None:
                    conn.close()
                raise
        if not path.exists():
            raise InputError(f"{path}: no such project" if read_only else
                             f"{path}: no such project, and it cannot be created there ({reason})")
        return cls._open_read_only(path, reason, busy_timeout)

    @classmethod
    def _open_read_only(cls, path: Path, reason: str, busy_timeout: float) -> "Store":
        if not os.access(path, os.R_OK):
            raise InputError(f"{path}: you do not have permission to read the file")
        uri = path.resolve().as_uri()
        # WAL readers need the -shm file: when it cannot be created (read-only folder),
        # open the file as immutable, the last resort (then changes by others are not seen).
        for query in ("?mode=ro", "?mode=ro&immutable=1"):
            conn = None
            try:
                conn = _connect(uri + query, busy_timeout, uri=True)
                conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
            except sqlite3.OperationalError as exc:
                if conn is not None:
                    conn.close()
                if _code(exc) in (SQLITE_CANTOPEN, SQLITE_READONLY):
                    continue
                raise InputError(f"{path}: cannot be opened read-only ({exc})") from None
            except sqlite3.DatabaseError as exc:
                if conn is not None:
                    conn.close()
                raise InputError(f"{path}: not an Annotator project or damaged ({exc})") from None
            try:
                store = cls._setup(Database(conn), str(path), wal=False, busy_timeout=busy_timeout, path=path, read_only=True)
            except BaseException:
                conn.close()
                raise
            store.read_only, store.read_only_reason = True, reason
            return store
        raise InputError(f"{path}: cannot be opened, not even read-only ({reason})")

    @classmethod
    def memory(cls) -> "Store":
        """A new project in memory (for tests and benchmarks)."""
        conn = sqlite3.connect(":memory:", isolation_level=None)
        return cls._setup(Database(conn), ":memory:", wal=False)

    @classmethod
    def _setup(cls, db: Database, where: str, wal: bool, busy_timeout: float = 5.0, path: Path | None = None,
               read_only: bool = False) -> "Store":
        try:
            tables = set(db.table_names())
            if tables and ("_sqlite_migrations" not in tables or not db.execute(
                    "SELECT 1 FROM _sqlite_migrations WHERE migration_set = ?", [MIGRATION_SET]).fetchone()):
                raise InputError(f"{where}: is an SQLite file but not an Annotator project")
            if path is not None:
                _check_intact(db, path)
            db.execute("PRAGMA foreign_keys = ON")
            db.execute(f"PRAGMA busy_timeout = {int(busy_timeout * 1000)}")
            check_not_newer(db, where)
            pending = migrations.pending(db)
            if read_only:
                if pending:
                    raise InputError(f"{where}: was written by an older Annotator and must be upgraded, "
                                     "but it cannot be written; copy it to a folder you can write to")
                return cls(db, where)
            if wal:
                _probe_write(db)
            if pending and tables and path is not None:  # an existing project of an older version
                from annotator.core.backup import backup_connection

                backup_connection(db.conn, path, reason="before-migration")
            if wal:
                db.execute("PRAGMA journal_mode = WAL")
                db.execute("PRAGMA synchronous = NORMAL")
            migrations.apply(db)
            if db.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone() is None:
                db.execute("INSERT INTO meta (key, value) VALUES ('schema', ?)", [DEFAULT_SCHEMA])
        except sqlite3.OperationalError as exc:
            code = _code(exc)
            if code in (SQLITE_READONLY, SQLITE_CANTOPEN, SQLITE_PERM) and not read_only:
                raise _CannotWrite(str(exc)) from None
            if code in (SQLITE_BUSY, SQLITE_LOCKED):
                raise StoreBusyError(f"{where}: another program holds the project (database is locked); "
                                     "close it or try again") from None
            if code in (SQLITE_FULL, SQLITE_IOERR):
                raise StoreWriteError(f"could not write to {where}: "
                                      f"{'disk full' if code == SQLITE_FULL else exc}; nothing was changed") from None
            raise InputError(f"{where}: not an Annotator project or damaged ({exc})") from None
        except sqlite3.DatabaseError as exc:
            raise InputError(f"{where}: not an Annotator project or damaged ({exc})") from None
        return cls(db, where)

    def close(self) -> None:
        self.db.close()

    def data_version(self) -> int:
        """A number that changes when ANOTHER connection (a second window, the command line)
        commits a change to the project: poll it to know when to refresh."""
        return self.db.execute("PRAGMA data_version").fetchone()[0]

    def meta(self, key: str) -> str | None:
        """A project setting (``schema``, ``extra_labels``, the window's ``last_document``...)."""
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", [key]).fetchone()
        return row[0] if row else None

    def set_meta(self, key: str, value: str) -> None:
        """Store a project setting (not an edit: not in the undo history)."""
        with self._writing():
            self.db.execute("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value", [key, value])

    def add_labels(self, names: Iterable[str]) -> list[str]:
        """Add labels beyond the schema (brought by a peer format) to the project; returns
        the names that were new. Labels are project settings, not undoable edits."""
        extra = json.loads(self.meta("extra_labels") or "[]")
        new = [n for n in dict.fromkeys(names) if n not in self.schema.label_names]
        for name in new:
            if not isinstance(name, str) or not name.strip() or len(name) > 100:
                raise InputError(f"label {name!r} is not a usable name")
            extra.append(extra_label(name, len(extra)))
        if new:
            self.set_meta("extra_labels", json.dumps(extra))
            self.schema = self._load_schema()
        return new

    # --- reading ---------------------------------------------------------------------------

    def _row(self, table: str, id: int) -> dict | None:
        cur = self.db.execute(f"SELECT * FROM {table} WHERE id = ?", [id])
        row = cur.fetchone()
        return dict(zip([c[0] for c in cur.description], row)) if row else None

    def _rows(self, sql: str, params: Iterable = ()) -> list[dict]:
        cur = self.db.execute(sql, list(params))
        names = [c[0] for c in cur.description]
        return [dict(zip(names, row)) for row in cur.fetchall()]

    def document_infos(self) -> list[DocumentInfo]:
        """All documents in import order, without their text."""
        rows = self._rows(
            "SELECT d.id, d.title, d.status, d.polarity, length(d.text) AS length,"
            " (SELECT count(*) FROM spans s WHERE s.document_id = d.id) AS span_count"
            " FROM documents d ORDER BY d.id"
        )
        return [DocumentInfo(**row) for row in rows]

    def document(self, doc_id: int) -> Document:
        row = self._row("documents", doc_id)
        if row is None:
            raise InputError(f"no document {doc_id}")
        return document_from_row(row)

    def document_count(self) -> int:
        return self.db.execute("SELECT count(*) FROM documents").fetchone()[0]

    def spans(self, doc_id: int) -> list[Span]:
        """The spans of one document, sorted by start then end."""
        rows = self._rows('SELECT * FROM spans WHERE document_id = ? ORDER BY start, "end", id', [doc_id])
        return [span_from_row(r) for r in rows]

    def span(self, span_id: int) -> Span | None:
        row = self._row("spans", span_id)
        return span_from_row(row) if row else None

    def relations(self, doc_id: int) -> list[Relation]:
        """The generic relations of one document, by id."""
        return [relation_from_row(r) for r in self._rows("SELECT * FROM relations WHERE document_id = ? ORDER BY id", [doc_id])]

    def entities(self) -> list[Entity]:
        """The speaker registry, by name."""
        return [entity_from_row(r) for r in self._rows("SELECT * FROM entities ORDER BY name COLLATE NOCASE, id")]

    def entity(self, entity_id: int) -> Entity | None:
        row = self._row("entities", entity_id)
        return entity_from_row(row) if row else None

    def entity_counts(self, doc_id: int | None = None) -> dict[int, tuple[int, int]]:
        """``{entity id: (mentions, claims)}``, in one document or (None) the whole project."""
        where, params = ("AND document_id = ?", [doc_id]) if doc_id is not None else ("", [])
        mentions = dict(self.db.execute(
            f"SELECT entity_id, count(*) FROM spans WHERE entity_id IS NOT NULL {where} GROUP BY entity_id", params
        ).fetchall())
        claims = dict(self.db.execute(
            f"SELECT speaker_id, count(*) FROM spans WHERE speaker_id IS NOT NULL {where} GROUP BY speaker_id", params
        ).fetchall())
        return {eid: (mentions.get(eid, 0), claims.get(eid, 0)) for eid in set(mentions) | set(claims)}

    def find_entity(self, name: str) -> Entity | None:
        """The entity whose name or one of whose aliases is ``name`` (case-insensitive)."""
        folded = name.strip().casefold()
        for entity in self.entities():
            if entity.name.casefold() == folded or any(a.casefold() == folded for a in entity.aliases):
                return entity
        return None

    def stats(self) -> dict:
        """``{"documents": n, "spans": {label: n}, "claims_per_speaker": {name: n}}``."""
        spans = dict(self.db.execute("SELECT label, count(*) FROM spans GROUP BY label").fetchall())
        per_speaker = self.db.execute(
            "SELECT coalesce(e.name, '(no speaker)'), count(*) FROM spans s LEFT JOIN entities e"
            " ON e.id = s.speaker_id WHERE s.label = ? GROUP BY e.id ORDER BY count(*) DESC, e.name",
            [CLAIM],
        ).fetchall()
        return {
            "documents": self.document_count(),
            "spans": {label: spans.get(label, 0) for label in self.schema.label_names},
            "claims_per_speaker": dict(per_speaker),
        }

    def export_documents(self, doc_ids: Iterable[int] | None = None) -> Iterator[tuple[Document, list[Span], list[Entity]]]:
        """Each document with its spans and the entities they refer to (by id)."""
        ids = [info.id for info in self.document_infos()] if doc_ids is None else list(doc_ids)
        entities = {e.id: e for e in self.entities()}
        for doc_id in ids:
            spans = self.spans(doc_id)
            used = {s.entity_id for s in spans} | {s.speaker_id for s in spans}
            yield self.document(doc_id), spans, [entities[i] for i in sorted(used - {None})]

    # --- the journal: every write goes through these ---------------------------------------

    @contextmanager
    def compound(self, description: str) -> Iterator[None]:
        """Group several edits into one Change (one undo step), read afterwards from
        :attr:`last_change`. All or nothing: an exception rolls every part back."""
        with self._edit(description):
            yield

    @property
    def last_change(self) -> Change:
        """The Change of the last finished edit (or the last part of a compound one)."""
        return self._last

    @contextmanager
    def _edit(self, description: str) -> Iterator[list[RowChange]]:
        if self._journal is not None:  # nested: part of the outer edit
            start = len(self._journal)
            yield self._journal
            self._last = Change(description, tuple(self._journal[start:]))
            return
        self._journal = []
        done = False
        try:
            with self._writing():
                yield self._journal
            done = True
        finally:
            self._last = Change(description, tuple(self._journal) if done else ())
            self._journal = None

    @contextmanager
    def _writing(self) -> Iterator[None]:
        """One write transaction (a savepoint when nested): committed whole or rolled back,
        with SQLite's failures turned into ReadOnlyError, StoreBusyError or StoreWriteError."""
        if self.read_only:
            raise ReadOnlyError(f"cannot change the project: {self.read_only_reason}")
        conn = self.db.conn
        if conn.in_transaction:
            with self.db.atomic():
                yield
            return
        try:
            conn.execute("BEGIN IMMEDIATE")  # take the write lock now (waits up to the busy timeout)
            try:
                yield
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:
                    try:
                        conn.execute("ROLLBACK")
                    except sqlite3.Error:  # the original error matters; SQLite discards the rest
                        pass
                raise
        except sqlite3.OperationalError as exc:
            error = self._write_error(exc)
            if error is exc:
                raise
            raise error from exc

    def _write_error(self, exc: sqlite3.OperationalError) -> Exception:
        code, where = _code(exc), self.where
        if code in (SQLITE_BUSY, SQLITE_LOCKED):
            return StoreBusyError(f"{where}: another program holds the project (database is locked); "
                                  "the edit was not applied, try again")
        if code in (SQLITE_READONLY, SQLITE_PERM):
            self.read_only, self.read_only_reason = True, f"{where} is read-only: it cannot be written ({exc})."
            return ReadOnlyError(f"could not write to {where}: the file is read-only; nothing was changed")
        if code == SQLITE_FULL:
            return StoreWriteError(f"could not write to {where}: disk full; nothing was changed")
        if code in (SQLITE_IOERR, SQLITE_CANTOPEN):
            return StoreWriteError(f"could not write to {where}: input/output error ({exc}); nothing was changed")
        if code in (SQLITE_CORRUPT, SQLITE_NOTADB):
            return StoreWriteError(f"could not write to {where}: the file is damaged ({exc}); nothing was changed")
        return exc

    def _insert(self, table: str, row: dict) -> int:
        cols = list(row)
        cur = self.db.execute(
            f"INSERT INTO {table} ({', '.join(_q(c) for c in cols)}) VALUES ({', '.join('?' for _ in cols)})",
            [row[c] for c in cols],
        )
        new_id = row.get("id", cur.lastrowid)
        self._journal.append(RowChange(table, new_id, None, self._row(table, new_id)))
        return new_id

    def _update(self, table: str, id: int, values: dict) -> None:
        before = self._row(table, id)
        if before is None:
            raise InputError(f"no {table[:-1]} {id}")
        values = {k: v for k, v in values.items() if before[k] != v}
        if not values:
            return
        self.db.execute(
            f"UPDATE {table} SET {', '.join(f'{_q(k)} = ?' for k in values)} WHERE id = ?",
            [*values.values(), id],
        )
        self._journal.append(RowChange(table, id, before, self._row(table, id)))

    def _delete(self, table: str, id: int) -> None:
        before = self._row(table, id)
        if before is None:
            return
        self.db.execute(f"DELETE FROM {table} WHERE id = ?", [id])
        self._journal.append(RowChange(table, id, before, None))

    def apply(self, change: Change) -> Change:
        """Write ``change``'s after-rows (use ``change.inverted()`` to undo). Returns it."""
        with self._writing():
            for rc in change.rows:
                if rc.after is None:
                    self.db.execute(f"DELETE FROM {rc.table} WHERE id = ?", [rc.id])
                elif rc.before is None:
                    cols = list(rc.after)
                    self.db.execute(
                        f"INSERT INTO {rc.table} ({', '.join(_q(c) for c in cols)}) VALUES ({', '.join('?' for _ in cols)})",
                        [rc.after[c] for c in cols],
                    )
                else:
                    cols = [c for c in rc.after if c != "id"]
                    self.db.execute(
                        f"UPDATE {rc.table} SET {', '.join(f'{_q(c)} = ?' for c in cols)} WHERE id = ?",
                        [*(rc.after[c] for c in cols), rc.id],
                    )
        return change

    def _done(self) -> Change:
        return self._last

    # --- span edits --------------------------------------------------------------------------

    def add_span(self, doc_id: int, label: str, fragments, **attrs) -> Change:
        """Add a span; ``fragments`` is ``[(start, end), ...]`` in code points. ``attrs`` are
        entity_id (speakers), speaker_id / source_id / cue_id / form / polarity / intensity /
        target (claims). Raises InputError for a bad label, range or value."""
        text_length = self._text_length(doc_id)
        frags = check_fragments(fragments, text_length, what=f"{label} span")
        self.schema.label(label)
        self._check_span_attrs(doc_id, label, attrs)
        with self._edit(f"Add {label}"):
            self._insert("spans", {
                "document_id": doc_id, "label": label, "start": frags[0][0], "end": frags[-1][1],
                "fragments": json.dumps(frags), **{k: attrs.get(k) for k in SPAN_FIELDS},
            })
        return self._done()

    def update_span(self, span_id: int, **attrs) -> Change:
        """Change a span's attributes or, with ``fragments=...``, its extent."""
        span = self._span_or_fail(span_id)
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
            values.update(fragments=json.dumps(frags), start=frags[0][0], end=frags[-1][1])
        with self._edit(f"Edit {span.label}"):
            self._update("spans", span_id, values)
        return self._done()

    def delete_span(self, span_id: int) -> Change:
        """Delete a span; claims that named it as source or cue lose that link (in the same Change)."""
        span = self._span_or_fail(span_id)
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

    def _span_or_fail(self, span_id: int) -> Span:
        span = self.span(span_id)
        if span is None:
            raise InputError(f"no span {span_id}")
        return span

    def _text_length(self, doc_id: int) -> int:
        row = self.db.execute("SELECT length(text) FROM documents WHERE id = ?", [doc_id]).fetchone()
        if row is None:
            raise InputError(f"no document {doc_id}")
        return row[0]

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

    # --- import -----------------------------------------------------------------------------

    def import_documents(self, docs: list[NewDocument]) -> tuple[ImportReport, Change]:
        """Add documents with their annotations in one transaction: all or nothing.

        Entity keys are scoped by ``doc.origin`` file (see :mod:`importer`); an entity whose
        name and type match an existing one joins it. A document whose text is already in the
        project (same SHA-256) is skipped and reported. Raises InputError, naming the file and
        the span, for anything invalid; the project is then unchanged.
        """
        new_labels = [n for d in docs for n in d.labels if n not in self.schema.label_names]
        planning_schema = with_extra_labels(self.schema, [extra_label(n, 0) for n in dict.fromkeys(new_labels)])
        existing_sha = {r[0] for r in self.db.execute("SELECT sha256 FROM documents").fetchall()}
        existing_entities = {(e.name, e.type): e.id for e in self.entities()}
        plan = plan_import(docs, planning_schema, existing_sha, existing_entities)
        used = {s.row["label"] for d in plan.documents for s in d.spans}
        try:
            with self._edit("Import"):
                self.add_labels(n for n in dict.fromkeys(new_labels) if n in used)
                self._write_plan(plan)
        except BaseException:
            self.schema = self._load_schema()  # the labels were rolled back with the rest
            raise
        return plan.report, self._done()

    def _write_plan(self, plan) -> None:
        entity_ids: dict[tuple, int] = {}
        for key, entity in plan.new_entities.items():
            entity_ids[key] = self._insert("entities", entity)
        for item in plan.documents:
            doc_id = self._insert("documents", item.row)
            span_ids: dict[str, int] = {}
            for span in item.spans:  # speakers and cues before the claims that link them
                row = dict(span.row, document_id=doc_id)
                for column, ref in span.entity_refs.items():
                    row[column] = ref if isinstance(ref, int) else entity_ids[ref]
                for column, ref in span.span_refs.items():
                    row[column] = span_ids[ref]
                span_ids[span.key] = self._insert("spans", row)
            for row, source, target in item.relations:
                self._insert("relations", dict(row, document_id=doc_id, from_id=span_ids[source], to_id=span_ids[target]))
            plan.report.added.append(doc_id)


def _q(column: str) -> str:
    return f'"{column}"'


# --- opening: read-only files, damaged files ----------------------------------------------------


class _CannotWrite(Exception):
    """SQLite refused to write while opening (read-only file system, permissions)."""


def _connect(target: str, busy_timeout: float, uri: bool = False) -> sqlite3.Connection:
    return sqlite3.connect(target, timeout=busy_timeout, isolation_level=None, uri=uri)


def _code(exc: sqlite3.Error) -> int | None:
    """The primary SQLite result code of ``exc`` (from its message before Python 3.11)."""
    code = getattr(exc, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF
    text = str(exc)
    for marker, value in (("locked", SQLITE_BUSY), ("readonly", SQLITE_READONLY),
                          ("disk is full", SQLITE_FULL), ("disk I/O", SQLITE_IOERR),
                          ("unable to open", SQLITE_CANTOPEN), ("malformed", SQLITE_CORRUPT),
                          ("not a database", SQLITE_NOTADB)):
        if marker in text:
            return value
    return None


def _read_only_reason(path: Path) -> str | None:
    """Why ``path`` must be opened read-only (a sentence naming it), or None."""
    if path.exists() and not os.access(path, os.W_OK):
        return f"{path} is read-only: you do not have permission to change the file."
    folder = path.parent
    if folder.is_dir() and not os.access(folder, os.W_OK | os.X_OK):
        return f"{path} is read-only: its folder {folder} does not allow writing (SQLite needs to write files next to it)."
    return None


def _probe_write(db: Database) -> None:
    """Raise SQLite's error when it cannot write the file (a read-only file system,
    permissions that os.access does not see): a write that is rolled back. Busy (another
    program is writing) is fine."""
    timeout = db.execute("PRAGMA busy_timeout").fetchone()[0]
    version = db.execute("PRAGMA user_version").fetchone()[0]
    db.execute("PRAGMA busy_timeout = 0")
    try:
        db.conn.execute("BEGIN IMMEDIATE")
        try:
            db.conn.execute(f"PRAGMA user_version = {int(version)}")
        finally:
            db.conn.execute("ROLLBACK")
    except sqlite3.OperationalError as exc:
        if _code(exc) not in (SQLITE_BUSY, SQLITE_LOCKED):
            raise
    finally:
        db.execute(f"PRAGMA busy_timeout = {int(timeout)}")


def _check_intact(db: Database, path: Path) -> None:
    """InputError when the project file is truncated or damaged (``PRAGMA quick_check``:
    it reads every page once, fast for projects of normal size).

    The file is never opened here: closing any descriptor of a file drops the POSIX locks
    that SQLite holds on it in this process (and a second connection would then checkpoint
    and delete the -wal under the first one). Only stat() and SQLite itself look at it."""
    page_size = db.execute("PRAGMA page_size").fetchone()[0]
    pages = db.execute("PRAGMA page_count").fetchone()[0]
    try:  # after counting: a -wal that another program starts meanwhile is then seen here
        wal = Path(f"{path}-wal")
        wal_size = wal.stat().st_size if wal.exists() else 0
        size = path.stat().st_size
    except OSError as exc:
        raise InputError(f"{path}: cannot read the file ({exc.strerror or exc})") from None
    if size and not pages and not wal_size:  # a few bytes that SQLite would take for an empty database
        raise InputError(f"{path}: not an Annotator project (not an SQLite file)")
    # Without a WAL to replay, the file holds whole pages, at least as many as SQLite counts.
    if not wal_size and (size % page_size or pages * page_size > size):
        raise InputError(f"{path}: the project file is truncated or damaged; restore it from a backup")
    problems = [row[0] for row in db.execute("PRAGMA quick_check(5)").fetchall()]
    if problems != ["ok"]:
        detail = " ".join(str(problems[0]).replace("*** in database main ***", "").split())[:160]
        raise InputError(f"{path}: the project file is damaged ({detail}); restore it from a backup")


def _refuse_emptied(path: Path) -> None:
    """An empty (0 bytes) file is a new project to SQLite, unless it has backups: then it
    was a project that lost its content, and opening it must not hide that."""
    try:
        if path.stat().st_size != 0 or Path(f"{path}-wal").exists():
            return
    except OSError:
        return
    from annotator.core.backup import list_backups

    if list_backups(path):
        raise InputError(f"{path}: the project file is empty (0 bytes) but it has backups: restore one "
                         "('annotator backups', 'annotator restore'), or delete the file to start a new project")


def canonical_json(value: dict) -> str:
    """Attributes as stored: JSON with sorted keys; InputError if not a JSON object."""
    if not isinstance(value, dict):
        raise InputError(f"attributes must be a mapping, not {value!r}")
    try:
        return json.dumps(value, sort_keys=True, ensure_ascii=False)
    except (TypeError, ValueError) as exc:
        raise InputError(f"attributes are not plain data: {exc}") from None
