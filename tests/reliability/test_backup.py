"""Backups: made with SQLite's online backup API, rotated, listed, restored; a project of an
older version is backed up before it is migrated."""
from __future__ import annotations

import os
import sqlite3
import threading
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlite_utils import Database

from annotator.core.store import backup as backup_module
from annotator.core.store.backup import KEEP, list_backups, make_backup, restore_backup
from annotator.core.errors import InputError, StoreBusyError, StoreWriteError
from annotator.core.model import NewDocument
from annotator.core.schema import DEFAULT_SCHEMA
from annotator.core.store import Store
from annotator.core.store.migrations import migrations
from reliability_tools import article, dump, integrity_problems, run_cli


def opened(path, **kwargs) -> Store:
    return Store.open(path, **kwargs)


def test_backup_on_demand_is_a_complete_self_contained_project(project):
    store = opened(project)
    try:
        store.add_span(1, "cue", [(2, 6)])  # still in the -wal: the backup must have it
        expected = dump(store)
        path = make_backup(store, reason="manual")
    finally:
        store.close()
    assert path.parent == project.with_name("news.db.backups")
    assert path.name.startswith("news-") and path.name.endswith("-manual.db")
    assert not path.with_name(path.name + "-wal").exists()
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    finally:
        conn.close()
    copy = opened(path, read_only=True)
    try:
        assert dump(copy) == expected and integrity_problems(copy) == []
    finally:
        copy.close()


def test_list_backups_newest_first_with_reason_size_and_documents(project):
    store = opened(project)
    try:
        first = make_backup(store, reason="open")
        store.import_documents([article(9)])
        second = make_backup(store, reason="manual")
    finally:
        store.close()
    infos = list_backups(project)
    assert [b.path for b in infos] == [second, first]
    assert [b.reason for b in infos] == ["manual", "open"]
    assert [b.documents for b in infos] == [3, 2]
    assert all(b.size == b.path.stat().st_size > 0 for b in infos)
    assert infos[0].created >= infos[1].created and infos[0].created.tzinfo is not None


def test_rotation_keeps_the_newest_and_the_first_of_the_day(project):
    store = opened(project)
    try:
        made = [make_backup(store, reason="open", keep=3) for _ in range(5)]
        first = made[0]  # the first of the day stays (see test_ten_opens_after_a_mistake...)
        assert [b.path for b in list_backups(project)] == made[:1:-1] + [first]
        made = [make_backup(store) for _ in range(KEEP + 2)]
    finally:
        store.close()
    assert [b.path for b in list_backups(project)] == made[::-1][:KEEP] + [first]
    assert not any(p.exists() for p in made[:2])


def _backdated(store, project: Path, days_ago: float) -> Path:
    """A real backup renamed as if it had been made ``days_ago`` days ago."""
    made = make_backup(store, reason="open", keep=1000)
    when = datetime.now(timezone.utc) - timedelta(days=days_ago)
    target = made.with_name(f"{project.stem}-{when.strftime('%Y%m%dT%H%M%S.%fZ')}-open.db")
    made.rename(target)
    return target


def test_ten_opens_after_a_mistake_keep_the_backups_from_before_it(project):
    """Issue 7: backups were made on open and every 10 minutes, the newest 10 kept, so ten
    openings after a mistake rotated away every backup from before it. Now the first backup
    of each of the last 14 days stays too."""
    store = opened(project)
    try:
        older = [_backdated(store, project, days) for days in (20, 13, 5, 2, 1)]
        good = make_backup(store, reason="open")  # today's first, before the mistake
        store.delete_document(1)  # the mistake
        after = [make_backup(store, reason="open") for _ in range(10)]  # ten openings since
    finally:
        store.close()
    left = {b.path for b in list_backups(project)}
    assert set(after) <= left and good in left  # the newest 10, and today's first
    assert set(older[1:]) <= left  # one a day for 14 days
    assert older[0] not in left  # 20 days old, and not among the newest 10
    good_store = opened(good, read_only=True)
    try:
        assert good_store.document_count() == 2
    finally:
        good_store.close()


def test_kept_policy_on_times():
    now = datetime(2026, 12, 8, 12, 0, tzinfo=timezone.utc)
    times = [now - timedelta(hours=h) for h in range(0, 24 * 30, 6)]  # 4 a day for 30 days
    keep = backup_module.kept(times, keep=10, days=14)
    newest = set(sorted(times, reverse=True)[:10])
    firsts = {min(t for t in times if t.date() == day) for day in {t.date() for t in times}
              if (now.date() - day).days < 14}
    assert keep == newest | firsts and len(firsts) == 14
    assert backup_module.kept([], keep=10) == set() and backup_module.kept([now], keep=0) == {now}


