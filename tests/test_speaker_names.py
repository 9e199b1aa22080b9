"""Speaker names without a possessive or a lone determiner: marking by hand
(annotator.core.operations), suggesting (annotator.core.suggest) and accepting
(annotator.core.review). Sentences after the fresh-user trial (PolNeAR, Wikinews iodine)."""
from __future__ import annotations

from annotator.core import operations as ops
from annotator.core import review
from annotator.core.model import NewDocument
from annotator.core.store import Store
from annotator.core.suggest.base import CLAIM, SPEAKER, SpanSuggestion, Suggestion
from annotator.core.suggest.engine import Engine
from annotator.core.suggest.project import write_suggestions
from annotator.core.suggest.speakers import name_of

CLINTON = "Hillary Clinton’s aide wrote. Clinton's staff said “no comment.”"
REPORT = "The report's authors said “iodine is low.”"


def _store(text):
    store = Store.memory()
    store.import_documents([NewDocument(title="t", text=text)])
    return store, store.document_infos()[0].id


def _at(text, needle, label):
    start = text.index(needle)
    return SpanSuggestion(label, ((start, start + len(needle)),), f"rule:{label}", 0.7)


def test_marking_a_possessive_by_hand_founds_the_person():
    store, doc = _store(CLINTON)
    ops.mark_speaker(store, doc, [(CLINTON.index("Clinton's"), CLINTON.index("Clinton's") + 9)])
    assert [e.name for e in store.entities()] == ["Clinton"]
    start = CLINTON.index("Hillary Clinton’s")
    ops.mark_new_speaker(store, doc, [(start, start + len("Hillary Clinton’s"))])
    assert [e.name for e in store.entities()] == ["Clinton", "Hillary Clinton"]


def test_name_of_drops_a_possessive_and_never_is_a_determiner_alone():
    assert name_of(CLINTON, (0, len("Hillary Clinton’s"))) == "Hillary Clinton"
    assert name_of(REPORT, (0, len("The report's authors"))) == "The report's authors"


class _Fixed:
    name, version = "fixed", "1"

    def __init__(self, found):
        self.found = found

    def suggest(self, text, known_entities=()):
        return list(self.found)


def test_a_suggested_mention_excludes_the_possessive_and_a_determiner_is_no_source():
    claim = _at(CLINTON, "“no comment.”", CLAIM)
    [s] = Engine([_Fixed([Suggestion(claim, None, _at(CLINTON, "Clinton's", SPEAKER), "Clinton")])],
                 sentiment=False, string_match=False).suggest(CLINTON)
    assert CLINTON[s.source.start:s.source.end] == "Clinton"
    [s] = Engine([_Fixed([Suggestion(claim, None, _at(CLINTON, "Clinton", SPEAKER), "The")])],
                 sentiment=False, string_match=False).suggest(CLINTON)
    assert s.speaker is None
    [s] = Engine([_Fixed([Suggestion(_at(REPORT, "“iodine is low.”", CLAIM), None, _at(REPORT, "The", SPEAKER), "The")])],
                 sentiment=False, string_match=False).suggest(REPORT)
    assert s.source is None and s.speaker is None


def test_accepting_the_report_authors_founds_no_entity_named_the():
    store, doc = _store(REPORT)
    write_suggestions(store, doc, [Suggestion(_at(REPORT, "“iodine is low.”", CLAIM), None,
                                              _at(REPORT, "The report's authors", SPEAKER), None)])
    review.accept_all(store, doc)
    assert [e.name for e in store.entities()] == ["The report's authors"]
