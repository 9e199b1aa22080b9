"""Issue 7, fault 2: an export or its report never overwrites the project.

``annotator export --format json --project p.db --output p.db`` replaced the project with
JSON and exited 0 (a window still open on it kept confirming edits into the wreck);
``--report p.db`` truncated it to 0 bytes. Any output or report path that is the project
(however it is spelled: relative, through a symbolic link, a hard link), its -wal/-shm or
a file in its backup folder is refused before anything is opened or written, on the command
line and in the window; a project's own files are never read as an import either.
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from annotator.cli import main
from annotator.core.store import Store
from annotator.core.store.backup import make_backup
from reliability_tools import assert_one_line_error, dump, run_cli


@pytest.fixture
def backed_up(project, tmp_path) -> Path:
    store = Store.open(project)
    try:
        return make_backup(store, reason="manual")
    finally:
        store.close()


def spellings(project: Path, backup: Path) -> dict[str, Path]:
    """Every way a user may name one of the project's files."""
    (project.parent / "sub").mkdir(exist_ok=True)
    link = project.parent / "link.db"
    link.symlink_to(project)
    hard = project.parent / "hard.db"
    os.link(project, hard)
    return {
        "the project": project,
        "relative": Path(os.path.relpath(project)),
        "with ..": project.parent / "sub" / ".." / project.name,
        "symbolic link": link,
        "hard link": hard,
        "-wal": Path(f"{project}-wal"),
        "-shm": Path(f"{project}-shm"),
        "a backup": backup,
        "a new file in the backup folder": backup.parent / "export.json",
    }


def invoke(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.mark.parametrize("option", ["--output", "--report"])
def test_export_refuses_to_write_over_the_project(project, backed_up, option):
    before, size = dump(project), project.stat().st_size
    for name, target in spellings(project, backed_up).items():
        result = invoke("export", "--format", "json", "--project", project, option, target)
        assert result.exit_code == 1, (name, result.output)
        assert "nothing was written" in result.stderr and str(target) in result.stderr, (name, result.stderr)
    assert dump(project) == before and project.stat().st_size == size
    assert Store.open(project).document_count() == 2


def test_export_over_the_project_in_a_real_process(project):
    """The reproduction of the issue, as a user types it."""
    before = dump(project)
    result = run_cli("export", "--format", "json", "--project", project, "--output", project)
    assert_one_line_error(result, str(project), "is the project")
    result = run_cli("export", "--project", project, "--report", project)
    assert_one_line_error(result, "writing the report there would destroy it")
    assert dump(project) == before


def test_export_next_to_the_project_still_works(project, tmp_path):
    result = invoke("export", "--format", "json", "--project", project, "--output", tmp_path / "news.json",
                    "--report", tmp_path / "news.db.report.txt")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "news.json").stat().st_size > 0


def test_export_refuses_to_write_over_another_project(project, tmp_path):
    """Found by a fresh user: ``export -o other.annotator`` replaced another project (never
    opened, so with no backup) by JSON and exited 0. Any existing SQLite database is refused,
    through the command line; a plain file of the same name is still replaced."""
    other = tmp_path / "other.annotator"
    store = Store.open(other)
    store.close()
    before = dump(other)
    for option in ("--output", "--report"):
        result = invoke("export", "--format", "json", "--project", project, option, other)
        assert result.exit_code == 1, result.output
        assert "is an SQLite database" in result.stderr and "nothing was written" in result.stderr
    assert dump(other) == before
    plain = tmp_path / "plain.json"
    plain.write_text("old", encoding="utf-8")
    assert invoke("export", "--format", "json", "--project", project, "--output", plain).exit_code == 0
    assert plain.read_text(encoding="utf-8") != "old"


def test_import_refuses_the_projects_own_files(project, backed_up):
    before = dump(project)
    for target in (project, Path(f"{project}-wal"), backed_up):
        result = invoke("import", target, "--project", project, "--format", "text")
        assert result.exit_code == 1 and "never imported into it" in result.stderr, result.output
    assert dump(project) == before


def test_the_windows_export_and_import_refuse_the_project(project, backed_up, qtbot):
    from PySide6.QtWidgets import QMessageBox

    from annotator.ui.main_window import MainWindow

    window = MainWindow(Store.open(project))
    qtbot.addWidget(window)
    window.show()
    try:
        for target in (project, Path(f"{project}-wal"), backed_up):
            assert window.export("json", path=target) is None
            boxes = [b for b in window.findChildren(QMessageBox) if b.isVisible()]
            assert boxes and "would destroy it" in boxes[-1].text(), target
            for box in boxes:
                box.close()
        assert window.import_export._import([project]) is None
        boxes = [b for b in window.findChildren(QMessageBox) if b.isVisible()]
        assert boxes and "never imported into it" in boxes[-1].text()
        for box in boxes:
            box.close()
        window.store.add_entity("still fine")  # the project is intact and writable
        assert window.store.document_count() == 2
    finally:
        window.close()
