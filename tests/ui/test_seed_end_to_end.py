"""The seed article annotated end to end in the real window, as its gold file says.

One test, in the order a person works:

1. a fresh project; the seed ``.txt`` imported through :func:`annotator.services.importing.import_paths`;
2. by keyboard only (Ctrl+Right / Ctrl+Left / arrows to move, Ctrl+Shift+Right and
   Shift+arrows to extend, S / digits / Q / C / P N O M / F / I, Shift+M, Ctrl+D): every gold
   attribution: the speaker mention, the cue, the quote (word snapping on: the snapped range
   must be the gold range), the speaker digit, the polarity;
3. two quotes by mouse (drag across words, snapping checked; double-click a word to select
   it; click a mention to make it current);
4. Ctrl+Z five times (the store loses exactly the last five edits), Ctrl+Shift+Z five times
   (everything is back);
5. close, reopen the project from its file, check the panels, export JSON through the
   window, through :func:`export_to` and through the ``annotator export`` command, and compare
   with ``tests/data/seed/expected_export.json`` (exactly: the native export carries no
   timestamps; the document's ``source`` is the import path as given, so the article is
   imported by the relative name ``us_russia_talks.txt``, which makes it stable too);
6. the export checked against the gold file itself (quotes, speakers, source mentions).

Regenerate the expected file only after checking a run by hand against the gold:
``ANNOTATOR_WRITE_EXPECTED=1 python -m pytest tests/ui/test_seed_end_to_end.py``.
"""
from __future__ import annotations

import io
import json
import os
import sqlite3

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from pathlib import Path  # noqa: E402

import pytest  # noqa: E402
from click.testing import CliRunner  # noqa: E402
from PySide6.QtCore import QPoint, Qt  # noqa: E402
from PySide6.QtGui import QTextCursor  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402

from annotator.cli import main as cli  # noqa: E402
from annotator.core.store import Store  # noqa: E402
from annotator.formats.native import write_json  # noqa: E402
from annotator.formats.registry import export_items  # noqa: E402
from annotator.services.importing import export_to, import_paths  # noqa: E402

SEED_DIR = Path(__file__).resolve().parents[1] / "data" / "seed"
GOLD = json.loads((SEED_DIR / "us_russia_talks.gold.json").read_text(encoding="utf-8"))
EXPECTED = SEED_DIR / "expected_export.json"

K = Qt.Key
NONE = Qt.KeyboardModifier.NoModifier
SHIFT, CTRL = Qt.KeyboardModifier.ShiftModifier, Qt.KeyboardModifier.ControlModifier
LEFT = Qt.MouseButton.LeftButton

# The speaker entities are created from these gold mentions (S on the selection), so their
# names are the mention texts: gold entity id -> the name expected in the project.
ENTITY_FROM_MENTION = {"e10": 0, "e1": 1, "e2": 2, "e3": 3}  # headline group first, then the lead
EXPECTED_NAME = {
    "e1": "Antony Blinken",
    "e2": "Sergey Lavrov",
    "e3": "Joe Biden",
    "e10": "Top diplomats Antony Blinken and Sergey Lavrov",
}

# Per gold quote (in gold order): the cue verb (found from the speaker mention onwards, or
# from the start for the headline; None: no cue of its own), the polarity key, the F / I
# presses (F: direct -> indirect -> mixed; I: low -> medium -> high) and whether the quote is
# annotated by mouse. Every quote is quoted, so a new claim's form is "direct".
#   q3 "useful," shares "praised" with q2 (a cue may introduce several claims: when every cue
#   of the paragraph is taken, attribution.nearest_cue takes the nearest one anyway; Q on the
#   marked cue makes it current, no twin); q11 continues the preceding paragraph and has no cue.
PLAN = [
    # cue, polarity, F, I, mouse
    ("recognize", "negative", 2, 0, False),  # headline: “serious differences” (partly quoted: mixed)
    ("said", "negative", 0, 0, False),  # “it was no secret that we had our differences,”
    ("praised", "positive", 0, 2, False),  # “constructive” (medium)
    ("praised", "positive", 0, 0, False),  # “useful,” (the cue of q2 too)
    ("told", "positive", 0, 0, True),  # “The conversation seemed constructive to me,” (mouse)
    ("said", "positive", 2, 0, False),  # Biden wanted “a stable and predictable ...” (mixed)
    ("said", "positive", 0, 0, False),  # “We believe this is good for our people, ...”
    ("said", "negative", 0, 3, False),  # “killer,” (high)
    ("said", "negative", 0, 0, True),  # “many logjams” (mouse)
    ("said", "mixed", 0, 0, False),  # “But I perceived the determination ... We won’t look forward to it,”
    ("described", "neutral", 0, 0, False),  # “very simple.”
    (None, "positive", 0, 0, False),  # “We are prepared to discuss all issues ...”
]
POLARITY_KEY = {"positive": K.Key_P, "negative": K.Key_N, "neutral": K.Key_O, "mixed": K.Key_M}
FORMS = {0: "direct", 1: "indirect", 2: "mixed"}
INTENSITIES = {0: None, 1: "low", 2: "medium", 3: "high"}
DOCUMENT_POLARITY = "mixed"  # optimistic notes, serious differences
SHARED_CUES = {3: 2}  # quote -> the quote whose cue it shares


