"""The project's files on disk, guarded: they are never written by anything but SQLite.

Two dangers, both from SQLite's "How To Corrupt An SQLite Database File" (section 2.2,
https://www.sqlite.org/howtocorrupt.html):

* **Lost locks.** POSIX advisory locks belong to the process, and closing ANY descriptor of
  a file releases all of them. A process that holds a project connection and opens and
  closes the project file (or its ``-wal`` / ``-shm``) another way (a file dialog's MIME
  sniffing, hashing, copying) silently loses the shared locks its connection relies on.
  Another process then believes it is the last connection, checkpoints and deletes the
  write-ahead log, and every later edit of the first process goes into a deleted file.
  :func:`check_before_write` finds this before each write transaction and refuses to write
  (``Store._writing`` calls it), with a message telling the user to reopen the project.
* **Overwriting.** An export or report written to the project, its ``-wal`` / ``-shm`` or a
  backup destroys it. :func:`refuse_project_target` refuses such a target by comparing
  resolved paths and ``os.stat`` identities (``stat`` never opens a file).

Linux: the checks read ``/proc/self/fd`` (which files SQLite's descriptors point at, and
whether they were deleted) and ``/proc/locks`` (whether this process still holds SQLite's
locks). Elsewhere they compare the files' identities (device, inode) with those seen at
the first write. Cost: about ten system calls per write transaction, 0.1 to 0.2 ms
(``benchmarks/bench_file_guard.py``: an edit of one row takes about 3 to 4 times as long as
without the guard, about 0.24 ms against 0.06 ms; far below what the window spends on a
key press).
"""
from __future__ import annotations

import os
from pathlib import Path

from annotator.core.errors import InputError, StoreWriteError

SIDE_FILES = ("-wal", "-shm", "-journal")
_PROC_FD, _PROC_LOCKS = Path("/proc/self/fd"), Path("/proc/locks")
_FD_DIR = str(_PROC_FD)
_HAS_PROC = _PROC_FD.is_dir()


def project_files(project: str | Path) -> list[Path]:
    """The files SQLite keeps for ``project``: the file itself, then its -wal, -shm and
    -journal (whether they exist or not)."""
    project = Path(project)
    return [project] + [Path(f"{project}{side}") for side in SIDE_FILES]


def _identity(path: Path | str) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_dev, st.st_ino


def _resolved(path: Path) -> Path:
    try:
        return Path(os.path.realpath(path))
    except OSError:  # pragma: no cover - realpath does not raise on Linux
        return path.absolute()


def is_project_file(target: str | Path, project: str | Path) -> str | None:
    """What ``target`` is of the project at ``project`` ("is the project", "is the
    write-ahead log (-wal) of the project", "is in the backup folder of the project"...: a
    phrase to follow the target's name and precede the project's), or None when it is none of its files nor a backup.
    Compares resolved paths (the files need not exist) and, for files that exist, their
    (device, inode) identity, so that a hard link or another spelling is caught too."""
    from annotator.core.store.backup import backup_folders

    target, project = Path(target), Path(project)
    names = ("is the project", "is the write-ahead log (-wal) of the project",
             "is the shared-memory file (-shm) of the project", "is the journal of the project")
    where, ident = _resolved(target), _identity(target)
    for name, path in zip(names, project_files(project)):
        if where == _resolved(path) or (ident is not None and ident == _identity(path)):
            return name
    for folder in backup_folders(project):
        folder = _resolved(folder)
        if where == folder or folder in where.parents:
            return "is in the backup folder of the project"
    return None


