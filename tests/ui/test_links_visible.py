"""Issue 10, "links visible": a claim's source mention and cue were drawn the same whether
or not the claim was current, so a missing or wrong link could only be seen in an export;
and a speaker mention nested inside another looked like one underline. Now the spans
linked to the current span are tinted, both ways, and an inner mention is tinted too."""
from __future__ import annotations

import os
from dataclasses import replace

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402
from PySide6.QtGui import QColor  # noqa: E402

from annotator.core.model import Span  # noqa: E402
from annotator.core.schema import load_schema  # noqa: E402
from annotator.ui.highlighter import _TINT_LINKED, tint  # noqa: E402
from annotator.ui.text_view import AnnotatedTextView  # noqa: E402

SCHEMA = load_schema()
TEXT = 'Mayor Ana Reyes said: "We will rebuild the bridge." Others disagreed.'
MENTION = Span(id=1, document_id=1, label="speaker", fragments=((0, 15),), entity_id=7)
CUE = Span(id=2, document_id=1, label="cue", fragments=((16, 20),))
CLAIM = Span(id=3, document_id=1, label="claim", fragments=((23, 50),), source_id=1, cue_id=2, speaker_id=7)
OTHER_CUE = Span(id=4, document_id=1, label="cue", fragments=((59, 68),))


@pytest.fixture
def view(qtbot):
    view = AnnotatedTextView()
    qtbot.addWidget(view)
    view.resize(700, 300)
    view.set_document(TEXT, [MENTION, CUE, CLAIM, OTHER_CUE], SCHEMA)
    view.show()
    return view


def background_at(view: AnnotatedTextView, offset: int) -> str | None:
    """The background colour drawn at code point ``offset`` (one block of ASCII text)."""
    block = view.document().findBlock(offset)
    for rng in block.layout().formats():
        if rng.start <= offset - block.position() < rng.start + rng.length:
            brush = rng.format.background()
            return brush.color().name() if brush.style() != brush.style().NoBrush else None
    return None


def linked_colour(label: str) -> str:
    return tint(QColor(SCHEMA.label(label).color), _TINT_LINKED).name()


def test_a_current_claim_shows_its_source_and_cue(view):
    before = background_at(view, 17), background_at(view, 3)
    view.set_current_span(CLAIM.id)
    assert view.highlighter.linked_ids() == {MENTION.id, CUE.id}
    assert background_at(view, 17) == linked_colour("cue") != before[0]
    assert background_at(view, 3) == linked_colour("speaker") != before[1]
    assert background_at(view, 62) != linked_colour("cue")  # a cue of no claim: not linked
    view.set_current_span(None)
    assert view.highlighter.linked_ids() == set()
    assert (background_at(view, 17), background_at(view, 3)) == before


def test_a_current_cue_or_mention_shows_its_claim(view):
    view.set_current_span(CUE.id)
    assert view.highlighter.linked_ids() == {CLAIM.id}
    assert background_at(view, 30) == linked_colour("claim")
    view.set_current_span(MENTION.id)
    assert view.highlighter.linked_ids() == {CLAIM.id}
    view.set_current_span(OTHER_CUE.id)
    assert view.highlighter.linked_ids() == set()


def test_linking_an_edit_redraws_the_links(view):
    view.set_current_span(CLAIM.id)
    view.apply_span_changes([], [replace(CLAIM, cue_id=OTHER_CUE.id)])  # L links another cue
    assert view.highlighter.linked_ids() == {MENTION.id, OTHER_CUE.id}
    assert background_at(view, 62) == linked_colour("cue")
    assert background_at(view, 17) != linked_colour("cue")
    view.apply_span_changes([OTHER_CUE.id], [])
    assert view.highlighter.linked_ids() == {MENTION.id}


def test_a_nested_mention_is_told_apart_from_its_outer_mention(qtbot):
    view = AnnotatedTextView()
    qtbot.addWidget(view)
    outer = Span(id=1, document_id=1, label="speaker", fragments=((0, 15),), entity_id=7)
    inner = Span(id=2, document_id=1, label="speaker", fragments=((6, 15),), entity_id=8)
    view.set_document(TEXT, [outer, inner], SCHEMA)
    assert background_at(view, 2) is None  # the outer mention alone: an underline only
    assert background_at(view, 8) is not None  # inside both: tinted as well
