"""A tester's report on annotating the seed article by keyboard, one test per problem:
the status line shows what a selection would mark; marks never end in whitespace; speaker
digits follow the first mention; L / Shift+L link and unlink a claim's source and cue; S
joins the speaker named inside a longer mention; the first edit makes a document "in
progress". Keys go to the focused article view with QTest.keyClick (ASCII only)."""
from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt  # noqa: E402

from annotator.core import operations as ops  # noqa: E402
from annotator.core.schema import load_schema  # noqa: E402
from annotator.core.store import Store  # noqa: E402
from annotator.ui.actions import action_defs, shortcut_text  # noqa: E402
from annotator.ui.help import help_html  # noqa: E402
from ui_keys import find, press, select_by_keys  # noqa: E402

K = Qt.Key
NONE = Qt.KeyboardModifier.NoModifier
SHIFT, CTRL = Qt.KeyboardModifier.ShiftModifier, Qt.KeyboardModifier.ControlModifier
KEYS = "(S speaker · Q cue · C claim)"


def raw_selection(w) -> tuple[int, int]:
    cursor = w.view.textCursor()  # the seed text is BMP-only: Qt positions are code points
    return cursor.anchor(), cursor.position()


# --- 1. the status line shows what S / Q / C would mark --------------------------------------


def test_status_line_shows_the_snapped_selection_without_moving_the_cursor(project_path, make_window):
    store = Store.open(project_path)
    w = make_window(store)
    text = w.view.text
    space = find(text, "We believe")[0] + 2  # the space before "believe"
    w.view.set_cursor(space)
    press(w, K.Key_Right, SHIFT, times=3)  # " be" is highlighted ...
    assert raw_selection(w) == (space, space + 3)  # ... and stays so: the cursor is not moved
    assert w.place.text() == f"Selection: “believe” {KEYS}"  # ... but "believe" would be marked
    press(w, K.Key_Right, SHIFT)  # every change of the selection updates the line
    assert w.place.text() == f"Selection: “believe” {KEYS}"
    press(w, K.Key_Right, CTRL | SHIFT)  # to the next word's start
    assert w.place.text() == f"Selection: “believe” {KEYS}"
    press(w, K.Key_Right, CTRL | SHIFT)
    assert w.place.text() == f"Selection: “believe this” {KEYS}"
    assert raw_selection(w) == (space, find(text, "believe this ")[1])  # Qt's word jump, untouched
    press(w, K.Key_Q)
    cue = store.span(w.controller.current)
    assert cue.text(text) == "believe this"  # exactly what the line said
    assert not w.place.text().startswith("Selection")  # no selection any more

    select_by_keys(w, space, space + 1)  # only a space: nothing to mark
    assert w.place.text() == "Selection: only spaces, nothing to mark"
    press(w, K.Key_Escape)
    assert not w.place.text().startswith("Selection")


def test_status_line_elides_a_long_selection_in_the_middle(project_path, make_window):
    w = make_window(Store.open(project_path))
    text = w.view.text
    start, end = find(text, "We believe this is good for our people, good for the Russian people and, "
                            "in fact, good for the world,”")
    w.view.select_range(start, end)
    line = w.place.text()
    assert line.startswith("Selection: “We believe this is good") and line.endswith(f"for the world,”” {KEYS}")
    assert "…" in line and len(line) < 140


# --- 2. no whitespace at the ends of a mark; the word jump is documented -----------------------


