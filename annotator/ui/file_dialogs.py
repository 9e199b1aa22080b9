"""The window's file dialogs, which never open a file to show it.

Qt's own file dialog lists a folder through ``QFileSystemModel``, whose icon provider asks
``QMimeDatabase`` for each file's type; for a name without a known extension (``P.db``,
``P.db-wal``, ``P.db-shm``) the MIME database opens the file and reads its first bytes.
In a process that holds the project open, that close of a second descriptor drops every
POSIX lock SQLite holds on the file (SQLite's "How To Corrupt An SQLite Database File",
section 2.2): another process then believes it is the last connection, checkpoints and
deletes the write-ahead log, and every later edit of the window is written into a deleted
file (issue 7, fault 1).

So every file dialog of the window comes from here: Qt's widget dialog (never the platform's
native one, which runs our process's code we cannot see) with :class:`NamesOnlyIconProvider`,
which tells a file's icon and type from its name alone. ``tests/reliability/
test_file_dialogs.py`` traces the dialogs and checks that no project file is opened.

Each function returns what the matching ``QFileDialog`` static function returns ("" or []
when cancelled). The dialog is a ``QFileDialog`` named ``file_dialog`` (tests find it with
``QApplication.activeModalWidget()``).
"""
from __future__ import annotations

from PySide6.QtCore import QFileInfo
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QFileDialog, QFileIconProvider, QWidget


class NamesOnlyIconProvider(QFileIconProvider):
    """Icons and type names from a file's name: a folder icon for folders, a file icon for
    the rest, and "<EXT> File" as type. Never reads a file (Qt's default provider asks the
    MIME database, which reads the first bytes of files it cannot place by name).
    Called from Qt's file-information thread too: it only reads icons made beforehand."""

    def __init__(self) -> None:
        super().__init__()
        self.setOptions(QFileIconProvider.Option.DontUseCustomDirectoryIcons)
        self._folder = super().icon(QFileIconProvider.IconType.Folder)
        self._file = super().icon(QFileIconProvider.IconType.File)
        self._drive = super().icon(QFileIconProvider.IconType.Drive)

    def icon(self, what) -> QIcon:  # noqa: D102 - Qt's overloads: an IconType or a QFileInfo
        if isinstance(what, QFileInfo):
            if what.isRoot():
                return self._drive
            return self._folder if what.isDir() else self._file
        return super().icon(what)

    def type(self, info: QFileInfo) -> str:  # noqa: A003 - Qt's name
        if info.isDir():
            return "Folder"
        suffix = info.suffix()
        return f"{suffix.upper()} File" if suffix else "File"


_PROVIDER: NamesOnlyIconProvider | None = None


def icon_provider() -> NamesOnlyIconProvider:
    """The one provider shared by every dialog (it must outlive them)."""
    global _PROVIDER
    if _PROVIDER is None:
        _PROVIDER = NamesOnlyIconProvider()
    return _PROVIDER


def file_dialog(parent: QWidget | None, caption: str, folder: str = "", filters: str = "") -> QFileDialog:
    """A Qt widget file dialog that never reads the files it lists (see the module)."""
    dialog = QFileDialog(parent, caption, folder, filters)
    dialog.setObjectName("file_dialog")
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
    dialog.setOption(QFileDialog.Option.DontUseCustomDirectoryIcons, True)
    dialog.setIconProvider(icon_provider())
    return dialog


def _run(dialog: QFileDialog) -> list[str]:
    try:
        if dialog.exec() != QFileDialog.DialogCode.Accepted:
            return []
        return dialog.selectedFiles()
    finally:
        dialog.deleteLater()


def get_open_file_names(parent: QWidget | None, caption: str, folder: str = "", filters: str = "") -> list[str]:
    """Existing files to read ([] when cancelled)."""
    dialog = file_dialog(parent, caption, folder, filters)
    dialog.setFileMode(QFileDialog.FileMode.ExistingFiles)
    return _run(dialog)


def get_open_file_name(parent: QWidget | None, caption: str, folder: str = "", filters: str = "") -> str:
    """One existing file ("" when cancelled)."""
    dialog = file_dialog(parent, caption, folder, filters)
    dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
    names = _run(dialog)
    return names[0] if names else ""


def get_save_file_name(parent: QWidget | None, caption: str, folder: str = "",
                       filters: str = "") -> tuple[str, str]:
    """A file to write and the filter chosen (("", "") when cancelled). A replaced file is
    confirmed by the dialog."""
    dialog = file_dialog(parent, caption, folder, filters)
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    dialog.setFileMode(QFileDialog.FileMode.AnyFile)
    names = _run(dialog)
    return (names[0], dialog.selectedNameFilter()) if names else ("", "")


def get_existing_directory(parent: QWidget | None, caption: str, folder: str = "") -> str:
    """An existing folder ("" when cancelled)."""
    dialog = file_dialog(parent, caption, folder)
    dialog.setFileMode(QFileDialog.FileMode.Directory)
    dialog.setOption(QFileDialog.Option.ShowDirsOnly, True)
    names = _run(dialog)
    return names[0] if names else ""
