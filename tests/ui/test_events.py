"""The window's event bus (annotator.ui.events): a new dock only subscribes and hears every
event, with the right payload, without any change to the controller or the sync code."""
from __future__ import annotations

import inspect

import pytest

pytest.importorskip("PySide6")

from PySide6.QtWidgets import QDockWidget, QLabel  # noqa: E402

from annotator.core import operations as ops  # noqa: E402
from annotator.core.model import CLAIM, NewDocument  # noqa: E402
from annotator.core.store import Store  # noqa: E402
from annotator.ui import controller as controller_module  # noqa: E402
from annotator.ui import sync as sync_module  # noqa: E402
from annotator.ui.events import Current, OpenedDocument, ProjectEvents  # noqa: E402


class StatisticsDock(QDockWidget):
    """A dock as a new feature would add it: it only follows the bus (never called by the
    controller), and shows how many claims the shown document has."""

    def __init__(self, events: ProjectEvents, parent=None):
        super().__init__("Statistics", parent)
        self.label = QLabel(self)
        self.setWidget(self.label)
        self.heard: list[tuple[str, object]] = []
        self.store: Store | None = None
        self.doc_id: int | None = None
        self.editing = False
        events.store_replaced.connect(lambda store: self._hear("store_replaced", store))
        events.read_only_changed.connect(lambda on: self._hear("read_only_changed", on))
        events.schema_changed.connect(lambda schema: self._hear("schema_changed", schema))
        events.document_opened.connect(self._opened)
        events.change_applied.connect(lambda change: self._hear("change_applied", change))
        events.document_changed.connect(lambda doc: self._hear("document_changed", doc))
        events.current_changed.connect(lambda current: self._hear("current_changed", current))
        events.reloaded.connect(lambda: self._hear("reloaded", None))
        events.add_editor(lambda: self.editing)

    def _hear(self, name: str, payload) -> None:
        self.heard.append((name, payload))
        if name == "store_replaced":
            self.store = payload

    def _opened(self, opened: OpenedDocument) -> None:
        self._hear("document_opened", opened)
        self.doc_id = opened.id
        self.label.setText(f"{sum(s.label == CLAIM for s in opened.spans)} claims")

    def names(self) -> list[str]:
        return [name for name, _ in self.heard]

    def last(self, name: str):
        return next(payload for n, payload in reversed(self.heard) if n == name)


def test_a_new_dock_that_only_subscribes_hears_every_event(make_window, project_path, tmp_path):
    w = make_window(Store.open(project_path))
    dock = StatisticsDock(w.events, w)
    w.add_dock(dock)
    view_menu = next(a.menu() for a in w.menuBar().actions() if a.text() == "&View")
    assert dock.toggleViewAction() in view_menu.actions()
    first = w.controller.doc_id
    text = w.view.text

    # another document, then back
    second = next(i for i in w.controller.doc_ids if i != first)
    w.controller.open_document(second)
    opened = dock.last("document_opened")
    assert isinstance(opened, OpenedDocument) and opened.id == second and not opened.reloaded
    assert opened.text == w.store.document(second).text and dock.label.text() == "0 claims"
    w.controller.open_document(first)

    # an edit, its undo: change_applied with the Change, then the current claim again
    start = text.index("“")
    change = w.controller.run(ops.mark_claim, first, [(start, start + 10)])
    assert change and dock.last("change_applied") is change
    assert isinstance(dock.last("current_changed"), Current) and dock.last("current_changed").moved is False
    claim_id = change.created_id("spans")
    w.controller.set_current(claim_id)
    current = dock.last("current_changed")
    assert current.moved and current.span_id == claim_id and current.claim_id == claim_id
    w.controller.undo()
    assert dock.last("change_applied").items == change.inverted().items

    # the document's status: document_changed with the Document as it is now
    w.controller.toggle_done()
    assert dock.last("document_changed").status == "done"

    # another connection changes the project: a reload, the document reopened with reloaded=True
    other = Store.open(project_path)
    other.import_documents([NewDocument(title="Third", text="Third article, imported elsewhere.")])
    other.close()
    dock.heard.clear()
    assert w.controller.poll() is True
    assert dock.names()[-1] == "reloaded"
    reopened = dock.last("document_opened")
    assert reopened.reloaded and reopened.id == first
    assert len(w.controller.doc_ids) == 3

    # a part being edited holds a reload back
    other = Store.open(project_path)
    other.import_documents([NewDocument(title="Fourth", text="Fourth article.")])
    other.close()
    dock.editing = True
    assert w.controller.poll() is False
    dock.editing = False
    assert w.controller.poll() is True

    # another project: store_replaced with the new store, read_only_changed, document_opened
    dock.heard.clear()
    new_path = tmp_path / "other.db"
    store = Store.open(new_path)
    store.import_documents([NewDocument(title="Only", text="Only article. “A claim,” she said.")])
    w.controller.set_store(store)
    assert dock.names()[:3] == ["store_replaced", "read_only_changed", "document_opened"]
    assert dock.store is store and dock.last("read_only_changed") is False
    assert dock.doc_id == store.document_infos()[0].id


