"""``annotator import`` draws a progress bar on a terminal and prints nothing extra when
its standard error is a pipe or a file."""
from __future__ import annotations

import subprocess
import sys

import click._termui_impl
from click.testing import CliRunner

from annotator import cli


def folder_of(tmp_path, n: int):
    out = tmp_path / "articles"
    out.mkdir()
    for i in range(n):
        (out / f"a{i}.txt").write_text(f"Article {i}\n\nThe mayor {i} said so.\n", encoding="utf-8")
    return out


def test_a_terminal_gets_a_progress_bar(tmp_path, monkeypatch):
    monkeypatch.setattr(cli, "stderr_is_terminal", lambda: True)
    monkeypatch.setattr(click._termui_impl, "isatty", lambda _f: True)  # CliRunner's stderr as a terminal
    result = CliRunner().invoke(cli.main, ["import", str(folder_of(tmp_path, 5)), "--project", str(tmp_path / "p.db")])
    assert result.exit_code == 0, result.output
    assert "Importing" in result.stderr and "5/5" in result.stderr
    assert result.stderr.rstrip().endswith("imported 5 documents (0 spans)")


def test_a_pipe_gets_nothing_extra(tmp_path):
    folder = folder_of(tmp_path, 5)
    done = subprocess.run([sys.executable, "-m", "annotator", "import", str(folder), "--project", str(tmp_path / "p.db")],
                          capture_output=True, text=True, env={"ANNOTATOR_DATA_DIR": str(tmp_path / "data"),
                                                              "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)})
    assert done.returncode == 0, done.stderr
    assert done.stderr == "imported 5 documents (0 spans)\n" and done.stdout == ""


def test_an_export_draws_a_bar_of_documents_on_a_terminal(tmp_path, monkeypatch):
    project = str(tmp_path / "p.db")
    assert CliRunner().invoke(cli.main, ["import", str(folder_of(tmp_path, 4)), "--project", project]).exit_code == 0
    monkeypatch.setattr(cli, "stderr_is_terminal", lambda: True)
    monkeypatch.setattr(click._termui_impl, "isatty", lambda _f: True)
    result = CliRunner().invoke(cli.main, ["export", "--project", project, "-o", str(tmp_path / "out.json")])
    assert result.exit_code == 0, result.output
    assert "Exporting" in result.stderr and "4/4" in result.stderr
    assert result.stderr.rstrip().endswith("exported 4 documents to " + str(tmp_path / "out.json"))


def test_an_export_to_a_pipe_gets_nothing_extra(tmp_path):
    project = str(tmp_path / "p.db")
    assert CliRunner().invoke(cli.main, ["import", str(folder_of(tmp_path, 3)), "--project", project]).exit_code == 0
    done = subprocess.run([sys.executable, "-m", "annotator", "export", "--format", "jsonl", "--project", project],
                          capture_output=True, text=True, env={"ANNOTATOR_DATA_DIR": str(tmp_path / "data"),
                                                              "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)})
    assert done.returncode == 0, done.stderr
    assert done.stderr == "" and len(done.stdout.splitlines()) == 3