def test_word_jumps_never_put_whitespace_into_a_mark(project_path, make_window):
    """Ctrl+Shift+Right takes the closing quotation mark and the space after it: the space
    (or the line breaks at a paragraph's end) is never marked, with or without snapping; a
    claim drops the quotation marks around it (issue 10: its content is inside them)."""
    store = Store.open(project_path)
    w = make_window(store)
    text = w.view.text
    for snap in (True, False):
        if not snap:
            press(w, K.Key_W)
        assert w.view.snap_to_words is snap
        start = find(text, "constructive”")[0]
        w.view.set_cursor(start)
        press(w, K.Key_Right, CTRL | SHIFT)
        assert raw_selection(w) == (start, start + len("constructive” "))
        assert w.place.text() == f"Selection: “constructive”” {KEYS}"
        press(w, K.Key_C)
        claim = store.span(w.controller.current)
        assert claim.fragments == ((start, start + len("constructive")),)
        press(w, K.Key_Delete)

        ties = find(text, "the ties.")
        w.view.set_cursor(ties[0])
        while w.view.cursor_offset() <= ties[1] + 2:  # past the blank line, into the next paragraph
            press(w, K.Key_Right, CTRL | SHIFT)
        assert text[slice(*raw_selection(w))].startswith("the ties.\n\n")
        press(w, K.Key_Q)
        assert store.span(w.controller.current).fragments[-1][1] > ties[1] + 2  # the next paragraph's word
        press(w, K.Key_Delete)
        w.view.select_range(ties[0], ties[1] + 2)  # exactly up to the line breaks
        press(w, K.Key_C)  # a claim keeps its punctuation (a cue now drops the final period)
        assert store.span(w.controller.current).fragments == (ties,)
        press(w, K.Key_Delete)


def test_help_explains_the_word_jump_and_the_status_line():
    schema = load_schema()
    html = help_html(action_defs(schema), schema)
    assert "<b>Ctrl+Shift+Right</b> / <b>Ctrl+Shift+Left</b> by a\nword" in html
    assert "Selection: “…”" in html and "Spaces at either end are never part of a mark" in html


# --- 3. speaker digits follow the first mention -------------------------------------------------


def test_speaker_digits_follow_the_first_mention_and_stay_put(project_path, make_window):
    store = Store.open(project_path)
    w = make_window(store)
    text = w.view.text
    model = w.speakers.model
    select_by_keys(w, *find(text, "Sergey Lavrov"))
    press(w, K.Key_S)
    select_by_keys(w, *find(text, "Joe Biden"))  # later in the text, first in the alphabet
    press(w, K.Key_S)
    names = [model.numbered(n).name for n in (1, 2)]
    assert names == ["Sergey Lavrov", "Joe Biden"]
    assert [model.data(model.index(r, 0)) for r in range(2)] == ["1", "2"]
    assert w.actions["speaker_1"].text() == "Speaker #1: Sergey Lavrov"
    assert w.actions["speaker_2"].text() == "Speaker #2: Joe Biden"
    select_by_keys(w, *find(text, "Ned Price"))  # further on: #3, the others keep their digits
    press(w, K.Key_S)
    assert [model.numbered(n).name for n in (1, 2, 3)] == ["Sergey Lavrov", "Joe Biden", "Ned Price"]
    w.controller.run(ops.new_entity, "Aaron Abel")  # no mention here: after those mentioned
    assert model.numbered(4).name == "Aaron Abel" and w.actions["speaker_4"].text() == "Speaker #4: Aaron Abel"
    press(w, K.Key_4)  # no selection, no current claim: a hint, nothing else
    select_by_keys(w, *find(text, "Biden", 1))  # a mention of #2 by its digit: numbering unchanged
    press(w, K.Key_2)
    assert store.span(w.controller.current).entity_id == store.find_entity("Joe Biden").id
    assert [model.numbered(n).name for n in (1, 2, 3, 4)] == ["Sergey Lavrov", "Joe Biden", "Ned Price", "Aaron Abel"]
    press(w, K.Key_PageDown, CTRL)  # another document: nobody is mentioned there, all by name
    assert [model.numbered(n).name for n in (1, 2, 3, 4)] == ["Aaron Abel", "Joe Biden", "Ned Price", "Sergey Lavrov"]


# --- 4. L links, Shift+L unlinks --------------------------------------------------------------


