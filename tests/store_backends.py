"""The store backends the store's tests run against: a fixture factory, so that a second
backend (a server database) is one more entry in ``BACKENDS``.

``open_store(name="project", annotator="")`` opens a connection to the project ``name``
of the test (creating it); called again with the same name it opens ANOTHER connection to
the SAME project (two windows, two processes). Every connection is closed after the test.
Import the fixture into a test module with ``from store_backends import open_store``.
"""
from __future__ import annotations

from pathlib import Path
from typing import Callable

import pytest

from annotator.core.store import Store


def _sqlite(folder: Path) -> Callable[..., Store]:
    def open_sqlite(name: str = "project", annotator: str = "", busy_timeout: float = 5.0) -> Store:
        return Store.open(folder / f"{name}.db", annotator=annotator, busy_timeout=busy_timeout)
    return open_sqlite


BACKENDS = {"sqlite": _sqlite}


@pytest.fixture(params=sorted(BACKENDS))
def open_store(request, tmp_path):
    opened: list[Store] = []
    make = BACKENDS[request.param](tmp_path)

    def open_(*args, **kwargs) -> Store:
        store = make(*args, **kwargs)
        opened.append(store)
        return store

    yield open_
    for store in opened:
        store.close()
