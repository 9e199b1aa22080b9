"""The Documents panel over a long project: rows are read from the store a page at a time
as they are shown, its columns are never sized to their contents, and an edit updates one
row without re-reading the list."""
from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402
from PySide6.QtWidgets import QHeaderView  # noqa: E402

from annotator.core import operations as ops  # noqa: E402
from annotator.core.model import NewDocument  # noqa: E402
from annotator.core.store import Store  # noqa: E402
from annotator.ui.panels.documents import DocumentsModel, DocumentsPanel  # noqa: E402

N = 2_500


@pytest.fixture
def long_store(tmp_path):
    path = tmp_path / "long.db"
    store = Store.open(path)
    store.import_documents([NewDocument(title=f"Article {i:04d}", text=f"Article {i:04d}\n\nThe mayor said it.")
                            for i in range(N)])
    yield store
    store.close()


def test_the_model_reads_only_the_pages_it_is_asked_for(long_store, qtmodeltester):
    model = DocumentsModel(long_store)
    assert model.rowCount() == N and model.pages_read == 0
    assert model.data(model.index(N - 1, 0)) == f"Article {N - 1:04d}"
    assert model.pages_read == 1
    assert model.data(model.index(N - 2, 1)) == "new" and model.pages_read == 1  # same page
    ids = long_store.document_ids()
    assert model.row_of(ids[1234]) == 1234 and model.doc_id(1234) == ids[1234]
    assert model.row_of(max(ids) + 1) == -1
    small = DocumentsModel(long_store)
    small.PAGE = 7  # pages across the whole table hold the same rows
    assert [small.data(small.index(r, 0)) for r in range(0, N, 97)] == [f"Article {r:04d}" for r in range(0, N, 97)]
    assert len(small._pages) <= small.PAGES


def test_a_shown_panel_reads_a_few_pages_and_no_column_fits_its_contents(long_store, qtbot):
    panel = DocumentsPanel(long_store)
    qtbot.addWidget(panel)
    panel.resize(300, 600)
    panel.show()
    qtbot.waitExposed(panel)
    panel.show_current(long_store.document_ids()[-1])  # the last document shown: scrolled there
    qtbot.wait(10)
    assert 1 <= panel.model.pages_read <= 3
    header = panel.view.horizontalHeader()
    assert QHeaderView.ResizeMode.ResizeToContents not in {header.sectionResizeMode(c) for c in range(3)}
    status_width = header.sectionSize(1)
    assert status_width >= panel.view.fontMetrics().horizontalAdvance("in progress")


def test_an_edit_updates_its_row_and_reads_nothing_else(long_store, qtbot):
    model = DocumentsModel(long_store)
    doc_id = long_store.document_ids()[2000]
    assert model.data(model.index(2000, 2)) == 0
    read = model.pages_read
    changed = []
    model.dataChanged.connect(lambda a, b: changed.append((a.row(), b.row())))
    change = ops.mark_claim(long_store, doc_id, [(16, 32)])
    model.apply_change(change)
    assert changed == [(2000, 2000)]
    assert model.data(model.index(2000, 2)) == 1 and model.data(model.index(2000, 1)) == "in progress"
    assert model.pages_read == read
    model.apply_change(change.inverted())  # (as an undo announces it)
    assert model.data(model.index(2000, 2)) == 0


def test_an_import_rereads_the_ids(long_store):
    model = DocumentsModel(long_store)
    _report, change = long_store.import_documents([NewDocument(title="Late", text="Late\n\nNews.")])
    model.apply_change(change)
    assert model.rowCount() == N + 1 and model.data(model.index(N, 0)) == "Late"


def test_sorting_and_filtering_read_only_the_rows_shown(long_store, qtbot, qtmodeltester):
    """Issue 10: the Documents table's QSortFilterProxyModel read every row (50,000 in a large
    project) to sort or filter them; the store sorts and filters now."""
    from PySide6.QtCore import Qt

    panel = DocumentsPanel(long_store)
    qtbot.addWidget(panel)
    panel.resize(300, 600)
    panel.show()
    qtbot.waitExposed(panel)
    assert panel.model.pages_read <= 2
    panel.view.sortByColumn(0, Qt.SortOrder.DescendingOrder)
    assert panel.proxy.index(0, 0).data() == f"Article {N - 1:04d}"
    panel.proxy.set_text("article 12")  # Article 1200 to 1299
    assert panel.proxy.rowCount() == 100
    assert panel.proxy.index(0, 0).data() == "Article 1299"
    qtbot.wait(10)
    assert panel.model.pages_read <= 6  # the pages of the rows shown, never all 13
    qtmodeltester.check(panel.proxy)
    panel.proxy.set_text("")
    panel.view.sortByColumn(-1, Qt.SortOrder.AscendingOrder)
    assert panel.proxy.rowCount() == N and panel.proxy.index(0, 0).data() == "Article 0000"