# --- keyboard -----------------------------------------------------------------------------


def press(w, key, modifiers=NONE, times: int = 1) -> None:
    for _ in range(times):
        QTest.keyClick(w.view, key, modifiers)


def go(w, offset: int) -> None:
    """Move the cursor (no selection) to ``offset`` by words (Ctrl+Right / Ctrl+Left), then
    by characters (Left / Right) for the last step, as a keyboard user would."""
    view = w.view
    while view.cursor_offset() > offset:
        press(w, K.Key_Left, CTRL)
    while view.cursor_offset() < offset:
        press(w, K.Key_Right, CTRL)
    while view.cursor_offset() > offset:
        press(w, K.Key_Left)
    assert view.cursor_offset() == offset and not view.textCursor().hasSelection()


def extend(w, end: int) -> None:
    """Extend the selection to ``end`` by words (Ctrl+Shift+Right), then back by characters
    (Shift+Left) where the last word jump went too far."""
    view = w.view
    while view.cursor_offset() < end:
        press(w, K.Key_Right, CTRL | SHIFT)
    while view.cursor_offset() > end:
        press(w, K.Key_Left, SHIFT)


def select_by_keys(w, start: int, end: int) -> None:
    go(w, start)
    extend(w, end)
    assert w.view.selection_range() == (start, end), w.view.text[start:end]


def digit_of(w, entity_id: int) -> int:
    """The digit of the entity in the Speakers panel (the panel renumbers as entities come)."""
    for n in range(1, 10):
        entity = w.speakers.model.numbered(n)
        if entity is not None and entity.id == entity_id:
            return n
    raise AssertionError(f"entity {entity_id} has no digit in the Speakers panel")


def press_digit(w, entity_id: int) -> None:
    press(w, getattr(K, f"Key_{digit_of(w, entity_id)}"))


# --- mouse --------------------------------------------------------------------------------


def is_visible(w, offset: int) -> bool:
    cursor = QTextCursor(w.view.document())
    cursor.setPosition(offset)
    return w.view.viewport().rect().contains(w.view.cursorRect(cursor))


def boundary_point(w, offset: int) -> QPoint:
    """Viewport point of the caret position before code point ``offset`` (BMP-only text:
    code points are Qt positions)."""
    cursor = QTextCursor(w.view.document())
    cursor.setPosition(offset)
    rect = w.view.cursorRect(cursor)
    point = QPoint(rect.center().x(), rect.center().y())
    assert w.view.viewport().rect().contains(point)
    return point


