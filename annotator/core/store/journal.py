"""The store's write path: transactions, the journal every edit writes through, and
applying a Change (undo and redo) after checking that it still applies.

Every write is one transaction (``BEGIN IMMEDIATE``): it happens whole or not at all, and
SQLite's failures leave here as the project's own errors (never a ``sqlite3`` exception):
:class:`StoreBusyError` when another program holds the project, :class:`StoreWriteError`
for a full disk, an input/output error or a refused row, :class:`ReadOnlyError` when the
project cannot be written, :class:`ChangedElsewhereError` when an undo or redo meets rows
that another connection changed.
"""
from __future__ import annotations

import json
import sqlite3
import uuid
from contextlib import contextmanager
from dataclasses import replace
from datetime import datetime, timezone
from typing import Iterable, Iterator

from annotator.core.errors import ChangedElsewhereError, InputError, ReadOnlyError, StoreBusyError, StoreWriteError
from annotator.core.model import Document
from annotator.core.schema import LabelDef, extra_label
from annotator.core.store.changes import FROM_ROW, TO_ROW, Change, ImportedDocuments, ItemChange, LabelsChange
from annotator.core.store.file_guard import check_before_write
from annotator.core.store.migrations import AUTHORED
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
    error_code,
)


_CHUNK = 500  # ids per IN (...) list
REDO_ROWS = 100_000  # an undone import of at most this many rows (documents, spans, relations) can be redone
RETURNING = sqlite3.sqlite_version_info >= (3, 35)  # INSERT ... RETURNING (SQLite 3.35, 2021)


def utc_now() -> str:
    """The time now as stored: ISO 8601 UTC with microseconds, ``2026-12-08T01:30:00.123456Z``."""
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def new_uuid() -> str:
    return str(uuid.uuid4())


