"""Project search: the FTS5 index kept by triggers, hits with code-point offsets, the claim query."""
from __future__ import annotations

import sqlite3

import pytest
from sqlite_utils import Database

from annotator.core import operations as ops
from annotator.core.model import NewDocument, NewEntity, NewSpan
from annotator.core.store import Store
from annotator.core.store.migrations import migrations
from annotator.core.store.search import NO_SPEAKER, query_claims, search
from annotator.core.text_search import context, find_all, find_terms, fold, parse_query

FR = "Le président Macron a dit à Pékin : « nous avancerons ». 美国总统拜登说中国很好。대통령은 기자회견에서"
EN = "The mayor said the bridge \u201cwill open soon.\u201d Officials were unsaid. 😀 Café au lait."


def _project() -> Store:
    store = Store.memory()
    m = FR.index("Macron")
    q = FR.index("nous")
    store.import_documents([
        NewDocument(title="Pékin talks", text=FR,
                    entities=[NewEntity("e1", "Emmanuel Macron", aliases=("Macron", "马克龙"))],
                    spans=[NewSpan("m1", "speaker", ((m, m + 6),), entity="e1"),
                           NewSpan("c1", "claim", ((q, q + 15),), speaker="e1", polarity="positive", form="direct")]),
        NewDocument(title="Bridge", text=EN,
                    entities=[NewEntity("e2", "The mayor")],
                    spans=[NewSpan("m1", "speaker", ((0, 9),), entity="e2"),
                           NewSpan("c1", "claim", ((27, 43),), speaker="e2", polarity="negative", form="direct"),
                           NewSpan("c2", "claim", ((44, 66),))]),
    ])
    return store


def _found(store, query):
    return [(h.kind, h.document_id, h.start, h.end) for h in search(store, query)]


def test_words_ignore_case_and_accents_and_give_code_point_offsets():
    store = _project()
    hits = search(store, "pekin")
    assert [(h.kind, h.match) for h in hits] == [("title", "Pékin"), ("text", "Pékin")]
    text_hit = hits[1]
    assert FR[text_hit.start:text_hit.end] == "Pékin"
    assert _found(store, "PRÉSIDENT") == [("text", 1, 3, 12)]


def test_whole_words_prefix_and_phrase():
    store = _project()
    assert _found(store, "said") == [("text", 2, 10, 14)]  # not "unsaid"
    assert [h.match for h in search(store, "presid*")] == ["président"]
    assert [h.match for h in search(store, '"will open"')] == ["will open"]
    assert search(store, '"open will"') == []


def test_cjk_substrings_of_any_length():
    store = _project()
    for word in ("美国", "总统拜", "中国很好", "拜", "대통령", "기자회견", "회견"):
        hits = search(store, word)
        assert [(h.kind, FR[h.start:h.end]) for h in hits] == [("text", word)], word
    assert [h.start for h in search(store, "国")] == [FR.index("国"), FR.rindex("国")]


def test_offsets_after_an_astral_character_are_code_points():
    store = _project()
    (hit,) = search(store, "cafe")
    assert EN[hit.start:hit.end] == "Café"
    assert hit.start == EN.index("Café")


def test_a_hit_inside_a_claim_names_the_claim_and_its_speaker():
    store = _project()
    (hit,) = search(store, "open")
    assert hit.kind == "claim" and hit.speaker == "The mayor"
    assert store.span(hit.span_id).label == "claim"


def test_speakers_by_name_and_alias_point_at_their_first_mention():
    store = _project()
    hits = [h for h in search(store, "马克龙") if h.kind == "speaker"]
    assert [(h.speaker, h.document_id, FR[h.start:h.end]) for h in hits] == [("Emmanuel Macron", 1, "Macron")]


def test_every_term_must_be_in_the_document():
    store = _project()
    assert {h.document_id for h in search(store, "bridge mayor")} == {2}
    assert search(store, "bridge pekin") == []
    assert search(store, "   ") == [] and search(store, "«»") == []


