"""Issue 7, fault 5: imports from files that are not files.

``annotator import /dev/zero --format text`` read without end (the size limit was checked
with stat(), which says 0 for a device), and a FIFO named on the command line hung waiting
for a writer. Now a path that is not a regular file is refused by name before it is opened
(stat() only), and a file is read in chunks and refused as soon as it passes the limit,
whatever stat() said.
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from annotator.core import textfile
from annotator.core.errors import InputError
from annotator.services.importing import import_paths
from annotator.core.store import Store
from reliability_tools import assert_one_line_error, dump, run_cli


@pytest.fixture
def fifo(tmp_path) -> Path:
    path = tmp_path / "articles.txt"
    os.mkfifo(path)
    return path


@pytest.mark.parametrize("fmt", ["text", "json", "csv", "html", "webanno-tsv", "doccano"])
def test_devices_and_fifos_are_refused_by_name_on_the_command_line(project, fifo, fmt):
    before = dump(project)
    for target, kind in ((Path("/dev/zero"), "a character device"), (fifo, "a FIFO (named pipe)")):
        result = run_cli("import", target, "--format", fmt, "--project", project, timeout=30)
        assert_one_line_error(result, str(target), f"is {kind}, not a file")
    assert dump(project) == before


def test_a_fifo_is_refused_without_being_opened(project, fifo, monkeypatch):
    opened = []
    real_open = open
    monkeypatch.setattr("builtins.open", lambda file, *a, **k: opened.append(file) or real_open(file, *a, **k))
    store = Store.open(project)
    try:
        with pytest.raises(InputError, match="is a FIFO"):
            import_paths(store, [fifo])
        report = import_paths(store, [fifo], skip_bad=True)
        assert report.added == [] and "is a FIFO" in report.skipped[0]
    finally:
        store.close()
    assert str(fifo) not in map(str, opened)
    with pytest.raises(InputError, match="articles.txt: is a FIFO"):
        textfile.read_file_bytes(fifo)


def test_the_size_limit_holds_when_stat_does_not_tell_the_size(monkeypatch):
    """/proc files are regular files that stat() says are empty: the limit is counted while
    reading, as it would be for a file that grows while it is read."""
    monkeypatch.setattr(textfile, "MAX_FILE_BYTES", 100)
    source = Path("/proc/self/maps")
    if not source.exists() or source.stat().st_size != 0:
        pytest.skip("needs a /proc file whose size stat() does not tell")
    with pytest.raises(InputError, match="maps: the file is too large \\(more than"):
        textfile.read_file_bytes(source)
