"""The project file's tables, as an ordered list of sqlite-utils migrations.

A project records the migrations applied to it (table ``_sqlite_migrations``). A project
that has a migration this version does not know was written by a newer Annotator and is
refused (see :func:`check_not_newer`).
"""
from __future__ import annotations

from sqlite_utils import Database, Migrations

from annotator.core.errors import InputError

MIGRATION_SET = "annotator"
migrations = Migrations(MIGRATION_SET)


@migrations()
def m001_initial(db: Database) -> None:
    db.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
    db.execute(
        """CREATE TABLE documents (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            title TEXT NOT NULL,
            text TEXT NOT NULL,
            source TEXT NOT NULL DEFAULT '',
            status TEXT NOT NULL DEFAULT 'new',
            polarity TEXT,
            sha256 TEXT NOT NULL UNIQUE,
            created TEXT NOT NULL DEFAULT (datetime('now'))
        )"""
    )
    db.execute(
        """CREATE TABLE entities (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            name TEXT NOT NULL,
            type TEXT NOT NULL DEFAULT 'person',
            aliases TEXT NOT NULL DEFAULT '[]',
            qid TEXT,
            notes TEXT NOT NULL DEFAULT ''
        )"""
    )
    # No ON DELETE actions: the store deletes dependent rows itself so that every row an
    # edit touches is in its Change (and comes back on undo); the keys catch any it misses.
    db.execute(
        """CREATE TABLE spans (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            document_id INTEGER NOT NULL REFERENCES documents(id),
            label TEXT NOT NULL,
            start INTEGER NOT NULL,
            "end" INTEGER NOT NULL,
            fragments TEXT NOT NULL,
            entity_id INTEGER REFERENCES entities(id),
            speaker_id INTEGER REFERENCES entities(id),
            source_id INTEGER REFERENCES spans(id),
            cue_id INTEGER REFERENCES spans(id),
            form TEXT,
            polarity TEXT,
            intensity TEXT,
            target TEXT,
            CHECK (start >= 0 AND start < "end")
        )"""
    )
    db.execute("CREATE INDEX spans_document ON spans(document_id, start)")
    db.execute("CREATE INDEX spans_entity ON spans(entity_id)")
    db.execute("CREATE INDEX spans_speaker ON spans(speaker_id)")
    db.execute("CREATE INDEX spans_source ON spans(source_id)")
    db.execute("CREATE INDEX spans_cue ON spans(cue_id)")


def check_not_newer(db: Database, where: str) -> None:
    """Raise InputError if ``db`` has migrations this version does not know."""
    known = {m.name for m in migrations._migrations}
    applied = {m.name for m in migrations.applied(db)}
    unknown = sorted(applied - known)
    if unknown:
        raise InputError(
            f"{where}: this project was written by a newer version of Annotator "
            f"(it has {', '.join(unknown)}); update Annotator to open it"
        )


@migrations()
def m002_relations_attributes_labels(db: Database) -> None:
    """Peer formats: span attributes and notes, generic relations between spans."""
    db.execute("ALTER TABLE spans ADD COLUMN attrs TEXT NOT NULL DEFAULT '{}'")
    db.execute("ALTER TABLE spans ADD COLUMN note TEXT")
    db.execute(
        """CREATE TABLE relations (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            document_id INTEGER NOT NULL REFERENCES documents(id),
            type TEXT NOT NULL,
            from_id INTEGER NOT NULL REFERENCES spans(id),
            to_id INTEGER NOT NULL REFERENCES spans(id),
            attrs TEXT NOT NULL DEFAULT '{}'
        )"""
    )
    db.execute("CREATE INDEX relations_document ON relations(document_id)")
    db.execute("CREATE INDEX relations_from ON relations(from_id)")
    db.execute("CREATE INDEX relations_to ON relations(to_id)")


AUTHORED = ("spans", "entities", "relations")


@migrations()
def m003_status_annotator_uuid(db: Database) -> None:
    """State and authorship (suggestions, several annotators, stable ids): ``uuid``,
    ``status``, ``annotator``, ``created``, ``modified`` on spans, entities and relations;
    ``origin`` and ``score`` on spans; ``modified``, ``status_annotator`` and
    ``status_modified`` on documents, whose ``created`` becomes ISO 8601 UTC. Existing rows
    get a uuid4 each; their times stay unknown (NULL)."""
    import uuid

    db.conn.create_function("annotator_uuid4", 0, lambda: str(uuid.uuid4()))
    for table in AUTHORED:
        db.execute(f"ALTER TABLE {table} ADD COLUMN uuid TEXT")
        db.execute(f"ALTER TABLE {table} ADD COLUMN status TEXT NOT NULL DEFAULT 'accepted' "
                   "CHECK (status IN ('accepted', 'suggested', 'rejected'))")
        db.execute(f"ALTER TABLE {table} ADD COLUMN annotator TEXT NOT NULL DEFAULT ''")
        db.execute(f"ALTER TABLE {table} ADD COLUMN created TEXT")
        db.execute(f"ALTER TABLE {table} ADD COLUMN modified TEXT")
        db.execute(f"UPDATE {table} SET uuid = annotator_uuid4() WHERE uuid IS NULL")
        db.execute(f"CREATE UNIQUE INDEX {table}_uuid ON {table}(uuid)")
    db.execute("ALTER TABLE spans ADD COLUMN origin TEXT")
    db.execute("ALTER TABLE spans ADD COLUMN score REAL")
    db.execute("CREATE INDEX spans_status ON spans(status)")
    db.execute("ALTER TABLE documents ADD COLUMN modified TEXT")
    db.execute("ALTER TABLE documents ADD COLUMN status_annotator TEXT")
    db.execute("ALTER TABLE documents ADD COLUMN status_modified TEXT")
    db.execute("UPDATE documents SET created = strftime('%Y-%m-%dT%H:%M:%fZ', created) "
               "WHERE created IS NOT NULL AND created NOT LIKE '%Z'")


@migrations()
def m100_search_index(db: Database) -> None:
    """Full-text search (SQLite FTS5) over documents, claims and speakers, kept by triggers."""
    from annotator.core.store.search import create_search_index

    create_search_index(db)


@migrations()
def m101_spans_document_order(db: Database) -> None:
    """The ``spans_document`` index covers the spans' reading order: ``(document_id, start,
    "end")`` (SQLite appends the rowid, the span id), so reading spans by document, start,
    end, id needs no sort at all (a temporary B-tree holding every span's row, before). Its
    name stays: queries that rely on it keep it. About 0.1 s per 100,000 spans, once."""
    db.execute("DROP INDEX IF EXISTS spans_document")
    db.execute('CREATE INDEX spans_document ON spans(document_id, start, "end")')
