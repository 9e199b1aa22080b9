"""Reading a project: the queries behind lists, views, statistics and exports."""
from __future__ import annotations

import json
from typing import Iterable, Iterator

from annotator.core.errors import InputError
from annotator.core.model import ACCEPTED, CLAIM, Document, DocumentInfo, Entity, Relation, Span
from annotator.core.store.changes import document_from_row, entity_from_row, relation_from_row, span_from_row

_SPAN_FIELDS = ("id", "document_id", "label", "fragments", "entity_id", "speaker_id", "source_id", "cue_id", "form",
                "polarity", "intensity", "target", "attrs", "note", "uuid", "status", "annotator", "created",
                "modified", "origin", "score")
_BULK_SPANS = ('SELECT id, document_id, label, fragments, entity_id, speaker_id, source_id, cue_id, form, polarity,'
               ' intensity, target, attrs, note, uuid, status, annotator, created, modified, origin, score, start,'
               ' "end" FROM spans')
_CHUNK = 500  # document ids per bulk query (SQLite's default limit of bound parameters is 999+)

Statuses = Iterable[str] | None
SHOWN: tuple[str, ...] = (ACCEPTED,)


def _only(statuses: Statuses, alias: str = "") -> tuple[str, list[str]]:
    """An SQL condition ("AND status IN (...)") and its parameters; None = every status."""
    if statuses is None:
        return "", []
    statuses = list(statuses)
    column = f"{alias}.status" if alias else "status"
    return f" AND {column} IN ({', '.join('?' for _ in statuses)})", statuses


def layer_condition(layer: str | None, alias: str = "") -> str:
    """An SQL condition on spans ("AND annotator = ?", one parameter: ``layer``) keeping one
    annotator's layer; "" (no parameter) for None, every layer."""
    return "" if layer is None else f" AND {alias + '.' if alias else ''}annotator = ?"


