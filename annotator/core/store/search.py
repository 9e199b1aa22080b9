"""Searching a project: the full-text index (SQLite FTS5) and the claim query. All the SQL of
search lives here; the offsets of hits are found in Python (:mod:`annotator.core.text_search`).

The index is kept in the project file and kept current by triggers (so every writer, the
window, the command line or another process, keeps it right, and undo too):

* ``fts_documents``: title and text of every document, tokenizer ``unicode61
  remove_diacritics 2`` (words; case and accents ignored), an external-content table over
  ``documents`` (no second copy of the text);
* ``fts_claims``: the text of every claim span (fragments joined by " … "), rowid = span id
  (a claim far into a long article waits in ``fts_claims_pending`` until the next query on
  claim text: see :func:`_claim_triggers`);
* ``fts_speakers``: every entity's name and aliases, rowid = entity id;
* ``fts_*_cjk``: the same, tokenizer ``trigram``, only for rows holding CJK characters.

Why two tokenizers (measured by ``benchmarks/bench_tokenizers.py`` on 2,012 documents;
figures in the README): ``unicode61`` makes a whole run of Chinese or Japanese one token (no
spaces between words), so a word inside a sentence is not found (recall 0.17 / 0 / 0 for
CJK words of 2 / 3 / 4 characters); ``trigram`` finds any substring of 3 or more
characters (recall 1.0 from 3 characters) but cannot strip accents before SQLite 3.45 (this
one is 3.40: recall 0.12 for "Pekin" and the like, 1.0 with ``unicode61``) and its index is
5.8 times larger (22.8 MB against 3.9 MB). So words use ``unicode61`` and only the rows with
CJK characters also get a ``trigram`` index; a CJK query part of one or two characters
(below a trigram) is looked up with ``instr`` (recall 1.0 for every length, measured).
"""
from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, NamedTuple

from annotator.core.model import CLAIM, SPEAKER
from annotator.core.text_search import CJK_RANGES, Term, context, find_terms, fold, parse_query

if TYPE_CHECKING:
    from sqlite_utils import Database

    from annotator.core.store import Store

WORDS = "unicode61 remove_diacritics 2"
CJK_GLOB = "*[" + "".join(f"{a}-{b}" for a, b in CJK_RANGES) + "]*"
SEPARATOR = " … "  # between the fragments of a claim in fts_claims
NEAR = 20_000  # claims starting before this code point are indexed at once (see _claim_triggers)

# The text of a claim span row R (fragments as JSON [[start, end], ...], code points):
# SQLite's substr counts characters, i.e. code points, from 1.
_CLAIM_TEXT = (
    "(SELECT group_concat(substr(d.text, json_extract(f.value, '$[0]') + 1,"
    " json_extract(f.value, '$[1]') - json_extract(f.value, '$[0]')), '" + SEPARATOR + "')"
    " FROM json_each({r}.fragments) f, documents d WHERE d.id = {r}.document_id)"
)
_SPEAKER_TEXT = "({r}.name || coalesce((SELECT ' ' || group_concat(value, ' ') FROM json_each({r}.aliases)), ''))"


def _cjk(expr: str) -> str:
    return f"({expr}) GLOB '{CJK_GLOB}'"


