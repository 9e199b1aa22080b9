"""Keyboard selection frictions of the trial (issue 10), each through the real widgets: after a
mark Ctrl+Shift+Right takes the next word (not only the space); a cue loses its leading
punctuation (", said"); a claim loses the opening quotation mark it was selected with, and
the closing mark after an emoji."""
from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402

from annotator.core.model import NewDocument  # noqa: E402
from annotator.core.store import Store  # noqa: E402
from ui_keys import CTRL, SHIFT, K, find, press, select_by_keys  # noqa: E402

TEXT = ("Grants\n\nInstitutional recipients, said Mauer, are required to report every grant.\n\n"
        "“Great news for everyone 🎉” she wrote.")


@pytest.fixture
def window(tmp_path, make_window):
    store = Store.open(tmp_path / "grants.annotator")
    store.import_documents([NewDocument(title="Grants", text=TEXT)])
    return make_window(store)


def _extend_until(w, needle_end: int) -> None:
    """Ctrl+Shift+Right until the caret is at or past ``needle_end``."""
    for _ in range(20):
        if w.view.cursor_offset() >= needle_end:
            return
        press(w, K.Key_Right, CTRL | SHIFT)
    raise AssertionError("the word jump did not get there")


def test_after_a_mark_ctrl_shift_right_takes_the_next_word(project_path, make_window):
    store = Store.open(project_path)
    w = make_window(store)
    text = w.view.text
    select_by_keys(w, *find(text, "Lavrov praised", length=6))
    press(w, K.Key_S)
    assert w.view.cursor_offset() == find(text, "Lavrov praised")[0] + 6  # the caret after the mark
    press(w, K.Key_Right, CTRL | SHIFT)
    assert w.view.selection_range() == find(text, "praised")  # was: only the space, "Select some text first"
    press(w, K.Key_Q)
    assert store.span(w.controller.current).text(text) == "praised"


def test_a_cue_selected_with_the_comma_before_it_drops_the_comma(window):
    w, store = window, window.store
    select_by_keys(w, *find(TEXT, "Institutional recipients"))
    press(w, K.Key_C)  # the caret is after "recipients"
    _extend_until(w, find(TEXT, "said")[1])
    assert TEXT[slice(*w.view.selection_range())].startswith(",")  # the selection took the comma
    press(w, K.Key_Q)
    cue = store.span(w.controller.current)
    assert cue.label == "cue" and cue.text(TEXT) == "said"


def test_a_claim_selected_from_its_opening_quotation_mark_drops_the_marks(project_path, make_window):
    store = Store.open(project_path)
    w = make_window(store)
    text = w.view.text
    quote = find(text, "“The conversation seemed constructive to me,”")
    w.view.set_cursor(quote[0])  # before the opening mark: no need to move right first
    _extend_until(w, quote[1])
    press(w, K.Key_C)
    claim = store.span(w.controller.current)
    assert claim.text(text) == "The conversation seemed constructive to me,"  # as in the seed's gold
    assert claim.form == "direct"


def test_a_closing_mark_after_an_emoji_is_not_in_the_claim(window):
    w, store = window, window.store
    quote = find(TEXT, "“Great news for everyone 🎉”")
    w.view.set_cursor(quote[0])
    _extend_until(w, quote[1])
    assert "”" in TEXT[slice(*w.view.selection_range())]
    press(w, K.Key_C)
    claim = store.span(w.controller.current)
    assert claim.text(TEXT) == "Great news for everyone 🎉" and claim.form == "direct"
