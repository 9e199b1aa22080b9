"""Opening a project file safely: read-only files, damaged files, SQLite's error codes."""
from __future__ import annotations

import hashlib
import json
import os
import sqlite3
from pathlib import Path

from sqlite_utils import Database

from annotator.core.errors import InputError

# SQLite's primary result codes (the sqlite3 module names them only from Python 3.11)
SQLITE_PERM, SQLITE_BUSY, SQLITE_LOCKED, SQLITE_READONLY, SQLITE_IOERR = 3, 5, 6, 8, 10
SQLITE_CORRUPT, SQLITE_FULL, SQLITE_CANTOPEN, SQLITE_NOTADB = 11, 13, 14, 26


class CannotWrite(Exception):
    """SQLite refused to write while opening (read-only file system, permissions)."""


def connect(target: str, busy_timeout: float, uri: bool = False) -> sqlite3.Connection:
    return sqlite3.connect(target, timeout=busy_timeout, isolation_level=None, uri=uri)


def error_code(exc: sqlite3.Error) -> int | None:
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


def database_error_text(exc: BaseException) -> str | None:
    """"project database: <SQLite's message>" for an SQLite error the store did not
    translate (a bug to report), None for any other exception: so that code outside the
    store never names sqlite3."""
    return f"project database: {exc}" if isinstance(exc, sqlite3.Error) else None


def read_only_reason(path: Path) -> str | None:
    """Why ``path`` must be opened read-only (a sentence naming it), or None."""
    if path.exists() and not os.access(path, os.W_OK):
        return f"{path} is read-only: you do not have permission to change the file."
    folder = path.parent
    if folder.is_dir() and not os.access(folder, os.W_OK | os.X_OK):
        return f"{path} is read-only: its folder {folder} does not allow writing (SQLite needs to write files next to it)."
    return None


def probe_write(db: Database) -> None:
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
        if error_code(exc) not in (SQLITE_BUSY, SQLITE_LOCKED):
            raise
    finally:
        db.execute(f"PRAGMA busy_timeout = {int(timeout)}")


#: Projects up to this size (bytes, the file plus its -wal) are checked with SQLite's full
#: ``PRAGMA integrity_check`` every time they open; larger ones with ``quick_check`` (which
#: misses index entries that do not match their table rows), except before a migration and
#: on restore, where the full check always runs. Measured on this project's machine with
#: the file in the page cache: on a 38 MB project integrity_check took 0.70 s (about 18 ms
#: per MB) and quick_check 0.19 s (an earlier run on another project: 2.1x, 4 ms per MB),
#: so the full check of a 64 MB project costs about 0.3 to 1.2 s on opening; a project
#: unchanged since Annotator closed it is not checked again (TRUST_UNCHANGED_BYTES).
THOROUGH_CHECK_BYTES = 64 * 1024 * 1024


#: A project larger than this (bytes, the file plus its -wal) is not checked again on
#: opening when its file is as Annotator left it at its last clean close (see
#: :func:`clean_record`): the check of a 790 MB project costs 1.9 s (quick_check) and
#: re-reads every page, on every open, for a file nothing else changed; ``integrity_check``
#: of a 38 MB project (1,000 annotated articles) takes 0.70 s, about 18 ms per MB, and
#: ``quick_check`` 0.19 s (measured here, file in the page cache). Below 16 MB the check
#: always runs (at most about 0.3 s).
TRUST_UNCHANGED_BYTES = 16 * 1024 * 1024

#: What :func:`check_intact` found at each opening in this process, by project path: the
#: clean record that matched the file (the check was skipped), or None (checked). Read by
#: :func:`annotator.core.store.backup.backup_if_changed` and :func:`note_closed`.
opened_clean: dict[str, dict | None] = {}


def _record_path(path: Path) -> Path:
    """Where the clean record of ``path`` lives: a small JSON file per project in the user
    data folder (never next to the project, never inside it)."""
    from annotator.core.project import data_dir

    project = Path(path).absolute()
    digest = hashlib.sha256(str(project).encode("utf-8")).hexdigest()[:16]
    return data_dir() / "clean-closes" / f"{project.stem}-{digest}.json"


def file_state(path: Path) -> dict | None:
    """The identity of the project file as stat() sees it (size, times in ns, inode,
    device), None when it cannot be read or a non-empty -wal is next to it (the file alone
    is not the project then). ``ctime`` cannot be set back by another program: any write,
    rename or copy over the file changes it."""
    try:
        wal = Path(f"{path}-wal")
        if wal.exists() and wal.stat().st_size:
            return None
        st = path.stat()
    except OSError:
        return None
    return {"size": st.st_size, "mtime_ns": st.st_mtime_ns, "ctime_ns": st.st_ctime_ns,
            "inode": st.st_ino, "device": st.st_dev}


