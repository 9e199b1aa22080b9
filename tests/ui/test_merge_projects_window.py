"""File > Merge Projects (issue 11: "annotator merge ... and File > Merge"): another
project's annotator layer comes into the open project as one undo step; a second merge
changes nothing; the open project itself is refused by name."""
from __future__ import annotations

from PySide6.QtWidgets import QMessageBox

from annotator.core.model import NewDocument
from annotator.core.store import Store

TEXT = "Second article\n\nThe mayor said the bridge “will open soon.”"  # the second article of project_path


def other_project(tmp_path, who: str):
    path = tmp_path / f"{who}.annotator"
    store = Store.open(path, annotator=who)
    store.import_documents([NewDocument(title="Second article", text=TEXT)])
    doc_id = store.document_ids()[0]
    store.add_span(doc_id, "speaker", [(TEXT.index("The mayor"), TEXT.index("The mayor") + 9)])
    store.close()
    return path


def ann_spans(store: Store) -> int:
    return sum(1 for d in store.document_ids() for s in store.spans(d) if s.annotator == "ann")


def test_merge_projects_from_the_file_menu(project_path, make_window, tmp_path, monkeypatch):
    store = Store.open(project_path)
    w = make_window(store)
    boxes = []
    monkeypatch.setattr(w, "show_box", lambda *args, **_kw: boxes.append(args))
    other = other_project(tmp_path, "ann")
    documents = store.document_count()
    assert "Merge" in w.actions["merge_projects"].text()  # File > Merge Projects…
    w.team.merge_projects([other])
    assert store.document_count() == documents  # matched by text: no second document
    assert ann_spans(store) == 1 and "1 annotator layer(s) added" in w.statusBar().currentMessage()
    w.team.merge_projects([other])  # a second merge changes nothing
    assert ann_spans(store) == 1
    w.controller.undo()  # the first merge is one undo step (the second pushed nothing)
    assert ann_spans(store) == 0
    w.team.merge_projects([project_path])
    assert boxes and boxes[-1][0] == QMessageBox.Icon.Warning and "this is the project merged into" in boxes[-1][2]
