"""File > Merge Projects (issue 11): other projects' annotator layers brought into the open
project, as ``annotator merge OTHER... --project P`` does (:mod:`annotator.services.merging`:
documents matched by text, each annotator's annotations as that annotator's layer, nothing
overwritten, a second merge changes nothing, conflicts listed). In the window a merge is one
undo step. The other projects are opened read-only, each with its own connection; the open
project's files are refused by name (a project is never merged into itself)."""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QMessageBox

from annotator.core.errors import AnnotatorError, InputError
from annotator.core.store import Store
from annotator.core.store.file_guard import is_project_file
from annotator.services.merging import MergeReport, merge_project
from annotator.ui import file_dialogs

if TYPE_CHECKING:
    from annotator.ui.main_window import MainWindow

PROJECT_FILTER = "Annotator projects (*.annotator *.db);;All files (*)"


def merge_projects(window: MainWindow, paths: list[Path] | None = None) -> list[MergeReport]:
    """Merge the projects ``paths`` (None: a file dialog asks) into the window's project,
    each as one undo step; the status line sums them up and a box lists conflicts and
    notes. Returns the reports (empty when nothing was chosen or the project is read-only).
    A project that cannot be opened, or that is the open project, is reported in a box and
    the others are still merged."""
    store = window.store
    if store.read_only:
        window.statusBar().showMessage("This project is read-only: nothing can be merged into it.", 10000)
        return []
    if paths is None:
        names = file_dialogs.get_open_file_names(window, "Merge projects into this one", "", PROJECT_FILTER)
        paths = [Path(n) for n in names]
    reports, problems = [], []
    for path in paths:
        try:
            reports.append(_merge_one(window, store, path))
        except AnnotatorError as exc:
            problems.append(str(exc))
    lines = [f"{path}: {line}" for path, report in zip(paths, reports) for line in report.conflicts + report.notes]
    if reports:
        added = sum(len(r.added) for r in reports)
        joined = sum(len(r.joined) for r in reports)
        conflicts = sum(len(r.conflicts) for r in reports)
        window.statusBar().showMessage(
            f"Merged {len(reports)} project(s): {added} new document(s), {joined} annotator layer(s) added to "
            f"documents already here, {conflicts} conflict(s).", 15000)
    if problems or lines:
        window.show_box(QMessageBox.Icon.Warning if problems else QMessageBox.Icon.Information, "Merge Projects",
                        "\n".join(problems) or "Merged, with notes:", "\n".join(lines))
    return reports


def _merge_one(window: MainWindow, store: Store, path: Path) -> MergeReport:
    """One project into ``store``, pushed on the undo stack. Raises InputError (naming
    ``path``) for the open project's own files or a missing file, and what opening raises."""
    kind = is_project_file(path, store.where)  # compares paths and stat identities, opens nothing
    if kind is not None:
        raise InputError(f"{path}: {kind} {store.where}: this is the project merged into")
    if not path.is_file():
        raise InputError(f"{path}: no such project")
    other = Store.open(path, read_only=True)
    try:
        report = merge_project(store, other, str(path))
    finally:
        other.close()
    if report.change:
        window.controller.run(lambda _store: report.change)  # already written: one undo step
    return report
