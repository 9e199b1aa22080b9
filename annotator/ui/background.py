"""Imports and exports off the GUI thread: a worker with its own store connection, a
progress dialog that can cancel, and a window that repaints and closes meanwhile.

:func:`export_in_background` does the same for :func:`~annotator.services.importing.export_to`
(:class:`ExportWorker`): a cancelled export leaves no file at the target (it writes a
temporary file and renames it only when done).

:func:`import_in_background` is what the window's import calls instead of
:func:`~annotator.services.importing.import_paths`. The worker (:class:`ImportWorker`) runs
in a ``QThread`` and opens the project again with ``Store.open`` on the same path (never
the file any other way); the import is still one transaction, so a cancelled import stores
nothing. The caller gets the report and the import's Change, which it pushes on the undo
stack as before.
"""
from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QEventLoop, QObject, Qt, QThread, Signal, Slot
from PySide6.QtWidgets import QProgressDialog

from annotator.core.store import Change, ImportReport, Store
from annotator.services import importing
from annotator.formats.registry import ExportReport
from annotator.services.importing import ExportCancelled, ImportCancelled

if TYPE_CHECKING:
    from annotator.ui.main_window import MainWindow


def open_store(path: Path, **options) -> Store:
    """The worker's own connection to the project (``Store.open``; tests replace it)."""
    return Store.open(path, **options)


class _Worker(QObject):
    """Work on the project at ``project`` through a connection of its own, in whatever
    thread the worker was moved to: :meth:`work` (a subclass's) with that store.

    Signals: ``progressed(done, total, name)``; ``succeeded(a, b)``, :meth:`work`'s pair;
    ``failed(exception)``, as raised. One of the last two is emitted exactly once, then
    the store is closed and ``done`` set. ``cancel()`` (thread-safe) makes the next
    progress call return False."""

    progressed = Signal(int, int, str)
    succeeded = Signal(object, object)
    failed = Signal(object)

    def __init__(self, project: Path, **open_options):
        super().__init__()
        self.project = project
        self.open_options = open_options  # for Store.open (the annotator's name)
        self._cancel = threading.Event()
        self.done = threading.Event()  # set when run() has returned (its store closed)

    @Slot()
    def cancel(self) -> None:
        self._cancel.set()

    def _progress(self, done: int, total: int, name: str = "") -> bool:
        self.progressed.emit(done, total, name)
        return not self._cancel.is_set()

    def work(self, store) -> tuple:
        raise NotImplementedError

    def run(self) -> None:
        store = None
        try:
            store = open_store(self.project, **self.open_options)
            self.succeeded.emit(*self.work(store))
        except Exception as exc:  # noqa: BLE001 - handed to the GUI thread, raised there
            self.failed.emit(exc)
        finally:
            if store is not None:
                store.close()
            self.done.set()


class ImportWorker(_Worker):
    """Imports ``paths`` into the project at ``project`` (:class:`_Worker`).

    ``progressed(done, total, name)``: files read and the name of the one being read, with
    its documents read so far ("": done); ``succeeded(report, change)``; ``failed``:
    ImportCancelled when cancelled (nothing is stored), InputError and the store's errors."""

    def __init__(self, project: Path, paths: list[Path], skip_bad: bool = False, **open_options):
        super().__init__(project, **open_options)
        self.paths, self.skip_bad = paths, skip_bad

    def work(self, store) -> tuple:
        report = importing.import_paths(store, self.paths, skip_bad=self.skip_bad, progress=self._progress)
        return report, store.last_change


class _Session(QObject):
    """The GUI thread's side of one import: the progress dialog, the event loop that waits
    for the worker, and the window's close, which cancels the import, waits for the worker,
    then lets the window close. Its slots run in the GUI thread (it lives there)."""

    def __init__(self, window: MainWindow, worker, thread: QThread, kind: str = "import"):
        super().__init__()
        self.worker, self.thread, self.closed, self.kind = worker, thread, False, kind
        self.outcome: tuple | None = None
        self.loop = QEventLoop()
        first = "Reading the files…" if kind == "import" else "Exporting…"
        dialog = self.dialog = QProgressDialog(first, "Cancel", 0, 0, window)
        dialog.setObjectName(f"{kind}_progress")
        dialog.setWindowTitle(kind.capitalize())
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(400)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        dialog.canceled.connect(self.worker.cancel, Qt.ConnectionType.DirectConnection)
        worker.progressed.connect(self.progressed)
        worker.succeeded.connect(self.succeeded)
        worker.failed.connect(self.failed)

    @Slot(int, int, str)
    def progressed(self, done: int, total: int, name: str) -> None:
        if self.dialog.maximum() != total:
            self.dialog.setMaximum(total)
        self.dialog.setValue(done)
        if self.kind == "export":
            self.dialog.setLabelText(f"Exporting {name}: {done} of {total} document(s)…")
        else:
            self.dialog.setLabelText(f"Reading {name} ({done + 1} of {total})…" if name else f"Stored {total} file(s)…")

    @Slot(object, object)
    def succeeded(self, report, change) -> None:
        self.outcome = (report, change)
        self.loop.quit()

    @Slot(object)
    def failed(self, exc) -> None:
        self.outcome = (exc,)
        self.loop.quit()

    def eventFilter(self, _obj, event) -> bool:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.Close:
            self.closed = True
            self.worker.cancel()
            self.worker.done.wait()  # it stops at the next batch or document; the window then closes its store
        return False


