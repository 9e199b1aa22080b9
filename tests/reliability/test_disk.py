"""A hostile disk: read-only files and folders, a full disk, a write failing halfway.

Root ignores file permissions, so besides ``chmod`` the tests make ``os.access`` report the
file or folder as not writable (what it reports for a normal user, or on a read-only mount);
run as a normal user, SQLite itself cannot write either.
"""
from __future__ import annotations

import hashlib
import os
import sqlite3
import stat

import pytest

from annotator.core.errors import AnnotatorError, InputError, ReadOnlyError, StoreWriteError
from annotator.core.model import NewDocument, NewSpan
from annotator.core.store import Store
from annotator.core.store import store as store_module
from annotator.core.store.migrations import migrations
from annotator.core.store import import_writer
from reliability_tools import article, dump, run_cli


def sha(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def deny_write(monkeypatch):
    """``deny_write(path)``: make ``path`` read-only for real (chmod) and for os.access."""
    denied: list = []
    real_access = os.access

    def access(path, mode, *args, **kwargs):
        if mode & os.W_OK and os.path.abspath(path) in denied:
            return False
        return real_access(path, mode, *args, **kwargs)

    monkeypatch.setattr(os, "access", access)
    modes = []

    def deny(path):
        modes.append((path, stat.S_IMODE(path.stat().st_mode)))
        path.chmod(0o555 if path.is_dir() else 0o444)
        denied.append(os.path.abspath(path))

    yield deny
    for path, mode in reversed(modes):
        path.chmod(mode)


def every_edit(store: Store, undo) -> list:
    """One call of every kind of write the store offers."""
    return [
        lambda: store.add_span(1, "cue", [(0, 3)]),
        lambda: store.update_span(store.spans(1)[0].id, note="x"),
        lambda: store.delete_span(store.spans(1)[0].id),
        lambda: store.update_document(1, title="changed"),
        lambda: store.delete_document(1),
        lambda: store.add_entity("Someone"),
        lambda: store.update_entity(1, name="Other"),
        lambda: store.delete_entity(1),
        lambda: store.add_relation(1, "about", store.spans(1)[0].id, store.spans(1)[1].id),
        lambda: store.import_documents([article(7)]),
        lambda: store.apply(undo),
        lambda: store.set_meta("last_document", "2"),
        lambda: store.add_labels(["rumour"]),
    ]


def assert_refuses_every_edit(store: Store, undo) -> None:
    before = dump(store)
    for edit in every_edit(store, undo):
        with pytest.raises(ReadOnlyError) as info:
            edit()
        assert store.where in str(info.value)
    with pytest.raises(ReadOnlyError):
        with store.compound("Two edits"):
            store.add_span(1, "cue", [(0, 3)])
    assert dump(store) == before
    assert not store.last_change


def undo_of_an_edit(path):
    store = Store.open(path)
    try:
        return store.add_span(1, "cue", [(4, 9)]).inverted()
    finally:
        store.close()


def test_read_only_file_opens_read_only_and_refuses_every_edit(project, deny_write):
    undo = undo_of_an_edit(project)
    deny_write(project)
    digest = sha(project)
    store = Store.open(project)
    try:
        assert store.read_only
        assert str(project) in store.read_only_reason and "read-only" in store.read_only_reason
        assert store.document_count() == 2 and store.spans(1)  # reading works
        assert_refuses_every_edit(store, undo)
    finally:
        store.close()
    assert sha(project) == digest


def test_read_only_folder_opens_read_only_and_refuses_every_edit(project, deny_write):
    undo = undo_of_an_edit(project)
    digest = sha(project)
    deny_write(project.parent)
    store = Store.open(project)
    try:
        assert store.read_only
        assert str(project) in store.read_only_reason and str(project.parent) in store.read_only_reason
        assert store.document_count() == 2
        assert_refuses_every_edit(store, undo)
    finally:
        store.close()
    assert sha(project) == digest


def test_read_only_on_request(project):
    store = Store.open(project, read_only=True)
    try:
        assert store.read_only and str(project) in store.read_only_reason
        with pytest.raises(ReadOnlyError):
            store.add_entity("X")
    finally:
        store.close()


def test_no_project_in_a_read_only_folder_is_refused_with_a_message(tmp_path, deny_write):
    deny_write(tmp_path)
    with pytest.raises(InputError) as info:
        Store.open(tmp_path / "new.db")
    assert str(tmp_path / "new.db") in str(info.value)
    assert not (tmp_path / "new.db").exists()


def test_when_sqlite_cannot_write_the_project_opens_read_only(project, monkeypatch):
    """os.access says yes but SQLite says "attempt to write a readonly database" (a read-only
    mount, an ACL): simulated by handing the store a read-only connection."""
    real_connect = store_module.connect

    def connect(target, busy_timeout, uri=False):
        if not uri:
            target, uri = f"{project.resolve().as_uri()}?mode=ro", True
        return real_connect(target, busy_timeout, uri=uri)

    monkeypatch.setattr(store_module, "connect", connect)
    store = Store.open(project)
    try:
        assert store.read_only
        assert str(project) in store.read_only_reason and "readonly" in store.read_only_reason
        with pytest.raises(ReadOnlyError):
            store.add_entity("X")
    finally:
        store.close()


def test_when_the_shm_file_cannot_be_made_the_project_opens_immutable(project, monkeypatch):
    """In a read-only folder a WAL project's -shm cannot be created: ``mode=ro`` fails with
    "unable to open database file" and the store falls back to ``immutable=1``."""
    real_connect = store_module.connect
    tried = []

    def connect(target, busy_timeout, uri=False):
        tried.append(target)
        if uri and "immutable" not in target:
            raise sqlite3.OperationalError("unable to open database file")
        return real_connect(target, busy_timeout, uri=uri)

    monkeypatch.setattr(store_module, "connect", connect)
    store = Store.open(project, read_only=True)
    try:
        assert store.read_only and store.document_count() == 2
        assert "immutable=1" in tried[-1]
    finally:
        store.close()


def test_a_write_refused_by_sqlite_after_opening_is_reported_read_only(project):
    """The file became read-only while open: the edit raises ReadOnlyError (not a bare
    sqlite3 error), nothing changes, and the store now says it is read-only."""
    store = Store.open(project, read_only=True)
    try:
        store.read_only = False  # as if it had been writable when opened
        before = dump(store)
        with pytest.raises(ReadOnlyError) as info:
            store.update_document(1, title="changed")
        assert str(project) in str(info.value) and "nothing was changed" in str(info.value)
        assert store.read_only and store.read_only_reason
        assert dump(store) == before
    finally:
        store.close()


def test_an_old_project_that_cannot_be_written_is_refused_not_half_migrated(tmp_path, deny_write):
    path = tmp_path / "old.db"
    conn = sqlite3.connect(path)
    from sqlite_utils import Database

    migrations.apply(Database(conn), stop_before="m002_relations_attributes_labels")
    conn.close()
    deny_write(path)
    digest = sha(path)
    with pytest.raises(InputError) as info:
        Store.open(path)
    assert str(path) in str(info.value) and "older" in str(info.value)
    assert sha(path) == digest


def test_read_only_project_through_the_command_line(project, deny_write):
    deny_write(project)
    result = run_cli("stats", "--json", "--project", project)
    assert result.returncode == 0, result.stderr
    assert '"documents": 2' in result.stdout


# --- a full disk --------------------------------------------------------------------------------


def fill_disk(store: Store, spare_pages: int = 0) -> None:
    """Make the database unable to grow beyond its size (+ ``spare_pages``): SQLITE_FULL,
    exactly what a full disk gives."""
    pages = store.db.execute("PRAGMA page_count").fetchone()[0]
    store.db.execute(f"PRAGMA max_page_count = {pages + spare_pages}")


def big_import() -> list[NewDocument]:
    docs = [article(100 + i, words=800) for i in range(30)]
    docs[5].labels = ["rumour"]  # a label beyond the schema: its addition must roll back too
    docs[5].spans.append(NewSpan("s9", "rumour", ((40, 60),)))
    return docs


def test_disk_full_during_an_import_raises_and_changes_nothing(project):
    store = Store.open(project)
    try:
        before, labels = dump(store), store.schema.label_names
        fill_disk(store)
        with pytest.raises(StoreWriteError) as info:
            store.import_documents(big_import())
        message = str(info.value)
        assert str(project) in message and "disk full" in message and "nothing was changed" in message
        assert dump(store) == before
        assert store.schema.label_names == labels and not store.last_change
        store.db.execute("PRAGMA max_page_count = 1073741823")  # space again: the same import works
        report, change = store.import_documents(big_import())
        assert len(report.added) == 30 and change
    finally:
        store.close()


def test_disk_full_in_the_middle_of_an_import_leaves_nothing(project, monkeypatch):
    store = Store.open(project)
    try:
        before = dump(store)
        fill_disk(store, spare_pages=12)  # room for a few documents and their search index
        writes = []
        insert = store._insert_many

        def counting_insert(table, columns, rows):
            writes.append(table)
            return insert(table, columns, rows)

        store._insert_many = counting_insert
        monkeypatch.setattr(import_writer, "BATCH", 3)  # 10 batches of 3 documents, each written in bulk
        with pytest.raises(StoreWriteError):
            store.import_documents(big_import())
        assert len(writes) > 3  # it failed well inside the import (after a batch), not at the start
        assert dump(store) == before
    finally:
        store.close()
    reopened = Store.open(project)
    try:
        assert dump(reopened) == before
    finally:
        reopened.close()


def test_an_io_error_halfway_through_an_import_leaves_nothing(project, monkeypatch):
    store = Store.open(project)
    try:
        before = dump(store)
        insert, calls = store._insert_many, []

        def failing_insert(table, columns, rows):
            calls.append(table)
            if len(calls) == 16:  # the sixth batch's documents
                raise sqlite3.OperationalError("disk I/O error")
            return insert(table, columns, rows)

        store._insert_many = failing_insert
        monkeypatch.setattr(import_writer, "BATCH", 3)
        with pytest.raises(StoreWriteError) as info:
            store.import_documents(big_import())
        assert "input/output error" in str(info.value) and "nothing was changed" in str(info.value)
        assert dump(store) == before
    finally:
        store.close()


def test_disk_full_on_single_edits_and_compound_edits(project):
    store = Store.open(project)
    try:
        before = dump(store)
        fill_disk(store)
        long_name = "N" * 20000  # needs new pages
        with pytest.raises(StoreWriteError):
            store.add_entity(long_name)
        with pytest.raises(StoreWriteError):
            with store.compound("Two"):
                store.add_span(1, "cue", [(0, 3)])
                store.update_entity(1, notes=long_name)
        assert dump(store) == before and not store.last_change
        store.add_span(1, "cue", [(0, 3)])  # small edits that fit still work
    finally:
        store.close()


def test_write_errors_are_annotator_errors_with_one_line_messages(project):
    store = Store.open(project)
    try:
        fill_disk(store)
        with pytest.raises(AnnotatorError) as info:
            store.import_documents(big_import())
        assert "\n" not in str(info.value)
    finally:
        store.close()