def clean_record(path: Path) -> dict | None:
    """The record written by :func:`note_closed` when Annotator last closed ``path``
    cleanly after checking it (``{"state": ..., "backup": name or None}``), if the file is
    still exactly as it was then; else None."""
    state = file_state(path)
    if state is None:
        return None
    try:
        record = json.loads(_record_path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return record if isinstance(record, dict) and record.get("state") == state else None


def note_closed(path: Path, checked: bool, backup: str | None) -> None:
    """After a connection to ``path`` closed: when the project was checked (or trusted) at
    opening (``checked``) and is large, record the file's state, and ``backup``, the name
    of a backup whose content is the project's (None: none known), so that the next
    opening needs neither the check nor a new backup while the file stays as it is. Any
    failure only loses the record (the next opening checks)."""
    record_file = _record_path(path)
    state = file_state(path) if checked else None
    try:
        if state is None or state["size"] <= TRUST_UNCHANGED_BYTES:
            record_file.unlink(missing_ok=True)
            return
        record_file.parent.mkdir(parents=True, exist_ok=True)
        tmp = record_file.with_suffix(".tmp")
        tmp.write_text(json.dumps({"state": state, "backup": backup}), encoding="utf-8")
        os.replace(tmp, record_file)
    except OSError:
        pass


def check_intact(db: Database, path: Path, thorough: bool | None = None) -> None:
    """InputError when the project file is truncated or damaged, or lacks one of the tables
    or columns its recorded migrations created (:func:`check_tables`).

    ``thorough``: True runs ``PRAGMA integrity_check`` (it also compares every index with
    its table), False ``PRAGMA quick_check`` (every page read once, index contents not
    compared); None (the default) chooses: the full check when the project is at most
    :data:`THOROUGH_CHECK_BYTES` or has migrations to apply (it is about to be rewritten),
    else the quick one.

    Without ``thorough``, a project over :data:`TRUST_UNCHANGED_BYTES` whose file is exactly
    as Annotator left it at its last clean close (:func:`clean_record`: size, times, inode)
    is not read again: only its size against its page count and its tables are checked.

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
    pending = _has_pending_migrations(db) if thorough is None else False
    if thorough is None and size + wal_size > TRUST_UNCHANGED_BYTES and not pending:
        record = clean_record(path)
        if record is not None:  # as Annotator left it after a clean check: not read again
            check_tables(db, path)
            opened_clean[str(path)] = record
            return
    opened_clean[str(path)] = None
    if thorough is None:
        thorough = size + wal_size <= THOROUGH_CHECK_BYTES or pending
    pragma = "integrity_check(5)" if thorough else "quick_check(5)"
    problems = [row[0] for row in db.execute(f"PRAGMA {pragma}").fetchall()]
    if problems != ["ok"]:
        detail = " ".join(str(problems[0]).replace("*** in database main ***", "").split())[:160]
        raise InputError(f"{path}: the project file is damaged ({detail}); restore it from a backup")
    check_tables(db, path)


def _has_pending_migrations(db: Database) -> bool:
    from annotator.core.store.migrations import migrations

    tables = set(db.table_names())
    return bool(tables) and bool(migrations.pending(db))


def check_tables(db: Database, path: Path | str) -> None:
    """InputError naming the file and the table (or column) when the project lacks one that
    the migrations it records as applied created: such a file was damaged or edited by
    another program, and writing to it would fail half-way or lose data. The expected
    tables come from running the same migrations on an empty database in memory. A
    project with migrations this version does not know is left to ``check_not_newer``."""
    from annotator.core.store.migrations import MIGRATION_SET, migrations

    tables = set(db.table_names())
    if "_sqlite_migrations" not in tables:
        return
    applied = [r[0] for r in db.execute(
        "SELECT name FROM _sqlite_migrations WHERE migration_set = ? ORDER BY rowid", [MIGRATION_SET]).fetchall()]
    known = {m.name: m for m in migrations._migrations}
    if not applied or any(name not in known for name in applied):
        return
    reference = Database(sqlite3.connect(":memory:"))
    try:
        for name in applied:
            known[name].fn(reference)
        for table in reference.table_names():
            if table not in tables:
                raise InputError(f"{path}: the project has no {table} table (the file was damaged or changed by "
                                 "another program); restore it from a backup")
            have = {c.name for c in db[table].columns}
            missing = [c.name for c in reference[table].columns if c.name not in have]
            if missing:
                raise InputError(f"{path}: the {table} table of the project has no column {missing[0]} (the file "
                                 "was damaged or changed by another program); restore it from a backup")
    finally:
        reference.conn.close()


def refuse_emptied(path: Path) -> None:
    """An empty (0 bytes) file is a new project to SQLite, unless it has backups: then it
    was a project that lost its content, and opening it must not hide that."""
    try:
        if path.stat().st_size != 0 or Path(f"{path}-wal").exists():
            return
    except OSError:
        return
    from annotator.core.store.backup import list_backups

    if list_backups(path):
        raise InputError(f"{path}: the project file is empty (0 bytes) but it has backups: restore one "
                         "('annotator backups', 'annotator restore'), or delete the file to start a new project")
