"""The worker-thread side of suggesting in the window (:mod:`annotator.ui.auto_suggest`): the
engine it runs, the worker object moved to a ``QThread``, and the status bar's progress widget.

The worker sees plain data only (the text, the known entities, the spans already there),
never the store: SQLite connections stay in the GUI thread.
"""
from __future__ import annotations

import threading

from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QToolButton, QWidget


def make_engine():
    """The engine the window runs (tests replace it): the rules, string matches, VADER."""
    from annotator.core.suggest.engine import Engine
    from annotator.core.suggest.rules import RuleSuggester

    return Engine([RuleSuggester()])


class SuggestWorker(QObject):
    """Runs the engine in the thread it was moved to. ``run(job, text, known, taken)`` emits
    ``done(job, suggestions)`` or ``failed(job, message)``; a job cancelled before it starts
    is skipped. The engine is made on the first job, in the worker's thread."""

    done = Signal(int, object)
    failed = Signal(int, str)

    def __init__(self):
        super().__init__()
        self.engine = None
        self.cancelled: set[int] = set()
        self.lock = threading.Lock()

    def cancel(self, job: int) -> None:
        """Skip ``job`` if it has not started (thread-safe)."""
        with self.lock:
            self.cancelled.add(job)

    @Slot(int, str, object, object)
    def run(self, job: int, text: str, known, taken) -> None:
        with self.lock:
            if job in self.cancelled:
                self.cancelled.discard(job)
                return
        try:
            if self.engine is None:
                self.engine = make_engine()
            self.done.emit(job, self.engine.suggest(text, known, taken=taken))
        except Exception as exc:  # noqa: BLE001 - reported in the GUI thread
            self.failed.emit(job, f"{type(exc).__name__}: {exc}")


class SuggestProgress(QWidget):
    """The status bar's "Suggesting <title>…", a busy bar and Cancel; hidden when idle."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("suggest_progress")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.label = QLabel(self)
        self.bar = QProgressBar(self)
        self.bar.setRange(0, 0)  # one document: no steps to count
        self.bar.setMaximumWidth(90)
        self.bar.setMaximumHeight(14)
        self.cancel = QToolButton(self)
        self.cancel.setObjectName("suggest_cancel")
        self.cancel.setText("Cancel")
        self.cancel.setToolTip("Stop suggesting this document (nothing is written)")
        for widget in (self.label, self.bar, self.cancel):
            layout.addWidget(widget)
        self.hide()
