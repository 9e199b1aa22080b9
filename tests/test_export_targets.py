"""Exports never replace a pipe, a device or a link (found in a user trial: `export --output
/dev/full` turned the device into a 5 MB plain file and said "exported")."""
from __future__ import annotations

import os
import socket
import stat

import pytest
from click.testing import CliRunner

from annotator.cli import main
from annotator.core.errors import InputError
from annotator.core.model import NewDocument
from annotator.core.store import Store
from annotator.services.importing import export_to


@pytest.fixture
def store(tmp_path):
    store = Store.open(tmp_path / "p.annotator")
    store.import_documents([NewDocument(title="One", text="Ann said yes.")])
    yield store
    store.close()


def test_a_fifo_is_refused_and_stays_a_fifo(store, tmp_path):
    fifo = tmp_path / "out.json"
    os.mkfifo(fifo)
    with pytest.raises(InputError, match=r"out\.json: is a FIFO \(named pipe\), not a file"):
        export_to(store, "json", fifo)
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)


def test_a_socket_is_refused(store, tmp_path):
    path = tmp_path / "out.json"
    with socket.socket(socket.AF_UNIX) as server:
        server.bind(str(path))
        with pytest.raises(InputError, match="is a socket, not a file"):
            export_to(store, "json", path)
        assert stat.S_ISSOCK(os.stat(path).st_mode)


def test_a_symbolic_link_is_followed_not_replaced(store, tmp_path):
    real, link = tmp_path / "real.json", tmp_path / "link.json"
    real.write_text("old", encoding="utf-8")
    link.symlink_to(real)
    export_to(store, "json", link)
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert '"Ann said yes."' in real.read_text(encoding="utf-8")


def test_the_command_line_refuses_a_fifo_for_the_output_and_the_report(store, tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    for option in ("--output", "--report"):
        result = CliRunner().invoke(main, ["export", "--format", "json", "--project", store.where, option, str(fifo)])
        assert result.exit_code == 1 and "is a FIFO (named pipe), not a file" in result.output, result.output
        assert stat.S_ISFIFO(os.stat(fifo).st_mode)