def test_link_cue_and_source_by_keyboard(project_path, make_window):
    store = Store.open(project_path)
    w = make_window(store)
    text = w.view.text
    select_by_keys(w, *find(text, "Lavrov", 2))
    press(w, K.Key_S)
    lavrov = store.span(w.controller.current)
    select_by_keys(w, *find(text, "praised"))
    press(w, K.Key_Q)
    praised = w.controller.current
    select_by_keys(w, *find(text, "constructive"))
    press(w, K.Key_C)
    constructive = w.controller.current
    edits = w.controller.undo_stack.count()

    press(w, K.Key_BracketLeft)  # the cue is current; the claim before it is remembered
    assert w.controller.current == praised
    assert w.place.text().endswith("L: link this to claim “constructive”")
    press(w, K.Key_L)
    assert store.span(constructive).cue_id == praised
    assert w.place.text().endswith("cue of claim “constructive”")
    press(w, K.Key_BracketLeft)
    assert w.controller.current == lavrov.id
    press(w, K.Key_L)
    claim = store.span(constructive)
    assert (claim.source_id, claim.speaker_id, claim.cue_id) == (lavrov.id, lavrov.entity_id, praised)
    assert w.controller.undo_stack.count() == edits + 2  # one undo step per link
    assert w.claims.model.data(w.claims.model.index(0, 1)) == "Lavrov"
    press(w, K.Key_L)  # again: nothing to change, no undo step
    assert w.controller.undo_stack.count() == edits + 2 and "already" in w.statusBar().currentMessage()
    press(w, K.Key_Z, CTRL)
    claim = store.span(constructive)
    assert (claim.source_id, claim.speaker_id, claim.cue_id) == (None, None, praised)
    press(w, K.Key_Z, CTRL | SHIFT)

    # a cue serves two claims; with the claim current, L takes the cue under the cursor
    select_by_keys(w, *find(text, "useful,"))
    press(w, K.Key_C)
    useful = w.controller.current
    w.view.set_cursor(find(text, "useful,")[0])
    while w.view.cursor_offset() > find(text, "praised")[0]:
        press(w, K.Key_Left, CTRL)  # the cursor moves, the claim stays current
    assert w.controller.current == useful
    assert w.place.text() == "Cue: “praised”  ·  L: link this to claim “useful,”"
    press(w, K.Key_L)
    assert store.span(useful).cue_id == praised and store.span(constructive).cue_id == praised

    w.controller.set_current(constructive)
    press(w, K.Key_L, SHIFT)  # Shift+L: the current claim loses its source and cue, keeps its speaker
    claim = store.span(constructive)
    assert (claim.source_id, claim.cue_id, claim.speaker_id) == (None, None, lavrov.entity_id)
    assert store.span(useful).cue_id == praised
    press(w, K.Key_Z, CTRL)
    assert store.span(constructive).source_id == lavrov.id


def test_link_needs_a_mention_or_cue_and_a_claim(project_path, make_window):
    store = Store.open(project_path)
    w = make_window(store)
    text = w.view.text
    select_by_keys(w, *find(text, "praised"))
    press(w, K.Key_Q)
    edits = w.controller.undo_stack.count()
    press(w, K.Key_L)  # no claim was current
    assert "No claim to link to" in w.statusBar().currentMessage()
    assert "L: link" not in w.place.text()
    press(w, K.Key_Escape)
    w.view.set_cursor(0)
    press(w, K.Key_L)  # nothing current, nothing at the cursor
    assert "L links a speaker mention or cue" in w.statusBar().currentMessage()
    press(w, K.Key_L, SHIFT)
    assert "No current claim" in w.statusBar().currentMessage()
    assert w.controller.undo_stack.count() == edits


def test_automatic_cue_may_be_shared(project_path, make_window):
    """"praised" introduces “constructive” and “useful,”: the digit links it to both."""
    store = Store.open(project_path)
    w = make_window(store)
    text = w.view.text
    for needle, nth, key in (("Lavrov", 2, K.Key_S), ("praised", 0, K.Key_Q), ("constructive", 0, K.Key_C)):
        select_by_keys(w, *find(text, needle, nth))
        press(w, key)
    press(w, K.Key_1)
    select_by_keys(w, *find(text, "useful,"))
    press(w, K.Key_C)
    press(w, K.Key_1)
    claims = [s for s in store.spans(1) if s.label == "claim"]
    assert len(claims) == 2 and len({c.cue_id for c in claims}) == 1 and claims[0].cue_id is not None


