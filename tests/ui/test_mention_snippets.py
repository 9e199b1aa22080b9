"""Issue 10: the speaker's mentions list said "Lee Chan — at 4788". Now each mention is
shown in its sentence, the mention in brackets."""
from __future__ import annotations

from annotator.core.model import NewDocument
from annotator.core.store import Store
from annotator.ui.main_window import MainWindow
from annotator.ui.panels.speakers import mention_in_sentence

TEXT = 'LONDON\nThe mayor, Ana Reyes, spoke on Friday. She said: "We will rebuild." Reporting by Lee Chan'


def test_a_mention_is_shown_in_its_sentence():
    at = TEXT.index("Ana")
    assert mention_in_sentence(TEXT, at, at + 9) == "The mayor, [Ana Reyes], spoke on Friday."
    at = TEXT.index("She")
    assert mention_in_sentence(TEXT, at, at + 3) == '[She] said: "We will rebuild."'
    at = TEXT.index("Lee")
    assert mention_in_sentence(TEXT, at, len(TEXT)) == "Reporting by [Lee Chan]"


def test_a_long_sentence_is_cut_at_spaces():
    text = "word " * 100
    line = mention_in_sentence(text, 250, 254, reach=20)
    assert line.startswith("…word") and line.endswith("word…") and "[word]" in line and len(line) < 60


def test_the_speakers_panel_lists_mentions_in_their_sentences(qtbot):
    store = Store.memory()
    store.import_documents([NewDocument(title="A", text=TEXT)])
    doc = store.document_ids()[0]
    eid = store.add_entity("Ana Reyes").created_id("entities")
    for word, length in (("Ana", 9), ("She", 3)):
        store.add_span(doc, "speaker", [(TEXT.index(word), TEXT.index(word) + length)], entity_id=eid)
    window = MainWindow(store)
    qtbot.addWidget(window)
    window.controller.open_document(doc)
    window.speakers.select_entity(eid)
    lines = [window.speakers.mentions.item(k).text() for k in range(window.speakers.mentions.count())]
    assert lines == ["The mayor, [Ana Reyes], spoke on Friday.", '[She] said: "We will rebuild."']
