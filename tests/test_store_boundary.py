"""The store is an interface: no ``sqlite3`` exception leaves it (issue 7, foundations)."""
from __future__ import annotations

import sqlite3

import pytest

from annotator.core.errors import AnnotatorError, StoreWriteError
from annotator.core.model import NewDocument
from store_backends import open_store  # noqa: F401 (the fixture)


def test_a_failed_query_or_edit_raises_the_projects_own_error(open_store):
    store = open_store()
    store.import_documents([NewDocument(title="t", text="Some text here.")])
    store.db.conn.close()  # the connection is gone (a closed or vanished project)
    for call in (lambda: store.spans(1), lambda: store.document_infos(), lambda: list(store.export_documents()),
                 lambda: store.add_entity("Ann Lee"), lambda: store.stats(), lambda: store.data_version()):
        with pytest.raises(AnnotatorError) as caught:
            call()
        assert not isinstance(caught.value, sqlite3.Error) and isinstance(caught.value, StoreWriteError)