def test_the_index_follows_edits_and_undo():
    store = _project()
    doc = 2
    assert [h.kind for h in search(store, "officials")] == ["claim"]
    claim = next(s for s in store.spans(doc) if s.label == "claim" and s.speaker_id is None)
    deleted = ops.delete_span(store, claim.id)
    assert [h.kind for h in search(store, "officials")] == ["text"]
    assert query_claims(store, text="officials") == []
    store.apply(deleted.inverted())
    assert [c.span_id for c in query_claims(store, text="officials")] == [claim.id]
    entity = store.find_entity("The mayor")
    ops.rename_entity(store, entity.id, "Mayor Ramírez")
    assert [h.speaker for h in search(store, "ramirez")] == ["Mayor Ramírez"]
    assert [h.kind for h in search(store, "mayor") if h.kind == "speaker"] == ["speaker"]


def test_the_index_follows_imports_and_their_undo():
    store = _project()
    _report, change = store.import_documents([NewDocument(title="Zebra", text="A zebra crossing.")])
    assert _found(store, "zebra")[0][0] == "title"
    store.apply(change.inverted())
    assert search(store, "zebra") == []


def test_another_connection_keeps_the_index_current(tmp_path):
    path = tmp_path / "p.db"
    Store.open(path).close()
    other = sqlite3.connect(path)  # another program writing the documents table directly
    other.execute("INSERT INTO documents (title, text, sha256) VALUES ('Quokka', 'A quokka smiled.', 'x')")
    other.commit()
    other.close()
    store = Store.open(path)
    try:
        assert [h.match for h in search(store, "quokka")] == ["Quokka", "quokka"]
    finally:
        store.close()


def test_the_migration_indexes_an_existing_project(tmp_path):
    path = tmp_path / "old.db"
    db = Database(path)
    for migration in migrations._migrations:
        if migration.name < "m100":
            migration.fn(db)
            db["_sqlite_migrations"].insert({"migration_set": "annotator", "name": migration.name,
                                              "applied_at": "2026-01-01"}, alter=True)
    db.execute("INSERT INTO meta (key, value) VALUES ('schema', 'news')")
    db.execute("INSERT INTO documents (title, text, sha256) VALUES ('Old', 'An old article about Pékin.', 'y')")
    db.execute("INSERT INTO entities (name, aliases) VALUES ('Xi Jinping', '[\"习近平\"]')")
    db.execute("INSERT INTO spans (document_id, label, start, \"end\", fragments) VALUES (1, 'claim', 3, 14, '[[3, 14]]')")
    db.conn.commit()
    db.close()
    store = Store.open(path)
    try:
        assert [h.match for h in search(store, "pekin")] == ["Pékin"]
        assert [h.speaker for h in search(store, "习近平")] == ["Xi Jinping"]
        assert [c.text for c in query_claims(store, text="article")] == ["old article"]
    finally:
        store.close()


def test_claim_query_filters():
    store = _project()
    assert [c.speaker for c in query_claims(store, speaker="macron")] == ["Emmanuel Macron"]
    assert [c.speaker for c in query_claims(store, speaker="MAYOR")] == ["The mayor"]
    assert [c.text for c in query_claims(store, speaker=NO_SPEAKER)] == [EN[44:66]]
    assert [c.polarity for c in query_claims(store, polarity="negative")] == ["negative"]
    assert len(query_claims(store, form="direct")) == 2
    assert [c.document_id for c in query_claims(store, status="new")] == [1, 2, 2]
    assert query_claims(store, status="done") == []
    assert [c.text for c in query_claims(store, text="avancerons")] == ["nous avancerons"]
    assert query_claims(store, speaker="nobody") == []
    assert len(query_claims(store, limit=1)) == 1