def char_point(w, offset: int) -> QPoint:
    """Viewport point in the middle of the character at ``offset``."""
    a, b = boundary_point(w, offset), boundary_point(w, offset + 1)
    assert a.y() == b.y()
    return QPoint((a.x() + b.x()) // 2, a.y())


def drag(w, start: int, end: int) -> None:
    """Drag from the caret position ``start`` to ``end`` (backwards if ``end < start``);
    checks that the press did not scroll and that the raw selection is what was dragged
    over before the release snaps it."""
    w.view.scroll_to(start)
    p, q = boundary_point(w, start), boundary_point(w, end)
    viewport, bar = w.view.viewport(), w.view.verticalScrollBar()
    scrolled = bar.value()
    QTest.mousePress(viewport, LEFT, NONE, p)
    assert bar.value() == scrolled and w.view.cursor_offset() == start
    QTest.mouseMove(viewport, q)
    cursor = w.view.textCursor()
    assert (cursor.anchor(), cursor.position()) == (start, end)
    QTest.mouseRelease(viewport, LEFT, NONE, q)


def double_click(w, offset: int) -> None:
    w.view.scroll_to(offset)
    QTest.mouseDClick(w.view.viewport(), LEFT, NONE, char_point(w, offset))


def click(w, offset: int) -> None:
    w.view.scroll_to(offset)
    QTest.mouseClick(w.view.viewport(), LEFT, NONE, char_point(w, offset))


# --- store and gold -----------------------------------------------------------------------


def export_dict(store: Store) -> dict:
    buffer = io.StringIO()
    write_json(export_items(store), buffer, store.schema)
    return json.loads(buffer.getvalue())


def gold_range(item: dict) -> tuple[int, int]:
    return item["start"], item["end"]


def claims_of(doc: dict) -> list[dict]:
    return [s for s in doc["spans"] if s["label"] == "claim"]


def check_against_gold(data: dict) -> None:
    """Every claim is a gold quote (text too), attributed to the gold entity (by name), its
    source mention at the gold mention's offsets (where the gold names one), its polarity,
    form and intensity as planned; every gold quote is claimed once."""
    (doc,) = data["documents"]
    assert doc["status"] == "done" and doc["polarity"] == DOCUMENT_POLARITY
    spans = {s["id"]: s for s in doc["spans"]}
    names = {e["id"]: e["name"] for e in doc["entities"]}
    quotes = {gold_range(q): n for n, q in enumerate(GOLD["quotes"])}
    claims = claims_of(doc)
    assert sorted((c["start"], c["end"]) for c in claims) == sorted(quotes)
    for claim in claims:
        n = quotes[claim["start"], claim["end"]]
        attribution = GOLD["attributions"][n]
        cue_word, polarity, forms, intensities, _mouse = PLAN[n]
        assert attribution["quote"] == n
        assert claim["text"] == GOLD["quotes"][n]["text"]
        assert names[claim["speaker"]] == EXPECTED_NAME[attribution["entity"]], n
        source = spans[claim["source"]]
        assert source["label"] == "speaker" and source["entity"] == claim["speaker"]
        if attribution["mention"] is not None:
            assert gold_range(source) == gold_range(GOLD["mentions"][attribution["mention"]]), n
        if cue_word is None:
            assert claim["cue"] is None
        else:
            assert spans[claim["cue"]]["label"] == "cue" and spans[claim["cue"]]["text"] == cue_word
        assert (claim["polarity"], claim["form"], claim["intensity"]) == (polarity, FORMS[forms], INTENSITIES[intensities])
    speakers = [s for s in doc["spans"] if s["label"] == "speaker"]
    wanted = {gold_range(GOLD["mentions"][m]) for m in ENTITY_FROM_MENTION.values()}
    wanted |= {gold_range(GOLD["mentions"][a["mention"]]) for a in GOLD["attributions"] if a["mention"] is not None}
    assert {gold_range(s) for s in speakers} == wanted and len(speakers) == len(wanted)
    assert len([s for s in doc["spans"] if s["label"] == "cue"]) == len([p for p in PLAN if p[0]]) - len(SHARED_CUES)
    by_quote = {quotes[c["start"], c["end"]]: c for c in claims}
    assert all(by_quote[n]["cue"] == by_quote[m]["cue"] for n, m in SHARED_CUES.items())
    assert sorted(names.values()) == sorted(EXPECTED_NAME.values())


def panel_rows(model, columns: int) -> list[tuple]:
    return [tuple(model.data(model.index(r, c)) for c in range(columns)) for r in range(model.rowCount())]


# --- the test -----------------------------------------------------------------------------


@pytest.mark.qt_log_ignore("This plugin does not support raise")  # a hover tooltip, offscreen
def test_seed_article_end_to_end(tmp_path, seed_text, make_window, monkeypatch, qtbot):
    project = tmp_path / "p.db"
    monkeypatch.chdir(SEED_DIR)  # "source" in the export: the relative name, not this machine's path
    store = Store.open(project)
    report = import_paths(store, [Path("us_russia_talks.txt")])
    assert report.added == [1] and not report.skipped
    w = make_window(store)
    text, doc_id = w.view.text, w.controller.doc_id
    assert text == seed_text and doc_id == 1
    assert all(text[q["start"]:q["end"]] == q["text"] for q in GOLD["quotes"])

    history: list[dict] = []  # the export after every edit, in order

    def record(_change) -> None:
        history.append(export_dict(store))

    w.controller.change_applied.connect(record)

    def claim_at(start: int, end: int):
        found = [s for s in store.spans(doc_id) if s.label == "claim" and (s.start, s.end) == (start, end)]
        assert len(found) == 1
        return found[0]

    # -- speaker entities from their first mentions, walking from the start by words --
    press(w, K.Key_Home, CTRL)
    assert w.view.cursor_offset() == 0
    entity_ids: dict[str, int] = {}
    for gold_entity, m in ENTITY_FROM_MENTION.items():
        mention = GOLD["mentions"][m]
        select_by_keys(w, *gold_range(mention))
        press(w, K.Key_S)
        span = store.span(w.controller.current)
        assert (span.label, span.start, span.end) == ("speaker", mention["start"], mention["end"])
        entity_ids[gold_entity] = span.entity_id
        assert store.entity(span.entity_id).name == EXPECTED_NAME[gold_entity]
        assert w.view.cursor_offset() == mention["end"] and not w.view.textCursor().hasSelection()
    assert len(store.entities()) == 4 and w.speakers.model.rowCount() == 4

    marked_mentions = {gold_range(GOLD["mentions"][m]) for m in ENTITY_FROM_MENTION.values()}
    for n, (quote, attribution) in enumerate(zip(GOLD["quotes"], GOLD["attributions"])):
        cue_word, polarity, forms, intensities, by_mouse = PLAN[n]
        entity = entity_ids[attribution["entity"]]
        mention = GOLD["mentions"][attribution["mention"]] if attribution["mention"] is not None else None
        anchor = mention["start"] if mention else 0
        cue = (text.index(cue_word, anchor), text.index(cue_word, anchor) + len(cue_word)) if cue_word else None
        start, end = gold_range(quote)

        if by_mouse:
            # mention and cue: a double click selects the word, then the keys mark it
            assert mention is not None and " " not in mention["text"]
            double_click(w, mention["start"] + 1)
            assert w.view.selection_range() == gold_range(mention)
            press_digit(w, entity)
            double_click(w, cue[0] + 2)
            assert w.view.selection_range() == cue
            press(w, K.Key_Q)
            # the quote: dragged from inside its first word to its end (q4), or backwards from
            # inside its last word to inside its first (q8), snapped to whole words
            assert text[start].isalnum() and text[start + 1].isalnum()
            if n == 8:
                # a selection left at the top, scrolled out of view: the press must not
                # scroll back to it (it did: the drag then selected other text)
                press(w, K.Key_Home, CTRL)
                press(w, K.Key_Right, CTRL | SHIFT)
                assert w.view.textCursor().hasSelection()
                assert text[end - 2].isalnum() and text[end - 1].isalnum()
                drag(w, end - 1, start + 1)
                assert not is_visible(w, 0)
                visible = (end, start)
            else:
                drag(w, start + 1, end)
                visible = (start, end)
            cursor = w.view.textCursor()
            assert (cursor.anchor(), cursor.position()) == visible  # the visible selection too
            assert w.view.selection_range() == (start, end)
            press(w, K.Key_C)
        else:
            if mention is not None and gold_range(mention) not in marked_mentions:
                select_by_keys(w, *gold_range(mention))
                press_digit(w, entity)  # a mention of an existing speaker
            if cue:
                select_by_keys(w, *cue)
                press(w, K.Key_Q)
            select_by_keys(w, start, end)
            press(w, K.Key_C)
        if mention is not None:
            marked_mentions.add(gold_range(mention))
        claim = claim_at(start, end)
        assert w.controller.current == claim.id and claim.form == "direct"
        if n in (1, 2):
            # "did that take?": the same selection marked again makes no twin (it did),
            # it makes the existing span current
            edits = w.controller.undo_stack.count()
            if n == 2:
                (twin,) = [s for s in store.spans(doc_id) if s.label == "speaker" and (s.start, s.end) == gold_range(mention)]
                select_by_keys(w, *gold_range(mention))
                press_digit(w, entity)
                assert w.controller.current == twin.id
                assert [(s.start, s.end) for s in store.spans(doc_id) if s.label == "speaker"].count(gold_range(mention)) == 1
            select_by_keys(w, start, end)
            press(w, K.Key_C)
            claim_at(start, end)  # still one
            assert w.controller.current == claim.id and w.controller.undo_stack.count() == edits
            assert not w.view.textCursor().hasSelection()

        press_digit(w, entity)  # no selection: attribute the current claim
        claim = store.span(claim.id)
        assert claim.speaker_id == entity
        source = store.span(claim.source_id)
        assert source.entity_id == entity
        if mention is not None:
            assert (source.start, source.end) == gold_range(mention)
        if cue:
            assert (store.span(claim.cue_id).start, store.span(claim.cue_id).end) == cue
        else:
            assert claim.cue_id is None

        if by_mouse and n == 8:
            # a click on the speaker mention makes it current; keys then act on its claim
            press(w, K.Key_Escape)
            click(w, mention["start"] + 2)
            assert w.controller.current == claim.source_id
            assert w.controller.current_claim().id == claim.id
        press(w, POLARITY_KEY[polarity])
        press(w, K.Key_F, times=forms)
        press(w, K.Key_I, times=intensities)
        claim = store.span(claim.id)
        assert (claim.polarity, claim.form, claim.intensity) == (polarity, FORMS[forms], INTENSITIES[intensities])
        assert w.view.index.get(claim.id) == claim

    press(w, K.Key_M, SHIFT)
    press(w, K.Key_D, CTRL)
    assert (store.document(doc_id).polarity, store.document(doc_id).status) == (DOCUMENT_POLARITY, "done")
    final = export_dict(store)
    check_against_gold(final)
    assert len(history) == w.controller.undo_stack.count() and history[-1] == final

    # -- undo five, redo five -------------------------------------------------------------
    w.controller.change_applied.disconnect(record)
    for k in range(1, 6):
        press(w, K.Key_Z, CTRL)
        assert export_dict(store) == history[-1 - k], f"after undo {k}"
    # the first annotation made the document "in progress"; the undone Ctrl+D goes back there
    assert w.claims.model.rowCount() == 11 and store.document(doc_id).status == "in progress"
    assert len(w.view.index) == len(store.spans(doc_id))
    for k in range(1, 6):
        press(w, K.Key_Z, CTRL | SHIFT)
        assert export_dict(store) == history[-6 + k], f"after redo {k}"
    assert export_dict(store) == final
    assert sorted(s.id for s in w.view.index) == sorted(s.id for s in store.spans(doc_id))

    claims_shown = panel_rows(w.claims.model, 5)
    speakers_shown = panel_rows(w.speakers.model, 5)
    assert len(claims_shown) == 12
    assert dict((row[1], row[3:]) for row in speakers_shown) == {
        "Antony Blinken": ("4 / 4", "3 / 3"),
        "Joe Biden": ("2 / 2", "1 / 1"),
        "Sergey Lavrov": ("6 / 6", "7 / 7"),
        "Top diplomats Antony Blinken and Sergey Lavrov": ("1 / 1", "1 / 1"),
    }

    # -- close, reopen from the file --------------------------------------------------------
    w.close()
    with pytest.raises(sqlite3.ProgrammingError):  # the window closed its store
        store.db.execute("SELECT 1")
    store = Store.open(project)
    again = make_window(store)
    assert again.controller.doc_id == doc_id and again.view.text == text
    assert panel_rows(again.claims.model, 5) == claims_shown
    assert panel_rows(again.speakers.model, 5) == speakers_shown
    assert again.documents.model.data(again.documents.model.index(0, 1)) == "done"
    assert len(again.view.index) == len(final["documents"][0]["spans"])

    by_window, by_core, by_cli = tmp_path / "window.json", tmp_path / "core.json", tmp_path / "cli.json"
    again.export("json", by_window)
    export_to(store, "json", by_core)
    result = CliRunner().invoke(cli, ["export", "--format", "json", "--project", str(project), "--output", str(by_cli)])
    assert result.exit_code == 0, result.output
    exported = [json.loads(p.read_text(encoding="utf-8")) for p in (by_window, by_core, by_cli)]
    assert exported[0] == exported[1] == exported[2] == final
    if os.environ.get("ANNOTATOR_WRITE_EXPECTED"):
        EXPECTED.write_text(json.dumps(final, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    expected = json.loads(EXPECTED.read_text(encoding="utf-8"))
    assert before_authorship(exported[0]) == expected  # exact but for version 2's uuids, times, annotator, status
    check_against_gold(expected)


AUTHORSHIP = {"uuid", "status", "annotator", "created", "modified", "origin", "score"}
DOCUMENT_TIMES = {"created", "modified", "status_annotator", "status_modified"}


def before_authorship(data: dict) -> dict:
    """A native export as version 1 wrote it (the expected file's shape): without version 2's
    authorship keys, which hold uuids and times that differ in every run."""
    def strip(item: dict, keys: set = AUTHORSHIP) -> dict:
        return {k: v for k, v in item.items() if k not in keys}
    docs = [dict(strip(d, DOCUMENT_TIMES), entities=[strip(e) for e in d["entities"]], spans=[strip(x) for x in d["spans"]],
                 relations=[strip(r) for r in d["relations"]]) for d in data["documents"]]
    return dict(data, version=1, documents=docs)