class ExportWorker(_Worker):
    """Exports the documents ``doc_ids`` (None: every one) of the project at ``project`` in
    the format ``fmt_name`` to ``path`` (:class:`_Worker`): ``progressed(done, total,
    format name)`` documents written; ``succeeded(report, count)``; ``failed``:
    ExportCancelled when cancelled (the temporary file is removed)."""

    def __init__(self, project: Path, fmt_name: str, path: Path, doc_ids: list[int] | None, options: dict,
                 layer: str | None = None, replace: bool = False, **open_options):
        super().__init__(project, **open_options)
        self.fmt_name, self.path, self.doc_ids, self.options = fmt_name, path, doc_ids, options
        self.layer = layer  # whose annotations (annotator.services.layer_export.export_layer); None: every layer
        self.replace = replace  # a folder format may replace files of the same names

    def work(self, store) -> tuple:
        ids = self.doc_ids  # None: every document, read in the store's streamed way
        report = importing.export_to(store, self.fmt_name, self.path, ids, options=self.options, layer=self.layer,
                                     progress=lambda done, total: self._progress(done, total, self.fmt_name),
                                     replace=self.replace)
        return report, len(ids) if ids is not None else store.document_count()


def import_in_background(window: MainWindow, paths: list[Path], skip_bad: bool = False) -> tuple[ImportReport, Change]:
    """Import ``paths`` into the window's project in a worker thread, showing a progress
    dialog (Cancel stops it). The event loop runs meanwhile: the window repaints, and a
    close of the window cancels the import and closes normally.

    Returns ``(report, change)``; the change is already in the project (another
    connection's commit) and the window's store has re-read its schema. Raises what
    ``import_paths`` raises (InputError, StoreBusyError...) and :class:`ImportCancelled`
    when cancelled or when the window closed meanwhile (then nothing was stored, unless
    the storing itself had begun)."""
    store = window.store
    if store.where.startswith(":") or not Path(store.where).exists():  # in memory: no second connection
        report = importing.import_paths(store, paths, skip_bad=skip_bad)
        return report, store.last_change
    who = {"annotator": store.annotator} if hasattr(store, "annotator") else {}
    worker = ImportWorker(Path(store.where), list(paths), skip_bad, **who)
    session = _run_in_thread(window, worker, "import")
    if session.closed or session.outcome is None:
        raise ImportCancelled()
    if len(session.outcome) == 1:
        raise session.outcome[0]
    if store.refresh():
        window.events.schema_changed.emit(store.schema)
    window.controller.sync.mark_seen()
    return session.outcome


def _run_in_thread(window: MainWindow, worker, kind: str) -> _Session:
    """Run ``worker`` (an ImportWorker or ExportWorker) in its own QThread while a local
    event loop keeps the window painting and its progress dialog answering; returns the
    session (its ``outcome``, or ``closed`` / no outcome when cancelled)."""
    thread = QThread()
    worker.moveToThread(thread)
    session = _Session(window, worker, thread, kind)
    thread.started.connect(worker.run)
    window.installEventFilter(session)
    thread.start()
    try:
        session.loop.exec()
    finally:
        window.removeEventFilter(session)
        thread.quit()
        thread.wait()
        session.dialog.close()
        session.dialog.deleteLater()
    return session


def export_in_background(window: MainWindow, fmt_name: str, path: Path, doc_ids: list[int] | None = None,
                         options: dict | None = None, layer: str | None = None,
                         replace: bool = False) -> tuple[ExportReport, int]:
    """Export ``doc_ids`` (None: every document) of the window's project, ``layer``'s
    annotations (None: every layer), in a worker thread,
    showing a progress dialog (Cancel stops it). Returns ``(report, documents written)``.
    Raises what ``export_to`` raises (InputError, OSError...) and :class:`ExportCancelled`
    when cancelled or when the window closed meanwhile: then no file was left at ``path``."""
    store = window.store
    if store.where.startswith(":") or not Path(store.where).exists():  # in memory: no second connection
        report = importing.export_to(store, fmt_name, path, doc_ids, options=options or {}, layer=layer,
                                     replace=replace)
        return report, len(doc_ids) if doc_ids is not None else store.document_count()
    who = {"annotator": store.annotator} if hasattr(store, "annotator") else {}
    worker = ExportWorker(Path(store.where), fmt_name, path, doc_ids, dict(options or {}), layer, replace, **who)
    session = _run_in_thread(window, worker, "export")
    if session.closed or session.outcome is None:
        raise ExportCancelled()
    if len(session.outcome) == 1:
        raise session.outcome[0]
    return session.outcome