def create_search_index(db: Database) -> None:
    """Create the FTS5 tables and their triggers and index what the project holds (the
    migration ``m100_search_index`` calls it). Raises sqlite3.OperationalError when SQLite
    was built without FTS5."""
    for suffix, tokenizer in (("", WORDS), ("_cjk", "trigram")):
        db.execute(f"CREATE VIRTUAL TABLE fts_documents{suffix} USING fts5(title, text, content='documents',"
                   f" content_rowid='id', tokenize='{tokenizer}')")
        db.execute(f"CREATE VIRTUAL TABLE fts_claims{suffix} USING fts5(body, tokenize='{tokenizer}')")
        db.execute(f"CREATE VIRTUAL TABLE fts_speakers{suffix} USING fts5(body, tokenize='{tokenizer}')")
    _claim_triggers(db)
    for suffix, only in (("", lambda e: "1"), ("_cjk", _cjk)):
        t = f"fts_documents{suffix}"
        new_doc, old_doc = only("NEW.title || NEW.text"), only("OLD.title || OLD.text")
        db.execute(f"CREATE TRIGGER {t}_ai AFTER INSERT ON documents WHEN {new_doc} BEGIN"
                   f" INSERT INTO {t}(rowid, title, text) VALUES (NEW.id, NEW.title, NEW.text); END")
        db.execute(f"CREATE TRIGGER {t}_ad AFTER DELETE ON documents WHEN {old_doc} BEGIN"
                   f" INSERT INTO {t}({t}, rowid, title, text) VALUES ('delete', OLD.id, OLD.title, OLD.text); END")
        db.execute(f"CREATE TRIGGER {t}_au AFTER UPDATE OF title, text ON documents"
                   f" WHEN OLD.title IS NOT NEW.title OR OLD.text IS NOT NEW.text BEGIN"
                   f" INSERT INTO {t}({t}, rowid, title, text) SELECT 'delete', OLD.id, OLD.title, OLD.text WHERE {old_doc};"
                   f" INSERT INTO {t}(rowid, title, text) SELECT NEW.id, NEW.title, NEW.text WHERE {new_doc}; END")
        s = f"fts_speakers{suffix}"
        name = _SPEAKER_TEXT.format(r="NEW")
        db.execute(f"CREATE TRIGGER {s}_ai AFTER INSERT ON entities BEGIN"
                   f" INSERT INTO {s}(rowid, body) SELECT NEW.id, b FROM (SELECT {name} AS b) WHERE {only('b')}; END")
        db.execute(f"CREATE TRIGGER {s}_ad AFTER DELETE ON entities BEGIN DELETE FROM {s} WHERE rowid = OLD.id; END")
        db.execute(f"CREATE TRIGGER {s}_au AFTER UPDATE OF name, aliases ON entities BEGIN"
                   f" DELETE FROM {s} WHERE rowid = OLD.id;"
                   f" INSERT INTO {s}(rowid, body) SELECT NEW.id, b FROM (SELECT {name} AS b) WHERE {only('b')}; END")
        # what the project already holds
        db.execute(f"INSERT INTO {t}(rowid, title, text) SELECT id, title, text FROM documents"
                   f" WHERE {only('title || text')}")
        db.execute(f"INSERT INTO {s}(rowid, body) SELECT id, b FROM (SELECT e.id AS id, {_SPEAKER_TEXT.format(r='e')} AS b"
                   f" FROM entities e) WHERE {only('b')}")


def _claim_triggers(db: Database) -> None:
    """The claim index's triggers. A claim's text is cut from its document's text with
    ``substr``, which counts characters from the start: near the end of a 1 MB article that
    is about 1 ms, too much for every edit. So a claim that starts within the first
    :data:`NEAR` code points is indexed at once, and one further on is queued in
    ``fts_claims_pending`` (a constant-time insert) and indexed by :func:`flush_claims` before
    the next query on claim text."""
    index = (f" INSERT INTO fts_claims(rowid, body) SELECT NEW.id, {_CLAIM_TEXT.format(r='NEW')};"
             f" INSERT INTO fts_claims_cjk(rowid, body) SELECT rowid, body FROM fts_claims"
             f" WHERE rowid = NEW.id AND {_cjk('body')};")
    forget = (" DELETE FROM fts_claims WHERE rowid = OLD.id; DELETE FROM fts_claims_cjk WHERE rowid = OLD.id;"
              " DELETE FROM fts_claims_pending WHERE span_id = OLD.id;")
    queue = " INSERT OR IGNORE INTO fts_claims_pending(span_id) VALUES (NEW.id);"
    db.execute("CREATE TABLE fts_claims_pending (span_id INTEGER PRIMARY KEY)")
    near, far = f"NEW.label = '{CLAIM}' AND NEW.start < {NEAR}", f"NEW.label = '{CLAIM}' AND NEW.start >= {NEAR}"
    db.execute(f"CREATE TRIGGER fts_claims_ai AFTER INSERT ON spans WHEN {near} BEGIN{index} END")
    db.execute(f"CREATE TRIGGER fts_claims_ai_far AFTER INSERT ON spans WHEN {far} BEGIN{queue} END")
    db.execute(f"CREATE TRIGGER fts_claims_ad AFTER DELETE ON spans WHEN OLD.label = '{CLAIM}' BEGIN{forget} END")
    # one trigger for updates: the order in which SQLite runs several is not defined
    db.execute(f"CREATE TRIGGER fts_claims_au AFTER UPDATE OF fragments, label, document_id ON spans BEGIN{forget}"
               f" INSERT INTO fts_claims(rowid, body) SELECT NEW.id, {_CLAIM_TEXT.format(r='NEW')} WHERE {near};"
               f" INSERT INTO fts_claims_cjk(rowid, body) SELECT rowid, body FROM fts_claims"
               f" WHERE rowid = NEW.id AND {_cjk('body')};"
               f" INSERT OR IGNORE INTO fts_claims_pending(span_id) SELECT NEW.id WHERE {far}; END")
    db.execute(f"INSERT INTO fts_claims_pending(span_id) SELECT id FROM spans WHERE label = '{CLAIM}'")
    _index_pending(db)


