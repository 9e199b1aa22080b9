"""Fixtures of the reliability suite (see README.md): projects on disk, dumps, checks."""
from __future__ import annotations

import pytest

from reliability_tools import make_project


@pytest.fixture
def project(tmp_path):
    """A closed project file with two documents and some spans, entities and a relation."""
    path = tmp_path / "news.db"
    make_project(path)
    return path