class JournalMixin:
    """Transactions and the journal of :class:`~annotator.core.store.Store` (needs
    ``db``, ``where``, ``annotator``, ``read_only``, ``schema``, ``_journal``,
    ``_labels_before``, ``_imported``, ``_last``, ``_texts``)."""

    # --- labels: settings, journalled when added by an edit (an import) ----------------------

    def extra_labels(self) -> tuple[LabelDef, ...]:
        """The labels the project has beyond its schema (brought by imports), in order."""
        return tuple(LabelDef(**{k: e.get(k, "") for k in ("name", "title", "key", "color", "style", "help")})
                     for e in json.loads(self.meta("extra_labels") or "[]"))

    def _write_extra_labels(self, labels: tuple[LabelDef, ...]) -> None:
        value = json.dumps([{"name": d.name, "title": d.title, "key": d.key, "color": d.color, "style": d.style,
                             "help": d.help} for d in labels])
        self.db.execute("INSERT INTO meta (key, value) VALUES ('extra_labels', ?) "
                        "ON CONFLICT(key) DO UPDATE SET value = excluded.value", [value])

    def add_labels(self, names: Iterable[str]) -> list[str]:
        """Add labels beyond the schema (brought by a peer format) to the project; returns
        the names that were new. Inside an edit (an import) they are part of its Change, so
        undoing the import removes them; outside one they are a project setting."""
        names = list(dict.fromkeys(names))
        with self._writing():
            self.schema = self._load_schema()  # what another connection added meanwhile
            new = [n for n in names if n not in self.schema.label_names]
            if not new:
                return []
            before = self.extra_labels()
            extra = json.loads(self.meta("extra_labels") or "[]")
            for name in new:
                if not isinstance(name, str) or not name.strip() or len(name) > 100:
                    raise InputError(f"label {name!r} is not a usable name")
                extra.append(extra_label(name, len(extra)))
            if self._journal is not None and self._labels_before is None:
                self._labels_before = before
            self.db.execute("INSERT INTO meta (key, value) VALUES ('extra_labels', ?) "
                            "ON CONFLICT(key) DO UPDATE SET value = excluded.value", [json.dumps(extra)])
            self.schema = self._load_schema()
        return new

    # --- edits ----------------------------------------------------------------------------

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
    def _edit(self, description: str) -> Iterator[list[ItemChange]]:
        if self._journal is not None:  # nested: part of the outer edit (its imported ids go to the outer Change)
            start = len(self._journal)
            yield self._journal
            self._last = Change(description, tuple(self._journal[start:]))
            return
        self._journal, self._labels_before, self._imported = [], None, []
        done, labels, imported = False, None, None
        try:
            with self._writing():
                yield self._journal
                if self._labels_before is not None:
                    labels = LabelsChange(self._labels_before, self.extra_labels())
                if self._imported:
                    imported = ImportedDocuments(tuple(self._imported), self._fingerprint(self._imported))
            done = True
        finally:
            self._last = Change(description, tuple(self._journal), labels, imported) if done else Change(description, ())
            self._journal, self._labels_before, self._imported = None, None, []
            if not done:
                self.schema = self._load_schema()  # labels added in the edit were rolled back

    def _done(self) -> Change:
        return self._last

    @contextmanager
    def _writing(self) -> Iterator[None]:
        """One write transaction (a savepoint when nested): committed whole or rolled back,
        with SQLite's failures turned into the project's errors (see the module)."""
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
        except sqlite3.Error as exc:
            raise self._write_error(exc) from exc

    def _write_error(self, exc: sqlite3.Error, verb: str = "write to") -> Exception:
        """The project's error for SQLite's ``exc`` (``verb``: "write to", or "read" at the
        store's boundary for a failed query)."""
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
            return StoreWriteError(f"could not {verb} {where}: input/output error ({exc}); nothing was changed")
        if code in (SQLITE_CORRUPT, SQLITE_NOTADB):
            return StoreWriteError(f"could not {verb} {where}: the file is damaged ({exc}); nothing was changed")
        if isinstance(exc, sqlite3.IntegrityError):
            return StoreWriteError(f"could not write to {where}: the edit would break the project's links or "
                                   f"duplicate a unique value ({exc}); nothing was changed")
        return StoreWriteError(f"could not {verb} {where}: {exc}; nothing was changed")

    def _item(self, table: str, id: int):
        row = self._row(table, id)
        return FROM_ROW[table](row) if row is not None else None

    def _insert(self, table: str, row: dict) -> int:
        """Insert ``row``, stamped: a uuid, the store's annotator (unless ``row`` names one)
        and created / modified times (unless ``row`` brings them, as an import may)."""
        now = utc_now()
        row = dict(row)
        if table in AUTHORED:
            row["uuid"] = row.get("uuid") or new_uuid()
            if row.get("annotator") is None:
                row["annotator"] = self.annotator
            row["created"] = row.get("created") or now
            row["modified"] = row.get("modified") or row["created"]
        elif table == "documents":
            row["created"] = row.get("created") or now
            row["modified"] = row.get("modified") or row["created"]
        cols = list(row)
        sql = f"INSERT INTO {table} ({', '.join(_q(c) for c in cols)}) VALUES ({', '.join('?' for _ in cols)})"
        if RETURNING:  # the row as stored (defaults included) in the same statement
            cur = self.db.execute(sql + " RETURNING *", [row[c] for c in cols])
            stored = dict(zip([c[0] for c in cur.description], cur.fetchone()))
            self._journal.append(ItemChange(None, FROM_ROW[table](stored)))
            return stored["id"]
        cur = self.db.execute(sql, [row[c] for c in cols])
        new_id = row.get("id", cur.lastrowid)
        self._journal.append(ItemChange(None, self._item(table, new_id)))
        return new_id

    def _update(self, table: str, id: int, values: dict) -> None:
        """Set ``values`` on a row, stamped with the time (and the store's annotator, when
        it has one; a document's status with ``status_annotator`` / ``status_modified``)."""
        before = self._row(table, id)
        if before is None:
            raise InputError(f"no {table[:-1]} {id}")
        values = {k: v for k, v in values.items() if before[k] != v}
        if not values:
            return
        now = utc_now()
        values["modified"] = now
        if table in AUTHORED and self.annotator and not _owned_by_another(table, before, self.annotator):
            values["annotator"] = self.annotator
        if table == "documents" and "status" in values:
            values.update(status_annotator=self.annotator, status_modified=now)
        self.db.execute(
            f"UPDATE {table} SET {', '.join(f'{_q(k)} = ?' for k in values)} WHERE id = ?",
            [*values.values(), id],
        )
        old, new = FROM_ROW[table](before), self._item(table, id)
        if table == "documents":  # keep the (unchanging, possibly long) text out of the undo history
            old, new = replace(old, text=""), replace(new, text="")
        self._journal.append(ItemChange(old, new))

    def _delete(self, table: str, id: int) -> None:
        if table == "documents":
            self._texts.pop(id, None)
        before = self._item(table, id)
        if before is None:
            return
        self.db.execute(f"DELETE FROM {table} WHERE id = ?", [id])
        self._journal.append(ItemChange(before, None))

    # --- undo and redo --------------------------------------------------------------------

    def apply(self, change: Change) -> Change:
        """Write ``change`` (use ``change.inverted()`` to undo an edit, the edit's Change to
        redo it) in one write transaction, AFTER checking inside it that every span,
        entity, relation and document it touches, and the project's extra labels, are as
        ``change`` expects them (their ``before``; an import's documents by their
        fingerprint, see :class:`ImportedDocuments`). Raises ChangedElsewhereError, writing
        nothing, when another connection changed one of them; a retry after StoreBusyError
        checks again; InputError for the redo of an import too large to keep for redo.
        Returns ``change``."""
        imported = change.imported
        try:
            with self._writing():
                self._check_applies(change)
                if imported is not None and imported.removes:
                    self._remove_imported(imported, change.description)
                for item in change.items:
                    self._write_item(item)
                if imported is not None and not imported.removes:
                    self._restore_imported(imported, change.description)
                if change.labels is not None:
                    self._write_extra_labels(change.labels.after)
        except StoreWriteError as exc:
            if isinstance(exc.__cause__, sqlite3.IntegrityError):  # a link to something removed elsewhere
                raise ChangedElsewhereError(f"{self.where}: “{change.description}” links to something changed "
                                            "elsewhere (another window or program); nothing was written") from exc
            raise
        finally:
            if change.labels is not None:
                self.schema = self._load_schema()
        return change

    # --- an import's documents, by id -------------------------------------------------------

    def _fingerprint(self, ids) -> tuple:
        """Per table (documents, spans, relations) of the documents ``ids``: count, sum of
        ids, latest ``modified``, and the sum of the seconds and microseconds of every
        ``modified`` (an edit stamps the time now: any later change shows). A few aggregate
        queries per 500 documents, no row read into Python."""
        ids = list(ids)
        out = []
        for table, column in (("documents", "id"), ("spans", "document_id"), ("relations", "document_id")):
            count, total, latest, stamps = 0, 0, "", 0
            for k in range(0, len(ids), _CHUNK):
                chunk = ids[k:k + _CHUNK]
                row = self.db.execute(
                    f"SELECT count(*), total(id), max(modified), total(CAST(substr(modified, 18, 2) AS INTEGER) * 1000000"
                    f" + CAST(substr(modified, 21, 6) AS INTEGER)) FROM {table}"
                    f" WHERE {column} IN ({', '.join('?' * len(chunk))})", chunk).fetchone()
                count, total, stamps = count + row[0], total + int(row[1]), stamps + int(row[3])
                latest = max(latest, row[2] or "")
            out.append((count, total, latest, stamps))
        return tuple(out)

    def _remove_imported(self, imported: ImportedDocuments, description: str) -> None:
        """Delete the import's documents with their spans and relations, after checking their
        fingerprint; keep the rows in ``imported.saved`` for a redo when there are at most
        REDO_ROWS of them."""
        if self._fingerprint(imported.ids) != imported.fingerprint:
            raise ChangedElsewhereError(
                f"{self.where}: documents of “{description}” were changed or deleted after it (in this window, another "
                "window or program); nothing was written")
        ids = list(imported.ids)
        rows = sum(imported.fingerprint[i][0] for i in range(3))
        keep = rows <= REDO_ROWS
        saved: dict[str, list] = {"documents": [], "spans": [], "relations": []}
        conn = self.db.conn
        for k in range(0, len(ids), _CHUNK):
            chunk = ids[k:k + _CHUNK]
            marks = ", ".join("?" * len(chunk))
            for table, column in (("relations", "document_id"), ("spans", "document_id"), ("documents", "id")):
                if keep:
                    cur = conn.execute(f"SELECT * FROM {table} WHERE {column} IN ({marks}) ORDER BY id", chunk)
                    saved[table].append(([c[0] for c in cur.description], cur.fetchall()))
                conn.execute(f"DELETE FROM {table} WHERE {column} IN ({marks})", chunk)
        for doc_id in ids:
            self._texts.pop(doc_id, None)
        imported.saved.clear()
        if keep:
            imported.saved.update(saved)

    def _restore_imported(self, imported: ImportedDocuments, description: str) -> None:
        """Write back the rows an undo of the import kept (a redo)."""
        if not imported.saved:
            raise InputError(f"“{description}” of {len(imported.ids)} documents cannot be redone (too large to keep "
                             "in memory for a redo): import the files again")
        taken = self.db.execute(f"SELECT count(*) FROM documents WHERE id IN ({', '.join('?' * min(len(imported.ids), _CHUNK))})",
                                list(imported.ids[:_CHUNK])).fetchone()[0]
        if taken:
            raise ChangedElsewhereError(f"{self.where}: the documents of “{description}” are back already "
                                        "(another window or program); nothing was written")
        conn = self.db.conn
        for table in ("documents", "spans", "relations"):
            for columns, rows in imported.saved[table]:
                conn.executemany(f"INSERT INTO {table} ({', '.join(_q(c) for c in columns)}) "
                                 f"VALUES ({', '.join('?' * len(columns))})", rows)
        if self._fingerprint(imported.ids) != imported.fingerprint:  # rows of the same ids were written meanwhile
            raise ChangedElsewhereError(f"{self.where}: “{description}” cannot be redone: its documents were "
                                        "changed elsewhere; nothing was written")

    def _check_applies(self, change: Change) -> None:
        seen: set[tuple[str, int]] = set()
        for item in change.items:
            key = (item.kind, item.id)
            if key in seen:
                continue
            seen.add(key)
            have = self._item(item.kind, item.id)
            if not _same(have, item.before):
                state = "deleted" if have is None else "added" if item.before is None else "changed"
                raise ChangedElsewhereError(
                    f"{self.where}: {item.kind[:-1].replace('entitie', 'entity')} {item.id} was {state} elsewhere "
                    f"(another window or program) after “{change.description}”; nothing was written")
        if change.labels is not None and self.extra_labels() != change.labels.before:
            raise ChangedElsewhereError(f"{self.where}: the project's labels were changed elsewhere after "
                                        f"“{change.description}”; nothing was written")

    def _write_item(self, item: ItemChange) -> None:
        table = item.kind
        if table == "documents":
            self._texts.pop(item.id, None)
        if item.after is None:
            self.db.execute(f"DELETE FROM {table} WHERE id = ?", [item.id])
            return
        if item.before is None:
            row = TO_ROW[table](item.after)
            cols = list(row)
            self.db.execute(
                f"INSERT INTO {table} ({', '.join(_q(c) for c in cols)}) VALUES ({', '.join('?' for _ in cols)})",
                [row[c] for c in cols],
            )
            return
        row = TO_ROW[table](item.after, with_text=False) if table == "documents" else TO_ROW[table](item.after)
        cols = [c for c in row if c != "id"]
        self.db.execute(f"UPDATE {table} SET {', '.join(f'{_q(c)} = ?' for c in cols)} WHERE id = ?",
                        [*(row[c] for c in cols), item.id])


def _same(have, want) -> bool:
    """``have`` (read now) is ``want`` (expected); documents are compared without their
    text (texts never change, and an edit's documents leave it out)."""
    if isinstance(have, Document) and isinstance(want, Document):
        return replace(have, text="") == replace(want, text="")
    return have == want


def _q(column: str) -> str:
    return f'"{column}"'


def _owned_by_another(table: str, row: dict, annotator: str) -> bool:
    """True for an accepted span of another named annotator: a side effect on it (a link
    cleared when its cue is deleted, a speaker merged) keeps its annotator (issue 11)."""
    return table == "spans" and bool(row.get("annotator")) and row["annotator"] != annotator and row.get("status") == "accepted"