def _index_pending(db) -> None:
    db.execute(f"INSERT INTO fts_claims(rowid, body) SELECT s.id, {_CLAIM_TEXT.format(r='s')}"
               " FROM fts_claims_pending p JOIN spans s ON s.id = p.span_id")
    db.execute(f"INSERT INTO fts_claims_cjk(rowid, body) SELECT c.rowid, c.body FROM fts_claims_pending p"
               f" JOIN fts_claims c ON c.rowid = p.span_id WHERE {_cjk('c.body')}")
    db.execute("DELETE FROM fts_claims_pending")


def flush_claims(store: Store) -> bool:
    """Index the queued claims (see :func:`_claim_triggers`). False when some stay queued
    because the project cannot be written now (read-only, locked): then queries match them
    in Python."""
    if store.db.execute("SELECT 1 FROM fts_claims_pending LIMIT 1").fetchone() is None:
        return True
    if store.read_only:
        return False
    from annotator.core.errors import AnnotatorError

    try:
        with store._writing():
            _index_pending(store.db)
    except AnnotatorError:
        return False
    return True


# --- queries -------------------------------------------------------------------------------


@dataclass(frozen=True)
class SearchHit:
    """One place a query was found.

    ``kind``: ``speaker`` (a speaker's name or alias; the place is its first mention),
    ``title`` (offsets into the document's title), ``text`` (offsets into the document's
    text) or ``claim`` (in the text, inside a claim: ``span_id`` is the claim, ``speaker``
    its speaker's name). ``start`` / ``end`` are code points, half-open; ``before``,
    ``match``, ``after`` the hit in context (whitespace runs shown as one space).
    ``document_id`` is None for a speaker without mentions (then offsets are into ``match``,
    the name). ``truncated``: True on every text / claim hit of a document whose places in
    the text were more than :func:`search`'s ``per_document`` (only the first are hits)."""

    kind: str
    document_id: int | None
    title: str
    start: int
    end: int
    before: str
    match: str
    after: str
    span_id: int | None = None
    entity_id: int | None = None
    speaker: str | None = None
    truncated: bool = False

    def as_dict(self) -> dict:
        return asdict(self)


def _ids(db: Database, sql: str, params=()) -> list[int]:
    return [r[0] for r in db.execute(sql, list(params)).fetchall()]


def _matching(db: Database, table: str, instr_sql: str, terms: list[Term], limit: int | None) -> list[int]:
    """Rowids of ``table`` matching every term, best first (bm25 of the word terms).
    ``instr_sql`` selects the rowids whose text holds ``?`` (for CJK terms under 3 chars)."""
    words = [t for t in terms if not t.cjk]
    allowed: set[int] | None = None
    for term in (t for t in terms if t.cjk):
        text = term.tokens[0]
        if len(text) >= 3:
            found = set(_ids(db, f"SELECT rowid FROM {table}_cjk WHERE {table}_cjk MATCH ?", [term.fts()]))
        else:
            found = set(_ids(db, instr_sql, [text]))
        allowed = found if allowed is None else allowed & found
    if words:
        query = " AND ".join(t.fts() for t in words)
        sql = f"SELECT rowid FROM {table} WHERE {table} MATCH ? ORDER BY bm25({table}), rowid"
        if allowed is None:
            return _ids(db, sql + (" LIMIT ?" if limit is not None else ""), [query] + ([limit] if limit is not None else []))
        return [i for i in _ids(db, sql, [query]) if i in allowed][:limit]
    return sorted(allowed or ())[:limit]


