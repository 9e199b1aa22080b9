"""Backups of a project: copies made with SQLite's online backup API, kept in rotation.

A backup of ``/x/news.db`` is ``/x/news.db.backups/news-<UTC time>-<reason>.db`` (or, when
``/x`` cannot be written, a folder per project under ``<user data folder>/backups/``). It is
a complete, self-contained project file (rollback journal, no -wal), consistent even when
another connection writes while it is made.

Which are kept (:func:`kept`): the newest :data:`KEEP` (10) backups of a project, and the
first backup of each of the last :data:`KEEP_DAYS` (14) days (UTC) before the newest one.
So ten openings after a mistake do not rotate away every backup from before it: the day's
first backup and those of the days before stay for two weeks.

:func:`restore_backup` checks the backup with SQLite's full integrity check, refuses while
another window or program has the project open (its edits would be lost), and first backs
up the current project ("before-restore"). Pure Python (never imports Qt).
"""
from __future__ import annotations

import hashlib
import os
import re
import shutil
import sqlite3
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from annotator.core.errors import InputError, StoreBusyError, StoreWriteError
from annotator.core.store.file_guard import refuse_if_open
from annotator.core.store.opening import SQLITE_PERM, SQLITE_READONLY, error_code

KEEP = 10
KEEP_DAYS = 14
SUFFIX = ".backups"
_NAME = re.compile(r"^(?P<stem>.+)-(?P<time>\d{8}T\d{6}\.\d{6}Z)-(?P<reason>[a-z0-9-]+)\.db$")
_TIME = "%Y%m%dT%H%M%S.%fZ"


@dataclass(frozen=True)
class BackupInfo:
    """One backup: its file, when it was made (UTC), why ("open", "manual", "before-migration",
    "before-restore"...), its size in bytes and its number of documents (None if unreadable)."""

    path: Path
    created: datetime
    reason: str
    size: int
    documents: int | None


def backup_folders(project_path: str | Path) -> list[Path]:
    """Where the backups of ``project_path`` live: next to it, then in the user data folder
    (used when the project's folder cannot be written)."""
    from annotator.core.project import data_dir

    project = Path(project_path).absolute()
    digest = hashlib.sha256(str(project).encode("utf-8")).hexdigest()[:12]
    return [project.parent / f"{project.name}{SUFFIX}", data_dir() / "backups" / f"{project.stem}-{digest}"]


def make_backup(store, folder: str | Path | None = None, reason: str = "open", keep: int = KEEP) -> Path:
    """Back up the open project ``store`` into ``folder`` (default: see :func:`backup_folders`)
    and delete its oldest backups beyond ``keep``. Returns the new backup's path. Works on a
    read-only project too. Raises StoreWriteError when the backup cannot be written."""
    if store.where == ":memory:" and folder is None:
        raise InputError("a project in memory has no folder for backups: give one")
    content = store.content_changes()
    made = backup_connection(store.db.conn, Path(store.where), folder=folder, reason=reason, keep=keep)
    if folder is None:
        store.backup_mark = (made.name, content)  # see Store.close and backup_if_changed
    return made


def backup_if_changed(store, reason: str = "open", keep: int = KEEP) -> Path | None:
    """:func:`make_backup`, unless :func:`newest_backup_holds` the project: then nothing
    is copied (a 790 MB project was copied in full at every opening) and None is returned."""
    return None if newest_backup_holds(store) else make_backup(store, reason=reason, keep=keep)


def newest_backup_holds(store) -> bool:
    """True when the project is large and its newest backup already holds its content: the
    project file is exactly as Annotator left it at a clean close
    (:func:`annotator.core.store.opening.clean_record`, matched when ``store`` opened) right
    after that backup, which is still there; nothing was written through ``store`` since it
    opened (settings aside). A small project
    (:data:`~annotator.core.store.opening.TRUST_UNCHANGED_BYTES`) never has a record: False."""
    from annotator.core.store.opening import opened_clean

    record = opened_clean.get(str(store.where)) if store.where != ":memory:" else None
    name = record.get("backup") if record else None
    if not name or store.content_changes() != 0:
        return False
    for folder in backup_folders(store.where):
        if (folder / name).is_file():
            store.backup_mark = (name, 0)  # see Store.close
            return True
    return False


