"""Two windows (connections, processes) on one project.

While one holds the write lock, an edit of the other waits for the busy timeout, then
raises StoreBusyError and is not applied, not even in part; once the lock is released the
same edit succeeds. Reading never waits (WAL). Edits of one are seen by the other, which
learns of them through ``Store.data_version()``.
"""
from __future__ import annotations

import sqlite3
import threading
import time

import pytest

from annotator.core.errors import AnnotatorError, StoreBusyError
from annotator.core.store import Store
from reliability_tools import article, dump, integrity_problems, run_cli

TIMEOUT = 0.2


@pytest.fixture
def two(project):
    a = Store.open(project, busy_timeout=TIMEOUT)
    b = Store.open(project, busy_timeout=TIMEOUT)
    yield a, b
    a.close()
    b.close()


def edits_of(store: Store) -> dict:
    """Edits of every kind, by name (each a new call)."""
    return {
        "add span": lambda: store.add_span(1, "cue", [(2, 6)]),
        "edit document": lambda: store.update_document(1, status="done"),
        "add speaker": lambda: store.add_entity("Ann Other"),
        "delete document": lambda: store.delete_document(2),
        "import": lambda: store.import_documents([article(50), article(51)]),
        "compound": lambda: _compound(store),
        "setting": lambda: store.set_meta("last_document", "2"),
    }


def _compound(store: Store):
    with store.compound("Two spans"):
        store.add_span(1, "cue", [(2, 6)])
        store.add_span(1, "cue", [(8, 12)])
    return store.last_change


@pytest.mark.parametrize("edit", list(edits_of(None)))
def test_edit_while_another_holds_the_write_lock_raises_busy_and_is_not_applied(two, edit):
    a, b = two
    before = dump(b)
    with a.compound("Holding the lock"):
        a.add_entity("Held")  # a write: a holds the write lock until the block ends
        started = time.monotonic()
        with pytest.raises(StoreBusyError) as info:
            edits_of(b)[edit]()
        waited = time.monotonic() - started
        assert TIMEOUT * 0.8 <= waited < TIMEOUT + 2.0
        message = str(info.value)
        assert b.where in message and "another program" in message and "not applied" in message
        assert dump(b) == before  # nothing of b's edit, and a's uncommitted row is not seen
        assert not b.last_change
        assert b.document_count() == 2  # reading does not wait
    result = edits_of(b)[edit]()  # the lock is free: the same edit now works
    assert result or edit == "setting"
    assert integrity_problems(b) == []
    assert any(e.name == "Held" for e in b.entities())


def test_a_raw_write_transaction_of_another_program_also_makes_edits_busy(project):
    other = sqlite3.connect(project, isolation_level=None)
    store = Store.open(project, busy_timeout=TIMEOUT)
    try:
        other.execute("BEGIN IMMEDIATE")
        other.execute("UPDATE documents SET title = 'theirs' WHERE id = 1")
        before = dump(store)
        with pytest.raises(StoreBusyError):
            store.update_document(1, title="mine")
        with pytest.raises(StoreBusyError):
            store.apply(store.last_change.inverted())
        assert dump(store) == before
        other.execute("COMMIT")
        assert store.document(1).title == "theirs"  # their committed edit is seen
        store.update_document(1, title="mine")
        assert store.document(1).title == "mine"
    finally:
        other.close()
        store.close()


def test_edits_of_one_connection_are_seen_by_the_other_and_data_version_tells(two):
    a, b = two
    version = b.data_version()
    own = a.data_version()
    change = a.add_span(1, "cue", [(2, 6)])
    assert b.data_version() != version  # b learns that someone else changed the project
    assert a.data_version() == own  # a's own edits do not count
    span_id = change.created_id("spans")
    assert b.span(span_id) is not None
    version = b.data_version()
    a.apply(change.inverted())  # undo in a: b sees the span gone
    assert b.data_version() != version and b.span(span_id) is None
    version = a.data_version()
    b.update_document(1, title="from b")
    assert a.data_version() != version and a.document(1).title == "from b"


def test_undo_of_an_edit_that_the_other_window_changed_meanwhile(two):
    """a adds a span, b deletes it, a undoes its add: the undo finds nothing to delete and
    the project stays consistent."""
    a, b = two
    change = a.add_span(1, "cue", [(2, 6)])
    b.delete_span(change.created_id("spans"))
    try:
        a.apply(change.inverted())
    except AnnotatorError:
        pass  # refusing is fine too, as long as the project is intact
    assert integrity_problems(a) == [] and integrity_problems(b) == []


def test_two_threads_editing_the_same_project_lose_nothing(project):
    """Two connections edit at the same time; with a busy timeout long enough for the other's
    short transactions, every edit lands (none is silently dropped)."""
    done: dict[str, list[int]] = {"a": [], "b": []}
    errors: list[BaseException] = []

    def work(name: str) -> None:
        store = Store.open(project, busy_timeout=5.0)
        try:
            for i in range(60):
                change = store.add_span(1, "cue", [(i % 50, i % 50 + 3)])
                store.update_span(change.created_id("spans"), note=f"{name}{i}")
                done[name].append(i)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            store.close()

    threads = [threading.Thread(target=work, args=(n,)) for n in done]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors
    store = Store.open(project)
    try:
        notes = {s.note for s in store.spans(1)}
        assert all(f"{n}{i}" in notes for n in done for i in done[n])
        assert len(done["a"]) == len(done["b"]) == 60
        assert integrity_problems(store) == []
    finally:
        store.close()


def test_command_line_import_waits_for_a_short_lock_then_succeeds(project, tmp_path):
    """A window holding the lock briefly (an edit) does not make the command fail: it waits."""
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text("Locked title\n\nBody of the article.\n", encoding="utf-8")
    held = threading.Event()

    def hold() -> None:
        conn = sqlite3.connect(project, isolation_level=None)
        try:
            conn.execute("BEGIN IMMEDIATE")
            conn.execute("UPDATE documents SET title = title")
            held.set()
            time.sleep(1.0)
            conn.execute("COMMIT")
        finally:
            conn.close()

    thread = threading.Thread(target=hold)
    thread.start()
    held.wait(10)
    result = run_cli("import", tmp_path / "in", "--project", project)
    thread.join(10)
    assert result.returncode == 0, result.stderr
    store = Store.open(project)
    try:
        assert "Locked title" in [d.title for d in store.document_infos()]
    finally:
        store.close()