class ReadingMixin:
    """The read side of :class:`~annotator.core.store.Store` (needs ``self.db``, ``self.schema``).

    Queries that feed the view, the lists, statistics and exports give accepted spans,
    relations and entities only, unless ``statuses=`` asks for others (a tuple of
    ``accepted`` / ``suggested`` / ``rejected``; None = all). Lookups by id give any."""


    def _row(self, table: str, id: int) -> dict | None:
        cur = self.db.execute(f"SELECT * FROM {table} WHERE id = ?", [id])
        row = cur.fetchone()
        return dict(zip([c[0] for c in cur.description], row)) if row else None

    def _rows(self, sql: str, params: Iterable = ()) -> list[dict]:
        cur = self.db.execute(sql, list(params))
        names = [c[0] for c in cur.description]
        return [dict(zip(names, row)) for row in cur.fetchall()]

    def document_infos(self, statuses: Statuses = SHOWN, doc_ids: Iterable[int] | None = None) -> list[DocumentInfo]:
        """All documents in import order, without their text; only those of ``doc_ids`` when
        given (a window of a long list: each row costs its span count and text length);
        ``span_count`` counts the spans of ``statuses``."""
        cond, params = _only(statuses, "s")
        cond = cond.replace("s.status", "+s.status")  # "+": count by spans_document, never scan spans_status per document
        where = ""
        if doc_ids is not None:
            ids = list(doc_ids)
            where = f" WHERE d.id IN ({','.join('?' * len(ids))})"
            params = [*params, *ids]
        rows = self._rows(
            "SELECT d.id, d.title, d.status, d.polarity, length(d.text) AS length,"
            f" (SELECT count(*) FROM spans s WHERE s.document_id = d.id{cond}) AS span_count"
            f" FROM documents d{where} ORDER BY d.id", params
        )
        return [DocumentInfo(**row) for row in rows]

    def document_ids(self) -> list[int]:
        """Every document id in import order (cheap: no text, no counts). Read from the
        covering index of ``sha256`` and sorted here: ORDER BY id walks the table's rows,
        texts included (0.55 s against 0.17 s for 50,000 documents)."""
        return sorted(r[0] for r in self.db.execute("SELECT id FROM documents"))

    def document_order(self, column: str = "id", descending: bool = False, status: str | None = None,
                       contains: str = "", statuses: Statuses = SHOWN) -> list[int]:
        """Document ids for a sorted, filtered list (the Documents panel's header clicks and
        filter bar), computed here instead of by a Qt proxy reading every row.

        ``column``: "id" (import order), "title" (case and accents ignored), "status" or
        "spans" (count of spans of ``statuses``; the only order that reads the spans: one
        grouped pass); ties keep import order. ``status``: only documents with it.
        ``contains``: only those whose title or status holds it (case and accents ignored,
        :func:`annotator.core.text_search.fold`). ValueError for another column."""
        from annotator.core.text_search import fold

        if column not in ("id", "title", "status", "spans"):
            raise ValueError(f"cannot order documents by {column!r}")
        where, params = ("WHERE status = ?", [status]) if status is not None else ("", [])
        rows = self.db.execute(f"SELECT id, title, status FROM documents {where}", params).fetchall()
        needle = fold(contains.strip())
        if needle:
            rows = [r for r in rows if needle in fold(r[1] or "") or needle in fold(r[2] or "")]
        if column == "spans":
            cond, more = _only(statuses)
            counts = dict(self.db.execute(f"SELECT document_id, count(*) FROM spans WHERE 1{cond} GROUP BY document_id",
                                          more).fetchall())
            key = lambda r: (counts.get(r[0], 0), r[0])  # noqa: E731
        elif column == "title":
            key = lambda r: (fold(r[1] or ""), r[0])  # noqa: E731
        elif column == "status":
            key = lambda r: (r[2] or "", r[0])  # noqa: E731
        else:
            key = lambda r: r[0]  # noqa: E731
        rows.sort(key=key, reverse=descending)
        return [r[0] for r in rows]

    def document(self, doc_id: int) -> Document:
        """The document ``doc_id`` (InputError if there is none). Its text comes from
        :meth:`document_text`'s memory: an edit that checks the status of a 2 MB article
        does not read the text again."""
        if doc_id not in self._texts:
            row = self._row("documents", doc_id)
            if row is None:
                raise InputError(f"no document {doc_id}")
            return document_from_row(row)
        names = [r[1] for r in self.db.execute("PRAGMA table_info(documents)") if r[1] != "text"]
        row = self.db.execute(f"SELECT {', '.join(names)} FROM documents WHERE id = ?", [doc_id]).fetchone()
        if row is None:
            raise InputError(f"no document {doc_id}")
        return document_from_row(dict(zip(names, row), text=self._texts[doc_id]))

    def document_texts(self) -> Iterator[tuple[int, str, str]]:
        """``(id, title, text)`` of every document in import order, read in one query and
        kept nowhere (for a pass over the whole corpus)."""
        yield from self.db.execute("SELECT id, title, text FROM documents ORDER BY id")

    def document_text(self, doc_id: int) -> str:
        """The stored text of a document. Texts never change once imported, so the last few
        are kept in memory: an edit checks its offsets without reading a 1 MB text again."""
        text = self._texts.get(doc_id)
        if text is None:
            row = self.db.execute("SELECT text FROM documents WHERE id = ?", [doc_id]).fetchone()
            if row is None:
                raise InputError(f"no document {doc_id}")
            if len(self._texts) >= 8:
                self._texts.pop(next(iter(self._texts)))
            text = self._texts[doc_id] = row[0]
        return text

    def claims_linked_to(self, span_id: int) -> list[int]:
        """Ids of the claims whose source or cue is the span ``span_id``."""
        rows = self.db.execute("SELECT id FROM spans WHERE source_id = ? OR cue_id = ? ORDER BY id", [span_id, span_id])
        return [r[0] for r in rows.fetchall()]

    def mention_ids(self, entity_id: int, statuses: Statuses = ("accepted", "suggested")) -> list[int]:
        """Ids of the speaker spans that mention entity ``entity_id`` in the whole project
        (accepted and suggested ones by default), by id (the ``spans_entity`` index)."""
        cond, params = _only(statuses)
        rows = self.db.execute(f"SELECT id FROM spans WHERE entity_id = ?{cond} ORDER BY id", [entity_id, *params])
        return [r[0] for r in rows.fetchall()]

    def document_count(self) -> int:
        return self.db.execute("SELECT count(*) FROM documents").fetchone()[0]

    def spans(self, doc_id: int, statuses: Statuses = SHOWN) -> list[Span]:
        """The spans of one document with one of ``statuses``, sorted by start then end."""
        cond, params = _only(statuses)
        rows = self._rows(f'SELECT * FROM spans WHERE document_id = ?{cond} ORDER BY start, "end", id', [doc_id, *params])
        return [span_from_row(r) for r in rows]

    def has_layer(self, annotator: str) -> bool:
        """True when some accepted span of the project is ``annotator``'s (e.g. the gold
        layer exists). Stops at the first such span; when there is none it reads every
        accepted span's annotator once (no index on annotator), O(spans)."""
        row = self.db.execute("SELECT 1 FROM spans WHERE annotator = ? AND status = ? LIMIT 1", [annotator, ACCEPTED])
        return row.fetchone() is not None

    def span(self, span_id: int) -> Span | None:
        row = self._row("spans", span_id)
        return span_from_row(row) if row else None

    def relations(self, doc_id: int, statuses: Statuses = SHOWN) -> list[Relation]:
        """The generic relations of one document with one of ``statuses``, by id."""
        cond, params = _only(statuses)
        return [relation_from_row(r) for r in self._rows(
            f"SELECT * FROM relations WHERE document_id = ?{cond} ORDER BY id", [doc_id, *params])]

    def entities(self, statuses: Statuses = SHOWN) -> list[Entity]:
        """The speaker registry (entities with one of ``statuses``), by name."""
        cond, params = _only(statuses)
        return [entity_from_row(r) for r in self._rows(
            f"SELECT * FROM entities WHERE 1{cond} ORDER BY name COLLATE NOCASE, id", params)]

    def entity(self, entity_id: int) -> Entity | None:
        row = self._row("entities", entity_id)
        return entity_from_row(row) if row else None

    def entity_counts(self, doc_id: int | None = None, statuses: Statuses = SHOWN) -> dict[int, tuple[int, int]]:
        """``{entity id: (mentions, claims)}`` counting spans of ``statuses``, in one
        document or (None) the whole project."""
        where, params = ("AND document_id = ?", [doc_id]) if doc_id is not None else ("", [])
        cond, more = _only(statuses)
        where, params = where + cond, params + more
        mentions = dict(self.db.execute(
            f"SELECT entity_id, count(*) FROM spans WHERE entity_id IS NOT NULL {where} GROUP BY entity_id", params
        ).fetchall())
        claims = dict(self.db.execute(
            f"SELECT speaker_id, count(*) FROM spans WHERE speaker_id IS NOT NULL {where} GROUP BY speaker_id", params
        ).fetchall())
        return {eid: (mentions.get(eid, 0), claims.get(eid, 0)) for eid in set(mentions) | set(claims)}

    def entity_mention_count(self, entity_id: int, statuses: Statuses = SHOWN) -> int:
        """Mentions of one entity in the whole project, counted on its index (the cost is
        its number of mentions, not the corpus)."""
        cond, params = _only(statuses)
        return self.db.execute(f"SELECT count(*) FROM spans WHERE entity_id = ?{cond}", [entity_id, *params]).fetchone()[0]

    def find_entity(self, name: str) -> Entity | None:
        """The entity whose name or one of whose aliases is ``name`` (case-insensitive)."""
        folded = name.strip().casefold()
        for entity in self.entities():
            if entity.name.casefold() == folded or any(a.casefold() == folded for a in entity.aliases):
                return entity
        return None

    def stats(self, statuses: Statuses = SHOWN, layer: str | None = None) -> dict:
        """``{"documents": n, "spans": {label: n}, "claims_per_speaker": {name: n}}``,
        counting spans of ``statuses`` in ``layer`` (an annotator's name; None: every layer)."""
        cond, params = _only(statuses)
        cond, params = cond + layer_condition(layer), params + ([layer] if layer is not None else [])
        spans = dict(self.db.execute(f"SELECT label, count(*) FROM spans WHERE 1{cond} GROUP BY label", params).fetchall())
        cond, params = _only(statuses, "s")
        cond, params = cond + layer_condition(layer, "s"), params + ([layer] if layer is not None else [])
        per_speaker = self.db.execute(
            "SELECT coalesce(e.name, '(no speaker)'), count(*) FROM spans s LEFT JOIN entities e"
            f" ON e.id = s.speaker_id WHERE s.label = ?{cond} GROUP BY e.id ORDER BY count(*) DESC, e.name",
            [CLAIM, *params],
        ).fetchall()
        return {
            "documents": self.document_count(),
            "spans": {label: spans.get(label, 0) for label in self.schema.label_names},
            "claims_per_speaker": dict(per_speaker),
        }

    def export_documents(self, doc_ids: Iterable[int] | None = None,
                         statuses: Statuses = SHOWN) -> Iterator[tuple[Document, list[Span], list[Entity]]]:
        """Each document (in ``doc_ids`` order; None = all, in import order) with its spans of
        ``statuses`` (sorted by start, end, id, as :meth:`spans`) and the entities they refer to
        (by id). Reads in bulk (:meth:`spans_of_documents`): a few queries per 500 documents."""
        if doc_ids is None:
            yield from self._export_all_documents(statuses)
            return
        ids = list(doc_ids)
        entities = {e.id: e for e in self.entities(statuses=None)}
        for k in range(0, len(ids), _CHUNK):
            chunk = ids[k:k + _CHUNK]
            marks = ", ".join("?" for _ in chunk)
            documents = {d.id: d for d in map(document_from_row, self._rows(
                f"SELECT * FROM documents WHERE id IN ({marks})", chunk))}
            spans = self.spans_of_documents(chunk, statuses)
            for doc_id in chunk:
                if doc_id not in documents:
                    raise InputError(f"no document {doc_id}")
                mine = spans.get(doc_id, [])
                used = {s.entity_id for s in mine} | {s.speaker_id for s in mine}
                yield documents[doc_id], mine, [entities[i] for i in sorted(used - {None})]

    def spans_of_documents(self, doc_ids: Iterable[int], statuses: Statuses = SHOWN) -> dict[int, list[Span]]:
        """``{document id: spans}`` for the documents ``doc_ids`` (those with no span of
        ``statuses`` are absent), each list sorted by start, end, id like :meth:`spans`: the
        same Spans, read for exports in one query per 500 documents. A one-fragment span
        takes its fragment from the ``start`` / ``end`` columns (the store keeps them equal
        to the first and last fragment bounds) instead of parsing the ``fragments`` JSON."""
        ids = list(doc_ids)
        out: dict[int, list[Span]] = {}
        cond, params = _only(statuses)
        new, fields, loads = object.__new__, _SPAN_FIELDS, json.loads
        for k in range(0, len(ids), _CHUNK):
            chunk = ids[k:k + _CHUNK]
            marks = ", ".join("?" for _ in chunk)
            rows = self.db.execute(f'{_BULK_SPANS} WHERE document_id IN ({marks}){cond}'
                                   ' ORDER BY document_id, start, "end", id', [*chunk, *params])
            last, spans = None, None
            for row in rows:
                fragments = row[3]
                if fragments.count("[") == 2:
                    fragments = ((row[21], row[22]),)
                else:
                    fragments = tuple((a, b) for a, b in loads(fragments))
                span = new(Span)  # a frozen dataclass filled without its __init__ (fields as span_from_row)
                values = dict(zip(fields, row))
                values["fragments"] = fragments
                span.__dict__.update(values)
                if row[1] != last:
                    last = row[1]
                    spans = out.setdefault(last, [])
                spans.append(span)
        return out

    def _export_all_documents(self, statuses: Statuses = SHOWN) -> Iterator[tuple[Document, list[Span], list[Entity]]]:
        """:meth:`export_documents` of every document: two streamed queries side by side
        (documents by id, :meth:`spans_in_document_order`) instead of one query per 500
        documents for each."""
        entities = {e.id: e for e in self.entities(statuses=None)}
        groups = self.spans_in_document_order(statuses)
        pending = next(groups, None)
        for document in map(document_from_row, self._stream("SELECT * FROM documents ORDER BY id")):
            mine: list[Span] = []
            while pending is not None and pending[0] < document.id:  # spans of no document (never stored)
                pending = next(groups, None)
            if pending is not None and pending[0] == document.id:
                mine = pending[1]
                pending = next(groups, None)
            used = {s.entity_id for s in mine} | {s.speaker_id for s in mine}
            yield document, mine, [entities[i] for i in sorted(used - {None})]

    def _stream(self, sql: str, params: Iterable = ()) -> Iterator[dict]:
        """The rows of ``sql`` as dicts, read as they are used (not all at once)."""
        cur = self.db.execute(sql, list(params))
        names = [c[0] for c in cur.description]
        for row in cur:
            yield dict(zip(names, row))

    def spans_in_document_order(self, statuses: Statuses = SHOWN) -> Iterator[tuple[int, list[Span]]]:
        """``(document id, spans)`` for every document with spans of ``statuses``, by document
        id, each list sorted by start, end, id like :meth:`spans`: one streamed query over the
        ``spans_document`` index (``document_id, start, end`` and the rowid since migration
        ``m101``: no sort at all). The status test is written ``+status`` so that SQLite does
        not take the ``spans_status`` index instead, which reads every span and then sorts them
        all (EXPLAIN QUERY PLAN: "SCAN spans USING INDEX spans_document"). Spans are built as
        in :meth:`spans_of_documents`."""
        cond, params = _only(statuses)
        cond = cond.replace("status", "+status")
        rows = self.db.execute(f'{_BULK_SPANS} WHERE 1{cond} ORDER BY document_id, start, "end", id', params)
        new, fields, loads = object.__new__, _SPAN_FIELDS, json.loads
        last, spans = None, []
        for row in rows:
            span = new(Span)  # a frozen dataclass filled without its __init__ (fields as span_from_row)
            values = span.__dict__
            values.update(zip(fields, row))
            fragments = row[3]
            values["fragments"] = ((row[21], row[22]),) if fragments.count("[") == 2 else tuple(
                (a, b) for a, b in loads(fragments))
            if row[1] != last:
                if spans:
                    yield last, spans
                last, spans = row[1], []
            spans.append(span)
        if spans:
            yield last, spans