def test_rotation_is_per_project(tmp_path):
    from reliability_tools import make_project

    one, two = make_project(tmp_path / "one.db"), make_project(tmp_path / "two.db")
    for path in (one, two):
        store = opened(path)
        try:
            for _ in range(4):
                make_backup(store, folder=tmp_path / "shared", keep=2)
        finally:
            store.close()
    names = sorted(os.listdir(tmp_path / "shared"))  # per project: the newest 2 and the day's first
    assert len(names) == 6 and sum(n.startswith("one-") for n in names) == 3


def test_restore_brings_back_the_old_content_and_keeps_the_current_one(project):
    store = opened(project)
    try:
        old = dump(store)
        saved = make_backup(store, reason="manual")
        store.delete_document(1)
        store.import_documents([article(20)])
        newer = dump(store)
    finally:
        store.close()
    before = restore_backup(saved, project)
    assert before is not None and before.name.endswith("-before-restore.db")
    store = opened(project)
    try:
        assert dump(store)[:4] == old[:4] and integrity_problems(store) == []
    finally:
        store.close()
    kept = opened(before, read_only=True)
    try:
        assert dump(kept)[:4] == newer[:4]
    finally:
        kept.close()


def test_restore_is_refused_while_a_connection_has_the_project_open(project):
    """Issue 7: a restore under an open window replaced the content it was editing, and the
    edit it made in between was lost. Now the restore is refused, naming who has it open
    (another process: see test_restore_window.py), and works once it is closed."""
    window = opened(project)  # a window that is idle (not writing)
    try:
        saved = make_backup(window)
        window.import_documents([article(30)])
        with pytest.raises(StoreBusyError, match=r"open in another window or program \(this program"):
            restore_backup(saved, project)
        window.add_entity("made after the refused restore")  # still written, still there
        assert window.document_count() == 3
    finally:
        window.close()
    restore_backup(saved, project)
    store = opened(project)
    try:
        assert store.document_count() == 2 and integrity_problems(store) == []
    finally:
        store.close()


def test_restore_over_a_damaged_project(project):
    store = opened(project)
    try:
        saved = make_backup(store)
        expected = dump(store)[:4]
    finally:
        store.close()
    project.write_bytes(os.urandom(10000))
    with pytest.raises(InputError):
        opened(project)
    before = restore_backup(saved, project)
    assert before.read_bytes()[:100] != b""  # the damaged bytes are kept, just in case
    store = opened(project)
    try:
        assert dump(store)[:4] == expected
    finally:
        store.close()


def test_restore_refuses_a_bad_backup_and_changes_nothing(project, tmp_path):
    bad = tmp_path / "bad-20250101T000000.000000Z-manual.db"
    bad.write_text("not a project", encoding="utf-8")
    before = project.read_bytes()
    with pytest.raises(InputError) as info:
        restore_backup(bad, project)
    assert str(bad) in str(info.value)
    with pytest.raises(InputError):
        restore_backup(tmp_path / "missing.db", project)
    assert project.read_bytes() == before
    assert list_backups(project) == []


def test_backup_while_another_connection_writes_is_consistent(project):
    """A writer adds spans 0, 1, 2... one per transaction; every backup made meanwhile holds
    exactly the spans 0..k-1 for some k: a consistent snapshot, never half an edit."""
    stop = threading.Event()
    written: list[int] = []
    errors: list[BaseException] = []

    def writer() -> None:
        store = opened(project)
        try:
            i = 0
            while not stop.is_set():
                with store.compound("Add"):
                    change = store.add_span(1, "cue", [(i % 40, i % 40 + 2)])
                    store.update_span(change.created_id("spans"), note=f"w{i}")
                written.append(i)
                i += 1
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            store.close()

    thread = threading.Thread(target=writer)
    thread.start()
    store = opened(project)
    backups = []
    try:
        deadline = time.monotonic() + 10
        while len(written) < 5 and time.monotonic() < deadline:
            time.sleep(0.01)
        for _ in range(6):
            backups.append(make_backup(store, reason="manual"))
            time.sleep(0.02)
    finally:
        stop.set()
        thread.join(30)
        store.close()
    assert not errors
    counts = []
    for path in backups:
        copy = opened(path, read_only=True)
        try:
            assert integrity_problems(copy) == []
            notes = sorted(int(s.note[1:]) for s in copy.spans(1) if s.note)
            assert notes == list(range(len(notes)))
            counts.append(len(notes))
        finally:
            copy.close()
    assert counts == sorted(counts) and counts[-1] > 0


