"""The annotator's name in the window (issue 11): asked on the first start, remembered in the
window settings (:mod:`annotator.ui.settings`, key :data:`SETTING`), changed with
Edit > Annotator Name…, and given to the project's store (``Store.annotator``), which stamps
every span, entity, relation and document status it writes with it.

``annotator --annotator NAME`` overrides the remembered name for one run (not remembered).
"""
from __future__ import annotations

from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QDialog, QDialogButtonBox, QLabel, QLineEdit, QMainWindow, QMenu, QVBoxLayout, QWidget,
)

from annotator.core.layers import GOLD
from annotator.ui import settings

SETTING = "annotator/name"
MAX_NAME_CHARS = 80


def saved_name() -> str:
    """The remembered annotator name ('' when none was given yet)."""
    return str(settings.settings().value(SETTING, "") or "").strip()


def save_name(name: str) -> None:
    settings.set_value(SETTING, name.strip())


def clean_name(text: str) -> str:
    """``text`` as an annotator name: blanks collapsed, at most :data:`MAX_NAME_CHARS` characters."""
    return " ".join(text.split())[:MAX_NAME_CHARS]


class AnnotatorNameDialog(QDialog):
    """Asks for the annotator's name: a line edit (``annotator_name_edit``) and OK / Cancel.
    OK is enabled only for a name that is not blank and not :data:`~annotator.core.layers.GOLD`
    (the gold layer is written by adjudication, not typed in)."""

    def __init__(self, name: str = "", first_start: bool = False, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("annotator_name_dialog")
        self.setWindowTitle("Annotator name")
        layout = QVBoxLayout(self)
        intro = ("Welcome to Annotator. Your name marks everything you annotate, so that a team's\n"
                 "work can be merged, compared and adjudicated. You can change it later in\n"
                 "Edit > Annotator Name…" if first_start else
                 "Your name marks what you annotate from now on (what is already stamped keeps its name).")
        layout.addWidget(QLabel(intro, self))
        self.edit = QLineEdit(name, self)
        self.edit.setObjectName("annotator_name_edit")
        self.edit.setMaxLength(MAX_NAME_CHARS)
        self.edit.setPlaceholderText("Your name or initials")
        layout.addWidget(self.edit)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.edit.textChanged.connect(self._check)
        self._check()

    def name(self) -> str:
        return clean_name(self.edit.text())

    def _check(self, *_args) -> None:
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(bool(self.name()) and self.name().casefold() != GOLD)


def window_annotator(given: str | None = None, parent: QWidget | None = None, ask: bool = True) -> str:
    """The name the window's store writes with: ``given`` (the command line's ``--annotator``,
    not remembered) when not None, else the remembered name, else the name asked for now with
    :class:`AnnotatorNameDialog` and remembered ('' when the dialog is cancelled: asked again
    at the next start). Without ``ask``, no dialog: the remembered name or ''."""
    if given is not None:
        return clean_name(given)
    name = saved_name()
    if name or not ask:
        return name
    dialog = AnnotatorNameDialog(first_start=True, parent=parent)
    if dialog.exec() == QDialog.DialogCode.Accepted and dialog.name():
        save_name(dialog.name())
        return dialog.name()
    return ""


def edit_annotator_name(window) -> AnnotatorNameDialog:
    """Edit > Annotator Name…: open the dialog on the current name (window-modal); on OK the
    name is remembered and the window's store writes with it from then on."""
    dialog = AnnotatorNameDialog(window.store.annotator, parent=window)

    def accepted() -> None:
        save_name(dialog.name())
        window.store.annotator = dialog.name()
        window.statusBar().showMessage(f"Annotating as {dialog.name()}", 6000)

    dialog.accepted.connect(accepted)
    dialog.open()
    window.annotator_dialog = dialog
    return dialog


def install_annotator_action(window: QMainWindow) -> QAction | None:
    """Add Edit > Annotator Name… (``action_annotator_name``) to ``window``; None without an Edit menu."""
    menu = _menu(window, "Edit")
    if menu is None:
        return None
    menu.addSeparator()
    action = QAction("Annotator &Name…", window)
    action.setObjectName("action_annotator_name")
    action.setStatusTip("Your name: it marks everything you annotate (your layer)")
    action.triggered.connect(lambda: edit_annotator_name(window))
    menu.addAction(action)
    return action


def _menu(window: QMainWindow, title: str) -> QMenu | None:
    for action in window.menuBar().actions():
        if action.text().replace("&", "") == title and action.menu() is not None:
            return action.menu()
    return None
