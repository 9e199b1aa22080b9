"""Issue 10, "memory flat": a 50,000-document project (790 MB) was checked with
``quick_check`` (1.9 s) and backed up in full at every opening. Now a large project whose
file is exactly as Annotator left it at its last clean close is neither read again nor
copied again; any change to the file since (by anyone: a byte, a copy over it, a touch)
brings both back. "Large" is ``opening.TRUST_UNCHANGED_BYTES``, set to 0 here so that the
small test projects count as large."""
from __future__ import annotations

import os

import pytest

from annotator.core.errors import InputError
from annotator.core.store import Store, opening
from annotator.core.store.backup import backup_if_changed, list_backups

from test_corruption import torn_index


@pytest.fixture
def trusted(monkeypatch):
    monkeypatch.setattr(opening, "TRUST_UNCHANGED_BYTES", 0)


def reasons(project) -> list[str]:
    return [b.reason for b in list_backups(project)]


def test_an_unchanged_large_project_is_not_checked_again(project, trusted):
    Store.open(project).close()  # checked: no record yet
    assert opening.opened_clean[str(project)] is None
    store = Store.open(project)
    assert opening.opened_clean[str(project)] is not None  # trusted: as left at the clean close
    store.add_entity("Edited")
    store.close()
    store = Store.open(project)  # our own edit, closed cleanly: still trusted
    assert opening.opened_clean[str(project)] is not None
    assert "Edited" in {e.name for e in store.entities()}
    store.close()


def test_a_small_project_is_always_checked(project):
    Store.open(project).close()
    Store.open(project).close()
    assert opening.opened_clean[str(project)] is None


def test_a_file_changed_since_the_clean_close_is_checked_and_refused(tmp_path, trusted):
    path = tmp_path / "torn.db"
    torn_index(path)  # damaged in a way only the full check sees
    with pytest.raises(InputError, match="damaged"):
        Store.open(path)
    # a damaged file that had a clean record once: the damage changes the file, so the record fails
    good = tmp_path / "good.db"
    Store.open(good).close()
    Store.open(good).close()  # now recorded clean
    data = bytearray(path.read_bytes())
    good.write_bytes(bytes(data))  # another program wrote over it
    with pytest.raises(InputError, match="damaged"):
        Store.open(good)


def test_touching_the_file_is_a_change(project, trusted):
    Store.open(project).close()
    Store.open(project).close()
    st = project.stat()
    os.utime(project, ns=(st.st_atime_ns, st.st_mtime_ns))  # same times: only ctime moves
    Store.open(project).close()
    assert opening.opened_clean[str(project)] is None


def test_a_leftover_wal_means_a_check(project, trusted):
    Store.open(project).close()
    Store.open(project).close()
    (project.parent / f"{project.name}-wal").write_bytes(b"")  # empty: nothing to replay, still trusted
    Store.open(project).close()
    assert opening.opened_clean[str(project)] is not None


def test_backup_on_open_only_when_the_newest_backup_does_not_hold_the_project(project, trusted):
    store = Store.open(project)
    assert backup_if_changed(store) is not None  # the first opening: a backup
    store.close()
    store = Store.open(project)
    assert backup_if_changed(store) is None  # unchanged since that backup
    store.set_meta("last_document", "1")  # a setting is not content
    store.close()
    store = Store.open(project)
    assert backup_if_changed(store) is None
    store.add_entity("Not in any backup")
    store.close()
    store = Store.open(project)
    made = backup_if_changed(store)  # changed after the last backup: a new one
    store.close()
    assert made is not None and reasons(project) == ["open", "open"]
    backup = Store.open(made, read_only=True)
    try:
        assert "Not in any backup" in {e.name for e in backup.entities()}
    finally:
        backup.close()


def test_a_deleted_backup_is_made_again(project, trusted):
    store = Store.open(project)
    made = backup_if_changed(store)
    store.close()
    made.unlink()
    store = Store.open(project)
    assert backup_if_changed(store) is not None
    store.close()


def test_the_window_backs_up_a_large_project_on_close_only_when_edited(project, trusted, qtbot):
    from annotator.ui.main_window import MainWindow

    def session(edit: bool) -> None:
        window = MainWindow(Store.open(project))
        qtbot.addWidget(window)
        window.show()
        if edit:
            window.controller.run(lambda store: store.add_entity("Edited in the window"))
        window.close()

    session(edit=False)
    assert reasons(project) == ["open"]
    session(edit=False)
    assert reasons(project) == ["open"]  # nothing changed: no copy on opening, none on closing
    session(edit=True)
    assert reasons(project) == ["close", "open"]
    session(edit=False)
    assert reasons(project) == ["close", "open"]  # the close backup holds the project
