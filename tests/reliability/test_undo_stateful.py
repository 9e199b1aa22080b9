"""Issue 4, "undo is safe": random sequences of edits, undos and redos (a hypothesis state
machine) always leave the store equal to what the view shows, with no dangling link.

The machine works on a :meth:`Store.memory` project holding two real articles. Its rules
are the user's edits (through :mod:`annotator.core.operations` where it has them, else the
store): mark / delete spans (discontinuous claims too), edit claim attributes and links, and
span extents, add / rename / retype / merge / delete entities, attribute claims, add / delete
relations, document status and polarity, import and delete whole documents; plus undo and redo with two stacks of Changes, as
QUndoStack keeps them (a new edit clears the redo stack), and edits that must be refused.

The "view" is a :class:`SpanIndex` per document (and a dict of relations) maintained ONLY
from the Changes' rows, as the window's view does. After every step:

* each document's SpanIndex equals ``store.spans(doc)`` (ids, fragments, every attribute),
  and the relation view equals ``store.relations(doc)``;
* no dangling link: ``PRAGMA foreign_key_check`` is empty, a claim's source is a speaker span
  and its cue a cue span of the same document, its speaker an existing entity, a relation's
  ends spans of its document;
* every edit's Change is exactly what changed: the first "before" and the last "after" of
  each row it names are the rows before and after the edit, and no other row changed;
* a refused edit (InputError) changes nothing.

The rule ``round_trip`` (and the end of every run) undoes everything - the store must equal
its initial dump exactly - and redoes everything - it must equal the dump it had.

Default: a modest number of runs; ``--runslow`` runs 20 times as many, each longer.
"""
from __future__ import annotations

import json
import re
from collections import defaultdict
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule, run_state_machine_as_test

from annotator.core import operations as annotating
from annotator.core.errors import InputError
from annotator.core.model import CLAIM, CUE, SPEAKER, NewDocument, NewEntity, NewRelation, NewSpan
from annotator.core.span_index import SpanIndex
from annotator.core.store import Change, Store
from annotator.core.store.changes import TO_ROW, document_to_row

DATA = Path(__file__).resolve().parent.parent / "data"
SOAK = 20
CONTENT = ("documents", "entities", "spans", "relations")

FALLBACK = [
    "Talks end without agreement\n\n"
    "The two delegations met for six hours on Tuesday. \"We recognize serious differences,\" the deputy "
    "minister told reporters afterwards, adding that \"dialogue will continue\".\n\n"
    "A spokeswoman for the embassy said the meeting had been \"frank and useful\", but officials on both "
    "sides warned that no date had been set for a second round.\n",
    "Court upholds sentence\n\n"
    "An appeals court on Monday upheld the three-year sentence, according to the journalist's lawyer, who "
    "said he would take the case to the supreme court. \"This verdict is a message to every reporter,\" he "
    "told the press.\n",
]


def articles() -> list[str]:
    """Two real news articles (Wikinews, in tests/data), or two written paragraphs."""
    texts = []
    for name in ("korea.txt", "imprisoned.txt"):
        path = DATA / "wikinews" / name
        if path.is_file():
            texts.append(path.read_text(encoding="utf-8"))
    return texts if len(texts) == 2 else FALLBACK


TEXTS = articles()


def select(store: Store, sql: str) -> list[dict]:
    """Rows of a query as dicts (read straight from the project's database)."""
    cur = store.db.execute(sql)
    names = [c[0] for c in cur.description]
    return [dict(zip(names, row)) for row in cur.fetchall()]


def dump(store: Store) -> dict:
    """The whole project: every table's rows and the schema, but not ``sqlite_sequence``
    (AUTOINCREMENT's counters, which undoing an insert rightly does not lower)."""
    db = store.db
    out: dict = {}
    for kind, name, sql in db.execute("SELECT type, name, sql FROM sqlite_master ORDER BY type, name").fetchall():
        if name == "sqlite_sequence":
            continue
        if re.fullmatch(r"fts_\w+_(data|idx|docsize|config)", name):
            continue  # the search index's own b-trees: their bytes differ after an insert and its undo
        if (sql or "").startswith("CREATE VIRTUAL TABLE") and "fts5" in sql:  # ... its rows must not, and it stays sound
            db.execute(f"INSERT INTO {name}({name}) VALUES ('integrity-check')")
        out[(kind, name)] = sql
        if kind == "table":
            out[name] = sorted(db.execute(f'SELECT * FROM "{name}"').fetchall(), key=repr)
    return out