def entity_counts_at(path: str, statuses: Statuses = SHOWN, opened=None) -> dict[int, tuple[int, int]]:
    """:meth:`ReadingMixin.entity_counts` of the whole project at ``path``, read on a
    connection of its own (read-only, for a worker thread: the caller's connection is never
    shared between threads). ``opened(interrupt)`` is called with a callable that stops the
    query from another thread (then InputError "interrupted" is raised). InputError when the
    project cannot be read."""
    import sqlite3
    from pathlib import Path

    try:
        conn = sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True, timeout=5.0,
                               isolation_level=None, check_same_thread=False)
    except sqlite3.Error as exc:
        raise InputError(f"{path}: cannot be read ({exc})") from None
    try:
        if opened is not None:
            opened(conn.interrupt)
        cond, params = _only(statuses)
        conn.execute("BEGIN")  # one snapshot for both counts
        mentions = dict(conn.execute(
            f"SELECT entity_id, count(*) FROM spans WHERE entity_id IS NOT NULL{cond} GROUP BY entity_id", params))
        claims = dict(conn.execute(
            f"SELECT speaker_id, count(*) FROM spans WHERE speaker_id IS NOT NULL{cond} GROUP BY speaker_id", params))
        conn.execute("COMMIT")
    except sqlite3.Error as exc:
        raise InputError(f"{path}: could not count the mentions ({exc})") from None
    finally:
        conn.close()
    return {eid: (mentions.get(eid, 0), claims.get(eid, 0)) for eid in set(mentions) | set(claims)}
