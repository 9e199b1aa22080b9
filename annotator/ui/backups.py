"""File > Restore from Backup: the dialog listing a project's backups, newest first.

The backups themselves are made and restored by :mod:`annotator.core.store.backup`; the window
(:meth:`~annotator.ui.project_backups.ProjectBackups.restore_from_backup`) closes the project,
restores and reopens it.
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView, QDialog, QDialogButtonBox, QHeaderView, QLabel, QTableWidget, QTableWidgetItem, QVBoxLayout,
    QWidget,
)

from annotator.core.store.backup import BackupInfo

REASONS = {
    "open": "when the project was opened",
    "auto": "automatic, while editing",
    "close": "when the project was closed",
    "manual": "Back Up Now",
    "before-restore": "before a restore",
    "before-migration": "before an upgrade",
}


def describe_reason(reason: str) -> str:
    return REASONS.get(reason, reason)


def human_size(size: int) -> str:
    """``1536`` -> ``"1.5 KB"``."""
    value = float(size)
    for unit in ("bytes", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return f"{int(value)} {unit}" if unit == "bytes" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{size} bytes"


def local_time(backup: BackupInfo) -> str:
    """When the backup was made, in the computer's time zone."""
    return backup.created.astimezone().strftime("%Y-%m-%d %H:%M:%S")


class BackupsDialog(QDialog):
    """The backups of one project in a table (date, reason, size, documents), newest
    first; OK (or a double-click) chooses the selected one: :meth:`chosen`."""

    HEADERS = ("Date", "Made", "Size", "Documents")

    def __init__(self, project: Path, backups: list[BackupInfo], parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("backups_dialog")
        self.setWindowTitle("Restore from backup")
        self.resize(640, 380)
        self.backups = sorted(backups, key=lambda b: b.created, reverse=True)
        intro = QLabel(
            f"Backups of <b>{project.name}</b>, newest first. Restoring replaces the project's content by the "
            "backup's; the current content is backed up first, so a restore can itself be undone by restoring "
            "that copy.", self)
        intro.setWordWrap(True)
        self.table = QTableWidget(len(self.backups), len(self.HEADERS), self)
        self.table.setObjectName("backups_table")
        self.table.setHorizontalHeaderLabels(self.HEADERS)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        for row, backup in enumerate(self.backups):
            documents = "?" if backup.documents is None else str(backup.documents)
            cells = (local_time(backup), describe_reason(backup.reason), human_size(backup.size), documents)
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(str(backup.path))
                if column >= 2:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(row, column, item)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Restore…")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.table.doubleClicked.connect(lambda _index: self.accept())
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table)
        layout.addWidget(buttons)
        if self.backups:
            self.table.selectRow(0)

    def chosen(self) -> BackupInfo | None:
        rows = self.table.selectionModel().selectedRows()
        return self.backups[rows[0].row()] if rows else None