def content(store: Store) -> dict[str, dict[int, dict]]:
    """``{table: {id: row}}`` for the tables edits write."""
    return {table: {row["id"]: row for row in select(store, f"SELECT * FROM {table}")} for table in CONTENT}


def check_links(store: Store) -> None:
    db = store.db
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []
    texts = dict(db.execute("SELECT id, length(text) FROM documents").fetchall())
    rows = {r["id"]: r for r in select(store, "SELECT * FROM spans")}
    entities = {r[0] for r in db.execute("SELECT id FROM entities").fetchall()}
    for row in rows.values():
        frags = json.loads(row["fragments"])
        assert all(0 <= a < b <= texts[row["document_id"]] for a, b in frags), row
        assert all(b1 <= a2 for (_, b1), (a2, _) in zip(frags, frags[1:])), row
        if row["entity_id"] is not None:
            assert row["label"] == SPEAKER and row["entity_id"] in entities, row
        if row["speaker_id"] is not None:
            assert row["label"] == CLAIM and row["speaker_id"] in entities, row
        for column, want in (("source_id", SPEAKER), ("cue_id", CUE)):
            if row[column] is not None:
                target = rows.get(row[column])
                assert row["label"] == CLAIM, row
                assert target is not None and target["label"] == want and target["document_id"] == row["document_id"], (column, row)
    for rel in select(store, "SELECT * FROM relations"):
        for end in (rel["from_id"], rel["to_id"]):
            assert end in rows and rows[end]["document_id"] == rel["document_id"], rel


def check_change(change: Change, before: dict, after: dict) -> None:
    """``change`` describes exactly how ``before`` became ``after``: the first "before" and
    the last "after" it has for each row are that row's states, and no other row changed.
    An update may leave out columns it does not change (documents leave out their text),
    never an insert or a delete (undoing those writes the whole row); span rows are whole
    (the view builds its spans from them). The documents an import created are in
    ``change.imported`` by id (not row by row): every row of those documents (the document,
    its spans, its relations) is absent on one side and present on the other, and its
    fingerprint is the one of the side where they are."""
    first, last, kinds = {}, {}, {}
    imported = change.imported.ids if change.imported is not None else ()
    if imported:
        there, gone = (before, after) if change.imported.removes else (after, before)
        owned = {"documents": set(imported),
                 "spans": {i for i, r in there["spans"].items() if r["document_id"] in imported},
                 "relations": {i for i, r in there["relations"].items() if r["document_id"] in imported}}
        for table, ids in owned.items():
            for id_ in ids:
                assert id_ in there[table] and id_ not in gone[table], ("an imported row", table, id_)
                first[(table, id_)] = last[(table, id_)] = None  # accounted for
        assert all(r["document_id"] not in imported for t in ("spans", "relations") for r in gone[t].values())
    for rc in map(RowView, change.items):
        key = (rc.table, rc.id)
        first.setdefault(key, rc)
        last[key] = rc
        kinds.setdefault(key, set()).add("update" if rc.before is not None and rc.after is not None else "other")
        if rc.table == "spans":
            for row in (rc.before, rc.after):
                assert row is None or set(row) == set(before["spans"].get(rc.id) or after["spans"].get(rc.id) or row), \
                    ("a span row of the Change is not whole", rc)

    def agrees(state: dict | None, row: dict | None, partial: bool) -> bool:
        if row is None or state is None:
            return row is state
        return all(state.get(k, object()) == v for k, v in row.items()) if partial else state == row

    for key, rc in first.items():
        if rc is None:
            continue
        is_update = rc.before is not None and rc.after is not None
        assert agrees(before[key[0]].get(key[1]), rc.before, is_update), ("before", key, rc.before)
    for key, rc in last.items():
        if rc is None:
            continue
        is_update = rc.before is not None and rc.after is not None
        assert agrees(after[key[0]].get(key[1]), rc.after, is_update), ("after", key, rc.after)
    for key, kind in kinds.items():
        if kind == {"update"}:  # the columns no row of the Change names did not change
            named = {c for rc in map(RowView, change.items) if (rc.table, rc.id) == key for c in rc.after}
            old, new = before[key[0]][key[1]], after[key[0]][key[1]]
            assert {k: v for k, v in old.items() if k not in named} == {k: v for k, v in new.items() if k not in named}, key
    for table in CONTENT:
        for id_ in set(before[table]) | set(after[table]):
            if (table, id_) not in first:
                assert before[table].get(id_) == after[table].get(id_), ("changed but not in the Change", table, id_)