# --- 5. S joins the speaker named inside a longer mention -------------------------------------


def test_s_joins_the_speaker_named_inside_the_mention(project_path, make_window):
    store = Store.open(project_path)
    w = make_window(store)
    text = w.view.text
    select_by_keys(w, *find(text, "Antony Blinken"))
    press(w, K.Key_S)
    select_by_keys(w, *find(text, "U.S. Secretary of State Antony Blinken"))
    press(w, K.Key_S)
    assert [e.name for e in store.entities()] == ["Antony Blinken"]
    assert store.span(w.controller.current).entity_id == store.entities()[0].id
    assert "is a mention of Antony Blinken (#1)" in w.statusBar().currentMessage()


# --- 6. document status ------------------------------------------------------------------------


def test_first_edit_makes_the_document_in_progress_in_the_same_undo_step(project_path, make_window):
    store = Store.open(project_path)
    w = make_window(store)
    text = w.view.text
    status = w.documents.model.index(0, 1)
    assert store.document(1).status == "new"
    select_by_keys(w, *find(text, "said both", length=4))
    press(w, K.Key_Q)
    assert store.document(1).status == "in progress" and w.documents.model.data(status) == "in progress"
    assert w.sentiment.status.currentData() == "in progress"
    assert w.controller.undo_stack.count() == 1
    press(w, K.Key_Z, CTRL)  # one step takes back the cue and the status
    assert store.spans(1) == [] and store.document(1).status == "new"
    assert w.documents.model.data(status) == "new"
    press(w, K.Key_Z, CTRL | SHIFT)
    assert store.document(1).status == "in progress" and len(store.spans(1)) == 1
    press(w, K.Key_D, CTRL)
    assert store.document(1).status == "done"
    press(w, K.Key_D, CTRL)
    assert store.document(1).status == "in progress"
    press(w, K.Key_D, CTRL)
    select_by_keys(w, *find(text, "useful,"))
    press(w, K.Key_C)  # a later edit leaves a done document done
    assert store.document(1).status == "done"


# --- 7. menus and help ------------------------------------------------------------------------


def test_link_keys_are_in_the_annotate_menu_and_the_help(project_path, make_window):
    w = make_window(Store.open(project_path), active=False)
    annotate = next(a.menu() for a in w.menuBar().actions() if a.text() == "&Annotate")
    shown = {a.objectName(): a.shortcut().toString() for a in annotate.actions()}
    assert shown["action_link_to_claim"] == "L" and shown["action_clear_links"] == "Shift+L"
    defs = {d.id: d for d in w.defs}
    html = help_html(w.defs, w.store.schema)
    for key in ("link_to_claim", "clear_links"):
        assert shortcut_text(defs[key]) in html and defs[key].text.replace("&", "") in html
        assert defs[key].text_scope and w.actions[key] in w.view.actions()


def test_a_mark_pressed_again_on_a_mention_with_its_punctuation_adds_no_twin(project_path, make_window):
    """"officials." marked with S becomes the mention "officials"; S again on the same
    selection finds that mention (trimmed as marking trims it) instead of adding a second."""
    store = Store.open(project_path)
    w = make_window(store)
    text, doc = w.view.text, w.controller.doc_id
    start = text.index("ties.")
    select_by_keys(w, start, start + len("ties."))
    press(w, K.Key_S)
    select_by_keys(w, start, start + len("ties."))
    press(w, K.Key_S)
    mentions = [s for s in store.spans(doc) if s.label == "speaker"]
    assert [(s.start, s.end) for s in mentions] == [(start, start + 4)]
    assert "Already marked" in w.statusBar().currentMessage()


def test_the_status_line_says_when_a_selection_is_only_punctuation(project_path, make_window):
    store = Store.open(project_path)
    w = make_window(store)
    i = w.view.text.index("“")
    press(w, K.Key_W)  # characters exactly
    assert "characters exactly" in w.statusBar().currentMessage()
    select_by_keys(w, i, i + 1)  # the new selection's description replaces that message
    assert w.statusBar().currentMessage() == "" and "only punctuation" in w.place.text()
