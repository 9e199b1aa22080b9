"""Bad project files: truncated, overwritten, not SQLite, another program's SQLite file, a
newer project. Each is refused with a message naming the file, by ``Store.open`` and by the
command line (exit status 1, one line, no traceback), and is never modified."""
from __future__ import annotations

import hashlib
import random
import sqlite3

import pytest
from sqlite_utils import Database, Migrations

from annotator.core.store.backup import make_backup
from annotator.core.errors import InputError
from annotator.core.store import Store
from reliability_tools import assert_one_line_error, make_project, run_cli

PAGE = 4096


@pytest.fixture(scope="module")
def good_bytes(tmp_path_factory) -> bytes:
    """A closed project of a few dozen pages (every page in the main file, no -wal)."""
    path = tmp_path_factory.mktemp("good") / "good.db"
    make_project(path, documents=25, words=600)
    data = path.read_bytes()
    assert len(data) % PAGE == 0 and len(data) >= 20 * PAGE
    return data


def truncated(size_of):
    return lambda data: data[:size_of(len(data))]


def overwritten_page(page: int):
    def damage(data: bytes) -> bytes:
        noise = random.Random(page).randbytes(PAGE)
        return data[:page * PAGE] + noise + data[(page + 1) * PAGE:]
    return damage


def foreign_sqlite(path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
    conn.execute("INSERT INTO notes (body) VALUES ('not an annotation')")
    conn.commit()
    conn.close()


def foreign_sqlite_utils_app(path) -> None:
    """Another program's file that also uses sqlite-utils migrations (another set)."""
    theirs = Migrations("someone-else")

    @theirs()
    def m001_create(db):
        db.execute("CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT)")

    db = Database(sqlite3.connect(path))
    theirs.apply(db)
    db.close()


def newer_project(path) -> None:
    make_project(path)
    conn = sqlite3.connect(path)
    conn.execute("INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
                 "VALUES ('annotator', 'm999_from_the_future', '2099-01-01')")
    conn.commit()
    conn.close()


def torn_index(path) -> None:
    """A project whose index ``spans_entity`` has an entry for a row that does not exist,
    the rest intact: what a copy torn between pages can leave. ``PRAGMA quick_check`` finds
    nothing wrong; ``PRAGMA integrity_check`` does (see test_quick_check_misses_a_torn_index)."""
    make_project(path, documents=3)
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode = DELETE")
    root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'spans_entity'").fetchone()[0]
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    conn.close()
    data = bytearray(path.read_bytes())
    page = (root - 1) * page_size
    assert data[page] == 0x0A  # a leaf page of an index
    cells = int.from_bytes(data[page + 3:page + 5], "big")
    last = page + int.from_bytes(data[page + 8 + 2 * (cells - 1):page + 10 + 2 * (cells - 1)], "big")
    header = data[last + 1]  # cell: payload size, record header size, serial types, values
    serial_types = list(data[last + 2:last + 1 + header])
    assert serial_types[-1] == 1, serial_types  # the row id, a one-byte integer
    width = {0: 0, 1: 1, 2: 2, 3: 3, 4: 4, 5: 6, 6: 8, 8: 0, 9: 0}
    rowid_at = last + 1 + header + sum(width[t] for t in serial_types[:-1])
    data[rowid_at] = min(data[rowid_at] + 50, 0x7F)  # the last entry: still in order, but for no row
    path.write_bytes(bytes(data))


def without_table(table: str):
    def damage(path) -> None:
        make_project(path)
        conn = sqlite3.connect(path)
        conn.execute(f"DROP TABLE {table}")
        conn.commit()
        conn.close()
    return damage


def without_column(path) -> None:
    make_project(path)
    conn = sqlite3.connect(path)
    conn.execute("ALTER TABLE spans DROP COLUMN note")
    conn.commit()
    conn.close()


BYTES_CASES = {
    "truncated to 50 bytes": truncated(lambda n: 50),
    "truncated to 100 bytes": truncated(lambda n: 100),
    "truncated to 1000 bytes": truncated(lambda n: 1000),
    "truncated to one page": truncated(lambda n: PAGE),
    "truncated to three pages": truncated(lambda n: 3 * PAGE),
    "truncated to half": truncated(lambda n: n // 2 // PAGE * PAGE),
    "truncated by a page": truncated(lambda n: n - PAGE),
    "truncated by one byte": truncated(lambda n: n - 1),
    "truncated in the middle of a page": truncated(lambda n: n // 2 + 123),
    "random bytes": lambda data: random.Random(1).randbytes(8 * PAGE),
    "SQLite header then random bytes": lambda data: data[:100] + random.Random(2).randbytes(8 * PAGE - 100),
    "page 2 overwritten": overwritten_page(1),
    "a middle page overwritten": overwritten_page(10),
    "text file renamed .db": lambda data: "Just some notes.\nNot a database at all.\n".encode() * 50,
    "JSON file renamed .db": lambda data: b'{"documents": [{"title": "x", "text": "y"}]}',
    "one byte": lambda data: b"\x00",
}
FILE_CASES = {
    "SQLite file of another program": foreign_sqlite,
    "SQLite file of another program using sqlite-utils migrations": foreign_sqlite_utils_app,
    "project of a newer Annotator": newer_project,
    "an index entry for no row (quick_check passes)": torn_index,
    "a project without its relations table": without_table("relations"),
    "a project without its entities table": without_table("entities"),
    "a project whose spans table lost a column": without_column,
}
CASES = [*BYTES_CASES, *FILE_CASES]


def make_bad_file(case: str, folder, good_bytes: bytes):
    path = folder / "bad.db"
    if case in BYTES_CASES:
        path.write_bytes(BYTES_CASES[case](good_bytes))
    else:
        FILE_CASES[case](path)
    return path


@pytest.fixture(params=CASES)
def bad_file(request, tmp_path, good_bytes):
    return make_bad_file(request.param, tmp_path, good_bytes)


def digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_store_refuses_with_a_message_naming_the_file(bad_file):
    before = digest(bad_file)
    for read_only in (False, True):
        with pytest.raises(InputError) as info:
            Store.open(bad_file, read_only=read_only)
        assert str(bad_file) in str(info.value)
        assert "\n" not in str(info.value)
    assert digest(bad_file) == before
    assert not bad_file.with_name("bad.db-wal").exists() or not bad_file.with_name("bad.db-wal").stat().st_size


# the command line on one case of each kind (each run is a new process: keep them few)
CLI_CASES = [
    ("truncated by one byte", ["stats"]),
    ("truncated to half", ["export", "--format", "json"]),
    ("random bytes", ["backup"]),
    ("a middle page overwritten", ["stats", "--json"]),
    ("text file renamed .db", ["export", "--format", "json"]),
    ("one byte", ["stats"]),
    ("SQLite file of another program", ["backup"]),
    ("SQLite file of another program using sqlite-utils migrations", ["stats"]),
    ("project of a newer Annotator", ["export", "--format", "json"]),
]


@pytest.mark.parametrize("case, command", CLI_CASES, ids=[c for c, _ in CLI_CASES])
def test_command_line_refuses_with_one_line(case, command, tmp_path, good_bytes):
    path = make_bad_file(case, tmp_path, good_bytes)
    before = digest(path)
    result = run_cli(*command, "--project", path)
    assert_one_line_error(result, str(path))
    assert digest(path) == before


@pytest.mark.parametrize("case", ["truncated to three pages", "JSON file renamed .db", "project of a newer Annotator"])
def test_import_into_a_bad_file_is_refused_and_changes_nothing(case, tmp_path, good_bytes):
    path = make_bad_file(case, tmp_path, good_bytes)
    article = tmp_path / "article.txt"
    article.write_text("Title\n\nSome text.\n", encoding="utf-8")
    before = digest(path)
    assert_one_line_error(run_cli("import", article, "--project", path), str(path))
    assert digest(path) == before


def test_a_folder_is_not_a_project(tmp_path):
    folder = tmp_path / "folder.db"
    folder.mkdir()
    with pytest.raises(InputError, match="folder"):
        Store.open(folder)
    assert_one_line_error(run_cli("stats", "--project", folder), str(folder))


def test_an_empty_file_is_a_new_project(tmp_path):
    """SQLite's rule: a file of 0 bytes is an empty database (``touch news.db``)."""
    path = tmp_path / "news.db"
    path.touch()
    store = Store.open(path)
    try:
        assert store.document_count() == 0 and not store.read_only
    finally:
        store.close()


def test_an_emptied_project_with_backups_is_refused(tmp_path):
    """A project that had backups and is now 0 bytes lost its content: opening it as a new
    project would hide that (and its "open" backups would push the good ones out)."""
    path = make_project(tmp_path / "news.db")
    store = Store.open(path)
    make_backup(store)
    store.close()
    path.write_bytes(b"")
    with pytest.raises(InputError) as info:
        Store.open(path)
    assert str(path) in str(info.value) and "backup" in str(info.value)
    assert_one_line_error(run_cli("stats", "--project", path), str(path), "backup")
    assert path.stat().st_size == 0


def test_a_garbage_wal_file_next_to_an_intact_project_is_ignored(tmp_path):
    """SQLite checks the -wal's header and checksums: garbage is not replayed."""
    path = make_project(tmp_path / "news.db")
    path.with_name("news.db-wal").write_bytes(random.Random(3).randbytes(3 * PAGE))
    store = Store.open(path)
    try:
        assert store.document_count() == 2
        assert store.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        store.close()


def test_quick_check_misses_a_torn_index_that_integrity_check_finds(tmp_path):
    """The premise of issue 7's fault: the opening check was quick_check."""
    path = tmp_path / "torn.db"
    torn_index(path)
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        assert conn.execute("PRAGMA quick_check").fetchall() == [("ok",)]
        assert conn.execute("PRAGMA integrity_check").fetchall() != [("ok",)]
    finally:
        conn.close()
    with pytest.raises(InputError, match="damaged.*missing from index spans_entity"):
        Store.open(path)


def test_a_large_torn_project_is_checked_fully_before_a_migration_and_on_restore(tmp_path, monkeypatch):
    """Above the size limit the opening check is the quick one (the full check is about
    2 times slower); before a migration and on restore it is always the full one."""
    from annotator.core.store import opening
    from annotator.core.store.backup import restore_backup

    monkeypatch.setattr(opening, "THOROUGH_CHECK_BYTES", 0)  # every project counts as large
    torn = tmp_path / "torn.db"
    torn_index(torn)
    Store.open(torn, read_only=True).close()  # quick_check: opens
    project = make_project(tmp_path / "news.db")
    before = digest(project)
    with pytest.raises(InputError, match="torn.db: the project file is damaged"):
        restore_backup(torn, project)
    assert digest(project) == before
    old = tmp_path / "old.db"  # the same damage in a project of an older version
    torn_index(old)
    conn = sqlite3.connect(old)
    conn.execute("DROP TABLE relations")
    conn.execute("ALTER TABLE spans DROP COLUMN attrs")
    conn.execute("ALTER TABLE spans DROP COLUMN note")
    conn.execute("DELETE FROM _sqlite_migrations WHERE name = 'm002_relations_attributes_labels'")
    conn.commit()
    conn.close()
    old_bytes = digest(old)
    with pytest.raises(InputError, match="damaged"):
        Store.open(old)
    assert digest(old) == old_bytes