def refuse_project_target(target: str | Path | None, project: str | Path | None, what: str = "export") -> None:
    """InputError when ``target``, the file an export or a report (``what``) is about to
    write, is the project ``project``, one of its -wal/-shm/-journal files or in its backup
    folder; with ``what="import"``, when it is a file about to be read for an import.
    Also, for an export or a report, when ``target`` is an existing SQLite database (another
    Annotator project, say: an export would replace it with a text file, and a project never
    opened has no backup). Nothing when ``target`` is None; only the database check when
    ``project`` is None or in memory."""
    if target is None:
        return
    kind = None if project is None or str(project) == ":memory:" else is_project_file(target, project)
    if kind is not None:
        if what == "import":
            raise InputError(f"{target}: {kind} {project}; a project's own files are never imported into it "
                             "(reading them would release the project's locks). Nothing was imported")
        raise InputError(f"{target}: {kind} {project}; writing the {what} there would destroy it. "
                         "Choose another file; nothing was written")
    # Only now, the target known not to be the open project's file, is it read.
    if what != "import" and _is_sqlite_database(Path(target)):
        raise InputError(f"{target}: is an SQLite database (another Annotator project?); writing the {what} "
                         "there would destroy it. Choose another file; nothing was written")


def _is_sqlite_database(path: Path) -> bool:
    """True when ``path`` is a regular file that opens with SQLite's 16-byte header
    (https://www.sqlite.org/fileformat.html, 1.3.1). Only a regular file is read (a FIFO or a
    device is never opened here), and only its first 16 bytes. The caller has made sure it
    is not the open project (whose file this process never reads)."""
    try:
        if not path.is_file():
            return False
        with path.open("rb") as handle:
            return handle.read(16) == b"SQLite format 3\x00"
    except OSError:
        return False


# --- who else has the project open ----------------------------------------------------------------


def holders(project: str | Path) -> list[str]:
    """The programs that have the project open, other than SQLite connections of this
    process that are closed: one phrase each, "process 1234 (annotator --project p.db)".
    Read from /proc/locks (every SQLite connection to a WAL project holds a shared lock on
    the file and on its -shm as long as it is open) and, for this process, /proc/self/fd.
    Empty when nobody holds it, or when the system has no /proc (then nothing is known)."""
    project = Path(project)
    inodes = {ident[1] for ident in (_identity(project), _identity(Path(f"{project}-shm"))) if ident}
    found: list[str] = []
    if _PROC_FD.is_dir() and any(_open_files(project).values()):
        found.append(f"this program (process {os.getpid()}) has a connection to it open")
    try:
        lines = _PROC_LOCKS.read_text(encoding="ascii", errors="replace").splitlines()
    except OSError:
        return found
    pids = []
    for line in lines:
        parts = line.split()
        if len(parts) >= 6 and parts[1] in ("POSIX", "OFDLCK", "FLOCK") and parts[4] not in (str(os.getpid()), "-1"):
            try:
                inode = int(parts[5].rsplit(":", 1)[1])
            except (IndexError, ValueError):
                continue
            if inode in inodes and parts[4] not in pids:
                pids.append(parts[4])
    for pid in pids:
        found.append(f"process {pid} ({_command(pid)})")
    return found


def _command(pid: str) -> str:
    try:
        words = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return "a program that has ended or cannot be seen"
    text = " ".join(w.decode("utf-8", "replace") for w in words if w)
    return text[:200] or "unknown program"


def refuse_if_open(project: str | Path, action: str) -> None:
    """StoreBusyError naming the programs that have ``project`` open (see :func:`holders`):
    ``action`` ("restore a backup") would change the file under them, and an edit they make
    meanwhile would be lost."""
    from annotator.core.errors import StoreBusyError

    found = holders(project)
    if found:
        raise StoreBusyError(f"{project}: cannot {action} while the project is open in another window or "
                             f"program ({'; '.join(found)}); close it and try again. Nothing was changed")


# --- lost locks, replaced files -----------------------------------------------------------------


def check_before_write(store) -> None:
    """StoreWriteError when the project's files under ``store`` are no longer the ones its
    connection writes: the project file or its write-ahead log deleted or replaced, or this
    process's SQLite locks on them released (see the module). Nothing for a project in
    memory or opened read-only. Called once per write transaction, before it begins."""
    where = getattr(store, "where", ":memory:")
    if where == ":memory:" or getattr(store, "read_only", False):
        return
    problem = _problem(Path(where), store)
    if problem:
        raise StoreWriteError(
            f"{where}: {problem}; the edit was not written. Another program changed the project "
            "underneath this one: close the project and open it again (nothing confirmed before was lost)")