def search(store: Store, query: str, limit: int = 50, per_document: int = 20) -> list[SearchHit]:
    """Every place ``query`` is found (syntax: :func:`~annotator.core.text_search.parse_query`):
    speakers first (name or alias), then, for each matching document (at most ``limit``,
    best first by FTS5's bm25; at most ``limit`` speakers too), its title (unless the text
    begins with it) and the first ``per_document`` places in its text (a place inside a claim
    is a ``claim`` hit; when there were more, those hits have ``truncated`` True). A document
    matches when every term is in its title or text. An empty query finds nothing."""
    terms = parse_query(query)
    if not terms:
        return []
    db, accepted = store.db, ACCEPTED_S
    hits: list[SearchHit] = []
    speaker_ids = _matching(db, "fts_speakers", "SELECT rowid FROM fts_speakers WHERE instr(lower(body), ?)",
                            terms, limit)
    for entity in (store.entity(i) for i in speaker_ids):
        hits.append(_speaker_hit(store, entity, terms, accepted))
    doc_ids = _matching(db, "fts_documents", "SELECT id FROM documents WHERE instr(lower(title || ' ' || text), ?)",
                        terms, limit)
    for doc_id in doc_ids:
        title, text = db.execute("SELECT title, text FROM documents WHERE id = ?", [doc_id]).fetchone()
        for a, b in ([] if text.startswith(title) else find_terms(title, terms, limit=per_document)):
            hits.append(SearchHit("title", doc_id, title, a, b, *context(title, a, b)))
        places = find_terms(text, terms, limit=per_document + 1)  # one more: were some left out?
        cut = len(places) > per_document
        places = places[:per_document]
        claims = _claims_over(store, doc_id, places, accepted)
        for a, b in places:
            claim = next((c for c in claims if any(x < b and a < y for x, y in c[1])), None)
            if claim is None:
                hits.append(SearchHit("text", doc_id, title, a, b, *context(text, a, b), truncated=cut))
            else:
                hits.append(SearchHit("claim", doc_id, title, a, b, *context(text, a, b), span_id=claim[0],
                                      entity_id=claim[2], speaker=claim[3], truncated=cut))
    return hits


def _claims_over(store: Store, doc_id: int, places: list[tuple[int, int]], accepted: str) -> list[tuple]:
    """``(span id, fragments, speaker id, speaker name)`` of the claims of ``doc_id`` that
    overlap one of ``places``."""
    if not places:
        return []
    import json

    lo, hi = places[0][0], places[-1][1]
    rows = store.db.execute(
        "SELECT s.id, s.fragments, s.speaker_id, e.name FROM spans s LEFT JOIN entities e ON e.id = s.speaker_id"
        f' WHERE s.document_id = ? AND s.label = ? AND s.start < ? AND s."end" > ?{accepted}'
        " ORDER BY s.start, s.id", [doc_id, CLAIM, hi, lo]).fetchall()
    return [(i, [tuple(f) for f in json.loads(frags)], sid, name) for i, frags, sid, name in rows]


def _speaker_hit(store: Store, entity, terms: list[Term], accepted: str) -> SearchHit:
    """A speaker's hit: at its first mention (by document, then offset), or in its name."""
    names = " / ".join((entity.name, *entity.aliases))
    row = store.db.execute(
        'SELECT s.document_id, s.start, s."end", d.title, d.text FROM spans s JOIN documents d ON d.id = s.document_id'
        f" WHERE s.entity_id = ? AND s.label = ?{accepted} ORDER BY s.document_id, s.start LIMIT 1",
        [entity.id, SPEAKER]).fetchone()
    if row is None:
        found = find_terms(names, terms, limit=1) or [(0, len(entity.name))]
        a, b = found[0]
        return SearchHit("speaker", None, "", a, b, *context(names, a, b), entity_id=entity.id, speaker=entity.name)
    doc_id, a, b, title, text = row
    return SearchHit("speaker", doc_id, title, a, b, *context(text, a, b), entity_id=entity.id, speaker=entity.name)


ACCEPTED_S = " AND s.status = 'accepted'"  # spans aliased s: suggestions and rejected spans left out


# --- who said what -------------------------------------------------------------------------