class RowView:
    """An ItemChange of a Change seen as the rows it stands for (documents of an update
    without their text), to compare with the tables."""

    def __init__(self, item):
        self.table, self.id, self.item = item.kind, item.id, item
        update = item.before is not None and item.after is not None
        self.before, self.after = (None if x is None else
                                   document_to_row(x, with_text=False) if self.table == "documents" and update
                                   else TO_ROW[self.table](x) for x in (item.before, item.after))


class UndoMachine(RuleBasedStateMachine):
    def __init__(self):
        super().__init__()
        self.store = Store.memory()
        self.store.import_documents([NewDocument(title=f"article {n}", text=t, origin=f"article{n}.txt")
                                     for n, t in enumerate(TEXTS, 1)])
        self.texts = {d: self.store.document(d).text for d in self.docs}  # texts never change
        self.undo_stack: list[Change] = []
        self.redo_stack: list[Change] = []
        self.initial = dump(self.store)
        # the view: built once from the store, then kept up to date from Changes only
        self.view: dict[int, SpanIndex] = defaultdict(SpanIndex)
        self.relation_view: dict[int, dict] = defaultdict(dict)
        for d in self.docs:
            self.view[d] = SpanIndex(self.store.spans(d))
            self.relation_view[d] = {r.id: r for r in self.store.relations(d)}
        self.imported = 0

    @property
    def docs(self) -> list[int]:
        return [i.id for i in self.store.document_infos()]

    def teardown(self):
        try:
            self.round_trip()
        finally:
            self.store.close()

    # --- helpers ------------------------------------------------------------------------

    def show(self, change: Change) -> None:
        """What the view does with a Change: apply its span and relation rows in order; the
        documents an import created (by id) are read whole from the store, or dropped."""
        if change.imported is not None and change.imported.removes:
            for doc_id in change.imported.ids:
                self.view[doc_id], self.relation_view[doc_id] = SpanIndex(), {}
        for rc in change.items:
            if rc.kind == "spans":
                index = self.view[(rc.after or rc.before).document_id]
                if rc.after is None:
                    index.remove(rc.id)
                elif rc.before is None:
                    index.add(rc.after)
                else:
                    if rc.before.document_id != rc.after.document_id:
                        self.view[rc.before.document_id].remove(rc.id)
                    index.replace(rc.after)
            elif rc.kind == "relations":
                doc_id = (rc.after or rc.before).document_id
                if rc.after is None:
                    self.relation_view[doc_id].pop(rc.id)
                else:
                    self.relation_view[doc_id][rc.id] = rc.after
        if change.imported is not None and not change.imported.removes:
            for doc_id in change.imported.ids:
                self.view[doc_id] = SpanIndex(self.store.spans(doc_id))
                self.relation_view[doc_id] = {r.id: r for r in self.store.relations(doc_id)}

    def edit(self, do, *args, **kwargs) -> Change | None:
        """Run a user edit; on success record its Change (a new edit clears redo); on
        InputError check that nothing changed."""
        before = content(self.store)
        try:
            change = do(self.store, *args, **kwargs)
        except InputError:
            assert content(self.store) == before, "a refused edit changed the project"
            return None
        assert isinstance(change, Change)
        check_change(change, before, content(self.store))
        if change:
            self.undo_stack.append(change)
            self.redo_stack.clear()
            self.show(change)
        return change

    def refused(self, do, *args, **kwargs) -> None:
        """An edit that must be refused with InputError, changing nothing."""
        before = dump(self.store)
        with pytest.raises(InputError):
            do(self.store, *args, **kwargs)
        assert dump(self.store) == before

    def text(self, doc: int) -> str:
        if doc not in self.texts:
            self.texts[doc] = self.store.document(doc).text
        return self.texts[doc]

    def spans(self, label: str | None = None, doc: int | None = None) -> list:
        docs = self.docs if doc is None else [doc]
        return [s for d in docs for s in self.store.spans(d) if label is None or s.label == label]

    def entity_ids(self) -> list[int]:
        return [e.id for e in self.store.entities()]

    def fragments(self, data, doc: int, count: st.SearchStrategy = st.integers(1, 3)):
        """Sorted, disjoint, non-empty fragments; snapped to word ends most of the time."""
        text = self.text(doc)
        k = data.draw(count)
        points = sorted(data.draw(st.lists(st.integers(0, len(text)), min_size=2 * k, max_size=2 * k, unique=True)))
        frags = [(points[i], points[i + 1]) for i in range(0, len(points), 2)]
        if data.draw(st.booleans()):  # as a double click would select: whole words
            snapped = []
            for a, b in frags:
                while a > 0 and text[a - 1].isalnum() and text[a].isalnum():
                    a -= 1
                while b < len(text) and text[b - 1].isalnum() and text[b].isalnum():
                    b += 1
                if snapped and a < snapped[-1][1]:
                    a = snapped[-1][1]
                if a < b:
                    snapped.append((a, b))
            frags = snapped or frags
        return frags

    # --- spans --------------------------------------------------------------------------

    @rule(data=st.data())
    def mark_speaker(self, data):
        doc = data.draw(st.sampled_from(self.docs))
        frags = self.fragments(data, doc, st.integers(1, 2))
        how = data.draw(st.sampled_from(["join", "new", "entity", "store"]))
        if how == "join":
            self.edit(annotating.mark_speaker, doc, frags)
        elif how == "new":
            self.edit(annotating.mark_new_speaker, doc, frags, data.draw(st.sampled_from(self.store.schema.entity_types)))
        elif how == "entity" and self.entity_ids():
            self.edit(annotating.mark_speaker, doc, frags, entity_id=data.draw(st.sampled_from(self.entity_ids())))
        else:  # a mention without an entity, straight through the store
            self.edit(Store.add_span, doc, SPEAKER, frags)

    @rule(data=st.data())
    def mark_cue(self, data):
        doc = data.draw(st.sampled_from(self.docs))
        self.edit(annotating.mark_cue, doc, self.fragments(data, doc, st.integers(1, 2)))

    @rule(data=st.data())
    def mark_claim(self, data):
        doc = data.draw(st.sampled_from(self.docs))
        frags = self.fragments(data, doc, st.integers(1, 3))  # discontinuous claims too
        attrs = {}
        schema = self.store.schema
        if self.entity_ids() and data.draw(st.booleans()):
            attrs["speaker_id"] = data.draw(st.sampled_from(self.entity_ids()))
        for key, label in (("source_id", SPEAKER), ("cue_id", CUE)):
            candidates = [s.id for s in self.spans(label, doc)]
            if candidates and data.draw(st.booleans()):
                attrs[key] = data.draw(st.sampled_from(candidates))
        for attr in ("form", "polarity", "intensity"):
            attrs[attr] = data.draw(st.none() | st.sampled_from(schema.attributes[attr]))
        attrs["target"] = data.draw(st.none() | st.sampled_from(["Russia", "the talks", " "]))
        if data.draw(st.booleans()):
            self.edit(annotating.mark_claim, doc, frags, **attrs)
        else:
            self.edit(Store.add_span, doc, CLAIM, frags, **attrs)

    @precondition(lambda self: self.store.db.execute("SELECT count(*) FROM spans").fetchone()[0])
    @rule(data=st.data())
    def delete_span(self, data):
        span = data.draw(st.sampled_from(self.spans()))
        self.edit(annotating.delete_span, span.id)

    @precondition(lambda self: self.store.db.execute("SELECT count(*) FROM spans").fetchone()[0])
    @rule(data=st.data())
    def move_span(self, data):
        """Change a span's extent (its fragments), as dragging its ends does."""
        span = data.draw(st.sampled_from(self.spans()))
        self.edit(Store.update_span, span.id, fragments=self.fragments(data, span.document_id))

    @precondition(lambda self: self.store.db.execute("SELECT count(*) FROM spans").fetchone()[0])
    @rule(data=st.data())
    def annotate_span(self, data):
        """Set a span's note or its free attributes (from other tools' formats)."""
        span = data.draw(st.sampled_from(self.spans()))
        if data.draw(st.booleans()):
            self.edit(Store.update_span, span.id, note=data.draw(st.none() | st.sampled_from(["check", "", "quote?"])))
        else:
            self.edit(Store.update_span, span.id, attributes=data.draw(
                st.dictionaries(st.sampled_from(["Negated", "Certainty", "ref"]), st.booleans() | st.text(max_size=3), max_size=2)))

    # --- claims -------------------------------------------------------------------------

    def claims(self):
        return self.spans(CLAIM)

    @precondition(lambda self: self.store.db.execute("SELECT count(*) FROM spans WHERE label = 'claim'").fetchone()[0])
    @rule(data=st.data())
    def set_claim_attribute(self, data):
        claim = data.draw(st.sampled_from(self.claims()))
        name = data.draw(st.sampled_from(["form", "polarity", "intensity", "target"]))
        if name == "target":
            value = data.draw(st.none() | st.sampled_from(["Russia", "  the talks ", "NATO"]))
        else:
            value = data.draw(st.none() | st.sampled_from(self.store.schema.attributes[name]))
        self.edit(annotating.set_claim_attribute, claim.id, name, value)

    @precondition(lambda self: self.store.db.execute("SELECT count(*) FROM spans WHERE label = 'claim'").fetchone()[0])
    @rule(data=st.data())
    def link_claim(self, data):
        """Set a claim's speaker, source or cue directly (None unlinks)."""
        claim = data.draw(st.sampled_from(self.claims()))
        column = data.draw(st.sampled_from(["speaker_id", "source_id", "cue_id"]))
        if column == "speaker_id":
            candidates = self.entity_ids()
        else:
            candidates = [s.id for s in self.spans(SPEAKER if column == "source_id" else CUE, claim.document_id)]
        value = data.draw(st.none() | st.sampled_from(candidates)) if candidates else None
        self.edit(Store.update_span, claim.id, **{column: value})

    @precondition(lambda self: self.store.db.execute("SELECT count(*) FROM spans WHERE label = 'claim'").fetchone()[0])
    @rule(data=st.data())
    def attribute_claim(self, data):
        claim = data.draw(st.sampled_from(self.claims()))
        entities = self.entity_ids()
        entity = data.draw(st.none() | st.sampled_from(entities)) if entities else None
        self.edit(annotating.attribute_claim, claim.id, entity)

    # --- entities -----------------------------------------------------------------------

    @rule(name=st.sampled_from(["Yonhap", "KCNA", "Kim Jong-un", "the lawyer", "  Park  "]),
          type=st.sampled_from(["person", "organization", "other"]))
    def add_entity(self, name, type):
        self.edit(annotating.new_entity, name, type)

    @precondition(lambda self: self.store.entities())
    @rule(data=st.data(), name=st.sampled_from(["Korean Central News Agency", "kcna", "Ms Park", "Yonhap"]))
    def rename_entity(self, data, name):
        self.edit(annotating.rename_entity, data.draw(st.sampled_from(self.entity_ids())), name)

    @precondition(lambda self: self.store.entities())
    @rule(data=st.data())
    def retype_entity(self, data):
        entity = data.draw(st.sampled_from(self.entity_ids()))
        if data.draw(st.booleans()):
            self.edit(annotating.set_entity_type, entity, data.draw(st.sampled_from(self.store.schema.entity_types)))
        else:
            self.edit(Store.update_entity, entity, aliases=data.draw(st.lists(st.sampled_from(["K", "he", "the agency"]), max_size=2)),
                      notes=data.draw(st.sampled_from(["", "state media"])))

    @precondition(lambda self: len(self.store.entities()) >= 2)
    @rule(data=st.data())
    def merge_entities(self, data):
        keep, gone = data.draw(st.lists(st.sampled_from(self.entity_ids()), min_size=2, max_size=2, unique=True))
        self.edit(annotating.merge_entities, keep, gone)

    @precondition(lambda self: self.store.entities())
    @rule(data=st.data())
    def delete_entity(self, data):
        self.edit(annotating.delete_entity, data.draw(st.sampled_from(self.entity_ids())))

    # --- relations and documents --------------------------------------------------------

    @precondition(lambda self: self.store.db.execute("SELECT count(*) FROM spans").fetchone()[0])
    @rule(data=st.data(), type=st.sampled_from(["coref", "said_by", "Arg1"]))
    def add_relation(self, data, type):
        doc = data.draw(st.sampled_from([d for d in self.docs if self.store.spans(d)]))
        ids = [s.id for s in self.store.spans(doc)]
        self.edit(Store.add_relation, doc, type, data.draw(st.sampled_from(ids)), data.draw(st.sampled_from(ids)),
                  data.draw(st.none() | st.just({"confidence": "high"})))

    @precondition(lambda self: self.store.db.execute("SELECT count(*) FROM relations").fetchone()[0])
    @rule(data=st.data())
    def delete_relation(self, data):
        ids = [r[0] for r in self.store.db.execute("SELECT id FROM relations ORDER BY id").fetchall()]
        self.edit(Store.delete_relation, data.draw(st.sampled_from(ids)))

    @rule(data=st.data())
    def document_fields(self, data):
        doc = data.draw(st.sampled_from(self.docs))
        if data.draw(st.booleans()):
            self.edit(annotating.set_document_polarity, doc, data.draw(st.none() | st.sampled_from(self.store.schema.document_polarity)))
        else:
            self.edit(annotating.toggle_done, doc)

    @rule(data=st.data())
    def import_article(self, data):
        """Import an article with annotations (one undoable Change); the same text twice is
        skipped, which changes nothing."""
        base = data.draw(st.sampled_from(TEXTS))
        text = base if data.draw(st.booleans()) else f"{base}\nUpdate {self.imported}: the agency said more talks would follow.\n"
        self.imported += 1
        words = [m.span() for m in re.finditer(r"\w+", text)]
        spans = [NewSpan("s1", SPEAKER, (words[0],), entity="e1"), NewSpan("s2", CUE, (words[1],)),
                 NewSpan("s3", CLAIM, (words[2], words[4]), speaker="e1", source="s1", cue="s2", polarity="neutral",
                         attributes={"from": "import"})]
        doc = NewDocument(title=f"import {self.imported}", text=text, origin=f"import{self.imported}.json#0",
                          entities=[NewEntity("e1", data.draw(st.sampled_from(["KCNA", "Yonhap", "the lawyer"])),
                                              data.draw(st.sampled_from(["person", "organization"])))],
                          spans=spans, relations=[NewRelation("r1", "coref", "s3", "s1")])
        self.edit(lambda store: store.import_documents([doc])[1])

    @precondition(lambda self: len(self.store.document_infos()) > 1)
    @rule(data=st.data())
    def delete_document(self, data):
        self.edit(Store.delete_document, data.draw(st.sampled_from(self.docs)))

    # --- refusals -----------------------------------------------------------------------

    @rule(data=st.data())
    def refused_edit(self, data):
        """Edits the store must refuse (InputError) without changing anything."""
        doc = data.draw(st.sampled_from(self.docs))
        n = len(self.text(doc))
        kind = data.draw(st.sampled_from(["outside", "overlap", "label", "cue_link", "attr", "entity", "merge_self", "relation"]))
        if kind == "outside":
            self.refused(Store.add_span, doc, CUE, [(n - 1, n + 1)])
        elif kind == "overlap":
            self.refused(Store.add_span, doc, CLAIM, [(0, 5), (3, 8)])
        elif kind == "label":
            self.refused(Store.add_span, doc, "no-such-label", [(0, 5)])
        elif kind == "cue_link":  # a cue of the other document
            others = [d for d in self.docs if d != doc]
            cues = self.spans(CUE, others[0]) if others else []
            if cues:
                self.refused(Store.add_span, doc, CLAIM, [(0, 5)], cue_id=cues[0].id)
            else:
                self.refused(Store.add_span, doc, CLAIM, [(0, 5)], cue_id=10**6)
        elif kind == "attr":
            self.refused(Store.add_span, doc, CLAIM, [(0, 5)], polarity="furious")
        elif kind == "entity":
            self.refused(Store.add_span, doc, SPEAKER, [(0, 5)], entity_id=10**6)
        elif kind == "merge_self" and self.entity_ids():
            e = self.entity_ids()[0]
            self.refused(Store.merge_entities, e, e)
        elif kind == "relation":
            self.refused(Store.add_relation, doc, "coref", 10**6, 10**6)

    # --- undo / redo --------------------------------------------------------------------

    def apply(self, change: Change) -> None:
        before = content(self.store)
        self.store.apply(change)
        check_change(change, before, content(self.store))
        self.show(change)

    @precondition(lambda self: self.undo_stack)
    @rule()
    def undo(self):
        change = self.undo_stack.pop()
        self.apply(change.inverted())
        self.redo_stack.append(change)

    @precondition(lambda self: self.redo_stack)
    @rule()
    def redo(self):
        change = self.redo_stack.pop()
        self.apply(change)
        self.undo_stack.append(change)

    @precondition(lambda self: self.undo_stack)
    @rule(back=st.integers(1, 6), forward=st.integers(0, 6))
    def undo_then_redo(self, back, forward):
        """Several undos, then some redos (Edit > Undo held down, then Redo)."""
        for _ in range(min(back, len(self.undo_stack))):
            self.undo()
        for _ in range(min(forward, len(self.redo_stack))):
            self.redo()

    @rule()
    def round_trip(self):
        """Undo everything: the initial project exactly; redo it all: where we were."""
        here = dump(self.store)
        undone = []
        while self.undo_stack:
            change = self.undo_stack.pop()
            self.apply(change.inverted())
            undone.append(change)
        assert dump(self.store) == self.initial, "undoing every edit did not restore the initial project"
        self.check_view()
        while undone:
            change = undone.pop()
            self.apply(change)
            self.undo_stack.append(change)
        assert dump(self.store) == here, "redoing every edit did not restore the project"

    # --- invariants ---------------------------------------------------------------------

    @invariant()
    def check_view(self):
        for doc in set(self.docs) | set(self.view) | set(self.relation_view):  # deleted documents: empty views
            assert list(self.view[doc]) == self.store.spans(doc), f"the view of document {doc} differs from the store"
            assert sorted(self.relation_view[doc].values(), key=lambda r: r.id) == self.store.relations(doc)
        assert all(self.text(d) == self.store.document(d).text for d in self.docs)

    @invariant()
    def no_dangling_link(self):
        check_links(self.store)


def machine_settings(request, examples: int, steps: int):
    soak = request.config.getoption("--runslow")
    return settings(
        max_examples=examples * (SOAK if soak else 1),
        stateful_step_count=steps * (2 if soak else 1),
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
        print_blob=True,
    )


def test_undo_redo_keep_store_and_view_equal(request):
    run_state_machine_as_test(UndoMachine, settings=machine_settings(request, 60, 50))


def test_dump_sees_every_table():
    """The dumps compared above cover every table a project has (a new table is not missed)."""
    store = Store.memory()
    tables = {r[0] for r in store.db.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()}
    assert set(CONTENT) <= tables
    internal = {t for t in tables if re.fullmatch(r"fts_\w+_(data|idx|docsize|config)", t)}  # FTS5's b-trees
    assert internal and {key[1] for key in dump(store) if isinstance(key, tuple) and key[0] == "table"} == (
        tables - {"sqlite_sequence"} - internal)