def backup_connection(conn: sqlite3.Connection, project_path: Path, folder: str | Path | None = None,
                      reason: str = "open", keep: int = KEEP) -> Path:
    """:func:`make_backup` from an open sqlite3 connection (used by Store.open before it
    migrates a project of an older version)."""
    reason = re.sub(r"[^a-z0-9-]+", "-", reason.lower()).strip("-") or "backup"
    target_folder = Path(folder) if folder is not None else _writable_folder(project_path)
    stem = Path(project_path).stem or "project"
    try:
        target_folder.mkdir(parents=True, exist_ok=True)
        final = _new_name(target_folder, stem, reason)
        tmp = target_folder / f".{final.name}.tmp"
        try:
            dest = sqlite3.connect(str(tmp), isolation_level=None)
            try:
                conn.backup(dest)  # one step: a consistent snapshot even while others write
                dest.execute("PRAGMA journal_mode = DELETE")  # one self-contained file
            finally:
                dest.close()
            _fsync(tmp)
            os.replace(tmp, final)
        except BaseException:
            _unlink(tmp)
            raise
    except sqlite3.Error as exc:
        if "locked" in str(exc):
            raise StoreBusyError(f"{project_path}: could not back up the project, another program holds it; "
                                 "try again") from None
        raise StoreWriteError(f"could not write the backup of {project_path} to {target_folder}: {exc}") from None
    except OSError as exc:
        raise StoreWriteError(f"could not write the backup of {project_path} to {target_folder}: "
                              f"{exc.strerror or exc}") from None
    _rotate(target_folder, stem, keep)
    return final


def list_backups(project_path: str | Path) -> list[BackupInfo]:
    """The backups of ``project_path``, newest first."""
    stem = Path(project_path).stem or "project"
    found = []
    for folder in backup_folders(project_path):
        for path in _backups_in(folder, stem):
            match = _NAME.match(path.name)
            created = datetime.strptime(match["time"], _TIME).replace(tzinfo=timezone.utc)
            try:
                size = path.stat().st_size
            except OSError:
                continue
            found.append(BackupInfo(path, created, match["reason"], size, _document_count(path)))
    found.sort(key=lambda b: b.created, reverse=True)
    return found


def restore_backup(backup_path: str | Path, project_path: str | Path) -> Path | None:
    """Replace the content of the project ``project_path`` by the backup ``backup_path``.

    The backup is checked first (an intact Annotator project, not newer than this version);
    then the current project, if any, is backed up (reason "before-restore"; that backup's
    path is returned, None when there was no project file), then the
    backup is copied into the project with SQLite's backup API, under SQLite's locks. Close
    the project's Store before and reopen it afterwards. Raises InputError for a bad backup
    (checked with ``PRAGMA integrity_check``), StoreBusyError when another window or program
    has the project open (named in the message: :func:`file_guard.refuse_if_open`) or
    holds its lock, StoreWriteError when it cannot be written.
    """
    backup_path, project_path = Path(backup_path), Path(project_path)
    if not backup_path.is_file():
        raise InputError(f"{backup_path}: no such backup")
    _check_backup(backup_path)
    refuse_if_open(project_path, "restore a backup")  # an edit made there meanwhile would be lost
    try:
        return _restore(backup_path, project_path)
    except sqlite3.Error as exc:
        raise StoreWriteError(f"could not restore {project_path} from {backup_path}: {exc}") from None
    except OSError as exc:
        raise StoreWriteError(f"could not restore {project_path} from {backup_path}: {exc.strerror or exc}") from None


def _restore(backup_path: Path, project_path: Path) -> Path | None:
    before = _backup_before_restore(project_path) if project_path.exists() else None
    source = sqlite3.connect(f"{backup_path.resolve().as_uri()}?mode=ro", uri=True, isolation_level=None)
    try:
        try:
            dest = sqlite3.connect(str(project_path), timeout=5.0, isolation_level=None)
            try:
                source.backup(dest)
                dest.execute("PRAGMA journal_mode = WAL")
            finally:
                dest.close()
        except sqlite3.DatabaseError as exc:
            if "locked" in str(exc):
                raise StoreBusyError(f"{project_path}: another program holds the project; close it and "
                                     "restore again (nothing was changed)") from None
            if error_code(exc) in (SQLITE_READONLY, SQLITE_PERM):
                raise StoreWriteError(f"could not restore into {project_path}: the project cannot be written "
                                      "(a read-only file, folder or file system); nothing was changed") from None
            if "not a database" not in str(exc) and "malformed" not in str(exc):
                raise StoreWriteError(f"could not restore into {project_path}: {exc}") from None
            _replace_damaged(source, project_path)  # the project file is not SQLite any more
    finally:
        source.close()
    return before


# --- helpers ------------------------------------------------------------------------------------