def _problem(project: Path, store) -> str | None:
    if _HAS_PROC:
        return _problem_linux(project, store)
    return _problem_by_identity(project, store)


def _open_files(project: Path, store=None) -> dict[str, list[tuple[str, tuple[int, int] | None]]]:
    """This process's descriptors of the project's files: side ("", "-wal", "-shm") ->
    [(link text, (device, inode) of the open file)]. The descriptor numbers found (and the
    project's resolved path) are kept on ``store`` and read again first (three ``readlink``
    calls instead of one per open descriptor of the process); a full scan when one of them
    changed."""
    memo = store.__dict__ if store is not None else {}
    base = memo.get("_guard_base")
    if base is None:
        base = memo["_guard_base"] = str(_resolved(project))
    wanted = {base: "", base + "-wal": "-wal", base + "-shm": "-shm"}
    cached = memo.get("_guard_fds")
    for attempt in ((cached, None) if cached else (None,)):
        found: dict[str, list] = {"": [], "-wal": [], "-shm": []}
        try:
            fds = attempt if attempt is not None else os.listdir(_FD_DIR)
        except OSError:
            return found
        kept, stale = [], False
        for fd in fds:
            where = f"{_FD_DIR}/{fd}"
            try:
                link = os.readlink(where)
            except OSError:
                stale = True
                continue  # closed meanwhile (the listing's own descriptor)
            side = wanted.get(link[:-10] if link.endswith(" (deleted)") else link)
            if side is None:
                stale = True
                continue
            kept.append(fd)
            found[side].append((link, _identity(where)))
        if attempt is None or not (stale or not found["-wal"]):
            memo["_guard_fds"] = tuple(kept)
            return found
    return found  # pragma: no cover - the loop returns on its last turn


def _problem_linux(project: Path, store) -> str | None:
    found = _open_files(project, store)
    for side, label in (("", "the project file"), ("-wal", "the write-ahead log (-wal)")):
        current = _identity(f"{project}{side}")
        for link, ident in found[side]:
            if link.endswith(" (deleted)") or current is None:
                return f"{label} was deleted or replaced while the project was open"
            if ident is not None and ident != current:
                return f"{label} was replaced while the project was open"
    if found["-wal"] and found["-shm"]:  # WAL mode: the connection holds shared locks all along
        held = _locked_inodes()
        if held is not None:
            for side, label in (("", "the project file"), ("-shm", "the shared-memory file (-shm)")):
                ident = _identity(f"{project}{side}")
                if ident is not None and ident[1] not in held:
                    return (f"this program lost its lock on {label} (a descriptor of it was closed outside "
                            "SQLite), so another program may have deleted the write-ahead log")
    return None


def _locked_inodes() -> set[int] | None:
    """Inodes on which this process holds a POSIX lock (from /proc/locks), or None when
    that cannot be read."""
    pid = str(os.getpid())
    try:
        with open(_PROC_LOCKS, "rb") as stream:
            lines = stream.read().decode("ascii", "replace").splitlines()
    except OSError:
        return None
    held = set()
    for line in lines:
        parts = line.split()
        # "1: POSIX  ADVISORY  READ 9589 fe:00:2150481 128 128"; "-> " marks a waiting lock
        if len(parts) >= 6 and parts[1] == "POSIX" and parts[4] == pid:
            try:
                held.add(int(parts[5].rsplit(":", 1)[1]))
            except (IndexError, ValueError):
                continue
    return held


def _problem_by_identity(project: Path, store) -> str | None:
    """Without /proc: the project file and its -wal must be the files seen at the first write."""
    now = (_identity(project), _identity(Path(f"{project}-wal")))
    seen = store.__dict__.setdefault("_file_identity", now)
    if now[0] != seen[0]:
        return "the project file was deleted or replaced while the project was open"
    if seen[1] is not None and now[1] != seen[1]:
        return "the write-ahead log (-wal) was deleted or replaced while the project was open"
    return None