class ClaimRow(NamedTuple):  # a tuple: built 3 times faster than a frozen dataclass (100,000 per query)
    """A claim found by :func:`query_claims`: its document (id, title, status), the claim
    span (id, ``start`` / ``end`` in code points, ``text`` with fragments joined by " … "),
    its speaker's name (None: not attributed) and its MPQA / PARC attributes."""

    document_id: int
    title: str
    document_status: str
    span_id: int
    start: int
    end: int
    text: str
    speaker: str | None
    form: str | None
    polarity: str | None
    intensity: str | None

    def as_dict(self) -> dict:
        return self._asdict()


NO_SPEAKER = "-"  # query_claims(speaker=NO_SPEAKER): claims without a speaker


def query_claims(store: Store, speaker: str | None = None, polarity: str | None = None, form: str | None = None,
                 status: str | None = None, text: str | None = None, limit: int | None = None,
                 layer: str | None = None) -> list[ClaimRow]:
    """The claims of the project that pass every filter given, by document then position.

    ``speaker``: the speaker's name or one of its aliases contains it (case and accents
    ignored), or :data:`NO_SPEAKER` for claims without one; ``polarity``, ``form``: equal
    (``-`` for none); ``status``: the document's status; ``text``: the claim's text matches
    the query (search syntax, :func:`~annotator.core.text_search.parse_query`); ``layer``:
    the claims of that annotator's layer (None: every layer)."""
    where, params = ["s.label = ?"], [CLAIM]
    if layer is not None:
        where.append("s.annotator = ?")
        params.append(layer)
    if speaker is not None:
        if speaker == NO_SPEAKER:
            where.append("s.speaker_id IS NULL")
        else:
            wanted = fold(speaker.strip())
            ids = [e.id for e in store.entities() if any(wanted in fold(n) for n in (e.name, *e.aliases))]
            where.append(f"s.speaker_id IN ({', '.join('?' * len(ids)) or 'NULL'})")
            params += ids
    for column, value in (("polarity", polarity), ("form", form)):
        if value is not None:
            where.append(f"s.{column} IS NULL" if value == NO_SPEAKER else f"s.{column} = ?")
            params += [] if value == NO_SPEAKER else [value]
    if status is not None:
        where.append("s.document_id IN (SELECT id FROM documents WHERE status = ?)")
        params.append(status)
    if text is not None:
        terms = parse_query(text)
        indexed = flush_claims(store)
        ids = _matching(store.db, "fts_claims", "SELECT rowid FROM fts_claims WHERE instr(lower(body), ?)", terms, None)
        if not indexed:  # queued claims of a project that cannot be written now
            ids += _pending_matching(store, terms)
        where.append("s.id IN (SELECT value FROM json_each(?))")
        params.append("[" + ",".join(map(str, ids)) + "]")
    # documents are read once each, below: their status comes after the (long) text in a row
    sql = ('SELECT s.document_id, s.id, s.start, s."end", c.c0, e.name, s.form, s.polarity, s.intensity'
           " FROM spans s LEFT JOIN fts_claims_content c ON c.id = s.id LEFT JOIN entities e ON e.id = s.speaker_id"
           f" WHERE {' AND '.join(where)}{ACCEPTED_S} ORDER BY s.document_id, s.start, s.id")
    if limit is not None:
        sql += " LIMIT ?"
        params.append(limit)
    rows = store.db.execute(sql, params).fetchall()
    wanted = "[" + ",".join(str(i) for i in sorted({r[0] for r in rows})) + "]"
    docs = {i: (title, doc_status) for i, title, doc_status in store.db.execute(
        "SELECT id, title, status FROM documents WHERE id IN (SELECT value FROM json_each(?))", [wanted]).fetchall()}
    return [ClaimRow(row[0], *docs[row[0]], *row[1:4], row[4] if row[4] is not None else _claim_text(store, row[1]),
                     *row[5:]) for row in rows]


def _pending_matching(store: Store, terms: list[Term]) -> list[int]:
    """Ids of the queued (not yet indexed) claims whose text matches every term."""
    import re

    out = []
    for (span_id,) in store.db.execute("SELECT span_id FROM fts_claims_pending").fetchall():
        body = fold(_claim_text(store, span_id))
        if terms and all(re.search(t.pattern(), body) for t in terms):
            out.append(span_id)
    return out


def _claim_text(store: Store, span_id: int) -> str:
    row = store.db.execute(f"SELECT {_CLAIM_TEXT.format(r='s')} FROM spans s WHERE s.id = ?", [span_id]).fetchone()
    return row[0] or ""
