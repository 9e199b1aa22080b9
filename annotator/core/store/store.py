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

import functools
import inspect
import json
import os
import sqlite3
import time
from pathlib import Path

from sqlite_utils import Database

from annotator.core.errors import InputError, StoreBusyError, StoreWriteError
from annotator.core.schema import DEFAULT_SCHEMA, LabelDef, Schema, load_schema, with_extra_labels
from annotator.core.store.changes import Change, ItemChange
from annotator.core.store.edits import EditingMixin
from annotator.core.store.opening import (
    SQLITE_BUSY,
    SQLITE_CANTOPEN,
    SQLITE_FULL,
    SQLITE_IOERR,
    SQLITE_LOCKED,
    SQLITE_PERM,
    SQLITE_READONLY,
    CannotWrite,
    check_intact,
    connect,
    note_closed,
    error_code,
    probe_write,
    read_only_reason,
    refuse_emptied,
)
from annotator.core.store.import_writer import ImportingMixin
from annotator.core.store.journal import JournalMixin
from annotator.core.store.reading import ReadingMixin
from annotator.core.store.migrations import MIGRATION_SET, check_not_newer, migrations

TABLES = ("documents", "entities", "spans", "relations")


class Store(ReadingMixin, EditingMixin, ImportingMixin, JournalMixin):
    """An open project. Construct with :meth:`open` (a file) or :meth:`memory` (tests).

    Raises InputError (naming the file) when the file is not an Annotator project, is
    damaged, or was written by a newer version.

    ``read_only`` is True when the project could not be opened for writing (then
    ``read_only_reason`` is a sentence naming the file): every edit raises ReadOnlyError.

    ``annotator`` (a name, '' = unknown) stamps every write: a new span, entity or relation
    gets it as its ``annotator`` (unless an import brings its own), and with every change
    its ``modified`` time; a change of a document's status records it in
    ``status_annotator`` / ``status_modified``.

    No ``sqlite3`` exception leaves the store: SQLite's failures become
    :class:`~annotator.core.errors.AnnotatorError` subclasses (InputError, StoreBusyError,
    StoreWriteError, ReadOnlyError, ChangedElsewhereError).
    """

    def __init__(self, db: Database, where: str, annotator: str = ""):
        self.db = db
        self.where = where
        self.annotator = annotator
        self.read_only = False
        self.read_only_reason: str | None = None
        self._journal: list[ItemChange] | None = None
        self._labels_before: tuple[LabelDef, ...] | None = None
        self._imported: list[int] = []  # ids of the documents the import under way created
        self._last = Change("", ())
        self._texts: dict[int, str] = {}  # document id -> text, see document_text
        self._meta_changes = 0  # rows written by set_meta (settings, not content): see close
        self.backup_mark: tuple[str, int] | None = None  # (backup name, content_changes() then): backup.py
        self.before_close: list = []  # callables run first by close (e.g. stop a worker's connection)
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
    def open(cls, path: str | Path, read_only: bool = False, busy_timeout: float = 5.0, annotator: str = "") -> "Store":
        """Open the project at ``path``, creating it (and its folder) if absent.

        When the file or its folder cannot be written (or ``read_only``), the project is
        opened read-only: :attr:`read_only` is True and :attr:`read_only_reason` says why.
        ``busy_timeout`` (seconds) is how long an edit waits for another program's write
        lock before raising StoreBusyError. A project of an older version is backed up
        (reason "before-migration") before it is migrated. ``annotator`` names who writes
        (see :class:`Store`).

        Set-up is serialised between processes: a new project's tables are created, and an
        old one's migrated, inside one write transaction, so a second process opening the
        same project at the same moment waits (up to ``busy_timeout``) and then sees it whole.
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
                return cls._setup(Database(conn), str(path), wal=True, busy_timeout=busy_timeout, path=path,
                                  annotator=annotator)
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
        return cls._open_read_only(path, reason, busy_timeout, annotator)

    @classmethod
    def _open_read_only(cls, path: Path, reason: str, busy_timeout: float, annotator: str = "") -> "Store":
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
                store = cls._setup(Database(conn), str(path), wal=False, busy_timeout=busy_timeout, path=path,
                                   read_only=True, annotator=annotator)
            except BaseException:
                conn.close()
                raise
            store.read_only, store.read_only_reason = True, reason
            return store
        raise InputError(f"{path}: cannot be opened, not even read-only ({reason})")

    @classmethod
    def memory(cls, annotator: str = "") -> "Store":
        """A new project in memory (for tests and benchmarks)."""
        conn = sqlite3.connect(":memory:", isolation_level=None)
        return cls._setup(Database(conn), ":memory:", wal=False, annotator=annotator)

    @staticmethod
    def _refuse_foreign(db: Database, tables: set[str], where: str) -> None:
        if tables and ("_sqlite_migrations" not in tables or not db.execute(
                "SELECT 1 FROM _sqlite_migrations WHERE migration_set = ?", [MIGRATION_SET]).fetchone()):
            raise InputError(f"{where}: is an SQLite file but not an Annotator project")

    @staticmethod
    def _wal_mode(db: Database, busy_timeout: float) -> None:
        """Switch to WAL, waiting up to ``busy_timeout`` while another process sets up the
        same new file (the switch does not always wait for SQLite's busy handler)."""
        deadline = time.monotonic() + busy_timeout
        while True:
            try:
                db.execute("PRAGMA journal_mode = WAL")
                db.execute("PRAGMA synchronous = NORMAL")
                return
            except sqlite3.OperationalError as exc:
                if error_code(exc) not in (SQLITE_BUSY, SQLITE_LOCKED) or time.monotonic() > deadline:
                    raise
                time.sleep(0.02)

    @classmethod
    def _setup(cls, db: Database, where: str, wal: bool, busy_timeout: float = 5.0, path: Path | None = None,
               read_only: bool = False, annotator: str = "") -> "Store":
        try:
            db.execute(f"PRAGMA busy_timeout = {int(busy_timeout * 1000)}")
            db.execute("PRAGMA foreign_keys = ON")
            # A new project's tables appear in one transaction (below): another process sees
            # all of them or none, so a partial set-up is never taken for a foreign file.
            tables = set(db.table_names())
            cls._refuse_foreign(db, tables, where)
            if path is not None:
                check_intact(db, path)
            check_not_newer(db, where)
            if read_only:
                if migrations.pending(db):
                    raise InputError(f"{where}: was written by an older Annotator and must be upgraded, "
                                     "but it cannot be written; copy it to a folder you can write to")
                return cls(db, where, annotator)
            if wal:
                probe_write(db)
            if tables and path is not None and migrations.pending(db):  # an existing project of an older version
                from annotator.core.store.backup import backup_connection

                backup_connection(db.conn, path, reason="before-migration")  # (SQLite's backup waits for no lock)
            if wal:
                cls._wal_mode(db, busy_timeout)
            db.conn.execute("BEGIN IMMEDIATE")  # set-up and migration hold the write lock
            try:
                tables = set(db.table_names())  # again, under the lock
                cls._refuse_foreign(db, tables, where)
                check_not_newer(db, where)
                pending = migrations.pending(db)
                if pending:
                    migrations.apply(db)
                if db.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone() is None:
                    db.execute("INSERT INTO meta (key, value) VALUES ('schema', ?)", [DEFAULT_SCHEMA])
                db.conn.execute("COMMIT")
            except BaseException:
                if db.conn.in_transaction:
                    db.conn.execute("ROLLBACK")
                raise
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
        return cls(db, where, annotator)

    def content_changes(self) -> int:
        """Rows this connection has written so far, settings (:meth:`set_meta`) not counted:
        equal values at two moments mean the content did not change in between."""
        return self.db.conn.total_changes - self._meta_changes

    def close(self) -> None:
        """Close the connection; then, for a project file, note its state for the next
        opening (:func:`~annotator.core.store.opening.note_closed`), with the backup that
        holds its content when nothing was written since that backup."""
        for stop in self.before_close:
            stop()
        self.before_close = []
        try:
            content = self.content_changes()
        except Exception:  # already closed
            content = None
        self.db.close()
        if self.where != ":memory:" and content is not None:
            mark = self.backup_mark
            note_closed(Path(self.where), True, mark[0] if mark is not None and mark[1] == content else None)

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
        before = self.db.conn.total_changes
        with self._writing():
            self.db.execute("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value", [key, value])
        self._meta_changes += self.db.conn.total_changes - before


def _translated(method):
    """``method`` with SQLite's exceptions turned into the project's own (the store's
    boundary: no ``sqlite3`` exception reaches the window or the command line)."""
    if inspect.isgeneratorfunction(method):
        @functools.wraps(method)
        def generator(self, *args, **kwargs):
            try:
                yield from method(self, *args, **kwargs)
            except sqlite3.Error as exc:
                raise self._write_error(exc, "read") from exc
        return generator

    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except sqlite3.Error as exc:
            raise self._write_error(exc, "read") from exc
    return wrapper


def _guard_boundary(cls):
    for klass in cls.__mro__:
        if klass is object:
            continue
        for name, value in vars(klass).items():
            if name.startswith("_") or not inspect.isfunction(value) or name in vars(cls) and vars(cls)[name] is not value:
                continue
            if getattr(value, "__wrapped__", None) is not None:  # contextmanager-made: its body's errors go through _writing
                continue
            setattr(cls, name, _translated(value))
    return cls


_guard_boundary(Store)