def _check_backup(path: Path) -> None:
    """InputError unless ``path`` is an intact Annotator project, not newer than this version
    (an older one is fine: it is migrated, after a backup, when next opened)."""
    from sqlite_utils import Database

    from annotator.core.store.migrations import MIGRATION_SET, check_not_newer
    from annotator.core.store.opening import check_intact

    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, isolation_level=None)
    except sqlite3.Error as exc:
        raise InputError(f"{path}: cannot be read ({exc})") from None
    try:
        db = Database(conn)
        if "_sqlite_migrations" not in db.table_names() or not conn.execute(
                "SELECT 1 FROM _sqlite_migrations WHERE migration_set = ?", [MIGRATION_SET]).fetchone():
            raise InputError(f"{path}: not an Annotator project")
        check_intact(db, path, thorough=True)  # a torn copy must not become the project
        check_not_newer(db, str(path))
    except sqlite3.DatabaseError as exc:
        raise InputError(f"{path}: not an Annotator project or damaged ({exc})") from None
    finally:
        conn.close()


def _writable_folder(project_path: Path) -> Path:
    here, elsewhere = backup_folders(project_path)
    parent = here.parent
    if (here.is_dir() and os.access(here, os.W_OK | os.X_OK)) or (not here.exists() and os.access(parent, os.W_OK | os.X_OK)):
        return here
    return elsewhere


def _new_name(folder: Path, stem: str, reason: str) -> Path:
    while True:
        path = folder / f"{stem}-{datetime.now(timezone.utc).strftime(_TIME)}-{reason}.db"
        if not path.exists():
            return path


def _backups_in(folder: Path, stem: str) -> list[Path]:
    try:
        names = os.listdir(folder)
    except OSError:
        return []
    out = []
    for name in names:
        match = _NAME.match(name)
        if match and match["stem"] == stem:
            out.append(folder / name)
    return out


def _rotate(folder: Path, stem: str, keep: int) -> None:
    backups = {path: _created(path) for path in _backups_in(folder, stem)}
    keeping = kept(list(backups.values()), keep)
    for old, created in backups.items():
        if created not in keeping:
            for path in (old, Path(f"{old}-wal"), Path(f"{old}-journal")):
                _unlink(path)


def _created(path: Path) -> datetime:
    return datetime.strptime(_NAME.match(path.name)["time"], _TIME).replace(tzinfo=timezone.utc)


def kept(times: list[datetime], keep: int = KEEP, days: int = KEEP_DAYS) -> set[datetime]:
    """Of backups made at ``times`` (UTC), the ones kept: the newest ``keep`` (at least one)
    and the first of each of the ``days`` calendar days (UTC) up to the newest backup's."""
    ordered = sorted(times, reverse=True)
    if not ordered:
        return set()
    keeping = set(ordered[:max(keep, 1)])
    last_day = ordered[0].date()
    first_of_day: dict = {}
    for time in ordered:  # newest first: the last one seen of a day is its first
        if (last_day - time.date()).days < days:
            first_of_day[time.date()] = time
    return keeping | set(first_of_day.values())


def _document_count(path: Path) -> int | None:
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error:
        return None
    try:
        return conn.execute("SELECT count(*) FROM documents").fetchone()[0]
    except sqlite3.Error:
        return None
    finally:
        conn.close()


def _backup_before_restore(project_path: Path) -> Path:
    """Back up the current project; a file SQLite cannot read or copy is copied as it is."""
    try:
        source = sqlite3.connect(f"{project_path.resolve().as_uri()}?mode=ro", uri=True, isolation_level=None)
        try:
            source.execute("SELECT count(*) FROM sqlite_master").fetchone()
            return backup_connection(source, project_path, reason="before-restore")
        finally:
            source.close()
    except (sqlite3.DatabaseError, StoreWriteError):
        pass  # damaged: copy the bytes (and the -wal, which SQLite finds next to the copy)
    folder = _writable_folder(project_path)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        final = _new_name(folder, project_path.stem or "project", "before-restore")
        shutil.copyfile(project_path, final)
        wal = Path(f"{project_path}-wal")
        if wal.exists():
            shutil.copyfile(wal, f"{final}-wal")
    except OSError as exc:
        raise StoreWriteError(f"could not back up {project_path} before restoring: {exc.strerror or exc}; "
                              "nothing was changed") from None
    return final


def _replace_damaged(source: sqlite3.Connection, project_path: Path) -> None:
    """Write the backup to a new file and move it over the damaged project (whose -wal and
    -shm belong to the damaged file: they were copied by the before-restore backup)."""
    tmp = project_path.with_name(f".{project_path.name}.restore.tmp")
    try:
        dest = sqlite3.connect(str(tmp), isolation_level=None)
        try:
            source.backup(dest)
            dest.execute("PRAGMA journal_mode = WAL")
        finally:
            dest.close()
        for side in ("-wal", "-shm"):
            _unlink(Path(f"{project_path}{side}"))
        _fsync(tmp)
        os.replace(tmp, project_path)
    except (OSError, sqlite3.Error) as exc:
        _unlink(tmp)
        raise StoreWriteError(f"could not restore into {project_path}: {exc}") from None


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _unlink(path: Path) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass
