"""Issue 7, fault 5: restoring a backup while a window has the project open.

``annotator restore`` used to replace the project's content under an open window: the edit
the window made between the restore's own "before-restore" backup and the copy was in
neither, and the window went on writing into content it did not show. Now a restore is
refused while another window or program has the project open, and the message names it
(process id and command line, from /proc/locks); the window's edits all survive. The
window's own File > Restore from Backup (it closes its connection first) still works when
it is alone on the project, and is refused when a second window has it open.

Real processes: the window is ``window_driver.py`` (offscreen), the restore is the command
line or a second window; the window is killed with SIGKILL before the project is checked.
"""
from __future__ import annotations

import sys

import pytest

from annotator.core.store import Store
from annotator.core.store.backup import list_backups, make_backup
from reliability_tools import make_project, run_cli
from window_process import Window, answer, entity_names

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="who holds a project is read from /proc")


def backed_up(project):
    store = Store.open(project)
    try:
        return make_backup(store, reason="manual")
    finally:
        store.close()


def test_command_line_restore_is_refused_while_a_window_edits(tmp_path):
    project = make_project(tmp_path / "news.db")
    backed_up(project)
    window = Window(project, tmp_path)
    pid = window.expect_pid
    confirmed = []
    try:
        window.send("edit 1")
        confirmed.append(answer(window, 1))
        result = run_cli("restore", "1", "--project", project)
        window.send("edit 2")  # the edit made "in between": it must survive
        confirmed.append(answer(window, 2))
    finally:
        window.kill()
    assert result.returncode == 1, result.stderr
    assert f"process {pid}" in result.stderr and "window_driver.py" in result.stderr, result.stderr
    assert "Nothing was changed" in result.stderr and "Traceback" not in result.stderr
    assert confirmed == ["done 1", "done 2"]
    assert {"edit-1", "edit-2"} <= entity_names(project)
    assert [b.reason for b in list_backups(project)].count("before-restore") == 0


def test_the_windows_restore_works_alone_and_is_refused_beside_another_window(tmp_path):
    project = make_project(tmp_path / "news.db")
    backup = backed_up(project)
    first = Window(project, tmp_path)
    try:
        first.send("edit 1")
        assert answer(first, 1) == "done 1"
        second = Window(project, tmp_path / "second")
        try:
            first.send(f"restore {backup}")
            refused = first.expect("not restored")
            assert f"process {second.expect_pid}" in refused, refused
            second.send("edit 2")
            assert answer(second, 2) == "done 2"
        finally:
            second.kill()
        assert {"edit-1", "edit-2"} <= entity_names(project)
        first.send(f"restore {backup}")  # alone now: restored, and the window goes on
        assert first.expect("restored") == "restored"
        first.send("edit 3")
        assert answer(first, 3) == "done 3"
    finally:
        first.kill()
    names = entity_names(project)
    assert "edit-3" in names and "edit-1" not in names  # the backup's content, then the new edit
    assert "before-restore" in [b.reason for b in list_backups(project)]
