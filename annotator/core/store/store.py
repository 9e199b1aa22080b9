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
from contextlib import contextmanager
from pathlib import Path
from typing import Iterable, Iterator

from sqlite_utils import Database

from annotator.core.errors import InputError, ReadOnlyError, StoreBusyError, StoreWriteError
from annotator.core.model import NewDocument
from annotator.core.schema import DEFAULT_SCHEMA, Schema, extra_label, load_schema, with_extra_labels
from annotator.core.store.changes import Change, RowChange
from annotator.core.store.edits import EditingMixin
from annotator.core.store.file_guard import check_before_write
from annotator.core.store.opening import (
    SQLITE_BUSY,
    SQLITE_CANTOPEN,
    SQLITE_CORRUPT,
    SQLITE_FULL,
    SQLITE_IOERR,
    SQLITE_LOCKED,
    SQLITE_NOTADB,
    SQLITE_PERM,
    SQLITE_READONLY,
    CannotWrite,
    check_intact,
    connect,
    error_code,
    probe_write,
    read_only_reason,
    refuse_emptied,
)
from annotator.core.store.reading import ReadingMixin
from annotator.core.store.importer import ImportReport, plan_import
from annotator.core.store.migrations import MIGRATION_SET, check_not_newer, migrations

TABLES = ("documents", "entities", "spans", "relations")


class Store(ReadingMixin, EditingMixin):
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
        self._texts: dict[int, str] = {}  # document id -> text, see document_text
        self.schema: Schema = self._load_schema()

    def refresh(self) -> bool:
        """Forget what this connection keeps in memory (the schema's extra labels, document
        texts) after another connection changed the project. True if the schema changed."""
        self._texts.clear()
        schema = self._load_schema()
        changed = schema != self.schema
        self.schema = schema
        return changed

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
        reason = f"{path} was opened read-only on request." if read_only else read_only_reason(path)
        if reason is None:
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise InputError(f"{path}: cannot create the project's folder ({exc.strerror or exc})") from None
            refuse_emptied(path)
            conn = None
            try:
                conn = connect(str(path), busy_timeout)
                return cls._setup(Database(conn), str(path), wal=True, busy_timeout=busy_timeout, path=path)
            except (CannotWrite, sqlite3.OperationalError) as exc:
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
                conn = connect(uri + query, busy_timeout, uri=True)
                conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
            except sqlite3.OperationalError as exc:
                if conn is not None:
                    conn.close()
                if error_code(exc) in (SQLITE_CANTOPEN, SQLITE_READONLY):
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
                check_intact(db, path)
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
                probe_write(db)
            if pending and tables and path is not None:  # an existing project of an older version
                from annotator.core.store.backup import backup_connection

                backup_connection(db.conn, path, reason="before-migration")
            if wal:
                db.execute("PRAGMA journal_mode = WAL")
                db.execute("PRAGMA synchronous = NORMAL")
            migrations.apply(db)
            if db.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone() is None:
                db.execute("INSERT INTO meta (key, value) VALUES ('schema', ?)", [DEFAULT_SCHEMA])
        except sqlite3.OperationalError as exc:
            code = error_code(exc)
            if code in (SQLITE_READONLY, SQLITE_CANTOPEN, SQLITE_PERM) and not read_only:
                raise CannotWrite(str(exc)) from None
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
        check_before_write(self)  # the project's files and locks are still this connection's
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
        code, where = error_code(exc), self.where
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
        after = self._row(table, id)
        if table == "documents":  # keep the (unchanging, possibly long) text out of the undo history
            before, after = ({k: v for k, v in row.items() if k != "text"} for row in (before, after))
        self._journal.append(RowChange(table, id, before, after))

    def _delete(self, table: str, id: int) -> None:
        if table == "documents":
            self._texts.pop(id, None)
        before = self._row(table, id)
        if before is None:
            return
        self.db.execute(f"DELETE FROM {table} WHERE id = ?", [id])
        self._journal.append(RowChange(table, id, before, None))

    def apply(self, change: Change) -> Change:
        """Write ``change``'s after-rows (use ``change.inverted()`` to undo). Returns it."""
        with self._writing():
            for rc in change.rows:
                if rc.table == "documents":
                    self._texts.pop(rc.id, None)
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
