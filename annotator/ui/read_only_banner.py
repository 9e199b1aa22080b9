"""The read-only banner: the bar above the article that says why a project cannot be
written, and what still works."""
from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget

BANNER_STYLE = ("QLabel#read_only_banner { background: #fff3cd; color: #533f03; border-bottom: 1px solid #e0c36a;"
                " padding: 6px 10px; }")


class ReadOnlyBanner(QLabel):
    """A rich-text label, hidden until :meth:`show_reason` turns it on. No signals."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("read_only_banner")
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.RichText)
        self.setStyleSheet(BANNER_STYLE)
        self.hide()

    def show_reason(self, on: bool, reason: str | None) -> None:
        """Show the banner with the store's ``reason`` (on) or hide it."""
        reason = reason or "The project cannot be written."
        self.setText(f"<b>Read-only project.</b> {escape(reason)} You can read, navigate, export and back "
                     "it up; marking and every other edit are turned off.")
        self.setToolTip(reason)
        self.setVisible(on)
