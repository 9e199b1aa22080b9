"""Attribution ranking on a text and a list of spans, with no store (annotator.core.attribution):
what a suggester running off the GUI thread calls."""
from __future__ import annotations

import subprocess
import sys

from annotator.core.attribution import CUE_REACH, entity_in, nearest_cue, nearest_source, paragraph_bounds
from annotator.core.model import CLAIM, CUE, SPEAKER, Entity, Span

TEXT = (
    "Mayor Ana Ruiz opened the bridge on Monday. She said the work “went faster than planned.”\n"
    "\n"
    "Critics were not convinced. Ruiz told reporters that “the budget held,” and her deputy "
    "said “costs will fall.”\n"
    "\n"
    "Ruiz added:\n"
    "\n"
    "“We will open a second one.”"
)


def at(needle: str, nth: int = 1) -> tuple[int, int]:
    start = -1
    for _ in range(nth):
        start = TEXT.index(needle, start + 1)
    return start, start + len(needle)


def span(id: int, label: str, needle: str, nth: int = 1, **attrs) -> Span:
    return Span(id, 1, label, (at(needle, nth),), **attrs)


RUIZ = 7
MENTIONS = [
    span(1, SPEAKER, "Mayor Ana Ruiz", entity_id=RUIZ),
    span(2, SPEAKER, "She", entity_id=RUIZ),
    span(3, SPEAKER, "Ruiz", 2, entity_id=RUIZ),
    span(4, SPEAKER, "Ruiz", 3, entity_id=RUIZ),
]
CUES = [
    span(10, CUE, "said", 1),
    span(11, CUE, "told reporters"),
    span(12, CUE, "said", 2),
    span(13, CUE, "added"),
]


def test_the_source_is_a_name_of_the_claims_paragraph_before_a_pronoun():
    claim = span(20, CLAIM, "“went faster than planned.”")
    # "She" is nearer, but a name of the same paragraph comes first
    assert nearest_source(TEXT, claim, RUIZ, MENTIONS + [claim]).id == 1
    assert nearest_source(TEXT, claim, RUIZ, [MENTIONS[1], claim]).id == 2  # only the pronoun: it
    assert nearest_source(TEXT, claim, 99, MENTIONS) is None  # no mention of that entity


def test_the_source_of_the_claims_own_paragraph_wins_over_a_nearer_one_elsewhere():
    claim = span(21, CLAIM, "“the budget held,”")
    assert nearest_source(TEXT, claim, RUIZ, MENTIONS).id == 3
    inside = Span(5, 1, SPEAKER, (at("budget"),), entity_id=RUIZ)  # a mention inside the claim comes last
    assert nearest_source(TEXT, claim, RUIZ, [inside, MENTIONS[0]]).id == 1


def test_the_cue_is_the_nearest_free_one_of_the_paragraph():
    claim = span(21, CLAIM, "“the budget held,”")
    assert nearest_cue(TEXT, claim, CUES + [claim]).id == 11
    taken = span(22, CLAIM, "“costs will fall.”", cue_id=11)
    assert nearest_cue(TEXT, claim, CUES + [claim, taken]).id == 12  # 11 is used by another claim
    assert nearest_cue(TEXT, claim, []) is None


def test_a_quote_standing_as_its_own_paragraph_takes_the_cue_just_before_it():
    claim = span(23, CLAIM, "“We will open a second one.”")
    assert paragraph_bounds(TEXT, claim.start) == (claim.start, len(TEXT))
    assert nearest_cue(TEXT, claim, CUES + [claim]).id == 13
    assert at("added")[1] + CUE_REACH > claim.start


def test_entity_in_finds_the_head_of_a_phrase_but_not_a_group():
    ruiz, lee = Entity(RUIZ, "Ana Ruiz", "person"), Entity(8, "Tom Lee", "person")
    assert entity_in([ruiz, lee], "Mayor Ana Ruiz") is ruiz
    assert entity_in([ruiz, lee], "Ana Ruiz and Tom Lee") is None
    assert entity_in([ruiz, lee], "Ana Ruiz’s deputy") is None


def test_the_ranking_needs_neither_a_store_nor_qt():
    code = ("import sys, annotator.core.attribution\n"
            "bad = [m for m in sys.modules if m.startswith(('annotator.core.store', 'sqlite3', 'PySide6'))]\n"
            "assert not bad, bad\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