def test_parse_query_terms():
    terms = parse_query('U.S. "said on" presid* 美国 ')
    assert [(t.tokens, t.prefix, t.cjk) for t in terms] == [
        (("u", "s"), False, False), (("said", "on"), False, False), (("presid",), True, False), (("美国",), False, True)]
    assert fold("ÉCOLE Straße") == "ecole straße"
    assert fold("대통령은") == "대통령은"  # Hangul syllables stay whole (NFD would split them)


def test_find_terms_keeps_a_combining_accent_with_its_letter():
    text = "Cafe\u0301 noir"
    (hit,) = find_terms(text, parse_query("cafe"))
    assert hit == (0, 5)


def test_find_all_case_and_whole_words():
    text = "Said the unsaid SAID"
    assert find_all(text, "said") == [(0, 4), (11, 15), (16, 20)]
    assert find_all(text, "said", case_sensitive=True) == [(11, 15)]
    assert find_all(text, "said", whole_words=True) == [(0, 4), (16, 20)]
    assert find_all(text, "") == []


def test_context_collapses_line_ends():
    text = "First line.\n\nThe mayor said it, and then some more words follow here."
    before, match, after = context(text, text.index("mayor"), text.index("mayor") + 5, width=20)
    assert match == "mayor" and "\n" not in before and before.endswith("The ")
    assert after.startswith(" said")


@pytest.mark.parametrize("query", ['"', "*", "AND", "NEAR(", "a OR", "-x", "col:x"])
def test_query_syntax_never_reaches_fts5_raw(query):
    store = _project()
    search(store, query)  # no sqlite3.OperationalError


def _far_claim_project():
    """A claim past NEAR (queued, not indexed at once) and one before it."""
    from annotator.core.store.search import NEAR

    text = "Filler words here. " * (NEAR // 19 + 10) + "The minister said the zeppelin lands today."
    store = Store.memory()
    store.import_documents([NewDocument(title="Long", text=text)])
    far = text.index("the zeppelin")
    ops.mark_claim(store, 1, [(far, len(text))])
    ops.mark_claim(store, 1, [(0, 12)])
    return store, text, far


def test_a_claim_far_into_a_long_article_is_queued_then_found():
    store, text, far = _far_claim_project()
    pending = store.db.execute("SELECT span_id FROM fts_claims_pending").fetchall()
    assert len(pending) == 1  # the far one: no substr over the whole text during the edit
    assert [c.text for c in query_claims(store, text="zeppelin")] == ["the zeppelin lands today."]
    assert store.db.execute("SELECT count(*) FROM fts_claims_pending").fetchone()[0] == 0  # indexed now
    assert [c.text for c in query_claims(store, text="filler")] == ["Filler words"]


def test_moving_a_claim_reindexes_it_near_or_far():
    store, text, far = _far_claim_project()
    near_claim = next(s for s in store.spans(1) if s.start == 0)
    minister = text.index("minister")
    store.update_span(near_claim.id, fragments=[(minister, minister + 13)])  # "minister said", far away now
    assert query_claims(store, text="filler") == []
    assert [c.span_id for c in query_claims(store, text="minister")] == [near_claim.id]
    store.update_span(near_claim.id, fragments=[(0, 6)])
    assert [c.text for c in query_claims(store, text="filler")] == ["Filler"]
    assert query_claims(store, text="minister") == []


def test_queued_claims_are_matched_when_the_project_cannot_be_written(tmp_path):
    path = tmp_path / "q.db"
    store, text, far = _far_claim_project()
    store.db.execute(f"VACUUM INTO '{path}'")
    store.close()
    reader = Store.open(path, read_only=True)
    try:
        assert reader.db.execute("SELECT count(*) FROM fts_claims_pending").fetchone()[0] == 1
        assert [c.text for c in query_claims(reader, text="zeppelin")] == ["the zeppelin lands today."]
        assert query_claims(reader, text="nothing") == []
    finally:
        reader.close()