def test_the_parts_follow_the_bus_not_the_controller():
    """The controller and the sync code name no panel: a dock is added without them."""
    for module in (controller_module, sync_module):
        source = inspect.getsource(module)
        for name in ("SpeakersPanel", "ClaimsPanel", "SentimentPanel", "DocumentsPanel",
                     ".speakers.", ".claims.", ".sentiment.", ".documents."):
            assert name not in source, f"{module.__name__} reaches into a panel: {name}"
    parameters = inspect.signature(controller_module.Controller.__init__).parameters
    assert list(parameters) == ["self", "store", "view", "events", "parent"]


def test_every_signal_of_the_bus_is_listed_in_its_docstring():
    from PySide6.QtCore import Signal

    signals = [n for n, v in vars(ProjectEvents).items() if isinstance(v, Signal)]
    assert len(signals) == 8
    for name in signals:
        assert f"``{name}(" in ProjectEvents.__doc__, name


def test_the_view_and_panels_follow_the_bus_without_a_window_or_controller(qtbot, project_path):
    """Built from a store and the bus alone (as napari tests ``QtDims(Dims(ndim=4))``)."""
    from annotator.ui.panels.claims import ClaimsPanel
    from annotator.ui.panels.documents import DocumentsPanel
    from annotator.ui.text_view import AnnotatedTextView
    from annotator.ui.text_view_events import TextViewEvents

    store = Store.open(project_path)
    events = ProjectEvents()
    view, documents, claims = AnnotatedTextView(), DocumentsPanel(store), ClaimsPanel(store)
    for widget in (view, documents, claims):
        qtbot.addWidget(widget)
    follower = TextViewEvents(view, events)
    documents.follow(events)
    claims.follow(events)
    doc = store.document(store.document_infos()[0].id)
    events.document_opened.emit(OpenedDocument(doc, store.spans(doc.id), store.schema))
    assert view.text == doc.text and follower.doc_id == doc.id
    assert documents.view.currentIndex().row() == 0 and claims.model.rowCount() == 0

    start = doc.text.index("“")
    change = ops.mark_claim(store, doc.id, [(start, start + 12)])
    events.change_applied.emit(change)
    claim_id = change.created_id("spans")
    assert claim_id in view.index and claims.model.rowCount() == 1
    assert documents.model.data(documents.model.index(0, 2)) == 1  # the span count
    events.current_changed.emit(Current(store.span(claim_id), store.span(claim_id), doc.text))
    assert view.current_span_id() == claim_id and claims.view.currentIndex().row() == 0

    events.read_only_changed.emit(True)
    assert claims.model.read_only
    undo = change.inverted()
    store.apply(undo)
    events.change_applied.emit(undo)
    assert claim_id not in view.index and claims.model.rowCount() == 0
    store.close()
