"""Issue 7, fault 5: backups were made on opening and every 10 minutes, not on closing, so
the edits of the last minutes before closing were in no backup. Now closing the window (or
opening another project in it) backs the project up when it changed since the last backup."""
from __future__ import annotations

from annotator.core.store import Store
from annotator.core.store.backup import list_backups


def reasons(project) -> list[str]:
    return [b.reason for b in list_backups(project)]


def test_closing_after_an_edit_makes_a_backup_that_holds_it(project, qtbot):
    from annotator.ui.main_window import MainWindow

    window = MainWindow(Store.open(project))
    qtbot.addWidget(window)
    window.show()
    assert reasons(project) == ["open"]
    assert window.controller.run(lambda store: store.add_entity("Last Minute")) is not None
    window.close()
    assert reasons(project) == ["close", "open"]
    backup = Store.open(list_backups(project)[0].path, read_only=True)
    try:
        assert "Last Minute" in {e.name for e in backup.entities()}
    finally:
        backup.close()


def test_closing_without_an_edit_makes_none(project, qtbot):
    from annotator.ui.main_window import MainWindow

    window = MainWindow(Store.open(project))
    qtbot.addWidget(window)
    window.show()
    window.close()
    assert reasons(project) == ["open"]


def test_opening_another_project_backs_up_the_one_it_replaces(project, tmp_path, qtbot):
    from annotator.ui.main_window import MainWindow

    window = MainWindow(Store.open(project))
    qtbot.addWidget(window)
    window.show()
    window.controller.run(lambda store: store.add_entity("Before Switching"))
    window.open_project(tmp_path / "other.db")
    try:
        assert reasons(project) == ["close", "open"]
    finally:
        window.close()
