"""Issue 10: the Speakers panel read the project-wide mention counts at every opening (3.1 s
for 50,000 documents) and again at every edit that touched a span (1.3 s per keystroke at
1,000 documents). Now the counts are read once per project (in the background for a large
one) and follow the edits' span pairs."""
from __future__ import annotations

from annotator.core.model import NewDocument, NewSpan
from annotator.core.store import Store
from annotator.ui.panels import speakers_counts
from annotator.ui.panels.speakers_model import SpeakersModel


def project(path):
    store = Store.open(path)
    text = "Mauer said the plan works. Mauer added more."
    store.import_documents([NewDocument(title="A", text=text), NewDocument(title="B", text=text + " Later.")])
    eid = store.add_entity("Mauer").created_id("entities")
    store.add_span(store.document_ids()[0], "speaker", [(0, 5)], entity_id=eid)
    return store


def mentions_cell(model: SpeakersModel, row: int = 0) -> str:
    return model.index(row, 3).data()


def test_counts_follow_edits_without_reading_the_project(tmp_path, qtbot, monkeypatch):
    store = project(tmp_path / "p.db")
    doc_a, doc_b = store.document_ids()
    eid = store.entities()[0].id
    model = SpeakersModel(store)
    model.reload(store, doc_b)
    reads = []
    monkeypatch.setattr(store, "entity_counts", lambda *a, **k: reads.append(a) or {})
    span = store.span(store.add_span(doc_b, "speaker", [(27, 32)], entity_id=eid).created_id("spans"))
    assert model.apply_change(store.last_change) is True
    assert mentions_cell(model, model.row_of(eid)).startswith("1 / ")
    cue = store.add_span(doc_b, "cue", [(6, 10)])
    assert model.apply_change(store.last_change) is False  # no speaker link: nothing to do
    assert reads == []
    before = int(mentions_cell(model, model.row_of(eid)).split("/")[1])
    store.delete_span(span.id)
    model.apply_change(store.last_change)
    assert mentions_cell(model, model.row_of(eid)) == f"0 / {before - 1}"
    assert cue is not None and reads == []
    store.close()


def test_a_large_project_is_counted_in_the_background(tmp_path, qtbot, monkeypatch):
    monkeypatch.setattr(speakers_counts, "BACKGROUND_BYTES", 0)
    store = project(tmp_path / "p.db")
    doc_a = store.document_ids()[0]
    expected = store.entity_counts()
    model = SpeakersModel(store)
    with qtbot.waitSignal(model.counts.ready, timeout=10000):
        model.reload(store, doc_a)
    assert model.counts.background_runs >= 1
    eid = next(iter(expected))
    assert model.counts.get(eid) == expected[eid]
    store.close()


def test_closing_the_project_stops_a_running_count(tmp_path, qtbot, monkeypatch):
    monkeypatch.setattr(speakers_counts, "BACKGROUND_BYTES", 0)
    started = []

    def slow(path, opened=None, **_):
        import threading
        stopped = threading.Event()
        opened(stopped.set)
        started.append(1)
        stopped.wait(10)
        raise speakers_counts.AnnotatorError("interrupted")

    monkeypatch.setattr(speakers_counts, "entity_counts_at", slow)
    store = project(tmp_path / "p.db")
    model = SpeakersModel(store)
    qtbot.waitUntil(lambda: bool(started))
    store.close()  # waits for the worker, which the close interrupted
    assert model.counts._thread is None and not model.counts.loaded
