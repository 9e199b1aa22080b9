"""The Speakers panel's project-wide counts (mentions and claims of each speaker in the
whole project), read once per project and then kept by the edits' deltas.

Counting them is a pass over every span of the project (3.1 s for 50,000 documents,
4.4 million spans): a small project is counted at once, a large one (over
:data:`BACKGROUND_BYTES`) in a worker thread on a read-only connection of its own
(:func:`annotator.core.store.reading.entity_counts_at`), while the window opens and the
user works; the panel shows "…" for the project figure until :attr:`ProjectCounts.ready`.
An edit made while the count runs starts it again when it ends (the count's snapshot may or
may not include that edit, so its delta cannot be applied safely).
"""
from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import Callable

from PySide6.QtCore import QCoreApplication, QObject, Signal

from annotator.core.errors import AnnotatorError
from annotator.core.store import Store
from annotator.core.store.reading import entity_counts_at

#: Projects whose file (with its -wal) is larger than this are counted in the background.
BACKGROUND_BYTES = 64 * 1024 * 1024


class ProjectCounts(QObject):
    """``{entity id: (mentions, claims)}`` over the whole project, accepted spans only.

    Signals: ``ready()`` when counts read in the background have arrived (not emitted when
    they were read at once by :meth:`load`)."""

    ready = Signal()
    _arrived = Signal(int, object)  # (generation, counts or None): from the worker thread

    def __init__(self, parent=None):
        super().__init__(parent)
        self._counts: dict[int, list[int]] | None = None
        self._store: Store | None = None
        self._generation = 0
        self._dirty = False  # an edit arrived while the worker counted
        self._interrupt: Callable[[], None] | None = None
        self._thread: threading.Thread | None = None
        self.background_runs = 0  # counts read in a worker thread (tests)
        self._arrived.connect(self._on_arrived)
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.stop)

    def load(self, store: Store) -> None:
        """Count the project of ``store``: at once when it is small (or in memory), else in
        a worker thread."""
        self.stop()
        self._store, self._dirty = store, False
        self._generation += 1
        if _size(store) <= BACKGROUND_BYTES:
            self._counts = {e: [m, c] for e, (m, c) in store.entity_counts().items()}
            return
        self._counts = None
        generation, path = self._generation, store.where
        self.background_runs += 1
        self._thread = threading.Thread(target=self._work, args=(generation, path), daemon=True,
                                        name="speaker-counts")
        thread = self._thread  # its connection must be gone before the project closes
        store.before_close.append(lambda: self.stop() if self._thread is thread else None)
        thread.start()

    def _work(self, generation: int, path: str) -> None:
        def opened(interrupt):
            self._interrupt = interrupt
        try:
            counts = entity_counts_at(path, opened=opened)
        except AnnotatorError:
            counts = None
        try:
            self._arrived.emit(generation, counts)
        except RuntimeError:  # the panel is gone
            pass

    def _on_arrived(self, generation: int, counts) -> None:
        if generation != self._generation:
            return
        self._interrupt = None
        if counts is None or self._dirty:  # failed (interrupted) or an edit came meanwhile: again
            if self._store is not None and counts is not None:
                self.load(self._store)
            return
        self._counts = {e: [m, c] for e, (m, c) in counts.items()}
        self.ready.emit()

    def stop(self) -> None:
        """Stop a count running in the background and wait for its connection to close
        (the project closes or is replaced)."""
        self._generation += 1
        thread, self._thread = self._thread, None
        while thread is not None and thread.is_alive():
            interrupt = self._interrupt
            if interrupt is not None:
                try:
                    interrupt()
                except Exception:  # the connection closed meanwhile
                    pass
            thread.join(0.05)
        self._interrupt = None

    @property
    def loaded(self) -> bool:
        return self._counts is not None

    def get(self, entity_id: int) -> tuple[int, int] | None:
        """(mentions, claims) of ``entity_id``, None while the background count runs."""
        if self._counts is None:
            return None
        value = self._counts.get(entity_id)
        return (0, 0) if value is None else (value[0], value[1])

    def add(self, entity_id: int, which: int, delta: int) -> None:
        """An edit changed the mentions (``which`` 0) or claims (1) of ``entity_id`` by ``delta``."""
        if self._counts is None:
            self._dirty = True
            return
        self._counts.setdefault(entity_id, [0, 0])[which] += delta

    def mentions(self, entity_id: int) -> int:
        """Mentions of ``entity_id`` in the project, read now if the counts are not there yet."""
        value = self.get(entity_id)
        if value is not None:
            return value[0]
        return self._store.entity_mention_count(entity_id) if self._store is not None else 0


def _size(store: Store) -> int:
    if store.where == ":memory:":
        return 0
    total = 0
    for path in (store.where, f"{store.where}-wal"):
        try:
            total += os.stat(Path(path)).st_size
        except OSError:
            pass
    return total