def old_project(path) -> None:
    """A project of the first version (migration m001 only) with a document."""
    db = Database(sqlite3.connect(path))
    migrations.apply(db, stop_before="m002_relations_attributes_labels")
    db.execute("INSERT INTO meta (key, value) VALUES ('schema', ?)", [DEFAULT_SCHEMA])
    db.execute("INSERT INTO documents (title, text, sha256) VALUES ('old', 'An old article.', 'x')")
    db.conn.commit()
    db.close()


def test_an_older_project_is_backed_up_before_it_is_migrated(tmp_path):
    path = tmp_path / "old.db"
    old_project(path)
    store = opened(path)
    try:
        assert "relations" in store.db.table_names() and store.document_count() == 1
    finally:
        store.close()
    infos = list_backups(path)
    assert [b.reason for b in infos] == ["before-migration"] and infos[0].documents == 1
    conn = sqlite3.connect(infos[0].path)
    try:
        assert "relations" not in {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
    finally:
        conn.close()
    again = opened(path)  # nothing pending any more: no new backup
    again.close()
    assert len(list_backups(path)) == 1


def test_a_backup_of_an_older_version_can_be_restored_and_is_migrated_again(tmp_path):
    path = tmp_path / "old.db"
    old_project(path)
    Store.open(path).close()  # migrated, after a "before-migration" backup
    old_backup = list_backups(path)[0].path
    restore_backup(old_backup, path)
    store = opened(path)  # migrates again, after another backup
    try:
        assert store.document_count() == 1 and "relations" in store.db.table_names()
    finally:
        store.close()
    assert [b.reason for b in list_backups(path)] == ["before-migration", "before-restore", "before-migration"]


def test_a_new_project_is_not_backed_up(tmp_path):
    store = opened(tmp_path / "new.db")
    store.close()
    assert list_backups(tmp_path / "new.db") == []


def test_migration_is_refused_when_the_backup_cannot_be_written(tmp_path, monkeypatch):
    path = tmp_path / "old.db"
    old_project(path)
    before = path.read_bytes()

    def fail(*args, **kwargs):
        raise StoreWriteError(f"could not write the backup of {path}: disk full")

    monkeypatch.setattr(backup_module, "backup_connection", fail)
    with pytest.raises(StoreWriteError):
        opened(path)
    assert path.read_bytes() == before


def test_backups_go_to_the_user_data_folder_when_the_project_folder_is_read_only(project, monkeypatch):
    store = opened(project)
    real_access = os.access
    monkeypatch.setattr(os, "access", lambda p, mode, *a, **k: False if os.path.abspath(p) == str(project.parent) and mode & os.W_OK else real_access(p, mode, *a, **k))
    try:
        path = make_backup(store)
    finally:
        store.close()
    assert project.parent not in path.parents
    assert [b.path for b in list_backups(project)] == [path]


def test_a_backup_that_cannot_be_written_raises(project, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    store = opened(project)
    try:
        with pytest.raises(StoreWriteError) as info:
            make_backup(store, folder=blocker / "sub")
        assert str(project) in str(info.value)
    finally:
        store.close()


def test_memory_store_needs_a_folder(tmp_path):
    store = Store.memory()
    store.import_documents([NewDocument(title="t", text="Some text.")])
    with pytest.raises(InputError):
        make_backup(store)
    path = make_backup(store, folder=tmp_path)
    assert path.exists()


def test_command_line_backup_backups_restore(project):
    result = run_cli("backup", "--project", project)
    assert result.returncode == 0, result.stderr
    saved = result.stdout.strip()
    store = opened(project)
    try:
        store.delete_document(1)
    finally:
        store.close()
    listing = run_cli("backups", "--project", project)
    assert listing.returncode == 0 and saved in listing.stdout and "manual" in listing.stdout
    restored = run_cli("restore", "1", "--project", project)
    assert restored.returncode == 0, restored.stderr
    assert "before-restore" in restored.stderr
    store = opened(project)
    try:
        assert store.document_count() == 2
    finally:
        store.close()
    missing = run_cli("restore", "99", "--project", project)
    assert missing.returncode == 1 and "Traceback" not in missing.stderr
