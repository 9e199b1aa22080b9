"""Test setup shared by every test: Qt offscreen, a private data folder, --runslow."""
from __future__ import annotations

import os
import tempfile

# Before anything imports Qt: no screen is needed, and the default project never
# touches the real user data folder.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["ANNOTATOR_DATA_DIR"] = tempfile.mkdtemp(prefix="annotator-test-data-")

import pytest  # noqa: E402


def pytest_addoption(parser):
    parser.addoption("--runslow", action="store_true", default=False, help="also run tests marked slow (soak)")


def pytest_collection_modifyitems(config, items):
    if config.getoption("--runslow"):
        return
    skip = pytest.mark.skip(reason="slow: run with --runslow")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip)
